package dynamo

import (
	"slices"
	"time"
)

// ReturnConsumedCapacity says how much a response tells of the capacity its
// request consumed: "NONE" (the default) nothing, "TOTAL" the units per
// table, "INDEXES" the units per table and per secondary index as well.
type ReturnConsumedCapacity string

// Values of ReturnConsumedCapacity.
const (
	ReturnConsumedCapacityIndexes ReturnConsumedCapacity = "INDEXES"
	ReturnConsumedCapacityTotal   ReturnConsumedCapacity = "TOTAL"
	ReturnConsumedCapacityNone    ReturnConsumedCapacity = "NONE"
)

// Capacity is the capacity a request consumed on one table or one index.
// ReadCapacityUnits and WriteCapacityUnits are set, beside CapacityUnits,
// only by the transactional operations, as DynamoDB sets them.
type Capacity struct {
	CapacityUnits      float64
	ReadCapacityUnits  float64
	WriteCapacityUnits float64
}

// ConsumedCapacity is the capacity a request consumed on one table, as
// DynamoDB reports it when the request sets ReturnConsumedCapacity.
// CapacityUnits is the total over the table and its indexes. With INDEXES,
// Table holds the part consumed on the table itself and the index maps one
// entry per index the request read or wrote; an index a write did not
// change has no entry. ReadCapacityUnits and WriteCapacityUnits split the
// total for TransactWriteItems and TransactGetItems only.
type ConsumedCapacity struct {
	TableName              string
	CapacityUnits          float64
	ReadCapacityUnits      float64
	WriteCapacityUnits     float64
	Table                  *Capacity
	LocalSecondaryIndexes  map[string]Capacity
	GlobalSecondaryIndexes map[string]Capacity
}

// CapacityOptions configures capacity enforcement and the cost meter. Its
// zero value is DynamoDB's behaviour with us-east-1 prices.
type CapacityOptions struct {
	// Limits overrides DynamoDB's capacity quotas; zero fields keep AWS's
	// defaults.
	Limits CapacityLimits
	// Prices is the price list of the cost meter. Nil means
	// DefaultPrices(), DynamoDB's published us-east-1 prices.
	Prices *Prices
	// Unthrottled turns off the enforcement of provisioned capacity and
	// of the on-demand throughput quota. Capacity is still counted,
	// reported and priced.
	Unthrottled bool
}

// CapacityLimits holds DynamoDB's capacity quotas. A zero field means
// AWS's default, given in its comment.
type CapacityLimits struct {
	// BurstSeconds is how many seconds of unused provisioned capacity a
	// table or global secondary index keeps for bursts: 300. Source:
	// "Burst capacity" in the DynamoDB Developer Guide.
	BurstSeconds int
	// DecreasesPerDay is how many times a table's (or a global secondary
	// index's) provisioned throughput may be decreased at any time in a
	// UTC day: 4. Source: "Decreasing throughput (for tables and GSIs)" in
	// "Service, account, and table quotas".
	DecreasesPerDay int
	// DecreaseInterval is how long after the last decrease one more is
	// allowed once DecreasesPerDay are used up: one hour, so at most 27
	// decreases a day. Same source.
	DecreaseInterval time.Duration
	// SwitchesToOnDemandPerDay is how many times a table may switch from
	// PROVISIONED to PAY_PER_REQUEST in a rolling 24 hours: 4. Switching
	// back is not limited. Source: "Considerations when switching capacity
	// modes in DynamoDB".
	SwitchesToOnDemandPerDay int
	// OnDemandReadRequestUnits and OnDemandWriteRequestUnits, when set,
	// cap an on-demand table's throughput per second, and requests past
	// the cap fail with RequestLimitExceeded. DynamoDB's default per-table
	// quota is 40,000 of each (source: "Throughput default quotas" in
	// "Service, account, and table quotas"); zero, the default here,
	// means no cap, so that tests on a clock that never moves can make as
	// many on-demand requests as they like.
	OnDemandReadRequestUnits  int64
	OnDemandWriteRequestUnits int64
}

func (l CapacityLimits) withDefaults() CapacityLimits {
	if l.BurstSeconds <= 0 {
		l.BurstSeconds = 300
	}
	if l.DecreasesPerDay <= 0 {
		l.DecreasesPerDay = 4
	}
	if l.DecreaseInterval <= 0 {
		l.DecreaseInterval = time.Hour
	}
	if l.SwitchesToOnDemandPerDay <= 0 {
		l.SwitchesToOnDemandPerDay = 4
	}
	return l
}

// Capacity unit sizes: a read unit covers 4 KB, a write unit 1 KB.
const (
	readUnitBytes  = 4 << 10
	writeUnitBytes = 1 << 10
)

// readMode is how a read is charged.
type readMode int

const (
	readEventual      readMode = iota // half a unit per 4 KB
	readStrong                        // one unit per 4 KB
	readTransactional                 // two units per 4 KB
)

