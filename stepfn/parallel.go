package stepfn

import (
	"context"
	"errors"
	"sync"
)

// group runs functions on goroutines, at most limit at once, and
// remembers the first error; with a context, the first error cancels it.
// It is errgroup's shape, kept here so that the package needs no module
// beyond the standard library.
type group struct {
	wg     sync.WaitGroup
	sem    chan struct{}
	once   sync.Once
	err    error
	ctx    context.Context
	cancel context.CancelFunc
}

// newGroup returns a group and a context cancelled on its first error.
func newGroup(ctx context.Context, limit int) (*group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	g := &group{ctx: ctx, cancel: cancel}
	if limit > 0 {
		g.sem = make(chan struct{}, limit)
	}
	return g, ctx
}

// Go runs f on a new goroutine once a slot is free. Once the group's
// context is done, it starts nothing more.
func (g *group) Go(f func() error) {
	if g.sem != nil {
		select {
		case g.sem <- struct{}{}:
		case <-g.ctx.Done():
			return
		}
		if g.ctx.Err() != nil {
			<-g.sem
			return
		}
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		if g.sem != nil {
			defer func() { <-g.sem }()
		}
		if err := f(); err != nil {
			g.once.Do(func() {
				g.err = err
				g.cancel()
			})
		}
	}()
}

// Wait waits for every function and returns the first error.
func (g *group) Wait() error {
	g.wg.Wait()
	g.cancel()
	return g.err
}

// branchError carries a branch's failure through a group.
type branchError struct{ serr *stateError }

func (b *branchError) Error() string { return b.serr.Error() }

// parallel runs every branch on the same input at once and returns their
// outputs in branch order. The first branch to fail stops the others,
// and the Parallel state fails with that branch's error.
func (e *execution) parallel(ctx context.Context, sr *stateRun, input any, th *thread) (any, *stateError) {
	st := sr.st
	startedID := e.emit(th, HistoryEvent{Type: "ParallelStateStarted"})
	e.noteSteps(len(st.branches))
	results := make([]any, len(st.branches))
	lasts := make([]int64, len(st.branches))
	g, gctx := newGroup(ctx, 0)
	for i, b := range st.branches {
		g.Go(func() error {
			bth := e.childThread(th, startedID)
			out, serr := e.runSet(gctx, b, input, bth, newScope(sr.vars))
			if bth != nil {
				lasts[i] = bth.prev
			}
			if serr != nil {
				return &branchError{serr}
			}
			results[i] = out
			return nil
		})
	}
	err := g.Wait()
	end := e.joinThread(th, lasts)
	if err != nil {
		var be *branchError
		errors.As(err, &be)
		if aborted(be.serr) || ctx.Err() != nil {
			return nil, errAborted
		}
		e.emit(end, HistoryEvent{Type: "ParallelStateFailed"})
		th.sync(end)
		return nil, be.serr
	}
	e.emit(end, HistoryEvent{Type: "ParallelStateSucceeded"})
	th.sync(end)
	return results, nil
}

// childThread starts a branch or iteration thread after event id from;
// nil (record nothing) when the parent records nothing.
func (e *execution) childThread(parent *thread, from int64) *thread {
	if parent == nil || e.express {
		return nil
	}
	return &thread{prev: from}
}

// joinThread continues the parent thread after its children: from the
// latest event any child wrote.
func (e *execution) joinThread(parent *thread, lasts []int64) *thread {
	if parent == nil {
		return nil
	}
	j := &thread{prev: parent.prev}
	for _, l := range lasts {
		j.prev = max(j.prev, l)
	}
	return j
}

// sync moves a thread to where another one ended.
func (t *thread) sync(o *thread) {
	if t != nil && o != nil {
		t.prev = o.prev
	}
}

// failureCounter tracks a distributed Map's failed items against its
// tolerance.
type failureCounter struct {
	mu       sync.Mutex
	failed   int
	total    int
	count    int64
	pct      float64
	hasCount bool
	hasPct   bool
}

// fail counts one failure and reports whether the tolerance is exceeded.
func (f *failureCounter) fail() bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.failed++
	return f.exceededLocked()
}

func (f *failureCounter) exceededLocked() bool {
	if !f.hasCount && !f.hasPct {
		return f.failed > 0
	}
	return (f.hasCount && int64(f.failed) > f.count) || (f.hasPct && float64(f.failed)*100 > f.pct*float64(f.total))
}
