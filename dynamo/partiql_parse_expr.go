package dynamo

import (
	"strconv"
	"strings"
)

// The expressions of PartiQL statements: conditions, values, paths and
// the literals of DynamoDB's types. Precedence, from loosest: OR, AND,
// NOT, the predicates (comparisons, BETWEEN, IN, IS, LIKE), then + - ||
// and * / %, then unary minus.

// enter and leave bound the nesting of expressions.
func (p *pqlParser) enter() error {
	p.depth++
	if p.depth > maxPqlDepth {
		return ErrValidation.New("Nesting Levels have exceeded supported limits")
	}
	return nil
}

func (p *pqlParser) leave() { p.depth-- }

// expr parses an expression: OR binds loosest.
func (p *pqlParser) expr() (*pqlExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	left, err := p.andExpr()
	if err != nil {
		return nil, err
	}
	for p.peek().isKw("or") {
		t := p.next()
		right, err := p.andExpr()
		if err != nil {
			return nil, err
		}
		left = &pqlExpr{kind: qOr, args: []*pqlExpr{left, right}, tok: t}
	}
	return left, nil
}

func (p *pqlParser) andExpr() (*pqlExpr, error) {
	left, err := p.notExpr()
	if err != nil {
		return nil, err
	}
	for p.peek().isKw("and") {
		t := p.next()
		right, err := p.notExpr()
		if err != nil {
			return nil, err
		}
		left = &pqlExpr{kind: qAnd, args: []*pqlExpr{left, right}, tok: t}
	}
	return left, nil
}

