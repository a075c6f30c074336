package lambda

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"
)

// FilterCriteria is an event source mapping's event filter: a record is
// delivered when it matches at least one of its Filters (an OR); the
// others are dropped as if processed, before batching, and the function
// is not invoked for them. A mapping has at most 5 filters, each pattern
// at most 4,096 characters. An empty FilterCriteria on update removes the
// filters.
//
// A DynamoDB stream record is matched as the record of the event
// ({"eventName":"INSERT","dynamodb":{"NewImage":{"status":{"S":…}}}}); a
// Kinesis record only on its data key, the record's data decoded from
// base64 and parsed as JSON ({"data":{"order":{"type":["buy"]}}}).
type FilterCriteria struct {
	Filters []Filter
}

// Filter is one filter pattern, in Lambda's (and EventBridge's) filter
// rule syntax. A pattern is a JSON object whose keys name fields of the
// record; an object value descends into a field, and an array lists the
// values a field may take (any one of them matches; every key must
// match). Array elements are:
//
//	"text", 12, true, null     the field equals it (numbers numerically)
//	{"prefix": "ord-"}         a string field begins with it
//	{"suffix": ".png"}         a string field ends with it
//	{"equals-ignore-case": "x"} a string field equals it in any case
//	{"anything-but": v}        the field is none of v: a value, a list of
//	                           strings or numbers, or {"prefix": "p"}
//	{"numeric": [">", 0, "<=", 5]} a number field in range ("=" too)
//	{"exists": true}           the field is there (false: it is absent)
//
// A field that holds an array matches when any of its elements does.
type Filter struct {
	Pattern string
}

// Quotas of event filtering. Source: "Control which events Lambda sends
// to your function", and the Filter API reference.
const (
	esmMaxFilters       = 5
	esmMaxFilterPattern = 4096
)

// eventFilter is compiled FilterCriteria.
type eventFilter struct {
	patterns []*filterPattern
}

// compileFilterCriteria validates fc; nil or empty means no filtering.
func compileFilterCriteria(fc *FilterCriteria) (*eventFilter, error) {
	if fc == nil || len(fc.Filters) == 0 {
		return nil, nil
	}
	if len(fc.Filters) > esmMaxFilters {
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value at 'filterCriteria.filters' failed to satisfy constraint: Member must have length less than or equal to %d (got %d filters)", esmMaxFilters, len(fc.Filters))
	}
	f := &eventFilter{}
	for i, flt := range fc.Filters {
		if len(flt.Pattern) > esmMaxFilterPattern {
			return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value at 'filterCriteria.filters.%d.member.pattern' failed to satisfy constraint: Member must have length less than or equal to %d", i+1, esmMaxFilterPattern)
		}
		p, err := parseFilterPattern(flt.Pattern)
		if err != nil {
			return nil, ErrInvalidParameterValue.Newf("Invalid filter pattern definition. Filter %d: %v", i+1, err)
		}
		f.patterns = append(f.patterns, p)
	}
	return f, nil
}

// match reports whether a record (its event JSON) passes the filter.
func (f *eventFilter) match(raw json.RawMessage, kinesis bool) bool {
	if f == nil {
		return true
	}
	var doc any
	if kinesis {
		doc = kinesisFilterDoc(raw)
	} else if err := json.Unmarshal(raw, &doc); err != nil {
		return false
	}
	for _, p := range f.patterns {
		if p.match(doc) {
			return true
		}
	}
	return false
}

