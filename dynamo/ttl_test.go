package dynamo

import (
	"context"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

// ttlDB returns a DB on a manual clock with table "orders" streaming
// NEW_AND_OLD_IMAGES and Time to Live on attribute "expires".
func ttlDB(t *testing.T, ttl TTLOptions) (*DB, *clock.Manual, string) {
	t.Helper()
	db, c, arn := streamDB(t, StreamViewTypeNewAndOldImages, func(o *Options) { o.TTL = ttl })
	_, err := db.UpdateTimeToLive(context.Background(), &UpdateTimeToLiveInput{
		TableName:               "orders",
		TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "expires", Enabled: true},
	})
	mustDo(t, err)
	return db, c, arn
}

// expiring is an item of partition pk that expires at the given time.
func expiring(pk string, at time.Time) Item {
	return Item{"pk": S(pk), "sk": N("1"), "expires": N(fmt.Sprint(at.Unix()))}
}

func exists(t *testing.T, db *DB, pk string) bool {
	t.Helper()
	return get(t, db, pk, "1") != nil
}

func TestTTL_DeletesAfterTheDelayAndReadsSeeExpiredItemsUntilThen(t *testing.T) {
	db, c, arn := ttlDB(t, TTLOptions{})
	mustDo(t, put1(db, expiring("a", testEpoch.Add(time.Hour))))
	c.Advance(2 * time.Hour)
	if !exists(t, db, "a") {
		t.Fatal("an expired item was deleted before the deletion delay")
	}
	c.Advance(47*time.Hour - time.Second)
	if !exists(t, db, "a") {
		t.Fatal("deleted before 48 hours after expiry")
	}
	c.Advance(time.Second)
	if exists(t, db, "a") {
		t.Fatal("not deleted 48 hours after expiry")
	}
	recs := readStream(t, db, arn)
	last := recs[len(recs)-1]
	if last.EventName != OperationTypeRemove || last.UserIdentity == nil || *last.UserIdentity != (Identity{Type: "Service", PrincipalId: "dynamodb.amazonaws.com"}) {
		t.Fatalf("TTL deletion record %+v", last)
	}
	if !last.Dynamodb.ApproximateCreationDateTime.Equal(testEpoch.Add(49 * time.Hour)) {
		t.Fatalf("deleted at %v", last.Dynamodb.ApproximateCreationDateTime)
	}
	if last.Dynamodb.OldImage["expires"] == nil {
		t.Fatalf("old image %v", last.Dynamodb.OldImage)
	}
}

func TestTTL_Advance48HoursFiresEveryDueDeletionInOrder(t *testing.T) {
	db, c, arn := ttlDB(t, TTLOptions{})
	ctx := context.Background()
	// Written out of order; already expired, expiring in 10 minutes, in
	// an hour, and one that is not due within the advance.
	for _, it := range []struct {
		pk string
		at time.Duration
	}{{"c", time.Hour}, {"a", -time.Hour}, {"d", 10 * time.Hour}, {"b", 10 * time.Minute}} {
		mustDo(t, put1(db, expiring(it.pk, testEpoch.Add(it.at))))
	}
	mustDo(t, put1(db, Item{"pk": S("keep"), "sk": N("1")}))
	// An expiry that is not a Number, and one in milliseconds, never come
	// due; one more than five years in the past is never deleted.
	mustDo(t, put1(db, Item{"pk": S("str"), "sk": N("1"), "expires": S("1")}))
	mustDo(t, put1(db, Item{"pk": S("ms"), "sk": N("1"), "expires": N(fmt.Sprint(testEpoch.UnixMilli()))}))
	mustDo(t, put1(db, expiring("ancient", testEpoch.AddDate(-6, 0, 0))))
	// An item whose expiry moves later is deleted at the new time.
	mustDo(t, put1(db, expiring("moved", testEpoch)))
	_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: Item{"pk": S("moved"), "sk": N("1")},
		UpdateExpression: "SET expires = :e", ExpressionAttributeValues: map[string]AttributeValue{":e": N(fmt.Sprint(testEpoch.Add(100 * time.Hour).Unix()))}})
	mustDo(t, err)
	// An item deleted by hand is not deleted again.
	mustDo(t, put1(db, expiring("gone", testEpoch)))
	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("gone"), "sk": N("1")}})
	mustDo(t, err)

	c.Advance(48 * time.Hour)
	var removed []string
	for _, r := range readStream(t, db, arn) {
		if r.UserIdentity != nil {
			removed = append(removed, string(r.Dynamodb.Keys["pk"].(S)))
		}
	}
	if diff := cmp.Diff([]string{"a"}, removed); diff != "" {
		t.Fatalf("deleted by TTL within 48h (-want +got):\n%s", diff)
	}
	c.Advance(10 * time.Hour)
	removed = nil
	var at []time.Time
	for _, r := range readStream(t, db, arn) {
		if r.UserIdentity != nil {
			removed = append(removed, string(r.Dynamodb.Keys["pk"].(S)))
			at = append(at, r.Dynamodb.ApproximateCreationDateTime)
		}
	}
	if diff := cmp.Diff([]string{"a", "b", "c", "d"}, removed); diff != "" {
		t.Fatalf("deleted by TTL within 58h (-want +got):\n%s", diff)
	}
	want := []time.Time{testEpoch.Add(47 * time.Hour), testEpoch.Add(48*time.Hour + 10*time.Minute), testEpoch.Add(49 * time.Hour), testEpoch.Add(58 * time.Hour)}
	if diff := cmp.Diff(want, at); diff != "" {
		t.Fatalf("deletion times (-want +got):\n%s", diff)
	}
	for _, pk := range []string{"keep", "str", "ms", "ancient", "moved"} {
		if !exists(t, db, pk) {
			t.Errorf("%s was deleted", pk)
		}
	}
	c.Advance(100 * time.Hour)
	if exists(t, db, "moved") {
		t.Error("moved was not deleted at its new expiry")
	}
}

