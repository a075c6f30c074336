package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

var testEpoch = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

func newTestDB(t testing.TB) (*DB, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(testEpoch)
	db := New(Options{Clock: c, LiveTableStats: true})
	t.Cleanup(func() { db.Close() })
	return db, c
}

// compositeTable is a HASH+RANGE on-demand table "orders" (pk S, sk N).
func compositeTable(t testing.TB, db *DB, extra ...func(*CreateTableInput)) {
	t.Helper()
	in := &CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []AttributeDefinition{{"pk", "S"}, {"sk", "N"}},
		KeySchema:            []KeySchemaElement{{"pk", KeyTypeHash}, {"sk", KeyTypeRange}},
		BillingMode:          BillingModePayPerRequest,
	}
	for _, f := range extra {
		f(in)
	}
	if _, err := db.CreateTable(context.Background(), in); err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
}

// wantCode fails the test unless err carries AWS code and a message
// containing msg.
func wantCode(t testing.TB, err error, code, msg string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error = %v, want %s", err, code)
	}
	if e.Code != code || !strings.Contains(e.Message, msg) {
		t.Fatalf("error = %s: %q, want %s containing %q", e.Code, e.Message, code, msg)
	}
}

func TestCreateTable_DescribesLikeDynamoDB(t *testing.T) {
	db, c := newTestDB(t)
	ctx := context.Background()
	out, err := db.CreateTable(ctx, &CreateTableInput{
		TableName:             "Music",
		AttributeDefinitions:  []AttributeDefinition{{"Artist", "S"}, {"SongTitle", "S"}, {"Genre", "S"}},
		KeySchema:             []KeySchemaElement{{"Artist", KeyTypeHash}, {"SongTitle", KeyTypeRange}},
		ProvisionedThroughput: &ProvisionedThroughput{5, 5},
		GlobalSecondaryIndexes: []GlobalSecondaryIndex{{
			IndexName:             "ByGenre",
			KeySchema:             []KeySchemaElement{{"Genre", KeyTypeHash}},
			Projection:            Projection{ProjectionType: ProjectionTypeKeysOnly},
			ProvisionedThroughput: &ProvisionedThroughput{1, 1},
		}},
	})
	if err != nil {
		t.Fatal(err)
	}
	d := out.TableDescription
	if d.TableStatus != TableStatusCreating || d.GlobalSecondaryIndexes[0].IndexStatus != IndexStatusCreating {
		t.Errorf("CreateTable reported %s / %s, want CREATING as DynamoDB", d.TableStatus, d.GlobalSecondaryIndexes[0].IndexStatus)
	}
	if want := "arn:aws:dynamodb:us-east-1:123456789012:table/Music"; d.TableArn != want {
		t.Errorf("TableArn = %q, want %q", d.TableArn, want)
	}
	if !d.CreationDateTime.Equal(testEpoch) || len(d.TableId) != 36 {
		t.Errorf("CreationDateTime %v, TableId %q", d.CreationDateTime, d.TableId)
	}
	c.Advance(time.Second)
	desc, err := db.DescribeTable(ctx, &DescribeTableInput{TableName: "Music"})
	if err != nil {
		t.Fatal(err)
	}
	if desc.Table.TableStatus != TableStatusActive {
		t.Errorf("DescribeTable status = %s, want ACTIVE", desc.Table.TableStatus)
	}
	if desc.Table.GlobalSecondaryIndexes[0].IndexArn != d.TableArn+"/index/ByGenre" {
		t.Errorf("IndexArn = %s", desc.Table.GlobalSecondaryIndexes[0].IndexArn)
	}
	if desc.Table.BillingModeSummary.BillingMode != BillingModeProvisioned || desc.Table.ProvisionedThroughput.ReadCapacityUnits != 5 {
		t.Errorf("billing %+v throughput %+v", desc.Table.BillingModeSummary, desc.Table.ProvisionedThroughput)
	}
}

