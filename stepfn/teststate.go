package stepfn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// Inspection levels of TestState.
const (
	// InspectionInfo returns the state's output, error, next state and
	// status.
	InspectionInfo = "INFO"
	// InspectionDebug adds [InspectionData]: the data after each step of
	// input and output processing.
	InspectionDebug = "DEBUG"
	// InspectionTrace adds an HTTP Task's request and response; minicloud
	// has no HTTP Task, so it returns what DEBUG returns.
	InspectionTrace = "TRACE"
)

// Statuses of a TestState run.
const (
	// TestStatusSucceeded: the state succeeded.
	TestStatusSucceeded = "SUCCEEDED"
	// TestStatusFailed: the state failed and no Retry or Catch handles
	// the error.
	TestStatusFailed = "FAILED"
	// TestStatusRetriable: the state failed and a retrier with attempts
	// left matches the error.
	TestStatusRetriable = "RETRIABLE"
	// TestStatusCaughtError: the state failed and a catcher matches the
	// error.
	TestStatusCaughtError = "CAUGHT_ERROR"
)

// testStateName names a state given alone to TestState, in its context
// object and its error causes.
const testStateName = "TestState"

// testStateTimeout is how long TestState may run: five minutes, then
// States.Timeout.
const testStateTimeout = 5 * time.Minute

// TestStateInput is the request of TestState.
type TestStateInput struct {
	// Definition is one state's JSON (without its name), or, with
	// StateName, a whole state machine. Required.
	Definition string
	// StateName picks the state of a whole state machine to test.
	StateName string
	// RoleArn is the role the state would run as; optional.
	RoleArn string
	// Input is the state's JSON input. Empty means "{}".
	Input string
	// InspectionLevel is INFO (the default), DEBUG or TRACE.
	InspectionLevel string
	// RevealSecrets is accepted; minicloud has no secrets to hide.
	RevealSecrets bool
	// Mock replaces the call a Task, Map or Parallel state would make.
	// Activities, .sync and .waitForTaskToken Tasks, Map and Parallel
	// states can only be tested with one.
	Mock *TestStateMock
	// Context is the JSON context object ($$) of the state; only with
	// a Mock.
	Context string
	// StateConfiguration tells a mocked error's retry state.
	StateConfiguration *TestStateConfiguration
	// Variables is a JSON object of the workflow variables the state
	// can read, by name.
	Variables string
}

// TestStateMock is a mocked result or error: exactly one of Result and
// ErrorOutput.
type TestStateMock struct {
	// Result is the JSON the state's call returns.
	Result string
	// ErrorOutput is the error the state's call fails with.
	ErrorOutput *TestStateMockError
	// FieldValidationMode is STRICT (the default), PRESENT or NONE. AWS
	// checks a mocked result against the integration's API model;
	// minicloud checks only that it is JSON, whatever the mode.
	FieldValidationMode string
}

// TestStateMockError is a mocked failure: Error is required.
type TestStateMockError struct {
	Error string
	Cause string
}

// TestStateConfiguration configures the state under test.
type TestStateConfiguration struct {
	// RetrierRetryCount is how many retries the matching retrier has
	// already made: with MaxAttempts or more, the error goes on to Catch.
	RetrierRetryCount int
	// ErrorCausedByState names the state of a Map or Parallel state's
	// branches that caused a mocked error; it must name one of them.
	ErrorCausedByState string
	// MapIterationFailureCount is how many Map iterations failed; a
	// distributed Map whose tolerance it exceeds fails with
	// States.ExceedToleratedFailureThreshold.
	MapIterationFailureCount int
}

// TestStateOutput is the response of TestState.
type TestStateOutput struct {
	// Output is the state's JSON output, unless it failed.
	Output string
	// Error and Cause say why the state failed.
	Error string
	Cause string
	// InspectionData is set at the DEBUG and TRACE levels.
	InspectionData *InspectionData
	// NextState is the state to go to next: Next, the chosen Choice
	// rule's, the matching catcher's, the state itself for a RETRIABLE
	// error; empty for a terminal state or a failure.
	NextState string
	// Status is SUCCEEDED, FAILED, RETRIABLE or CAUGHT_ERROR.
	Status string
}

