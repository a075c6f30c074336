package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"time"
)

// run lists the shards and polls each in its own goroutine, a child only
// once its parent is read to its end, until ctx ends.
func (m *mapping) run(ctx context.Context) {
	var wg sync.WaitGroup
	defer wg.Wait()
	finished := make(chan struct{}, 1)
	running := make(map[string]bool)
	for {
		changed := m.src.Changed()
		ids, parents, err := m.src.Shards(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			m.setResult("PROBLEM: " + err.Error())
			if !m.sleep(ctx, esmRetryFirst) {
				return
			}
			continue
		}
		present := make(map[string]bool, len(ids))
		for _, id := range ids {
			present[id] = true
		}
		m.mu.Lock()
		for i, id := range ids {
			if m.shards[id] == nil {
				m.shards[id] = &shardState{id: id, parent: parents[i]}
			}
		}
		for _, id := range ids {
			st := m.shards[id]
			if st.finished || running[id] {
				continue
			}
			if p := m.shards[st.parent]; p != nil && present[st.parent] && !p.finished {
				continue
			}
			running[id] = true
			wg.Add(1)
			go func() {
				defer wg.Done()
				m.pollShard(ctx, st)
				select {
				case finished <- struct{}{}:
				default:
				}
			}()
		}
		m.mu.Unlock()
		select {
		case <-ctx.Done():
			return
		case <-changed:
		case <-finished:
		}
	}
}

// waitWindow waits out what is left of a batching window on the clock,
// or until the source changes; false when ctx ended first.
func (m *mapping) waitWindow(ctx context.Context, left time.Duration, changed <-chan struct{}) bool {
	t := m.s.clock.NewTimer(left)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-changed:
	case <-t.C():
	}
	return true
}

// sleep waits d on the clock; false when ctx ended first.
func (m *mapping) sleep(ctx context.Context, d time.Duration) bool {
	return m.s.clock.Sleep(ctx, d) == nil
}

func (m *mapping) setResult(r string) {
	m.mu.Lock()
	m.cfg.LastProcessingResult = r
	m.mu.Unlock()
}

// settings is what a poller reads of the configuration.
func (m *mapping) settings() EventSourceMappingConfiguration { return m.snapshot() }

// errorCode returns the AWS code of a source's error.
func errorCode(err error) string {
	var c interface{ ErrorCode() string }
	if errors.As(err, &c) {
		return c.ErrorCode()
	}
	return ""
}

// streamRecord is a record read from a shard, with what the mapping
// needs of it decoded once.
type streamRecord struct {
	raw     json.RawMessage
	seq     string
	at      time.Time
	kinesis bool
}

// parseRecord decodes the sequence number and write time of a DynamoDB
// or Kinesis record of the Lambda event.
func parseRecord(raw json.RawMessage) streamRecord {
	var v struct {
		EventSource string `json:"eventSource"`
		Dynamodb    *struct {
			SequenceNumber              string      `json:"SequenceNumber"`
			ApproximateCreationDateTime json.Number `json:"ApproximateCreationDateTime"`
		} `json:"dynamodb"`
		Kinesis *struct {
			SequenceNumber              string      `json:"sequenceNumber"`
			ApproximateArrivalTimestamp json.Number `json:"approximateArrivalTimestamp"`
		} `json:"kinesis"`
	}
	_ = json.Unmarshal(raw, &v)
	r := streamRecord{raw: raw, kinesis: v.EventSource == "aws:kinesis"}
	var at json.Number
	switch {
	case v.Dynamodb != nil:
		r.seq, at = v.Dynamodb.SequenceNumber, v.Dynamodb.ApproximateCreationDateTime
	case v.Kinesis != nil:
		r.seq, at = v.Kinesis.SequenceNumber, v.Kinesis.ApproximateArrivalTimestamp
	}
	if f, err := at.Float64(); err == nil {
		r.at = time.UnixMilli(int64(f * 1000))
	}
	return r
}

