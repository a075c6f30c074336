package dynamo

import (
	"slices"
	"strings"
)

// Update expressions have up to four clauses, in any order, each at most
// once:
//
//	update = { section }
//	section = SET set-action { "," set-action }
//	        | REMOVE path { "," path }
//	        | ADD path :value { "," path :value }
//	        | DELETE path :value { "," path :value }
//	set-action = path "=" value
//	value = term [ ("+" | "-") operand ]
//	term = "(" value ")" | operand
//	operand = path | :value | if_not_exists(path, operand) | list_append(operand, operand) | "(" operand ")"

// actionKind is the clause an update action belongs to.
type actionKind uint8

const (
	aSet actionKind = iota
	aRemove
	aAdd
	aDelete
)

var actionNames = [...]string{aSet: "SET", aRemove: "REMOVE", aAdd: "ADD", aDelete: "DELETE"}

// updateAction is one action of an update expression.
type updateAction struct {
	kind actionKind
	path docPath
	val  *operand // SET: the new value; ADD and DELETE: the :value operand
}

// updateExpr is a parsed UpdateExpression. It is immutable once parsed, so
// it may be applied from many goroutines at once.
type updateExpr struct {
	actions []*updateAction
	values  map[string]AttributeValue // the request's, bound at apply
}

// dynamoTypeNames are the type names DynamoDB uses in ADD and DELETE
// operand errors.
var dynamoTypeNames = map[string]string{
	"S": "STRING", "N": "NUMBER", "B": "BINARY", "BOOL": "BOOLEAN", "NULL": "NULL",
	"L": "LIST", "M": "MAP", "SS": "STRING_SET", "NS": "NUMBER_SET", "BS": "BINARY_SET",
}

// parseUpdate parses an UpdateExpression.
func (c *exprContext) parseUpdate(expr string) (*updateExpr, error) {
	const kind = "UpdateExpression"
	var key string
	if c.cache != nil {
		key = c.cacheKey(kind, expr)
		if e := c.cached(key); e != nil {
			return &updateExpr{actions: e.upd, values: c.values}, nil
		}
	}
	if err := c.checkSize(kind, expr); err != nil {
		return nil, err
	}
	p := newParser(kind, expr, modeUpdate, c.limits)
	u := &updateExpr{}
	var sections []actionKind
	for {
		t := p.peek()
		if t.kind == tEOF && len(sections) > 0 {
			break
		}
		if !isSectionKeyword(t) {
			return nil, p.fail()
		}
		p.advance()
		var section actionKind
		for k, name := range actionNames {
			if t.isKeyword(name) {
				section = actionKind(k)
			}
		}
		sections = append(sections, section)
		for {
			a, err := p.parseAction(section)
			if err != nil {
				return nil, err
			}
			u.actions = append(u.actions, a)
			if !p.peek().is(",") {
				break
			}
			p.advance()
		}
	}
	if err := c.validateUpdate(p, u, sections); err != nil {
		return nil, err
	}
	u.values = c.values
	c.remember(key, &cachedExpr{upd: u.actions})
	return u, nil
}

// parseAction parses one action of a section.
func (p *parser) parseAction(kind actionKind) (*updateAction, error) {
	path, err := p.parsePath()
	if err != nil {
		return nil, err
	}
	a := &updateAction{kind: kind, path: path}
	switch kind {
	case aSet:
		if err := p.expect("="); err != nil {
			return nil, err
		}
		if a.val, _, err = p.parseSetValue(); err != nil {
			return nil, err
		}
	case aAdd, aDelete:
		t := p.peek()
		if t.kind != tValueRef {
			return nil, p.fail()
		}
		p.advance()
		a.val = &operand{kind: oValue, name: t.text}
	}
	return a, nil
}

// parseSetValue parses the right-hand side of a SET action; arith reports
// whether it is an addition or subtraction (which cannot be an operand of
// another one).
func (p *parser) parseSetValue() (v *operand, arith bool, err error) {
	if p.peek().is("(") {
		p.advance()
		if v, arith, err = p.parseSetValue(); err != nil {
			return nil, false, err
		}
		if err := p.expect(")"); err != nil {
			return nil, false, err
		}
		v.parens++
	} else if v, err = p.parseOperand(); err != nil {
		return nil, false, err
	}
	t := p.peek()
	if !t.is("+") && !t.is("-") {
		return v, arith, nil
	}
	if arith {
		return nil, false, p.fail()
	}
	p.advance()
	p.countOp()
	right, err := p.parseOperandParens()
	if err != nil {
		return nil, false, err
	}
	return &operand{kind: oArith, name: t.text, args: []*operand{v, right}}, true, nil
}

