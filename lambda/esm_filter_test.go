package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

const filterDoc = `{"eventName":"INSERT","dynamodb":{"Keys":{"id":{"S":"order-17"}},
	"NewImage":{"status":{"S":"Shipped"},"total":{"N":"42.5"},"tags":{"L":[{"S":"gift"},{"S":"express"}]}}},
	"amount":42.5,"count":3,"flag":true,"none":null,"empty":"","list":["a","b"],"items":[{"k":1},{"k":2}]}`

func TestFilterPattern_MatchesAsLambdaDocuments(t *testing.T) {
	cases := []struct {
		pattern string
		want    bool
	}{
		{`{}`, true},
		{`{"eventName":["INSERT"]}`, true},
		{`{"eventName":["MODIFY","INSERT"]}`, true},
		{`{"eventName":["MODIFY"]}`, false},
		{`{"eventName":["INSERT"],"count":[4]}`, false},
		{`{"dynamodb":{"Keys":{"id":{"S":[{"prefix":"order-"}]}}}}`, true},
		{`{"dynamodb":{"Keys":{"id":{"S":[{"prefix":"cart-"}]}}}}`, false},
		{`{"dynamodb":{"Keys":{"id":{"S":[{"suffix":"-17"}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":[{"equals-ignore-case":"SHIPPED"}]}}}}`, true},
		{`{"dynamodb":{"NewImage":{"status":{"S":["SHIPPED"]}}}}`, false},
		{`{"eventName":[{"anything-but":"REMOVE"}]}`, true},
		{`{"eventName":[{"anything-but":["INSERT","REMOVE"]}]}`, false},
		{`{"eventName":[{"anything-but":{"prefix":"INS"}}]}`, false},
		{`{"count":[{"anything-but":[1,2]}]}`, true},
		{`{"amount":[{"numeric":[">",0,"<=",42.5]}]}`, true},
		{`{"amount":[{"numeric":[">",42.5]}]}`, false},
		{`{"count":[{"numeric":["=",3]}]}`, true},
		{`{"count":[3.0]}`, true},
		{`{"count":["3"]}`, false},
		{`{"dynamodb":{"NewImage":{"total":{"N":[{"numeric":[">",0]}]}}}}`, false}, // a string, not a number
		{`{"flag":[true]}`, true},
		{`{"none":[null]}`, true},
		{`{"empty":[""]}`, true},
		{`{"missing":[{"exists":false}]}`, true},
		{`{"missing":[{"exists":true}]}`, false},
		{`{"eventName":[{"exists":true}]}`, true},
		{`{"eventName":[{"exists":false}]}`, false},
		{`{"missing":["x"]}`, false},
		{`{"missing":[{"anything-but":"x"}]}`, false},
		{`{"list":["b"]}`, true},
		{`{"list":["c"]}`, false},
		{`{"items":{"k":[2]}}`, true},
		{`{"items":{"k":[3]}}`, false},
		{`{"dynamodb":{"NewImage":{"tags":{"L":{"S":["express"]}}}}}`, true},
		{`{"eventName":{"nested":["x"]}}`, false},
	}
	var doc any
	if err := json.Unmarshal([]byte(filterDoc), &doc); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		p, err := parseFilterPattern(tc.pattern)
		if err != nil {
			t.Errorf("%s: %v", tc.pattern, err)
			continue
		}
		if got := p.match(doc); got != tc.want {
			t.Errorf("%s matched %v, want %v", tc.pattern, got, tc.want)
		}
	}
}

