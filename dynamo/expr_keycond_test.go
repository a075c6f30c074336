package dynamo

import (
	"testing"
)

func TestParseKeyCondition_Accepted(t *testing.T) {
	names := map[string]string{"#p": "pk", "#s": "sk"}
	for _, tc := range []struct {
		expr      string
		partition string
		sort      *sortCondition // values compared by type and text
	}{
		{"pk = :a", "pk", nil},
		{"#p = :a", "pk", nil},
		{"pk = :a AND sk = :b", "pk", &sortCondition{name: "sk", op: "=", values: []AttributeValue{S("b")}}},
		{"sk > :b AND pk = :a", "pk", &sortCondition{name: "sk", op: ">", values: []AttributeValue{S("b")}}},
		{"pk = :a and :b < sk", "pk", &sortCondition{name: "sk", op: ">", values: []AttributeValue{S("b")}}},
		{":b >= #s AND #p = :a", "pk", &sortCondition{name: "sk", op: "<=", values: []AttributeValue{S("b")}}},
		{":a = pk AND sk <= :b", "pk", &sortCondition{name: "sk", op: "<=", values: []AttributeValue{S("b")}}},
		{"pk = :a AND sk BETWEEN :a AND :z", "pk", &sortCondition{name: "sk", op: "BETWEEN", values: []AttributeValue{S("a"), S("z")}}},
		{"pk = :a AND begins_with(#s, :b)", "pk", &sortCondition{name: "sk", op: "begins_with", values: []AttributeValue{S("b")}}},
		{"(pk = :a) AND (sk < :b)", "pk", &sortCondition{name: "sk", op: "<", values: []AttributeValue{S("b")}}},
		{"(pk = :a AND sk >= :b)", "pk", &sortCondition{name: "sk", op: ">=", values: []AttributeValue{S("b")}}},
	} {
		c := newExprContext(names, tvals(":a", ":b", ":z"))
		k, err := c.parseKeyCondition(tc.expr)
		if err != nil {
			t.Errorf("parseKeyCondition(%q): %v", tc.expr, err)
			continue
		}
		if k.partitionName != tc.partition || !valuesEqual(k.partitionValue, S("a")) {
			t.Errorf("parseKeyCondition(%q) partition = %s %v, want %s :a", tc.expr, k.partitionName, k.partitionValue, tc.partition)
		}
		if !sortConditionsEqual(k.sort, tc.sort) {
			t.Errorf("parseKeyCondition(%q) sort = %+v, want %+v", tc.expr, k.sort, tc.sort)
		}
	}
}

func sortConditionsEqual(a, b *sortCondition) bool {
	if a == nil || b == nil {
		return a == b
	}
	if a.name != b.name || a.op != b.op || len(a.values) != len(b.values) {
		return false
	}
	for i := range a.values {
		if !valuesEqual(a.values[i], b.values[i]) {
			return false
		}
	}
	return true
}