// iterator returns an iterator where the shard's processing resumes:
// after the sequence number after, at LATEST or TRIM_HORIZON.
func (m *mapping) iterator(ctx context.Context, st *shardState, after string) (string, bool) {
	for {
		var it string
		var err error
		switch {
		case after != "":
			it, err = m.src.ShardIterator(ctx, st.id, "AFTER_SEQUENCE_NUMBER", after)
		case st.latest && st.startIter != "":
			it, st.startIter = st.startIter, ""
			return it, true
		case st.latest:
			it, err = m.src.ShardIterator(ctx, st.id, StartingPositionLatest, "")
		default:
			it, err = m.src.ShardIterator(ctx, st.id, StartingPositionTrimHorizon, "")
		}
		if err == nil {
			return it, true
		}
		if ctx.Err() != nil {
			return "", false
		}
		if errorCode(err) == "TrimmedDataAccessException" {
			after, st.latest = "", false
			continue
		}
		m.setResult("PROBLEM: " + err.Error())
		if !m.sleep(ctx, esmRetryFirst) {
			return "", false
		}
	}
}

// pollShard reads a shard in order and processes its records in batches,
// until the shard is read to its end (it is then finished) or ctx ends.
func (m *mapping) pollShard(ctx context.Context, st *shardState) {
	if n := m.settings().ParallelizationFactor; n > 1 {
		m.pollShardParallel(ctx, st, n)
		return
	}
	m.mu.Lock()
	after := st.lastSeq
	m.mu.Unlock()
	it, ok := m.iterator(ctx, st, after)
	if !ok {
		return
	}
	var buf []streamRecord
	var windowStart time.Time
	// The filter is compiled once: an update restarts the pollers.
	filter, _ := compileFilterCriteria(m.settings().FilterCriteria)
	for ctx.Err() == nil {
		c := m.settings()
		changed := m.src.Changed()
		if it != "" && len(buf) < c.BatchSize {
			recs, next, err := m.src.Records(ctx, it, min(1000, c.BatchSize-len(buf)))
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				switch errorCode(err) {
				case "ExpiredIteratorException":
					after := st.lastSeq
					if len(buf) > 0 {
						after = buf[len(buf)-1].seq
					}
					if it, ok = m.iterator(ctx, st, after); !ok {
						return
					}
				case "TrimmedDataAccessException":
					buf, st.latest = nil, false
					if it, ok = m.iterator(ctx, st, ""); !ok {
						return
					}
				default:
					m.setResult("PROBLEM: " + err.Error())
					if !m.sleep(ctx, esmRetryFirst) {
						return
					}
				}
				continue
			}
			if len(buf) == 0 && len(recs) > 0 {
				windowStart = m.s.clock.Now()
			}
			for _, r := range recs {
				if rec := parseRecord(r); filter.match(rec.raw, rec.kinesis) {
					buf = append(buf, rec)
				}
			}
			it = next
			if len(recs) > 0 && it != "" && len(buf) < c.BatchSize {
				continue
			}
		}
		if len(buf) == 0 {
			if it == "" {
				m.mu.Lock()
				st.finished = true
				m.mu.Unlock()
				return
			}
			select {
			case <-ctx.Done():
				return
			case <-changed:
			}
			continue
		}
		window := time.Duration(c.MaximumBatchingWindowInSeconds) * time.Second
		if len(buf) < c.BatchSize && it != "" && window > 0 {
			if left := window - m.s.clock.Since(windowStart); left > 0 {
				if !m.waitWindow(ctx, left, changed) {
					return
				}
				continue
			}
		}
		n := m.fit(buf, c.BatchSize)
		if !m.process(ctx, st, buf[:n], c) {
			return
		}
		buf = buf[n:]
		if len(buf) > 0 {
			windowStart = m.s.clock.Now()
		}
	}
}

// fit is how many records of buf make one batch: at most size, and an
// event within the synchronous payload quota.
func (m *mapping) fit(buf []streamRecord, size int) int {
	return m.fitBatch(len(buf), size, func(i int) int { return len(buf[i].raw) })
}

// fitBatch is how many of count records, the i-th rawLen(i) bytes of
// JSON, make one batch: at most size, and an event within the synchronous
// payload quota (always at least one).
func (m *mapping) fitBatch(count, size int, rawLen func(i int) int) int {
	total := len(`{"Records":[]}`)
	n := 0
	for n < count && n < size {
		total += rawLen(n) + 1
		if n > 0 && total > m.s.limits.MaxSyncPayload {
			break
		}
		n++
	}
	return n
}

