package jsonata

import "reflect"

// procName is the name a call reports in errors.
func procName(n *node) string {
	switch n.proc.typ {
	case nPath:
		if len(n.proc.steps) > 0 {
			return n.proc.steps[0].op
		}
	case nVariable, nName:
		return n.proc.op
	}
	return ""
}

// evalCall evaluates a function call node; applyTo, when set, is the
// value chained in by ~> and becomes the first argument.
func (ev *evaluator) evalCall(n *node, input any, fr *frame, applyTo []any) (any, error) {
	proc, err := ev.eval(n.proc, input, fr)
	if err != nil {
		return nil, err
	}
	name := procName(n)
	if IsUndefined(proc) && n.proc.typ == nPath && len(n.proc.steps) > 0 {
		if _, ok := fr.lookup(n.proc.steps[0].op); ok {
			return nil, errp("T1005", n.pos, n.proc.steps[0].op)
		}
	}
	args := make([]any, 0, len(n.items)+1)
	args = append(args, applyTo...)
	for _, a := range n.items {
		v, err := ev.eval(a, input, fr)
		if err != nil {
			return nil, err
		}
		args = append(args, v)
	}
	if n.tail {
		if _, ok := proc.(*lambdaFn); ok {
			return &thunk{fn: proc, args: args, input: input, fr: fr, pos: n.pos, name: name}, nil
		}
	}
	return ev.apply(proc, args, input, fr, n.pos, name)
}

// apply calls fn with args, running tail calls in a loop.
func (ev *evaluator) apply(fn any, args []any, input any, fr *frame, pos int, name string) (any, error) {
	ev.depth++
	defer func() { ev.depth-- }()
	if ev.depth > ev.maxDepth {
		return nil, errp("U1001", pos, name)
	}
	res, err := ev.applyInner(fn, args, input, fr, pos, name)
	for err == nil {
		t, ok := res.(*thunk)
		if !ok {
			break
		}
		if err = ev.step(&node{pos: t.pos}); err != nil {
			break
		}
		res, err = ev.applyInner(t.fn, t.args, t.input, t.fr, t.pos, t.name)
	}
	return res, err
}

func (ev *evaluator) applyInner(fn any, args []any, input any, fr *frame, pos int, name string) (any, error) {
	switch f := fn.(type) {
	case *lambdaFn:
		if f.n.sig != nil {
			var err *Error
			args, err = f.n.sig.validate(args, input, name, pos, true)
			if err != nil {
				return nil, err
			}
		}
		env := &frame{parent: f.env, vars: make(map[string]any, len(f.n.param))}
		for i, p := range f.n.param {
			if i < len(args) {
				env.vars[p] = args[i]
			} else {
				env.vars[p] = Undefined
			}
		}
		return ev.eval(f.n.body, f.input, env)
	case *builtinFn:
		if f.name != "" && name == "" {
			name = f.name
		}
		if f.sig != nil {
			var err *Error
			args, err = f.sig.validate(args, input, name, pos, false)
			if err != nil {
				return nil, err
			}
		}
		c := &Call{Input: input, Position: pos, ev: ev, fr: fr, name: name}
		if f.user {
			pa := make([]any, len(args))
			for i, a := range args {
				pa[i] = plain(a)
			}
			c.Input = plain(input)
			r, err := f.impl(c, pa)
			if je, ok := err.(*Error); ok && je == nil {
				err = nil // a typed nil *Error is no error
			}
			if err != nil {
				if _, ok := err.(*Error); !ok {
					err = &Error{Code: "D3137", Position: pos, Token: name, Message: err.Error()}
				}
				return nil, err
			}
			if r == nil {
				return nil, nil
			}
			return r, nil
		}
		return f.impl(c, args)
	case *partialFn:
		full := make([]any, len(f.args))
		j := 0
		for i := range f.args {
			if f.holes[i] {
				if j < len(args) {
					full[i] = args[j]
				} else {
					full[i] = Undefined
				}
				j++
			} else {
				full[i] = f.args[i]
			}
		}
		return ev.applyInner(f.fn, full, input, fr, pos, name)
	case *matcherFn:
		var s any = Undefined
		if len(args) > 0 {
			s = args[0]
		}
		str, ok := s.(string)
		if !ok {
			return Undefined, nil
		}
		from := 0
		if len(args) > 1 {
			if n, ok := toNumber(args[1]); ok && n > 0 {
				from = utf16ToByte(str, int(n))
			}
		}
		return matchAt(f.re, str, from, f.at), nil
	case *composedFn:
		r, err := ev.apply(f.f, args, input, fr, pos, name)
		if err != nil {
			return nil, err
		}
		return ev.apply(f.g, []any{r}, input, fr, pos, name)
	case *transformFn:
		args, err := transformSig.validate(args, input, name, pos, false)
		if err != nil {
			return nil, err
		}
		var obj any = Undefined
		if len(args) > 0 {
			obj = args[0]
		}
		return ev.transform(f, obj)
	}
	return nil, errp("T1006", pos, name)
}

