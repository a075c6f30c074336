package jsonata

import (
	"fmt"
	"math"
	"regexp"
	"time"
)

// Expr is a compiled JSONata expression. It holds no mutable state and
// may be evaluated from many goroutines at once.
type Expr struct {
	src  string
	root *node
}

// Source returns the expression's text.
func (e *Expr) Source() string { return e.src }

// Env is what an evaluation sees besides its input document.
type Env struct {
	Vars     map[string]any  // bindings visible as $name (name without the $); e.g. "states" -> map
	Funcs    map[string]Func // extra or overriding functions visible as $name
	Now      time.Time       // the instant $now() and $millis() return for the whole evaluation (zero: time.Now() once per Eval)
	Rand     func() float64  // source for $random() and $shuffle (nil: math/rand/v2)
	MaxDepth int             // limit on nested function calls (0: 500, at most 10000); beyond it the error is U1001
	MaxSteps int             // limit on evaluation steps (0: unlimited); beyond it the error is U1002
}

// Func is a Go function callable from expressions. Signature is a JSONata
// signature string like "<n-n?:n>" (validated and coerced exactly as for
// builtins; "" means no checking). Impl receives the evaluated arguments
// after signature processing; it may return Undefined.
type Func struct {
	Signature string
	Impl      func(c *Call, args []any) (any, error)
}

// Call is what a Func sees: the context item, the position for errors,
// and a way to call function arguments back.
type Call struct {
	Input    any // the context item of the call
	Position int // the call's offset in the expression

	ev   *evaluator
	fr   *frame
	name string
}

// Apply calls a function value (lambda, builtin, partial application or
// regex matcher) with args and returns its plain result.
func (c *Call) Apply(fn any, args ...any) (any, error) {
	if c.ev == nil {
		return Undefined, &Error{Code: "T1006", Position: c.Position, Message: messages["T1006"]}
	}
	r, err := c.ev.apply(fn, args, c.Input, c.fr, c.Position, c.name)
	if err != nil {
		return Undefined, err
	}
	return plain(r), nil
}

// Errorf builds an *Error at the call's position with the given code and
// a message formatted from format and args.
func (c *Call) Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Position: c.Position, Token: c.name, Message: fmt.Sprintf(format, args...)}
}

func (c *Call) err(code string, info errInfo) *Error {
	return newError(code, c.Position, c.name, info)
}

// frame is one scope of variable bindings.
type frame struct {
	vars   map[string]any
	parent *frame
}

func newFrame(parent *frame) *frame { return &frame{parent: parent} }

func (f *frame) bind(name string, v any) {
	if f.vars == nil {
		f.vars = make(map[string]any, 4)
	}
	f.vars[name] = v
}

func (f *frame) lookup(name string) (any, bool) {
	for fr := f; fr != nil; fr = fr.parent {
		if v, ok := fr.vars[name]; ok {
			return v, true
		}
	}
	if b, ok := builtins[name]; ok {
		return b, true
	}
	return Undefined, false
}

// function values
type lambdaFn struct {
	n     *node
	input any
	env   *frame
}

type builtinFn struct {
	name  string
	sig   *signature
	arity int
	impl  func(c *Call, args []any) (any, error)
	user  bool
}

type partialFn struct {
	fn    any
	args  []any // nil entries marked by hole
	holes []bool
	count int
}

type matcherFn struct {
	re  *regexp.Regexp
	src string
	at  int
}

func (m *matcherFn) pos() int { return m.at }

type composedFn struct{ f, g any }

type transformFn struct {
	n  *node
	fr *frame
}

type thunk struct {
	fn    any
	args  []any
	input any
	fr    *frame
	pos   int
	name  string
}

// IsFunction reports whether v is a function value (lambda, builtin,
// partial application, regex matcher).
func IsFunction(v any) bool {
	switch v.(type) {
	case *lambdaFn, *builtinFn, *partialFn, *matcherFn, *composedFn, *transformFn:
		return true
	}
	return false
}

// arity is the number of arguments a callback receives from the
// higher-order functions ($map, $filter, $each, $sift, $single, $reduce).
func arity(fn any) int {
	switch f := fn.(type) {
	case *lambdaFn:
		return len(f.n.param)
	case *builtinFn:
		return f.arity
	case *partialFn:
		return f.count
	case *matcherFn:
		return 2 // (string, start index), as jsonata-js's regex closure
	case *composedFn, *transformFn:
		return 1
	}
	return 0
}

// maxDepthCap keeps deep recursion well inside Go's stack limit.
const maxDepthCap = 10000

