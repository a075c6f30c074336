package edge

import (
	"context"
	"net/http"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Fault is what [Options].Faults injects into a request CloudFront sends
// to an origin; the zero value injects nothing. The fields are tried in
// order.
type Fault struct {
	// Unreachable makes CloudFront fail to connect to the origin: 502, as
	// for an origin that refuses connections. An origin group fails over.
	Unreachable bool
	// Timeout makes the origin never answer: 504 when the origin's
	// response timeout (30 s by default) passes on the clock.
	Timeout bool
	// StatusCode, when not zero, replaces the origin's answer with this
	// status and Body, as a failing origin's 500 or 503 (which an origin
	// group's failover criteria may act on).
	StatusCode int
	// Body is the body of the StatusCode answer.
	Body []byte
	// Delay makes the origin answer this much later on the clock; past
	// the response timeout the viewer gets the 504.
	Delay time.Duration
}

// FaultFunc is the hook of [Options].Faults: it is called once for each
// request sent to an origin, with the distribution's Id and the origin's
// Id, and returns the fault to inject.
type FaultFunc func(ctx context.Context, distributionID, originID string) Fault

// faultOrigin is the handler to send an origin request to, with an
// injected fault in front of origin, and whether the origin is
// unreachable.
func (d *Distribution) faultOrigin(ctx context.Context, originID string, origin http.Handler) (http.Handler, bool) {
	if d.s.faults == nil {
		return origin, false
	}
	f := d.s.faults(ctx, d.Id, originID)
	switch {
	case f.Unreachable:
		return nil, true
	case f.Timeout:
		origin = http.HandlerFunc(func(_ http.ResponseWriter, r *http.Request) { <-r.Context().Done() })
	case f.StatusCode != 0:
		origin = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.WriteHeader(f.StatusCode)
			w.Write(f.Body)
		})
	}
	if f.Delay > 0 {
		origin = delayed(d.s.clock, f.Delay, origin)
	}
	return origin, false
}

// delayed serves h after d on clk.
func delayed(clk clock.Clock, d time.Duration, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if clk.Sleep(r.Context(), d) == nil {
			h.ServeHTTP(w, r)
		}
	})
}
