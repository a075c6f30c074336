package jsonata

import (
	"regexp"
	"strconv"
)

type nodeType int

const (
	nPath nodeType = iota
	nBinary
	nNeg
	nArray
	nObject
	nName
	nString
	nNumber
	nValue
	nWildcard
	nDescendant
	nParent
	nCondition
	nElvis
	nCoalesce
	nBlock
	nBind
	nRegex
	nFunction
	nPartial
	nVariable
	nLambda
	nApply
	nSort
	nTransform
	nPlaceholder
	nEnd // the end of the expression where an operand was expected
	// raw parse-only forms
	rawPredicate
	rawGroup
	rawSort
	rawFocus
	rawIndex
)

type slot struct {
	label string
	level int
	index int
}

type stage struct {
	isIndex bool
	expr    *node
	index   string
	pos     int
}

type sortTerm struct {
	descending bool
	expr       *node
}

type groupSpec struct {
	pairs [][2]*node
	pos   int
}

type node struct {
	typ   nodeType
	op    string  // operator, name, variable, string value
	num   float64 // number literal
	lit   any     // value literal
	pos   int
	lhs   *node
	rhs   *node
	items []*node    // array items, block expressions, function arguments
	pairs [][2]*node // object constructor pairs
	terms []sortTerm // order-by terms
	proc  *node      // function procedure
	body  *node      // lambda body
	param []string   // lambda parameters
	sig   *signature // lambda signature
	cond  *node      // condition
	then  *node      // condition then / transform update
	els   *node      // condition else / transform delete
	re    *regexp.Regexp
	steps []*node

	predicate []stage
	stages    []stage
	group     *groupSpec
	focus     string
	index     string
	hasFocus  bool
	hasIndex  bool
	ancestor  *slot
	slot      *slot
	seeking   []*slot
	tuple     bool

	keepArray          bool
	keepSingletonArray bool
	consarray          bool
	tail               bool // function call in tail position of a lambda body
}

type parser struct {
	src   string
	lex   lexer
	tok   token
	depth int

	ancestorLabel int
	ancestorIndex int
}

const maxParseDepth = 400

// Compile parses a JSONata expression. Errors are *Error.
func Compile(src string) (*Expr, error) {
	root, err := parse(src)
	if err != nil {
		return nil, err
	}
	return &Expr{src: src, root: root}, nil
}

func parse(src string) (n *node, err error) {
	p := &parser{src: src, lex: lexer{src: []rune(src)}}
	if e := p.advance("", false); e != nil {
		return nil, e
	}
	raw, e := p.expression(0)
	if e != nil {
		return nil, e
	}
	if p.tok.kind != tEnd {
		return nil, errp("S0201", p.tok.pos, tokText(p.tok))
	}
	out, e := p.process(raw)
	if e != nil {
		return nil, e
	}
	if out.typ == nParent || out.seeking != nil {
		return nil, errp("S0217", out.pos, "parent")
	}
	return out, nil
}

func tokText(t token) string {
	switch t.kind {
	case tEnd:
		return "(end)"
	case tNum:
		return t.val
	case tRegex:
		return t.src
	}
	return t.val
}

func (p *parser) advance(id string, infix bool) *Error {
	if id != "" && !(p.tok.kind == tOp && p.tok.val == id) {
		if p.tok.kind == tEnd {
			return newError("S0203", p.tok.pos, tokText(p.tok), errInfo{value: id, hasValue: true})
		}
		return newError("S0202", p.tok.pos, tokText(p.tok), errInfo{value: id, hasValue: true})
	}
	t, err := p.lex.next(infix)
	if err != nil {
		return err
	}
	if t.kind == tOp {
		if _, ok := bindingPower[t.val]; !ok || t.val == "!" || t.val == "~" {
			return errp("S0204", t.pos, t.val)
		}
	}
	p.tok = t
	return nil
}

func (p *parser) isOp(v string) bool { return p.tok.kind == tOp && p.tok.val == v }

func (p *parser) expression(rbp int) (*node, *Error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxParseDepth {
		return nil, newError("S0201", p.tok.pos, tokText(p.tok), errInfo{})
	}
	t := p.tok
	if err := p.advance("", true); err != nil {
		return nil, err
	}
	left, err := p.nud(t)
	if err != nil {
		return nil, err
	}
	for rbp < lbp(p.tok) {
		t = p.tok
		if err := p.advance("", false); err != nil {
			return nil, err
		}
		left, err = p.led(t, left)
		if err != nil {
			return nil, err
		}
	}
	return left, nil
}

