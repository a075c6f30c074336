package dynamo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

func testClock() *clock.Manual { return clock.NewManual(testEpoch) }

// updateTable calls UpdateTable between the two capacity hooks it is to
// call: checkThroughputUpdate before the change (which also brings the
// meter up to date) and noteCapacityChange after it.
func updateTable(t *testing.T, db *DB, in *UpdateTableInput) {
	t.Helper()
	tbl, err := db.table(in.TableName)
	if err != nil {
		t.Fatal(err)
	}
	tbl.mu.Lock()
	err = db.checkThroughputUpdate(tbl, in.BillingMode, in.ProvisionedThroughput, nil)
	tbl.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateTable(context.Background(), in); err != nil {
		t.Fatal(err)
	}
	tbl.mu.Lock()
	db.noteCapacityChange(tbl)
	tbl.mu.Unlock()
}

// provisioned makes "orders" PROVISIONED with rcu/wcu.
func provisioned(rcu, wcu int64) func(*CreateTableInput) {
	return func(in *CreateTableInput) {
		in.BillingMode = BillingModeProvisioned
		in.ProvisionedThroughput = &ProvisionedThroughput{rcu, wcu}
	}
}

func putErr(db *DB, item Item) error {
	_, err := db.PutItem(context.Background(), &PutItemInput{TableName: "orders", Item: item})
	return err
}

// writesUntilThrottled puts small items until one is throttled and
// returns how many succeeded.
func writesUntilThrottled(t *testing.T, db *DB, pk string) int {
	t.Helper()
	for i := 0; i < 100_000; i++ {
		err := putErr(db, Item{"pk": S(pk), "sk": N(fmt.Sprint(i))})
		if errors.Is(err, ErrProvisionedThroughputExceeded) {
			return i
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	t.Fatal("never throttled")
	return 0
}

func TestThrottle_ProvisionedWritesRefillEachSecond(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 5))
	if n := writesUntilThrottled(t, db, "a"); n != 5 {
		t.Fatalf("a new 5 WCU table took %d writes at once, want 5 (one second of capacity)", n)
	}
	err := putErr(db, Item{"pk": S("a"), "sk": N("99999")})
	wantCode(t, err, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API.")
	c.Advance(200 * time.Millisecond)
	if n := writesUntilThrottled(t, db, "b"); n != 1 {
		t.Fatalf("after 200 ms the table took %d writes, want 1", n)
	}
	c.Advance(time.Second)
	if n := writesUntilThrottled(t, db, "c"); n != 5 {
		t.Fatalf("after a second the table took %d writes, want 5", n)
	}
	u := metered(t, db, "orders")
	if u.WriteThrottleEvents != 4 || u.ConsumedWriteCapacityUnits != 11 {
		t.Fatalf("usage %+v, want 4 write throttle events and 11 WCU consumed", u)
	}
}

func TestThrottle_BurstKeepsFiveMinutesOfUnusedCapacity(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 2))
	c.Advance(time.Hour)
	if n := writesUntilThrottled(t, db, "a"); n != 600 {
		t.Fatalf("after an idle hour a 2 WCU table took %d writes, want 600 (300 seconds of burst)", n)
	}
	c.Advance(10 * time.Second)
	if n := writesUntilThrottled(t, db, "b"); n != 20 {
		t.Fatalf("10 s after draining the burst the table took %d writes, want 20", n)
	}
}

func TestThrottle_LargeRequestBorrowsFromTheNextSeconds(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 5))
	// 10 units with 5 in the bucket: admitted, the bucket goes to -5.
	if err := putErr(db, sized(t, "big", 1, 10*1024)); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Second)
	if err := putErr(db, Item{"pk": S("a"), "sk": N("1")}); !errors.Is(err, ErrProvisionedThroughputExceeded) {
		t.Fatalf("one second after borrowing 5 units: %v, want throttled", err)
	}
	c.Advance(time.Second)
	if n := writesUntilThrottled(t, db, "b"); n != 5 {
		t.Fatalf("two seconds after: %d writes, want 5", n)
	}
}

