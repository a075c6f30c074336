package stepfn

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"
)

// choiceRule is a compiled Choice rule: a boolean combination (And, Or,
// Not) or a data test of Variable against a literal or, for the *Path
// operators, another path.
type choiceRule struct {
	next string
	// assign is a top-level rule's Assign, applied when the rule matches;
	// output is a JSONata rule's Output.
	assign *assignSpec
	output *ataTemplate
	// condition is a JSONata rule's Condition.
	condition *ataTemplate

	and, or []*choiceRule
	not     *choiceRule

	variable  *jsonPath
	op        string // operator without the Path suffix
	byPath    bool
	value     any
	valuePath *jsonPath
	pattern   []matchToken
	ts        time.Time
}

// Comparison operators and the type of their literal operand.
var choiceOperators = map[string]string{
	"StringEquals": "string", "StringLessThan": "string", "StringGreaterThan": "string",
	"StringLessThanEquals": "string", "StringGreaterThanEquals": "string", "StringMatches": "string",
	"NumericEquals": "number", "NumericLessThan": "number", "NumericGreaterThan": "number",
	"NumericLessThanEquals": "number", "NumericGreaterThanEquals": "number",
	"BooleanEquals":   "boolean",
	"TimestampEquals": "timestamp", "TimestampLessThan": "timestamp", "TimestampGreaterThan": "timestamp",
	"TimestampLessThanEquals": "timestamp", "TimestampGreaterThanEquals": "timestamp",
	"IsNull": "boolean", "IsPresent": "boolean", "IsNumeric": "boolean", "IsString": "boolean",
	"IsBoolean": "boolean", "IsTimestamp": "boolean",
}

// operatorOf names the operator a field is, with byPath for the *Path
// forms; StringMatches and the Is* tests have none.
func operatorOf(field string) (op string, byPath, ok bool) {
	if _, ok := choiceOperators[field]; ok {
		return field, false, true
	}
	base := strings.TrimSuffix(field, "Path")
	if base == field || base == "StringMatches" || strings.HasPrefix(base, "Is") {
		return "", false, false
	}
	if _, ok := choiceOperators[base]; ok {
		return base, true, true
	}
	return "", false, false
}

func (c *compiler) choice(st *state, o *object, loc string) {
	if v, ok := o.get("Default"); ok {
		st.defaultNext, _ = c.nonEmptyStr(v, ptr(loc, "Default"), "Default")
	}
	cv, ok := o.get("Choices")
	if !ok {
		c.d.schema(loc, "These fields are required: [Choices]")
		return
	}
	cloc := ptr(loc, "Choices")
	arr, ok := cv.([]any)
	if !ok {
		c.d.schema(cloc, "The value for the field 'Choices' must be an ARRAY")
		return
	}
	if len(arr) == 0 {
		c.d.schema(cloc, "The field 'Choices' should be non-empty")
		return
	}
	for i, e := range arr {
		if st.jsonata {
			st.choices = append(st.choices, c.ataChoiceRule(e, ptrIndex(cloc, i)))
			continue
		}
		st.choices = append(st.choices, c.choiceRule(e, ptrIndex(cloc, i), true))
	}
}

// ataChoiceRule compiles a rule of a JSONata Choice state: a Condition
// expression, Next, and optionally Assign and Output.
func (c *compiler) ataChoiceRule(v any, loc string) *choiceRule {
	o, ok := v.(*object)
	if !ok {
		c.d.schema(loc, "A Choice rule must be an OBJECT")
		return &choiceRule{}
	}
	pathOnly := map[string]bool{"Variable": true, "And": true, "Or": true, "Not": true}
	for k := range choiceOperators {
		pathOnly[k] = true
	}
	for _, k := range o.keys {
		if _, _, isOp := operatorOf(k); isOp {
			pathOnly[k] = true
		}
	}
	c.languageFields(o, loc, pathOnly, langJSONata)
	c.checkFields(o, loc, fieldSet("Condition", "Next", "Assign", "Output", "Comment"), pathOnly)
	r := &choiceRule{}
	if nv, ok := o.get("Next"); ok {
		r.next, _ = c.nonEmptyStr(nv, ptr(loc, "Next"), "Next")
	} else {
		c.d.schema(loc, "These fields are required: [Next]")
	}
	cv, ok := o.get("Condition")
	switch {
	case !ok:
		c.d.schema(loc, "These fields are required: [Condition]")
	default:
		if b, isBool := cv.(bool); isBool {
			r.condition = &ataTemplate{static: b}
			break
		}
		s, isStr := cv.(string)
		if _, isExpr := ataExpression(s); !isStr || !isExpr {
			c.d.schema(ptr(loc, "Condition"), "The value for the field 'Condition' must be a JSONata expression or a BOOLEAN")
			break
		}
		r.condition = c.ataTemplate(s, ptr(loc, "Condition"))
	}
	r.assign = c.assign(o, loc, true)
	if ov, ok := o.get("Output"); ok {
		r.output = c.ataTemplate(ov, ptr(loc, "Output"))
	}
	return r
}

