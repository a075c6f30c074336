package lambda

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Delays of the asynchronous queue. Source: "Asynchronous invocation" in
// the Lambda Developer Guide: after a function error Lambda waits one
// minute before the second attempt and two minutes before the third;
// after a throttle it retries with a delay growing from 1 second to at
// most 5 minutes, until the event's maximum age.
const (
	firstRetryDelay    = time.Minute
	secondRetryDelay   = 2 * time.Minute
	throttleFirstDelay = time.Second
	throttleMaxDelay   = 5 * time.Minute
)

// EventInvokeConfig is the asynchronous invocation configuration of a
// function, version or alias.
type EventInvokeConfig struct {
	FunctionArn string
	// MaximumRetryAttempts after a function error: 0 to 2, default 2.
	MaximumRetryAttempts *int
	// MaximumEventAgeInSeconds an event may wait: 60 to 21,600, default
	// 21,600 (6 hours).
	MaximumEventAgeInSeconds *int
	DestinationConfig        *DestinationConfig
	LastModified             string
}

// DestinationConfig names where invocation records go.
type DestinationConfig struct {
	OnSuccess *OnSuccess
	OnFailure *OnFailure
}

// OnSuccess is the destination of successful invocations' records.
type OnSuccess struct{ Destination Destination }

// OnFailure is the destination of the records of events that failed
// every attempt or grew too old.
type OnFailure struct{ Destination Destination }

// FunctionEventInvokeConfigInput is the input of the
// FunctionEventInvokeConfig operations.
type FunctionEventInvokeConfigInput struct {
	FunctionName string
	// Qualifier is a version or alias; empty means the unqualified
	// function ($LATEST).
	Qualifier                string
	MaximumRetryAttempts     *int
	MaximumEventAgeInSeconds *int
	DestinationConfig        *DestinationConfig
}

// PutFunctionEventInvokeConfig sets the asynchronous invocation
// configuration of a function, version or alias, replacing any previous
// one: settings left out take their defaults.
func (s *Service) PutFunctionEventInvokeConfig(ctx context.Context, in *FunctionEventInvokeConfigInput) (*EventInvokeConfig, error) {
	return s.putEventConfig(ctx, in, false)
}

// UpdateFunctionEventInvokeConfig changes the settings given and keeps
// the others.
func (s *Service) UpdateFunctionEventInvokeConfig(ctx context.Context, in *FunctionEventInvokeConfigInput) (*EventInvokeConfig, error) {
	return s.putEventConfig(ctx, in, true)
}

func (s *Service) putEventConfig(ctx context.Context, in *FunctionEventInvokeConfigInput, merge bool) (*EventInvokeConfig, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("FunctionEventInvokeConfigInput is required")
	}
	if r := in.MaximumRetryAttempts; r != nil && (*r < 0 || *r > s.limits.MaxRetryAttempts) {
		return nil, rangeErr("MaximumRetryAttempts", int64(*r), 0, int64(s.limits.MaxRetryAttempts), "", "Asynchronous invocation retries")
	}
	if a := in.MaximumEventAgeInSeconds; a != nil {
		lo, hi := int64(s.limits.MinEventAge/time.Second), int64(s.limits.MaxEventAge/time.Second)
		if int64(*a) < lo || int64(*a) > hi {
			return nil, rangeErr("MaximumEventAgeInSeconds", int64(*a), lo, hi, "seconds", "Asynchronous event age")
		}
	}
	t, key, err := s.eventConfigTarget(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	old := t.events[key]
	if merge && old == nil {
		return nil, ErrResourceNotFound.Newf("The function %s doesn't have an EventInvokeConfig", s.qualifiedARN(t.name, in.Qualifier))
	}
	c := &EventInvokeConfig{FunctionArn: s.qualifiedARN(t.name, key)}
	if merge {
		*c = *old
	}
	if in.MaximumRetryAttempts != nil || !merge {
		c.MaximumRetryAttempts = cloneInt(in.MaximumRetryAttempts)
	}
	if in.MaximumEventAgeInSeconds != nil || !merge {
		c.MaximumEventAgeInSeconds = cloneInt(in.MaximumEventAgeInSeconds)
	}
	if in.DestinationConfig != nil || !merge {
		c.DestinationConfig = in.DestinationConfig
	}
	c.LastModified = formatTime(s.clock.Now())
	t.events[key] = c
	out := *c
	return &out, nil
}

func cloneInt(p *int) *int {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

// eventConfigTarget resolves the function and the configuration key
// ($LATEST, a version or an alias) of a qualifier.
func (s *Service) eventConfigTarget(name, qualifier string) (*function, string, error) {
	ref, err := parseRefQualifier(name, qualifier)
	if err != nil {
		return nil, "", err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, "", err
	}
	key := ref.qualifier
	if key == "" {
		key = LatestVersion
	}
	if _, ok := fn.aliases[key]; !ok {
		if _, ok := s.versionLocked(fn, key); !ok {
			return nil, "", ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(fn.name, key))
		}
	}
	return fn, key, nil
}