// InspectionData is the state's data after each processing step, as JSON
// text; a field is empty when the state has no such step or did not
// reach it.
type InspectionData struct {
	Input               string
	AfterInputPath      string
	AfterParameters     string
	Result              string
	AfterResultSelector string
	AfterResultPath     string
	// AfterArguments is a JSONata Task's or Parallel's Arguments.
	AfterArguments string
	// Variables is a JSON object of the workflow variables after the
	// state: those given to TestState and those it assigned.
	Variables string
	// AfterItemsPath and AfterItemSelector are a Map state's items.
	AfterItemsPath    string
	AfterItemSelector string
	// MaxConcurrency, ToleratedFailureCount and
	// ToleratedFailurePercentage are a Map state's, when it sets them.
	MaxConcurrency             *int
	ToleratedFailureCount      *int
	ToleratedFailurePercentage *float64
	// ErrorDetails says which retrier or catcher handled an error.
	ErrorDetails *InspectionErrorDetails
}

// InspectionErrorDetails names the retrier (and its backoff) or the
// catcher that handled an error.
type InspectionErrorDetails struct {
	CatchIndex                  *int
	RetryIndex                  *int
	RetryBackoffIntervalSeconds *int
}

// TestState runs one state once, as the TestState API does, without
// creating a state machine: its input and output processing, its call
// (the registered resource, or the Mock), and, on an error, its Retry and
// Catch, which decide the status. Nothing is recorded and nothing is
// billed. A Wait state does not wait.
func (s *Service) TestState(ctx context.Context, in *TestStateInput) (*TestStateOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	req := *in // checkTestState fills in defaults
	in = &req
	st, err := s.checkTestState(in)
	if err != nil {
		return nil, err
	}
	input := in.Input
	if input == "" {
		input = "{}"
	}
	inputVal, err := decodeJSON([]byte(input))
	if err != nil {
		return nil, ErrInvalidExecutionInput.Newf("Invalid State Input: '%s'", err.Error())
	}
	var ctxObj any
	if in.Context != "" {
		if ctxObj, err = decodeJSON([]byte(in.Context)); err != nil {
			return nil, ErrValidation.Newf("The context is not valid JSON: %s", err.Error())
		}
		if _, ok := ctxObj.(map[string]any); !ok {
			return nil, ErrValidation.New("The context must be a JSON object")
		}
	}
	s.mu.Lock()
	err = s.checkOpen()
	s.mu.Unlock()
	if err != nil {
		return nil, err
	}

	now := s.clock.Now()
	name := s.rnd.uuid()
	role := in.RoleArn
	m := &machine{arn: s.stateMachineArn("TestStateMachine"), name: "TestStateMachine", roleArn: role, typ: TypeExpress}
	e := &execution{
		svc: s, m: m, def: &StateMachine{}, arn: fmt.Sprintf("arn:aws:states:%s:%s:execution:%s:%s", s.region, s.account, m.name, name),
		name: name, roleArn: role, express: true, test: true, input: input, inputVal: inputVal,
		start: now, deadline: now.Add(testStateTimeout), done: make(chan struct{}), status: StatusRunning,
	}
	e.ctx, e.cancel = context.WithCancelCause(ctx)
	defer e.cancel(context.Canceled)
	vars := newScope(nil)
	if in.Variables != "" {
		given, _ := decodeJSON([]byte(in.Variables))
		sizes := map[string]int{}
		for k, v := range given.(map[string]any) {
			sizes[k] = len(encodeJSON(v))
		}
		vars.assign(given.(map[string]any), sizes)
	}
	sr := &stateRun{e: e, st: st, entered: now, ctxObj: ctxObj, vars: vars}

	t := &stateTest{in: in, sr: sr, data: &InspectionData{Input: encodeJSON(inputVal)}}
	out, next, serr := t.run(e.ctx, inputVal)
	if aborted(serr) || (serr == nil && e.ctx.Err() != nil) {
		var timedOut timeoutCause
		if !errors.As(context.Cause(e.ctx), &timedOut) {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return nil, errServiceClosed
		}
		serr = newStateError(ErrorTimeout, "The state '%s' ran for more than %v, TestState's limit.", st.name, testStateTimeout)
		t.handled = false
	}
	res := &TestStateOutput{Status: TestStatusSucceeded, NextState: next}
	switch {
	case serr != nil && t.handled:
		res.Status, res.Error, res.Cause = t.status, serr.name, serr.cause
		if t.status == TestStatusCaughtError {
			res.Output = encodeJSON(out)
		}
	case serr != nil:
		res.Status, res.Error, res.Cause, res.NextState = TestStatusFailed, serr.name, serr.cause, ""
	default:
		res.Output = encodeJSON(out)
		if len(res.Output) > s.limits.MaxPayloadSize {
			res = &TestStateOutput{Status: TestStatusFailed, Error: ErrorDataLimitExceeded,
				Cause: fmt.Sprintf("The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", st.name)}
		}
	}
	if a := sr.assigned; a != nil && res.Status != TestStatusFailed {
		vars.assign(a.vals, a.sizes)
	}
	if vars.vals != nil {
		t.data.Variables = encodeJSON(vars.vals)
	}
	if in.InspectionLevel == InspectionDebug || in.InspectionLevel == InspectionTrace {
		res.InspectionData = t.data
	}
	return res, nil
}