func TestCreateTable_Errors(t *testing.T) {
	pt := &ProvisionedThroughput{1, 1}
	hash := []KeySchemaElement{{"pk", KeyTypeHash}}
	defs := []AttributeDefinition{{"pk", "S"}}
	cases := []struct {
		name string
		in   CreateTableInput
		code string
		msg  string
	}{
		{"short name", CreateTableInput{TableName: "ab", KeySchema: hash, AttributeDefinitions: defs, ProvisionedThroughput: pt},
			"ValidationException", "TableName must be at least 3 characters long and at most 255 characters long"},
		{"bad characters", CreateTableInput{TableName: "a b c", KeySchema: hash, AttributeDefinitions: defs, ProvisionedThroughput: pt},
			"ValidationException", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+"},
		{"no throughput", CreateTableInput{TableName: "tbl", KeySchema: hash, AttributeDefinitions: defs},
			"ValidationException", "ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED"},
		{"throughput on demand", CreateTableInput{TableName: "tbl", KeySchema: hash, AttributeDefinitions: defs, BillingMode: BillingModePayPerRequest, ProvisionedThroughput: pt},
			"ValidationException", "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
		{"undefined key", CreateTableInput{TableName: "tbl", KeySchema: []KeySchemaElement{{"id", KeyTypeHash}}, AttributeDefinitions: defs, ProvisionedThroughput: pt},
			"ValidationException", "Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [pk]"},
		{"unused definition", CreateTableInput{TableName: "tbl", KeySchema: hash, AttributeDefinitions: []AttributeDefinition{{"pk", "S"}, {"x", "N"}}, ProvisionedThroughput: pt},
			"ValidationException", "Some AttributeDefinitions are not used. AttributeDefinitions: [pk, x], keys used: [pk]"},
		{"range first", CreateTableInput{TableName: "tbl", KeySchema: []KeySchemaElement{{"pk", KeyTypeRange}}, AttributeDefinitions: defs, ProvisionedThroughput: pt},
			"ValidationException", "Invalid KeySchema: The first KeySchemaElement is not a HASH key type"},
		{"bad type", CreateTableInput{TableName: "tbl", KeySchema: hash, AttributeDefinitions: []AttributeDefinition{{"pk", "BOOL"}}, ProvisionedThroughput: pt},
			"ValidationException", "Member must satisfy enum value set: [B, N, S]"},
		{"LSI without range", CreateTableInput{TableName: "tbl", KeySchema: hash, AttributeDefinitions: []AttributeDefinition{{"pk", "S"}, {"l", "S"}}, ProvisionedThroughput: pt,
			LocalSecondaryIndexes: []LocalSecondaryIndex{{IndexName: "lsi", KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}, {"l", KeyTypeRange}}, Projection: Projection{ProjectionType: ProjectionTypeAll}}}},
			"ValidationException", "Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex"},
		{"GSI without projection", CreateTableInput{TableName: "tbl", KeySchema: hash, AttributeDefinitions: []AttributeDefinition{{"pk", "S"}, {"g", "S"}}, BillingMode: BillingModePayPerRequest,
			GlobalSecondaryIndexes: []GlobalSecondaryIndex{{IndexName: "gsi", KeySchema: []KeySchemaElement{{"g", KeyTypeHash}}}}},
			"ValidationException", "Unknown ProjectionType: null"},
		{"KEYS_ONLY with attributes", CreateTableInput{TableName: "tbl", KeySchema: hash, AttributeDefinitions: []AttributeDefinition{{"pk", "S"}, {"g", "S"}}, BillingMode: BillingModePayPerRequest,
			GlobalSecondaryIndexes: []GlobalSecondaryIndex{{IndexName: "gsi", KeySchema: []KeySchemaElement{{"g", KeyTypeHash}}, Projection: Projection{ProjectionType: ProjectionTypeKeysOnly, NonKeyAttributes: []string{"a"}}}}},
			"ValidationException", "ProjectionType is KEYS_ONLY, but NonKeyAttributes is specified"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			db, _ := newTestDB(t)
			_, err := db.CreateTable(context.Background(), &tc.in)
			wantCode(t, err, tc.code, tc.msg)
			if l, _ := db.ListTables(context.Background(), nil); len(l.TableNames) != 0 {
				t.Fatalf("a rejected CreateTable left table(s) %v", l.TableNames)
			}
		})
	}
}

