package dynamo

import (
	"testing"
)

// applyCase is one update applied to an old item.
type applyCase struct {
	name    string
	old     Item
	expr    string
	names   map[string]string
	want    Item   // the new item
	wantErr string // or the error
}

func runApplyCases(t *testing.T, cases []applyCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := newExprContext(tc.names, allTestValues())
			u, err := c.parseUpdate(tc.expr)
			if err != nil {
				t.Fatalf("parseUpdate(%q): %v", tc.expr, err)
			}
			before := copyItemForTest(tc.old)
			got, err := u.apply(tc.old)
			if msg := exprErrMessage(t, err); msg != tc.wantErr {
				t.Fatalf("apply error = %q, want %q", msg, tc.wantErr)
			}
			if err == nil && !exprItemsEqual(got, tc.want) {
				t.Errorf("apply(%q)\n got: %s\nwant: %s", tc.expr, exprShowItem(got), exprShowItem(tc.want))
			}
			if !exprItemsEqual(tc.old, before) {
				t.Errorf("apply modified the old item: %s, was %s", exprShowItem(tc.old), exprShowItem(before))
			}
		})
	}
}

// copyItemForTest deep-copies an item so a test can tell if it changed.
func copyItemForTest(item Item) Item {
	if item == nil {
		return nil
	}
	out := Item{}
	for k, v := range item {
		out[k] = copyValueForTest(v)
	}
	return out
}

func copyValueForTest(v AttributeValue) AttributeValue {
	switch v := v.(type) {
	case L:
		out := make(L, len(v))
		for i, e := range v {
			out[i] = copyValueForTest(e)
		}
		return out
	case M:
		out := M{}
		for k, e := range v {
			out[k] = copyValueForTest(e)
		}
		return out
	case SS:
		return append(SS(nil), v...)
	case NS:
		return append(NS(nil), v...)
	case BS:
		return append(BS(nil), v...)
	case B:
		return append(B(nil), v...)
	}
	return v
}

const (
	msgPath    = "The document path provided in the update expression is invalid for update"
	msgType    = "An operand in the update expression has an incorrect data type"
	msgMissing = "The provided expression refers to an attribute that does not exist in the item"
)

