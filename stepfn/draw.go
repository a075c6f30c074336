package stepfn

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// DrawFormat is a diagram language [StateMachine.Draw] writes.
type DrawFormat string

// Diagram languages.
const (
	// DrawMermaid is a Mermaid flowchart ("flowchart TD"), which GitHub,
	// GitLab and many documentation tools render from a ```mermaid block.
	DrawMermaid DrawFormat = "mermaid"
	// DrawDOT is a Graphviz digraph: `dot -Tsvg machine.dot > machine.svg`.
	DrawDOT DrawFormat = "dot"
)

// maxRuleLabel is the longest Choice rule label drawn; longer rules are
// cut with an ellipsis.
const maxRuleLabel = 60

// ExecutionPath is what one execution did, as a drawing marks it: which
// states it entered and how often, which attempts of a Task, Parallel or
// Map state were retries, and where it stopped when it did not succeed.
type ExecutionPath struct {
	// Status is the execution's status (SUCCEEDED, FAILED, ...).
	Status string
	// Error is the execution's error name when it failed.
	Error string
	// Entered counts how many times each state was entered.
	Entered map[string]int
	// Retries counts each state's attempts beyond the first of each entry.
	Retries map[string]int
	// Failed holds the states that were entered and never exited in an
	// execution that did not succeed: where it failed, timed out or was
	// stopped (a Parallel or Map state and the branch state inside it).
	Failed map[string]bool
}

// ExecutionPath reads an execution of this state machine from its
// history, as GetExecutionHistory returns it (oldest first): the states
// entered, the retries, and, when it did not succeed, the states it
// stopped in. A state counts as failed when it never exited, every
// Parallel or Map state around it never exited either, and it is where
// the execution ended or its last attempt failed (TaskFailed,
// ActivityTimedOut, ParallelStateFailed, ...). A timed-out or aborted
// execution marks every state still running.
func (m *StateMachine) ExecutionPath(events []HistoryEvent) *ExecutionPath {
	p := &ExecutionPath{Entered: map[string]int{}, Retries: map[string]int{}, Failed: map[string]bool{}}
	byID := make(map[int64]*HistoryEvent, len(events))
	open := map[string]int{}
	attempts := map[string]int{}
	lastFailed := map[string]bool{}
	ender := ""
	for i := range events {
		ev := &events[i]
		byID[ev.ID] = ev
		switch {
		case ev.StateEnteredEventDetails != nil:
			name := ev.StateEnteredEventDetails.Name
			p.Entered[name]++
			open[name]++
			lastFailed[name] = false
		case ev.StateExitedEventDetails != nil:
			open[ev.StateExitedEventDetails.Name]--
		case isAttemptEvent(ev.Type):
			if name := owningState(ev, byID); name != "" {
				attempts[name]++
				lastFailed[name] = false
			}
		case isFailureEvent(ev.Type):
			if name := owningState(ev, byID); name != "" {
				lastFailed[name] = true
			}
		}
		switch {
		case ev.ExecutionSucceededEventDetails != nil:
			p.Status = StatusSucceeded
		case ev.ExecutionFailedEventDetails != nil:
			p.Status, p.Error = StatusFailed, ev.ExecutionFailedEventDetails.Error
			ender = owningState(ev, byID)
		case ev.ExecutionTimedOutEventDetails != nil:
			p.Status, p.Error = StatusTimedOut, ev.ExecutionTimedOutEventDetails.Error
		case ev.ExecutionAbortedEventDetails != nil:
			p.Status, p.Error = StatusAborted, ev.ExecutionAbortedEventDetails.Error
		}
	}
	if p.Status == "" {
		p.Status = StatusRunning
	}
	for name, n := range attempts {
		if r := n - p.Entered[name]; r > 0 {
			p.Retries[name] = r
		}
	}
	if p.Status == StatusSucceeded || p.Status == StatusRunning {
		return p
	}
	parents := m.parents()
	stillOpen := func(name string) bool {
		for n := name; n != ""; n = parents[n] {
			if open[n] <= 0 {
				return false
			}
		}
		return true
	}
	for name := range open {
		if stillOpen(name) && (p.Status != StatusFailed || lastFailed[name] || name == ender) {
			p.Failed[name] = true
		}
	}
	return p
}

// parents maps each state inside a Parallel branch or Map item processor
// to the Parallel or Map state around it.
func (m *StateMachine) parents() map[string]string {
	out := map[string]string{}
	var walk func(set *stateSet, parent string)
	walk = func(set *stateSet, parent string) {
		if set == nil {
			return
		}
		for _, name := range set.order {
			st := set.states[name]
			if parent != "" {
				out[name] = parent
			}
			for _, b := range st.branches {
				walk(b, name)
			}
			walk(st.processor, name)
		}
	}
	walk(m.root, "")
	return out
}

