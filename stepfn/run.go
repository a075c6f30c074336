package stepfn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// errAborted is what the interpreter returns when its context ends: the
// execution was stopped, timed out or closed, or a sibling branch failed.
var errAborted = &stateError{}

// aborted reports whether err is errAborted.
func aborted(err *stateError) bool { return err != nil && err.name == "" }

// mapItem is the $$.Map.Item of a Map iteration's ItemSelector.
type mapItem struct {
	index int
	value any
}

// stateRun is the state being run: what the context object and error
// messages need.
type stateRun struct {
	e         *execution
	st        *state
	enteredID int64
	entered   time.Time
	item      *mapItem
	ctxObj    any
	taskToken string // $$.Task.Token of a .waitForTaskToken attempt
	vars      *varScope
	// assigned is what the state assigns when it exits, set by the
	// state's run.
	assigned *assignment
}

// contextObject builds $$ for the state, once.
func (sr *stateRun) contextObject() any {
	if sr.ctxObj != nil {
		return sr.ctxObj
	}
	e := sr.e
	obj := map[string]any{
		"Execution": map[string]any{
			"Id": e.arn, "Input": e.inputVal, "Name": e.name, "RoleArn": e.roleArn,
			"StartTime": formatTime(e.start), "RedriveCount": intNumber(0),
		},
		"StateMachine": map[string]any{"Id": e.m.arn, "Name": e.m.name},
		"State":        map[string]any{"Name": sr.st.name, "EnteredTime": formatTime(sr.entered)},
	}
	if sr.taskToken != "" {
		obj["Task"] = map[string]any{"Token": sr.taskToken}
	}
	if sr.item != nil {
		obj["Map"] = map[string]any{"Item": map[string]any{"Index": intNumber(int64(sr.item.index)), "Value": sr.item.value}}
	}
	sr.ctxObj = obj
	return obj
}

func (sr *stateRun) env(input any) *evalEnv {
	return &evalEnv{input: input, context: sr.contextObject, rnd: sr.e.svc.rnd, vars: sr.vars}
}

// formatTime renders a time as Step Functions does in the context object.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

func (sr *stateRun) runtime(format string, args ...any) *stateError {
	return runtimeError(sr.st.name, sr.enteredID, fmt.Sprintf(format, args...))
}

// runSet runs a States block from StartAt to a terminal state and returns
// its output.
func (e *execution) runSet(ctx context.Context, set *stateSet, input any, th *thread, vars *varScope) (any, *stateError) {
	name := set.startAt
	inputJSON := ""
	for {
		if ctx.Err() != nil {
			return nil, errAborted
		}
		st := set.states[name]
		e.transition()
		sr := &stateRun{e: e, st: st, entered: e.svc.clock.Now(), vars: vars}
		var enteredPrev int64
		if th != nil {
			enteredPrev = th.prev
		}
		if th != nil && !e.express {
			if inputJSON == "" {
				inputJSON = encodeJSON(input)
			}
			sr.enteredID = e.emit(th, HistoryEvent{Type: st.typ + "StateEntered", StateEnteredEventDetails: &StateEnteredEventDetails{
				Name: st.name, Input: inputJSON, InputDetails: notTruncated}})
		}
		out, next, serr := e.runState(ctx, sr, input, th)
		if serr != nil {
			if serr.location != "" && th != nil {
				// AWS links an EvaluationFailed that directly follows
				// StateEntered to the event before it.
				if th.prev == sr.enteredID {
					th.prev = enteredPrev
				}
				e.emit(th, HistoryEvent{Type: "EvaluationFailed", EvaluationFailedEventDetails: &EvaluationFailedEventDetails{
					Error: serr.name, Cause: serr.cause, Location: serr.location, State: st.name}})
			}
			return nil, serr
		}
		if ctx.Err() != nil {
			return nil, errAborted
		}
		outJSON := encodeJSON(out)
		e.noteData(len(outJSON))
		if len(outJSON) > e.svc.limits.MaxPayloadSize {
			return nil, newStateError(ErrorDataLimitExceeded, "The state/task '%s' returned a result with a size exceeding the maximum number of bytes service limit.", st.name)
		}
		exited := &StateExitedEventDetails{Name: st.name, Output: outJSON, OutputDetails: notTruncated}
		if a := sr.assigned; a != nil {
			if !vars.assign(a.vals, a.sizes) {
				return nil, newStateError(ErrorDataLimitExceeded, "The variables of the state machine exceed the maximum total size of %d bytes after state '%s'.", maxVariablesSize, st.name)
			}
			exited.AssignedVariables = a.texts
			exited.AssignedVariablesDetails = &AssignedVariablesDetails{}
		}
		e.emit(th, HistoryEvent{Type: st.typ + "StateExited", StateExitedEventDetails: exited})
		if next == "" {
			return out, nil
		}
		name, input, inputJSON = next, out, outJSON
	}
}

