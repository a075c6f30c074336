package stepfn

import (
	"context"
	"errors"
	"fmt"
)

// mapState runs the item processor once per item (or per batch) of the
// Map state's input array, at most MaxConcurrency at once, and returns
// the outputs in item order.
//
// In INLINE mode every iteration writes its events into the execution's
// history between MapIterationStarted and MapIterationSucceeded (or
// Failed, or Aborted), and the first failure fails the Map state with
// that error. In DISTRIBUTED mode the iterations are child workflows
// whose events stay out of the parent's history (MapRunStarted and
// MapRunSucceeded or MapRunFailed frame them), failures up to
// ToleratedFailureCount / ToleratedFailurePercentage are tolerated, and
// beyond that the state fails with States.ExceedToleratedFailureThreshold.
func (e *execution) mapState(ctx context.Context, sr *stateRun, eff any, th *thread) (any, *stateError) {
	st := sr.st
	inputs, limit, serr := sr.mapInputs(eff)
	if serr != nil {
		return nil, serr
	}

	e.noteSteps(len(inputs))
	startedID := e.emit(th, HistoryEvent{Type: "MapStateStarted", MapStateStartedEventDetails: &MapStateStartedEventDetails{Length: len(inputs)}})
	if st.distributed {
		return e.distributedMap(ctx, sr, eff, inputs, limit, th)
	}
	return e.inlineMap(ctx, sr, inputs, limit, startedID, th)
}

// mapInputs selects a JSONPath Map state's items (ItemsPath), shapes
// them (ItemSelector), batches them (ItemBatcher) and resolves its
// concurrency.
func (sr *stateRun) mapInputs(eff any) ([]any, int, *stateError) {
	if sr.st.jsonata {
		return sr.ataMapInputs(eff)
	}
	st, e := sr.st, sr.e
	env := sr.env(eff)
	items := eff
	if st.itemsPath != nil {
		v, err := env.evalPath(st.itemsPath)
		if err != nil {
			return nil, 0, sr.runtime("Invalid path '%s' : No results for path: %s", st.itemsPath.src, bracketPath(st.itemsPath))
		}
		items = v
	}
	arr, ok := items.([]any)
	if !ok {
		return nil, 0, sr.runtime("Map state input must be an array, but the ItemsPath selected a value of type %s", jsonType(items))
	}
	inputs := make([]any, len(arr))
	for i, item := range arr {
		inputs[i] = item
		if st.itemSelector != nil {
			isr := &stateRun{e: e, st: st, enteredID: sr.enteredID, entered: sr.entered, item: &mapItem{index: i, value: item}, vars: sr.vars}
			v, serr := isr.template(st.itemSelector, eff, "ItemSelector")
			if serr != nil {
				return nil, 0, serr
			}
			inputs[i] = v
		}
	}
	if st.batcher != nil {
		batched, serr := sr.batch(st.batcher, eff, inputs)
		if serr != nil {
			return nil, 0, serr
		}
		inputs = batched
	}
	limit, serr := sr.concurrency(eff)
	if serr != nil {
		return nil, 0, serr
	}
	return inputs, limit, nil
}

// inlineMap runs an INLINE Map state's iterations.
func (e *execution) inlineMap(ctx context.Context, sr *stateRun, inputs []any, limit int, startedID int64, th *thread) (any, *stateError) {
	st := sr.st
	results := make([]any, len(inputs))
	lasts := make([]int64, len(inputs))
	g, gctx := newGroup(ctx, limit)
	for i, in := range inputs {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			// AWS links an iteration's start to the last event written
			// when it starts: MapStateStarted for the first, the previous
			// iteration's last event when they run one after another.
			ith := e.childThread(th, max(startedID, e.lastEventID()))
			detail := &MapIterationEventDetails{Name: st.name, Index: i}
			e.emit(ith, HistoryEvent{Type: "MapIterationStarted", MapIterationStartedEventDetails: detail})
			out, serr := e.runSet(gctx, st.processor, in, ith, newScope(sr.vars))
			switch {
			case aborted(serr):
				e.emit(ith, HistoryEvent{Type: "MapIterationAborted", MapIterationAbortedEventDetails: detail})
			case serr != nil:
				e.emit(ith, HistoryEvent{Type: "MapIterationFailed", MapIterationFailedEventDetails: detail})
			default:
				e.emit(ith, HistoryEvent{Type: "MapIterationSucceeded", MapIterationSucceededEventDetails: detail})
				results[i] = out
			}
			if ith != nil {
				lasts[i] = ith.prev
			}
			if serr != nil {
				return &branchError{serr}
			}
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
		e.emit(end, HistoryEvent{Type: "MapStateFailed"})
		th.sync(end)
		return nil, be.serr
	}
	if ctx.Err() != nil {
		return nil, errAborted
	}
	// MapStateSucceeded and the MapStateExited after it both link to
	// the last iteration's event, as AWS records them.
	last := end
	if end != nil {
		last = &thread{prev: end.prev}
	}
	e.emit(end, HistoryEvent{Type: "MapStateSucceeded"})
	th.sync(last)
	return results, nil
}