func TestThrottle_ReadsHaveTheirOwnBucket(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(2, 1))
	put(t, db, Item{"pk": S("a"), "sk": N("1")})
	get := func(consistent bool) error {
		_, err := db.GetItem(context.Background(), &GetItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N("1")}, ConsistentRead: consistent})
		return err
	}
	for i := 0; i < 4; i++ { // 4 x 0.5 = 2 units
		if err := get(false); err != nil {
			t.Fatalf("eventually consistent read %d: %v", i, err)
		}
	}
	if err := get(false); !errors.Is(err, ErrProvisionedThroughputExceeded) {
		t.Fatalf("fifth read of a 2 RCU table: %v, want throttled", err)
	}
	c.Advance(time.Second)
	for i := 0; i < 2; i++ {
		if err := get(true); err != nil {
			t.Fatalf("strongly consistent read %d: %v", i, err)
		}
	}
	if err := get(true); !errors.Is(err, ErrProvisionedThroughputExceeded) {
		t.Fatalf("third strong read: %v, want throttled", err)
	}
	_, err := db.Query(context.Background(), &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: vals(":p", S("a"))})
	wantCode(t, err, "ProvisionedThroughputExceededException", "for the table was exceeded")
	if u := metered(t, db, "orders"); u.ReadThrottleEvents != 3 || u.WriteThrottleEvents != 0 {
		t.Fatalf("usage %+v, want 3 read throttle events", u)
	}
}

func TestThrottle_GlobalIndexBackPressureThrottlesTableWrites(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(100, 100), func(in *CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"g", "S"})
		in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: "byG", KeySchema: []KeySchemaElement{{"g", KeyTypeHash}},
			Projection: Projection{ProjectionType: ProjectionTypeAll}, ProvisionedThroughput: &ProvisionedThroughput{1, 2}}}
	})
	for i := 0; i < 2; i++ {
		if err := putErr(db, Item{"pk": S("a"), "sk": N(fmt.Sprint(i)), "g": S("x")}); err != nil {
			t.Fatal(err)
		}
	}
	err := putErr(db, Item{"pk": S("a"), "sk": N("2"), "g": S("x")})
	wantCode(t, err, "ProvisionedThroughputExceededException", "The level of configured provisioned throughput for one or more global secondary indexes of the table was exceeded. Consider increasing your provisioning level for the under-provisioned global secondary indexes with the UpdateTable API")
	if got := get(t, db, "a", "2"); got != nil {
		t.Fatal("a write throttled by its index was stored")
	}
	// A write the index does not hold is not held back.
	if err := putErr(db, Item{"pk": S("a"), "sk": N("3")}); err != nil {
		t.Fatalf("sparse write: %v", err)
	}
	// Neither is a write that leaves the index entry unchanged.
	if _, err := db.UpdateItem(context.Background(), &UpdateItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N("3")},
		UpdateExpression: "SET n = :n", ExpressionAttributeValues: vals(":n", N("1"))}); err != nil {
		t.Fatalf("update outside the index: %v", err)
	}
	_, err = db.Query(context.Background(), &QueryInput{TableName: "orders", IndexName: "byG", KeyConditionExpression: "g = :g", ExpressionAttributeValues: vals(":g", S("x"))})
	if err != nil {
		t.Fatalf("first GSI query: %v", err)
	}
	_, err = db.Query(context.Background(), &QueryInput{TableName: "orders", IndexName: "byG", KeyConditionExpression: "g = :g", ExpressionAttributeValues: vals(":g", S("x"))})
	if err != nil {
		t.Fatalf("second GSI query: %v", err)
	}
	_, err = db.Query(context.Background(), &QueryInput{TableName: "orders", IndexName: "byG", KeyConditionExpression: "g = :g", ExpressionAttributeValues: vals(":g", S("x"))})
	wantCode(t, err, "ProvisionedThroughputExceededException", "global secondary indexes")
	u := metered(t, db, "orders")
	want := IndexUsage{ConsumedReadCapacityUnits: 1, ConsumedWriteCapacityUnits: 2, ReadThrottleEvents: 1, WriteThrottleEvents: 1}
	if diff := cmp.Diff(want, u.GlobalSecondaryIndexes["byG"]); diff != "" {
		t.Fatalf("index usage (-want +got):\n%s", diff)
	}
	if u.WriteThrottleEvents != 1 {
		t.Fatalf("table write throttle events %d, want 1 (the index's back-pressure)", u.WriteThrottleEvents)
	}
	c.Advance(time.Second)
	if err := putErr(db, Item{"pk": S("a"), "sk": N("2"), "g": S("x")}); err != nil {
		t.Fatalf("after the index refilled: %v", err)
	}
}

