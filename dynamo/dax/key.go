package dax

import (
	"bytes"
	"slices"
	"strconv"
	"strings"

	"github.com/minicloud/minicloud/dynamo"
)

// Cache keys are built from the parts of a request that decide its
// result, each written with its length so that no two requests share a
// key: the table, the item's key (numbers in DynamoDB's canonical form, so
// that 1.50 and 1.5 are one key), and for reads the projection and names.

type keyWriter struct{ buf []byte }

func (w *keyWriter) str(s string) {
	w.buf = appendLen(w.buf, len(s))
	w.buf = append(w.buf, ':')
	w.buf = append(w.buf, s...)
}

// appendLen appends n in decimal without the allocation strconv makes
// for small numbers.
func appendLen(dst []byte, n int) []byte {
	if n < 10 {
		return append(dst, byte('0'+n))
	}
	return strconv.AppendInt(dst, int64(n), 10)
}

func (w *keyWriter) num(n int) {
	w.buf = appendLen(w.buf, n)
	w.buf = append(w.buf, '#')
}

// sortedKeys returns a map's keys in order, in dst when it is big enough.
func sortedKeys[V any](m map[string]V, dst []string) []string {
	keys := dst[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func (w *keyWriter) names(m map[string]string) {
	var arr [4]string
	keys := sortedKeys(m, arr[:])
	w.num(len(keys))
	for _, k := range keys {
		w.str(k)
		w.str(m[k])
	}
}

func (w *keyWriter) item(item dynamo.Item) {
	var arr [4]string
	keys := sortedKeys(item, arr[:])
	w.num(len(keys))
	for _, k := range keys {
		w.str(k)
		w.value(item[k])
	}
}

func (w *keyWriter) value(v dynamo.AttributeValue) {
	if v == nil {
		w.str("nil")
		return
	}
	w.str(v.Type())
	switch v := v.(type) {
	case dynamo.S:
		w.str(string(v))
	case dynamo.N:
		w.str(canonicalNumber(string(v)))
	case dynamo.B:
		w.str(string(v))
	case dynamo.BOOL:
		w.str(strconv.FormatBool(bool(v)))
	case dynamo.NULL:
	case dynamo.SS:
		w.strs(v)
	case dynamo.NS:
		ns := make([]string, len(v))
		for i, n := range v {
			ns[i] = canonicalNumber(n)
		}
		w.strs(ns)
	case dynamo.BS:
		bs := make([]string, len(v))
		for i, b := range v {
			bs[i] = string(b)
		}
		w.strs(bs)
	case dynamo.L:
		w.num(len(v))
		for _, e := range v {
			w.value(e)
		}
	case dynamo.M:
		w.item(dynamo.Item(v))
	}
}

func (w *keyWriter) strs(ss []string) {
	w.num(len(ss))
	for _, s := range ss {
		w.str(s)
	}
}

// canonicalNumber returns the text DynamoDB stores for a number: plain
// decimal notation, no sign for zero, no '+', no leading zeros, no
// trailing zeros after the point ("1E+3" is "1000", "01.50" is "1.5").
// Text that is not a number comes back unchanged; DynamoDB refuses it
// anyway.
func canonicalNumber(s string) string {
	if isCanonical(s) {
		return s
	}
	t := s
	neg := false
	if t != "" && (t[0] == '+' || t[0] == '-') {
		neg = t[0] == '-'
		t = t[1:]
	}
	mant, exp := t, 0
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		e, err := strconv.Atoi(t[i+1:])
		if err != nil || e > 1000 || e < -1000 {
			return s
		}
		mant, exp = t[:i], e
	}
	whole, frac, _ := strings.Cut(mant, ".")
	if whole == "" && frac == "" {
		return s
	}
	digits := whole + frac
	for _, c := range digits {
		if c < '0' || c > '9' {
			return s
		}
	}
	exp -= len(frac)
	digits = strings.TrimLeft(digits, "0")
	if digits == "" {
		return "0"
	}
	trimmed := strings.TrimRight(digits, "0")
	exp += len(digits) - len(trimmed)
	digits = trimmed
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch point := len(digits) + exp; {
	case exp >= 0:
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", exp))
	case point <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -point))
		b.WriteString(digits)
	default:
		b.WriteString(digits[:point])
		b.WriteByte('.')
		b.WriteString(digits[point:])
	}
	return b.String()
}

