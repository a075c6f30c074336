package dynamo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

// recordingFaults fails the operations named in fail and leaves the items
// whose "sk" is in skip unprocessed, recording every consultation.
type recordingFaults struct {
	mu    sync.Mutex
	fail  map[string]error
	skip  map[string]bool
	calls []string
}

func (f *recordingFaults) Fault(ctx context.Context, op, table string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, op+" "+table)
	return f.fail[op]
}

func (f *recordingFaults) Unprocessed(ctx context.Context, op, table string, item Item) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	sk, _ := item["sk"].(N)
	f.calls = append(f.calls, fmt.Sprintf("%s %s item %s", op, table, sk))
	return f.skip[string(sk)]
}

func newFaultDB(t *testing.T, f *recordingFaults) *DB {
	t.Helper()
	db := New(Options{Clock: clock.NewManual(testEpoch), Faults: f})
	t.Cleanup(func() { db.Close() })
	compositeTable(t, db)
	return db
}

func TestFaults_ConsultedOncePerOperationBeforeAnythingRuns(t *testing.T) {
	ctx := context.Background()
	throttled := ErrProvisionedThroughputExceeded.New("injected")
	f := &recordingFaults{fail: map[string]error{"PutItem": throttled, "Query": throttled}}
	db := newFaultDB(t, f)
	key := Item{"pk": S("a"), "sk": N("1")}
	if _, err := db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: key}); !errors.Is(err, ErrProvisionedThroughputExceeded) {
		t.Fatalf("PutItem error = %v, want the injected one", err)
	}
	got, err := db.GetItem(ctx, &GetItemInput{TableName: "orders", Key: key})
	if err != nil || got.Item != nil {
		t.Fatalf("GetItem = %v, %v: a failed PutItem must write nothing", got, err)
	}
	if _, err := db.Query(ctx, &QueryInput{TableName: "orders", KeyConditionExpression: "pk = :p",
		ExpressionAttributeValues: map[string]AttributeValue{":p": S("a")}}); err != throttled {
		t.Fatalf("Query error = %v, want the injected error itself", err)
	}
	if _, err := db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
		{Put: &Put{TableName: "orders", Item: key}}, {Delete: &Delete{TableName: "orders", Key: Item{"pk": S("b"), "sk": N("2")}}},
	}}); err != nil {
		t.Fatal(err)
	}
	want := []string{"CreateTable orders", "PutItem orders", "GetItem orders", "Query orders", "TransactWriteItems orders"}
	if diff := cmp.Diff(want, f.calls); diff != "" {
		t.Fatalf("consultations (-want +got):\n%s", diff)
	}
}

func TestFaults_BatchItemsLeftUnprocessedAreNotWritten(t *testing.T) {
	ctx := context.Background()
	f := &recordingFaults{skip: map[string]bool{"2": true}}
	db := newFaultDB(t, f)
	var reqs []WriteRequest
	for i := 1; i <= 3; i++ {
		reqs = append(reqs, WriteRequest{PutRequest: &PutRequest{Item: Item{"pk": S("a"), "sk": N(fmt.Sprint(i))}}})
	}
	out, err := db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": reqs}})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string][]WriteRequest{"orders": {reqs[1]}}, out.UnprocessedItems); diff != "" {
		t.Fatalf("UnprocessedItems (-want +got):\n%s", diff)
	}
	keys := []Item{{"pk": S("a"), "sk": N("1")}, {"pk": S("a"), "sk": N("2")}, {"pk": S("a"), "sk": N("3")}}
	got, err := db.BatchGetItem(ctx, &BatchGetItemInput{RequestItems: map[string]KeysAndAttributes{"orders": {Keys: keys}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Responses["orders"]) != 2 {
		t.Fatalf("read %d items, want 2 (item 2 never written, and its key left unprocessed)", len(got.Responses["orders"]))
	}
	if diff := cmp.Diff([]Item{keys[1]}, got.UnprocessedKeys["orders"].Keys); diff != "" {
		t.Fatalf("UnprocessedKeys (-want +got):\n%s", diff)
	}
	want := []string{"CreateTable orders", "BatchWriteItem orders", "BatchWriteItem orders item 1", "BatchWriteItem orders item 2", "BatchWriteItem orders item 3",
		"BatchGetItem orders", "BatchGetItem orders item 1", "BatchGetItem orders item 2", "BatchGetItem orders item 3"}
	if diff := cmp.Diff(want, f.calls); diff != "" {
		t.Fatalf("consultations (-want +got):\n%s", diff)
	}
}