// checkTestState validates a TestState request and compiles its state.
func (s *Service) checkTestState(in *TestStateInput) (*state, error) {
	if in.Definition == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'definition' failed to satisfy constraint: Member must not be null")
	}
	if len(in.Definition) > s.limits.MaxDefinitionSize {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to %d", s.limits.MaxDefinitionSize)
	}
	switch in.InspectionLevel {
	case "":
		in.InspectionLevel = InspectionInfo
	case InspectionInfo, InspectionDebug, InspectionTrace:
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'inspectionLevel' failed to satisfy constraint: Member must satisfy enum value set: [INFO, DEBUG, TRACE]", in.InspectionLevel)
	}
	if in.RoleArn != "" && !strings.HasPrefix(in.RoleArn, "arn:") {
		return nil, ErrInvalidArn.Newf("Invalid Arn: 'Invalid ARN prefix: %s'", in.RoleArn)
	}
	if v := strings.TrimSpace(in.Variables); v != "" {
		parsed, err := decodeJSON([]byte(v))
		if _, isObj := parsed.(map[string]any); err != nil || !isObj {
			return nil, ErrValidation.New("The variables must be a JSON object of variable names and values")
		}
	}
	if in.Context != "" && in.Mock == nil {
		return nil, ErrValidation.New("The context can only be specified together with a mock")
	}
	if c := in.StateConfiguration; c != nil && (c.RetrierRetryCount < 0 || c.MapIterationFailureCount < 0) {
		return nil, ErrValidation.New("1 validation error detected: the counts of 'stateConfiguration' must not be negative")
	}
	st, err := compileTestState(in.Definition, in.StateName)
	if err != nil {
		return nil, err
	}
	if mk := in.Mock; mk != nil {
		if err := checkMock(mk, st); err != nil {
			return nil, err
		}
	} else if needsMock(st) {
		return nil, ErrValidation.Newf("TestState can test a %s only with a mock", describeKind(st))
	}
	if c := in.StateConfiguration; c != nil && c.ErrorCausedByState != "" {
		if st.typ != "Map" && st.typ != "Parallel" {
			return nil, ErrValidation.New("errorCausedByState applies only to a Map or Parallel state")
		}
		if !containsState(st, c.ErrorCausedByState) {
			return nil, ErrValidation.Newf("errorCausedByState '%s' names no state of the %s state's branches", c.ErrorCausedByState, st.typ)
		}
	}
	return st, nil
}