func TestUpdateApply_Set(t *testing.T) {
	list := L{S("a"), S("b"), S("c")}
	runApplyCases(t, []applyCase{
		{name: "new attribute on no item", old: nil, expr: "SET a = :s", want: Item{"a": S("hello")}},
		{name: "replace", old: Item{"a": N("1"), "k": S("x")}, expr: "SET a = :s", want: Item{"a": S("hello"), "k": S("x")}},
		{name: "copy reads the old item", old: Item{"a": S("old")}, expr: "SET a = :s, b = a", want: Item{"a": S("hello"), "b": S("old")}},
		{name: "copy of a missing attribute", old: Item{"x": S("1")}, expr: "SET c = b", wantErr: msgMissing},
		{name: "nested key in an existing map", old: Item{"m": M{"keep": S("k")}}, expr: "SET m.child = :s", want: Item{"m": M{"keep": S("k"), "child": S("hello")}}},
		{name: "nested key through placeholders", old: Item{"m": M{"n": M{"x": S("old")}}}, expr: "SET #m.#n.#x = :s", names: map[string]string{"#m": "m", "#n": "n", "#x": "x"}, want: Item{"m": M{"n": M{"x": S("hello")}}}},
		{name: "dotted name is one attribute", old: Item{"a": M{}}, expr: "SET #d = :s", names: map[string]string{"#d": "a.b"}, want: Item{"a": M{}, "a.b": S("hello")}},
		{name: "parent missing", old: Item{"top": S("v")}, expr: "SET missingx.nested.deep = :s", wantErr: msgPath},
		{name: "parent missing on no item", old: nil, expr: "SET b.a = :s", wantErr: msgPath},
		{name: "index on no item", old: nil, expr: "SET b[1] = :s", wantErr: msgPath},
		{name: "key into a string", old: Item{"b": S("x")}, expr: "SET b.a = :s", wantErr: msgPath},
		{name: "index into a map", old: Item{"c": M{"1": S("a")}}, expr: "SET c[1] = :s", wantErr: msgPath},
		{name: "key into a list", old: Item{"d": L{S("a")}}, expr: "SET d.#one = :s", names: map[string]string{"#one": "1"}, wantErr: msgPath},
		{name: "list element replaced", old: Item{"l": list}, expr: "SET l[1] = :s", want: Item{"l": L{S("a"), S("hello"), S("c")}}},
		{name: "index past the end appends", old: Item{"l": list}, expr: "SET l[10] = :s", want: Item{"l": L{S("a"), S("b"), S("c"), S("hello")}}},
		{name: "appends in index order", old: Item{"l": list}, expr: "SET l[9] = :n2, l[5] = :n1", want: Item{"l": L{S("a"), S("b"), S("c"), N("1"), N("2")}}},
		{name: "first element of an empty list", old: Item{"l": L{}}, expr: "SET l[0] = :s", want: Item{"l": L{S("hello")}}},
		{name: "child of an element past the end", old: Item{"l": list}, expr: "SET l[5].x = :s", wantErr: msgPath},
		{name: "element of a nested list", old: Item{"m": M{"l": L{M{"foo": S("1")}, M{"foo": S("2")}}}}, expr: "set m.l[1].foo = :s", want: Item{"m": M{"l": L{M{"foo": S("1")}, M{"foo": S("hello")}}}}},
		{name: "addition", old: Item{"n": N("5"), "f": N("5.3")}, expr: "SET n = n + :n2, f = f - :n1", want: Item{"n": N("7"), "f": N("4.3")}},
		{name: "parenthesized arithmetic", old: Item{"c": N("10")}, expr: "SET c = (c - :n3)", want: Item{"c": N("7")}},
		{name: "arithmetic on a nested path", old: Item{"m": M{"cnt": N("10")}}, expr: "SET m.cnt = m.cnt + :n5", want: Item{"m": M{"cnt": N("15")}}},
		{name: "counter from if_not_exists", old: Item{"k": S("x")}, expr: "SET n = if_not_exists(n, :n0) + :n1", want: Item{"k": S("x"), "n": N("1")}},
		{name: "if_not_exists keeps the existing value", old: Item{"n": N("123")}, expr: "SET n = if_not_exists(n, :n5)", want: Item{"n": N("123")}},
		{name: "if_not_exists from another attribute", old: Item{"a": S("key")}, expr: "SET b = if_not_exists(b, a)", want: Item{"a": S("key"), "b": S("key")}},
		{name: "adding strings", old: Item{"s": S("1")}, expr: "SET s = s + s", wantErr: msgType},
		{name: "adding a missing attribute", old: Item{"s": N("1")}, expr: "SET s = nope + s", wantErr: msgMissing},
		{name: "subtracting a set", old: Item{"n": N("1"), "ss": SS{"a"}}, expr: "SET n = n - ss", wantErr: msgType},
		{name: "list_append", old: Item{"l": L{S("a")}}, expr: "SET l = list_append(l, :l)", want: Item{"l": L{S("a"), S("x")}}},
		{name: "list_append prepends", old: Item{"l": L{S("a")}}, expr: "SET l = list_append(:l, l)", want: Item{"l": L{S("x"), S("a")}}},
		{name: "list_append to a missing list", old: Item{"k": S("x")}, expr: "SET l = list_append(if_not_exists(l, :l), :l2)", want: Item{"k": S("x"), "l": L{S("x"), N("1"), N("2")}}},
		{name: "list_append of a set", old: Item{"d": NS{"1"}}, expr: "SET e = list_append(d, if_not_exists(f, :l))", wantErr: msgType},
		{name: "list_append of a missing list", old: Item{"k": S("x")}, expr: "SET e = list_append(b, c)", wantErr: msgMissing},
	})
}

