package stepfn

import (
	"context"
	"math"
	"strconv"
	"time"
)

// runAtaState runs a JSONata Pass, Succeed, Fail, Choice or Wait state.
// A state's Output defaults to its input; Output and Assign both see the
// variables as they were when the state was entered.
func (e *execution) runAtaState(ctx context.Context, sr *stateRun, input any) (any, string, *stateError) {
	st := sr.st
	states := sr.statesVar(input)
	switch st.typ {
	case "Fail":
		return nil, "", sr.ataFail(states)
	case "Choice":
		return sr.ataChoice(input, states)
	case "Wait":
		d, serr := sr.ataWait(states)
		if serr != nil {
			return nil, "", serr
		}
		if serr := e.sleep(ctx, d); serr != nil {
			return nil, "", serr
		}
	}
	out, serr := sr.ataFinish(st.output, st.assign, input, states, "")
	return out, st.next, serr
}

// ataFinish evaluates a state's Output (def when absent) and Assign, and
// keeps the assignments for the state's exit.
// prefix names where the fields are, "Choices[0]/" for a Choice rule's.
func (sr *stateRun) ataFinish(output *ataTemplate, assign *assignSpec, def any, states map[string]any, prefix string) (any, *stateError) {
	out := def
	if output != nil {
		v, serr := sr.evalAta(output, states, prefix+"Output")
		if serr != nil {
			return nil, serr
		}
		out = v
	}
	a, serr := sr.evalAssignAt(assign, nil, states, prefix+"Assign")
	if serr != nil {
		return nil, serr
	}
	sr.assigned = a
	return out, nil
}

// ataFail builds a JSONata Fail state's error from Error and Cause.
func (sr *stateRun) ataFail(states map[string]any) *stateError {
	st := sr.st
	name, cause := st.errorName, st.cause
	read := func(t *ataTemplate, field string) (string, *stateError) {
		v, serr := sr.evalAta(t, states, field)
		if serr != nil {
			return "", serr
		}
		s, ok := v.(string)
		if !ok {
			return "", sr.typeError(t, field, "string", v)
		}
		return s, nil
	}
	var serr *stateError
	if st.ataError != nil {
		if name, serr = read(st.ataError, "Error"); serr != nil {
			return serr
		}
	}
	if st.ataCause != nil {
		if cause, serr = read(st.ataCause, "Cause"); serr != nil {
			return serr
		}
	}
	return &stateError{name: name, cause: cause}
}

// typeError is the States.QueryEvaluationError of an expression whose
// value has the wrong type.
func (sr *stateRun) typeError(t *ataTemplate, field, want string, got any) *stateError {
	src := ""
	if t.expr != nil {
		src = ataSource(t.expr)
	}
	return sr.queryError(field, "The JSONata expression '%s' specified for the field '%s' returned an unexpected result type. Expected '%s', but was '%s' for value: %s", src, field, want, jsonType(got), encodeJSON(got))
}

// ataChoice takes the first rule whose Condition is true, or Default. A
// matching rule's Assign and Output apply; with Default, the state's.
func (sr *stateRun) ataChoice(input any, states map[string]any) (any, string, *stateError) {
	st := sr.st
	for i, r := range st.choices {
		at := "Choices[" + strconv.Itoa(i) + "]/"
		v, serr := sr.evalAta(r.condition, states, at+"Condition")
		if serr != nil {
			return nil, "", serr
		}
		b, ok := v.(bool)
		if !ok {
			return nil, "", sr.typeError(r.condition, at+"Condition", "boolean", v)
		}
		if !b {
			continue
		}
		out, serr := sr.ataFinish(r.output, r.assign, input, states, at)
		return out, r.next, serr
	}
	if st.defaultNext == "" {
		return nil, "", newStateError(ErrorNoChoiceMatched, "No Choice rule matched and no Default was specified in state '%s'.", st.name)
	}
	out, serr := sr.ataFinish(st.output, st.assign, input, states, "")
	return out, st.defaultNext, serr
}

// ataWait resolves a JSONata Wait state's Seconds or Timestamp.
func (sr *stateRun) ataWait(states map[string]any) (time.Duration, *stateError) {
	st := sr.st
	now := sr.e.svc.clock.Now()
	switch {
	case st.ataSeconds != nil:
		n, serr := sr.ataInteger(st.ataSeconds, states, "Seconds", 0, maxTimeoutSeconds)
		return time.Duration(n) * time.Second, serr
	case st.ataTimestamp != nil:
		v, serr := sr.evalAta(st.ataTimestamp, states, "Timestamp")
		if serr != nil {
			return 0, serr
		}
		s, ok := v.(string)
		if !ok {
			return 0, sr.typeError(st.ataTimestamp, "Timestamp", "string", v)
		}
		t, ok := parseTimestamp(s)
		if !ok {
			return 0, sr.queryError("Timestamp", "The JSONata expression '%s' specified for the field 'Timestamp' returned '%s', which is not an ISO-8601 extended offset date-time format string.", ataSource(st.ataTimestamp.expr), s)
		}
		return t.Sub(now), nil
	case st.hasWaitTimestamp:
		return st.waitTimestamp.Sub(now), nil
	}
	return time.Duration(st.waitSeconds) * time.Second, nil
}

