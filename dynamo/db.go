package dynamo

import (
	"fmt"
	"math/rand/v2"
	"sync"

	"github.com/minicloud/minicloud/clock"
)

// Options configures a [DB]. The zero value is a DynamoDB in us-east-1 of
// account 123456789012 on the real clock with AWS's default quotas.
type Options struct {
	// Clock is the time source for creation times, table statistics and
	// every timed behaviour. Nil means clock.Real().
	Clock clock.Clock
	// Region names the simulated region in ARNs. Default "us-east-1".
	Region string
	// AccountID is the account in ARNs. Default "123456789012".
	AccountID string
	// Seed seeds the random source for table IDs, so that a run on a
	// manual clock is reproducible. Zero means seed 1.
	Seed uint64
	// Limits overrides DynamoDB's quotas; zero fields keep AWS's defaults.
	Limits Limits
	// LiveTableStats makes DescribeTable report ItemCount and
	// TableSizeBytes as of the call. By default they are refreshed every
	// six hours of clock time, as DynamoDB refreshes them.
	LiveTableStats bool
	// Capacity configures throttling, auto scaling limits and the cost
	// meter; its zero value is DynamoDB's with us-east-1 prices.
	Capacity CapacityOptions
	// Streams sets the timing and limits of DynamoDB Streams; zero fields
	// keep DynamoDB's.
	Streams StreamOptions
	// TTL says when Time to Live deletes expired items: 48 hours after
	// they expire by default.
	TTL TTLOptions
	// Kinesis configures the Kinesis streams that tables stream to.
	Kinesis KinesisOptions
	// Archive configures the object store and timing of exports and
	// imports (export.go, import.go).
	Archive ArchiveOptions
	// Faults, when not nil, is consulted at the start of every data and
	// table operation and for every item of a batch, to inject failures
	// (see [Faults]). A PartiQL statement is injected as the item
	// operation it runs (PutItem, GetItem, Query, …).
	Faults Faults
}

// Limits holds DynamoDB's quotas. A zero field means AWS's default, given
// in its comment. Source: "Service, account, and table quotas in Amazon
// DynamoDB" in the DynamoDB Developer Guide.
type Limits struct {
	// MaxTables is the number of tables per account per region: 2,500.
	MaxTables int
	// MaxGlobalSecondaryIndexes per table: 20.
	MaxGlobalSecondaryIndexes int
	// MaxLocalSecondaryIndexes per table: 5.
	MaxLocalSecondaryIndexes int
	// MaxProjectedAttributes is the number of NonKeyAttributes over all
	// INCLUDE projections of a table's indexes: 100.
	MaxProjectedAttributes int
	// MaxItemSize in bytes, names and values counted: 400 KB (409,600).
	MaxItemSize int
	// MaxPartitionKeySize in bytes: 2,048.
	MaxPartitionKeySize int
	// MaxSortKeySize in bytes: 1,024.
	MaxSortKeySize int
	// MaxPageSize is the data a Query or Scan reads per page before its
	// filter: 1 MB (1,048,576 bytes).
	MaxPageSize int
}

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	def(&l.MaxTables, 2500)
	def(&l.MaxGlobalSecondaryIndexes, 20)
	def(&l.MaxLocalSecondaryIndexes, 5)
	def(&l.MaxProjectedAttributes, 100)
	def(&l.MaxItemSize, 400*1024)
	def(&l.MaxPartitionKeySize, 2048)
	def(&l.MaxSortKeySize, 1024)
	def(&l.MaxPageSize, 1<<20)
	return l
}

// maxNestingDepth is DynamoDB's limit on nested lists and maps: 32 levels.
const maxNestingDepth = 32

// DB is one simulated DynamoDB endpoint: the tables of one account in one
// region. It is safe for concurrent use. Its zero value is not usable;
// create one with [New].
type DB struct {
	opts   Options
	clock  clock.Clock
	limits Limits

	mu     sync.RWMutex
	tables map[string]*table
	rand   *rand.Rand
	tokens tokens    // TransactWriteItems ClientRequestTokens
	exprs  exprCache // parsed condition and update expressions

	capacity capacityState // token buckets, meters, auto scaling

	streams streamRegistry  // DynamoDB Streams by ARN
	kinesis kinesisRegistry // Kinesis streams by ARN
	bg      background      // Time to Live timers

	backups backupRegistry // on-demand and system backups (backup.go)
	archive archiveState   // exports and imports (export.go, import.go)
	account *Account       // the account of a region, for global tables (region.go)
}

// New returns an empty DynamoDB configured by opts.
func New(opts Options) *DB {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	return &DB{
		opts:   opts,
		clock:  clock.Or(opts.Clock),
		limits: opts.Limits.withDefaults(),
		tables: make(map[string]*table),
		rand:   rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
	}
}

// Limits returns the quotas in force, AWS's defaults filled in.
func (db *DB) Limits() Limits { return db.limits }

// Close releases the DB and stops its background work (auto scaling,
// Time to Live).
func (db *DB) Close() error {
	db.stopAutoScaler()
	db.stopBackground()
	return nil
}

// table returns the named table or DynamoDB's ResourceNotFoundException.
func (db *DB) table(name string) (*table, error) {
	if err := validateTableName("TableName", name); err != nil {
		return nil, err
	}
	db.mu.RLock()
	t := db.tables[name]
	db.mu.RUnlock()
	if t == nil {
		return nil, ErrResourceNotFound.New("Requested resource not found")
	}
	return t, nil
}

// newUUID returns a version 4 UUID drawn from r.
func newUUID(r *rand.Rand) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := r.Uint64()
		for j := 0; j < 8; j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
