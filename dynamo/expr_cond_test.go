package dynamo

import (
	"slices"
	"strings"
	"sync"
	"testing"
)

func TestParseCondition_AcceptsDynamoDBGrammar(t *testing.T) {
	names := map[string]string{"#n": "name", "#d": "dotted.name", "#l": "list"}
	for _, expr := range []string{
		"a = :s",
		"a <> :s AND b < :n1 OR c <= :n2",
		"a > :n1 and b >= :n2 or not c = :s",
		"NOT NOT a = :s",
		"(a = :s)",
		"(a = :s) AND (b = :s OR c = :s)",
		"((a = :s) AND b = :s)",
		"(a) = :s",
		"a = (:s)",
		"a BETWEEN :n1 AND :n2",
		"a between (:n1) and :n2",
		"a IN (:s)",
		"a in (:s, b, size(c))",
		"attribute_exists(a.b[3].c)",
		"attribute_not_exists(#n)",
		"attribute_type(#d, :typeS)",
		"begins_with(a, :s) AND begins_with(:s, a)",
		"contains(a, :s) OR contains(a, b)",
		"size(a) > :n1",
		"(size(a)) < size(b)",
		"#l[0].x = :s",
		"a.b.c[1][2].d = :s",
		"\ta\n=\r:s ",
		"A = :s AnD B = :s",
	} {
		c := newExprContext(names, allTestValues())
		if _, err := c.parseCondition("ConditionExpression", expr); err != nil {
			t.Errorf("parseCondition(%q) = %v, want success", expr, err)
		}
	}
}

