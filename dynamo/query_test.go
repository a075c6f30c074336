package dynamo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func vals(kv ...any) map[string]AttributeValue {
	m := map[string]AttributeValue{}
	for i := 0; i < len(kv); i += 2 {
		m[kv[i].(string)] = kv[i+1].(AttributeValue)
	}
	return m
}

func sortKeys(items []Item) []string {
	var out []string
	for _, it := range items {
		out = append(out, string(it["sk"].(N)))
	}
	return out
}

func TestQuery_SortKeyConditions(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	for _, sk := range []string{"10", "-3", "2", "2.5", "100", "0", "-20"} {
		put(t, db, Item{"pk": S("a"), "sk": N(sk)})
	}
	put(t, db, Item{"pk": S("b"), "sk": N("1")})
	back := false
	cases := []struct {
		name    string
		cond    string
		values  map[string]AttributeValue
		forward *bool
		want    []string
	}{
		{"whole partition in numeric order", "pk = :p", vals(":p", S("a")), nil, []string{"-20", "-3", "0", "2", "2.5", "10", "100"}},
		{"descending", "pk = :p", vals(":p", S("a")), &back, []string{"100", "10", "2.5", "2", "0", "-3", "-20"}},
		{"equal", "pk = :p AND sk = :v", vals(":p", S("a"), ":v", N("2.50")), nil, []string{"2.5"}},
		{"less than", "pk = :p AND sk < :v", vals(":p", S("a"), ":v", N("2")), nil, []string{"-20", "-3", "0"}},
		{"less or equal", "pk = :p AND sk <= :v", vals(":p", S("a"), ":v", N("2")), nil, []string{"-20", "-3", "0", "2"}},
		{"greater than", "pk = :p AND sk > :v", vals(":p", S("a"), ":v", N("2")), nil, []string{"2.5", "10", "100"}},
		{"greater or equal descending", "pk = :p AND sk >= :v", vals(":p", S("a"), ":v", N("2")), &back, []string{"100", "10", "2.5", "2"}},
		{"between", "pk = :p AND sk BETWEEN :lo AND :hi", vals(":p", S("a"), ":lo", N("-3"), ":hi", N("10")), nil, []string{"-3", "0", "2", "2.5", "10"}},
		{"sort condition first", "sk < :v AND pk = :p", vals(":p", S("a"), ":v", N("0")), nil, []string{"-20", "-3"}},
		{"other partition", "pk = :p", vals(":p", S("b")), nil, []string{"1"}},
		{"missing partition", "pk = :p", vals(":p", S("zzz")), nil, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := db.Query(context.Background(), &QueryInput{TableName: "orders", KeyConditionExpression: tc.cond,
				ExpressionAttributeValues: tc.values, ScanIndexForward: tc.forward})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, sortKeys(out.Items)); diff != "" {
				t.Fatalf("sort keys (-want +got):\n%s", diff)
			}
			if out.Count != len(tc.want) || out.ScannedCount != len(tc.want) || out.LastEvaluatedKey != nil {
				t.Fatalf("Count=%d ScannedCount=%d LastEvaluatedKey=%v", out.Count, out.ScannedCount, out.LastEvaluatedKey)
			}
		})
	}
}

