package edge

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"reflect"
)

// validate checks a CloudFront Function as CreateFunction does.
func (f *Function) validate() error {
	if f == nil {
		return ErrInvalidFunctionAssociation.New("A function association has no function.")
	}
	if l := len(f.Name); l < 1 || l > 64 {
		return ErrInvalidArgument.Newf("The function name %q must be 1 to 64 characters long.", f.Name)
	}
	for _, c := range f.Name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return ErrInvalidArgument.Newf("The function name %q may contain only letters, digits, hyphens and underscores.", f.Name)
		}
	}
	switch f.Runtime {
	case "", RuntimeJS20, "cloudfront-js-1.0":
	default:
		return ErrInvalidArgument.Newf("Runtime %q is not valid; use cloudfront-js-2.0 or cloudfront-js-1.0.", f.Runtime)
	}
	if f.Handler == nil {
		return ErrInvalidArgument.Newf("Function %q has no code (Handler).", f.Name)
	}
	return nil
}

// TestFunction runs a CloudFront Function on an event, as the
// TestFunction API does, without a distribution: it returns the function's
// output and its compute utilization (0–100+, the percentage of
// Limits.FunctionComputeBudget used), or the error CloudFront would report.
func (s *Service) TestFunction(f *Function, event *FunctionEvent) (FunctionOutput, int, error) {
	if err := f.validate(); err != nil {
		return nil, 0, err
	}
	out, util, err := s.invokeFunction(f, event)
	if err != nil {
		return nil, util, err
	}
	if util > 100 {
		return out, util, fmt.Errorf("the function exceeded its compute budget: compute utilization %d", util)
	}
	return out, util, nil
}

// invokeFunction runs the handler, timing it on the compute clock and
// turning a panic into an error.
func (s *Service) invokeFunction(f *Function, event *FunctionEvent) (out FunctionOutput, util int, err error) {
	start := s.compute.Now()
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("the function panicked: %v", p)
		}
		used := s.compute.Since(start)
		util = int((used*100 + s.limits.FunctionComputeBudget - 1) / s.limits.FunctionComputeBudget)
	}()
	out, err = f.Handler(event)
	return out, 0, err
}

