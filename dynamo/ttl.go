package dynamo

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/btree"
	"github.com/minicloud/minicloud/clock"
)

// TTLOptions says when Time to Live deletes expired items. DynamoDB
// deletes an expired item in the background "within a few days" of its
// expiry (historically documented as within 48 hours); until then reads,
// queries and scans still return it.
type TTLOptions struct {
	// DeletionDelay is how long after its expiry time an item is deleted.
	// Zero means 48 hours, so that advancing a manual clock by 48 hours
	// deletes every item that had expired.
	DeletionDelay time.Duration
	// Immediate deletes an item at its expiry time, for tests that want
	// no delay. It overrides DeletionDelay.
	Immediate bool
}

func (o TTLOptions) delay() time.Duration {
	switch {
	case o.Immediate:
		return 0
	case o.DeletionDelay <= 0:
		return 48 * time.Hour
	}
	return o.DeletionDelay
}

// TimeToLiveStatus is the state of Time to Live on a table: "ENABLING",
// "ENABLED", "DISABLING" or "DISABLED". minicloud's changes take effect
// at once, so it reports ENABLED or DISABLED.
type TimeToLiveStatus string

// Time to Live statuses.
const (
	TimeToLiveStatusEnabling  TimeToLiveStatus = "ENABLING"
	TimeToLiveStatusEnabled   TimeToLiveStatus = "ENABLED"
	TimeToLiveStatusDisabling TimeToLiveStatus = "DISABLING"
	TimeToLiveStatusDisabled  TimeToLiveStatus = "DISABLED"
)

// TimeToLiveSpecification turns Time to Live on or off for a table.
// AttributeName names the attribute holding each item's expiry time, a
// Number of seconds since the Unix epoch.
type TimeToLiveSpecification struct {
	AttributeName string
	Enabled       bool
}

// TimeToLiveDescription is a table's Time to Live setting.
type TimeToLiveDescription struct {
	// AttributeName is set while Time to Live is enabled.
	AttributeName    string
	TimeToLiveStatus TimeToLiveStatus
}

// UpdateTimeToLiveInput is the request of UpdateTimeToLive.
type UpdateTimeToLiveInput struct {
	TableName               string
	TimeToLiveSpecification *TimeToLiveSpecification
}

// UpdateTimeToLiveOutput is the response of UpdateTimeToLive: the
// specification as asked for.
type UpdateTimeToLiveOutput struct {
	TimeToLiveSpecification *TimeToLiveSpecification
}

// DescribeTimeToLiveInput is the request of DescribeTimeToLive.
type DescribeTimeToLiveInput struct {
	TableName string
}

// DescribeTimeToLiveOutput is the response of DescribeTimeToLive.
type DescribeTimeToLiveOutput struct {
	TimeToLiveDescription *TimeToLiveDescription
}

const (
	// ttlChangeInterval is how long after one UpdateTimeToLive a table
	// refuses another: "It can take up to one hour for the change to
	// fully process" (UpdateTimeToLive API reference).
	ttlChangeInterval = time.Hour
	// ttlMaxAge: items whose expiry is more than five years in the past
	// are never deleted ("Expiring items with DynamoDB Time to Live").
	ttlMaxAgeYears = 5
	// ttlMaxSeconds bounds the expiry times tracked: year 5138. A larger
	// Number (often milliseconds by mistake) never comes due.
	ttlMaxSeconds = 1e11
)

// ttlState is a table's Time to Live: its setting and the queue of items
// that will expire, ordered by the time they are due for deletion, with
// one clock timer set for the first of them.
type ttlState struct {
	attr    string
	enabled bool
	changed time.Time // the last UpdateTimeToLive
	queue   *btree.BTreeG[ttlEntry]
	timer   clock.Timer
	armedAt time.Time // when timer fires; zero when it is not set
}

// ttlEntry is an item due for deletion at due.
type ttlEntry struct {
	due time.Time
	key string
}

