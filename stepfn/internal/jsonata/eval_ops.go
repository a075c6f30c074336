package jsonata

import (
	"math"
)

// truthy is jsonata's $boolean with undefined treated as false.
func truthy(v any) bool {
	b, ok := toBoolean(v)
	return ok && b
}

// toBoolean casts v to a Boolean; ok is false for undefined.
func toBoolean(v any) (bool, bool) {
	if f, ok := toNumber(v); ok {
		return f != 0, true
	}
	switch x := v.(type) {
	case undef:
		return false, false
	case nil:
		return false, true
	case bool:
		return x, true
	case string:
		return x != "", true
	case []any, *seq:
		items, _ := asArray(x)
		if len(items) == 1 {
			b, _ := toBoolean(items[0])
			return b, true
		}
		for _, it := range items {
			if b, _ := toBoolean(it); b {
				return true, true
			}
		}
		return false, true
	case map[string]any:
		return len(x) > 0, true
	case *builtinFn, *transformFn:
		// jsonata-js 2.0 represents these as non-empty objects, so they
		// are true; lambdas, partial applications and regexes are false
		return true, true
	}
	return false, true
}

func (ev *evaluator) evalBinary(n *node, input any, fr *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, fr)
	if err != nil {
		return nil, err
	}
	op := n.op
	if op == "and" || op == "or" {
		l := truthy(lhs)
		if op == "and" && !l {
			return false, nil
		}
		if op == "or" && l {
			return true, nil
		}
		rhs, err := ev.eval(n.rhs, input, fr)
		if err != nil {
			return nil, err
		}
		return truthy(rhs), nil
	}
	rhs, err := ev.eval(n.rhs, input, fr)
	if err != nil {
		return nil, err
	}
	switch op {
	case "+", "-", "*", "/", "%":
		return arith(op, lhs, rhs, n.pos)
	case "=", "!=":
		if IsUndefined(lhs) || IsUndefined(rhs) {
			return false, nil
		}
		eq := deepEqual(lhs, rhs)
		if op == "=" {
			return eq, nil
		}
		return !eq, nil
	case "<", "<=", ">", ">=":
		return compare(op, lhs, rhs, n.pos)
	case "&":
		ls, err := concatString(lhs, n.pos)
		if err != nil {
			return nil, err
		}
		rs, err := concatString(rhs, n.pos)
		if err != nil {
			return nil, err
		}
		return ls + rs, nil
	case "..":
		r, err := rangeOp(lhs, rhs, n.pos)
		if s, ok := r.(*seq); ok && err == nil {
			// a range costs one step per item, so MaxSteps bounds it
			ev.steps += len(s.items)
			if ev.maxSteps > 0 && ev.steps > ev.maxSteps {
				return nil, errp("U1002", n.pos, "..")
			}
		}
		return r, err
	case "in":
		if IsUndefined(lhs) || IsUndefined(rhs) {
			return false, nil
		}
		for _, x := range itemsOf(rhs) {
			if strictEqual(x, lhs) {
				return true, nil
			}
		}
		return false, nil
	}
	return nil, errp("S0204", n.pos, op)
}

// strictEqual is JavaScript's ===: primitives by value, containers by
// identity (approximated: containers are never equal).
func strictEqual(a, b any) bool {
	switch a.(type) {
	case []any, *seq, map[string]any:
		return false
	}
	if IsFunction(a) || IsFunction(b) {
		return a == b
	}
	return deepEqual(a, b)
}

func concatString(v any, pos int) (string, error) {
	if IsUndefined(v) {
		return "", nil
	}
	return toJSString(v, false, pos)
}

// toJSString is $string's conversion.
func toJSString(v any, pretty bool, pos int) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	}
	if IsFunction(v) {
		return "", nil
	}
	if f, ok := toNumber(v); ok && (math.IsNaN(f) || math.IsInf(f, 0)) {
		return "", errv("D3001", pos, "string", f)
	}
	if s, ok := v.(*seq); ok && s.outerWrapper && len(s.items) > 0 {
		v = s.items[0]
	}
	return stringify(v, pretty)
}