func TestUpdateApply_List(t *testing.T) {
	abcd := L{S("a"), S("b"), S("c"), S("d")}
	runApplyCases(t, []applyCase{
		{name: "remove one element shifts the rest", old: Item{"l": abcd}, expr: "REMOVE l[1]", want: Item{"l": L{S("a"), S("c"), S("d")}}},
		{name: "indexes refer to the old list", old: Item{"l": abcd}, expr: "REMOVE l[0], l[2]", want: Item{"l": L{S("b"), S("d")}}},
		{name: "removal order does not matter", old: Item{"l": abcd}, expr: "REMOVE l[3], l[1], l[0]", want: Item{"l": L{S("c")}}},
		{name: "remove past the end does nothing", old: Item{"l": abcd}, expr: "REMOVE l[10]", want: Item{"l": abcd}},
		{name: "remove and set by old index", old: Item{"l": abcd}, expr: "REMOVE l[0] SET l[2] = :s", want: Item{"l": L{S("b"), S("hello"), S("d")}}},
		{name: "remove and append", old: Item{"l": abcd}, expr: "REMOVE l[0] SET l[7] = :s", want: Item{"l": L{S("b"), S("c"), S("d"), S("hello")}}},
		{name: "remove a key of an element", old: Item{"l": L{M{"a": S("1"), "b": S("2")}}}, expr: "REMOVE l[0].a", want: Item{"l": L{M{"b": S("2")}}}},
		{name: "remove the last element leaves an empty list", old: Item{"l": L{S("x")}}, expr: "REMOVE l[0]", want: Item{"l": L{}}},
		{name: "remove through a missing element", old: Item{"l": abcd}, expr: "REMOVE l[9].x", wantErr: msgPath},
		{name: "remove by index from a map", old: Item{"c": M{"a": S("1")}}, expr: "REMOVE c[1]", wantErr: msgPath},
		{
			// DynamoDB's own example of mixed actions on one list, map and
			// counter: every value is computed from the old item, list
			// writes past the end append in index order.
			name: "many actions on one list",
			old:  Item{"a": S("key"), "b": M{"a": N("1"), "b": N("2"), "c": N("3")}, "c": L{N("1"), N("3")}},
			expr: "set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :ss, c[6] :n2",
			want: Item{"a": S("key"), "b": M{"a": S("key"), "b": N("2"), "c": N("4")}, "c": L{N("1"), S("key"), N("3"), N("-1"), N("2"), SS{"a", "b"}}},
		},
	})
}

