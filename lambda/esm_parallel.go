package lambda

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"sync"
	"time"
)

// A shard of a mapping with ParallelizationFactor N > 1 is read by one
// reader and processed by N lanes. Each record goes to the lane its
// partition key hashes to (the item's key for DynamoDB, partitionKey for
// Kinesis), so the records of one key are processed in order by one lane,
// while the lanes batch, retry, bisect and block independently: a failing
// batch holds back only the keys of its lane, as in Lambda. The shard's
// checkpoint is the end of the longest run of records, in stream order,
// that every lane has finished, so a restart never skips a record that a
// lane has not processed (it may deliver again records after it that
// another lane had processed: delivery is at least once, as in Lambda).

// esmParallelBuffer is how many records per lane a parallel shard reads
// ahead of its checkpoint before it waits for the lanes.
const esmParallelBuffer = 1000

// laneEntry is a record read from the shard, waiting for its lane.
type laneEntry struct {
	seq  string
	done bool
}

// shardLanes tracks the records a parallel shard has read and not yet
// moved its checkpoint past.
type shardLanes struct {
	m  *mapping
	st *shardState
	c  EventSourceMappingConfiguration

	mu sync.Mutex
	// entries from head on are the records after the checkpoint, in
	// stream order; the filtered-out ones are done at once.
	entries  []*laneEntry
	head     int
	lastRead string
	// reading: the reader is draining what the stream has, so a lane
	// waits for more before invoking with less than BatchSize.
	reading bool
	// ended: the shard is closed and read to its end.
	ended    bool
	lanes    []*lane
	progress chan struct{}
}

// lane is one of a parallel shard's N processors.
type lane struct {
	l  *shardLanes
	st *shardState // a view of the shard whose checkpoints go to done
	// guarded by l.mu
	queue       []streamRecord // read, not yet in a batch
	owned       []*laneEntry   // queued or in flight, in order
	windowStart time.Time
	wake        chan struct{}
}

// partitionKey returns the key that orders a record: the item's key
// (dynamodb.Keys, in a canonical form) or the Kinesis partitionKey.
func partitionKey(raw json.RawMessage) string {
	var v struct {
		Dynamodb *struct {
			Keys map[string]json.RawMessage `json:"Keys"`
		} `json:"dynamodb"`
		Kinesis *struct {
			PartitionKey string `json:"partitionKey"`
		} `json:"kinesis"`
	}
	if json.Unmarshal(raw, &v) != nil {
		return ""
	}
	switch {
	case v.Kinesis != nil:
		return v.Kinesis.PartitionKey
	case v.Dynamodb != nil && len(v.Dynamodb.Keys) > 0:
		// Marshal sorts the attribute names and compacts the values, so
		// one item has one key whatever the record's spacing.
		b, _ := json.Marshal(v.Dynamodb.Keys)
		return string(b)
	}
	return ""
}

// laneOf is the lane, of n, that processes the records of key.
func laneOf(key string, n int) int {
	h := fnv.New64a()
	h.Write([]byte(key))
	return int(h.Sum64() % uint64(n))
}

// pollShardParallel is pollShard for ParallelizationFactor n > 1.
func (m *mapping) pollShardParallel(ctx context.Context, st *shardState, n int) {
	for ctx.Err() == nil {
		restart := m.readParallel(ctx, st, n)
		if !restart {
			return
		}
	}
}

// readParallel reads the shard into n lanes until it ends (true when
// the shard has to be read again from TRIM_HORIZON, after its records
// were trimmed).
func (m *mapping) readParallel(ctx context.Context, st *shardState, n int) (restart bool) {
	m.mu.Lock()
	after := st.lastSeq
	m.mu.Unlock()
	it, ok := m.iterator(ctx, st, after)
	if !ok {
		return false
	}
	c := m.settings()
	filter, _ := compileFilterCriteria(c.FilterCriteria)
	l := &shardLanes{m: m, st: st, c: c, progress: make(chan struct{}), lastRead: after}
	lctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer func() {
		cancel()
		wg.Wait()
	}()
	for range n {
		ln := &lane{l: l, st: &shardState{id: st.id, parent: st.parent}, wake: make(chan struct{}, 1)}
		ln.st.lane = ln
		l.lanes = append(l.lanes, ln)
		wg.Add(1)
		go func() {
			defer wg.Done()
			ln.run(lctx)
		}()
	}
	room := esmParallelBuffer * n
	for ctx.Err() == nil {
		changed := m.src.Changed()
		if it == "" {
			l.end()
			wg.Wait()
			if ctx.Err() == nil {
				m.mu.Lock()
				st.finished = true
				m.mu.Unlock()
			}
			return false
		}
		free, progress := l.room(room)
		if free == 0 {
			select {
			case <-ctx.Done():
			case <-progress:
			}
			continue
		}
		recs, next, err := m.src.Records(ctx, it, min(1000, free))
		if err != nil {
			if ctx.Err() != nil {
				return false
			}
			l.setReading(false)
			switch errorCode(err) {
			case "ExpiredIteratorException":
				// The records read are in the lanes: read on after them.
				if it, ok = m.iterator(ctx, st, l.lastReadSeq()); !ok {
					return false
				}
			case "TrimmedDataAccessException":
				// Stop the lanes before the checkpoint is reset, so that
				// none moves it again.
				cancel()
				wg.Wait()
				m.mu.Lock()
				st.latest, st.lastSeq = false, ""
				m.mu.Unlock()
				return true
			default:
				m.setResult("PROBLEM: " + err.Error())
				if !m.sleep(ctx, esmRetryFirst) {
					return false
				}
			}
			continue
		}
		it = next
		more := len(recs) > 0 && it != ""
		l.dispatch(recs, filter, more)
		if more || it == "" {
			continue
		}
		select {
		case <-ctx.Done():
		case <-changed:
		}
	}
	return false
}

