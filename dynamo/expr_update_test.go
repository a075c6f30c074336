package dynamo

import (
	"slices"
	"strings"
	"testing"
)

func TestParseUpdate_AcceptsDynamoDBGrammar(t *testing.T) {
	for _, expr := range []string{
		"SET a = :s",
		"set a = :s, b = c, d.e[2] = if_not_exists(f, :n1)",
		"SET a = b + :n1, c = :n1 - d",
		"SET a = (b + :n1)",
		"SET a = (b) + (:n1)",
		"SET a = ((b + :n1))",
		"SET a=list_append(b,:l) , c = list_append(if_not_exists(c, :l), :l)",
		"SET a = if_not_exists (a, :n0)",
		"REMOVE a, b.c, d[1]",
		"ADD a :n1, b :ss",
		"DELETE a :ss",
		"SET a = :s REMOVE b ADD c :n1 DELETE d :ss",
		"delete d :ss add c :n1 remove b set a = :s",
		"SET #n.#m = :s",
		"  SET   a  =  :s  ",
	} {
		c := newExprContext(map[string]string{"#n": "n", "#m": "m"}, allTestValues())
		if _, err := c.parseUpdate(expr); err != nil {
			t.Errorf("parseUpdate(%q) = %v, want success", expr, err)
		}
	}
}

