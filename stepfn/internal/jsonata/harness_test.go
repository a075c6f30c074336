package jsonata

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
)

// tcase is one table test: expr evaluated against data (JSON; "" means
// testDoc, "none" means no input) must give want (JSON, or "undefined")
// or fail with the error code.
type tcase struct {
	expr string
	data string
	want string
	code string
}

func decodeJSON(t testing.TB, s string) any {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("bad test JSON %q: %v", s, err)
	}
	return v
}

func canon(t testing.TB, v any) string {
	t.Helper()
	if IsUndefined(v) {
		return "undefined"
	}
	if IsFunction(v) {
		return "<function>"
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatalf("cannot encode result %#v: %v", v, err)
	}
	return strings.TrimSpace(b.String())
}

var testEnv = &Env{Now: time.Date(2024, 5, 6, 7, 8, 9, 123e6, time.UTC), Rand: func() float64 { return 0.5 }}

func runCases(t *testing.T, cases []tcase) {
	t.Helper()
	for _, c := range cases {
		var input any = Undefined
		switch c.data {
		case "":
			input = decodeJSON(t, testDoc)
		case "none":
		default:
			input = decodeJSON(t, c.data)
		}
		e, err := Compile(c.expr)
		var got any
		if err == nil {
			got, err = e.Eval(input, testEnv)
		}
		if c.code != "" {
			var je *Error
			if !errors.As(err, &je) {
				t.Errorf("%s: want error %s, got %s (err %v)", c.expr, c.code, canon(t, got), err)
				continue
			}
			if je.Code != c.code {
				t.Errorf("%s: want error %s, got %v", c.expr, c.code, je)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: unexpected error %v", c.expr, err)
			continue
		}
		want := c.want
		if want != "undefined" && want != "<function>" {
			want = canon(t, decodeJSON(t, want))
		}
		if g := canon(t, got); g != want {
			t.Errorf("%s:\n got %s\nwant %s", c.expr, g, want)
		}
	}
}
