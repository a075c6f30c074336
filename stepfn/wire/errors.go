package wire

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/minicloud/minicloud/internal/awserr"
	"github.com/minicloud/minicloud/stepfn"
)

// Error is a failed request: AWS's error code, message and HTTP status. It
// is the stepfn package's error type.
type Error = stepfn.Error

// Errors of the protocol layer, for errors.Is. The errors of the
// operations themselves are the stepfn package's sentinels.
var (
	// ErrSerialization is SerializationException: the body is not a JSON
	// object, or a member has the wrong JSON type.
	ErrSerialization = awserr.New("SerializationException", 400, "")
	// ErrUnknownOperation is UnknownOperationException: X-Amz-Target names
	// no Step Functions operation this handler serves.
	ErrUnknownOperation = awserr.New("UnknownOperationException", 400, "")
	// ErrInternalFailure is InternalFailure (HTTP 500): the request failed
	// for a reason that is not the caller's. SDKs retry it.
	ErrInternalFailure = awserr.New("InternalFailure", 500, "")
)

// errorType returns the __type Step Functions answers an error code with.
// The errors of the AWS request layer ("Coral") have their own namespaces;
// the service's modelled errors carry the namespace of the SWF model Step
// Functions is built on. The SDKs keep only what follows the '#'.
func errorType(code string) string {
	switch code {
	case "ValidationException":
		return "com.amazon.coral.validate#" + code
	case "SerializationException", "UnknownOperationException", "InternalFailure":
		return "com.amazon.coral.service#" + code
	}
	return "com.amazonaws.swf.base.model#" + code
}

// apiError turns any error into the *Error to answer with. An error that
// carries no AWS code is an InternalFailure.
func apiError(err error) *Error {
	var e *Error
	if errors.As(err, &e) && e.Code != "" {
		if e.StatusCode == 0 {
			c := *e
			c.StatusCode = 400
			return &c
		}
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ErrInternalFailure.New("The request was canceled before it completed")
	}
	return ErrInternalFailure.New("Internal server error")
}

// errorBody renders an error response: {"__type":"<namespace>#<Code>",
// "message":"..."}, the message left out when empty.
func errorBody(err error) (status int, body []byte) {
	e := apiError(err)
	out := struct {
		Type    string `json:"__type"`
		Message string `json:"message,omitempty"`
	}{errorType(e.Code), e.Message}
	body, mErr := json.Marshal(out)
	if mErr != nil {
		// A struct of two strings always marshals; keep the answer sound
		// regardless.
		return 500, []byte(`{"__type":"com.amazon.coral.service#InternalFailure"}`)
	}
	return e.StatusCode, body
}
