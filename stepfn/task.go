package stepfn

import (
	"context"
	"errors"
	"github.com/minicloud/minicloud/clock"
	"strings"
	"sync/atomic"
	"time"

	"github.com/minicloud/minicloud/internal/awserr"
)

var (
	// ErrTaskDoesNotExist is TaskDoesNotExist: SendTaskHeartbeat was
	// called with a context that belongs to no running Task.
	ErrTaskDoesNotExist = awserr.New("TaskDoesNotExist", 400, "")
	// ErrTaskTimedOut is TaskTimedOut: the Task already timed out, missed
	// a heartbeat, or ended.
	ErrTaskTimedOut = awserr.New("TaskTimedOut", 400, "")
)

type heartbeatKey struct{}

// taskBeat is the heartbeat line of one running Task.
type taskBeat struct {
	ch    chan struct{}
	ctx   context.Context
	clock clock.Clock
	last  atomic.Int64 // when the last heartbeat was sent, in Unix nanoseconds
}

// send records a heartbeat at the time it is sent, so that the Task's
// heartbeat deadline moves from that instant however late the Task's
// loop gets to it, and wakes the loop.
func (b *taskBeat) send() { b.sendAt(b.clock.Now()) }

// sendAt records a heartbeat sent at t and wakes the Task's loop.
func (b *taskBeat) sendAt(t time.Time) {
	if n := t.UnixNano(); n > b.last.Load() {
		b.last.Store(n)
	}
	select {
	case b.ch <- struct{}{}:
	default:
	}
}

// lastBeat returns when the last heartbeat was sent (zero if none).
func (b *taskBeat) lastBeat() time.Time {
	if n := b.last.Load(); n != 0 {
		return time.Unix(0, n)
	}
	return time.Time{}
}

// SendTaskHeartbeat reports that the Task whose resource received ctx is
// still working, as SendTaskHeartbeat does for a task token: a Task with
// HeartbeatSeconds fails with States.HeartbeatTimeout when that long
// passes without one. It fails with TaskDoesNotExist for a context that
// no Task gave, and TaskTimedOut once the Task has ended.
func SendTaskHeartbeat(ctx context.Context) error {
	b, ok := ctx.Value(heartbeatKey{}).(*taskBeat)
	if !ok {
		return ErrTaskDoesNotExist.New("Task Does Not Exist: the context belongs to no running Task")
	}
	if b.ctx.Err() != nil {
		return ErrTaskTimedOut.New("Task Timed Out: the Task has ended")
	}
	b.send()
	return nil
}

// taskTarget is how a Task's Resource is called and reported.
type taskTarget struct {
	lambda       bool // a function ARN: LambdaFunction* events
	invoke       bool // arn:aws:states:::lambda:invoke: the result is wrapped
	resourceType string
	resource     string
	arn          string
}

func classifyResource(arn string) taskTarget {
	parts := strings.SplitN(arn, ":", 7)
	t := taskTarget{arn: arn}
	if len(parts) >= 7 && parts[2] == "lambda" && parts[5] == "function" {
		t.lambda = true
		return t
	}
	if len(parts) >= 7 && parts[2] == "states" && parts[3] == "" && parts[4] == "" {
		t.resourceType = parts[5]
		t.resource = parts[6]
		t.invoke = parts[5] == "lambda" && strings.HasPrefix(parts[6], "invoke")
		return t
	}
	t.resourceType = parts[2]
	t.resource = strings.Join(parts[5:], ":")
	return t
}

type taskResult struct {
	out []byte
	err error
}