func TestFilterCriteria_IsAnOrOfFilters(t *testing.T) {
	f, err := compileFilterCriteria(&FilterCriteria{Filters: []Filter{
		{Pattern: `{"eventName":["REMOVE"]}`},
		{Pattern: `{"dynamodb":{"Keys":{"id":{"S":[{"prefix":"order-"}]}}}}`},
	}})
	if err != nil {
		t.Fatal(err)
	}
	for doc, want := range map[string]bool{
		`{"eventName":"REMOVE","dynamodb":{"Keys":{"id":{"S":"cart-1"}}}}`:  true,
		`{"eventName":"INSERT","dynamodb":{"Keys":{"id":{"S":"order-1"}}}}`: true,
		`{"eventName":"INSERT","dynamodb":{"Keys":{"id":{"S":"cart-1"}}}}`:  false,
		`not json`: false,
	} {
		if got := f.match(json.RawMessage(doc), false); got != want {
			t.Errorf("%s matched %v, want %v", doc, got, want)
		}
	}
	var none *eventFilter
	if !none.match(json.RawMessage(`{}`), false) {
		t.Error("no filter must let every record through")
	}
}

func TestFilterCriteria_KinesisMatchesDecodedData(t *testing.T) {
	rec := func(data string) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"eventSource": "aws:kinesis", "kinesis": map[string]string{
			"partitionKey": "1", "data": base64.StdEncoding.EncodeToString([]byte(data))}})
		return b
	}
	f, err := compileFilterCriteria(&FilterCriteria{Filters: []Filter{{Pattern: `{"data":{"order":{"type":["buy"]}}}`}}})
	if err != nil {
		t.Fatal(err)
	}
	if !f.match(rec(`{"record":12345,"order":{"type":"buy","stock":"ANYCO"}}`), true) {
		t.Error("a buy order was dropped")
	}
	if f.match(rec(`{"order":{"type":"sell"}}`), true) || f.match(rec(`plain text`), true) {
		t.Error("a sell order or plain text passed")
	}
	meta, _ := compileFilterCriteria(&FilterCriteria{Filters: []Filter{{Pattern: `{"partitionKey":["1"]}`}}})
	if meta.match(rec(`{}`), true) {
		t.Error("Kinesis filters see only the data key")
	}
	text, _ := compileFilterCriteria(&FilterCriteria{Filters: []Filter{{Pattern: `{"data":[{"prefix":"plain"}]}`}}})
	if !text.match(rec(`plain text`), true) {
		t.Error("data that is not JSON is matched as a string")
	}
}

func TestFilterCriteria_RefusesInvalidPatterns(t *testing.T) {
	bad := []string{
		``, `[]`, `"x"`, `{"a":"x"}`, `{"a":1}`, `{"a":[]}`, `{"a":[[1]]}`,
		`{"a":[{"prefix":1}]}`, `{"a":[{"prefix":"x","suffix":"y"}]}`, `{"a":[{"regex":"x"}]}`,
		`{"a":[{"exists":"yes"}]}`, `{"a":[{"numeric":[">"]}]}`, `{"a":[{"numeric":["!=",1]}]}`,
		`{"a":[{"numeric":["=",1,"<",2]}]}`, `{"a":[{"numeric":[">",0,"<",9,">",1]}]}`,
		`{"a":[{"anything-but":[]}]}`, `{"a":[{"anything-but":[{"x":1}]}]}`, `{"a":[{"anything-but":true}]}`,
		`{"a":["x"]} {"b":["y"]}`,
	}
	for _, p := range bad {
		_, err := compileFilterCriteria(&FilterCriteria{Filters: []Filter{{Pattern: p}}})
		if !errors.Is(err, ErrInvalidParameterValue) || !strings.Contains(err.Error(), "Invalid filter pattern definition") {
			t.Errorf("pattern %q: %v", p, err)
		}
	}
	six := make([]Filter, 6)
	for i := range six {
		six[i].Pattern = `{}`
	}
	if _, err := compileFilterCriteria(&FilterCriteria{Filters: six}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Errorf("6 filters: %v", err)
	}
	long := `{"a":["` + strings.Repeat("x", esmMaxFilterPattern) + `"]}`
	if _, err := compileFilterCriteria(&FilterCriteria{Filters: []Filter{{Pattern: long}}}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Errorf("a pattern over 4,096 characters: %v", err)
	}
}