func readModeOf(consistent bool) readMode {
	if consistent {
		return readStrong
	}
	return readEventual
}

// units returns how many whole units of unit bytes size takes, at least
// one: DynamoDB charges an empty read or a missing item as one unit.
func units(size, unit int) float64 {
	n := (size + unit - 1) / unit
	if n < 1 {
		n = 1
	}
	return float64(n)
}

// readUnits is the read capacity of reading size bytes in one request.
func readUnits(size int, m readMode) float64 {
	u := units(size, readUnitBytes)
	switch m {
	case readEventual:
		return u / 2
	case readTransactional:
		return 2 * u
	}
	return u
}

// writeUnits is the write capacity of writing an item of size bytes.
func writeUnits(size int, transactional bool) float64 {
	u := units(size, writeUnitBytes)
	if transactional {
		return 2 * u
	}
	return u
}

func checkReturnConsumedCapacity(r ReturnConsumedCapacity) error {
	switch r {
	case "", ReturnConsumedCapacityNone, ReturnConsumedCapacityTotal, ReturnConsumedCapacityIndexes:
		return nil
	}
	return ErrValidation.Newf("1 validation error detected: Value '%s' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]", r)
}

// rw is read and write capacity.
type rw struct{ read, write float64 }

// usage is the capacity one request consumed (or would consume) on one
// table and its secondary indexes.
type usage struct {
	t     *table
	table rw
	lsi   map[string]*rw
	gsi   map[string]*rw
}

func newUsage(t *table) *usage { return &usage{t: t} }

// index returns the entry of ix, creating it.
func (u *usage) index(ix *index) *rw {
	m := &u.lsi
	if ix.global {
		m = &u.gsi
	}
	if *m == nil {
		*m = map[string]*rw{}
	}
	e := (*m)[ix.name]
	if e == nil {
		e = &rw{}
		(*m)[ix.name] = e
	}
	return e
}

// add adds v's consumption to u (both of the same table).
func (u *usage) add(v *usage) {
	u.table.read += v.table.read
	u.table.write += v.table.write
	for _, ix := range u.t.indexes {
		var e *rw
		if ix.global {
			e = v.gsi[ix.name]
		} else {
			e = v.lsi[ix.name]
		}
		if e != nil {
			d := u.index(ix)
			d.read += e.read
			d.write += e.write
		}
	}
}

// tableRead and tableWrite are what the table's own capacity pays: the
// table and its local secondary indexes, which share it.
func (u *usage) tableRead() float64 {
	r := u.table.read
	for _, e := range u.lsi {
		r += e.read
	}
	return r
}

func (u *usage) tableWrite() float64 {
	w := u.table.write
	for _, e := range u.lsi {
		w += e.write
	}
	return w
}

// totals returns the read and write units over the table and all indexes.
func (u *usage) totals() (read, write float64) {
	read, write = u.tableRead(), u.tableWrite()
	for _, e := range u.gsi {
		read += e.read
		write += e.write
	}
	return read, write
}

// consumed renders u as DynamoDB reports it for mode; split adds the
// read/write split of the transactional operations.
func (u *usage) consumed(mode ReturnConsumedCapacity, split bool) *ConsumedCapacity {
	if mode != ReturnConsumedCapacityTotal && mode != ReturnConsumedCapacityIndexes {
		return nil
	}
	capOf := func(e rw) Capacity {
		c := Capacity{CapacityUnits: e.read + e.write}
		if split {
			c.ReadCapacityUnits, c.WriteCapacityUnits = e.read, e.write
		}
		return c
	}
	read, write := u.totals()
	cc := &ConsumedCapacity{TableName: u.t.name, CapacityUnits: read + write}
	if split {
		cc.ReadCapacityUnits, cc.WriteCapacityUnits = read, write
	}
	if mode == ReturnConsumedCapacityIndexes {
		tc := capOf(u.table)
		cc.Table = &tc
		for name, e := range u.lsi {
			if cc.LocalSecondaryIndexes == nil {
				cc.LocalSecondaryIndexes = map[string]Capacity{}
			}
			cc.LocalSecondaryIndexes[name] = capOf(*e)
		}
		for name, e := range u.gsi {
			if cc.GlobalSecondaryIndexes == nil {
				cc.GlobalSecondaryIndexes = map[string]Capacity{}
			}
			cc.GlobalSecondaryIndexes[name] = capOf(*e)
		}
	}
	return cc
}

// consumedList renders the usages of a multi-table request, one entry per
// table in table name order, or nil when mode asks for none.
func consumedList(us []*usage, mode ReturnConsumedCapacity, split bool) []ConsumedCapacity {
	if mode != ReturnConsumedCapacityTotal && mode != ReturnConsumedCapacityIndexes {
		return nil
	}
	sorted := slices.Clone(us)
	slices.SortFunc(sorted, func(a, b *usage) int { return compareStrings(a.t.name, b.t.name) })
	out := make([]ConsumedCapacity, 0, len(sorted))
	for _, u := range sorted {
		out = append(out, *u.consumed(mode, split))
	}
	return out
}