// validateUpdate runs the checks DynamoDB makes once an update expression
// has parsed, in the order it reports them.
func (c *exprContext) validateUpdate(p *parser, u *updateExpr, sections []actionKind) error {
	const kind = "UpdateExpression"
	if err := p.checkOps(); err != nil {
		return err
	}
	for _, a := range u.actions {
		if w := firstReserved(a.path); w != "" {
			return exprError(kind, "Attribute name is a reserved keyword; reserved keyword: %s", w)
		}
		if a.val == nil {
			continue
		}
		err := walkOperands(a.val, func(o *operand) error {
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
	}
	for _, a := range u.actions {
		if a.val == nil {
			continue
		}
		if err := checkUpdateFunctions(kind, a.val, false); err != nil {
			return err
		}
	}
	for i, s := range sections {
		if slices.Contains(sections[:i], s) {
			return exprError(kind, "The \"%s\" section can only be used once in an update expression;", actionNames[s])
		}
	}
	// Every #name first, then every :value, each in source order.
	for _, a := range u.actions {
		if undefined := c.resolve(a.path); undefined != "" {
			return exprError(kind, "An expression attribute name used in the document path is not defined; attribute name: %s", undefined)
		}
		if a.val == nil {
			continue
		}
		err := walkOperands(a.val, func(o *operand) error {
			if o.kind == oPath {
				if undefined := c.resolve(o.path); undefined != "" {
					return exprError(kind, "An expression attribute name used in the document path is not defined; attribute name: %s", undefined)
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	for _, a := range u.actions {
		if a.val == nil {
			continue
		}
		err := walkOperands(a.val, func(o *operand) error {
			if o.kind == oValue {
				v, ok := c.value(o.name)
				if !ok {
					return exprError(kind, "An expression attribute value used in expression is not defined; attribute value: %s", o.name)
				}
				o.val = v
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	paths := make([]docPath, len(u.actions))
	for i, a := range u.actions {
		paths[i] = a.path
	}
	if err := checkPaths(kind, paths); err != nil {
		return err
	}
	for _, a := range u.actions {
		if a.kind != aAdd && a.kind != aDelete {
			continue
		}
		t := a.val.val.Type()
		ok := t == "SS" || t == "NS" || t == "BS" || t == "N" && a.kind == aAdd
		if !ok {
			return exprError(kind, "Incorrect operand type for operator or function; operator: %s, operand type: %s, typeSet: ALLOWED_FOR_%s_OPERAND", actionNames[a.kind], dynamoTypeNames[t], actionNames[a.kind])
		}
	}
	for _, a := range u.actions {
		if a.kind != aSet {
			continue
		}
		if err := checkUpdateOperands(kind, a.val); err != nil {
			return err
		}
	}
	return nil
}

// checkUpdateFunctions rejects functions that do not belong in an update
// expression, and a list_append nested in another.
func checkUpdateFunctions(kind string, op *operand, inListAppend bool) error {
	if op.kind == oFunc {
		if _, ok := updateFunctions[op.name]; !ok {
			if _, ok := conditionFunctions[op.name]; ok {
				return exprError(kind, "The function is not allowed in an update expression; function: %s", op.name)
			}
			return exprError(kind, "Invalid function name; function: %s", op.name)
		}
		if op.name == "list_append" {
			if inListAppend {
				return exprError(kind, "The function is not allowed to be used this way in an expression; function: %s", op.name)
			}
			inListAppend = true
		}
	}
	for _, a := range op.args {
		if err := checkUpdateFunctions(kind, a, inListAppend); err != nil {
			return err
		}
	}
	return nil
}

// checkUpdateOperands checks the operand counts and the operand types that
// are known before any item is seen, innermost function first.
func checkUpdateOperands(kind string, op *operand) error {
	for _, a := range op.args {
		if err := checkUpdateOperands(kind, a); err != nil {
			return err
		}
	}
	name := op.name
	switch op.kind {
	case oFunc:
		if want := updateFunctions[name]; len(op.args) != want {
			return exprError(kind, "Incorrect number of operands for operator or function; operator or function: %s, number of operands: %d", name, len(op.args))
		}
	case oArith:
	default:
		return nil
	}
	if name == "if_not_exists" {
		if op.args[0].kind != oPath {
			return exprError(kind, "Operator or function requires a document path; operator or function: %s", name)
		}
		return nil
	}
	want := "N"
	if name == "list_append" {
		want = "L"
	}
	for _, a := range op.args {
		if a.kind == oValue && a.val.Type() != want {
			return exprError(kind, "Incorrect operand type for operator or function; operator or function: %s, operand type: %s", name, a.val.Type())
		}
	}
	return nil
}

// topLevelNames returns the top-level attributes the update writes or
// removes, in the order the expression names them.
func (u *updateExpr) topLevelNames() []string {
	var names []string
	for _, a := range u.actions {
		if !slices.Contains(names, a.path[0].name) {
			names = append(names, a.path[0].name)
		}
	}
	return names
}

// project returns the parts of item at the paths the update wrote or
// removed, shaped as a projection of those paths would be: what DynamoDB
// returns for ReturnValues UPDATED_OLD (given the old item) and
// UPDATED_NEW (given the new one).
func (u *updateExpr) project(item Item) Item {
	paths := make([]docPath, len(u.actions))
	for i, a := range u.actions {
		paths[i] = a.path
	}
	return newProjection(paths).apply(item)
}

// String renders the update in a canonical form, for debugging and tests.
func (u *updateExpr) String() string {
	var b strings.Builder
	for i, a := range u.actions {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(actionNames[a.kind])
		b.WriteString(" ")
		b.WriteString(a.path.String())
	}
	return b.String()
}