// kinesisFilterDoc is what a Kinesis record is matched as: {"data": …}
// with the data decoded, parsed when it is JSON, else a string.
func kinesisFilterDoc(raw json.RawMessage) any {
	var rec struct {
		Kinesis struct {
			Data string `json:"data"`
		} `json:"kinesis"`
	}
	if json.Unmarshal(raw, &rec) != nil {
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(rec.Kinesis.Data)
	if err != nil {
		return map[string]any{"data": rec.Kinesis.Data}
	}
	var data any
	if json.Unmarshal(b, &data) != nil {
		data = string(b)
	}
	return map[string]any{"data": data}
}

// filterPattern is one parsed pattern: every field rule must match.
type filterPattern struct {
	fields []fieldRule
}

// fieldRule matches one field: a nested pattern, or a list of matchers of
// which any may match.
type fieldRule struct {
	key      string
	nested   *filterPattern
	matchers []matcher
}

type matcherKind int

const (
	matchEquals matcherKind = iota // str, num, boolean or null
	matchPrefix
	matchSuffix
	matchIgnoreCase
	matchAnythingBut
	matchAnythingButPrefix
	matchNumeric
	matchExists
)

// matcher is one element of a field's list.
type matcher struct {
	kind  matcherKind
	value any      // matchEquals: string, float64, bool or nil
	str   string   // prefix, suffix, ignore-case, anything-but prefix
	not   []any    // anything-but values: strings or float64
	conds []numCmp // numeric
	exist bool
}

type numCmp struct {
	op string
	v  float64
}

// parseFilterPattern parses and validates a pattern.
func parseFilterPattern(s string) (*filterPattern, error) {
	dec := json.NewDecoder(strings.NewReader(s))
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("the pattern is not JSON: %v", err)
	}
	if dec.More() {
		return nil, fmt.Errorf("the pattern has content after its JSON object")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("the pattern must be a JSON object")
	}
	return parseObject(obj, 0)
}

func parseObject(obj map[string]any, depth int) (*filterPattern, error) {
	if depth > 64 {
		return nil, fmt.Errorf("the pattern nests too deeply")
	}
	p := &filterPattern{}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		r := fieldRule{key: k}
		switch v := obj[k].(type) {
		case map[string]any:
			n, err := parseObject(v, depth+1)
			if err != nil {
				return nil, err
			}
			r.nested = n
		case []any:
			if len(v) == 0 {
				return nil, fmt.Errorf("field %q: an empty list matches nothing", k)
			}
			for _, e := range v {
				m, err := parseMatcher(e)
				if err != nil {
					return nil, fmt.Errorf("field %q: %v", k, err)
				}
				r.matchers = append(r.matchers, m)
			}
		default:
			return nil, fmt.Errorf("field %q: a value must be an object or a list, got %s", k, jsonKind(v))
		}
		p.fields = append(p.fields, r)
	}
	return p, nil
}

func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case float64:
		return "a number"
	case bool:
		return "a boolean"
	case []any:
		return "a list"
	}
	return "an object"
}

func parseMatcher(e any) (matcher, error) {
	switch v := e.(type) {
	case nil, string, float64, bool:
		return matcher{kind: matchEquals, value: v}, nil
	case []any:
		return matcher{}, fmt.Errorf("a list inside a list")
	}
	obj := e.(map[string]any)
	if len(obj) != 1 {
		return matcher{}, fmt.Errorf("an operator object must have exactly one key, got %d", len(obj))
	}
	for op, arg := range obj {
		switch op {
		case "prefix", "suffix", "equals-ignore-case":
			s, ok := arg.(string)
			if !ok {
				return matcher{}, fmt.Errorf("%s takes a string, got %s", op, jsonKind(arg))
			}
			kind := map[string]matcherKind{"prefix": matchPrefix, "suffix": matchSuffix, "equals-ignore-case": matchIgnoreCase}[op]
			return matcher{kind: kind, str: s}, nil
		case "exists":
			b, ok := arg.(bool)
			if !ok {
				return matcher{}, fmt.Errorf("exists takes true or false, got %s", jsonKind(arg))
			}
			return matcher{kind: matchExists, exist: b}, nil
		case "anything-but":
			return parseAnythingBut(arg)
		case "numeric":
			return parseNumeric(arg)
		default:
			return matcher{}, fmt.Errorf("unknown operator %q", op)
		}
	}
	return matcher{}, fmt.Errorf("an empty operator object")
}

