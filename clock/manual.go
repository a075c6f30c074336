package clock

import (
	"container/heap"
	"context"
	"sync"
	"time"
)

// Manual is a [Clock] whose time moves only when a test says so. It starts
// at the instant given to [NewManual]; [Manual.Advance] and [Manual.Set] move
// it forward and fire every timer, ticker, sleeper and after-func that falls
// due, one at a time in due order (ties in the order they were scheduled),
// with Now() equal to each one's due time while it fires. Work scheduled by
// those callbacks that falls due inside the same advance fires too.
//
// AfterFunc callbacks run on the goroutine that called Advance or Set, so
// their order is exactly the order of their due times; a callback may use
// the clock (read it, schedule timers) but must not call Advance or Set.
// Timers with a channel receive a send that never blocks, as in the time
// package, so the goroutine reading the channel wakes after Advance has
// fired it.
//
// [Manual.BlockUntil] lets a test wait until the code under test is waiting
// on the clock before it advances time.
//
// A Manual is safe for concurrent use.
type Manual struct {
	adv sync.Mutex // serialises Advance and Set

	mu      sync.Mutex
	now     time.Time
	timers  timerHeap
	seq     uint64
	changed chan struct{} // closed and replaced whenever timers change
}

// NewManual returns a Manual clock that reads start until it is advanced.
func NewManual(start time.Time) *Manual {
	return &Manual{now: start, changed: make(chan struct{})}
}

// Now returns the clock's current time.
func (m *Manual) Now() time.Time {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.now
}

// Since returns the time elapsed on the clock since t.
func (m *Manual) Since(t time.Time) time.Duration { return m.Now().Sub(t) }

// NewTimer returns a timer that fires once the clock has advanced by d. A
// timer with d <= 0 has fired already when NewTimer returns.
func (m *Manual) NewTimer(d time.Duration) Timer {
	t := &manualTimer{m: m, ch: make(chan time.Time, 1), index: -1}
	m.mu.Lock()
	m.schedule(t, d)
	m.mu.Unlock()
	return t
}

// AfterFunc calls f once the clock has advanced by d. When d <= 0, f runs at
// once on its own goroutine, as with [time.AfterFunc].
func (m *Manual) AfterFunc(d time.Duration, f func()) Timer {
	t := &manualTimer{m: m, f: f, index: -1}
	m.mu.Lock()
	m.schedule(t, d)
	m.mu.Unlock()
	return t
}

// NewTicker returns a ticker that ticks every d of the clock's time. It
// panics if d <= 0.
func (m *Manual) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("clock: non-positive interval for NewTicker")
	}
	t := &manualTimer{m: m, ch: make(chan time.Time, 1), period: d, index: -1}
	m.mu.Lock()
	m.schedule(t, d)
	m.mu.Unlock()
	return manualTicker{t}
}

// Sleep waits until the clock has advanced by d or ctx is done.
func (m *Manual) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := m.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Advance moves the clock forward by d, firing everything that falls due on
// the way in due order. A negative d is treated as zero.
func (m *Manual) Advance(d time.Duration) {
	if d < 0 {
		d = 0
	}
	m.adv.Lock()
	defer m.adv.Unlock()
	m.mu.Lock()
	target := m.now.Add(d)
	m.mu.Unlock()
	m.runUntil(target)
}

// Set moves the clock to t. If t is after the current time, everything due
// up to t fires as with Advance; if it is before, the clock is turned back
// and nothing fires.
func (m *Manual) Set(t time.Time) {
	m.adv.Lock()
	defer m.adv.Unlock()
	m.mu.Lock()
	if !t.After(m.now) {
		m.now = t
		m.mu.Unlock()
		return
	}
	m.mu.Unlock()
	m.runUntil(t)
}

// Pending returns the number of timers, tickers, sleepers and after-funcs
// waiting on the clock.
func (m *Manual) Pending() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.timers)
}

