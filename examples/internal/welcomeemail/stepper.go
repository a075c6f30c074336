package welcomeemail

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

// stepper is how the narrator moves time: the account's clock.Manual,
// seen through the two calls a stream mapping's poller waits with
// (NewTimer for its batching window, Sleep for its backoff before a
// retry), and the stream source the mapping reads, counted. Everything
// else of the account (invocation deadlines, idle environments) waits with
// AfterFunc and is not watched.
//
// With both in view the narrator advances the clock only when the poller
// has read every record written and is waiting on the clock, and only to
// the instant that wait ends; so each batch is the same on every run, at
// the same virtual time, without a single real sleep.
type stepper struct {
	*clock.Manual

	mu         sync.Mutex
	waits      map[*watchedTimer]time.Time // each one's due time
	written    int                         // records in the stream
	read       int                         // records the poller has read
	resolved   int                         // records processed or given up on
	polled     bool                        // a read after the last invocation began
	lastFailed bool
	changed    chan struct{} // closed and replaced on every change
}

func newStepper(start time.Time) *stepper {
	return &stepper{Manual: clock.NewManual(start), waits: map[*watchedTimer]time.Time{}, changed: make(chan struct{})}
}

// update changes the state under the lock and wakes whoever waits on it.
func (s *stepper) update(f func()) {
	s.mu.Lock()
	defer s.mu.Unlock()
	f()
	close(s.changed)
	s.changed = make(chan struct{})
}

// NewTimer is the Manual's timer, watched until it fires or stops: the
// poller's batching window.
func (s *stepper) NewTimer(d time.Duration) clock.Timer { return s.watch(d, true) }

func (s *stepper) watch(d time.Duration, window bool) *watchedTimer {
	t := &watchedTimer{s: s, window: window}
	s.update(func() {
		t.Timer = s.Manual.NewTimer(d)
		s.waits[t] = s.Manual.Now().Add(d)
	})
	return t
}

// Sleep waits on a watched timer: the poller's backoff.
func (s *stepper) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := s.watch(d, false)
	defer t.Stop()
	select {
	case <-t.C():
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// watchedTimer is a timer of the stepper.
type watchedTimer struct {
	clock.Timer
	s      *stepper
	window bool
}

func (t *watchedTimer) Stop() bool {
	var ok bool
	t.s.update(func() {
		ok = t.Timer.Stop()
		delete(t.s.waits, t)
	})
	return ok
}

func (t *watchedTimer) Reset(d time.Duration) bool {
	var ok bool
	t.s.update(func() {
		ok = t.Timer.Reset(d)
		t.s.waits[t] = t.s.Manual.Now().Add(d)
	})
	return ok
}

// nextWait is when the earliest wait still pending ends; false for none.
// A batching window counts only once the poller has read every record
// written: before, it is about to be replaced by one that includes them.
// The caller holds s.mu.
func (s *stepper) nextWait() (time.Time, bool) {
	now := s.Manual.Now()
	var next time.Time
	for t, due := range s.waits {
		if !due.After(now) {
			delete(s.waits, t) // fired
			continue
		}
		if t.window && s.read < s.written {
			continue
		}
		if next.IsZero() || due.Before(next) {
			next = due
		}
	}
	return next, !next.IsZero()
}

// wrote counts n records written to the stream; call it once the writes
// have returned.
func (s *stepper) wrote(n int) { s.update(func() { s.written += n }) }

// invoked and returned are called by the handler as an invocation of n
// records begins and ends.
func (s *stepper) invoked() {
	s.update(func() { s.polled = false })
}

func (s *stepper) returned(n int, failed bool) {
	s.update(func() {
		s.lastFailed = failed
		if !failed {
			s.resolved += n
		}
	})
}

// gaveUp counts n records the mapping sent to its on-failure destination.
func (s *stepper) gaveUp(n int) { s.update(func() { s.resolved += n }) }

// countedSource is the table's stream as the mapping reads it, with each
// read reported to the stepper.
type countedSource struct {
	lambda.EventSource
	s *stepper
}

func (c countedSource) Records(ctx context.Context, iterator string, limit int) ([]json.RawMessage, string, error) {
	recs, next, err := c.EventSource.Records(ctx, iterator, limit)
	c.s.update(func() { c.s.read, c.s.polled = c.s.read+len(recs), true })
	return recs, next, err
}

// errStalled says the mapping stopped making progress: a bug, never the
// scenario.
var errStalled = errors.New("the event source mapping stalled")

// settle waits until the poller either waits on the clock (it returns
// when that wait ends, and whether the last invocation failed) or is
// idle: every record written processed or given up on, and the stream
// read again since the last invocation, so that the invocation has
// returned (it returns the zero time).
func (s *stepper) settle(ctx context.Context) (until time.Time, afterFailure bool, err error) {
	for {
		s.mu.Lock()
		next, waiting := s.nextWait()
		idle := s.resolved == s.written && s.polled
		failed, ch := s.lastFailed, s.changed
		s.mu.Unlock()
		if waiting {
			return next, failed, nil
		}
		if idle {
			return time.Time{}, false, nil
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return time.Time{}, false, errStalled
		}
	}
}