type evaluator struct {
	env      *Env
	now      time.Time
	rand     func() float64
	steps    int
	maxSteps int
	depth    int
	maxDepth int
	root     *frame
}

// Eval evaluates e against input with env (nil env allowed). A result of
// "nothing" (JSONata's undefined) is returned as Undefined with a nil
// error. Errors are *Error.
func (e *Expr) Eval(input any, env *Env) (any, error) {
	ev := newEvaluator(env)
	return ev.run(e.root, input)
}

func newEvaluator(env *Env) *evaluator {
	if env == nil {
		env = &Env{}
	}
	ev := &evaluator{env: env, now: env.Now, rand: env.Rand, maxSteps: env.MaxSteps, maxDepth: env.MaxDepth}
	if ev.now.IsZero() {
		ev.now = time.Now()
	}
	if ev.rand == nil {
		ev.rand = defaultRand
	}
	if ev.maxDepth <= 0 {
		ev.maxDepth = 500
	}
	if ev.maxDepth > maxDepthCap {
		ev.maxDepth = maxDepthCap
	}
	ev.root = newFrame(nil)
	for k, v := range env.Vars {
		ev.root.bind(k, v)
	}
	for k, f := range env.Funcs {
		b := &builtinFn{name: k, impl: f.Impl, user: true, arity: 3}
		if f.Signature != "" {
			if s, err := parseStrictSignature(f.Signature); err == nil {
				b.sig = s
				b.arity = len(s.params)
			} else {
				b.impl = func(c *Call, _ []any) (any, error) {
					return nil, newError("S0403", c.Position, k, errInfo{value: f.Signature, hasValue: true})
				}
			}
		}
		ev.root.bind(k, b)
	}
	return ev
}

func (ev *evaluator) run(root *node, input any) (any, error) {
	fr := newFrame(ev.root)
	fr.bind("$", input)
	if a, ok := input.([]any); ok {
		input = &seq{items: []any{a}, sequence: true, outerWrapper: true}
	}
	res, err := ev.eval(root, input, fr)
	if err != nil {
		return Undefined, err
	}
	if s, ok := res.(*seq); ok && s.sequence {
		if len(s.items) == 0 {
			return Undefined, nil
		}
	}
	return plain(res), nil
}

func (ev *evaluator) step(n *node) error {
	ev.steps++
	if ev.maxSteps > 0 && ev.steps > ev.maxSteps {
		return errp("U1002", n.pos, "")
	}
	return nil
}

// eval evaluates n against input in frame fr.
func (ev *evaluator) eval(n *node, input any, fr *frame) (any, error) {
	if err := ev.step(n); err != nil {
		return nil, err
	}
	var result any
	var err error
	switch n.typ {
	case nPath:
		result, err = ev.evalPath(n, input, fr)
	case nBinary:
		result, err = ev.evalBinary(n, input, fr)
	case nNeg:
		result, err = ev.eval(n.lhs, input, fr)
		if err == nil && !IsUndefined(result) {
			if f, ok := toNumber(result); ok {
				result = 0 - f
			} else {
				err = errv("D1002", n.pos, "-", result)
			}
		}
	case nArray:
		result, err = ev.evalArray(n, input, fr)
	case nObject:
		result, err = ev.evalGroup(n.pairs, n.pos, input, fr)
	case nName:
		result = lookupField(input, n.op)
	case nString:
		result = n.op
	case nNumber:
		result = n.num
	case nValue:
		result = n.lit
	case nWildcard:
		result = evalWildcard(input)
	case nDescendant:
		result = evalDescendants(input)
	case nParent:
		result, _ = fr.lookup(n.slot.label)
	case nCondition:
		var c any
		c, err = ev.eval(n.cond, input, fr)
		if err == nil {
			if truthy(c) {
				result, err = ev.eval(n.then, input, fr)
			} else if n.els != nil {
				result, err = ev.eval(n.els, input, fr)
			} else {
				result = Undefined
			}
		}
	case nElvis:
		result, err = ev.eval(n.lhs, input, fr)
		if err == nil && !truthy(result) {
			result, err = ev.eval(n.rhs, input, fr)
		}
	case nCoalesce:
		result, err = ev.eval(n.lhs, input, fr)
		if err == nil && IsUndefined(result) {
			result, err = ev.eval(n.rhs, input, fr)
		}
	case nBlock:
		bf := newFrame(fr)
		result = Undefined
		for _, it := range n.items {
			result, err = ev.eval(it, input, bf)
			if err != nil {
				break
			}
		}
	case nBind:
		result, err = ev.eval(n.rhs, input, fr)
		if err == nil {
			fr.bind(n.lhs.op, result)
		}
	case nRegex:
		result = &matcherFn{re: n.re, src: n.op, at: n.pos}
	case nFunction:
		result, err = ev.evalCall(n, input, fr, nil)
	case nVariable:
		if n.op == "" {
			if s, ok := input.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
				result = s.items[0]
			} else {
				result = input
			}
		} else {
			result, _ = fr.lookup(n.op)
		}
	case nLambda:
		result = &lambdaFn{n: n, input: input, env: fr}
	case nPartial:
		result, err = ev.evalPartial(n, input, fr)
	case nApply:
		result, err = ev.evalApply(n, input, fr)
	case nTransform:
		result = &transformFn{n: n, fr: fr}
	case nPlaceholder:
		err = errp("S0201", n.pos, "?")
	case nSort:
		result, err = ev.evalSort(n, input, fr)
	default:
		err = errp("S0206", n.pos, n.op)
	}
	if err != nil {
		return nil, err
	}
	for _, p := range n.predicate {
		result, err = ev.evalFilter(p.expr, result, fr)
		if err != nil {
			return nil, err
		}
	}
	if n.typ != nPath && n.group != nil {
		result, err = ev.evalGroup(n.group.pairs, n.group.pos, result, fr)
		if err != nil {
			return nil, err
		}
	}
	if s, ok := result.(*seq); ok && s.sequence && !s.tupleStream {
		if n.keepArray {
			s.keepSingleton = true
		}
		if len(s.items) == 0 {
			return Undefined, nil
		}
		if len(s.items) == 1 && !s.keepSingleton {
			return s.items[0], nil
		}
	}
	return result, nil
}