func TestCreateTable_IndexLimits(t *testing.T) {
	db, _ := newTestDB(t)
	defs := []AttributeDefinition{{"pk", "S"}, {"sk", "S"}}
	var lsis []LocalSecondaryIndex
	for i := 0; i < 6; i++ {
		defs = append(defs, AttributeDefinition{fmt.Sprintf("l%d", i), "S"})
		lsis = append(lsis, LocalSecondaryIndex{IndexName: fmt.Sprintf("lsi%d", i),
			KeySchema:  []KeySchemaElement{{"pk", KeyTypeHash}, {fmt.Sprintf("l%d", i), KeyTypeRange}},
			Projection: Projection{ProjectionType: ProjectionTypeKeysOnly}})
	}
	_, err := db.CreateTable(context.Background(), &CreateTableInput{TableName: "tbl", BillingMode: BillingModePayPerRequest,
		AttributeDefinitions: defs, KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}, {"sk", KeyTypeRange}}, LocalSecondaryIndexes: lsis})
	wantCode(t, err, "ValidationException", "Number of LocalSecondaryIndexes exceeds per-table limit of 5")

	var gsis []GlobalSecondaryIndex
	defs = []AttributeDefinition{{"pk", "S"}}
	for i := 0; i < 21; i++ {
		defs = append(defs, AttributeDefinition{fmt.Sprintf("g%d", i), "S"})
		gsis = append(gsis, GlobalSecondaryIndex{IndexName: fmt.Sprintf("gsi%d", i),
			KeySchema: []KeySchemaElement{{fmt.Sprintf("g%d", i), KeyTypeHash}}, Projection: Projection{ProjectionType: ProjectionTypeKeysOnly}})
	}
	_, err = db.CreateTable(context.Background(), &CreateTableInput{TableName: "tbl", BillingMode: BillingModePayPerRequest,
		AttributeDefinitions: defs, KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}}, GlobalSecondaryIndexes: gsis})
	wantCode(t, err, "ValidationException", "GlobalSecondaryIndex count exceeds the per-table limit of 20")
}

func TestCreateTable_AlreadyExists(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	_, err := db.CreateTable(context.Background(), &CreateTableInput{
		TableName: "orders", BillingMode: BillingModePayPerRequest,
		AttributeDefinitions: []AttributeDefinition{{"pk", "S"}}, KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}},
	})
	wantCode(t, err, "ResourceInUseException", "Table already exists: orders")
	if !errors.Is(err, ErrResourceInUse) {
		t.Fatal("errors.Is(err, ErrResourceInUse) = false")
	}
}

func TestListTables_Pages(t *testing.T) {
	db, _ := newTestDB(t)
	ctx := context.Background()
	for _, n := range []string{"delta", "alpha", "echo", "charlie", "bravo"} {
		if _, err := db.CreateTable(ctx, &CreateTableInput{TableName: n, BillingMode: BillingModePayPerRequest,
			AttributeDefinitions: []AttributeDefinition{{"pk", "S"}}, KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}}}); err != nil {
			t.Fatal(err)
		}
	}
	var all []string
	in := &ListTablesInput{Limit: 2}
	pages := 0
	for {
		out, err := db.ListTables(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		all = append(all, out.TableNames...)
		if out.LastEvaluatedTableName == "" {
			break
		}
		in.ExclusiveStartTableName = out.LastEvaluatedTableName
	}
	if diff := cmp.Diff([]string{"alpha", "bravo", "charlie", "delta", "echo"}, all); diff != "" || pages != 3 {
		t.Fatalf("pages=%d, names diff:\n%s", pages, diff)
	}
	_, err := db.ListTables(ctx, &ListTablesInput{Limit: 101})
	wantCode(t, err, "ValidationException", "Member must have value less than or equal to 100")
}

