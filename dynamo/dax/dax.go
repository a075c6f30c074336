package dax

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// Client is the data-plane API that a DynamoDB table and a DAX cluster
// share, so that application code written against it runs unchanged on
// either: *dynamo.DB satisfies it, and so does *Cluster.
type Client interface {
	GetItem(context.Context, *dynamo.GetItemInput) (*dynamo.GetItemOutput, error)
	PutItem(context.Context, *dynamo.PutItemInput) (*dynamo.PutItemOutput, error)
	UpdateItem(context.Context, *dynamo.UpdateItemInput) (*dynamo.UpdateItemOutput, error)
	DeleteItem(context.Context, *dynamo.DeleteItemInput) (*dynamo.DeleteItemOutput, error)
	BatchGetItem(context.Context, *dynamo.BatchGetItemInput) (*dynamo.BatchGetItemOutput, error)
	BatchWriteItem(context.Context, *dynamo.BatchWriteItemInput) (*dynamo.BatchWriteItemOutput, error)
	Query(context.Context, *dynamo.QueryInput) (*dynamo.QueryOutput, error)
	Scan(context.Context, *dynamo.ScanInput) (*dynamo.ScanOutput, error)
	TransactGetItems(context.Context, *dynamo.TransactGetItemsInput) (*dynamo.TransactGetItemsOutput, error)
	TransactWriteItems(context.Context, *dynamo.TransactWriteItemsInput) (*dynamo.TransactWriteItemsOutput, error)
}

// Backend is what a cluster sits in front of: a Client that can describe
// its tables, so that the cluster learns their keys. *dynamo.DB is one.
type Backend interface {
	Client
	DescribeTable(context.Context, *dynamo.DescribeTableInput) (*dynamo.DescribeTableOutput, error)
}

// Options configures a [Cluster]. The zero value is DAX's defaults on the
// real clock.
type Options struct {
	// Clock decides when cached entries expire. Nil means clock.Real().
	Clock clock.Clock
	// ItemTTL is how long the item cache keeps a result: 5 minutes by
	// default, as DAX's record-ttl-millis parameter.
	ItemTTL time.Duration
	// QueryTTL is how long the query cache keeps a result: 5 minutes by
	// default, as DAX's query-ttl-millis parameter.
	QueryTTL time.Duration
	// ItemCacheBytes and QueryCacheBytes bound each cache's memory; the
	// least recently used entries are evicted beyond it. DAX sizes its
	// caches by node type; the default is 64 MiB each.
	ItemCacheBytes  int64
	QueryCacheBytes int64
}

func (o Options) withDefaults() Options {
	if o.ItemTTL <= 0 {
		o.ItemTTL = 5 * time.Minute
	}
	if o.QueryTTL <= 0 {
		o.QueryTTL = 5 * time.Minute
	}
	if o.ItemCacheBytes <= 0 {
		o.ItemCacheBytes = 64 << 20
	}
	if o.QueryCacheBytes <= 0 {
		o.QueryCacheBytes = 64 << 20
	}
	o.Clock = clock.Or(o.Clock)
	return o
}

// Cluster is a DAX cluster in front of a table backend: a write-through
// item cache for GetItem and BatchGetItem and a query cache for Query and
// Scan. It is safe for concurrent use.
type Cluster struct {
	backend Backend
	opts    Options
	items   *lru
	queries *lru

	mu      sync.Mutex
	schemas map[string][]string // table -> key attribute names
}

// New returns a cluster in front of backend.
func New(backend Backend, opts Options) *Cluster {
	opts = opts.withDefaults()
	return &Cluster{
		backend: backend,
		opts:    opts,
		items:   newLRU(opts.ItemCacheBytes, opts.ItemTTL),
		queries: newLRU(opts.QueryCacheBytes, opts.QueryTTL),
		schemas: map[string][]string{},
	}
}

