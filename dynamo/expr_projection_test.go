package dynamo

import (
	"slices"
	"strings"
	"testing"
)

func TestParseProjection_ErrorsInDynamoDBWords(t *testing.T) {
	names := map[string]string{"#p": "a", "#q": "b", "#list": "list", "#comment": "COMMENT"}
	for _, tc := range []struct {
		name string
		expr string
		want string
	}{
		{"empty", "", "Invalid ProjectionExpression: The expression can not be empty;"},
		{"too long", "a" + strings.Repeat("z", 4096), "Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size;"},
		{"empty index", "#list[].#comment", `Invalid ProjectionExpression: Syntax error; token: "]", near: "[]."`},
		{"alphabetic index", "l[a]", `Invalid ProjectionExpression: Syntax error; token: "a", near: "[a]"`},
		{"double dot", "a..b", `Invalid ProjectionExpression: Syntax error; token: ".", near: "..b"`},
		{"trailing comma", "a,", `Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","`},
		{"parentheses", "(a1)", `Invalid ProjectionExpression: Syntax error; token: "(", near: "(a1"`},
		{"value", ":v", `Invalid ProjectionExpression: Syntax error; token: ":v", near: ":v"`},
		{"space in a name", "my attr", `Invalid ProjectionExpression: Syntax error; token: "attr", near: "my attr"`},
		{"reserved word", "list[0].COMMENT", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: list"},
		{"reserved word after a placeholder", "#list[0].COMMENT", "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: COMMENT"},
		{"undefined name", "a.#u", "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #u"},
		{"parent then child", "a, a.b", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
		{"child then parent", "a.b, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
		{"duplicate", "a, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"element then list", "alist[0], alist", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [alist, [0]], path two: [alist]"},
		{"resolved names in messages", "#p, #p.#q", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a, b]"},
		{"first overlapping pair", "x, a.b, a", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a]"},
		{"index against key", "a[0], a.b", "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, [0]], path two: [a, b]"},
		{"overlap beats conflict", "a[0], a.b, c, c", "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c], path two: [c]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newExprContext(names, nil)
			_, err := c.parseProjection(tc.expr)
			if got := exprErrMessage(t, err); got != tc.want {
				t.Errorf("parseProjection(%.60q)\n got: %s\nwant: %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestProjection_KeepsOnlyTheNamedPaths(t *testing.T) {
	item := Item{
		"pk":           S("p1"),
		"mylist":       L{S("zero"), S("one"), S("two"), S("three")},
		"listOfMaps":   L{M{"val": S("a0"), "x": S("x0")}, M{"val": S("a1"), "x": S("x1")}, M{"val": S("a2"), "x": S("x2")}},
		"listWithNull": L{S("keep0"), NULL{}, S("keep2")},
		"deep":         M{"l1": M{"l2": M{"l3": S("bottom"), "sib": S("s")}}},
		"nestedList":   L{M{"inner": L{S("i0"), S("i1")}}},
		"a":            M{"b": S("bv"), "c": S("cv"), "d": S("dv")},
		"str":          S("s"),
		"dotted.name":  S("dot"),
	}
	names := map[string]string{"#i": "inner", "#d": "dotted.name"}
	for _, tc := range []struct {
		expr string
		want Item
	}{
		{"pk, str", Item{"pk": S("p1"), "str": S("s")}},
		{"mylist[0], mylist[2]", Item{"mylist": L{S("zero"), S("two")}}},
		{"mylist[2], mylist[0]", Item{"mylist": L{S("zero"), S("two")}}},
		{"mylist[1], mylist[3], mylist[9]", Item{"mylist": L{S("one"), S("three")}}},
		{"listOfMaps[0].val, listOfMaps[2].val", Item{"listOfMaps": L{M{"val": S("a0")}, M{"val": S("a2")}}}},
		{"listWithNull", Item{"listWithNull": L{S("keep0"), NULL{}, S("keep2")}}},
		{"listWithNull[1]", Item{"listWithNull": L{NULL{}}}},
		{"listWithNull[0], listWithNull[2]", Item{"listWithNull": L{S("keep0"), S("keep2")}}},
		{"deep.l1.l2.l3", Item{"deep": M{"l1": M{"l2": M{"l3": S("bottom")}}}}},
		{"nestedList[0].#i[1]", Item{"nestedList": L{M{"inner": L{S("i1")}}}}},
		{"a.b, a.c", Item{"a": M{"b": S("bv"), "c": S("cv")}}},
		{"a.zz, absent, mylist[7], str.x, pk[0], deep.l1[1]", Item{}},
		{"#d", Item{"dotted.name": S("dot")}},
	} {
		c := newExprContext(names, nil)
		p, err := c.parseProjection(tc.expr)
		if err != nil {
			t.Errorf("parseProjection(%q): %v", tc.expr, err)
			continue
		}
		if got := p.apply(item); !exprItemsEqual(got, tc.want) {
			t.Errorf("apply(%q) = %s, want %s", tc.expr, exprShowItem(got), exprShowItem(tc.want))
		}
	}
}

func TestProjection_NoItemAndTopLevelNames(t *testing.T) {
	c := newExprContext(map[string]string{"#k": "key"}, nil)
	p, err := c.parseProjection("b.c, a, #k[2], b.d")
	if err != nil {
		t.Fatal(err)
	}
	if got := p.apply(nil); got != nil {
		t.Errorf("apply(nil) = %s, want nil", exprShowItem(got))
	}
	if got, want := p.topLevelNames(), []string{"b", "a", "key"}; !slices.Equal(got, want) {
		t.Errorf("topLevelNames() = %v, want %v", got, want)
	}
}
