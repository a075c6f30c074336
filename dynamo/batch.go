package dynamo

import (
	"context"
	"maps"
	"slices"
)

// Batch limits, from the BatchGetItem and BatchWriteItem API reference.
const (
	maxBatchGetKeys       = 100
	maxBatchWriteRequests = 25
	maxBatchGetResponse   = 16 << 20 // 16 MB of items returned per call
)

// KeysAndAttributes are the keys to read from one table in BatchGetItem,
// with the read's options.
type KeysAndAttributes struct {
	Keys                     []Item
	ProjectionExpression     string
	ExpressionAttributeNames map[string]string
	ConsistentRead           bool
}

// BatchGetItemInput is the request of BatchGetItem: up to 100 keys over
// any number of tables.
type BatchGetItemInput struct {
	RequestItems           map[string]KeysAndAttributes
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// BatchGetItemOutput is the response of BatchGetItem. Items come back in
// no particular order; keys not read (the 16 MB response limit, or a
// table out of read capacity) are in UnprocessedKeys, to be asked for
// again.
type BatchGetItemOutput struct {
	Responses       map[string][]Item
	UnprocessedKeys map[string]KeysAndAttributes
	// ConsumedCapacity has one entry per table, in name order, when the
	// request asked for it: each key is charged as its own GetItem.
	ConsumedCapacity []ConsumedCapacity
}

// WriteRequest is one put or one delete of BatchWriteItem: exactly one of
// its fields is set.
type WriteRequest struct {
	PutRequest    *PutRequest
	DeleteRequest *DeleteRequest
}

// PutRequest writes a whole item in BatchWriteItem.
type PutRequest struct {
	Item Item
}

// DeleteRequest deletes an item by key in BatchWriteItem.
type DeleteRequest struct {
	Key Item
}

// BatchWriteItemInput is the request of BatchWriteItem: up to 25 puts
// and deletes over any number of tables, without conditions.
type BatchWriteItemInput struct {
	RequestItems           map[string][]WriteRequest
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// BatchWriteItemOutput is the response of BatchWriteItem; requests not
// processed (a table or index out of write capacity) are in
// UnprocessedItems, to be sent again.
type BatchWriteItemOutput struct {
	UnprocessedItems map[string][]WriteRequest
	// ConsumedCapacity has one entry per table, in name order, when the
	// request asked for it: each request is charged as its own PutItem or
	// DeleteItem.
	ConsumedCapacity []ConsumedCapacity
}

// BatchGetItem reads up to 100 items by key from one or more tables. Each
// read is as GetItem's; the batch as a whole is not a snapshot.
func (db *DB) BatchGetItem(ctx context.Context, in *BatchGetItemInput) (*BatchGetItemOutput, error) {
	const op = "BatchGetItem"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || len(in.RequestItems) == 0 {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if err := db.fault(ctx, op, slices.Collect(maps.Keys(in.RequestItems))...); err != nil {
		return nil, err
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	type tableReq struct {
		name string
		t    *table
		keys []Item
		proj *projection
		ka   KeysAndAttributes
	}
	var reqs []tableReq
	total := 0
	for name, ka := range in.RequestItems {
		t, err := db.table(name)
		if err != nil {
			return nil, err
		}
		if len(ka.Keys) == 0 {
			return nil, ErrValidation.New("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length greater than or equal to 1]")
		}
		total += len(ka.Keys)
		if total > maxBatchGetKeys {
			return nil, ErrValidation.New("Too many items requested for the BatchGetItem call")
		}
		r := tableReq{name: name, t: t, ka: ka}
		ec, err := db.exprParams(ka.ExpressionAttributeNames, nil, ka.ProjectionExpression != "")
		if err != nil {
			return nil, err
		}
		if ka.ProjectionExpression != "" {
			if r.proj, err = ec.parseProjection(ka.ProjectionExpression); err != nil {
				return nil, err
			}
			if err := ec.unusedError(); err != nil {
				return nil, err
			}
		}
		seen := map[string]bool{}
		for _, k := range ka.Keys {
			clean, err := t.cleanKey(k)
			if err != nil {
				return nil, err
			}
			enc := t.key.encodeKey(clean)
			if seen[enc] {
				return nil, ErrValidation.New("Provided list of item keys contains duplicates")
			}
			seen[enc] = true
			r.keys = append(r.keys, clean)
		}
		reqs = append(reqs, r)
	}
	slices.SortFunc(reqs, func(a, b tableReq) int { return compareStrings(a.name, b.name) })

	out := &BatchGetItemOutput{Responses: map[string][]Item{}}
	size := 0
	var usages []*usage
	var throttled error
	processed := 0
	for _, r := range reqs {
		out.Responses[r.name] = []Item{}
		if err := r.t.rlockLive(); err != nil {
			return nil, err
		}
		var unprocessed []Item
		tu := usageOf(&usages, r.t)
		for i, k := range r.keys {
			if size >= maxBatchGetResponse {
				unprocessed = append(unprocessed, r.keys[i:]...)
				break
			}
			if db.unprocessed(ctx, op, r.name, k) {
				unprocessed = append(unprocessed, k)
				continue
			}
			rec, ok := r.t.items.Get(&record{key: r.t.key.encodeKey(k)})
			recSize := 0
			if ok {
				recSize = rec.size
			}
			u := readUsage(r.t, recSize, readModeOf(r.ka.ConsistentRead))
			if _, err := db.consume(u); err != nil {
				throttled = err
				unprocessed = append(unprocessed, k)
				continue
			}
			processed++
			tu.add(u)
			if !ok {
				continue
			}
			item := projectCopy(r.proj, rec.item)
			size += itemSize(item)
			out.Responses[r.name] = append(out.Responses[r.name], item)
		}
		r.t.mu.RUnlock()
		if len(unprocessed) > 0 {
			if out.UnprocessedKeys == nil {
				out.UnprocessedKeys = map[string]KeysAndAttributes{}
			}
			un := r.ka
			un.Keys = copyItems(unprocessed)
			out.UnprocessedKeys[r.name] = un
		}
	}
	if processed == 0 && throttled != nil {
		// Nothing could be read: DynamoDB fails the whole call.
		return nil, throttled
	}
	out.ConsumedCapacity = consumedList(usages, in.ReturnConsumedCapacity, false)
	return out, nil
}

func copyItems(items []Item) []Item {
	out := make([]Item, len(items))
	for i, it := range items {
		out[i] = copyItem(it)
	}
	return out
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// BatchWriteItem puts and deletes up to 25 items in one or more tables.
// Every request is validated before any is written, so an invalid batch
// writes nothing; each write is then atomic on its own, the batch is not.
func (db *DB) BatchWriteItem(ctx context.Context, in *BatchWriteItemInput) (*BatchWriteItemOutput, error) {
	const op = "BatchWriteItem"
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || len(in.RequestItems) == 0 {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'requestItems' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if err := db.fault(ctx, op, slices.Collect(maps.Keys(in.RequestItems))...); err != nil {
		return nil, err
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	type write struct {
		t   *table
		rec *record // nil for a delete
		key string
		req WriteRequest
	}
	var writes []write
	total := 0
	for name, reqs := range in.RequestItems {
		t, err := db.table(name)
		if err != nil {
			return nil, err
		}
		if len(reqs) == 0 {
			return nil, ErrValidation.New("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
		}
		total += len(reqs)
		if total > maxBatchWriteRequests {
			return nil, ErrValidation.New("1 validation error detected: Value at 'requestItems' failed to satisfy constraint: Map value must satisfy constraint: [Member must have length less than or equal to 25, Member must have length greater than or equal to 1]")
		}
		seen := map[string]bool{}
		for _, r := range reqs {
			var w write
			switch {
			case r.PutRequest != nil && r.DeleteRequest == nil:
				item, err := cleanItem(r.PutRequest.Item)
				if err != nil {
					return nil, err
				}
				t.mu.RLock()
				rec, err := t.newRecord(item, "Item size has exceeded the maximum allowed size")
				t.mu.RUnlock()
				if err != nil {
					return nil, err
				}
				w = write{t: t, rec: rec, key: rec.key}
			case r.DeleteRequest != nil && r.PutRequest == nil:
				key, err := t.cleanKey(r.DeleteRequest.Key)
				if err != nil {
					return nil, err
				}
				w = write{t: t, key: t.key.encodeKey(key)}
			default:
				return nil, ErrValidation.New("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
			}
			if seen[w.key] {
				return nil, ErrValidation.New("Provided list of item keys contains duplicates")
			}
			seen[w.key] = true
			w.req = r
			writes = append(writes, w)
		}
	}
	// Tables in name order, each table's requests in request order.
	slices.SortStableFunc(writes, func(a, b write) int { return compareStrings(a.t.name, b.t.name) })
	out := &BatchWriteItemOutput{UnprocessedItems: map[string][]WriteRequest{}}
	var usages []*usage
	var throttled error
	processed := 0
	for _, w := range writes {
		if db.unprocessed(ctx, op, w.t.name, writeRequestItem(w.req)) {
			out.UnprocessedItems[w.t.name] = append(out.UnprocessedItems[w.t.name], w.req)
			continue
		}
		if err := w.t.lockLive(); err != nil {
			return nil, err
		}
		old, _ := w.t.items.Get(&record{key: w.key})
		u := writeUsage(w.t, old, w.rec, false)
		if _, err := db.admit(u); err != nil {
			w.t.mu.Unlock()
			throttled = err
			out.UnprocessedItems[w.t.name] = append(out.UnprocessedItems[w.t.name], w.req)
			continue
		}
		if w.rec != nil || old != nil {
			w.t.store(old, w.rec)
		}
		db.charge(u)
		w.t.mu.Unlock()
		usageOf(&usages, w.t).add(u)
		processed++
	}
	if processed == 0 && throttled != nil {
		// Nothing could be written: DynamoDB fails the whole call.
		return nil, throttled
	}
	out.ConsumedCapacity = consumedList(usages, in.ReturnConsumedCapacity, false)
	return out, nil
}

// writeRequestItem is the item a write request puts or the key it
// deletes.
func writeRequestItem(r WriteRequest) Item {
	if r.PutRequest != nil {
		return r.PutRequest.Item
	}
	return r.DeleteRequest.Key
}
