package edge

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

func cfFunction(name string, h FunctionHandler) *Function { return &Function{Name: name, Handler: h} }

func withFunctions(t *testing.T, s *Service, o http.Handler, fas ...FunctionAssociation) *Distribution {
	t.Helper()
	return newDist(t, s, CacheBehavior{TargetOriginId: "o", FunctionAssociations: fas}, nil, Origin{Id: "o", Handler: o})
}

func TestFunctionEvent_MarshalsToCloudFrontJS2Shape(t *testing.T) {
	s, _ := newTestService(t, Options{})
	var got []byte
	fn := cfFunction("capture", func(e *FunctionEvent) (FunctionOutput, error) {
		got, _ = json.Marshal(e)
		return e.Request, nil
	})
	d := withFunctions(t, s, staticOrigin("", "x"), FunctionAssociation{EventType: EventViewerRequest, Function: fn})
	r := get(d, "GET", "/media/index.mpd?ID=42&mv=a&mv=b", map[string]string{"Accept": "*/*", "Cookie": "id=c1; pref=x", "Host": "video.example.com"})
	var ev map[string]any
	if err := json.Unmarshal(got, &ev); err != nil {
		t.Fatal(err)
	}
	ctxObj := ev["context"].(map[string]any)
	want := map[string]any{
		"version": "1.0",
		"context": map[string]any{"distributionDomainName": ctxObj["distributionDomainName"], "distributionId": ctxObj["distributionId"],
			"eventType": "viewer-request", "requestId": r.Header().Get("X-Amz-Cf-Id")},
		"viewer": map[string]any{"ip": "192.0.2.1"},
		"request": map[string]any{
			"method": "GET", "uri": "/media/index.mpd",
			"querystring": map[string]any{"ID": map[string]any{"value": "42"},
				"mv": map[string]any{"value": "a", "multiValue": []any{map[string]any{"value": "a"}, map[string]any{"value": "b"}}}},
			"headers": map[string]any{"accept": map[string]any{"value": "*/*"}, "host": map[string]any{"value": "video.example.com"}},
			"cookies": map[string]any{"id": map[string]any{"value": "c1"}, "pref": map[string]any{"value": "x"}},
		},
	}
	if diff := cmp.Diff(want, ev); diff != "" {
		t.Errorf("event JSON (-want +got):\n%s", diff)
	}
}

func TestFunction_ViewerRequestRewritesAndGenerates(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := staticOrigin("max-age=60", "origin")
	fn := cfFunction("rewrite", func(e *FunctionEvent) (FunctionOutput, error) {
		r := e.Request
		if r.URI == "/old" {
			return &FunctionResponse{StatusCode: 302, StatusDescription: "Found",
				Headers: FunctionValues{"location": {Value: "https://example.com/new"}}}, nil
		}
		if strings.HasSuffix(r.URI, "/") {
			r.URI += "index.html"
		}
		r.Headers.Set("x-rewritten", "yes")
		return r, nil
	})
	d := withFunctions(t, s, o, FunctionAssociation{EventType: EventViewerRequest, Function: fn})
	w := get(d, "GET", "/old", nil)
	if w.Code != 302 || w.Header().Get("Location") != "https://example.com/new" || w.Header().Get("X-Cache") != XCacheFunctionGeneratedResponse {
		t.Errorf("redirect = %d %q %q", w.Code, w.Header().Get("Location"), w.Header().Get("X-Cache"))
	}
	if o.calls.Load() != 0 {
		t.Error("a generated response reached the origin")
	}
	w = get(d, "GET", "/docs/", nil)
	if w.Body.String() != "origin /docs/index.html" {
		t.Errorf("rewritten body = %q", w.Body.String())
	}
	m := d.Metrics().Function("rewrite")
	if m.Invocations != 2 || m.Errors != 0 {
		t.Errorf("metrics = %+v", m)
	}
}

func TestFunction_ViewerResponseRunsOnHitsToo(t *testing.T) {
	s, _ := newTestService(t, Options{})
	fn := cfFunction("security-headers", func(e *FunctionEvent) (FunctionOutput, error) {
		h := e.Response.Headers
		h.Set("strict-transport-security", "max-age=63072000")
		delete(h, "x-powered-by")
		e.Response.Cookies["seen"] = FunctionValue{Value: "1", Attributes: "Path=/; Secure"}
		return e.Response, nil
	})
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("X-Powered-By", "PHP")
		w.Write([]byte("page"))
	}}
	d := withFunctions(t, s, o, FunctionAssociation{EventType: EventViewerResponse, Function: fn})
	for i, want := range []string{XCacheMiss, XCacheHit} {
		w := get(d, "GET", "/", nil)
		if w.Header().Get("X-Cache") != want || w.Header().Get("Strict-Transport-Security") == "" || w.Header().Get("X-Powered-By") != "" ||
			w.Header().Get("Set-Cookie") != "seen=1; Path=/; Secure" || w.Body.String() != "page" {
			t.Errorf("request %d: %q headers %v body %q", i, w.Header().Get("X-Cache"), w.Header(), w.Body.String())
		}
	}
}

