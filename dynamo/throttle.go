package dynamo

import (
	"sync"
	"time"
)

// tokenEpsilon absorbs float rounding in bucket arithmetic: a bucket with
// less than this left counts as empty.
const tokenEpsilon = 1e-9

// bucket is a token bucket of capacity units. It fills at rate units per
// second up to burst seconds of rate, and may go below zero: DynamoDB
// admits a request while any capacity is left and charges what the request
// actually consumed afterwards, so one large request can borrow from the
// next seconds.
type bucket struct {
	rate   float64
	tokens float64
	at     time.Time
}

// fill brings the bucket up to now.
func (b *bucket) fill(now time.Time, burst time.Duration) {
	if !now.After(b.at) {
		return
	}
	b.tokens += b.rate * now.Sub(b.at).Seconds()
	if max := b.rate * burst.Seconds(); b.tokens > max {
		b.tokens = max
	}
	b.at = now
}

// reset starts the bucket afresh at rate with one second of capacity, as
// a new table or index starts.
func (b *bucket) reset(now time.Time, rate float64) {
	b.rate, b.tokens, b.at = rate, rate, now
}

// setRate changes the refill rate, keeping what is in the bucket up to the
// new burst limit.
func (b *bucket) setRate(now time.Time, rate float64, burst time.Duration) {
	b.fill(now, burst)
	b.rate = rate
	if max := rate * burst.Seconds(); b.tokens > max {
		b.tokens = max
	}
}

// empty reports whether the bucket has nothing left at now.
func (b *bucket) empty(now time.Time, burst time.Duration) bool {
	b.fill(now, burst)
	return b.tokens < tokenEpsilon
}

// decreaseBudget counts the throughput decreases of one table or global
// secondary index in the current UTC day.
type decreaseBudget struct {
	day   time.Time // midnight UTC of the day counted
	count int
	last  time.Time
}

