package dynamo

import "sync"

// txConflictMessage is DynamoDB's message for an operation that met an
// ongoing transaction on its item.
const txConflictMessage = "Transaction is ongoing for the item"

// inflight marks the items of write transactions that are under way, so
// that what meets them fails as in DynamoDB: a TransactWriteItems or
// TransactGetItems that touches a marked item is cancelled with the
// reason TransactionConflict, and a PutItem, UpdateItem or DeleteItem of a
// marked item fails with TransactionConflictException. An item is marked
// from the moment its transaction has been validated until it has
// committed or been cancelled.
type inflight struct {
	mu    sync.Mutex
	items map[inflightKey]struct{}
	// prepared, when set (tests only), runs once a transaction holds its
	// marks and before it commits: a window in which another operation
	// can be made to meet it.
	prepared func()
}

type inflightKey struct {
	t   *table
	key string
}

// acquire marks the items of a transaction. If one is already marked it
// marks nothing and returns that action's index; else -1 and the release.
func (f *inflight) acquire(actions []txAction) (release func(), conflict int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, a := range actions {
		if _, busy := f.items[inflightKey{a.t, a.enc}]; busy {
			return nil, i
		}
	}
	if f.items == nil {
		f.items = map[inflightKey]struct{}{}
	}
	for _, a := range actions {
		f.items[inflightKey{a.t, a.enc}] = struct{}{}
	}
	return func() {
		f.mu.Lock()
		defer f.mu.Unlock()
		for _, a := range actions {
			delete(f.items, inflightKey{a.t, a.enc})
		}
	}, -1
}

// busy reports whether a transaction under way holds the item.
func (f *inflight) busy(t *table, key string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, ok := f.items[inflightKey{t, key}]
	return ok
}

// conflictReasons are the reasons of a transaction cancelled because its
// action i met another transaction.
func conflictReasons(n, i int) []CancellationReason {
	reasons := make([]CancellationReason, n)
	for j := range reasons {
		reasons[j] = CancellationReason{Code: "None"}
	}
	reasons[i] = CancellationReason{Code: "TransactionConflict", Message: txConflictMessage}
	return reasons
}
