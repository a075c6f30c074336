package wire

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/minicloud/minicloud/internal/awserr"
	"github.com/minicloud/minicloud/lambda"
)

// Error is a failed request: AWS's error code, message and HTTP status. It
// is the lambda package's error type.
type Error = lambda.Error

// Errors of the protocol layer, for errors.Is. The errors of the
// operations themselves are the lambda package's sentinels.
var (
	// ErrUnknownOperation is UnknownOperationException (404): no Lambda
	// operation has this method and path.
	ErrUnknownOperation = awserr.New("UnknownOperationException", 404, "")
	// ErrInvalidRequestContent is the lambda package's
	// InvalidRequestContentException (400): the body is not JSON.
	ErrInvalidRequestContent = lambda.ErrInvalidRequestContent
)

// RetryAfterSeconds is the Retry-After header of a
// TooManyRequestsException, which the SDKs read as RetryAfterSeconds.
// AWS does not document the value Lambda sends; one second is the first
// delay Lambda itself waits before retrying a throttled asynchronous
// event.
const RetryAfterSeconds = "1"

// apiError turns any error into the *Error to answer with. Errors that
// carry no AWS code are a ServiceException.
func apiError(err error) *Error {
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		if e.StatusCode == 0 {
			c := *e
			c.StatusCode = http.StatusBadRequest
			return &c
		}
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return lambda.ErrService.New("The request was canceled before it completed")
	}
	return lambda.ErrService.New("Internal server error")
}

// errorDoc is Lambda's error body. Type is "User" for the caller's
// errors and "Service" for Lambda's; Reason is a throttle's.
type errorDoc struct {
	Type    string `json:"Type"`
	Message string `json:"message"`
	Reason  string `json:"Reason,omitempty"`
}

// writeError answers err as Lambda does: its status, the x-amzn-ErrorType
// header naming the code (which the SDKs read first) and the body
// {"Type":"User","message":"..."}.
func writeError(w http.ResponseWriter, err error) {
	e := apiError(err)
	doc := errorDoc{Type: "User", Message: e.Message}
	if e.StatusCode >= 500 {
		doc.Type = "Service"
	}
	hd := w.Header()
	if reason := lambda.ThrottleReason(err); reason != "" {
		doc.Reason = reason
		hd.Set("Retry-After", RetryAfterSeconds)
	}
	body, _ := json.Marshal(doc)
	hd.Set("X-Amzn-Errortype", e.Code)
	hd.Set("Content-Type", "application/json")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.StatusCode)
	_, _ = w.Write(body)
}
