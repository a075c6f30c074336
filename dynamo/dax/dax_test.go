package dax

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

var epoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// counting wraps a table and counts the reads that reach it.
type counting struct {
	*dynamo.DB
	gets, batchKeys, queries, scans atomic.Int64
}

func (c *counting) GetItem(ctx context.Context, in *dynamo.GetItemInput) (*dynamo.GetItemOutput, error) {
	c.gets.Add(1)
	return c.DB.GetItem(ctx, in)
}

func (c *counting) BatchGetItem(ctx context.Context, in *dynamo.BatchGetItemInput) (*dynamo.BatchGetItemOutput, error) {
	for _, ka := range in.RequestItems {
		c.batchKeys.Add(int64(len(ka.Keys)))
	}
	return c.DB.BatchGetItem(ctx, in)
}

func (c *counting) Query(ctx context.Context, in *dynamo.QueryInput) (*dynamo.QueryOutput, error) {
	c.queries.Add(1)
	return c.DB.Query(ctx, in)
}

func (c *counting) Scan(ctx context.Context, in *dynamo.ScanInput) (*dynamo.ScanOutput, error) {
	c.scans.Add(1)
	return c.DB.Scan(ctx, in)
}

// setup returns a table "orders" (pk S, sk N) on a manual clock, the
// counting backend and a cluster in front of it.
func setup(t testing.TB, opts Options) (*counting, *Cluster, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(epoch)
	db := dynamo.New(dynamo.Options{Clock: c})
	t.Cleanup(func() { db.Close() })
	_, err := db.CreateTable(context.Background(), &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "pk", AttributeType: "S"}, {AttributeName: "sk", AttributeType: "N"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "pk", KeyType: dynamo.KeyTypeHash}, {AttributeName: "sk", KeyType: dynamo.KeyTypeRange}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatal(err)
	}
	back := &counting{DB: db}
	opts.Clock = c
	return back, New(back, opts), c
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func key(pk string, sk int) dynamo.Item {
	return dynamo.Item{"pk": dynamo.S(pk), "sk": dynamo.N(fmt.Sprint(sk))}
}

func getVia(t testing.TB, c Client, k dynamo.Item) dynamo.Item {
	t.Helper()
	out, err := c.GetItem(context.Background(), &dynamo.GetItemInput{TableName: "orders", Key: k})
	must(t, err)
	return out.Item
}

func putVia(t testing.TB, c Client, item dynamo.Item) {
	t.Helper()
	_, err := c.PutItem(context.Background(), &dynamo.PutItemInput{TableName: "orders", Item: item})
	must(t, err)
}