func TestThrottle_BatchesReturnUnprocessed(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(2, 3))
	ctx := context.Background()
	var reqs []WriteRequest
	for i := 0; i < 5; i++ {
		reqs = append(reqs, WriteRequest{PutRequest: &PutRequest{Item: Item{"pk": S("a"), "sk": N(fmt.Sprint(i))}}})
	}
	out, err := db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": reqs}, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]WriteRequest{"orders": reqs[3:]}, out.UnprocessedItems); diff != "" {
		t.Fatalf("UnprocessedItems (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]ConsumedCapacity{{TableName: "orders", CapacityUnits: 3}}, out.ConsumedCapacity); diff != "" {
		t.Fatalf("ConsumedCapacity (-want +got):\n%s", diff)
	}
	_, err = db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": reqs[3:]}})
	wantCode(t, err, "ProvisionedThroughputExceededException", "")
	c.Advance(time.Second)
	out, err = db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": reqs[3:]}})
	if err != nil || len(out.UnprocessedItems) != 0 {
		t.Fatalf("retry after a second: %v, unprocessed %v", err, out.UnprocessedItems)
	}

	var keys []Item
	for i := 0; i < 5; i++ {
		keys = append(keys, Item{"pk": S("a"), "sk": N(fmt.Sprint(i))})
	}
	got, err := db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{"orders": {Keys: keys, ConsistentRead: true}}})
	if err != nil {
		t.Fatal(err)
	}
	// Four strongly consistent units in the bucket (two seconds of 2 RCU):
	// four keys read.
	if len(got.Responses["orders"]) != 4 || len(got.UnprocessedKeys["orders"].Keys) != 1 || !got.UnprocessedKeys["orders"].ConsistentRead {
		t.Fatalf("read %d, unprocessed %+v; want 4 read and 1 unprocessed key with its options", len(got.Responses["orders"]), got.UnprocessedKeys)
	}
	_, err = db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{"orders": got.UnprocessedKeys["orders"]}})
	wantCode(t, err, "ProvisionedThroughputExceededException", "")
}

func TestThrottle_TransactionsAreCancelled(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(10, 4))
	put(t, db, Item{"pk": S("alice"), "sk": N("0"), "balance": N("100")})
	put(t, db, Item{"pk": S("bob"), "sk": N("0"), "balance": N("0")})
	// 2 of 4 units left: admitted, and the bucket goes to -2.
	if err := transfer(db, "alice", "bob", 10); err != nil {
		t.Fatal(err)
	}
	err := transfer(db, "alice", "bob", 10)
	var tce *TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("transfer with no capacity left: %v, want TransactionCanceledException", err)
	}
	want := []CancellationReason{
		{Code: "ProvisionedThroughputExceeded", Message: msgTableThroughputExceeded},
		{Code: "ProvisionedThroughputExceeded", Message: msgTableThroughputExceeded},
	}
	if diff := cmp.Diff(want, tce.CancellationReasons); diff != "" {
		t.Fatalf("reasons (-want +got):\n%s", diff)
	}
	if b := get(t, db, "bob", "0")["balance"]; b != N("10") {
		t.Fatalf("bob has %v after one transfer and one throttled", b)
	}
	c.Advance(time.Second)
	keys := []TransactGetItem{{Get: &Get{TableName: "orders", Key: Item{"pk": S("alice"), "sk": N("0")}}}}
	for i := 0; i < 10; i++ { // two seconds of 10 RCU, 2 each
		if _, err := db.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: keys}); err != nil {
			t.Fatalf("read %d: %v", i, err)
		}
	}
	_, err = db.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: keys})
	wantCode(t, err, "TransactionCanceledException", "[ProvisionedThroughputExceeded]")
}

