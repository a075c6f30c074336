package dynamo

import (
	"context"
	"slices"
	"time"
)

// Prices is a DynamoDB price list: what the cost meter charges, in US
// dollars. DefaultPrices returns AWS's published us-east-1 prices; a DB
// takes another list from Options.Capacity.Prices.
type Prices struct {
	// Region and Source say where the prices come from.
	Region string
	Source string
	// Standard and StandardInfrequentAccess are the prices of the two
	// table classes.
	Standard                 ClassPrices
	StandardInfrequentAccess ClassPrices
	// FreeTier is what AWS gives free every month, over all the tables of
	// the STANDARD class in a region.
	FreeTier FreeTier
	// HoursPerMonth converts hours to months for storage and the free
	// tier: AWS bills 730 hours as a month.
	HoursPerMonth float64
}

// ClassPrices are the prices of one table class.
type ClassPrices struct {
	// ReadRequestUnit and WriteRequestUnit are the on-demand prices per
	// million request units. One read request unit is one strongly
	// consistent read of up to 4 KB (an eventually consistent one is half,
	// a transactional one two); one write request unit is a write of up to
	// 1 KB (a transactional one two).
	ReadRequestUnit  float64
	WriteRequestUnit float64
	// ReadCapacityUnitHour and WriteCapacityUnitHour are the provisioned
	// prices of one capacity unit for one hour, for the table and for each
	// global secondary index.
	ReadCapacityUnitHour  float64
	WriteCapacityUnitHour float64
	// StorageGBMonth is the price of one GB (2^30 bytes) stored for a
	// month, items and index entries counted with 100 bytes of overhead
	// each.
	StorageGBMonth float64
}

// FreeTier is DynamoDB's always-free tier: storage and provisioned
// capacity of tables of the STANDARD class, summed over the region.
type FreeTier struct {
	StorageGB          float64
	ReadCapacityUnits  float64
	WriteCapacityUnits float64
}

// DefaultPrices returns DynamoDB's published prices for us-east-1, as of
// the on-demand price reduction of 1 November 2024: on-demand $0.125 per
// million read and $0.625 per million write request units (STANDARD_IA
// $0.15625 and $0.78125); provisioned $0.00013 per RCU-hour and $0.00065
// per WCU-hour (STANDARD_IA $0.00016 and $0.00081); storage $0.25 per
// GB-month (STANDARD_IA $0.10); free tier 25 GB, 25 RCU and 25 WCU.
func DefaultPrices() Prices {
	return Prices{
		Region: "us-east-1",
		Source: "https://aws.amazon.com/dynamodb/pricing/on-demand/ and https://aws.amazon.com/dynamodb/pricing/provisioned/ (us-east-1, prices from 2024-11-01)",
		Standard: ClassPrices{
			ReadRequestUnit:       0.125,
			WriteRequestUnit:      0.625,
			ReadCapacityUnitHour:  0.00013,
			WriteCapacityUnitHour: 0.00065,
			StorageGBMonth:        0.25,
		},
		StandardInfrequentAccess: ClassPrices{
			ReadRequestUnit:       0.15625,
			WriteRequestUnit:      0.78125,
			ReadCapacityUnitHour:  0.00016,
			WriteCapacityUnitHour: 0.00081,
			StorageGBMonth:        0.10,
		},
		FreeTier:      FreeTier{StorageGB: 25, ReadCapacityUnits: 25, WriteCapacityUnits: 25},
		HoursPerMonth: 730,
	}
}

// class returns the prices of a table class.
func (p *Prices) class(c TableClass) ClassPrices {
	if c == TableClassStandardInfrequentAccess {
		return p.StandardInfrequentAccess
	}
	return p.Standard
}

// prices returns the price list in force.
func (db *DB) prices() *Prices {
	if p := db.opts.Capacity.Prices; p != nil {
		return p
	}
	p := DefaultPrices()
	return &p
}

