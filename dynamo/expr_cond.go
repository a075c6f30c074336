package dynamo

import (
	"slices"
	"strconv"
)

// Condition and filter expressions (and, with extra rules, key condition
// expressions) share this grammar:
//
//	condition  = and { OR and }
//	and        = not { AND not }
//	not        = NOT not | primary
//	primary    = "(" condition ")" | operand comparison | function
//	comparison = comparator operand | BETWEEN operand AND operand
//	           | IN "(" operand { "," operand } ")"
//	operand    = path | :value | size "(" operand ")" | "(" operand ")"
//
// Keywords are case-insensitive; function names are not. NOT binds tighter
// than AND, which binds tighter than OR.

// condKind is the kind of a condition node.
type condKind uint8

const (
	cAnd     condKind = iota // sub[0] AND sub[1]
	cOr                      // sub[0] OR sub[1]
	cNot                     // NOT sub[0]
	cCmp                     // args[0] op args[1]
	cBetween                 // args[0] BETWEEN args[1] AND args[2]
	cIn                      // args[0] IN (args[1:])
	cFunc                    // args[0] is a boolean function call
)

// condNode is one node of a parsed condition.
type condNode struct {
	kind   condKind
	op     string // cCmp: the comparator
	sub    []*condNode
	args   []*operand
	parens int
}

// condition is a parsed ConditionExpression or FilterExpression. It is
// immutable once parsed, so one condition may be evaluated from many
// goroutines at once.
type condition struct {
	root   *condNode
	values map[string]AttributeValue // the request's, bound at eval
}

// conditionFunctions maps the functions of condition expressions to their
// number of operands.
var conditionFunctions = map[string]int{
	"attribute_exists":     1,
	"attribute_not_exists": 1,
	"attribute_type":       2,
	"begins_with":          2,
	"contains":             2,
	"size":                 1,
}

// updateFunctions maps the functions of update expressions to their number
// of operands.
var updateFunctions = map[string]int{
	"if_not_exists": 2,
	"list_append":   2,
}

// attributeTypes are the type names attribute_type accepts, in the order
// DynamoDB lists them.
var attributeTypes = []string{"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"}

// parseCondition parses a ConditionExpression or FilterExpression; kind
// names it in error messages.
func (c *exprContext) parseCondition(kind, expr string) (*condition, error) {
	var key string
	if c.cache != nil {
		key = c.cacheKey(kind, expr)
		if e := c.cached(key); e != nil {
			return &condition{root: e.cond, values: c.values}, nil
		}
	}
	root, err := c.parseConditionTree(kind, expr)
	if err != nil {
		return nil, err
	}
	c.remember(key, &cachedExpr{cond: root})
	return &condition{root: root, values: c.values}, nil
}

// parseConditionTree parses and validates a condition-grammar expression.
func (c *exprContext) parseConditionTree(kind, expr string) (*condNode, error) {
	if err := c.checkSize(kind, expr); err != nil {
		return nil, err
	}
	p := newParser(kind, expr, modeCondition, c.limits)
	root, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	if p.peek().kind != tEOF {
		return nil, p.fail()
	}
	if err := c.validateCondition(p, root); err != nil {
		return nil, err
	}
	return root, nil
}

func (p *parser) parseOr() (*condNode, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	return p.continueOr(left)
}

func (p *parser) continueOr(left *condNode) (*condNode, error) {
	for p.peek().isKeyword("OR") {
		p.advance()
		p.countOp()
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &condNode{kind: cOr, sub: []*condNode{left, right}}
	}
	return left, nil
}

func (p *parser) parseAnd() (*condNode, error) {
	left, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return p.continueAnd(left)
}

func (p *parser) continueAnd(left *condNode) (*condNode, error) {
	for p.peek().isKeyword("AND") {
		p.advance()
		p.countOp()
		right, err := p.parseNot()
		if err != nil {
			return nil, err
		}
		left = &condNode{kind: cAnd, sub: []*condNode{left, right}}
	}
	return left, nil
}

func (p *parser) parseNot() (*condNode, error) {
	if !p.peek().isKeyword("NOT") {
		return p.parsePrimary()
	}
	p.advance()
	p.countOp()
	inner, err := p.parseNot()
	if err != nil {
		return nil, err
	}
	return &condNode{kind: cNot, sub: []*condNode{inner}}, nil
}

func (p *parser) parsePrimary() (*condNode, error) {
	op, cond, err := p.parseAtom()
	if err != nil || cond != nil {
		return cond, err
	}
	return p.conditionTail(op)
}