// runState runs one state and returns its output and the next state's
// name, empty for a terminal state.
func (e *execution) runState(ctx context.Context, sr *stateRun, input any, th *thread) (any, string, *stateError) {
	st := sr.st
	if st.jsonata {
		switch st.typ {
		case "Task", "Parallel", "Map":
			return e.withRetry(ctx, sr, input, th)
		}
		return e.runAtaState(ctx, sr, input)
	}
	switch st.typ {
	case "Pass":
		eff, serr := sr.inputPath(input)
		if serr != nil {
			return nil, "", serr
		}
		result := eff
		switch {
		case st.hasResult:
			result = st.result
		case st.parameters != nil:
			if result, serr = sr.template(st.parameters, eff, "Parameters"); serr != nil {
				return nil, "", serr
			}
		}
		if sr.assigned, serr = sr.evalAssign(st.assign, result, nil); serr != nil {
			return nil, "", serr
		}
		out, serr := sr.finishResult(input, result)
		return out, st.next, serr
	case "Succeed":
		eff, serr := sr.inputPath(input)
		if serr != nil {
			return nil, "", serr
		}
		out, serr := sr.outputPath(eff)
		return out, "", serr
	case "Fail":
		return nil, "", sr.fail(input)
	case "Choice":
		return sr.choice(input)
	case "Wait":
		return e.wait(ctx, sr, input)
	case "Task", "Parallel", "Map":
		return e.withRetry(ctx, sr, input, th)
	}
	return nil, "", sr.runtime("Unknown state type %s", st.typ)
}

// inputPath selects the effective input: InputPath absent keeps it all,
// null gives {}.
func (sr *stateRun) inputPath(input any) (any, *stateError) {
	return sr.selectPath(sr.st.inputPath, "InputPath", input)
}

// outputPath selects the state output the same way.
func (sr *stateRun) outputPath(v any) (any, *stateError) {
	return sr.selectPath(sr.st.outputPath, "OutputPath", v)
}

func (sr *stateRun) selectPath(p optPath, field string, v any) (any, *stateError) {
	if !p.set {
		return v, nil
	}
	if p.null {
		return map[string]any{}, nil
	}
	out, err := sr.env(v).evalPath(p.path)
	if err != nil {
		return nil, sr.runtime("Invalid path '%s' : No results for path: %s", p.path.src, bracketPath(p.path))
	}
	return out, nil
}

// bracketPath renders a path as Step Functions' errors do: $['a'][0].
func bracketPath(p *jsonPath) string {
	var b strings.Builder
	if p.context {
		b.WriteString("$$")
	} else {
		b.WriteString("$")
	}
	for _, s := range p.segs {
		switch s.kind {
		case segName:
			fmt.Fprintf(&b, "['%s']", s.name)
		case segIndex:
			fmt.Fprintf(&b, "[%d]", s.index)
		default:
			return p.src
		}
	}
	return b.String()
}

// template evaluates Parameters, ResultSelector or ItemSelector. A path
// that matches nothing fails the execution with States.Runtime, as the
// service does.
func (sr *stateRun) template(t *payloadTemplate, input any, field string) (any, *stateError) {
	v, err := t.eval(sr.env(input))
	if err == nil {
		return v, nil
	}
	var tpe *templatePathError
	if errors.As(err, &tpe) {
		return nil, sr.runtime("The JSONPath '%s' specified for the field '%s' could not be found in the input '%s'", tpe.path, tpe.field, encodeJSON(input))
	}
	var se *stateError
	if errors.As(err, &se) {
		return nil, se
	}
	return nil, sr.runtime("%s", err.Error())
}

// finishResult applies ResultPath (merging the result into the raw state
// input) and then OutputPath.
func (sr *stateRun) finishResult(rawInput, result any) (any, *stateError) {
	merged, serr := applyResultPath(sr.st.resultPath, rawInput, result)
	if serr != nil {
		return nil, serr
	}
	return sr.outputPath(merged)
}

func applyResultPath(p optPath, rawInput, result any) (any, *stateError) {
	switch {
	case !p.set:
		return result, nil
	case p.null:
		return rawInput, nil
	}
	out, err := p.path.set(rawInput, result)
	if err != nil {
		return nil, newStateError(ErrorResultPathMatchFailure, "Unable to apply ResultPath \"%s\" to the input \"%s\": %v", p.path.src, encodeJSON(rawInput), err)
	}
	return out, nil
}

