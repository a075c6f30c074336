package wire

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/dynamo"
)

// FuzzUnmarshalItem checks that decoding any input never panics, fails
// only with a DynamoDB error, and that what it accepts survives an encode
// and decode unchanged.
func FuzzUnmarshalItem(f *testing.F) {
	for _, s := range []string{
		`{}`, `null`, `{"a":{"S":"x"}}`, `{"a":{"N":"1.5"},"b":{"B":"AAE="}}`,
		`{"a":{"L":[{"NULL":true},{"M":{"k":{"BOOL":false}}}]}}`,
		`{"a":{"SS":["x","y"]},"b":{"NS":["1"]},"c":{"BS":["YQ=="]}}`,
		`{"a":{}}`, `{"a":{"S":"x","N":"1"}}`, `{"a":{"S":1}}`, `{"a":"x"}`, `[1]`, `{"a":{"B":"YR=="}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		item, err := UnmarshalItem(data)
		if err != nil {
			var e *dynamo.Error
			if !errors.As(err, &e) || (e.Code != "SerializationException" && e.Code != "ValidationException") {
				t.Fatalf("UnmarshalItem(%q) error %v is not a DynamoDB error", data, err)
			}
			return
		}
		enc, err := MarshalItem(item)
		if err != nil {
			t.Fatalf("MarshalItem(%#v): %v", item, err)
		}
		again, err := UnmarshalItem(enc)
		if err != nil {
			t.Fatalf("UnmarshalItem(MarshalItem(x)) = %v for %s", err, enc)
		}
		if item == nil {
			item = dynamo.Item{}
		}
		if diff := cmp.Diff(item, again); diff != "" {
			t.Fatalf("round trip of %q changed the item:\n%s", data, diff)
		}
	})
}