func TestFunction_ViewerResponseSkipsErrorStatuses(t *testing.T) {
	s, _ := newTestService(t, Options{})
	calls := 0
	fn := cfFunction("vr", func(e *FunctionEvent) (FunctionOutput, error) { calls++; return e.Response, nil })
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) { http.Error(w, "no", 500) }}
	d := withFunctions(t, s, o, FunctionAssociation{EventType: EventViewerResponse, Function: fn})
	if w := get(d, "GET", "/", nil); w.Code != 500 || calls != 0 {
		t.Errorf("status %d, function called %d times; CloudFront skips viewer response for 4xx/5xx", w.Code, calls)
	}
}

func TestFunction_FailuresAnswerAsCloudFront(t *testing.T) {
	slow := clock.NewManual(epoch)
	s, _ := newTestService(t, Options{ComputeClock: slow})
	cases := []struct {
		name   string
		ev     EventType
		fn     FunctionHandler
		status int
		xcache string
	}{
		{"error", EventViewerRequest, func(e *FunctionEvent) (FunctionOutput, error) { return nil, errors.New("boom") }, 503, XCacheFunctionExecutionError},
		{"panic", EventViewerRequest, func(e *FunctionEvent) (FunctionOutput, error) { panic("oops") }, 503, XCacheFunctionExecutionError},
		{"over budget", EventViewerRequest, func(e *FunctionEvent) (FunctionOutput, error) {
			slow.Advance(1500 * time.Microsecond)
			return e.Request, nil
		}, 503, XCacheFunctionThrottledError},
		{"read-only host", EventViewerRequest, func(e *FunctionEvent) (FunctionOutput, error) {
			e.Request.Headers.Set("host", "evil.example.com")
			return e.Request, nil
		}, 502, XCacheFunctionValidationError},
		{"disallowed header", EventViewerRequest, func(e *FunctionEvent) (FunctionOutput, error) {
			e.Request.Headers.Set("x-amz-cf-pop", "FAKE")
			return e.Request, nil
		}, 502, XCacheFunctionValidationError},
		{"generated response too big", EventViewerRequest, func(e *FunctionEvent) (FunctionOutput, error) {
			return &FunctionResponse{StatusCode: 200, Body: &FunctionBody{Data: strings.Repeat("x", 41*1024)}}, nil
		}, 502, XCacheFunctionValidationError},
		{"request from viewer response", EventViewerResponse, func(e *FunctionEvent) (FunctionOutput, error) { return e.Request, nil }, 502, XCacheFunctionValidationError},
		{"read-only content-length", EventViewerResponse, func(e *FunctionEvent) (FunctionOutput, error) {
			e.Response.Headers.Set("content-length", "2")
			return e.Response, nil
		}, 502, XCacheFunctionValidationError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fn := cfFunction("f", c.fn)
			o := staticOrigin("", "x")
			o.handler = func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Length", "1")
				w.Write([]byte("x"))
			}
			out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
				CallerReference: t.Name(), Origins: []Origin{{Id: "o", Handler: o}},
				DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o", FunctionAssociations: []FunctionAssociation{{EventType: c.ev, Function: fn}}}}})
			if err != nil {
				t.Fatal(err)
			}
			w := get(out.Distribution, "GET", "/", nil)
			if w.Code != c.status || w.Header().Get("X-Cache") != c.xcache {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Header().Get("X-Cache"), c.status, c.xcache)
			}
			if m := out.Distribution.Metrics().Function("f"); m.Errors != 1 {
				t.Errorf("function errors = %d", m.Errors)
			}
		})
	}
}

func TestFunction_ComputeUtilizationIsMeasured(t *testing.T) {
	cc := clock.NewManual(epoch)
	s, _ := newTestService(t, Options{ComputeClock: cc})
	fn := cfFunction("work", func(e *FunctionEvent) (FunctionOutput, error) {
		cc.Advance(300 * time.Microsecond)
		return e.Request, nil
	})
	d := withFunctions(t, s, staticOrigin("", "x"), FunctionAssociation{EventType: EventViewerRequest, Function: fn})
	get(d, "GET", "/", nil)
	if m := d.Metrics().Function("work"); m.ComputeUtilization != 30 || m.MaxComputeUtilization != 30 {
		t.Errorf("compute utilization = %v (max %v), want 30", m.ComputeUtilization, m.MaxComputeUtilization)
	}
	_, util, err := s.TestFunction(fn, &FunctionEvent{Version: "1.0", Context: FunctionContext{EventType: EventViewerRequest},
		Request: &FunctionRequest{Method: "GET", URI: "/"}})
	if err != nil || util != 30 {
		t.Errorf("TestFunction = %d, %v", util, err)
	}
}

