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
// # Capacity
//
// Every operation takes ReturnConsumedCapacity (NONE, TOTAL or INDEXES)
// and is charged by DynamoDB's rules. A read costs one unit per 4 KB of
// the whole item (whatever the projection), half a unit when eventually
// consistent and two when transactional; a missing item costs the
// minimum. A Query or Scan page costs the total size of what it read,
// before the filter and the projection, rounded up to 4 KB once per page;
// items a local index fetches from the table cost one read each on the
// table. A write costs one unit per KB of the larger of the old and new
// item, two in a transaction (a ConditionCheck too); a write refused by
// its condition still costs the existing item's size. Each secondary
// index a write changes costs one write per entry added, changed or
// removed, two when its key changes, none when its entry stays the same.
// Batches charge each item as its own request.
//
// A PROVISIONED table and each global secondary index have a token bucket
// per dimension, filled on the clock at the provisioned rate and holding
// up to 300 seconds of unused capacity (burst capacity); a new one starts
// with one second's worth. A request is admitted while its bucket holds
// anything and then charged what it consumed, so a large item borrows from
// the next seconds; otherwise it fails with
// ProvisionedThroughputExceededException and consumes nothing. A write
// that would change a GSI whose bucket is empty is refused too (GSI
// back-pressure). BatchGetItem and BatchWriteItem return what found no
// capacity in UnprocessedKeys and UnprocessedItems and fail only when
// nothing could be done; a transaction is cancelled with
// ProvisionedThroughputExceeded reasons. Local indexes share the table's
// capacity. PAY_PER_REQUEST tables are counted, not limited, unless
// [CapacityLimits] sets a per-table quota (RequestLimitExceeded).
// Throughput may be decreased 4 times a UTC day and then once an hour
// after the last decrease, and a table may switch to PAY_PER_REQUEST 4
// times in 24 hours. [DB.UpdateTableAutoScaling] sets target tracking
// auto scaling, evaluated every minute of clock time: two minutes above
// the target utilization scale out to what was consumed over the target,
// fifteen minutes more than 20 points below it scale in, within the
// minimum, the maximum and the decrease budget.
//
// [DB.TableUsage] reports the units consumed and throttled per table and
// index, and [DB.Bill] prices them with DynamoDB's published us-east-1
// prices ([DefaultPrices], overridable in [CapacityOptions]): request units
// of on-demand tables, capacity-hours of provisioned tables and indexes,
// storage in GB-months (items and index entries with 100 bytes of overhead
// each) per table class, less the free tier.
//
// # Streams
//
// A table's StreamSpecification (CreateTable, UpdateTable) turns on a
// DynamoDB stream with one of four view types: KEYS_ONLY, NEW_IMAGE,
// OLD_IMAGE or NEW_AND_OLD_IMAGES. Every committed change to an item
// yields exactly one [Record] — INSERT, MODIFY or REMOVE, with the keys,
// the images the view type asks for, a sequence number and the commit
// time rounded down to the second — appended under the table's lock, so
// records are in commit order. A write that leaves the item as it was (a
// PutItem of the same item, an UpdateItem that sets what is there, a
// DeleteItem of a missing item) yields none, and so does a write refused
// by its condition or a cancelled transaction. Records marshal to the JSON
// that Lambda delivers and events.DynamoDBEventRecord of aws-lambda-go
// reads.
//
// A stream is a chain of shards: one is open at a time and rolls over
// every four hours of clock time ([StreamOptions]), closing with an
// ending sequence number and leaving a child whose ParentShardId names
// it. Records are kept 24 hours; an iterator or sequence number pointing
// at trimmed records is TrimmedDataAccessException, and closed shards
// disappear 24 hours after they close. Shard iterators (TRIM_HORIZON,
// LATEST, AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER) expire after 15
// minutes (ExpiredIteratorException); each GetRecords returns at most
// 1,000 records and 1 MB, and the next iterator, none once a closed shard
// is read to its end. More than two readers on one shard within a second
// — a reader is the chain of iterators that began with one
// GetShardIterator — are throttled with LimitExceededException. Disabling
// the stream, or deleting the table, closes it; it stays readable, and
// listed by ListStreams, for 24 hours. Enabling it again starts a new
// stream with a new ARN and label. [StreamSource] gives the same stream to
// a consumer, such as a Lambda event source mapping, through methods of
// standard types only, with a channel that signals new records, so that
// the consumer declares its own interface and never imports this package.
//
// # Time to Live
//
// UpdateTimeToLive names an attribute holding each item's expiry time, a
// Number of seconds since the epoch. An item whose time has passed is
// deleted in the background, on the clock, 48 hours later by default
// ([TTLOptions] sets the delay, or none for tests): until then reads,
// queries and scans still return it, as DynamoDB's do for days, so
// applications check the expiry themselves. Items without the attribute,
// with another type, or expired more than five years ago are never
// deleted. A deletion consumes no capacity and appears in the stream as a
// REMOVE whose userIdentity is {"type":"Service","principalId":
// "dynamodb.amazonaws.com"}. Deletions run from one clock timer per table,
// in the order they fall due, so advancing a [clock.Manual] by 48 hours
// performs every deletion due in that time, in order; Close stops the
// timers. A table accepts one Time to Live change an hour.
//
// # Kinesis Data Streams destination
//
// [DB.CreateKinesisStream] creates a Kinesis data stream (1 to 500 shards,
// records kept 24 hours to one year) and
// [DB.EnableKinesisStreamingDestination] streams a table's changes to it:
// one record per change, both images always, partitioned by the item's
// partition key, with its ApproximateCreationDateTime in milliseconds or
// microseconds ([KinesisChange]). Any number of consumers read a
// [KinesisStream] with their own iterators, which expire after five
// minutes. Delivery is at least once: a change may arrive twice, with the
// same eventID ([KinesisOptions].DuplicateRate reproduces it), and
// changes of different items may arrive in another order than they were
// made, so consumers must be idempotent and order by
// ApproximateCreationDateTime.
//
// # DAX
//
// Package dynamo/dax puts a DynamoDB Accelerator cache in front of a DB,
// behind the same client interface: a write-through item cache and a
// query cache whose results stay until their TTL.
//
// # PartiQL
//
// [DB.ExecuteStatement], [DB.BatchExecuteStatement] and
// [DB.ExecuteTransaction] run DynamoDB's subset of PartiQL by translating
// each statement into the operations above, as DynamoDB does: a condition
// means what the same ConditionExpression means, and capacity, limits and
// errors are the operations'. Names are double-quoted ("Music",
// "my-table"), strings single-quoted (a quote inside is doubled);
// literals are numbers, TRUE, FALSE, NULL, lists [...], maps {'k': v} and
// string or number sets <<...>>; ? is a parameter taken from Parameters in
// order.
//
// SELECT reads a table or "table"."index". When every way its WHERE can
// hold fixes the partition key with = (or IN, or an OR of such), it runs
// one Query per partition key value, at most 50, using the first sort key
// condition of each as its key condition and the rest as the filter;
// otherwise it Scans the whole table or index, which DynamoDB allows
// unless the caller's IAM policy denies it ([WithFullTableScansDenied]).
// Limit counts items read before the filter, a page stops at 1 MB and
// reads at most 10 partitions, and NextToken continues it. INSERT puts an
// item that must not exist (DuplicateItemException); UPDATE (SET, REMOVE,
// set_add, set_delete, list_append, if_not_exists, + and -) changes an
// item that must exist; DELETE deletes one. Both name the full primary key
// with = in their WHERE, whose other terms are the write's condition, and
// may return the item with RETURNING. A batch is up to 25 reads of one item
// each or 25 writes, each succeeding or failing on its own; a transaction
// is up to 100 reads or 100 writes (EXISTS(SELECT ...) checks a condition)
// that all happen or none does.
//
// # Backups and point-in-time recovery
//
// [DB.UpdateContinuousBackups] turns on point-in-time recovery with a
// recovery period of 1 to 35 days (35 by default). From then on the table
// keeps every committed change of the period, and
// [DB.RestoreTableToPointInTime] creates a new table holding exactly the
// items of any moment between EarliestRestorableDateTime (when recovery
// was turned on, or the start of the period) and LatestRestorableDateTime
// (five minutes ago), with the source's key schema, indexes, billing,
// capacity and class. [DB.CreateBackup] takes an on-demand backup, kept
// until [DB.DeleteBackup], and [DB.RestoreTableFromBackup] restores it as
// a new table; deleting a table with recovery on keeps a SYSTEM backup
// for 35 days. Images share the table's immutable records through a
// copy-on-write B-tree, so a backup costs O(1) and never slows the table.
//
// # Export and import
//
// [DB.ExportTableToPointInTime] writes a full or incremental export to an
// [ObjectStore] ([MemoryStore], [DirStore] or your own) in DynamoDB's
// layout: AWSDynamoDB/<export-id>/ with data/*.json.gz in DynamoDB JSON
// (or *.ion.gz in Amazon Ion text) and the manifest files.
// [DB.ImportTable] builds a new table from DYNAMODB_JSON, ION or CSV
// objects, plain or gzipped; a bad line is skipped,
// counted in ErrorCount and described in [DB.ImportLog]. Both stay
// IN_PROGRESS on the clock for [ArchiveOptions].Duration and consume no
// capacity.
//
// # Regions and global tables
//
// An [Account] holds one DB per region on one clock. UpdateTable's
// ReplicaUpdates adds a replica of a table (which needs a stream with
// NEW_AND_OLD_IMAGES) in another region, version 2019.11.21. Every
// replica takes reads and writes; a write reaches the others after
// [AccountOptions].ReplicationDelay (one second by default), in commit
// order, and appears in their streams as an ordinary record without a
// userIdentity (a replicated Time to Live deletion too, as DynamoDB
// documents). Concurrent writes of one item converge by last writer
// wins on the write time; equal times go to the greater region name in
// byte order, so every replica picks the same winner. Deletions, Time to
// Live's included, replicate like writes.
//
// # Errors
//
// Errors are [*Error] values with DynamoDB's code, message and HTTP
// status; match them with errors.Is against the sentinels ([ErrValidation],
// [ErrResourceNotFound], [ErrConditionalCheckFailed], …).
//
// # Not yet modelled
//
// Capacity is one bucket per table and index: partitions, adaptive
// capacity, warm throughput, reserved capacity and on-demand's scaling
// from the previous peak are not modelled. A stream has one open shard at
// a time rather than one per partition, its SizeBytes counts the keys and
// images as item sizes are counted, and streams, Time to Live and Kinesis
// destinations are ENABLED (or ACTIVE) at once, without the ENABLING
// interval. Kinesis streams do not reshard and have no per-shard
// throughput limits. PartiQL's error messages follow DynamoDB's where
// they are known, but syntax errors name a coarser cause than DynamoDB's
// parser does. Restores, exports, imports and replica changes take effect
// at once or on a fixed delay, not at DynamoDB's speed; Ion binary
// and settings replication between replicas are not modelled, nor are the
// legacy parameters (Expected, AttributesToGet, KeyConditions,
// QueryFilter, ScanFilter, AttributeUpdates) that expressions replaced.
package dynamo
