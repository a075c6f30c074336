package dynamo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/minicloud/minicloud/clock"
)

// pitrDB returns a DB with table "orders" (with a GSI on "g") and
// point-in-time recovery on.
func pitrDB(t testing.TB, days int) (*DB, *clock.Manual) {
	t.Helper()
	return pitrDBWith(t, Options{}, days)
}

// pitrDBWith is pitrDB with options; the clock and table statistics are
// set here.
func pitrDBWith(t testing.TB, opts Options, days ...int) (*DB, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(testEpoch)
	opts.Clock, opts.LiveTableStats = c, true
	db := New(opts)
	t.Cleanup(func() { db.Close() })
	compositeTable(t, db, func(in *CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"g", "S"})
		in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: "byG", KeySchema: []KeySchemaElement{{"g", KeyTypeHash}}, Projection: Projection{ProjectionType: ProjectionTypeAll}}}
	})
	_, err := db.UpdateContinuousBackups(context.Background(), &UpdateContinuousBackupsInput{
		TableName:                        "orders",
		PointInTimeRecoverySpecification: &PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: sum(days)},
	})
	mustDo(t, err)
	return db, c
}

// scanAll returns every item of a table, in key order of the scan.
func scanAll(t testing.TB, db *DB, table string) []Item {
	t.Helper()
	var out []Item
	var start Item
	for {
		page, err := db.Scan(context.Background(), &ScanInput{TableName: table, ExclusiveStartKey: start})
		mustDo(t, err)
		out = append(out, page.Items...)
		if page.LastEvaluatedKey == nil {
			return out
		}
		start = page.LastEvaluatedKey
	}
}

var sortItems = cmpopts.SortSlices(func(a, b Item) bool {
	return fmt.Sprint(a["pk"], a["sk"]) < fmt.Sprint(b["pk"], b["sk"])
})

func TestDescribeContinuousBackups_ReportsWindowFiveMinutesBehind(t *testing.T) {
	db, c := pitrDB(t, 0)
	c.Advance(time.Hour)
	out, err := db.DescribeContinuousBackups(context.Background(), &DescribeContinuousBackupsInput{TableName: "orders"})
	mustDo(t, err)
	want := &ContinuousBackupsDescription{
		ContinuousBackupsStatus: ContinuousBackupsStatusEnabled,
		PointInTimeRecoveryDescription: &PointInTimeRecoveryDescription{
			PointInTimeRecoveryStatus:  PointInTimeRecoveryStatusEnabled,
			RecoveryPeriodInDays:       35,
			EarliestRestorableDateTime: testEpoch,
			LatestRestorableDateTime:   testEpoch.Add(55 * time.Minute),
		},
	}
	if diff := cmp.Diff(want, out.ContinuousBackupsDescription); diff != "" {
		t.Fatal(diff)
	}
	c.Advance(40 * 24 * time.Hour)
	out, err = db.DescribeContinuousBackups(context.Background(), &DescribeContinuousBackupsInput{TableName: "orders"})
	mustDo(t, err)
	if got, want := out.ContinuousBackupsDescription.PointInTimeRecoveryDescription.EarliestRestorableDateTime, c.Now().AddDate(0, 0, -35); !got.Equal(want) {
		t.Fatalf("earliest = %v, want %v (35 days ago)", got, want)
	}
}

func TestUpdateContinuousBackups_RejectsBadInput(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   *UpdateContinuousBackupsInput
		code string
	}{
		{"no spec", &UpdateContinuousBackupsInput{TableName: "orders"}, "ValidationException"},
		{"period 36", &UpdateContinuousBackupsInput{TableName: "orders", PointInTimeRecoverySpecification: &PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 36}}, "ValidationException"},
		{"period when disabling", &UpdateContinuousBackupsInput{TableName: "orders", PointInTimeRecoverySpecification: &PointInTimeRecoverySpecification{RecoveryPeriodInDays: 3}}, "ValidationException"},
		{"missing table", &UpdateContinuousBackupsInput{TableName: "nope", PointInTimeRecoverySpecification: &PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: true}}, "TableNotFoundException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.UpdateContinuousBackups(ctx, tc.in)
			wantCode(t, err, tc.code, "")
		})
	}
}

