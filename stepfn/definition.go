package stepfn

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// StateMachine is a compiled Amazon States Language definition: checked
// as CreateStateMachine checks it and ready to run. It is immutable and
// safe for concurrent use.
type StateMachine struct {
	definition     string
	comment        string
	timeoutSeconds int64
	root           *stateSet
	states         map[string]*state
}

// Definition returns the definition the state machine was compiled from.
func (m *StateMachine) Definition() string { return m.definition }

// Comment returns the definition's top-level Comment.
func (m *StateMachine) Comment() string { return m.comment }

// TimeoutSeconds returns the definition's top-level TimeoutSeconds, 0 when
// it sets none.
func (m *StateMachine) TimeoutSeconds() int64 { return m.timeoutSeconds }

// StateNames returns the names of every state, those of branches and item
// processors included, sorted.
func (m *StateMachine) StateNames() []string {
	names := make([]string, 0, len(m.states))
	for n := range m.states {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// stateSet is a States block with its StartAt: the top level, a Parallel
// branch or a Map's item processor.
type stateSet struct {
	startAt string
	states  map[string]*state
	order   []string
}

type state struct {
	name string
	typ  string
	loc  string

	next string
	end  bool

	// jsonata is set for a state whose QueryLanguage is JSONata: it reads
	// Arguments, Output and the JSONata forms of its fields below, and
	// none of the paths.
	jsonata   bool
	assign    *assignSpec
	arguments *ataTemplate
	output    *ataTemplate
	// JSONata forms of fields that also take a literal: the Task's
	// timeouts, the Wait's Seconds and Timestamp, the Fail's Error and
	// Cause, and the Map's Items, ItemSelector, MaxConcurrency and
	// tolerated failures.
	ataTimeout, ataHeartbeat  *ataTemplate
	ataSeconds, ataTimestamp  *ataTemplate
	ataError, ataCause        *ataTemplate
	ataItems, ataItemSelector *ataTemplate
	ataMaxConcurrency         *ataTemplate
	ataTolCount, ataTolPct    *ataTemplate

	inputPath      optPath // absent: $, null: {}
	outputPath     optPath
	resultPath     optPath // absent: $, null: discard the result
	parameters     *payloadTemplate
	resultSelector *payloadTemplate
	result         any
	hasResult      bool
	retry          []retrier
	catch          []catcher

	// Task
	resource         string
	timeoutSeconds   int64
	timeoutPath      *jsonPath
	heartbeatSeconds int64
	heartbeatPath    *jsonPath

	// Choice
	choices     []*choiceRule
	defaultNext string

	// Wait
	waitSeconds       int64
	hasWaitSeconds    bool
	waitTimestamp     time.Time
	hasWaitTimestamp  bool
	waitSecondsPath   *jsonPath
	waitTimestampPath *jsonPath

	// Fail
	errorName, cause     string
	errorPath, causePath *valueRef

	// Parallel
	branches []*stateSet

	// Map
	processor          *stateSet
	distributed        bool
	itemsPath          *jsonPath
	itemSelector       *payloadTemplate
	maxConcurrency     int64
	maxConcurrencyPath *jsonPath
	batcher            *itemBatcher
	toleratedCount     int64
	toleratedPercent   float64
	hasToleratedCount  bool
	hasToleratedPct    bool
	toleratedCountPath *jsonPath
	toleratedPctPath   *jsonPath
}

// optPath is an InputPath, OutputPath or ResultPath: absent, null or a
// path.
type optPath struct {
	set  bool
	null bool
	path *jsonPath
}

// valueRef is an ErrorPath or CausePath: a path or an intrinsic call.
type valueRef struct {
	path *jsonPath
	call *intrinsic
}

type itemBatcher struct {
	maxItems        int64
	maxItemsPath    *jsonPath
	maxBytes        int64
	maxBytesPath    *jsonPath
	batchInput      *payloadTemplate
	hasMaxItems     bool
	hasMaxBytes     bool
	hasMaxItemsPath bool
}

// Compile parses and validates an Amazon States Language definition as
// CreateStateMachine does. A rejected definition returns an *Error with
// code InvalidDefinition whose message is AWS's and which wraps a
// *[DefinitionError] listing every diagnostic with its location.
func Compile(definition string) (*StateMachine, error) {
	d := &diagnostics{}
	m := compileDefinition(definition, d)
	if err := d.err(); err != nil {
		return nil, err
	}
	return m, nil
}

// Validate checks a definition as ValidateStateMachineDefinition does and
// returns its diagnostics, none for a valid definition.
func Validate(definition string) []Diagnostic {
	d := &diagnostics{}
	compileDefinition(definition, d)
	return d.list
}

func compileDefinition(definition string, d *diagnostics) *StateMachine {
	if strings.TrimSpace(definition) == "" {
		d.add(CodeSchemaValidationFailed, "", "Definition must be a valid JSON object")
		return nil
	}
	tree, err := parseDefinitionJSON(definition)
	if err != nil {
		d.add(CodeInvalidJSONDescription, "", "%s", err.Error())
		return nil
	}
	root, ok := tree.(*object)
	if !ok {
		d.add(CodeSchemaValidationFailed, "", "Definition must be a valid JSON object")
		return nil
	}
	c := &compiler{d: d, names: map[string]string{}, all: map[string]*state{}}
	m := &StateMachine{definition: definition, states: c.all}
	c.checkFields(root, "/", topFields, nil)
	if v, ok := root.get("Comment"); ok {
		s, _ := c.str(v, "/Comment", "Comment")
		m.comment = s
	}
	if v, ok := root.get("Version"); ok {
		if s, ok := c.str(v, "/Version", "Version"); ok && s != "1.0" {
			d.schema("/Version", "The value for the field 'Version' must be '1.0'")
		}
	}
	if v, ok := root.get("TimeoutSeconds"); ok {
		m.timeoutSeconds, _ = c.intRange(v, "/TimeoutSeconds", "TimeoutSeconds", 1, maxTimeoutSeconds)
	}
	c.topLang = langJSONPath
	if v, ok := root.get("QueryLanguage"); ok {
		if l := c.queryLanguage(v, "/QueryLanguage"); l != "" {
			c.topLang = l
		}
	}
	c.lang = c.topLang
	m.root = c.stateSet(root, "/", 0)
	if len(d.list) > 0 {
		return nil
	}
	return m
}

var topFields = fieldSet("Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage")

// compiler carries what validation needs across nested scopes.
type compiler struct {
	d     *diagnostics
	names map[string]string // state name to its location, machine-wide
	all   map[string]*state
	// topLang is the definition's QueryLanguage; lang is the language of
	// the state being compiled.
	topLang, lang string
}

// maxNesting bounds how deep Parallel branches and Map processors nest.
const maxNesting = 40

// stateSet compiles a States block and its StartAt, then checks its
// transitions, reachability and terminal states.
func (c *compiler) stateSet(o *object, loc string, depth int) *stateSet {
	if depth > maxNesting {
		c.d.add(CodeTooDeeplyNested, loc, "The states are nested more than %d levels deep", maxNesting)
		return nil
	}
	var missing []string
	statesV, hasStates := o.get("States")
	startV, hasStart := o.get("StartAt")
	if !hasStates {
		missing = append(missing, "States")
	}
	if !hasStart {
		missing = append(missing, "StartAt")
	}
	if len(missing) > 0 {
		c.d.schema(loc, "These fields are required: %s", quoteList(missing))
	}
	set := &stateSet{states: map[string]*state{}}
	if hasStart {
		set.startAt, _ = c.str(startV, ptr(loc, "StartAt"), "StartAt")
	}
	if !hasStates {
		return set
	}
	statesLoc := ptr(loc, "States")
	states, ok := statesV.(*object)
	if !ok {
		c.d.schema(statesLoc, "The value for the field 'States' must be an OBJECT")
		return set
	}
	if len(states.keys) == 0 {
		c.d.schema(statesLoc, "The field 'States' should be non-empty")
		return set
	}
	for _, name := range states.dups {
		c.d.add(CodeDuplicateStateName, ptr(statesLoc, name), "Duplicate State name: %s", name)
	}
	for _, name := range states.keys {
		sloc := ptr(statesLoc, name)
		if n := utf8.RuneCountInString(name); n == 0 || n > maxNameLength {
			c.d.add(CodeInvalidStateName, sloc, "State name '%s' must be between 1 and %d characters long", name, maxNameLength)
		}
		if _, dup := c.names[name]; dup {
			c.d.add(CodeDuplicateStateName, sloc, "Duplicate State name: %s", name)
		} else {
			c.names[name] = sloc
		}
		var st *state
		if so, ok := states.vals[name].(*object); ok {
			st = c.state(name, so, sloc, depth)
		} else {
			c.d.schema(sloc, "The value for the state '%s' must be an OBJECT", name)
		}
		if st == nil {
			// A state too broken to compile still exists for the
			// transition checks, so that one mistake is reported once.
			st = &state{name: name, loc: sloc, end: true}
		}
		set.states[name] = st
		set.order = append(set.order, name)
		if _, seen := c.all[name]; !seen {
			c.all[name] = st
		}
	}
	c.checkTransitions(set, loc)
	return set
}

// checkTransitions verifies that every target exists in the scope, that
// every state is reachable from StartAt and that a terminal state exists.
func (c *compiler) checkTransitions(set *stateSet, loc string) {
	missing := false
	target := func(name, at, field string) {
		if _, ok := set.states[name]; !ok {
			c.d.add(CodeMissingTransitionTarget, at, "Missing '%s' target: %s", field, name)
			missing = true
		}
	}
	if set.startAt != "" {
		target(set.startAt, ptr(loc, "StartAt"), "Next")
	}
	terminal := false
	for _, name := range set.order {
		st := set.states[name]
		switch {
		case st.typ == "Succeed" || st.typ == "Fail" || st.end:
			terminal = true
		}
		if st.next != "" {
			target(st.next, ptr(st.loc, "Next"), "Next")
		}
		if st.defaultNext != "" {
			target(st.defaultNext, ptr(st.loc, "Default"), "Default")
		}
		for i, r := range st.choices {
			if r.next != "" {
				target(r.next, ptr(ptrIndex(ptr(st.loc, "Choices"), i), "Next"), "Next")
			}
		}
		for i, ct := range st.catch {
			if ct.next != "" {
				target(ct.next, ptr(ptrIndex(ptr(st.loc, "Catch"), i), "Next"), "Next")
			}
		}
	}
	if !terminal && !missing && len(set.order) > 0 {
		c.d.add(CodeMissingEndState, ptr(loc, "States"), "Workflow has no terminal state")
	}
	if _, ok := set.states[set.startAt]; !ok {
		return
	}
	reached := map[string]bool{set.startAt: true}
	queue := []string{set.startAt}
	for len(queue) > 0 {
		st := set.states[queue[0]]
		queue = queue[1:]
		for _, n := range st.successors() {
			if _, ok := set.states[n]; ok && !reached[n] {
				reached[n] = true
				queue = append(queue, n)
			}
		}
	}
	for _, name := range set.order {
		if !reached[name] {
			c.d.add(CodeUnreachableState, set.states[name].loc, "State \"%s\" is not reachable.", name)
		}
	}
}

// successors lists the states a state may transition to.
func (st *state) successors() []string {
	var out []string
	if st.next != "" {
		out = append(out, st.next)
	}
	if st.defaultNext != "" {
		out = append(out, st.defaultNext)
	}
	for _, r := range st.choices {
		out = append(out, r.next)
	}
	for _, ct := range st.catch {
		out = append(out, ct.next)
	}
	return out
}

func fieldSet(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}

// unsupportedFields are valid ASL that minicloud does not run: S3 item
// readers and result writers.
var unsupportedFields = fieldSet("ItemReader", "ResultWriter")

// jsonPathOnly are the fields a JSONata state may not have, and
// jsonataOnly those a JSONPath state may not have.
var (
	jsonPathOnly = fieldSet("InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Result",
		"TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath", "ErrorPath", "CausePath",
		"ItemsPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "Iterator")
	jsonataOnly = fieldSet("Arguments", "Output", "Items")
)

// checkFields reports unknown fields and the duplicate keys of o.
func (c *compiler) checkFields(o *object, loc string, allowed map[string]bool, alsoAllowed map[string]bool) {
	for _, k := range o.dups {
		c.d.schema(ptr(loc, k), "The field '%s' is duplicated", k)
	}
	for _, k := range o.keys {
		if allowed[k] || alsoAllowed[k] {
			continue
		}
		if unsupportedFields[k] {
			c.d.schema(ptr(loc, k), "The field '%s' is valid ASL but minicloud does not support it", k)
			continue
		}
		c.d.schema(ptr(loc, k), "The field '%s' is not supported by Step Functions", k)
	}
}

func (c *compiler) queryLanguage(v any, loc string) string {
	s, ok := c.str(v, loc, "QueryLanguage")
	if !ok {
		return ""
	}
	switch s {
	case langJSONPath, langJSONata:
		return s
	}
	c.d.schema(loc, "The value for the field 'QueryLanguage' must be one of [JSONPath, JSONata]")
	return ""
}

// Typed field readers. Each adds a diagnostic and reports false when v is
// not of the wanted type or range.

func (c *compiler) str(v any, loc, field string) (string, bool) {
	s, ok := v.(string)
	if !ok {
		c.d.schema(loc, "The value for the field '%s' must be a STRING", field)
	}
	return s, ok
}

func (c *compiler) nonEmptyStr(v any, loc, field string) (string, bool) {
	s, ok := c.str(v, loc, field)
	if ok && s == "" {
		c.d.schema(loc, "The field '%s' should be non-empty", field)
		return s, false
	}
	return s, ok
}

func (c *compiler) boolean(v any, loc, field string) (bool, bool) {
	b, ok := v.(bool)
	if !ok {
		c.d.schema(loc, "The value for the field '%s' must be a BOOLEAN", field)
	}
	return b, ok
}

func (c *compiler) intRange(v any, loc, field string, lo, hi int64) (int64, bool) {
	n, ok := asInt(v)
	if !ok {
		c.d.schema(loc, "The value for the field '%s' must be an INTEGER", field)
		return 0, false
	}
	if n < lo || n > hi {
		c.d.schema(loc, "The value for the field '%s' must be between %d and %d", field, lo, hi)
		return 0, false
	}
	return n, true
}

func (c *compiler) number(v any, loc, field string) (float64, bool) {
	f, ok := asFloat(v)
	if !ok {
		c.d.schema(loc, "The value for the field '%s' must be a NUMBER", field)
	}
	return f, ok
}

// path compiles a Path field: any JSONPath on $ or $$.
func (c *compiler) path(v any, loc, field string) *jsonPath {
	s, ok := c.str(v, loc, field)
	if !ok {
		return nil
	}
	p, err := parsePath(s)
	if err != nil {
		c.d.schemaDetail(loc, err, "The value for the field '%s' must be a valid JSONPath", field)
		return nil
	}
	return p
}

// optionalPath compiles InputPath, OutputPath or ResultPath, which may be
// null. ResultPath must be a Reference Path.
func (c *compiler) optionalPath(o *object, loc, field string, reference bool) optPath {
	v, ok := o.get(field)
	if !ok {
		return optPath{}
	}
	if v == nil {
		return optPath{set: true, null: true}
	}
	floc := ptr(loc, field)
	p := c.path(v, floc, field)
	if p == nil {
		return optPath{}
	}
	if reference && !p.reference() {
		c.d.schema(floc, "The value for the field '%s' must be a valid ReferencePath", field)
		return optPath{}
	}
	return optPath{set: true, path: p}
}

// valueRef compiles an ErrorPath or CausePath: a path or an intrinsic
// function call.
func (c *compiler) valueRef(v any, loc, field string) *valueRef {
	s, ok := c.str(v, loc, field)
	if !ok {
		return nil
	}
	if isIntrinsicCall(s) {
		call, err := parseIntrinsic(s)
		if err != nil {
			c.d.schemaDetail(loc, err, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", field)
			return nil
		}
		return &valueRef{call: call}
	}
	p, err := parsePath(s)
	if err != nil {
		c.d.schemaDetail(loc, err, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", field)
		return nil
	}
	return &valueRef{path: p}
}

// template compiles a payload template field that must hold an object.
func (c *compiler) template(o *object, loc, field string) *payloadTemplate {
	v, ok := o.get(field)
	if !ok {
		return nil
	}
	floc := ptr(loc, field)
	if _, isObj := v.(*object); !isObj {
		c.d.schema(floc, "The value for the field '%s' must be an OBJECT", field)
		return nil
	}
	return compileTemplate(v, floc, c.d)
}

// ValidateStateMachineDefinitionInput is the request of
// ValidateStateMachineDefinition.
type ValidateStateMachineDefinitionInput struct {
	// Definition is the Amazon States Language document. Required.
	Definition string
	// Type is STANDARD (the default) or EXPRESS.
	Type string
}

// ValidateStateMachineDefinitionOutput is the response of
// ValidateStateMachineDefinition: Result is OK or FAIL.
type ValidateStateMachineDefinitionOutput struct {
	Result      string
	Diagnostics []Diagnostic
}

// ValidateStateMachineDefinition checks a definition without creating a
// state machine and lists what CreateStateMachine would reject.
func (s *Service) ValidateStateMachineDefinition(ctx context.Context, in *ValidateStateMachineDefinitionInput) (*ValidateStateMachineDefinitionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	diags := Validate(in.Definition)
	if len(diags) == 0 && in.Type == TypeExpress {
		def, _ := Compile(in.Definition)
		var de *DefinitionError
		if errors.As(checkExpress(def), &de) {
			diags = de.Diagnostics
		}
	}
	out := &ValidateStateMachineDefinitionOutput{Result: "OK", Diagnostics: diags}
	if len(diags) > 0 {
		out.Result = "FAIL"
	}
	return out, nil
}
