package dynamo

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestBatchWriteAndGet(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	var reqs []WriteRequest
	for i := 0; i < 25; i++ {
		reqs = append(reqs, WriteRequest{PutRequest: &PutRequest{Item: Item{"pk": S("a"), "sk": N(fmt.Sprint(i)), "v": N(fmt.Sprint(i * i))}}})
	}
	if _, err := db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": reqs}}); err != nil {
		t.Fatal(err)
	}
	_, err := db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": append(reqs, reqs[0])}})
	wantCode(t, err, "ValidationException", "Member must have length less than or equal to 25")
	_, err = db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": {
		{DeleteRequest: &DeleteRequest{Key: Item{"pk": S("a"), "sk": N("1")}}},
		{PutRequest: &PutRequest{Item: Item{"pk": S("a"), "sk": N("1.0")}}},
	}}})
	wantCode(t, err, "ValidationException", "Provided list of item keys contains duplicates")
	_, err = db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": {
		{DeleteRequest: &DeleteRequest{Key: Item{"pk": S("a"), "sk": N("1")}}},
		{PutRequest: &PutRequest{Item: Item{"pk": S("a")}}},
	}}})
	wantCode(t, err, "ValidationException", "Missing the key sk in the item")
	if get(t, db, "a", "1") == nil {
		t.Fatal("an invalid batch deleted an item before it was rejected")
	}

	var keys []Item
	for i := 0; i < 30; i++ {
		keys = append(keys, Item{"pk": S("a"), "sk": N(fmt.Sprint(i))})
	}
	out, err := db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{
		"orders": {Keys: keys, ProjectionExpression: "sk, v"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(out.Responses["orders"]); got != 25 || len(out.UnprocessedKeys) != 0 {
		t.Fatalf("BatchGetItem returned %d items (want the 25 that exist), unprocessed %v", got, out.UnprocessedKeys)
	}
	if _, ok := out.Responses["orders"][0]["pk"]; ok {
		t.Fatal("projection not applied")
	}
	for i := 30; i < 101; i++ {
		keys = append(keys, Item{"pk": S("a"), "sk": N(fmt.Sprint(i))})
	}
	_, err = db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{"orders": {Keys: keys}}})
	wantCode(t, err, "ValidationException", "Too many items requested for the BatchGetItem call")
	_, err = db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{"orders": {Keys: []Item{keys[0], keys[0]}}}})
	wantCode(t, err, "ValidationException", "Provided list of item keys contains duplicates")
}

func TestBatchGetItem_SixteenMegabytesThenUnprocessed(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	blob := S(string(make([]byte, 390*1024)))
	var keys []Item
	for i := 0; i < 60; i++ {
		put(t, db, Item{"pk": S("big"), "sk": N(fmt.Sprint(i)), "blob": blob})
		keys = append(keys, Item{"pk": S("big"), "sk": N(fmt.Sprint(i))})
	}
	out, err := db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{"orders": {Keys: keys}}})
	if err != nil {
		t.Fatal(err)
	}
	got, rest := len(out.Responses["orders"]), len(out.UnprocessedKeys["orders"].Keys)
	if got+rest != 60 || got != 43 {
		t.Fatalf("returned %d items and %d unprocessed keys; 16 MB holds 43 items of 390 KB", got, rest)
	}
}

func transfer(db *DB, from, to string, amount int) error {
	amt := N(fmt.Sprint(amount))
	_, err := db.TransactWriteItems(context.Background(), &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
		{Update: &Update{TableName: "orders", Key: Item{"pk": S(from), "sk": N("0")},
			UpdateExpression: "SET balance = balance - :a", ConditionExpression: "balance >= :a",
			ExpressionAttributeValues: map[string]AttributeValue{":a": amt}}},
		{Update: &Update{TableName: "orders", Key: Item{"pk": S(to), "sk": N("0")},
			UpdateExpression: "SET balance = balance + :a", ConditionExpression: "attribute_exists(balance)",
			ExpressionAttributeValues: map[string]AttributeValue{":a": amt}}},
	}})
	return err
}

