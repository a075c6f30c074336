package dynamo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sized returns an item of table "orders" whose DynamoDB size is exactly
// size bytes, padded with attribute "pad".
func sized(t testing.TB, pk string, sk int, size int, extra ...any) Item {
	t.Helper()
	item := Item{"pk": S(pk), "sk": N(fmt.Sprint(sk))}
	for i := 0; i < len(extra); i += 2 {
		item[extra[i].(string)] = extra[i+1].(AttributeValue)
	}
	pad := size - itemSize(item) - len("pad")
	if pad < 0 {
		t.Fatalf("item of %d bytes cannot be padded to %d", itemSize(item), size)
	}
	item["pad"] = S(strings.Repeat("x", pad))
	if got := itemSize(item); got != size {
		t.Fatalf("padded item is %d bytes, want %d", got, size)
	}
	return item
}

// indexedTable is "orders" (pk S, sk N) with a local index "byLsi" (pk,
// lsiSk S; ALL) and a global index "byGsi" (gsiPk S; INCLUDE proj),
// provisioned generously unless changed by extra.
func indexedTable(t testing.TB, db *DB, extra ...func(*CreateTableInput)) {
	t.Helper()
	compositeTable(t, db, append([]func(*CreateTableInput){func(in *CreateTableInput) {
		in.BillingMode = BillingModeProvisioned
		in.ProvisionedThroughput = &ProvisionedThroughput{1000, 1000}
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"gsiPk", "S"}, AttributeDefinition{"lsiSk", "S"})
		in.LocalSecondaryIndexes = []LocalSecondaryIndex{{
			IndexName:  "byLsi",
			KeySchema:  []KeySchemaElement{{"pk", KeyTypeHash}, {"lsiSk", KeyTypeRange}},
			Projection: Projection{ProjectionType: ProjectionTypeAll},
		}}
		in.GlobalSecondaryIndexes = []GlobalSecondaryIndex{{
			IndexName:             "byGsi",
			KeySchema:             []KeySchemaElement{{"gsiPk", KeyTypeHash}},
			Projection:            Projection{ProjectionType: ProjectionTypeInclude, NonKeyAttributes: []string{"proj"}},
			ProvisionedThroughput: &ProvisionedThroughput{1000, 1000},
		}}
	}}, extra...)...)
}

func TestConsumedCapacity_ReadUnits(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	put(t, db, sized(t, "a", 1, 3500))
	put(t, db, sized(t, "a", 2, 4096))
	put(t, db, sized(t, "a", 3, 4097))
	put(t, db, sized(t, "a", 4, 10*1024))
	cases := []struct {
		name       string
		sk         string
		consistent bool
		want       float64
	}{
		{"3.5 KB eventually consistent is half a unit", "1", false, 0.5},
		{"3.5 KB strongly consistent is one unit", "1", true, 1},
		{"exactly 4 KB is one unit", "2", true, 1},
		{"4 KB and a byte is two units", "3", true, 2},
		{"10 KB rounds up to 12 KB", "4", true, 3},
		{"10 KB eventually consistent", "4", false, 1.5},
		{"a missing item costs the minimum", "99", false, 0.5},
		{"a missing item strongly consistent", "99", true, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N(tc.sk)},
				ConsistentRead: tc.consistent, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
			if err != nil {
				t.Fatal(err)
			}
			want := &ConsumedCapacity{TableName: "orders", CapacityUnits: tc.want}
			if diff := cmp.Diff(want, out.ConsumedCapacity); diff != "" {
				t.Fatalf("ConsumedCapacity (-want +got):\n%s", diff)
			}
		})
	}
}

func TestConsumedCapacity_ProjectionDoesNotReduceReads(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	put(t, db, sized(t, "a", 1, 9000))
	out, err := db.GetItem(context.Background(), &GetItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N("1")},
		ProjectionExpression: "sk", ConsistentRead: true, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.ConsumedCapacity.CapacityUnits; got != 3 {
		t.Fatalf("projected GetItem of a 9,000-byte item consumed %v, want 3 (the whole item)", got)
	}
}