func (p *parser) nud(t token) (*node, *Error) {
	switch t.kind {
	case tEnd:
		// as jsonata-js: the end is an operand here and S0207 is reported
		// only if nothing else goes wrong first (S0203 for a missing
		// closing bracket, say)
		return &node{typ: nEnd, pos: t.pos}, nil
	case tName:
		return &node{typ: nName, op: t.val, pos: t.pos}, nil
	case tVar:
		return &node{typ: nVariable, op: t.val, pos: t.pos}, nil
	case tStr:
		return &node{typ: nString, op: t.val, pos: t.pos}, nil
	case tNum:
		return &node{typ: nNumber, num: t.num, op: t.val, pos: t.pos}, nil
	case tVal:
		return &node{typ: nValue, lit: t.lit, op: t.val, pos: t.pos}, nil
	case tRegex:
		return &node{typ: nRegex, re: t.re, op: t.src, pos: t.pos}, nil
	}
	switch t.val {
	case "and", "or", "in":
		return &node{typ: nName, op: t.val, pos: t.pos}, nil
	case "-":
		e, err := p.expression(70)
		if err != nil {
			return nil, err
		}
		return &node{typ: nNeg, op: "-", lhs: e, pos: t.pos}, nil
	case "*":
		return &node{typ: nWildcard, op: "*", pos: t.pos}, nil
	case "**":
		return &node{typ: nDescendant, op: "**", pos: t.pos}, nil
	case "%":
		return &node{typ: nParent, op: "%", pos: t.pos}, nil
	case "(":
		n := &node{typ: nBlock, pos: t.pos}
		for !p.isOp(")") {
			e, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			n.items = append(n.items, e)
			if !p.isOp(";") {
				break
			}
			if err := p.advance(";", false); err != nil {
				return nil, err
			}
		}
		if err := p.advance(")", true); err != nil {
			return nil, err
		}
		return n, nil
	case "[":
		n := &node{typ: nArray, pos: t.pos}
		if !p.isOp("]") {
			for {
				item, err := p.expression(0)
				if err != nil {
					return nil, err
				}
				if p.isOp("..") {
					r := &node{typ: nBinary, op: "..", pos: p.tok.pos, lhs: item}
					if err := p.advance("..", false); err != nil {
						return nil, err
					}
					r.rhs, err = p.expression(0)
					if err != nil {
						return nil, err
					}
					item = r
				}
				n.items = append(n.items, item)
				if !p.isOp(",") {
					break
				}
				if err := p.advance(",", false); err != nil {
					return nil, err
				}
			}
		}
		if err := p.advance("]", true); err != nil {
			return nil, err
		}
		return n, nil
	case "{":
		pairs, err := p.objectPairs()
		if err != nil {
			return nil, err
		}
		return &node{typ: nObject, pairs: pairs, pos: t.pos}, nil
	case "|":
		n := &node{typ: nTransform, pos: t.pos}
		var err *Error
		if n.lhs, err = p.expression(0); err != nil {
			return nil, err
		}
		if err := p.advance("|", false); err != nil {
			return nil, err
		}
		if n.then, err = p.expression(0); err != nil {
			return nil, err
		}
		if p.isOp(",") {
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
			if n.els, err = p.expression(0); err != nil {
				return nil, err
			}
		}
		if err := p.advance("|", false); err != nil {
			return nil, err
		}
		return n, nil
	}
	return nil, errp("S0211", t.pos, t.val)
}

