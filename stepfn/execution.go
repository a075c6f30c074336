package stepfn

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Execution statuses.
const (
	StatusRunning   = "RUNNING"
	StatusSucceeded = "SUCCEEDED"
	StatusFailed    = "FAILED"
	StatusTimedOut  = "TIMED_OUT"
	StatusAborted   = "ABORTED"
)

// execution is one run of a state machine.
type execution struct {
	svc      *Service
	m        *machine
	def      *StateMachine
	arn      string
	name     string
	roleArn  string // the machine's role when the execution started
	express  bool
	input    string
	inputVal any
	start    time.Time
	deadline time.Time
	ctx      context.Context
	cancel   context.CancelCauseFunc
	done     chan struct{}
	cost     execMeter // what the cost meter needs of this execution
	src      *target   // the revision, version or alias it started on
	test     bool      // a TestState run, which nobody bills

	mu      sync.Mutex
	status  string
	stop    time.Time
	output  string
	errName string
	cause   string
	events  []HistoryEvent
}

// stopRequest is the cause of an execution cancelled by StopExecution.
type stopRequest struct{ errName, cause string }

func (stopRequest) Error() string { return "stopped" }

// timeoutCause cancels an execution that ran past its deadline.
type timeoutCause struct{}

func (timeoutCause) Error() string { return "execution timed out" }

// StartExecutionInput is the request of StartExecution.
type StartExecutionInput struct {
	// StateMachineArn names the state machine (its latest revision), one
	// of its versions (…:name:2) or one of its aliases (…:name:live).
	// Required.
	StateMachineArn string
	// Name of the execution: 1 to 80 characters, unique for the state
	// machine over 90 days. Empty means a generated UUID.
	Name string
	// Input is the execution's JSON input, at most 256 KiB. Empty means
	// "{}".
	Input string
}

// StartExecutionOutput is the response of StartExecution.
type StartExecutionOutput struct {
	ExecutionArn string
	StartDate    time.Time
}

// StartExecution starts an execution, which runs on its own goroutine.
//
// For a Standard state machine the name is unique over the executions of
// the last 90 days: starting again with the name and the input of an
// execution that is still running returns that execution (the call is
// idempotent); with another input, or once it has closed, the call fails
// with ExecutionAlreadyExists. Express executions are not checked.
func (s *Service) StartExecution(ctx context.Context, in *StartExecutionInput) (*StartExecutionOutput, error) {
	e, err := s.startExecution(ctx, in)
	if err != nil {
		return nil, err
	}
	return &StartExecutionOutput{ExecutionArn: e.arn, StartDate: e.start}, nil
}