func itemsOf(v any) []any {
	if a, ok := asArray(v); ok {
		return a
	}
	return []any{v}
}

func (ev *evaluator) evalPath(n *node, input any, fr *frame) (any, error) {
	// fast path: a plain field name looked up on one object
	if len(n.steps) == 1 && !n.keepSingletonArray && n.group == nil {
		st := n.steps[0]
		if m, ok := input.(map[string]any); ok && st.typ == nName && st.stages == nil &&
			st.predicate == nil && st.group == nil && !st.tuple && !st.keepArray {
			if err := ev.step(st); err != nil {
				return nil, err
			}
			v, ok := m[st.op]
			if !ok {
				return Undefined, nil
			}
			// a single result that is an array is returned whole (the
			// last-step rule of the general path)
			return v, nil
		}
	}
	var inputSeq []any
	if a, ok := asArray(input); ok && n.steps[0].typ != nVariable {
		inputSeq = a
	} else {
		inputSeq = []any{input}
	}
	var result any
	isTuple := false
	var tuples []any
	for i, st := range n.steps {
		if st.tuple {
			isTuple = true
		}
		var err error
		if i == 0 && st.consarray {
			var in any = input
			if _, ok := asArray(input); !ok {
				in = newSeq(input)
			}
			result, err = ev.eval(st, in, fr)
		} else if isTuple {
			tuples, err = ev.evalTupleStep(st, inputSeq, tuples, fr)
		} else {
			result, err = ev.evalStep(st, inputSeq, fr, i == len(n.steps)-1)
		}
		if err != nil {
			return nil, err
		}
		if !isTuple {
			if IsUndefined(result) {
				break
			}
			items, ok := asArray(result)
			if ok && len(items) == 0 {
				break
			}
		}
		if !st.hasFocus && (!isTuple || (i == 0 && st.consarray)) {
			inputSeq = itemsOf(result)
		}
	}
	if isTuple {
		if n.tuple {
			result = &seq{items: tuples, sequence: true, tupleStream: true}
		} else {
			out := make([]any, 0, len(tuples))
			for _, t := range tuples {
				out = append(out, asTuple(t)["@"])
			}
			result = newSeq(out...)
		}
	}
	if n.keepSingletonArray {
		// a plain array is returned as it is; a constructed array becomes
		// the single item of a sequence that keeps it
		if r, ok := result.(*seq); ok {
			if r.cons && !r.sequence {
				result = &seq{items: []any{r}, sequence: true, keepSingleton: true}
			} else {
				r.keepSingleton = true
			}
		}
	}
	if n.group != nil {
		var in any = result
		if isTuple {
			in = &seq{items: tuples, sequence: true, tupleStream: true}
		}
		return ev.evalGroup(n.group.pairs, n.group.pos, in, fr)
	}
	if result == nil {
		return Undefined, nil
	}
	return result, nil
}

