package edge

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/internal/awserr"
)

// Invoker invokes a Lambda function synchronously with a JSON payload and
// returns its JSON result. *lambda.Function satisfies it: a function error
// comes back as an error, a throttle as an error whose code is
// TooManyRequestsException.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// InvokerFunc adapts a Go function to an [Invoker].
type InvokerFunc func(ctx context.Context, payload []byte) ([]byte, error)

// Invoke calls f.
func (f InvokerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// LambdaFunctionConfig is what CloudFront checks of a function version
// when it is associated: its runtime, memory, timeout, environment
// variables and VPC. Fill it from the function's configuration
// (GetFunctionConfiguration of the version).
type LambdaFunctionConfig struct {
	// Runtime: Lambda@Edge supports Node.js and Python runtimes only. A Go
	// handler stands in for the real function; give the real function's
	// runtime ("nodejs22.x"), or leave it empty to skip the check.
	Runtime string
	// MemorySize in MB: at most 128 for viewer events, 10,240 for origin
	// events. 0 means 128.
	MemorySize int
	// Timeout in seconds: at most 5 for viewer events, 30 for origin
	// events. 0 means 3 (Lambda's default).
	Timeout int
	// Environment variables are not allowed.
	Environment map[string]string
	// VpcSubnetIds: a function in a VPC is not allowed.
	VpcSubnetIds []string
}

// LambdaFunctionAssociation attaches a Lambda@Edge function version to
// one event of a cache behaviour.
type LambdaFunctionAssociation struct {
	EventType EventType
	// LambdaFunctionARN is the ARN of a published version in us-east-1
	// (arn:aws:lambda:us-east-1:123456789012:function:name:3). An
	// unqualified ARN, $LATEST or an alias is refused.
	LambdaFunctionARN string
	// IncludeBody exposes the request body to viewer request and origin
	// request functions (40 KB and 1 MB at most, the rest cut off).
	IncludeBody bool
	// Function is invoked with the event; *lambda.Function qualified with
	// the version satisfies it.
	Function Invoker
	// Config is the version's configuration CloudFront checks; nil means
	// Lambda's defaults (128 MB, 3 s, no environment, no VPC).
	Config *LambdaFunctionConfig
}

// ValidateLambdaFunctionAssociation checks an association as CloudFront
// does when a distribution is created or updated, and returns
// InvalidLambdaFunctionAssociation with CloudFront's reason when a rule is
// broken: the function must be in us-east-1, the ARN must name a published
// version, the function must have no environment variables and no VPC,
// its runtime must be Node.js or Python, and its timeout and memory must
// fit the event (5 s and 128 MB for viewer events, 30 s and 10,240 MB for
// origin events).
func ValidateLambdaFunctionAssociation(a LambdaFunctionAssociation, limits Limits) error {
	limits = mergeLimits(limits)
	bad := func(format string, args ...any) error {
		return ErrInvalidLambdaFunctionAssociation.Newf(format, args...)
	}
	if a.EventType.index() < 0 {
		return bad("The event type %q is not valid; use viewer-request, origin-request, origin-response or viewer-response.", a.EventType)
	}
	parts := strings.Split(a.LambdaFunctionARN, ":")
	if len(parts) < 7 || parts[0] != "arn" || parts[2] != "lambda" || parts[5] != "function" || parts[6] == "" {
		return bad("The function ARN %q is not a Lambda function ARN.", a.LambdaFunctionARN)
	}
	if parts[3] != "us-east-1" {
		return bad("The function must be in region 'us-east-1'. The function ARN %q is in %s.", a.LambdaFunctionARN, parts[3])
	}
	if len(parts) != 8 || !isVersion(parts[7]) {
		return bad("The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: %s", a.LambdaFunctionARN)
	}
	if a.Function == nil {
		return bad("The association for %s has no Function to invoke.", a.LambdaFunctionARN)
	}
	c := LambdaFunctionConfig{}
	if a.Config != nil {
		c = *a.Config
	}
	if len(c.Environment) > 0 {
		return bad("The function cannot have environment variables. Function: %s", a.LambdaFunctionARN)
	}
	if len(c.VpcSubnetIds) > 0 {
		return bad("The function cannot be configured to access resources in a VPC. Function: %s", a.LambdaFunctionARN)
	}
	if c.Runtime != "" && !strings.HasPrefix(c.Runtime, "nodejs") && !strings.HasPrefix(c.Runtime, "python") {
		return bad("The function has an invalid runtime for functions associated with a CloudFront distribution: %s. Lambda@Edge supports Node.js and Python runtimes.", c.Runtime)
	}
	mem, timeout := c.MemorySize, c.Timeout
	if mem == 0 {
		mem = 128
	}
	if timeout == 0 {
		timeout = 3
	}
	maxT, maxM := limits.LambdaOriginTimeout, limits.LambdaOriginMemoryMB
	if a.EventType.viewer() {
		maxT, maxM = limits.LambdaViewerTimeout, limits.LambdaViewerMemoryMB
	}
	if time.Duration(timeout)*time.Second > maxT {
		return bad("The function execution time limit is %d seconds; functions triggered by %s events may run at most %d seconds.", timeout, a.EventType, int(maxT/time.Second))
	}
	if mem > maxM {
		return bad("The function memory is %d MB; functions triggered by %s events may have at most %d MB.", mem, a.EventType, maxM)
	}
	if a.IncludeBody && a.EventType != EventViewerRequest && a.EventType != EventOriginRequest {
		return bad("IncludeBody is only valid for viewer-request and origin-request events, not %s.", a.EventType)
	}
	return nil
}

func isVersion(q string) bool {
	if q == "" {
		return false
	}
	for _, c := range q {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// attachFunctions validates and installs a behaviour's edge functions.
func (s *Service) attachFunctions(b *behavior) error {
	for _, fa := range b.FunctionAssociations {
		if fa.EventType != EventViewerRequest && fa.EventType != EventViewerResponse {
			return ErrInvalidFunctionAssociation.Newf("CloudFront Functions can be associated only with viewer-request and viewer-response events, not %q.", fa.EventType)
		}
		if err := fa.Function.validate(); err != nil {
			return err
		}
		i := fa.EventType.index()
		if b.hooks[i] != nil {
			return ErrTooManyFunctionAssociations.Newf("A cache behavior can have only one function for the %s event.", fa.EventType)
		}
		b.hooks[i] = &cfHook{fn: fa.Function}
	}
	for _, la := range b.LambdaFunctionAssociations {
		if err := ValidateLambdaFunctionAssociation(la, s.limits); err != nil {
			return err
		}
		i := la.EventType.index()
		if b.hooks[i] != nil {
			if _, cf := b.hooks[i].(*cfHook); cf {
				return ErrInvalidLambdaFunctionAssociation.Newf("You cannot associate a Lambda@Edge function and a CloudFront Function with the same %s event.", la.EventType)
			}
			return ErrTooManyLambdaFunctionAssociations.Newf("A cache behavior can have only one Lambda@Edge function for the %s event.", la.EventType)
		}
		if la.EventType.viewer() && len(b.FunctionAssociations) > 0 {
			return ErrInvalidLambdaFunctionAssociation.Newf("You cannot combine CloudFront Functions and Lambda@Edge functions in viewer events of one cache behavior (%s).", la.EventType)
		}
		mem := 128
		if la.Config != nil && la.Config.MemorySize > 0 {
			mem = la.Config.MemorySize
		}
		b.hooks[i] = &lambdaHook{a: la, memoryMB: mem}
	}
	return nil
}

// lambdaHook runs a Lambda@Edge function.
type lambdaHook struct {
	a        LambdaFunctionAssociation
	memoryMB int
}

func (h *lambdaHook) generatedXCache() string { return XCacheLambdaGeneratedResponse }

func toLambdaHeaders(hdr http.Header) LambdaEdgeHeaders {
	out := make(LambdaEdgeHeaders, len(hdr))
	for k, vs := range hdr {
		if disallowedHeader(k) {
			continue
		}
		lk := lower(k)
		for _, v := range vs {
			out[lk] = append(out[lk], LambdaEdgeHeader{Key: k, Value: v})
		}
	}
	return out
}

func fromLambdaHeaders(h LambdaEdgeHeaders) http.Header {
	out := make(http.Header, len(h))
	for k, vs := range h {
		for _, v := range vs {
			name := v.Key
			if name == "" || !strings.EqualFold(name, k) {
				name = k
			}
			name = canonical(name)
			out[name] = append(out[name], v.Value)
		}
	}
	return out
}

func lower(s string) string { return strings.ToLower(s) }

func (h *lambdaHook) run(ctx context.Context, x *exchange, ev EventType) *failure {
	d := x.d
	s := d.s
	viewer := ev.viewer()
	req := x.req
	reqVisible := visibleHeaders(req.header)
	lr := &LambdaEdgeRequest{ClientIP: req.clientIP, Headers: toLambdaHeaders(req.header), Method: req.method,
		QueryString: req.query, URI: req.uri}
	if h.a.IncludeBody && (ev == EventViewerRequest || ev == EventOriginRequest) {
		limit := s.limits.LambdaOriginBodySize
		if viewer {
			limit = s.limits.LambdaViewerBodySize
		}
		body := req.body
		truncated := len(body) > limit
		if truncated {
			body = body[:limit]
		}
		lr.Body = &LambdaEdgeBody{InputTruncated: truncated, Action: "read-only", Encoding: "base64", Data: base64.StdEncoding.EncodeToString(body)}
	}
	origin := x.dep.origins[req.originID]
	if ev == EventOriginRequest || ev == EventOriginResponse {
		ch := LambdaEdgeHeaders{}
		for k, v := range origin.CustomHeaders {
			ch.Set(k, v)
		}
		lr.Origin = &LambdaEdgeOrigin{Custom: &LambdaEdgeCustomOrigin{CustomHeaders: ch, DomainName: origin.DomainName,
			KeepaliveTimeout: 5, Path: origin.OriginPath, Port: 443, Protocol: "https", ReadTimeout: 30, SSLProtocols: []string{"TLSv1.2"}}}
		if ev == EventOriginResponse {
			lr.Origin = nil
		}
	}
	rec := LambdaEdgeRecord{CF: LambdaEdgeCF{
		Config:  LambdaEdgeConfig{DistributionDomainName: d.DomainName, DistributionID: d.Id, EventType: ev, RequestID: x.id},
		Request: lr,
	}}
	var respVisible http.Header
	if ev == EventOriginResponse || ev == EventViewerResponse {
		respVisible = visibleHeaders(x.resp.header)
		rec.CF.Response = &LambdaEdgeResponse{Status: LambdaEdgeStatus(strconv.Itoa(x.resp.status)),
			StatusDescription: statusDescription(x.resp), Headers: toLambdaHeaders(x.resp.header)}
	}
	payload, err := json.Marshal(LambdaEdgeEvent{Records: []LambdaEdgeRecord{rec}})
	name := h.a.LambdaFunctionARN
	if err != nil {
		f := &failure{status: http.StatusBadGateway, xcache: XCacheLambdaValidationError, message: "The Lambda@Edge event could not be encoded: " + err.Error()}
		d.metrics.function(name, 0, 0, f)
		return f
	}
	timeout := s.limits.LambdaOriginTimeout
	maxResp := s.limits.LambdaOriginResponseSize
	if viewer {
		timeout = s.limits.LambdaViewerTimeout
		maxResp = s.limits.LambdaViewerResponseSize
	}
	if c := h.a.Config; c != nil && c.Timeout > 0 && time.Duration(c.Timeout)*time.Second < timeout {
		timeout = time.Duration(c.Timeout) * time.Second
	}
	start := s.clock.Now()
	out, err := h.invoke(ctx, s.clock, payload, timeout)
	dur := s.clock.Since(start)
	s.meter.lambda(h.memoryMB, dur)
	fail := func(f *failure) *failure {
		d.metrics.function(name, 0, dur, f)
		return f
	}
	if err != nil {
		if awserr.Code(err) == "TooManyRequestsException" {
			return fail(&failure{status: http.StatusServiceUnavailable, xcache: XCacheLambdaLimitExceeded,
				message: "The Lambda function associated with the CloudFront distribution was throttled. " + err.Error()})
		}
		return fail(&failure{status: http.StatusServiceUnavailable, xcache: XCacheLambdaExecutionError,
			message: "The Lambda function associated with the CloudFront distribution is invalid or doesn't have the required permissions. " + err.Error()})
	}
	invalid := func(msg string) *failure {
		return fail(&failure{status: http.StatusBadGateway, xcache: XCacheLambdaValidationError,
			message: "The Lambda function returned an invalid response to CloudFront. " + msg})
	}
	res, err := parseLambdaResult(ev, out)
	if err != nil {
		return invalid(err.Error())
	}
	if res.req != nil {
		nr := res.req
		nh := fromLambdaHeaders(nr.Headers)
		if msg := checkHeaders(ev, reqVisible, nh); msg != "" {
			return invalid(msg)
		}
		restoreHidden(req.header, nh)
		if nr.URI == "" || nr.URI[0] != '/' {
			return invalid(fmt.Sprintf("The uri %q must begin with a slash.", nr.URI))
		}
		if nr.Method != "" && nr.Method != req.method {
			return invalid("The function may not change the request method.")
		}
		req.uri, req.query, req.header = nr.URI, nr.QueryString, nh
		if nr.Body != nil && nr.Body.Action == "replace" {
			b, err := decodeBody(nr.Body.Data, nr.Body.Encoding)
			if err != nil {
				return invalid(err.Error())
			}
			req.body = b
		}
		if ev == EventOriginRequest && nr.Origin != nil && nr.Origin.Custom != nil {
			o, ok := x.dep.byDomain[lower(nr.Origin.Custom.DomainName)]
			if !ok {
				return fail(&failure{status: http.StatusBadGateway, xcache: XCacheError,
					message: fmt.Sprintf("CloudFront wasn't able to resolve the origin domain name %q.", nr.Origin.Custom.DomainName)})
			}
			// As in CloudFront, the Host header is the function's to
			// update along with the origin.
			req.originID = o.Id
		}
		d.metrics.function(name, 0, dur, nil)
		return nil
	}
	r := res.resp
	status, err := strconv.Atoi(string(r.Status))
	if err != nil || status < 100 || status > 599 {
		return invalid(fmt.Sprintf("The status %q is not a valid HTTP status code.", r.Status))
	}
	if ev == EventViewerResponse && status != x.resp.status {
		return invalid("A viewer response function cannot change the HTTP status code.")
	}
	nh := fromLambdaHeaders(r.Headers)
	if ev == EventOriginResponse || ev == EventViewerResponse {
		if msg := checkHeaders(ev, respVisible, nh); msg != "" {
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
	var body []byte
	if r.Body != nil {
		body, err = decodeBody(*r.Body, r.BodyEncoding)
		if err != nil {
			return invalid(err.Error())
		}
	} else if x.resp != nil {
		body = x.resp.body
	}
	if size := len(body) + int(headerBytes(nh)); (r.Body != nil || x.resp == nil) && size > maxResp {
		return invalid(fmt.Sprintf("The response is %d bytes; the maximum for %s events is %d.", size, ev, maxResp))
	}
	x.resp = &edgeResponse{status: status, statusDescription: r.StatusDescription, header: nh, body: body}
	d.metrics.function(name, 0, dur, nil)
	return nil
}

func statusDescription(r *edgeResponse) string {
	if r.statusDescription != "" {
		return r.statusDescription
	}
	return http.StatusText(r.status)
}

func decodeBody(data, encoding string) ([]byte, error) {
	switch encoding {
	case "", "text":
		return []byte(data), nil
	case "base64":
		b, err := base64.StdEncoding.DecodeString(data)
		if err != nil {
			return nil, errors.New("the body is not valid base64")
		}
		return b, nil
	}
	return nil, fmt.Errorf("the body encoding %q is not text or base64", encoding)
}

// errTimedOut is the error of an invocation past its timeout.
var errTimedOut = errors.New("the Lambda function timed out")

// invoke calls the function and waits for it at most timeout on the
// service clock.
func (h *lambdaHook) invoke(ctx context.Context, c clock.Clock, payload []byte, timeout time.Duration) ([]byte, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		out []byte
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: fmt.Errorf("the function panicked: %v", p)}
			}
		}()
		out, err := h.a.Function.Invoke(ctx, payload)
		done <- result{out, err}
	}()
	t := c.NewTimer(timeout)
	defer t.Stop()
	select {
	case r := <-done:
		return r.out, r.err
	case <-t.C():
		return nil, fmt.Errorf("%w after %.2f seconds", errTimedOut, timeout.Seconds())
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
