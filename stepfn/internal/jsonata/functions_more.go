package jsonata

import (
	"errors"
	"math"

	"github.com/minicloud/minicloud/stepfn/internal/jsonata/picture"
)

// ---------------- array functions ----------------

func defineArrayFuncs() {
	def("count", "<a:n>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return 0.0, nil
		}
		return float64(len(itemsOf(v))), nil
	})
	def("append", "<xx:a>", func(c *Call, a []any) (any, error) {
		x, y := arg(a, 0), arg(a, 1)
		if IsUndefined(x) {
			return y, nil
		}
		if IsUndefined(y) {
			return x, nil
		}
		out := append([]any{}, itemsOf(x)...)
		return append(out, itemsOf(y)...), nil
	})
	def("sort", "<af?:a>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		items := itemsOf(v)
		if len(items) <= 1 {
			return v, nil
		}
		cmp := arg(a, 1)
		var after func(x, y int) bool
		var sortErr error
		if IsUndefined(cmp) {
			if !isArrayOfNumbers(v) && !isArrayOfStrings(v) {
				return nil, c.err("D3070", errInfo{index: 1})
			}
			after = func(x, y int) bool {
				if s, ok := items[x].(string); ok {
					return jsLess(items[y].(string), s)
				}
				return num(items[x]) > num(items[y])
			}
		} else {
			after = func(x, y int) bool {
				if sortErr != nil {
					return false
				}
				r, err := c.ev.apply(cmp, []any{items[x], items[y]}, c.Input, c.fr, c.Position, c.name)
				if err != nil {
					sortErr = err
					return false
				}
				return truthy(r)
			}
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
		return out, nil
	})
	def("reverse", "<a:a>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		items := itemsOf(v)
		out := make([]any, len(items))
		for i, x := range items {
			out[len(items)-1-i] = x
		}
		return out, nil
	})
	def("shuffle", "<a:a>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		out := append([]any{}, itemsOf(v)...)
		for i := len(out) - 1; i > 0; i-- {
			j := int(math.Floor(c.ev.rand() * float64(i+1)))
			if j > i {
				j = i
			}
			out[i], out[j] = out[j], out[i]
		}
		return out, nil
	})
	def("distinct", "<x:x>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		items, ok := asArray(v)
		if !ok || len(items) <= 1 {
			return v, nil
		}
		var out []any
	next:
		for _, x := range items {
			for _, y := range out {
				if deepEqual(x, y) {
					continue next
				}
			}
			out = append(out, x)
		}
		if isSeq(v) {
			return newSeq(out...), nil
		}
		return out, nil
	})
	def("zip", "<a+>", func(c *Call, a []any) (any, error) {
		if len(a) == 0 {
			return []any{}, nil
		}
		n := math.MaxInt
		lists := make([][]any, len(a))
		for i, x := range a {
			if IsUndefined(x) {
				return []any{}, nil
			}
			lists[i] = itemsOf(x)
			n = min(n, len(lists[i]))
		}
		out := make([]any, 0, n)
		for i := 0; i < n; i++ {
			t := make([]any, len(lists))
			for j := range lists {
				t[j] = lists[j][i]
			}
			out = append(out, t)
		}
		return out, nil
	})
}

// ---------------- object functions ----------------