func (c *compiler) choiceRule(v any, loc string, top bool) *choiceRule {
	o, ok := v.(*object)
	if !ok {
		c.d.schema(loc, "A Choice rule must be an OBJECT")
		return &choiceRule{}
	}
	r := &choiceRule{}
	for _, k := range o.dups {
		c.d.schema(ptr(loc, k), "The field '%s' is duplicated", k)
	}
	nv, hasNext := o.get("Next")
	switch {
	case top && !hasNext:
		c.d.schema(loc, "These fields are required: [Next]")
	case !top && hasNext:
		c.d.schema(ptr(loc, "Next"), "The field 'Next' is not supported by Step Functions in a nested Choice rule")
	case hasNext:
		r.next, _ = c.nonEmptyStr(nv, ptr(loc, "Next"), "Next")
	}
	var ops []string
	for _, k := range o.keys {
		switch k {
		case "Next", "Comment", "Variable":
		case "Assign":
			if !top {
				c.d.schema(ptr(loc, k), "The field 'Assign' is not supported by Step Functions in a nested Choice rule")
			}
		case "And", "Or", "Not":
			ops = append(ops, k)
		default:
			if _, _, ok := operatorOf(k); ok {
				ops = append(ops, k)
				continue
			}
			c.d.schema(ptr(loc, k), "The field '%s' is not supported by Step Functions", k)
		}
	}
	if len(ops) != 1 {
		c.d.schema(loc, "A Choice rule must have exactly one comparison operator or one of [And, Or, Not]")
		return r
	}
	if top {
		r.assign = c.assign(o, loc, false)
	}
	op := ops[0]
	val := o.vals[op]
	oloc := ptr(loc, op)
	varV, hasVar := o.get("Variable")
	switch op {
	case "And", "Or":
		if hasVar {
			c.d.schema(ptr(loc, "Variable"), "The field 'Variable' is not supported by Step Functions with '%s'", op)
		}
		arr, ok := val.([]any)
		if !ok || len(arr) == 0 {
			c.d.schema(oloc, "The value for the field '%s' must be a non-empty ARRAY", op)
			return r
		}
		for i, e := range arr {
			sub := c.choiceRule(e, ptrIndex(oloc, i), false)
			if op == "And" {
				r.and = append(r.and, sub)
			} else {
				r.or = append(r.or, sub)
			}
		}
		return r
	case "Not":
		if hasVar {
			c.d.schema(ptr(loc, "Variable"), "The field 'Variable' is not supported by Step Functions with 'Not'")
		}
		r.not = c.choiceRule(val, oloc, false)
		return r
	}
	if !hasVar {
		c.d.schema(loc, "These fields are required: [Variable]")
		return r
	}
	r.variable = c.path(varV, ptr(loc, "Variable"), "Variable")
	r.op, r.byPath, _ = operatorOf(op)
	if r.byPath {
		r.valuePath = c.path(val, oloc, op)
		return r
	}
	switch choiceOperators[r.op] {
	case "string":
		s, ok := val.(string)
		if !ok {
			c.d.schema(oloc, "The value for the field '%s' must be a STRING", op)
			return r
		}
		r.value = s
		if r.op == "StringMatches" {
			r.pattern = compileMatch(s)
		}
	case "number":
		if _, ok := val.(json.Number); !ok {
			c.d.schema(oloc, "The value for the field '%s' must be a NUMBER", op)
			return r
		}
		r.value = val
	case "boolean":
		if _, ok := val.(bool); !ok {
			c.d.schema(oloc, "The value for the field '%s' must be a BOOLEAN", op)
			return r
		}
		r.value = val
	case "timestamp":
		s, ok := val.(string)
		t, valid := parseTimestamp(s)
		if !ok || !valid {
			c.d.schema(oloc, "The value for the field '%s' must be a valid RFC3339 timestamp", op)
			return r
		}
		r.ts = t
	}
	return r
}

// conditionError is a Choice rule whose path selects nothing.
type conditionError struct{ path string }

func (e *conditionError) Error() string {
	return fmt.Sprintf("Invalid path '%s': The choice state's condition path references an invalid value.", e.path)
}