// quantities is what one table used while in one table class.
type quantities struct {
	readRequestUnits         float64 // on-demand
	writeRequestUnits        float64
	readCapacityUnitSeconds  float64 // provisioned, table and GSIs
	writeCapacityUnitSeconds float64
	storageByteSeconds       float64
}

func (tc *tableCapacity) quantities(c TableClass) *quantities {
	if c == "" {
		c = TableClassStandard
	}
	q := tc.cost[c]
	if q == nil {
		q = &quantities{}
		tc.cost[c] = q
	}
	return q
}

// Bill is what the tables of a DB would cost on AWS from the creation of
// the first table until the bill is drawn.
type Bill struct {
	// Start and End are the period metered.
	Start, End time.Time
	// Tables has one entry per table and table class, deleted tables
	// included, by creation time and then name.
	Tables []TableBill
	// Gross is the sum of the tables' costs; FreeTier what the free tier
	// takes off it; Total what is left to pay.
	Gross    float64
	FreeTier float64
	Total    float64
}

// TableBill is what one table used and cost while in one table class.
type TableBill struct {
	TableName  string
	TableArn   string
	TableClass TableClass
	Deleted    bool
	// ReadRequestUnits and WriteRequestUnits were consumed while the
	// table was on-demand.
	ReadRequestUnits  float64
	WriteRequestUnits float64
	// ReadCapacityUnitHours and WriteCapacityUnitHours were provisioned,
	// on the table and its global secondary indexes.
	ReadCapacityUnitHours  float64
	WriteCapacityUnitHours float64
	// StorageGBMonths is the storage used.
	StorageGBMonths float64
	// The costs of each, in US dollars, and their sum.
	ReadRequestCost   float64
	WriteRequestCost  float64
	ReadCapacityCost  float64
	WriteCapacityCost float64
	StorageCost       float64
	Total             float64
}

// Bill prices what every table of the DB used, at the prices in force.
// Provisioned capacity is charged by the second of provisioning, not by
// whole hours, and the free tier is prorated over the period: 25 RCU and
// 25 WCU every hour, 25 GB-months every month.
func (db *DB) Bill(ctx context.Context) (*Bill, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := db.clock.Now()
	db.syncAll(now)
	p := db.prices()
	s := &db.capacity
	s.mu.Lock()
	tcs := append([]*tableCapacity(nil), s.order...)
	s.mu.Unlock()
	slices.SortStableFunc(tcs, func(a, b *tableCapacity) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return compareStrings(a.name, b.name)
	})

	b := &Bill{End: now, Start: now}
	var freeStorage, freeRead, freeWrite float64 // STANDARD quantities
	const gb = 1 << 30
	for _, tc := range tcs {
		tc.mu.Lock()
		if tc.created.Before(b.Start) {
			b.Start = tc.created
		}
		for _, class := range []TableClass{TableClassStandard, TableClassStandardInfrequentAccess} {
			q := tc.cost[class]
			if q == nil {
				continue
			}
			cp := p.class(class)
			tb := TableBill{
				TableName:              tc.name,
				TableArn:               tc.arn,
				TableClass:             class,
				Deleted:                tc.deleted,
				ReadRequestUnits:       q.readRequestUnits,
				WriteRequestUnits:      q.writeRequestUnits,
				ReadCapacityUnitHours:  q.readCapacityUnitSeconds / 3600,
				WriteCapacityUnitHours: q.writeCapacityUnitSeconds / 3600,
				StorageGBMonths:        q.storageByteSeconds / gb / 3600 / p.HoursPerMonth,
			}
			tb.ReadRequestCost = tb.ReadRequestUnits / 1e6 * cp.ReadRequestUnit
			tb.WriteRequestCost = tb.WriteRequestUnits / 1e6 * cp.WriteRequestUnit
			tb.ReadCapacityCost = tb.ReadCapacityUnitHours * cp.ReadCapacityUnitHour
			tb.WriteCapacityCost = tb.WriteCapacityUnitHours * cp.WriteCapacityUnitHour
			tb.StorageCost = tb.StorageGBMonths * cp.StorageGBMonth
			tb.Total = tb.ReadRequestCost + tb.WriteRequestCost + tb.ReadCapacityCost + tb.WriteCapacityCost + tb.StorageCost
			if class == TableClassStandard {
				freeStorage += tb.StorageGBMonths
				freeRead += tb.ReadCapacityUnitHours
				freeWrite += tb.WriteCapacityUnitHours
			}
			b.Gross += tb.Total
			b.Tables = append(b.Tables, tb)
		}
		tc.mu.Unlock()
	}
	hours := b.End.Sub(b.Start).Hours()
	sp := p.Standard
	b.FreeTier = min(freeStorage, p.FreeTier.StorageGB*hours/p.HoursPerMonth)*sp.StorageGBMonth +
		min(freeRead, p.FreeTier.ReadCapacityUnits*hours)*sp.ReadCapacityUnitHour +
		min(freeWrite, p.FreeTier.WriteCapacityUnits*hours)*sp.WriteCapacityUnitHour
	b.Total = b.Gross - b.FreeTier
	return b, nil
}

