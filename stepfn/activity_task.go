package stepfn

import (
	"context"
	"strings"
	"time"
)

// ActivityScheduledEventDetails are the details of ActivityScheduled: the
// activity's ARN, the input handed to the worker and the Task's timeouts.
type ActivityScheduledEventDetails struct {
	Resource           string                            `json:"resource"`
	Input              string                            `json:"input"`
	InputDetails       *HistoryEventExecutionDataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds   int64                             `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds int64                             `json:"heartbeatInSeconds,omitempty"`
}

// ActivityStartedEventDetails are the details of ActivityStarted: the
// workerName the worker gave GetActivityTask.
type ActivityStartedEventDetails struct {
	WorkerName string `json:"workerName,omitempty"`
}

// ActivitySucceededEventDetails are the details of ActivitySucceeded: the
// Output of SendTaskSuccess.
type ActivitySucceededEventDetails struct {
	Output        string                            `json:"output"`
	OutputDetails *HistoryEventExecutionDataDetails `json:"outputDetails,omitempty"`
}

// activityTask runs a Task state whose Resource is an activity: it queues
// the effective input with a fresh task token for a worker's
// GetActivityTask (ActivityScheduled), waits for a worker to take it
// (ActivityStarted), and then waits, under the Task's TimeoutSeconds and
// HeartbeatSeconds, which count from ActivityStarted as AWS documents,
// for SendTaskSuccess (ActivitySucceeded) or SendTaskFailure
// (ActivityFailed); a timeout is ActivityTimedOut. Until a worker takes
// the task only the execution's own timeout applies. An activity that
// does not exist fails the Task at once with ActivityScheduleFailed and
// the error ActivityDoesNotExist.
func (e *execution) activityTask(ctx context.Context, sr *stateRun, params any, th *thread, timeout, heartbeat time.Duration) (any, *stateError) {
	st := sr.st
	input := encodeJSON(params)
	e.emit(th, HistoryEvent{Type: "ActivityScheduled", ActivityScheduledEventDetails: &ActivityScheduledEventDetails{
		Resource: st.resource, Input: input, InputDetails: notTruncated,
		TimeoutInSeconds: int64(timeout / time.Second), HeartbeatInSeconds: int64(heartbeat / time.Second)}})
	token := e.svc.newTaskToken(e.arn)
	w := e.svc.waitFor(token)
	defer e.svc.release(w)
	// The worker may heartbeat as soon as it holds the token, before the
	// Task's loop runs: its heartbeat line exists before the task is
	// offered.
	beat := e.newBeat()
	w.setBeat(beat)
	t := &activityTask{token: token, input: input, taken: make(chan string, 1)}
	if !e.svc.schedule(st.resource, t) {
		serr := &stateError{name: ErrActivityDoesNotExist.Code, cause: "Activity Does Not Exist: '" + st.resource + "'"}
		e.emit(th, HistoryEvent{Type: "ActivityScheduleFailed", ActivityScheduleFailedEventDetails: &FailureEventDetails{Error: serr.name, Cause: serr.cause}})
		return nil, serr
	}
	defer e.svc.unschedule(st.resource, t)
	worker, serr := e.awaitWorker(ctx, t)
	if serr != nil {
		return nil, serr
	}
	e.emit(th, HistoryEvent{Type: "ActivityStarted", ActivityStartedEventDetails: &ActivityStartedEventDetails{WorkerName: worker}})
	res := ResourceFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		select {
		case <-w.done:
			w.mu.Lock()
			defer w.mu.Unlock()
			if w.failure != nil {
				return nil, w.failure
			}
			return w.output, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	})
	out, serr := e.invokeBeat(ctx, res, nil, timeout, heartbeat, beat)
	fail := func(typ string, serr *stateError) *stateError {
		d := &FailureEventDetails{Error: serr.name, Cause: serr.cause}
		ev := HistoryEvent{Type: "Activity" + typ}
		if typ == "Failed" {
			ev.ActivityFailedEventDetails = d
		} else {
			ev.ActivityTimedOutEventDetails = d
		}
		e.emit(th, ev)
		return serr
	}
	switch {
	case aborted(serr):
		return nil, serr
	case serr != nil && (serr.name == ErrorTimeout || serr.name == ErrorHeartbeatTimeout):
		return nil, fail("TimedOut", serr)
	case serr != nil:
		return nil, fail("Failed", serr)
	}
	var result any
	if len(strings.TrimSpace(string(out))) > 0 {
		v, err := decodeJSON(out)
		if err != nil {
			return nil, fail("Failed", &stateError{name: ErrorTaskFailed, cause: "The activity returned a result that is not JSON: " + err.Error()})
		}
		result = v
	}
	e.emit(th, HistoryEvent{Type: "ActivitySucceeded", ActivitySucceededEventDetails: &ActivitySucceededEventDetails{Output: encodeJSON(result), OutputDetails: notTruncated}})
	return result, nil
}

// awaitWorker waits for a worker to take the task, for as long as the
// execution runs: a timer is set only when the execution has a
// TimeoutSeconds, so that its deadline ends the wait.
func (e *execution) awaitWorker(ctx context.Context, t *activityTask) (string, *stateError) {
	var deadline <-chan time.Time
	if e.def.timeoutSeconds > 0 || e.express {
		timer := e.svc.clock.NewTimer(max(e.deadline.Sub(e.svc.clock.Now()), 0))
		defer timer.Stop()
		deadline = timer.C()
	}
	select {
	case worker := <-t.taken:
		return worker, nil
	case <-deadline:
		e.cancel(timeoutCause{})
		return "", errAborted
	case <-ctx.Done():
		return "", errAborted
	}
}
