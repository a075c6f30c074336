package dynamo

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

func targetTracking(min, max int64, target float64) *AutoScalingSettingsUpdate {
	return &AutoScalingSettingsUpdate{MinimumUnits: min, MaximumUnits: max, ScalingPolicyUpdate: &AutoScalingPolicyUpdate{
		TargetTrackingScalingPolicyConfiguration: AutoScalingTargetTrackingScalingPolicyConfigurationUpdate{TargetValue: target}}}
}

func writeCapacity(t *testing.T, db *DB) int64 {
	t.Helper()
	out, err := db.DescribeTable(context.Background(), &DescribeTableInput{TableName: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	return out.Table.ProvisionedThroughput.WriteCapacityUnits
}

// drive writes up to perSecond small items every second for the given
// time, as many as capacity allows, and returns the WCU provisioned at
// the end of each minute.
func drive(t *testing.T, db *DB, c *clock.Manual, perSecond int, d time.Duration, seq *int) []int64 {
	t.Helper()
	var perMinute []int64
	for s := 0; s < int(d/time.Second); s++ {
		for i := 0; i < perSecond; i++ {
			*seq++
			err := putErr(db, Item{"pk": S("load"), "sk": N(fmt.Sprint(*seq))})
			if errors.Is(err, ErrProvisionedThroughputExceeded) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		c.Advance(time.Second)
		if (s+1)%60 == 0 {
			perMinute = append(perMinute, writeCapacity(t, db))
		}
	}
	return perMinute
}

func TestAutoScaling_ScalesOutUnderLoadAndInWhenIdle(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 5))
	ctx := context.Background()
	out, err := db.UpdateTableAutoScaling(ctx, &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedWriteCapacityAutoScalingUpdate: targetTracking(5, 25, 70)})
	if err != nil {
		t.Fatal(err)
	}
	wantDesc := &AutoScalingSettingsDescription{MinimumUnits: 5, MaximumUnits: 25, ScalingPolicies: []AutoScalingPolicyDescription{{
		PolicyName: "DynamoDBTargetTrackingScalingPolicy", TargetTrackingScalingPolicyConfiguration: AutoScalingTargetTrackingScalingPolicyConfigurationUpdate{TargetValue: 70}}}}
	if diff := cmp.Diff(wantDesc, out.TableAutoScalingDescription.ProvisionedWriteCapacityAutoScalingSettings); diff != "" {
		t.Fatalf("settings (-want +got):\n%s", diff)
	}
	if out.TableAutoScalingDescription.ProvisionedReadCapacityAutoScalingSettings != nil {
		t.Fatal("read capacity reported as auto scaled")
	}

	seq := 0
	// Demand of 20 WCU a second against 5 provisioned: every minute uses
	// all it has (100% > 70%), so every second minute the table scales to
	// what it consumed over 70%: 5 -> 8 -> 12 -> 18 -> 26, capped at 25.
	got := drive(t, db, c, 20, 10*time.Minute, &seq)
	want := []int64{5, 8, 8, 12, 12, 18, 18, 25, 25, 25}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("WCU minute by minute (-want +got):\n%s", diff)
	}
	// Idle: fifteen minutes under 50% scale in to the minimum, once.
	c.Advance(14 * time.Minute)
	if got := writeCapacity(t, db); got != 25 {
		t.Fatalf("after 14 idle minutes WCU = %d, want still 25", got)
	}
	c.Advance(time.Minute)
	if got := writeCapacity(t, db); got != 5 {
		t.Fatalf("after 15 idle minutes WCU = %d, want 5", got)
	}
	tbl, _ := db.table("orders")
	desc := &TableDescription{ProvisionedThroughput: &ProvisionedThroughputDescription{}}
	tbl.mu.Lock()
	db.throughputStats(tbl, desc)
	tbl.mu.Unlock()
	if desc.ProvisionedThroughput.NumberOfDecreasesToday != 1 || !desc.ProvisionedThroughput.LastDecreaseDateTime.Equal(testEpoch.Add(25*time.Minute)) {
		t.Fatalf("throughput history %+v, want one decrease at minute 25", desc.ProvisionedThroughput)
	}
	// The bill sees every step.
	bill, err := db.Bill(ctx)
	if err != nil {
		t.Fatal(err)
	}
	// Minutes at each WCU: 2 at 5, 2 at 8, 2 at 12, 1 at 18 ... see want.
	wcuMinutes := 2*5 + 2*8 + 2*12 + 2*18 + 17*25
	if got := bill.Tables[0].WriteCapacityUnitHours; got != float64(wcuMinutes)/60 {
		t.Fatalf("WCU-hours %v, want %v", got, float64(wcuMinutes)/60)
	}
}