func parseAnythingBut(arg any) (matcher, error) {
	switch v := arg.(type) {
	case string, float64:
		return matcher{kind: matchAnythingBut, not: []any{v}}, nil
	case []any:
		if len(v) == 0 {
			return matcher{}, fmt.Errorf("anything-but takes a non-empty list")
		}
		for _, x := range v {
			switch x.(type) {
			case string, float64:
			default:
				return matcher{}, fmt.Errorf("anything-but lists strings or numbers, got %s", jsonKind(x))
			}
		}
		return matcher{kind: matchAnythingBut, not: v}, nil
	case map[string]any:
		if p, ok := v["prefix"].(string); ok && len(v) == 1 {
			return matcher{kind: matchAnythingButPrefix, str: p}, nil
		}
	}
	return matcher{}, fmt.Errorf("anything-but takes a string, a number, a list of them or {\"prefix\": …}, got %s", jsonKind(arg))
}

func parseNumeric(arg any) (matcher, error) {
	l, ok := arg.([]any)
	if !ok || len(l) == 0 || len(l)%2 != 0 || len(l) > 4 {
		return matcher{}, fmt.Errorf("numeric takes one or two pairs of an operator and a number")
	}
	m := matcher{kind: matchNumeric}
	for i := 0; i < len(l); i += 2 {
		op, ok1 := l[i].(string)
		n, ok2 := l[i+1].(float64)
		if !ok1 || !ok2 {
			return matcher{}, fmt.Errorf("numeric takes operator, number pairs")
		}
		switch op {
		case "=", "<", "<=", ">", ">=":
		default:
			return matcher{}, fmt.Errorf("numeric operator %q is not one of =, <, <=, >, >=", op)
		}
		if op == "=" && len(l) > 2 {
			return matcher{}, fmt.Errorf("numeric = stands alone")
		}
		m.conds = append(m.conds, numCmp{op: op, v: n})
	}
	return m, nil
}

// match reports whether a decoded record matches every field rule.
func (p *filterPattern) match(doc any) bool {
	obj, _ := doc.(map[string]any)
	for i := range p.fields {
		r := &p.fields[i]
		v, present := obj[r.key]
		if !r.matchField(v, present) {
			return false
		}
	}
	return true
}

func (r *fieldRule) matchField(v any, present bool) bool {
	if r.nested != nil {
		if !present {
			return false
		}
		if l, ok := v.([]any); ok {
			for _, e := range l {
				if r.nested.match(e) {
					return true
				}
			}
			return false
		}
		return r.nested.match(v)
	}
	for _, m := range r.matchers {
		if m.kind == matchExists {
			if m.exist == present {
				return true
			}
			continue
		}
		if !present {
			continue
		}
		if l, ok := v.([]any); ok {
			for _, e := range l {
				if m.matchValue(e) {
					return true
				}
			}
			continue
		}
		if m.matchValue(v) {
			return true
		}
	}
	return false
}

func (m *matcher) matchValue(v any) bool {
	switch m.kind {
	case matchEquals:
		return v == m.value
	case matchPrefix:
		s, ok := v.(string)
		return ok && strings.HasPrefix(s, m.str)
	case matchSuffix:
		s, ok := v.(string)
		return ok && strings.HasSuffix(s, m.str)
	case matchIgnoreCase:
		s, ok := v.(string)
		return ok && strings.EqualFold(s, m.str)
	case matchAnythingBut:
		return !slices.Contains(m.not, v)
	case matchAnythingButPrefix:
		s, ok := v.(string)
		return ok && !strings.HasPrefix(s, m.str)
	case matchNumeric:
		n, ok := v.(float64)
		if !ok || math.IsNaN(n) {
			return false
		}
		for _, c := range m.conds {
			var ok bool
			switch c.op {
			case "=":
				ok = n == c.v
			case "<":
				ok = n < c.v
			case "<=":
				ok = n <= c.v
			case ">":
				ok = n > c.v
			case ">=":
				ok = n >= c.v
			}
			if !ok {
				return false
			}
		}
		return true
	}
	return false
}

// cloneFilterCriteria copies fc, nil for none.
func cloneFilterCriteria(fc *FilterCriteria) *FilterCriteria {
	if fc == nil || len(fc.Filters) == 0 {
		return nil
	}
	return &FilterCriteria{Filters: slices.Clone(fc.Filters)}
}