func TestThrottle_UpdateTableChangesTheRate(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 1))
	c.Advance(time.Minute) // 1 + 60 units in the bucket
	updateTable(t, db, &UpdateTableInput{TableName: "orders", ProvisionedThroughput: &ProvisionedThroughput{5, 10}})
	c.Advance(time.Second)
	if n := writesUntilThrottled(t, db, "a"); n != 71 {
		t.Fatalf("after raising WCU to 10: %d writes, want 71", n)
	}
	updateTable(t, db, &UpdateTableInput{TableName: "orders", BillingMode: BillingModePayPerRequest})
	for i := 0; i < 1000; i++ {
		if err := putErr(db, Item{"pk": S("od"), "sk": N(fmt.Sprint(i))}); err != nil {
			t.Fatalf("on-demand write %d: %v", i, err)
		}
	}
}

func TestThrottle_UnthrottledStillCounts(t *testing.T) {
	c := testClock()
	db := New(Options{Clock: c, Capacity: CapacityOptions{Unthrottled: true}})
	defer db.Close()
	compositeTable(t, db, provisioned(1, 1))
	for i := 0; i < 50; i++ {
		put(t, db, Item{"pk": S("a"), "sk": N(fmt.Sprint(i))})
	}
	if u := metered(t, db, "orders"); u.ConsumedWriteCapacityUnits != 50 || u.WriteThrottleEvents != 0 {
		t.Fatalf("usage %+v, want 50 WCU and no throttling", u)
	}
}

func TestThrottle_OnDemandQuotaWhenSet(t *testing.T) {
	c := testClock()
	db := New(Options{Clock: c, Capacity: CapacityOptions{Limits: CapacityLimits{OnDemandWriteRequestUnits: 3}}})
	defer db.Close()
	compositeTable(t, db)
	n := 0
	var err error
	for ; n < 10; n++ {
		if err = putErr(db, Item{"pk": S("a"), "sk": N(fmt.Sprint(n))}); err != nil {
			break
		}
	}
	if n != 3 {
		t.Fatalf("%d on-demand writes before the quota, want 3", n)
	}
	wantCode(t, err, "RequestLimitExceeded", "Throughput exceeds the current throughput limit for your account")
	c.Advance(time.Second)
	if err := putErr(db, Item{"pk": S("a"), "sk": N("99999")}); err != nil {
		t.Fatal(err)
	}
}

func TestDecreaseBudget_FourADayThenHourly(t *testing.T) {
	l := CapacityLimits{}.withDefaults()
	var b decreaseBudget
	now := time.Date(2025, 3, 1, 0, 10, 0, 0, time.UTC)
	for i := 0; i < 4; i++ {
		if next := b.next(now, l); !next.Equal(now) {
			t.Fatalf("decrease %d not allowed until %v", i+1, next)
		}
		b.record(now)
		now = now.Add(time.Minute)
	}
	last := now.Add(-time.Minute)
	if next := b.next(now, l); !next.Equal(last.Add(time.Hour)) {
		t.Fatalf("fifth decrease allowed at %v, want an hour after the last (%v)", next, last.Add(time.Hour))
	}
	now = last.Add(time.Hour)
	if !b.next(now, l).Equal(now) {
		t.Fatal("fifth decrease refused an hour after the fourth")
	}
	b.record(now)
	if got := b.today(now); got != 5 {
		t.Fatalf("today = %d, want 5", got)
	}
	late := time.Date(2025, 3, 1, 23, 30, 0, 0, time.UTC)
	b.record(late)
	if next := b.next(late.Add(time.Minute), l); !next.Equal(time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("after a decrease at 23:30 the next is allowed at %v, want midnight UTC", next)
	}
	err := b.error(late, late.Add(time.Hour))
	wantCode(t, err, "LimitExceededException", "Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: 6. Last decrease at Saturday, March 1, 2025 at 11:30:00 PM Coordinated Universal Time. Next decrease can be made at Sunday, March 2, 2025 at 12:30:00 AM Coordinated Universal Time")
}