// isFailureEvent reports whether an event ends an attempt of a Task,
// Parallel or Map state with an error.
func isFailureEvent(typ string) bool {
	switch typ {
	case "TaskFailed", "TaskTimedOut", "LambdaFunctionFailed", "LambdaFunctionTimedOut", "ActivityFailed",
		"ActivityTimedOut", "ActivityScheduleFailed", "ParallelStateFailed", "MapStateFailed":
		return true
	}
	return false
}

// isAttemptEvent reports whether an event starts one attempt of a Task,
// Parallel or Map state.
func isAttemptEvent(typ string) bool {
	switch typ {
	case "TaskScheduled", "LambdaFunctionScheduled", "ActivityScheduled", "ParallelStateStarted", "MapStateStarted":
		return true
	}
	return false
}

// owningState walks back from an event along previousEventId to the
// StateEntered event of its state, stepping over the branches and
// iterations of Parallel and Map attempts that ended before it (or that
// it ends).
func owningState(ev *HistoryEvent, byID map[int64]*HistoryEvent) string {
	depth := 0
	for cur := ev; cur != nil; cur = byID[cur.PreviousEventID] {
		switch cur.Type {
		case "ParallelStateSucceeded", "ParallelStateFailed", "MapStateSucceeded", "MapStateFailed":
			depth++
			continue
		case "ParallelStateStarted", "MapStateStarted":
			if depth > 0 {
				depth--
				continue
			}
		}
		if depth == 0 && cur.StateEnteredEventDetails != nil {
			return cur.StateEnteredEventDetails.Name
		}
		if cur.PreviousEventID >= cur.ID || cur.PreviousEventID == 0 {
			break
		}
	}
	return ""
}

// Draw renders the state machine as a diagram: every state a node (Choice
// states diamonds), every transition an edge, Choice rules written on
// their edges, Catch edges dashed and labelled with their error names,
// and Parallel branches and Map item processors drawn as nested
// subgraphs (Mermaid) or clusters (DOT). The output is deterministic:
// states appear in definition order.
func (m *StateMachine) Draw(format DrawFormat) (string, error) {
	return m.DrawPath(format, nil)
}

// DrawPath draws the state machine with an execution's path on it:
// visited states filled, the states it failed in marked and labelled with
// the error, and each state's retries counted. A nil path draws the bare
// state machine.
func (m *StateMachine) DrawPath(format DrawFormat, path *ExecutionPath) (string, error) {
	d := newDrawing(m, path)
	switch format {
	case DrawMermaid:
		return d.mermaid(), nil
	case DrawDOT:
		return d.dot(), nil
	}
	return "", ErrValidation.Newf("Unknown drawing format '%s': use mermaid or dot", format)
}

// DrawStateMachine draws a created state machine; see [StateMachine.Draw].
func (s *Service) DrawStateMachine(ctx context.Context, stateMachineArn string, format DrawFormat) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	if err := checkArn(stateMachineArn, "stateMachine"); err != nil {
		return "", err
	}
	s.mu.Lock()
	m, ok := s.machines[stateMachineArn]
	var def *StateMachine
	if ok {
		def = m.def // UpdateStateMachine replaces it under s.mu
	}
	s.mu.Unlock()
	if !ok {
		return "", ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", stateMachineArn)
	}
	return def.Draw(format)
}

// DrawExecution draws a Standard execution's state machine with the
// execution's path on it so far; see [StateMachine.DrawPath]. Express
// executions keep no history and answer StateMachineTypeNotSupported.
func (s *Service) DrawExecution(ctx context.Context, executionArn string, format DrawFormat) (string, error) {
	if err := ctx.Err(); err != nil {
		return "", err
	}
	e, err := s.lookupExecution(executionArn)
	if err != nil {
		return "", err
	}
	if e.express {
		return "", ErrStateMachineTypeNotSupported.New("This operation is not supported by this type of state machine")
	}
	e.mu.Lock()
	events := append([]HistoryEvent(nil), e.events...)
	e.mu.Unlock()
	return e.def.DrawPath(format, e.def.ExecutionPath(events))
}

// drawing is a state machine laid out for rendering: a node id per state,
// in definition order.
type drawing struct {
	m    *StateMachine
	path *ExecutionPath
	ids  map[*state]string
	n    int
}

func newDrawing(m *StateMachine, path *ExecutionPath) *drawing {
	d := &drawing{m: m, path: path, ids: map[*state]string{}}
	d.number(m.root)
	return d
}

// number gives every state of a set, and of its nested sets, an id.
func (d *drawing) number(set *stateSet) {
	if set == nil {
		return
	}
	for _, name := range set.order {
		st := set.states[name]
		d.ids[st] = fmt.Sprintf("s%d", d.n)
		d.n++
		for _, b := range st.branches {
			d.number(b)
		}
		d.number(st.processor)
	}
}

