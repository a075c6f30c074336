// Package dax is an in-process DynamoDB Accelerator: a cache that
// presents the same client interface as a DynamoDB table and sits in
// front of one, so that application code written against [Client] runs
// unchanged with or without it.
//
//	db := dynamo.New(dynamo.Options{})
//	var client dax.Client = db             // straight to the table
//	client = dax.New(db, dax.Options{})    // or through the cache
//
// # Two caches
//
// The item cache holds the results of GetItem and BatchGetItem, one entry
// per key and projection. The query cache holds the results of Query and
// Scan, one entry per request: the same key condition, filter,
// projection, names, values, limit and start key. Each entry lives for its
// cache's TTL, 5 minutes by default (DAX's record-ttl-millis and
// query-ttl-millis), and each cache is bounded in bytes, evicting the
// least recently used entries to make room. Results that found nothing
// are cached as well (negative caching): a GetItem of a missing key, a
// Query that matched no item.
//
// # Writes
//
// PutItem, UpdateItem, DeleteItem, BatchWriteItem and TransactWriteItems
// go through to the table; when the table accepts them, the item cache is
// updated with the item as written (an absent item for a delete), so a
// read through the cluster sees its own writes. The query cache is not:
// a Query or Scan answered from it stays as it was until its TTL runs
// out, even if its items changed — as in DAX, where applications that
// cannot read stale query results must query the table. Writes made to
// the table directly, not through the cluster, reach neither cache until
// their entries expire.
//
// # Consistency
//
// Reads through the caches are eventually consistent. A read with
// ConsistentRead goes to the table and is neither answered from nor stored
// in a cache, as DAX passes strongly consistent reads through.
// TransactGetItems also goes to the table.
//
// # Observability
//
// [Cluster.Stats] counts hits, misses, evictions and expirations of each
// cache, the numbers DAX reports to CloudWatch (ItemCacheHits,
// QueryCacheMisses, …), so a test can show the read load a cache takes off
// a table.
//
// # Not modelled
//
// A DAX cluster's nodes, their replication lag and failover, its own
// endpoint and wire protocol, and the write-around behaviour of DAX
// clients on errors are not modelled: a Cluster is one node in the same
// process as its table.
package dax