func TestUpdateApply_RemoveAddDelete(t *testing.T) {
	runApplyCases(t, []applyCase{
		{name: "remove top-level", old: Item{"a": S("x"), "b": S("y")}, expr: "REMOVE a", want: Item{"b": S("y")}},
		{name: "remove missing top-level", old: Item{"b": S("y")}, expr: "REMOVE a", want: Item{"b": S("y")}},
		{name: "remove nested key", old: Item{"m": M{"gone": S("g"), "keep": S("k")}}, expr: "REMOVE m.gone, m.absent", want: Item{"m": M{"keep": S("k")}}},
		{name: "remove under a missing map", old: Item{"b": S("y")}, expr: "REMOVE y.a", wantErr: msgPath},
		{name: "remove under a string", old: Item{"b": S("y")}, expr: "REMOVE b.a", wantErr: msgPath},
		{name: "add to a number", old: Item{"n": N("1")}, expr: "ADD n :n3", want: Item{"n": N("4")}},
		{name: "add to a missing number", old: Item{"k": S("x")}, expr: "ADD n :n5", want: Item{"k": S("x"), "n": N("5")}},
		{name: "add on no item", old: nil, expr: "ADD n :n5, s :ss", want: Item{"n": N("5"), "s": SS{"a", "b"}}},
		{name: "add a number to a string", old: Item{"n": S("1")}, expr: "ADD n :n1", wantErr: msgType},
		{name: "add to a number set", old: Item{"n": NS{"1"}}, expr: "ADD n :n1", wantErr: msgType},
		{name: "add to a string set", old: Item{"s": SS{"a", "c"}}, expr: "ADD s :ss", want: Item{"s": SS{"a", "c", "b"}}},
		{name: "add to a number set compares numbers", old: Item{"s": NS{"1.0", "3"}}, expr: "ADD s :ns", want: Item{"s": NS{"1", "2", "3"}}},
		{name: "add to a binary set", old: Item{"s": BS{{2}, {3}}}, expr: "ADD s :bs", want: Item{"s": BS{{1}, {2}, {3}}}},
		{name: "add a string set to a number set", old: Item{"s": NS{"1"}}, expr: "ADD s :ss", wantErr: msgType},
		{name: "add a set to a missing nested key", old: Item{"m": M{}}, expr: "ADD m.s :ss", want: Item{"m": M{"s": SS{"a", "b"}}}},
		{name: "add under a missing map", old: Item{"k": S("x")}, expr: "ADD y.a :n1", wantErr: msgPath},
		{name: "add to an element past the end", old: Item{"l": L{S("a")}}, expr: "ADD l[4] :n1", want: Item{"l": L{S("a"), N("1")}}},
		{name: "delete from a set", old: Item{"s": SS{"a", "b", "c"}}, expr: "DELETE s :ss", want: Item{"s": SS{"c"}}},
		{name: "delete every element removes the set", old: Item{"s": SS{"b", "a"}, "k": S("x")}, expr: "DELETE s :ss", want: Item{"k": S("x")}},
		{name: "delete from a number set compares numbers", old: Item{"s": NS{"1.0", "2", "3"}}, expr: "DELETE s :ns", want: Item{"s": NS{"3"}}},
		{name: "delete from a binary set", old: Item{"s": BS{{1}, {9}}}, expr: "DELETE s :bs", want: Item{"s": BS{{9}}}},
		{name: "delete from a missing set", old: Item{"k": S("x")}, expr: "DELETE s :ss", want: Item{"k": S("x")}},
		{name: "delete from a set of another type", old: Item{"s": NS{"1"}}, expr: "DELETE s :ss", wantErr: msgType},
		{name: "delete from a string", old: Item{"s": S("a")}, expr: "DELETE s :ss", wantErr: msgType},
		{name: "delete emptying a list element removes it", old: Item{"l": L{SS{"a"}, S("x")}}, expr: "DELETE l[0] :ss", want: Item{"l": L{S("x")}}},
		{name: "all four clauses", old: Item{"b": S("x"), "c": SS{"a", "b"}}, expr: "REMOVE b DELETE c :ss ADD d :n5, e :ss SET f = :l", want: Item{"d": N("5"), "e": SS{"a", "b"}, "f": L{S("x")}}},
	})
}

func TestUpdate_ProjectReturnsUpdatedPaths(t *testing.T) {
	old := Item{"a": S("key"), "b": M{"a": N("1"), "b": N("2"), "c": N("3")}, "c": L{N("1"), N("3")}, "other": S("o")}
	c := newExprContext(nil, allTestValues())
	u, err := c.parseUpdate("set b.c=((c[1])+(b.a)),b.a = a,c[1] = a, c[4] = b.a - b.b, c[2] = b.c add c[8] :ss, c[6] :n2")
	if err != nil {
		t.Fatal(err)
	}
	newItem, err := u.apply(old)
	if err != nil {
		t.Fatal(err)
	}
	// UPDATED_NEW reads the written paths in the new item: c[4] is now the
	// element that ADD c[6] appended, and c[6], c[8] are past its end.
	wantNew := Item{"b": M{"a": S("key"), "c": N("4")}, "c": L{S("key"), N("3"), N("2")}}
	if got := u.project(newItem); !exprItemsEqual(got, wantNew) {
		t.Errorf("project(new) = %s, want %s", exprShowItem(got), exprShowItem(wantNew))
	}
	wantOld := Item{"b": M{"a": N("1"), "c": N("3")}, "c": L{N("3")}}
	if got := u.project(old); !exprItemsEqual(got, wantOld) {
		t.Errorf("project(old) = %s, want %s", exprShowItem(got), exprShowItem(wantOld))
	}
	c = newExprContext(nil, allTestValues())
	if u, err = c.parseUpdate("REMOVE a SET x = :s"); err != nil {
		t.Fatal(err)
	}
	if got, want := u.project(Item{"a": S("gone"), "k": S("k")}), (Item{"a": S("gone")}); !exprItemsEqual(got, want) {
		t.Errorf("project(old) for REMOVE = %s, want %s", exprShowItem(got), exprShowItem(want))
	}
	if got := u.project(nil); got != nil {
		t.Errorf("project(nil) = %s, want nil", exprShowItem(got))
	}
}