func TestDeleteTable(t *testing.T) {
	db, _ := newTestDB(t)
	ctx := context.Background()
	compositeTable(t, db, func(in *CreateTableInput) { in.DeletionProtectionEnabled = true })
	_, err := db.DeleteTable(ctx, &DeleteTableInput{TableName: "orders"})
	wantCode(t, err, "ValidationException", "protected against deletion")

	on := false
	if _, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", DeletionProtectionEnabled: &on}); err != nil {
		t.Fatal(err)
	}
	out, err := db.DeleteTable(ctx, &DeleteTableInput{TableName: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	if out.TableDescription.TableStatus != TableStatusDeleting {
		t.Errorf("DeleteTable reported %s, want DELETING", out.TableDescription.TableStatus)
	}
	_, err = db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	wantCode(t, err, "ResourceNotFoundException", "Requested resource not found: Table: orders not found")
	_, err = db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N("1")}})
	wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
	_, err = db.DeleteTable(ctx, &DeleteTableInput{TableName: "orders"})
	wantCode(t, err, "ResourceNotFoundException", "Table: orders not found")
}

func TestTableStats_RefreshEverySixHours(t *testing.T) {
	c := clock.NewManual(testEpoch)
	db := New(Options{Clock: c})
	ctx := context.Background()
	compositeTable(t, db)
	wantSize := 0
	for i := 0; i < 3; i++ {
		item := Item{"pk": S("a"), "sk": N(fmt.Sprint(i)), "v": S("0123456789")}
		wantSize += itemSize(item)
		put(t, db, item)
	}
	d, _ := db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	if d.Table.ItemCount != 0 {
		t.Fatalf("ItemCount = %d right after the writes, want 0 (refreshed every six hours)", d.Table.ItemCount)
	}
	c.Advance(6 * time.Hour)
	d, _ = db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	if d.Table.ItemCount != 3 || d.Table.TableSizeBytes != int64(wantSize) {
		t.Fatalf("after six hours ItemCount = %d, TableSizeBytes = %d", d.Table.ItemCount, d.Table.TableSizeBytes)
	}
}

func TestUpdateTable_AddGlobalIndexBackfills(t *testing.T) {
	db, _ := newTestDB(t)
	ctx := context.Background()
	compositeTable(t, db)
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "status": S("open")})
	put(t, db, Item{"pk": S("b"), "sk": N("1"), "status": S("open")})
	put(t, db, Item{"pk": S("c"), "sk": N("1"), "status": N("7")}) // wrong type: not indexed
	put(t, db, Item{"pk": S("d"), "sk": N("1")})                   // sparse: not indexed

	out, err := db.UpdateTable(ctx, &UpdateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []AttributeDefinition{{"status", "S"}},
		GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{Create: &CreateGlobalSecondaryIndexAction{
			IndexName: "by-status", KeySchema: []KeySchemaElement{{"status", KeyTypeHash}}, Projection: Projection{ProjectionType: ProjectionTypeAll},
		}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.TableDescription.TableStatus != TableStatusUpdating || out.TableDescription.GlobalSecondaryIndexes[0].IndexStatus != IndexStatusCreating {
		t.Errorf("UpdateTable reported %s / %s", out.TableDescription.TableStatus, out.TableDescription.GlobalSecondaryIndexes[0].IndexStatus)
	}
	q, err := db.Query(ctx, &QueryInput{TableName: "orders", IndexName: "by-status", KeyConditionExpression: "#s = :s",
		ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]AttributeValue{":s": S("open")}})
	if err != nil {
		t.Fatal(err)
	}
	if q.Count != 2 {
		t.Fatalf("backfilled index has %d open items, want 2", q.Count)
	}

	_, err = db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{
		{Delete: &DeleteGlobalSecondaryIndexAction{IndexName: "by-status"}},
		{Create: &CreateGlobalSecondaryIndexAction{IndexName: "other", KeySchema: []KeySchemaElement{{"status", KeyTypeHash}}, Projection: Projection{ProjectionType: ProjectionTypeAll}}},
	}})
	wantCode(t, err, "LimitExceededException", "Only 1 online index can be created or deleted simultaneously per table")

	if _, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{
		{Delete: &DeleteGlobalSecondaryIndexAction{IndexName: "by-status"}}}}); err != nil {
		t.Fatal(err)
	}
	_, err = db.Query(ctx, &QueryInput{TableName: "orders", IndexName: "by-status", KeyConditionExpression: "#s = :s",
		ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]AttributeValue{":s": S("open")}})
	wantCode(t, err, "ValidationException", "The table does not have the specified index: by-status")
}

