package stepfn

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// jsonPath is a compiled JSONPath as the States Language uses it: rooted
// at $ (the state's input) or $$ (the context object), with member names
// (.name, ['name']), indexes ([0], [-1]), wildcards (.*, [*]), slices
// ([1:3], [::2]), unions ([0,2], ['a','b']), recursive descent (..name)
// and filters ([?(@.price < 10 && @.tag == 'x')]).
//
// A path made only of names and indexes is definite: it selects one value
// or fails. Any other path is indefinite and selects a list, possibly
// empty, as Step Functions' JSONPath engine returns it.
type jsonPath struct {
	src     string
	context bool
	// variable names the workflow variable the path starts from ($name),
	// empty for $ and $$.
	variable string
	segs     []pathSeg
}

type segKind uint8

const (
	segName segKind = iota
	segIndex
	segWildcard
	segSlice
	segUnion
	segFilter
)

type pathSeg struct {
	kind    segKind
	recurse bool // reached with .. : applies at every depth
	name    string
	index   int
	slice   [3]*int
	union   []pathSeg
	filter  filterExpr
}

// definite reports whether the path selects at most one value.
func (p *jsonPath) definite() bool {
	for _, s := range p.segs {
		if s.recurse || (s.kind != segName && s.kind != segIndex) {
			return false
		}
	}
	return true
}

// reference reports whether the path is a Reference Path, the only kind
// ResultPath accepts: $ followed by names and non-negative indexes.
func (p *jsonPath) reference() bool {
	if p.context || p.variable != "" {
		return false
	}
	for _, s := range p.segs {
		if s.recurse || (s.kind != segName && s.kind != segIndex) || (s.kind == segIndex && s.index < 0) {
			return false
		}
	}
	return true
}

// parsePath compiles a JSONPath.
func parsePath(src string) (*jsonPath, error) {
	p := &pathParser{s: src}
	jp, err := p.path()
	if err != nil {
		return nil, err
	}
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("unexpected %q at position %d", p.s[p.pos:], p.pos)
	}
	return jp, nil
}

type pathParser struct {
	s   string
	pos int
}

func (p *pathParser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *pathParser) path() (*jsonPath, error) {
	start := p.pos
	if p.peek() != '$' {
		return nil, errors.New("a path must start with '$'")
	}
	p.pos++
	jp := &jsonPath{}
	switch c := p.peek(); {
	case c == '$':
		jp.context = true
		p.pos++
	case isVarStart(c):
		begin := p.pos
		for p.pos < len(p.s) && isIdentByte(p.s[p.pos]) {
			p.pos++
		}
		jp.variable = p.s[begin:p.pos]
	}
	segs, err := p.segments(false)
	if err != nil {
		return nil, err
	}
	jp.segs = segs
	jp.src = p.s[start:p.pos]
	return jp, nil
}

// segments reads segments until the input ends or, inside a filter, a
// character that cannot continue a path.
func (p *pathParser) segments(inFilter bool) ([]pathSeg, error) {
	var segs []pathSeg
	for p.pos < len(p.s) {
		switch p.peek() {
		case '.':
			p.pos++
			recurse := false
			if p.peek() == '.' {
				recurse = true
				p.pos++
			}
			if p.peek() == '[' {
				if !recurse {
					return nil, fmt.Errorf("unexpected '[' after '.' at position %d", p.pos)
				}
				seg, err := p.bracket()
				if err != nil {
					return nil, err
				}
				seg.recurse = true
				segs = append(segs, seg)
				continue
			}
			if p.peek() == '*' {
				p.pos++
				segs = append(segs, pathSeg{kind: segWildcard, recurse: recurse})
				continue
			}
			name := p.name(inFilter)
			if name == "" {
				return nil, fmt.Errorf("missing member name at position %d", p.pos)
			}
			segs = append(segs, pathSeg{kind: segName, name: name, recurse: recurse})
		case '[':
			seg, err := p.bracket()
			if err != nil {
				return nil, err
			}
			segs = append(segs, seg)
		default:
			if inFilter {
				return segs, nil
			}
			return nil, fmt.Errorf("unexpected %q at position %d", p.peek(), p.pos)
		}
	}
	return segs, nil
}

