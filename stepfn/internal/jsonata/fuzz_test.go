package jsonata

import (
	"errors"
	"testing"
)

var fuzzSeeds = []string{
	`Account.Order.Product[Price > 30].{"n": ` + "`Product Name`" + `, "o": %.OrderID}`,
	`Phone@$p#$i{$p.type: $i}`,
	`$sum(Account.Order.Product.(Price * Quantity))`,
	`($f := function($n){$n < 2 ? $n : $f($n-1) + $f($n-2)}; $f(8))`,
	`$ ~> |Address|{"City": "X"}, ["Postcode"]|`,
	`$replace("abc", /(b)/, "$1$1") & $string([1..3])`,
	`Account.Order.Product^(>Price, Quantity)#$i[$i < 2].SKU`,
	`$map([1,2,3], $substring("abcdef", ?, 2))`,
	`{"a": [1, 2, {"b": null}], "c": true ? 1 : 2}`,
	`**.*[$type($) = "string"] ~> $distinct() ~> $join(",")`,
	`$match("a1b2", /\d/).index ?: 0 ?? 1`,
	`/* c */ λ($x)<n-:n>{$x * 2}(4)`,
	`$eval("1 + $x", {"x": 1})`,
	`Phone[[0..1]].number[]`,
	`"\u00e9" & 'x' & $pad("y", -3, "ab")`,
}

// FuzzCompile: any input either compiles or gives an *Error; never a panic.
func FuzzCompile(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add("(((((")
	f.Add(`"\ud800"`)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Compile(src)
		if err != nil {
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("Compile(%q) error is not *Error: %v", src, err)
			}
			return
		}
		if e.Source() != src {
			t.Fatalf("Source() changed")
		}
	})
}

// FuzzEval: compiled expressions evaluate against a fixed document under
// a step limit; the result is a value or an *Error, never a panic.
func FuzzEval(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	doc := decodeJSON(f, testDoc)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Compile(src)
		if err != nil {
			return
		}
		r, err := e.Eval(doc, &Env{MaxSteps: 20000, MaxDepth: 100, Now: testEnv.Now, Rand: testEnv.Rand})
		if err != nil {
			var je *Error
			if !errors.As(err, &je) {
				t.Fatalf("Eval(%q) error is not *Error: %v", src, err)
			}
			return
		}
		if _, leaked := r.(*seq); leaked {
			t.Fatalf("Eval(%q) leaked an internal sequence", src)
		}
	})
}

// FuzzSignature: any signature text parses or gives an *Error, and a
// parsed signature validates any argument list without panicking.
func FuzzSignature(f *testing.F) {
	for _, s := range []string{"<n-n?:n>", "<a<n>:n>", "<s-(sf)(sf)n?:s>", "<x-b?:s>", "<a+>", "<f<s:o>>", "<(sa<n>)>", "<o-f?:o>", "<"} {
		f.Add(s)
	}
	args := [][]any{nil, {1.0}, {"a", 2.0}, {[]any{1.0, "x"}, Undefined, nil}, {map[string]any{}, true, []any{}}}
	f.Fuzz(func(t *testing.T, src string) {
		sig, err := parseSignature(src)
		if err != nil {
			return
		}
		for _, a := range args {
			_, _ = sig.validate(a, "ctx", "f", 0, len(a)%2 == 0)
		}
	})
}
