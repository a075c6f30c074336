package edge

import (
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

type locCounters struct {
	requests, hits, misses, refreshHits, regionalHits, collapsed, errors atomic.Int64
}

type fnCounters struct {
	invocations, errors, throttles, validationErrors int64
	computeSum, computeMax                           int64
	durationSum                                      time.Duration
}

type distMetrics struct {
	loc []locCounters

	mu            sync.Mutex
	originCalls   int64
	originErrors  int64
	originLatency time.Duration
	originMax     time.Duration
	failovers     int64
	functions     map[string]*fnCounters
}

func (m *distMetrics) init(n int) {
	m.loc = make([]locCounters, n)
	m.functions = map[string]*fnCounters{}
}

func (m *distMetrics) origin(status int, d time.Duration) {
	m.mu.Lock()
	m.originCalls++
	if status >= 500 {
		m.originErrors++
	}
	m.originLatency += d
	m.originMax = max(m.originMax, d)
	m.mu.Unlock()
}

func (m *distMetrics) failover() {
	m.mu.Lock()
	m.failovers++
	m.mu.Unlock()
}

// function records one edge function invocation: its compute utilization
// (CloudFront Functions, 0 for Lambda@Edge), duration and outcome.
func (m *distMetrics) function(name string, utilization int, dur time.Duration, f *failure) {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.functions[name]
	if c == nil {
		c = &fnCounters{}
		m.functions[name] = c
	}
	c.invocations++
	c.computeSum += int64(utilization)
	c.computeMax = max(c.computeMax, int64(utilization))
	c.durationSum += dur
	if f != nil {
		c.errors++
		switch f.xcache {
		case XCacheFunctionThrottledError, XCacheLambdaLimitExceeded:
			c.throttles++
		case XCacheFunctionValidationError, XCacheLambdaValidationError:
			c.validationErrors++
		}
	}
}

// LocationMetrics are one edge location's counters for a distribution.
type LocationMetrics struct {
	// Location is the POP code.
	Location string
	// Requests counts responses sent to viewers.
	Requests int64
	// Hits were served from the location's cache; RefreshHits from it after
	// the origin confirmed them (304); Misses were not in the location's
	// cache, of which RegionalHits were found in the regional edge cache.
	Hits, RefreshHits, Misses, RegionalHits int64
	// Collapsed counts hits that waited for another request's origin
	// fetch (request collapsing); they are among the Hits.
	Collapsed int64
	// Errors are CloudFront's own error responses (403, 502, 503, 504).
	Errors int64
}

// HitRatio is CloudFront's cache hit rate: hits (and refresh hits) over
// cacheable lookups; 0 when there were none.
func (m LocationMetrics) HitRatio() float64 {
	total := m.Hits + m.RefreshHits + m.Misses
	if total == 0 {
		return 0
	}
	return float64(m.Hits+m.RefreshHits) / float64(total)
}

// FunctionMetrics are one edge function's counters for a distribution.
type FunctionMetrics struct {
	// Name is the CloudFront Function's name or the Lambda@Edge ARN.
	Name string
	// Invocations and Errors (every failed invocation); Throttles (over the
	// compute budget, or Lambda throttled) and ValidationErrors (a result
	// CloudFront refused) are among the Errors.
	Invocations, Errors, Throttles, ValidationErrors int64
	// ComputeUtilization is the mean, MaxComputeUtilization the largest,
	// percentage of the compute budget used (CloudFront Functions only).
	ComputeUtilization, MaxComputeUtilization float64
	// Duration is the total time the function ran on the service clock
	// (Lambda@Edge's billed duration before rounding).
	Duration time.Duration
}

// Metrics are a distribution's counters since it was created.
type Metrics struct {
	// Locations has one entry per edge location that served a request.
	Locations []LocationMetrics
	// Requests, Hits, RefreshHits, Misses are the totals of Locations.
	Requests, Hits, RefreshHits, Misses int64
	// OriginRequests counts calls to origins, OriginErrors those answered
	// 5xx (or timed out); OriginLatency is their mean duration on the
	// service clock and MaxOriginLatency the longest.
	OriginRequests, OriginErrors    int64
	OriginLatency, MaxOriginLatency time.Duration
	// OriginFailovers counts requests an origin group sent to its
	// secondary origin.
	OriginFailovers int64
	// Functions has one entry per edge function, by name.
	Functions []FunctionMetrics
}

// HitRatio is the distribution's cache hit rate over all locations.
func (m Metrics) HitRatio() float64 {
	return LocationMetrics{Hits: m.Hits, RefreshHits: m.RefreshHits, Misses: m.Misses}.HitRatio()
}

// Metrics returns the distribution's counters.
func (d *Distribution) Metrics() Metrics {
	var out Metrics
	for i := range d.metrics.loc {
		c := &d.metrics.loc[i]
		lm := LocationMetrics{Location: d.s.locations[i].Code, Requests: c.requests.Load(), Hits: c.hits.Load(),
			RefreshHits: c.refreshHits.Load(), Misses: c.misses.Load(), RegionalHits: c.regionalHits.Load(), Collapsed: c.collapsed.Load(), Errors: c.errors.Load()}
		if lm.Requests == 0 && lm.Hits+lm.Misses+lm.RefreshHits == 0 {
			continue
		}
		out.Locations = append(out.Locations, lm)
		out.Requests += lm.Requests
		out.Hits += lm.Hits
		out.RefreshHits += lm.RefreshHits
		out.Misses += lm.Misses
	}
	d.metrics.mu.Lock()
	defer d.metrics.mu.Unlock()
	out.OriginRequests = d.metrics.originCalls
	out.OriginErrors = d.metrics.originErrors
	if d.metrics.originCalls > 0 {
		out.OriginLatency = d.metrics.originLatency / time.Duration(d.metrics.originCalls)
	}
	out.MaxOriginLatency = d.metrics.originMax
	out.OriginFailovers = d.metrics.failovers
	for name, c := range d.metrics.functions {
		fm := FunctionMetrics{Name: name, Invocations: c.invocations, Errors: c.errors, Throttles: c.throttles,
			ValidationErrors: c.validationErrors, MaxComputeUtilization: float64(c.computeMax), Duration: c.durationSum}
		if c.invocations > 0 {
			fm.ComputeUtilization = float64(c.computeSum) / float64(c.invocations)
		}
		out.Functions = append(out.Functions, fm)
	}
	sort.Slice(out.Functions, func(i, j int) bool { return out.Functions[i].Name < out.Functions[j].Name })
	return out
}

// Location returns the counters of one edge location (by POP code).
func (m Metrics) Location(code string) LocationMetrics {
	for _, l := range m.Locations {
		if l.Location == code {
			return l
		}
	}
	return LocationMetrics{Location: code}
}

// Function returns the counters of one edge function (by name).
func (m Metrics) Function(name string) FunctionMetrics {
	for _, f := range m.Functions {
		if f.Name == name {
			return f
		}
	}
	return FunctionMetrics{Name: name}
}
