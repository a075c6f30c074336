package dynamo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
)

// Benchmarks put each operation beside the raw btree operation on the same
// data, with the item copy the API must make, so the ratio shows what the
// DynamoDB semantics cost. See docs/BENCHMARKS.md.

const benchPartition = 100 // items per partition key

var benchTables = map[int]*DB{}

// benchDB returns a DB with table "orders" holding n items, in partitions
// of 100 ("user#<i/100>", sk 0..99), each with a few attributes.
func benchDB(b *testing.B, n int) *DB {
	if db, ok := benchTables[n]; ok {
		return db
	}
	db := New(Options{LiveTableStats: true})
	compositeTable(b, db)
	ctx := context.Background()
	for i := 0; i < n; i++ {
		_, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: benchItem(i)})
		if err != nil {
			b.Fatal(err)
		}
	}
	benchTables[n] = db
	return db
}

func benchItem(i int) Item {
	return Item{
		"pk":     S(fmt.Sprintf("user#%d", i/benchPartition)),
		"sk":     N(fmt.Sprint(i % benchPartition)),
		"name":   S("a customer name"),
		"total":  N("123.45"),
		"status": S("shipped"),
		"tags":   SS{"a", "b"},
	}
}

func benchKey(i int) Item {
	return Item{"pk": S(fmt.Sprintf("user#%d", i/benchPartition)), "sk": N(fmt.Sprint(i % benchPartition))}
}

func rawTable(db *DB) *table {
	t, _ := db.table("orders")
	return t
}

func BenchmarkGetItem(b *testing.B) {
	const n = 100_000
	db := benchDB(b, n)
	ctx := context.Background()
	keys := make([]Item, 1024)
	for i := range keys {
		keys[i] = benchKey(rand.IntN(n))
	}
	b.Run("minicloud", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			out, err := db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: keys[i%len(keys)]})
			if err != nil || out.Item == nil {
				b.Fatal(err)
			}
		}
	})
	t := rawTable(db)
	enc := make([]string, len(keys))
	for i, k := range keys {
		enc[i] = t.key.encodeKey(k)
	}
	b.Run("rawbtree", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			t.mu.RLock()
			rec, ok := t.items.Get(&record{key: enc[i%len(enc)]})
			t.mu.RUnlock()
			if !ok || copyItem(rec.item) == nil {
				b.Fatal("missing")
			}
		}
	})
}

func BenchmarkPutItem(b *testing.B) {
	const n = 100_000
	db := benchDB(b, n)
	ctx := context.Background()
	items := make([]Item, 1024)
	for i := range items {
		items[i] = benchItem(rand.IntN(n))
	}
	b.Run("minicloud", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: items[i%len(items)]}); err != nil {
				b.Fatal(err)
			}
		}
	})
	t := rawTable(db)
	b.Run("rawbtree", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			it := copyItem(items[i%len(items)])
			t.mu.Lock()
			t.items.ReplaceOrInsert(&record{key: t.key.encodeKey(it), item: it})
			t.mu.Unlock()
		}
	})
}

func BenchmarkUpdateItem(b *testing.B) {
	const n = 100_000
	db := benchDB(b, n)
	ctx := context.Background()
	keys := make([]Item, 1024)
	for i := range keys {
		keys[i] = benchKey(rand.IntN(n))
	}
	b.Run("minicloud", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: keys[i%len(keys)],
				UpdateExpression:          "SET #t = #t + :d, #s = :s",
				ConditionExpression:       "attribute_exists(pk)",
				ExpressionAttributeNames:  map[string]string{"#t": "total", "#s": "status"},
				ExpressionAttributeValues: map[string]AttributeValue{":d": N("1"), ":s": S("paid")}})
			if err != nil {
				b.Fatal(err)
			}
		}
	})
	t := rawTable(db)
	b.Run("rawbtree", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			k := t.key.encodeKey(keys[i%len(keys)])
			t.mu.Lock()
			rec, _ := t.items.Get(&record{key: k})
			it := copyItem(rec.item)
			it["status"] = S("paid")
			t.items.ReplaceOrInsert(&record{key: k, item: it})
			t.mu.Unlock()
		}
	})
}

// BenchmarkQuery reads one partition of 100 items from tables of growing
// size: the cost should grow with log n only.
func BenchmarkQuery(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		db := benchDB(b, n)
		parts := n / benchPartition
		b.Run(fmt.Sprintf("minicloud/items=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				out, err := db.Query(ctx, &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p",
					ExpressionAttributeValues: map[string]AttributeValue{":p": S(fmt.Sprintf("user#%d", i%parts))}})
				if err != nil || out.Count != benchPartition {
					b.Fatal(err, out.Count)
				}
			}
		})
		t := rawTable(db)
		b.Run(fmt.Sprintf("rawbtree/items=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				prefix := string(appendPartition(nil, S(fmt.Sprintf("user#%d", i%parts))))
				var items []Item
				t.mu.RLock()
				t.items.AscendRange(&record{key: prefix}, &record{key: prefixEnd(prefix)}, func(r *record) bool {
					items = append(items, copyItem(r.item))
					return true
				})
				t.mu.RUnlock()
				if len(items) != benchPartition {
					b.Fatal(len(items))
				}
			}
		})
	}
}

// BenchmarkScan reads pages of 1,000 items.
func BenchmarkScan(b *testing.B) {
	const n = 100_000
	db := benchDB(b, n)
	ctx := context.Background()
	b.Run("minicloud", func(b *testing.B) {
		b.ReportAllocs()
		var esk Item
		for i := 0; i < b.N; i++ {
			out, err := db.Scan(ctx, &ScanInput{TableName: "orders", Limit: 1000, ExclusiveStartKey: esk})
			if err != nil {
				b.Fatal(err)
			}
			esk = out.LastEvaluatedKey
		}
	})
	t := rawTable(db)
	b.Run("rawbtree", func(b *testing.B) {
		b.ReportAllocs()
		from := ""
		for i := 0; i < b.N; i++ {
			var items []Item
			t.mu.RLock()
			t.items.AscendGreaterOrEqual(&record{key: from}, func(r *record) bool {
				items = append(items, copyItem(r.item))
				from = r.key + "\x00"
				return len(items) < 1000
			})
			t.mu.RUnlock()
			if len(items) < 1000 {
				from = ""
			}
		}
	})
}