// fail builds a Fail state's error from Error/ErrorPath and Cause/CausePath.
func (sr *stateRun) fail(input any) *stateError {
	st := sr.st
	errName, cause := st.errorName, st.cause
	read := func(ref *valueRef, field string) (string, *stateError) {
		env := sr.env(input)
		var v any
		var err error
		if ref.call != nil {
			v, err = ref.call.eval(env)
		} else {
			v, err = env.evalPath(ref.path)
		}
		if err != nil {
			var se *stateError
			if errors.As(err, &se) {
				return "", se
			}
			return "", sr.runtime("The JSONPath specified for the field '%s' could not be found in the input '%s'", field, encodeJSON(input))
		}
		s, ok := v.(string)
		if !ok {
			return "", sr.runtime("The value of the field '%s' must be a string, got %s", field, encodeJSON(v))
		}
		return s, nil
	}
	var serr *stateError
	if st.errorPath != nil {
		if errName, serr = read(st.errorPath, "ErrorPath"); serr != nil {
			return serr
		}
	}
	if st.causePath != nil {
		if cause, serr = read(st.causePath, "CausePath"); serr != nil {
			return serr
		}
	}
	return &stateError{name: errName, cause: cause}
}

// choice picks the first rule that matches, or Default.
func (sr *stateRun) choice(input any) (any, string, *stateError) {
	eff, serr := sr.inputPath(input)
	if serr != nil {
		return nil, "", serr
	}
	env := sr.env(eff)
	next, assign := sr.st.defaultNext, sr.st.assign
	for _, r := range sr.st.choices {
		ok, err := r.eval(env)
		if err != nil {
			return nil, "", sr.runtime("%s", err.Error())
		}
		if ok {
			// The state's own Assign goes with Default only.
			next, assign = r.next, r.assign
			break
		}
	}
	if next == "" {
		return nil, "", newStateError(ErrorNoChoiceMatched, "No Choice rule matched and no Default was specified in state '%s'.", sr.st.name)
	}
	if sr.assigned, serr = sr.evalAssign(assign, eff, nil); serr != nil {
		return nil, "", serr
	}
	out, serr := sr.outputPath(eff)
	return out, next, serr
}

// wait sleeps on the clock for the Wait state's duration.
func (e *execution) wait(ctx context.Context, sr *stateRun, input any) (any, string, *stateError) {
	st := sr.st
	eff, serr := sr.inputPath(input)
	if serr != nil {
		return nil, "", serr
	}
	now := e.svc.clock.Now()
	var d time.Duration
	switch {
	case st.hasWaitSeconds:
		d = time.Duration(st.waitSeconds) * time.Second
	case st.hasWaitTimestamp:
		d = st.waitTimestamp.Sub(now)
	case st.waitSecondsPath != nil:
		v, err := sr.env(eff).evalPath(st.waitSecondsPath)
		n, ok := asInt(v)
		if err != nil || !ok || n < 0 {
			return nil, "", sr.runtime("The SecondsPath parameter does not reference a valid non-negative integer: %s", st.waitSecondsPath.src)
		}
		d = time.Duration(min(n, maxTimeoutSeconds)) * time.Second
	case st.waitTimestampPath != nil:
		v, err := sr.env(eff).evalPath(st.waitTimestampPath)
		s, _ := v.(string)
		t, ok := parseTimestamp(s)
		if err != nil || !ok {
			return nil, "", sr.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: %s", st.waitTimestampPath.src)
		}
		d = t.Sub(now)
	}
	if sr.assigned, serr = sr.evalAssign(st.assign, eff, nil); serr != nil {
		return nil, "", serr
	}
	if serr := e.sleep(ctx, d); serr != nil {
		return nil, "", serr
	}
	out, serr := sr.outputPath(eff)
	return out, st.next, serr
}

// timer returns a clock timer for d, shortened to the execution's
// deadline, and whether it was shortened.
func (e *execution) timer(d time.Duration) (clock.Timer, bool) {
	left := e.deadline.Sub(e.svc.clock.Now())
	if left < d {
		return e.svc.clock.NewTimer(max(left, 0)), true
	}
	return e.svc.clock.NewTimer(d), false
}

// sleep waits for d on the clock. It returns errAborted when ctx ends
// first or the execution's deadline comes first (and then times the
// execution out).
func (e *execution) sleep(ctx context.Context, d time.Duration) *stateError {
	if d <= 0 || e.test { // TestState does not wait out a Wait state
		return nil
	}
	t, deadline := e.timer(d)
	defer t.Stop()
	select {
	case <-t.C():
		if deadline {
			e.cancel(timeoutCause{})
			return errAborted
		}
		return nil
	case <-ctx.Done():
		return errAborted
	}
}

