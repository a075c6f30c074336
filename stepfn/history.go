package stepfn

import (
	"context"
	"time"
)

// HistoryEvent is one event of an execution's history, as
// GetExecutionHistory returns it: its type, its id (from 1), the id of the
// event that led to it (0 when none does) and the details of its type.
// Inputs and outputs in details are JSON text, as in AWS's API.
type HistoryEvent struct {
	Timestamp       time.Time `json:"timestamp"`
	Type            string    `json:"type"`
	ID              int64     `json:"id"`
	PreviousEventID int64     `json:"previousEventId"`

	ExecutionStartedEventDetails        *ExecutionStartedEventDetails        `json:"executionStartedEventDetails,omitempty"`
	ExecutionSucceededEventDetails      *ExecutionSucceededEventDetails      `json:"executionSucceededEventDetails,omitempty"`
	ExecutionFailedEventDetails         *FailureEventDetails                 `json:"executionFailedEventDetails,omitempty"`
	ExecutionAbortedEventDetails        *FailureEventDetails                 `json:"executionAbortedEventDetails,omitempty"`
	ExecutionTimedOutEventDetails       *FailureEventDetails                 `json:"executionTimedOutEventDetails,omitempty"`
	StateEnteredEventDetails            *StateEnteredEventDetails            `json:"stateEnteredEventDetails,omitempty"`
	StateExitedEventDetails             *StateExitedEventDetails             `json:"stateExitedEventDetails,omitempty"`
	TaskScheduledEventDetails           *TaskScheduledEventDetails           `json:"taskScheduledEventDetails,omitempty"`
	TaskStartedEventDetails             *TaskStartedEventDetails             `json:"taskStartedEventDetails,omitempty"`
	TaskSubmittedEventDetails           *TaskSubmittedEventDetails           `json:"taskSubmittedEventDetails,omitempty"`
	TaskSucceededEventDetails           *TaskSucceededEventDetails           `json:"taskSucceededEventDetails,omitempty"`
	TaskFailedEventDetails              *TaskFailedEventDetails              `json:"taskFailedEventDetails,omitempty"`
	TaskTimedOutEventDetails            *TaskFailedEventDetails              `json:"taskTimedOutEventDetails,omitempty"`
	LambdaFunctionScheduledEventDetails *LambdaFunctionScheduledEventDetails `json:"lambdaFunctionScheduledEventDetails,omitempty"`
	LambdaFunctionSucceededEventDetails *LambdaFunctionSucceededEventDetails `json:"lambdaFunctionSucceededEventDetails,omitempty"`
	LambdaFunctionFailedEventDetails    *FailureEventDetails                 `json:"lambdaFunctionFailedEventDetails,omitempty"`
	LambdaFunctionTimedOutEventDetails  *FailureEventDetails                 `json:"lambdaFunctionTimedOutEventDetails,omitempty"`
	MapStateStartedEventDetails         *MapStateStartedEventDetails         `json:"mapStateStartedEventDetails,omitempty"`
	MapIterationStartedEventDetails     *MapIterationEventDetails            `json:"mapIterationStartedEventDetails,omitempty"`
	MapIterationSucceededEventDetails   *MapIterationEventDetails            `json:"mapIterationSucceededEventDetails,omitempty"`
	MapIterationFailedEventDetails      *MapIterationEventDetails            `json:"mapIterationFailedEventDetails,omitempty"`
	MapIterationAbortedEventDetails     *MapIterationEventDetails            `json:"mapIterationAbortedEventDetails,omitempty"`
	MapRunStartedEventDetails           *MapRunStartedEventDetails           `json:"mapRunStartedEventDetails,omitempty"`
	MapRunFailedEventDetails            *FailureEventDetails                 `json:"mapRunFailedEventDetails,omitempty"`
	EvaluationFailedEventDetails        *EvaluationFailedEventDetails        `json:"evaluationFailedEventDetails,omitempty"`
	ActivityScheduledEventDetails       *ActivityScheduledEventDetails       `json:"activityScheduledEventDetails,omitempty"`
	ActivityScheduleFailedEventDetails  *FailureEventDetails                 `json:"activityScheduleFailedEventDetails,omitempty"`
	ActivityStartedEventDetails         *ActivityStartedEventDetails         `json:"activityStartedEventDetails,omitempty"`
	ActivitySucceededEventDetails       *ActivitySucceededEventDetails       `json:"activitySucceededEventDetails,omitempty"`
	ActivityFailedEventDetails          *FailureEventDetails                 `json:"activityFailedEventDetails,omitempty"`
	ActivityTimedOutEventDetails        *FailureEventDetails                 `json:"activityTimedOutEventDetails,omitempty"`
}