// parseAtom parses what may begin a primary: a parenthesized condition, a
// parenthesized operand, or an operand. Exactly one result is non-nil.
func (p *parser) parseAtom() (*operand, *condNode, error) {
	if !p.peek().is("(") {
		op, err := p.parseOperand()
		return op, nil, err
	}
	p.advance()
	op, cond, err := p.parseParenInner()
	if err != nil {
		return nil, nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, nil, err
	}
	if cond != nil {
		p.parenthesize(&cond.parens)
		return nil, cond, nil
	}
	p.parenthesize(&op.parens)
	return op, nil, nil
}

// parseParenInner parses the inside of a pair of parentheses: either an
// operand (when the closing parenthesis follows it) or a whole condition.
func (p *parser) parseParenInner() (*operand, *condNode, error) {
	var cond *condNode
	var err error
	if p.peek().isKeyword("NOT") {
		cond, err = p.parseNot()
	} else {
		var op *operand
		op, cond, err = p.parseAtom()
		if err == nil && cond == nil {
			if p.peek().is(")") {
				return op, nil, nil
			}
			cond, err = p.conditionTail(op)
		}
	}
	if err != nil {
		return nil, nil, err
	}
	if cond, err = p.continueAnd(cond); err != nil {
		return nil, nil, err
	}
	cond, err = p.continueOr(cond)
	return nil, cond, err
}