// ataInteger evaluates an expression that must give an integer in
// [lo, hi].
func (sr *stateRun) ataInteger(t *ataTemplate, states map[string]any, field string, lo, hi int64) (int64, *stateError) {
	v, serr := sr.evalAta(t, states, field)
	if serr != nil {
		return 0, serr
	}
	n, ok := asInt(v)
	if !ok {
		return 0, sr.typeError(t, field, "integer", v)
	}
	if n < lo || n > hi {
		return 0, sr.queryError(field, "The JSONata expression '%s' specified for the field '%s' returned %d, which is not between %d and %d.", ataSource(t.expr), field, n, lo, hi)
	}
	return n, nil
}

// ataSeconds resolves a JSONata Task's TimeoutSeconds or HeartbeatSeconds.
func (sr *stateRun) ataSeconds(fixed int64, t *ataTemplate, input any, field string) (time.Duration, *stateError) {
	if t == nil {
		return time.Duration(fixed) * time.Second, nil
	}
	n, serr := sr.ataInteger(t, sr.statesVar(input), field, 1, maxTimeoutSeconds)
	return time.Duration(n) * time.Second, serr
}

// ataArguments evaluates a Task's or Parallel's Arguments; without them
// the state input is passed on.
func (sr *stateRun) ataArguments(input any) (any, *stateError) {
	if sr.st.arguments == nil {
		return input, nil
	}
	return sr.evalAta(sr.st.arguments, sr.statesVar(input), "Arguments")
}

// ataResult finishes a successful Task, Parallel or Map attempt: Output
// (default the result) and Assign, with $states.result bound.
func (sr *stateRun) ataResult(input, result any) (any, *stateError) {
	states := withStates(sr.statesVar(input), "result", result)
	return sr.ataFinish(sr.st.output, sr.st.assign, result, states, "")
}

// ataCatch applies a JSONata catcher: Output (default the error output)
// and Assign, with $states.errorOutput bound.
func (sr *stateRun) ataCatch(ct *catcher, index int, input, errOut any) (any, *stateError) {
	states := withStates(sr.statesVar(input), "errorOutput", errOut)
	return sr.ataFinish(ct.output, ct.assign, errOut, states, "Catch["+strconv.Itoa(index)+"]/")
}

// ataMapInputs selects a JSONata Map state's items (Items, default the
// input), shapes each with ItemSelector ($states.context.Map.Item
// bound), batches them and resolves MaxConcurrency.
func (sr *stateRun) ataMapInputs(input any) ([]any, int, *stateError) {
	st := sr.st
	states := sr.statesVar(input)
	items := input
	if st.ataItems != nil {
		v, serr := sr.evalAta(st.ataItems, states, "Items")
		if serr != nil {
			return nil, 0, serr
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		if st.ataItems != nil && st.ataItems.expr != nil {
			return nil, 0, sr.typeError(st.ataItems, "Items", "array", items)
		}
		return nil, 0, sr.queryError("Items", "The Map state's input must be an array when Items is not set, but it is of type %s.", jsonType(items))
	}
	inputs := make([]any, len(arr))
	for i, item := range arr {
		inputs[i] = item
		if st.ataItemSelector != nil {
			isr := &stateRun{e: sr.e, st: st, enteredID: sr.enteredID, entered: sr.entered, item: &mapItem{index: i, value: item}, vars: sr.vars}
			v, serr := isr.evalAta(st.ataItemSelector, isr.statesVar(input), "ItemSelector")
			if serr != nil {
				return nil, 0, serr
			}
			inputs[i] = v
		}
	}
	if st.batcher != nil {
		batched, serr := sr.batch(st.batcher, input, inputs)
		if serr != nil {
			return nil, 0, serr
		}
		inputs = batched
	}
	if st.ataMaxConcurrency != nil {
		n, serr := sr.ataInteger(st.ataMaxConcurrency, states, "MaxConcurrency", 0, math.MaxInt32)
		if serr != nil {
			return nil, 0, serr
		}
		if n == 0 {
			if st.distributed {
				return inputs, maxDistributedConcurrency, nil
			}
			return inputs, sr.e.svc.limits.MaxInlineMapConcurrency, nil
		}
		return inputs, int(min(n, maxDistributedConcurrency)), nil
	}
	limit, serr := sr.concurrency(input)
	return inputs, limit, serr
}

// ataTolerated resolves a JSONata distributed Map's tolerated failure
// expressions into fc.
func (sr *stateRun) ataTolerated(input any, fc *failureCounter) *stateError {
	st := sr.st
	if st.ataTolCount == nil && st.ataTolPct == nil {
		return nil
	}
	states := sr.statesVar(input)
	if st.ataTolCount != nil {
		n, serr := sr.ataInteger(st.ataTolCount, states, "ToleratedFailureCount", 0, math.MaxInt32)
		if serr != nil {
			return serr
		}
		fc.count, fc.hasCount = n, true
	}
	if st.ataTolPct != nil {
		v, serr := sr.evalAta(st.ataTolPct, states, "ToleratedFailurePercentage")
		if serr != nil {
			return serr
		}
		f, ok := asFloat(v)
		if !ok || f < 0 || f > 100 {
			return sr.typeError(st.ataTolPct, "ToleratedFailurePercentage", "number between 0 and 100", v)
		}
		fc.pct, fc.hasPct = f, true
	}
	return nil
}

// errorOutput is what a caught error becomes: {"Error", "Cause"}.
func errorOutput(serr *stateError) map[string]any {
	return map[string]any{"Error": serr.name, "Cause": serr.cause}
}