// compileTestState compiles a lone state, or picks one from a whole
// state machine. A lone state's Next and Catch targets need not exist.
func compileTestState(definition, stateName string) (*state, error) {
	if stateName != "" {
		m, err := Compile(definition)
		if err != nil {
			return nil, err
		}
		st, ok := m.states[stateName]
		if !ok {
			return nil, ErrValidation.Newf("State '%s' does not exist in the definition", stateName)
		}
		return st, nil
	}
	d := &diagnostics{}
	tree, err := parseDefinitionJSON(definition)
	if err != nil {
		d.add(CodeInvalidJSONDescription, "", "%s", err.Error())
		return nil, d.err()
	}
	o, ok := tree.(*object)
	if !ok {
		d.schema("", "The state definition must be a JSON object")
		return nil, d.err()
	}
	c := &compiler{d: d, names: map[string]string{testStateName: "/"}, all: map[string]*state{}, topLang: langJSONPath, lang: langJSONPath}
	st := c.state(testStateName, o, "/", 0)
	if err := d.err(); err != nil {
		return nil, err
	}
	return st, nil
}

func checkMock(mk *TestStateMock, st *state) error {
	switch mk.FieldValidationMode {
	case "", "STRICT", "PRESENT", "NONE":
	default:
		return ErrValidation.Newf("1 validation error detected: Value '%s' at 'mock.fieldValidationMode' failed to satisfy constraint: Member must satisfy enum value set: [STRICT, PRESENT, NONE]", mk.FieldValidationMode)
	}
	if st.typ != "Task" && st.typ != "Map" && st.typ != "Parallel" {
		return ErrValidation.Newf("A mock can only be specified for Task, Map, or Parallel states, not a %s state", st.typ)
	}
	switch {
	case mk.Result != "" && mk.ErrorOutput != nil:
		return ErrValidation.New("A mock takes either a result or an errorOutput, not both")
	case mk.Result == "" && mk.ErrorOutput == nil:
		return ErrValidation.New("A mock needs a result or an errorOutput")
	case mk.ErrorOutput != nil && mk.ErrorOutput.Error == "":
		return ErrValidation.New("1 validation error detected: Value null at 'mock.errorOutput.error' failed to satisfy constraint: Member must not be null")
	case mk.Result != "":
		if _, err := decodeJSON([]byte(mk.Result)); err != nil {
			return ErrValidation.Newf("The mocked result is not valid JSON: %s", err.Error())
		}
	}
	return nil
}

// needsMock reports the states TestState runs only with a mock.
func needsMock(st *state) bool {
	if st.typ == "Map" || st.typ == "Parallel" {
		return true
	}
	if st.typ != "Task" {
		return false
	}
	_, p := integrationPattern(st.resource)
	return p != "" || isActivityArn(st.resource)
}

func describeKind(st *state) string {
	switch {
	case st.typ != "Task":
		return st.typ + " state"
	case isActivityArn(st.resource):
		return "Task on an activity"
	}
	_, p := integrationPattern(st.resource)
	return "Task with the " + p + " integration pattern"
}

// containsState reports whether a Map or Parallel state's branches hold
// a state of that name.
func containsState(st *state, name string) bool {
	sets := st.branches
	if st.processor != nil {
		sets = append(sets, st.processor)
	}
	for _, set := range sets {
		if set == nil {
			continue
		}
		for _, sub := range set.states {
			if sub.name == name || containsState(sub, name) {
				return true
			}
		}
	}
	return false
}

// stateTest is one TestState run: it records the inspection data as the
// state's data flows and how an error was handled.
type stateTest struct {
	in      *TestStateInput
	sr      *stateRun
	data    *InspectionData
	handled bool   // a retrier or catcher matched the error
	status  string // RETRIABLE or CAUGHT_ERROR when handled
}