// isCanonical reports whether s is already in canonical form: digits,
// an optional '-' and at most one '.', no leading zero unless the whole
// part is "0", no trailing zero after the point, and not "-0".
func isCanonical(s string) bool {
	t := strings.TrimPrefix(s, "-")
	if t == "" || t == "0" && len(s) != len(t) {
		return false
	}
	whole, frac, hasPoint := strings.Cut(t, ".")
	if whole == "" || len(whole) > 1 && whole[0] == '0' || hasPoint && (frac == "" || frac[len(frac)-1] == '0') {
		return false
	}
	if whole == "0" && hasPoint && strings.Trim(frac, "0") == "" {
		return false
	}
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			if part[i] < '0' || part[i] > '9' {
				return false
			}
		}
	}
	return true
}

// canonicalItem returns a deep copy of item with its numbers in canonical
// form, as DynamoDB would return it.
func canonicalItem(item dynamo.Item) dynamo.Item {
	if item == nil {
		return nil
	}
	out := make(dynamo.Item, len(item))
	for k, v := range item {
		out[k] = canonicalValue(v)
	}
	return out
}

func canonicalValue(v dynamo.AttributeValue) dynamo.AttributeValue {
	switch v := v.(type) {
	case dynamo.N:
		return dynamo.N(canonicalNumber(string(v)))
	case dynamo.NS:
		out := make(dynamo.NS, len(v))
		for i, n := range v {
			out[i] = canonicalNumber(n)
		}
		return out
	case dynamo.L:
		out := make(dynamo.L, len(v))
		for i, e := range v {
			out[i] = canonicalValue(e)
		}
		return out
	case dynamo.M:
		return dynamo.M(canonicalItem(dynamo.Item(v)))
	}
	return copyValue(v)
}

// copyItem returns a deep copy, so that a caller never shares memory with
// the cache.
func copyItem(item dynamo.Item) dynamo.Item {
	if item == nil {
		return nil
	}
	out := make(dynamo.Item, len(item))
	for k, v := range item {
		out[k] = copyValue(v)
	}
	return out
}

func copyValue(v dynamo.AttributeValue) dynamo.AttributeValue {
	switch v := v.(type) {
	case dynamo.B:
		return dynamo.B(bytes.Clone(v))
	case dynamo.SS:
		return slices.Clone(v)
	case dynamo.NS:
		return slices.Clone(v)
	case dynamo.BS:
		out := make(dynamo.BS, len(v))
		for i, b := range v {
			out[i] = bytes.Clone(b)
		}
		return out
	case dynamo.L:
		out := make(dynamo.L, len(v))
		for i, e := range v {
			out[i] = copyValue(e)
		}
		return out
	case dynamo.M:
		return dynamo.M(copyItem(dynamo.Item(v)))
	}
	return v
}

func copyItems(items []dynamo.Item) []dynamo.Item {
	if items == nil {
		return nil
	}
	out := make([]dynamo.Item, len(items))
	for i, it := range items {
		out[i] = copyItem(it)
	}
	return out
}

// itemSize approximates the memory an item takes in the cache: names and
// values, as DynamoDB counts item sizes, plus a little per attribute.
func itemSize(item dynamo.Item) int64 {
	var n int64
	for k, v := range item {
		n += int64(len(k)) + valueSize(v) + 16
	}
	return n
}

func valueSize(v dynamo.AttributeValue) int64 {
	switch v := v.(type) {
	case dynamo.S:
		return int64(len(v))
	case dynamo.N:
		return int64(len(v))
	case dynamo.B:
		return int64(len(v))
	case dynamo.SS:
		return sumLen(v)
	case dynamo.NS:
		return sumLen(v)
	case dynamo.BS:
		var n int64
		for _, b := range v {
			n += int64(len(b))
		}
		return n
	case dynamo.L:
		n := int64(3)
		for _, e := range v {
			n += 1 + valueSize(e)
		}
		return n
	case dynamo.M:
		return 3 + itemSize(dynamo.Item(v))
	}
	return 1
}

func sumLen(ss []string) int64 {
	var n int64
	for _, s := range ss {
		n += int64(len(s))
	}
	return n
}