func defineObjectFuncs() {
	def("keys", "<x-:a<s>>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		out := newSeq()
		switch x := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(x) {
				out.items = append(out.items, k)
			}
		case []any, *seq:
			seen := map[string]bool{}
			for _, it := range itemsOf(x) {
				if m, ok := it.(map[string]any); ok {
					for _, k := range sortedKeys(m) {
						if !seen[k] {
							seen[k] = true
							out.items = append(out.items, k)
						}
					}
				}
			}
		}
		return out, nil
	})
	def("lookup", "<x-s:x>", func(c *Call, a []any) (any, error) {
		key, _ := arg(a, 1).(string)
		return lookupField(arg(a, 0), key), nil
	})
	def("spread", "<x-:a<o>>", func(c *Call, a []any) (any, error) {
		return spread(arg(a, 0)), nil
	})
	def("merge", "<a<o>:o>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		out := map[string]any{}
		for _, it := range itemsOf(v) {
			if m, ok := it.(map[string]any); ok {
				for k, x := range m {
					out[k] = x
				}
			}
		}
		return out, nil
	})
	def("sift", "<o-f?:o>", func(c *Call, a []any) (any, error) {
		m, ok := arg(a, 0).(map[string]any)
		if !ok {
			return Undefined, nil
		}
		fn := arg(a, 1)
		out := map[string]any{}
		for _, k := range sortedKeys(m) {
			r, err := c.ev.apply(fn, hofArgs(fn, m[k], k, m), c.Input, c.fr, c.Position, c.name)
			if err != nil {
				return nil, err
			}
			if truthy(r) {
				out[k] = m[k]
			}
		}
		if len(out) == 0 {
			return Undefined, nil
		}
		return out, nil
	})
	def("each", "<o-f:a>", func(c *Call, a []any) (any, error) {
		m, ok := arg(a, 0).(map[string]any)
		if !ok {
			return Undefined, nil
		}
		fn := arg(a, 1)
		out := newSeq()
		for _, k := range sortedKeys(m) {
			r, err := c.ev.apply(fn, hofArgs(fn, m[k], k, m), c.Input, c.fr, c.Position, c.name)
			if err != nil {
				return nil, err
			}
			if !IsUndefined(r) {
				out.items = append(out.items, r)
			}
		}
		return out, nil
	})
	def("error", "<s?:x>", func(c *Call, a []any) (any, error) {
		msg, ok := arg(a, 0).(string)
		if !ok {
			msg = "$error() function evaluated"
		}
		return nil, c.err("D3137", errInfo{message: msg})
	})
	def("assert", "<bs?:x>", func(c *Call, a []any) (any, error) {
		if b, _ := arg(a, 0).(bool); b {
			return Undefined, nil
		}
		msg, ok := arg(a, 1).(string)
		if !ok {
			msg = "$assert() statement failed"
		}
		return nil, c.err("D3141", errInfo{message: msg})
	})
	def("type", "<x:s>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsFunction(v) {
			return "function", nil
		}
		if isNumber(v) {
			return "number", nil
		}
		switch v.(type) {
		case undef:
			return Undefined, nil
		case nil:
			return "null", nil
		case string:
			return "string", nil
		case bool:
			return "boolean", nil
		case []any, *seq:
			return "array", nil
		case map[string]any:
			return "object", nil
		}
		return Undefined, nil
	})
	def("boolean", "<x-:b>", func(c *Call, a []any) (any, error) {
		b, ok := toBoolean(arg(a, 0))
		if !ok {
			return Undefined, nil
		}
		return b, nil
	})
	def("not", "<x-:b>", func(c *Call, a []any) (any, error) {
		b, ok := toBoolean(arg(a, 0))
		if !ok {
			return Undefined, nil
		}
		return !b, nil
	})
	def("exists", "<x:b>", func(c *Call, a []any) (any, error) {
		return !IsUndefined(arg(a, 0)), nil
	})
	def("clone", "<(oa)-:o>", func(c *Call, a []any) (any, error) {
		return deepClone(arg(a, 0)), nil
	})
}

func spread(v any) any {
	switch x := v.(type) {
	case []any, *seq:
		var out any = newSeq()
		for _, it := range itemsOf(x) {
			out = appendValues(out, spread(it))
		}
		return out
	case map[string]any:
		out := newSeq()
		for _, k := range sortedKeys(x) {
			out.items = append(out.items, map[string]any{k: x[k]})
		}
		return out
	}
	return v
}

// hofArgs gives a callback only as many of (value, index/key, whole) as
// it declares.
func hofArgs(fn any, a, b, c any) []any {
	n := arity(fn)
	args := []any{a}
	if n >= 2 {
		args = append(args, b)
	}
	if n >= 3 {
		args = append(args, c)
	}
	return args
}

// ---------------- higher-order functions ----------------