// Stats counts what the caches did, as DAX's CloudWatch metrics do.
type Stats struct {
	// ItemCacheHits and ItemCacheMisses count GetItem and BatchGetItem
	// keys served from the item cache or fetched from the table.
	ItemCacheHits, ItemCacheMisses int64
	// QueryCacheHits and QueryCacheMisses count Query and Scan requests.
	QueryCacheHits, QueryCacheMisses int64
	// Evictions count entries dropped to make room (not the expired).
	ItemCacheEvictions, QueryCacheEvictions int64
	// EvictedBytes is the size of everything evicted.
	EvictedBytes int64
	// Expirations count entries found past their TTL.
	ItemCacheExpirations, QueryCacheExpirations int64
	// ItemCacheBytes and QueryCacheBytes are the memory in use; entries
	// the number of results held.
	ItemCacheBytes, QueryCacheBytes     int64
	ItemCacheEntries, QueryCacheEntries int64
}

// Stats returns the caches' counters.
func (c *Cluster) Stats() Stats {
	var s Stats
	var ib, qb int64
	s.ItemCacheHits, s.ItemCacheMisses, s.ItemCacheEvictions, ib, s.ItemCacheExpirations, s.ItemCacheBytes, s.ItemCacheEntries = c.items.stats()
	s.QueryCacheHits, s.QueryCacheMisses, s.QueryCacheEvictions, qb, s.QueryCacheExpirations, s.QueryCacheBytes, s.QueryCacheEntries = c.queries.stats()
	s.EvictedBytes = ib + qb
	return s
}

// keyNames returns a table's key attribute names, asking the backend the
// first time.
func (c *Cluster) keyNames(ctx context.Context, table string) ([]string, error) {
	c.mu.Lock()
	names, ok := c.schemas[table]
	c.mu.Unlock()
	if ok {
		return names, nil
	}
	out, err := c.backend.DescribeTable(ctx, &dynamo.DescribeTableInput{TableName: table})
	if err != nil {
		return nil, err
	}
	for _, k := range out.Table.KeySchema {
		names = append(names, k.AttributeName)
	}
	c.mu.Lock()
	c.schemas[table] = names
	c.mu.Unlock()
	return names, nil
}

// itemID identifies an item: its table and its key.
func itemID(table string, key dynamo.Item) string {
	w := keyWriter{buf: make([]byte, 0, 64)}
	w.str(table)
	w.item(key)
	return string(w.buf)
}

// keyOf returns the key attributes of an item.
func keyOf(names []string, item dynamo.Item) dynamo.Item {
	k := make(dynamo.Item, len(names))
	for _, n := range names {
		k[n] = item[n]
	}
	return k
}

// itemEntryKey is the item cache key of a read: the item and how it is
// projected.
func itemEntryKey(id, projection string, names map[string]string) string {
	w := keyWriter{buf: make([]byte, 0, len(id)+len(projection)+16)}
	w.buf = append(w.buf, id...)
	w.str(projection)
	w.names(names)
	return string(w.buf)
}

// itemKeys returns a read's item ID and its cache key in one string: the
// ID is a prefix of the key.
func itemKeys(table string, key dynamo.Item, projection string, names map[string]string) (id, entryKey string) {
	w := keyWriter{buf: make([]byte, 0, 96)}
	w.str(table)
	w.item(key)
	n := len(w.buf)
	w.str(projection)
	w.names(names)
	entryKey = string(w.buf)
	return entryKey[:n], entryKey
}

// cachedItem is an item cache entry: nil Item for an item that does not
// exist (a negative result).
type cachedItem struct{ item dynamo.Item }

