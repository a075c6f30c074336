package edge

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// countingOrigin answers every request with handler and counts the calls.
type countingOrigin struct {
	calls   atomic.Int64
	mu      sync.Mutex
	last    *http.Request
	handler http.HandlerFunc
}

func (o *countingOrigin) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o.calls.Add(1)
	o.mu.Lock()
	o.last = r.Clone(context.Background())
	o.mu.Unlock()
	o.handler(w, r)
}

func (o *countingOrigin) lastRequest() *http.Request {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.last
}

func staticOrigin(cacheControl, body string) *countingOrigin {
	return &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		if cacheControl != "" {
			w.Header().Set("Cache-Control", cacheControl)
		}
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, body+" "+r.URL.Path)
	}}
}

// newTestService returns a service on a manual clock. Unless the test
// gives one, the compute clock is stopped too, so that a loaded machine
// (or -race) never throttles a test's CloudFront Function.
func newTestService(t testing.TB, opts Options) (*Service, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(epoch)
	opts.Clock = c
	if opts.ComputeClock == nil {
		opts.ComputeClock = clock.NewManual(epoch)
	}
	s := New(opts)
	t.Cleanup(func() { s.Close() })
	return s, c
}

// newDist creates a distribution from the default behaviour and origins.
func newDist(t testing.TB, s *Service, def CacheBehavior, extra []CacheBehavior, origins ...Origin) *Distribution {
	t.Helper()
	out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
		CallerReference: t.Name() + s.newID("-", 8), Origins: origins, DefaultCacheBehavior: def, CacheBehaviors: extra}})
	if err != nil {
		t.Fatalf("CreateDistribution: %v", err)
	}
	return out.Distribution
}

// get sends a request to h and returns the recorded response.
func get(h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}
