// Package dynamo is an in-process Amazon DynamoDB: tables, items, the
// expression languages, Query and Scan, and secondary indexes, with
// DynamoDB's semantics, limits and error messages.
//
// Operations mirror the DynamoDB API by name and field names, so the AWS
// documentation reads straight onto this package:
//
//	db := dynamo.New(dynamo.Options{})
//	db.CreateTable(ctx, &dynamo.CreateTableInput{
//		TableName:            "orders",
//		AttributeDefinitions: []dynamo.AttributeDefinition{{"pk", "S"}, {"sk", "N"}},
//		KeySchema:            []dynamo.KeySchemaElement{{"pk", dynamo.KeyTypeHash}, {"sk", dynamo.KeyTypeRange}},
//		BillingMode:          dynamo.BillingModePayPerRequest,
//	})
//	db.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders",
//		Item: dynamo.Item{"pk": dynamo.S("user#1"), "sk": dynamo.N("1"), "total": dynamo.N("9.99")}})
//
// # Values
//
// An item is a map of attribute names to values of the ten DynamoDB types,
// whose Go types are named as in DynamoDB JSON: [S], [N], [B], [BOOL],
// [NULL], [L], [M], [SS], [NS] and [BS]. Numbers are exact decimals of up to
// 38 significant digits, between 1E-130 and 9.9999999999999999999999999999999999999E+125
// in magnitude, never floats; they are stored in canonical form, so "1.50"
// and "1.5" are the same number and the same key. Sets are non-empty and
// without duplicates. Empty strings and binaries are allowed except in key
// attributes. A partition key is at most 2,048 bytes, a sort key at most
// 1,024, an item at most 400 KB counting attribute names and values by
// DynamoDB's rules, and lists and maps nest at most 32 levels.
//
// # Consistency and isolation
//
// Every operation on one item is atomic and isolated: a conditional write
// evaluates its ConditionExpression and writes under the table's lock, so
// two writers can never both see the condition hold. A write whose condition
// fails returns [ConditionalCheckFailedException] and changes nothing; so
// does a write rejected for any other reason. Reads always see the latest
// committed write: minicloud does not model the brief staleness of
// DynamoDB's eventually consistent reads, so ConsistentRead is accepted (and
// rejected on global secondary indexes, as DynamoDB rejects it) but changes
// nothing. Indexes are updated in the same step as the table.
//
// A Query or Scan page is read under one read lock, so a page is a
// consistent snapshot; successive pages are not.
//
// # Query and Scan
//
// Items live in a B-tree ordered by the hash of the partition key and then
// the sort key, so a Query costs O(log n + k) for k items read, and a Scan
// walks partitions in hash order, as DynamoDB's does, not in key order.
// Sort keys order as DynamoDB orders them: numbers numerically, strings and
// binaries by unsigned bytes. Limit counts items read before the
// FilterExpression, and a page stops at 1 MB of data read, also before the
// filter; Count and ScannedCount report after and before it. A page that
// stops at Limit or 1 MB returns a LastEvaluatedKey, even when no items
// remain, as DynamoDB does. Parallel Scan segments are ranges of the
// partition hash.
//
// # Secondary indexes
//
// A table has up to 5 local secondary indexes, defined at creation, and 20
// global secondary indexes, defined at creation or added and removed with
// UpdateTable (one per call; a new index is backfilled from the table).
// Indexes are sparse: an item without the index key attributes, or with
// them of another type than defined, is absent from the index. Projections
// KEYS_ONLY, INCLUDE and ALL decide what an index query returns; a local
// index fetches unprojected attributes from the table when asked for them,
// a global index cannot.
//
// # Table statistics and control plane
//
// CreateTable, UpdateTable and DeleteTable answer with the CREATING,
// UPDATING and DELETING statuses DynamoDB answers with, but take effect at
// once. ItemCount, TableSizeBytes and their index counterparts are
// refreshed every six hours of clock time, as DynamoDB refreshes them;
// Options.LiveTableStats makes them exact at every call.
//
// # Errors
//
// Errors are [*Error] values with DynamoDB's code, message and HTTP
// status; match them with errors.Is against the sentinels ([ErrValidation],
// [ErrResourceNotFound], [ErrConditionalCheckFailed], …).
//
// # Not yet modelled
//
// Batch and transaction operations, capacity accounting and throttling,
// TTL, streams, PartiQL, backups and global tables are not implemented yet,
// nor are the legacy parameters (Expected, AttributesToGet, KeyConditions,
// QueryFilter, ScanFilter, AttributeUpdates) that expressions replaced.
package dynamo