// room is how many more records the reader may read, and a channel
// closed when the checkpoint next moves.
func (l *shardLanes) room(limit int) (int, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	free := max(0, limit-(len(l.entries)-l.head))
	if free == 0 && l.reading {
		l.reading = false
		l.wakeAll()
	}
	return free, l.progress
}

func (l *shardLanes) setReading(r bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.reading != r {
		l.reading = r
		l.wakeAll()
	}
}

func (l *shardLanes) lastReadSeq() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.lastRead
}

// end tells the lanes that the shard is read to its end.
func (l *shardLanes) end() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ended, l.reading = true, false
	l.wakeAll()
}

// wakeAll wakes every lane. The caller holds l.mu.
func (l *shardLanes) wakeAll() {
	for _, ln := range l.lanes {
		ln.poke()
	}
}

func (ln *lane) poke() {
	select {
	case ln.wake <- struct{}{}:
	default:
	}
}

// dispatch hands records just read to their lanes. more: the reader is
// about to read again at once.
func (l *shardLanes) dispatch(raws []json.RawMessage, filter *eventFilter, more bool) {
	now := l.m.s.clock.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, raw := range raws {
		r := parseRecord(raw)
		e := &laneEntry{seq: r.seq}
		l.entries = append(l.entries, e)
		l.lastRead = r.seq
		if !filter.match(r.raw, r.kinesis) {
			e.done = true
			continue
		}
		ln := l.lanes[laneOf(partitionKey(raw), len(l.lanes))]
		if len(ln.queue) == 0 {
			ln.windowStart = now
		}
		ln.queue = append(ln.queue, r)
		ln.owned = append(ln.owned, e)
		ln.poke()
	}
	l.advanceLocked()
	if l.reading != more {
		l.reading = more
		l.wakeAll()
	}
}

// done marks the lane's records up to r as processed, and moves the
// shard's checkpoint past every record finished in stream order.
func (ln *lane) done(r streamRecord) {
	l := ln.l
	l.mu.Lock()
	defer l.mu.Unlock()
	for len(ln.owned) > 0 {
		e := ln.owned[0]
		ln.owned[0] = nil
		ln.owned = ln.owned[1:]
		e.done = true
		if e.seq == r.seq {
			break
		}
	}
	l.advanceLocked()
}

// advanceLocked moves the checkpoint past the finished records at the
// head. The caller holds l.mu.
func (l *shardLanes) advanceLocked() {
	last := ""
	for l.head < len(l.entries) && l.entries[l.head].done {
		last = l.entries[l.head].seq
		l.entries[l.head] = nil
		l.head++
	}
	if last == "" {
		return
	}
	if l.head > len(l.entries)/2 {
		l.entries = append(l.entries[:0:0], l.entries[l.head:]...)
		l.head = 0
	}
	l.m.mu.Lock()
	l.st.lastSeq = last
	l.m.mu.Unlock()
	close(l.progress)
	l.progress = make(chan struct{})
}

// run processes the lane's records in batches until ctx ends or the
// shard ends and the lane is empty.
func (ln *lane) run(ctx context.Context) {
	m, c := ln.l.m, ln.l.c
	window := time.Duration(c.MaximumBatchingWindowInSeconds) * time.Second
	for {
		batch, ok := ln.next(ctx, window)
		if !ok {
			return
		}
		if !m.process(ctx, ln.st, batch, c) {
			return
		}
	}
}

// next waits until the lane has a batch to invoke: BatchSize records,
// or fewer once the reader has drained the stream and the batching
// window has passed. False when ctx ended or the shard is done.
func (ln *lane) next(ctx context.Context, window time.Duration) ([]streamRecord, bool) {
	l, m, size := ln.l, ln.l.m, ln.l.c.BatchSize
	for {
		var wait time.Duration
		l.mu.Lock()
		q := ln.queue
		switch {
		case ctx.Err() != nil:
			l.mu.Unlock()
			return nil, false
		case len(q) == 0:
			if l.ended {
				l.mu.Unlock()
				return nil, false
			}
		case len(q) >= size || l.ended:
		case l.reading:
			q = nil
		case window > 0:
			if left := window - m.s.clock.Since(ln.windowStart); left > 0 {
				wait, q = left, nil
			}
		}
		if len(q) > 0 {
			n := m.fit(q, size)
			batch := q[:n:n]
			ln.queue = q[n:]
			if len(ln.queue) > 0 {
				ln.windowStart = m.s.clock.Now()
			}
			l.mu.Unlock()
			return batch, true
		}
		l.mu.Unlock()
		if wait > 0 {
			t := m.s.clock.NewTimer(wait)
			select {
			case <-ctx.Done():
			case <-ln.wake:
			case <-t.C():
			}
			t.Stop()
			continue
		}
		select {
		case <-ctx.Done():
		case <-ln.wake:
		}
	}
}