// name reads a dot-notation member name.
func (p *pathParser) name(inFilter bool) string {
	start := p.pos
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '.' || c == '[' {
			break
		}
		if inFilter && strings.IndexByte(" )=!<>&|,", c) >= 0 {
			break
		}
		if c == ']' || c == '\'' || c == '"' || c == '(' || c == ')' || c == '*' {
			break
		}
		p.pos++
	}
	return p.s[start:p.pos]
}

func (p *pathParser) skipSpace() {
	for p.pos < len(p.s) && p.s[p.pos] == ' ' {
		p.pos++
	}
}

// bracket reads one [...] selector.
func (p *pathParser) bracket() (pathSeg, error) {
	p.pos++ // '['
	p.skipSpace()
	var seg pathSeg
	switch c := p.peek(); {
	case c == '*':
		p.pos++
		seg = pathSeg{kind: segWildcard}
	case c == '?':
		p.pos++
		if p.peek() != '(' {
			return seg, fmt.Errorf("expected '(' after '?' at position %d", p.pos)
		}
		p.pos++
		f, err := p.filterOr()
		if err != nil {
			return seg, err
		}
		p.skipSpace()
		if p.peek() != ')' {
			return seg, fmt.Errorf("expected ')' at position %d", p.pos)
		}
		p.pos++
		seg = pathSeg{kind: segFilter, filter: f}
	default:
		var items []pathSeg
		for {
			p.skipSpace()
			item, err := p.selector()
			if err != nil {
				return seg, err
			}
			items = append(items, item)
			p.skipSpace()
			if p.peek() != ',' {
				break
			}
			p.pos++
		}
		if len(items) == 1 {
			seg = items[0]
		} else {
			for _, it := range items {
				if it.kind == segSlice {
					return seg, errors.New("a slice cannot be part of a union")
				}
			}
			seg = pathSeg{kind: segUnion, union: items}
		}
	}
	p.skipSpace()
	if p.peek() != ']' {
		return seg, fmt.Errorf("expected ']' at position %d", p.pos)
	}
	p.pos++
	return seg, nil
}

// selector reads a quoted name, an index or a slice.
func (p *pathParser) selector() (pathSeg, error) {
	if c := p.peek(); c == '\'' || c == '"' {
		s, err := p.quoted()
		if err != nil {
			return pathSeg{}, err
		}
		return pathSeg{kind: segName, name: s}, nil
	}
	var parts [3]*int
	n := 0
	for {
		p.skipSpace()
		if c := p.peek(); c == '-' || (c >= '0' && c <= '9') {
			start := p.pos
			p.pos++
			for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
				p.pos++
			}
			v, err := strconv.Atoi(p.s[start:p.pos])
			if err != nil {
				return pathSeg{}, fmt.Errorf("bad index %q", p.s[start:p.pos])
			}
			parts[n] = &v
		}
		p.skipSpace()
		if p.peek() != ':' || n == 2 {
			break
		}
		p.pos++
		n++
	}
	if n == 0 {
		if parts[0] == nil {
			return pathSeg{}, fmt.Errorf("expected an index, a quoted name, '*' or a filter at position %d", p.pos)
		}
		return pathSeg{kind: segIndex, index: *parts[0]}, nil
	}
	if parts[2] != nil && *parts[2] == 0 {
		return pathSeg{}, errors.New("slice step cannot be zero")
	}
	return pathSeg{kind: segSlice, slice: parts}, nil
}

// quoted reads a '...' or "..." string with backslash escapes.
func (p *pathParser) quoted() (string, error) {
	q := p.s[p.pos]
	p.pos++
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '\\' && p.pos+1 < len(p.s) {
			b.WriteByte(p.s[p.pos+1])
			p.pos += 2
			continue
		}
		if c == q {
			p.pos++
			return b.String(), nil
		}
		b.WriteByte(c)
		p.pos++
	}
	return "", errors.New("unterminated quoted name")
}

// errPathNotFound reports that a definite path matched nothing.
var errPathNotFound = errors.New("path not found")

// eval applies the path to root (the input for $, the context object for
// $$). A definite path returns its one value or errPathNotFound; an
// indefinite path returns a []any of every match.
func (p *jsonPath) eval(root any) (any, error) {
	if p.definite() {
		cur := root
		for _, s := range p.segs {
			next, ok := s.step(cur)
			if !ok {
				return nil, errPathNotFound
			}
			cur = next
		}
		return cur, nil
	}
	nodes := []any{root}
	for _, s := range p.segs {
		var out []any
		for _, n := range nodes {
			if s.recurse {
				walk(n, func(v any) { out = s.apply(v, out) })
			} else {
				out = s.apply(n, out)
			}
		}
		nodes = out
	}
	if nodes == nil {
		nodes = []any{}
	}
	return nodes, nil
}

