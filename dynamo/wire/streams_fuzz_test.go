package wire

import (
	"encoding/json"
	"hash/crc32"
	"strconv"
	"testing"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// FuzzStreamsHandler sends arbitrary bodies to the DynamoDB Streams
// operations over a table with a stream of three records. Whatever the
// input, the handler must answer 200 or 400 with a JSON object and the
// right CRC: never a panic or an error without an AWS code
// (InternalServerError). Every run starts from the same manual clock, so
// the iterators of the seeds stay valid. The seed corpus is in
// testdata/fuzz/FuzzStreamsHandler.
func FuzzStreamsHandler(f *testing.F) {
	setup := func(t testing.TB) (*Handler, func()) {
		db := dynamo.New(dynamo.Options{Clock: clock.NewManual(epoch)})
		h := NewHandler(db, Options{Logger: discardLogger})
		create := `{"TableName":"users","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
			"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST",
			"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}`
		for _, req := range [][2]string{
			{"CreateTable", create},
			{"PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"v":{"SS":["a"]}}}`},
			{"PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"v":{"L":[{"M":{"x":{"B":"AAE="}}}]}}}`},
			{"DeleteItem", `{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}}}`},
		} {
			if rec := post(h, req[0], req[1]); rec.Code != 200 {
				t.Fatalf("setup %s: %s", req[0], rec.Body)
			}
		}
		return h, func() { db.Close() }
	}
	h, done := setup(f)
	desc := postStreams(h, "DescribeStream", `{"StreamArn":"`+usersStreamArn+`"}`)
	var d struct {
		StreamDescription struct{ Shards []struct{ ShardId string } }
	}
	if err := json.Unmarshal(desc.Body.Bytes(), &d); err != nil || len(d.StreamDescription.Shards) != 1 {
		f.Fatalf("DescribeStream: %s", desc.Body)
	}
	shard := d.StreamDescription.Shards[0].ShardId
	it := postStreams(h, "GetShardIterator", `{"StreamArn":"`+usersStreamArn+`","ShardId":"`+shard+`","ShardIteratorType":"TRIM_HORIZON"}`)
	var i struct{ ShardIterator string }
	if err := json.Unmarshal(it.Body.Bytes(), &i); err != nil || i.ShardIterator == "" {
		f.Fatalf("GetShardIterator: %s", it.Body)
	}
	done()
	f.Add("GetRecords", []byte(`{"ShardIterator":`+strconv.Quote(i.ShardIterator)+`,"Limit":2}`))
	f.Add("GetShardIterator", []byte(`{"StreamArn":"`+usersStreamArn+`","ShardId":"`+shard+`","ShardIteratorType":"AFTER_SEQUENCE_NUMBER","SequenceNumber":"100000000000000000001"}`))
	f.Add("DescribeStream", []byte(`{"StreamArn":"`+usersStreamArn+`","Limit":1,"ExclusiveStartShardId":"`+shard+`"}`))
	f.Add("ListStreams", []byte(`{"TableName":"users","Limit":100}`))
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		h, done := setup(t)
		defer done()
		rec := postStreams(h, op, string(body))
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