func TestParseCondition_ErrorsInDynamoDBWords(t *testing.T) {
	long := "a" + strings.Repeat("z", 4096) + " = :s"
	tooManyOps := strings.TrimSuffix(strings.Repeat("a = :s OR ", 151), " OR ")
	in101 := "a IN (" + strings.TrimSuffix(strings.Repeat(":s, ", 101), ", ") + ")"
	deep := "a" + strings.Repeat(".b", 32) + " = :s"
	for _, tc := range []struct {
		name  string
		kind  string
		expr  string
		names map[string]string
		want  string
	}{
		{"empty", "", "", nil, "Invalid ConditionExpression: The expression can not be empty;"},
		{"blank", "", "  \t", nil, "Invalid ConditionExpression: The expression can not be empty;"},
		{"too long condition reports size", "", long, nil, "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4102"},
		{"too long filter reports size", "FilterExpression", long, nil, "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4102"},
		{"bare path", "", "foo", nil, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "foo"`},
		{"absent operand", "", "a =", nil, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "="`},
		{"function without operands", "", "attribute_type()", nil, `Invalid ConditionExpression: Syntax error; token: ")", near: "()"`},
		{"number literal", "", "a > 4", nil, `Invalid ConditionExpression: Syntax error; token: "4", near: "> 4"`},
		{"alphabetic index", "", "a[abc].b = :s", nil, `Invalid ConditionExpression: Syntax error; token: "abc", near: "[abc]"`},
		{"negative index", "", "a[-1].b = :s", nil, `Invalid ConditionExpression: Syntax error; token: "-", near: "[-1"`},
		{"empty index", "", "a[].b = :s", nil, `Invalid ConditionExpression: Syntax error; token: "]", near: "[]."`},
		{"leading underscore", "", "a = :s AND __t = :s", nil, `Invalid ConditionExpression: Syntax error; token: "_", near: "AND __"`},
		{"unknown character", "", "a = !b", nil, `Invalid ConditionExpression: Syntax error; token: "!", near: "= !b"`},
		{"lone hash", "", "# = :s", nil, `Invalid ConditionExpression: Syntax error; token: "#", near: "# ="`},
		{"arithmetic", "", "a = :s + :s", nil, `Invalid ConditionExpression: Syntax error; token: "+", near: ":s + :s"`},
		{"chained comparison", "", "a = b = c", nil, `Invalid ConditionExpression: Syntax error; token: "=", near: "b = c"`},
		{"between without and", "", "a BETWEEN :n1 :n2", nil, `Invalid ConditionExpression: Syntax error; token: ":n2", near: ":n1 :n2"`},
		{"in without parentheses", "", "a IN :s", nil, `Invalid ConditionExpression: Syntax error; token: ":s", near: "IN :s"`},
		{"empty in list", "", "a IN ()", nil, `Invalid ConditionExpression: Syntax error; token: ")", near: "()"`},
		{"unclosed parenthesis", "", "(a = :s", nil, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: ":s"`},
		{"extra parenthesis", "", "a = :s)", nil, `Invalid ConditionExpression: Syntax error; token: ")", near: ":s)"`},
		{"keyword as name", "", "and = :s", nil, `Invalid ConditionExpression: Syntax error; token: "and", near: "and ="`},
		{"keyword in path", "", "a.in = :s", nil, `Invalid ConditionExpression: Syntax error; token: "in", near: ".in ="`},
		{"dangling and", "", "a = :s AND", nil, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"`},
		{"parenthesized path then and", "", "(a) AND b = :s", nil, `Invalid ConditionExpression: Syntax error; token: "AND", near: ") AND b"`},
		{"redundant parentheses", "", "((a = :s))", nil, "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{"redundant operand parentheses", "", "((a)) = :s", nil, "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{"redundant inner group", "", "(a = :s) AND ((b = :s OR c = :s))", nil, "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{"unknown function", "", "foo(a)", nil, "Invalid ConditionExpression: Invalid function name; function: foo"},
		{"function names are case-sensitive", "", "BEGINS_WITH(a, :s)", nil, "Invalid ConditionExpression: Invalid function name; function: BEGINS_WITH"},
		{"update function", "", "if_not_exists(a, :s) = :s", nil, "Invalid ConditionExpression: The function is not allowed in a condition expression; function: if_not_exists"},
		{"size as condition", "", "size(a)", nil, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
		{"boolean function as operand", "", "attribute_exists(a) = :bool", nil, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: attribute_exists"},
		{"boolean function inside size", "", "size(contains(a, :s)) = :n1", nil, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: contains"},
		{"reserved word", "", "status = :s", nil, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"},
		{"reserved word keeps its case", "", "a.COMMENT = :s", nil, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: COMMENT"},
		{"reserved word after a placeholder", "", "#l[0].Comment = :s", map[string]string{"#l": "l"}, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: Comment"},
		{"undefined name", "", "#x = :s", nil, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"undefined value", "", "a = :nope", nil, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"too many operands", "", "attribute_exists(a, b)", nil, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: attribute_exists, number of operands: 2"},
		{"too few operands", "", "contains(a)", nil, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 1"},
		{"begins_with with three operands", "", "begins_with(a, :s, :s)", nil, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: begins_with, number of operands: 3"},
		{"size with two operands", "", "size(a, b) = :n1", nil, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: size, number of operands: 2"},
		{"same path twice in contains", "", "contains(a, a)", nil, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: contains, first operand: [a]"},
		{"same path twice in a comparison", "", "#x.y = a.y", map[string]string{"#x": "a"}, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: =, first operand: [a, y]"},
		{"same path twice in IN", "", "a IN (b, a)", nil, "Invalid ConditionExpression: The first operand must be distinct from the remaining operands for this operator or function; operator: IN, first operand: [a]"},
		{"attribute_exists of a value", "", "attribute_exists(:s)", nil, "Invalid ConditionExpression: Operator or function requires a document path; operator or function: attribute_exists"},
		{"attribute_type of a path", "", "attribute_type(a, b)", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {S,SS,N,NS,B,BS,BOOL,NULL,L,M,HD,DOUBLE,FLOAT,HDS,FS,DOUBLESET,DICT,DECIMAL,INT,DECIMALSET,INTSET}"},
		{"attribute_type of a number", "", "attribute_type(a, :n1)", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: attribute_type, operand type: N"},
		{"attribute_type of an unknown type", "", "attribute_type(a, :typeX)", nil, "Invalid ConditionExpression: Invalid attribute type name found; type: STRING, valid types: {S,SS,N,NS,B,BS,BOOL,NULL,L,M}"},
		{"begins_with a number", "", "begins_with(a, :n1)", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"size of a number", "", "size(:n1) > :n1", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"size of a size", "", "size(size(a)) > :n1", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: size, operand type: N"},
		{"ordering a boolean", "", "a < :bool", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{"ordering a set written first", "", ":ss >= a", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: >=, operand type: SS"},
		{"between booleans", "", "a BETWEEN :bool AND :false", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL"},
		{"between bounds of two types", "", "a BETWEEN :n1 AND :a", nil, "Invalid ConditionExpression: The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"},
		{"between reversed numbers", "", "a BETWEEN :n5 AND :n4", nil, "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {N:5}, upper bound operand: AttributeValue: {N:4}"},
		{"between reversed strings", "", "a BETWEEN :z AND :a", nil, "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:z}, upper bound operand: AttributeValue: {S:a}"},
		{"between reversed binaries", "", "a BETWEEN :bin80 AND :bin", nil, "Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {B:gA==}, upper bound operand: AttributeValue: {B:AQI=}"},
		{"too many IN operands", "", in101, nil, "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101"},
		{"too many operators", "", tooManyOps, nil, "Invalid ConditionExpression: The expression contains too many operators; operator count: 301"},
		{"path too deep", "", deep, nil, "Invalid ConditionExpression: The document path has too many nesting levels; nesting levels: 33"},
		{"list index out of range", "", "a[99999999999] = :s", nil, "Invalid ConditionExpression: List index is not within the allowable range; index: 99999999999"},
		{"filter kind in messages", "FilterExpression", "status = :s", nil, "Invalid FilterExpression: Attribute name is a reserved keyword; reserved keyword: status"},
		// Precedence between errors of different kinds.
		{"syntax error beats the rest", "", "status = :nope AND", nil, `Invalid ConditionExpression: Syntax error; token: "<EOF>", near: "AND"`},
		{"redundant parentheses beat unknown functions", "", "((foo(a)))", nil, "Invalid ConditionExpression: The expression has redundant parentheses;"},
		{"unknown function beats reserved word", "", "status = :s AND foo(a)", nil, "Invalid ConditionExpression: Invalid function name; function: foo"},
		{"misused function beats reserved word", "", "status = :s AND size(a)", nil, "Invalid ConditionExpression: The function is not allowed to be used this way in an expression; function: size"},
		{"reserved word beats undefined name", "", "#x = :s AND status = :s", nil, "Invalid ConditionExpression: Attribute name is a reserved keyword; reserved keyword: status"},
		{"earlier condition reports first (undefined)", "", "a = :nope AND begins_with(b, :n1)", nil, "Invalid ConditionExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"earlier condition reports first (operand type)", "", "begins_with(b, :n1) AND a = :nope", nil, "Invalid ConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"undefined name beats operand count", "", "contains(#x)", nil, "Invalid ConditionExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"operand count beats distinct operands", "", "contains(a, a, a)", nil, "Invalid ConditionExpression: Incorrect number of operands for operator or function; operator or function: contains, number of operands: 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			kind := tc.kind
			if kind == "" {
				kind = "ConditionExpression"
			}
			c := newExprContext(tc.names, allTestValues())
			_, err := c.parseCondition(kind, tc.expr)
			if got := exprErrMessage(t, err); got != tc.want {
				t.Errorf("parseCondition(%.60q)\n got: %s\nwant: %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestParseCondition_LimitsAtTheBoundary(t *testing.T) {
	at := "a" + strings.Repeat("z", 4096-len("a = :s")) + " = :s"
	ops := strings.TrimSuffix(strings.Repeat("a = :s OR ", 149), " OR ") + " AND NOT b = :s"
	in100 := "a IN (" + strings.TrimSuffix(strings.Repeat(":s, ", 100), ", ") + ")"
	path32 := "a" + strings.Repeat(".b", 31) + " = :s"
	for _, expr := range []string{at, ops, in100, path32} {
		c := newExprContext(nil, tvals(":s"))
		if _, err := c.parseCondition("ConditionExpression", expr); err != nil {
			t.Errorf("parseCondition(%.40q...) = %v, want success", expr, err)
		}
	}
}

// evalItem is the item the evaluation tests read.
var evalItem = Item{
	"s":           S("hello"),
	"n":           N("42"),
	"b":           B{1, 2, 3},
	"hi":          B{0x80},
	"t":           BOOL(true),
	"nul":         NULL{},
	"ss":          SS{"b", "a"},
	"ns":          NS{"2", "1"},
	"bs":          BS{{2}, {1}},
	"l":           L{S("x"), N("1"), M{"k": S("v")}},
	"m":           M{"a": M{"b": L{N("1"), N("2")}}, "k": S("v")},
	"uni":         S("é𝄞"),
	"dotted.name": S("dot"),
	"blank":       S(""),
}

func TestConditionEval_FollowsDynamoDBSemantics(t *testing.T) {
	extra := map[string]AttributeValue{
		":n42x":   N("42.00"),
		":s42":    S("42"),
		":hell":   S("hell"),
		":ell":    S("ell"),
		":hellos": S("hellos"),
		":ssrev":  SS{"a", "b"},
		":nsrev":  NS{"1.0", "2"},
		":bsrev":  BS{{1}, {2}},
		":lcopy":  L{S("x"), N("1.0"), M{"k": S("v")}},
		":lorder": L{N("1"), S("x"), M{"k": S("v")}},
		":mcopy":  M{"a": M{"b": L{N("1"), N("2")}}, "k": S("v")},
		":b12":    B{1, 2},
		":b23":    B{2, 3},
		":b7f":    B{0x7f},
		":mkv":    M{"k": S("v")},
		":x":      S("x"),
		":n41":    N("41"),
		":n43":    N("43"),
		":uni3":   N("3"),
		":hello":  S("hello"),
	}
	vals := allTestValues()
	for k, v := range extra {
		vals[k] = v
	}
	names := map[string]string{"#d": "dotted.name", "#s": "s"}
	for _, tc := range []struct {
		expr string
		want bool
	}{
		{"s = :hello", true},
		{"#s = :hello", true},
		{"s = :hell", false},
		{"s <> :hell", true},
		{"n = :n42x", true},
		{"n = :s42", false},
		{"n <> :s42", true},
		{"absent = :s", false},
		{"absent <> :s", true},
		{"absent = absent2", false},
		{"n > :n41 AND n < :n43 AND n >= :n42 AND n <= :n42", true},
		{"n > :n42", false},
		{"s < :hellos AND s > :hell", true},
		{"s < :n1", false},
		{"hi > :b7f", true},
		{"b > :b12 AND b < :b23", true},
		{"t = :bool AND t <> :false", true},
		{"t > :n1", false},
		{"nul = :null", true},
		{"ss = :ssrev AND ns = :nsrev AND bs = :bsrev", true},
		{"ss = :ss AND ss <> :a", true},
		{"ss < :a", false},
		{"l = :lcopy", true},
		{"l = :lorder", false},
		{"m = :mcopy", true},
		{"m.a = :mcopy", false},
		{"n BETWEEN :n41 AND :n43", true},
		{"n BETWEEN :n42 AND :n42", true},
		{"n BETWEEN :n1 AND :n41", false},
		{"s BETWEEN :a AND :z", true},
		{"s BETWEEN :n1 AND :n5", false},
		{"absent BETWEEN :n1 AND :n5", false},
		{"n BETWEEN n AND :n43", true},
		{"s IN (:a, :hello)", true},
		{"s IN (:a, :b)", false},
		{"n IN (:s42, :n42x)", true},
		{"absent IN (:a)", false},
		{"attribute_exists(s) AND attribute_exists(m.a.b[1])", true},
		{"attribute_exists(m.a.b[2])", false},
		{"attribute_exists(l[2].k) AND attribute_exists(#d)", true},
		{"attribute_exists(s.x) OR attribute_exists(m[0]) OR attribute_exists(l.x)", false},
		{"attribute_not_exists(absent) AND attribute_not_exists(m.zz)", true},
		{"attribute_not_exists(nul)", false},
		{"attribute_type(s, :typeS) AND attribute_type(n, :typeN) AND attribute_type(l, :typeL)", true},
		{"attribute_type(s, :typeN)", false},
		{"attribute_type(absent, :typeS)", false},
		{"begins_with(s, :hell) AND begins_with(b, :b12)", true},
		{"begins_with(s, :ell)", false},
		{"begins_with(s, :empty)", true},
		{"begins_with(n, :s42)", false},
		{"begins_with(b, :hell)", false},
		{"contains(s, :ell) AND contains(b, :b23)", true},
		{"contains(s, :x)", false},
		{"contains(ss, :a) AND contains(ns, :n1) AND contains(bs, :bin)", false},
		{"contains(ss, :a) AND contains(ns, :n1)", true},
		{"contains(ss, :n1) OR contains(ns, :a)", false},
		{"contains(l, :x) AND contains(l, :mkv) AND contains(l, :n1)", true},
		{"contains(l, :a) OR contains(m, :x) OR contains(n, :n42)", false},
		{"contains(absent, :a)", false},
		{"size(s) = :n5 AND size(b) = :n3 AND size(ss) = :n2 AND size(l) = :n3 AND size(m) = :n2", true},
		{"size(uni) = :uni3", true},
		{"size(blank) = :n0", true},
		{"size(n) > :n0 OR size(t) > :n0 OR size(nul) > :n0 OR size(absent) > :n0", false},
		{"size(n) <> :n0", true},
		{"size(s) > size(ss)", true},
		{"NOT s = :hello", false},
		{"NOT (s = :a OR s = :b)", true},
		{"s = :hello OR s = :a AND s = :b", true},
		{"(s = :hello OR s = :a) AND s = :b", false},
		{"NOT s = :a AND NOT s = :b", true},
	} {
		c := newExprContext(names, vals)
		cond, err := c.parseCondition("ConditionExpression", tc.expr)
		if err != nil {
			t.Errorf("parseCondition(%q): %v", tc.expr, err)
			continue
		}
		if got := cond.eval(evalItem); got != tc.want {
			t.Errorf("eval(%q) = %v, want %v", tc.expr, got, tc.want)
		}
	}
}

func TestConditionEval_NoItemHasNoAttributes(t *testing.T) {
	for expr, want := range map[string]bool{
		"attribute_not_exists(pk)": true,
		"attribute_exists(pk)":     false,
		"pk = :s":                  false,
		"pk <> :s":                 true,
		"NOT contains(pk, :s)":     true,
	} {
		c := newExprContext(nil, tvals(":s"))
		cond, err := c.parseCondition("ConditionExpression", expr)
		if err != nil {
			t.Fatalf("parseCondition(%q): %v", expr, err)
		}
		if got := cond.eval(nil); got != want {
			t.Errorf("eval(%q) on no item = %v, want %v", expr, got, want)
		}
	}
}

func TestConditionEval_IsSafeForConcurrentUse(t *testing.T) {
	c := newExprContext(map[string]string{"#s": "s"}, tvals(":s", ":n1", ":ss"))
	cond, err := c.parseCondition("FilterExpression", "#s = :s AND size(ss) > :n1 OR contains(ss, :s)")
	if err != nil {
		t.Fatal(err)
	}
	items := []Item{
		{"s": S("hello"), "ss": SS{"a", "b"}},
		{"s": S("hello"), "ss": SS{"a"}},
		{"ss": SS{"hello"}},
		nil,
	}
	want := []bool{true, false, true, false}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				k := i % len(items)
				if got := cond.eval(items[k]); got != want[k] {
					t.Errorf("eval(item %d) = %v, want %v", k, got, want[k])
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestExprContext_UnusedNamesAndValues(t *testing.T) {
	c := newExprContext(map[string]string{"#a": "a", "#z": "z", "#b": "b"}, tvals(":s", ":n1", ":n2"))
	if _, err := c.parseCondition("ConditionExpression", "#a = :s"); err != nil {
		t.Fatal(err)
	}
	if got, want := exprErrMessage(t, c.unusedError()), "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b, #z}"; got != want {
		t.Errorf("unusedError() = %q, want %q", got, want)
	}
	if _, err := c.parseProjection("#b, #z"); err != nil {
		t.Fatal(err)
	}
	if got, want := exprErrMessage(t, c.unusedError()), "Value provided in ExpressionAttributeValues unused in expressions: keys: {:n1, :n2}"; got != want {
		t.Errorf("unusedError() = %q, want %q", got, want)
	}
	if _, err := c.parseUpdate("ADD x :n1, y :n2"); err != nil {
		t.Fatal(err)
	}
	if err := c.unusedError(); err != nil {
		t.Errorf("unusedError() = %v once every entry is used", err)
	}
	if err := newExprContext(nil, nil).unusedError(); err != nil {
		t.Errorf("unusedError() with no names or values = %v", err)
	}
}

func TestCondition_TopLevelNames(t *testing.T) {
	c := newExprContext(map[string]string{"#s": "sk"}, tvals(":s", ":n1"))
	cond, err := c.parseCondition("FilterExpression", "a.b = :s AND (size(#s) > :n1 OR contains(c[0], a.x)) AND NOT attribute_exists(d)")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cond.topLevelNames(), []string{"a", "sk", "c", "d"}; !slices.Equal(got, want) {
		t.Errorf("topLevelNames() = %v, want %v", got, want)
	}
}