func TestRestoreTableToPointInTime_Errors(t *testing.T) {
	db, c := pitrDB(t, 1)
	compositeTable(t, db, func(in *CreateTableInput) { in.TableName = "plain" })
	c.Advance(time.Hour)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   RestoreTableToPointInTimeInput
		code string
	}{
		{"pitr off", RestoreTableToPointInTimeInput{SourceTableName: "plain", TargetTableName: "x-restored", UseLatestRestorableTime: true}, "PointInTimeRecoveryUnavailableException"},
		{"too early", RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: "x-restored", RestoreDateTime: testEpoch.Add(-time.Second)}, "InvalidRestoreTimeException"},
		{"too late", RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: "x-restored", RestoreDateTime: c.Now().Add(-4 * time.Minute)}, "InvalidRestoreTimeException"},
		{"target exists", RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: "plain", UseLatestRestorableTime: true}, "TableAlreadyExistsException"},
		{"no source", RestoreTableToPointInTimeInput{SourceTableName: "gone", TargetTableName: "x-restored", UseLatestRestorableTime: true}, "TableNotFoundException"},
		{"both sources", RestoreTableToPointInTimeInput{SourceTableName: "orders", SourceTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/orders", TargetTableName: "x-restored"}, "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.RestoreTableToPointInTime(ctx, &tc.in)
			wantCode(t, err, tc.code, "")
			if db.hasTable("x-restored") {
				t.Fatal("a failed restore created the table")
			}
		})
	}
}

func TestRestoreTableToPointInTime_KeepsIndexesAndSettings(t *testing.T) {
	db, c := pitrDB(t, 0)
	ctx := context.Background()
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "g": S("x")})
	c.Advance(10 * time.Minute)
	at := c.Now()
	c.Advance(time.Second)
	put(t, db, Item{"pk": S("b"), "sk": N("1"), "g": S("x")})
	c.Advance(10 * time.Minute)
	out, err := db.RestoreTableToPointInTime(ctx, &RestoreTableToPointInTimeInput{
		SourceTableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/orders", TargetTableName: "orders-restored", RestoreDateTime: at,
	})
	mustDo(t, err)
	if d := out.TableDescription; d.TableStatus != TableStatusCreating || d.RestoreSummary == nil || !d.RestoreSummary.RestoreInProgress || !d.RestoreSummary.RestoreDateTime.Equal(at) {
		t.Fatalf("response %+v %+v", d.TableStatus, d.RestoreSummary)
	}
	desc, err := db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders-restored"})
	mustDo(t, err)
	if desc.Table.RestoreSummary.RestoreInProgress || desc.Table.RestoreSummary.SourceTableArn != "arn:aws:dynamodb:us-east-1:123456789012:table/orders" {
		t.Fatalf("RestoreSummary %+v", desc.Table.RestoreSummary)
	}
	if desc.Table.BillingModeSummary.BillingMode != BillingModePayPerRequest || len(desc.Table.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("settings not restored: %+v", desc.Table)
	}
	q, err := db.Query(ctx, &QueryInput{TableName: "orders-restored", IndexName: "byG", KeyConditionExpression: "g = :g", ExpressionAttributeValues: map[string]AttributeValue{":g": S("x")}})
	mustDo(t, err)
	if q.Count != 1 || q.Items[0]["pk"] != S("a") {
		t.Fatalf("index of the restored table: %v", q.Items)
	}
}

