package stepfn

import (
	"errors"
	"fmt"
	"reflect"
	"strings"

	"github.com/minicloud/minicloud/internal/awserr"
)

// Error is a failed Step Functions API call: AWS's error code, message and
// HTTP status. It is the same type in every minicloud package, so
// errors.As reads the code of any minicloud error; errors.Is matches it
// against the sentinels below by code.
type Error = awserr.Error

// Sentinels for errors.Is, one per Step Functions API error code. Each
// carries the HTTP status Step Functions answers the error with.
var (
	// ErrInvalidDefinition is InvalidDefinition: the Amazon States
	// Language definition was rejected. errors.As with a
	// *[DefinitionError] reads every diagnostic.
	ErrInvalidDefinition = awserr.New("InvalidDefinition", 400, "")
	// ErrInvalidName is InvalidName: a state machine or execution name
	// breaks the naming rules (1 to 80 characters, no white space,
	// brackets, wildcards, special characters or control characters).
	ErrInvalidName = awserr.New("InvalidName", 400, "")
	// ErrInvalidArn is InvalidArn: an ARN is malformed.
	ErrInvalidArn = awserr.New("InvalidArn", 400, "")
	// ErrInvalidExecutionInput is InvalidExecutionInput: the execution
	// input is not JSON.
	ErrInvalidExecutionInput = awserr.New("InvalidExecutionInput", 400, "")
	// ErrValidation is ValidationException: a request parameter breaks
	// its constraint (a length, a range, an enum).
	ErrValidation = awserr.New("ValidationException", 400, "")
	// ErrStateMachineAlreadyExists is StateMachineAlreadyExists: a state
	// machine with that name exists with a different definition, role or
	// type.
	ErrStateMachineAlreadyExists = awserr.New("StateMachineAlreadyExists", 400, "")
	// ErrStateMachineDoesNotExist is StateMachineDoesNotExist.
	ErrStateMachineDoesNotExist = awserr.New("StateMachineDoesNotExist", 400, "")
	// ErrStateMachineDeleting is StateMachineDeleting: the state machine
	// is being deleted and takes no new executions.
	ErrStateMachineDeleting = awserr.New("StateMachineDeleting", 400, "")
	// ErrStateMachineLimitExceeded is StateMachineLimitExceeded: the
	// account holds the maximum number of state machines.
	ErrStateMachineLimitExceeded = awserr.New("StateMachineLimitExceeded", 400, "")
	// ErrStateMachineTypeNotSupported is StateMachineTypeNotSupported:
	// the operation does not apply to this type of state machine
	// (GetExecutionHistory on an Express execution, StartSyncExecution on
	// a Standard state machine).
	ErrStateMachineTypeNotSupported = awserr.New("StateMachineTypeNotSupported", 400, "")
	// ErrExecutionDoesNotExist is ExecutionDoesNotExist.
	ErrExecutionDoesNotExist = awserr.New("ExecutionDoesNotExist", 400, "")
	// ErrExecutionAlreadyExists is ExecutionAlreadyExists: the name was
	// used by another execution of the state machine in the last 90
	// days, with a different input or already closed.
	ErrExecutionAlreadyExists = awserr.New("ExecutionAlreadyExists", 400, "")
	// ErrExecutionLimitExceeded is ExecutionLimitExceeded: the state
	// machine has the maximum number of open executions.
	ErrExecutionLimitExceeded = awserr.New("ExecutionLimitExceeded", 400, "")
	// ErrInvalidToken is InvalidToken: a pagination token is not one
	// this service issued for the request.
	ErrInvalidToken = awserr.New("InvalidToken", 400, "")
)

