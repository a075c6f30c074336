package dynamo

import (
	"context"
)

// PutItemInput is the request of PutItem.
type PutItemInput struct {
	TableName string
	// Item is the whole new item, key attributes included.
	Item Item
	// ConditionExpression must hold for the item as it was, or nothing is
	// written and ConditionalCheckFailedException is returned.
	ConditionExpression       string
	ExpressionAttributeNames  map[string]string
	ExpressionAttributeValues map[string]AttributeValue
	// ReturnValues may be NONE (the default) or ALL_OLD.
	ReturnValues                        ReturnValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
	ReturnConsumedCapacity              ReturnConsumedCapacity
}

// PutItemOutput is the response of PutItem.
type PutItemOutput struct {
	// Attributes is the replaced item when ReturnValues is ALL_OLD.
	Attributes Item
	// ConsumedCapacity is set when the request asked for it: the larger
	// of the old and new item in 1 KB units, plus the index writes.
	ConsumedCapacity *ConsumedCapacity
}

// GetItemInput is the request of GetItem.
type GetItemInput struct {
	TableName string
	// Key holds exactly the table's key attributes.
	Key Item
	// ConsistentRead asks for a strongly consistent read. minicloud's
	// reads are always consistent; the flag is accepted as DynamoDB does.
	ConsistentRead           bool
	ProjectionExpression     string
	ExpressionAttributeNames map[string]string
	ReturnConsumedCapacity   ReturnConsumedCapacity
}

// GetItemOutput is the response of GetItem: Item is nil when there is no
// item with that key.
type GetItemOutput struct {
	Item Item
	// ConsumedCapacity is set when the request asked for it: the whole
	// item's size (not the projection's) in 4 KB units, half a unit each
	// when eventually consistent; a missing item costs one unit.
	ConsumedCapacity *ConsumedCapacity
}

// UpdateItemInput is the request of UpdateItem.
type UpdateItemInput struct {
	TableName string
	Key       Item
	// UpdateExpression says how to change the item. An item that does not
	// exist is created from the key, as in DynamoDB.
	UpdateExpression                    string
	ConditionExpression                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]AttributeValue
	ReturnValues                        ReturnValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
	ReturnConsumedCapacity              ReturnConsumedCapacity
}

// UpdateItemOutput is the response of UpdateItem.
type UpdateItemOutput struct {
	// Attributes holds what ReturnValues asked for.
	Attributes Item
	// ConsumedCapacity is set when the request asked for it: the larger
	// of the item before and after, in 1 KB units, plus the index writes.
	ConsumedCapacity *ConsumedCapacity
}

// DeleteItemInput is the request of DeleteItem.
type DeleteItemInput struct {
	TableName                           string
	Key                                 Item
	ConditionExpression                 string
	ExpressionAttributeNames            map[string]string
	ExpressionAttributeValues           map[string]AttributeValue
	ReturnValues                        ReturnValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
	ReturnConsumedCapacity              ReturnConsumedCapacity
}

// DeleteItemOutput is the response of DeleteItem.
type DeleteItemOutput struct {
	// Attributes is the deleted item when ReturnValues is ALL_OLD.
	Attributes Item
	// ConsumedCapacity is set when the request asked for it: the deleted
	// item's size in 1 KB units (one unit when there was none), plus the
	// index entries removed.
	ConsumedCapacity *ConsumedCapacity
}

// ConditionalCheckFailedException is the error of a write whose condition
// failed. errors.Is(err, ErrConditionalCheckFailed) matches it and
// errors.As reaches both it and its *Error. Item is the item as it was
// when the request set ReturnValuesOnConditionCheckFailure to ALL_OLD.
type ConditionalCheckFailedException struct {
	Err  *Error
	Item Item
}

// Error returns the message of the underlying *Error.
func (e *ConditionalCheckFailedException) Error() string { return e.Err.Error() }

// Unwrap returns the underlying *Error.
func (e *ConditionalCheckFailedException) Unwrap() error { return e.Err }

func conditionFailed(old Item, rv ReturnValuesOnConditionCheckFailure) error {
	e := &ConditionalCheckFailedException{Err: ErrConditionalCheckFailed.New("The conditional request failed")}
	if rv == ReturnValuesOnConditionCheckFailureAllOld && old != nil {
		e.Item = copyItem(old)
	}
	return e
}