// run runs the state and returns its output and next state.
func (t *stateTest) run(ctx context.Context, input any) (any, string, *stateError) {
	sr, st := t.sr, t.sr.st
	if st.jsonata {
		return t.runAta(ctx, input)
	}
	eff, serr := sr.inputPath(input)
	if serr != nil {
		return nil, "", serr
	}
	t.data.AfterInputPath = encodeJSON(eff)
	switch st.typ {
	case "Pass":
		result := eff
		if st.parameters != nil {
			if result, serr = sr.template(st.parameters, eff, "Parameters"); serr != nil {
				return nil, "", serr
			}
			t.data.AfterParameters = encodeJSON(result)
		}
		if st.hasResult {
			result = st.result
		}
		t.data.Result = encodeJSON(result)
		if sr.assigned, serr = sr.evalAssign(st.assign, result, nil); serr != nil {
			return nil, "", serr
		}
		out, serr := t.finish(input, result)
		return out, st.next, serr
	case "Task", "Parallel", "Map":
		out, serr := t.attempt(ctx, input, eff)
		if serr != nil {
			return t.handle(input, serr)
		}
		return out, st.next, nil
	}
	// Choice, Wait, Succeed and Fail need no more than the engine's own
	// run; a test execution does not wait.
	return sr.e.runState(ctx, sr, input, nil)
}

// attempt runs a Task, Parallel or Map state's processing around its
// call, or its mock.
func (t *stateTest) attempt(ctx context.Context, input, eff any) (any, *stateError) {
	sr, st, d := t.sr, t.sr.st, t.data
	params := eff
	var serr *stateError
	switch st.typ {
	case "Task", "Parallel":
		if st.parameters != nil {
			if params, serr = sr.template(st.parameters, eff, "Parameters"); serr != nil {
				return nil, serr
			}
		}
		d.AfterParameters = encodeJSON(params)
	case "Map":
		if serr := t.inspectMap(eff); serr != nil {
			return nil, serr
		}
	}
	var result any
	switch mk := t.in.Mock; {
	case mk != nil && mk.ErrorOutput != nil:
		if cfg := t.in.StateConfiguration; st.typ == "Map" && st.distributed && cfg != nil && cfg.MapIterationFailureCount > 0 {
			return nil, newStateError(ErrorExceedToleratedFailureThreshold, "The specified tolerated failure threshold was exceeded")
		}
		return nil, &stateError{name: mk.ErrorOutput.Error, cause: mk.ErrorOutput.Cause}
	case mk != nil:
		result, _ = decodeJSON([]byte(mk.Result))
	default:
		if result, serr = sr.e.task(ctx, sr, eff, params, nil); serr != nil {
			return nil, serr
		}
	}
	d.Result = encodeJSON(result)
	if st.resultSelector != nil {
		if result, serr = sr.template(st.resultSelector, result, "ResultSelector"); serr != nil {
			return nil, serr
		}
	}
	d.AfterResultSelector = encodeJSON(result)
	if sr.assigned, serr = sr.evalAssign(st.assign, result, nil); serr != nil {
		return nil, serr
	}
	return t.finish(input, result)
}

// runAta runs a JSONata state: Pass, Choice, Wait, Succeed and Fail as
// the engine does; Task, Parallel and Map through Arguments, the call or
// its mock, Output and Assign.
func (t *stateTest) runAta(ctx context.Context, input any) (any, string, *stateError) {
	sr, st, d := t.sr, t.sr.st, t.data
	switch st.typ {
	case "Task", "Parallel", "Map":
	default:
		return sr.e.runAtaState(ctx, sr, input)
	}
	out, serr := func() (any, *stateError) {
		args := input
		if st.typ != "Map" {
			var serr *stateError
			if args, serr = sr.ataArguments(input); serr != nil {
				return nil, serr
			}
			d.AfterArguments = encodeJSON(args)
		}
		var result any
		switch mk := t.in.Mock; {
		case mk != nil && mk.ErrorOutput != nil:
			return nil, &stateError{name: mk.ErrorOutput.Error, cause: mk.ErrorOutput.Cause}
		case mk != nil:
			result, _ = decodeJSON([]byte(mk.Result))
		default:
			var serr *stateError
			if result, serr = sr.e.task(ctx, sr, input, args, nil); serr != nil {
				return nil, serr
			}
		}
		d.Result = encodeJSON(result)
		return sr.ataResult(input, result)
	}()
	if serr != nil {
		return t.handle(input, serr)
	}
	return out, st.next, nil
}

