package lambda

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/minicloud/minicloud/internal/awserr"
)

// Error is a failed Lambda API call: AWS's error code, message and HTTP
// status. It is the same type in every minicloud package, so errors.As
// reads the code of any minicloud error; errors.Is matches it against the
// sentinels below by code.
//
// A function error (the handler returned an error, panicked or timed out)
// is not an Error: as in the Lambda API, Invoke succeeds and reports it in
// [InvokeOutput.FunctionError]. Only [Function.Invoke] turns it into a Go
// error, a [*FunctionError].
type Error = awserr.Error

// Sentinels for errors.Is, one per Lambda error code, each with the HTTP
// status Lambda answers it with.
var (
	// ErrResourceNotFound is ResourceNotFoundException (404): the function,
	// version, alias or configuration does not exist.
	ErrResourceNotFound = awserr.New("ResourceNotFoundException", 404, "")
	// ErrResourceConflict is ResourceConflictException (409): the resource
	// already exists, or is in use (a version an alias points at).
	ErrResourceConflict = awserr.New("ResourceConflictException", 409, "")
	// ErrInvalidParameterValue is InvalidParameterValueException (400): a
	// parameter is out of range, malformed or breaks a quota. When a quota
	// is broken, errors.As finds a [*LimitError] naming it.
	ErrInvalidParameterValue = awserr.New("InvalidParameterValueException", 400, "")
	// ErrInvalidRequestContent is InvalidRequestContentException (400): the
	// payload or client context is not valid JSON.
	ErrInvalidRequestContent = awserr.New("InvalidRequestContentException", 400, "")
	// ErrRequestTooLarge is RequestTooLargeException (413): the request
	// payload is over 6 MB (synchronous) or 1 MB (asynchronous), or a
	// directly uploaded .zip is over 50 MB.
	ErrRequestTooLarge = awserr.New("RequestTooLargeException", 413, "")
	// ErrTooManyRequests is TooManyRequestsException (429): the call was
	// throttled. errors.As finds a [*ThrottleError] with Lambda's Reason.
	ErrTooManyRequests = awserr.New("TooManyRequestsException", 429, "")
	// ErrCodeStorageExceeded is CodeStorageExceededException (400): the
	// account's 75 GB of function and layer storage is full.
	ErrCodeStorageExceeded = awserr.New("CodeStorageExceededException", 400, "")
	// ErrPreconditionFailed is PreconditionFailedException (412): the
	// RevisionId given does not match the resource's current one.
	ErrPreconditionFailed = awserr.New("PreconditionFailedException", 412, "")
	// ErrProvisionedConcurrencyConfigNotFound is
	// ProvisionedConcurrencyConfigNotFoundException (404).
	ErrProvisionedConcurrencyConfigNotFound = awserr.New("ProvisionedConcurrencyConfigNotFoundException", 404, "")
	// ErrService is ServiceException (500): Lambda could not do the call,
	// here only because the service has been closed.
	ErrService = awserr.New("ServiceException", 500, "")
)

// Throttle reasons Lambda puts in the Reason field of a
// TooManyRequestsException.
const (
	// ReasonConcurrentInvocationLimitExceeded: the account's unreserved
	// concurrency pool (1,000 minus all reservations, by default) is full.
	ReasonConcurrentInvocationLimitExceeded = "ConcurrentInvocationLimitExceeded"
	// ReasonReservedFunctionConcurrentInvocationLimitExceeded: the function
	// runs as many invocations as its reserved concurrency allows.
	ReasonReservedFunctionConcurrentInvocationLimitExceeded = "ReservedFunctionConcurrentInvocationLimitExceeded"
	// ReasonFunctionInvocationRateLimitExceeded: the function needs a new
	// execution environment faster than its scaling rate (1,000 new
	// environments every 10 seconds) allows.
	ReasonFunctionInvocationRateLimitExceeded = "FunctionInvocationRateLimitExceeded"
)