// exprParams validates a request's ExpressionAttributeNames and
// ExpressionAttributeValues and returns the context its expressions are
// parsed in. hasExpr says whether the request has any expression.
func (db *DB) exprParams(names map[string]string, values map[string]AttributeValue, hasExpr bool) (*exprContext, error) {
	if names != nil && len(names) == 0 {
		return nil, ErrValidation.New("ExpressionAttributeNames must not be empty")
	}
	if values != nil && len(values) == 0 {
		return nil, ErrValidation.New("ExpressionAttributeValues must not be empty")
	}
	if !hasExpr && names != nil {
		return nil, ErrValidation.New("ExpressionAttributeNames can only be specified when using expressions")
	}
	if !hasExpr && values != nil {
		return nil, ErrValidation.New("ExpressionAttributeValues can only be specified when using expressions")
	}
	clean, err := cleanValues(values)
	if err != nil {
		return nil, err
	}
	ec := newExprContext(names, clean)
	ec.cache = &db.exprs
	return ec, nil
}

func checkReturnValuesOnFailure(rv ReturnValuesOnConditionCheckFailure) error {
	switch rv {
	case "", ReturnValuesOnConditionCheckFailureNone, ReturnValuesOnConditionCheckFailureAllOld:
		return nil
	}
	return ErrValidation.Newf("1 validation error detected: Value '%s' at 'returnValuesOnConditionCheckFailure' failed to satisfy constraint: Member must satisfy enum value set: [ALL_OLD, NONE]", rv)
}

// checkReturnValues accepts ReturnValues among allowed, or gives
// DynamoDB's error for the operation.
func checkReturnValues(rv ReturnValue, op string, allowed ...ReturnValue) error {
	if rv == "" || rv == ReturnValueNone {
		return nil
	}
	for _, a := range allowed {
		if rv == a {
			return nil
		}
	}
	switch rv {
	case ReturnValueAllOld, ReturnValueUpdatedOld, ReturnValueAllNew, ReturnValueUpdatedNew:
		return ErrValidation.Newf("Return values set to invalid value: %s is not supported for %s", rv, op)
	}
	return ErrValidation.Newf("1 validation error detected: Value '%s' at 'returnValues' failed to satisfy constraint: Member must satisfy enum value set: [ALL_NEW, UPDATED_OLD, ALL_OLD, NONE, UPDATED_NEW]", rv)
}

// lockLive write-locks a table and checks it was not deleted meanwhile.
func (t *table) lockLive() error {
	t.mu.Lock()
	if t.status == TableStatusDeleting {
		t.mu.Unlock()
		return ErrResourceNotFound.New("Requested resource not found")
	}
	return nil
}

// rlockLive read-locks a table and checks it was not deleted meanwhile.
func (t *table) rlockLive() error {
	t.mu.RLock()
	if t.status == TableStatusDeleting {
		t.mu.RUnlock()
		return ErrResourceNotFound.New("Requested resource not found")
	}
	return nil
}

// newRecord validates a whole new item against the table and its
// indexes, with DynamoDB's size limit, and wraps it as a record.
func (t *table) newRecord(item Item, tooBig string) (*record, error) {
	size := itemSize(item)
	if size > t.db.limits.MaxItemSize {
		return nil, ErrValidation.New(tooBig)
	}
	if err := t.checkItemKey(item); err != nil {
		return nil, err
	}
	for _, ix := range t.indexes {
		if err := ix.checkItem(t.db, item); err != nil {
			return nil, err
		}
	}
	return &record{key: t.key.encodeKey(item), item: item, size: size}, nil
}

// writeTarget checks what PutItem, UpdateItem and DeleteItem check before
// anything else, in DynamoDB's order, and returns the table written to.
func (db *DB) writeTarget(ctx context.Context, tableName, op string, rv ReturnValue, rvf ReturnValuesOnConditionCheckFailure, rcc ReturnConsumedCapacity, allowed ...ReturnValue) (*table, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := db.fault(ctx, op, tableName); err != nil {
		return nil, err
	}
	t, err := db.table(tableName)
	if err != nil {
		return nil, err
	}
	if err := checkReturnValues(rv, op, allowed...); err != nil {
		return nil, err
	}
	if err := checkReturnValuesOnFailure(rvf); err != nil {
		return nil, err
	}
	if err := checkReturnConsumedCapacity(rcc); err != nil {
		return nil, err
	}
	return t, nil
}

