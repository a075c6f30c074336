package dynamo

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

// globalAccount returns an account on a manual clock with table "orders"
// in us-east-1, streaming NEW_AND_OLD_IMAGES and replicated to
// ap-southeast-2.
func globalAccount(t testing.TB, opts AccountOptions) (*Account, *DB, *DB, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(testEpoch)
	opts.Clock = c
	opts.Options.LiveTableStats = true
	opts.Options.Streams.MaxReadersPerShard = -1
	a := NewAccount(opts)
	t.Cleanup(func() { a.Close() })
	east, syd := a.Region("us-east-1"), a.Region("ap-southeast-2")
	compositeTable(t, east, func(in *CreateTableInput) {
		in.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewAndOldImages}
	})
	_, err := east.UpdateTable(context.Background(), &UpdateTableInput{TableName: "orders", ReplicaUpdates: []ReplicationGroupUpdate{{Create: &CreateReplicationGroupMemberAction{RegionName: "ap-southeast-2"}}}})
	mustDo(t, err)
	return a, east, syd, c
}

func value(t testing.TB, db *DB, pk string) string {
	t.Helper()
	item := get(t, db, pk, "1")
	if item == nil {
		return "<none>"
	}
	return string(item["v"].(S))
}

func TestGlobalTable_ReadInOtherRegionBeforeTheDelaySeesTheOldValue(t *testing.T) {
	_, east, syd, c := globalAccount(t, AccountOptions{})
	put(t, east, Item{"pk": S("k"), "sk": N("1"), "v": S("old")})
	c.Advance(time.Second)
	if got := value(t, syd, "k"); got != "old" {
		t.Fatalf("after the delay the replica has %q", got)
	}
	put(t, east, Item{"pk": S("k"), "sk": N("1"), "v": S("new")})
	c.Advance(999 * time.Millisecond)
	if got := value(t, syd, "k"); got != "old" {
		t.Fatalf("before the delay the replica has %q, want the old value", got)
	}
	c.Advance(time.Millisecond)
	if got := value(t, syd, "k"); got != "new" {
		t.Fatalf("after the delay the replica has %q", got)
	}
}

func TestGlobalTable_ConflictingWritesConvergeOnOneWinner(t *testing.T) {
	for _, tc := range []struct {
		name      string
		eastFirst time.Duration // how long before Sydney's write east writes
		want      string
	}{
		{"later write wins", 200 * time.Millisecond, "sydney"},
		{"later write wins the other way", -200 * time.Millisecond, "east"},
		// Same instant: the greater region name wins, us-east-1 over
		// ap-southeast-2.
		{"tie broken by region name", 0, "east"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, east, syd, c := globalAccount(t, AccountOptions{})
			writeEast := func() { put(t, east, Item{"pk": S("k"), "sk": N("1"), "v": S("east")}) }
			writeSyd := func() { put(t, syd, Item{"pk": S("k"), "sk": N("1"), "v": S("sydney")}) }
			switch {
			case tc.eastFirst > 0:
				writeEast()
				c.Advance(tc.eastFirst)
				writeSyd()
			case tc.eastFirst < 0:
				writeSyd()
				c.Advance(-tc.eastFirst)
				writeEast()
			default:
				writeEast()
				writeSyd()
			}
			c.Advance(2 * time.Second)
			if e, s := value(t, east, "k"), value(t, syd, "k"); e != tc.want || s != tc.want {
				t.Fatalf("us-east-1 has %q, ap-southeast-2 %q; want both %q", e, s, tc.want)
			}
		})
	}
}