func ttlLess(a, b ttlEntry) bool {
	if !a.due.Equal(b.due) {
		return a.due.Before(b.due)
	}
	return a.key < b.key
}

// UpdateTimeToLive turns Time to Live on or off. While it is on, an item
// whose AttributeName attribute is a Number of epoch seconds in the past
// is deleted by DynamoDB in the background (see [TTLOptions]); items
// without the attribute, with another type, or expired more than five
// years ago are never deleted. A deletion writes a REMOVE stream record
// whose userIdentity is the DynamoDB service and consumes no capacity.
// DynamoDB refuses a second change within an hour of the last.
func (db *DB) UpdateTimeToLive(ctx context.Context, in *UpdateTimeToLiveInput) (*UpdateTimeToLiveOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &UpdateTimeToLiveInput{}
	}
	spec := in.TimeToLiveSpecification
	if spec == nil {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null")
	}
	if n := len(spec.AttributeName); n < 1 || n > 255 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255", spec.AttributeName)
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, err
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	defer t.mu.Unlock()
	switch {
	case spec.Enabled && t.ttl.enabled && t.ttl.attr == spec.AttributeName:
		return nil, ErrValidation.New("TimeToLive is already enabled")
	case spec.Enabled && t.ttl.enabled:
		return nil, ErrValidation.Newf("TimeToLive is active on a different AttributeName: current AttributeName is %s", t.ttl.attr)
	case !spec.Enabled && !t.ttl.enabled:
		return nil, ErrValidation.New("TimeToLive is already disabled")
	}
	now := db.clock.Now()
	if !t.ttl.changed.IsZero() && now.Sub(t.ttl.changed) < ttlChangeInterval {
		return nil, ErrValidation.New("Time to live has been modified multiple times within a fixed interval")
	}
	t.ttl.changed = now
	if !spec.Enabled {
		t.stopTTL()
		t.ttl.enabled, t.ttl.attr, t.ttl.queue = false, "", nil
	} else {
		t.ttl.enabled, t.ttl.attr = true, spec.AttributeName
		t.ttl.queue = btree.NewG(32, ttlLess)
		t.items.Ascend(func(rec *record) bool {
			t.ttlTrack(nil, rec)
			return true
		})
	}
	return &UpdateTimeToLiveOutput{TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: spec.AttributeName, Enabled: spec.Enabled}}, nil
}

// DescribeTimeToLive reports a table's Time to Live setting.
func (db *DB) DescribeTimeToLive(ctx context.Context, in *DescribeTimeToLiveInput) (*DescribeTimeToLiveOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DescribeTimeToLiveInput{}
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, err
	}
	if err := t.rlockLive(); err != nil {
		return nil, err
	}
	defer t.mu.RUnlock()
	d := &TimeToLiveDescription{TimeToLiveStatus: TimeToLiveStatusDisabled}
	if t.ttl.enabled {
		d.TimeToLiveStatus, d.AttributeName = TimeToLiveStatusEnabled, t.ttl.attr
	}
	return &DescribeTimeToLiveOutput{TimeToLiveDescription: d}, nil
}

// ttlExpiry reads an item's expiry time from the Time to Live attribute:
// a Number of seconds since the epoch, fraction allowed.
func (t *table) ttlExpiry(item Item) (time.Time, bool) {
	n, ok := item[t.ttl.attr].(N)
	if !ok {
		return time.Time{}, false
	}
	whole, frac, _ := strings.Cut(string(n), ".")
	sec, err := strconv.ParseInt(whole, 10, 64)
	if err != nil || sec > ttlMaxSeconds || sec < -ttlMaxSeconds {
		return time.Time{}, false
	}
	var nanos int64
	if frac != "" {
		frac = (frac + "000000000")[:9]
		nanos, _ = strconv.ParseInt(frac, 10, 64)
		if strings.HasPrefix(whole, "-") {
			nanos = -nanos
		}
	}
	return time.Unix(sec, nanos), true
}

