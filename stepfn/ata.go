package stepfn

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"

	"github.com/minicloud/minicloud/stepfn/internal/jsonata"
)

// JSONata states: fields hold JSON values in which a string "{% expr %}"
// is a JSONata expression, evaluated with the workflow variables and the
// reserved $states ({input, result, errorOutput, context}) bound.

// ErrorQueryEvaluation is the error of a JSONata state whose expression
// fails, returns nothing where a value is needed or returns a value of
// the wrong type.
const ErrorQueryEvaluation = "States.QueryEvaluationError"

// Query languages.
const (
	langJSONPath = "JSONPath"
	langJSONata  = "JSONata"
)

// ataTemplate is a compiled JSONata field value.
type ataTemplate struct {
	static any
	expr   *jsonata.Expr // the whole value is one expression
	fields []ataField
	items  []*ataTemplate
	isObj  bool
	isArr  bool
	dyn    bool
}

type ataField struct {
	key string
	sub *ataTemplate
}

// ataExpression returns the expression inside "{% ... %}", if s is one.
func ataExpression(s string) (string, bool) {
	if len(s) >= 4 && strings.HasPrefix(s, "{%") && strings.HasSuffix(s, "%}") {
		return s[2 : len(s)-2], true
	}
	return "", false
}

// ataTemplate compiles a field value of a JSONata state, adding a
// diagnostic for each expression that does not parse.
func (c *compiler) ataTemplate(v any, loc string) *ataTemplate {
	switch x := v.(type) {
	case string:
		src, ok := ataExpression(x)
		if !ok {
			return &ataTemplate{static: x}
		}
		expr, err := jsonata.Compile(src)
		if err != nil {
			msg := err.Error()
			var je *jsonata.Error
			if errors.As(err, &je) {
				msg = je.Message
			}
			c.d.add(CodeInvalidJSONataExpression, loc, "%s", msg)
			return &ataTemplate{static: nil}
		}
		if name, ok := topLevelReference(src); ok {
			c.d.add(CodeUnsupportedJSONataExpression, loc, "Reference to '%s' at the top level is not supported.", name)
		}
		return &ataTemplate{expr: expr, dyn: true}
	case *object:
		t := &ataTemplate{isObj: true}
		for _, k := range x.keys {
			sub := c.ataTemplate(x.vals[k], ptr(loc, k))
			t.fields = append(t.fields, ataField{key: k, sub: sub})
			t.dyn = t.dyn || sub.dyn
		}
		if !t.dyn {
			t.static = plain(x)
		}
		return t
	case []any:
		t := &ataTemplate{isArr: true}
		for i, e := range x {
			sub := c.ataTemplate(e, ptrIndex(loc, i))
			t.items = append(t.items, sub)
			t.dyn = t.dyn || sub.dyn
		}
		if !t.dyn {
			t.static = plain(x)
		}
		return t
	}
	return &ataTemplate{static: v}
}

// topLevelReference reports an expression that starts by reading the
// context item, which Step Functions does not bind: a field name
// (phone.number), $ or $$ at the top level. Keywords, literals,
// variables and function calls are fine.
func topLevelReference(src string) (string, bool) {
	s := strings.TrimSpace(src)
	if s == "" {
		return "", false
	}
	switch {
	case strings.HasPrefix(s, "$$"):
		return "$$", true
	case s[0] == '$':
		if len(s) == 1 || !isIdentByte(s[1]) {
			return "$", true
		}
		return "", false
	case s[0] == '`':
		if end := strings.IndexByte(s[1:], '`'); end >= 0 {
			return s[1 : end+1], true
		}
		return "", false
	case !isVarStart(s[0]):
		return "", false
	}
	end := 1
	for end < len(s) && isIdentByte(s[end]) {
		end++
	}
	name := s[:end]
	switch name {
	case "true", "false", "null", "function", "and", "or", "in":
		return "", false
	}
	rest := strings.TrimSpace(s[end:])
	if strings.HasPrefix(rest, "(") {
		return "", false // λ-less call syntax is not JSONata; let the parser decide
	}
	return name, true
}

// statesVar builds $states for an evaluation: the raw state input and
// the context object always; the result or the error output where the
// field can see them.
func (sr *stateRun) statesVar(input any) map[string]any {
	return map[string]any{"input": input, "context": sr.contextObject()}
}