func TestCapacityLimits_UpdateTableChecks(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(50, 50))
	tbl, _ := db.table("orders")
	check := func(billing BillingMode, tp *ProvisionedThroughput) error {
		tbl.mu.Lock()
		defer tbl.mu.Unlock()
		return db.checkThroughputUpdate(tbl, billing, tp, nil)
	}
	for i := int64(1); i <= 4; i++ {
		tp := &ProvisionedThroughput{50 - i, 50}
		if err := check("", tp); err != nil {
			t.Fatalf("decrease %d: %v", i, err)
		}
		updateTable(t, db, &UpdateTableInput{TableName: "orders", ProvisionedThroughput: tp})
		c.Advance(time.Minute)
	}
	wantCode(t, check("", &ProvisionedThroughput{40, 50}), "LimitExceededException", "Number of decreases today: 4")
	if err := check("", &ProvisionedThroughput{60, 60}); err != nil {
		t.Fatalf("an increase was refused: %v", err)
	}
	desc := &TableDescription{ProvisionedThroughput: &ProvisionedThroughputDescription{}}
	tbl.mu.Lock()
	db.throughputStats(tbl, desc)
	tbl.mu.Unlock()
	if desc.ProvisionedThroughput.NumberOfDecreasesToday != 4 || !desc.ProvisionedThroughput.LastDecreaseDateTime.Equal(testEpoch.Add(3*time.Minute)) {
		t.Fatalf("throughput stats %+v", desc.ProvisionedThroughput)
	}

	// Four switches to on-demand in 24 hours, then refused.
	for i := 0; i < 4; i++ {
		if err := check(BillingModePayPerRequest, nil); err != nil {
			t.Fatalf("switch %d: %v", i+1, err)
		}
		updateTable(t, db, &UpdateTableInput{TableName: "orders", BillingMode: BillingModePayPerRequest})
		c.Advance(time.Hour)
		updateTable(t, db, &UpdateTableInput{TableName: "orders", BillingMode: BillingModeProvisioned, ProvisionedThroughput: &ProvisionedThroughput{5, 5}})
		c.Advance(time.Hour)
	}
	wantCode(t, check(BillingModePayPerRequest, nil), "LimitExceededException", "at most 4 times in 24 hours")
	c.Advance(16 * time.Hour)
	if err := check(BillingModePayPerRequest, nil); err != nil {
		t.Fatalf("24 hours after the first switch: %v", err)
	}
}

// TestThrottle_ConcurrentRequestsNeverOverspend races writers and readers
// against one second of capacity: exactly that much is admitted.
func TestThrottle_ConcurrentRequestsNeverOverspend(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db, provisioned(50, 100))
	put(t, db, Item{"pk": S("r"), "sk": N("0")})
	var writes, reads atomic.Int64
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(2)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				err := putErr(db, Item{"pk": S(fmt.Sprint("w", w)), "sk": N(fmt.Sprint(i))})
				switch {
				case err == nil:
					writes.Add(1)
				case !errors.Is(err, ErrProvisionedThroughputExceeded):
					t.Error(err)
					return
				}
			}
		}(w)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				_, err := db.GetItem(context.Background(), &GetItemInput{TableName: "orders", Key: Item{"pk": S("r"), "sk": N("0")}})
				switch {
				case err == nil:
					reads.Add(1)
				case !errors.Is(err, ErrProvisionedThroughputExceeded):
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if writes.Load() != 99 || reads.Load() != 100 {
		t.Fatalf("%d writes and %d reads admitted, want 99 (100 WCU less the first put) and 100 (50 RCU at half a unit)", writes.Load(), reads.Load())
	}
	u := metered(t, db, "orders")
	if u.ConsumedWriteCapacityUnits != 100 || u.ConsumedReadCapacityUnits != 50 || u.WriteThrottleEvents != 400-99 || u.ReadThrottleEvents != 400-100 {
		t.Fatalf("usage %+v", u)
	}
}
