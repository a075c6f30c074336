package jsonata

import (
	"encoding/json"
	"math"
	"sort"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// undef is the type of Undefined.
type undef struct{}

// Undefined is JSONata's undefined ("nothing"): the result of a path that
// matches nothing. It is distinct from nil, which is JSON null.
var Undefined any = undef{}

// IsUndefined reports whether v is Undefined.
func IsUndefined(v any) bool {
	_, ok := v.(undef)
	return ok
}

// seq is a JSONata sequence or a constructed array: a slice with the
// flags that jsonata-js keeps as properties on its arrays.
type seq struct {
	items         []any
	sequence      bool // a result sequence (collapses at expression boundaries)
	cons          bool // built by an array constructor (not flattened by path steps)
	keepSingleton bool // [] was applied: a sequence of one stays an array
	outerWrapper  bool // the wrapper put around an array input document
	tupleStream   bool // items are tuples (map[string]any with "@")
}

func newSeq(items ...any) *seq {
	if items == nil {
		items = []any{}
	}
	return &seq{items: items, sequence: true}
}

// tuple is one binding set of a tuple stream.
type tuple = map[string]any

// asArray returns the items of an array value (plain or sequence).
func asArray(v any) ([]any, bool) {
	switch a := v.(type) {
	case []any:
		return a, true
	case *seq:
		return a.items, true
	}
	return nil, false
}

func isSeq(v any) bool {
	s, ok := v.(*seq)
	return ok && s.sequence
}

// toNumber returns v as float64 if it is a JSON number.
func toNumber(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		if err != nil {
			return 0, false
		}
		return f, true
	case int:
		return float64(n), true
	case int64:
		return float64(n), true
	case int32:
		return float64(n), true
	case float32:
		return float64(n), true
	case uint:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case int16:
		return float64(n), true
	case int8:
		return float64(n), true
	case uint16:
		return float64(n), true
	case uint8:
		return float64(n), true
	}
	return 0, false
}

func isNumber(v any) bool {
	_, ok := toNumber(v)
	return ok
}

func isString(v any) bool {
	_, ok := v.(string)
	return ok
}

func isArrayOfStrings(v any) bool {
	a, ok := asArray(v)
	if !ok {
		return false
	}
	for _, x := range a {
		if !isString(x) {
			return false
		}
	}
	return true
}

func isArrayOfNumbers(v any) bool {
	a, ok := asArray(v)
	if !ok {
		return false
	}
	for _, x := range a {
		if !isNumber(x) {
			return false
		}
	}
	return true
}

// sortedKeys returns the keys of m in sorted order. Go maps do not keep
// insertion order, so wherever jsonata-js depends on key order ($keys,
// $each, $spread, *, **, $string of objects) this package uses sorted
// order instead.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// plain converts internal values (sequences) to the plain values of the
// API: []any for arrays, Undefined for an empty sequence. Containers that
// hold no internal values are returned as they are.
func plain(v any) any {
	out, _ := plainv(v, 0)
	return out
}

func plainv(v any, depth int) (any, bool) {
	if depth > 10000 {
		return v, false
	}
	switch x := v.(type) {
	case float64:
		if x == 0 && math.Signbit(x) {
			return 0.0, true // JSON has no negative zero
		}
		return x, false
	case *seq:
		out := make([]any, 0, len(x.items))
		for _, it := range x.items {
			p, _ := plainv(it, depth+1)
			if IsUndefined(p) {
				continue
			}
			out = append(out, p)
		}
		return out, true
	case []any:
		var out []any
		for i, it := range x {
			p, ch := plainv(it, depth+1)
			if ch && out == nil {
				out = make([]any, len(x))
				copy(out, x)
			}
			if out != nil {
				out[i] = p
			}
		}
		if out != nil {
			return out, true
		}
		return x, false
	case map[string]any:
		var out map[string]any
		for k, it := range x {
			p, ch := plainv(it, depth+1)
			if ch && out == nil {
				out = make(map[string]any, len(x))
				for k2, v2 := range x {
					out[k2] = v2
				}
			}
			if out != nil {
				if IsUndefined(p) {
					delete(out, k)
				} else {
					out[k] = p
				}
			}
		}
		if out != nil {
			return out, true
		}
		return x, false
	}
	return v, false
}

// formatNumber renders f as JavaScript's Number.prototype.toString does.
func formatNumber(f float64) string {
	if math.IsNaN(f) {
		return "NaN"
	}
	if math.IsInf(f, 1) {
		return "Infinity"
	}
	if math.IsInf(f, -1) {
		return "-Infinity"
	}
	if f == 0 {
		return "0"
	}
	neg := f < 0
	if neg {
		f = -f
	}
	// shortest round-trip digits and exponent
	s := strconv.FormatFloat(f, 'e', -1, 64)
	mant, expS, _ := strings.Cut(s, "e")
	exp, _ := strconv.Atoi(expS)
	digits := strings.Replace(mant, ".", "", 1)
	k := len(digits)
	n := exp + 1 // position of decimal point relative to digits
	var out string
	switch {
	case k <= n && n <= 21:
		out = digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		out = digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		out = "0." + strings.Repeat("0", -n) + digits
	default:
		e := n - 1
		sign := "+"
		if e < 0 {
			sign = "-"
			e = -e
		}
		if k == 1 {
			out = digits + "e" + sign + strconv.Itoa(e)
		} else {
			out = digits[:1] + "." + digits[1:] + "e" + sign + strconv.Itoa(e)
		}
	}
	if neg {
		return "-" + out
	}
	return out
}