func TestAutoScaling_MinimumAppliesAndScaleInCanBeDisabled(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 2))
	ctx := context.Background()
	up := targetTracking(10, 40, 50)
	up.ScalingPolicyUpdate.TargetTrackingScalingPolicyConfiguration.DisableScaleIn = true
	if _, err := db.UpdateTableAutoScaling(ctx, &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedWriteCapacityAutoScalingUpdate: up}); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if got := writeCapacity(t, db); got != 10 {
		t.Fatalf("WCU below the minimum became %d, want 10", got)
	}
	seq := 0
	drive(t, db, c, 12, 3*time.Minute, &seq)
	if got := writeCapacity(t, db); got != 20 {
		t.Fatalf("WCU under 10 WCU/s of load at a 50%% target = %d, want 20", got)
	}
	c.Advance(2 * time.Hour)
	if got := writeCapacity(t, db); got != 20 {
		t.Fatalf("with scale-in disabled WCU fell to %d", got)
	}
	// Removing auto scaling stops the evaluation altogether.
	if _, err := db.UpdateTableAutoScaling(ctx, &UpdateTableAutoScalingInput{TableName: "orders",
		ProvisionedWriteCapacityAutoScalingUpdate: &AutoScalingSettingsUpdate{AutoScalingDisabled: true}}); err != nil {
		t.Fatal(err)
	}
	c.Advance(2 * time.Minute)
	if c.Pending() != 0 {
		t.Fatalf("%d timers pending with no table auto scaled", c.Pending())
	}
}

