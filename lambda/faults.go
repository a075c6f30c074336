package lambda

import (
	"context"
	"time"
)

// FaultPoint is where an invocation consults [Options].Faults.
type FaultPoint int

const (
	// FaultInvoke is each invocation, before it takes a unit of
	// concurrency: a synchronous Invoke, each attempt of an asynchronous
	// event, each batch of an event source mapping.
	FaultInvoke FaultPoint = iota
	// FaultInit is the init of each new execution environment (a cold
	// start), before the handler's own init.
	FaultInit
	// FaultEnqueue is each asynchronous event as Invoke queues it.
	FaultEnqueue
)

// String names the point as the fault rules of the root package do:
// "Invoke", "Init" or "Event".
func (p FaultPoint) String() string {
	switch p {
	case FaultInit:
		return "Init"
	case FaultEnqueue:
		return "Event"
	}
	return "Invoke"
}

// Fault is what [Options].Faults injects at a [FaultPoint]; the zero
// value injects nothing. The fields are tried in order: Err, Delay,
// FunctionError, Crash, Timeout, Duplicate.
type Fault struct {
	// Err fails the Invoke call itself with this API error at FaultInvoke
	// or FaultEnqueue, as a throttle (TooManyRequestsException, HTTP 429,
	// counted in the Throttles metric; asynchronous events are retried as
	// after a throttle when it carries a [ThrottleError]) or a service
	// error would.
	Err error
	// Delay lengthens the init on the clock at FaultInit (a slow cold
	// start); the handler's init then runs as usual.
	Delay time.Duration
	// FunctionError fails the invocation (FaultInvoke) or the init
	// (FaultInit) with this error document, as if the handler had
	// returned it: FunctionError Unhandled, the handler not run.
	FunctionError *FunctionError
	// Crash makes the runtime exit with status 1, in the invocation
	// (FaultInvoke) or during init (FaultInit): errorType
	// Runtime.ExitError, "RequestId: … Error: Runtime exited with error:
	// exit status 1", and the execution environment is discarded.
	Crash bool
	// Timeout makes the invocation hang until the function's timeout on
	// the clock (FaultInvoke): it ends with Sandbox.Timedout, "Task timed
	// out after N.NN seconds", and the environment is discarded.
	Timeout bool
	// Duplicate delivers the event twice, with the same request ID
	// (FaultEnqueue), as Lambda's at-least-once asynchronous delivery may.
	Duplicate bool
}

// FaultFunc is the hook of [Options].Faults: it is called at each point
// with the function's name and the event (nil at FaultInit), and returns
// the fault to inject. It may block only for FaultInit's Delay, which the
// service sleeps itself.
type FaultFunc func(ctx context.Context, at FaultPoint, functionName string, payload []byte) Fault

// fault consults the hook.
func (s *Service) fault(ctx context.Context, at FaultPoint, name string, payload []byte) Fault {
	if s.faults == nil {
		return Fault{}
	}
	return s.faults(ctx, at, name, payload)
}

// exitStatus1 is how a crashed runtime's exit is reported.
const exitStatus1 = "Runtime exited with error: exit status 1"

// injected is the handler result of an invocation's injected fault, and
// whether there is one. A Timeout waits for the deadline, which ends the
// invocation first.
func (inv *invocation) injected(ctx context.Context) (handlerResult, bool) {
	f := inv.fault
	switch {
	case f.FunctionError != nil:
		c := *f.FunctionError
		c.FunctionError = FunctionErrorUnhandled
		return handlerResult{ferr: &c}, true
	case f.Crash:
		return handlerResult{ferr: &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Runtime.ExitError",
			ErrorMessage: "RequestId: " + inv.requestID + " Error: " + exitStatus1}, crashed: true, exit: exitStatus1}, true
	case f.Timeout:
		<-ctx.Done()
		return handlerResult{ferr: &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Runtime.Unknown",
			ErrorMessage: "RequestId: " + inv.requestID + " Error: the invocation ended before its timeout"}, crashed: true}, true
	}
	return handlerResult{}, false
}

// initFault applies a FaultInit fault: its delay, then its failure.
func (s *Service) initFault(ctx context.Context, f Fault) *FunctionError {
	if f.Delay > 0 {
		if err := s.clock.Sleep(ctx, f.Delay); err != nil {
			return &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Runtime.Unknown", ErrorMessage: "init interrupted: " + err.Error()}
		}
	}
	switch {
	case f.FunctionError != nil:
		c := *f.FunctionError
		c.FunctionError = FunctionErrorUnhandled
		return &c
	case f.Crash:
		return &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Runtime.ExitError", ErrorMessage: "Error: " + exitStatus1, exit: exitStatus1}
	}
	return nil
}
