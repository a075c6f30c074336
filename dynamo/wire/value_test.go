package wire

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/dynamo"
)

func TestMarshalItem_RoundTripsEveryType(t *testing.T) {
	item := dynamo.Item{
		"s":     dynamo.S("héllo \"world\"\n\t\u2028"),
		"empty": dynamo.S(""),
		"n":     dynamo.N("-12.5E3"),
		"b":     dynamo.B{0, 1, 2, 0xff},
		"eb":    dynamo.B{},
		"t":     dynamo.BOOL(true),
		"f":     dynamo.BOOL(false),
		"null":  dynamo.NULL{},
		"ss":    dynamo.SS{"a", "b"},
		"ns":    dynamo.NS{"1", "2.5"},
		"bs":    dynamo.BS{{1}, {2, 3}},
		"l":     dynamo.L{dynamo.S("x"), dynamo.L{}, dynamo.M{}},
		"m":     dynamo.M{"nested": dynamo.M{"deep": dynamo.L{dynamo.N("1"), dynamo.NULL{}}}},
	}
	data, err := MarshalItem(item)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalItem(data)
	if err != nil {
		t.Fatalf("UnmarshalItem(%s): %v", data, err)
	}
	if diff := cmp.Diff(item, got); diff != "" {
		t.Errorf("round trip changed the item (-want +got):\n%s", diff)
	}
}

func TestMarshalValue_WritesDynamoDBJSON(t *testing.T) {
	tests := []struct {
		v    dynamo.AttributeValue
		want string
	}{
		{dynamo.S("a<b>&"), `{"S":"a<b>&"}`},
		{dynamo.N("42"), `{"N":"42"}`},
		{dynamo.B("hi"), `{"B":"aGk="}`},
		{dynamo.BOOL(false), `{"BOOL":false}`},
		{dynamo.NULL{}, `{"NULL":true}`},
		{dynamo.SS{"x"}, `{"SS":["x"]}`},
		{dynamo.NS{"1", "2"}, `{"NS":["1","2"]}`},
		{dynamo.BS{[]byte("a")}, `{"BS":["YQ=="]}`},
		{dynamo.L{dynamo.N("1"), dynamo.S("2")}, `{"L":[{"N":"1"},{"S":"2"}]}`},
		{dynamo.M{"b": dynamo.N("2"), "a": dynamo.N("1")}, `{"M":{"a":{"N":"1"},"b":{"N":"2"}}}`},
		{dynamo.S("\x01\xff"), `{"S":"\u0001\ufffd"}`},
	}
	for _, tt := range tests {
		got, err := MarshalValue(tt.v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("MarshalValue(%#v) = %s, want %s", tt.v, got, tt.want)
		}
	}
}

func TestMarshalValue_RefusesNil(t *testing.T) {
	for _, v := range []dynamo.AttributeValue{nil, dynamo.L{nil}, dynamo.M{"a": dynamo.L{nil}}} {
		if _, err := MarshalValue(v); err == nil {
			t.Errorf("MarshalValue(%#v) succeeded", v)
		}
	}
	if _, err := MarshalItem(dynamo.Item{"a": nil}); err == nil {
		t.Error("MarshalItem with a nil value succeeded")
	}
}