// inspectMap records a Map state's items, item selection and settings.
func (t *stateTest) inspectMap(eff any) *stateError {
	sr, st, d := t.sr, t.sr.st, t.data
	items := eff
	if st.itemsPath != nil {
		v, err := sr.env(eff).evalPath(st.itemsPath)
		if err != nil {
			return sr.runtime("Invalid path '%s' : No results for path: %s", st.itemsPath.src, bracketPath(st.itemsPath))
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		return sr.runtime("Map state input must be an array, but the ItemsPath selected a value of type %s", jsonType(items))
	}
	d.AfterItemsPath = encodeJSON(arr)
	if st.itemSelector != nil {
		selected := make([]any, len(arr))
		for i, item := range arr {
			isr := &stateRun{e: sr.e, st: st, entered: sr.entered, item: &mapItem{index: i, value: item}, vars: sr.vars}
			v, serr := isr.template(st.itemSelector, eff, "ItemSelector")
			if serr != nil {
				return serr
			}
			selected[i] = v
		}
		d.AfterItemSelector = encodeJSON(selected)
	}
	n, serr := sr.concurrency(eff)
	if serr != nil {
		return serr
	}
	if st.maxConcurrency > 0 || st.maxConcurrencyPath != nil {
		d.MaxConcurrency = &n
	}
	if st.hasToleratedCount {
		c := int(st.toleratedCount)
		d.ToleratedFailureCount = &c
	}
	if st.hasToleratedPct {
		p := st.toleratedPercent
		d.ToleratedFailurePercentage = &p
	}
	return nil
}

// finish applies ResultPath and OutputPath.
func (t *stateTest) finish(input, result any) (any, *stateError) {
	merged, serr := applyResultPath(t.sr.st.resultPath, input, result)
	if serr != nil {
		return nil, serr
	}
	t.data.AfterResultPath = encodeJSON(merged)
	return t.sr.outputPath(merged)
}

// handle applies the state's Retry and Catch to an error: the first
// retrier matching it decides whether it is RETRIABLE (attempts left,
// counting StateConfiguration.RetrierRetryCount as made); otherwise the
// first catcher matching it makes it CAUGHT_ERROR with the catcher's
// output and Next.
func (t *stateTest) handle(input any, serr *stateError) (any, string, *stateError) {
	st := t.sr.st
	if aborted(serr) {
		return nil, "", serr
	}
	made := 0
	if c := t.in.StateConfiguration; c != nil {
		made = c.RetrierRetryCount
	}
	for i := range st.retry {
		r := &st.retry[i]
		if !errorMatches(r.errorEquals, serr.name) {
			continue
		}
		if int64(made) < r.maxAttempts {
			idx, secs := i, int(r.retryDelay(int64(made), t.sr.e.svc.rnd)/time.Second)
			t.data.ErrorDetails = &InspectionErrorDetails{RetryIndex: &idx, RetryBackoffIntervalSeconds: &secs}
			t.handled, t.status = true, TestStatusRetriable
			return nil, st.name, serr
		}
		break
	}
	for i, c := range st.catch {
		if !errorMatches(c.errorEquals, serr.name) {
			continue
		}
		var out any
		var rerr *stateError
		if st.jsonata {
			out, rerr = t.sr.ataCatch(&c, i, input, errorOutput(serr))
		} else {
			out, rerr = applyResultPath(c.resultPath, input, errorOutput(serr))
			if rerr == nil {
				t.sr.assigned, rerr = t.sr.evalAssign(c.assign, errorOutput(serr), nil)
			}
		}
		if rerr != nil {
			return nil, "", rerr
		}
		idx := i
		t.data.ErrorDetails = &InspectionErrorDetails{CatchIndex: &idx}
		t.data.AfterResultPath = encodeJSON(out)
		t.handled, t.status = true, TestStatusCaughtError
		return out, c.next, serr
	}
	return nil, "", serr
}
