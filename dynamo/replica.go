package dynamo

import (
	"slices"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// globalTable is the set of replicas of one global table, one table per
// region, and the replication queues between them.
type globalTable struct {
	name  string
	delay time.Duration

	mu      sync.Mutex
	replica []groupMember
	queues  map[[2]string]*replQueue // by source and destination region
}

// groupMember is one replica as the others see it.
type groupMember struct {
	table  *table
	region string
	class  TableClass
}

// replicaLink is a table's membership of a global table: the last write
// version of every item the replica has seen, tombstones included, so
// that replicated writes resolve by last writer wins. It is guarded by
// the table's lock.
type replicaLink struct {
	group    *globalTable
	region   string
	versions map[string]version
	applying bool // a replicated write is being stored: not sent on
}

// version orders the writes of an item: the later write time wins, and
// between equal times the greater region name (in byte order), so that
// every replica picks the same winner.
type version struct {
	at     time.Time
	region string
}

func (v version) after(o version) bool {
	if !v.at.Equal(o.at) {
		return v.at.After(o.at)
	}
	return v.region > o.region
}

// join adds t to the group. The caller holds t.mu.
func (g *globalTable) join(t *table) *replicaLink {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.replica = append(g.replica, groupMember{table: t, region: t.db.opts.Region, class: t.class})
	return &replicaLink{group: g, region: t.db.opts.Region, versions: map[string]version{}}
}

// leave removes t from the group and drops the writes queued for it.
func (g *globalTable) leave(t *table) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.replica = slices.DeleteFunc(g.replica, func(m groupMember) bool { return m.table == t })
	region := t.db.opts.Region
	for k, q := range g.queues {
		if k[1] == region {
			q.close()
			delete(g.queues, k)
		}
	}
}

// members returns the replicas, in joining order.
func (g *globalTable) members() []groupMember {
	g.mu.Lock()
	defer g.mu.Unlock()
	return slices.Clone(g.replica)
}

// member returns the replica in region, or nil.
func (g *globalTable) member(region string) *table {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, m := range g.replica {
		if m.region == region {
			return m.table
		}
	}
	return nil
}

// queuesFrom returns the queues from region to every other replica,
// creating them as needed.
func (g *globalTable) queuesFrom(region string) []*replQueue {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.queues == nil {
		g.queues = map[[2]string]*replQueue{}
	}
	var out []*replQueue
	for _, m := range g.replica {
		if m.region == region {
			continue
		}
		k := [2]string{region, m.region}
		q := g.queues[k]
		if q == nil {
			q = &replQueue{dest: m.table, clock: m.table.db.clock, delay: g.delay}
			g.queues[k] = q
		}
		out = append(out, q)
	}
	return out
}

// leaveGlobalTable takes a deleted table out of its global table. The
// caller holds t.mu.
func (t *table) leaveGlobalTable() {
	if t.replica == nil {
		return
	}
	t.replica.group.leave(t)
	t.replica = nil
}

// dissolveIfAlone turns the last replica of a global table back into a
// plain table. The caller holds t.mu.
func (t *table) dissolveIfAlone() {
	if t.replica != nil && len(t.replica.group.members()) <= 1 {
		t.leaveGlobalTable()
	}
}

// replicate sends a local write to the other replicas, stamped with its
// version: the commit time, nudged past the item's last version when a
// write from another region carried a later one, so that a local write
// always supersedes what the replica showed when it was made. The caller
// holds t.mu for writing.
func (t *table) replicate(old, rec *record, byTTL bool) {
	l := t.replica
	if l.applying {
		return
	}
	key := ""
	if rec != nil {
		key = rec.key
	} else {
		key = old.key
	}
	v := version{at: t.db.clock.Now(), region: l.region}
	if last, ok := l.versions[key]; ok && !v.after(last) {
		v.at = last.at.Add(time.Nanosecond)
	}
	l.versions[key] = v
	for _, q := range l.group.queuesFrom(l.region) {
		q.push(replWrite{key: key, rec: rec, ver: v})
	}
}

// replWrite is one write on its way to a replica: the item's new record,
// or nil for a deletion.
type replWrite struct {
	due time.Time
	key string
	rec *record
	ver version
}

// replQueue carries the writes of one region to one replica, in commit
// order, each delivered its delay after it was made. One clock timer is
// set for the first write due.
type replQueue struct {
	dest  *table
	clock clock.Clock
	delay time.Duration

	mu      sync.Mutex
	pending []replWrite
	armed   bool // a timer is set or a delivery running
	closed  bool
}

func (q *replQueue) push(w replWrite) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	w.due = q.clock.Now().Add(q.delay)
	q.pending = append(q.pending, w)
	if !q.armed {
		q.armed = true
		q.clock.AfterFunc(q.delay, q.deliver)
	}
}

func (q *replQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed, q.pending = true, nil
}

// deliver applies the writes that are due and sets the timer for the
// next. It runs on the clock.
func (q *replQueue) deliver() {
	db := q.dest.db
	if !db.bg.enter() {
		return
	}
	defer db.bg.exit()
	q.mu.Lock()
	now := q.clock.Now()
	n := 0
	for n < len(q.pending) && !q.pending[n].due.After(now) {
		n++
	}
	due := slices.Clone(q.pending[:n])
	q.pending = slices.Delete(q.pending, 0, n)
	q.mu.Unlock()

	if len(due) > 0 {
		q.dest.apply(due)
	}

	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed || len(q.pending) == 0 {
		q.armed = false
		return
	}
	q.clock.AfterFunc(q.pending[0].due.Sub(now), q.deliver)
}

// apply stores replicated writes whose version beats the item's, in
// order; the others lost to a later write and are dropped (and cost
// nothing). Each applied
// write appears in the replica's stream as an ordinary record, without a
// userIdentity: DynamoDB documents that replicated writes, Time to Live
// deletions included, carry no type or principalId.
func (t *table) apply(ws []replWrite) {
	t.mu.Lock()
	defer t.mu.Unlock()
	l := t.replica
	if t.status == TableStatusDeleting || l == nil {
		return
	}
	for _, w := range ws {
		if last, ok := l.versions[w.key]; ok && !w.ver.after(last) {
			continue
		}
		l.versions[w.key] = w.ver
		old, _ := t.items.Get(&record{key: w.key})
		if old == nil && w.rec == nil {
			continue
		}
		l.applying = true
		t.store(old, w.rec)
		l.applying = false
		// The receiving replica pays for the write (replicated write
		// request units). Replication is not refused when a provisioned
		// replica has no capacity left: it consumes into debt, as a
		// lagging replica catches up.
		if t.db != nil {
			t.db.charge(writeUsage(t, old, w.rec, false))
		}
	}
}