func (h *cfHook) run(_ context.Context, x *exchange, ev EventType) *failure {
	d := x.d
	s := d.s
	req := x.req
	visible := visibleHeaders(req.header)
	event := &FunctionEvent{
		Version: "1.0",
		Context: FunctionContext{DistributionDomainName: d.DomainName, DistributionID: d.Id, EventType: ev, RequestID: x.id},
		Viewer:  FunctionViewer{IP: req.clientIP},
		Request: &FunctionRequest{Method: req.method, URI: req.uri, QueryString: queryValues(req.query),
			Headers: toValues(visible), Cookies: cookieValues(req.header)},
	}
	var respVisible http.Header
	if ev == EventViewerResponse {
		respVisible = visibleHeaders(x.resp.header)
		rh := respVisible.Clone()
		rh.Del("Set-Cookie")
		event.Response = &FunctionResponse{StatusCode: x.resp.status, StatusDescription: x.resp.statusDescription,
			Headers: toValues(rh), Cookies: setCookieValues(x.resp.header)}
	}
	// What the function got, encoded, to tell whether it changed the query
	// string or cookies (then they are re-encoded) or not (then they stay
	// as the viewer sent them, in the viewer's order).
	viewerOrder := queryNames(req.query)
	origQueryMap := event.Request.QueryString
	origQuery := encodeQueryValues(origQueryMap, viewerOrder)
	origCookies := cookieHeader(event.Request.Cookies)
	s.meter.function()
	out, util, err := s.invokeFunction(h.fn, event)
	fail := func(f *failure) *failure {
		d.metrics.function(h.fn.Name, util, 0, f)
		return f
	}
	if err != nil {
		return fail(&failure{status: http.StatusServiceUnavailable, xcache: XCacheFunctionExecutionError,
			message: "The CloudFront function associated with the CloudFront distribution is invalid or could not run. " + err.Error()})
	}
	if util > 100 {
		return fail(&failure{status: http.StatusServiceUnavailable, xcache: XCacheFunctionThrottledError,
			message: fmt.Sprintf("The CloudFront function exceeded its compute budget (compute utilization %d).", util)})
	}
	invalid := func(msg string) *failure {
		return fail(&failure{status: http.StatusBadGateway, xcache: XCacheFunctionValidationError,
			message: "The CloudFront function returned an invalid value. " + msg})
	}
	switch o := out.(type) {
	case *FunctionRequest:
		if ev != EventViewerRequest || o == nil {
			return invalid("A viewer response function must return a response object.")
		}
		nh := fromValues(o.Headers)
		if msg := checkHeaders(ev, visible, nh); msg != "" {
			return invalid(msg)
		}
		restoreHidden(req.header, nh)
		if c := cookieHeader(o.Cookies); c == origCookies {
			if v := req.header.Values("Cookie"); len(v) > 0 {
				nh["Cookie"] = v
			}
		} else if c != "" {
			nh.Set("Cookie", c)
		}
		if o.URI == "" || o.URI[0] != '/' {
			return invalid(fmt.Sprintf("The uri %q must begin with a slash.", o.URI))
		}
		req.uri = o.URI
		// The order CloudFront writes the query string in: a JSON result's
		// own (JavaScript keeps it); the viewer's when a Go function kept
		// the map; name order for a map a Go function made anew.
		order := o.queryOrder
		if order == nil && sameMap(o.QueryString, origQueryMap) {
			order = viewerOrder
		}
		if q := encodeQueryValues(o.QueryString, order); q != origQuery {
			req.query = q
		}
		req.header = nh
		if o.Method != "" && o.Method != req.method {
			return invalid("The function may not change the request method.")
		}
	case *FunctionResponse:
		if o == nil {
			return invalid("The function returned nothing.")
		}
		if o.StatusCode < 100 || o.StatusCode > 599 {
			return invalid(fmt.Sprintf("The status code %d is not valid.", o.StatusCode))
		}
		nh := fromValues(o.Headers)
		if ev == EventViewerResponse {
			base := respVisible.Clone()
			base.Del("Set-Cookie")
			if msg := checkHeaders(ev, base, nh); msg != "" {
				return invalid(msg)
			}
			restoreHidden(x.resp.header, nh)
		} else {
			for name := range nh {
				if disallowedHeader(name) {
					return invalid("The function added the disallowed header " + name + ".")
				}
			}
		}
		for _, c := range setCookieHeaders(o.Cookies) {
			nh.Add("Set-Cookie", c)
		}
		var body []byte
		if o.Body != nil {
			if o.Body.Encoding == "base64" {
				b, err := base64.StdEncoding.DecodeString(o.Body.Data)
				if err != nil {
					return invalid("The body is not valid base64.")
				}
				body = b
			} else {
				body = []byte(o.Body.Data)
			}
		} else if ev == EventViewerResponse {
			body = x.resp.body
		}
		if ev == EventViewerRequest || o.Body != nil {
			if size := len(body) + int(headerBytes(nh)); size > s.limits.FunctionMaxResponseSize {
				return invalid(fmt.Sprintf("The generated response is %d bytes; the maximum is %d.", size, s.limits.FunctionMaxResponseSize))
			}
		}
		x.resp = &edgeResponse{status: o.StatusCode, statusDescription: o.StatusDescription, header: nh, body: body}
	default:
		return invalid("The function returned neither a request nor a response.")
	}
	d.metrics.function(h.fn.Name, util, 0, nil)
	return nil
}

// queryNames lists a raw query string's names in order.
func queryNames(raw string) []string {
	var out []string
	for _, q := range parseQuery(raw) {
		out = append(out, q.name)
	}
	return out
}

// sameMap reports whether two maps are the same map.
func sameMap(a, b FunctionValues) bool {
	return a != nil && b != nil && reflect.ValueOf(a).UnsafePointer() == reflect.ValueOf(b).UnsafePointer()
}

// restoreHidden copies the headers a function could not see (disallowed
// ones) from the original into the function's result.
func restoreHidden(orig, out http.Header) {
	for k, v := range orig {
		if disallowedHeader(k) {
			out[k] = v
		}
	}
}