func TestConsumedCapacity_NoneAndInvalid(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := Item{"pk": S("a"), "sk": N("1")}
	for _, mode := range []ReturnConsumedCapacity{"", ReturnConsumedCapacityNone} {
		out, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: key, ReturnConsumedCapacity: mode})
		if err != nil {
			t.Fatal(err)
		}
		if out.ConsumedCapacity != nil {
			t.Fatalf("ReturnConsumedCapacity %q returned %+v", mode, out.ConsumedCapacity)
		}
	}
	const msg = "1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"
	calls := map[string]func() error{
		"GetItem": func() error {
			_, err := db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: key, ReturnConsumedCapacity: "ALL"})
			return err
		},
		"PutItem": func() error {
			_, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: key, ReturnConsumedCapacity: "ALL"})
			return err
		},
		"DeleteItem": func() error {
			_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: key, ReturnConsumedCapacity: "ALL"})
			return err
		},
		"UpdateItem": func() error {
			_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key, ReturnConsumedCapacity: "ALL"})
			return err
		},
		"Query": func() error {
			_, err := db.Query(ctx, &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p", ExpressionAttributeValues: vals(":p", S("a")), ReturnConsumedCapacity: "ALL"})
			return err
		},
		"Scan": func() error {
			_, err := db.Scan(ctx, &ScanInput{TableName: "orders", ReturnConsumedCapacity: "ALL"})
			return err
		},
		"BatchGetItem": func() error {
			_, err := db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{"orders": {Keys: []Item{key}}}, ReturnConsumedCapacity: "ALL"})
			return err
		},
		"BatchWriteItem": func() error {
			_, err := db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": {{PutRequest: &PutRequest{Item: key}}}}, ReturnConsumedCapacity: "ALL"})
			return err
		},
		"TransactGetItems": func() error {
			_, err := db.TransactGetItems(ctx, &TransactGetItemsInput{TransactItems: []TransactGetItem{{Get: &Get{TableName: "orders", Key: key}}}, ReturnConsumedCapacity: "ALL"})
			return err
		},
		"TransactWriteItems": func() error {
			_, err := db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: []TransactWriteItem{{Put: &Put{TableName: "orders", Item: key}}}, ReturnConsumedCapacity: "ALL"})
			return err
		},
	}
	for name, call := range calls {
		t.Run(name, func(t *testing.T) { wantCode(t, call(), "ValidationException", msg) })
	}
}

func TestConsumedCapacity_WriteUnits(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	putCC := func(item Item) float64 {
		t.Helper()
		out, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: item, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity.CapacityUnits
	}
	if got := putCC(sized(t, "w", 1, 1024)); got != 1 {
		t.Fatalf("a new 1 KB item cost %v, want 1", got)
	}
	if got := putCC(sized(t, "w", 2, 1025)); got != 2 {
		t.Fatalf("a new 1 KB + 1 byte item cost %v, want 2", got)
	}
	if got := putCC(sized(t, "w", 3, 3000)); got != 3 {
		t.Fatalf("a new 3,000-byte item cost %v, want 3", got)
	}
	if got := putCC(sized(t, "w", 3, 100)); got != 3 {
		t.Fatalf("replacing a 3,000-byte item by a small one cost %v, want 3 (the larger of the two)", got)
	}

	upd, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: Item{"pk": S("w"), "sk": N("3")},
		UpdateExpression: "SET big = :b", ExpressionAttributeValues: vals(":b", S(strings.Repeat("y", 5000))),
		ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if got := upd.ConsumedCapacity.CapacityUnits; got != 5 {
		t.Fatalf("growing an item to about 5,100 bytes cost %v, want 5 (the larger, after)", got)
	}
	del, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("w"), "sk": N("3")}, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if got := del.ConsumedCapacity.CapacityUnits; got != 5 {
		t.Fatalf("deleting that item cost %v, want 5", got)
	}
	del, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("none"), "sk": N("0")}, ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if got := del.ConsumedCapacity.CapacityUnits; got != 1 {
		t.Fatalf("deleting a missing item cost %v, want 1", got)
	}
}