// Error names of the Amazon States Language. A state fails with one of
// these, or with a name a task reports, and Retry and Catch match on
// them.
const (
	// ErrorAll matches every error name except States.Runtime. It must
	// appear alone in an ErrorEquals and in the last retrier or catcher.
	ErrorAll = "States.ALL"
	// ErrorDataLimitExceeded: a payload is over the 256 KiB quota.
	ErrorDataLimitExceeded = "States.DataLimitExceeded"
	// ErrorTimeout: a Task ran longer than TimeoutSeconds, or an
	// execution longer than its TimeoutSeconds or maximum duration.
	ErrorTimeout = "States.Timeout"
	// ErrorHeartbeatTimeout: a Task sent no heartbeat for more than
	// HeartbeatSeconds.
	ErrorHeartbeatTimeout = "States.HeartbeatTimeout"
	// ErrorTaskFailed: a Task failed. In ErrorEquals it matches every
	// error name except States.Timeout.
	ErrorTaskFailed = "States.TaskFailed"
	// ErrorPermissions: a Task lacked privileges.
	ErrorPermissions = "States.Permissions"
	// ErrorResultPathMatchFailure: ResultPath could not be applied to the
	// state input.
	ErrorResultPathMatchFailure = "States.ResultPathMatchFailure"
	// ErrorParameterPathFailure is the specification's name for a failed
	// path in Parameters. The service reports those as States.Runtime,
	// and so does minicloud; the name still matches in ErrorEquals.
	ErrorParameterPathFailure = "States.ParameterPathFailure"
	// ErrorBranchFailed: a branch of a Parallel state failed.
	ErrorBranchFailed = "States.BranchFailed"
	// ErrorNoChoiceMatched: no Choice rule matched and there is no
	// Default.
	ErrorNoChoiceMatched = "States.NoChoiceMatched"
	// ErrorIntrinsicFailure: an intrinsic function call failed.
	ErrorIntrinsicFailure = "States.IntrinsicFailure"
	// ErrorExceedToleratedFailureThreshold: a Map state had more failed
	// items than ToleratedFailureCount or ToleratedFailurePercentage
	// allow.
	ErrorExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
	// ErrorItemReaderFailed: a Map state's ItemReader failed.
	ErrorItemReaderFailed = "States.ItemReaderFailed"
	// ErrorResultWriterFailed: a Map state's ResultWriter failed.
	ErrorResultWriterFailed = "States.ResultWriterFailed"
	// ErrorRuntime: the execution failed for a reason no Retry or Catch
	// handles, such as a path that matches nothing in InputPath,
	// Parameters or OutputPath. It is never retried or caught.
	ErrorRuntime = "States.Runtime"
)

// TaskError is the error a [Resource] returns to fail its Task with an
// error name and a cause, as a Lambda function's errorType and error
// payload. Retry and Catch match on Name (the "Error" of AWS's history
// and of a Catch's {"Error": ..., "Cause": ...} output). Any other Go
// error a resource returns fails the Task with States.TaskFailed and the
// error's text as cause; see [AsTaskError].
type TaskError struct {
	// Name is the error name, for example "Lambda.TooManyRequestsException"
	// or "PaymentDeclined". AWS calls it Error.
	Name string
	// Cause is a human-readable description, often a JSON document.
	Cause string
}

// Error implements the error interface.
func (e *TaskError) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// AsTaskError returns the error name and cause a Task fails with when its
// resource returns err: those of a *[TaskError]; for a Lambda function
// error (an error struct with an ErrorType string and a Payload []byte,
// as *lambda.FunctionError is) the errorType and the error document, as
// Step Functions reports a failed function; the code and message of an
// error with ErrorCode and ErrorMessage methods (minicloud's *Error among
// them); and otherwise States.TaskFailed with err's text as cause.
func AsTaskError(err error) TaskError {
	var te *TaskError
	if errors.As(err, &te) {
		return *te
	}
	if fe, ok := functionError(err); ok {
		return fe
	}
	var coded interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if errors.As(err, &coded) && coded.ErrorCode() != "" {
		return TaskError{Name: coded.ErrorCode(), Cause: coded.ErrorMessage()}
	}
	return TaskError{Name: ErrorTaskFailed, Cause: err.Error()}
}

// functionError reads an error shaped like Lambda's function error
// without importing the lambda package: a pointer to a struct with an
// ErrorType string and a Payload []byte (the error document).
func functionError(err error) (TaskError, bool) {
	for e := err; e != nil; e = errors.Unwrap(e) {
		v := reflect.ValueOf(e)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			continue
		}
		typ := v.Elem().FieldByName("ErrorType")
		payload := v.Elem().FieldByName("Payload")
		if !typ.IsValid() || typ.Kind() != reflect.String || !payload.IsValid() || payload.Kind() != reflect.Slice || payload.Type().Elem().Kind() != reflect.Uint8 {
			continue
		}
		cause := string(payload.Bytes())
		if cause == "" {
			cause = e.Error()
		}
		return TaskError{Name: typ.String(), Cause: cause}, true
	}
	return TaskError{}, false
}

// stateError is a failure inside an execution: an error name and cause.
type stateError struct {
	name  string
	cause string
	coded bool // from a service error with a code, not a function's own
	// location is the field of a JSONata state whose expression failed,
	// for the EvaluationFailed event.
	location string
}

func (e *stateError) Error() string { return e.name + ": " + e.cause }

func newStateError(name, format string, args ...any) *stateError {
	if len(args) == 0 {
		return &stateError{name: name, cause: format}
	}
	return &stateError{name: name, cause: fmt.Sprintf(format, args...)}
}

// runtimeError is a States.Runtime failure with AWS's cause wording.
func runtimeError(state string, enteredID int64, detail string) *stateError {
	return &stateError{
		name:  ErrorRuntime,
		cause: fmt.Sprintf("An error occurred while executing the state '%s' (entered at the event id #%d). %s", state, enteredID, detail),
	}
}

// quoteList renders names as AWS lists them in messages: [a, b].
func quoteList(names []string) string { return "[" + strings.Join(names, ", ") + "]" }