// GetFunctionEventInvokeConfig returns the configuration of a function,
// version or alias.
func (s *Service) GetFunctionEventInvokeConfig(ctx context.Context, in *FunctionEventInvokeConfigInput) (*EventInvokeConfig, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("FunctionEventInvokeConfigInput is required")
	}
	fn, key, err := s.eventConfigTarget(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := fn.events[key]
	if !ok {
		return nil, ErrResourceNotFound.Newf("The function %s doesn't have an EventInvokeConfig", s.qualifiedARN(fn.name, in.Qualifier))
	}
	out := *c
	return &out, nil
}

// DeleteFunctionEventInvokeConfig removes the configuration: the defaults
// apply again.
func (s *Service) DeleteFunctionEventInvokeConfig(ctx context.Context, in *FunctionEventInvokeConfigInput) error {
	if _, err := s.GetFunctionEventInvokeConfig(ctx, in); err != nil {
		return err
	}
	fn, key, err := s.eventConfigTarget(in.FunctionName, in.Qualifier)
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(fn.events, key)
	s.mu.Unlock()
	return nil
}

// asyncEvent is one event in the asynchronous queue.
type asyncEvent struct {
	name, qualifier string // as the caller gave them
	requestID       string
	payload         []byte
	lc              LambdaContext
	enqueued        time.Time
	attempts        int // runs of the function
	errors          int // runs that ended in a function error
	throttleDelay   time.Duration
	last            *outcome
	timer           clock.Timer
}

// asyncQueue tracks the events waiting for an attempt (on a clock timer)
// and the attempts running.
type asyncQueue struct {
	mu      sync.Mutex
	closed  bool
	pending map[*asyncEvent]struct{}
	running int
	idle    chan struct{} // closed when running drops to zero
}

func (q *asyncQueue) init() {
	q.pending = make(map[*asyncEvent]struct{})
}

func (q *asyncQueue) close() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.closed = true
	for ev := range q.pending {
		ev.timer.Stop()
	}
	q.pending = nil
}

// begin counts an attempt as running, unless the queue is closed.
func (q *asyncQueue) begin() bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.running++
	return true
}

func (q *asyncQueue) end() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.running--
	if q.running == 0 && q.idle != nil {
		close(q.idle)
		q.idle = nil
	}
}

