package jsonata

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"
)

func mustCompile(t testing.TB, src string) *Expr {
	t.Helper()
	e, err := Compile(src)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	return e
}

func TestSourceAndUndefined(t *testing.T) {
	e := mustCompile(t, "a.b")
	if e.Source() != "a.b" {
		t.Errorf("Source() = %q", e.Source())
	}
	r, err := e.Eval(map[string]any{"a": 1}, nil)
	if err != nil || !IsUndefined(r) {
		t.Errorf("Eval = %v, %v; want Undefined, nil", r, err)
	}
	if IsUndefined(nil) {
		t.Error("nil (JSON null) must not be Undefined")
	}
	r, err = mustCompile(t, "null").Eval(nil, nil)
	if err != nil || r != nil {
		t.Errorf("null = %#v, %v", r, err)
	}
}

func TestInputNumberKinds(t *testing.T) {
	e := mustCompile(t, "a + b + c")
	for _, in := range []map[string]any{
		{"a": json.Number("1.5"), "b": 2, "c": 3.5},
		{"a": int64(1), "b": float32(2.5), "c": json.Number("3.5")},
	} {
		r, err := e.Eval(in, nil)
		if err != nil {
			t.Fatal(err)
		}
		if r != 7.0 {
			t.Errorf("sum = %#v, want float64 7", r)
		}
	}
	// numbers passed through untouched may stay json.Number
	r, _ := mustCompile(t, "a").Eval(map[string]any{"a": json.Number("12")}, nil)
	if r != json.Number("12") {
		t.Errorf("pass-through = %#v", r)
	}
	r, _ = mustCompile(t, `a = 12 and a > 11.5 and $string(a) = "12"`).Eval(map[string]any{"a": json.Number("12.0")}, nil)
	if r != true {
		t.Errorf("json.Number comparisons = %#v", r)
	}
}

func TestResultsArePlain(t *testing.T) {
	r, err := mustCompile(t, `{"a": [1..3], "b": {"c": Phone.type}, "d": [[1], []]}`).Eval(decodeJSON(t, testDoc), nil)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case *seq:
			t.Errorf("internal sequence leaked: %#v", x)
		case []any:
			for _, it := range x {
				walk(it)
			}
		case map[string]any:
			for _, it := range x {
				walk(it)
			}
		}
	}
	walk(r)
	if got := canon(t, r); got != `{"a":[1,2,3],"b":{"c":["home","office","office","mobile"]},"d":[[1],[]]}` {
		t.Errorf("got %s", got)
	}
}

func TestNoInputMutation(t *testing.T) {
	in := decodeJSON(t, `{"a": {"b": 1}, "list": [3, 1, 2]}`)
	before := canon(t, in)
	for _, src := range []string{
		`$ ~> |a|{"b": 2, "c": 3}, ["x"]|`,
		`$ ~> |$$.a|{"b": 9}|`,
		`($t := |a|{"z": 1}|; $t($$))`,
		`$sort(list)`, `$reverse(list)`, `list^($)`, `$shuffle(list)`,
		`$merge([a, {"b": 5}])`, `$append(list, 4)`,
	} {
		if _, err := mustCompile(t, src).Eval(in, nil); err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		if after := canon(t, in); after != before {
			t.Fatalf("%s changed the input: %s", src, after)
		}
	}
}