// GetItem reads an item through the item cache. A strongly consistent
// read (ConsistentRead) goes to the table and is not cached. Absent items
// are cached too (negative caching). A hit consumes no capacity and
// reports none.
func (c *Cluster) GetItem(ctx context.Context, in *dynamo.GetItemInput) (*dynamo.GetItemOutput, error) {
	if in == nil || in.ConsistentRead {
		return c.backend.GetItem(ctx, in)
	}
	id, key := itemKeys(in.TableName, in.Key, in.ProjectionExpression, in.ExpressionAttributeNames)
	now := c.opts.Clock.Now()
	if v, ok := c.items.get(key, now); ok {
		return &dynamo.GetItemOutput{Item: copyItem(v.(cachedItem).item)}, nil
	}
	out, err := c.backend.GetItem(ctx, in)
	if err != nil {
		return nil, err
	}
	c.items.put(key, id, cachedItem{copyItem(out.Item)}, itemSize(out.Item), now)
	return out, nil
}

// storeItem caches the whole item written to the table (nil for one
// deleted), after dropping every cached projection of it.
func (c *Cluster) storeItem(table string, key, item dynamo.Item) {
	id := itemID(table, key)
	c.items.invalidate(id)
	c.items.put(itemEntryKey(id, "", nil), id, cachedItem{canonicalItem(item)}, itemSize(item), c.opts.Clock.Now())
}

// PutItem writes through to the table, then puts the item in the item
// cache. The query cache is not touched: cached Query and Scan results
// stay as they were until their TTL, as in DAX.
func (c *Cluster) PutItem(ctx context.Context, in *dynamo.PutItemInput) (*dynamo.PutItemOutput, error) {
	out, err := c.backend.PutItem(ctx, in)
	if err != nil {
		return nil, err
	}
	names, err := c.keyNames(ctx, in.TableName)
	if err != nil {
		return out, nil
	}
	c.storeItem(in.TableName, keyOf(names, in.Item), in.Item)
	return out, nil
}

// UpdateItem writes through to the table and caches the item as it is
// after the update. When the request asks for the old or only the updated
// attributes, the new item is not known and its cached entries are
// dropped instead.
func (c *Cluster) UpdateItem(ctx context.Context, in *dynamo.UpdateItemInput) (*dynamo.UpdateItemOutput, error) {
	if in == nil {
		return c.backend.UpdateItem(ctx, in)
	}
	req := *in
	rv := in.ReturnValues
	wantNew := rv == "" || rv == dynamo.ReturnValueNone || rv == dynamo.ReturnValueAllNew
	if wantNew {
		req.ReturnValues = dynamo.ReturnValueAllNew
	}
	out, err := c.backend.UpdateItem(ctx, &req)
	if err != nil {
		return nil, err
	}
	id := itemID(in.TableName, in.Key)
	if !wantNew {
		c.items.invalidate(id)
		return out, nil
	}
	c.storeItem(in.TableName, in.Key, out.Attributes)
	if rv != dynamo.ReturnValueAllNew {
		res := *out
		res.Attributes = nil
		return &res, nil
	}
	return out, nil
}

// DeleteItem writes through to the table and caches the item as absent.
func (c *Cluster) DeleteItem(ctx context.Context, in *dynamo.DeleteItemInput) (*dynamo.DeleteItemOutput, error) {
	out, err := c.backend.DeleteItem(ctx, in)
	if err != nil {
		return nil, err
	}
	c.storeItem(in.TableName, in.Key, nil)
	return out, nil
}

