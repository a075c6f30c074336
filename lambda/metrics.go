package lambda

import (
	"sync"
	"sync/atomic"
	"time"
)

// Metrics are the CloudWatch metrics Lambda publishes for a function, a
// version or an alias, counted since the function was created.
type Metrics struct {
	// Invocations counts the runs of the handler, successful or not
	// (throttled requests are not invocations).
	Invocations int64
	// Errors counts invocations that ended in a function error.
	Errors int64
	// Throttles counts requests refused with TooManyRequestsException.
	Throttles int64
	// ColdStarts counts invocations that started a new environment.
	ColdStarts int64
	// ProvisionedConcurrencyInvocations counts invocations served by a
	// provisioned environment.
	ProvisionedConcurrencyInvocations int64
	// Duration summarises the invocations' durations.
	Duration DurationStats
	// ConcurrentExecutions is the number of invocations running now.
	ConcurrentExecutions int64
	// MaxConcurrentExecutions is the highest ConcurrentExecutions seen.
	MaxConcurrentExecutions int64
	// AsyncEventsReceived counts events queued with InvocationType Event.
	AsyncEventsReceived int64
	// AsyncEventsDropped counts events discarded after their last attempt
	// or their maximum age.
	AsyncEventsDropped int64
	// AsyncEventAge is the largest age of an event when an attempt to
	// deliver it started.
	AsyncEventAge time.Duration
	// DeadLetterErrors counts events the dead-letter target refused.
	DeadLetterErrors int64
	// DestinationDeliveryFailures counts records a destination refused.
	DestinationDeliveryFailures int64
}

// DurationStats summarises durations.
type DurationStats struct {
	Count    int64
	Sum      time.Duration
	Min, Max time.Duration
}

// Average returns Sum / Count, or 0.
func (d DurationStats) Average() time.Duration {
	if d.Count == 0 {
		return 0
	}
	return d.Sum / time.Duration(d.Count)
}

// metricSet holds one dimension's counters.
type metricSet struct {
	invocations, errors, throttles, coldStarts, provInvocations atomic.Int64
	durCount, durSum, durMin, durMax                            atomic.Int64
	concurrent, maxConcurrent                                   atomic.Int64
	asyncReceived, asyncDropped, asyncAgeMax                    atomic.Int64
	dlqErrors, destFailures                                     atomic.Int64
}

func (m *metricSet) snapshot() Metrics {
	return Metrics{
		Invocations:                       m.invocations.Load(),
		Errors:                            m.errors.Load(),
		Throttles:                         m.throttles.Load(),
		ColdStarts:                        m.coldStarts.Load(),
		ProvisionedConcurrencyInvocations: m.provInvocations.Load(),
		Duration: DurationStats{
			Count: m.durCount.Load(),
			Sum:   time.Duration(m.durSum.Load()),
			Min:   time.Duration(m.durMin.Load()),
			Max:   time.Duration(m.durMax.Load()),
		},
		ConcurrentExecutions:        m.concurrent.Load(),
		MaxConcurrentExecutions:     m.maxConcurrent.Load(),
		AsyncEventsReceived:         m.asyncReceived.Load(),
		AsyncEventsDropped:          m.asyncDropped.Load(),
		AsyncEventAge:               time.Duration(m.asyncAgeMax.Load()),
		DeadLetterErrors:            m.dlqErrors.Load(),
		DestinationDeliveryFailures: m.destFailures.Load(),
	}
}

func storeMax(a *atomic.Int64, v int64) {
	for {
		old := a.Load()
		if v <= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

func storeMin(a *atomic.Int64, v int64, first bool) {
	if first {
		// the first sample sets the minimum (0 means "none yet")
		a.CompareAndSwap(0, v)
	}
	for {
		old := a.Load()
		if v >= old || a.CompareAndSwap(old, v) {
			return
		}
	}
}

// functionMetrics holds a function's metric sets: the function as a whole
// and each version and alias.
type functionMetrics struct {
	all *metricSet
	mu  sync.RWMutex
	by  map[string]*metricSet // "v:<version>", "a:<alias>"
}

func newFunctionMetrics() *functionMetrics {
	return &functionMetrics{all: &metricSet{}, by: make(map[string]*metricSet)}
}

func (f *functionMetrics) set(key string) *metricSet {
	f.mu.RLock()
	m := f.by[key]
	f.mu.RUnlock()
	if m != nil {
		return m
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if m = f.by[key]; m == nil {
		m = &metricSet{}
		f.by[key] = m
	}
	return m
}

func (f *functionMetrics) lookup(key string) *metricSet {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.by[key]
}

// metricSets are the sets one invocation counts in.
type metricSets struct {
	all, version, alias *metricSet
}

func (ms metricSets) each(fn func(*metricSet)) {
	fn(ms.all)
	fn(ms.version)
	if ms.alias != nil {
		fn(ms.alias)
	}
}

func (ms metricSets) throttle() { ms.each(func(m *metricSet) { m.throttles.Add(1) }) }

func (ms metricSets) enter() {
	ms.each(func(m *metricSet) { storeMax(&m.maxConcurrent, m.concurrent.Add(1)) })
}

func (ms metricSets) leave() { ms.each(func(m *metricSet) { m.concurrent.Add(-1) }) }

func (ms metricSets) record(d time.Duration, failed, cold, provisioned bool) {
	ms.each(func(m *metricSet) {
		m.invocations.Add(1)
		if failed {
			m.errors.Add(1)
		}
		if cold {
			m.coldStarts.Add(1)
		}
		if provisioned {
			m.provInvocations.Add(1)
		}
		first := m.durCount.Add(1) == 1
		m.durSum.Add(int64(d))
		storeMax(&m.durMax, int64(d))
		storeMin(&m.durMin, int64(d), first)
	})
}

// Metrics returns the metrics of a function (qualifier ""), one of its
// versions ("$LATEST", "3") or one of its aliases. An unknown function or
// qualifier has zero metrics.
func (s *Service) Metrics(functionName, qualifier string) Metrics {
	ref, err := parseRefQualifier(functionName, qualifier)
	if err != nil {
		return Metrics{}
	}
	s.mu.RLock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		s.mu.RUnlock()
		return Metrics{}
	}
	_, isAlias := fn.aliases[ref.qualifier]
	s.mu.RUnlock()
	var m *metricSet
	switch {
	case ref.qualifier == "":
		m = fn.metrics.all
	case isAlias:
		m = fn.metrics.lookup("a:" + ref.qualifier)
	default:
		m = fn.metrics.lookup("v:" + ref.qualifier)
	}
	if m == nil {
		return Metrics{}
	}
	return m.snapshot()
}

// AccountMetrics are the account-wide concurrency metrics.
type AccountMetrics struct {
	// ConcurrentExecutions is the number of invocations running now.
	ConcurrentExecutions int
	// MaxConcurrentExecutions is the highest number seen.
	MaxConcurrentExecutions int
	// UnreservedConcurrentExecutions is the account limit minus every
	// reservation.
	UnreservedConcurrentExecutions int
}

// AccountMetrics returns the account's concurrency metrics.
func (s *Service) AccountMetrics() AccountMetrics {
	now, peak := s.conc.running()
	return AccountMetrics{ConcurrentExecutions: now, MaxConcurrentExecutions: peak, UnreservedConcurrentExecutions: s.conc.unreserved()}
}
