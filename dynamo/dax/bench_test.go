package dax

import (
	"context"
	"fmt"
	"testing"

	"github.com/minicloud/minicloud/dynamo"
)

// BenchmarkGetItem reads one of 1,024 items: from the item cache (every
// read a hit) and from the table straight, in the same run.
func BenchmarkGetItem(b *testing.B) {
	ctx := context.Background()
	back, cluster, _ := setup(b, Options{})
	keys := make([]dynamo.Item, 1024)
	for i := range keys {
		keys[i] = key(fmt.Sprint("user#", i), i%100)
		item := dynamo.Item{"name": dynamo.S("a customer name"), "total": dynamo.N("123.45"), "tags": dynamo.SS{"a", "b"}}
		for k, v := range keys[i] {
			item[k] = v
		}
		putVia(b, cluster, item)
	}
	for name, c := range map[string]Client{"dax-hit": cluster, "table": back.DB} {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out, err := c.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: keys[i%len(keys)]})
				if err != nil || out.Item == nil {
					b.Fatal(err)
				}
			}
		})
	}
	if s := cluster.Stats(); s.ItemCacheMisses != 0 {
		b.Fatalf("%d misses", s.ItemCacheMisses)
	}
}