func utcDay(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// today returns the number of decreases made in now's UTC day.
func (b *decreaseBudget) today(now time.Time) int {
	if !utcDay(now).Equal(b.day) {
		return 0
	}
	return b.count
}

// next returns when the next decrease is allowed: now when it is allowed
// at once. The first l.DecreasesPerDay of a UTC day are allowed at any
// time, each later one l.DecreaseInterval after the previous; the count
// starts again at midnight UTC.
func (b *decreaseBudget) next(now time.Time, l CapacityLimits) time.Time {
	if b.today(now) < l.DecreasesPerDay {
		return now
	}
	at := b.last.Add(l.DecreaseInterval)
	if !at.After(now) {
		return now
	}
	if tomorrow := utcDay(now).AddDate(0, 0, 1); tomorrow.Before(at) {
		return tomorrow
	}
	return at
}

func (b *decreaseBudget) record(now time.Time) {
	if day := utcDay(now); !day.Equal(b.day) {
		b.day, b.count = day, 0
	}
	b.count++
	b.last = now
}

// awsTime renders a time as DynamoDB's limit messages do.
func awsTime(t time.Time) string {
	return t.UTC().Format("Monday, January 2, 2006 at 3:04:05 PM") + " Coordinated Universal Time"
}

// decreaseError is DynamoDB's LimitExceededException for a decrease past
// the daily budget.
func (b *decreaseBudget) error(now, next time.Time) error {
	return ErrLimitExceeded.Newf("Subscriber limit exceeded: Provisioned throughput decreases are limited within a given UTC day. After the first 4 decreases, each subsequent decrease in the same UTC day can be performed at most once every 3600 seconds. Number of decreases today: %d. Last decrease at %s. Next decrease can be made at %s",
		b.today(now), awsTime(b.last), awsTime(next))
}

// dimension is the capacity state of a table or of one global secondary
// index: its provisioned throughput as last seen, token buckets, the
// decrease budget and what it consumed.
type dimension struct {
	tp                         ProvisionedThroughput
	read, write                bucket
	budget                     decreaseBudget
	lastIncrease, lastDecrease time.Time
	consumed                   rw    // since creation
	minute                     rw    // since the last auto scaling evaluation
	readThrottles              int64 // requests refused
	writeThrottles             int64
	auto                       *autoScaling
}

// observe takes a new provisioned throughput into the buckets and the
// increase/decrease bookkeeping. A dimension seen for the first time
// starts its buckets at start with one second of capacity.
func (d *dimension) observe(now, start time.Time, tp ProvisionedThroughput, burst time.Duration) {
	if tp == d.tp {
		return
	}
	if d.tp == (ProvisionedThroughput{}) {
		d.read.reset(start, float64(tp.ReadCapacityUnits))
		d.write.reset(start, float64(tp.WriteCapacityUnits))
		d.tp = tp
		return
	}
	if tp.ReadCapacityUnits < d.tp.ReadCapacityUnits || tp.WriteCapacityUnits < d.tp.WriteCapacityUnits {
		d.budget.record(now)
		d.lastDecrease = now
	}
	if tp.ReadCapacityUnits > d.tp.ReadCapacityUnits || tp.WriteCapacityUnits > d.tp.WriteCapacityUnits {
		d.lastIncrease = now
	}
	d.read.setRate(now, float64(tp.ReadCapacityUnits), burst)
	d.write.setRate(now, float64(tp.WriteCapacityUnits), burst)
	d.tp = tp
}

// tableCapacity is the capacity state and meter of one table.
type tableCapacity struct {
	mu      sync.Mutex
	name    string
	arn     string
	created time.Time
	synced  time.Time // accrual is done up to here
	deleted bool

	billing  BillingMode
	switches []time.Time // switches to PAY_PER_REQUEST
	class    TableClass
	storage  int64 // bytes billed, items and indexes with overhead

	dim     dimension             // the table and its local indexes
	gsis    map[string]*dimension // by index name
	odRead  bucket                // on-demand quota
	odWrite bucket

	cost map[TableClass]*quantities
}

// capacityState is the capacity state of a DB: one entry per table ever
// metered, deleted ones included, in the order first seen.
type capacityState struct {
	mu     sync.Mutex
	tables map[*table]*tableCapacity
	order  []*tableCapacity
	auto   autoScaler
}

// capLimits returns the capacity quotas in force.
func (db *DB) capLimits() CapacityLimits { return db.opts.Capacity.Limits.withDefaults() }

func (db *DB) burst() time.Duration {
	return time.Duration(db.capLimits().BurstSeconds) * time.Second
}

// capacityOf returns the capacity state of t, creating it.
func (db *DB) capacityOf(t *table) *tableCapacity {
	s := &db.capacity
	s.mu.Lock()
	defer s.mu.Unlock()
	if tc := s.tables[t]; tc != nil {
		return tc
	}
	if s.tables == nil {
		s.tables = map[*table]*tableCapacity{}
	}
	tc := &tableCapacity{
		name:    t.name,
		arn:     t.arn,
		created: t.created,
		synced:  t.created,
		gsis:    map[string]*dimension{},
		cost:    map[TableClass]*quantities{},
	}
	s.tables[t] = tc
	s.order = append(s.order, tc)
	return tc
}

// sync accrues provisioned capacity and storage up to now at the values
// last seen, then takes in the table's current billing mode, class,
// throughput and size. It notices changes made by UpdateTable at its next
// call; a table found deleted is metered up to the previous call, so
// DeleteTable calls noteCapacityChange before it marks the table. The
// caller holds t.mu and tc.mu.
func (tc *tableCapacity) sync(db *DB, t *table, now time.Time) {
	if !tc.deleted && t.status == TableStatusDeleting {
		// Deleted since the last sync: metered until then.
		tc.deleted = true
	}
	if tc.deleted {
		return
	}
	if tc.billing == "" {
		// First sight of the table: it has been as it is since creation.
		tc.observe(db, t, tc.created)
	}
	if now.After(tc.synced) {
		secs := now.Sub(tc.synced).Seconds()
		q := tc.quantities(tc.class)
		if tc.billing == BillingModeProvisioned {
			r, w := float64(tc.dim.tp.ReadCapacityUnits), float64(tc.dim.tp.WriteCapacityUnits)
			for _, g := range tc.gsis {
				r += float64(g.tp.ReadCapacityUnits)
				w += float64(g.tp.WriteCapacityUnits)
			}
			q.readCapacityUnitSeconds += r * secs
			q.writeCapacityUnitSeconds += w * secs
		}
		q.storageByteSeconds += float64(tc.storage) * secs
		tc.synced = now
	}
	tc.observe(db, t, now)
}

// observe takes in the table's billing mode, class, throughput and size as
// of now. The caller holds t.mu and tc.mu.
func (tc *tableCapacity) observe(db *DB, t *table, now time.Time) {
	burst := db.burst()
	l := db.capLimits()
	tc.class = t.class
	start := now
	if t.billing != tc.billing {
		if tc.billing != "" && t.billingChanged.Before(now) {
			start = t.billingChanged
		}
		if t.billing == BillingModePayPerRequest && tc.billing != "" {
			tc.switches = append(tc.switches, start)
		}
		if t.billing == BillingModeProvisioned {
			tc.dim.tp = ProvisionedThroughput{}
			for _, g := range tc.gsis {
				g.tp = ProvisionedThroughput{}
			}
		}
		tc.billing = t.billing
		tc.odRead.reset(start, float64(l.OnDemandReadRequestUnits))
		tc.odWrite.reset(start, float64(l.OnDemandWriteRequestUnits))
	}
	if tc.billing == BillingModeProvisioned {
		tc.dim.observe(now, start, t.throughput, burst)
	}
	seen := 0
	for _, ix := range t.indexes {
		if !ix.global {
			continue
		}
		seen++
		g := tc.gsis[ix.name]
		if g == nil {
			g = &dimension{}
			tc.gsis[ix.name] = g
		}
		if tc.billing == BillingModeProvisioned {
			g.observe(now, start, ix.throughput, burst)
		}
	}
	if seen != len(tc.gsis) {
		for name := range tc.gsis {
			if _, err := t.index(name); err != nil {
				delete(tc.gsis, name)
			}
		}
	}
	tc.storage = storageBytes(t)
}

// storageBytes is the storage DynamoDB bills for a table: every item and
// index entry, each with 100 bytes of overhead. The caller holds t.mu.
func storageBytes(t *table) int64 {
	const overhead = 100
	n := t.size + overhead*int64(t.items.Len())
	for _, ix := range t.indexes {
		n += ix.size + overhead*int64(ix.entries.Len())
	}
	return n
}

// admit checks that u's table and the global secondary indexes u touches
// have capacity left, and returns DynamoDB's throttling error when one
// has none; index names the throttled index ("" for the table). Nothing
// is consumed. The caller holds u.t.mu.
func (db *DB) admit(u *usage) (index string, err error) {
	t := u.t
	tc := db.capacityOf(t)
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := db.clock.Now()
	tc.sync(db, t, now)
	return tc.admit(db, u, now)
}

// admit is db.admit with tc.mu held.
func (tc *tableCapacity) admit(db *DB, u *usage, now time.Time) (string, error) {
	if db.opts.Capacity.Unthrottled {
		return "", nil
	}
	read, write := u.tableRead(), u.tableWrite()
	if tc.billing == BillingModePayPerRequest {
		gr, gw := 0.0, 0.0
		for _, e := range u.gsi {
			gr += e.read
			gw += e.write
		}
		l := db.capLimits()
		readCapped := l.OnDemandReadRequestUnits > 0 && read+gr > 0 && tc.odRead.empty(now, time.Second)
		writeCapped := l.OnDemandWriteRequestUnits > 0 && write+gw > 0 && tc.odWrite.empty(now, time.Second)
		if readCapped || writeCapped {
			if writeCapped {
				tc.dim.writeThrottles++
			} else {
				tc.dim.readThrottles++
			}
			return "", ErrRequestLimitExceeded.New(msgRequestLimitExceeded)
		}
		return "", nil
	}
	burst := db.burst()
	if read > 0 && tc.dim.read.empty(now, burst) {
		tc.dim.readThrottles++
		return "", ErrProvisionedThroughputExceeded.New(msgTableThroughputExceeded)
	}
	if write > 0 && tc.dim.write.empty(now, burst) {
		tc.dim.writeThrottles++
		return "", ErrProvisionedThroughputExceeded.New(msgTableThroughputExceeded)
	}
	for name, e := range u.gsi {
		g := tc.gsis[name]
		if g == nil {
			continue
		}
		if e.read > 0 && g.read.empty(now, burst) {
			g.readThrottles++
			return name, ErrProvisionedThroughputExceeded.New(msgIndexThroughputExceeded)
		}
		if e.write > 0 && g.write.empty(now, burst) {
			// GSI back-pressure: the table write is refused too.
			g.writeThrottles++
			tc.dim.writeThrottles++
			return name, ErrProvisionedThroughputExceeded.New(msgIndexThroughputExceeded)
		}
	}
	return "", nil
}

// charge takes u's consumption out of the buckets and into the meter. The
// caller holds u.t.mu and has made the change u describes.
func (db *DB) charge(u *usage) {
	t := u.t
	tc := db.capacityOf(t)
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := db.clock.Now()
	tc.sync(db, t, now)
	tc.charge(db, u, now)
}

// charge is db.charge with tc.mu held.
func (tc *tableCapacity) charge(db *DB, u *usage, now time.Time) {
	burst := db.burst()
	read, write := u.tableRead(), u.tableWrite()
	tc.dim.consumed.read += read
	tc.dim.consumed.write += write
	tc.dim.minute.read += read
	tc.dim.minute.write += write
	gr, gw := 0.0, 0.0
	for name, e := range u.gsi {
		gr += e.read
		gw += e.write
		g := tc.gsis[name]
		if g == nil {
			continue
		}
		g.consumed.read += e.read
		g.consumed.write += e.write
		g.minute.read += e.read
		g.minute.write += e.write
		if tc.billing == BillingModeProvisioned {
			g.read.fill(now, burst)
			g.write.fill(now, burst)
			g.read.tokens -= e.read
			g.write.tokens -= e.write
		}
	}
	switch tc.billing {
	case BillingModeProvisioned:
		tc.dim.read.fill(now, burst)
		tc.dim.write.fill(now, burst)
		tc.dim.read.tokens -= read
		tc.dim.write.tokens -= write
	case BillingModePayPerRequest:
		tc.odRead.fill(now, time.Second)
		tc.odWrite.fill(now, time.Second)
		tc.odRead.tokens -= read + gr
		tc.odWrite.tokens -= write + gw
		q := tc.quantities(tc.class)
		q.readRequestUnits += read + gr
		q.writeRequestUnits += write + gw
	}
}

// consume admits and charges u in one step: for reads and refused writes,
// which change nothing. The caller holds u.t.mu.
func (db *DB) consume(u *usage) (string, error) {
	t := u.t
	tc := db.capacityOf(t)
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := db.clock.Now()
	tc.sync(db, t, now)
	if ix, err := tc.admit(db, u, now); err != nil {
		return ix, err
	}
	tc.charge(db, u, now)
	return "", nil
}

// checkThroughputUpdate reports the LimitExceededException DynamoDB
// answers an UpdateTable with when it would break a capacity limit: a
// decrease of the table's (or a global secondary index's) provisioned
// throughput past the daily budget, or a fifth switch to PAY_PER_REQUEST
// within 24 hours. billing is the requested billing mode ("" for no
// change), tp the table's requested throughput (nil for no change) and
// gsis the requested throughput of global indexes by name. The caller
// holds t.mu; after applying the change it calls noteCapacityChange.
func (db *DB) checkThroughputUpdate(t *table, billing BillingMode, tp *ProvisionedThroughput, gsis map[string]ProvisionedThroughput) error {
	tc := db.capacityOf(t)
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := db.clock.Now()
	tc.sync(db, t, now)
	l := db.capLimits()
	if billing == BillingModePayPerRequest && tc.billing == BillingModeProvisioned {
		if next, ok := tc.nextSwitch(now, l); !ok {
			return ErrLimitExceeded.Newf("Subscriber limit exceeded: A table can be switched from PROVISIONED to PAY_PER_REQUEST billing mode at most %d times in 24 hours. Next switch can be made at %s", l.SwitchesToOnDemandPerDay, awsTime(next))
		}
	}
	if tc.billing != BillingModeProvisioned || (billing != "" && billing != BillingModeProvisioned) {
		return nil
	}
	decrease := func(d *dimension, to ProvisionedThroughput) error {
		if to.ReadCapacityUnits >= d.tp.ReadCapacityUnits && to.WriteCapacityUnits >= d.tp.WriteCapacityUnits {
			return nil
		}
		if next := d.budget.next(now, l); next.After(now) {
			return d.budget.error(now, next)
		}
		return nil
	}
	if tp != nil {
		if err := decrease(&tc.dim, *tp); err != nil {
			return err
		}
	}
	for name, to := range gsis {
		if g := tc.gsis[name]; g != nil {
			if err := decrease(g, to); err != nil {
				return err
			}
		}
	}
	return nil
}

// nextSwitch reports whether a switch to PAY_PER_REQUEST is allowed now,
// and when it will be if not.
func (tc *tableCapacity) nextSwitch(now time.Time, l CapacityLimits) (time.Time, bool) {
	var recent []time.Time
	for _, s := range tc.switches {
		if now.Sub(s) < 24*time.Hour {
			recent = append(recent, s)
		}
	}
	tc.switches = recent
	if len(recent) < l.SwitchesToOnDemandPerDay {
		return now, true
	}
	return recent[len(recent)-l.SwitchesToOnDemandPerDay].Add(24 * time.Hour), false
}

// noteCapacityChange brings t's capacity state up to date at once:
// UpdateTable calls it after applying a change, so that the change is
// metered from this instant, and DeleteTable before marking the table
// deleted, so that the table is metered until this instant. The caller
// holds t.mu.
func (db *DB) noteCapacityChange(t *table) {
	tc := db.capacityOf(t)
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.sync(db, t, db.clock.Now())
}

// throughputStats fills in what DescribeTable reports of the provisioned
// throughput's history: the last increase and decrease and the number of
// decreases today, for the table and its global secondary indexes. The
// caller holds t.mu.
func (db *DB) throughputStats(t *table, d *TableDescription) {
	tc := db.capacityOf(t)
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := db.clock.Now()
	tc.sync(db, t, now)
	fill := func(p *ProvisionedThroughputDescription, dim *dimension) {
		if p == nil || dim == nil {
			return
		}
		p.LastIncreaseDateTime, p.LastDecreaseDateTime = dim.lastIncrease, dim.lastDecrease
		p.NumberOfDecreasesToday = int64(dim.budget.today(now))
	}
	fill(d.ProvisionedThroughput, &tc.dim)
	for i := range d.GlobalSecondaryIndexes {
		g := &d.GlobalSecondaryIndexes[i]
		fill(g.ProvisionedThroughput, tc.gsis[g.IndexName])
	}
}

// throttledReason is the CancellationReason of a transaction action that
// found no capacity, with the message of err.
func throttledReason(err error) CancellationReason {
	code := "ProvisionedThroughputExceeded"
	if e, ok := err.(*Error); ok && e.Code == ErrRequestLimitExceeded.Code {
		code = "ThrottlingError"
	}
	return CancellationReason{Code: code, Message: errMessage(err)}
}