func TestQuery_BeginsWithOnStringSortKey(t *testing.T) {
	db, _ := newTestDB(t)
	ctx := context.Background()
	if _, err := db.CreateTable(ctx, &CreateTableInput{TableName: "docs", BillingMode: BillingModePayPerRequest,
		AttributeDefinitions: []AttributeDefinition{{"pk", "S"}, {"sk", "S"}},
		KeySchema:            []KeySchemaElement{{"pk", KeyTypeHash}, {"sk", KeyTypeRange}}}); err != nil {
		t.Fatal(err)
	}
	for _, sk := range []string{"order#2", "order#10", "order", "orders", "profile", "Order#1", "order#\x00x"} {
		if _, err := db.PutItem(ctx, &PutItemInput{TableName: "docs", Item: Item{"pk": S("u"), "sk": S(sk)}}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := db.Query(ctx, &QueryInput{TableName: "docs", KeyConditionExpression: "pk = :p AND begins_with(sk, :pre)",
		ExpressionAttributeValues: vals(":p", S("u"), ":pre", S("order#"))})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, it := range out.Items {
		got = append(got, string(it["sk"].(S)))
	}
	// Strings order by UTF-8 bytes: "\x00" < "1" < "2", and case matters.
	if diff := cmp.Diff([]string{"order#\x00x", "order#10", "order#2"}, got); diff != "" {
		t.Fatalf("begins_with (-want +got):\n%s", diff)
	}
}

func TestQuery_KeyConditionErrors(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	cases := []struct {
		cond   string
		values map[string]AttributeValue
		msg    string
	}{
		{"sk = :v", vals(":v", N("1")), "Query condition missed key schema element: pk"},
		{"pk = :p AND extra = :v", vals(":p", S("a"), ":v", N("1")), "Query condition missed key schema element: sk"},
		{"pk = :p", vals(":p", N("1")), "Condition parameter type does not match schema type"},
		{"pk = :p AND begins_with(sk, :v)", vals(":p", S("a"), ":v", N("1")), "begins_with"},
		{"pk = :p AND sk BETWEEN :hi AND :lo", vals(":p", S("a"), ":lo", N("1"), ":hi", N("5")), "The BETWEEN operator requires upper bound to be greater than or equal to lower bound"},
	}
	for _, tc := range cases {
		t.Run(tc.cond, func(t *testing.T) {
			_, err := db.Query(context.Background(), &QueryInput{TableName: "orders", KeyConditionExpression: tc.cond, ExpressionAttributeValues: tc.values})
			wantCode(t, err, "ValidationException", tc.msg)
		})
	}
	_, err := db.Query(context.Background(), &QueryInput{TableName: "orders"})
	wantCode(t, err, "ValidationException", "KeyConditionExpression parameter must be specified")
}

func TestQuery_LimitAppliesBeforeFilter(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	for i := 1; i <= 10; i++ {
		put(t, db, Item{"pk": S("a"), "sk": N(fmt.Sprint(i)), "even": BOOL(i%2 == 0)})
	}
	ctx := context.Background()
	in := &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p", FilterExpression: "even = :t",
		ExpressionAttributeValues: vals(":p", S("a"), ":t", BOOL(true)), Limit: 3}
	var pages [][]string
	var scanned int
	for {
		out, err := db.Query(ctx, in)
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, sortKeys(out.Items))
		scanned += out.ScannedCount
		if out.ScannedCount != 3 && out.LastEvaluatedKey != nil {
			t.Fatalf("page read %d items, want Limit 3", out.ScannedCount)
		}
		if out.LastEvaluatedKey == nil {
			break
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
	want := [][]string{{"2"}, {"4", "6"}, {"8"}, {"10"}}
	if diff := cmp.Diff(want, pages); diff != "" {
		t.Fatalf("pages (-want +got):\n%s", diff)
	}
	if scanned != 10 {
		t.Fatalf("scanned %d, want 10", scanned)
	}
}

func TestQuery_PageStopsAtOneMegabyte(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	blob := S(strings.Repeat("x", 100*1024))
	for i := 0; i < 25; i++ {
		put(t, db, Item{"pk": S("a"), "sk": N(fmt.Sprint(i)), "blob": blob})
	}
	ctx := context.Background()
	out, err := db.Query(ctx, &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p",
		ExpressionAttributeValues: vals(":p", S("a")), Select: SelectCount})
	if err != nil {
		t.Fatal(err)
	}
	if out.ScannedCount != 11 || out.Items != nil || out.LastEvaluatedKey == nil {
		t.Fatalf("first page: ScannedCount=%d, items=%d, LastEvaluatedKey=%v; want 11 items of ~100 KB reaching 1 MB", out.ScannedCount, len(out.Items), out.LastEvaluatedKey)
	}
	if diff := cmp.Diff(Item{"pk": S("a"), "sk": N("10")}, out.LastEvaluatedKey); diff != "" {
		t.Fatalf("LastEvaluatedKey (-want +got):\n%s", diff)
	}
}

func TestQuery_ProjectionAndSelect(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "name": S("x"), "info": M{"age": N("3"), "tags": L{S("p"), S("q")}}})
	ctx := context.Background()
	out, err := db.Query(ctx, &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p",
		ProjectionExpression: "#n, info.tags[1]", ExpressionAttributeNames: map[string]string{"#n": "name"},
		ExpressionAttributeValues: vals(":p", S("a"))})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Item{{"name": S("x"), "info": M{"tags": L{S("q")}}}}, out.Items); diff != "" {
		t.Fatalf("projection (-want +got):\n%s", diff)
	}
	_, err = db.Query(ctx, &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p",
		ExpressionAttributeValues: vals(":p", S("a")), Select: SelectAllProjectedAttributes})
	wantCode(t, err, "ValidationException", "ALL_PROJECTED_ATTRIBUTES")
	_, err = db.Query(ctx, &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p",
		ExpressionAttributeValues: vals(":p", S("a")), Select: SelectCount, ProjectionExpression: "sk"})
	wantCode(t, err, "ValidationException", "ProjectionExpression")
}

