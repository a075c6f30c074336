package dynamo

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// exprLimits are DynamoDB's limits on expressions. Source: Amazon DynamoDB
// Developer Guide, "Quotas in Amazon DynamoDB", section "Expression
// parameters"
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html#limits-expression-parameters),
// and "Comparison operator and function reference" for IN.
type exprLimits struct {
	// MaxSize is the longest expression string, in bytes: 4 KB. It is
	// measured on the raw text, before #name substitution.
	MaxSize int
	// MaxOperators is the most operators and functions one expression may
	// use: 300.
	MaxOperators int
	// MaxInOperands is the most values an IN list may hold: 100.
	MaxInOperands int
	// MaxPathDepth is the most elements one document path may have: 32,
	// DynamoDB's limit on nesting levels (the attribute itself is level 1).
	MaxPathDepth int
}

// defaultExprLimits are DynamoDB's documented expression limits.
var defaultExprLimits = exprLimits{MaxSize: 4096, MaxOperators: 300, MaxInOperands: 100, MaxPathDepth: 32}

// exprContext holds one request's ExpressionAttributeNames and
// ExpressionAttributeValues, which all the expressions of the request share,
// and records which of them the expressions used. It is not safe for
// concurrent use; the expressions it parses are.
type exprContext struct {
	names      map[string]string
	values     map[string]AttributeValue
	usedNames  usedSet
	usedValues usedSet
	cache      *exprCache // the DB's parsed expressions; nil parses every time
	limits     exprLimits
}

// newExprContext returns the context of one request. The values must
// already be valid (numbers canonical, sets non-empty and distinct).
func newExprContext(names map[string]string, values map[string]AttributeValue) *exprContext {
	return &exprContext{
		names:  names,
		values: values,
		limits: defaultExprLimits,
	}
}

// unusedError reports, once every expression of the request is parsed, an
// ExpressionAttributeNames or ExpressionAttributeValues entry that no
// expression used. DynamoDB checks the names first.
func (c *exprContext) unusedError() error {
	if keys := unusedKeys(c.names, c.usedNames); len(keys) > 0 {
		return ErrValidation.Newf("Value provided in ExpressionAttributeNames unused in expressions: keys: {%s}", strings.Join(keys, ", "))
	}
	if keys := unusedKeys(c.values, c.usedValues); len(keys) > 0 {
		return ErrValidation.Newf("Value provided in ExpressionAttributeValues unused in expressions: keys: {%s}", strings.Join(keys, ", "))
	}
	return nil
}

// usedSet records the placeholders a request's expressions used. A
// request has few, so a slice beats a map.
type usedSet []string

func (u *usedSet) add(k string) {
	if !slices.Contains(*u, k) {
		*u = append(*u, k)
	}
}

func unusedKeys[V any](m map[string]V, used usedSet) []string {
	var keys []string
	for k := range m {
		if !slices.Contains(used, k) {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// exprError is a ValidationException about the expression of the given
// kind, in DynamoDB's form "Invalid <kind>: <message>".
func exprError(kind, format string, args ...any) error {
	return ErrValidation.New("Invalid " + kind + ": " + fmt.Sprintf(format, args...))
}

// checkSize applies the emptiness and size checks DynamoDB makes before it
// parses an expression. Condition and filter expressions report their size.
func (c *exprContext) checkSize(kind, expr string) error {
	if strings.TrimSpace(expr) == "" {
		return exprError(kind, "The expression can not be empty;")
	}
	if len(expr) > c.limits.MaxSize {
		if kind == "ConditionExpression" || kind == "FilterExpression" {
			return exprError(kind, "Expression size has exceeded the maximum allowed size; expression size: %d", len(expr))
		}
		return exprError(kind, "Expression size has exceeded the maximum allowed size;")
	}
	return nil
}

// pathElem is one element of a document path: a map key (or top-level
// attribute name) or a list index.
type pathElem struct {
	name    string // the attribute name, after #name substitution
	raw     string // as written: "status", "#s"
	index   int
	isIndex bool
}

// docPath is a document path such as a.b[3].c.
type docPath []pathElem

// String renders the path as DynamoDB does in messages: [a, b, [3], c].
func (p docPath) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range p {
		if i > 0 {
			b.WriteString(", ")
		}
		if e.isIndex {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.index))
			b.WriteByte(']')
		} else {
			b.WriteString(e.name)
		}
	}
	b.WriteByte(']')
	return b.String()
}

// resolve substitutes the #name placeholders of p and records their use;
// it returns the first placeholder that is not defined.
func (c *exprContext) resolve(p docPath) (undefined string) {
	for i := range p {
		e := &p[i]
		if e.isIndex || e.raw[0] != '#' {
			continue
		}
		name, ok := c.names[e.raw]
		if !ok {
			return e.raw
		}
		c.usedNames.add(e.raw)
		e.name = name
	}
	return ""
}

// value looks up an expression attribute value and records its use.
func (c *exprContext) value(ref string) (AttributeValue, bool) {
	v, ok := c.values[ref]
	if ok = ok && v != nil; ok {
		c.usedValues.add(ref)
	}
	return v, ok
}

// pathRelation compares two paths the way DynamoDB does to reject an
// update or projection that names the same data twice: "overlap" when one
// is a prefix of the other (or they are equal), "conflict" when they agree
// up to an element that is a map key in one and a list index in the other,
// and "" when they address disjoint data.
func pathRelation(a, b docPath) string {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i].isIndex != b[i].isIndex {
			return "conflict"
		}
		if a[i].isIndex && a[i].index != b[i].index || !a[i].isIndex && a[i].name != b[i].name {
			return ""
		}
	}
	return "overlap"
}

// checkPaths rejects overlapping or conflicting paths, reporting the first
// overlapping pair if there is one, else the first conflicting pair, each
// pair as (earlier path, later path).
func checkPaths(kind string, paths []docPath) error {
	var conflict error
	for j := range paths {
		for i := 0; i < j; i++ {
			switch pathRelation(paths[i], paths[j]) {
			case "overlap":
				return exprError(kind, "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", paths[i], paths[j])
			case "conflict":
				if conflict == nil {
					conflict = exprError(kind, "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: %s, path two: %s", paths[i], paths[j])
				}
			}
		}
	}
	return conflict
}

// lookupPath returns the value at path p in item, if there is one.
func lookupPath(item Item, p docPath) (AttributeValue, bool) {
	v, ok := item[p[0].name]
	if !ok {
		return nil, false
	}
	for _, e := range p[1:] {
		switch c := v.(type) {
		case M:
			if e.isIndex {
				return nil, false
			}
			if v, ok = c[e.name]; !ok {
				return nil, false
			}
		case L:
			if !e.isIndex || e.index >= len(c) {
				return nil, false
			}
			v = c[e.index]
		default:
			return nil, false
		}
	}
	return v, true
}