func TestTransactWriteItems_AllOrNothing(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	put(t, db, Item{"pk": S("alice"), "sk": N("0"), "balance": N("100")})
	put(t, db, Item{"pk": S("bob"), "sk": N("0"), "balance": N("0")})
	if err := transfer(db, "alice", "bob", 60); err != nil {
		t.Fatal(err)
	}
	err := transfer(db, "alice", "bob", 60)
	var tce *TransactionCanceledException
	if !errors.As(err, &tce) || !errors.Is(err, ErrTransactionCanceled) {
		t.Fatalf("overdraft error = %v, want TransactionCanceledException", err)
	}
	wantCode(t, err, "TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None]")
	if diff := cmp.Diff([]CancellationReason{{Code: "ConditionalCheckFailed", Message: "The conditional request failed"}, {Code: "None"}}, tce.CancellationReasons); diff != "" {
		t.Fatalf("reasons (-want +got):\n%s", diff)
	}
	if a, b := get(t, db, "alice", "0")["balance"], get(t, db, "bob", "0")["balance"]; a != N("40") || b != N("60") {
		t.Fatalf("balances %v / %v after one good and one cancelled transfer", a, b)
	}
	err = transfer(db, "alice", "carol", 10)
	wantCode(t, err, "TransactionCanceledException", "[None, ConditionalCheckFailed]")
	if get(t, db, "alice", "0")["balance"] != N("40") {
		t.Fatal("a cancelled transaction debited alice")
	}

	_, err = db.TransactWriteItems(context.Background(), &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
		{Delete: &Delete{TableName: "orders", Key: Item{"pk": S("alice"), "sk": N("0")}}},
		{ConditionCheck: &ConditionCheck{TableName: "orders", Key: Item{"pk": S("alice"), "sk": N("0")}, ConditionExpression: "attribute_exists(pk)"}},
	}})
	wantCode(t, err, "ValidationException", "Transaction request cannot include multiple operations on one item")
}

func TestTransactWriteItems_ClientRequestTokenIdempotentForTenMinutes(t *testing.T) {
	db, c := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	add := func(n string) *TransactWriteItemsInput {
		return &TransactWriteItemsInput{ClientRequestToken: "token-1", TransactItems: []TransactWriteItem{
			{Update: &Update{TableName: "orders", Key: Item{"pk": S("c"), "sk": N("0")}, UpdateExpression: "ADD n :n",
				ExpressionAttributeValues: map[string]AttributeValue{":n": N(n)}}}}}
	}
	for i := 0; i < 3; i++ {
		if _, err := db.TransactWriteItems(ctx, add("1")); err != nil {
			t.Fatal(err)
		}
	}
	if n := get(t, db, "c", "0")["n"]; n != N("1") {
		t.Fatalf("n = %v after three calls with one token, want 1", n)
	}
	_, err := db.TransactWriteItems(ctx, add("2"))
	wantCode(t, err, "IdempotentParameterMismatchException", "")
	c.Advance(10 * time.Minute)
	if _, err := db.TransactWriteItems(ctx, add("1")); err != nil {
		t.Fatal(err)
	}
	if n := get(t, db, "c", "0")["n"]; n != N("2") {
		t.Fatalf("n = %v: the token should have expired after ten minutes", n)
	}
}

