package jsonata

import (
	"encoding/base64"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"
)

func defaultRand() float64 { return rand.Float64() }

// builtins is the standard function library; it is built once and never
// changed, so evaluations share it safely.
var builtins map[string]*builtinFn

// jsArity lists the builtins whose jsonata-js implementation declares
// fewer parameters than their signature has; a builtin passed as a
// callback receives that many arguments.
var jsArity = map[string]int{"string": 1, "zip": 0}

func def(name, sig string, impl func(c *Call, args []any) (any, error)) {
	s := mustSig(sig)
	n, ok := jsArity[name]
	if !ok {
		n = len(s.params)
	}
	builtins[name] = &builtinFn{name: name, sig: s, arity: n, impl: impl}
}

func arg(args []any, i int) any {
	if i < len(args) {
		return args[i]
	}
	return Undefined
}

func num(v any) float64 {
	f, _ := toNumber(v)
	return f
}

func init() {
	builtins = map[string]*builtinFn{}
	defineStringFuncs()
	defineNumericFuncs()
	defineArrayFuncs()
	defineObjectFuncs()
	defineHigherOrderFuncs()
	defineDateFuncs()
}

// ---------------- string functions ----------------

func defineStringFuncs() {
	def("string", "<x-b?:s>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		pretty := false
		if b, ok := arg(a, 1).(bool); ok {
			pretty = b
		}
		return toJSString(v, pretty, c.Position)
	})
	def("length", "<s-:n>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		return float64(runeLen(s)), nil
	})
	def("substring", "<s-nn?:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		rs := []rune(s)
		n := len(rs)
		start := num(arg(a, 1))
		if start < 0 {
			start = math.Max(0, float64(n)+start)
		}
		st := int(math.Min(start, float64(n)))
		if IsUndefined(arg(a, 2)) {
			return string(rs[st:]), nil
		}
		l := num(arg(a, 2))
		if l <= 0 {
			return "", nil
		}
		end := math.Min(float64(st)+l, float64(n))
		return string(rs[st:int(end)]), nil
	})
	def("substringBefore", "<s-s:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		chars, ok := arg(a, 1).(string)
		if !ok {
			return s, nil
		}
		if i := strings.Index(s, chars); i >= 0 {
			return s[:i], nil
		}
		return s, nil
	})
	def("substringAfter", "<s-s:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		chars, ok := arg(a, 1).(string)
		if !ok {
			return s, nil
		}
		if i := strings.Index(s, chars); i >= 0 {
			return s[i+len(chars):], nil
		}
		return s, nil
	})
	def("uppercase", "<s-:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		return strings.ToUpper(s), nil
	})
	def("lowercase", "<s-:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		return strings.ToLower(s), nil
	})
	def("trim", "<s-:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		var b strings.Builder
		space := false
		for _, r := range s {
			if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
				space = true
				continue
			}
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(r)
		}
		return b.String(), nil
	})
	def("pad", "<s-ns?:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		width := num(arg(a, 1))
		ch, ok := arg(a, 2).(string)
		if !ok || ch == "" {
			ch = " "
		}
		if math.Abs(width) > maxRange {
			return nil, c.err("D2016", errInfo{value: width, hasValue: true})
		}
		n := runeLen(s)
		w := int(math.Abs(width))
		if w <= n || IsUndefined(arg(a, 1)) {
			return s, nil
		}
		pad := []rune(strings.Repeat(ch, w-n+1))[:w-n]
		if width < 0 {
			return string(pad) + s, nil
		}
		return s + string(pad), nil
	})
	def("contains", "<s-(sf):b>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		switch p := arg(a, 1).(type) {
		case string:
			return strings.Contains(s, p), nil
		default:
			if !IsFunction(p) {
				return Undefined, nil
			}
			ms, err := c.allMatches(p, s, 1)
			if err != nil {
				return nil, err
			}
			return len(ms) > 0, nil
		}
	})
	def("split", "<s-(sf)n?:a<s>>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		limit := -1
		if l := arg(a, 2); !IsUndefined(l) {
			f := num(l)
			if f < 0 {
				return nil, c.err("D3020", errInfo{value: l, hasValue: true})
			}
			limit = int(f)
		}
		var parts []string
		switch p := arg(a, 1).(type) {
		case string:
			if p == "" {
				for _, r := range s {
					parts = append(parts, string(r))
				}
			} else {
				parts = strings.Split(s, p)
			}
		default:
			ms, err := c.allMatches(p, s, -1)
			if err != nil {
				return nil, err
			}
			start := 0
			for _, m := range ms {
				parts = append(parts, s[start:m.start])
				start = m.end
			}
			parts = append(parts, s[start:])
		}
		if limit >= 0 && len(parts) > limit {
			parts = parts[:limit]
		}
		out := make([]any, len(parts))
		for i, x := range parts {
			out[i] = x
		}
		return out, nil
	})
	def("join", "<a<s>s?:s>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		sep, _ := arg(a, 1).(string)
		items := itemsOf(v)
		parts := make([]string, len(items))
		for i, x := range items {
			parts[i], _ = x.(string)
		}
		return strings.Join(parts, sep), nil
	})
	def("match", "<s-f<s:o>n?:a<o>>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		limit := -1
		if l := arg(a, 2); !IsUndefined(l) {
			f := num(l)
			if f < 0 {
				return nil, c.err("D3040", errInfo{value: l, hasValue: true})
			}
			limit = int(f)
		}
		ms, err := c.allMatches(arg(a, 1), s, limit)
		if err != nil {
			return nil, err
		}
		out := newSeq()
		for _, m := range ms {
			out.items = append(out.items, map[string]any{
				"match": m.match, "index": float64(byteToUTF16(s, m.start)), "groups": m.groupValues(),
			})
		}
		return out, nil
	})
	def("replace", "<s-(sf)(sf)n?:s>", fnReplace)
	def("base64encode", "<s-:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		// as jsonata-js (Buffer 'binary'): one byte per UTF-16 unit, low 8 bits
		var b []byte
		for _, r := range s {
			if r >= 0x10000 {
				r1, r2 := (r-0x10000)>>10+0xD800, (r-0x10000)&0x3FF+0xDC00
				b = append(b, byte(r1), byte(r2))
			} else {
				b = append(b, byte(r))
			}
		}
		return base64.StdEncoding.EncodeToString(b), nil
	})
	def("base64decode", "<s-:s>", func(c *Call, a []any) (any, error) {
		s, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		clean := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\n' || r == '\r' || r == '\t' {
				return -1
			}
			return r
		}, s)
		clean = strings.TrimRight(clean, "=")
		b, err := base64.RawStdEncoding.DecodeString(clean)
		if err != nil {
			return nil, c.Errorf("D3137", "Invalid base64 string: %s", s)
		}
		var sb strings.Builder
		for _, x := range b {
			sb.WriteRune(rune(x))
		}
		return sb.String(), nil
	})
	def("encodeUrlComponent", "<s-:s>", func(c *Call, a []any) (any, error) {
		return urlEncode(c, a, "-_.!~*'()")
	})
	def("encodeUrl", "<s-:s>", func(c *Call, a []any) (any, error) {
		return urlEncode(c, a, "-_.!~*'();/?:@&=+$,#")
	})
	def("decodeUrlComponent", "<s-:s>", func(c *Call, a []any) (any, error) {
		return urlDecode(c, a, "")
	})
	def("decodeUrl", "<s-:s>", func(c *Call, a []any) (any, error) {
		return urlDecode(c, a, ";/?:@&=+$,#")
	})
	def("eval", "<sx?:x>", func(c *Call, a []any) (any, error) {
		src, ok := arg(a, 0).(string)
		if !ok {
			return Undefined, nil
		}
		input := c.Input
		if f := arg(a, 1); !IsUndefined(f) {
			input = f
			if arr, ok := f.([]any); ok {
				input = &seq{items: []any{arr}, sequence: true, outerWrapper: true}
			}
		}
		root, err := parse(src)
		if err != nil {
			return nil, c.err("D3120", errInfo{value: err.Error(), hasValue: true})
		}
		res, err := c.ev.eval(root, input, c.fr)
		if err != nil {
			if e, ok := err.(*Error); ok && (e.Code == "U1001" || e.Code == "U1002") {
				return nil, e
			}
			return nil, c.err("D3121", errInfo{value: err.Error(), hasValue: true})
		}
		return res, nil
	})
}