func TestConsumedCapacity_FailedConditionStillConsumes(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	put(t, db, sized(t, "c", 1, 2500)) // 3 units
	before := metered(t, db, "orders")
	_, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: sized(t, "c", 1, 100), ConditionExpression: "attribute_not_exists(pk)"})
	wantCode(t, err, "ConditionalCheckFailedException", "")
	_, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: Item{"pk": S("c"), "sk": N("9")},
		UpdateExpression: "SET a = :a", ConditionExpression: "attribute_exists(pk)", ExpressionAttributeValues: vals(":a", N("1"))})
	wantCode(t, err, "ConditionalCheckFailedException", "")
	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("c"), "sk": N("1")}, ConditionExpression: "attribute_not_exists(pk)"})
	wantCode(t, err, "ConditionalCheckFailedException", "")
	after := metered(t, db, "orders")
	// 3 (existing 2,500-byte item) + 1 (missing item) + 3.
	if got := after.ConsumedWriteCapacityUnits - before.ConsumedWriteCapacityUnits; got != 7 {
		t.Fatalf("three refused conditional writes consumed %v WCU, want 7", got)
	}
}

func metered(t testing.TB, db *DB, table string) *TableUsage {
	t.Helper()
	u, err := db.TableUsage(context.Background(), table)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestConsumedCapacity_IndexWrites walks the rules of index write costs:
// the GSI "byGsi" projects only "proj", the LSI "byLsi" projects all.
func TestConsumedCapacity_IndexWrites(t *testing.T) {
	db, _ := newTestDB(t)
	indexedTable(t, db)
	ctx := context.Background()
	type arms struct{ total, table, gsi, lsi float64 }
	check := func(t *testing.T, cc *ConsumedCapacity, want arms) {
		t.Helper()
		got := arms{total: cc.CapacityUnits, table: cc.Table.CapacityUnits,
			gsi: cc.GlobalSecondaryIndexes["byGsi"].CapacityUnits, lsi: cc.LocalSecondaryIndexes["byLsi"].CapacityUnits}
		if got != want {
			t.Fatalf("capacity %+v, want %+v (%+v)", got, want, cc)
		}
		if _, ok := cc.GlobalSecondaryIndexes["byGsi"]; ok != (want.gsi > 0) {
			t.Fatalf("GSI arm present = %v, want %v", ok, want.gsi > 0)
		}
		if _, ok := cc.LocalSecondaryIndexes["byLsi"]; ok != (want.lsi > 0) {
			t.Fatalf("LSI arm present = %v, want %v", ok, want.lsi > 0)
		}
	}
	putIdx := func(t *testing.T, item Item) *ConsumedCapacity {
		t.Helper()
		out, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: item, ReturnConsumedCapacity: ReturnConsumedCapacityIndexes})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	full := func(sk int) Item {
		return Item{"pk": S("p"), "sk": N(fmt.Sprint(sk)), "gsiPk": S("g"), "lsiSk": S("l"), "proj": S("p"), "misc": S("o")}
	}
	t.Run("put into both indexes", func(t *testing.T) { check(t, putIdx(t, full(1)), arms{3, 1, 1, 1}) })
	t.Run("sparse put touches no index", func(t *testing.T) {
		check(t, putIdx(t, Item{"pk": S("p"), "sk": N("2"), "misc": S("o")}), arms{1, 1, 0, 0})
	})
	t.Run("identical overwrite touches no index", func(t *testing.T) { check(t, putIdx(t, full(1)), arms{1, 1, 0, 0}) })
	update := func(t *testing.T, sk int, expr string, values map[string]AttributeValue) *ConsumedCapacity {
		t.Helper()
		putIdx(t, full(sk))
		out, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: Item{"pk": S("p"), "sk": N(fmt.Sprint(sk))},
			UpdateExpression: expr, ExpressionAttributeValues: values, ReturnConsumedCapacity: ReturnConsumedCapacityIndexes})
		if err != nil {
			t.Fatal(err)
		}
		return out.ConsumedCapacity
	}
	t.Run("unprojected attribute changes only the ALL index", func(t *testing.T) {
		check(t, update(t, 10, "SET misc = :v", vals(":v", S("o2"))), arms{2, 1, 0, 1})
	})
	t.Run("projected attribute is one write on each", func(t *testing.T) {
		check(t, update(t, 11, "SET proj = :v", vals(":v", S("p2"))), arms{3, 1, 1, 1})
	})
	t.Run("index key change is a delete and a put", func(t *testing.T) {
		check(t, update(t, 12, "SET gsiPk = :v", vals(":v", S("g2"))), arms{4, 1, 2, 1})
	})
	t.Run("removing the index key is one delete", func(t *testing.T) {
		check(t, update(t, 13, "REMOVE gsiPk", nil), arms{3, 1, 1, 1})
	})
	t.Run("local index key change", func(t *testing.T) {
		check(t, update(t, 14, "SET lsiSk = :v", vals(":v", S("l2"))), arms{3, 1, 0, 2})
	})
	t.Run("delete removes an entry from each index", func(t *testing.T) {
		putIdx(t, full(20))
		out, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("p"), "sk": N("20")}, ReturnConsumedCapacity: ReturnConsumedCapacityIndexes})
		if err != nil {
			t.Fatal(err)
		}
		check(t, out.ConsumedCapacity, arms{3, 1, 1, 1})
	})
	t.Run("TOTAL folds the indexes in without arms", func(t *testing.T) {
		out, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: full(30), ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(&ConsumedCapacity{TableName: "orders", CapacityUnits: 3}, out.ConsumedCapacity); diff != "" {
			t.Fatalf("TOTAL (-want +got):\n%s", diff)
		}
	})
	t.Run("large projection rounds per index", func(t *testing.T) {
		item := full(40)
		item["proj"] = S(strings.Repeat("z", 1500)) // projected into both indexes
		check(t, putIdx(t, item), arms{6, 2, 2, 2})
	})
}

