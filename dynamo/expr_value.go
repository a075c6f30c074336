package dynamo

import (
	"bytes"
	"encoding/base64"
	"slices"
	"strings"
	"unicode/utf16"
)

// valuesEqual reports whether two values are equal as DynamoDB's = sees
// them: the same type, numbers equal as numbers, sets equal whatever their
// order, lists element by element and maps key by key.
func valuesEqual(a, b AttributeValue) bool {
	switch a := a.(type) {
	case S:
		b, ok := b.(S)
		return ok && a == b
	case N:
		b, ok := b.(N)
		return ok && compareNumbers(string(a), string(b)) == 0
	case B:
		b, ok := b.(B)
		return ok && bytes.Equal(a, b)
	case BOOL:
		b, ok := b.(BOOL)
		return ok && a == b
	case NULL:
		_, ok := b.(NULL)
		return ok
	case SS:
		b, ok := b.(SS)
		if !ok || len(a) != len(b) {
			return false
		}
		set := make(map[string]struct{}, len(b))
		for _, s := range b {
			set[s] = struct{}{}
		}
		for _, s := range a {
			if _, ok := set[s]; !ok {
				return false
			}
		}
		return true
	case NS:
		b, ok := b.(NS)
		if !ok || len(a) != len(b) {
			return false
		}
		x, y := sortedNumbers(a), sortedNumbers(b)
		for i := range x {
			if compareNumbers(x[i], y[i]) != 0 {
				return false
			}
		}
		return true
	case BS:
		b, ok := b.(BS)
		if !ok || len(a) != len(b) {
			return false
		}
		set := make(map[string]struct{}, len(b))
		for _, s := range b {
			set[string(s)] = struct{}{}
		}
		for _, s := range a {
			if _, ok := set[string(s)]; !ok {
				return false
			}
		}
		return true
	case L:
		b, ok := b.(L)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !valuesEqual(a[i], b[i]) {
				return false
			}
		}
		return true
	case M:
		b, ok := b.(M)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, v := range a {
			w, ok := b[k]
			if !ok || !valuesEqual(v, w) {
				return false
			}
		}
		return true
	}
	return false
}

func sortedNumbers(ns NS) []string {
	out := slices.Clone([]string(ns))
	slices.SortFunc(out, compareNumbers)
	return out
}

// compareOrdered orders two values of the same scalar type: numbers as
// numbers, strings and binaries byte by byte (unsigned). ok is false when
// the values cannot be ordered against each other.
func compareOrdered(a, b AttributeValue) (cmp int, ok bool) {
	switch a := a.(type) {
	case N:
		if b, ok := b.(N); ok {
			return compareNumbers(string(a), string(b)), true
		}
	case S:
		if b, ok := b.(S); ok {
			return strings.Compare(string(a), string(b)), true
		}
	case B:
		if b, ok := b.(B); ok {
			return bytes.Compare(a, b), true
		}
	}
	return 0, false
}

// isOrderable reports whether values of DynamoDB type t can be compared
// with < and friends.
func isOrderable(t string) bool { return t == "N" || t == "S" || t == "B" }

// sizeOf is size(): a string's length in UTF-16 code units (as DynamoDB,
// a Java service, counts it), a binary's length in bytes, and the number of
// elements of a set, list or map. Numbers, booleans and nulls have no size.
func sizeOf(v AttributeValue) (int, bool) {
	switch v := v.(type) {
	case S:
		n := 0
		for _, r := range string(v) {
			n += utf16.RuneLen(r)
		}
		return n, true
	case B:
		return len(v), true
	case SS:
		return len(v), true
	case NS:
		return len(v), true
	case BS:
		return len(v), true
	case L:
		return len(v), true
	case M:
		return len(v), true
	}
	return 0, false
}

// containsValue is contains(): a substring of a string, a subsequence of
// a binary, an element of a set (of the operand's type), or an element of
// a list equal to the operand.
func containsValue(haystack, needle AttributeValue) bool {
	switch h := haystack.(type) {
	case S:
		n, ok := needle.(S)
		return ok && strings.Contains(string(h), string(n))
	case B:
		n, ok := needle.(B)
		return ok && bytes.Contains(h, n)
	case SS:
		n, ok := needle.(S)
		return ok && slices.Contains(h, string(n))
	case NS:
		n, ok := needle.(N)
		if !ok {
			return false
		}
		for _, e := range h {
			if compareNumbers(e, string(n)) == 0 {
				return true
			}
		}
	case BS:
		n, ok := needle.(B)
		if !ok {
			return false
		}
		for _, e := range h {
			if bytes.Equal(e, n) {
				return true
			}
		}
	case L:
		for _, e := range h {
			if valuesEqual(e, needle) {
				return true
			}
		}
	}
	return false
}

// beginsWith is begins_with(): a string or binary prefix of the same type.
func beginsWith(v, prefix AttributeValue) bool {
	switch v := v.(type) {
	case S:
		p, ok := prefix.(S)
		return ok && strings.HasPrefix(string(v), string(p))
	case B:
		p, ok := prefix.(B)
		return ok && bytes.HasPrefix(v, p)
	}
	return false
}

// shortValue renders a scalar the way DynamoDB quotes operands in
// messages: {S:abc}, {N:1}, {B:<base64>}.
func shortValue(v AttributeValue) string {
	switch v := v.(type) {
	case S:
		return "{S:" + string(v) + "}"
	case N:
		return "{N:" + string(v) + "}"
	case B:
		return "{B:" + base64.StdEncoding.EncodeToString(v) + "}"
	}
	return "{" + v.Type() + "}"
}