// withRetry runs a Task, Parallel or Map state, retrying its failures as
// its Retry says and catching them as its Catch says.
func (e *execution) withRetry(ctx context.Context, sr *stateRun, input any, th *thread) (any, string, *stateError) {
	st := sr.st
	counts := make([]int64, len(st.retry))
	for {
		out, serr := e.attempt(ctx, sr, input, th)
		if serr == nil {
			return out, st.next, nil
		}
		if aborted(serr) || ctx.Err() != nil {
			return nil, "", errAborted
		}
		retried := false
		for i := range st.retry {
			r := &st.retry[i]
			if !errorMatches(r.errorEquals, serr.name) {
				continue
			}
			if counts[i] < r.maxAttempts {
				delay := r.retryDelay(counts[i], e.svc.rnd)
				counts[i]++
				if s := e.sleep(ctx, delay); s != nil {
					return nil, "", s
				}
				retried = true
			}
			break
		}
		if retried {
			e.transition() // AWS bills each retry as a state transition
			continue
		}
		for i, c := range st.catch {
			if !errorMatches(c.errorEquals, serr.name) {
				continue
			}
			errOut := errorOutput(serr)
			if st.jsonata {
				out, rerr := sr.ataCatch(&c, i, input, errOut)
				if rerr != nil {
					return nil, "", rerr
				}
				return out, c.next, nil
			}
			sr.assigned = nil
			if sr.assigned, serr = sr.evalAssign(c.assign, errOut, nil); serr != nil {
				return nil, "", serr
			}
			out, rerr := applyResultPath(c.resultPath, input, errOut)
			if rerr != nil {
				return nil, "", rerr
			}
			return out, c.next, nil
		}
		return nil, "", serr
	}
}

// attempt runs a Task, Parallel or Map state once, with its input and
// output processing.
func (e *execution) attempt(ctx context.Context, sr *stateRun, input any, th *thread) (any, *stateError) {
	st := sr.st
	sr.assigned = nil
	if st.jsonata {
		return e.ataAttempt(ctx, sr, input, th)
	}
	eff, serr := sr.inputPath(input)
	if serr != nil {
		return nil, serr
	}
	var result any
	switch st.typ {
	case "Task":
		if _, p := integrationPattern(st.resource); p == patternCallback {
			// Each attempt is a new task with its own token.
			sr.taskToken, sr.ctxObj = e.svc.newTaskToken(e.arn), nil
		}
		params := eff
		if st.parameters != nil {
			if params, serr = sr.template(st.parameters, eff, "Parameters"); serr != nil {
				return nil, serr
			}
		}
		result, serr = e.task(ctx, sr, eff, params, th)
	case "Parallel":
		params := eff
		if st.parameters != nil {
			if params, serr = sr.template(st.parameters, eff, "Parameters"); serr != nil {
				return nil, serr
			}
		}
		result, serr = e.parallel(ctx, sr, params, th)
	case "Map":
		result, serr = e.mapState(ctx, sr, eff, th)
	}
	if serr != nil {
		return nil, serr
	}
	if st.resultSelector != nil {
		if result, serr = sr.template(st.resultSelector, result, "ResultSelector"); serr != nil {
			return nil, serr
		}
	}
	if sr.assigned, serr = sr.evalAssign(st.assign, result, nil); serr != nil {
		return nil, serr
	}
	return sr.finishResult(input, result)
}

// ataAttempt runs a JSONata Task, Parallel or Map state once: Arguments,
// the work, then Output and Assign.
func (e *execution) ataAttempt(ctx context.Context, sr *stateRun, input any, th *thread) (any, *stateError) {
	st := sr.st
	var result any
	var serr *stateError
	switch st.typ {
	case "Task":
		if _, p := integrationPattern(st.resource); p == patternCallback {
			sr.taskToken, sr.ctxObj = e.svc.newTaskToken(e.arn), nil
		}
		args, serr := sr.ataArguments(input)
		if serr != nil {
			return nil, serr
		}
		result, serr = e.task(ctx, sr, input, args, th)
		if serr != nil {
			return nil, serr
		}
	case "Parallel":
		args, serr := sr.ataArguments(input)
		if serr != nil {
			return nil, serr
		}
		result, serr = e.parallel(ctx, sr, args, th)
		if serr != nil {
			return nil, serr
		}
	case "Map":
		if result, serr = e.mapState(ctx, sr, input, th); serr != nil {
			return nil, serr
		}
	}
	return sr.ataResult(input, result)
}
