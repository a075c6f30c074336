package dynamo

import (
	"strings"
)

// The PartiQL parser reads DynamoDB's subset of PartiQL into a tree:
//
//	statement = select | insert | update | delete | exists [ ";" ]
//	select    = SELECT ( "*" | path { "," path } ) FROM name [ "." name ]
//	            [ WHERE expr ] [ ORDER BY path [ ASC | DESC ] { "," ... } ]
//	insert    = INSERT INTO name VALUE expr
//	update    = UPDATE name action { [ "," ] action } WHERE expr [ returning ]
//	          | FROM name WHERE expr action { [ "," ] action } [ returning ]
//	action    = SET path "=" expr | REMOVE path
//	delete    = DELETE FROM name WHERE expr [ returning ]
//	exists    = EXISTS "(" select ")"
//	returning = RETURNING ( ALL | MODIFIED ) ( OLD | NEW ) "*"
//	expr      = or; or = and { OR and }; and = not { AND not }; not = NOT not | predicate
//	predicate = sum [ cmp sum | [ NOT ] BETWEEN sum AND sum | [ NOT ] IN sum
//	            | IS [ NOT ] type | [ NOT ] LIKE sum ]
//	sum       = unary { ( "+" | "-" | "||" | "*" | "/" | "%" ) unary }
//	unary     = ( "-" | "+" ) unary | primary
//	primary   = literal | "?" | path | name "(" args ")" | "(" expr { "," expr } ")"
//	          | "[" values "]" | "<<" values ">>" | "{" key ":" expr { "," ... } "}"
//	path      = name { "." name | "[" integer "]" | "[" string "]" }
//
// It accepts some of what DynamoDB then refuses (LIKE, arithmetic in a
// WHERE, functions in a projection), so that the refusal carries
// DynamoDB's own message rather than a syntax error. Syntax errors are
// ValidationExceptions worded "Statement wasn't well formed, can't be
// processed: <detail>", the details being those of DynamoDB's parser.

// The messages of DynamoDB's PartiQL front end.
const (
	msgNotWellFormed     = "Statement wasn't well formed, can't be processed: "
	msgLeftover          = "Unexpected token after expression"
	msgUnexpectedTerm    = "Unexpected term"
	msgUnexpectedKeyword = "Unexpected keyword"
	msgUnexpectedOp      = "Unexpected operator"
	msgMissingRHS        = "Missing right-hand side expression of infix operator"
	msgExpectedDML       = "Expected data manipulation"
	msgExpectedPath      = "Expected identifier for simple path"
	msgExpectedType      = "Expected type name"
	msgAfterSemicolon    = "Unexpected token after semicolon. (Only one query is allowed.)"
	msgAliasing          = "Aliasing is not supported"
	msgIncompleteKey     = "Where clause does not contain a mandatory equality on all key attributes"
)

// stmtKind is the kind of a PartiQL statement.
type stmtKind uint8

const (
	sSelect stmtKind = iota
	sInsert
	sUpdate
	sDelete
	sExists
)

// pqlKind is the kind of an expression node.
type pqlKind uint8

const (
	qPath    pqlKind = iota // a document path
	qLit                    // a scalar literal: litType S, N, BOOL or NULL
	qMissing                // the MISSING literal
	qParam                  // a ? parameter
	qList                   // [ args ]
	qBag                    // << args >>
	qStruct                 // { args[0]: args[1], args[2]: args[3], ... }
	qAnd
	qOr
	qNot
	qCmp     // args[0] op args[1]
	qBetween // args[0] BETWEEN args[1] AND args[2]
	qIn      // args[0] IN args[1]
	qIs      // args[0] IS op (a type name, upper case)
	qLike    // args[0] LIKE args[1]
	qCall    // op(args...), op in lower case
	qArith   // args[0] op args[1] for + - || * / %
	qNeg     // - args[0] of something other than a number
	qSelect  // a SELECT inside an expression (sub)
)