// precision15 rounds f to 15 significant digits as jsonata-js does
// before rendering numbers as strings.
func precision15(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return f
	}
	// ParseFloat returns ±Inf with a range error when rounding up went
	// past the largest float64, which is what JavaScript gets too
	g, _ := strconv.ParseFloat(strconv.FormatFloat(f, 'g', 15, 64), 64)
	return g
}

// quoteJSON renders s as JSON.stringify does.
func quoteJSON(b *strings.Builder, s string) {
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 {
				b.WriteString(`\u00`)
				b.WriteByte("0123456789abcdef"[r>>4])
				b.WriteByte("0123456789abcdef"[r&0xF])
			} else if r == utf8.RuneError {
				b.WriteString(`\ufffd`)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
}

// stringify renders v as JSON.stringify would in jsonata-js's $string:
// numbers to 15 significant digits, functions as "", undefined members
// dropped, object keys in sorted order.
func stringify(v any, pretty bool) (string, error) {
	var b strings.Builder
	if err := writeJSON(&b, v, pretty, "", 0, false); err != nil {
		return "", err
	}
	return b.String(), nil
}

func writeJSON(b *strings.Builder, v any, pretty bool, indent string, depth int, full bool) error {
	if depth > 5000 {
		return &Error{Code: "U1001", Message: messages["U1001"]}
	}
	if n, ok := toNumber(v); ok {
		if math.IsNaN(n) || math.IsInf(n, 0) {
			b.WriteString("null")
			return nil
		}
		if !full {
			n = precision15(n)
		}
		if math.IsInf(n, 0) {
			b.WriteString("null")
			return nil
		}
		b.WriteString(formatNumber(n))
		return nil
	}
	switch x := v.(type) {
	case nil:
		b.WriteString("null")
	case undef:
		b.WriteString("null")
	case bool:
		if x {
			b.WriteString("true")
		} else {
			b.WriteString("false")
		}
	case string:
		quoteJSON(b, x)
	case []any, *seq:
		items, _ := asArray(x)
		if len(items) == 0 {
			b.WriteString("[]")
			return nil
		}
		b.WriteByte('[')
		inner := indent + "  "
		for i, it := range items {
			if i > 0 {
				b.WriteByte(',')
			}
			if pretty {
				b.WriteByte('\n')
				b.WriteString(inner)
			}
			if IsUndefined(it) {
				b.WriteString("null")
				continue
			}
			if err := writeJSON(b, it, pretty, inner, depth+1, full); err != nil {
				return err
			}
		}
		if pretty {
			b.WriteByte('\n')
			b.WriteString(indent)
		}
		b.WriteByte(']')
	case map[string]any:
		keys := sortedKeys(x)
		inner := indent + "  "
		first := true
		b.WriteByte('{')
		for _, k := range keys {
			val := x[k]
			if IsUndefined(val) {
				continue
			}
			if !first {
				b.WriteByte(',')
			}
			first = false
			if pretty {
				b.WriteByte('\n')
				b.WriteString(inner)
			}
			quoteJSON(b, k)
			b.WriteByte(':')
			if pretty {
				b.WriteByte(' ')
			}
			if err := writeJSON(b, val, pretty, inner, depth+1, full); err != nil {
				return err
			}
		}
		if pretty && !first {
			b.WriteByte('\n')
			b.WriteString(indent)
		}
		b.WriteByte('}')
	default:
		if IsFunction(v) {
			b.WriteString(`""`)
			return nil
		}
		b.WriteString("null")
	}
	return nil
}

// maxDataDepth bounds recursion over nested values.
const maxDataDepth = 10000

// deepEqual compares two values as jsonata-js's deep equality does.
func deepEqual(a, b any) bool { return deepEqualAt(a, b, 0) }

func deepEqualAt(a, b any, depth int) bool {
	if depth > maxDataDepth {
		return false
	}
	if an, ok := toNumber(a); ok {
		bn, ok := toNumber(b)
		return ok && an == bn
	}
	switch x := a.(type) {
	case nil:
		return b == nil
	case undef:
		return IsUndefined(b)
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case string:
		y, ok := b.(string)
		return ok && x == y
	case []any, *seq:
		xa, _ := asArray(x)
		ya, ok := asArray(b)
		if !ok || len(xa) != len(ya) {
			return false
		}
		for i := range xa {
			if !deepEqualAt(xa[i], ya[i], depth+1) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !deepEqualAt(xv, yv, depth+1) {
				return false
			}
		}
		return true
	}
	return a == b
}

// runes helpers: JSONata counts strings in code points.
func runeLen(s string) int { return utf8.RuneCountInString(s) }

// utf16Len counts s in UTF-16 code units (JavaScript string length).
func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return n
}

// jsLess compares strings in UTF-16 code unit order as JavaScript does.
func jsLess(a, b string) bool {
	if isASCII(a) && isASCII(b) {
		return a < b
	}
	ua := utf16.Encode([]rune(a))
	ub := utf16.Encode([]rune(b))
	for i := 0; i < len(ua) && i < len(ub); i++ {
		if ua[i] != ub[i] {
			return ua[i] < ub[i]
		}
	}
	return len(ua) < len(ub)
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}