func TestESM_FilterCriteriaDropsRecordsBeforeBatching(t *testing.T) {
	fc := &FilterCriteria{Filters: []Filter{{Pattern: `{"dynamodb":{"Keys":{"id":{"S":[{"prefix":"keep"}]}}}}`}}}
	s, _, src, fn, out := setupESM(t, CreateEventSourceMappingInput{FilterCriteria: fc})
	if out.FilterCriteria == nil || out.FilterCriteria.Filters[0].Pattern != fc.Filters[0].Pattern {
		t.Fatalf("configuration FilterCriteria = %+v", out.FilterCriteria)
	}
	src.put("keep-1", "drop-1", "keep-2")
	if got := fn.next(t, ""); strings.Join(got, ",") != "keep-1,keep-2" {
		t.Fatalf("first batch %v", got)
	}
	src.put("drop-2", "keep-3")
	if got := fn.next(t, ""); strings.Join(got, ",") != "keep-3" {
		t.Fatalf("second batch %v", got)
	}
	_, err := s.UpdateEventSourceMapping(context.Background(), &UpdateEventSourceMappingInput{UUID: out.UUID,
		FilterCriteria: &FilterCriteria{Filters: []Filter{{Pattern: `{"eventName":[`}}}})
	if !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("update with a bad pattern: %v", err)
	}
	up, err := s.UpdateEventSourceMapping(context.Background(), &UpdateEventSourceMappingInput{UUID: out.UUID, FilterCriteria: &FilterCriteria{}})
	if err != nil || up.FilterCriteria != nil {
		t.Fatalf("removing the filters: %+v, %v", up, err)
	}
	src.put("drop-3")
	if got := fn.next(t, ""); strings.Join(got, ",") != "drop-3" {
		t.Fatalf("after removing the filters %v", got)
	}
}

// FuzzFilterPattern parses arbitrary patterns and matches the valid ones
// against a document: never a panic, and a pattern that parses once
// parses again to the same verdict.
func FuzzFilterPattern(f *testing.F) {
	for _, p := range []string{
		`{"eventName":["INSERT"]}`, `{"a":{"b":[{"prefix":"x"}]}}`, `{"n":[{"numeric":[">",0,"<=",5]}]}`,
		`{"x":[{"anything-but":["a",1]}]}`, `{"x":[{"anything-but":{"prefix":"p"}}]}`, `{"x":[{"exists":false}]}`,
		`{"x":[{"equals-ignore-case":"AbC"}, null, true, 1.5, ""]}`, `{"a":[{"numeric":["=",3]}]}`, `{`, `[]`,
	} {
		f.Add(p)
	}
	var doc any
	json.Unmarshal([]byte(filterDoc), &doc)
	f.Fuzz(func(t *testing.T, pattern string) {
		p, err := parseFilterPattern(pattern)
		if err != nil {
			return
		}
		first := p.match(doc)
		p2, err := parseFilterPattern(pattern)
		if err != nil || p2.match(doc) != first {
			t.Fatalf("pattern %q is not stable", pattern)
		}
		p.match(nil)
		p.match([]any{doc, "x", 1.0})
	})
}

// BenchmarkFilterCriteria_Match measures filtering one DynamoDB record
// against two patterns (decoding the record included), beside decoding
// alone, the floor.
func BenchmarkFilterCriteria_Match(b *testing.B) {
	f, err := compileFilterCriteria(&FilterCriteria{Filters: []Filter{
		{Pattern: `{"eventName":["REMOVE"]}`},
		{Pattern: `{"dynamodb":{"NewImage":{"status":{"S":[{"anything-but":["Pending"]}]},"total":{"N":[{"prefix":"4"}]}}}}`},
	}})
	if err != nil {
		b.Fatal(err)
	}
	rec := json.RawMessage(filterDoc)
	b.Run("minicloud", func(b *testing.B) {
		for b.Loop() {
			if !f.match(rec, false) {
				b.Fatal("no match")
			}
		}
	})
	b.Run("decodeonly", func(b *testing.B) {
		for b.Loop() {
			var v any
			json.Unmarshal(rec, &v)
		}
	})
}