// edge is one transition of a state.
type edge struct {
	from, to *state
	label    string
	dashed   bool // a Catch
}

// edges lists a state's transitions within its set: Choice rules in
// order, Default, Next, then Catch.
func (d *drawing) edges(set *stateSet, st *state) []edge {
	var out []edge
	to := func(name string) *state { return set.states[name] }
	for _, r := range st.choices {
		if t := to(r.next); t != nil {
			out = append(out, edge{from: st, to: t, label: ruleLabel(r)})
		}
	}
	if t := to(st.defaultNext); t != nil {
		out = append(out, edge{from: st, to: t, label: "Default"})
	}
	if t := to(st.next); t != nil {
		out = append(out, edge{from: st, to: t})
	}
	for _, c := range st.catch {
		if t := to(c.next); t != nil {
			out = append(out, edge{from: st, to: t, label: strings.Join(c.errorEquals, ", "), dashed: true})
		}
	}
	return out
}

// terminal reports whether a state ends its set.
func terminal(st *state) bool {
	return st.end || st.typ == "Succeed" || st.typ == "Fail"
}

// note is the extra line a drawn execution adds to a state's label.
func (d *drawing) note(st *state) string {
	if d.path == nil {
		return ""
	}
	var parts []string
	if n := d.path.Retries[st.name]; n == 1 {
		parts = append(parts, "1 retry")
	} else if n > 1 {
		parts = append(parts, fmt.Sprintf("%d retries", n))
	}
	if d.path.Failed[st.name] && d.path.Error != "" {
		parts = append(parts, "failed: "+d.path.Error)
	} else if d.path.Failed[st.name] {
		parts = append(parts, strings.ToLower(d.path.Status))
	}
	return strings.Join(parts, ", ")
}

// mark is how a drawn execution shows a state: "failed", "visited" or "".
func (d *drawing) mark(st *state) string {
	switch {
	case d.path == nil:
		return ""
	case d.path.Failed[st.name]:
		return "failed"
	case d.path.Entered[st.name] > 0:
		return "visited"
	}
	return ""
}

// ruleLabel writes a Choice rule as a short condition:
// $.status == "ok", $.n >= 10, ($.a == 1) && !($.b is null).
func ruleLabel(r *choiceRule) string {
	s := ruleText(r)
	if n := len([]rune(s)); n > maxRuleLabel {
		s = string([]rune(s)[:maxRuleLabel-1]) + "…"
	}
	return s
}

var ruleOps = map[string]string{
	"Equals": "==", "LessThan": "<", "GreaterThan": ">", "LessThanEquals": "<=", "GreaterThanEquals": ">=",
}

func ruleText(r *choiceRule) string {
	group := func(list []*choiceRule, sep string) string {
		parts := make([]string, len(list))
		for i, s := range list {
			parts[i] = "(" + ruleText(s) + ")"
		}
		return strings.Join(parts, sep)
	}
	switch {
	case r.and != nil:
		return group(r.and, " && ")
	case r.or != nil:
		return group(r.or, " || ")
	case r.not != nil:
		return "!(" + ruleText(r.not) + ")"
	case r.condition != nil && r.condition.expr != nil:
		return strings.TrimSpace(r.condition.expr.Source())
	case r.condition != nil:
		return fmt.Sprint(r.condition.static)
	case r.variable == nil:
		return "?"
	}
	v := r.variable.src
	operand := func() string {
		switch {
		case r.byPath && r.valuePath != nil:
			return r.valuePath.src
		case strings.HasPrefix(r.op, "Timestamp"):
			return r.ts.UTC().Format(time.RFC3339)
		case strings.HasPrefix(r.op, "String"):
			b, _ := json.Marshal(r.value)
			return string(b)
		}
		return fmt.Sprint(r.value)
	}
	if strings.HasPrefix(r.op, "Is") {
		what := map[string]string{"IsPresent": "present", "IsNull": "null", "IsNumeric": "numeric", "IsString": "a string",
			"IsBoolean": "a boolean", "IsTimestamp": "a timestamp"}[r.op]
		if b, _ := r.value.(bool); !b {
			return v + " is not " + what
		}
		return v + " is " + what
	}
	if r.op == "StringMatches" {
		return v + " matches " + operand()
	}
	for _, kind := range []string{"String", "Numeric", "Boolean", "Timestamp"} {
		if rest, ok := strings.CutPrefix(r.op, kind); ok {
			if op, ok := ruleOps[rest]; ok {
				return v + " " + op + " " + operand()
			}
		}
	}
	return v + " " + r.op + " " + operand()
}