func TestGlobalTable_DeletesAndTTLDeletionsReplicate(t *testing.T) {
	_, east, syd, c := globalAccount(t, AccountOptions{Options: Options{TTL: TTLOptions{Immediate: true}}})
	ctx := context.Background()
	_, err := east.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "exp", Enabled: true}})
	mustDo(t, err)
	put(t, east, Item{"pk": S("del"), "sk": N("1"), "v": S("x")})
	put(t, syd, Item{"pk": S("ttl"), "sk": N("1"), "v": S("y")})
	put(t, east, Item{"pk": S("ttl"), "sk": N("1"), "v": S("y"), "exp": N(fmt.Sprint(testEpoch.Add(time.Minute).Unix()))})
	c.Advance(time.Second)
	_, err = syd.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("del"), "sk": N("1")}})
	mustDo(t, err)
	c.Advance(2 * time.Minute)
	for _, db := range []*DB{east, syd} {
		if got := scanAll(t, db, "orders"); len(got) != 0 {
			t.Fatalf("%s still holds %v", db.Region(), got)
		}
	}
	// The TTL deletion carries the service identity where it happened,
	// and none where it was replicated to.
	for _, tc := range []struct {
		db      *DB
		service bool
	}{{east, true}, {syd, false}} {
		d, err := tc.db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
		mustDo(t, err)
		recs := readStream(t, tc.db, d.Table.LatestStreamArn)
		last := recs[len(recs)-1]
		if last.EventName != OperationTypeRemove || last.Dynamodb.Keys["pk"] != S("ttl") || (last.UserIdentity != nil) != tc.service {
			t.Fatalf("%s: last record %+v, identity %v", tc.db.Region(), last, last.UserIdentity)
		}
	}
}

func TestGlobalTable_ReplicatedWritesAppearInTheReceivingStream(t *testing.T) {
	_, east, syd, c := globalAccount(t, AccountOptions{})
	put(t, east, Item{"pk": S("k"), "sk": N("1"), "v": S("a")})
	c.Advance(time.Second)
	d, err := syd.DescribeTable(context.Background(), &DescribeTableInput{TableName: "orders"})
	mustDo(t, err)
	recs := readStream(t, syd, d.Table.LatestStreamArn)
	if len(recs) != 1 {
		t.Fatalf("%d records in the replica's stream", len(recs))
	}
	r := recs[0]
	if r.EventName != OperationTypeInsert || r.AwsRegion != "ap-southeast-2" || r.UserIdentity != nil || r.Dynamodb.NewImage["v"] != S("a") {
		t.Fatalf("record %+v", r)
	}
	de, err := east.DescribeTable(context.Background(), &DescribeTableInput{TableName: "orders"})
	mustDo(t, err)
	if own := readStream(t, east, de.Table.LatestStreamArn); len(own) != 1 || own[0].UserIdentity != nil {
		t.Fatalf("source stream %+v", own)
	}
}

func TestGlobalTable_DescribeAndRemoveReplicas(t *testing.T) {
	_, east, syd, c := globalAccount(t, AccountOptions{})
	ctx := context.Background()
	d, err := east.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	mustDo(t, err)
	want := []ReplicaDescription{{RegionName: "ap-southeast-2", ReplicaStatus: ReplicaStatusActive, ReplicaTableClassSummary: &TableClassSummary{TableClass: TableClassStandard}}}
	if diff := cmp.Diff(want, d.Table.Replicas); diff != "" || d.Table.GlobalTableVersion != "2019.11.21" {
		t.Fatalf("%s version %q", diff, d.Table.GlobalTableVersion)
	}
	d, err = syd.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	mustDo(t, err)
	if len(d.Table.Replicas) != 1 || d.Table.Replicas[0].RegionName != "us-east-1" || d.Table.TableArn != "arn:aws:dynamodb:ap-southeast-2:123456789012:table/orders" {
		t.Fatalf("replica's description %+v %s", d.Table.Replicas, d.Table.TableArn)
	}
	_, err = east.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{}})
	wantCode(t, err, "ValidationException", "global table")

	out, err := east.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", ReplicaUpdates: []ReplicationGroupUpdate{{Delete: &DeleteReplicationGroupMemberAction{RegionName: "ap-southeast-2"}}}})
	mustDo(t, err)
	if r := out.TableDescription.Replicas; len(r) != 1 || r[0].ReplicaStatus != ReplicaStatusDeleting {
		t.Fatalf("UpdateTable response replicas %+v", r)
	}
	if syd.hasTable("orders") {
		t.Fatal("the removed replica's table still exists")
	}
	put(t, east, Item{"pk": S("k"), "sk": N("1"), "v": S("alone")})
	c.Advance(time.Minute)
	d, err = east.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	mustDo(t, err)
	if d.Table.Replicas != nil || d.Table.GlobalTableVersion != "" {
		t.Fatalf("a table without replicas still reports %+v", d.Table.Replicas)
	}
}

