package dynamo

import (
	"context"
	"fmt"
	"testing"
)

// BenchmarkWriteItems writes the same 2 or 25 items per operation three
// ways in one run: one BatchWriteItem, one TransactWriteItems, and as
// many single PutItems. ns/op is per group of items, so the columns
// compare directly. The table is on-demand and already holds the items,
// so every write replaces one, with capacity metered.
func BenchmarkWriteItems(b *testing.B) {
	for _, n := range []int{2, 25} {
		db := New(Options{})
		compositeTable(b, db)
		ctx := context.Background()
		items := make([]Item, n)
		for i := range items {
			items[i] = benchItem(i)
			if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: items[i]}); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(fmt.Sprintf("BatchWriteItem/items=%d", n), func(b *testing.B) {
			reqs := make([]WriteRequest, n)
			for i, it := range items {
				reqs[i] = WriteRequest{PutRequest: &PutRequest{Item: it}}
			}
			in := &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": reqs}}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out, err := db.BatchWriteItem(ctx, in)
				if err != nil || len(out.UnprocessedItems) != 0 {
					b.Fatal(err, out.UnprocessedItems)
				}
			}
		})
		b.Run(fmt.Sprintf("TransactWriteItems/items=%d", n), func(b *testing.B) {
			acts := make([]TransactWriteItem, n)
			for i, it := range items {
				acts[i] = TransactWriteItem{Put: &Put{TableName: "orders", Item: it}}
			}
			in := &TransactWriteItemsInput{TransactItems: acts}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := db.TransactWriteItems(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("PutItem/items=%d", n), func(b *testing.B) {
			ins := make([]*PutItemInput, n)
			for i, it := range items {
				ins[i] = &PutItemInput{TableName: "orders", Item: it}
			}
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				for _, in := range ins {
					if _, err := db.PutItem(ctx, in); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
		db.Close()
	}
}

// BenchmarkConsumedCapacity measures what metering adds to a PutItem on
// a table with a global and a local index, reporting nothing and
// reporting INDEXES.
func BenchmarkConsumedCapacity(b *testing.B) {
	db := New(Options{})
	defer db.Close()
	indexedTable(b, db, func(in *CreateTableInput) {
		in.BillingMode = BillingModePayPerRequest
		in.ProvisionedThroughput = nil
		in.GlobalSecondaryIndexes[0].ProvisionedThroughput = nil
	})
	ctx := context.Background()
	items := make([]Item, 1024)
	for i := range items {
		items[i] = Item{"pk": S(fmt.Sprint("p", i%16)), "sk": N(fmt.Sprint(i)), "gsiPk": S(fmt.Sprint("g", i%7)), "lsiSk": S(fmt.Sprint(i)), "proj": N(fmt.Sprint(i))}
	}
	for _, mode := range []ReturnConsumedCapacity{ReturnConsumedCapacityNone, ReturnConsumedCapacityIndexes} {
		b.Run(string(mode), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: items[i%len(items)], ReturnConsumedCapacity: mode}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