func TestGlobalIndex_SparseProjectedAndEventuallyConsistentOnly(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db, withStatusIndex(ProjectionTypeInclude, "total"))
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "status": S("open"), "total": N("10"), "secret": S("s")})
	put(t, db, Item{"pk": S("b"), "sk": N("2"), "status": S("open"), "total": N("20")})
	put(t, db, Item{"pk": S("c"), "sk": N("1"), "status": S("shipped")})
	put(t, db, Item{"pk": S("d"), "sk": N("1")}) // no status: not in the index
	ctx := context.Background()
	q := &QueryInput{TableName: "orders", IndexName: "by-status", KeyConditionExpression: "#s = :s",
		ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(":s", S("open"))}
	out, err := db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	want := []Item{
		{"pk": S("a"), "sk": N("1"), "status": S("open"), "total": N("10")},
		{"pk": S("b"), "sk": N("2"), "status": S("open"), "total": N("20")},
	}
	if diff := cmp.Diff(want, out.Items); diff != "" {
		t.Fatalf("index query (-want +got):\n%s", diff)
	}
	q.ConsistentRead = true
	_, err = db.Query(ctx, q)
	wantCode(t, err, "ValidationException", "Consistent reads are not supported on global secondary indexes")
	q.ConsistentRead, q.Select = false, SelectAllAttributes
	_, err = db.Query(ctx, q)
	wantCode(t, err, "ValidationException", "Select type ALL_ATTRIBUTES is not supported for global secondary index by-status")

	scan, err := db.Scan(ctx, &ScanInput{TableName: "orders", IndexName: "by-status"})
	if err != nil {
		t.Fatal(err)
	}
	if scan.Count != 3 {
		t.Fatalf("index scan saw %d items, want 3 (the sparse index skips the item without status)", scan.Count)
	}

	// Index pages continue from a LastEvaluatedKey holding both keys.
	q.Select, q.Limit = "", 1
	first, err := db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Item{"pk": S("a"), "sk": N("1"), "status": S("open")}, first.LastEvaluatedKey); diff != "" {
		t.Fatalf("index LastEvaluatedKey (-want +got):\n%s", diff)
	}
	q.ExclusiveStartKey = first.LastEvaluatedKey
	second, err := db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.Items) != 1 || second.Items[0]["pk"] != S("b") {
		t.Fatalf("second page = %v", second.Items)
	}

	// Deleting and updating items keeps the index in step.
	if _, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N("1")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: Item{"pk": S("c"), "sk": N("1")},
		UpdateExpression: "SET #s = :s", ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: vals(":s", S("open"))}); err != nil {
		t.Fatal(err)
	}
	q.Limit, q.ExclusiveStartKey = 0, nil
	out, err = db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if got := []AttributeValue{out.Items[0]["pk"], out.Items[1]["pk"]}; out.Count != 2 || !cmp.Equal(got, []AttributeValue{S("c"), S("b")}) {
		t.Fatalf("after delete and update the index holds %v", out.Items)
	}
}

