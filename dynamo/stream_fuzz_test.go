package dynamo

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The stream's parsers — record JSON in DynamoDB JSON, Kinesis change
// JSON, shard iterators — must never panic, and whatever they accept must
// survive a round trip. Seed corpora live in testdata/fuzz/<target>.

func FuzzStreamRecordJSON(f *testing.F) {
	golden, _ := json.Marshal(goldenRecord().Dynamodb)
	for _, s := range []string{
		string(golden),
		`{"ApproximateCreationDateTime":1740830400.5,"Keys":{"pk":{"S":"a"}},"SequenceNumber":"1","SizeBytes":3,"StreamViewType":"KEYS_ONLY"}`,
		`{"NewImage":{"l":{"L":[{"M":{"x":{"NS":["1","2.50"]}}}]}}}`,
		`{"Keys":{"a":{"S":"x","N":"1"}}}`, `{"Keys":{"b":{"B":"AAE="}}}`, `{"Keys":null}`, `[]`, `{`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r StreamRecord
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("accepted %q but cannot marshal it: %v", data, err)
		}
		var back StreamRecord
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("cannot read back %s: %v", b, err)
		}
		if !itemsEqual(r.Keys, back.Keys) || !itemsEqual(r.NewImage, back.NewImage) || !itemsEqual(r.OldImage, back.OldImage) ||
			r.SequenceNumber != back.SequenceNumber || r.SizeBytes != back.SizeBytes || r.StreamViewType != back.StreamViewType {
			t.Fatalf("round trip of %q changed it:\n%s", data, cmp.Diff(r, back))
		}
	})
}

func FuzzKinesisChangeJSON(f *testing.F) {
	for _, s := range []string{
		`{"ApproximateCreationDateTime":1740830400123,"Keys":{"pk":{"S":"a"}},"NewImage":{"pk":{"S":"a"},"n":{"N":"1"}},"SizeBytes":9,"ApproximateCreationDateTimePrecision":"MILLISECOND"}`,
		`{"ApproximateCreationDateTime":1740830400123456,"ApproximateCreationDateTimePrecision":"MICROSECOND"}`,
		`{"ApproximateCreationDateTime":1.5}`, `{"OldImage":{"x":{"BOOL":true}}}`, `null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var r KinesisChangeRecord
		if err := json.Unmarshal(data, &r); err != nil {
			return
		}
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("accepted %q but cannot marshal it: %v", data, err)
		}
		var back KinesisChangeRecord
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("cannot read back %s: %v", b, err)
		}
		if !itemsEqual(r.Keys, back.Keys) || !itemsEqual(r.NewImage, back.NewImage) || !itemsEqual(r.OldImage, back.OldImage) || r.SizeBytes != back.SizeBytes {
			t.Fatalf("round trip of %q changed it:\n%s", data, cmp.Diff(r, back))
		}
	})
}

func FuzzShardIterator(f *testing.F) {
	arn := "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2025-03-01T12:00:00.000"
	f.Add(encodeIterator(arn, iteratorPos{shard: "shardId-00000001740830400000-1a2b3c4d", after: 99, reader: 1, issued: testEpoch}))
	f.Add(arn + "|1|AQ")
	f.Add("|1|")
	f.Add("sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg")
	f.Fuzz(func(t *testing.T, it string) {
		a, pos, ok := decodeIterator(it)
		if !ok {
			return
		}
		again := encodeIterator(a, pos)
		a2, pos2, ok := decodeIterator(again)
		if !ok || a2 != a || pos2.shard != pos.shard || pos2.after != pos.after || pos2.reader != pos.reader || !pos2.issued.Equal(pos.issued) {
			t.Fatalf("iterator %q decoded to %+v, which does not round trip", it, pos)
		}
	})
}