func TestAutoScaling_GlobalIndexReads(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 5), func(in *CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"g", "S"})
		in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: "byG", KeySchema: []KeySchemaElement{{"g", KeyTypeHash}},
			Projection: Projection{ProjectionType: ProjectionTypeAll}, ProvisionedThroughput: &ProvisionedThroughput{2, 5}}}
	})
	ctx := context.Background()
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "g": S("x")})
	_, err := db.UpdateTableAutoScaling(ctx, &UpdateTableAutoScalingInput{TableName: "orders",
		GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexAutoScalingUpdate{{IndexName: "byG", ProvisionedReadCapacityAutoScalingUpdate: targetTracking(2, 100, 50)}}})
	if err != nil {
		t.Fatal(err)
	}
	for s := 0; s < 120; s++ {
		for i := 0; i < 10; i++ { // up to 5 RCU a second of demand
			_, err := db.Query(ctx, &QueryInput{TableName: "orders", IndexName: "byG", KeyConditionExpression: "g = :g", ExpressionAttributeValues: vals(":g", S("x"))})
			if errors.Is(err, ErrProvisionedThroughputExceeded) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		c.Advance(time.Second)
	}
	out, err := db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.Table.GlobalSecondaryIndexes[0].ProvisionedThroughput.ReadCapacityUnits; got != 4 {
		t.Fatalf("GSI RCU after two minutes at 2 RCU/s = %d, want 4 (2 / 50%%)", got)
	}
	if out.Table.ProvisionedThroughput.ReadCapacityUnits != 5 {
		t.Fatal("the table's own capacity moved")
	}
	desc, err := db.DescribeTableAutoScaling(ctx, &DescribeTableAutoScalingInput{TableName: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	g := desc.TableAutoScalingDescription.GlobalSecondaryIndexes
	if len(g) != 1 || g[0].IndexName != "byG" || g[0].ProvisionedReadCapacityAutoScalingSettings == nil || g[0].ProvisionedWriteCapacityAutoScalingSettings != nil {
		t.Fatalf("index auto scaling %+v", g)
	}
}

func TestAutoScaling_Validation(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db, provisioned(5, 5))
	ctx := context.Background()
	badTarget := targetTracking(1, 10, 95)
	noPolicy := targetTracking(1, 10, 70)
	noPolicy.ScalingPolicyUpdate = nil
	cases := []struct {
		name string
		in   *UpdateTableAutoScalingInput
		code string
		msg  string
	}{
		{"no change", &UpdateTableAutoScalingInput{TableName: "orders"}, "ValidationException", "At least one of"},
		{"missing table", &UpdateTableAutoScalingInput{TableName: "nope", ProvisionedReadCapacityAutoScalingUpdate: targetTracking(1, 2, 70)}, "ResourceNotFoundException", ""},
		{"min above max", &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedReadCapacityAutoScalingUpdate: targetTracking(20, 10, 70)}, "ValidationException", "Minimum capacity 20 cannot be greater than maximum capacity 10"},
		{"zero min", &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedReadCapacityAutoScalingUpdate: targetTracking(0, 10, 70)}, "ValidationException", "minimumUnits"},
		{"max past quota", &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedWriteCapacityAutoScalingUpdate: targetTracking(1, 40_001, 70)}, "ValidationException", "maximumUnits"},
		{"target out of range", &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedReadCapacityAutoScalingUpdate: badTarget}, "ValidationException", "between 20 and 90 percent"},
		{"policy missing", &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedReadCapacityAutoScalingUpdate: noPolicy}, "ValidationException", "scalingPolicyUpdate"},
		{"unknown index", &UpdateTableAutoScalingInput{TableName: "orders", GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexAutoScalingUpdate{{IndexName: "ghost", ProvisionedReadCapacityAutoScalingUpdate: targetTracking(1, 2, 70)}}}, "ResourceNotFoundException", "Index: ghost not found"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.UpdateTableAutoScaling(ctx, tc.in)
			wantCode(t, err, tc.code, tc.msg)
		})
	}
}

func TestAutoScaling_CloseStopsTheTimer(t *testing.T) {
	c := testClock()
	db := New(Options{Clock: c})
	compositeTable(t, db, provisioned(5, 5))
	if _, err := db.UpdateTableAutoScaling(context.Background(), &UpdateTableAutoScalingInput{TableName: "orders", ProvisionedReadCapacityAutoScalingUpdate: targetTracking(1, 10, 70)}); err != nil {
		t.Fatal(err)
	}
	if c.Pending() != 1 {
		t.Fatalf("%d timers pending, want the auto scaling minute", c.Pending())
	}
	db.Close()
	if c.Pending() != 0 {
		t.Fatalf("%d timers pending after Close", c.Pending())
	}
	c.Advance(time.Hour)
}

func TestAutoScaling_ScaleInWaitsForTheDecreaseBudget(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db, provisioned(5, 100))
	for i := int64(1); i <= 4; i++ { // the day's four free decreases, at minutes 0 to 3
		updateTable(t, db, &UpdateTableInput{TableName: "orders", ProvisionedThroughput: &ProvisionedThroughput{5, 100 - i}})
		c.Advance(time.Minute)
	}
	if _, err := db.UpdateTableAutoScaling(context.Background(), &UpdateTableAutoScalingInput{TableName: "orders",
		ProvisionedWriteCapacityAutoScalingUpdate: targetTracking(5, 100, 70)}); err != nil {
		t.Fatal(err)
	}
	// Idle from minute 4: scale-in is due at minute 19 but the next
	// decrease is allowed only an hour after the last, at minute 63.
	c.Advance(58 * time.Minute)
	if got := writeCapacity(t, db); got != 96 {
		t.Fatalf("WCU at minute 62 = %d, want 96 (no decrease allowed yet)", got)
	}
	c.Advance(time.Minute)
	if got := writeCapacity(t, db); got != 5 {
		t.Fatalf("WCU at minute 63 = %d, want 5", got)
	}
}