func TestConsumedCapacity_QueryAndScanChargeWhatTheyRead(t *testing.T) {
	db, _ := newTestDB(t)
	indexedTable(t, db)
	ctx := context.Background()
	// Six items of 1,000 bytes: 6,000 bytes read is two 4 KB units.
	for i := 0; i < 6; i++ {
		keep := "no"
		if i == 0 {
			keep = "yes"
		}
		put(t, db, sized(t, "q", i, 1000, "keep", S(keep), "gsiPk", S("g"), "lsiSk", S(fmt.Sprint(i))))
	}
	query := func(in QueryInput) *QueryOutput {
		t.Helper()
		in.TableName = "orders"
		if in.KeyConditionExpression == "" {
			in.KeyConditionExpression = "pk = :p"
			in.ExpressionAttributeValues = vals(":p", S("q"))
		}
		in.ReturnConsumedCapacity = ReturnConsumedCapacityIndexes
		out, err := db.Query(ctx, &in)
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	plain := query(QueryInput{ConsistentRead: true})
	if diff := cmp.Diff(&ConsumedCapacity{TableName: "orders", CapacityUnits: 2, Table: &Capacity{CapacityUnits: 2}}, plain.ConsumedCapacity); diff != "" {
		t.Fatalf("Query (-want +got):\n%s", diff)
	}
	if got := query(QueryInput{}).ConsumedCapacity.CapacityUnits; got != 1 {
		t.Fatalf("eventually consistent Query consumed %v, want 1", got)
	}
	filtered := query(QueryInput{ConsistentRead: true, FilterExpression: "keep = :k", ProjectionExpression: "sk",
		ExpressionAttributeValues: vals(":p", S("q"), ":k", S("yes")), KeyConditionExpression: "pk = :p"})
	if filtered.Count != 1 || filtered.ConsumedCapacity.CapacityUnits != 2 {
		t.Fatalf("filtered, projected Query: Count %d consumed %v, want 1 and 2 (before the filter)", filtered.Count, filtered.ConsumedCapacity.CapacityUnits)
	}
	limited := query(QueryInput{ConsistentRead: true, Limit: 2})
	if got := limited.ConsumedCapacity.CapacityUnits; got != 1 {
		t.Fatalf("Query with Limit 2 consumed %v, want 1 (2,000 bytes)", got)
	}
	empty := query(QueryInput{KeyConditionExpression: "pk = :p", ExpressionAttributeValues: vals(":p", S("nobody"))})
	if got := empty.ConsumedCapacity.CapacityUnits; got != 0.5 {
		t.Fatalf("empty Query consumed %v, want the minimum 0.5", got)
	}

	// The GSI holds keys and "proj" only: 6 small entries, one unit.
	gsi := query(QueryInput{IndexName: "byGsi", KeyConditionExpression: "gsiPk = :g", ExpressionAttributeValues: vals(":g", S("g"))})
	want := &ConsumedCapacity{TableName: "orders", CapacityUnits: 0.5, Table: &Capacity{},
		GlobalSecondaryIndexes: map[string]Capacity{"byGsi": {CapacityUnits: 0.5}}}
	if diff := cmp.Diff(want, gsi.ConsumedCapacity); diff != "" {
		t.Fatalf("GSI Query (-want +got):\n%s", diff)
	}
	lsi := query(QueryInput{IndexName: "byLsi", ConsistentRead: true})
	want = &ConsumedCapacity{TableName: "orders", CapacityUnits: 2, Table: &Capacity{},
		LocalSecondaryIndexes: map[string]Capacity{"byLsi": {CapacityUnits: 2}}}
	if diff := cmp.Diff(want, lsi.ConsumedCapacity); diff != "" {
		t.Fatalf("LSI Query (-want +got):\n%s", diff)
	}

	scan, err := db.Scan(ctx, &ScanInput{TableName: "orders", ConsistentRead: true, FilterExpression: "keep = :k",
		ExpressionAttributeValues: vals(":k", S("yes")), ReturnConsumedCapacity: ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if scan.ConsumedCapacity.CapacityUnits != 2 || scan.Count != 1 {
		t.Fatalf("filtered Scan: Count %d consumed %v, want 1 and 2", scan.Count, scan.ConsumedCapacity.CapacityUnits)
	}
}

func TestConsumedCapacity_LocalIndexFetchesChargeTheTable(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db, func(in *CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"status", "S"})
		in.LocalSecondaryIndexes = []LocalSecondaryIndex{{IndexName: "byStatus",
			KeySchema:  []KeySchemaElement{{"pk", KeyTypeHash}, {"status", KeyTypeRange}},
			Projection: Projection{ProjectionType: ProjectionTypeKeysOnly}}}
	})
	ctx := context.Background()
	for i := 0; i < 3; i++ {
		put(t, db, sized(t, "f", i, 5000, "status", S("open")))
	}
	keys, err := db.Query(ctx, &QueryInput{TableName: "orders", IndexName: "byStatus", KeyConditionExpression: "pk = :p",
		ExpressionAttributeValues: vals(":p", S("f")), ConsistentRead: true, ReturnConsumedCapacity: ReturnConsumedCapacityIndexes})
	if err != nil {
		t.Fatal(err)
	}
	if keys.ConsumedCapacity.CapacityUnits != 1 || keys.ConsumedCapacity.Table.CapacityUnits != 0 {
		t.Fatalf("keys-only LSI Query consumed %+v, want 1 on the index", keys.ConsumedCapacity)
	}
	fetch, err := db.Query(ctx, &QueryInput{TableName: "orders", IndexName: "byStatus", KeyConditionExpression: "pk = :p",
		ExpressionAttributeValues: vals(":p", S("f")), ConsistentRead: true, Select: SelectAllAttributes, ReturnConsumedCapacity: ReturnConsumedCapacityIndexes})
	if err != nil {
		t.Fatal(err)
	}
	// Index entries: 1 unit; three 5,000-byte fetches: 2 units each.
	want := &ConsumedCapacity{TableName: "orders", CapacityUnits: 7, Table: &Capacity{CapacityUnits: 6},
		LocalSecondaryIndexes: map[string]Capacity{"byStatus": {CapacityUnits: 1}}}
	if diff := cmp.Diff(want, fetch.ConsumedCapacity); diff != "" {
		t.Fatalf("fetching LSI Query (-want +got):\n%s", diff)
	}
}