func TestUnmarshalValue_AnswersAsDynamoDB(t *testing.T) {
	const (
		ser = "SerializationException"
		val = "ValidationException"
	)
	tests := []struct {
		name, in, code, msg string
	}{
		{"empty structure", `{}`, val, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"unknown type is ignored", `{"X":"a"}`, val, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"null member is absent", `{"S":null}`, val, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"two types", `{"S":"a","N":"1"}`, val, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"NULL false", `{"NULL":false}`, val, "One or more parameter values were invalid: Null attribute value types must have the value of true"},
		{"nested empty", `{"L":[{"S":"a"},{}]}`, val, "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"nested in map", `{"M":{"a":{"S":"x","BOOL":true}}}`, val, "Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"number for S", `{"S":1}`, ser, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"},
		{"bool for N", `{"N":true}`, ser, "class java.lang.Boolean can not be converted to an String"},
		{"map for S", `{"S":{}}`, ser, "Start of structure or map found where not expected."},
		{"list for S", `{"S":[]}`, ser, "Start of list found where not expected"},
		{"string for L", `{"L":"a"}`, ser, "Expected list or null"},
		{"map for L", `{"L":{}}`, ser, "Start of structure or map found where not expected."},
		{"string for M", `{"M":"a"}`, ser, "Expected map or null"},
		{"list for M", `{"M":[]}`, ser, "Start of list found where not expected"},
		{"string for value", `"a"`, ser, "Expected null"},
		{"list for value", `[]`, ser, "Start of list found where not expected"},
		{"number for BOOL", `{"BOOL":1}`, ser, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an Boolean"},
		{"bad string for BOOL", `{"BOOL":"maybe"}`, ser, "'MAYBE' can not be converted to an Boolean"},
		{"bool for B", `{"B":true}`, ser, "class java.lang.Boolean can not be converted to a Blob"},
		{"base64 length", `{"B":"abc"}`, ser, "'abc' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: 3"},
		{"base64 character", `{"B":"ab*d"}`, ser, "'ab*d' can not be converted to a Blob: Invalid Base64 character: '*'"},
		{"base64 padding inside", `{"B":"a=bc"}`, ser, "'a=bc' can not be converted to a Blob: Invalid Base64 character: '='"},
		{"base64 trailing bits", `{"B":"YR=="}`, ser, "'YR==' can not be converted to a Blob: Invalid last non-pad Base64 character dectected"},
		{"type error beats validation", `{"L":[{},{"S":1}]}`, ser, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"},
		{"malformed JSON", `{"S":"a"`, ser, ""},
		{"trailing garbage", `{"S":"a"} x`, ser, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := UnmarshalValue([]byte(tt.in))
			var e *dynamo.Error
			if !errors.As(err, &e) {
				t.Fatalf("UnmarshalValue(%s) = %#v, %v; want a %s", tt.in, v, err, tt.code)
			}
			if e.Code != tt.code || tt.msg != "" && e.Message != tt.msg {
				t.Errorf("UnmarshalValue(%s) error = %s: %q\nwant %s: %q", tt.in, e.Code, e.Message, tt.code, tt.msg)
			}
		})
	}
}

func TestUnmarshalValue_LenientBooleansAsDynamoDB(t *testing.T) {
	for in, want := range map[string]dynamo.BOOL{
		`{"BOOL":"true"}`: true, `{"BOOL":"Yes"}`: true, `{"BOOL":"1"}`: true,
		`{"BOOL":"FALSE"}`: false, `{"BOOL":"no"}`: false, `{"BOOL":"0"}`: false,
	} {
		v, err := UnmarshalValue([]byte(in))
		if err != nil || v != want {
			t.Errorf("UnmarshalValue(%s) = %v, %v; want %v", in, v, err, want)
		}
	}
}

func TestUnmarshalItem_KeepsNilApartFromEmpty(t *testing.T) {
	item, err := UnmarshalItem([]byte(`null`))
	if err != nil || item != nil {
		t.Errorf("UnmarshalItem(null) = %#v, %v; want nil", item, err)
	}
	item, err = UnmarshalItem([]byte(`{}`))
	if err != nil || item == nil || len(item) != 0 {
		t.Errorf("UnmarshalItem({}) = %#v, %v; want an empty item", item, err)
	}
	v, err := UnmarshalValue([]byte(`{"SS":[]}`))
	if err != nil || v == nil {
		t.Fatalf("UnmarshalValue(empty SS) = %#v, %v", v, err)
	}
	if ss, ok := v.(dynamo.SS); !ok || ss == nil {
		t.Errorf("empty SS decoded as %#v; want an empty, non-nil SS for dynamo to refuse", v)
	}
}

func TestUnmarshalValue_DeepNestingIsRefused(t *testing.T) {
	in := strings.Repeat(`{"L":[`, 400) + `{"S":"x"}` + strings.Repeat(`]}`, 400)
	_, err := UnmarshalValue([]byte(in))
	if !errors.Is(err, dynamo.ErrValidation) {
		t.Fatalf("error = %v, want ValidationException", err)
	}
	if !strings.Contains(err.Error(), "Nesting Levels have exceeded supported limits") {
		t.Errorf("error = %v", err)
	}
}

// The parser's arena and scratch are pooled: an item decoded earlier must
// come out whole however many documents, large or small, well-formed or
// not, are parsed after it, on any goroutine.
func TestUnmarshalItem_SurvivesTheReuseOfPooledParsers(t *testing.T) {
	want := dynamo.Item{
		"pk": dynamo.S("user#1"), "n": dynamo.N("12.5"), "l": dynamo.L{dynamo.S("a"), dynamo.M{"k": dynamo.BOOL(true)}},
		"ss": dynamo.SS{"x", "y"}, "esc": dynamo.S("tab\there \u00e9"),
	}
	data, err := MarshalItem(want)
	if err != nil {
		t.Fatal(err)
	}
	got, err := UnmarshalItem(data)
	if err != nil {
		t.Fatal(err)
	}
	big := dynamo.Item{}
	for i := range 3000 {
		big["a"+strconv.Itoa(i)] = dynamo.L{dynamo.S(strings.Repeat("z", i%50)), dynamo.N(strconv.Itoa(i))}
	}
	bigData, err := MarshalItem(big)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 20 {
				doc := [][]byte{bigData, data, []byte(`{"a":{"S":"b"},"c":{"L":[{"N":"1"},`)}[(g+i)%3]
				if item, err := UnmarshalItem(doc); err == nil && len(item) == 0 {
					t.Error("decoded an empty item")
				}
			}
		})
	}
	wg.Wait()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("the first item changed after later parses (-want +got):\n%s", diff)
	}
	again, err := UnmarshalItem(bigData)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(big, again); diff != "" {
		t.Errorf("a large item decoded by a reused parser differs (-want +got):\n%s", diff)
	}
}
