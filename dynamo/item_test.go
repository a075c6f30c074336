package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func put(t testing.TB, db *DB, item Item) {
	t.Helper()
	if _, err := db.PutItem(context.Background(), &PutItemInput{TableName: "orders", Item: item}); err != nil {
		t.Fatalf("PutItem(%v): %v", item, err)
	}
}

func get(t testing.TB, db *DB, pk string, sk string) Item {
	t.Helper()
	out, err := db.GetItem(context.Background(), &GetItemInput{TableName: "orders", Key: Item{"pk": S(pk), "sk": N(sk)}})
	if err != nil {
		t.Fatalf("GetItem: %v", err)
	}
	return out.Item
}

func TestPutGetItem_RoundTripAllTypes(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	item := Item{
		"pk": S("user#1"), "sk": N("1"),
		"s": S(""), "n": N("1.50"), "b": B{0, 1, 2}, "bool": BOOL(true), "null": NULL{},
		"l":  L{S("a"), N("2"), L{BOOL(false)}},
		"m":  M{"nested": M{"deep": S("x")}},
		"ss": SS{"x", "y"}, "ns": NS{"1", "2.0"}, "bs": BS{{1}, {2}},
	}
	put(t, db, item)
	got := get(t, db, "user#1", "1")
	want := copyItem(item)
	want["n"] = N("1.5")
	want["ns"] = NS{"1", "2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("GetItem returned (-want +got):\n%s", diff)
	}
	if get(t, db, "user#1", "2") != nil {
		t.Fatal("GetItem of a missing key returned an item")
	}
}

func TestPutItem_StoresACopy(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	item := Item{"pk": S("a"), "sk": N("1"), "l": L{S("x")}, "b": B("bytes")}
	put(t, db, item)
	item["l"].(L)[0] = S("changed by caller")
	item["b"].(B)[0] = 'X'
	got := get(t, db, "a", "1")
	if got["l"].(L)[0] != S("x") || string(got["b"].(B)) != "bytes" {
		t.Fatalf("stored item shares memory with the caller's: %v", got)
	}
	got["l"].(L)[0] = S("changed by reader")
	if again := get(t, db, "a", "1"); again["l"].(L)[0] != S("x") {
		t.Fatal("returned item shares memory with the stored one")
	}
}

func TestNumbers_SortKeyEquality(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	put(t, db, Item{"pk": S("a"), "sk": N("1.50"), "v": S("first")})
	put(t, db, Item{"pk": S("a"), "sk": N("1.5"), "v": S("second")})
	got := get(t, db, "a", "15E-1")
	if got == nil || got["v"] != S("second") || got["sk"] != N("1.5") {
		t.Fatalf("1.50, 1.5 and 15E-1 are one key in DynamoDB; got %v", got)
	}
}

func TestPutItem_ValidationErrors(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	big := strings.Repeat("x", 400*1024)
	cases := []struct {
		name string
		item Item
		msg  string
	}{
		{"missing sort key", Item{"pk": S("a")}, "One or more parameter values were invalid: Missing the key sk in the item"},
		{"key type", Item{"pk": N("1"), "sk": N("1")}, "Type mismatch for key pk expected: S actual: N"},
		{"empty key string", Item{"pk": S(""), "sk": N("1")}, "The AttributeValue for a key attribute cannot contain an empty string value. Key: pk"},
		{"hash key too long", Item{"pk": S(strings.Repeat("k", 2049)), "sk": N("1")}, "Size of hashkey has exceeded the maximum size limit of2048 bytes"},
		{"empty string set", Item{"pk": S("a"), "sk": N("1"), "ss": SS{}}, "An string set  may not be empty"},
		{"duplicate set", Item{"pk": S("a"), "sk": N("1"), "ss": SS{"x", "x"}}, "Input collection [x, x] contains duplicates."},
		{"duplicate numbers", Item{"pk": S("a"), "sk": N("1"), "ns": NS{"1", "1.0"}}, "Input collection contains duplicates"},
		{"bad number", Item{"pk": S("a"), "sk": N("1"), "n": N("one")}, ""},
		{"nil value", Item{"pk": S("a"), "sk": N("1"), "x": nil}, "Supplied AttributeValue is empty"},
		{"too big", Item{"pk": S("a"), "sk": N("1"), "x": S(big)}, "Item size has exceeded the maximum allowed size"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.PutItem(context.Background(), &PutItemInput{TableName: "orders", Item: tc.item})
			wantCode(t, err, "ValidationException", tc.msg)
		})
	}
	// A leaf may sit at level 32, the attribute itself being level 1.
	nested := AttributeValue(S("leaf"))
	for i := 0; i < 31; i++ {
		nested = L{nested}
	}
	if _, err := db.PutItem(context.Background(), &PutItemInput{TableName: "orders", Item: Item{"pk": S("ok"), "sk": N("1"), "deep": nested}}); err != nil {
		t.Fatalf("a leaf at level 32 was refused: %v", err)
	}
	_, err := db.PutItem(context.Background(), &PutItemInput{TableName: "orders", Item: Item{"pk": S("a"), "sk": N("1"), "deep": L{nested}}})
	wantCode(t, err, "ValidationException", "Nesting Levels have exceeded supported limits")
	if out, _ := db.Scan(context.Background(), &ScanInput{TableName: "orders"}); out.Count != 1 {
		t.Fatalf("rejected writes left %d items", out.Count)
	}
}

