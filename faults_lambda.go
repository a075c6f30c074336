package minicloud

import (
	"context"

	"github.com/minicloud/minicloud/lambda"
)

// lambdaFaults gives the account's fault rules to its Lambda: Operation
// "Invoke" at each invocation, "Init" at each cold start, "Event" for
// each queued asynchronous event; the Resource is the function's name.
func lambdaFaults(f *Faults) lambda.FaultFunc {
	return func(ctx context.Context, at lambda.FaultPoint, name string, payload []byte) lambda.Fault {
		call := Call{Service: ServiceLambda, Operation: at.String(), Resource: name, Payload: payload}
		switch at {
		case lambda.FaultInit:
			fr := f.fire(call, FaultError, FaultFunctionError, FaultCrash)
			if fr == nil {
				return lambda.Fault{}
			}
			lf := lambda.Fault{Delay: fr.f.Latency, Crash: fr.f.Kind == FaultCrash}
			if fr.f.Kind != FaultCrash && (fr.f.Code != "" || fr.f.Kind == FaultFunctionError) {
				lf.FunctionError = fr.functionError()
			}
			return lf
		case lambda.FaultEnqueue:
			fr := f.fire(call, FaultError, FaultDuplicate)
			if fr == nil {
				return lambda.Fault{}
			}
			if err := f.wait(ctx, fr); err != nil {
				return lambda.Fault{Err: err}
			}
			if fr.f.Kind == FaultDuplicate {
				return lambda.Fault{Duplicate: true}
			}
			return lambda.Fault{Err: lambdaAPIError(fr)}
		}
		fr := f.fire(call, FaultError, FaultFunctionError, FaultCrash, FaultTimeout)
		if fr == nil {
			return lambda.Fault{}
		}
		if err := f.wait(ctx, fr); err != nil {
			return lambda.Fault{Err: err}
		}
		switch fr.f.Kind {
		case FaultFunctionError:
			return lambda.Fault{FunctionError: fr.functionError()}
		case FaultCrash:
			return lambda.Fault{Crash: true}
		case FaultTimeout:
			return lambda.Fault{Timeout: true}
		}
		return lambda.Fault{Err: lambdaAPIError(fr)}
	}
}

// lambdaAPIError is a FaultError's error for Lambda, nil when it has no
// Code (latency only). A TooManyRequestsException carries Lambda's
// throttle detail, so that the caller sees a Reason and asynchronous
// events are retried as after a throttle.
func lambdaAPIError(fr *firing) error {
	e := fr.err()
	if e == nil {
		return nil
	}
	if e.Code == "TooManyRequestsException" {
		e.Err = &lambda.ThrottleError{Reason: lambda.ReasonConcurrentInvocationLimitExceeded, Type: "User"}
	}
	return e
}

// functionError is the error document a rule fails a Lambda invocation or
// init with: errorType Code ("Error" when empty), errorMessage Message.
func (fr *firing) functionError() *lambda.FunctionError {
	t := fr.f.Code
	if t == "" {
		t = "Error"
	}
	msg := fr.f.Message
	if msg == "" {
		msg = "Injected fault " + fr.id
	}
	return &lambda.FunctionError{FunctionError: lambda.FunctionErrorUnhandled, ErrorType: t, ErrorMessage: msg}
}
