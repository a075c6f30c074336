package clock_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func TestManual_AdvanceFiresInDueOrder(t *testing.T) {
	c := clock.NewManual(epoch)
	var got []string
	record := func(name string) func() {
		return func() { got = append(got, name+"@"+c.Since(epoch).String()) }
	}
	c.AfterFunc(3*time.Second, record("c"))
	c.AfterFunc(1*time.Second, record("a"))
	c.AfterFunc(2*time.Second, record("b1"))
	c.AfterFunc(2*time.Second, record("b2")) // same instant: scheduling order
	c.AfterFunc(10*time.Second, record("late"))

	c.Advance(5 * time.Second)

	want := []string{"a@1s", "b1@2s", "b2@2s", "c@3s"}
	if len(got) != len(want) {
		t.Fatalf("fired %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("fired %v, want %v", got, want)
		}
	}
	if now := c.Since(epoch); now != 5*time.Second {
		t.Fatalf("clock at %v after Advance(5s), want 5s", now)
	}
	if c.Pending() != 1 {
		t.Fatalf("Pending = %d, want 1 (the 10s timer)", c.Pending())
	}
}

func TestManual_TimersAddedDuringAdvanceFire(t *testing.T) {
	c := clock.NewManual(epoch)
	var fired []time.Duration
	var step func()
	step = func() {
		fired = append(fired, c.Since(epoch))
		if len(fired) < 10 {
			c.AfterFunc(time.Minute, step)
		}
	}
	c.AfterFunc(time.Minute, step)

	c.Advance(5*time.Minute + 30*time.Second)
	if len(fired) != 5 {
		t.Fatalf("fired %d chained timers in 5m30s, want 5: %v", len(fired), fired)
	}
	for i, d := range fired {
		if want := time.Duration(i+1) * time.Minute; d != want {
			t.Fatalf("timer %d saw Now()=epoch+%v, want +%v", i, d, want)
		}
	}
	c.Advance(time.Hour)
	if len(fired) != 10 {
		t.Fatalf("fired %d after an hour, want 10", len(fired))
	}
}

func TestManual_StopAndReset(t *testing.T) {
	c := clock.NewManual(epoch)
	var n atomic.Int32
	stopped := c.AfterFunc(time.Second, func() { n.Add(100) })
	if !stopped.Stop() {
		t.Fatal("Stop of a pending timer = false")
	}
	if stopped.Stop() {
		t.Fatal("second Stop = true")
	}

	reset := c.AfterFunc(time.Second, func() { n.Add(1) })
	if !reset.Reset(3 * time.Second) {
		t.Fatal("Reset of a pending timer = false")
	}
	c.Advance(2 * time.Second)
	if n.Load() != 0 {
		t.Fatalf("timer fired at its old time: n=%d", n.Load())
	}
	c.Advance(time.Second)
	if n.Load() != 1 {
		t.Fatalf("reset timer did not fire at its new time: n=%d", n.Load())
	}
	if reset.Reset(time.Second) {
		t.Fatal("Reset of a fired timer reported active")
	}
	c.Advance(time.Second)
	if n.Load() != 2 {
		t.Fatalf("re-armed timer did not fire: n=%d", n.Load())
	}
}

func TestManual_TimerChannel(t *testing.T) {
	c := clock.NewManual(epoch)
	tm := c.NewTimer(time.Minute)
	select {
	case <-tm.C():
		t.Fatal("timer fired before the clock moved")
	default:
	}
	c.Advance(time.Minute)
	select {
	case at := <-tm.C():
		if !at.Equal(epoch.Add(time.Minute)) {
			t.Fatalf("timer sent %v, want its due time", at)
		}
	default:
		t.Fatal("timer did not fire")
	}

	// A fired but unread value is discarded by Stop, as with Go 1.23 timers.
	tm2 := c.NewTimer(time.Second)
	c.Advance(time.Second)
	tm2.Stop()
	select {
	case <-tm2.C():
		t.Fatal("stale value received after Stop")
	default:
	}

	if immediate := c.NewTimer(0); len(immediate.C()) != 1 {
		t.Fatal("NewTimer(0) has not fired at once")
	}
}

