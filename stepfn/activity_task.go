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
// GetActivityTask (ActivityScheduled), records the worker taking it
// (ActivityStarted), and waits, under the Task's TimeoutSeconds and
// HeartbeatSeconds, for SendTaskSuccess (ActivitySucceeded) or
// SendTaskFailure (ActivityFailed); a timeout is ActivityTimedOut. An
// activity that does not exist fails the Task at once with
// ActivityScheduleFailed and the error ActivityDoesNotExist.
func (e *execution) activityTask(ctx context.Context, sr *stateRun, params any, th *thread, timeout, heartbeat time.Duration) (any, *stateError) {
	st := sr.st
	input := encodeJSON(params)
	e.emit(th, HistoryEvent{Type: "ActivityScheduled", ActivityScheduledEventDetails: &ActivityScheduledEventDetails{
		Resource: st.resource, Input: input, InputDetails: notTruncated,
		TimeoutInSeconds: int64(timeout / time.Second), HeartbeatInSeconds: int64(heartbeat / time.Second)}})
	token := e.svc.newTaskToken(e.arn)
	w := e.svc.waitFor(token)
	t := &activityTask{token: token, input: input, taken: make(chan string, 1)}
	if !e.svc.schedule(st.resource, t) {
		e.svc.release(w)
		serr := &stateError{name: ErrActivityDoesNotExist.Code, cause: "Activity Does Not Exist: '" + st.resource + "'"}
		e.emit(th, HistoryEvent{Type: "ActivityScheduleFailed", ActivityScheduleFailedEventDetails: &FailureEventDetails{Error: serr.name, Cause: serr.cause}})
		return nil, serr
	}
	started := &submitGuard{emit: func(worker string) {
		e.emit(th, HistoryEvent{Type: "ActivityStarted", ActivityStartedEventDetails: &ActivityStartedEventDetails{WorkerName: worker}})
	}}
	res := ResourceFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
		b, _ := ctx.Value(heartbeatKey{}).(*taskBeat)
		if b != nil {
			w.beat.Store(b)
		}
		// The worker's SendTask* calls can only follow its taking the
		// task, so waiting for the take first loses nothing.
		select {
		case worker := <-t.taken:
			started.submitted([]byte(worker))
			if b != nil {
				// Taking the task counts as the first heartbeat.
				select {
				case b.ch <- struct{}{}:
				default:
				}
			}
		case <-ctx.Done():
			return nil, ctx.Err()
		}
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
	out, serr := e.invoke(ctx, res, nil, timeout, heartbeat)
	started.end()
	e.svc.unschedule(st.resource, t)
	e.svc.release(w)
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