// conditionTail parses what follows a condition's first operand.
func (p *parser) conditionTail(left *operand) (*condNode, error) {
	t := p.peek()
	switch {
	case t.kind == tPunct && (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == "<=" || t.text == ">" || t.text == ">="):
		p.advance()
		p.countOp()
		right, err := p.parseOperandParens()
		if err != nil {
			return nil, err
		}
		return &condNode{kind: cCmp, op: t.text, args: []*operand{left, right}}, nil
	case t.isKeyword("BETWEEN"):
		p.advance()
		p.countOp()
		lo, err := p.parseOperandParens()
		if err != nil {
			return nil, err
		}
		if !p.peek().isKeyword("AND") {
			return nil, p.fail()
		}
		p.advance()
		hi, err := p.parseOperandParens()
		if err != nil {
			return nil, err
		}
		return &condNode{kind: cBetween, args: []*operand{left, lo, hi}}, nil
	case t.isKeyword("IN"):
		p.advance()
		p.countOp()
		if err := p.expect("("); err != nil {
			return nil, err
		}
		n := &condNode{kind: cIn, args: []*operand{left}}
		for {
			op, err := p.parseOperandParens()
			if err != nil {
				return nil, err
			}
			n.args = append(n.args, op)
			if !p.peek().is(",") {
				break
			}
			p.advance()
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return n, nil
	case left.kind == oFunc:
		return &condNode{kind: cFunc, args: []*operand{left}}, nil
	}
	return nil, p.fail()
}

// walkCond calls fn on every node in source order (pre-order).
func walkCond(n *condNode, fn func(*condNode) error) error {
	if err := fn(n); err != nil {
		return err
	}
	for _, s := range n.sub {
		if err := walkCond(s, fn); err != nil {
			return err
		}
	}
	return nil
}

// walkLeafOperands calls fn on every operand of every leaf, in source order.
func walkLeafOperands(root *condNode, fn func(*operand) error) error {
	return walkCond(root, func(n *condNode) error {
		for _, a := range n.args {
			if err := walkOperands(a, fn); err != nil {
				return err
			}
		}
		return nil
	})
}

// validateCondition runs the checks DynamoDB makes once a condition has
// parsed, in the order it reports them: operator count, redundant
// parentheses, unknown functions, misplaced functions, reserved words, and
// then, condition by condition in source order, undefined names and
// values, operand counts, repeated operands and operand types.
func (c *exprContext) validateCondition(p *parser, root *condNode) error {
	kind := p.kind
	if err := p.checkOps(); err != nil {
		return err
	}
	if p.redundant {
		return exprError(kind, "The expression has redundant parentheses;")
	}
	err := walkLeafOperands(root, func(o *operand) error {
		if o.kind != oFunc {
			return nil
		}
		if _, ok := conditionFunctions[o.name]; ok {
			return nil
		}
		if _, ok := updateFunctions[o.name]; ok {
			return exprError(kind, "The function is not allowed in a condition expression; function: %s", o.name)
		}
		return exprError(kind, "Invalid function name; function: %s", o.name)
	})
	if err != nil {
		return err
	}
	if err := walkCond(root, func(n *condNode) error { return checkMisused(kind, n) }); err != nil {
		return err
	}
	err = walkLeafOperands(root, func(o *operand) error {
		if o.kind == oPath {
			if w := firstReserved(o.path); w != "" {
				return exprError(kind, "Attribute name is a reserved keyword; reserved keyword: %s", w)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return walkCond(root, func(n *condNode) error {
		if len(n.args) == 0 {
			return nil
		}
		return c.checkLeaf(kind, n)
	})
}

// checkMisused rejects functions used where their result cannot go: a
// boolean function as an operand, or size() as a whole condition.
func checkMisused(kind string, n *condNode) error {
	misused := func(name string) error {
		return exprError(kind, "The function is not allowed to be used this way in an expression; function: %s", name)
	}
	for i, a := range n.args {
		if a.kind == oFunc && (a.name == "size" && n.kind == cFunc && i == 0 || a.name != "size" && n.kind != cFunc) {
			return misused(a.name)
		}
		for _, inner := range a.args {
			err := walkOperands(inner, func(o *operand) error {
				if o.kind == oFunc && o.name != "size" {
					return misused(o.name)
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// checkLeaf checks one comparison or function condition.
func (c *exprContext) checkLeaf(kind string, n *condNode) error {
	for _, a := range n.args {
		if err := c.resolveOperand(kind, a); err != nil {
			return err
		}
	}
	funcs := leafFunctions(n)
	for _, f := range funcs {
		if want := conditionFunctions[f.name]; len(f.args) != want {
			return exprError(kind, "Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", f.name, len(f.args))
		}
	}
	if n.kind == cIn && len(n.args)-1 > c.limits.MaxInOperands {
		return exprError(kind, "The IN operator is provided with too many operands; number of operands: %d", len(n.args)-1)
	}
	if err := checkDistinct(kind, n); err != nil {
		return err
	}
	for _, f := range funcs {
		if err := checkFunctionOperands(kind, f); err != nil {
			return err
		}
	}
	switch {
	case n.kind == cCmp && n.op != "=" && n.op != "<>":
		return checkOrderable(kind, n.op, n.args)
	case n.kind == cBetween:
		if err := checkOrderable(kind, "BETWEEN", n.args); err != nil {
			return err
		}
		return checkBounds(kind, n.args[1], n.args[2])
	}
	return nil
}

// leafFunctions lists the function calls of a leaf, innermost first.
func leafFunctions(n *condNode) []*operand {
	var out []*operand
	var visit func(*operand)
	visit = func(o *operand) {
		for _, a := range o.args {
			visit(a)
		}
		if o.kind == oFunc {
			out = append(out, o)
		}
	}
	for _, a := range n.args {
		visit(a)
	}
	return out
}

// checkDistinct rejects an operator or function whose first operand is the
// same document path as one of its other operands, as in contains(a, a).
func checkDistinct(kind string, n *condNode) error {
	name, args := n.op, n.args
	switch n.kind {
	case cBetween:
		return nil
	case cIn:
		name = "IN"
	case cFunc:
		name, args = n.args[0].name, n.args[0].args
	}
	if len(args) < 2 || args[0].kind != oPath {
		return nil
	}
	for _, a := range args[1:] {
		if a.kind == oPath && slices.EqualFunc(a.path, args[0].path, func(x, y pathElem) bool {
			return x.isIndex == y.isIndex && x.index == y.index && x.name == y.name
		}) {
			return exprError(kind, "The first operand must be distinct from the remaining operands for this operator or function; operator: %s, first operand: %s", name, args[0].path)
		}
	}
	return nil
}

// checkFunctionOperands checks the operand types of one function call
// where they are known before any item is seen.
func checkFunctionOperands(kind string, f *operand) error {
	badType := func(t string) error {
		return exprError(kind, "Incorrect operand type for operator or function; operator or function: %s, operand type: %s", f.name, t)
	}
	switch f.name {
	case "attribute_exists", "attribute_not_exists":
		if f.args[0].kind != oPath {
			return exprError(kind, "Operator or function requires a document path; operator or function: %s", f.name)
		}
	case "attribute_type":
		switch t := staticType(f.args[1]); t {
		case "S":
			name := string(f.args[1].val.(S))
			if !slices.Contains(attributeTypes, name) {
				return exprError(kind, "Invalid attribute type name found; type: %s, valid types: {S,SS,N,NS,B,BS,BOOL,NULL,L,M}", name)
			}
		case "":
			return badType("{S,SS,N,NS,B,BS,BOOL,NULL,L,M,HD,DOUBLE,FLOAT,HDS,FS,DOUBLESET,DICT,DECIMAL,INT,DECIMALSET,INTSET}")
		default:
			return badType(t)
		}
	case "begins_with":
		for _, a := range f.args {
			if t := staticType(a); t != "" && t != "S" && t != "B" {
				return badType(t)
			}
		}
	case "size":
		if t := staticType(f.args[0]); t == "N" || t == "BOOL" || t == "NULL" {
			return badType(t)
		}
	}
	return nil
}

// checkOrderable rejects a value that can never be ordered (a boolean,
// null, set, list or map) as an operand of < <= > >= or BETWEEN.
func checkOrderable(kind, op string, args []*operand) error {
	for _, a := range args {
		if t := staticType(a); t != "" && !isOrderable(t) {
			return exprError(kind, "Incorrect operand type for operator or function; operator or function: %s, operand type: %s", op, t)
		}
	}
	return nil
}

// checkBounds checks the bounds of BETWEEN when both are values.
func checkBounds(kind string, lo, hi *operand) error {
	if lo.kind != oValue || hi.kind != oValue {
		return nil
	}
	if lo.val.Type() != hi.val.Type() {
		return exprError(kind, "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: %s, upper bound operand: AttributeValue: %s", shortValue(lo.val), shortValue(hi.val))
	}
	if cmp, ok := compareOrdered(lo.val, hi.val); ok && cmp > 0 {
		return exprError(kind, "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: %s, upper bound operand: AttributeValue: %s", shortValue(lo.val), shortValue(hi.val))
	}
	return nil
}

// topLevelNames returns the top-level attributes the condition reads, in
// source order; a Query uses it to reject a filter on a key attribute
// ("Filter Expression can only contain non-primary key attributes").
func (cond *condition) topLevelNames() []string {
	var names []string
	_ = walkLeafOperands(cond.root, func(o *operand) error {
		if o.kind == oPath && !slices.Contains(names, o.path[0].name) {
			names = append(names, o.path[0].name)
		}
		return nil
	})
	return names
}

// eval reports whether item satisfies the condition; a nil item is a
// missing item, in which every attribute is absent.
func (cond *condition) eval(item Item) bool {
	return evalCond(cond.root, item, cond.values)
}

// evalCond evaluates n against item with the request's expression
// attribute values vals. The tree is shared by every request that parsed
// the same expression (see exprCache), so values come from vals, never
// from the tree.
func evalCond(n *condNode, item Item, vals map[string]AttributeValue) bool {
	switch n.kind {
	case cAnd:
		return evalCond(n.sub[0], item, vals) && evalCond(n.sub[1], item, vals)
	case cOr:
		return evalCond(n.sub[0], item, vals) || evalCond(n.sub[1], item, vals)
	case cNot:
		return !evalCond(n.sub[0], item, vals)
	case cCmp:
		a, aok := evalOperand(n.args[0], item, vals)
		b, bok := evalOperand(n.args[1], item, vals)
		switch n.op {
		case "=":
			return aok && bok && valuesEqual(a, b)
		case "<>":
			return !aok || !bok || !valuesEqual(a, b)
		}
		if !aok || !bok {
			return false
		}
		cmp, ok := compareOrdered(a, b)
		if !ok {
			return false
		}
		switch n.op {
		case "<":
			return cmp < 0
		case "<=":
			return cmp <= 0
		case ">":
			return cmp > 0
		}
		return cmp >= 0
	case cBetween:
		v, ok := evalOperand(n.args[0], item, vals)
		lo, lok := evalOperand(n.args[1], item, vals)
		hi, hok := evalOperand(n.args[2], item, vals)
		if !ok || !lok || !hok {
			return false
		}
		c1, ok1 := compareOrdered(lo, v)
		c2, ok2 := compareOrdered(v, hi)
		return ok1 && ok2 && c1 <= 0 && c2 <= 0
	case cIn:
		v, ok := evalOperand(n.args[0], item, vals)
		if !ok {
			return false
		}
		for _, a := range n.args[1:] {
			if w, ok := evalOperand(a, item, vals); ok && valuesEqual(v, w) {
				return true
			}
		}
		return false
	}
	return evalFunction(n.args[0], item, vals)
}

// evalOperand returns an operand's value in item, if it has one.
func evalOperand(op *operand, item Item, vals map[string]AttributeValue) (AttributeValue, bool) {
	switch op.kind {
	case oPath:
		return lookupPath(item, op.path)
	case oValue:
		return boundValue(op, vals), true
	case oFunc:
		if op.name == "size" {
			v, ok := evalOperand(op.args[0], item, vals)
			if !ok {
				return nil, false
			}
			if n, ok := sizeOf(v); ok {
				return N(strconv.Itoa(n)), true
			}
		}
	}
	return nil, false
}

// evalFunction evaluates a boolean function.
func evalFunction(f *operand, item Item, vals map[string]AttributeValue) bool {
	switch f.name {
	case "attribute_exists":
		_, ok := evalOperand(f.args[0], item, vals)
		return ok
	case "attribute_not_exists":
		_, ok := evalOperand(f.args[0], item, vals)
		return !ok
	}
	a, aok := evalOperand(f.args[0], item, vals)
	b, bok := evalOperand(f.args[1], item, vals)
	if !aok || !bok {
		return false
	}
	switch f.name {
	case "attribute_type":
		t, ok := b.(S)
		return ok && a.Type() == string(t)
	case "begins_with":
		return beginsWith(a, b)
	case "contains":
		return containsValue(a, b)
	}
	return false
}
