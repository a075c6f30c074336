package jsonata

import "testing"

const staffDoc = `{
 "Person": [
  {"id": "p1", "First": "Ann", "Last": "Lee"},
  {"id": "p2", "First": "Bob", "Last": "Kay"},
  {"id": "p3", "First": "Cat", "Last": "Ng"}
 ],
 "Contact": [
  {"pid": "p1", "Phone": [{"kind": "home", "num": "111"}, {"kind": "cell", "num": "112"}]},
  {"pid": "p2", "Phone": [{"kind": "cell", "num": "221"}]},
  {"pid": "p3", "Phone": [{"kind": "home", "num": "331"}]},
  {"pid": "p3", "Phone": [{"kind": "work", "num": "332"}]}
 ]
}`

// Joins with focus (@) and position (#) bindings, tuple-stream grouping
// and sorting.
func TestJoins(t *testing.T) {
	runCases(t, []tcase{
		{expr: `Person@$p.(Contact)[pid = $p.id].{"name": $p.First, "cell": Phone[kind="cell"].num}`, data: staffDoc,
			want: `[{"cell":"112","name":"Ann"},{"cell":"221","name":"Bob"},{"name":"Cat"},{"name":"Cat"}]`},
		{expr: `Person@$p.(Contact)[pid = $p.id]{$p.First: Phone.num}`, data: staffDoc,
			want: `{"Ann":["111","112"],"Bob":"221","Cat":["331","332"]}`},
		{expr: `Person@$p.Contact@$c[$c.pid = $p.id]{$p.Last: $join($c.Phone.num, ",")}`, data: staffDoc,
			want: `{"Kay":"221","Lee":"111,112","Ng":"331,332"}`},
		{expr: `Person@$p.Contact@$c[$c.pid = $p.id]{$p.Last: $c.Phone[kind != "home"].num}`, data: staffDoc,
			want: `{"Kay":"221","Lee":"112","Ng":"332"}`},
		{expr: `Person@$p.Contact@$c[$c.pid = $p.id]{$p.Last: $c.Phone[kind != "home"].num[]}`, data: staffDoc,
			want: `{"Kay":["221"],"Lee":["112"],"Ng":["332"]}`},
		{expr: `Person@$p^($p.Last).Contact@$c[$p.id = $c.pid].{"n": $p.Last, "k": $c.Phone.kind}`, data: staffDoc,
			want: `[{"k":"cell","n":"Kay"},{"k":["home","cell"],"n":"Lee"},{"k":"home","n":"Ng"},{"k":"work","n":"Ng"}]`},
		{expr: `Person@$p^(>$p.First).Contact@$c[$p.id = $c.pid].$p.First`, data: staffDoc,
			want: `["Cat","Cat","Bob","Ann"]`},
		{expr: `Person@$p.Contact@$c[$p.id = $c.pid]{$p.Last: $c.Phone.num^(>$)}`, data: staffDoc,
			want: `{"Kay":"221","Lee":["112","111"],"Ng":["332","331"]}`},
		{expr: `Person@$o#i.Contact`, data: staffDoc, code: "S0214"},
		{expr: `Person@o.Contact`, data: staffDoc, code: "S0214"},
	})
}

// Position bindings on a top-level array and their interplay with
// predicates, sorting and [].
func TestPositionBindings(t *testing.T) {
	nums := `[3, 1, 4, 1, 5, 9]`
	runCases(t, []tcase{
		{expr: `$#$pos[$pos < 3]`, data: nums, want: `[3,1,4]`},
		{expr: `$#$pos[$pos < 3]^($)`, data: nums, want: `[1,3,4]`},
		{expr: `$#$pos[$pos < 3]^(>$)`, data: nums, want: `[4,3,1]`},
		{expr: `$^($)#$pos[$pos < 3]`, data: nums, want: `[1,1,3]`},
		{expr: `$#$pos[$pos < 3][1]`, data: nums, want: `1`},
		{expr: `$#$pos[$pos < 3][1][]`, data: nums, want: `[1]`},
		{expr: `$#$pos[$pos < 3]^($)[-1]`, data: nums, want: `4`},
		{expr: `$#$pos[][$pos < 3]^($)[-1]`, data: nums, want: `[4]`},
		{expr: `$#$pos[$pos < 3]^($)[-1][]`, data: nums, want: `[4]`},
		{expr: `$[[0..2]]`, data: nums, want: `[3,1,4]`},
		// after $. every number is its own item, at position 0
		{expr: `$.$#$pos[$pos < 3]`, data: nums, want: `[3,1,4,1,5,9]`},
		{expr: `$.$[[0..2]]`, data: nums, want: `[3,1,4,1,5,9]`},
		{expr: `a.b#$i.{"v": $, "i": $i}`, data: `{"a": [{"b": [1, 2]}, {"b": 3}]}`, want: `[{"i":0,"v":1},{"i":1,"v":2},{"i":0,"v":3}]`},
		{expr: `a#$i^($)[0]`, data: `{"a": [3, 1, 2]}`, want: `1`},
		{expr: `Account.Order.Product#$i{$i: SKU}`, code: "T1003"},
	})
}
