package dynamo

import (
	"errors"
	"fmt"
	"testing"
)

// exprTestValues are expression attribute values shared by the expression
// tests; a test passes the subset it uses.
var exprTestValues = map[string]AttributeValue{
	":s":     S("hello"),
	":a":     S("a"),
	":b":     S("b"),
	":z":     S("z"),
	":empty": S(""),
	":n0":    N("0"),
	":n1":    N("1"),
	":n2":    N("2"),
	":n3":    N("3"),
	":n4":    N("4"),
	":n5":    N("5"),
	":n42":   N("42"),
	":bool":  BOOL(true),
	":false": BOOL(false),
	":null":  NULL{},
	":bin":   B{1, 2},
	":bin80": B{0x80},
	":ss":    SS{"a", "b"},
	":ns":    NS{"1", "2"},
	":bs":    BS{{1}, {2}},
	":l":     L{S("x")},
	":l2":    L{N("1"), N("2")},
	":m":     M{"k": S("v")},
	":typeS": S("S"),
	":typeN": S("N"),
	":typeL": S("L"),
	":typeX": S("STRING"),
}

// tvals picks the named entries of exprTestValues.
func tvals(keys ...string) map[string]AttributeValue {
	out := map[string]AttributeValue{}
	for _, k := range keys {
		v, ok := exprTestValues[k]
		if !ok {
			panic("no test value " + k)
		}
		out[k] = v
	}
	return out
}

// allTestValues is a copy of every test value.
func allTestValues() map[string]AttributeValue {
	out := map[string]AttributeValue{}
	for k, v := range exprTestValues {
		out[k] = v
	}
	return out
}

// exprErrMessage returns the message of a ValidationException, failing the
// test for any other error.
func exprErrMessage(t testing.TB, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	if !errors.Is(err, ErrValidation) {
		t.Fatalf("error %v is not a ValidationException", err)
	}
	var e *Error
	errors.As(err, &e)
	return e.Message
}

// exprItemsEqual compares items with DynamoDB's equality (numbers as numbers,
// sets in any order).
func exprItemsEqual(a, b Item) bool {
	if (a == nil) != (b == nil) || len(a) != len(b) {
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

func exprShowItem(item Item) string {
	if item == nil {
		return "<nil>"
	}
	return fmt.Sprintf("%v", map[string]AttributeValue(item))
}