// task calls the Task's resource with params, on the clock, under its
// timeout and heartbeat, and records its events.
func (e *execution) task(ctx context.Context, sr *stateRun, eff, params any, th *thread) (any, *stateError) {
	st := sr.st
	tgt := classifyResource(st.resource)
	var timeout, heartbeat time.Duration
	var serr *stateError
	if st.jsonata {
		timeout, serr = sr.ataSeconds(st.timeoutSeconds, st.ataTimeout, eff, "TimeoutSeconds")
		if serr == nil {
			heartbeat, serr = sr.ataSeconds(st.heartbeatSeconds, st.ataHeartbeat, eff, "HeartbeatSeconds")
		}
	} else {
		timeout, serr = sr.seconds(st.timeoutSeconds, st.timeoutPath, eff, "TimeoutSecondsPath")
		if serr == nil {
			heartbeat, serr = sr.seconds(st.heartbeatSeconds, st.heartbeatPath, eff, "HeartbeatSecondsPath")
		}
	}
	if serr != nil {
		return nil, serr
	}
	if isActivityArn(st.resource) {
		return e.activityTask(ctx, sr, params, th, timeout, heartbeat)
	}
	base, pattern := integrationPattern(st.resource)
	res, found := e.svc.resource(st.resource)
	if !found && pattern != "" {
		res, found = e.svc.resource(base)
	}
	if job, ok := res.(JobResource); ok && (pattern == patternSync || pattern == patternSync2) {
		res = syncJob{job}
	}
	payload := params
	if tgt.invoke {
		m, _ := params.(map[string]any)
		fn, _ := m["FunctionName"].(string)
		var arn string
		res, arn, found = e.svc.lambdaByName(fn)
		if fn == "" {
			found = false
			arn = "(no FunctionName)"
		}
		payload = m["Payload"]
		tgt.arn = arn
	}
	paramsJSON := encodeJSON(params)
	if tgt.lambda {
		e.emit(th, HistoryEvent{Type: "LambdaFunctionScheduled", LambdaFunctionScheduledEventDetails: &LambdaFunctionScheduledEventDetails{
			Resource: st.resource, Input: paramsJSON, InputDetails: notTruncated, TimeoutInSeconds: int64(timeout / time.Second)}})
		e.emit(th, HistoryEvent{Type: "LambdaFunctionStarted"})
	} else {
		e.emit(th, HistoryEvent{Type: "TaskScheduled", TaskScheduledEventDetails: &TaskScheduledEventDetails{
			ResourceType: tgt.resourceType, Resource: tgt.resource, Region: e.svc.region, Parameters: paramsJSON,
			TimeoutInSeconds: int64(timeout / time.Second), HeartbeatInSeconds: int64(heartbeat / time.Second)}})
		e.emit(th, HistoryEvent{Type: "TaskStarted", TaskStartedEventDetails: &TaskStartedEventDetails{ResourceType: tgt.resourceType, Resource: tgt.resource}})
	}
	fail := func(typ, name, cause string) *stateError {
		if tgt.lambda {
			ev := HistoryEvent{Type: "LambdaFunction" + typ}
			d := &FailureEventDetails{Error: name, Cause: cause}
			if typ == "Failed" {
				ev.LambdaFunctionFailedEventDetails = d
			} else {
				ev.LambdaFunctionTimedOutEventDetails = d
			}
			e.emit(th, ev)
		} else {
			ev := HistoryEvent{Type: "Task" + typ}
			d := &TaskFailedEventDetails{ResourceType: tgt.resourceType, Resource: tgt.resource, Error: name, Cause: cause}
			if typ == "Failed" {
				ev.TaskFailedEventDetails = d
			} else {
				ev.TaskTimedOutEventDetails = d
			}
			e.emit(th, ev)
		}
		return &stateError{name: name, cause: cause}
	}

	guard := &submitGuard{emit: func(out string) {
		e.emit(th, HistoryEvent{Type: "TaskSubmitted", TaskSubmittedEventDetails: &TaskSubmittedEventDetails{
			ResourceType: tgt.resourceType, Resource: tgt.resource, Output: out, OutputDetails: notTruncated}})
	}}
	if !found && !tgt.lambda && !tgt.invoke {
		res, found = e.builtin(base, pattern, guard)
	}
	if !found {
		if tgt.lambda || tgt.invoke {
			return nil, fail("Failed", "Lambda.ResourceNotFoundException", "Function not found: "+tgt.arn+" (Service: Lambda, Status Code: 404, Request ID: "+e.svc.rnd.uuid()+")")
		}
		return nil, fail("Failed", ErrorTaskFailed, "No resource is registered for "+st.resource+" (register one with Service.RegisterResource)")
	}
	var waiting *waitingTask
	if found && pattern == patternCallback {
		if sr.taskToken == "" {
			sr.taskToken = e.svc.newTaskToken(e.arn)
		}
		waiting = e.svc.waitFor(sr.taskToken)
		wrap := func(b []byte) []byte { return b }
		if tgt.invoke {
			wrap = func(b []byte) []byte { return []byte(encodeJSON(lambdaInvokeResult(b))) }
		}
		res = callback(res, waiting, guard, wrap)
	}
	out, serr := e.invoke(ctx, res, []byte(encodeJSON(payload)), timeout, heartbeat)
	guard.end()
	if waiting != nil {
		e.svc.release(waiting)
	}
	switch {
	case aborted(serr):
		return nil, serr
	case serr != nil && (serr.name == ErrorTimeout || serr.name == ErrorHeartbeatTimeout):
		return nil, fail("TimedOut", serr.name, serr.cause)
	case serr != nil:
		if (tgt.lambda || tgt.invoke) && serr.coded && !strings.HasPrefix(serr.name, "Lambda.") {
			// Step Functions names Lambda's service exceptions Lambda.X.
			serr.name = "Lambda." + serr.name
		}
		return nil, fail("Failed", serr.name, serr.cause)
	}
	if len(out) > e.svc.limits.MaxPayloadSize {
		who := st.resource
		if !tgt.lambda {
			who = tgt.resourceType
		}
		return nil, fail("Failed", ErrorDataLimitExceeded, "The state/task '"+who+"' returned a result with a size exceeding the maximum number of bytes service limit.")
	}
	var result any
	if len(strings.TrimSpace(string(out))) > 0 {
		v, err := decodeJSON(out)
		if err != nil {
			return nil, fail("Failed", ErrorTaskFailed, "The resource returned a result that is not JSON: "+err.Error())
		}
		result = v
	}
	if tgt.invoke && pattern == "" {
		result = map[string]any{"ExecutedVersion": "$LATEST", "Payload": result, "StatusCode": intNumber(200)}
	}
	outJSON := encodeJSON(result)
	if tgt.lambda {
		e.emit(th, HistoryEvent{Type: "LambdaFunctionSucceeded", LambdaFunctionSucceededEventDetails: &LambdaFunctionSucceededEventDetails{Output: outJSON, OutputDetails: notTruncated}})
	} else {
		e.emit(th, HistoryEvent{Type: "TaskSucceeded", TaskSucceededEventDetails: &TaskSucceededEventDetails{
			ResourceType: tgt.resourceType, Resource: tgt.resource, Output: outJSON, OutputDetails: notTruncated}})
	}
	return result, nil
}