// WaitAsync waits until no asynchronous attempt is running: every event
// queued so far has been delivered, or is waiting on the clock for a
// retry, or has gone to its destinations. With a clock.Manual, call it
// after Invoke (Event) and after each Advance that fires a retry.
func (s *Service) WaitAsync(ctx context.Context) error {
	for {
		s.async.mu.Lock()
		if s.async.running == 0 {
			s.async.mu.Unlock()
			return nil
		}
		if s.async.idle == nil {
			s.async.idle = make(chan struct{})
		}
		ch := s.async.idle
		s.async.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// enqueue queues an event and starts its first attempt.
func (s *Service) enqueue(t *target, name, qualifier string, payload []byte, lc LambdaContext) error {
	f := s.fault(s.closeCtx, FaultEnqueue, t.fn.name, payload)
	if f.Err != nil {
		return f.Err
	}
	ev := &asyncEvent{name: name, qualifier: qualifier, requestID: s.newRequestID(), payload: payload, lc: lc, enqueued: s.clock.Now()}
	events := []*asyncEvent{ev}
	if f.Duplicate {
		dup := *ev
		events = append(events, &dup)
	}
	for _, ev := range events {
		t.metrics().each(func(m *metricSet) { m.asyncReceived.Add(1) })
		if !s.async.begin() {
			return errClosed()
		}
		if !s.track() {
			s.async.end()
			return errClosed()
		}
		go s.attempt(ev)
	}
	return nil
}

// schedule runs the event's next attempt after d on the clock.
func (s *Service) schedule(ev *asyncEvent, d time.Duration) {
	q := &s.async
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return
	}
	q.pending[ev] = struct{}{}
	ev.timer = s.clock.AfterFunc(d, func() {
		q.mu.Lock()
		if _, ok := q.pending[ev]; !ok || q.closed {
			q.mu.Unlock()
			return
		}
		delete(q.pending, ev)
		q.running++
		q.mu.Unlock()
		if !s.track() {
			q.end()
			return
		}
		go s.attempt(ev)
	})
}

// attempt delivers an event once and decides what comes next.
func (s *Service) attempt(ev *asyncEvent) {
	defer s.wg.Done()
	defer s.async.end()
	t, err := s.resolve(ev.name, ev.qualifier)
	if err != nil {
		return // the function, version or alias is gone: so is the event
	}
	cfg := s.eventConfig(t)
	m := t.metrics()
	age := s.clock.Since(ev.enqueued)
	m.each(func(ms *metricSet) { storeMax(&ms.asyncAgeMax, int64(age)) })
	if age > cfg.maxAge {
		s.fail(ev, t, cfg, ConditionEventAgeExceeded, m)
		return
	}
	if s.conc.reservedOf(t.fn) == 0 {
		// A function reserved at zero sends its events straight to the
		// failure destinations, without retries.
		s.fail(ev, t, cfg, ConditionRetriesExhausted, m)
		return
	}
	inv := s.newInvocation(t, ev.payload, ev.lc, false)
	inv.requestID, inv.lc.AwsRequestID = ev.requestID, ev.requestID
	o, err := s.execute(s.closeCtx, inv)
	if err != nil {
		if ThrottleReason(err) == "" {
			return // the service closed
		}
		switch {
		case ev.throttleDelay == 0:
			ev.throttleDelay = throttleFirstDelay
		default:
			ev.throttleDelay = min(2*ev.throttleDelay, throttleMaxDelay)
		}
		s.schedule(ev, ev.throttleDelay)
		return
	}
	ev.attempts++
	ev.last = o
	if o.functionError == "" {
		s.succeed(ev, t, cfg)
		return
	}
	ev.errors++
	if ev.errors > cfg.maxRetries {
		s.fail(ev, t, cfg, ConditionRetriesExhausted, m)
		return
	}
	delay := firstRetryDelay
	if ev.errors > 1 {
		delay = secondRetryDelay
	}
	s.schedule(ev, delay)
}

// eventSettings are the effective settings of an event's target.
type eventSettings struct {
	maxRetries int
	maxAge     time.Duration
	onSuccess  Destination
	onFailure  Destination
}

func (s *Service) eventConfig(t *target) eventSettings {
	es := eventSettings{maxRetries: s.limits.MaxRetryAttempts, maxAge: s.limits.MaxEventAge}
	s.mu.RLock()
	c := t.fn.events[t.key]
	s.mu.RUnlock()
	if c == nil {
		return es
	}
	if c.MaximumRetryAttempts != nil {
		es.maxRetries = *c.MaximumRetryAttempts
	}
	if c.MaximumEventAgeInSeconds != nil {
		es.maxAge = time.Duration(*c.MaximumEventAgeInSeconds) * time.Second
	}
	if dc := c.DestinationConfig; dc != nil {
		if dc.OnSuccess != nil {
			es.onSuccess = dc.OnSuccess.Destination
		}
		if dc.OnFailure != nil {
			es.onFailure = dc.OnFailure.Destination
		}
	}
	return es
}

func (s *Service) recordARN(t *target) string {
	if t.alias != nil {
		return t.arn
	}
	return s.qualifiedARN(t.fn.name, t.ver.number)
}

func (s *Service) succeed(ev *asyncEvent, t *target, es eventSettings) {
	if es.onSuccess == nil {
		return
	}
	rec := s.newRecord(ev, s.recordARN(t), ConditionSuccess)
	if err := es.onSuccess.Send(s.closeCtx, rec, nil); err != nil {
		t.metrics().each(func(m *metricSet) { m.destFailures.Add(1) })
	}
}

// fail sends a discarded event to the on-failure destination and the
// dead-letter target.
func (s *Service) fail(ev *asyncEvent, t *target, es eventSettings, condition string, m metricSets) {
	m.each(func(ms *metricSet) { ms.asyncDropped.Add(1) })
	if es.onFailure != nil {
		rec := s.newRecord(ev, s.recordARN(t), condition)
		if err := es.onFailure.Send(s.closeCtx, rec, nil); err != nil {
			m.each(func(ms *metricSet) { ms.destFailures.Add(1) })
		}
	}
	if dlq := t.ver.cfg.dlq; dlq != nil && dlq.Target != nil {
		attrs := map[string]string{"RequestID": ev.requestID, "ErrorCode": "200", "ErrorMessage": ""}
		if o := ev.last; o != nil && o.functionError != "" {
			fe := parseFunctionError(o.functionError, o.payload)
			msg := fe.ErrorMessage
			if len(msg) > 1024 {
				msg = msg[:1024]
			}
			attrs["ErrorMessage"] = msg
		} else {
			attrs["ErrorCode"] = strconv.Itoa(429)
			attrs["ErrorMessage"] = condition
		}
		if err := dlq.Target.Send(s.closeCtx, ev.payload, attrs); err != nil {
			m.each(func(ms *metricSet) { ms.dlqErrors.Add(1) })
		}
	}
}