// BatchGetItem serves the keys it holds from the item cache and asks the
// table for the rest in one call. Tables read with ConsistentRead bypass
// the cache.
func (c *Cluster) BatchGetItem(ctx context.Context, in *dynamo.BatchGetItemInput) (*dynamo.BatchGetItemOutput, error) {
	if in == nil {
		return c.backend.BatchGetItem(ctx, in)
	}
	now := c.opts.Clock.Now()
	out := &dynamo.BatchGetItemOutput{Responses: map[string][]dynamo.Item{}, UnprocessedKeys: map[string]dynamo.KeysAndAttributes{}}
	miss := &dynamo.BatchGetItemInput{RequestItems: map[string]dynamo.KeysAndAttributes{}, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	// waiting holds, per table and item, the cache key each missed key
	// will be stored under.
	waiting := map[string]map[string]string{}
	for table, ka := range in.RequestItems {
		if ka.ConsistentRead {
			miss.RequestItems[table] = ka
			continue
		}
		rest := ka
		rest.Keys = nil
		for _, k := range ka.Keys {
			id, ek := itemKeys(table, k, ka.ProjectionExpression, ka.ExpressionAttributeNames)
			if v, ok := c.items.get(ek, now); ok {
				if item := v.(cachedItem).item; item != nil {
					out.Responses[table] = append(out.Responses[table], copyItem(item))
				}
				continue
			}
			rest.Keys = append(rest.Keys, k)
			if waiting[table] == nil {
				waiting[table] = map[string]string{}
			}
			waiting[table][id] = ek
		}
		if len(rest.Keys) > 0 {
			miss.RequestItems[table] = rest
		}
	}
	if len(miss.RequestItems) == 0 {
		return out, nil
	}
	res, err := c.backend.BatchGetItem(ctx, miss)
	if err != nil {
		return nil, err
	}
	out.ConsumedCapacity = res.ConsumedCapacity
	for table, items := range res.Responses {
		out.Responses[table] = append(out.Responses[table], items...)
		if waiting[table] == nil {
			continue
		}
		names, err := c.keyNames(ctx, table)
		if err != nil {
			continue
		}
		for _, item := range items {
			id := itemID(table, keyOf(names, item))
			if ek, ok := waiting[table][id]; ok {
				c.items.put(ek, id, cachedItem{copyItem(item)}, itemSize(item), now)
				delete(waiting[table], id)
			}
		}
	}
	// Keys neither returned nor left unprocessed do not exist.
	unprocessed := map[string]bool{}
	for table, ka := range res.UnprocessedKeys {
		out.UnprocessedKeys[table] = ka
		for _, k := range ka.Keys {
			unprocessed[itemID(table, k)] = true
		}
	}
	for _, ids := range waiting {
		for id, ek := range ids {
			if !unprocessed[id] {
				c.items.put(ek, id, cachedItem{}, 0, now)
			}
		}
	}
	return out, nil
}

// BatchWriteItem writes through to the table and updates the item cache
// for the requests processed.
func (c *Cluster) BatchWriteItem(ctx context.Context, in *dynamo.BatchWriteItemInput) (*dynamo.BatchWriteItemOutput, error) {
	out, err := c.backend.BatchWriteItem(ctx, in)
	if err != nil {
		return nil, err
	}
	for table, reqs := range in.RequestItems {
		names, err := c.keyNames(ctx, table)
		if err != nil {
			continue
		}
		skipped := map[string]bool{}
		for _, r := range out.UnprocessedItems[table] {
			switch {
			case r.PutRequest != nil:
				skipped[itemID(table, keyOf(names, r.PutRequest.Item))] = true
			case r.DeleteRequest != nil:
				skipped[itemID(table, r.DeleteRequest.Key)] = true
			}
		}
		for _, r := range reqs {
			switch {
			case r.PutRequest != nil:
				key := keyOf(names, r.PutRequest.Item)
				if !skipped[itemID(table, key)] {
					c.storeItem(table, key, r.PutRequest.Item)
				}
			case r.DeleteRequest != nil:
				if !skipped[itemID(table, r.DeleteRequest.Key)] {
					c.storeItem(table, r.DeleteRequest.Key, nil)
				}
			}
		}
	}
	return out, nil
}

// TransactWriteItems writes through to the table. Items put or deleted
// are cached as written; items updated are dropped from the cache.
func (c *Cluster) TransactWriteItems(ctx context.Context, in *dynamo.TransactWriteItemsInput) (*dynamo.TransactWriteItemsOutput, error) {
	out, err := c.backend.TransactWriteItems(ctx, in)
	if err != nil {
		return nil, err
	}
	for _, a := range in.TransactItems {
		switch {
		case a.Put != nil:
			if names, err := c.keyNames(ctx, a.Put.TableName); err == nil {
				c.storeItem(a.Put.TableName, keyOf(names, a.Put.Item), a.Put.Item)
			}
		case a.Delete != nil:
			c.storeItem(a.Delete.TableName, a.Delete.Key, nil)
		case a.Update != nil:
			c.items.invalidate(itemID(a.Update.TableName, a.Update.Key))
		}
	}
	return out, nil
}

// TransactGetItems goes to the table: DAX does not serve transactional
// reads from its cache.
func (c *Cluster) TransactGetItems(ctx context.Context, in *dynamo.TransactGetItemsInput) (*dynamo.TransactGetItemsOutput, error) {
	return c.backend.TransactGetItems(ctx, in)
}

// queryKey is the query cache key of a request: everything that decides
// its result.
func queryKey(op string, parts []string, names map[string]string, values map[string]dynamo.AttributeValue, esk dynamo.Item) string {
	var w keyWriter
	w.str(op)
	for _, p := range parts {
		w.str(p)
	}
	w.names(names)
	w.item(dynamo.Item(values))
	w.item(esk)
	return string(w.buf)
}

func itemsSize(items []dynamo.Item) int64 {
	var n int64
	for _, it := range items {
		n += itemSize(it)
	}
	return n
}

// Query reads through the query cache: an identical request within the
// query TTL gets the same result, even if the table changed since,
// through this cluster or not. ConsistentRead bypasses the cache.
func (c *Cluster) Query(ctx context.Context, in *dynamo.QueryInput) (*dynamo.QueryOutput, error) {
	if in == nil || in.ConsistentRead {
		return c.backend.Query(ctx, in)
	}
	forward := "true"
	if in.ScanIndexForward != nil && !*in.ScanIndexForward {
		forward = "false"
	}
	key := queryKey("Query", []string{in.TableName, in.IndexName, in.KeyConditionExpression, in.FilterExpression,
		in.ProjectionExpression, string(in.Select), strconv.Itoa(in.Limit), forward}, in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ExclusiveStartKey)
	now := c.opts.Clock.Now()
	if v, ok := c.queries.get(key, now); ok {
		res := *v.(*dynamo.QueryOutput)
		res.Items, res.LastEvaluatedKey = copyItems(res.Items), copyItem(res.LastEvaluatedKey)
		return &res, nil
	}
	out, err := c.backend.Query(ctx, in)
	if err != nil {
		return nil, err
	}
	cached := *out
	cached.Items, cached.LastEvaluatedKey, cached.ConsumedCapacity = copyItems(out.Items), copyItem(out.LastEvaluatedKey), nil
	c.queries.put(key, "", &cached, itemsSize(out.Items), now)
	return out, nil
}

// Scan reads through the query cache, as Query does.
func (c *Cluster) Scan(ctx context.Context, in *dynamo.ScanInput) (*dynamo.ScanOutput, error) {
	if in == nil || in.ConsistentRead {
		return c.backend.Scan(ctx, in)
	}
	key := queryKey("Scan", []string{in.TableName, in.IndexName, in.FilterExpression, in.ProjectionExpression, string(in.Select),
		strconv.Itoa(in.Limit), strconv.Itoa(in.Segment), strconv.Itoa(in.TotalSegments)}, in.ExpressionAttributeNames, in.ExpressionAttributeValues, in.ExclusiveStartKey)
	now := c.opts.Clock.Now()
	if v, ok := c.queries.get(key, now); ok {
		res := *v.(*dynamo.ScanOutput)
		res.Items, res.LastEvaluatedKey = copyItems(res.Items), copyItem(res.LastEvaluatedKey)
		return &res, nil
	}
	out, err := c.backend.Scan(ctx, in)
	if err != nil {
		return nil, err
	}
	cached := *out
	cached.Items, cached.LastEvaluatedKey, cached.ConsumedCapacity = copyItems(out.Items), copyItem(out.LastEvaluatedKey), nil
	c.queries.put(key, "", &cached, itemsSize(out.Items), now)
	return out, nil
}

var _ Client = (*Cluster)(nil)
var _ Backend = (*dynamo.DB)(nil)