// esmEvent renders a batch as the event Lambda delivers.
func esmEvent(recs []streamRecord) []byte {
	raws := make([]json.RawMessage, len(recs))
	for i, r := range recs {
		raws[i] = r.raw
	}
	b, _ := json.Marshal(struct {
		Records []json.RawMessage `json:"Records"`
	}{raws})
	return b
}

// subBatch is a part of a batch being retried.
type subBatch struct {
	recs     []streamRecord
	attempts int
	last     *InvokeOutput
}

// process delivers one batch until it succeeds or is given up on, with
// bisection and partial batch responses; false when ctx ended first.
func (m *mapping) process(ctx context.Context, st *shardState, batch []streamRecord, c EventSourceMappingConfiguration) bool {
	reportItems := len(c.FunctionResponseTypes) > 0
	queue := []*subBatch{{recs: batch}}
	throttles := 0
	for len(queue) > 0 {
		b := queue[0]
		if c.MaximumRecordAgeInSeconds >= 0 {
			maxAge := time.Duration(c.MaximumRecordAgeInSeconds) * time.Second
			cut := 0
			for cut < len(b.recs) && m.s.clock.Since(b.recs[cut].at) > maxAge {
				cut++
			}
			if cut > 0 {
				m.giveUp(st, b.recs[:cut], ConditionRecordAgeExceeded, b, c)
				b.recs = b.recs[cut:]
				if len(b.recs) == 0 {
					queue = queue[1:]
					continue
				}
			}
		}
		// A batch in flight finishes when the mapping is disabled or
		// updated; only Close abandons it.
		out, err := m.s.Invoke(m.s.closeCtx, &InvokeInput{FunctionName: c.FunctionArn, Payload: esmEvent(b.recs)})
		if err != nil {
			if m.s.closeCtx.Err() != nil {
				return false
			}
			// A throttle, or a function that is gone: wait and retry
			// without counting an attempt.
			m.setResult("PROBLEM: " + err.Error())
			throttles++
			if !m.sleep(ctx, backoff(throttles)) {
				return false
			}
			continue
		}
		throttles = 0
		b.attempts++
		b.last = out
		failedAt := 0
		if out.FunctionError == "" {
			failedAt = len(b.recs)
			if reportItems {
				failedAt = firstItemFailure(out.Payload, b.recs)
			}
		}
		if failedAt == len(b.recs) {
			m.checkpoint(st, b.recs[len(b.recs)-1])
			m.setResult("OK")
			queue = queue[1:]
			continue
		}
		if out.FunctionError != "" {
			m.setResult("PROBLEM: Function call failed")
		} else {
			m.setResult("PROBLEM: Function reported batch item failures")
		}
		if failedAt > 0 {
			m.checkpoint(st, b.recs[failedAt-1])
			b.recs = b.recs[failedAt:]
		}
		if out.FunctionError != "" && c.BisectBatchOnFunctionError && len(b.recs) > 1 {
			h := len(b.recs) / 2
			rest := queue[1:]
			queue = append([]*subBatch{{recs: b.recs[:h]}, {recs: b.recs[h:]}}, rest...)
		} else if c.MaximumRetryAttempts >= 0 && b.attempts > c.MaximumRetryAttempts {
			m.giveUp(st, b.recs, ConditionRetryAttemptsExhausted, b, c)
			queue = queue[1:]
			continue
		}
		if !m.sleep(ctx, backoff(b.attempts)) {
			return false
		}
	}
	return true
}

// backoff is the wait before the n-th retry: 1 s doubling to 1 min.
func backoff(n int) time.Duration {
	d := esmRetryFirst
	for i := 1; i < n && d < esmRetryMax; i++ {
		d *= 2
	}
	return min(d, esmRetryMax)
}