func (ev *evaluator) evalStep(st *node, input []any, fr *frame, last bool) (any, error) {
	if st.typ == nSort {
		r, err := ev.evalSort(st, newSeq(input...), fr)
		if err != nil {
			return nil, err
		}
		if st.stages != nil {
			return ev.evalStages(st.stages, r, fr)
		}
		return r, nil
	}
	results := make([]any, 0, len(input))
	for _, item := range input {
		res, err := ev.eval(st, item, fr)
		if err != nil {
			return nil, err
		}
		for _, sg := range st.stages {
			res, err = ev.evalFilter(sg.expr, res, fr)
			if err != nil {
				return nil, err
			}
		}
		if !IsUndefined(res) {
			results = append(results, res)
		}
	}
	if last && len(results) == 1 {
		if _, ok := asArray(results[0]); ok && !isSeq(results[0]) {
			return results[0], nil
		}
	}
	out := newSeq()
	for _, r := range results {
		if s, ok := r.(*seq); ok {
			if s.cons && !s.sequence {
				out.items = append(out.items, r)
			} else {
				out.items = append(out.items, s.items...)
			}
		} else if a, ok := r.([]any); ok {
			out.items = append(out.items, a...)
		} else {
			out.items = append(out.items, r)
		}
	}
	return out, nil
}

func (ev *evaluator) evalStages(stages []stage, input any, fr *frame) (any, error) {
	result := input
	for _, sg := range stages {
		if sg.isIndex {
			for i, t := range itemsOf(result) {
				if tp, ok := t.(tuple); ok {
					tp[sg.index] = float64(i)
				}
			}
			continue
		}
		var err error
		result, err = ev.evalFilter(sg.expr, result, fr)
		if err != nil {
			return nil, err
		}
	}
	return result, nil
}

func frameFromTuple(fr *frame, t tuple) *frame {
	f := &frame{parent: fr, vars: make(map[string]any, len(t))}
	for k, v := range t {
		f.vars[k] = v
	}
	return f
}

// asTuple returns v as a tuple; a value that is not one (an empty stream
// padded with undefined) becomes a tuple of just that value.
func asTuple(v any) tuple {
	if t, ok := v.(tuple); ok {
		return t
	}
	return tuple{"@": v}
}

func copyTuple(t tuple) tuple {
	c := make(tuple, len(t)+2)
	for k, v := range t {
		c[k] = v
	}
	return c
}

func (ev *evaluator) evalTupleStep(st *node, input []any, bindings []any, fr *frame) ([]any, error) {
	if st.typ == nSort {
		result := []any{}
		if bindings != nil {
			r, err := ev.evalSort(st, &seq{items: bindings, sequence: true, tupleStream: true}, fr)
			if err != nil {
				return nil, err
			}
			result = itemsOf(r)
		} else {
			r, err := ev.evalSort(st, newSeq(input...), fr)
			if err != nil {
				return nil, err
			}
			for i, v := range itemsOf(r) {
				t := tuple{"@": v}
				if st.hasIndex && st.index != "" {
					t[st.index] = float64(i)
				}
				result = append(result, t)
			}
		}
		if st.stages != nil {
			r, err := ev.evalStages(st.stages, &seq{items: result, sequence: true, tupleStream: true}, fr)
			if err != nil {
				return nil, err
			}
			result = itemsOf(r)
		}
		return result, nil
	}
	if bindings == nil {
		bindings = make([]any, len(input))
		for i, it := range input {
			bindings[i] = tuple{"@": it}
		}
	}
	result := make([]any, 0, len(bindings))
	for _, b := range bindings {
		bt := asTuple(b)
		res, err := ev.eval(st, bt["@"], frameFromTuple(fr, bt))
		if err != nil {
			return nil, err
		}
		if IsUndefined(res) {
			continue
		}
		resItems, isArr := asArray(res)
		if !isArr {
			resItems = []any{res}
		}
		rs, _ := res.(*seq)
		tupleRes := rs != nil && rs.tupleStream
		for bb, v := range resItems {
			t := copyTuple(bt)
			if tupleRes {
				for k, x := range asTuple(v) {
					t[k] = x
				}
			} else {
				// an empty name ($) binds nothing, as in jsonata-js
				if st.hasFocus && st.focus != "" {
					t[st.focus] = v
					t["@"] = bt["@"]
				} else {
					t["@"] = v
				}
				if st.hasIndex && st.index != "" {
					t[st.index] = float64(bb)
				}
				if st.ancestor != nil {
					t[st.ancestor.label] = bt["@"]
				}
			}
			result = append(result, t)
		}
	}
	if st.stages != nil {
		r, err := ev.evalStages(st.stages, &seq{items: result, sequence: true, tupleStream: true}, fr)
		if err != nil {
			return nil, err
		}
		return itemsOf(r), nil
	}
	return result, nil
}