func TestLocalIndex_FetchesUnprojectedAttributes(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db, func(in *CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"created", "S"})
		in.LocalSecondaryIndexes = []LocalSecondaryIndex{{IndexName: "by-created",
			KeySchema:  []KeySchemaElement{{"pk", KeyTypeHash}, {"created", KeyTypeRange}},
			Projection: Projection{ProjectionType: ProjectionTypeKeysOnly}}}
	})
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "created": S("2025-02"), "body": S("second")})
	put(t, db, Item{"pk": S("a"), "sk": N("2"), "created": S("2025-01"), "body": S("first")})
	ctx := context.Background()
	q := &QueryInput{TableName: "orders", IndexName: "by-created", KeyConditionExpression: "pk = :p",
		ExpressionAttributeValues: vals(":p", S("a")), ConsistentRead: true}
	out, err := db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]Item{{"pk": S("a"), "sk": N("2"), "created": S("2025-01")}, {"pk": S("a"), "sk": N("1"), "created": S("2025-02")}}, out.Items); diff != "" {
		t.Fatalf("keys-only LSI query (-want +got):\n%s", diff)
	}
	q.Select = SelectAllAttributes
	out, err = db.Query(ctx, q)
	if err != nil {
		t.Fatal(err)
	}
	if out.Items[0]["body"] != S("first") {
		t.Fatalf("ALL_ATTRIBUTES on a local index did not fetch from the table: %v", out.Items[0])
	}
}

func TestScan_ParallelSegmentsPartitionTheTable(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	const n = 500
	for i := 0; i < n; i++ {
		put(t, db, Item{"pk": S(fmt.Sprintf("user#%d", i)), "sk": N("0")})
	}
	ctx := context.Background()
	seen := map[string]int{}
	const total = 7
	for seg := 0; seg < total; seg++ {
		in := &ScanInput{TableName: "orders", Segment: seg, TotalSegments: total, Limit: 13}
		for {
			out, err := db.Scan(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range out.Items {
				seen[string(it["pk"].(S))]++
			}
			if out.LastEvaluatedKey == nil {
				break
			}
			in.ExclusiveStartKey = out.LastEvaluatedKey
		}
	}
	if len(seen) != n {
		t.Fatalf("segments saw %d distinct items, want %d", len(seen), n)
	}
	for k, c := range seen {
		if c != 1 {
			t.Fatalf("item %s seen %d times", k, c)
		}
	}
	_, err := db.Scan(ctx, &ScanInput{TableName: "orders", Segment: 7, TotalSegments: 7})
	wantCode(t, err, "ValidationException", "Segment: 7 is not less than TotalSegments: 7")
	_, err = db.Scan(ctx, &ScanInput{TableName: "orders", Segment: 1})
	wantCode(t, err, "ValidationException", "The TotalSegments parameter is required")
}

func TestScan_NotInKeyOrder(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	for i := 0; i < 50; i++ {
		put(t, db, Item{"pk": S(fmt.Sprintf("k%02d", i)), "sk": N("0")})
	}
	out, err := db.Scan(context.Background(), &ScanInput{TableName: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	sorted := true
	for i := 1; i < len(out.Items); i++ {
		if out.Items[i]["pk"].(S) < out.Items[i-1]["pk"].(S) {
			sorted = false
		}
	}
	if sorted || out.Count != 50 {
		t.Fatalf("Scan returned %d items in partition key order; DynamoDB scans in hash order", out.Count)
	}
}