func TestCluster_HotKeyTakesTheLoadOffTheTable(t *testing.T) {
	back, dax, c := setup(t, Options{})
	putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("hot"), "sk": dynamo.N("1"), "v": dynamo.S("x")})
	// 10 reads a second for 10 minutes, first straight to the table...
	direct := func(cl Client) int64 {
		before := back.gets.Load()
		for range 6000 {
			if getVia(t, cl, key("hot", 1)) == nil {
				t.Fatal("hot item missing")
			}
			c.Advance(100 * time.Millisecond)
		}
		return back.gets.Load() - before
	}
	table := direct(back)
	cached := direct(dax)
	if table != 6000 || cached != 2 {
		t.Fatalf("table reads: %d without DAX, %d with it; want 6000 and 2 (one per 5 minute TTL)", table, cached)
	}
	s := dax.Stats()
	if s.ItemCacheHits != 5998 || s.ItemCacheMisses != 2 || s.ItemCacheExpirations != 1 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCluster_WritesGoThroughAndUpdateTheItemCache(t *testing.T) {
	ctx := context.Background()
	back, dax, _ := setup(t, Options{})
	putVia(t, dax, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N("1.0"), "n": dynamo.N("01.50")})
	if got := getVia(t, back.DB, key("a", 1)); got == nil {
		t.Fatal("PutItem did not reach the table")
	}
	got := getVia(t, dax, key("a", 1))
	if back.gets.Load() != 0 {
		t.Fatal("a read after a write through the cluster went to the table")
	}
	if diff := cmp.Diff(dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N("1"), "n": dynamo.N("1.5")}, got); diff != "" {
		t.Fatalf("cached item is not what the table holds:\n%s", diff)
	}

	// UpdateItem caches the new item and answers as asked.
	up, err := dax.UpdateItem(ctx, &dynamo.UpdateItemInput{TableName: "orders", Key: key("a", 1), UpdateExpression: "SET n = n + :one",
		ExpressionAttributeValues: map[string]dynamo.AttributeValue{":one": dynamo.N("1")}})
	must(t, err)
	if up.Attributes != nil {
		t.Fatalf("UpdateItem without ReturnValues returned %v", up.Attributes)
	}
	if got := getVia(t, dax, key("a", 1)); got["n"] != dynamo.N("2.5") || back.gets.Load() != 0 {
		t.Fatalf("after update: %v, table reads %d", got, back.gets.Load())
	}
	up, err = dax.UpdateItem(ctx, &dynamo.UpdateItemInput{TableName: "orders", Key: key("a", 1), UpdateExpression: "SET n = :v",
		ExpressionAttributeValues: map[string]dynamo.AttributeValue{":v": dynamo.N("7")}, ReturnValues: dynamo.ReturnValueUpdatedOld})
	must(t, err)
	if diff := cmp.Diff(dynamo.Item{"n": dynamo.N("2.5")}, up.Attributes); diff != "" {
		t.Fatal(diff)
	}
	if got := getVia(t, dax, key("a", 1)); got["n"] != dynamo.N("7") || back.gets.Load() != 1 {
		t.Fatalf("after UPDATED_OLD update: %v, table reads %d (the entry must be refetched)", got, back.gets.Load())
	}

	// DeleteItem caches the item as absent.
	_, err = dax.DeleteItem(ctx, &dynamo.DeleteItemInput{TableName: "orders", Key: key("a", 1)})
	must(t, err)
	if got := getVia(t, dax, key("a", 1)); got != nil || back.gets.Load() != 1 {
		t.Fatalf("after delete: %v, table reads %d", got, back.gets.Load())
	}

	// A failed write changes nothing in the cache.
	putVia(t, dax, dynamo.Item{"pk": dynamo.S("b"), "sk": dynamo.N("1"), "v": dynamo.S("old")})
	_, err = dax.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders", Item: dynamo.Item{"pk": dynamo.S("b"), "sk": dynamo.N("1"), "v": dynamo.S("new")},
		ConditionExpression: "attribute_not_exists(pk)"})
	if !errors.Is(err, dynamo.ErrConditionalCheckFailed) {
		t.Fatal(err)
	}
	if got := getVia(t, dax, key("b", 1)); got["v"] != dynamo.S("old") {
		t.Fatalf("after a failed write: %v", got)
	}

	// Batch and transactional writes go through too.
	_, err = dax.BatchWriteItem(ctx, &dynamo.BatchWriteItemInput{RequestItems: map[string][]dynamo.WriteRequest{"orders": {
		{PutRequest: &dynamo.PutRequest{Item: dynamo.Item{"pk": dynamo.S("c"), "sk": dynamo.N("1"), "v": dynamo.S("batch")}}},
		{DeleteRequest: &dynamo.DeleteRequest{Key: key("b", 1)}},
	}}})
	must(t, err)
	_, err = dax.TransactWriteItems(ctx, &dynamo.TransactWriteItemsInput{TransactItems: []dynamo.TransactWriteItem{
		{Put: &dynamo.Put{TableName: "orders", Item: dynamo.Item{"pk": dynamo.S("d"), "sk": dynamo.N("1"), "v": dynamo.S("tx")}}},
		{Update: &dynamo.Update{TableName: "orders", Key: key("c", 1), UpdateExpression: "SET v = :v", ExpressionAttributeValues: map[string]dynamo.AttributeValue{":v": dynamo.S("tx")}}},
	}})
	must(t, err)
	before := back.gets.Load()
	if getVia(t, dax, key("b", 1)) != nil || getVia(t, dax, key("d", 1))["v"] != dynamo.S("tx") {
		t.Fatal("batch delete or transactional put not cached")
	}
	if back.gets.Load() != before {
		t.Fatal("cached batch and transaction writes went to the table")
	}
	if getVia(t, dax, key("c", 1))["v"] != dynamo.S("tx") || back.gets.Load() != before+1 {
		t.Fatal("a transactional update must drop the entry and refetch")
	}
}