// seconds reads TimeoutSeconds / HeartbeatSeconds or their *Path form;
// 0 means not set.
func (sr *stateRun) seconds(fixed int64, path *jsonPath, eff any, field string) (time.Duration, *stateError) {
	if path == nil {
		return time.Duration(fixed) * time.Second, nil
	}
	v, err := sr.env(eff).evalPath(path)
	n, ok := asInt(v)
	if err != nil || !ok || n <= 0 || n > maxTimeoutSeconds {
		return 0, sr.runtime("The value of the field '%s' must reference a positive integer, got '%s'", field, path.src)
	}
	return time.Duration(n) * time.Second, nil
}

// invoke runs the resource on its own goroutine and waits for it, for
// the timeout, for a missed heartbeat, for the execution's deadline, or
// for ctx, whichever comes first.
//
// A Task with no TimeoutSeconds or HeartbeatSeconds, in a Standard
// execution with no TimeoutSeconds, sets no timer while its resource
// runs: its only limits are the default 99,999,999 seconds and the
// one-year maximum duration, and leaving the clock alone lets a test on a
// manual clock count exactly the Wait states and retry intervals pending.
func (e *execution) invoke(ctx context.Context, res Resource, input []byte, timeout, heartbeat time.Duration) ([]byte, *stateError) {
	return e.invokeBeat(ctx, res, input, timeout, heartbeat, e.newBeat())
}

