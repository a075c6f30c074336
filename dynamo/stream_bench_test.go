package dynamo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// BenchmarkPutItem_Streams measures what a stream costs a write: the same
// PutItem, each one changing its item, on a table without a stream and
// with each view type. The clock moves one second every 1,024 writes and
// the retention is one minute, so the stream's size stays bounded and
// trimming is part of the cost.
func BenchmarkPutItem_Streams(b *testing.B) {
	ctx := context.Background()
	const keys = 1024
	items := make([]Item, 2*keys)
	for i := range items {
		items[i] = benchItem(i % keys)
		items[i]["version"] = N(fmt.Sprint(i / keys))
	}
	for _, view := range []StreamViewType{"", StreamViewTypeKeysOnly, StreamViewTypeNewAndOldImages} {
		name := "streams=off"
		if view != "" {
			name = "streams=" + string(view)
		}
		b.Run(name, func(b *testing.B) {
			c := clock.NewManual(testEpoch)
			db := New(Options{Clock: c, Streams: StreamOptions{Retention: time.Minute}})
			defer db.Close()
			compositeTable(b, db, func(in *CreateTableInput) {
				if view != "" {
					in.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: view}
				}
			})
			for _, it := range items[:keys] {
				if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: it}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				// Each key alternates between its two versions, so every
				// write changes the item and yields a record.
				if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: items[(i+keys)%len(items)]}); err != nil {
					b.Fatal(err)
				}
				if i%keys == keys-1 {
					c.Advance(time.Second)
				}
			}
		})
	}
}

// BenchmarkGetRecords reads 100-record pages from a stream of 10,000
// records, JSON-ready Records with copied images.
func BenchmarkGetRecords(b *testing.B) {
	ctx := context.Background()
	c := clock.NewManual(testEpoch)
	db := New(Options{Clock: c, Streams: StreamOptions{MaxReadersPerShard: -1}})
	defer db.Close()
	compositeTable(b, db, func(in *CreateTableInput) {
		in.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewAndOldImages}
	})
	for i := range 10_000 {
		if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: benchItem(i)}); err != nil {
			b.Fatal(err)
		}
	}
	out, _ := db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	src, _ := db.StreamSource(out.Table.LatestStreamArn)
	ids, _, _ := src.Shards(ctx)
	b.ReportAllocs()
	b.ResetTimer()
	iter := ""
	for i := 0; i < b.N; i++ {
		if iter == "" {
			it, err := src.ShardIterator(ctx, ids[0], "TRIM_HORIZON", "")
			if err != nil {
				b.Fatal(err)
			}
			iter = it
		}
		res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: iter, Limit: 100})
		if err != nil {
			b.Fatal(err)
		}
		iter = res.NextShardIterator
		if len(res.Records) == 0 {
			iter = ""
		}
	}
}