func arith(op string, lhs, rhs any, pos int) (any, error) {
	l, lok := toNumber(lhs)
	if !IsUndefined(lhs) && !lok {
		return nil, errv("T2001", pos, op, lhs)
	}
	r, rok := toNumber(rhs)
	if !IsUndefined(rhs) && !rok {
		return nil, errv("T2002", pos, op, rhs)
	}
	if !lok || !rok {
		return Undefined, nil
	}
	var res float64
	switch op {
	case "+":
		res = l + r
	case "-":
		res = l - r
	case "*":
		res = l * r
	case "/":
		res = l / r
	case "%":
		res = math.Mod(l, r)
	}
	if math.IsNaN(res) || math.IsInf(res, 0) {
		return nil, errv("D1001", pos, op, res)
	}
	if res == 0 {
		res = 0 // no negative zero: JSON has none
	}
	return res, nil
}

func compare(op string, lhs, rhs any, pos int) (any, error) {
	lc := IsUndefined(lhs) || isString(lhs) || isNumber(lhs)
	rc := IsUndefined(rhs) || isString(rhs) || isNumber(rhs)
	if !lc || !rc {
		bad := lhs
		if lc {
			bad = rhs
		}
		return nil, errv("T2010", pos, op, bad)
	}
	if IsUndefined(lhs) || IsUndefined(rhs) {
		return Undefined, nil
	}
	if isString(lhs) != isString(rhs) {
		return nil, newError("T2009", pos, op, errInfo{value: lhs, value2: rhs, hasValue: true, hasValue2: true})
	}
	var c int
	if isString(lhs) {
		a, b := lhs.(string), rhs.(string)
		switch {
		case a == b:
			c = 0
		case jsLess(a, b):
			c = -1
		default:
			c = 1
		}
	} else {
		a, _ := toNumber(lhs)
		b, _ := toNumber(rhs)
		switch {
		case a < b:
			c = -1
		case a > b:
			c = 1
		case a == b:
			c = 0
		default:
			return false, nil
		}
	}
	switch op {
	case "<":
		return c < 0, nil
	case "<=":
		return c <= 0, nil
	case ">":
		return c > 0, nil
	}
	return c >= 0, nil
}

const maxRange = 1e7

func rangeOp(lhs, rhs any, pos int) (any, error) {
	l, lok := toNumber(lhs)
	if !IsUndefined(lhs) && (!lok || l != math.Trunc(l)) {
		return nil, errv("T2003", pos, "..", lhs)
	}
	r, rok := toNumber(rhs)
	if !IsUndefined(rhs) && (!rok || r != math.Trunc(r)) {
		return nil, errv("T2004", pos, "..", rhs)
	}
	if !lok || !rok || l > r {
		return Undefined, nil
	}
	size := r - l + 1
	if size > maxRange {
		return nil, errv("D2014", pos, "..", size)
	}
	out := make([]any, int(size))
	for i := range out {
		out[i] = l + float64(i)
	}
	return &seq{items: out, sequence: true}, nil
}

// appendValues is jsonata's fn.append for internal use.
func appendValues(a, b any) any {
	if IsUndefined(a) {
		return b
	}
	if IsUndefined(b) {
		return a
	}
	out := append([]any{}, itemsOf(a)...)
	out = append(out, itemsOf(b)...)
	return newSeq(out...)
}

type groupEntry struct {
	data      any
	exprIndex int
}

func (ev *evaluator) evalGroup(pairs [][2]*node, pos int, input any, fr *frame) (any, error) {
	result := map[string]any{}
	reduce := false
	if s, ok := input.(*seq); ok && s.tupleStream {
		reduce = true
	}
	items, ok := asArray(input)
	if !ok {
		items = []any{input}
	}
	if len(items) == 0 {
		items = []any{Undefined}
	}
	groups := map[string]*groupEntry{}
	var order []string
	for _, item := range items {
		env := fr
		context := item
		if reduce {
			t := asTuple(item)
			env = frameFromTuple(fr, t)
			context = t["@"]
		}
		for pi, pr := range pairs {
			k, err := ev.eval(pr[0], context, env)
			if err != nil {
				return nil, err
			}
			if IsUndefined(k) {
				continue
			}
			key, isStr := k.(string)
			if !isStr {
				return nil, errv("T1003", pos, "", k)
			}
			if g, ok := groups[key]; ok {
				if g.exprIndex != pi {
					return nil, errv("D1009", pos, "", key)
				}
				g.data = appendValues(g.data, item)
			} else {
				groups[key] = &groupEntry{data: item, exprIndex: pi}
				order = append(order, key)
			}
		}
	}
	for _, key := range order {
		g := groups[key]
		context := g.data
		env := fr
		if reduce {
			t := reduceTuples(g.data)
			context = t["@"]
			delete(t, "@")
			env = frameFromTuple(fr, t)
		}
		v, err := ev.eval(pairs[g.exprIndex][1], context, env)
		if err != nil {
			return nil, err
		}
		if !IsUndefined(v) {
			result[key] = v
		}
	}
	return result, nil
}

