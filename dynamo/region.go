package dynamo

import (
	"regexp"
	"slices"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// AccountOptions configures an [Account].
type AccountOptions struct {
	// Clock is the one clock every region shares. Nil means clock.Real().
	Clock clock.Clock
	// AccountID is the account in every region's ARNs. Default
	// "123456789012".
	AccountID string
	// Regions are created at once; any other region is created on first
	// use by [Account.Region].
	Regions []string
	// Options is the template of every region's DB: its Clock,
	// AccountID and Region are set by the account. Seed is mixed with
	// the region name so that regions draw different IDs.
	Options Options
	// ReplicationDelay is how long a write takes to reach a global
	// table's other replicas. Zero means one second, DynamoDB's typical
	// replication latency. A negative value means as soon as possible:
	// one nanosecond, so that on a manual clock the writes arrive at the
	// next Advance, in order, and never while the writer waits.
	ReplicationDelay time.Duration
}

// Account is one simulated AWS account holding a DynamoDB per region,
// all on one clock, so that global tables can replicate between them. It
// is safe for concurrent use.
type Account struct {
	opts  AccountOptions
	clock clock.Clock

	mu      sync.Mutex
	regions map[string]*DB
}

// NewAccount returns an account with the regions of opts.
func NewAccount(opts AccountOptions) *Account {
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	a := &Account{opts: opts, clock: clock.Or(opts.Clock), regions: map[string]*DB{}}
	for _, r := range opts.Regions {
		a.Region(r)
	}
	return a
}

// regionPattern is the shape of AWS region names: us-east-1,
// ap-southeast-2, us-gov-west-1, eu-central-2.
var regionPattern = regexp.MustCompile(`^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-[0-9]{1,2}$`)

// ValidRegion reports whether name has the shape of an AWS region name.
func ValidRegion(name string) bool { return regionPattern.MatchString(name) }

// Region returns the DynamoDB of a region, creating it on first use. It
// returns nil for a name that is not shaped like a region.
func (a *Account) Region(name string) *DB {
	if !ValidRegion(name) {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if db := a.regions[name]; db != nil {
		return db
	}
	o := a.opts.Options
	o.Clock, o.AccountID, o.Region = a.clock, a.opts.AccountID, name
	seed := o.Seed
	if seed == 0 {
		seed = 1
	}
	for i := 0; i < len(name); i++ {
		seed = seed*1099511628211 ^ uint64(name[i])
	}
	o.Seed = seed
	db := New(o)
	db.account = a
	a.regions[name] = db
	return db
}

// Regions lists the regions created so far, in order.
func (a *Account) Regions() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	names := make([]string, 0, len(a.regions))
	for n := range a.regions {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Clock returns the account's clock.
func (a *Account) Clock() clock.Clock { return a.clock }

// replicationDelay is the delay before a write reaches other replicas.
func (a *Account) replicationDelay() time.Duration {
	switch d := a.opts.ReplicationDelay; {
	case d == 0:
		return time.Second
	case d < 0:
		return time.Nanosecond
	default:
		return d
	}
}

// Close closes every region's DB.
func (a *Account) Close() error {
	a.mu.Lock()
	dbs := make([]*DB, 0, len(a.regions))
	for _, db := range a.regions {
		dbs = append(dbs, db)
	}
	a.mu.Unlock()
	for _, db := range dbs {
		db.Close()
	}
	return nil
}

// Region returns the DB's region name.
func (db *DB) Region() string { return db.opts.Region }