// usageOf returns the usage of t in us, appending a new one when t has
// none yet.
func usageOf(us *[]*usage, t *table) *usage {
	for _, u := range *us {
		if u.t == t {
			return u
		}
	}
	u := newUsage(t)
	*us = append(*us, u)
	return u
}

// writeUsage is the capacity of replacing old with rec (either may be nil)
// by DynamoDB's rules: the table pays for the larger of the two items, in
// 1 KB units, at least one; each secondary index pays for the entries the
// change adds, changes or removes (see indexWriteUnits). A transactional
// write pays twice on the table; index writes are propagated after the
// commit and pay once.
func writeUsage(t *table, old, rec *record, transactional bool) *usage {
	u := newUsage(t)
	size := 0
	if old != nil {
		size = old.size
	}
	if rec != nil && rec.size > size {
		size = rec.size
	}
	u.table.write = writeUnits(size, transactional)
	for _, ix := range t.indexes {
		if w := indexWriteUnits(t.key, ix, old, rec); w > 0 {
			u.index(ix).write += w
		}
	}
	return u
}

// failedWriteUsage is the capacity of a write that was refused by its
// condition: DynamoDB still charges the table for the existing item's
// size, at least one unit, and no index.
func failedWriteUsage(t *table, old *record) *usage {
	u := newUsage(t)
	size := 0
	if old != nil {
		size = old.size
	}
	u.table.write = writeUnits(size, false)
	return u
}

// indexWriteUnits is what a change from old to rec costs one secondary
// index, by the rules of "Provisioned throughput considerations for global
// secondary indexes": an entry added or removed is one write of its
// projected size; a change of the index key is two writes (delete the old
// entry, put the new one); a change of projected attributes only is one
// write of the larger projection; a change the index does not hold, or an
// item outside the index before and after, costs nothing.
func indexWriteUnits(tableKey schema, ix *index, old, rec *record) float64 {
	inOld := old != nil && ix.has(old.item)
	inNew := rec != nil && ix.has(rec.item)
	switch {
	case !inOld && !inNew:
		return 0
	case inNew && !inOld:
		return writeUnits(projectedSize(tableKey, ix, rec), false)
	case inOld && !inNew:
		return writeUnits(projectedSize(tableKey, ix, old), false)
	}
	if !sameValue(old.item[ix.key.hash.name], rec.item[ix.key.hash.name]) ||
		(ix.key.hasRange() && !sameValue(old.item[ix.key.rng.name], rec.item[ix.key.rng.name])) {
		return writeUnits(projectedSize(tableKey, ix, old), false) + writeUnits(projectedSize(tableKey, ix, rec), false)
	}
	if !projectionChanged(ix, old.item, rec.item) {
		return 0
	}
	return writeUnits(max(projectedSize(tableKey, ix, old), projectedSize(tableKey, ix, rec)), false)
}

// projectedSize is the size of rec's entry in ix, without building it.
func projectedSize(tableKey schema, ix *index, rec *record) int {
	if ix.projection.ProjectionType == ProjectionTypeAll {
		return rec.size
	}
	size := 0
	add := func(name string) {
		if v, ok := rec.item[name]; ok {
			size += len(name) + valueSize(v)
		}
	}
	keys := [4]string{tableKey.hash.name, tableKey.rng.name, ix.key.hash.name, ix.key.rng.name}
	for i, n := range keys {
		if n != "" && !slices.Contains(keys[:i], n) {
			add(n)
		}
	}
	for n := range ix.include {
		if !slices.Contains(keys[:], n) {
			add(n)
		}
	}
	return size
}

// projectionChanged reports whether the attributes ix holds differ
// between two versions of an item with the same index key.
func projectionChanged(ix *index, a, b Item) bool {
	if ix.projection.ProjectionType == ProjectionTypeAll {
		if len(a) != len(b) {
			return true
		}
		for n, v := range a {
			if !sameValue(v, b[n]) {
				return true
			}
		}
		return false
	}
	// The keys are equal (the table's by construction, the index's
	// checked by the caller): only the included attributes can differ.
	for n := range ix.include {
		if !sameValue(a[n], b[n]) {
			return true
		}
	}
	return false
}

// sameValue reports whether two values, either possibly absent (nil), are
// the same value of the same type.
func sameValue(a, b AttributeValue) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Type() == b.Type() && valuesEqual(a, b)
}

// readUsage is the capacity of reading one item of size bytes (0 when
// there is none) from a table.
func readUsage(t *table, size int, m readMode) *usage {
	u := newUsage(t)
	u.table.read = readUnits(size, m)
	return u
}