func (s *Service) startExecution(ctx context.Context, in *StartExecutionInput) (*execution, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkArn(in.StateMachineArn, "stateMachine"); err != nil {
		return nil, err
	}
	input := in.Input
	if input == "" {
		input = "{}"
	}
	if len(input) > s.limits.MaxPayloadSize {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'input' failed to satisfy constraint: Member must have length less than or equal to %d", s.limits.MaxPayloadSize)
	}
	val, err := decodeJSON([]byte(input))
	if err != nil {
		return nil, ErrInvalidExecutionInput.Newf("Invalid State Machine Execution Input: '%s'", err.Error())
	}
	name := in.Name
	if name != "" && !validName(name) {
		return nil, ErrInvalidName.Newf("Invalid Name: '%s'", name)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	src, err := s.targetLocked(in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	m := src.m
	s.purgeLocked()
	if name == "" {
		name = s.rnd.uuid()
	}
	express := m.typ == TypeExpress
	var arn string
	if express {
		arn = fmt.Sprintf("arn:aws:states:%s:%s:express:%s:%s:%s", s.region, s.account, m.name, name, s.rnd.uuid())
	} else {
		arn = fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", s.region, s.account, m.name, name)
		if prev, ok := m.byName[name]; ok {
			prev.mu.Lock()
			running := prev.status == StatusRunning
			prev.mu.Unlock()
			if running && prev.input == input {
				return prev, nil
			}
			return nil, ErrExecutionAlreadyExists.Newf("Execution Already Exists: '%s'", arn)
		}
		if s.open >= s.limits.MaxOpenExecutions {
			return nil, ErrExecutionLimitExceeded.Newf("Execution limit exceeded: %d executions are open, the maximum is %d", s.open, s.limits.MaxOpenExecutions)
		}
	}
	now := s.clock.Now()
	maxDur := s.limits.MaxStandardDuration
	if express {
		maxDur = s.limits.MaxExpressDuration
	}
	if t := src.def.timeoutSeconds; t > 0 && time.Duration(t)*time.Second < maxDur {
		maxDur = time.Duration(t) * time.Second
	}
	e := &execution{
		svc: s, m: m, def: src.def, src: src, arn: arn, name: name, roleArn: src.roleArn, express: express,
		input: input, inputVal: val, start: now, deadline: now.Add(maxDur),
		done: make(chan struct{}), status: StatusRunning,
	}
	e.ctx, e.cancel = context.WithCancelCause(s.rootCtx)
	if !express {
		m.byName[name] = e
		m.executions = append(m.executions, e)
		s.open++
	}
	s.execs[arn] = e
	m.open++
	s.meter.started(e)
	e.emit(&thread{}, HistoryEvent{Type: "ExecutionStarted", ExecutionStartedEventDetails: &ExecutionStartedEventDetails{
		Input: input, InputDetails: notTruncated, RoleArn: src.roleArn, StateMachineAliasArn: src.aliasArn, StateMachineVersionArn: src.versionArn}})
	s.wg.Add(1)
	go e.run()
	return e, nil
}

// purgeLocked forgets executions closed longer ago than
// ExecutionRetention, freeing their names. Executions close in clock
// order, so the oldest are at the front of s.closed. The caller holds
// s.mu.
func (s *Service) purgeLocked() {
	cutoff := s.clock.Now().Add(-s.limits.ExecutionRetention)
	n := 0
	for _, e := range s.closed {
		if !e.stop.Before(cutoff) {
			break
		}
		n++
		delete(s.execs, e.arn)
		if !e.express {
			if e.m.byName[e.name] == e {
				delete(e.m.byName, e.name)
			}
			if i := indexOf(e.m.executions, e); i >= 0 {
				e.m.executions = append(e.m.executions[:i], e.m.executions[i+1:]...)
			}
		}
	}
	if n > 0 {
		s.closed = append(s.closed[:0], s.closed[n:]...)
	}
}

func indexOf(list []*execution, e *execution) int {
	for i, x := range list {
		if x == e {
			return i
		}
	}
	return -1
}

// run executes the state machine and records how it ended.
func (e *execution) run() {
	defer e.svc.wg.Done()
	main := &thread{}
	out, serr := e.runSet(e.ctx, e.def.root, e.inputVal, main, newScope(nil))
	e.finish(out, serr, main)
}

// finish records the execution's end, writes its closing event and
// releases its waiters.
func (e *execution) finish(out any, serr *stateError, main *thread) {
	var ev HistoryEvent
	status, output, errName, cause := StatusSucceeded, "", "", ""
	if cause0 := context.Cause(e.ctx); serr != nil && serr.name == "" && cause0 != nil {
		var stop stopRequest
		var full historyFullError
		switch {
		case errors.As(cause0, &stop):
			status, errName, cause = StatusAborted, stop.errName, stop.cause
		case errors.Is(cause0, errServiceClosed):
			status, errName, cause = StatusAborted, "", "The service was closed"
		case errors.As(cause0, &full):
			status, errName = StatusFailed, ErrorRuntime
			cause = fmt.Sprintf("The execution reached the maximum number of history events (%d).", e.svc.limits.MaxHistoryEvents)
		default:
			status, errName = StatusTimedOut, ErrorTimeout
			cause = "The execution timed out"
		}
	} else if serr != nil {
		status, errName, cause = StatusFailed, serr.name, serr.cause
	} else {
		output = encodeJSON(out)
	}
	th := &thread{prev: main.prev}
	switch status {
	case StatusSucceeded:
		ev = HistoryEvent{Type: "ExecutionSucceeded", ExecutionSucceededEventDetails: &ExecutionSucceededEventDetails{Output: output, OutputDetails: notTruncated}}
	case StatusFailed:
		ev = HistoryEvent{Type: "ExecutionFailed", ExecutionFailedEventDetails: &FailureEventDetails{Error: errName, Cause: cause}}
	case StatusAborted:
		th.prev = 0
		ev = HistoryEvent{Type: "ExecutionAborted", ExecutionAbortedEventDetails: &FailureEventDetails{Error: errName, Cause: cause}}
	case StatusTimedOut:
		th.prev = 0
		ev = HistoryEvent{Type: "ExecutionTimedOut", ExecutionTimedOutEventDetails: &FailureEventDetails{Error: errName, Cause: cause}}
	}
	e.emit(th, ev)
	now := e.svc.clock.Now()
	e.mu.Lock()
	e.status, e.stop, e.output, e.errName, e.cause = status, now, output, errName, cause
	e.mu.Unlock()
	e.svc.meter.finished(e, now)
	e.cancel(context.Canceled)

	s := e.svc
	s.mu.Lock()
	if !e.express {
		s.open--
	}
	e.m.open--
	if e.m.deleting && e.m.open == 0 && s.machines[e.m.arn] == e.m {
		delete(s.machines, e.m.arn)
	}
	s.closed = append(s.closed, e)
	s.mu.Unlock()
	close(e.done)
}

// lookupExecution finds an execution by ARN.
func (s *Service) lookupExecution(arn string) (*execution, error) {
	if err := checkArn(arn, "execution"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.purgeLocked()
	e, ok := s.execs[arn]
	if !ok {
		return nil, ErrExecutionDoesNotExist.Newf("Execution Does Not Exist: '%s'", arn)
	}
	return e, nil
}

// DescribeExecutionOutput is the response of DescribeExecution.
type DescribeExecutionOutput struct {
	ExecutionArn    string
	StateMachineArn string
	Name            string
	Status          string
	StartDate       time.Time
	StopDate        time.Time // zero while running
	Input           string
	Output          string // set when SUCCEEDED
	Error           string // set when FAILED, TIMED_OUT or ABORTED with an error
	Cause           string
	// StateMachineVersionArn is the version the execution runs, when it
	// was started with a version or alias ARN.
	StateMachineVersionArn string
	// StateMachineAliasArn is the alias it was started with, if any.
	StateMachineAliasArn string
}

func (e *execution) describe() *DescribeExecutionOutput {
	e.mu.Lock()
	defer e.mu.Unlock()
	return &DescribeExecutionOutput{
		ExecutionArn: e.arn, StateMachineArn: e.m.arn, Name: e.name, Status: e.status,
		StartDate: e.start, StopDate: e.stop, Input: e.input, Output: e.output, Error: e.errName, Cause: e.cause,
		StateMachineVersionArn: e.src.version(), StateMachineAliasArn: e.src.alias(),
	}
}

// DescribeExecution returns the status, input and result of a Standard
// execution. Express executions answer StateMachineTypeNotSupported, as
// on AWS; [Service.WaitExecution] reads them.
func (s *Service) DescribeExecution(ctx context.Context, executionArn string) (*DescribeExecutionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e, err := s.lookupExecution(executionArn)
	if err != nil {
		return nil, err
	}
	if e.express {
		return nil, ErrStateMachineTypeNotSupported.New("This operation is not supported by this type of state machine")
	}
	return e.describe(), nil
}

// WaitExecution waits until an execution, Standard or Express, has
// closed, or ctx is done, and returns its description. It is minicloud's
// own call (on AWS one polls DescribeExecution); a test on a manual clock
// advances the clock while it waits.
func (s *Service) WaitExecution(ctx context.Context, executionArn string) (*DescribeExecutionOutput, error) {
	e, err := s.lookupExecution(executionArn)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.done:
		return e.describe(), nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// StopExecutionInput is the request of StopExecution.
type StopExecutionInput struct {
	// ExecutionArn names the execution. Required.
	ExecutionArn string
	// Error and Cause are recorded in the ExecutionAborted event.
	Error string
	Cause string
}

// StopExecutionOutput is the response of StopExecution.
type StopExecutionOutput struct {
	StopDate time.Time
}

// StopExecution aborts a running Standard execution: it stops where it
// is (a Wait, a retry interval, a running Task whose context is
// cancelled) and closes as ABORTED with an ExecutionAborted event.
// Stopping a closed execution changes nothing.
func (s *Service) StopExecution(ctx context.Context, in *StopExecutionInput) (*StopExecutionOutput, error) {
	e, err := s.lookupExecution(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	if e.express {
		return nil, ErrStateMachineTypeNotSupported.New("This operation is not supported by this type of state machine")
	}
	e.cancel(stopRequest{errName: in.Error, cause: in.Cause})
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return &StopExecutionOutput{StopDate: e.describe().StopDate}, nil
}

// ExecutionListItem is one execution of ListExecutions.
type ExecutionListItem struct {
	ExecutionArn    string
	StateMachineArn string
	Name            string
	Status          string
	StartDate       time.Time
	StopDate        time.Time
	// StateMachineVersionArn and StateMachineAliasArn say what the
	// execution was started with, as in DescribeExecution.
	StateMachineVersionArn string
	StateMachineAliasArn   string
}

// ListExecutionsInput is the request of ListExecutions.
type ListExecutionsInput struct {
	// StateMachineArn names the state machine, or one of its versions or
	// aliases to list only the executions started with it. Required.
	StateMachineArn string
	// StatusFilter keeps only executions of one status.
	StatusFilter string
	// MaxResults is the page size, 1 to 1,000; 0 means 100.
	MaxResults int
	// NextToken continues a previous call.
	NextToken string
}

// ListExecutionsOutput is the response of ListExecutions.
type ListExecutionsOutput struct {
	Executions []ExecutionListItem
	NextToken  string
}

// ListExecutions lists a Standard state machine's executions of the last
// 90 days, newest first.
func (s *Service) ListExecutions(ctx context.Context, in *ListExecutionsInput) (*ListExecutionsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkArn(in.StateMachineArn, "stateMachine"); err != nil {
		return nil, err
	}
	switch in.StatusFilter {
	case "", StatusRunning, StatusSucceeded, StatusFailed, StatusTimedOut, StatusAborted, "PENDING_REDRIVE":
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [SUCCEEDED, TIMED_OUT, PENDING_REDRIVE, ABORTED, FAILED, RUNNING]", in.StatusFilter)
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.purgeLocked()
	base, q := splitQualified(in.StateMachineArn)
	m, ok := s.machines[base]
	if !ok {
		s.mu.Unlock()
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", in.StateMachineArn)
	}
	if m.typ == TypeExpress {
		s.mu.Unlock()
		return nil, ErrStateMachineTypeNotSupported.New("This operation is not supported by this type of state machine")
	}
	list := append([]*execution(nil), m.executions...)
	s.mu.Unlock()
	var items []ExecutionListItem
	for i := len(list) - 1; i >= 0; i-- {
		d := list[i].describe()
		if in.StatusFilter != "" && d.Status != in.StatusFilter || q != "" && d.StateMachineVersionArn != in.StateMachineArn && d.StateMachineAliasArn != in.StateMachineArn {
			continue
		}
		items = append(items, ExecutionListItem{ExecutionArn: d.ExecutionArn, StateMachineArn: d.StateMachineArn, Name: d.Name, Status: d.Status, StartDate: d.StartDate, StopDate: d.StopDate,
			StateMachineVersionArn: d.StateMachineVersionArn, StateMachineAliasArn: d.StateMachineAliasArn})
	}
	scope := "executions:" + in.StateMachineArn + ":" + in.StatusFilter
	items, next, err := page(items, size, in.NextToken, scope)
	if err != nil {
		return nil, err
	}
	return &ListExecutionsOutput{Executions: items, NextToken: next}, nil
}

// StartSyncExecutionOutput is the response of StartSyncExecution.
type StartSyncExecutionOutput struct {
	ExecutionArn    string
	StateMachineArn string
	Name            string
	Status          string // SUCCEEDED, FAILED or TIMED_OUT
	StartDate       time.Time
	StopDate        time.Time
	Input           string
	Output          string
	Error           string
	Cause           string
}

// StartSyncExecution runs an Express execution and returns its result. A
// Standard state machine answers StateMachineTypeNotSupported.
func (s *Service) StartSyncExecution(ctx context.Context, in *StartExecutionInput) (*StartSyncExecutionOutput, error) {
	base, _ := splitQualified(in.StateMachineArn)
	s.mu.Lock()
	m, ok := s.machines[base]
	s.mu.Unlock()
	if ok && m.typ != TypeExpress {
		return nil, ErrStateMachineTypeNotSupported.New("This operation is not supported by this type of state machine")
	}
	e, err := s.startExecution(ctx, in)
	if err != nil {
		return nil, err
	}
	select {
	case <-e.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	d := e.describe()
	return &StartSyncExecutionOutput{ExecutionArn: d.ExecutionArn, StateMachineArn: d.StateMachineArn, Name: d.Name, Status: d.Status,
		StartDate: d.StartDate, StopDate: d.StopDate, Input: d.Input, Output: d.Output, Error: d.Error, Cause: d.Cause}, nil
}