func defineHigherOrderFuncs() {
	def("map", "<af>", func(c *Call, a []any) (any, error) {
		v, fn := arg(a, 0), arg(a, 1)
		if IsUndefined(v) {
			return Undefined, nil
		}
		items := itemsOf(v)
		out := newSeq()
		for i, it := range items {
			r, err := c.ev.apply(fn, hofArgs(fn, it, float64(i), v), c.Input, c.fr, c.Position, c.name)
			if err != nil {
				return nil, err
			}
			if !IsUndefined(r) {
				out.items = append(out.items, r)
			}
		}
		return out, nil
	})
	def("filter", "<af>", func(c *Call, a []any) (any, error) {
		v, fn := arg(a, 0), arg(a, 1)
		if IsUndefined(v) {
			return Undefined, nil
		}
		out := newSeq()
		for i, it := range itemsOf(v) {
			r, err := c.ev.apply(fn, hofArgs(fn, it, float64(i), v), c.Input, c.fr, c.Position, c.name)
			if err != nil {
				return nil, err
			}
			if truthy(r) {
				out.items = append(out.items, it)
			}
		}
		return out, nil
	})
	def("single", "<af?>", func(c *Call, a []any) (any, error) {
		v, fn := arg(a, 0), arg(a, 1)
		if IsUndefined(v) {
			return Undefined, nil
		}
		found := false
		var result any = Undefined
		for i, it := range itemsOf(v) {
			ok := true
			if !IsUndefined(fn) {
				r, err := c.ev.apply(fn, hofArgs(fn, it, float64(i), v), c.Input, c.fr, c.Position, c.name)
				if err != nil {
					return nil, err
				}
				ok = truthy(r)
			}
			if ok {
				if found {
					return nil, c.err("D3138", errInfo{})
				}
				found = true
				result = it
			}
		}
		if !found {
			return nil, c.err("D3139", errInfo{})
		}
		return result, nil
	})
	def("reduce", "<afj?:j>", func(c *Call, a []any) (any, error) {
		v, fn, init := arg(a, 0), arg(a, 1), arg(a, 2)
		if IsUndefined(v) {
			return Undefined, nil
		}
		n := arity(fn)
		if n < 2 {
			return nil, c.err("D3050", errInfo{index: 1})
		}
		items := itemsOf(v)
		result := init
		i := 0
		if IsUndefined(init) && len(items) > 0 {
			result = items[0]
			i = 1
		}
		for ; i < len(items); i++ {
			args := []any{result, items[i]}
			if n >= 3 {
				args = append(args, float64(i))
			}
			if n >= 4 {
				args = append(args, v)
			}
			r, err := c.ev.apply(fn, args, c.Input, c.fr, c.Position, c.name)
			if err != nil {
				return nil, err
			}
			result = r
		}
		return result, nil
	})
}

// ---------------- date/time and picture functions ----------------

func pictureErr(c *Call, err error) error {
	var pe *picture.Error
	if errors.As(err, &pe) {
		return &Error{Code: pe.Code, Position: c.Position, Token: c.name, Message: pe.Message}
	}
	return &Error{Code: "D3137", Position: c.Position, Token: c.name, Message: err.Error()}
}

func optString(v any) string {
	s, _ := v.(string)
	return s
}

func defineDateFuncs() {
	def("millis", "<:n>", func(c *Call, a []any) (any, error) {
		return float64(c.ev.now.UnixMilli()), nil
	})
	def("now", "<s?s?:s>", func(c *Call, a []any) (any, error) {
		s, err := picture.FormatDateTime(c.ev.now.UnixMilli(), optString(arg(a, 0)), optString(arg(a, 1)))
		if err != nil {
			return nil, pictureErr(c, err)
		}
		return s, nil
	})
	def("fromMillis", "<n-s?s?:s>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		s, err := picture.FormatDateTime(int64(math.Floor(num(v))), optString(arg(a, 1)), optString(arg(a, 2)))
		if err != nil {
			return nil, pictureErr(c, err)
		}
		return s, nil
	})
	def("toMillis", "<s-s?:n>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		ms, good, err := picture.ParseDateTimeAt(s, optString(arg(a, 1)), c.ev.now)
		if err != nil {
			return nil, pictureErr(c, err)
		}
		if !good {
			return Undefined, nil
		}
		return float64(ms), nil
	})
	def("formatNumber", "<n-so?:s>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		var opts map[string]string
		if m, ok := arg(a, 2).(map[string]any); ok {
			opts = map[string]string{}
			for k, x := range m {
				if s, ok := x.(string); ok {
					opts[k] = s
				}
			}
		}
		s, err := picture.FormatNumber(num(v), optString(arg(a, 1)), opts)
		if err != nil {
			return nil, pictureErr(c, err)
		}
		return s, nil
	})
	def("formatBase", "<n-n?:s>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		radix := 10
		if r := arg(a, 1); !IsUndefined(r) {
			radix = int(num(r))
		}
		s, err := picture.FormatBase(num(v), radix)
		if err != nil {
			return nil, pictureErr(c, err)
		}
		return s, nil
	})
	def("formatInteger", "<n-s:s>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		s, err := picture.FormatInteger(num(v), optString(arg(a, 1)))
		if err != nil {
			return nil, pictureErr(c, err)
		}
		return s, nil
	})
	def("parseInteger", "<s-s:n>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		f, err := picture.ParseInteger(s, optString(arg(a, 1)))
		if err != nil {
			return nil, pictureErr(c, err)
		}
		if math.IsNaN(f) {
			return Undefined, nil
		}
		return f, nil
	})
}