// checkWrite evaluates a write's condition on the item as it is (old, or
// nil) and returns that item. A failed condition still consumes capacity,
// as in DynamoDB, and answers ConditionalCheckFailedException. The caller
// holds t.mu for writing.
func (db *DB) checkWrite(t *table, old *record, cond *condition, rv ReturnValuesOnConditionCheckFailure) (Item, error) {
	var oldItem Item
	if old != nil {
		oldItem = old.item
	}
	if cond != nil && !cond.eval(oldItem) {
		if _, err := db.consume(failedWriteUsage(t, old)); err != nil {
			return nil, err
		}
		return nil, conditionFailed(oldItem, rv)
	}
	return oldItem, nil
}

// PutItem writes a whole item, replacing any item with the same key.
func (db *DB) PutItem(ctx context.Context, in *PutItemInput) (*PutItemOutput, error) {
	if in == nil {
		in = &PutItemInput{}
	}
	t, err := db.writeTarget(ctx, in.TableName, "PutItem", in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity, ReturnValueAllOld)
	if err != nil {
		return nil, err
	}
	item, err := cleanItem(in.Item)
	if err != nil {
		return nil, err
	}
	cond, err := db.parseWriteCondition(in.ConditionExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	rec, err := t.newRecord(item, "Item size has exceeded the maximum allowed size")
	if err != nil {
		return nil, err
	}
	if db.tokens.inflight.busy(t, rec.key) {
		return nil, ErrTransactionConflict.New(txConflictMessage)
	}
	old, _ := t.items.Get(rec)
	oldItem, err := db.checkWrite(t, old, cond, in.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	u := writeUsage(t, old, rec, false)
	if _, err := db.admit(u); err != nil {
		return nil, err
	}
	t.store(old, rec)
	db.charge(u)
	out := &PutItemOutput{ConsumedCapacity: u.consumed(in.ReturnConsumedCapacity, false)}
	if in.ReturnValues == ReturnValueAllOld {
		out.Attributes = copyItem(oldItem)
	}
	return out, nil
}

// parseWriteCondition parses the optional ConditionExpression of a write
// together with its names and values.
func (db *DB) parseWriteCondition(expr string, names map[string]string, values map[string]AttributeValue) (*condition, error) {
	ec, err := db.exprParams(names, values, expr != "")
	if err != nil {
		return nil, err
	}
	if expr == "" {
		return nil, nil
	}
	cond, err := ec.parseCondition("ConditionExpression", expr)
	if err != nil {
		return nil, err
	}
	if err := ec.unusedError(); err != nil {
		return nil, err
	}
	return cond, nil
}

// GetItem reads one item by its key.
func (db *DB) GetItem(ctx context.Context, in *GetItemInput) (*GetItemOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &GetItemInput{}
	}
	if err := db.fault(ctx, "GetItem", in.TableName); err != nil {
		return nil, err
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, err
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	var proj *projection
	ec, err := db.exprParams(in.ExpressionAttributeNames, nil, in.ProjectionExpression != "")
	if err != nil {
		return nil, err
	}
	if in.ProjectionExpression != "" {
		if proj, err = ec.parseProjection(in.ProjectionExpression); err != nil {
			return nil, err
		}
		if err := ec.unusedError(); err != nil {
			return nil, err
		}
	}
	cleanKey, err := t.cleanKey(in.Key)
	if err != nil {
		return nil, err
	}
	key := t.key.encodeKey(cleanKey)
	if err := t.rlockLive(); err != nil {
		return nil, err
	}
	rec, ok := t.items.Get(&record{key: key})
	size := 0
	if ok {
		size = rec.size
	}
	u := readUsage(t, size, readModeOf(in.ConsistentRead))
	_, err = db.consume(u)
	t.mu.RUnlock()
	if err != nil {
		return nil, err
	}
	out := &GetItemOutput{ConsumedCapacity: u.consumed(in.ReturnConsumedCapacity, false)}
	if ok {
		out.Item = projectCopy(proj, rec.item)
	}
	return out, nil
}

// projectCopy applies an optional projection and returns a deep copy.
func projectCopy(p *projection, item Item) Item {
	if p != nil {
		item = p.apply(item)
	}
	return copyItem(item)
}

// UpdateItem changes an item's attributes, creating the item when it does
// not exist.
func (db *DB) UpdateItem(ctx context.Context, in *UpdateItemInput) (*UpdateItemOutput, error) {
	if in == nil {
		in = &UpdateItemInput{}
	}
	t, err := db.writeTarget(ctx, in.TableName, "UpdateItem", in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity, ReturnValueAllOld, ReturnValueUpdatedOld, ReturnValueAllNew, ReturnValueUpdatedNew)
	if err != nil {
		return nil, err
	}
	ec, err := db.exprParams(in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.UpdateExpression != "" || in.ConditionExpression != "")
	if err != nil {
		return nil, err
	}
	var upd *updateExpr
	if in.UpdateExpression != "" {
		if upd, err = ec.parseUpdate(in.UpdateExpression); err != nil {
			return nil, err
		}
	}
	var cond *condition
	if in.ConditionExpression != "" {
		if cond, err = ec.parseCondition("ConditionExpression", in.ConditionExpression); err != nil {
			return nil, err
		}
	}
	if err := ec.unusedError(); err != nil {
		return nil, err
	}
	key, err := t.cleanKey(in.Key)
	if err != nil {
		return nil, err
	}
	if upd != nil {
		for _, n := range upd.topLevelNames() {
			if n == t.key.hash.name || n == t.key.rng.name {
				return nil, ErrValidation.Newf("One or more parameter values were invalid: Cannot update attribute %s. This attribute is part of the key", n)
			}
		}
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	if db.tokens.inflight.busy(t, t.key.encodeKey(key)) {
		return nil, ErrTransactionConflict.New(txConflictMessage)
	}
	old, _ := t.items.Get(&record{key: t.key.encodeKey(key)})
	oldItem, err := db.checkWrite(t, old, cond, in.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	base := oldItem
	if base == nil {
		base = key
	}
	newItem := base
	if upd != nil {
		if newItem, err = upd.apply(base); err != nil {
			return nil, err
		}
		for _, v := range newItem {
			if err := checkDepth(v, 0); err != nil {
				return nil, err
			}
		}
	}
	rec, err := t.newRecord(newItem, "Item size to update has exceeded the maximum allowed size")
	if err != nil {
		return nil, err
	}
	u := writeUsage(t, old, rec, false)
	if _, err := db.admit(u); err != nil {
		return nil, err
	}
	t.store(old, rec)
	db.charge(u)

	out := &UpdateItemOutput{ConsumedCapacity: u.consumed(in.ReturnConsumedCapacity, false)}
	switch in.ReturnValues {
	case ReturnValueAllOld:
		out.Attributes = copyItem(oldItem)
	case ReturnValueAllNew:
		out.Attributes = copyItem(newItem)
	case ReturnValueUpdatedOld:
		if upd != nil && oldItem != nil {
			out.Attributes = nilIfEmpty(copyItem(upd.project(oldItem)))
		}
	case ReturnValueUpdatedNew:
		if upd != nil {
			out.Attributes = nilIfEmpty(copyItem(upd.project(newItem)))
		}
	}
	return out, nil
}

func nilIfEmpty(item Item) Item {
	if len(item) == 0 {
		return nil
	}
	return item
}

// DeleteItem deletes one item by its key. Deleting an item that does not
// exist succeeds, unless a condition says otherwise.
func (db *DB) DeleteItem(ctx context.Context, in *DeleteItemInput) (*DeleteItemOutput, error) {
	if in == nil {
		in = &DeleteItemInput{}
	}
	t, err := db.writeTarget(ctx, in.TableName, "DeleteItem", in.ReturnValues, in.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity, ReturnValueAllOld)
	if err != nil {
		return nil, err
	}
	cond, err := db.parseWriteCondition(in.ConditionExpression, in.ExpressionAttributeNames, in.ExpressionAttributeValues)
	if err != nil {
		return nil, err
	}
	cleanKey, err := t.cleanKey(in.Key)
	if err != nil {
		return nil, err
	}
	key := t.key.encodeKey(cleanKey)
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	if db.tokens.inflight.busy(t, key) {
		return nil, ErrTransactionConflict.New(txConflictMessage)
	}
	old, _ := t.items.Get(&record{key: key})
	oldItem, err := db.checkWrite(t, old, cond, in.ReturnValuesOnConditionCheckFailure)
	if err != nil {
		return nil, err
	}
	u := writeUsage(t, old, nil, false)
	if _, err := db.admit(u); err != nil {
		return nil, err
	}
	if old != nil {
		t.store(old, nil)
	}
	db.charge(u)
	out := &DeleteItemOutput{ConsumedCapacity: u.consumed(in.ReturnConsumedCapacity, false)}
	if in.ReturnValues == ReturnValueAllOld {
		out.Attributes = copyItem(oldItem)
	}
	return out, nil
}