// pqlExpr is one node of a parsed expression.
type pqlExpr struct {
	kind    pqlKind
	op      string // qCmp, qArith: the operator; qCall: the function; qIs: the type
	neg     bool   // NOT BETWEEN, NOT IN, IS NOT, NOT LIKE
	path    docPath
	litType string // qLit: S, N, BOOL or NULL
	text    string // qLit: the string, the number's text, "true" or "false"
	param   int    // qParam: its position from 0
	args    []*pqlExpr
	sub     *pqlStatement
	tok     pqlToken // the node's first token
	parens  bool     // written in parentheses
}

// pqlAction is one SET or REMOVE of an UPDATE.
type pqlAction struct {
	remove bool
	path   docPath
	val    *pqlExpr
	tok    pqlToken
}

// pqlOrder is one key of ORDER BY.
type pqlOrder struct {
	expr *pqlExpr
	desc bool
}

// pqlStatement is a parsed statement.
type pqlStatement struct {
	kind      stmtKind
	table     string
	index     string // SELECT FROM "table"."index"
	hasIndex  bool
	star      bool
	proj      []*pqlExpr // SELECT's projection when not *
	where     *pqlExpr
	order     []pqlOrder
	value     *pqlExpr // INSERT's item
	actions   []pqlAction
	returning string // "ALL OLD", "MODIFIED NEW", ... or ""
	sub       *pqlStatement
	params    int // how many ? the statement holds
}

// pqlParser is a recursive-descent parser over one statement's tokens.
type pqlParser struct {
	src    string
	toks   []pqlToken
	i      int
	params int
	depth  int
}

// maxPqlDepth bounds the nesting of a statement's expressions, so that a
// hostile statement cannot exhaust the stack; DynamoDB's statements are at
// most 8 KB, and its documents nest at most 32 levels.
const maxPqlDepth = 200

// pqlSyntax is a ValidationException for a statement that is not well
// formed; detail is what DynamoDB's parser says after the colon.
func pqlSyntax(detail string) error {
	return ErrValidation.New(msgNotWellFormed + detail)
}

// parsePartiQL parses one statement.
func parsePartiQL(src string) (*pqlStatement, error) {
	p := &pqlParser{src: src, toks: lexPartiQL(src)}
	if last := p.toks[len(p.toks)-1]; last.kind == pqBad {
		// An unreadable character, literal or comment: DynamoDB says
		// nothing after the colon.
		return nil, pqlSyntax("")
	}
	st, err := p.statement()
	if err != nil {
		return nil, err
	}
	if p.peek().is(";") {
		p.next()
		if p.peek().kind != pqEOF {
			return nil, pqlSyntax(msgAfterSemicolon)
		}
	}
	if p.peek().kind != pqEOF {
		return nil, pqlSyntax(msgLeftover)
	}
	st.params = p.params
	return st, nil
}

func (p *pqlParser) peek() pqlToken { return p.toks[p.i] }

func (p *pqlParser) peekAt(k int) pqlToken {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *pqlParser) next() pqlToken {
	t := p.toks[p.i]
	if t.kind != pqEOF {
		p.i++
	}
	return t
}

// prev returns the token before the current one.
func (p *pqlParser) prev() pqlToken {
	if p.i == 0 {
		return pqlToken{}
	}
	return p.toks[p.i-1]
}

// accept consumes the keyword kw if it is next.
func (p *pqlParser) accept(kw string) bool {
	if p.peek().isKw(kw) {
		p.next()
		return true
	}
	return false
}

// expectPunct consumes the punctuation s or fails with DynamoDB's
// "Expected <TOKEN_TYPE>".
func (p *pqlParser) expectPunct(s string) error {
	if p.peek().is(s) {
		p.next()
		return nil
	}
	if p.peek().kind == pqEOF {
		return pqlSyntax(msgUnexpectedTerm)
	}
	return pqlSyntax("Expected " + pqlTokenTypeName(s))
}

