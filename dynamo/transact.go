package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"
)

// Transaction limits, from the TransactWriteItems API reference.
const (
	maxTransactItems     = 100
	maxTransactSize      = 4 << 20 // 4 MB of items per transaction
	idempotencyWindow    = 10 * time.Minute
	transactCancelPrefix = "Transaction cancelled, please refer cancellation reasons for specific reasons"
)

// TransactWriteItem is one action of TransactWriteItems: exactly one of
// its fields is set.
type TransactWriteItem struct {
	ConditionCheck *ConditionCheck
	Put            *Put
	Delete         *Delete
	Update         *Update
}

// ConditionCheck checks a condition on an item without writing it.
type ConditionCheck struct {
	TableName                           string
	Key                                 Item
	ConditionExpression                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]AttributeValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
}

// Put writes a whole item inside a transaction.
type Put struct {
	TableName                           string
	Item                                Item
	ConditionExpression                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]AttributeValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
}

// Delete deletes an item inside a transaction.
type Delete struct {
	TableName                           string
	Key                                 Item
	ConditionExpression                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]AttributeValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
}

// Update changes an item inside a transaction.
type Update struct {
	TableName                           string
	Key                                 Item
	UpdateExpression                    string
	ConditionExpression                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]AttributeValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
}