func TestTTL_ImmediateDeletesAtTheExpirySecond(t *testing.T) {
	db, c, _ := ttlDB(t, TTLOptions{Immediate: true})
	mustDo(t, put1(db, expiring("soon", testEpoch.Add(30*time.Second))))
	mustDo(t, put1(db, expiring("past", testEpoch.Add(-time.Minute))))
	if !exists(t, db, "past") {
		t.Fatal("deleted while the clock stood still")
	}
	c.Advance(time.Nanosecond)
	if exists(t, db, "past") {
		t.Fatal("an expired item outlived the next tick")
	}
	c.Advance(30*time.Second - 2*time.Nanosecond)
	if !exists(t, db, "soon") {
		t.Fatal("deleted before its expiry")
	}
	c.Advance(time.Nanosecond)
	if exists(t, db, "soon") {
		t.Fatal("not deleted at its expiry")
	}
}

func TestTTL_CustomDelayAndEnablingOnExistingItems(t *testing.T) {
	ctx := context.Background()
	db, c, _ := streamDB(t, StreamViewTypeKeysOnly, func(o *Options) { o.TTL.DeletionDelay = 10 * time.Minute })
	mustDo(t, put1(db, expiring("old", testEpoch.Add(-time.Hour))))
	c.Advance(time.Hour)
	if !exists(t, db, "old") {
		t.Fatal("deleted while TTL was off")
	}
	_, err := db.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "expires", Enabled: true}})
	mustDo(t, err)
	c.Advance(time.Nanosecond)
	if exists(t, db, "old") {
		t.Fatal("an item long expired when TTL was enabled was kept")
	}
	mustDo(t, put1(db, expiring("new", c.Now())))
	c.Advance(10*time.Minute - time.Second)
	if !exists(t, db, "new") {
		t.Fatal("deleted before the 10 minute delay")
	}
	c.Advance(time.Second)
	if exists(t, db, "new") {
		t.Fatal("not deleted after the 10 minute delay")
	}
}

func TestUpdateTimeToLive_RulesAndDescribe(t *testing.T) {
	ctx := context.Background()
	db, c := newTestDB(t)
	compositeTable(t, db)
	update := func(name string, on bool) error {
		_, err := db.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: name, Enabled: on}})
		return err
	}
	describe := func() TimeToLiveDescription {
		out, err := db.DescribeTimeToLive(ctx, &DescribeTimeToLiveInput{TableName: "orders"})
		mustDo(t, err)
		return *out.TimeToLiveDescription
	}
	if d := describe(); d != (TimeToLiveDescription{TimeToLiveStatus: TimeToLiveStatusDisabled}) {
		t.Fatalf("new table: %+v", d)
	}
	wantCode(t, update("ttl", false), "ValidationException", "TimeToLive is already disabled")
	out, err := db.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "ttl", Enabled: true}})
	mustDo(t, err)
	if *out.TimeToLiveSpecification != (TimeToLiveSpecification{AttributeName: "ttl", Enabled: true}) {
		t.Fatalf("output %+v", out.TimeToLiveSpecification)
	}
	if d := describe(); d != (TimeToLiveDescription{AttributeName: "ttl", TimeToLiveStatus: TimeToLiveStatusEnabled}) {
		t.Fatalf("enabled: %+v", d)
	}
	wantCode(t, update("ttl", true), "ValidationException", "TimeToLive is already enabled")
	wantCode(t, update("other", true), "ValidationException", "TimeToLive is active on a different AttributeName: current AttributeName is ttl")
	wantCode(t, update("ttl", false), "ValidationException", "Time to live has been modified multiple times within a fixed interval")
	c.Advance(time.Hour)
	mustDo(t, update("ttl", false))
	if d := describe(); d.TimeToLiveStatus != TimeToLiveStatusDisabled {
		t.Fatalf("disabled: %+v", d)
	}

	for _, cse := range []struct {
		in        UpdateTimeToLiveInput
		code, msg string
	}{
		{UpdateTimeToLiveInput{TableName: "orders"}, "ValidationException", "Value null at 'timeToLiveSpecification'"},
		{UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{Enabled: true}}, "ValidationException", "timeToLiveSpecification.attributeName"},
		{UpdateTimeToLiveInput{TableName: "nosuch", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "x", Enabled: true}}, "ResourceNotFoundException", "not found"},
	} {
		_, err := db.UpdateTimeToLive(ctx, &cse.in)
		wantCode(t, err, cse.code, cse.msg)
	}
	_, err = db.DescribeTimeToLive(ctx, &DescribeTimeToLiveInput{TableName: "nosuch"})
	wantCode(t, err, "ResourceNotFoundException", "not found")
}