func TestGlobalTable_CreateReplicaErrors(t *testing.T) {
	c := clock.NewManual(testEpoch)
	a := NewAccount(AccountOptions{Clock: c})
	defer a.Close()
	east := a.Region("us-east-1")
	ctx := context.Background()
	compositeTable(t, east)
	compositeTable(t, a.Region("eu-west-1"))
	create := func(region string) error {
		_, err := east.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", ReplicaUpdates: []ReplicationGroupUpdate{{Create: &CreateReplicationGroupMemberAction{RegionName: region}}}})
		return err
	}
	wantCode(t, create("ap-southeast-2"), "ValidationException", "NEW_AND_OLD_IMAGES")
	_, err := east.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewAndOldImages}})
	mustDo(t, err)
	wantCode(t, create("eu-west-1"), "ValidationException", "exists")
	wantCode(t, create("us-east-1"), "ValidationException", "region of the request")
	wantCode(t, create("moon-base"), "ValidationException", "not a valid region")
	mustDo(t, create("ap-southeast-2"))
	wantCode(t, create("ap-southeast-2"), "ValidationException", "already has a replica")
	_, err = New(Options{Clock: c}).UpdateTable(ctx, &UpdateTableInput{TableName: "orders", ReplicaUpdates: []ReplicationGroupUpdate{{Create: &CreateReplicationGroupMemberAction{RegionName: "ap-southeast-2"}}}})
	wantCode(t, err, "ResourceNotFoundException", "")
}

// TestGlobalTable_RandomWritesConverge writes at random in three regions
// and checks every replica ends up with the same items.
func TestGlobalTable_RandomWritesConverge(t *testing.T) {
	a, east, syd, c := globalAccount(t, AccountOptions{ReplicationDelay: 700 * time.Millisecond})
	ctx := context.Background()
	_, err := east.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", ReplicaUpdates: []ReplicationGroupUpdate{{Create: &CreateReplicationGroupMemberAction{RegionName: "eu-west-1"}}}})
	mustDo(t, err)
	dbs := []*DB{east, syd, a.Region("eu-west-1")}
	for i := range 300 {
		db := dbs[(i*7)%3]
		pk := S(fmt.Sprint(i % 13))
		if i%5 == 0 {
			_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": pk, "sk": N("1")}})
			mustDo(t, err)
		} else {
			put(t, db, Item{"pk": pk, "sk": N("1"), "v": S(fmt.Sprint(i))})
		}
		c.Advance(time.Duration(i%4) * 150 * time.Millisecond)
	}
	c.Advance(5 * time.Second)
	want := scanAll(t, east, "orders")
	for _, db := range dbs[1:] {
		if diff := cmp.Diff(want, scanAll(t, db, "orders"), sortItems); diff != "" {
			t.Fatalf("%s differs from us-east-1:\n%s", db.Region(), diff)
		}
	}
}

func BenchmarkPutItem_GlobalTable(b *testing.B) {
	_, east, _, c := globalAccount(b, AccountOptions{})
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		mustDo(b, put1(east, Item{"pk": S(fmt.Sprint(i % 1000)), "sk": N("1"), "v": N(fmt.Sprint(i))}))
		if i%1000 == 999 {
			c.Advance(time.Second)
		}
	}
}