func (p *parser) objectPairs() ([][2]*node, *Error) {
	var pairs [][2]*node
	if !p.isOp("}") {
		for {
			k, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			if err := p.advance(":", false); err != nil {
				return nil, err
			}
			v, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			pairs = append(pairs, [2]*node{k, v})
			if !p.isOp(",") {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance("}", true); err != nil {
		return nil, err
	}
	return pairs, nil
}

func (p *parser) led(t token, left *node) (*node, *Error) {
	switch t.val {
	case ".", "+", "-", "*", "/", "%", "=", "<", ">", "!=", "<=", ">=", "&", "and", "or", "in", "~>":
		rhs, err := p.expression(bindingPower[t.val])
		if err != nil {
			return nil, err
		}
		return &node{typ: nBinary, op: t.val, lhs: left, rhs: rhs, pos: t.pos}, nil
	case "?:", "??":
		rhs, err := p.expression(bindingPower[t.val])
		if err != nil {
			return nil, err
		}
		typ := nElvis
		if t.val == "??" {
			typ = nCoalesce
		}
		return &node{typ: typ, op: t.val, lhs: left, rhs: rhs, pos: t.pos}, nil
	case "(":
		return p.call(t, left)
	case "[":
		if p.isOp("]") {
			step := left
			for step != nil && step.typ == rawPredicate {
				step = step.lhs
			}
			step.keepArray = true
			if err := p.advance("]", true); err != nil {
				return nil, err
			}
			return left, nil
		}
		rhs, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		if err := p.advance("]", true); err != nil {
			return nil, err
		}
		return &node{typ: rawPredicate, lhs: left, rhs: rhs, pos: t.pos}, nil
	case "^":
		if err := p.advance("(", false); err != nil {
			return nil, err
		}
		n := &node{typ: rawSort, lhs: left, pos: t.pos}
		for {
			term := sortTerm{}
			if p.isOp("<") {
				if err := p.advance("<", false); err != nil {
					return nil, err
				}
			} else if p.isOp(">") {
				term.descending = true
				if err := p.advance(">", false); err != nil {
					return nil, err
				}
			}
			e, err := p.expression(0)
			if err != nil {
				return nil, err
			}
			term.expr = e
			n.terms = append(n.terms, term)
			if !p.isOp(",") {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
		if err := p.advance(")", true); err != nil {
			return nil, err
		}
		return n, nil
	case "{":
		pairs, err := p.objectPairs()
		if err != nil {
			return nil, err
		}
		return &node{typ: rawGroup, lhs: left, pairs: pairs, pos: t.pos}, nil
	case ":=":
		if left.typ != nVariable {
			return nil, errp("S0212", left.pos, left.op)
		}
		rhs, err := p.expression(bindingPower[":="] - 1)
		if err != nil {
			return nil, err
		}
		return &node{typ: nBind, op: ":=", lhs: left, rhs: rhs, pos: t.pos}, nil
	case "@", "#":
		rhs, err := p.expression(bindingPower[t.val])
		if err != nil {
			return nil, err
		}
		if rhs.typ != nVariable {
			return nil, errp("S0214", rhs.pos, t.val)
		}
		typ := rawFocus
		if t.val == "#" {
			typ = rawIndex
		}
		return &node{typ: typ, lhs: left, rhs: rhs, pos: t.pos}, nil
	case "?":
		n := &node{typ: nCondition, cond: left, pos: t.pos}
		var err *Error
		if n.then, err = p.expression(0); err != nil {
			return nil, err
		}
		if p.isOp(":") {
			if err := p.advance(":", false); err != nil {
				return nil, err
			}
			if n.els, err = p.expression(0); err != nil {
				return nil, err
			}
		}
		return n, nil
	}
	return nil, errp("S0201", t.pos, t.val)
}

func (p *parser) call(t token, left *node) (*node, *Error) {
	n := &node{typ: nFunction, proc: left, pos: t.pos}
	if !p.isOp(")") {
		for {
			if p.isOp("?") {
				n.typ = nPartial
				n.items = append(n.items, &node{typ: nPlaceholder, pos: p.tok.pos})
				if err := p.advance("?", false); err != nil {
					return nil, err
				}
			} else {
				a, err := p.expression(0)
				if err != nil {
					return nil, err
				}
				n.items = append(n.items, a)
			}
			if !p.isOp(",") {
				break
			}
			if err := p.advance(",", false); err != nil {
				return nil, err
			}
		}
	}
	if err := p.advance(")", true); err != nil {
		return nil, err
	}
	if left.typ == nName && (left.op == "function" || left.op == "λ") {
		n.typ = nLambda
		for i, a := range n.items {
			if a.typ != nVariable {
				return nil, newError("S0208", a.pos, a.op, errInfo{value: float64(i + 1), hasValue: true})
			}
			n.param = append(n.param, a.op)
		}
		n.items = nil
		if p.isOp("<") {
			// the signature is scanned from the source text directly
			start := p.tok.pos - 1
			depth := 0
			i := start
			rs := p.lex.src
			for ; i < len(rs); i++ {
				if rs[i] == '<' {
					depth++
				} else if rs[i] == '>' {
					depth--
					if depth == 0 {
						break
					}
				} else if rs[i] == '{' {
					break
				}
			}
			if i >= len(rs) {
				return nil, newError("S0203", len(rs), "(end)", errInfo{value: ">", hasValue: true})
			}
			if rs[i] != '>' {
				return nil, newError("S0202", i+1, string(rs[i]), errInfo{value: ">", hasValue: true})
			}
			sig, err := parseSignature(string(rs[start : i+1]))
			if err != nil {
				err.Position = start + err.Position
				return nil, err
			}
			n.sig = sig
			p.lex.pos = i + 1
			if err := p.advance("", false); err != nil {
				return nil, err
			}
		}
		if err := p.advance("{", false); err != nil {
			return nil, err
		}
		body, err := p.expression(0)
		if err != nil {
			return nil, err
		}
		n.body = body
		if err := p.advance("}", true); err != nil {
			return nil, err
		}
	}
	return n, nil
}

// ---- post-parse processing (paths, stages, ancestry) ----

func (p *parser) seekParent(n *node, s *slot) (*slot, *Error) {
	switch n.typ {
	case nName, nWildcard:
		s.level--
		if s.level == 0 {
			if n.ancestor != nil {
				s.label = n.ancestor.label
			}
			n.ancestor = s
			n.tuple = true
		}
	case nParent:
		s.level++
	case nBlock:
		if len(n.items) > 0 {
			n.tuple = true
			return p.seekParent(n.items[len(n.items)-1], s)
		}
	case nPath:
		n.tuple = true
		i := len(n.steps) - 1
		var err *Error
		s, err = p.seekParent(n.steps[i], s)
		if err != nil {
			return nil, err
		}
		i--
		for s.level > 0 && i >= 0 {
			s, err = p.seekParent(n.steps[i], s)
			if err != nil {
				return nil, err
			}
			i--
		}
	default:
		return nil, errp("S0217", n.pos, "")
	}
	return s, nil
}

func pushAncestry(result, value *node) {
	if value.seeking != nil || value.typ == nParent {
		slots := append([]*slot(nil), value.seeking...)
		if value.typ == nParent {
			slots = append(slots, value.slot)
		}
		result.seeking = append(result.seeking, slots...)
	}
}

func (p *parser) resolveAncestry(path *node) *Error {
	last := path.steps[len(path.steps)-1]
	slots := append([]*slot(nil), last.seeking...)
	if last.typ == nParent {
		slots = append(slots, last.slot)
	}
	for _, s := range slots {
		index := len(path.steps) - 2
		for s.level > 0 {
			if index < 0 {
				path.seeking = append(path.seeking, s)
				break
			}
			step := path.steps[index]
			index--
			for index >= 0 && step.hasFocus && path.steps[index].hasFocus {
				step = path.steps[index]
				index--
			}
			var err *Error
			s, err = p.seekParent(step, s)
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (p *parser) process(n *node) (*node, *Error) {
	var result *node
	var err *Error
	switch n.typ {
	case nBinary:
		switch n.op {
		case ".":
			lstep, err := p.process(n.lhs)
			if err != nil {
				return nil, err
			}
			if lstep.typ == nPath {
				result = lstep
			} else {
				result = &node{typ: nPath, steps: []*node{lstep}, pos: n.pos}
			}
			if lstep.typ == nParent {
				result.seeking = []*slot{lstep.slot}
			}
			rest, err := p.process(n.rhs)
			if err != nil {
				return nil, err
			}
			if rest.typ == nPath {
				result.steps = append(result.steps, rest.steps...)
			} else {
				if rest.predicate != nil {
					rest.stages = rest.predicate
					rest.predicate = nil
				}
				result.steps = append(result.steps, rest)
			}
			for _, st := range result.steps {
				if st.typ == nNumber || st.typ == nValue {
					var v any = st.lit
					if st.typ == nNumber {
						v = st.num
					}
					return nil, errv("S0213", st.pos, st.op, v)
				}
				if st.typ == nString {
					st.typ = nName
				}
			}
			for _, st := range result.steps {
				if st.keepArray {
					result.keepSingletonArray = true
				}
			}
			if first := result.steps[0]; first.typ == nArray {
				first.consarray = true
			}
			if last := result.steps[len(result.steps)-1]; last.typ == nArray {
				last.consarray = true
			}
			if err := p.resolveAncestry(result); err != nil {
				return nil, err
			}
		case "~>":
			result = &node{typ: nApply, op: n.op, pos: n.pos}
			if result.lhs, err = p.process(n.lhs); err != nil {
				return nil, err
			}
			if result.rhs, err = p.process(n.rhs); err != nil {
				return nil, err
			}
		default:
			result = &node{typ: nBinary, op: n.op, pos: n.pos}
			if result.lhs, err = p.process(n.lhs); err != nil {
				return nil, err
			}
			if result.rhs, err = p.process(n.rhs); err != nil {
				return nil, err
			}
			pushAncestry(result, result.lhs)
			pushAncestry(result, result.rhs)
		}
	case nElvis, nCoalesce:
		result = &node{typ: n.typ, op: n.op, pos: n.pos}
		if result.lhs, err = p.process(n.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(n.rhs); err != nil {
			return nil, err
		}
		pushAncestry(result, result.lhs)
		pushAncestry(result, result.rhs)
	case rawPredicate:
		result, err = p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		isStages := false
		if result.typ == nPath {
			step = result.steps[len(result.steps)-1]
			isStages = true
		}
		if step.group != nil {
			return nil, errp("S0209", n.pos, "")
		}
		pred, err := p.process(n.rhs)
		if err != nil {
			return nil, err
		}
		if pred.seeking != nil {
			for _, s := range pred.seeking {
				if s.level == 1 {
					if _, err := p.seekParent(step, s); err != nil {
						return nil, err
					}
				} else {
					s.level--
				}
			}
			pushAncestry(step, pred)
		}
		st := stage{expr: pred, pos: n.pos}
		if isStages {
			step.stages = append(step.stages, st)
		} else {
			step.predicate = append(step.predicate, st)
		}
	case rawGroup:
		result, err = p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		if result.group != nil {
			return nil, errp("S0210", n.pos, "")
		}
		g := &groupSpec{pos: n.pos}
		for _, pr := range n.pairs {
			k, err := p.process(pr[0])
			if err != nil {
				return nil, err
			}
			v, err := p.process(pr[1])
			if err != nil {
				return nil, err
			}
			g.pairs = append(g.pairs, [2]*node{k, v})
		}
		result.group = g
	case rawSort:
		result, err = p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		if result.typ != nPath {
			result = &node{typ: nPath, steps: []*node{result}, pos: n.pos}
		}
		ss := &node{typ: nSort, pos: n.pos}
		for _, t := range n.terms {
			e, err := p.process(t.expr)
			if err != nil {
				return nil, err
			}
			pushAncestry(ss, e)
			ss.terms = append(ss.terms, sortTerm{descending: t.descending, expr: e})
		}
		result.steps = append(result.steps, ss)
		if err := p.resolveAncestry(result); err != nil {
			return nil, err
		}
	case nBind:
		result = &node{typ: nBind, op: n.op, pos: n.pos}
		if result.lhs, err = p.process(n.lhs); err != nil {
			return nil, err
		}
		if result.rhs, err = p.process(n.rhs); err != nil {
			return nil, err
		}
		pushAncestry(result, result.rhs)
	case rawFocus:
		result, err = p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.typ == nPath {
			step = result.steps[len(result.steps)-1]
		}
		if step.stages != nil || step.predicate != nil {
			return nil, errp("S0215", n.pos, "@")
		}
		if step.typ == nSort {
			return nil, errp("S0216", n.pos, "@")
		}
		if n.keepArray {
			step.keepArray = true
		}
		step.focus = n.rhs.op
		step.hasFocus = true
		step.tuple = true
	case rawIndex:
		result, err = p.process(n.lhs)
		if err != nil {
			return nil, err
		}
		step := result
		if result.typ == nPath {
			step = result.steps[len(result.steps)-1]
		} else {
			result = &node{typ: nPath, steps: []*node{result}, pos: n.pos}
			if step.predicate != nil {
				step.stages = step.predicate
				step.predicate = nil
			}
		}
		if step.stages == nil {
			step.index = n.rhs.op
			step.hasIndex = true
		} else {
			step.stages = append(step.stages, stage{isIndex: true, index: n.rhs.op, pos: n.pos})
		}
		step.tuple = true
	case nNeg:
		result = &node{typ: nNeg, op: "-", pos: n.pos}
		if result.lhs, err = p.process(n.lhs); err != nil {
			return nil, err
		}
		if result.lhs.typ == nNumber {
			result = result.lhs
			result.num = 0 - result.num
		} else {
			pushAncestry(result, result.lhs)
		}
	case nArray:
		result = &node{typ: nArray, pos: n.pos}
		for _, it := range n.items {
			v, err := p.process(it)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.items = append(result.items, v)
		}
	case nObject:
		result = &node{typ: nObject, pos: n.pos}
		for _, pr := range n.pairs {
			k, err := p.process(pr[0])
			if err != nil {
				return nil, err
			}
			pushAncestry(result, k)
			v, err := p.process(pr[1])
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.pairs = append(result.pairs, [2]*node{k, v})
		}
	case nFunction, nPartial:
		result = &node{typ: n.typ, pos: n.pos}
		for _, a := range n.items {
			v, err := p.process(a)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			result.items = append(result.items, v)
		}
		if result.proc, err = p.process(n.proc); err != nil {
			return nil, err
		}
	case nLambda:
		result = &node{typ: nLambda, param: n.param, sig: n.sig, pos: n.pos}
		body, err := p.process(n.body)
		if err != nil {
			return nil, err
		}
		markTail(body)
		result.body = body
	case nCondition:
		result = &node{typ: nCondition, pos: n.pos}
		if result.cond, err = p.process(n.cond); err != nil {
			return nil, err
		}
		pushAncestry(result, result.cond)
		if result.then, err = p.process(n.then); err != nil {
			return nil, err
		}
		pushAncestry(result, result.then)
		if n.els != nil {
			if result.els, err = p.process(n.els); err != nil {
				return nil, err
			}
			pushAncestry(result, result.els)
		}
	case nTransform:
		result = &node{typ: nTransform, pos: n.pos}
		if result.lhs, err = p.process(n.lhs); err != nil {
			return nil, err
		}
		if result.then, err = p.process(n.then); err != nil {
			return nil, err
		}
		if n.els != nil {
			if result.els, err = p.process(n.els); err != nil {
				return nil, err
			}
		}
	case nBlock:
		result = &node{typ: nBlock, pos: n.pos}
		for _, it := range n.items {
			v, err := p.process(it)
			if err != nil {
				return nil, err
			}
			pushAncestry(result, v)
			if v.consarray || (v.typ == nPath && v.steps[0].consarray) {
				result.consarray = true
			}
			result.items = append(result.items, v)
		}
	case nName:
		result = &node{typ: nPath, steps: []*node{n}, pos: n.pos}
		if n.keepArray {
			result.keepSingletonArray = true
		}
	case nParent:
		result = &node{typ: nParent, pos: n.pos, slot: &slot{label: "!" + strconv.Itoa(p.ancestorLabel), level: 1, index: p.ancestorIndex}}
		p.ancestorLabel++
		p.ancestorIndex++
	case nString, nNumber, nValue, nWildcard, nDescendant, nVariable, nRegex, nPlaceholder:
		result = n
	case nEnd:
		return nil, errp("S0207", n.pos, "(end)")
	default:
		return nil, errp("S0206", n.pos, n.op)
	}
	if n.keepArray {
		result.keepArray = true
	}
	return result, nil
}

// markTail flags function calls in tail position of a lambda body so the
// evaluator can run them in a loop instead of recursing.
func markTail(n *node) {
	if n.predicate != nil || n.group != nil || n.keepArray || n.stages != nil {
		return
	}
	switch n.typ {
	case nFunction:
		n.tail = true
	case nCondition:
		markTail(n.then)
		if n.els != nil {
			markTail(n.els)
		}
	case nBlock:
		if len(n.items) > 0 {
			markTail(n.items[len(n.items)-1])
		}
	}
}
