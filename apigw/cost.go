package apigw

import (
	"fmt"
	"strconv"
	"sync"
	"time"
)

// Prices are API Gateway's public prices, the data of the cost meter.
// [DefaultPrices] holds us-east-1's.
type Prices struct {
	// Source names where the numbers come from.
	Source string
	// RESTPerMillion prices REST API requests (first 333 million a
	// month), HTTPPerMillion HTTP API requests (first 300 million).
	RESTPerMillion float64
	HTTPPerMillion float64
	// CachePerHour prices a stage cache by size in GB ("0.5", "1.6", …).
	CachePerHour map[string]float64
}

// DefaultPrices returns API Gateway's prices in US East (N. Virginia):
// REST APIs $3.50 per million requests, HTTP APIs $1.00 per million
// (requests metered in 512 KB increments), caches from $0.020 an hour
// for 0.5 GB to $3.800 for 237 GB. Source:
// https://aws.amazon.com/api-gateway/pricing/.
func DefaultPrices() Prices {
	return Prices{
		Source:         "https://aws.amazon.com/api-gateway/pricing/ (us-east-1)",
		RESTPerMillion: 3.50,
		HTTPPerMillion: 1.00,
		CachePerHour: map[string]float64{
			"0.5": 0.020, "1.6": 0.038, "6.1": 0.200, "13.5": 0.250,
			"28.4": 0.500, "58.2": 1.000, "118": 1.900, "237": 3.800,
		},
	}
}

// meter counts what the cost meter prices.
type meter struct {
	mu         sync.Mutex
	rest, http int64
	cacheHours map[string]float64 // closed cache periods, by size
}

func (m *meter) countRequest(k Kind) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if k == REST {
		m.rest++
	} else {
		m.http++
	}
}

func (m *meter) addCacheTime(from, to time.Time, size string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cacheHours == nil {
		m.cacheHours = map[string]float64{}
	}
	m.cacheHours[size] += to.Sub(from).Hours()
}

// Usage is what the account's APIs used: requests by kind and cache hours
// by cache size (running caches counted up to now).
type Usage struct {
	RESTRequests int64
	HTTPRequests int64
	CacheHours   map[string]float64
}

// Bill is the cost of a [Usage] at given [Prices], in US dollars.
type Bill struct {
	REST, HTTP, Cache, Total float64
}

func (b Bill) String() string {
	return fmt.Sprintf("API Gateway: $%.6f (REST requests $%.6f, HTTP requests $%.6f, cache $%.6f)", b.Total, b.REST, b.HTTP, b.Cache)
}

// Usage returns what the service's APIs used so far.
func (s *Service) Usage() Usage {
	s.meter.mu.Lock()
	u := Usage{RESTRequests: s.meter.rest, HTTPRequests: s.meter.http, CacheHours: map[string]float64{}}
	for k, v := range s.meter.cacheHours {
		u.CacheHours[k] = v
	}
	s.meter.mu.Unlock()
	now := s.clock.Now()
	for _, a := range s.APIs() {
		for _, st := range a.Stages() {
			st.mu.Lock()
			if st.cache != nil {
				u.CacheHours[st.cfg.CacheClusterSize] += now.Sub(st.cache.since).Hours()
			}
			st.mu.Unlock()
		}
	}
	return u
}

// Estimate prices a usage.
func (p Prices) Estimate(u Usage) Bill {
	var b Bill
	b.REST = float64(u.RESTRequests) / 1e6 * p.RESTPerMillion
	b.HTTP = float64(u.HTTPRequests) / 1e6 * p.HTTPPerMillion
	for size, h := range u.CacheHours {
		price, ok := p.CachePerHour[size]
		if !ok {
			if f, err := strconv.ParseFloat(size, 64); err == nil && f > 0 {
				price = p.CachePerHour["0.5"] * f / 0.5
			}
		}
		b.Cache += h * price
	}
	b.Total = b.REST + b.HTTP + b.Cache
	return b
}

// Cost prices what the service's APIs used so far.
func (s *Service) Cost() Bill { return s.prices.Estimate(s.Usage()) }
