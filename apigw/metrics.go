package apigw

import "time"

// Metrics are a stage's CloudWatch metrics, summed since it was created:
// the numbers API Gateway publishes in the AWS/ApiGateway namespace.
type Metrics struct {
	// Count is the number of requests.
	Count int64
	// Errors4XX and Errors5XX count responses with those statuses
	// (4XXError and 5XXError; HTTP APIs call them 4xx and 5xx).
	Errors4XX int64
	Errors5XX int64
	// Latency is the total time from receiving a request to answering it;
	// IntegrationLatency the part spent in integrations. Divide by Count
	// for the average, as CloudWatch's Average statistic does.
	Latency            time.Duration
	IntegrationLatency time.Duration
	// CacheHitCount and CacheMissCount count requests served from the
	// stage cache and requests of cached routes that missed it.
	CacheHitCount  int64
	CacheMissCount int64
	// Throttled counts requests refused with 429 (a subset of Errors4XX).
	Throttled int64
	// ByRoute counts requests per matched route key.
	ByRoute map[string]int64
}

// Metrics returns a copy of the stage's metrics.
func (st *Stage) Metrics() Metrics {
	st.mu.Lock()
	defer st.mu.Unlock()
	m := st.metrics
	m.ByRoute = make(map[string]int64, len(st.metrics.ByRoute))
	for k, v := range st.metrics.ByRoute {
		m.ByRoute[k] = v
	}
	return m
}

func (st *Stage) record(c *call, latency time.Duration) {
	st.mu.Lock()
	defer st.mu.Unlock()
	m := st.metricsFor(c) // the stage's or its canary's (canary.go)
	m.Count++
	switch {
	case c.status >= 500:
		m.Errors5XX++
	case c.status >= 400:
		m.Errors4XX++
	}
	if c.status == 429 {
		m.Throttled++
	}
	m.Latency += latency
	m.IntegrationLatency += c.integrationLatency
	if c.cacheUse {
		if c.cacheHit {
			m.CacheHitCount++
		} else {
			m.CacheMissCount++
		}
	}
	if c.route != nil {
		if m.ByRoute == nil {
			m.ByRoute = map[string]int64{}
		}
		m.ByRoute[c.route.key.String()]++
	}
}
