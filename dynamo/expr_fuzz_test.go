package dynamo

import (
	"errors"
	"testing"
)

// The fuzz targets check that no expression, however malformed, panics the
// parser or the evaluator, and that every error is a ValidationException.
// Seed corpora live in testdata/fuzz/<target>.

// fuzzNames and fuzzItem give the fuzzed expressions something to resolve
// and read.
var fuzzNames = map[string]string{"#a": "a", "#b": "b", "#d": "dotted.name", "#n": "1"}

var fuzzItem = Item{
	"a":   M{"b": L{N("1"), S("x"), M{"c": SS{"p", "q"}}}, "n": N("5")},
	"b":   L{N("1"), N("2"), N("3")},
	"c":   N("7"),
	"s":   S("hello"),
	"ss":  SS{"a", "b"},
	"ns":  NS{"1", "2"},
	"bin": B{1, 2},
	"t":   BOOL(true),
}

func checkFuzzError(t *testing.T, what, expr string, err error) {
	if err != nil && !errors.Is(err, ErrValidation) {
		t.Fatalf("%s(%q) returned %v, not a ValidationException", what, expr, err)
	}
}

func FuzzExprCondition(f *testing.F) {
	for _, s := range []string{
		"a = :s", "#a.b[1] <> :n1 AND NOT c BETWEEN :n0 AND :n5", "s IN (:s, :a, c)",
		"attribute_exists(a) OR begins_with(s, :s)", "size(ss) > :n1", "((a = :s))", "contains(a, a)",
		"attribute_type(a, :typeS)", "foo(a)", "status = :s", "a = ", "(a", "a[1", "#zz = :zz",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		for _, kind := range []string{"ConditionExpression", "KeyConditionExpression"} {
			c := newExprContext(fuzzNames, allTestValues())
			if kind == "KeyConditionExpression" {
				k, err := c.parseKeyCondition(expr)
				checkFuzzError(t, "parseKeyCondition", expr, err)
				if err == nil {
					_, err = k.bind("a", "b")
					checkFuzzError(t, "bind", expr, err)
				}
				continue
			}
			cond, err := c.parseCondition(kind, expr)
			checkFuzzError(t, "parseCondition", expr, err)
			if err == nil {
				cond.eval(fuzzItem)
				cond.eval(nil)
			}
			checkFuzzError(t, "unusedError", expr, c.unusedError())
		}
	})
}

func FuzzExprUpdate(f *testing.F) {
	for _, s := range []string{
		"SET a.b[1] = :s, c = c + :n1 REMOVE b[0], b[2]", "ADD c :n5, ss :ss DELETE ns :ns",
		"SET d = list_append(if_not_exists(d, :l), :l2)", "SET a.n = a.n - :n1", "SET x[3] = :s",
		"REMOVE zz.y", "SET a = :s SET b = :s", "SET a = :s, a.b = :s", "ADD ss :n1", "set a = b + c + d",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		c := newExprContext(fuzzNames, allTestValues())
		u, err := c.parseUpdate(expr)
		checkFuzzError(t, "parseUpdate", expr, err)
		if err != nil {
			return
		}
		u.topLevelNames()
		for _, old := range []Item{fuzzItem, nil} {
			before := copyItemForTest(old)
			out, err := u.apply(old)
			checkFuzzError(t, "apply", expr, err)
			if !exprItemsEqual(old, before) {
				t.Fatalf("apply(%q) modified the old item", expr)
			}
			if err == nil {
				u.project(out)
				u.project(old)
			}
		}
	})
}

func FuzzExprProjection(f *testing.F) {
	for _, s := range []string{
		"a, s", "a.b[2].c, b[0], b[2]", "#a.#n, #d", "a, a.b", "a[0], a.b", "list", "a..b", "a,",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, expr string) {
		c := newExprContext(fuzzNames, nil)
		p, err := c.parseProjection(expr)
		checkFuzzError(t, "parseProjection", expr, err)
		if err == nil {
			p.apply(fuzzItem)
			p.topLevelNames()
		}
	})
}