// firstItemFailure is the index of the first record the response names
// in batchItemFailures, len(recs) for none, 0 (the whole batch) when the
// response names a record not in the batch or is not one Lambda reads.
func firstItemFailure(payload []byte, recs []streamRecord) int {
	var resp struct {
		BatchItemFailures json.RawMessage `json:"batchItemFailures"`
	}
	if json.Unmarshal(payload, &resp) != nil || len(resp.BatchItemFailures) == 0 || string(resp.BatchItemFailures) == "null" {
		return len(recs)
	}
	var fails []struct {
		ItemIdentifier *string `json:"itemIdentifier"`
	}
	if json.Unmarshal(resp.BatchItemFailures, &fails) != nil {
		return 0
	}
	first := len(recs)
	for _, f := range fails {
		if f.ItemIdentifier == nil || *f.ItemIdentifier == "" {
			return 0
		}
		i := 0
		for i < len(recs) && recs[i].seq != *f.ItemIdentifier {
			i++
		}
		if i == len(recs) {
			return 0
		}
		first = min(first, i)
	}
	return first
}

// checkpoint records r as processed.
func (m *mapping) checkpoint(st *shardState, r streamRecord) {
	if st.lane != nil {
		st.lane.done(r)
		return
	}
	m.mu.Lock()
	st.lastSeq = r.seq
	m.mu.Unlock()
}

// StreamBatchInfo describes the records of a failed stream batch in a
// [StreamFailureRecord].
type StreamBatchInfo struct {
	ShardID                         string `json:"shardId"`
	StartSequenceNumber             string `json:"startSequenceNumber"`
	EndSequenceNumber               string `json:"endSequenceNumber"`
	ApproximateArrivalOfFirstRecord string `json:"approximateArrivalOfFirstRecord"`
	ApproximateArrivalOfLastRecord  string `json:"approximateArrivalOfLastRecord"`
	BatchSize                       int    `json:"batchSize"`
	StreamArn                       string `json:"streamArn"`
}

// StreamFailureRecord is what an event source mapping sends to its
// OnFailure destination for records it gives up on: the records are not
// in it, only where they are in the stream (DDBStreamBatchInfo for a
// DynamoDB stream, KinesisBatchInfo for a Kinesis stream).
type StreamFailureRecord struct {
	RequestContext     RecordRequestContext   `json:"requestContext"`
	ResponseContext    *RecordResponseContext `json:"responseContext,omitempty"`
	Version            string                 `json:"version"`
	Timestamp          string                 `json:"timestamp"`
	DDBStreamBatchInfo *StreamBatchInfo       `json:"DDBStreamBatchInfo,omitempty"`
	KinesisBatchInfo   *StreamBatchInfo       `json:"KinesisBatchInfo,omitempty"`
}

// giveUp sends the failure record of recs to OnFailure and moves the
// checkpoint past them.
func (m *mapping) giveUp(st *shardState, recs []streamRecord, condition string, b *subBatch, c EventSourceMappingConfiguration) {
	defer m.checkpoint(st, recs[len(recs)-1])
	if c.DestinationConfig == nil || c.DestinationConfig.OnFailure == nil || c.DestinationConfig.OnFailure.Destination == nil {
		return
	}
	ts := func(r streamRecord) string { return r.at.UTC().Format("2006-01-02T15:04:05.000Z") }
	info := &StreamBatchInfo{
		ShardID:                         st.id,
		StartSequenceNumber:             recs[0].seq,
		EndSequenceNumber:               recs[len(recs)-1].seq,
		ApproximateArrivalOfFirstRecord: ts(recs[0]),
		ApproximateArrivalOfLastRecord:  ts(recs[len(recs)-1]),
		BatchSize:                       len(recs),
		StreamArn:                       c.EventSourceArn,
	}
	rec := StreamFailureRecord{
		RequestContext: RecordRequestContext{
			RequestID:              m.s.newRequestID(),
			FunctionArn:            c.FunctionArn,
			Condition:              condition,
			ApproximateInvokeCount: b.attempts,
		},
		Version:   "1.0",
		Timestamp: m.s.clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
	}
	if o := b.last; o != nil {
		rec.ResponseContext = &RecordResponseContext{StatusCode: 200, ExecutedVersion: o.ExecutedVersion, FunctionError: o.FunctionError}
	}
	if recs[0].kinesis {
		rec.KinesisBatchInfo = info
	} else {
		rec.DDBStreamBatchInfo = info
	}
	msg, _ := json.Marshal(rec)
	if err := c.DestinationConfig.OnFailure.Destination.Send(m.s.closeCtx, msg, nil); err != nil {
		m.setResult("PROBLEM: on-failure destination: " + err.Error())
	}
}