// ttlTrack keeps the queue in step with a change of an item. The caller
// holds t.mu and Time to Live is enabled.
func (t *table) ttlTrack(old, rec *record) {
	delay := t.db.opts.TTL.delay()
	if old != nil {
		if exp, ok := t.ttlExpiry(old.item); ok {
			t.ttl.queue.Delete(ttlEntry{due: exp.Add(delay), key: old.key})
		}
	}
	if rec == nil {
		return
	}
	exp, ok := t.ttlExpiry(rec.item)
	if !ok || exp.Before(t.db.clock.Now().AddDate(-ttlMaxAgeYears, 0, 0)) {
		return
	}
	e := ttlEntry{due: exp.Add(delay), key: rec.key}
	t.ttl.queue.ReplaceOrInsert(e)
	t.armTTL(e.due)
}

// armTTL makes sure the timer fires by due. The caller holds t.mu.
func (t *table) armTTL(due time.Time) {
	if !t.ttl.armedAt.IsZero() && !due.Before(t.ttl.armedAt) {
		return
	}
	if t.db.bg.closed.Load() || t.status == TableStatusDeleting {
		return
	}
	now := t.db.clock.Now()
	d := due.Sub(now)
	if d <= 0 {
		// Already due: the sweep runs at the next tick of the clock
		// rather than on another goroutine now, so that a manual clock
		// decides when it happens.
		d = time.Nanosecond
	}
	if t.ttl.timer == nil {
		t.ttl.timer = t.db.clock.AfterFunc(d, t.sweepTTL)
	} else {
		t.ttl.timer.Reset(d)
	}
	t.ttl.armedAt = now.Add(d)
}

// stopTTL stops the timer. The caller holds t.mu.
func (t *table) stopTTL() {
	if t.ttl.timer != nil {
		t.ttl.timer.Stop()
	}
	t.ttl.armedAt = time.Time{}
}

// sweepTTL deletes the items due for deletion, in due order, and sets the
// timer for the next. It runs on the clock's timer.
func (t *table) sweepTTL() {
	if !t.db.bg.enter() {
		return
	}
	defer t.db.bg.exit()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.ttl.armedAt = time.Time{}
	if t.status == TableStatusDeleting || !t.ttl.enabled {
		return
	}
	now := t.db.clock.Now()
	var due []ttlEntry
	t.ttl.queue.Ascend(func(e ttlEntry) bool {
		if e.due.After(now) {
			return false
		}
		due = append(due, e)
		return true
	})
	oldest := now.AddDate(-ttlMaxAgeYears, 0, 0)
	for _, e := range due {
		rec, ok := t.items.Get(&record{key: e.key})
		if !ok {
			t.ttl.queue.Delete(e)
			continue
		}
		if exp, _ := t.ttlExpiry(rec.item); exp.Before(oldest) {
			t.ttl.queue.Delete(e)
			continue
		}
		t.storeAs(rec, nil, true)
	}
	if first, ok := t.ttl.queue.Min(); ok {
		t.armTTL(first.due)
	}
}

// background tracks a DB's timer callbacks, so that Close can stop them
// and wait for the ones running. Its zero value is ready to use.
type background struct {
	mu     sync.Mutex
	closed atomic.Bool
	wg     sync.WaitGroup
}

// enter registers a callback starting; false once the DB is closed.
func (b *background) enter() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed.Load() {
		return false
	}
	b.wg.Add(1)
	return true
}

func (b *background) exit() { b.wg.Done() }

// stopBackground stops every timer of the DB and waits for the callbacks
// already running. Called by Close.
func (db *DB) stopBackground() {
	db.bg.mu.Lock()
	db.bg.closed.Store(true)
	db.bg.mu.Unlock()
	db.mu.RLock()
	tables := make([]*table, 0, len(db.tables))
	for _, t := range db.tables {
		tables = append(tables, t)
	}
	db.mu.RUnlock()
	for _, t := range tables {
		t.mu.Lock()
		t.stopTTL()
		t.mu.Unlock()
	}
	db.bg.wg.Wait()
}