// step applies a name or index segment to one value.
func (s *pathSeg) step(v any) (any, bool) {
	switch s.kind {
	case segName:
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		x, ok := m[s.name]
		return x, ok
	case segIndex:
		a, ok := v.([]any)
		if !ok {
			return nil, false
		}
		i := s.index
		if i < 0 {
			i += len(a)
		}
		if i < 0 || i >= len(a) {
			return nil, false
		}
		return a[i], true
	}
	return nil, false
}

// apply appends what segment s selects from v to out.
func (s *pathSeg) apply(v any, out []any) []any {
	switch s.kind {
	case segName, segIndex:
		if x, ok := s.step(v); ok {
			out = append(out, x)
		}
	case segWildcard:
		switch x := v.(type) {
		case []any:
			out = append(out, x...)
		case map[string]any:
			for _, k := range sortedKeys(x) {
				out = append(out, x[k])
			}
		}
	case segSlice:
		a, ok := v.([]any)
		if !ok {
			return out
		}
		for _, i := range sliceIndexes(s.slice, len(a)) {
			out = append(out, a[i])
		}
	case segUnion:
		for i := range s.union {
			out = s.union[i].apply(v, out)
		}
	case segFilter:
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				if s.filter.test(e) {
					out = append(out, e)
				}
			}
		case map[string]any:
			for _, k := range sortedKeys(x) {
				if s.filter.test(x[k]) {
					out = append(out, x[k])
				}
			}
		}
	}
	return out
}

func sliceIndexes(sl [3]*int, n int) []int {
	step := 1
	if sl[2] != nil {
		step = *sl[2]
	}
	norm := func(p *int, def int) int {
		if p == nil {
			return def
		}
		i := *p
		if i < 0 {
			i += n
		}
		return min(max(i, 0), n)
	}
	var idx []int
	if step > 0 {
		for i := norm(sl[0], 0); i < norm(sl[1], n); i += step {
			idx = append(idx, i)
		}
		return idx
	}
	start := n - 1
	if sl[0] != nil {
		start = min(norm(sl[0], 0), n-1)
	}
	end := -1
	if sl[1] != nil {
		end = norm(sl[1], 0)
	}
	for i := start; i > end; i += step {
		idx = append(idx, i)
	}
	return idx
}

// walk calls f on v and every value nested in it, depth first.
func walk(v any, f func(any)) {
	f(v)
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			walk(e, f)
		}
	case map[string]any:
		for _, k := range sortedKeys(x) {
			walk(x[k], f)
		}
	}
}

// set returns a copy of root with val at the path, which must be a
// reference path. Objects missing on the way are created; a value on the
// way that is not an object (or, for an index, not an array holding it)
// fails.
func (p *jsonPath) set(root any, val any) (any, error) {
	return setAt(root, p.segs, val)
}

func setAt(cur any, segs []pathSeg, val any) (any, error) {
	if len(segs) == 0 {
		return val, nil
	}
	s := segs[0]
	switch s.kind {
	case segName:
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("cannot set field %q of a value of type %s", s.name, jsonType(cur))
		}
		child, exists := m[s.name]
		if !exists {
			child = map[string]any{}
		}
		nv, err := setAt(child, segs[1:], val)
		if err != nil {
			return nil, err
		}
		out := make(map[string]any, len(m)+1)
		for k, v := range m {
			out[k] = v
		}
		out[s.name] = nv
		return out, nil
	case segIndex:
		a, ok := cur.([]any)
		if !ok || s.index < 0 || s.index >= len(a) {
			return nil, fmt.Errorf("cannot set index %d of a value of type %s", s.index, jsonType(cur))
		}
		nv, err := setAt(a[s.index], segs[1:], val)
		if err != nil {
			return nil, err
		}
		out := append([]any(nil), a...)
		out[s.index] = nv
		return out, nil
	}
	return nil, errors.New("not a reference path")
}

// filterExpr is a compiled filter predicate.
type filterExpr interface {
	test(v any) bool
}