func TestFunctionAssociation_RulesOfCloudFront(t *testing.T) {
	s, _ := newTestService(t, Options{})
	ok := cfFunction("ok", func(e *FunctionEvent) (FunctionOutput, error) { return e.Request, nil })
	le := LambdaFunctionAssociation{EventType: EventViewerResponse, LambdaFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:f:1",
		Function: InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) { return nil, nil })}
	cases := []struct {
		name string
		b    CacheBehavior
		want error
	}{
		{"origin event", CacheBehavior{FunctionAssociations: []FunctionAssociation{{EventType: EventOriginRequest, Function: ok}}}, ErrInvalidFunctionAssociation},
		{"two per event", CacheBehavior{FunctionAssociations: []FunctionAssociation{{EventType: EventViewerRequest, Function: ok}, {EventType: EventViewerRequest, Function: ok}}}, ErrTooManyFunctionAssociations},
		{"bad name", CacheBehavior{FunctionAssociations: []FunctionAssociation{{EventType: EventViewerRequest, Function: cfFunction("a b", ok.Handler)}}}, ErrInvalidArgument},
		{"no code", CacheBehavior{FunctionAssociations: []FunctionAssociation{{EventType: EventViewerRequest, Function: &Function{Name: "x"}}}}, ErrInvalidArgument},
		{"mixed with Lambda@Edge on viewer events", CacheBehavior{FunctionAssociations: []FunctionAssociation{{EventType: EventViewerRequest, Function: ok}},
			LambdaFunctionAssociations: []LambdaFunctionAssociation{le}}, ErrInvalidLambdaFunctionAssociation},
	}
	for i, c := range cases {
		c.b.TargetOriginId = "o"
		_, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
			CallerReference: strings.Repeat("r", i+1), Origins: []Origin{{Id: "o", Handler: staticOrigin("", "")}}, DefaultCacheBehavior: c.b}})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	le.EventType = EventOriginRequest
	_, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
		CallerReference: "combo", Origins: []Origin{{Id: "o", Handler: staticOrigin("", "")}}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o",
			FunctionAssociations: []FunctionAssociation{{EventType: EventViewerRequest, Function: ok}}, LambdaFunctionAssociations: []LambdaFunctionAssociation{le}}}})
	if err != nil {
		t.Errorf("a CloudFront Function on viewer request with Lambda@Edge on origin request is allowed: %v", err)
	}
}

func TestParseFunctionOutput_ReadsJSONResults(t *testing.T) {
	out, err := ParseFunctionOutput(EventViewerRequest, []byte(`{"statusCode":302,"headers":{"location":{"value":"/x"}},"body":"moved"}`))
	if err != nil {
		t.Fatal(err)
	}
	r, ok := out.(*FunctionResponse)
	if !ok || r.StatusCode != 302 || r.Headers["location"].Value != "/x" || r.Body.Data != "moved" {
		t.Errorf("response = %+v", out)
	}
	out, err = ParseFunctionOutput(EventViewerRequest, []byte(`{"method":"GET","uri":"/a","querystring":{},"headers":{},"cookies":{}}`))
	if req, ok := out.(*FunctionRequest); err != nil || !ok || req.URI != "/a" {
		t.Errorf("request = %+v, %v", out, err)
	}
	if _, err := ParseFunctionOutput(EventViewerRequest, []byte(`42`)); err == nil {
		t.Error("a number is not a result")
	}
}

func TestFunction_UntouchedQueryStringKeepsTheViewersOrder(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := staticOrigin("max-age=60", "x")
	fn := cfFunction("pass", func(e *FunctionEvent) (FunctionOutput, error) { return e.Request, nil })
	all := &CachePolicy{DefaultTTL: 60, MaxTTL: 60, QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorAll},
		CookiesConfig: CookiesConfig{CookieBehavior: BehaviorAll}}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o", CachePolicy: all, FunctionAssociations: []FunctionAssociation{{EventType: EventViewerRequest, Function: fn}}},
		nil, Origin{Id: "o", Handler: o})
	get(d, "GET", "/p?b=2&a=1", map[string]string{"Cookie": "z=1; a=2"})
	if r := o.lastRequest(); r.URL.RawQuery != "b=2&a=1" {
		t.Errorf("origin saw %q, want the viewer's order", r.URL.RawQuery)
	}
	if w := get(d, "GET", "/p?a=1&b=2", nil); w.Header().Get("X-Cache") != XCacheMiss {
		t.Errorf("another order is another object: %q", w.Header().Get("X-Cache"))
	}
}
