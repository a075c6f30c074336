package jsonata

import "testing"

// Sequence flattening and singleton rules with array inputs.
func TestFlattening(t *testing.T) {
	phones := `[{"phone": [{"number": 0}]}, {"phone": [{"number": 1}]}, {"phone": [{"number": 2}]}]`
	pairs := `[{"epochSeconds": 1578381600, "value": 3}, {"epochSeconds": 1578381700, "value": 5}]`
	one := `[{"epochSeconds": 1578381600, "value": 3}]`
	runCases(t, []tcase{
		{expr: `phone`, data: phones, want: `[{"number":0},{"number":1},{"number":2}]`},
		{expr: `phone[0]`, data: phones, want: `{"number":0}`},
		{expr: `phone[0][]`, data: phones, want: `[{"number":0}]`},
		{expr: `phone[0].number`, data: phones, want: `0`},
		{expr: `(phone)[0].number`, data: phones, want: `0`},
		{expr: `$.phone[0].number`, data: phones, want: `[0,1,2]`},
		{expr: `{'Hello': 'World'}`, data: `[]`, want: `{"Hello":"World"}`},
		{expr: `$.{'Hello': 'World'}`, data: `[]`, want: "undefined"},
		{expr: `$.[value, epochSeconds]`, data: pairs, want: `[[3,1578381600],[5,1578381700]]`},
		{expr: `$.[value, epochSeconds]`, data: one, want: `[3,1578381600]`},
		{expr: `$.[value, epochSeconds][]`, data: pairs, want: `[[3,1578381600],[5,1578381700]]`},
		{expr: `$.[value, epochSeconds][]`, data: one, want: `[[3,1578381600]]`},
	})
}
