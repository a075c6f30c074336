package apigw

import "github.com/minicloud/minicloud/internal/awserr"

// Error is the error of a management call (creating APIs, routes, stages,
// keys and plans), with API Gateway's code, message and HTTP status. Use
// errors.Is with the sentinels below, errors.As for the message.
//
// Requests served by a stage never return an Error: they answer with API
// Gateway's gateway responses ({"message": "..."} with its status).
type Error = awserr.Error

// Management errors, as the API Gateway API returns them.
var (
	// ErrBadRequest is BadRequestException (400): the input is invalid.
	ErrBadRequest = awserr.New("BadRequestException", 400, "Bad request")
	// ErrNotFound is NotFoundException (404): no such API, stage, route,
	// deployment, key or plan.
	ErrNotFound = awserr.New("NotFoundException", 404, "Not found")
	// ErrConflict is ConflictException (409): the resource already
	// exists, or is in use.
	ErrConflict = awserr.New("ConflictException", 409, "Conflict")
	// ErrLimitExceeded is LimitExceededException (429): a quota of
	// [Limits] is reached.
	ErrLimitExceeded = awserr.New("LimitExceededException", 429, "Limit exceeded")
)