func fnReplace(c *Call, a []any) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return Undefined, nil
	}
	pattern := arg(a, 1)
	if p, ok := pattern.(string); ok && p == "" {
		return nil, c.err("D3010", errInfo{value: p, hasValue: true})
	}
	limit := -1
	if l := arg(a, 3); !IsUndefined(l) {
		f := num(l)
		if f < 0 {
			return nil, c.err("D3011", errInfo{value: l, hasValue: true})
		}
		limit = int(f)
	}
	repl := arg(a, 2)
	if IsUndefined(repl) {
		return Undefined, nil
	}
	if p, ok := pattern.(string); ok {
		r, _ := repl.(string)
		if !ok || !isString(repl) {
			if IsFunction(repl) {
				// a function replacement with a string pattern gets a match object
				var b strings.Builder
				pos, count := 0, 0
				for {
					i := strings.Index(s[pos:], p)
					if i < 0 || (limit >= 0 && count >= limit) {
						break
					}
					b.WriteString(s[pos : pos+i])
					obj := rmatch{match: p, start: pos + i, end: pos + i + len(p)}.object(s)
					v, err := c.ev.apply(repl, []any{obj}, c.Input, c.fr, c.Position, c.name)
					if err != nil {
						return nil, err
					}
					vs, ok := v.(string)
					if !ok {
						return nil, c.err("D3012", errInfo{value: v, hasValue: true})
					}
					b.WriteString(vs)
					pos += i + len(p)
					count++
				}
				b.WriteString(s[pos:])
				return b.String(), nil
			}
		}
		if limit < 0 {
			return strings.ReplaceAll(s, p, r), nil
		}
		return strings.Replace(s, p, r, limit), nil
	}
	ms, err := c.allMatches(pattern, s, limit)
	if err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return s, nil
	}
	var b strings.Builder
	pos := 0
	for _, m := range ms {
		b.WriteString(s[pos:m.start])
		switch r := repl.(type) {
		case string:
			b.WriteString(expandReplacement(r, m))
		default:
			// the function sees the matcher's object: match, start, end, groups
			obj := m.object(s)
			v, err := c.ev.apply(repl, []any{obj}, c.Input, c.fr, c.Position, c.name)
			if err != nil {
				return nil, err
			}
			vs, ok := v.(string)
			if !ok {
				return nil, c.err("D3012", errInfo{value: v, hasValue: true})
			}
			b.WriteString(vs)
		}
		pos = m.start + len(m.match)
	}
	b.WriteString(s[pos:])
	return b.String(), nil
}

