package dynamo

import (
	"context"
	"fmt"
	"testing"
)

// TestExprCache_SameTextNewValues reuses one parsed expression for many
// requests: each request's own values decide the outcome.
func TestExprCache_SameTextNewValues(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := Item{"pk": S("a"), "sk": N("1")}
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "n": N("5")})
	for i, tc := range []struct {
		cur, next string
		ok        bool
	}{{"5", "6", true}, {"5", "7", false}, {"6", "7", true}, {"7", "8.5", true}} {
		_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key,
			UpdateExpression: "SET n = :next", ConditionExpression: "n = :cur",
			ExpressionAttributeValues: map[string]AttributeValue{":cur": N(tc.cur), ":next": N(tc.next)}})
		if (err == nil) != tc.ok {
			t.Fatalf("step %d: error %v, want success %v", i, err, tc.ok)
		}
	}
	if got := get(t, db, "a", "1")["n"]; got != N("8.5") {
		t.Fatalf("n = %v", got)
	}
	if len(db.exprs.m) != 2 {
		t.Fatalf("cache holds %d expressions, want the update and the condition", len(db.exprs.m))
	}
}

// TestExprCache_ValidationStillPerRequest shows that a request the cached
// parse does not fit is parsed in full and gets DynamoDB's error.
func TestExprCache_ValidationStillPerRequest(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := Item{"pk": S("a"), "sk": N("1")}
	update := func(expr string, names map[string]string, values map[string]AttributeValue) error {
		_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key, UpdateExpression: expr,
			ExpressionAttributeNames: names, ExpressionAttributeValues: values})
		return err
	}
	if err := update("ADD c :v", nil, vals(":v", N("1"))); err != nil {
		t.Fatal(err)
	}
	wantCode(t, update("ADD c :v", nil, vals(":v", S("x"))), "ValidationException", "Incorrect operand type for operator or function; operator: ADD, operand type: STRING")
	wantCode(t, update("ADD c :v", nil, vals(":w", N("1"))), "ValidationException", "An expression attribute value used in expression is not defined; attribute value: :v")
	wantCode(t, update("ADD c :v", nil, vals(":v", N("1"), ":extra", N("2"))), "ValidationException", "unused in expressions: keys: {:extra}")
	if err := update("ADD c :v", nil, vals(":v", NS{"3"})); err == nil {
		t.Fatal("ADD of a number set to a number succeeded")
	}

	// Names are part of what was parsed: #f names another attribute.
	if err := update("SET #f = :v", map[string]string{"#f": "first"}, vals(":v", S("x"))); err != nil {
		t.Fatal(err)
	}
	if err := update("SET #f = :v", map[string]string{"#f": "second"}, vals(":v", S("y"))); err != nil {
		t.Fatal(err)
	}
	if got := get(t, db, "a", "1"); got["first"] != S("x") || got["second"] != S("y") {
		t.Fatalf("item = %v", got)
	}

	// BETWEEN bounds and attribute_type's type name are checked by content.
	cond := func(expr string, values map[string]AttributeValue) error {
		_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("none"), "sk": N("0")},
			ConditionExpression: expr, ExpressionAttributeValues: values})
		return err
	}
	wantCode(t, cond("c BETWEEN :lo AND :hi", vals(":lo", N("1"), ":hi", N("2"))), "ConditionalCheckFailedException", "")
	wantCode(t, cond("c BETWEEN :lo AND :hi", vals(":lo", N("3"), ":hi", N("2"))), "ValidationException", "The BETWEEN operator requires upper bound to be greater than or equal to lower bound")
	wantCode(t, cond("attribute_type(c, :t)", vals(":t", S("N"))), "ConditionalCheckFailedException", "")
	wantCode(t, cond("attribute_type(c, :t)", vals(":t", S("XX"))), "ValidationException", "Invalid attribute type name found; type: XX")
}

func TestExprCache_Bounded(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	for i := 0; i < maxCachedExprs+10; i++ {
		_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("x"), "sk": N("0")},
			ConditionExpression: fmt.Sprintf("attribute_not_exists(a%d)", i)})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(db.exprs.m); n > maxCachedExprs {
		t.Fatalf("cache grew to %d entries", n)
	}
}