// TestGlobalTable_ConcurrentWritersConverge writes from goroutines in
// three regions while the clock advances and replicas are added and
// removed, for the race detector, then checks convergence.
func TestGlobalTable_ConcurrentWritersConverge(t *testing.T) {
	a, east, syd, c := globalAccount(t, AccountOptions{ReplicationDelay: 300 * time.Millisecond})
	ctx := context.Background()
	_, err := east.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", ReplicaUpdates: []ReplicationGroupUpdate{{Create: &CreateReplicationGroupMemberAction{RegionName: "eu-west-1"}}}})
	mustDo(t, err)
	dbs := []*DB{east, syd, a.Region("eu-west-1")}
	done := make(chan error, len(dbs))
	for w, db := range dbs {
		go func() {
			for i := range 150 {
				item := Item{"pk": S(fmt.Sprint(i % 17)), "sk": N("1"), "v": S(fmt.Sprintf("%d-%d", w, i))}
				if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: item}); err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	stop := make(chan struct{})
	advanced := make(chan struct{})
	go func() {
		defer close(advanced)
		for {
			select {
			case <-stop:
				return
			default:
				c.Advance(100 * time.Millisecond)
			}
		}
	}()
	for range dbs {
		mustDo(t, <-done)
	}
	close(stop)
	<-advanced
	c.Advance(5 * time.Second)
	want := scanAll(t, east, "orders")
	for _, db := range dbs[1:] {
		if diff := cmp.Diff(want, scanAll(t, db, "orders"), sortItems); diff != "" {
			t.Fatalf("%s differs from us-east-1:\n%s", db.Region(), diff)
		}
	}
}

func TestGlobalTable_ReplicaOverTheTableQuotaChangesNothing(t *testing.T) {
	c := clock.NewManual(testEpoch)
	a := NewAccount(AccountOptions{Clock: c, Options: Options{Limits: Limits{MaxTables: 1}}})
	defer a.Close()
	east, west := a.Region("us-east-1"), a.Region("eu-west-1")
	compositeTable(t, east, func(in *CreateTableInput) {
		in.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewAndOldImages}
	})
	compositeTable(t, west, func(in *CreateTableInput) { in.TableName = "other" })
	ctx := context.Background()
	_, err := east.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", ReplicaUpdates: []ReplicationGroupUpdate{{Create: &CreateReplicationGroupMemberAction{RegionName: "eu-west-1"}}}})
	wantCode(t, err, "LimitExceededException", "")
	put(t, east, Item{"pk": S("k"), "sk": N("1")})
	c.Advance(time.Minute)
	d, err := east.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	mustDo(t, err)
	if d.Table.Replicas != nil || west.hasTable("orders") {
		t.Fatalf("a refused replica left %+v", d.Table.Replicas)
	}
}

func TestGlobalTable_TheReceivingReplicaPaysForReplicatedWrites(t *testing.T) {
	_, east, syd, c := globalAccount(t, AccountOptions{})
	ctx := context.Background()
	put(t, east, Item{"pk": S("a"), "sk": N("1"), "v": S("x")})
	put(t, east, Item{"pk": S("b"), "sk": N("1"), "v": S("y")})
	c.Advance(time.Second)
	u, err := syd.TableUsage(ctx, "orders")
	mustDo(t, err)
	if u.ConsumedWriteCapacityUnits != 2 {
		t.Errorf("ap-southeast-2 consumed %g WCU for two replicated 1 KB writes, want 2", u.ConsumedWriteCapacityUnits)
	}
	// A replicated write that loses to a later local one is dropped and
	// costs the receiver nothing.
	put(t, east, Item{"pk": S("a"), "sk": N("1"), "v": S("older")})
	c.Advance(10 * time.Millisecond)
	put(t, syd, Item{"pk": S("a"), "sk": N("1"), "v": S("newer")})
	c.Advance(2 * time.Second)
	u, err = syd.TableUsage(ctx, "orders")
	mustDo(t, err)
	if u.ConsumedWriteCapacityUnits != 3 {
		t.Errorf("ap-southeast-2 consumed %g WCU, want 3 (two replicated, one local; the losing write free)", u.ConsumedWriteCapacityUnits)
	}
}