func TestCluster_QueryCacheIsNotInvalidatedByWrites(t *testing.T) {
	ctx := context.Background()
	back, dax, c := setup(t, Options{})
	putVia(t, dax, dynamo.Item{"pk": dynamo.S("u"), "sk": dynamo.N("1"), "status": dynamo.S("open")})
	q := &dynamo.QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: map[string]dynamo.AttributeValue{":p": dynamo.S("u")}}
	status := func() []string {
		out, err := dax.Query(ctx, q)
		must(t, err)
		var s []string
		for _, it := range out.Items {
			s = append(s, string(it["status"].(dynamo.S)))
		}
		return s
	}
	if got := status(); !cmp.Equal(got, []string{"open"}) {
		t.Fatal(got)
	}
	// The write goes through the cluster: GetItem sees it, the cached
	// Query does not.
	putVia(t, dax, dynamo.Item{"pk": dynamo.S("u"), "sk": dynamo.N("1"), "status": dynamo.S("closed")})
	putVia(t, dax, dynamo.Item{"pk": dynamo.S("u"), "sk": dynamo.N("2"), "status": dynamo.S("new")})
	if got := getVia(t, dax, key("u", 1)); got["status"] != dynamo.S("closed") {
		t.Fatalf("GetItem after the write: %v", got)
	}
	c.Advance(5*time.Minute - time.Second)
	if got := status(); !cmp.Equal(got, []string{"open"}) {
		t.Fatalf("query cache within its TTL: %v, want the stale [open]", got)
	}
	c.Advance(time.Second)
	if got := status(); !cmp.Equal(got, []string{"closed", "new"}) {
		t.Fatalf("query cache after its TTL: %v", got)
	}
	if back.queries.Load() != 2 {
		t.Fatalf("%d queries reached the table, want 2", back.queries.Load())
	}
	// A strongly consistent Query bypasses the cache.
	q.ConsistentRead = true
	_, err := dax.Query(ctx, q)
	must(t, err)
	if back.queries.Load() != 3 {
		t.Fatal("a consistent Query was answered from the cache")
	}
	s := dax.Stats()
	if s.QueryCacheHits != 1 || s.QueryCacheMisses != 2 {
		t.Fatalf("stats %+v", s)
	}
}

func TestCluster_ScanIsCachedPerRequest(t *testing.T) {
	ctx := context.Background()
	back, dax, _ := setup(t, Options{})
	for i := range 5 {
		putVia(t, back.DB, dynamo.Item{"pk": dynamo.S(fmt.Sprint(i)), "sk": dynamo.N("1")})
	}
	scan := func(in *dynamo.ScanInput) int {
		out, err := dax.Scan(ctx, in)
		must(t, err)
		return len(out.Items)
	}
	first, second := scan(&dynamo.ScanInput{TableName: "orders"}), scan(&dynamo.ScanInput{TableName: "orders"})
	if first != 5 || second != 5 || back.scans.Load() != 1 {
		t.Fatalf("repeated Scan: %d and %d items, reached the table %d times", first, second, back.scans.Load())
	}
	if scan(&dynamo.ScanInput{TableName: "orders", Limit: 2}) != 2 || back.scans.Load() != 2 {
		t.Fatal("a Scan with another Limit shared the cached result")
	}
	filtered := &dynamo.ScanInput{TableName: "orders", FilterExpression: "pk = :p", ExpressionAttributeValues: map[string]dynamo.AttributeValue{":p": dynamo.S("1")}}
	other := &dynamo.ScanInput{TableName: "orders", FilterExpression: "pk = :p", ExpressionAttributeValues: map[string]dynamo.AttributeValue{":p": dynamo.S("2")}}
	if scan(filtered) != 1 || scan(other) != 1 || back.scans.Load() != 4 {
		t.Fatal("Scans with other values shared a result")
	}
}