func TestParseUpdate_ErrorsInDynamoDBWords(t *testing.T) {
	names := map[string]string{"#c": "c", "#d": "[3]", "#attr": "fieldx"}
	for _, tc := range []struct {
		name string
		expr string
		want string
	}{
		{"empty", "", "Invalid UpdateExpression: The expression can not be empty;"},
		{"too long", "SET a" + strings.Repeat("z", 4096) + " = :s", "Invalid UpdateExpression: Expression size has exceeded the maximum allowed size;"},
		{"not a clause", "INVALID SYNTAX HERE", `Invalid UpdateExpression: Syntax error; token: "INVALID", near: "INVALID SYNTAX"`},
		{"clause without actions", "SET", `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "SET"`},
		{"set without value", "SET a", `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "a"`},
		{"add without value", "ADD numx", `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "numx"`},
		{"add literal", "ADD numx 1", `Invalid UpdateExpression: Syntax error; token: "1", near: "numx 1"`},
		{"delete path as value", "DELETE setx a", `Invalid UpdateExpression: Syntax error; token: "a", near: "setx a"`},
		{"dangling plus", "SET note = :s +", `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: "+"`},
		{"multiplication", "SET numx = numx * :n2", `Invalid UpdateExpression: Syntax error; token: "*", near: "numx * :n2"`},
		{"division", "SET numx = numx / :n2", `Invalid UpdateExpression: Syntax error; token: "/", near: "numx / :n2"`},
		{"two additions", "set a = b + c + d", `Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"`},
		{"nested addition", "set a = b + (c + d)", `Invalid UpdateExpression: Syntax error; token: "+", near: "c + d"`},
		{"unclosed index", "SET a[0.b = :s", `Invalid UpdateExpression: Syntax error; token: ".", near: "0.b"`},
		{"remove with value", "REMOVE a b", `Invalid UpdateExpression: Syntax error; token: "b", near: "a b"`},
		{"keyword as value", "SET a = set", `Invalid UpdateExpression: Syntax error; token: "set", near: "= set"`},
		{"value as target", "set :a = b", `Invalid UpdateExpression: Syntax error; token: ":a", near: "set :a ="`},
		{"function as target", "SET if_not_exists(a, b) = a", `Invalid UpdateExpression: Syntax error; token: "(", near: "if_not_exists(a"`},
		{"trailing comma", "SET a = :s,", `Invalid UpdateExpression: Syntax error; token: "<EOF>", near: ","`},
		{"reserved word", "SET COMMENT = :s", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: COMMENT"},
		{"reserved word beats a second clause", " set #c = :s set abOrt = true ", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: abOrt"},
		{"reserved word in a value", "SET a = b.Size", "Invalid UpdateExpression: Attribute name is a reserved keyword; reserved keyword: Size"},
		{"condition function", "SET r = contains(s, :s)", "Invalid UpdateExpression: The function is not allowed in an update expression; function: contains"},
		{"size function", "SET r = size(s)", "Invalid UpdateExpression: The function is not allowed in an update expression; function: size"},
		{"unknown function", "SET a = if_not_exist(a, :n1)", "Invalid UpdateExpression: Invalid function name; function: if_not_exist"},
		{"nested list_append", "SET r = list_append(list_append(l, :l), :l)", "Invalid UpdateExpression: The function is not allowed to be used this way in an expression; function: list_append"},
		{"second SET", "SET fieldx = :s SET otherx = :s", `Invalid UpdateExpression: The "SET" section can only be used once in an update expression;`},
		{"second REMOVE", "remove #x set a = b remove e", `Invalid UpdateExpression: The "REMOVE" section can only be used once in an update expression;`},
		{"second ADD", "add #x :e set a = b add e :f", `Invalid UpdateExpression: The "ADD" section can only be used once in an update expression;`},
		{"second DELETE", "delete #x :e set a = b delete #e :f", `Invalid UpdateExpression: The "DELETE" section can only be used once in an update expression;`},
		{"undefined name", "SET #x = if_not_exists(:nope)", "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"undefined value", "SET #c = if_not_exists(:nope)", "Invalid UpdateExpression: An expression attribute value used in expression is not defined; attribute value: :nope"},
		{"names before values", "SET a = :nope, b = #x", "Invalid UpdateExpression: An expression attribute name used in the document path is not defined; attribute name: #x"},
		{"same path twice", "SET fieldx = :s, fieldx = :a", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [fieldx], path two: [fieldx]"},
		{"parent and child", "SET mapx = :m, mapx.num = :n1", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [mapx], path two: [mapx, num]"},
		{"list element and its child", "SET lst[0] = :s, lst[0].ok = :s", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [lst, [0]], path two: [lst, [0], ok]"},
		{"overlap through a placeholder", "SET #attr = :s, fieldx = :s", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [fieldx], path two: [fieldx]"},
		{"overlap beats an earlier conflict", "set d[1] = a, d.b = a, c[1].a = a, #c = if_not_exists(a)", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [1], a], path two: [c]"},
		{"overlap across clauses", "set a = b remove a, #c, #d", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [a], path two: [a]"},
		{"overlap with a bracketed name", "set #c[3].#d = a, #c[3] = a", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3]]"},
		{"remove parent and child", "remove c, #c.a, #d", "Invalid UpdateExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [c], path two: [c, a]"},
		{"index against key", "set #c[3].#d = a, #c.#d[3] = if_not_exists(a)", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [c, [3], [3]], path two: [c, [3], [3]]"},
		{"key against index", "remove a.#c set a[1] = #d", "Invalid UpdateExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, c], path two: [a, [1]]"},
		{"add a list", "ADD numx :l", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: LIST, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"add a string", "set b = list_append(:s, a), c = if_not_exists(a) add a.b :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: STRING, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"add a map", "ADD a.b :m", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: MAP, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"add a boolean", "ADD a.b :bool", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: BOOLEAN, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"add a null", "ADD a.b :null", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: NULL, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"add a binary", "ADD a.b :bin", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: ADD, operand type: BINARY, typeSet: ALLOWED_FOR_ADD_OPERAND"},
		{"delete a string", "DELETE setx :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: STRING, typeSet: ALLOWED_FOR_DELETE_OPERAND"},
		{"delete a number", "DELETE a.b :n1", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator: DELETE, operand type: NUMBER, typeSet: ALLOWED_FOR_DELETE_OPERAND"},
		{"if_not_exists with one operand", "set a = if_not_exists(c)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: if_not_exists, number of operands: 1"},
		{"list_append with one operand", "set a = list_append(c)", "Invalid UpdateExpression: Incorrect number of operands for operator or function; operator or function: list_append, number of operands: 1"},
		{"if_not_exists of a value", "set a = if_not_exists(:s, c)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"},
		{"if_not_exists of a function", "SET r = if_not_exists(if_not_exists(n, :n0), :n1)", "Invalid UpdateExpression: Operator or function requires a document path; operator or function: if_not_exists"},
		{"list_append of a string", "set a = list_append(:s, a)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: S"},
		{"list_append of a map", "set a = list_append(a, :m)", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: list_append, operand type: M"},
		{"adding a string", "set a = a + :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: S"},
		{"subtracting a list", "set a = a - :l", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: -, operand type: L"},
		{"adding two values", "set a = :bin + :s", "Invalid UpdateExpression: Incorrect operand type for operator or function; operator or function: +, operand type: B"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newExprContext(names, allTestValues())
			_, err := c.parseUpdate(tc.expr)
			if got := exprErrMessage(t, err); got != tc.want {
				t.Errorf("parseUpdate(%.60q)\n got: %s\nwant: %s", tc.expr, got, tc.want)
			}
		})
	}
}

func TestUpdate_TopLevelNames(t *testing.T) {
	c := newExprContext(map[string]string{"#p": "pk"}, allTestValues())
	u, err := c.parseUpdate("SET a = b.c + :n1, #p.x = :s REMOVE d[1], a2 ADD e :n1 DELETE f :ss")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.topLevelNames(), []string{"a", "pk", "d", "a2", "e", "f"}; !slices.Equal(got, want) {
		t.Errorf("topLevelNames() = %v, want %v", got, want)
	}
}