// newBeat returns a heartbeat line for a Task about to run.
func (e *execution) newBeat() *taskBeat {
	return &taskBeat{ch: make(chan struct{}, 1), clock: e.svc.clock}
}

// invokeBeat is invoke with the Task's heartbeat line made beforehand, so
// that a worker holding the task before the resource runs (an activity)
// can already heartbeat.
func (e *execution) invokeBeat(ctx context.Context, res Resource, input []byte, timeout, heartbeat time.Duration, beat *taskBeat) ([]byte, *stateError) {
	needTimer := timeout > 0 || heartbeat > 0 || e.def.timeoutSeconds > 0 || e.express
	if timeout <= 0 {
		timeout = defaultTaskTimeout
	}
	taskCtx, cancel := context.WithCancel(ctx)
	beat.ctx = taskCtx
	taskCtx = context.WithValue(taskCtx, heartbeatKey{}, beat)
	done := make(chan taskResult, 1)
	e.svc.wg.Add(1)
	go func() {
		defer e.svc.wg.Done()
		out, err := res.Invoke(taskCtx, input)
		done <- taskResult{out, err}
	}()
	defer cancel()
	result := func(r taskResult) ([]byte, *stateError) {
		if r.err != nil {
			te := AsTaskError(r.err)
			var coded interface{ ErrorCode() string }
			return nil, &stateError{name: te.Name, cause: te.Cause, coded: errors.As(r.err, &coded)}
		}
		return r.out, nil
	}
	if !needTimer {
		select {
		case r := <-done:
			return result(r)
		case <-ctx.Done():
			return nil, errAborted
		}
	}

	now := e.svc.clock.Now()
	timeoutAt := now.Add(timeout)
	beatAt := time.Time{}
	if heartbeat > 0 {
		beatAt = now.Add(heartbeat)
	}
	for {
		due, what := timeoutAt, ErrorTimeout
		if !beatAt.IsZero() && beatAt.Before(due) {
			due, what = beatAt, ErrorHeartbeatTimeout
		}
		t, deadline := e.timer(due.Sub(e.svc.clock.Now()))
		select {
		case r := <-done:
			t.Stop()
			return result(r)
		case <-beat.ch:
			t.Stop()
			if heartbeat > 0 {
				beatAt = beat.lastBeat().Add(heartbeat)
			}
		case <-t.C():
			if deadline {
				e.cancel(timeoutCause{})
				return nil, errAborted
			}
			if what == ErrorHeartbeatTimeout {
				// A heartbeat sent before the deadline counts even if this
				// loop has not seen it yet.
				if last := beat.lastBeat(); !last.After(beatAt) && last.Add(heartbeat).After(beatAt) {
					beatAt = last.Add(heartbeat)
					continue
				}
			}
			return nil, &stateError{name: what}
		case <-ctx.Done():
			t.Stop()
			return nil, errAborted
		}
	}
}

// lambdaInvokeResult wraps a function's response as lambda:invoke
// returns it.
func lambdaInvokeResult(out []byte) any {
	v, err := decodeJSON(out)
	if err != nil {
		v = string(out)
	}
	return map[string]any{"ExecutedVersion": "$LATEST", "Payload": v, "StatusCode": intNumber(200)}
}