func reduceTuples(data any) tuple {
	items, ok := asArray(data)
	if !ok {
		return copyTuple(asTuple(data))
	}
	out := copyTuple(asTuple(items[0]))
	for _, it := range items[1:] {
		for k, v := range asTuple(it) {
			prev, ok := out[k]
			if !ok {
				prev = Undefined
			}
			out[k] = appendValues(prev, v)
		}
	}
	return out
}

func (ev *evaluator) evalSort(n *node, input any, fr *frame) (any, error) {
	items := itemsOf(input)
	isTuple := false
	if s, ok := input.(*seq); ok && s.tupleStream {
		isTuple = true
	}
	if len(items) <= 1 {
		return &seq{items: items, sequence: true, tupleStream: isTuple}, nil
	}
	// evaluate each term once per item
	keys := make([][]any, len(items))
	for i, it := range items {
		context := it
		env := fr
		if isTuple {
			t := asTuple(it)
			context = t["@"]
			env = frameFromTuple(fr, t)
		}
		keys[i] = make([]any, len(n.terms))
		for j, term := range n.terms {
			v, err := ev.eval(term.expr, context, env)
			if err != nil {
				return nil, err
			}
			keys[i][j] = v
		}
	}
	var sortErr error
	// after reports whether a must come after b.
	after := func(a, b int) bool {
		for j, term := range n.terms {
			aa, bb := keys[a][j], keys[b][j]
			if IsUndefined(aa) && IsUndefined(bb) {
				continue
			}
			if IsUndefined(aa) {
				return true
			}
			if IsUndefined(bb) {
				return false
			}
			if !(isNumber(aa) || isString(aa)) || !(isNumber(bb) || isString(bb)) {
				if sortErr == nil {
					bad := aa
					if isNumber(aa) || isString(aa) {
						bad = bb
					}
					sortErr = errv("T2008", n.pos, "", bad)
				}
				return false
			}
			if isString(aa) != isString(bb) {
				if sortErr == nil {
					sortErr = newError("T2007", n.pos, "", errInfo{value: aa, value2: bb, hasValue: true, hasValue2: true})
				}
				return false
			}
			if deepEqual(aa, bb) {
				continue
			}
			var less bool
			if isString(aa) {
				less = jsLess(aa.(string), bb.(string))
			} else {
				x, _ := toNumber(aa)
				y, _ := toNumber(bb)
				less = x < y
			}
			if term.descending {
				return less
			}
			return !less
		}
		return false
	}
	idx := make([]int, len(items))
	for i := range idx {
		idx[i] = i
	}
	idx = mergeSortIdx(idx, after)
	if sortErr != nil {
		return nil, sortErr
	}
	out := make([]any, len(items))
	for i, k := range idx {
		out[i] = items[k]
	}
	return &seq{items: out, sequence: true, tupleStream: isTuple}, nil
}

// mergeSortIdx is a stable merge sort; after(a, b) true means a goes
// after b.
func mergeSortIdx(a []int, after func(a, b int) bool) []int {
	if len(a) < 2 {
		return a
	}
	mid := len(a) / 2
	l := mergeSortIdx(append([]int{}, a[:mid]...), after)
	r := mergeSortIdx(append([]int{}, a[mid:]...), after)
	out := make([]int, 0, len(a))
	i, j := 0, 0
	for i < len(l) && j < len(r) {
		if after(l[i], r[j]) {
			out = append(out, r[j])
			j++
		} else {
			out = append(out, l[i])
			i++
		}
	}
	out = append(out, l[i:]...)
	return append(out, r[j:]...)
}
