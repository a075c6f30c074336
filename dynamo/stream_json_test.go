package dynamo

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden files under testdata")

// goldenRecord is a TTL deletion seen through a NEW_AND_OLD_IMAGES stream,
// with one attribute of every type in its old image.
func goldenRecord() Record {
	id := ttlIdentity
	return Record{
		AwsRegion:      "eu-west-1",
		EventID:        "c4ca4238a0b923820dcc509a6f75849b",
		EventName:      OperationTypeRemove,
		EventSource:    "aws:dynamodb",
		EventVersion:   "1.1",
		EventSourceARN: "arn:aws:dynamodb:eu-west-1:123456789012:table/sessions/stream/2025-03-01T12:00:00.000",
		UserIdentity:   &id,
		Dynamodb: StreamRecord{
			ApproximateCreationDateTime: time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC),
			Keys:                        Item{"pk": S("session#1")},
			OldImage: Item{
				"pk":      S("session#1"),
				"user":    S("ana \"the\" <admin>\n"),
				"expires": N("1740830400"),
				"token":   B{0, 1, 2, 0xfe, 0xff},
				"active":  BOOL(false),
				"note":    NULL{},
				"roles":   SS{"admin", "dev"},
				"scores":  NS{"1.5", "-2"},
				"keys":    BS{{1}, {2, 3}},
				"history": L{S("login"), N("3"), M{"ip": S("10.0.0.1")}},
				"prefs":   M{"theme": S("dark"), "tabs": L{}},
			},
			SequenceNumber: "100000000000000000042",
			SizeBytes:      214,
			StreamViewType: StreamViewTypeNewAndOldImages,
		},
	}
}

// lambdaEventRecord mirrors the JSON tags of events.DynamoDBEventRecord
// in aws-lambda-go (the real round trip lives in the sdktest module, so
// that this module does not depend on aws-lambda-go). Decoding with
// DisallowUnknownFields proves every member we write is one it reads.
type lambdaEventRecord struct {
	AWSRegion string `json:"awsRegion"`
	Change    struct {
		ApproximateCreationDateTime float64               `json:"ApproximateCreationDateTime,omitempty"`
		Keys                        map[string]lambdaAttr `json:"Keys,omitempty"`
		NewImage                    map[string]lambdaAttr `json:"NewImage,omitempty"`
		OldImage                    map[string]lambdaAttr `json:"OldImage,omitempty"`
		SequenceNumber              string                `json:"SequenceNumber"`
		SizeBytes                   int64                 `json:"SizeBytes"`
		StreamViewType              string                `json:"StreamViewType"`
	} `json:"dynamodb"`
	EventID        string `json:"eventID"`
	EventName      string `json:"eventName"`
	EventSource    string `json:"eventSource"`
	EventVersion   string `json:"eventVersion"`
	EventSourceArn string `json:"eventSourceARN"`
	UserIdentity   *struct {
		Type        string `json:"type"`
		PrincipalID string `json:"principalId"`
	} `json:"userIdentity,omitempty"`
}

// lambdaAttr is an events.AttributeValue: an object of exactly one
// member named after the type.
type lambdaAttr map[string]json.RawMessage

func (a lambdaAttr) valid(t *testing.T, path string) {
	t.Helper()
	if len(a) != 1 {
		t.Fatalf("%s: attribute value with %d members", path, len(a))
	}
	for typ, raw := range a {
		switch typ {
		case "S", "N", "B":
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				t.Fatalf("%s.%s: %v", path, typ, err)
			}
		case "BOOL", "NULL":
			var b bool
			if err := json.Unmarshal(raw, &b); err != nil {
				t.Fatalf("%s.%s: %v", path, typ, err)
			}
		case "SS", "NS", "BS":
			var ss []string
			if err := json.Unmarshal(raw, &ss); err != nil {
				t.Fatalf("%s.%s: %v", path, typ, err)
			}
		case "L":
			var l []lambdaAttr
			if err := json.Unmarshal(raw, &l); err != nil {
				t.Fatalf("%s.L: %v", path, err)
			}
			for _, e := range l {
				e.valid(t, path+".L")
			}
		case "M":
			var m map[string]lambdaAttr
			if err := json.Unmarshal(raw, &m); err != nil {
				t.Fatalf("%s.M: %v", path, err)
			}
			for k, e := range m {
				e.valid(t, path+".M."+k)
			}
		default:
			t.Fatalf("%s: unknown type %q", path, typ)
		}
	}
}

