package dynamo

import (
	"math"
	"strconv"
)

// exprMode selects the grammar a parser accepts.
type exprMode uint8

const (
	modeCondition  exprMode = iota // condition, filter and key condition expressions
	modeUpdate                     // update expressions
	modeProjection                 // projection expressions
)

// opKind is the kind of an operand.
type opKind uint8

const (
	oPath  opKind = iota // a document path
	oValue               // an expression attribute value (:v)
	oFunc                // a function call
	oArith               // a + b or a - b (update expressions only)
)

// operand is one operand of an expression: a document path, a value, a
// function call, or (in SET actions) an addition or subtraction.
type operand struct {
	kind   opKind
	path   docPath
	name   string         // oValue: the placeholder (":v"); oFunc: the function name; oArith: "+" or "-"
	val    AttributeValue // oValue, once resolved
	args   []*operand     // oFunc and oArith
	parens int            // how many pairs of parentheses enclose it directly
}

// parser is a recursive-descent parser over the tokens of one expression.
// It reports syntax errors as it meets them; every other error is found by
// the validation passes that run on the finished tree, in the order
// DynamoDB reports them.
type parser struct {
	src       string
	toks      []token
	i         int
	kind      string // "ConditionExpression", "UpdateExpression", ...
	mode      exprMode
	limits    exprLimits
	ops       int  // operators and functions seen
	redundant bool // a pair of parentheses directly encloses another
}

func newParser(kind, src string, mode exprMode, limits exprLimits) *parser {
	return &parser{src: src, toks: lex(src), kind: kind, mode: mode, limits: limits}
}

func (p *parser) peek() token { return p.toks[p.i] }

// peekAt returns the token k places ahead (EOF past the end).
func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) advance() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

// fail returns the syntax error for the current token.
func (p *parser) fail() error {
	return exprError(p.kind, "%s", syntaxMessage(p.src, p.toks, p.i))
}

// expect consumes the punctuation s or fails.
func (p *parser) expect(s string) error {
	if !p.peek().is(s) {
		return p.fail()
	}
	p.advance()
	return nil
}

// isKeyword reports whether t is a keyword of the parser's language, which
// cannot stand for an attribute name.
func (p *parser) isKeyword(t token) bool {
	if t.kind != tName {
		return false
	}
	switch p.mode {
	case modeCondition:
		return t.isKeyword("AND") || t.isKeyword("OR") || t.isKeyword("NOT") || t.isKeyword("BETWEEN") || t.isKeyword("IN")
	case modeUpdate:
		return isSectionKeyword(t)
	}
	return false
}

func isSectionKeyword(t token) bool {
	return t.isKeyword("SET") || t.isKeyword("REMOVE") || t.isKeyword("ADD") || t.isKeyword("DELETE")
}

// countOp counts one operator or function against the limit.
func (p *parser) countOp() {
	p.ops++
}

// checkOps reports an expression that uses more operators than allowed.
func (p *parser) checkOps() error {
	if p.ops > p.limits.MaxOperators {
		return exprError(p.kind, "The expression contains too many operators; operator count: %d", p.ops)
	}
	return nil
}

// parsePath parses a document path: a name or #name, then any number of
// .name, .#name and [index] elements.
func (p *parser) parsePath() (docPath, error) {
	var path docPath
	t := p.peek()
	if t.kind != tNameRef && (t.kind != tName || p.isKeyword(t)) {
		return nil, p.fail()
	}
	p.advance()
	path = append(path, pathElem{name: t.text, raw: t.text})
	for {
		switch {
		case p.peek().is("."):
			p.advance()
			t := p.peek()
			if t.kind != tNameRef && (t.kind != tName || p.isKeyword(t)) {
				return nil, p.fail()
			}
			p.advance()
			path = append(path, pathElem{name: t.text, raw: t.text})
		case p.peek().is("["):
			p.advance()
			t := p.peek()
			if t.kind != tNumber {
				return nil, p.fail()
			}
			p.advance()
			n, err := strconv.Atoi(t.text)
			if err != nil || n > math.MaxInt32 {
				return nil, exprError(p.kind, "List index is not within the allowable range; index: %s", t.text)
			}
			if err := p.expect("]"); err != nil {
				return nil, err
			}
			path = append(path, pathElem{index: n, isIndex: true, raw: t.text})
		default:
			if len(path) > p.limits.MaxPathDepth {
				return nil, exprError(p.kind, "The document path has too many nesting levels; nesting levels: %d", len(path))
			}
			return path, nil
		}
	}
}

