package wire

import (
	"encoding/json"
	"testing"

	"github.com/minicloud/minicloud/dynamo"
)

var benchItem = dynamo.Item{
	"pk": dynamo.S("user#00042"), "name": dynamo.S("Ada Lovelace"), "email": dynamo.S("ada@example.com"),
	"age": dynamo.N("36"), "score": dynamo.N("1234.5"), "active": dynamo.BOOL(true),
	"tags": dynamo.SS{"admin", "beta"}, "avatar": dynamo.B("0123456789abcdef"),
	"address": dynamo.M{"city": dynamo.S("London"), "zip": dynamo.S("W1")},
	"logins":  dynamo.L{dynamo.N("1714564800"), dynamo.N("1714651200")},
	"note":    dynamo.NULL{},
}

// BenchmarkUnmarshalItem decodes a typical item from DynamoDB JSON, beside
// encoding/json decoding the same bytes into generic maps (which checks
// nothing and yields no AttributeValues): the peer for the cost of JSON
// itself.
func BenchmarkUnmarshalItem(b *testing.B) {
	data, err := MarshalItem(benchItem)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("wire", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			if _, err := UnmarshalItem(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-generic", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			var m map[string]any
			if err := json.Unmarshal(data, &m); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMarshalItem encodes the same item, beside encoding/json
// encoding the generic form.
func BenchmarkMarshalItem(b *testing.B) {
	data, _ := MarshalItem(benchItem)
	var generic map[string]any
	if err := json.Unmarshal(data, &generic); err != nil {
		b.Fatal(err)
	}
	b.Run("wire", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := MarshalItem(benchItem); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding-json-generic", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(generic); err != nil {
				b.Fatal(err)
			}
		}
	})
}