// expandReplacement substitutes $0, $1.. and $$ as jsonata-js does.
func expandReplacement(r string, m rmatch) string {
	var b strings.Builder
	pos := 0
	for pos < len(r) {
		i := strings.IndexByte(r[pos:], '$')
		if i < 0 {
			break
		}
		b.WriteString(r[pos : pos+i])
		pos += i + 1
		if pos >= len(r) {
			b.WriteByte('$')
			return b.String()
		}
		d := r[pos]
		if d == '$' {
			b.WriteByte('$')
			pos++
			continue
		}
		if d == '0' {
			b.WriteString(m.match)
			pos++
			continue
		}
		maxDigits := 1
		if len(m.groups) > 0 {
			maxDigits = int(math.Floor(math.Log10(float64(len(m.groups))))) + 1
		}
		end := pos + maxDigits
		if end > len(r) {
			end = len(r)
		}
		idx, err := strconv.Atoi(leadingDigits(r[pos:end]))
		if err == nil && maxDigits > 1 && idx > len(m.groups) {
			idx, err = strconv.Atoi(leadingDigits(r[pos : end-1]))
		}
		if err != nil {
			b.WriteByte('$')
			continue
		}
		if len(m.groups) > 0 && idx >= 1 && idx <= len(m.groups) {
			b.WriteString(m.groups[idx-1])
		}
		pos += len(strconv.Itoa(idx))
	}
	b.WriteString(r[pos:])
	return b.String()
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	return s[:i]
}

func urlEncode(c *Call, a []any, keep string) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return Undefined, nil
	}
	if !utf8.ValidString(s) {
		return nil, c.err("D3140", errInfo{value: s, hasValue: true})
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || strings.IndexByte(keep, ch) >= 0 {
			b.WriteByte(ch)
			continue
		}
		b.WriteByte('%')
		b.WriteByte("0123456789ABCDEF"[ch>>4])
		b.WriteByte("0123456789ABCDEF"[ch&15])
	}
	return b.String(), nil
}

func unhex(c byte) int {
	switch {
	case c >= '0' && c <= '9':
		return int(c - '0')
	case c >= 'a' && c <= 'f':
		return int(c-'a') + 10
	case c >= 'A' && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

func urlDecode(c *Call, a []any, reserved string) (any, error) {
	s, ok := arg(a, 0).(string)
	if !ok {
		return Undefined, nil
	}
	bad := func() (any, error) { return nil, c.err("D3140", errInfo{value: s, hasValue: true}) }
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			out = append(out, s[i])
			continue
		}
		if i+2 >= len(s) || unhex(s[i+1]) < 0 || unhex(s[i+2]) < 0 {
			return bad()
		}
		v := byte(unhex(s[i+1])<<4 | unhex(s[i+2]))
		if v < 0x80 && strings.IndexByte(reserved, v) >= 0 {
			out = append(out, s[i:i+3]...)
		} else {
			out = append(out, v)
		}
		i += 2
	}
	if !utf8.Valid(out) {
		return bad()
	}
	return string(out), nil
}

// ---------------- numeric functions ----------------