// withStates returns a copy of states with key set to v.
func withStates(states map[string]any, key string, v any) map[string]any {
	out := make(map[string]any, len(states)+1)
	for k, x := range states {
		out[k] = x
	}
	out[key] = v
	return out
}

// evalAta evaluates a template; field names it in errors ("Arguments",
// "Output", ...), and nested values add their keys ("Arguments/a/b").
func (sr *stateRun) evalAta(t *ataTemplate, states map[string]any, field string) (any, *stateError) {
	if !t.dyn {
		return t.static, nil
	}
	var env *jsonata.Env
	return sr.evalAtaIn(t, states, field, &env)
}

func (sr *stateRun) evalAtaIn(t *ataTemplate, states map[string]any, field string, env **jsonata.Env) (any, *stateError) {
	switch {
	case !t.dyn:
		return t.static, nil
	case t.expr != nil:
		if *env == nil {
			*env = sr.ataEnv(states)
		}
		return sr.evalExpr(t.expr, *env, field)
	case t.isArr:
		out := make([]any, len(t.items))
		for i, it := range t.items {
			v, serr := sr.evalAtaIn(it, states, field+"["+strconv.Itoa(i)+"]", env)
			if serr != nil {
				return nil, serr
			}
			out[i] = v
		}
		return out, nil
	}
	out := make(map[string]any, len(t.fields))
	for _, f := range t.fields {
		v, serr := sr.evalAtaIn(f.sub, states, field+"/"+f.key, env)
		if serr != nil {
			return nil, serr
		}
		out[f.key] = v
	}
	return out, nil
}

// ataEnv binds the visible variables, $states and the functions Step
// Functions adds to JSONata.
func (sr *stateRun) ataEnv(states map[string]any) *jsonata.Env {
	vars := sr.vars.visible()
	vars["states"] = states
	rnd := sr.e.svc.rnd
	return &jsonata.Env{
		Vars:     vars,
		Funcs:    sr.e.svc.ataFuncs,
		Now:      sr.e.svc.clock.Now(),
		Rand:     rnd.float64,
		MaxSteps: maxAtaSteps,
	}
}

// maxAtaSteps bounds one expression's evaluation so that a runaway
// expression fails instead of hanging the execution.
const maxAtaSteps = 10_000_000

// evalExpr evaluates one expression and brings its result into the
// engine's value model.
func (sr *stateRun) evalExpr(x *jsonata.Expr, env *jsonata.Env, field string) (any, *stateError) {
	v, err := x.Eval(nil, env)
	if err != nil {
		var se *stateError
		if errors.As(err, &se) {
			return nil, se
		}
		return nil, sr.queryError(field, "The JSONata expression '%s' specified for the field '%s' threw an error during evaluation. %s", ataSource(x), field, err.Error())
	}
	if jsonata.IsUndefined(v) {
		return nil, sr.queryError(field, "The JSONata expression '%s' specified for the field '%s' returned nothing (undefined).", ataSource(x), field)
	}
	out, ok := fromAta(v)
	if !ok {
		return nil, sr.queryError(field, "The JSONata expression '%s' specified for the field '%s' returned a function, which is not a JSON value.", ataSource(x), field)
	}
	return out, nil
}

// queryError is States.QueryEvaluationError in the field at location,
// with the state named as States.Runtime names it.
func (sr *stateRun) queryError(location, format string, args ...any) *stateError {
	serr := sr.runtime(format, args...)
	serr.name = ErrorQueryEvaluation
	serr.location = location
	return serr
}

// ataSource is an expression's text as AWS quotes it: trimmed.
func ataSource(x *jsonata.Expr) string { return strings.TrimSpace(x.Source()) }

// fromAta converts a JSONata result to the engine's values: numbers as
// json.Number in JavaScript's notation, object members that are
// undefined left out, and no functions (false when v holds one). It
// copies containers rather than mutate what the evaluator returned.
func fromAta(v any) (any, bool) {
	switch x := v.(type) {
	case float64:
		return jsNumber(x), true
	case int:
		return json.Number(strconv.Itoa(x)), true
	case []any:
		out := make([]any, 0, len(x))
		for _, e := range x {
			if jsonata.IsUndefined(e) {
				continue
			}
			c, ok := fromAta(e)
			if !ok {
				return nil, false
			}
			out = append(out, c)
		}
		return out, true
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if jsonata.IsUndefined(e) {
				continue
			}
			c, ok := fromAta(e)
			if !ok {
				return nil, false
			}
			out[k] = c
		}
		return out, true
	case nil, bool, string, json.Number:
		return x, true
	}
	return nil, false
}

