package apigw

import (
	"sync"
	"time"
)

// bucket is a token bucket as API Gateway throttles with: it holds at most
// burst tokens, refills at rate tokens per second, and each request takes
// one. A zero rate with a burst allows the burst once and never refills; a
// zero burst with a rate holds one second of rate.
type bucket struct {
	mu     sync.Mutex
	rate   float64
	burst  float64
	tokens float64
	last   time.Time
}

func newBucket(rate float64, burst int, now time.Time) *bucket {
	b := float64(burst)
	if b == 0 {
		b = rate
	}
	if b < 1 && rate > 0 {
		b = 1
	}
	return &bucket{rate: rate, burst: b, tokens: b, last: now}
}

// take takes a token at time now, reporting whether there was one.
func (b *bucket) take(now time.Time) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if now.After(b.last) {
		b.tokens += now.Sub(b.last).Seconds() * b.rate
		if b.tokens > b.burst {
			b.tokens = b.burst
		}
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
