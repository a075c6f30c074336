package stepfn

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzCompile feeds definitions to the compiler: it must never panic,
// must return either a state machine or an InvalidDefinition error with
// at least one diagnostic, and a definition it accepts must compile to
// the same states again.
func FuzzCompile(f *testing.F) {
	for _, seed := range []string{
		passDef, waitDef, `{}`, `[]`, ``, `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"A"}}}`,
		`{"StartAt":"A","States":{"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.a","IsNull":true},"Next":"B"}],"Default":"B"},"B":{"Type":"Succeed"}}}`,
		`{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.x","ItemSelector":{"v.$":"$$.Map.Item.Value"},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}`,
		`{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"x.$":"States.Format('{}', $.a)"},"Retry":[{"ErrorEquals":["States.ALL"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"F"}],"End":true},"F":{"Type":"Fail"}}}`,
		`{"QueryLanguage":"JSONata","StartAt":"C","States":{"C":{"Type":"Choice","Choices":[{"Condition":"{% $states.input.n > 1 %}","Assign":{"x":"{% $states.input.n %}"},"Next":"W"}],"Default":"W"},"W":{"Type":"Wait","Seconds":"{% $x %}","Output":{"a":["{% $x * 2 %}"]},"End":true}}}`,
		`{"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"v.$":"$.a","w":1},"Next":"Q"},"Q":{"Type":"Pass","QueryLanguage":"JSONata","Output":"{% $v %}","End":true}}}`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, def string) {
		m, err := Compile(def)
		diags := Validate(def)
		if err == nil {
			if len(diags) != 0 {
				t.Fatalf("Compile accepted what Validate rejects: %v", diags)
			}
			again, err := Compile(m.Definition())
			if err != nil || strings.Join(again.StateNames(), ",") != strings.Join(m.StateNames(), ",") {
				t.Fatalf("recompiling changed the machine: %v", err)
			}
			return
		}
		if len(diags) == 0 {
			t.Fatalf("Compile rejected with %v but Validate found nothing", err)
		}
		if !strings.HasPrefix(err.Error(), "InvalidDefinition: Invalid State Machine Definition: '") {
			t.Fatalf("error %q is not AWS's shape", err)
		}
	})
}

// FuzzPath parses and evaluates JSONPaths against a fixed document, and
// writes reference paths: no panics, and a value set at a reference path
// reads back.
func FuzzPath(f *testing.F) {
	for _, seed := range []string{"$", "$.a", "$['a b'][0]", "$.a[-1]", "$.a[*].b", "$..b", "$.a[1:3]", "$.a[::-1]", "$.a[0,1]",
		"$.a[?(@.b > 1 && @.c == 'x')]", "$$.Execution.Id", "$.a[?(@.b)]", "$[", "$.a[?(@.b == )]", "$.x.y.z"} {
		f.Add(seed)
	}
	doc, _ := decodeJSON([]byte(`{"a":[{"b":1,"c":"x"},{"b":2,"c":"y"},{"d":[1,2,{"b":3}]}],"a b":["sp"],"x":{"y":null}}`))
	f.Fuzz(func(t *testing.T, src string) {
		p, err := parsePath(src)
		if err != nil {
			return
		}
		v, err := p.eval(doc)
		if err != nil && p.definite() && err != errPathNotFound {
			t.Fatalf("unexpected error %v", err)
		}
		if !p.definite() {
			if _, ok := v.([]any); !ok {
				t.Fatalf("indefinite path %q returned %T", src, v)
			}
		}
		if p.reference() {
			out, err := p.set(doc, "marker")
			if err != nil {
				return
			}
			back, err := p.eval(out)
			if err != nil || back != "marker" {
				t.Fatalf("set then get %q: %v %v", src, back, err)
			}
		}
	})
}

// FuzzIntrinsic parses intrinsic calls and runs the ones that parse
// against a fixed input: no panics, and failures are States.IntrinsicFailure
// or a missing path.
func FuzzIntrinsic(f *testing.F) {
	for _, seed := range []string{
		"States.Format('Hello, {}!', $.name)", "States.Format('\\{\\}')", "States.Array(1, 'two', $.a, null, true)",
		"States.ArrayRange(1, 9, 2)", "States.ArrayPartition($.list, 2)", "States.Hash($.name, 'SHA-256')",
		"States.JsonMerge($.o, $.o, false)", "States.StringSplit('a,b', ',')", "States.MathRandom(1, 10, 3)",
		"States.Base64Decode(States.Base64Encode($.name))", "States.UUID()", "States.StringToJson('{\"a\":1}')",
		"States.ArrayGetItem($.list, 9)", "States.MathAdd(2147483647, 1)", "States.Format(", "States.Nope()",
	} {
		f.Add(seed)
	}
	input, _ := decodeJSON([]byte(`{"name":"world","a":[1],"list":[1,2,3],"o":{"k":1}}`))
	s := New(Options{})
	defer s.Close()
	f.Fuzz(func(t *testing.T, src string) {
		call, err := parseIntrinsic(src)
		if err != nil {
			return
		}
		env := &evalEnv{input: input, context: func() any { return map[string]any{} }, rnd: s.rnd}
		v, err := call.eval(env)
		if err != nil {
			if se, ok := err.(*stateError); ok && se.name != ErrorIntrinsicFailure {
				t.Fatalf("%q failed with %s", src, se.name)
			}
			return
		}
		if _, err := json.Marshal(v); err != nil {
			t.Fatalf("%q produced a value that is not JSON: %v", src, err)
		}
	})
}

// FuzzJSONataOutput runs a Pass state whose Output is a fuzzed JSONata
// expression through TestState: whatever the expression, the state
// succeeds or fails with States.QueryEvaluationError, and nothing
// panics.
func FuzzJSONataOutput(f *testing.F) {
	for _, seed := range []string{"$states.input.a", "$sum($states.input.list)", "$states.input.list[$ > 1]", "{'k': $v}",
		"$map($states.input.list, function($x){$x*2})", "$partition($states.input.list, 2)", "$range(1, 9, 2)",
		"$hash('a', 'SHA-256')", "$random(42)", "$parse('{\"a\":1}')", "$eval('1')", "$undefinedThing", "(", "$states.input.a ~> $uppercase",
		"$string(1e300 * 1e10)", "[1..5].($ * $)", "$states.context.Execution.Id"} {
		f.Add(seed)
	}
	s := New(Options{})
	defer s.Close()
	f.Fuzz(func(t *testing.T, expr string) {
		def, err := json.Marshal(map[string]any{"Type": "Pass", "QueryLanguage": "JSONata", "End": true, "Output": "{%" + expr + "%}"})
		if err != nil {
			return
		}
		out, err := s.TestState(context.Background(), &TestStateInput{Definition: string(def), Input: `{"a":"x","list":[1,2,3]}`, Variables: `{"v":1}`})
		if err != nil {
			return // refused at validation
		}
		switch {
		case out.Status == TestStatusSucceeded:
			if !json.Valid([]byte(out.Output)) {
				t.Fatalf("output %q is not JSON", out.Output)
			}
		case out.Status == TestStatusFailed && out.Error == ErrorQueryEvaluation:
		default:
			t.Fatalf("status %s error %s cause %s", out.Status, out.Error, out.Cause)
		}
	})
}
