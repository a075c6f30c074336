package wire

import (
	"encoding/json"
	"hash/crc32"
	"strconv"
	"testing"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// FuzzHandler sends arbitrary bodies to every operation of a handler over
// a DB with one table and one item. Whatever the input, the handler must
// answer 200 or a 4xx with a JSON body, the right CRC, and never an
// InternalServerError: that would be a panic or an error without an AWS
// code, in the wire layer or in the dynamo package behind it. The seed
// corpus is in testdata/fuzz/FuzzHandler.
func FuzzHandler(f *testing.F) {
	f.Add("GetItem", []byte(`{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}}}`))
	f.Add("PutItem", []byte(`{"TableName":"users","Item":{"pk":{"S":"u2"},"sk":{"N":"2"},"l":{"L":[{"M":{"a":{"NULL":true}}}]}}}`))
	f.Add("Query", []byte(`{"TableName":"users","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"u1"}},"Limit":1}`))
	f.Add("CreateTable", []byte(createUsers))
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		db := dynamo.New(dynamo.Options{Clock: clock.NewManual(epoch)})
		defer db.Close()
		h := NewHandler(db, Options{Logger: discardLogger})
		if rec := post(h, "CreateTable", createUsers); rec.Code != 200 {
			t.Fatalf("setup: %s", rec.Body)
		}
		if rec := post(h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"v":{"SS":["a"]}}}`); rec.Code != 200 {
			t.Fatalf("setup: %s", rec.Body)
		}
		rec := post(h, op, string(body))
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("%s %q: status %d %s", op, body, rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: response %q is not a JSON object: %v", op, body, rec.Body, err)
		}
		if want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(rec.Body.Bytes())), 10); rec.Header().Get("X-Amz-Crc32") != want {
			t.Fatalf("bad CRC")
		}
	})
}
