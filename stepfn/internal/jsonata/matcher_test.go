package jsonata

import "testing"

// A function following the matcher protocol can stand in for a regex in
// $match, $replace, $split and $contains.
func TestCustomMatcher(t *testing.T) {
	// finds every "b" in the string, reporting JavaScript string indexes
	finder := `($find := function($s, $from){(
		$rest := $substring($s, $from);
		$i := $length($substringBefore($rest, "b"));
		$i = $length($rest) ? undefined : {
			"match": "b", "start": $from + $i, "end": $from + $i + 1, "groups": [],
			"next": function(){ $find($s, $from + $i + 1) }
		}
	)}; $b := function($s){ $find($s, 0) }; `
	runCases(t, []tcase{
		{expr: finder + `$replace("abcb", $b, "X"))`, want: `"aXcX"`},
		{expr: finder + `$replace("abcb", $b, "X", 1))`, want: `"aXcb"`},
		{expr: finder + `$split("abcbd", $b))`, want: `["a","c","d"]`},
		{expr: finder + `$contains("xyz", $b))`, want: `false`},
		{expr: finder + `$match("xxb", $b).index)`, want: `2`},
		{expr: finder + `$replace("xxb", $b, "!"))`, want: `"xx!"`},
		{expr: `$replace("abc", function($s){"oops"}, "X")`, code: "T1010"},
		{expr: `$replace("abc", function($s){{"match": 1}}, "X")`, code: "T1010"},
	})
}

func TestStringOrderAndEscapes(t *testing.T) {
	runCases(t, []tcase{
		{expr: `"é" < "z"`, want: `false`},
		{expr: `"a😀" < "a\uFFFF"`, want: `true`},
		{expr: `["b", "a😀", "a\uFFFF", "a"]^($)`, want: `["a","a😀","a\uffff","b"]`},
		{expr: `$sort(["z", "é", "e"])`, want: `["e","z","é"]`},
		{expr: `$string("\u0001\u001f")`, want: `"\u0001\u001f"`},
		{expr: `$string(["\u0001", "\u001f", "\b\f"])`, want: `"[\"\\u0001\",\"\\u001f\",\"\\b\\f\"]"`},
		{expr: `$replace("a.b.c", ".", function($m){"[" & $m.match & "@" & $m.start & "]"})`, want: `"a[.@1]b[.@3]c"`},
		{expr: `$replace("abc", /b/, function($m){$m.start & $m.end & $string($m.index)})`, want: `"a12c"`},
		{expr: `$filter(["a1", "b", "c3"], /\d/)`, want: `"a1"`},
		{expr: `/\d/("a1b2", 2).match`, want: `"2"`},
		{expr: `$replace("a.b.c", ".", function($m){"-"}, 1)`, want: `"a-b.c"`},
		{expr: `$replace("a.b", ".", function($m){1})`, code: "D3012"},
	})
}
