package apigw

import (
	"context"
	"time"
)

// Fault is what [Options].Faults injects into a request that reached its
// route's integration; the zero value injects nothing. The fields are
// tried in order.
type Fault struct {
	// Throttle refuses the request as API Gateway's throttle does: 429
	// {"message":"Too Many Requests"}; the integration is not called.
	Throttle bool
	// Timeout makes the integration never answer: when the route's
	// integration timeout (29 s by default) passes on the clock, the
	// client gets 504 {"message": "Endpoint request timed out"} (REST) or
	// 503 {"message":"Service Unavailable"} (HTTP).
	Timeout bool
	// Err makes the integration fail to run, as an unreachable backend
	// or a failed invocation: 500 {"message": "Internal server error"}.
	Err error
	// Response replaces the integration's response, as a backend that
	// answers 500 or 503 would; it goes through the route's response
	// handling as any integration response does.
	Response *Response
	// Delay makes the integration (the real one, or Err or Response)
	// answer this much later on the clock; past the integration timeout
	// the client gets the timeout's response.
	Delay time.Duration
}

// FaultFunc is the hook of [Options].Faults: it is called once for each
// request that reached an integration, with the API's ID and the route's
// key ("GET /items/{id}", "$default"), and returns the fault to inject.
type FaultFunc func(ctx context.Context, apiID, routeKey string) Fault

// faultIntegration is the integration to call for c, with an injected
// fault in front of it, or the gateway error that refuses the request.
func (c *call) faultIntegration() (Integration, *gwError) {
	in := c.route.cfg.Integration
	if c.s.faults == nil {
		return in, nil
	}
	f := c.s.faults(c.r.Context(), c.api.id, c.route.key.String())
	switch {
	case f.Throttle:
		return nil, c.errThrottled("injected fault")
	case f.Timeout:
		return IntegrationFunc(func(ctx context.Context, _ *Request) (*Response, error) {
			<-ctx.Done()
			return nil, ctx.Err()
		}), nil
	case f.Err != nil:
		in = IntegrationFunc(func(context.Context, *Request) (*Response, error) { return nil, f.Err })
	case f.Response != nil:
		res := *f.Response
		res.Header = res.Header.Clone()
		in = IntegrationFunc(func(context.Context, *Request) (*Response, error) { return &res, nil })
	}
	if f.Delay <= 0 {
		return in, nil
	}
	clk := c.s.clock
	return IntegrationFunc(func(ctx context.Context, req *Request) (*Response, error) {
		if err := clk.Sleep(ctx, f.Delay); err != nil {
			return nil, err
		}
		return in.Integrate(ctx, req)
	}), nil
}
