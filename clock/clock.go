package clock

import (
	"context"
	"time"
)

// Clock is the time source every minicloud service takes in its options.
// Services read the time, wait and schedule work only through it, so that a
// [Manual] clock controls everything a service does over time.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Since returns the time elapsed since t.
	Since(t time.Time) time.Duration
	// NewTimer returns a timer that sends the current time on its channel
	// once d has elapsed, as [time.NewTimer].
	NewTimer(d time.Duration) Timer
	// AfterFunc calls f once d has elapsed, as [time.AfterFunc]. Stopping
	// the returned timer before it fires prevents the call.
	AfterFunc(d time.Duration, f func()) Timer
	// NewTicker returns a ticker that sends the time on its channel every
	// d, dropping ticks a slow reader misses, as [time.NewTicker]. It
	// panics if d <= 0, as time.NewTicker does.
	NewTicker(d time.Duration) Ticker
	// Sleep waits until d has elapsed or ctx is done, whichever is first,
	// and returns ctx.Err() in the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

// Timer is a single event scheduled on a [Clock].
type Timer interface {
	// C returns the channel the timer sends on. For a timer made by
	// AfterFunc it is nil.
	C() <-chan time.Time
	// Stop prevents the timer from firing. It reports whether the call
	// stopped the timer, false if it had already fired or been stopped.
	Stop() bool
	// Reset changes the timer to fire after d. It reports whether the
	// timer was active before the call.
	Reset(d time.Duration) bool
}

// Ticker delivers ticks at intervals on a [Clock].
type Ticker interface {
	// C returns the channel the ticks are sent on.
	C() <-chan time.Time
	// Stop turns the ticker off; no more ticks are sent.
	Stop()
	// Reset stops the ticker and restarts it with period d.
	Reset(d time.Duration)
}

// Real returns the clock of the machine, backed by the time package. It is
// the default of every service whose options leave the clock nil. Inside a
// testing/synctest bubble it runs on the bubble's virtual time.
func Real() Clock { return realClock{} }

// Or returns c, or [Real] when c is nil. Services use it to apply the
// default of an Options.Clock field left unset.
func Or(c Clock) Clock {
	if c == nil {
		return Real()
	}
	return c
}

type realClock struct{}

func (realClock) Now() time.Time                  { return time.Now() }
func (realClock) Since(t time.Time) time.Duration { return time.Since(t) }

func (realClock) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

func (realClock) AfterFunc(d time.Duration, f func()) Timer {
	return realTimer{time.AfterFunc(d, f)}
}

func (realClock) NewTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time   { return r.t.C }
func (r realTicker) Stop()                 { r.t.Stop() }
func (r realTicker) Reset(d time.Duration) { r.t.Reset(d) }