// parseOperand parses a path, a value placeholder or a function call.
func (p *parser) parseOperand() (*operand, error) {
	t := p.peek()
	switch {
	case t.kind == tValueRef:
		p.advance()
		return &operand{kind: oValue, name: t.text}, nil
	case t.kind == tName && !p.isKeyword(t) && p.peekAt(1).is("("):
		p.advance()
		p.advance()
		p.countOp()
		fn := &operand{kind: oFunc, name: t.text}
		for {
			arg, err := p.parseOperandParens()
			if err != nil {
				return nil, err
			}
			fn.args = append(fn.args, arg)
			if !p.peek().is(",") {
				break
			}
			p.advance()
		}
		if err := p.expect(")"); err != nil {
			return nil, err
		}
		return fn, nil
	case t.kind == tName || t.kind == tNameRef:
		path, err := p.parsePath()
		if err != nil {
			return nil, err
		}
		return &operand{kind: oPath, path: path}, nil
	}
	return nil, p.fail()
}

// parseOperandParens parses an operand that may be enclosed in
// parentheses. In condition expressions two pairs around the same operand
// are redundant.
func (p *parser) parseOperandParens() (*operand, error) {
	if !p.peek().is("(") {
		return p.parseOperand()
	}
	p.advance()
	op, err := p.parseOperandParens()
	if err != nil {
		return nil, err
	}
	if err := p.expect(")"); err != nil {
		return nil, err
	}
	p.parenthesize(&op.parens)
	return op, nil
}

// parenthesize records one more pair of parentheses around a node.
func (p *parser) parenthesize(n *int) {
	*n++
	if *n > 1 && p.mode == modeCondition {
		p.redundant = true
	}
}

// walkOperands calls fn on op and every operand nested in it, in source
// order, stopping at the first error.
func walkOperands(op *operand, fn func(*operand) error) error {
	if err := fn(op); err != nil {
		return err
	}
	for _, a := range op.args {
		if err := walkOperands(a, fn); err != nil {
			return err
		}
	}
	return nil
}

// firstReserved returns the first bare (not #name) path element of op that
// is a reserved word, as written.
func firstReserved(path docPath) string {
	for _, e := range path {
		if !e.isIndex && e.raw[0] != '#' && isReservedWord(e.raw) {
			return e.raw
		}
	}
	return ""
}

// resolveOperand substitutes the names and values used by op, returning
// the error for the first undefined one in source order.
func (c *exprContext) resolveOperand(kind string, op *operand) error {
	return walkOperands(op, func(o *operand) error {
		switch o.kind {
		case oPath:
			if u := c.resolve(o.path); u != "" {
				return exprError(kind, "An expression attribute name used in the document path is not defined; attribute name: %s", u)
			}
		case oValue:
			v, ok := c.value(o.name)
			if !ok {
				return exprError(kind, "An expression attribute value used in expression is not defined; attribute value: %s", o.name)
			}
			o.val = v
		}
		return nil
	})
}

// staticType returns the DynamoDB type an operand is known to have before
// any item is seen: a value's type, "N" for size(), or "" when unknown.
func staticType(op *operand) string {
	switch op.kind {
	case oValue:
		if op.val != nil {
			return op.val.Type()
		}
	case oFunc:
		if op.name == "size" {
			return "N"
		}
	}
	return ""
}