// TestTransactions_SerializableUnderConcurrency moves money between
// accounts from many goroutines while others read every account in one
// TransactGetItems: the total never changes and no reader sees a
// half-applied transfer.
func TestTransactions_SerializableUnderConcurrency(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	const accounts, start = 8, 1000
	var keys []TransactGetItem
	for i := 0; i < accounts; i++ {
		put(t, db, Item{"pk": S(fmt.Sprintf("acct%d", i)), "sk": N("0"), "balance": N(fmt.Sprint(start))})
		keys = append(keys, TransactGetItem{Get: &Get{TableName: "orders", Key: Item{"pk": S(fmt.Sprintf("acct%d", i)), "sk": N("0")}}})
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func(seed uint64) {
			defer wg.Done()
			r := rand.New(rand.NewPCG(seed, 1))
			for i := 0; i < 150; i++ {
				from, to := r.IntN(accounts), r.IntN(accounts)
				if from == to {
					continue
				}
				err := transfer(db, fmt.Sprintf("acct%d", from), fmt.Sprintf("acct%d", to), 1+r.IntN(50))
				if err != nil && !errors.Is(err, ErrTransactionCanceled) {
					t.Error(err)
					return
				}
			}
		}(uint64(w))
	}
	var readers sync.WaitGroup
	for r := 0; r < 2; r++ {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				out, err := db.TransactGetItems(context.Background(), &TransactGetItemsInput{TransactItems: keys})
				if errors.Is(err, ErrTransactionCanceled) {
					continue // met a transfer under way: DynamoDB's answer too
				}
				if err != nil {
					t.Error(err)
					return
				}
				total := "0"
				for _, resp := range out.Responses {
					total, _ = addNumbers(total, string(resp.Item["balance"].(N)))
				}
				if total != fmt.Sprint(accounts*start) {
					t.Errorf("a reader saw a total of %s", total)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(stop)
	readers.Wait()
}

func TestTransactions_ConflictWithOneUnderWay(t *testing.T) {
	db, _ := newTestDB(t)
	compositeTable(t, db)
	ctx := context.Background()
	key := func(pk string) Item { return Item{"pk": S(pk), "sk": N("0")} }
	put(t, db, Item{"pk": S("a"), "sk": N("0"), "v": N("1")})
	put(t, db, Item{"pk": S("b"), "sk": N("0"), "v": N("1")})

	inWindow, proceed := make(chan struct{}), make(chan struct{})
	db.tokens.inflight.prepared = func() {
		close(inWindow)
		<-proceed
	}
	done := make(chan error)
	go func() {
		_, err := db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
			{Update: &Update{TableName: "orders", Key: key("a"), UpdateExpression: "SET v = v + :one",
				ExpressionAttributeValues: map[string]AttributeValue{":one": N("1")}}},
		}})
		done <- err
	}()
	<-inWindow
	db.tokens.inflight.prepared = nil

	_, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: Item{"pk": S("a"), "sk": N("0"), "v": N("9")}})
	wantCode(t, err, "TransactionConflictException", "Transaction is ongoing for the item")
	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: key("a")})
	wantCode(t, err, "TransactionConflictException", "Transaction is ongoing for the item")
	_, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: key("a"), UpdateExpression: "SET w = :x",
		ExpressionAttributeValues: map[string]AttributeValue{":x": N("1")}})
	wantCode(t, err, "TransactionConflictException", "Transaction is ongoing for the item")

	_, err = db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
		{Put: &Put{TableName: "orders", Item: Item{"pk": S("b"), "sk": N("0"), "v": N("2")}}},
		{ConditionCheck: &ConditionCheck{TableName: "orders", Key: key("a"), ConditionExpression: "attribute_exists(pk)"}},
	}})
	var tce *TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("second transaction: %v", err)
	}
	if d := cmp.Diff([]string{"None", "TransactionConflict"}, []string{tce.CancellationReasons[0].Code, tce.CancellationReasons[1].Code}); d != "" {
		t.Errorf("reasons (-want +got):\n%s", d)
	}
	if _, err := db.TransactGetItems(ctx, &TransactGetItemsInput{TransactItems: []TransactGetItem{{Get: &Get{TableName: "orders", Key: key("a")}}}}); !errors.As(err, &tce) || tce.CancellationReasons[0].Code != "TransactionConflict" {
		t.Errorf("TransactGetItems during the transaction: %v", err)
	}
	// Items the transaction does not hold are free, and plain reads see
	// the committed value.
	put(t, db, Item{"pk": S("c"), "sk": N("0")})
	if got := get(t, db, "a", "0")["v"]; got != N("1") {
		t.Errorf("GetItem during the transaction saw %v", got)
	}
	if got := get(t, db, "b", "0")["v"]; got != N("1") {
		t.Errorf("the cancelled transaction wrote b: %v", got)
	}

	close(proceed)
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if got := get(t, db, "a", "0")["v"]; got != N("2") {
		t.Errorf("after commit v = %v", got)
	}
	if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: Item{"pk": S("a"), "sk": N("0"), "v": N("9")}}); err != nil {
		t.Errorf("after the transaction: %v", err)
	}
}