func defineNumericFuncs() {
	def("number", "<(nsb)-:n>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		if f, ok := toNumber(v); ok {
			return f, nil
		}
		switch x := v.(type) {
		case bool:
			if x {
				return 1.0, nil
			}
			return 0.0, nil
		case string:
			if f, ok := parseJSONataNumber(x); ok {
				return f, nil
			}
		}
		return nil, c.err("D3030", errInfo{value: v, hasValue: true, index: 1})
	})
	def("abs", "<n-:n>", numFn(math.Abs))
	def("floor", "<n-:n>", numFn(math.Floor))
	def("ceil", "<n-:n>", numFn(math.Ceil))
	def("round", "<n-n?:n>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		p := 0
		if pv := arg(a, 1); !IsUndefined(pv) {
			p = int(num(pv))
		}
		return roundHalfEven(num(v), p), nil
	})
	def("power", "<n-n:n>", func(c *Call, a []any) (any, error) {
		b, e := arg(a, 0), arg(a, 1)
		if IsUndefined(b) {
			return Undefined, nil
		}
		r := math.Pow(num(b), num(e))
		if math.IsNaN(r) || math.IsInf(r, 0) {
			return nil, c.err("D3061", errInfo{value: b, value2: e, hasValue: true, hasValue2: true})
		}
		return r, nil
	})
	def("sqrt", "<n-:n>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		f := num(v)
		if f < 0 {
			return nil, c.err("D3060", errInfo{value: v, hasValue: true})
		}
		return math.Sqrt(f), nil
	})
	def("random", "<:n>", func(c *Call, a []any) (any, error) {
		return c.ev.rand(), nil
	})
	def("sum", "<a<n>:n>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		t := 0.0
		for _, x := range itemsOf(v) {
			t += num(x)
		}
		return t, nil
	})
	def("max", "<a<n>:n>", func(c *Call, a []any) (any, error) {
		return extreme(arg(a, 0), func(x, y float64) bool { return x > y })
	})
	def("min", "<a<n>:n>", func(c *Call, a []any) (any, error) {
		return extreme(arg(a, 0), func(x, y float64) bool { return x < y })
	})
	def("average", "<a<n>:n>", func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		items := itemsOf(v)
		if len(items) == 0 {
			return Undefined, nil
		}
		t := 0.0
		for _, x := range items {
			t += num(x)
		}
		return t / float64(len(items)), nil
	})
}

func numFn(f func(float64) float64) func(c *Call, a []any) (any, error) {
	return func(c *Call, a []any) (any, error) {
		v := arg(a, 0)
		if IsUndefined(v) {
			return Undefined, nil
		}
		r := f(num(v))
		if r == 0 {
			r = 0 // no negative zero: JSON has none
		}
		return r, nil
	}
}

func extreme(v any, better func(x, y float64) bool) (any, error) {
	if IsUndefined(v) {
		return Undefined, nil
	}
	items := itemsOf(v)
	if len(items) == 0 {
		return Undefined, nil
	}
	best := num(items[0])
	for _, x := range items[1:] {
		if f := num(x); better(f, best) {
			best = f
		}
	}
	return best, nil
}

// parseJSONataNumber accepts JSON number syntax and, as JSONata 2 does,
// 0x / 0o / 0b prefixed integers.
func parseJSONataNumber(s string) (float64, bool) {
	if len(s) > 2 && s[0] == '0' {
		base := 0
		switch s[1] {
		case 'x', 'X':
			base = 16
		case 'o', 'O':
			base = 8
		case 'b', 'B':
			base = 2
		}
		if base != 0 {
			v, err := strconv.ParseUint(s[2:], base, 64)
			if err != nil {
				return 0, false
			}
			return float64(v), true
		}
	}
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
		digits++
	}
	if digits == 0 {
		return 0, false
	}
	if i < len(s) && s[i] == '.' {
		i++
		d := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			d++
		}
		if d == 0 {
			return 0, false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		d := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
			d++
		}
		if d == 0 {
			return 0, false
		}
	}
	if i != len(s) {
		return 0, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsInf(f, 0) {
		return 0, false
	}
	return f, true
}

// shiftDecimal multiplies f by 10^p through its decimal text, as
// jsonata-js does to avoid binary rounding surprises.
func shiftDecimal(f float64, p int) float64 {
	s := formatNumber(f)
	mant, exp, found := strings.Cut(s, "e")
	e := 0
	if found {
		e, _ = strconv.Atoi(exp)
	}
	r, err := strconv.ParseFloat(mant+"e"+strconv.Itoa(e+p), 64)
	if err != nil {
		return f * math.Pow(10, float64(p))
	}
	return r
}

func roundHalfEven(f float64, p int) float64 {
	v := f
	if p != 0 {
		v = shiftDecimal(f, p)
	}
	r := math.Floor(v + 0.5) // JavaScript Math.round
	if math.Abs(r-v) == 0.5 && math.Mod(math.Abs(r), 2) == 1 {
		r--
	}
	if p != 0 {
		r = shiftDecimal(r, -p)
	}
	if r == 0 {
		r = 0
	}
	return r
}