func TestUpdateTable_Billing(t *testing.T) {
	db, _ := newTestDB(t)
	ctx := context.Background()
	compositeTable(t, db)
	_, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders"})
	wantCode(t, err, "ValidationException", "At least one of ProvisionedThroughput")
	_, err = db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", BillingMode: BillingModeProvisioned})
	wantCode(t, err, "ValidationException", "ReadCapacityUnits and WriteCapacityUnits must both be specified")
	out, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", BillingMode: BillingModeProvisioned, ProvisionedThroughput: &ProvisionedThroughput{10, 5}})
	if err != nil {
		t.Fatal(err)
	}
	if pt := out.TableDescription.ProvisionedThroughput; pt.ReadCapacityUnits != 10 || pt.WriteCapacityUnits != 5 {
		t.Fatalf("throughput = %+v", pt)
	}
	_, err = db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", ProvisionedThroughput: &ProvisionedThroughput{10, 5}})
	wantCode(t, err, "ValidationException", "The provisioned throughput for the table will not change")
}

func TestUpdateTable_DecreaseBudgetThroughTheAPI(t *testing.T) {
	db, c := newTestDB(t)
	ctx := context.Background()
	if _, err := db.CreateTable(ctx, &CreateTableInput{TableName: "prov",
		AttributeDefinitions: []AttributeDefinition{{"pk", "S"}}, KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}},
		ProvisionedThroughput: &ProvisionedThroughput{100, 100}}); err != nil {
		t.Fatal(err)
	}
	for i := int64(1); i <= 4; i++ {
		c.Advance(time.Minute)
		if _, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "prov", ProvisionedThroughput: &ProvisionedThroughput{100 - i, 100}}); err != nil {
			t.Fatalf("decrease %d: %v", i, err)
		}
	}
	c.Advance(time.Minute)
	_, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "prov", ProvisionedThroughput: &ProvisionedThroughput{50, 100}})
	wantCode(t, err, "LimitExceededException", "Number of decreases today: 4")
	d, err := db.DescribeTable(ctx, &DescribeTableInput{TableName: "prov"})
	if err != nil {
		t.Fatal(err)
	}
	if pt := d.Table.ProvisionedThroughput; pt.NumberOfDecreasesToday != 4 || pt.ReadCapacityUnits != 96 || pt.LastDecreaseDateTime.IsZero() {
		t.Fatalf("after four decreases DescribeTable reports %+v", pt)
	}
	if _, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "prov", ProvisionedThroughput: &ProvisionedThroughput{200, 100}}); err != nil {
		t.Fatalf("increases are not limited: %v", err)
	}
	c.Advance(time.Hour)
	if _, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "prov", ProvisionedThroughput: &ProvisionedThroughput{50, 100}}); err != nil {
		t.Fatalf("a decrease an hour after the fourth: %v", err)
	}
}
