package clock_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// worker is written the way minicloud's background loops are: it waits on
// a clock timer or a channel, never spins, and exits when told to.
func worker(c clock.Clock, every time.Duration, ticks chan<- time.Time, quit <-chan struct{}) {
	t := c.NewTimer(every)
	defer t.Stop()
	for {
		select {
		case at := <-t.C():
			ticks <- at
			t.Reset(every)
		case <-quit:
			return
		}
	}
}

// TestReal_InSynctestBubble shows that the real clock, and so every service
// left on its default clock, runs on virtual time inside a synctest bubble.
func TestReal_InSynctestBubble(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		c := clock.Real()
		start := c.Now()
		ticks := make(chan time.Time)
		quit := make(chan struct{})
		go worker(c, 24*time.Hour, ticks, quit)

		for day := 1; day <= 3; day++ {
			at := <-ticks
			if got := at.Sub(start); got != time.Duration(day)*24*time.Hour {
				t.Fatalf("tick %d after %v, want %d days", day, got, day)
			}
		}
		if err := c.Sleep(context.Background(), 15*time.Minute); err != nil {
			t.Fatal(err)
		}
		if got := c.Since(start); got != 72*time.Hour+15*time.Minute {
			t.Fatalf("virtual time elapsed %v", got)
		}
		close(quit)
		synctest.Wait() // the worker has exited: the bubble would fail otherwise
	})
}