func TestParseKeyCondition_ErrorsInDynamoDBWords(t *testing.T) {
	const prefix = "Invalid KeyConditionExpression: "
	for _, tc := range []struct {
		expr string
		want string
	}{
		{"", "The expression can not be empty;"},
		{"things are not gonna be ok", `Syntax error; token: "are", near: "things are not"`},
		{"a > 4", `Syntax error; token: "4", near: "> 4"`},
		{"(size(a))[0] > a", `Syntax error; token: "[", near: ")[0"`},
		{"attribute_type(a, b)", "Incorrect operand type for operator or function; operator or function: attribute_type, operand type: {S,SS,N,NS,B,BS,BOOL,NULL,L,M,HD,DOUBLE,FLOAT,HDS,FS,DOUBLESET,DICT,DECIMAL,INT,DECIMALSET,INTSET}"},
		{"attribute_type(a, :typeS)", "Invalid operator used in KeyConditionExpression: attribute_type"},
		{"a > b and size(b) > c or a > c", "Invalid operator used in KeyConditionExpression: OR"},
		{"a in (b, size(c), d)", "Invalid operator used in KeyConditionExpression: IN"},
		{"attribute_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_exists"},
		{"attribute_not_exists(a)", "Invalid operator used in KeyConditionExpression: attribute_not_exists"},
		{"contains(a.d, b)", "Invalid operator used in KeyConditionExpression: contains"},
		{"not a > b", "Invalid operator used in KeyConditionExpression: NOT"},
		{"a <> b", "Invalid operator used in KeyConditionExpression: <>"},
		{":a between size(b) and size(a) and b > :b", "Invalid condition in KeyConditionExpression: BETWEEN operator must have the key attribute as its first operand"},
		{"begins_with(:a, b) and a > :b", "Invalid condition in KeyConditionExpression: begins_with operator must have the key attribute as its first operand"},
		{"size(b) > a AND a.b > b AND b > c", "KeyConditionExpressions cannot contain nested operations"},
		{"a > size(b.d)", "KeyConditionExpressions cannot contain nested operations"},
		{"a between size(b) and size(a)", "KeyConditionExpressions cannot contain nested operations"},
		{"b > a.b", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"b between c[1] and d", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"a between b and size(a)", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"begins_with(a, b)", "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"},
		{"b.d > a AND c.d > e.f", "KeyConditionExpressions cannot have conditions on nested attributes"},
		{"a.d > c", "KeyConditionExpressions cannot have conditions on nested attributes"},
		{"b[0] > a", "KeyConditionExpressions cannot have conditions on nested attributes"},
		{"pk = :a AND :b < sk.foo", "KeyConditionExpressions cannot have conditions on nested attributes"},
		{":b > :a AND a < :b", "Invalid condition in KeyConditionExpression: No key attribute specified"},
		{":a > b AND :a < :b", "Invalid condition in KeyConditionExpression: No key attribute specified"},
		{"b > :a AND b < :a and c = :a and d = :a", "KeyConditionExpressions must only contain one condition per key"},
		{"(a > :a and b > :a) and (b > :a and c > :a)", "KeyConditionExpressions must only contain one condition per key"},
		{"pk = :a AND sk > :n1 AND sk < :n5", "KeyConditionExpressions must only contain one condition per key"},
		{"a between :n1 and :a", "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: {N:1}, upper bound operand: AttributeValue: {S:a}"},
		{"a between :b and :a", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {S:b}, upper bound operand: AttributeValue: {S:a}"},
		{"pk = :a AND begins_with(sk, :n1)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"pk = :a AND begins_with(sk, :bool)", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: BOOL"},
		{"pk = :a AND sk < :bool", "Incorrect operand type for operator or function; operator or function: <, operand type: BOOL"},
		{"pk = :a AND :bool >= sk", "Incorrect operand type for operator or function; operator or function: >=, operand type: BOOL"},
		{"pk = :a AND sk BETWEEN :false AND :bool", "Incorrect operand type for operator or function; operator or function: BETWEEN, operand type: BOOL"},
		{"pk = :nope AND begins_with(sk, :n1)", "An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"begins_with(sk, :n1) AND pk = :nope", "Incorrect operand type for operator or function; operator or function: begins_with, operand type: N"},
		{"data.foo = :a", "Attribute name is a reserved keyword; reserved keyword: data"},
		{"((pk = :a))", "The expression has redundant parentheses;"},
	} {
		c := newExprContext(nil, allTestValues())
		_, err := c.parseKeyCondition(tc.expr)
		if got, want := exprErrMessage(t, err), prefix+tc.want; got != want {
			t.Errorf("parseKeyCondition(%q)\n got: %s\nwant: %s", tc.expr, got, want)
		}
	}
}

func TestKeyCondition_BindChecksTheKeySchema(t *testing.T) {
	for _, tc := range []struct {
		expr      string
		hash, rng string
		want      string // error message, or "" for success
		partition string
		sort      string
	}{
		{expr: "pk = :a", hash: "pk", partition: "pk"},
		{expr: "pk = :a", hash: "pk", rng: "sk", partition: "pk"},
		{expr: "sk = :b AND pk = :a", hash: "pk", rng: "sk", partition: "pk", sort: "sk"},
		{expr: "pk = :a AND sk = :b", hash: "pk", rng: "sk", partition: "pk", sort: "sk"},
		{expr: "begins_with(sk, :b) AND pk = :a", hash: "pk", rng: "sk", partition: "pk", sort: "sk"},
		{expr: "z = :a", hash: "a", rng: "b", want: "Query condition missed key schema element: a"},
		{expr: "z between :a and :b", hash: "a", rng: "b", want: "Query condition missed key schema element: a"},
		{expr: "a = :a AND z = :b", hash: "a", rng: "b", want: "Query condition missed key schema element: b"},
		{expr: "a > :a", hash: "a", want: "Query key condition not supported"},
		{expr: "a > :a AND b = :b", hash: "a", rng: "b", want: "Query key condition not supported"},
		{expr: "a = :a AND b = :b", hash: "a", want: "The number of query conditions (2) exceeds the number of key attributes defined in the schema (1)"},
		{expr: "pk = :a AND sk > :b AND extra = :z", hash: "pk", rng: "sk", want: "The number of query conditions (3) exceeds the number of key attributes defined in the schema (2)"},
	} {
		c := newExprContext(nil, tvals(":a", ":b", ":z"))
		k, err := c.parseKeyCondition(tc.expr)
		if err != nil {
			t.Errorf("parseKeyCondition(%q): %v", tc.expr, err)
			continue
		}
		bound, err := k.bind(tc.hash, tc.rng)
		if got := exprErrMessage(t, err); got != tc.want {
			t.Errorf("bind(%q, %q, %q) error = %q, want %q", tc.expr, tc.hash, tc.rng, got, tc.want)
			continue
		}
		if err != nil {
			continue
		}
		if bound.partitionName != tc.partition || !valuesEqual(bound.partitionValue, S("a")) {
			t.Errorf("bind(%q) partition = %s %v, want %s :a", tc.expr, bound.partitionName, bound.partitionValue, tc.partition)
		}
		gotSort := ""
		if bound.sort != nil {
			gotSort = bound.sort.name
		}
		if gotSort != tc.sort {
			t.Errorf("bind(%q) sort = %q, want %q", tc.expr, gotSort, tc.sort)
		}
	}
}

func TestParseKeyCondition_AmbiguousPartitionLeftToBind(t *testing.T) {
	c := newExprContext(nil, tvals(":a", ":b"))
	k, err := c.parseKeyCondition("a > :a AND b < :b")
	if err != nil {
		t.Fatal(err)
	}
	if k.partitionName != "" || k.sort != nil || len(k.conds) != 2 {
		t.Errorf("two inequalities: partition %q sort %v conds %d, want none, nil, 2", k.partitionName, k.sort, len(k.conds))
	}
}
