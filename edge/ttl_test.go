package edge

import (
	"net/http"
	"testing"
	"time"
)

func TestCachePolicyTTL_HonoursOriginHeadersWithinBounds(t *testing.T) {
	p := &CachePolicy{MinTTL: 10, DefaultTTL: 100, MaxTTL: 1000}
	zeroMin := &CachePolicy{MinTTL: 0, DefaultTTL: 100, MaxTTL: 1000}
	now := epoch
	cases := []struct {
		name   string
		policy *CachePolicy
		status int
		hdr    map[string]string
		want   time.Duration
		cached bool
	}{
		{"no headers: default TTL", p, 200, nil, 100 * time.Second, true},
		{"max-age inside bounds", p, 200, map[string]string{"Cache-Control": "max-age=60"}, 60 * time.Second, true},
		{"max-age above MaxTTL is lowered", p, 200, map[string]string{"Cache-Control": "public, max-age=5000"}, 1000 * time.Second, true},
		{"max-age below MinTTL is raised", p, 200, map[string]string{"Cache-Control": "max-age=1"}, 10 * time.Second, true},
		{"s-maxage wins over max-age", p, 200, map[string]string{"Cache-Control": "max-age=60, s-maxage=300"}, 300 * time.Second, true},
		{"no-store with MinTTL 0: not cached", zeroMin, 200, map[string]string{"Cache-Control": "no-store"}, 0, false},
		{"no-cache with MinTTL 0: not cached", zeroMin, 200, map[string]string{"Cache-Control": "no-cache"}, 0, false},
		{"private with MinTTL 0: not cached", zeroMin, 200, map[string]string{"Cache-Control": "private, max-age=60"}, 0, false},
		{"no-store with MinTTL > 0: MinTTL", p, 200, map[string]string{"Cache-Control": "no-store"}, 10 * time.Second, true},
		{"Expires in 2 minutes", p, 200, map[string]string{"Expires": now.Add(2 * time.Minute).Format(http.TimeFormat)}, 120 * time.Second, true},
		{"Expires relative to Date", p, 200, map[string]string{"Date": now.Add(-time.Minute).Format(http.TimeFormat), "Expires": now.Add(time.Minute).Format(http.TimeFormat)}, 120 * time.Second, true},
		{"max-age wins over Expires", p, 200, map[string]string{"Cache-Control": "max-age=50", "Expires": now.Add(time.Hour).Format(http.TimeFormat)}, 50 * time.Second, true},
		{"max-age=0 with MinTTL 0: not cached", zeroMin, 200, map[string]string{"Cache-Control": "max-age=0"}, 0, false},
		{"404 without headers: error caching TTL", p, 404, nil, 10 * time.Second, true},
		{"503 with max-age: that long", p, 503, map[string]string{"Cache-Control": "max-age=2"}, 2 * time.Second, true},
		{"201 is not cached", p, 201, nil, 0, false},
		{"CachingDisabled caches nothing", CachingDisabled(), 200, map[string]string{"Cache-Control": "max-age=60"}, 0, false},
		{"CachingOptimized: one year at most", CachingOptimized(), 200, map[string]string{"Cache-Control": "max-age=99999999"}, 31536000 * time.Second, true},
	}
	for _, c := range cases {
		h := http.Header{}
		for k, v := range c.hdr {
			h.Set(k, v)
		}
		got, ok := c.policy.TTL(c.status, h, now, 10*time.Second)
		if got != c.want || ok != c.cached {
			t.Errorf("%s: TTL = %v, %v; want %v, %v", c.name, got, ok, c.want, c.cached)
		}
	}
}
