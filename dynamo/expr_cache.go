package dynamo

import (
	"slices"
	"strings"
	"sync"
)

// Applications send the same few expressions over and over with different
// values ("SET n = :next" with a new :next each time), so a DB remembers
// the condition and update expressions it has parsed. A parsed tree never
// holds a request's values: evaluation reads them from the request
// (condition.values, updateExpr.values), so one tree serves every request
// that sends the same text with the same ExpressionAttributeNames.
//
// Whether an expression is valid depends on more than its text and names:
// on the types of the values it uses (ADD :v needs a number or a set), and
// for BETWEEN bounds and attribute_type's type name on their contents too.
// An entry therefore records the types of the values the expression used,
// and the contents it checked, and serves only a request whose values
// match; any other request is parsed in full, so that its errors are
// exactly those of a first parse.

// maxCachedExprs bounds a DB's cache of parsed expressions; when it is
// full it starts again empty.
const maxCachedExprs = 1024

// exprCache holds a DB's parsed condition and update expressions.
type exprCache struct {
	mu sync.Mutex
	m  map[string]*cachedExpr
}

// cachedExpr is one parsed, validated expression.
type cachedExpr struct {
	cond   *condNode
	upd    []*updateAction
	names  []string                  // the #name placeholders it used
	types  map[string]string         // the :value placeholders it used, by type
	pinned map[string]AttributeValue // values whose contents validation read
}

// cacheKey identifies an expression of one kind with the request's names.
func (c *exprContext) cacheKey(kind, expr string) string {
	keys := make([]string, 0, len(c.names))
	n := len(kind) + len(expr) + 1
	for k, v := range c.names {
		keys = append(keys, k)
		n += len(k) + len(v) + 2
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(n)
	b.WriteString(kind)
	b.WriteByte(0)
	b.WriteString(expr)
	for _, k := range keys {
		b.WriteByte(0)
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(c.names[k])
	}
	return b.String()
}

// cached returns the entry for key if the request's values fit it, and
// records the placeholders it uses as used.
func (c *exprContext) cached(key string) *cachedExpr {
	if c.cache == nil {
		return nil
	}
	c.cache.mu.Lock()
	e := c.cache.m[key]
	c.cache.mu.Unlock()
	if e == nil {
		return nil
	}
	for ref, t := range e.types {
		if v := c.values[ref]; v == nil || v.Type() != t {
			return nil
		}
	}
	for ref, pv := range e.pinned {
		if !valuesEqual(c.values[ref], pv) {
			return nil
		}
	}
	for _, n := range e.names {
		c.usedNames.add(n)
	}
	for ref := range e.types {
		c.usedValues.add(ref)
	}
	return e
}

// remember stores a freshly parsed expression under key.
func (c *exprContext) remember(key string, e *cachedExpr) {
	if c.cache == nil {
		return
	}
	e.types = map[string]string{}
	note := func(o *operand) error {
		switch o.kind {
		case oValue:
			if v := c.values[o.name]; v != nil {
				e.types[o.name] = v.Type()
			}
		case oPath, oFunc:
			for _, el := range o.path {
				if !el.isIndex && strings.HasPrefix(el.raw, "#") && !slices.Contains(e.names, el.raw) {
					e.names = append(e.names, el.raw)
				}
			}
		}
		return nil
	}
	pin := func(o *operand) {
		if o.kind == oValue {
			if e.pinned == nil {
				e.pinned = map[string]AttributeValue{}
			}
			e.pinned[o.name] = c.values[o.name]
		}
	}
	if e.cond != nil {
		_ = walkCond(e.cond, func(n *condNode) error {
			for _, a := range n.args {
				_ = walkOperands(a, note)
			}
			switch {
			case n.kind == cBetween:
				pin(n.args[1])
				pin(n.args[2])
			case n.kind == cFunc && n.args[0].name == "attribute_type":
				pin(n.args[0].args[1])
			}
			return nil
		})
	}
	for _, a := range e.upd {
		_ = note(&operand{kind: oPath, path: a.path})
		if a.val != nil {
			_ = walkOperands(a.val, note)
		}
	}
	c.cache.mu.Lock()
	defer c.cache.mu.Unlock()
	if c.cache.m == nil || len(c.cache.m) >= maxCachedExprs {
		c.cache.m = make(map[string]*cachedExpr)
	}
	c.cache.m[key] = e
}

// boundValue returns the value of a :placeholder operand in one request.
// Trees parsed outside a request's context (key conditions) keep their
// values in the operand.
func boundValue(op *operand, vals map[string]AttributeValue) AttributeValue {
	if v := vals[op.name]; v != nil {
		return v
	}
	return op.val
}