func TestCluster_ConsistentReadsBypassTheCache(t *testing.T) {
	ctx := context.Background()
	back, dax, _ := setup(t, Options{})
	putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N("1"), "v": dynamo.S("1")})
	getVia(t, dax, key("a", 1))
	// A write straight to the table is invisible to the cache...
	putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N("1"), "v": dynamo.S("2")})
	if got := getVia(t, dax, key("a", 1)); got["v"] != dynamo.S("1") {
		t.Fatalf("eventually consistent read through DAX: %v, want the cached v=1", got)
	}
	// ...but not to a strongly consistent read, which is not cached.
	for range 2 {
		out, err := dax.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: key("a", 1), ConsistentRead: true})
		must(t, err)
		if out.Item["v"] != dynamo.S("2") {
			t.Fatalf("consistent read: %v", out.Item)
		}
	}
	if back.gets.Load() != 3 {
		t.Fatalf("%d reads reached the table, want 3", back.gets.Load())
	}
	if got := getVia(t, dax, key("a", 1)); got["v"] != dynamo.S("1") {
		t.Fatal("a consistent read refreshed the cache")
	}
}

func TestCluster_NegativeResultsAreCached(t *testing.T) {
	back, dax, c := setup(t, Options{})
	if getVia(t, dax, key("none", 1)) != nil {
		t.Fatal("found a missing item")
	}
	putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("none"), "sk": dynamo.N("1")})
	if getVia(t, dax, key("none", 1)) != nil || back.gets.Load() != 1 {
		t.Fatal("the negative result was not cached")
	}
	c.Advance(5 * time.Minute)
	if getVia(t, dax, key("none", 1)) == nil || back.gets.Load() != 2 {
		t.Fatal("the negative result outlived its TTL")
	}
}

func TestCluster_ProjectionsAreSeparateEntries(t *testing.T) {
	ctx := context.Background()
	back, dax, _ := setup(t, Options{})
	putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N("1"), "x": dynamo.S("1"), "y": dynamo.S("2")})
	get := func(proj string) dynamo.Item {
		out, err := dax.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: key("a", 1), ProjectionExpression: proj})
		must(t, err)
		return out.Item
	}
	first, whole, again := get("x"), get(""), get("x")
	if len(first) != 1 || len(whole) != 4 || len(again) != 1 || back.gets.Load() != 2 {
		t.Fatalf("projected and whole reads: %v %v %v, %d table reads", first, whole, again, back.gets.Load())
	}
	// A write through the cluster drops every projection of the item.
	putVia(t, dax, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N("1"), "x": dynamo.S("9")})
	if got := get("x"); got["x"] != dynamo.S("9") || back.gets.Load() != 3 {
		t.Fatalf("projection after a write: %v (%d table reads)", got, back.gets.Load())
	}
}

func TestCluster_BatchGetItemServesWhatItHolds(t *testing.T) {
	ctx := context.Background()
	back, dax, _ := setup(t, Options{})
	for i := range 4 {
		putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N(fmt.Sprint(i))})
	}
	getVia(t, dax, key("a", 0))
	getVia(t, dax, key("a", 1))
	batch := func() int {
		out, err := dax.BatchGetItem(ctx, &dynamo.BatchGetItemInput{RequestItems: map[string]dynamo.KeysAndAttributes{
			"orders": {Keys: []dynamo.Item{key("a", 0), key("a", 1), key("a", 2), key("a", 3), key("a", 9)}},
		}})
		must(t, err)
		return len(out.Responses["orders"])
	}
	if n := batch(); n != 4 || back.batchKeys.Load() != 3 {
		t.Fatalf("first batch: %d items, %d keys read from the table (want 4 and 3)", n, back.batchKeys.Load())
	}
	if n := batch(); n != 4 || back.batchKeys.Load() != 3 {
		t.Fatalf("second batch: %d items, %d keys read from the table (want 4 and 3)", n, back.batchKeys.Load())
	}
	if getVia(t, dax, key("a", 9)) != nil || getVia(t, dax, key("a", 3)) == nil || back.gets.Load() != 2 {
		t.Fatal("batch results were not cached for GetItem")
	}
	// A consistent batch goes to the table.
	_, err := dax.BatchGetItem(ctx, &dynamo.BatchGetItemInput{RequestItems: map[string]dynamo.KeysAndAttributes{
		"orders": {Keys: []dynamo.Item{key("a", 0)}, ConsistentRead: true},
	}})
	must(t, err)
	if back.batchKeys.Load() != 4 {
		t.Fatal("a consistent BatchGetItem was served from the cache")
	}
}