func TestGetItem_KeyMustMatchSchema(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	for _, key := range []Item{
		{"pk": S("a")},
		{"pk": S("a"), "sk": S("1")},
		{"pk": S("a"), "sk": N("1"), "extra": S("x")},
	} {
		_, err := db.GetItem(context.Background(), &GetItemInput{TableName: "orders", Key: key})
		wantCode(t, err, "ValidationException", "The provided key element does not match the schema")
	}
	_, err := db.GetItem(context.Background(), &GetItemInput{TableName: "nope", Key: Item{"pk": S("a")}})
	wantCode(t, err, "ResourceNotFoundException", "Requested resource not found")
}

func TestConditionalWrites(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	create := &PutItemInput{TableName: "orders", Item: Item{"pk": S("a"), "sk": N("1"), "v": N("1")},
		ConditionExpression: "attribute_not_exists(pk)"}
	if _, err := db.PutItem(ctx, create); err != nil {
		t.Fatal(err)
	}
	create.ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailureAllOld
	create.Item = Item{"pk": S("a"), "sk": N("1"), "v": N("2")}
	_, err := db.PutItem(ctx, create)
	wantCode(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	if !errors.Is(err, ErrConditionalCheckFailed) {
		t.Fatal("errors.Is(err, ErrConditionalCheckFailed) = false")
	}
	var ccf *ConditionalCheckFailedException
	if !errors.As(err, &ccf) || ccf.Item["v"] != N("1") {
		t.Fatalf("condition failure did not carry the old item: %v", err)
	}
	if v := get(t, db, "a", "1")["v"]; v != N("1") {
		t.Fatalf("a failed conditional put changed the item: v=%v", v)
	}

	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N("1")},
		ConditionExpression: "v = :v", ExpressionAttributeValues: map[string]AttributeValue{":v": N("2")}})
	wantCode(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	out, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("a"), "sk": N("1")},
		ConditionExpression: "v = :v", ExpressionAttributeValues: map[string]AttributeValue{":v": N("1")}, ReturnValues: ReturnValueAllOld})
	if err != nil {
		t.Fatal(err)
	}
	if out.Attributes["v"] != N("1") || get(t, db, "a", "1") != nil {
		t.Fatalf("DeleteItem ALL_OLD = %v, or the item survived", out.Attributes)
	}
}

func TestExpressionParameters_Validation(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := Item{"pk": S("a"), "sk": N("1")}
	_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: key, ExpressionAttributeValues: map[string]AttributeValue{":v": N("1")}})
	wantCode(t, err, "ValidationException", "ExpressionAttributeValues can only be specified when using expressions")
	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: key, ConditionExpression: "attribute_exists(pk)", ExpressionAttributeValues: map[string]AttributeValue{}})
	wantCode(t, err, "ValidationException", "ExpressionAttributeValues must not be empty")
	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: key, ConditionExpression: "attribute_exists(pk)", ExpressionAttributeValues: map[string]AttributeValue{":x": N("1")}})
	wantCode(t, err, "ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:x}")
	_, err = db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: key, ReturnValues: ReturnValueAllNew})
	wantCode(t, err, "ValidationException", "ALL_NEW")
}