// syncAll brings every live table's meter up to now.
func (db *DB) syncAll(now time.Time) {
	db.mu.RLock()
	ts := make([]*table, 0, len(db.tables))
	for _, t := range db.tables {
		ts = append(ts, t)
	}
	db.mu.RUnlock()
	// Tables deleted since their last sync are found through the meter.
	s := &db.capacity
	s.mu.Lock()
	for t := range s.tables {
		if !containsTable(ts, t) {
			ts = append(ts, t)
		}
	}
	s.mu.Unlock()
	for _, t := range ts {
		tc := db.capacityOf(t)
		t.mu.RLock()
		tc.mu.Lock()
		tc.sync(db, t, now)
		tc.mu.Unlock()
		t.mu.RUnlock()
	}
}

func containsTable(ts []*table, t *table) bool {
	for _, u := range ts {
		if u == t {
			return true
		}
	}
	return false
}

// TableUsage is what a table consumed since its creation, named after the
// CloudWatch metrics DynamoDB publishes. The table's figures include its
// local secondary indexes, which share its capacity.
type TableUsage struct {
	TableName                  string
	ConsumedReadCapacityUnits  float64
	ConsumedWriteCapacityUnits float64
	// ReadThrottleEvents and WriteThrottleEvents count requests refused
	// for lack of capacity; a write refused by a global secondary index's
	// back-pressure counts on the table and on the index.
	ReadThrottleEvents     int64
	WriteThrottleEvents    int64
	GlobalSecondaryIndexes map[string]IndexUsage
}

// IndexUsage is what a global secondary index consumed.
type IndexUsage struct {
	ConsumedReadCapacityUnits  float64
	ConsumedWriteCapacityUnits float64
	ReadThrottleEvents         int64
	WriteThrottleEvents        int64
}

// TableUsage returns what the named table consumed since its creation.
func (db *DB) TableUsage(ctx context.Context, tableName string) (*TableUsage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t, err := db.table(tableName)
	if err != nil {
		return nil, err
	}
	tc := db.capacityOf(t)
	t.mu.RLock()
	defer t.mu.RUnlock()
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.sync(db, t, db.clock.Now())
	u := &TableUsage{
		TableName:                  t.name,
		ConsumedReadCapacityUnits:  tc.dim.consumed.read,
		ConsumedWriteCapacityUnits: tc.dim.consumed.write,
		ReadThrottleEvents:         tc.dim.readThrottles,
		WriteThrottleEvents:        tc.dim.writeThrottles,
	}
	for name, g := range tc.gsis {
		if u.GlobalSecondaryIndexes == nil {
			u.GlobalSecondaryIndexes = map[string]IndexUsage{}
		}
		u.GlobalSecondaryIndexes[name] = IndexUsage{
			ConsumedReadCapacityUnits:  g.consumed.read,
			ConsumedWriteCapacityUnits: g.consumed.write,
			ReadThrottleEvents:         g.readThrottles,
			WriteThrottleEvents:        g.writeThrottles,
		}
	}
	return u, nil
}