type filterOr []filterExpr
type filterAnd []filterExpr

func (f filterOr) test(v any) bool {
	for _, e := range f {
		if e.test(v) {
			return true
		}
	}
	return false
}

func (f filterAnd) test(v any) bool {
	for _, e := range f {
		if !e.test(v) {
			return false
		}
	}
	return true
}

// filterCmp compares two operands, or tests that the left one exists when
// op is empty.
type filterCmp struct {
	left, right filterOperand
	op          string
}

type filterOperand struct {
	path    *jsonPath // rooted at @ (current) when !absolute
	literal any
	isPath  bool
}

func (o filterOperand) value(cur any) (any, bool) {
	if !o.isPath {
		return o.literal, true
	}
	v, err := o.path.eval(cur)
	if err != nil {
		return nil, false
	}
	return v, true
}

func (f filterCmp) test(cur any) bool {
	l, ok := f.left.value(cur)
	if f.op == "" {
		return ok
	}
	if !ok {
		return false
	}
	r, ok := f.right.value(cur)
	if !ok {
		return false
	}
	switch f.op {
	case "==":
		return jsonEqual(l, r)
	case "!=":
		return !jsonEqual(l, r)
	}
	if lf, ok := asFloat(l); ok {
		rf, ok := asFloat(r)
		if !ok {
			return false
		}
		return compareOp(f.op, cmpFloat(lf, rf))
	}
	ls, lok := l.(string)
	rs, rok := r.(string)
	if lok && rok {
		return compareOp(f.op, strings.Compare(ls, rs))
	}
	return false
}

func cmpFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func compareOp(op string, c int) bool {
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func (p *pathParser) filterOr() (filterExpr, error) {
	var terms filterOr
	for {
		t, err := p.filterAnd()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
		p.skipSpace()
		if !strings.HasPrefix(p.s[p.pos:], "||") {
			break
		}
		p.pos += 2
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *pathParser) filterAnd() (filterExpr, error) {
	var terms filterAnd
	for {
		t, err := p.filterTerm()
		if err != nil {
			return nil, err
		}
		terms = append(terms, t)
		p.skipSpace()
		if !strings.HasPrefix(p.s[p.pos:], "&&") {
			break
		}
		p.pos += 2
	}
	if len(terms) == 1 {
		return terms[0], nil
	}
	return terms, nil
}

func (p *pathParser) filterTerm() (filterExpr, error) {
	p.skipSpace()
	if p.peek() == '(' {
		p.pos++
		e, err := p.filterOr()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		if p.peek() != ')' {
			return nil, fmt.Errorf("expected ')' at position %d", p.pos)
		}
		p.pos++
		return e, nil
	}
	left, err := p.operand()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	for _, op := range []string{"==", "!=", "<=", ">=", "<", ">"} {
		if strings.HasPrefix(p.s[p.pos:], op) {
			p.pos += len(op)
			p.skipSpace()
			right, err := p.operand()
			if err != nil {
				return nil, err
			}
			return filterCmp{left: left, right: right, op: op}, nil
		}
	}
	if !left.isPath {
		return nil, errors.New("a filter term must be a path or a comparison")
	}
	return filterCmp{left: left}, nil
}

func (p *pathParser) operand() (filterOperand, error) {
	p.skipSpace()
	switch c := p.peek(); {
	case c == '@':
		p.pos++
		segs, err := p.segments(true)
		if err != nil {
			return filterOperand{}, err
		}
		return filterOperand{isPath: true, path: &jsonPath{src: "@", segs: segs}}, nil
	case c == '\'' || c == '"':
		s, err := p.quoted()
		return filterOperand{literal: s}, err
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		p.pos++
		for p.pos < len(p.s) && strings.IndexByte("0123456789.eE+-", p.s[p.pos]) >= 0 {
			p.pos++
		}
		num := p.s[start:p.pos]
		if !validNumber(num) {
			return filterOperand{}, fmt.Errorf("bad number %q", num)
		}
		return filterOperand{literal: json.Number(num)}, nil
	}
	for _, lit := range []struct {
		word string
		val  any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(p.s[p.pos:], lit.word) {
			p.pos += len(lit.word)
			return filterOperand{literal: lit.val}, nil
		}
	}
	return filterOperand{}, fmt.Errorf("expected a filter operand at position %d", p.pos)
}