// HistoryEventExecutionDataDetails says whether a payload in an event was
// truncated. minicloud never truncates.
type HistoryEventExecutionDataDetails struct {
	Truncated bool `json:"truncated"`
}

// ExecutionStartedEventDetails are the details of ExecutionStarted.
type ExecutionStartedEventDetails struct {
	Input        string                            `json:"input"`
	InputDetails *HistoryEventExecutionDataDetails `json:"inputDetails,omitempty"`
	RoleArn      string                            `json:"roleArn,omitempty"`
	// StateMachineAliasArn is the alias the execution was started with.
	StateMachineAliasArn string `json:"stateMachineAliasArn,omitempty"`
	// StateMachineVersionArn is the version the execution runs, when it
	// was started with a version or alias ARN.
	StateMachineVersionArn string `json:"stateMachineVersionArn,omitempty"`
}

// ExecutionSucceededEventDetails are the details of ExecutionSucceeded.
type ExecutionSucceededEventDetails struct {
	Output        string                            `json:"output"`
	OutputDetails *HistoryEventExecutionDataDetails `json:"outputDetails,omitempty"`
}

// FailureEventDetails carry an error name and cause: the details of
// ExecutionFailed, ExecutionAborted, ExecutionTimedOut,
// LambdaFunctionFailed, LambdaFunctionTimedOut, MapRunFailed,
// ActivityScheduleFailed, ActivityFailed and ActivityTimedOut.
type FailureEventDetails struct {
	Error string `json:"error,omitempty"`
	Cause string `json:"cause,omitempty"`
}

// StateEnteredEventDetails are the details of every *StateEntered event.
type StateEnteredEventDetails struct {
	Name         string                            `json:"name"`
	Input        string                            `json:"input"`
	InputDetails *HistoryEventExecutionDataDetails `json:"inputDetails,omitempty"`
}

// StateExitedEventDetails are the details of every *StateExited event.
type StateExitedEventDetails struct {
	Name          string                            `json:"name"`
	Output        string                            `json:"output"`
	OutputDetails *HistoryEventExecutionDataDetails `json:"outputDetails,omitempty"`
	// AssignedVariables are the variables the state assigned, each as
	// JSON text.
	AssignedVariables map[string]string `json:"assignedVariables,omitempty"`
	// AssignedVariablesDetails is present when AssignedVariables is.
	AssignedVariablesDetails *AssignedVariablesDetails `json:"assignedVariablesDetails,omitempty"`
}

// TaskScheduledEventDetails are the details of TaskScheduled: the
// service integration (resourceType "lambda", resource "invoke" for
// arn:aws:states:::lambda:invoke) and the parameters sent.
type TaskScheduledEventDetails struct {
	ResourceType       string `json:"resourceType"`
	Resource           string `json:"resource"`
	Region             string `json:"region"`
	Parameters         string `json:"parameters"`
	TimeoutInSeconds   int64  `json:"timeoutInSeconds,omitempty"`
	HeartbeatInSeconds int64  `json:"heartbeatInSeconds,omitempty"`
}

// TaskStartedEventDetails are the details of TaskStarted.
type TaskStartedEventDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
}

// TaskSucceededEventDetails are the details of TaskSucceeded.
type TaskSucceededEventDetails struct {
	ResourceType  string                            `json:"resourceType"`
	Resource      string                            `json:"resource"`
	Output        string                            `json:"output"`
	OutputDetails *HistoryEventExecutionDataDetails `json:"outputDetails,omitempty"`
}