func TestTTL_DisablingStopsDeletions(t *testing.T) {
	ctx := context.Background()
	db, c, _ := ttlDB(t, TTLOptions{})
	mustDo(t, put1(db, expiring("a", testEpoch)))
	c.Advance(time.Hour)
	_, err := db.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "expires"}})
	mustDo(t, err)
	c.Advance(72 * time.Hour)
	if !exists(t, db, "a") {
		t.Fatal("deleted after TTL was disabled")
	}
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timers pending with TTL off", n)
	}
}

func TestTTL_CloseStopsTheSweeper(t *testing.T) {
	db, c, _ := ttlDB(t, TTLOptions{})
	mustDo(t, put1(db, expiring("a", testEpoch)))
	if c.Pending() != 1 {
		t.Fatalf("%d timers pending, want the sweeper's 1", c.Pending())
	}
	db.Close()
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timers pending after Close", n)
	}
	c.Advance(72 * time.Hour)
	if !exists(t, db, "a") {
		t.Fatal("deleted after Close")
	}
	// Writes after Close set no timer either.
	mustDo(t, put1(db, expiring("b", testEpoch)))
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timers pending after a write after Close", n)
	}
}

func TestTTL_DeleteTableStopsTheSweeper(t *testing.T) {
	db, c, _ := ttlDB(t, TTLOptions{})
	mustDo(t, put1(db, expiring("a", testEpoch)))
	_, err := db.DeleteTable(context.Background(), &DeleteTableInput{TableName: "orders"})
	mustDo(t, err)
	if n := c.Pending(); n != 0 {
		t.Fatalf("%d timers pending after DeleteTable", n)
	}
}

// On the real clock, inside a synctest bubble, the sweeper deletes on
// time, and once the DB is closed no timer of it fires and no goroutine
// is left: synctest.Test fails if one of the bubble is still alive at the
// end.
func TestTTL_RealClockSweeperLeavesNothingBehind(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		db := New(Options{TTL: TTLOptions{Immediate: true}})
		compositeTable(t, db)
		_, err := db.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "expires", Enabled: true}})
		mustDo(t, err)
		now := time.Now()
		mustDo(t, put1(db, expiring("a", now.Add(2*time.Second))))
		mustDo(t, put1(db, expiring("b", now.Add(time.Hour))))
		time.Sleep(3 * time.Second)
		synctest.Wait()
		if exists(t, db, "a") {
			t.Error("a not deleted on the real clock")
		}
		if !exists(t, db, "b") {
			t.Error("b deleted early")
		}
		db.Close()
		// Past b's expiry, a timer left behind would fire and delete it.
		time.Sleep(2 * time.Hour)
		synctest.Wait()
		if !exists(t, db, "b") {
			t.Error("the sweeper ran after Close")
		}
	})
}

func TestTTL_DeletionsConsumeNoWriteCapacity(t *testing.T) {
	ctx := context.Background()
	db, c, _ := ttlDB(t, TTLOptions{Immediate: true})
	mustDo(t, put1(db, expiring("a", testEpoch)))
	mustDo(t, put1(db, Item{"pk": S("b"), "sk": N("1")}))
	usage := func() float64 {
		u, err := db.TableUsage(ctx, "orders")
		mustDo(t, err)
		return u.ConsumedWriteCapacityUnits
	}
	before := usage()
	c.Advance(time.Nanosecond)
	if exists(t, db, "a") {
		t.Fatal("not deleted")
	}
	if after := usage(); after != before {
		t.Fatalf("a TTL deletion consumed %v write units", after-before)
	}
	_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("b"), "sk": N("1")}})
	mustDo(t, err)
	if usage() == before {
		t.Fatal("DeleteItem consumed nothing: the check above proves nothing")
	}
}