// pqlTokenTypeName names punctuation as DynamoDB's parser names token
// types in its messages.
func pqlTokenTypeName(s string) string {
	switch s {
	case "(":
		return "LEFT_PAREN"
	case ")":
		return "RIGHT_PAREN"
	case "[":
		return "LEFT_BRACKET"
	case "]":
		return "RIGHT_BRACKET"
	case "}":
		return "RIGHT_CURLY"
	case ">>":
		return "RIGHT_DOUBLE_ANGLE_BRACKET"
	case ":":
		return "COLON"
	case "*":
		return "STAR"
	}
	return "OPERATOR"
}

// unexpected returns the syntax error for the current token where a term
// was expected.
func (p *pqlParser) unexpected() error {
	t := p.peek()
	switch {
	case t.kind == pqEOF:
		if pt := p.prev(); isInfixToken(pt) {
			return pqlSyntax(msgMissingRHS)
		}
		return pqlSyntax(msgUnexpectedTerm)
	case t.kind == pqIdent && isOperatorKeyword(t):
		return pqlSyntax(msgUnexpectedOp)
	case t.kind == pqIdent && t.isReserved():
		return pqlSyntax(msgUnexpectedKeyword)
	case t.kind == pqPunct:
		switch t.text {
		case ")", "]", "}", ">>", ",", ";", ":", ".":
			return pqlSyntax(msgUnexpectedTerm)
		}
		return pqlSyntax(msgUnexpectedOp)
	}
	return pqlSyntax(msgUnexpectedTerm)
}

// isOperatorKeyword reports whether t is a keyword that is an infix
// operator.
func isOperatorKeyword(t pqlToken) bool {
	for _, kw := range []string{"and", "or", "is", "like", "in", "between"} {
		if t.isKw(kw) {
			return true
		}
	}
	return false
}

// isInfixToken reports whether t is an infix operator, after which the end
// of the statement is a missing right-hand side.
func isInfixToken(t pqlToken) bool {
	if t.kind == pqIdent {
		return isOperatorKeyword(t)
	}
	if t.kind == pqPunct {
		switch t.text {
		case "=", "<>", "!=", "<", "<=", ">", ">=", "+", "-", "*", "/", "%", "||":
			return true
		}
	}
	return false
}

// statement parses one statement by its first keyword.
func (p *pqlParser) statement() (*pqlStatement, error) {
	t := p.peek()
	switch {
	case t.isKw("select"):
		return p.selectStmt()
	case t.isKw("insert"):
		return p.insertStmt()
	case t.isKw("update"):
		return p.updateStmt()
	case t.isKw("delete"):
		return p.deleteStmt()
	case t.isKw("from"):
		return p.fromUpdateStmt()
	case t.isKw("exists") && p.peekAt(1).is("("):
		p.next()
		p.next()
		if !p.peek().isKw("select") {
			return nil, ErrValidation.New(msgExistsSelect)
		}
		sub, err := p.selectStmt()
		if err != nil {
			return nil, err
		}
		if err := p.expectPunct(")"); err != nil {
			return nil, err
		}
		return &pqlStatement{kind: sExists, sub: sub, table: sub.table}, nil
	case t.kind == pqEOF || t.is(";"):
		return nil, pqlSyntax(msgUnexpectedTerm)
	case t.isKw("upsert") || t.isKw("replace"):
		return nil, ErrValidation.Newf("Unsupported operation: %s", strings.ToUpper(t.text))
	}
	return nil, pqlSyntax(msgExpectedDML)
}

// msgExistsSelect is DynamoDB's message for an EXISTS without a SELECT.
const msgExistsSelect = "EXISTS() must contain a single item read with additional condition"