func (ev *evaluator) evalFilter(pred *node, input any, fr *frame) (any, error) {
	results := newSeq()
	if s, ok := input.(*seq); ok && s.tupleStream {
		results.tupleStream = true
	}
	items, ok := asArray(input)
	if !ok {
		items = []any{input}
	}
	if pred.typ == nNumber {
		idx := int(math.Floor(pred.num))
		if idx < 0 {
			idx += len(items)
		}
		if idx >= 0 && idx < len(items) && !IsUndefined(items[idx]) {
			item := items[idx]
			if _, isArr := asArray(item); isArr {
				return item, nil
			}
			results.items = append(results.items, item)
		}
		return results, nil
	}
	for index, item := range items {
		if IsUndefined(item) {
			continue
		}
		context := item
		env := fr
		if results.tupleStream {
			t := asTuple(item)
			context = t["@"]
			env = frameFromTuple(fr, t)
		}
		res, err := ev.eval(pred, context, env)
		if err != nil {
			return nil, err
		}
		if isNumber(res) {
			res = []any{res}
		}
		if nums, ok := asArray(res); ok && isArrayOfNumbers(res) {
			for _, x := range nums {
				f, _ := toNumber(x)
				ii := int(math.Floor(f))
				if ii < 0 {
					ii += len(items)
				}
				if ii == index {
					results.items = append(results.items, item)
				}
			}
		} else if truthy(res) {
			results.items = append(results.items, item)
		}
	}
	return results, nil
}

// lookupField is jsonata's field lookup: over arrays it maps and
// flattens one level.
func lookupField(input any, key string) any {
	switch x := input.(type) {
	case map[string]any:
		v, ok := x[key]
		if !ok {
			return Undefined
		}
		return v
	case []any, *seq:
		items, _ := asArray(x)
		out := newSeq()
		for _, it := range items {
			r := lookupField(it, key)
			if IsUndefined(r) {
				continue
			}
			if a, ok := asArray(r); ok {
				out.items = append(out.items, a...)
			} else {
				out.items = append(out.items, r)
			}
		}
		return out
	}
	return Undefined
}

func flattenInto(out []any, v any) []any {
	if a, ok := asArray(v); ok {
		for _, x := range a {
			out = flattenInto(out, x)
		}
		return out
	}
	return append(out, v)
}

func evalWildcard(input any) any {
	out := newSeq()
	if s, ok := input.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
		input = s.items[0]
	}
	if a, ok := asArray(input); ok {
		// an array is an object whose keys are its indexes (jsonata-js)
		for _, v := range a {
			out.items = flattenInto(out.items, v)
		}
		return out
	}
	if m, ok := input.(map[string]any); ok {
		for _, k := range sortedKeys(m) {
			v := m[k]
			if _, isArr := asArray(v); isArr {
				out.items = flattenInto(out.items, v)
			} else {
				out.items = append(out.items, v)
			}
		}
	}
	return out
}

func evalDescendants(input any) any {
	if IsUndefined(input) {
		return Undefined
	}
	out := newSeq()
	recurseDescendants(input, out, 0)
	if len(out.items) == 1 {
		return out.items[0]
	}
	return out
}

func recurseDescendants(input any, out *seq, depth int) {
	if depth > 10000 {
		return
	}
	if a, ok := asArray(input); ok {
		for _, x := range a {
			recurseDescendants(x, out, depth+1)
		}
		return
	}
	out.items = append(out.items, input)
	if m, ok := input.(map[string]any); ok {
		for _, k := range sortedKeys(m) {
			recurseDescendants(m[k], out, depth+1)
		}
	}
}

func (ev *evaluator) evalArray(n *node, input any, fr *frame) (any, error) {
	out := make([]any, 0, len(n.items))
	for _, it := range n.items {
		v, err := ev.eval(it, input, fr)
		if err != nil {
			return nil, err
		}
		if IsUndefined(v) {
			continue
		}
		if it.typ == nArray {
			out = append(out, v)
		} else if a, ok := asArray(v); ok {
			out = append(out, a...)
		} else {
			out = append(out, v)
		}
	}
	if n.consarray {
		return &seq{items: out, cons: true}, nil
	}
	return out, nil
}