func TestTransformCannotBuildCycles(t *testing.T) {
	r, err := mustCompile(t, `$ ~> |a|{"self": $}|`).Eval(decodeJSON(t, `{"a": {"b": 1}}`), nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := canon(t, r); got != `{"a":{"b":1,"self":{"b":1}}}` {
		t.Errorf("got %s", got)
	}
}

func TestEnvVarsAndFuncs(t *testing.T) {
	env := &Env{
		Vars: map[string]any{"states": map[string]any{"input": map[string]any{"n": json.Number("4")}}, "k": "v"},
		Funcs: map[string]Func{
			"twice": {Signature: "<n:n>", Impl: func(c *Call, args []any) (any, error) {
				return args[0].(float64) * 2, nil
			}},
			"ctx": {Signature: "<s-:s>", Impl: func(c *Call, args []any) (any, error) {
				return "ctx:" + args[0].(string), nil
			}},
			"applyTwice": {Signature: "<fx:x>", Impl: func(c *Call, args []any) (any, error) {
				v, err := c.Apply(args[0], args[1])
				if err != nil {
					return nil, err
				}
				return c.Apply(args[0], v)
			}},
			"fail": {Impl: func(c *Call, args []any) (any, error) {
				return nil, c.Errorf("X0001", "failed with %d args", len(args))
			}},
			"plainErr": {Impl: func(c *Call, args []any) (any, error) {
				return nil, errors.New("plain")
			}},
			"nothing":   {Impl: func(c *Call, args []any) (any, error) { return Undefined, nil }},
			"uppercase": {Impl: func(c *Call, args []any) (any, error) { return "overridden", nil }},
			"badsig":    {Signature: "<q>", Impl: func(c *Call, args []any) (any, error) { return 1, nil }},
			"args":      {Impl: func(c *Call, args []any) (any, error) { return len(args), nil }},
			"typedNil": {Impl: func(c *Call, args []any) (any, error) {
				var e *Error
				return "fine", e
			}},
		},
	}
	cases := []struct{ src, want, code string }{
		{src: `$states.input.n * 2`, want: `8`},
		{src: `$k`, want: `"v"`},
		{src: `$twice(21)`, want: `42`},
		{src: `$twice("a")`, code: "T0410"},
		{src: `("abc").$ctx()`, want: `"ctx:abc"`},
		{src: `$ctx()`, code: "T0411"},
		{src: `$applyTwice(function($x){$x + 1}, 5)`, want: `7`},
		{src: `$applyTwice($twice, 3)`, want: `12`},
		{src: `$applyTwice($substring(?, 1), "abc")`, want: `"c"`},
		{src: `$applyTwice(function($s){$s & "!"}, "a")`, want: `"a!!"`},
		{src: `$fail(1, 2)`, code: "X0001"},
		{src: `$plainErr()`, code: "D3137"},
		{src: `$nothing()`, want: "undefined"},
		{src: `$uppercase("a")`, want: `"overridden"`},
		{src: `$badsig(1)`, code: "S0403"},
		{src: `$map([1, 2], $twice)`, want: `[2,4]`},
		{src: `$map([1, 2], $args)`, want: `[3,3]`},
		{src: `$twice ~> $type()`, want: `"function"`},
		{src: `$typedNil()`, want: `"fine"`},
	}
	for _, c := range cases {
		r, err := mustCompile(t, c.src).Eval(map[string]any{}, env)
		if c.code != "" {
			var je *Error
			if !errors.As(err, &je) || je.Code != c.code {
				t.Errorf("%s: want %s, got %v (%v)", c.src, c.code, err, r)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got := canon(t, r); got != c.want {
			t.Errorf("%s = %s, want %s", c.src, got, c.want)
		}
	}
}

func TestErrorShape(t *testing.T) {
	_, err := mustCompile(t, `1 + "a"`).Eval(nil, nil)
	var je *Error
	if !errors.As(err, &je) {
		t.Fatalf("not *Error: %v", err)
	}
	if je.Code != "T2002" || je.Position != 3 || je.Token != "+" {
		t.Errorf("got %+v", je)
	}
	if je.Error() != `T2002: The right side of the "+" operator must evaluate to a number` {
		t.Errorf("Error() = %q", je.Error())
	}
	_, err = Compile(`Account.Order[0`)
	if !errors.As(err, &je) || je.Code != "S0203" || !strings.Contains(je.Message, `"]"`) {
		t.Errorf("got %v", err)
	}
	_, err = mustCompile(t, `$uppercase(1)`).Eval(nil, nil)
	if !errors.As(err, &je) || je.Code != "T0410" || je.Message != `Argument 1 of function "uppercase" does not match function signature` || je.Position != 11 {
		t.Errorf("got %+v", je)
	}
	_, err = mustCompile(t, `$sum(["a"])`).Eval(nil, nil)
	if !errors.As(err, &je) || je.Message != `Argument 1 of function "sum" must be an array of "numbers"` {
		t.Errorf("got %+v", je)
	}
	_, err = mustCompile(t, `$number("x")`).Eval(nil, nil)
	if !errors.As(err, &je) || je.Message != `Unable to cast value to a number: "x"` {
		t.Errorf("got %+v", je)
	}
	_, err = mustCompile(t, `foo()`).Eval(map[string]any{}, &Env{Vars: map[string]any{"foo": 1}})
	if !errors.As(err, &je) || je.Code != "T1005" || je.Message != "Attempted to invoke a non-function. Did you mean $foo?" {
		t.Errorf("got %+v", je)
	}
}

func TestCompileErrors(t *testing.T) {
	cases := []struct {
		src  string
		code string
		pos  int
	}{
		{"1 2", "S0201", 3},
		{"(1", "S0203", 2},
		{"[1,2", "S0203", 4},
		{`{"a" 1}`, "S0202", 6},
		{"+", "S0211", 1},
		{")", "S0211", 1},
		{"1 +", "S0207", 3},
		{"a ! b", "S0204", 3},
		{"$x := ", "S0207", 6},
		{"1 := 2", "S0212", 1},
		{"function($x, 1){1}", "S0208", 14},
		{"a.1", "S0213", 3},
		{`"abc`, "S0101", 4},
		{`"\q"`, "S0103", 2},
		{"/* x", "S0106", 0},
		{"a@b", "S0214", 3},
		{"//", "S0301", 1},
		{"f(", "S0203", 2},
		{"[[[[", "S0203", 4},
		{"||", "S0203", 2},
		{"a#(b#", "S0214", 5},
		{"λ($x)<n-n", "S0203", 9},
		{"λ($x)<n-n:n>", "S0203", 12},
		{"/ab", "S0302", 3},
	}
	for _, c := range cases {
		_, err := Compile(c.src)
		var je *Error
		if !errors.As(err, &je) {
			t.Errorf("%q: want %s, got %v", c.src, c.code, err)
			continue
		}
		if je.Code != c.code || je.Position != c.pos {
			t.Errorf("%q: got %s at %d (%v), want %s at %d", c.src, je.Code, je.Position, je.Message, c.code, c.pos)
		}
	}
	// deep nesting is an error, never a stack overflow
	if _, err := Compile(strings.Repeat("(", 5000) + "1" + strings.Repeat(")", 5000)); err == nil {
		t.Error("deeply nested expression compiled")
	}
}

func TestNowAndRand(t *testing.T) {
	at := time.Date(2020, 1, 2, 3, 4, 5, 6e6, time.UTC)
	n := 0
	env := &Env{Now: at, Rand: func() float64 { n++; return 0.25 }}
	r, err := mustCompile(t, `[$now(), $millis(), $random()]`).Eval(nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if got := canon(t, r); got != `["2020-01-02T03:04:05.006Z",1577934245006,0.25]` {
		t.Errorf("got %s", got)
	}
	r, _ = mustCompile(t, `$shuffle([1,2,3,4])`).Eval(nil, env)
	// with rand fixed at 0.25 Fisher-Yates picks index floor(0.25*(i+1))
	if got := canon(t, r); got != `[4,3,1,2]` {
		t.Errorf("shuffle = %s", got)
	}
	// zero Now: one instant for the whole evaluation
	r, _ = mustCompile(t, `($a := $millis(); $map([1..1000], function($i){$millis() = $a}) ~> $distinct())`).Eval(nil, nil)
	if r != true {
		t.Errorf("$millis not stable within an evaluation: %v", r)
	}
}

func TestLimits(t *testing.T) {
	deep := `($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(%d))`
	if _, err := mustCompile(t, fmt.Sprintf(deep, 50)).Eval(nil, &Env{MaxDepth: 40}); err == nil || err.(*Error).Code != "U1001" {
		t.Errorf("MaxDepth 40: %v", err)
	}
	if r, err := mustCompile(t, fmt.Sprintf(deep, 30)).Eval(nil, &Env{MaxDepth: 40}); err != nil || r != 30.0 {
		t.Errorf("depth 30 under MaxDepth 40: %v %v", r, err)
	}
	loop := mustCompile(t, `($f := function($n){$f($n + 1)}; $f(0))`)
	if _, err := loop.Eval(nil, &Env{MaxSteps: 10000}); err == nil || err.(*Error).Code != "U1002" {
		t.Errorf("infinite tail loop: %v", err)
	}
	if _, err := mustCompile(t, `$count([1..5000000])`).Eval(nil, &Env{MaxSteps: 100000}); err == nil || err.(*Error).Code != "U1002" {
		t.Errorf("large range under MaxSteps: %v", err)
	}
	if r, err := mustCompile(t, `$sum([1..100])`).Eval(nil, &Env{MaxSteps: 1000}); err != nil || r != 5050.0 {
		t.Errorf("small expression under MaxSteps: %v %v", r, err)
	}
}

func TestIsFunction(t *testing.T) {
	for _, src := range []string{`$uppercase`, `function(){1}`, `$substring(?, 1)`, `/a/`, `$uppercase ~> $lowercase`, `|a|{}|`} {
		r, err := mustCompile(t, src).Eval(nil, nil)
		if err != nil || !IsFunction(r) {
			t.Errorf("%s: IsFunction false (%v)", src, err)
		}
	}
	for _, v := range []any{nil, 1.0, "f", []any{}, map[string]any{}, Undefined} {
		if IsFunction(v) {
			t.Errorf("IsFunction(%#v) = true", v)
		}
	}
}

func TestConcurrentEval(t *testing.T) {
	exprs := []*Expr{
		mustCompile(t, `Account.Order.Product[Price > 30].{"n": `+"`Product Name`"+`, "o": %.OrderID}`),
		mustCompile(t, `Phone@$p#$i{$p.type: $i}`),
		mustCompile(t, `($f := function($n){$n < 2 ? $n : $f($n-1) + $f($n-2)}; $f(12))`),
		mustCompile(t, `$ ~> |Address|{"City": $uppercase(City)}|`),
		mustCompile(t, `$replace(FirstName, /(r)/, "[$1]") & $string($sort(Phone.number))`),
	}
	doc := decodeJSON(t, testDoc)
	want := make([]string, len(exprs))
	for i, e := range exprs {
		r, err := e.Eval(doc, nil)
		if err != nil {
			t.Fatal(err)
		}
		want[i] = canon(t, r)
	}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := 0; k < 20; k++ {
				for i, e := range exprs {
					r, err := e.Eval(doc, nil)
					if err != nil {
						t.Error(err)
						return
					}
					if got := canon(t, r); got != want[i] {
						t.Errorf("concurrent %d: %s != %s", i, got, want[i])
						return
					}
				}
			}
		}()
	}
	wg.Wait()
}

func TestMaxDepthCapped(t *testing.T) {
	e := mustCompile(t, `($f := function($n){$n = 0 ? 0 : 1 + $f($n - 1)}; $f(1000000))`)
	_, err := e.Eval(nil, &Env{MaxDepth: 1 << 30})
	var je *Error
	if !errors.As(err, &je) || je.Code != "U1001" {
		t.Fatalf("got %v", err)
	}
}