func TestRecord_JSONIsTheLambdaEventRecord(t *testing.T) {
	rec := goldenRecord()
	got, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", "stream_record.golden.json")
	if *updateGolden {
		if err := os.WriteFile(path, append(got, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Fatalf("record JSON differs from %s (-want +got):\n%s", path, diff)
	}

	// The golden file reads as an events.DynamoDBEventRecord.
	var ev lambdaEventRecord
	dec := json.NewDecoder(bytes.NewReader(want))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ev); err != nil {
		t.Fatalf("decoding as events.DynamoDBEventRecord: %v", err)
	}
	if ev.Change.ApproximateCreationDateTime != 1740830400 || ev.UserIdentity == nil ||
		ev.UserIdentity.Type != "Service" || ev.UserIdentity.PrincipalID != "dynamodb.amazonaws.com" ||
		ev.EventName != "REMOVE" || ev.EventSource != "aws:dynamodb" || ev.Change.StreamViewType != "NEW_AND_OLD_IMAGES" {
		t.Fatalf("decoded %+v", ev)
	}
	for k, v := range ev.Change.OldImage {
		v.valid(t, "OldImage."+k)
	}
	for k, v := range ev.Change.Keys {
		v.valid(t, "Keys."+k)
	}

	// And back into a Record, unchanged.
	var back Record
	if err := json.Unmarshal(want, &back); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rec, back); diff != "" {
		t.Fatalf("round trip (-want +got):\n%s", diff)
	}
}

func TestStreamRecord_JSONOmitsWhatIsNotThere(t *testing.T) {
	b, err := json.Marshal(StreamRecord{Keys: Item{"pk": S("a")}, SequenceNumber: "1", StreamViewType: StreamViewTypeKeysOnly})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"Keys":{"pk":{"S":"a"}},"SequenceNumber":"1","SizeBytes":0,"StreamViewType":"KEYS_ONLY"}`
	if string(b) != want {
		t.Fatalf("got  %s\nwant %s", b, want)
	}
	r := Record{EventName: OperationTypeInsert}
	b, _ = json.Marshal(r)
	if bytes.Contains(b, []byte("userIdentity")) {
		t.Fatalf("userIdentity written without one: %s", b)
	}
}

func TestStreamRecord_UnmarshalJSON(t *testing.T) {
	cases := []struct {
		name, in string
		want     StreamRecord
		bad      bool
	}{
		{name: "fractional time", in: `{"ApproximateCreationDateTime":1740830400.25,"SequenceNumber":"1"}`,
			want: StreamRecord{ApproximateCreationDateTime: time.Unix(1740830400, 250_000_000).UTC(), SequenceNumber: "1"}},
		{name: "numbers made canonical", in: `{"Keys":{"n":{"N":"01.50"}},"NewImage":{"s":{"NS":["1e2","2"]}}}`,
			want: StreamRecord{Keys: Item{"n": N("1.5")}, NewImage: Item{"s": NS{"100", "2"}}}},
		{name: "null image", in: `{"NewImage":null}`, want: StreamRecord{}},
		{name: "two types", in: `{"Keys":{"a":{"S":"x","N":"1"}}}`, bad: true},
		{name: "no type", in: `{"Keys":{"a":{}}}`, bad: true},
		{name: "unknown type", in: `{"Keys":{"a":{"X":"1"}}}`, bad: true},
		{name: "bad number", in: `{"Keys":{"a":{"N":"abc"}}}`, bad: true},
		{name: "NULL false", in: `{"Keys":{"a":{"NULL":false}}}`, bad: true},
		{name: "empty set", in: `{"Keys":{"a":{"SS":[]}}}`, bad: true},
		{name: "bad base64", in: `{"Keys":{"a":{"B":"!!"}}}`, bad: true},
		{name: "time out of range", in: `{"ApproximateCreationDateTime":1e300}`, bad: true},
		{name: "not an object", in: `[]`, bad: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var got StreamRecord
			err := json.Unmarshal([]byte(c.in), &got)
			if c.bad {
				if err == nil {
					t.Fatalf("accepted %s as %+v", c.in, got)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, got); diff != "" {
				t.Fatal(diff)
			}
		})
	}
}

func TestAppendJSONString_MatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "ctl\x00\x01\x1f\t\r\n", "utf8 é ☃ 😀", "bad \xff\xfe utf8", "<>&\u2028"} {
		var fromJSON string
		if err := json.Unmarshal(appendJSONString(nil, s), &fromJSON); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		var want string
		b, _ := json.Marshal(s)
		json.Unmarshal(b, &want)
		if fromJSON != want {
			t.Errorf("%q decodes to %q, encoding/json's to %q", s, fromJSON, want)
		}
	}
}