// TransactWriteItemsInput is the request of TransactWriteItems.
type TransactWriteItemsInput struct {
	TransactItems []TransactWriteItem
	// ClientRequestToken makes the call idempotent for ten minutes: the
	// same token with the same request succeeds again without writing.
	ClientRequestToken     string
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// TransactWriteItemsOutput is the response of TransactWriteItems.
type TransactWriteItemsOutput struct {
	// ConsumedCapacity has one entry per table, in name order, when the
	// request asked for it, with the read/write split: each action costs
	// twice its size in 1 KB write units (a ConditionCheck too), index
	// writes once. A call repeated with its ClientRequestToken reports the
	// transactional read of the items instead.
	ConsumedCapacity []ConsumedCapacity
}

// Get reads one item inside TransactGetItems.
type Get struct {
	TableName                string
	Key                      Item
	ProjectionExpression     string
	ExpressionAttributeNames map[string]string
}

// TransactGetItem is one read of TransactGetItems.
type TransactGetItem struct {
	Get *Get
}

// TransactGetItemsInput is the request of TransactGetItems.
type TransactGetItemsInput struct {
	TransactItems          []TransactGetItem
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// ItemResponse is one item read by TransactGetItems; Item is nil when
// there is no item with the key.
type ItemResponse struct {
	Item Item
}

// TransactGetItemsOutput is the response of TransactGetItems, in the order
// of the request.
type TransactGetItemsOutput struct {
	Responses []ItemResponse
	// ConsumedCapacity has one entry per table, in name order, when the
	// request asked for it: two 4 KB read units per item, a missing one
	// included.
	ConsumedCapacity []ConsumedCapacity
}

// CancellationReason says why one action of a cancelled transaction
// failed ("ConditionalCheckFailed", "ValidationError", …) or "None" for an
// action that did not.
type CancellationReason struct {
	Code    string
	Message string
	// Item is the item as it was, when the action asked for it with
	// ReturnValuesOnConditionCheckFailure ALL_OLD.
	Item Item
}

// TransactionCanceledException is the error of a cancelled transaction:
// nothing was written. CancellationReasons has one entry per action, in
// the order of the request. errors.Is(err, ErrTransactionCanceled) matches
// it.
type TransactionCanceledException struct {
	Err                 *Error
	CancellationReasons []CancellationReason
}

// Error returns the message of the underlying *Error.
func (e *TransactionCanceledException) Error() string { return e.Err.Error() }

// Unwrap returns the underlying *Error.
func (e *TransactionCanceledException) Unwrap() error { return e.Err }

// txAction is one validated action of a write transaction.
type txAction struct {
	t    *table
	key  Item // clean primary key
	enc  string
	cond *condition
	put  Item        // whole new item, for Put
	upd  *updateExpr // for Update (nil update expression creates the key)
	kind string      // "ConditionCheck", "Put", "Delete", "Update"
	rv   ReturnValuesOnConditionCheckFailure
}

// idempotentCall remembers a TransactWriteItems call by its token.
type idempotentCall struct {
	fingerprint string
	at          time.Time
}

// tokens holds the ClientRequestTokens seen in the last ten minutes, and
// the items of the write transactions under way.
type tokens struct {
	mu       sync.Mutex
	calls    map[string]idempotentCall
	inflight inflight
}

// TransactWriteItems applies up to 100 writes and condition checks, in one
// or more tables, all or nothing. It is serialisable against every other
// write: the tables involved are locked while it commits. From validation
// to commit its items are marked as in a transaction: another
// transaction that touches one is cancelled with the reason
// TransactionConflict, and a PutItem, UpdateItem or DeleteItem of one
// fails with TransactionConflictException, as in DynamoDB; callers retry.
func (db *DB) TransactWriteItems(ctx context.Context, in *TransactWriteItemsInput) (*TransactWriteItemsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || len(in.TransactItems) == 0 {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if err := db.fault(ctx, "TransactWriteItems", transactWriteTables(in.TransactItems)...); err != nil {
		return nil, err
	}
	if len(in.TransactItems) > maxTransactItems {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransactItems)
	}
	if len(in.ClientRequestToken) > 36 {
		return nil, ErrValidation.New("1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36")
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	actions, err := db.prepareTransaction(in.TransactItems)
	if err != nil {
		return nil, err
	}

	var fingerprint string
	if in.ClientRequestToken != "" {
		fingerprint = transactFingerprint(in.TransactItems)
		db.tokens.mu.Lock()
		now := db.clock.Now()
		for tok, c := range db.tokens.calls {
			if now.Sub(c.at) >= idempotencyWindow {
				delete(db.tokens.calls, tok)
			}
		}
		prev, seen := db.tokens.calls[in.ClientRequestToken]
		db.tokens.mu.Unlock()
		if seen {
			if prev.fingerprint != fingerprint {
				return nil, ErrIdempotentParameterMismatch.New("Request parameters do not match the request parameters of the previous request with the same client request token")
			}
			usages, err := db.replayUsage(actions)
			if err != nil {
				return nil, err
			}
			return &TransactWriteItemsOutput{ConsumedCapacity: consumedList(usages, in.ReturnConsumedCapacity, true)}, nil
		}
	}

	release, conflict := db.tokens.inflight.acquire(actions)
	if conflict >= 0 {
		return nil, transactionCanceled(conflictReasons(len(actions), conflict))
	}
	defer release()
	if hook := db.tokens.inflight.prepared; hook != nil {
		hook()
	}
	unlock, err := lockTables(actions)
	if err != nil {
		return nil, err
	}
	defer unlock()

	reasons := make([]CancellationReason, len(actions))
	records := make([]*record, len(actions))
	olds := make([]*record, len(actions))
	cancelled := false
	for i, a := range actions {
		reasons[i] = CancellationReason{Code: "None"}
		old, _ := a.t.items.Get(&record{key: a.enc})
		olds[i] = old
		var oldItem Item
		if old != nil {
			oldItem = old.item
		}
		if a.cond != nil && !a.cond.eval(oldItem) {
			reasons[i] = CancellationReason{Code: "ConditionalCheckFailed", Message: "The conditional request failed"}
			if a.rv == ReturnValuesOnConditionCheckFailureAllOld {
				reasons[i].Item = copyItem(oldItem)
			}
			cancelled = true
			continue
		}
		switch a.kind {
		case "Put":
			rec, err := a.t.newRecord(a.put, "Item size has exceeded the maximum allowed size")
			if err != nil {
				reasons[i] = CancellationReason{Code: "ValidationError", Message: err.(*Error).Message}
				cancelled = true
				continue
			}
			records[i] = rec
		case "Update":
			base := oldItem
			if base == nil {
				base = a.key
			}
			next := base
			if a.upd != nil {
				var err error
				if next, err = a.upd.apply(base); err == nil {
					for _, v := range next {
						if err = checkDepth(v, 0); err != nil {
							break
						}
					}
				}
				if err != nil {
					reasons[i] = CancellationReason{Code: "ValidationError", Message: errMessage(err)}
					cancelled = true
					continue
				}
			}
			rec, err := a.t.newRecord(next, "Item size to update has exceeded the maximum allowed size")
			if err != nil {
				reasons[i] = CancellationReason{Code: "ValidationError", Message: errMessage(err)}
				cancelled = true
				continue
			}
			records[i] = rec
		}
	}
	// What committing costs, action by action and table by table.
	var usages []*usage
	costs := make([]*usage, len(actions))
	for i, a := range actions {
		if records[i] != nil || a.kind == "Delete" {
			costs[i] = writeUsage(a.t, olds[i], records[i], true)
		} else {
			// A ConditionCheck, or an action already refused: its item.
			costs[i] = failedWriteUsage(a.t, olds[i])
			costs[i].table.write *= 2
		}
		usageOf(&usages, a.t).add(costs[i])
	}
	throttled := false
	for _, u := range usages {
		ix, err := db.admit(u)
		if err == nil {
			continue
		}
		throttled = true
		for i, a := range actions {
			if a.t == u.t && (ix == "" || costs[i].gsi[ix] != nil) {
				reasons[i] = throttledReason(err)
			} else if reasons[i].Code != "ProvisionedThroughputExceeded" && reasons[i].Code != "ThrottlingError" {
				reasons[i] = CancellationReason{Code: "None"}
			}
		}
	}
	if throttled {
		return nil, transactionCanceled(reasons)
	}
	if cancelled {
		// The prepare phase ran: each action is charged as a refused
		// conditional write of its item.
		var spent []*usage
		for i, a := range actions {
			usageOf(&spent, a.t).add(failedWriteUsage(a.t, olds[i]))
		}
		for _, u := range spent {
			db.charge(u)
		}
		return nil, transactionCanceled(reasons)
	}
	for i, a := range actions {
		switch a.kind {
		case "Put", "Update":
			a.t.store(olds[i], records[i])
		case "Delete":
			if olds[i] != nil {
				a.t.store(olds[i], nil)
			}
		}
	}
	for _, u := range usages {
		db.charge(u)
	}
	if in.ClientRequestToken != "" {
		db.tokens.mu.Lock()
		if db.tokens.calls == nil {
			db.tokens.calls = map[string]idempotentCall{}
		}
		db.tokens.calls[in.ClientRequestToken] = idempotentCall{fingerprint: fingerprint, at: db.clock.Now()}
		db.tokens.mu.Unlock()
	}
	return &TransactWriteItemsOutput{ConsumedCapacity: consumedList(usages, in.ReturnConsumedCapacity, true)}, nil
}

// transactionCanceled is the error of a cancelled transaction.
func transactionCanceled(reasons []CancellationReason) error {
	codes := make([]string, len(reasons))
	for i, r := range reasons {
		codes[i] = r.Code
	}
	return &TransactionCanceledException{
		Err:                 ErrTransactionCanceled.Newf("%s [%s]", transactCancelPrefix, strings.Join(codes, ", ")),
		CancellationReasons: reasons,
	}
}

// replayUsage charges a TransactWriteItems call repeated with its
// ClientRequestToken: DynamoDB reads the items again, transactionally,
// and reports read capacity.
func (db *DB) replayUsage(actions []txAction) ([]*usage, error) {
	var usages []*usage
	for _, a := range actions {
		if err := a.t.rlockLive(); err != nil {
			return nil, err
		}
		size := 0
		if rec, ok := a.t.items.Get(&record{key: a.enc}); ok {
			size = rec.size
		}
		u := readUsage(a.t, size, readTransactional)
		db.charge(u)
		a.t.mu.RUnlock()
		usageOf(&usages, a.t).add(u)
	}
	return usages, nil
}

// transactFingerprint renders a request so that two equal requests, and
// only those, render the same.
func transactFingerprint(items []TransactWriteItem) string {
	var b strings.Builder
	for _, ti := range items {
		switch {
		case ti.ConditionCheck != nil:
			fmt.Fprintf(&b, "%#v;", *ti.ConditionCheck)
		case ti.Put != nil:
			fmt.Fprintf(&b, "%#v;", *ti.Put)
		case ti.Delete != nil:
			fmt.Fprintf(&b, "%#v;", *ti.Delete)
		case ti.Update != nil:
			fmt.Fprintf(&b, "%#v;", *ti.Update)
		}
	}
	return b.String()
}

func errMessage(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Message
	}
	return err.Error()
}

// prepareTransaction validates every action before anything is locked.
func (db *DB) prepareTransaction(items []TransactWriteItem) ([]txAction, error) {
	actions := make([]txAction, 0, len(items))
	seen := map[string]bool{}
	size := 0
	for _, ti := range items {
		var (
			a                    txAction
			tableName            string
			key                  Item
			condExpr, updExpr    string
			names                map[string]string
			values               map[string]AttributeValue
			n                    int
			rv                   ReturnValuesOnConditionCheckFailure
			requiresCondition    bool
			hasUpdateExpressions bool
		)
		if c := ti.ConditionCheck; c != nil {
			n++
			a.kind, tableName, key, condExpr, names, values, rv = "ConditionCheck", c.TableName, c.Key, c.ConditionExpression, c.ExpressionAttributeNames, c.ExpressionAttributeValues, c.ReturnValuesOnConditionCheckFailure
			requiresCondition = true
		}
		if p := ti.Put; p != nil {
			n++
			a.kind, tableName, condExpr, names, values, rv = "Put", p.TableName, p.ConditionExpression, p.ExpressionAttributeNames, p.ExpressionAttributeValues, p.ReturnValuesOnConditionCheckFailure
		}
		if d := ti.Delete; d != nil {
			n++
			a.kind, tableName, key, condExpr, names, values, rv = "Delete", d.TableName, d.Key, d.ConditionExpression, d.ExpressionAttributeNames, d.ExpressionAttributeValues, d.ReturnValuesOnConditionCheckFailure
		}
		if u := ti.Update; u != nil {
			n++
			a.kind, tableName, key, condExpr, updExpr, names, values, rv = "Update", u.TableName, u.Key, u.ConditionExpression, u.UpdateExpression, u.ExpressionAttributeNames, u.ExpressionAttributeValues, u.ReturnValuesOnConditionCheckFailure
			hasUpdateExpressions = true
		}
		if n != 1 {
			return nil, ErrValidation.New("TransactItems can only contain one of Check, Put, Update or Delete")
		}
		if requiresCondition && condExpr == "" {
			return nil, ErrValidation.New("The expression can not be empty;")
		}
		if hasUpdateExpressions && updExpr == "" {
			return nil, ErrValidation.New("1 validation error detected: Value null at 'transactItems.member.update.updateExpression' failed to satisfy constraint: Member must not be null")
		}
		if err := checkReturnValuesOnFailure(rv); err != nil {
			return nil, err
		}
		t, err := db.table(tableName)
		if err != nil {
			return nil, err
		}
		a.t, a.rv = t, rv
		ec, err := db.exprParams(names, values, condExpr != "" || updExpr != "")
		if err != nil {
			return nil, err
		}
		if updExpr != "" {
			if a.upd, err = ec.parseUpdate(updExpr); err != nil {
				return nil, err
			}
		}
		if condExpr != "" {
			if a.cond, err = ec.parseCondition("ConditionExpression", condExpr); err != nil {
				return nil, err
			}
		}
		if err := ec.unusedError(); err != nil {
			return nil, err
		}
		if a.kind == "Put" {
			item, err := cleanItem(ti.Put.Item)
			if err != nil {
				return nil, err
			}
			if err := t.checkItemKey(item); err != nil {
				return nil, err
			}
			a.put, key = item, t.key.keyOf(item)
			size += itemSize(item)
		} else {
			if a.key, err = t.cleanKey(key); err != nil {
				return nil, err
			}
			key = a.key
		}
		if a.upd != nil {
			for _, n := range a.upd.topLevelNames() {
				if n == t.key.hash.name || n == t.key.rng.name {
					return nil, ErrValidation.Newf("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", n)
				}
			}
		}
		a.key = key
		a.enc = t.key.encodeKey(key)
		id := t.name + "\x00" + a.enc
		if seen[id] {
			return nil, ErrValidation.New("Transaction request cannot include multiple operations on one item")
		}
		seen[id] = true
		actions = append(actions, a)
	}
	if size > maxTransactSize {
		return nil, ErrValidation.New("Transaction request size exceeds the maximum size limit of 4 MB")
	}
	return actions, nil
}

// lockTables write-locks every table of a transaction, in name order so
// that concurrent transactions cannot deadlock, and returns the unlock.
func lockTables(actions []txAction) (func(), error) {
	var ts []*table
	for _, a := range actions {
		if !slices.Contains(ts, a.t) {
			ts = append(ts, a.t)
		}
	}
	slices.SortFunc(ts, func(a, b *table) int { return compareStrings(a.name, b.name) })
	for i, t := range ts {
		if err := t.lockLive(); err != nil {
			for _, u := range ts[:i] {
				u.mu.Unlock()
			}
			return nil, err
		}
	}
	return func() {
		for _, t := range ts {
			t.mu.Unlock()
		}
	}, nil
}

// TransactGetItems reads up to 100 items, from one or more tables, as one
// snapshot: no write is seen half-applied.
func (db *DB) TransactGetItems(ctx context.Context, in *TransactGetItemsInput) (*TransactGetItemsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || len(in.TransactItems) == 0 {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	var names []string
	for _, ti := range in.TransactItems {
		if ti.Get != nil {
			names = append(names, ti.Get.TableName)
		}
	}
	if err := db.fault(ctx, "TransactGetItems", names...); err != nil {
		return nil, err
	}
	if len(in.TransactItems) > maxTransactItems {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransactItems)
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	type read struct {
		t    *table
		enc  string
		proj *projection
	}
	reads := make([]read, len(in.TransactItems))
	var ts []*table
	for i, ti := range in.TransactItems {
		g := ti.Get
		if g == nil {
			return nil, ErrValidation.New("1 validation error detected: Value null at 'transactItems.member.get' failed to satisfy constraint: Member must not be null")
		}
		t, err := db.table(g.TableName)
		if err != nil {
			return nil, err
		}
		key, err := t.cleanKey(g.Key)
		if err != nil {
			return nil, err
		}
		ec, err := db.exprParams(g.ExpressionAttributeNames, nil, g.ProjectionExpression != "")
		if err != nil {
			return nil, err
		}
		r := read{t: t, enc: t.key.encodeKey(key)}
		if g.ProjectionExpression != "" {
			if r.proj, err = ec.parseProjection(g.ProjectionExpression); err != nil {
				return nil, err
			}
			if err := ec.unusedError(); err != nil {
				return nil, err
			}
		}
		reads[i] = r
		if db.tokens.inflight.busy(t, r.enc) {
			return nil, transactionCanceled(conflictReasons(len(in.TransactItems), i))
		}
		if !slices.Contains(ts, t) {
			ts = append(ts, t)
		}
	}
	slices.SortFunc(ts, func(a, b *table) int { return compareStrings(a.name, b.name) })
	for i, t := range ts {
		if err := t.rlockLive(); err != nil {
			for _, u := range ts[:i] {
				u.mu.RUnlock()
			}
			return nil, err
		}
	}
	defer func() {
		for _, t := range ts {
			t.mu.RUnlock()
		}
	}()
	out := &TransactGetItemsOutput{Responses: make([]ItemResponse, len(reads))}
	recs := make([]*record, len(reads))
	var usages []*usage
	for i, r := range reads {
		size := 0
		if rec, ok := r.t.items.Get(&record{key: r.enc}); ok {
			recs[i], size = rec, rec.size
		}
		usageOf(&usages, r.t).add(readUsage(r.t, size, readTransactional))
	}
	reasons := make([]CancellationReason, len(reads))
	throttled := false
	for i := range reasons {
		reasons[i] = CancellationReason{Code: "None"}
	}
	for _, u := range usages {
		if _, err := db.admit(u); err != nil {
			throttled = true
			for i, r := range reads {
				if r.t == u.t {
					reasons[i] = throttledReason(err)
				}
			}
		}
	}
	if throttled {
		return nil, transactionCanceled(reasons)
	}
	for _, u := range usages {
		db.charge(u)
	}
	for i, r := range reads {
		if recs[i] != nil {
			out.Responses[i].Item = projectCopy(r.proj, recs[i].item)
		}
	}
	out.ConsumedCapacity = consumedList(usages, in.ReturnConsumedCapacity, true)
	return out, nil
}