// tableName parses the name of a table: a regular or quoted identifier.
// DML statements name one table; SELECT may add "." and an index.
func (p *pqlParser) tableName() (string, pqlToken, error) {
	t := p.peek()
	switch {
	case t.kind == pqQuoted:
		p.next()
		return t.text, t, nil
	case t.kind == pqIdent && !t.isReserved():
		p.next()
		return t.text, t, nil
	}
	return "", t, pqlSyntax(msgExpectedPath)
}

// checkAlias refuses a table alias, which DynamoDB does not support.
func (p *pqlParser) checkAlias() error {
	t := p.peek()
	if t.isKw("as") || t.isKw("at") || t.isKw("by") || t.kind == pqQuoted || t.kind == pqIdent && !t.isReserved() {
		return ErrValidation.New(msgAliasing)
	}
	return nil
}

func (p *pqlParser) selectStmt() (*pqlStatement, error) {
	p.next() // SELECT
	st := &pqlStatement{kind: sSelect}
	switch {
	case p.peek().isKw("distinct"):
		return nil, ErrValidation.New("Unsupported token in expression: DISTINCT")
	case p.peek().isKw("value") || p.peek().isKw("pivot"):
		return nil, ErrValidation.New("Select projection doesn't support value or pivot keywords")
	case p.peek().isKw("all"):
		p.next()
	}
	if p.peek().is("*") {
		p.next()
		st.star = true
		if p.peek().is(",") {
			return nil, ErrValidation.New("Other attributes should not be present in the projection when '*' is used.")
		}
	} else {
		for {
			if p.peek().is("*") {
				return nil, ErrValidation.New("Other attributes should not be present in the projection when '*' is used.")
			}
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			if p.peek().isKw("as") || p.peek().kind == pqQuoted || p.peek().kind == pqIdent && !p.peek().isReserved() {
				return nil, ErrValidation.New(msgAliasing)
			}
			st.proj = append(st.proj, e)
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
		if p.peek().is("*") {
			return nil, ErrValidation.New("Other attributes should not be present in the projection when '*' is used.")
		}
	}
	if !p.accept("from") {
		if p.peek().kind == pqEOF {
			return nil, ErrValidation.New("Unexpected from source")
		}
		return nil, pqlSyntax(msgLeftover)
	}
	// The source is a path: "table" or "table"."index".
	if p.peek().kind == pqEOF || p.peek().is(";") {
		return nil, pqlSyntax(msgUnexpectedTerm)
	}
	name, _, err := p.tableName()
	if err != nil {
		if p.peek().kind == pqPunct && (p.peek().is("(") || p.peek().is("[") || p.peek().is("<<") || p.peek().is("{")) {
			return nil, ErrValidation.New("Unexpected from source")
		}
		return nil, p.unexpected()
	}
	st.table = name
	if p.peek().is(".") {
		p.next()
		ix, _, err := p.tableName()
		if err != nil {
			if p.peek().is("*") {
				return nil, ErrValidation.New("Invalid path dot component in this operation, expecting either an IDENTIFIER or STAR.")
			}
			return nil, err
		}
		st.index, st.hasIndex = ix, true
		if p.peek().is(".") || p.peek().is("[") {
			return nil, ErrValidation.New("A path may contain at most 2 components in the FROM clause")
		}
	}
	if err := p.checkAlias(); err != nil {
		return nil, err
	}
	if p.peek().is(",") || p.peek().isKw("join") || p.peek().isKw("inner") || p.peek().isKw("left") ||
		p.peek().isKw("right") || p.peek().isKw("cross") || p.peek().isKw("outer") || p.peek().isKw("full") {
		return nil, ErrValidation.New("Only select from a single table or index is supported.")
	}
	if p.accept("where") {
		if st.where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	var unsupported string
	if p.peek().isKw("group") && p.peekAt(1).isKw("by") {
		p.next()
		p.next()
		if _, err := p.exprList(); err != nil {
			return nil, err
		}
		unsupported = "GROUP BY"
	}
	if p.accept("having") {
		if _, err := p.expr(); err != nil {
			return nil, err
		}
		if unsupported == "" {
			unsupported = "HAVING"
		}
	}
	if p.peek().isKw("order") && p.peekAt(1).isKw("by") {
		p.next()
		p.next()
		for {
			e, err := p.expr()
			if err != nil {
				return nil, err
			}
			o := pqlOrder{expr: e}
			if p.accept("desc") {
				o.desc = true
			} else {
				p.accept("asc")
			}
			st.order = append(st.order, o)
			if !p.peek().is(",") {
				break
			}
			p.next()
		}
	}
	if p.accept("limit") {
		if _, err := p.expr(); err != nil {
			return nil, err
		}
		if unsupported == "" {
			unsupported = "LIMIT"
		}
	}
	if p.accept("offset") {
		if _, err := p.expr(); err != nil {
			return nil, err
		}
		if unsupported == "" {
			unsupported = "OFFSET"
		}
	}
	if unsupported != "" {
		return nil, ErrValidation.Newf("Unsupported clause: %s", unsupported)
	}
	return st, nil
}

// exprList parses expressions separated by commas.
func (p *pqlParser) exprList() ([]*pqlExpr, error) {
	var out []*pqlExpr
	for {
		e, err := p.expr()
		if err != nil {
			return nil, err
		}
		out = append(out, e)
		if !p.peek().is(",") {
			return out, nil
		}
		p.next()
	}
}

func (p *pqlParser) insertStmt() (*pqlStatement, error) {
	p.next() // INSERT
	if !p.accept("into") {
		if p.peek().kind == pqEOF {
			return nil, pqlSyntax(msgUnexpectedTerm)
		}
		return nil, pqlSyntax("Expected INTO after INSERT")
	}
	name, _, err := p.tableName()
	if err != nil {
		return nil, err
	}
	st := &pqlStatement{kind: sInsert, table: name}
	switch t := p.peek(); {
	case t.isKw("value"):
		p.next()
	case t.isKw("values") || t.is("<<") || t.is("("):
		return nil, ErrValidation.New(`Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead`)
	case t.is("."):
		return nil, ErrValidation.New("FROM clause may only contain a single table name in data manipulation statements")
	case t.kind == pqEOF:
		return nil, pqlSyntax(msgUnexpectedTerm)
	default:
		return nil, pqlSyntax(msgLeftover)
	}
	if st.value, err = p.expr(); err != nil {
		return nil, err
	}
	if p.peek().isKw("at") {
		return nil, ErrValidation.New("AT is not supported in insert statements.")
	}
	if p.peek().isKw("on") && p.peekAt(1).isKw("conflict") {
		return nil, ErrValidation.New(`Invalid conflict action. Only "DO NOTHING" action is supported.`)
	}
	if p.peek().isKw("returning") {
		return nil, ErrValidation.New("RETURNING is not supported in INSERT")
	}
	return st, nil
}

// dmlTable parses the table of UPDATE, DELETE FROM and FROM, which may not
// be an index and may not have an alias.
func (p *pqlParser) dmlTable() (string, error) {
	name, _, err := p.tableName()
	if err != nil {
		return "", err
	}
	if p.peek().is(".") {
		return "", ErrValidation.New("FROM clause may only contain a single table name in data manipulation statements")
	}
	if err := p.checkAlias(); err != nil {
		return "", err
	}
	return name, nil
}

func (p *pqlParser) updateStmt() (*pqlStatement, error) {
	p.next() // UPDATE
	name, err := p.dmlTable()
	if err != nil {
		return nil, err
	}
	st := &pqlStatement{kind: sUpdate, table: name}
	if err := p.actions(st); err != nil {
		return nil, err
	}
	if p.accept("where") {
		if st.where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	return st, p.returning(st)
}

// fromUpdateStmt parses the FROM-first form of UPDATE: FROM t WHERE c SET
// ... (the WHERE comes before the actions).
func (p *pqlParser) fromUpdateStmt() (*pqlStatement, error) {
	p.next() // FROM
	name, err := p.dmlTable()
	if err != nil {
		return nil, err
	}
	st := &pqlStatement{kind: sUpdate, table: name}
	if p.accept("where") {
		if st.where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	if err := p.actions(st); err != nil {
		return nil, err
	}
	return st, p.returning(st)
}

// actions parses the SET and REMOVE clauses of an UPDATE: at least one.
func (p *pqlParser) actions(st *pqlStatement) error {
	for {
		t := p.peek()
		switch {
		case t.isKw("set"):
			p.next()
			for {
				at := p.peek()
				path, err := p.targetPath()
				if err != nil {
					return err
				}
				if !p.peek().is("=") {
					if p.peek().kind == pqEOF {
						return pqlSyntax(msgUnexpectedTerm)
					}
					return pqlSyntax("Expected assignment for SET")
				}
				p.next()
				val, err := p.expr()
				if err != nil {
					return err
				}
				st.actions = append(st.actions, pqlAction{path: path, val: val, tok: at})
				if !p.peek().is(",") {
					break
				}
				p.next()
			}
		case t.isKw("remove"):
			p.next()
			for {
				at := p.peek()
				path, err := p.targetPath()
				if err != nil {
					return err
				}
				st.actions = append(st.actions, pqlAction{remove: true, path: path, tok: at})
				if !p.peek().is(",") {
					break
				}
				p.next()
			}
		case t.isKw("add") || t.isKw("delete") && len(st.actions) > 0:
			return ErrValidation.New("Only SET and REMOVE are supported in update expressions at this time")
		default:
			if len(st.actions) == 0 {
				if t.kind == pqEOF {
					return pqlSyntax(msgUnexpectedTerm)
				}
				if t.isKw("where") {
					return pqlSyntax(msgExpectedDML)
				}
				return pqlSyntax(msgExpectedDML)
			}
			return nil
		}
	}
}

// targetPath parses the path an action writes.
func (p *pqlParser) targetPath() (docPath, error) {
	t := p.peek()
	if t.kind != pqQuoted && (t.kind != pqIdent || t.isReserved()) {
		return nil, p.unexpected()
	}
	e, err := p.pathExpr()
	if err != nil {
		return nil, err
	}
	return e.path, nil
}

func (p *pqlParser) deleteStmt() (*pqlStatement, error) {
	p.next() // DELETE
	if !p.accept("from") {
		if p.peek().kind == pqEOF {
			return nil, pqlSyntax(msgUnexpectedTerm)
		}
		return nil, pqlSyntax("Expected FROM after DELETE")
	}
	name, err := p.dmlTable()
	if err != nil {
		return nil, err
	}
	st := &pqlStatement{kind: sDelete, table: name}
	if p.accept("where") {
		if st.where, err = p.expr(); err != nil {
			return nil, err
		}
	}
	return st, p.returning(st)
}

// returning parses an optional RETURNING clause.
func (p *pqlParser) returning(st *pqlStatement) error {
	if !p.accept("returning") {
		return nil
	}
	var scope, age string
	switch {
	case p.accept("all"):
		scope = "ALL"
	case p.accept("modified"):
		scope = "MODIFIED"
	default:
		return p.unexpected()
	}
	switch {
	case p.accept("old"):
		age = "OLD"
	case p.accept("new"):
		age = "NEW"
	default:
		return p.unexpected()
	}
	if !p.peek().is("*") {
		if p.peek().kind == pqEOF {
			return pqlSyntax(msgUnexpectedTerm)
		}
		if _, err := p.expr(); err != nil {
			return err
		}
		return ErrValidation.New("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
	}
	p.next()
	if p.peek().is(",") {
		return ErrValidation.New("Invalid syntax with multiple returning elements in RETURNING clause")
	}
	st.returning = scope + " " + age
	return nil
}