func TestManual_Ticker(t *testing.T) {
	c := clock.NewManual(epoch)
	tk := c.NewTicker(10 * time.Second)
	var ticks int
	for i := 0; i < 3; i++ {
		c.Advance(10 * time.Second)
		select {
		case <-tk.C():
			ticks++
		default:
		}
	}
	if ticks != 3 {
		t.Fatalf("got %d ticks, want 3", ticks)
	}
	// A slow reader misses ticks rather than queueing them.
	c.Advance(time.Minute)
	if len(tk.C()) != 1 {
		t.Fatalf("ticker buffered %d ticks, want 1", len(tk.C()))
	}
	<-tk.C()
	tk.Reset(time.Hour)
	c.Advance(30 * time.Minute)
	if len(tk.C()) != 0 {
		t.Fatal("reset ticker ticked at its old period")
	}
	c.Advance(30 * time.Minute)
	if len(tk.C()) != 1 {
		t.Fatal("reset ticker did not tick at its new period")
	}
	tk.Stop()
	if c.Pending() != 0 {
		t.Fatalf("Pending = %d after Stop", c.Pending())
	}
}

func TestManual_SleepAndBlockUntil(t *testing.T) {
	c := clock.NewManual(epoch)
	ctx := context.Background()
	done := make(chan time.Duration)
	for i := 1; i <= 3; i++ {
		go func() {
			if err := c.Sleep(ctx, time.Duration(i)*time.Hour); err != nil {
				t.Error(err)
			}
			done <- time.Duration(i) * time.Hour
		}()
	}
	if err := c.BlockUntil(ctx, 3); err != nil {
		t.Fatal(err)
	}
	c.Advance(2 * time.Hour)
	got := map[time.Duration]bool{<-done: true, <-done: true}
	if !got[time.Hour] || !got[2*time.Hour] {
		t.Fatalf("woke %v, want the 1h and 2h sleepers", got)
	}
	c.Advance(time.Hour)
	if d := <-done; d != 3*time.Hour {
		t.Fatalf("woke %v, want 3h", d)
	}

	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error)
	go func() { errc <- c.Sleep(cctx, time.Hour) }()
	if err := c.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	cancel()
	if err := <-errc; err != context.Canceled {
		t.Fatalf("Sleep returned %v after cancel, want context.Canceled", err)
	}

	short, cancel2 := context.WithCancel(ctx)
	cancel2()
	if err := c.BlockUntil(short, 99); err != context.Canceled {
		t.Fatalf("BlockUntil with a done context returned %v", err)
	}
}

func TestManual_SetMovesBothWays(t *testing.T) {
	c := clock.NewManual(epoch)
	var fired bool
	c.AfterFunc(time.Hour, func() { fired = true })
	c.Set(epoch.Add(-time.Hour))
	if fired || !c.Now().Equal(epoch.Add(-time.Hour)) {
		t.Fatal("Set back fired a timer or did not move the clock")
	}
	c.Set(epoch.Add(time.Hour))
	if !fired {
		t.Fatal("Set forward did not fire the due timer")
	}
}

func TestManual_ConcurrentUse(t *testing.T) {
	c := clock.NewManual(epoch)
	var fired atomic.Int64
	var wg sync.WaitGroup
	const workers, each = 8, 200
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				tm := c.AfterFunc(time.Duration(i%7+1)*time.Second, func() { fired.Add(1) })
				if i%5 == 0 {
					if tm.Stop() {
						fired.Add(1) // counted as handled: it will never fire
					}
				}
				_ = c.Now()
			}
		}()
	}
	stop := make(chan struct{})
	var adv sync.WaitGroup
	adv.Add(1)
	go func() {
		defer adv.Done()
		for {
			select {
			case <-stop:
				return
			default:
				c.Advance(time.Second)
			}
		}
	}()
	wg.Wait()
	close(stop)
	adv.Wait()
	c.Advance(time.Minute)
	if got := fired.Load(); got != workers*each {
		t.Fatalf("handled %d timers, want %d", got, workers*each)
	}
}

func TestReal_SleepHonoursContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := clock.Real().Sleep(ctx, time.Hour); err != context.Canceled {
		t.Fatalf("Sleep with a cancelled context = %v", err)
	}
	if clock.Or(nil) == nil {
		t.Fatal("Or(nil) returned nil")
	}
	m := clock.NewManual(epoch)
	if clock.Or(m) != m {
		t.Fatal("Or(m) did not return m")
	}
}