// TestRestoreTableToPointInTime_EqualsTableAtThatSecond writes at random
// over simulated days, keeps the table as it was at every whole second it
// passes, then restores random seconds and compares.
func TestRestoreTableToPointInTime_EqualsTableAtThatSecond(t *testing.T) {
	db, c := pitrDB(t, 2)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(7, 7))
	snapshots := map[time.Time][]Item{}
	var seconds []time.Time
	for range 600 {
		step := time.Duration(r.IntN(int(20*time.Minute/time.Millisecond))) * time.Millisecond
		before := c.Now()
		c.Advance(step)
		// The table did not change since the last write: every whole
		// second passed shows it as it is now.
		if s := c.Now().Truncate(time.Second); s.After(before) {
			snapshots[s] = scanAll(t, db, "orders")
			seconds = append(seconds, s)
		}
		pk := S(fmt.Sprintf("p%d", r.IntN(30)))
		switch r.IntN(4) {
		case 0:
			_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": pk, "sk": N("1")}})
			mustDo(t, err)
		default:
			put(t, db, Item{"pk": pk, "sk": N("1"), "v": N(fmt.Sprint(r.IntN(1000)))})
		}
	}
	c.Advance(time.Hour)
	earliest := c.Now().AddDate(0, 0, -2)
	restored := 0
	for i := 0; restored < 15; i++ {
		s := seconds[r.IntN(len(seconds))]
		if s.Before(earliest) {
			_, err := db.RestoreTableToPointInTime(ctx, &RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: fmt.Sprintf("restored-%d", i), RestoreDateTime: s})
			wantCode(t, err, "InvalidRestoreTimeException", "")
			continue
		}
		name := fmt.Sprintf("restored-%d", i)
		_, err := db.RestoreTableToPointInTime(ctx, &RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: name, RestoreDateTime: s})
		mustDo(t, err)
		if diff := cmp.Diff(snapshots[s], scanAll(t, db, name), sortItems, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("restore to %v differs from the table then (-then +restored):\n%s", s, diff)
		}
		restored++
	}
}

func TestUpdateContinuousBackups_DisablingDropsHistory(t *testing.T) {
	db, c := pitrDB(t, 0)
	ctx := context.Background()
	put(t, db, Item{"pk": S("a"), "sk": N("1")})
	c.Advance(time.Hour)
	_, err := db.UpdateContinuousBackups(ctx, &UpdateContinuousBackupsInput{TableName: "orders", PointInTimeRecoverySpecification: &PointInTimeRecoverySpecification{}})
	mustDo(t, err)
	_, err = db.RestoreTableToPointInTime(ctx, &RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: "again", UseLatestRestorableTime: true})
	wantCode(t, err, "PointInTimeRecoveryUnavailableException", "")
	out, err := db.UpdateContinuousBackups(ctx, &UpdateContinuousBackupsInput{TableName: "orders", PointInTimeRecoverySpecification: &PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: true}})
	mustDo(t, err)
	if got := out.ContinuousBackupsDescription.PointInTimeRecoveryDescription.EarliestRestorableDateTime; !got.Equal(c.Now()) {
		t.Fatalf("earliest after re-enabling = %v, want now %v", got, c.Now())
	}
}

func BenchmarkPutItem_WithPITR(b *testing.B) {
	for _, on := range []bool{false, true} {
		b.Run(fmt.Sprintf("pitr=%v", on), func(b *testing.B) {
			db, _ := newTestDB(b)
			compositeTable(b, db)
			if on {
				_, err := db.UpdateContinuousBackups(context.Background(), &UpdateContinuousBackupsInput{TableName: "orders", PointInTimeRecoverySpecification: &PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: true}})
				mustDo(b, err)
			}
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				mustDo(b, put1(db, Item{"pk": S(fmt.Sprint(i % 1000)), "sk": N("1"), "v": N(fmt.Sprint(i))}))
			}
		})
	}
}

func sum(n []int) int {
	s := 0
	for _, v := range n {
		s += v
	}
	return s
}

// BenchmarkRestoreTableToPointInTime restores a 10,000-item table with
// 50,000 changes in its history.
func BenchmarkRestoreTableToPointInTime(b *testing.B) {
	db, c := pitrDB(b, 0)
	ctx := context.Background()
	for i := range 50000 {
		mustDo(b, put1(db, Item{"pk": S(fmt.Sprint(i % 10000)), "sk": N("1"), "v": N(fmt.Sprint(i))}))
		if i%100 == 0 {
			c.Advance(time.Second)
		}
	}
	c.Advance(time.Hour)
	at := testEpoch.Add(250 * time.Second)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		name := fmt.Sprintf("restored-%d", i)
		_, err := db.RestoreTableToPointInTime(ctx, &RestoreTableToPointInTimeInput{SourceTableName: "orders", TargetTableName: name, RestoreDateTime: at})
		mustDo(b, err)
		b.StopTimer()
		_, err = db.DeleteTable(ctx, &DeleteTableInput{TableName: name})
		mustDo(b, err)
		b.StartTimer()
	}
}