func (p *pqlParser) notExpr() (*pqlExpr, error) {
	if !p.peek().isKw("not") {
		return p.predicate()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	inner, err := p.notExpr()
	if err != nil {
		return nil, err
	}
	return &pqlExpr{kind: qNot, args: []*pqlExpr{inner}, tok: t}, nil
}

// predicate parses a comparison, BETWEEN, IN, IS or LIKE, or a lone term.
func (p *pqlParser) predicate() (*pqlExpr, error) {
	left, err := p.sum()
	if err != nil {
		return nil, err
	}
	t := p.peek()
	neg := false
	if t.isKw("not") && (p.peekAt(1).isKw("between") || p.peekAt(1).isKw("in") || p.peekAt(1).isKw("like")) {
		p.next()
		neg = true
		t = p.peek()
	}
	switch {
	case t.kind == pqPunct && isComparator(t.text) && !neg:
		p.next()
		right, err := p.sum()
		if err != nil {
			return nil, err
		}
		op := t.text
		if op == "!=" {
			op = "<>"
		}
		return &pqlExpr{kind: qCmp, op: op, args: []*pqlExpr{left, right}, tok: left.tok}, nil
	case t.isKw("between"):
		p.next()
		lo, err := p.sum()
		if err != nil {
			return nil, err
		}
		if !p.accept("and") {
			if p.peek().kind == pqEOF {
				return nil, pqlSyntax(msgUnexpectedTerm)
			}
			return nil, pqlSyntax("Expected AND")
		}
		hi, err := p.sum()
		if err != nil {
			return nil, err
		}
		return &pqlExpr{kind: qBetween, neg: neg, args: []*pqlExpr{left, lo, hi}, tok: left.tok}, nil
	case t.isKw("in"):
		p.next()
		var set *pqlExpr
		if p.peek().is("(") {
			// IN (a, b, c) is a list, as IN [a, b, c] is.
			open := p.next()
			if p.peek().is(")") {
				return nil, ErrValidation.New(msgBadIn)
			}
			items, err := p.exprList()
			if err != nil {
				return nil, err
			}
			if err := p.expectPunct(")"); err != nil {
				return nil, err
			}
			set = &pqlExpr{kind: qList, args: items, tok: open}
		} else if set, err = p.sum(); err != nil {
			return nil, err
		}
		return &pqlExpr{kind: qIn, neg: neg, args: []*pqlExpr{left, set}, tok: left.tok}, nil
	case t.isKw("like"):
		p.next()
		right, err := p.sum()
		if err != nil {
			return nil, err
		}
		if p.accept("escape") {
			if _, err := p.sum(); err != nil {
				return nil, err
			}
		}
		return &pqlExpr{kind: qLike, neg: neg, args: []*pqlExpr{left, right}, tok: left.tok}, nil
	case t.isKw("is"):
		p.next()
		isNot := p.accept("not")
		typ, err := p.typeName()
		if err != nil {
			return nil, err
		}
		return &pqlExpr{kind: qIs, op: typ, neg: isNot, args: []*pqlExpr{left}, tok: left.tok}, nil
	}
	return left, nil
}

// msgBadIn is DynamoDB's message for an IN without a list.
const msgBadIn = "IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member"

func isComparator(s string) bool {
	switch s {
	case "=", "<>", "!=", "<", "<=", ">", ">=":
		return true
	}
	return false
}

// pqlTypeNames maps the type names PartiQL's IS accepts to the name
// DynamoDB reports them by.
var pqlTypeNames = map[string]string{
	"missing": "MISSING", "null": "NULL", "boolean": "BOOLEAN", "bool": "BOOLEAN",
	"string": "STRING", "blob": "BLOB", "struct": "STRUCT", "tuple": "TUPLE", "list": "LIST",
	"numeric": "NUMERIC", "int": "INTEGER", "integer": "INTEGER", "int4": "INTEGER4", "int8": "INTEGER8",
	"smallint": "SMALLINT", "float": "FLOAT", "real": "REAL", "decimal": "DECIMAL", "dec": "DECIMAL",
	"double": "DOUBLE_PRECISION", "varchar": "CHARACTER_VARYING", "char": "CHARACTER",
	"character": "CHARACTER", "symbol": "SYMBOL", "clob": "CLOB", "sexp": "SEXP", "bag": "BAG",
	"date": "DATE", "time": "TIME", "timestamp": "TIMESTAMP", "any": "ANY",
}

// typeName parses the type after IS [NOT].
func (p *pqlParser) typeName() (string, error) {
	t := p.peek()
	if t.kind != pqIdent {
		if t.kind == pqEOF {
			return "", pqlSyntax(msgUnexpectedTerm)
		}
		return "", pqlSyntax(msgExpectedType)
	}
	name, ok := pqlTypeNames[strings.ToLower(t.text)]
	if !ok {
		return "", pqlSyntax(msgExpectedType)
	}
	p.next()
	switch name {
	case "DOUBLE_PRECISION":
		p.accept("precision")
	case "CHARACTER":
		if p.accept("varying") {
			name = "CHARACTER_VARYING"
		}
	}
	if p.peek().is("(") { // VARCHAR(10), DECIMAL(5, 2)
		p.next()
		for !p.peek().is(")") && p.peek().kind != pqEOF {
			p.next()
		}
		if err := p.expectPunct(")"); err != nil {
			return "", err
		}
	}
	return name, nil
}

// sum parses additive and multiplicative operators, left to right.
func (p *pqlParser) sum() (*pqlExpr, error) {
	left, err := p.unary()
	if err != nil {
		return nil, err
	}
	for {
		t := p.peek()
		if t.kind != pqPunct {
			return left, nil
		}
		switch t.text {
		case "+", "-", "||", "*", "/", "%":
		default:
			return left, nil
		}
		p.next()
		right, err := p.unary()
		if err != nil {
			return nil, err
		}
		left = &pqlExpr{kind: qArith, op: t.text, args: []*pqlExpr{left, right}, tok: left.tok}
	}
}

func (p *pqlParser) unary() (*pqlExpr, error) {
	t := p.peek()
	if !t.is("-") && !t.is("+") {
		return p.primary()
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	p.next()
	inner, err := p.unary()
	if err != nil {
		return nil, err
	}
	if t.is("+") {
		return inner, nil
	}
	if inner.kind == qLit && inner.litType == "N" && !inner.parens {
		if strings.HasPrefix(inner.text, "-") {
			inner.text = inner.text[1:]
		} else {
			inner.text = "-" + inner.text
		}
		inner.tok = t
		return inner, nil
	}
	return &pqlExpr{kind: qNeg, args: []*pqlExpr{inner}, tok: t}, nil
}

// primary parses a literal, parameter, path, function call, parenthesized
// expression or collection.
func (p *pqlParser) primary() (*pqlExpr, error) {
	t := p.peek()
	switch t.kind {
	case pqNumber:
		p.next()
		return &pqlExpr{kind: qLit, litType: "N", text: t.text, tok: t}, nil
	case pqString:
		p.next()
		return &pqlExpr{kind: qLit, litType: "S", text: t.text, tok: t}, nil
	case pqParam:
		p.next()
		e := &pqlExpr{kind: qParam, param: p.params, tok: t}
		p.params++
		return e, nil
	case pqQuoted:
		return p.pathExpr()
	case pqIdent:
		lower := strings.ToLower(t.text)
		if p.peekAt(1).is("(") && (!t.isReserved() || pqlKeywordFunctions[lower]) {
			return p.call()
		}
		switch lower {
		case "true", "false":
			p.next()
			return &pqlExpr{kind: qLit, litType: "BOOL", text: lower, tok: t}, nil
		case "null":
			p.next()
			return &pqlExpr{kind: qLit, litType: "NULL", text: "null", tok: t}, nil
		case "missing":
			p.next()
			return &pqlExpr{kind: qMissing, tok: t}, nil
		case "select":
			sub, err := p.selectStmt()
			if err != nil {
				return nil, err
			}
			return &pqlExpr{kind: qSelect, sub: sub, tok: t}, nil
		}
		if t.isReserved() {
			return nil, p.unexpected()
		}
		return p.pathExpr()
	case pqPunct:
		switch t.text {
		case "(":
			if err := p.enter(); err != nil {
				return nil, err
			}
			defer p.leave()
			p.next()
			if p.peek().isKw("select") {
				e, err := p.primary()
				if err != nil {
					return nil, err
				}
				return e, p.expectPunct(")")
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if p.peek().is(",") {
				// (a, b): a list, as IN (a, b) reads it.
				p.next()
				rest, err := p.exprList()
				if err != nil {
					return nil, err
				}
				if err := p.expectPunct(")"); err != nil {
					return nil, err
				}
				return &pqlExpr{kind: qList, args: append([]*pqlExpr{e}, rest...), tok: t}, nil
			}
			if err := p.expectPunct(")"); err != nil {
				return nil, err
			}
			e.parens = true
			return e, nil
		case "[":
			return p.collection(qList, "]")
		case "<<":
			return p.collection(qBag, ">>")
		case "{":
			return p.structLit()
		}
	}
	return nil, p.unexpected()
}

// pqlKeywordFunctions are reserved words that may still name a function.
var pqlKeywordFunctions = map[string]bool{
	"size": true, "exists": true, "count": true, "sum": true, "avg": true, "min": true, "max": true,
	"upper": true, "lower": true, "substring": true, "trim": true, "cast": true, "coalesce": true,
	"nullif": true, "extract": true, "date_add": true, "date_diff": true, "char_length": true,
	"character_length": true, "octet_length": true, "bit_length": true, "position": true, "overlay": true,
}

// collection parses [ ... ] or << ... >>.
func (p *pqlParser) collection(kind pqlKind, closer string) (*pqlExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	e := &pqlExpr{kind: kind, tok: t}
	if p.peek().is(closer) {
		p.next()
		return e, nil
	}
	items, err := p.exprList()
	if err != nil {
		return nil, err
	}
	e.args = items
	return e, p.expectPunct(closer)
}

// structLit parses { key : value, ... }.
func (p *pqlParser) structLit() (*pqlExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	e := &pqlExpr{kind: qStruct, tok: t}
	if p.peek().is("}") {
		p.next()
		return e, nil
	}
	for {
		k, err := p.expr()
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(":"); err != nil {
			return nil, err
		}
		v, err := p.expr()
		if err != nil {
			return nil, err
		}
		e.args = append(e.args, k, v)
		if !p.peek().is(",") {
			break
		}
		p.next()
	}
	return e, p.expectPunct("}")
}

// call parses name(args); EXISTS takes a SELECT.
func (p *pqlParser) call() (*pqlExpr, error) {
	if err := p.enter(); err != nil {
		return nil, err
	}
	defer p.leave()
	t := p.next()
	p.next() // (
	e := &pqlExpr{kind: qCall, op: strings.ToLower(t.text), tok: t}
	if p.peek().is(")") {
		p.next()
		return e, nil
	}
	if p.peek().is("*") && (e.op == "count") {
		p.next()
		return e, p.expectPunct(")")
	}
	args, err := p.exprList()
	if err != nil {
		return nil, err
	}
	e.args = args
	return e, p.expectPunct(")")
}

// pathExpr parses a document path.
func (p *pqlParser) pathExpr() (*pqlExpr, error) {
	t := p.next()
	if t.text == "" {
		return nil, ErrValidation.New("Path component cannot be an empty string")
	}
	e := &pqlExpr{kind: qPath, path: docPath{{name: t.text, raw: t.text}}, tok: t}
	for {
		switch {
		case p.peek().is("."):
			p.next()
			n := p.peek()
			switch {
			case n.is("*"):
				return nil, ErrValidation.New("Unpivot path component like a.*.b are not supported")
			case n.kind == pqQuoted || n.kind == pqIdent && !n.isReserved():
				p.next()
				if n.text == "" {
					return nil, ErrValidation.New("Path component cannot be an empty string")
				}
				e.path = append(e.path, pathElem{name: n.text, raw: n.text})
			default:
				return nil, p.unexpected()
			}
		case p.peek().is("["):
			p.next()
			n := p.peek()
			switch {
			case n.is("*"):
				return nil, ErrValidation.New("Wildcard path component like a[*].b are not supported")
			case n.kind == pqString:
				p.next()
				if n.text == "" {
					return nil, ErrValidation.New("Path component cannot be an empty string")
				}
				e.path = append(e.path, pathElem{name: n.text, raw: n.text})
			case n.kind == pqNumber:
				p.next()
				idx, err := strconv.Atoi(n.text)
				if err != nil || idx > maxListIndex {
					return nil, ErrValidation.Newf("List index is not within the allowable range; index: [%s]", n.text)
				}
				e.path = append(e.path, pathElem{index: idx, isIndex: true, raw: n.text})
			case n.is("-") && p.peekAt(1).kind == pqNumber:
				return nil, ErrValidation.Newf("List index is not within the allowable range; index: [-%s]", p.peekAt(1).text)
			default:
				return nil, p.unexpected()
			}
			if err := p.expectPunct("]"); err != nil {
				return nil, err
			}
		default:
			return e, nil
		}
	}
}

// maxListIndex is the largest list index a path may hold.
const maxListIndex = 1<<31 - 1