// jsNumber renders f as JavaScript's JSON.stringify does: integers
// without a fraction, exponents from 1e21 up and below 1e-6.
func jsNumber(f float64) json.Number {
	if f == 0 {
		return "0"
	}
	abs := math.Abs(f)
	if abs < 1e21 && abs >= 1e-6 {
		return json.Number(strconv.FormatFloat(f, 'f', -1, 64))
	}
	s := strconv.FormatFloat(f, 'e', -1, 64)
	// Go writes e+21 and e-07; JavaScript writes e+21 and e-7.
	if i := strings.IndexByte(s, 'e'); i >= 0 && len(s) > i+2 {
		exp := strings.TrimLeft(s[i+2:], "0")
		s = s[:i+2] + exp
	}
	return json.Number(s)
}

// ataFuncs are the functions Step Functions adds to JSONata, and $eval,
// which it takes away.
func (s *Service) newAtaFuncs() map[string]jsonata.Func {
	env := &evalEnv{rnd: s.rnd}
	intrinsic := func(name string, c *jsonata.Call, args ...any) (any, error) {
		call := &intrinsic{fn: name}
		for _, a := range args {
			n, _ := fromAta(a)
			call.args = append(call.args, intrinsicArg{literal: n})
		}
		v, err := call.eval(env)
		if err != nil {
			var se *stateError
			if errors.As(err, &se) {
				return nil, c.Errorf("States."+name, "%s", se.cause)
			}
			return nil, err
		}
		return v, nil
	}
	return map[string]jsonata.Func{
		"partition": {Signature: "<an:a>", Impl: func(c *jsonata.Call, args []any) (any, error) {
			return intrinsic("States.ArrayPartition", c, args[0], args[1])
		}},
		"range": {Signature: "<nnn:a>", Impl: func(c *jsonata.Call, args []any) (any, error) {
			v, err := intrinsic("States.ArrayRange", c, args[0], args[1], args[2])
			if a, ok := v.([]any); ok && len(a) == 1 {
				return a[0], err // a sequence of one is its value, as AWS returns it
			}
			return v, err
		}},
		"hash": {Signature: "<ss:s>", Impl: func(c *jsonata.Call, args []any) (any, error) {
			return intrinsic("States.Hash", c, args[0], args[1])
		}},
		"random": {Signature: "<n?:n>", Impl: func(c *jsonata.Call, args []any) (any, error) {
			if len(args) == 0 || jsonata.IsUndefined(args[0]) {
				return s.rnd.float64(), nil
			}
			seed, ok := ataFloat(args[0])
			if !ok || seed != math.Trunc(seed) {
				return nil, c.Errorf("States.Random", "The seed of $random must be an integer")
			}
			return javaRandomDouble(int64(seed)), nil
		}},
		"uuid": {Signature: "<:s>", Impl: func(c *jsonata.Call, args []any) (any, error) {
			return s.rnd.uuid(), nil
		}},
		"parse": {Signature: "<s:x>", Impl: func(c *jsonata.Call, args []any) (any, error) {
			str, _ := args[0].(string)
			v, err := decodeJSON([]byte(str))
			if err != nil {
				return nil, c.Errorf("States.Parse", "The argument of $parse is not valid JSON: %v", err)
			}
			return v, nil
		}},
		"eval": {Impl: func(c *jsonata.Call, args []any) (any, error) {
			// Step Functions leaves $eval out; calling it is calling nothing.
			return nil, c.Errorf("T1006", "Attempted to invoke a non-function")
		}},
	}
}

// ataFloat reads a JSONata number argument.
func ataFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case float64:
		return x, true
	case int:
		return float64(x), true
	case json.Number:
		f, err := x.Float64()
		return f, err == nil
	}
	return 0, false
}

// javaRandomDouble is the first nextDouble() of a java.util.Random
// seeded with seed: $random(seed) gives what the service gives.
func javaRandomDouble(seed int64) float64 {
	const (
		mult = 0x5DEECE66D
		mask = 1<<48 - 1
	)
	state := (seed ^ mult) & mask
	next := func(bits uint) int64 {
		state = (state*mult + 0xB) & mask
		return state >> (48 - bits)
	}
	hi := next(26)
	lo := next(27)
	return float64(hi<<27+lo) * (1.0 / (1 << 53))
}