// TaskSubmittedEventDetails are the details of TaskSubmitted: a .sync or
// .waitForTaskToken Task's service call was accepted, with the service's
// response (a started execution's ARN, a sent message's id), and the
// Task now waits for the job or the callback.
type TaskSubmittedEventDetails struct {
	ResourceType  string                            `json:"resourceType"`
	Resource      string                            `json:"resource"`
	Output        string                            `json:"output"`
	OutputDetails *HistoryEventExecutionDataDetails `json:"outputDetails,omitempty"`
}

// TaskFailedEventDetails are the details of TaskFailed and TaskTimedOut.
type TaskFailedEventDetails struct {
	ResourceType string `json:"resourceType"`
	Resource     string `json:"resource"`
	Error        string `json:"error,omitempty"`
	Cause        string `json:"cause,omitempty"`
}

// LambdaFunctionScheduledEventDetails are the details of
// LambdaFunctionScheduled, for a Task whose Resource is a function ARN.
type LambdaFunctionScheduledEventDetails struct {
	Resource         string                            `json:"resource"`
	Input            string                            `json:"input"`
	InputDetails     *HistoryEventExecutionDataDetails `json:"inputDetails,omitempty"`
	TimeoutInSeconds int64                             `json:"timeoutInSeconds,omitempty"`
}

// LambdaFunctionSucceededEventDetails are the details of
// LambdaFunctionSucceeded.
type LambdaFunctionSucceededEventDetails struct {
	Output        string                            `json:"output"`
	OutputDetails *HistoryEventExecutionDataDetails `json:"outputDetails,omitempty"`
}

// MapStateStartedEventDetails are the details of MapStateStarted: how
// many items the Map state processes.
type MapStateStartedEventDetails struct {
	Length int `json:"length"`
}

// MapIterationEventDetails name the Map state and the item index of a
// MapIteration* event.
type MapIterationEventDetails struct {
	Name  string `json:"name"`
	Index int    `json:"index"`
}

// MapRunStartedEventDetails are the details of MapRunStarted, for a Map
// state in DISTRIBUTED mode.
type MapRunStartedEventDetails struct {
	MapRunArn string `json:"mapRunArn"`
}

var notTruncated = &HistoryEventExecutionDataDetails{}

// thread is one line of events: the execution, a Parallel branch or a Map
// iteration. Each event's PreviousEventID is the last event of its
// thread.
type thread struct {
	prev int64
}

// errHistoryFull ends an execution that would write more than
// MaxHistoryEvents events.
type historyFullError struct{}

func (historyFullError) Error() string { return "history full" }

// emit appends an event to the execution's history (Standard only) and
// makes it the thread's latest. It returns the event's id.
func (e *execution) emit(th *thread, ev HistoryEvent) int64 {
	if e.express || th == nil {
		return 0
	}
	e.mu.Lock()
	if len(e.events) >= e.svc.limits.MaxHistoryEvents && !isClosingEvent(ev.Type) {
		e.mu.Unlock()
		e.cancel(historyFullError{})
		return th.prev
	}
	ev.ID = int64(len(e.events)) + 1
	ev.Timestamp = e.svc.clock.Now()
	ev.PreviousEventID = th.prev
	th.prev = ev.ID
	e.events = append(e.events, ev)
	e.mu.Unlock()
	return ev.ID
}

func isClosingEvent(t string) bool {
	switch t {
	case "ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut":
		return true
	}
	return false
}

// GetExecutionHistoryInput is the request of GetExecutionHistory.
type GetExecutionHistoryInput struct {
	// ExecutionArn names the execution. Required.
	ExecutionArn string
	// MaxResults is the page size, 1 to 1,000; 0 means 100.
	MaxResults int
	// NextToken continues a previous call.
	NextToken string
	// ReverseOrder lists the newest event first.
	ReverseOrder bool
	// ExcludeExecutionData leaves inputs and outputs out of the events,
	// the opposite of AWS's includeExecutionData (default true).
	ExcludeExecutionData bool
}