func TestCluster_EvictsLeastRecentlyUsedBeyondItsSize(t *testing.T) {
	big := dynamo.S(string(make([]byte, 1000)))
	back, dax, _ := setup(t, Options{ItemCacheBytes: 10_000})
	for i := range 20 {
		putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N(fmt.Sprint(i)), "blob": big})
	}
	for i := range 20 {
		getVia(t, dax, key("a", i))
		getVia(t, dax, key("a", 0)) // keep item 0 recently used
	}
	s := dax.Stats()
	if s.ItemCacheEvictions == 0 || s.ItemCacheBytes > 10_000 || s.EvictedBytes == 0 {
		t.Fatalf("stats %+v", s)
	}
	reads := back.gets.Load()
	getVia(t, dax, key("a", 0))
	getVia(t, dax, key("a", 19))
	if back.gets.Load() != reads {
		t.Fatal("recently used entries were evicted")
	}
	getVia(t, dax, key("a", 1))
	if back.gets.Load() != reads+1 {
		t.Fatal("the least recently used entry was kept")
	}
}

func TestCluster_ReturnedItemsAreCopies(t *testing.T) {
	back, dax, _ := setup(t, Options{})
	putVia(t, back.DB, dynamo.Item{"pk": dynamo.S("a"), "sk": dynamo.N("1"), "l": dynamo.L{dynamo.S("x")}})
	got := getVia(t, dax, key("a", 1))
	got["l"].(dynamo.L)[0] = dynamo.S("changed")
	got["new"] = dynamo.S("y")
	again := getVia(t, dax, key("a", 1))
	if again["l"].(dynamo.L)[0] != dynamo.S("x") || again["new"] != nil {
		t.Fatalf("a caller changed the cache: %v", again)
	}
}

func TestCluster_ErrorsPassThroughUncached(t *testing.T) {
	ctx := context.Background()
	_, dax, _ := setup(t, Options{})
	for range 2 {
		_, err := dax.GetItem(ctx, &dynamo.GetItemInput{TableName: "nosuch", Key: key("a", 1)})
		if !errors.Is(err, dynamo.ErrResourceNotFound) {
			t.Fatalf("GetItem of a missing table: %v", err)
		}
	}
	_, err := dax.Query(ctx, &dynamo.QueryInput{TableName: "orders", KeyConditionExpression: "nonsense"})
	if !errors.Is(err, dynamo.ErrValidation) {
		t.Fatalf("bad Query: %v", err)
	}
	if s := dax.Stats(); s.ItemCacheEntries != 0 || s.QueryCacheEntries != 0 {
		t.Fatalf("errors were cached: %+v", s)
	}
	if _, err := dax.TransactGetItems(ctx, &dynamo.TransactGetItemsInput{TransactItems: []dynamo.TransactGetItem{{Get: &dynamo.Get{TableName: "orders", Key: key("a", 1)}}}}); err != nil {
		t.Fatal(err)
	}
}

func TestCanonicalNumber(t *testing.T) {
	for in, want := range map[string]string{
		"1": "1", "01.50": "1.5", "1E+3": "1000", "-0.0": "0", ".5": "0.5", "5.": "5", "+3": "3",
		"-0015.789e6": "-15789000", "1e-3": "0.001", "123.456e-1": "12.3456", "0e5": "0",
		"abc": "abc", "": "", "1e": "1e", ".": ".", "1e99999": "1e99999",
	} {
		if got := canonicalNumber(in); got != want {
			t.Errorf("canonicalNumber(%q) = %q, want %q", in, got, want)
		}
	}
}