func TestUpdateItem_CreatesAndReturnsValues(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := Item{"pk": S("a"), "sk": N("1")}
	out, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key,
		UpdateExpression:          "SET title = :t, tags = :tags ADD visits :one",
		ExpressionAttributeValues: map[string]AttributeValue{":t": S("hello"), ":tags": SS{"go"}, ":one": N("1")},
		ReturnValues:              ReturnValueAllNew})
	if err != nil {
		t.Fatal(err)
	}
	want := Item{"pk": S("a"), "sk": N("1"), "title": S("hello"), "tags": SS{"go"}, "visits": N("1")}
	if diff := cmp.Diff(want, out.Attributes); diff != "" {
		t.Fatalf("ALL_NEW (-want +got):\n%s", diff)
	}
	out, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key,
		UpdateExpression: "ADD visits :one", ExpressionAttributeValues: map[string]AttributeValue{":one": N("1")},
		ReturnValues: ReturnValueUpdatedOld})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(Item{"visits": N("1")}, out.Attributes); diff != "" {
		t.Fatalf("UPDATED_OLD (-want +got):\n%s", diff)
	}
	out, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key,
		UpdateExpression: "REMOVE title", ReturnValues: ReturnValueUpdatedNew})
	if err != nil {
		t.Fatal(err)
	}
	if out.Attributes != nil {
		t.Fatalf("UPDATED_NEW after REMOVE = %v, want nothing", out.Attributes)
	}
	if got := get(t, db, "a", "1"); got["visits"] != N("2") || got["title"] != nil {
		t.Fatalf("item after updates = %v", got)
	}

	_, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key,
		UpdateExpression: "SET pk = :v", ExpressionAttributeValues: map[string]AttributeValue{":v": S("b")}})
	wantCode(t, err, "ValidationException", "Cannot update attribute pk. This attribute is part of the key")

	_, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: Item{"pk": S("new"), "sk": N("9")},
		UpdateExpression: "SET v = :v", ConditionExpression: "attribute_exists(pk)",
		ExpressionAttributeValues: map[string]AttributeValue{":v": S("x")}})
	wantCode(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	if get(t, db, "new", "9") != nil {
		t.Fatal("a failed conditional update created the item")
	}
}

func TestUpdateItem_SizeLimitAfterUpdate(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := Item{"pk": S("a"), "sk": N("1")}
	chunk := S(strings.Repeat("x", 300*1024))
	if _, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key, UpdateExpression: "SET a = :c",
		ExpressionAttributeValues: map[string]AttributeValue{":c": chunk}}); err != nil {
		t.Fatal(err)
	}
	_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key, UpdateExpression: "SET b = :c",
		ExpressionAttributeValues: map[string]AttributeValue{":c": chunk}})
	wantCode(t, err, "ValidationException", "Item size to update has exceeded the maximum allowed size")
	if got := get(t, db, "a", "1"); got["b"] != nil {
		t.Fatal("an update over the size limit was written")
	}
}

func TestUpdateItem_ConcurrentCounterIsExact(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := Item{"pk": S("counter"), "sk": N("0")}
	put(t, db, Item{"pk": S("counter"), "sk": N("0"), "n": N("0")})
	const workers, each = 16, 200
	var wg sync.WaitGroup
	var conflicts sync.Map
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; {
				cur, err := db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: key})
				if err != nil {
					t.Error(err)
					return
				}
				n := cur.Item["n"].(N)
				next, _ := addNumbers(string(n), "1")
				_, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key,
					UpdateExpression: "SET n = :next", ConditionExpression: "n = :cur",
					ExpressionAttributeValues: map[string]AttributeValue{":next": N(next), ":cur": n}})
				if errors.Is(err, ErrConditionalCheckFailed) {
					conflicts.Store(w, true)
					continue // someone else won: read again
				}
				if err != nil {
					t.Error(err)
					return
				}
				i++
			}
		}(w)
	}
	wg.Wait()
	if got := get(t, db, "counter", "0")["n"]; got != N(fmt.Sprint(workers*each)) {
		t.Fatalf("counter = %v after %d optimistic increments", got, workers*each)
	}
}

func TestGlobalIndex_RejectsWrongKeyType(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db, withStatusIndex(ProjectionTypeKeysOnly))
	_, err := db.PutItem(context.Background(), &PutItemInput{TableName: "orders", Item: Item{"pk": S("a"), "sk": N("1"), "status": N("1")}})
	wantCode(t, err, "ValidationException", "Type mismatch for Index Key status Expected: S Actual: N IndexName: by-status")
}

func withStatusIndex(p ProjectionType, attrs ...string) func(*CreateTableInput) {
	return func(in *CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, AttributeDefinition{"status", "S"})
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, GlobalSecondaryIndex{
			IndexName: "by-status", KeySchema: []KeySchemaElement{{"status", KeyTypeHash}, {"sk", KeyTypeRange}},
			Projection: Projection{ProjectionType: p, NonKeyAttributes: attrs},
		})
	}
}