// GetExecutionHistoryOutput is the response of GetExecutionHistory.
type GetExecutionHistoryOutput struct {
	Events    []HistoryEvent
	NextToken string
}

// GetExecutionHistory returns the events of a Standard execution, oldest
// first unless ReverseOrder, 100 a page by default. Express executions
// keep no history in Step Functions (AWS sends it to CloudWatch Logs):
// they answer StateMachineTypeNotSupported.
func (s *Service) GetExecutionHistory(ctx context.Context, in *GetExecutionHistoryInput) (*GetExecutionHistoryOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e, err := s.lookupExecution(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	if e.express {
		return nil, ErrStateMachineTypeNotSupported.New("This operation is not supported by this type of state machine")
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	e.mu.Lock()
	events := append([]HistoryEvent(nil), e.events...)
	e.mu.Unlock()
	if in.ReverseOrder {
		for i, j := 0, len(events)-1; i < j; i, j = i+1, j-1 {
			events[i], events[j] = events[j], events[i]
		}
	}
	events, next, err := page(events, size, in.NextToken, "history:"+e.arn)
	if err != nil {
		return nil, err
	}
	out := &GetExecutionHistoryOutput{Events: events, NextToken: next}
	if in.ExcludeExecutionData {
		for i := range out.Events {
			out.Events[i] = withoutData(out.Events[i])
		}
	}
	return out, nil
}

// withoutData copies ev without its inputs and outputs.
func withoutData(ev HistoryEvent) HistoryEvent {
	if d := ev.ExecutionStartedEventDetails; d != nil {
		c := *d
		c.Input = ""
		ev.ExecutionStartedEventDetails = &c
	}
	if d := ev.ExecutionSucceededEventDetails; d != nil {
		c := *d
		c.Output = ""
		ev.ExecutionSucceededEventDetails = &c
	}
	if d := ev.StateEnteredEventDetails; d != nil {
		c := *d
		c.Input = ""
		ev.StateEnteredEventDetails = &c
	}
	if d := ev.StateExitedEventDetails; d != nil {
		c := *d
		c.Output = ""
		ev.StateExitedEventDetails = &c
	}
	if d := ev.TaskScheduledEventDetails; d != nil {
		c := *d
		c.Parameters = ""
		ev.TaskScheduledEventDetails = &c
	}
	if d := ev.TaskSubmittedEventDetails; d != nil {
		c := *d
		c.Output = ""
		ev.TaskSubmittedEventDetails = &c
	}
	if d := ev.TaskSucceededEventDetails; d != nil {
		c := *d
		c.Output = ""
		ev.TaskSucceededEventDetails = &c
	}
	if d := ev.LambdaFunctionScheduledEventDetails; d != nil {
		c := *d
		c.Input = ""
		ev.LambdaFunctionScheduledEventDetails = &c
	}
	if d := ev.LambdaFunctionSucceededEventDetails; d != nil {
		c := *d
		c.Output = ""
		ev.LambdaFunctionSucceededEventDetails = &c
	}
	if d := ev.ActivityScheduledEventDetails; d != nil {
		c := *d
		c.Input = ""
		ev.ActivityScheduledEventDetails = &c
	}
	if d := ev.ActivitySucceededEventDetails; d != nil {
		c := *d
		c.Output = ""
		ev.ActivitySucceededEventDetails = &c
	}
	return ev
}

// AssignedVariablesDetails says whether a StateExited event's
// assignedVariables were cut short; minicloud never truncates them.
type AssignedVariablesDetails struct {
	Truncated bool `json:"truncated"`
}

// EvaluationFailedEventDetails are the details of EvaluationFailed: a
// JSONata state's expression failed (States.QueryEvaluationError) in the
// field at Location.
type EvaluationFailedEventDetails struct {
	Error    string `json:"error"`
	Cause    string `json:"cause"`
	Location string `json:"location"`
	State    string `json:"state"`
}

// lastEventID is the id of the last event written, 0 for none.
func (e *execution) lastEventID() int64 {
	e.mu.Lock()
	defer e.mu.Unlock()
	return int64(len(e.events))
}