func TestConsumedCapacity_BatchesChargePerItem(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	db2Table(t, db)
	ctx := context.Background()
	// 1.5 KB and 6.5 KB: 4 KB + 8 KB = 3 strongly consistent units, not 2.
	put(t, db, sized(t, "b", 1, 1536))
	put(t, db, sized(t, "b", 2, 6656))
	out, err := db.BatchGetItem(ctx, &BatchGetItemInput{
		RequestItems: map[string]KeysAndAttributes{
			"orders": {Keys: []Item{{"pk": S("b"), "sk": N("1")}, {"pk": S("b"), "sk": N("2")}, {"pk": S("b"), "sk": N("3")}}, ConsistentRead: true},
			"other":  {Keys: []Item{{"id": S("x")}}},
		},
		ReturnConsumedCapacity: ReturnConsumedCapacityTotal,
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []ConsumedCapacity{{TableName: "orders", CapacityUnits: 4}, {TableName: "other", CapacityUnits: 0.5}}
	if diff := cmp.Diff(want, out.ConsumedCapacity); diff != "" {
		t.Fatalf("BatchGetItem (-want +got):\n%s", diff)
	}

	wout, err := db.BatchWriteItem(ctx, &BatchWriteItemInput{
		RequestItems: map[string][]WriteRequest{
			"orders": {
				{PutRequest: &PutRequest{Item: sized(t, "b", 5, 1500)}},
				{PutRequest: &PutRequest{Item: sized(t, "b", 6, 500)}},
				{DeleteRequest: &DeleteRequest{Key: Item{"pk": S("b"), "sk": N("2")}}},
			},
			"other": {{DeleteRequest: &DeleteRequest{Key: Item{"id": S("nothing")}}}},
		},
		ReturnConsumedCapacity: ReturnConsumedCapacityIndexes,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantW := []ConsumedCapacity{
		{TableName: "orders", CapacityUnits: 2 + 1 + 7, Table: &Capacity{CapacityUnits: 10}},
		{TableName: "other", CapacityUnits: 1, Table: &Capacity{CapacityUnits: 1}},
	}
	if diff := cmp.Diff(wantW, wout.ConsumedCapacity); diff != "" {
		t.Fatalf("BatchWriteItem (-want +got):\n%s", diff)
	}
}

// db2Table adds an on-demand table "other" with hash key "id".
func db2Table(t testing.TB, db *DB) {
	t.Helper()
	_, err := db.CreateTable(context.Background(), &CreateTableInput{
		TableName:            "other",
		AttributeDefinitions: []AttributeDefinition{{"id", "S"}},
		KeySchema:            []KeySchemaElement{{"id", KeyTypeHash}},
		BillingMode:          BillingModePayPerRequest,
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestConsumedCapacity_Transactions(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	db2Table(t, db)
	ctx := context.Background()
	put(t, db, sized(t, "t", 1, 1500))
	if _, err := db.PutItem(ctx, &PutItemInput{TableName: "other", Item: Item{"id": S("flag"), "on": BOOL(true)}}); err != nil {
		t.Fatal(err)
	}
	out, err := db.TransactWriteItems(ctx, &TransactWriteItemsInput{
		TransactItems: []TransactWriteItem{
			{Put: &Put{TableName: "orders", Item: sized(t, "t", 2, 800)}},
			{Update: &Update{TableName: "orders", Key: Item{"pk": S("t"), "sk": N("1")}, UpdateExpression: "SET n = :n", ExpressionAttributeValues: vals(":n", N("1"))}},
			{ConditionCheck: &ConditionCheck{TableName: "other", Key: Item{"id": S("flag")}, ConditionExpression: "#on = :t",
				ExpressionAttributeNames: map[string]string{"#on": "on"}, ExpressionAttributeValues: vals(":t", BOOL(true))}},
		},
		ClientRequestToken:     "tok",
		ReturnConsumedCapacity: ReturnConsumedCapacityIndexes,
	})
	if err != nil {
		t.Fatal(err)
	}
	// orders: put 2 + update of a 1.5 KB item 2x2; other: the check, 2.
	want := []ConsumedCapacity{
		{TableName: "orders", CapacityUnits: 6, WriteCapacityUnits: 6, Table: &Capacity{CapacityUnits: 6, WriteCapacityUnits: 6}},
		{TableName: "other", CapacityUnits: 2, WriteCapacityUnits: 2, Table: &Capacity{CapacityUnits: 2, WriteCapacityUnits: 2}},
	}
	if diff := cmp.Diff(want, out.ConsumedCapacity); diff != "" {
		t.Fatalf("TransactWriteItems (-want +got):\n%s", diff)
	}
	again, err := db.TransactWriteItems(ctx, &TransactWriteItemsInput{
		TransactItems: []TransactWriteItem{
			{Put: &Put{TableName: "orders", Item: sized(t, "t", 2, 800)}},
			{Update: &Update{TableName: "orders", Key: Item{"pk": S("t"), "sk": N("1")}, UpdateExpression: "SET n = :n", ExpressionAttributeValues: vals(":n", N("1"))}},
			{ConditionCheck: &ConditionCheck{TableName: "other", Key: Item{"id": S("flag")}, ConditionExpression: "#on = :t",
				ExpressionAttributeNames: map[string]string{"#on": "on"}, ExpressionAttributeValues: vals(":t", BOOL(true))}},
		},
		ClientRequestToken:     "tok",
		ReturnConsumedCapacity: ReturnConsumedCapacityTotal,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantReplay := []ConsumedCapacity{
		{TableName: "orders", CapacityUnits: 4, ReadCapacityUnits: 4},
		{TableName: "other", CapacityUnits: 2, ReadCapacityUnits: 2},
	}
	if diff := cmp.Diff(wantReplay, again.ConsumedCapacity); diff != "" {
		t.Fatalf("replayed TransactWriteItems reports reads (-want +got):\n%s", diff)
	}

	get, err := db.TransactGetItems(ctx, &TransactGetItemsInput{
		TransactItems: []TransactGetItem{
			{Get: &Get{TableName: "orders", Key: Item{"pk": S("t"), "sk": N("1")}}},
			{Get: &Get{TableName: "orders", Key: Item{"pk": S("t"), "sk": N("404")}}},
		},
		ReturnConsumedCapacity: ReturnConsumedCapacityTotal,
	})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]ConsumedCapacity{{TableName: "orders", CapacityUnits: 4, ReadCapacityUnits: 4}}, get.ConsumedCapacity); diff != "" {
		t.Fatalf("TransactGetItems (-want +got):\n%s", diff)
	}

	before := metered(t, db, "orders").ConsumedWriteCapacityUnits
	err = transfer(db, "nobody", "t", 5)
	wantCode(t, err, "TransactionCanceledException", "")
	if got := metered(t, db, "orders").ConsumedWriteCapacityUnits - before; got != 2 {
		t.Fatalf("a cancelled transaction of two actions on missing items consumed %v WCU, want 2", got)
	}
}