// eval decides the rule against the Choice state's effective input.
func (r *choiceRule) eval(env *evalEnv) (bool, error) {
	switch {
	case r.and != nil:
		for _, s := range r.and {
			ok, err := s.eval(env)
			if err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case r.or != nil:
		for _, s := range r.or {
			ok, err := s.eval(env)
			if err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case r.not != nil:
		ok, err := r.not.eval(env)
		return !ok, err
	}
	v, err := env.evalPath(r.variable)
	present := err == nil
	if list, isList := v.([]any); isList && present && !r.variable.definite() && len(list) == 0 {
		present = false
	}
	if r.op == "IsPresent" {
		return present == r.value.(bool), nil
	}
	if !present {
		return false, &conditionError{path: r.variable.src}
	}
	want := r.value
	ts := r.ts
	if r.byPath {
		w, err := env.evalPath(r.valuePath)
		if err != nil {
			return false, &conditionError{path: r.valuePath.src}
		}
		want = w
		if strings.HasPrefix(r.op, "Timestamp") {
			s, ok := w.(string)
			t, valid := parseTimestamp(s)
			if !ok || !valid {
				return false, nil
			}
			ts = t
		}
	}
	switch r.op {
	case "IsNull":
		return (v == nil) == want.(bool), nil
	case "IsNumeric":
		_, ok := v.(json.Number)
		return ok == want.(bool), nil
	case "IsString":
		_, ok := v.(string)
		return ok == want.(bool), nil
	case "IsBoolean":
		_, ok := v.(bool)
		return ok == want.(bool), nil
	case "IsTimestamp":
		s, ok := v.(string)
		if ok {
			_, ok = parseTimestamp(s)
		}
		return ok == want.(bool), nil
	case "BooleanEquals":
		b, ok := v.(bool)
		w, wok := want.(bool)
		return ok && wok && b == w, nil
	case "StringMatches":
		s, ok := v.(string)
		return ok && matchPattern(r.pattern, s), nil
	}
	switch {
	case strings.HasPrefix(r.op, "String"):
		s, ok := v.(string)
		w, wok := want.(string)
		if !ok || !wok {
			return false, nil
		}
		return compareResult(r.op, "String", strings.Compare(s, w)), nil
	case strings.HasPrefix(r.op, "Numeric"):
		f, ok := asFloat(v)
		w, wok := asFloat(want)
		if !ok || !wok {
			return false, nil
		}
		return compareResult(r.op, "Numeric", cmpFloat(f, w)), nil
	case strings.HasPrefix(r.op, "Timestamp"):
		s, ok := v.(string)
		t, valid := parseTimestamp(s)
		if !ok || !valid {
			return false, nil
		}
		return compareResult(r.op, "Timestamp", t.Compare(ts)), nil
	}
	return false, nil
}

func compareResult(op, family string, c int) bool {
	switch strings.TrimPrefix(op, family) {
	case "Equals":
		return c == 0
	case "LessThan":
		return c < 0
	case "GreaterThan":
		return c > 0
	case "LessThanEquals":
		return c <= 0
	case "GreaterThanEquals":
		return c >= 0
	}
	return false
}

// parseTimestamp reads an RFC 3339 timestamp with an uppercase T and an
// uppercase Z or a numeric offset, as the States Language requires.
func parseTimestamp(s string) (time.Time, bool) {
	if len(s) < 20 || s[10] != 'T' {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, false
	}
	return t, true
}

// matchToken is a piece of a StringMatches pattern: literal text or a *
// wildcard.
type matchToken struct {
	lit  string
	star bool
}

// compileMatch splits a StringMatches pattern: * matches any run of
// characters, \* a literal asterisk and \\ a literal backslash.
func compileMatch(p string) []matchToken {
	var toks []matchToken
	var lit strings.Builder
	for i := 0; i < len(p); i++ {
		ch := p[i]
		if ch == '\\' && i+1 < len(p) && (p[i+1] == '*' || p[i+1] == '\\') {
			lit.WriteByte(p[i+1])
			i++
			continue
		}
		if ch == '*' {
			if lit.Len() > 0 {
				toks = append(toks, matchToken{lit: lit.String()})
				lit.Reset()
			}
			toks = append(toks, matchToken{star: true})
			continue
		}
		lit.WriteByte(ch)
	}
	if lit.Len() > 0 {
		toks = append(toks, matchToken{lit: lit.String()})
	}
	return toks
}

// matchPattern matches s against the tokens, backtracking over stars.
func matchPattern(toks []matchToken, s string) bool {
	if len(toks) == 0 {
		return s == ""
	}
	t := toks[0]
	if !t.star {
		return strings.HasPrefix(s, t.lit) && matchPattern(toks[1:], s[len(t.lit):])
	}
	rest := toks[1:]
	for len(rest) > 0 && rest[0].star {
		rest = rest[1:]
	}
	if len(rest) == 0 {
		return true
	}
	for i := 0; i <= len(s); i++ {
		if strings.HasPrefix(s[i:], rest[0].lit) && matchPattern(rest, s[i:]) {
			return true
		}
	}
	return false
}