// distributedMap runs the iterations as child workflows of a map run.
func (e *execution) distributedMap(ctx context.Context, sr *stateRun, eff any, inputs []any, limit int, th *thread) (any, *stateError) {
	st := sr.st
	fc := &failureCounter{total: len(inputs), count: st.toleratedCount, pct: st.toleratedPercent, hasCount: st.hasToleratedCount, hasPct: st.hasToleratedPct}
	if serr := sr.ataTolerated(eff, fc); serr != nil {
		return nil, serr
	}
	env := sr.env(eff)
	if st.toleratedCountPath != nil {
		v, err := env.evalPath(st.toleratedCountPath)
		n, ok := asPathInt(v)
		if err != nil || !ok || n < 0 {
			return nil, sr.runtime("The ToleratedFailureCountPath field refers to value that is not a non-negative integer: %s", st.toleratedCountPath.src)
		}
		fc.count, fc.hasCount = n, true
	}
	if st.toleratedPctPath != nil {
		v, err := env.evalPath(st.toleratedPctPath)
		f, ok := asPathFloat(v)
		if err != nil || !ok || f < 0 || f > 100 {
			return nil, sr.runtime("The ToleratedFailurePercentagePath field refers to value that is not a number between 0 and 100: %s", st.toleratedPctPath.src)
		}
		fc.pct, fc.hasPct = f, true
	}
	runArn := fmt.Sprintf("arn:aws:states:%s:%s:mapRun:%s/%s:%s", e.svc.region, e.svc.account, e.m.name, st.name, e.svc.rnd.uuid())
	e.emit(th, HistoryEvent{Type: "MapRunStarted", MapRunStartedEventDetails: &MapRunStartedEventDetails{MapRunArn: runArn}})

	results := make([]any, len(inputs))
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, _ := newGroup(rctx, limit)
	exceeded := false
	for i, in := range inputs {
		if rctx.Err() != nil {
			break
		}
		g.Go(func() error {
			out, serr := e.runSet(rctx, st.processor, in, nil, newScope(nil))
			switch {
			case aborted(serr):
			case serr != nil:
				results[i] = map[string]any{"Error": serr.name, "Cause": serr.cause}
				if fc.fail() {
					fc.mu.Lock()
					exceeded = true
					fc.mu.Unlock()
					cancel()
				}
			default:
				results[i] = out
			}
			return nil
		})
	}
	_ = g.Wait()
	if ctx.Err() != nil {
		return nil, errAborted
	}
	fc.mu.Lock()
	over := exceeded
	fc.mu.Unlock()
	if over {
		cause := "The specified tolerated failure threshold was exceeded"
		e.emit(th, HistoryEvent{Type: "MapRunFailed", MapRunFailedEventDetails: &FailureEventDetails{Error: ErrorExceedToleratedFailureThreshold, Cause: cause}})
		e.emit(th, HistoryEvent{Type: "MapStateFailed"})
		return nil, &stateError{name: ErrorExceedToleratedFailureThreshold, cause: cause}
	}
	e.emit(th, HistoryEvent{Type: "MapRunSucceeded"})
	e.emit(th, HistoryEvent{Type: "MapStateSucceeded"})
	return results, nil
}

// concurrency resolves MaxConcurrency: 0 means the mode's own limit.
func (sr *stateRun) concurrency(eff any) (int, *stateError) {
	st := sr.st
	n := st.maxConcurrency
	if st.maxConcurrencyPath != nil {
		v, err := sr.env(eff).evalPath(st.maxConcurrencyPath)
		m, ok := asPathInt(v)
		if err != nil || !ok || m < 0 {
			return 0, sr.runtime("The MaxConcurrencyPath field refers to value that is not a non-negative integer: %s", st.maxConcurrencyPath.src)
		}
		n = m
	}
	if n == 0 {
		if st.distributed {
			return maxDistributedConcurrency, nil
		}
		return sr.e.svc.limits.MaxInlineMapConcurrency, nil
	}
	return int(min(n, maxDistributedConcurrency)), nil
}

// batch groups item inputs as ItemBatcher says: each batch is
// {"Items": [...]} plus "BatchInput" when set, with at most
// MaxItemsPerBatch items and MaxInputBytesPerBatch bytes.
func (sr *stateRun) batch(b *itemBatcher, eff any, inputs []any) ([]any, *stateError) {
	env := sr.env(eff)
	maxItems, maxBytes := b.maxItems, b.maxBytes
	if b.maxItemsPath != nil {
		v, err := env.evalPath(b.maxItemsPath)
		n, ok := asPathInt(v)
		if err != nil || !ok || n <= 0 {
			return nil, sr.runtime("The MaxItemsPerBatchPath field refers to value that is not a positive integer: %s", b.maxItemsPath.src)
		}
		maxItems = n
	}
	if b.maxBytesPath != nil {
		v, err := env.evalPath(b.maxBytesPath)
		n, ok := asPathInt(v)
		if err != nil || !ok || n <= 0 || n > 256*1024 {
			return nil, sr.runtime("The MaxInputBytesPerBatchPath field refers to value that is not an integer from 1 to 262144: %s", b.maxBytesPath.src)
		}
		maxBytes = n
	}
	var batchInput any
	if b.batchInput != nil {
		v, serr := sr.template(b.batchInput, eff, "BatchInput")
		if serr != nil {
			return nil, serr
		}
		batchInput = v
	}
	var out []any
	var cur []any
	size := int64(0)
	flush := func() {
		if len(cur) == 0 {
			return
		}
		batch := map[string]any{"Items": cur}
		if batchInput != nil {
			batch["BatchInput"] = batchInput
		}
		out = append(out, batch)
		cur, size = nil, 0
	}
	for _, in := range inputs {
		n := int64(len(encodeJSON(in)))
		if len(cur) > 0 && ((maxItems > 0 && int64(len(cur)) >= maxItems) || (maxBytes > 0 && size+n > maxBytes)) {
			flush()
		}
		cur = append(cur, in)
		size += n
	}
	flush()
	if out == nil {
		out = []any{}
	}
	return out, nil
}
