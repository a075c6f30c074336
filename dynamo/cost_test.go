package dynamo

import (
	"context"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestBill_KnownWorkloadByHand prices a month of three tables and checks
// every line against the same sums done by hand from the us-east-1 price
// list.
func TestBill_KnownWorkloadByHand(t *testing.T) {
	db, c := newTestDB(t)
	ctx := context.Background()
	// "orders": on-demand, STANDARD.
	compositeTable(t, db)
	// "archive": provisioned 100/50 plus a 10/10 GSI, STANDARD_IA.
	compositeTable(t, db, func(in *CreateTableInput) {
		in.TableName = "archive"
		in.BillingMode = BillingModeProvisioned
		in.ProvisionedThroughput = &ProvisionedThroughput{100, 50}
		in.TableClass = TableClassStandardInfrequentAccess
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"g", "S"})
		in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{IndexName: "byG", KeySchema: []KeySchemaElement{{"g", KeyTypeHash}},
			Projection: Projection{ProjectionType: ProjectionTypeKeysOnly}, ProvisionedThroughput: &ProvisionedThroughput{10, 10}}}
	})
	// "tiny": provisioned 30/10, STANDARD.
	compositeTable(t, db, func(in *CreateTableInput) {
		in.TableName = "tiny"
		in.BillingMode = BillingModeProvisioned
		in.ProvisionedThroughput = &ProvisionedThroughput{30, 10}
	})

	// 1,000 items of 3,000 bytes: 3 WRU each.
	for i := 0; i < 1000; i++ {
		put(t, db, sized(t, "o", i, 3000))
	}
	// 2,000 eventually consistent reads (0.5 RRU) and 500 strong (1 RRU).
	for i := 0; i < 2500; i++ {
		_, err := db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: Item{"pk": S("o"), "sk": N(fmt.Sprint(i % 1000))}, ConsistentRead: i >= 2000})
		if err != nil {
			t.Fatal(err)
		}
	}
	c.Advance(730 * time.Hour)

	bill, err := db.Bill(ctx)
	if err != nil {
		t.Fatal(err)
	}
	const gib = 1 << 30
	storageGBMonths := 1000 * (3000.0 + 100) / gib // a month of 1,000 items with 100 bytes overhead each
	want := &Bill{
		Start: testEpoch,
		End:   testEpoch.Add(730 * time.Hour),
		Tables: []TableBill{
			{
				TableName: "archive", TableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/archive", TableClass: TableClassStandardInfrequentAccess,
				ReadCapacityUnitHours: 110 * 730, WriteCapacityUnitHours: 60 * 730,
				ReadCapacityCost: 110 * 730 * 0.00016, WriteCapacityCost: 60 * 730 * 0.00081,
				Total: 110*730*0.00016 + 60*730*0.00081,
			},
			{
				TableName: "orders", TableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/orders", TableClass: TableClassStandard,
				WriteRequestUnits: 3000, ReadRequestUnits: 2000*0.5 + 500,
				WriteRequestCost: 3000.0 / 1e6 * 0.625, ReadRequestCost: 1500.0 / 1e6 * 0.125,
				StorageGBMonths: storageGBMonths, StorageCost: storageGBMonths * 0.25,
				Total: 3000.0/1e6*0.625 + 1500.0/1e6*0.125 + storageGBMonths*0.25,
			},
			{
				TableName: "tiny", TableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/tiny", TableClass: TableClassStandard,
				ReadCapacityUnitHours: 30 * 730, WriteCapacityUnitHours: 10 * 730,
				ReadCapacityCost: 30 * 730 * 0.00013, WriteCapacityCost: 10 * 730 * 0.00065,
				Total: 30*730*0.00013 + 10*730*0.00065,
			},
		},
	}
	for _, tb := range want.Tables {
		want.Gross += tb.Total
	}
	// Free tier, STANDARD only: 25 RCU and 25 WCU every hour, 25 GB a month.
	want.FreeTier = 25*730*0.00013 + 10*730*0.00065 + storageGBMonths*0.25
	want.Total = want.Gross - want.FreeTier
	if diff := cmp.Diff(want, bill, cmpopts.EquateApprox(0, 1e-9)); diff != "" {
		t.Fatalf("bill (-want +got):\n%s", diff)
	}
	// The hand total: 0.001875 + 0.0001875 + 12.848 + 35.478 + 2.847 + 4.745
	// + storage, less 2.3725 + 4.745 + storage.
	if math.Abs(bill.Total-(0.001875+0.0001875+12.848+35.478+2.847+4.745-2.3725-4.745)) > 1e-9 {
		t.Fatalf("total %.9f", bill.Total)
	}
}

