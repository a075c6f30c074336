package awserr

import (
	"errors"
	"fmt"
)

// Error is a failed AWS call: the code AWS returns (such as
// "ResourceNotFoundException" or "States.Timeout"), a message in AWS's
// words, and the HTTP status code the service's wire protocol answers with.
//
// Two Errors match under errors.Is when their codes are equal, so an
// exported sentinel (which carries only a code and a status) matches every
// error of its kind whatever its message.
type Error struct {
	// Code is AWS's error code.
	Code string
	// Message says what was wrong, in AWS's words where AWS documents them.
	Message string
	// StatusCode is the HTTP status code of the error on the wire.
	StatusCode int
	// Err is the underlying cause, if any; Unwrap returns it.
	Err error
}

// New returns an Error with the given code, HTTP status and message.
func New(code string, status int, message string) *Error {
	return &Error{Code: code, StatusCode: status, Message: message}
}

// Error formats the error as "Code: Message".
func (e *Error) Error() string {
	if e.Message == "" {
		return e.Code
	}
	return e.Code + ": " + e.Message
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t == e || t.Code == e.Code
}

// ErrorCode returns the AWS error code. With ErrorMessage it matches the
// interface the AWS SDK for Go v2 uses for API errors.
func (e *Error) ErrorCode() string { return e.Code }

// ErrorMessage returns the message.
func (e *Error) ErrorMessage() string { return e.Message }

// HTTPStatusCode returns the status code the error is answered with on the
// wire.
func (e *Error) HTTPStatusCode() int { return e.StatusCode }

// New returns a new error of the same code and status as e with the given
// message. Sentinels use it to make errors of their kind.
func (e *Error) New(message string) *Error {
	return &Error{Code: e.Code, StatusCode: e.StatusCode, Message: message}
}

// Newf is New with the message formatted as by fmt.Sprintf.
func (e *Error) Newf(format string, args ...any) *Error {
	return e.New(fmt.Sprintf(format, args...))
}

// Code returns the AWS error code of err, or "" when err carries none.
func Code(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}