// ThrottleError is the detail of a TooManyRequestsException: Lambda's
// Reason and the Type "User". errors.As finds it in the *Error returned by
// a throttled call.
type ThrottleError struct {
	// Reason is one of the Reason constants, such as
	// ReasonConcurrentInvocationLimitExceeded.
	Reason string
	// Type is "User", as Lambda reports it.
	Type string
}

// Error returns the reason.
func (e *ThrottleError) Error() string { return "throttled: " + e.Reason }

// ThrottleReason returns the Reason of a TooManyRequestsException, or ""
// when err is not one.
func ThrottleReason(err error) string {
	var t *ThrottleError
	if errors.As(err, &t) {
		return t.Reason
	}
	return ""
}

func throttled(reason string) *Error {
	e := ErrTooManyRequests.New("Rate Exceeded.")
	e.Err = &ThrottleError{Reason: reason, Type: "User"}
	return e
}

// LimitError names a Lambda quota that a value breaks. It is the cause
// (reachable with errors.As) of the InvalidParameterValueException,
// RequestTooLargeException or CodeStorageExceededException that reports
// the violation, and the element of [Fit.Violations].
type LimitError struct {
	// Limit is the quota's name, such as "MemorySize" or "Timeout".
	Limit string
	// Value is the value given, in Unit.
	Value int64
	// Min is the smallest allowed value (0 when only a maximum applies).
	Min int64
	// Max is the largest allowed value.
	Max int64
	// Unit is "MB", "seconds", "bytes" or "".
	Unit string
}

// Error says which limit the value breaks.
func (e *LimitError) Error() string {
	var b strings.Builder
	b.WriteString(e.Limit)
	b.WriteString(" ")
	b.WriteString(formatInt(e.Value))
	if e.Unit != "" {
		b.WriteString(" " + e.Unit)
	}
	if e.Value < e.Min {
		b.WriteString(" is below the minimum of " + formatInt(e.Min))
	} else {
		b.WriteString(" exceeds the maximum of " + formatInt(e.Max))
	}
	if e.Unit != "" {
		b.WriteString(" " + e.Unit)
	}
	return b.String()
}

func limitErr(sentinel *Error, msg string, le *LimitError) *Error {
	e := sentinel.New(msg)
	e.Err = le
	return e
}

// FunctionError is the Go error [Function.Invoke] returns when the function
// failed: its handler returned an error, panicked, timed out or answered
// too much. It carries the error document Lambda returns in the response
// payload and the X-Amz-Function-Error value.
type FunctionError struct {
	// FunctionError is the X-Amz-Function-Error value: "Unhandled" for
	// every error of a runtime built on the Lambda Runtime API, as Go's.
	FunctionError string `json:"-"`
	// ErrorMessage is errorMessage.
	ErrorMessage string `json:"errorMessage"`
	// ErrorType is errorType: the Go type name of the returned error or
	// panic value ("errorString" for errors.New), or a Lambda type such as
	// "Sandbox.Timedout" or "Function.ResponseSizeTooLarge".
	ErrorType string `json:"errorType"`
	// StackTrace holds the frames of a panic.
	StackTrace []StackFrame `json:"stackTrace,omitempty"`
	// Payload is the raw error document.
	Payload []byte `json:"-"`
	// exit is how a runtime process exited during init, for the log.
	exit string
}

// StackFrame is one frame of a panic's stack trace, as aws-lambda-go
// reports it.
type StackFrame struct {
	Path  string `json:"path"`
	Line  int32  `json:"line"`
	Label string `json:"label"`
}

// Error returns "errorType: errorMessage".
func (e *FunctionError) Error() string {
	if e.ErrorType == "" {
		return e.ErrorMessage
	}
	return e.ErrorType + ": " + e.ErrorMessage
}

// parseFunctionError reads the error document of a failed invocation.
func parseFunctionError(kind string, payload []byte) *FunctionError {
	fe := &FunctionError{FunctionError: kind, Payload: payload}
	if json.Unmarshal(payload, fe) != nil {
		fe.ErrorMessage = string(payload)
	}
	return fe
}