func TestBill_ChangesAreMeteredFromTheirTime(t *testing.T) {
	db, c := newTestDB(t)
	ctx := context.Background()
	compositeTable(t, db, provisioned(10, 10))
	c.Advance(10 * time.Hour)
	updateTable(t, db, &UpdateTableInput{TableName: "orders", ProvisionedThroughput: &ProvisionedThroughput{20, 10}})
	c.Advance(10 * time.Hour)
	updateTable(t, db, &UpdateTableInput{TableName: "orders", TableClass: TableClassStandardInfrequentAccess})
	c.Advance(5 * time.Hour)
	updateTable(t, db, &UpdateTableInput{TableName: "orders", BillingMode: BillingModePayPerRequest})
	put(t, db, sized(t, "a", 1, 2048)) // 2 WRU at IA prices
	c.Advance(5 * time.Hour)
	tbl, _ := db.table("orders")
	tbl.mu.Lock()
	db.noteCapacityChange(tbl) // as DeleteTable does before deleting
	tbl.mu.Unlock()
	if _, err := db.DeleteTable(ctx, &DeleteTableInput{TableName: "orders"}); err != nil {
		t.Fatal(err)
	}
	c.Advance(100 * time.Hour)
	bill, err := db.Bill(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(bill.Tables) != 2 {
		t.Fatalf("bill has %d lines, want one per table class: %+v", len(bill.Tables), bill.Tables)
	}
	std, ia := bill.Tables[0], bill.Tables[1]
	if std.TableClass != TableClassStandard || ia.TableClass != TableClassStandardInfrequentAccess || !std.Deleted {
		t.Fatalf("lines %+v", bill.Tables)
	}
	if std.ReadCapacityUnitHours != 10*10+20*10 || std.WriteCapacityUnitHours != 10*20 {
		t.Fatalf("STANDARD capacity %v RCU-h %v WCU-h, want 300 and 200", std.ReadCapacityUnitHours, std.WriteCapacityUnitHours)
	}
	if ia.ReadCapacityUnitHours != 20*5 || ia.WriteCapacityUnitHours != 10*5 || ia.WriteRequestUnits != 2 {
		t.Fatalf("IA line %+v, want 100 RCU-h, 50 WCU-h and 2 WRU", ia)
	}
	wantStorage := (2048.0 + 100) * 5 / 730 / (1 << 30)
	if math.Abs(ia.StorageGBMonths-wantStorage) > 1e-15 {
		t.Fatalf("IA storage %v GB-months, want %v (five hours of one item)", ia.StorageGBMonths, wantStorage)
	}
	if !bill.End.Equal(testEpoch.Add(130*time.Hour)) || !bill.Start.Equal(testEpoch) {
		t.Fatalf("period %v to %v", bill.Start, bill.End)
	}
}

func TestBill_PricesAreOverridable(t *testing.T) {
	p := DefaultPrices()
	p.Standard.WriteRequestUnit = 1 // a dollar per million
	c := testClock()
	db := New(Options{Clock: c, Capacity: CapacityOptions{Prices: &p}})
	defer db.Close()
	compositeTable(t, db)
	for i := 0; i < 10; i++ {
		put(t, db, Item{"pk": S("a"), "sk": N(fmt.Sprint(i))})
	}
	bill, err := db.Bill(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := bill.Tables[0].WriteRequestCost; got != 10.0/1e6 {
		t.Fatalf("10 WRU at $1 per million cost %v", got)
	}
	if DefaultPrices().Standard.WriteRequestUnit != 0.625 {
		t.Fatal("overriding a copy changed the defaults")
	}
}

func TestMeter_Errors(t *testing.T) {
	db, _ := newTestDB(t)
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	_, err := db.TableUsage(ctx, "missing")
	wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
	if _, err := db.TableUsage(cancelled, "missing"); err != context.Canceled {
		t.Fatalf("TableUsage with a cancelled context: %v", err)
	}
	if _, err := db.Bill(cancelled); err != context.Canceled {
		t.Fatalf("Bill with a cancelled context: %v", err)
	}
	bill, err := db.Bill(ctx)
	if err != nil || len(bill.Tables) != 0 || bill.Total != 0 {
		t.Fatalf("bill of an empty DB: %+v, %v", bill, err)
	}
}
