package wire

import (
	"encoding/json"
	"testing"
	"time"
)

// jsonDocs are documents whose validity the parser must judge as
// encoding/json does.
var jsonDocs = []string{
	`{}`, `[]`, `null`, `true`, `false`, `0`, `-0`, `1.5e10`, `-1E-3`, `"a"`,
	`{"a":1,"b":[1,2,{"c":null}]}`, ` { "a" : "b" } `, `"\u00e9\ud83d\ude00\n\t\"\\\/"`,
	`"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`,
	// invalid
	``, ` `, `{`, `}`, `[1,]`, `{"a":1,}`, `{"a"}`, `{a:1}`, `01`, `1.`, `.5`, `-`, `1e`, `+1`,
	`tru`, `nul`, `"abc`, `"\x"`, `"\u12"`, "\"a\x01\"", `{"a":1}}`, `[1 2]`, `NaN`, `"\`,
}

func TestParseJSON_AgreesWithEncodingJSON(t *testing.T) {
	for _, doc := range jsonDocs {
		_, err := parseJSON([]byte(doc))
		if want := json.Valid([]byte(doc)); (err == nil) != want {
			t.Errorf("parseJSON(%q) error = %v; encoding/json says valid = %v", doc, err, want)
		}
	}
}

func TestParseJSON_UnescapesAsEncodingJSON(t *testing.T) {
	for _, doc := range []string{`"plain"`, `"\u00e9\ud83d\ude00\n\t\"\\\/\b\f\r"`, `"\ud800"`, `"\udc00x"`, `"\ud800\u0041"`, `"é 😀"`} {
		n, err := parseJSON([]byte(doc))
		if err != nil {
			t.Fatalf("parseJSON(%q): %v", doc, err)
		}
		var want string
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatal(err)
		}
		if n.text != want {
			t.Errorf("parseJSON(%q) = %q, want %q", doc, n.text, want)
		}
	}
}

func TestParseJSON_RefusesInvalidUTF8(t *testing.T) {
	if _, err := parseJSON([]byte("\"a\xffb\"")); err == nil {
		t.Error("parseJSON accepted a string with invalid UTF-8")
	}
}

func TestParseJSON_KeepsMemberOrderAndNumberText(t *testing.T) {
	n, err := parseJSON([]byte(`{"z":1,"a":12345678901234567890123456789,"m":-0.5e-7}`))
	if err != nil {
		t.Fatal(err)
	}
	var names, texts []string
	for _, m := range n.members {
		names = append(names, m.name)
		texts = append(texts, m.value.text)
	}
	if got := names; len(got) != 3 || got[0] != "z" || got[1] != "a" || got[2] != "m" {
		t.Errorf("member order = %v", got)
	}
	if texts[1] != "12345678901234567890123456789" || texts[2] != "-0.5e-7" {
		t.Errorf("number texts = %v", texts)
	}
}

func TestAppendQuoted_IsValidJSONForAnyString(t *testing.T) {
	for _, s := range []string{"", "plain", "\"\\", "\x00\x1f\x7f", "\u2028\u2029", "é😀", "\xff\xfe", "a\xe2\x82"} {
		b := appendQuoted(nil, s)
		var got string
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("appendQuoted(%q) = %s, not JSON: %v", s, b, err)
			continue
		}
		if want := []rune(s); string(want) != got {
			t.Errorf("appendQuoted(%q) decodes to %q, want %q", s, got, string(want))
		}
	}
}

func TestWriter_TimeIsEpochSecondsWithMilliseconds(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{time.Unix(1700000000, 0), "1700000000"},
		{time.Unix(1700000000, 123_000_000), "1700000000.123"},
		{time.Unix(1700000000, 500_000_000), "1700000000.5"},
		{time.Unix(1700000000, 10_999_999), "1700000000.01"},
		{time.Unix(-1, 250_000_000), "-0.75"},
	}
	for _, tt := range tests {
		var w writer
		w.time(tt.t)
		if string(w.b) != tt.want {
			t.Errorf("time(%v) = %s, want %s", tt.t, w.b, tt.want)
		}
	}
}

func TestWriter_SeparatesMembers(t *testing.T) {
	var w writer
	w.beginObject()
	w.key("a")
	w.beginArray()
	w.int(1)
	w.beginObject()
	w.endObject()
	w.string("x")
	w.endArray()
	w.stringField("skipped", "")
	w.stringField("b", "c")
	w.key("d")
	w.bool(true)
	w.endObject()
	const want = `{"a":[1,{},"x"],"b":"c","d":true}`
	if string(w.b) != want {
		t.Errorf("got %s, want %s", w.b, want)
	}
}