func (ev *evaluator) evalPartial(n *node, input any, fr *frame) (any, error) {
	args := make([]any, len(n.items))
	holes := make([]bool, len(n.items))
	count := 0
	for i, a := range n.items {
		if a.typ == nPlaceholder {
			holes[i] = true
			count++
			continue
		}
		v, err := ev.eval(a, input, fr)
		if err != nil {
			return nil, err
		}
		args[i] = v
	}
	proc, err := ev.eval(n.proc, input, fr)
	if err != nil {
		return nil, err
	}
	if !IsFunction(proc) {
		name := procName(n)
		if IsUndefined(proc) && n.proc.typ == nPath && len(n.proc.steps) > 0 {
			if _, ok := fr.lookup(name); ok {
				return nil, errp("T1007", n.pos, name)
			}
		}
		return nil, errp("T1008", n.pos, name)
	}
	return &partialFn{fn: proc, args: args, holes: holes, count: count}, nil
}

func (ev *evaluator) evalApply(n *node, input any, fr *frame) (any, error) {
	lhs, err := ev.eval(n.lhs, input, fr)
	if err != nil {
		return nil, err
	}
	if n.rhs.typ == nFunction {
		return ev.evalCall(n.rhs, input, fr, []any{lhs})
	}
	fn, err := ev.eval(n.rhs, input, fr)
	if err != nil {
		return nil, err
	}
	if !IsFunction(fn) {
		return nil, errv("T2006", n.pos, "~>", fn)
	}
	if IsFunction(lhs) {
		return &composedFn{f: lhs, g: fn}, nil
	}
	return ev.apply(fn, []any{lhs}, input, fr, n.pos, "")
}

// transformSig is the signature of the function a transform builds.
var transformSig = mustSig("<(oa):o>")

// deepClone copies maps and arrays so a transform can change the copy.
// When owned is not nil it records the maps it creates.
func deepClone(v any) any { return cloneInto(v, nil, 0) }

func cloneInto(v any, owned map[uintptr]bool, depth int) any {
	if depth > maxDataDepth {
		return v
	}
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, val := range x {
			m[k] = cloneInto(val, owned, depth+1)
		}
		if owned != nil {
			owned[mapID(m)] = true
		}
		return m
	case []any, *seq:
		items, _ := asArray(x)
		out := make([]any, len(items))
		for i, it := range items {
			out[i] = cloneInto(it, owned, depth+1)
		}
		return out
	}
	return v
}

func mapID(m map[string]any) uintptr { return reflect.ValueOf(m).Pointer() }

func (ev *evaluator) transform(f *transformFn, obj any) (any, error) {
	if IsUndefined(obj) {
		return Undefined, nil
	}
	n := f.n
	// only maps of the copy are changed: a pattern that reaches outside
	// it (through $$ or a variable) must not alter the caller's data
	owned := map[uintptr]bool{}
	result := cloneInto(obj, owned, 0)
	matches, err := ev.eval(n.lhs, result, f.fr)
	if err != nil {
		return nil, err
	}
	if IsUndefined(matches) {
		return result, nil
	}
	for _, m := range itemsOf(matches) {
		upd, err := ev.eval(n.then, m, f.fr)
		if err != nil {
			return nil, err
		}
		mm, isMap := m.(map[string]any)
		if isMap && !owned[mapID(mm)] {
			isMap = false
		}
		if !IsUndefined(upd) {
			u, ok := upd.(map[string]any)
			if !ok {
				return nil, errv("T2011", n.then.pos, "", upd)
			}
			if isMap {
				for k, v := range u {
					// a copy, so an update cannot make a value contain itself
					mm[k] = deepClone(v)
				}
			}
		}
		if n.els != nil {
			del, err := ev.eval(n.els, m, f.fr)
			if err != nil {
				return nil, err
			}
			if IsUndefined(del) {
				continue
			}
			if !isString(del) && !isArrayOfStrings(del) {
				return nil, errv("T2012", n.els.pos, "", del)
			}
			if isMap {
				for _, k := range itemsOf(del) {
					delete(mm, k.(string))
				}
			}
		}
	}
	return result, nil
}
