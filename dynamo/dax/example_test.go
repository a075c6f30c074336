package dax_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/dax"
)

// profile is application code: it takes a dax.Client, so it runs the same
// against the table and against the cache in front of it.
func profile(ctx context.Context, db dax.Client, user string) string {
	out, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "users", Key: dynamo.Item{"id": dynamo.S(user)}})
	if err != nil || out.Item == nil {
		return "unknown"
	}
	return string(out.Item["name"].(dynamo.S))
}

// A cluster in front of a table: a hot profile is read from the table
// once per five minutes, however often it is asked for.
func ExampleNew() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "users",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		panic(err)
	}
	cache := dax.New(db, dax.Options{Clock: c})
	_, err = cache.PutItem(ctx, &dynamo.PutItemInput{TableName: "users", Item: dynamo.Item{"id": dynamo.S("u1"), "name": dynamo.S("Ana")}})
	if err != nil {
		panic(err)
	}
	for range 1000 {
		profile(ctx, cache, "u1")
		c.Advance(time.Second)
	}
	fmt.Println(profile(ctx, db, "u1"), profile(ctx, cache, "u1"), profile(ctx, cache, "u2"))
	s := cache.Stats()
	fmt.Printf("item cache: %d hits, %d misses\n", s.ItemCacheHits, s.ItemCacheMisses)
	// Output:
	// Ana Ana unknown
	// item cache: 998 hits, 4 misses
}