// BlockUntil waits until at least n timers, tickers, sleepers or
// after-funcs are waiting on the clock, or ctx is done. A test calls it
// before Advance so that it advances only once the code under test is
// waiting: a goroutine in Sleep, or a background loop with its next timer
// set, counts as one.
func (m *Manual) BlockUntil(ctx context.Context, n int) error {
	for {
		m.mu.Lock()
		if len(m.timers) >= n {
			m.mu.Unlock()
			return nil
		}
		ch := m.changed
		m.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// runUntil fires everything due up to target, then leaves the clock there.
// The caller holds m.adv.
func (m *Manual) runUntil(target time.Time) {
	m.mu.Lock()
	for len(m.timers) > 0 && !m.timers[0].when.After(target) {
		t := heap.Pop(&m.timers).(*manualTimer)
		if t.when.After(m.now) {
			m.now = t.when
		}
		if t.period > 0 {
			t.when = t.when.Add(t.period)
			m.seq++
			t.seq = m.seq
			heap.Push(&m.timers, t)
		}
		m.notify()
		if t.f != nil {
			f := t.f
			m.mu.Unlock()
			f()
			m.mu.Lock()
			continue
		}
		select {
		case t.ch <- m.now:
		default:
		}
	}
	if target.After(m.now) {
		m.now = target
	}
	m.mu.Unlock()
}

// schedule puts t on the heap to fire d from now, or fires it at once when
// d <= 0. The caller holds m.mu.
func (m *Manual) schedule(t *manualTimer, d time.Duration) {
	t.when = m.now.Add(d)
	if d <= 0 && t.period == 0 {
		if t.f != nil {
			go t.f()
		} else {
			select {
			case t.ch <- m.now:
			default:
			}
		}
		return
	}
	m.seq++
	t.seq = m.seq
	heap.Push(&m.timers, t)
	m.notify()
}

// unschedule takes t off the heap and reports whether it was on it. The
// caller holds m.mu.
func (m *Manual) unschedule(t *manualTimer) bool {
	if t.index < 0 {
		return false
	}
	heap.Remove(&m.timers, t.index)
	m.notify()
	return true
}

// notify wakes BlockUntil callers. The caller holds m.mu.
func (m *Manual) notify() {
	close(m.changed)
	m.changed = make(chan struct{})
}

// manualTimer is a timer, ticker or after-func of a Manual clock.
type manualTimer struct {
	m      *Manual
	when   time.Time
	seq    uint64
	index  int // position in the heap, -1 when not scheduled
	ch     chan time.Time
	f      func()
	period time.Duration // non-zero for a ticker
}

func (t *manualTimer) C() <-chan time.Time { return t.ch }

func (t *manualTimer) Stop() bool {
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	t.drain()
	return t.m.unschedule(t)
}

// Reset on a timer reschedules it d from now. On a ticker it restarts the
// ticker with period d (the Ticker interface has no result).
func (t *manualTimer) Reset(d time.Duration) bool {
	t.m.mu.Lock()
	defer t.m.mu.Unlock()
	t.drain()
	active := t.m.unschedule(t)
	if t.period > 0 {
		if d <= 0 {
			panic("clock: non-positive interval for Ticker.Reset")
		}
		t.period = d
	}
	t.m.schedule(t, d)
	return active
}

// drain discards a fired but unread value, so that after Stop or Reset no
// stale time is received, as with timers since Go 1.23.
func (t *manualTimer) drain() {
	if t.ch == nil {
		return
	}
	select {
	case <-t.ch:
	default:
	}
}

// manualTicker adapts a periodic manualTimer to the Ticker interface.
type manualTicker struct{ t *manualTimer }

func (a manualTicker) C() <-chan time.Time   { return a.t.C() }
func (a manualTicker) Stop()                 { a.t.Stop() }
func (a manualTicker) Reset(d time.Duration) { a.t.Reset(d) }

// timerHeap orders timers by due time, then by scheduling order.
type timerHeap []*manualTimer

func (h timerHeap) Len() int { return len(h) }
func (h timerHeap) Less(i, j int) bool {
	if h[i].when.Equal(h[j].when) {
		return h[i].seq < h[j].seq
	}
	return h[i].when.Before(h[j].when)
}
func (h timerHeap) Swap(i, j int) {
	h[i], h[j] = h[j], h[i]
	h[i].index = i
	h[j].index = j
}
func (h *timerHeap) Push(x any) {
	t := x.(*manualTimer)
	t.index = len(*h)
	*h = append(*h, t)
}
func (h *timerHeap) Pop() any {
	old := *h
	t := old[len(old)-1]
	old[len(old)-1] = nil
	t.index = -1
	*h = old[:len(old)-1]
	return t
}
