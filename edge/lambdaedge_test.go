package edge

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/internal/awserr"
)

const fnARN = "arn:aws:lambda:us-east-1:123456789012:function:edge-fn:3"

// goEdge adapts a typed Go handler to an Invoker, as lambda.Handler would.
func goEdge(calls *atomic.Int64, h func(ctx context.Context, ev LambdaEdgeEvent) (any, error)) Invoker {
	return InvokerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		if calls != nil {
			calls.Add(1)
		}
		var ev LambdaEdgeEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		out, err := h(ctx, ev)
		if err != nil {
			return nil, err
		}
		return json.Marshal(out)
	})
}

func withLambda(t *testing.T, s *Service, o http.Handler, las ...LambdaFunctionAssociation) *Distribution {
	t.Helper()
	return newDist(t, s, CacheBehavior{TargetOriginId: "o", LambdaFunctionAssociations: las, AllowedMethods: methodSets[2]}, nil,
		Origin{Id: "o", DomainName: "origin.example.com", Handler: o})
}

func TestLambdaEdgeEvent_MarshalsAsAWSDocumentsIt(t *testing.T) {
	s, _ := newTestService(t, Options{})
	var got []byte
	inv := InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) {
		got = p
		var ev LambdaEdgeEvent
		json.Unmarshal(p, &ev)
		return json.Marshal(ev.Records[0].CF.Request)
	})
	d := withLambda(t, s, staticOrigin("", "x"), LambdaFunctionAssociation{EventType: EventOriginRequest, LambdaFunctionARN: fnARN, Function: inv})
	w := get(d, "GET", "/a/b?x=1", map[string]string{"Host": "www.example.com", "X-Device": "tv"})
	var ev map[string]any
	json.Unmarshal(got, &ev)
	cf := ev["Records"].([]any)[0].(map[string]any)["cf"].(map[string]any)
	cfg := cf["config"].(map[string]any)
	req := cf["request"].(map[string]any)
	want := map[string]any{
		"config": map[string]any{"distributionDomainName": d.DomainName, "distributionId": d.Id, "eventType": "origin-request", "requestId": w.Header().Get("X-Amz-Cf-Id")},
		"request": map[string]any{
			"clientIp": "192.0.2.1", "method": "GET", "uri": "/a/b", "querystring": "",
			"headers": req["headers"],
			"origin": map[string]any{"custom": map[string]any{"customHeaders": map[string]any{}, "domainName": "origin.example.com",
				"keepaliveTimeout": float64(5), "path": "", "port": float64(443), "protocol": "https", "readTimeout": float64(30), "sslProtocols": []any{"TLSv1.2"}}},
		},
	}
	if diff := cmp.Diff(want, cf); diff != "" {
		t.Errorf("cf object (-want +got):\n%s", diff)
	}
	host := req["headers"].(map[string]any)["host"].([]any)[0].(map[string]any)
	if host["key"] != "Host" || host["value"] != "origin.example.com" {
		t.Errorf("host header = %v", host)
	}
	if cfg["eventType"] != "origin-request" {
		t.Errorf("eventType = %v", cfg["eventType"])
	}
}

func TestLambdaEdge_OriginFunctionsRunOnlyOnMiss(t *testing.T) {
	s, _ := newTestService(t, Options{})
	var vreq, oreq, oresp, vresp atomic.Int64
	pass := func(c *atomic.Int64, resp bool) Invoker {
		return goEdge(c, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
			if resp {
				r := ev.Records[0].CF.Response
				r.Headers.Set("X-Seen-"+string(ev.Records[0].CF.Config.EventType), "1")
				return r, nil
			}
			return ev.Records[0].CF.Request, nil
		})
	}
	d := withLambda(t, s, staticOrigin("max-age=60", "x"),
		LambdaFunctionAssociation{EventType: EventViewerRequest, LambdaFunctionARN: fnARN, Function: pass(&vreq, false)},
		LambdaFunctionAssociation{EventType: EventOriginRequest, LambdaFunctionARN: fnARN, Function: pass(&oreq, false)},
		LambdaFunctionAssociation{EventType: EventOriginResponse, LambdaFunctionARN: fnARN, Function: pass(&oresp, true)},
		LambdaFunctionAssociation{EventType: EventViewerResponse, LambdaFunctionARN: fnARN, Function: pass(&vresp, true)})
	w1 := get(d, "GET", "/p", nil)
	w2 := get(d, "GET", "/p", nil)
	if w2.Header().Get("X-Cache") != XCacheHit {
		t.Fatalf("second X-Cache = %q", w2.Header().Get("X-Cache"))
	}
	if vreq.Load() != 2 || oreq.Load() != 1 || oresp.Load() != 1 || vresp.Load() != 2 {
		t.Errorf("invocations: viewer-request %d origin-request %d origin-response %d viewer-response %d; want 2 1 1 2",
			vreq.Load(), oreq.Load(), oresp.Load(), vresp.Load())
	}
	// The origin-response header is cached with the object.
	for i, w := range []*httptest.ResponseRecorder{w1, w2} {
		if w.Header().Get("X-Seen-Origin-Response") != "1" || w.Header().Get("X-Seen-Viewer-Response") != "1" {
			t.Errorf("response %d headers: %v", i, w.Header())
		}
	}
	if c := s.Cost(); !strings.Contains(c.String(), "Lambda@Edge requests") {
		t.Errorf("cost does not meter Lambda@Edge:\n%s", c)
	}
}

func TestLambdaEdge_GeneratedResponses(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := staticOrigin("", "x")
	body := "generated at the edge"
	gen := goEdge(nil, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
		h := LambdaEdgeHeaders{}
		h.Set("Cache-Control", "max-age=100")
		h.Set("Content-Type", "text/plain")
		return &LambdaEdgeResponse{Status: "200", StatusDescription: "OK", Headers: h, Body: &body}, nil
	})
	d := withLambda(t, s, o, LambdaFunctionAssociation{EventType: EventOriginRequest, LambdaFunctionARN: fnARN, Function: gen})
	w := get(d, "GET", "/g", nil)
	if w.Code != 200 || w.Body.String() != body || w.Header().Get("X-Cache") != XCacheLambdaGeneratedResponse {
		t.Errorf("generated = %d %q %q", w.Code, w.Body.String(), w.Header().Get("X-Cache"))
	}
	if w := get(d, "GET", "/g", nil); w.Header().Get("X-Cache") != XCacheHit {
		t.Errorf("an origin-request generated response is cached: X-Cache %q", w.Header().Get("X-Cache"))
	}
	if o.calls.Load() != 0 {
		t.Error("origin called")
	}
}

func TestLambdaEdge_FailuresAnswerAsCloudFront(t *testing.T) {
	cases := []struct {
		name   string
		ev     EventType
		inv    Invoker
		status int
		xcache string
	}{
		{"function error", EventViewerRequest, InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			return nil, errors.New("Unhandled")
		}), 503, XCacheLambdaExecutionError},
		{"throttled", EventOriginRequest, InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			return nil, awserr.New("TooManyRequestsException", 429, "Rate Exceeded.")
		}), 503, XCacheLambdaLimitExceeded},
		{"not JSON", EventViewerRequest, InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) { return []byte(`"nope"`), nil }), 502, XCacheLambdaValidationError},
		{"bad status", EventViewerRequest, InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) { return []byte(`{"status":"abc"}`), nil }), 502, XCacheLambdaValidationError},
		{"viewer response changes status", EventViewerResponse, goEdge(nil, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
			r := ev.Records[0].CF.Response
			r.Status = "404"
			return r, nil
		}), 502, XCacheLambdaValidationError},
		{"generated viewer response over 40 KB", EventViewerRequest, goEdge(nil, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
			b := strings.Repeat("x", 40*1024)
			return &LambdaEdgeResponse{Status: "200", Body: &b}, nil
		}), 502, XCacheLambdaValidationError},
		{"disallowed header", EventOriginResponse, goEdge(nil, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
			r := ev.Records[0].CF.Response
			r.Headers.Set("X-Cache", "Hit from cloudfront")
			return r, nil
		}), 502, XCacheLambdaValidationError},
		{"read-only via", EventOriginRequest, goEdge(nil, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
			r := ev.Records[0].CF.Request
			r.Headers.Set("Via", "1.1 me")
			return r, nil
		}), 502, XCacheLambdaValidationError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _ := newTestService(t, Options{})
			d := withLambda(t, s, staticOrigin("", "x"), LambdaFunctionAssociation{EventType: c.ev, LambdaFunctionARN: fnARN, Function: c.inv})
			w := get(d, "GET", "/", nil)
			if w.Code != c.status || w.Header().Get("X-Cache") != c.xcache {
				t.Errorf("got %d %q, want %d %q", w.Code, w.Header().Get("X-Cache"), c.status, c.xcache)
			}
			if m := d.Metrics().Function(fnARN); m.Errors != 1 {
				t.Errorf("errors = %d", m.Errors)
			}
		})
	}
}

func TestLambdaEdge_TimesOutOnTheClock(t *testing.T) {
	for _, c := range []struct {
		ev      EventType
		timeout time.Duration
	}{{EventViewerRequest, 5 * time.Second}, {EventOriginRequest, 30 * time.Second}} {
		s, clk := newTestService(t, Options{})
		release := make(chan struct{})
		inv := InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) {
			select {
			case <-release:
			case <-ctx.Done():
			}
			return nil, ctx.Err()
		})
		cfg := &LambdaFunctionConfig{Timeout: int(c.timeout / time.Second)}
		d := withLambda(t, s, staticOrigin("", "x"), LambdaFunctionAssociation{EventType: c.ev, LambdaFunctionARN: fnARN, Function: inv, Config: cfg})
		done := make(chan *httptest.ResponseRecorder)
		go func() { done <- get(d, "GET", "/", nil) }()
		clk.BlockUntil(context.Background(), 1)
		clk.Advance(c.timeout - time.Millisecond)
		select {
		case <-done:
			t.Fatalf("%s: answered before the timeout", c.ev)
		default:
		}
		clk.Advance(time.Millisecond)
		w := <-done
		close(release)
		if w.Code != 503 || w.Header().Get("X-Cache") != XCacheLambdaExecutionError {
			t.Errorf("%s timeout: %d %q", c.ev, w.Code, w.Header().Get("X-Cache"))
		}
		if m := d.Metrics().Function(fnARN); m.Duration != c.timeout {
			t.Errorf("%s: duration %v, want %v", c.ev, m.Duration, c.timeout)
		}
	}
}

func TestLambdaEdge_IncludeBodyTruncatesAtTheEventLimit(t *testing.T) {
	cases := []struct {
		ev        EventType
		size      int
		truncated bool
		seen      int
	}{
		{EventViewerRequest, 40 * 1024, false, 40 * 1024},
		{EventViewerRequest, 40*1024 + 1, true, 40 * 1024},
		{EventOriginRequest, 100 * 1024, false, 100 * 1024},
		{EventOriginRequest, 1024*1024 + 5, true, 1024 * 1024},
	}
	for _, c := range cases {
		s, _ := newTestService(t, Options{})
		var body *LambdaEdgeBody
		inv := goEdge(nil, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
			body = ev.Records[0].CF.Request.Body
			return ev.Records[0].CF.Request, nil
		})
		o := staticOrigin("", "x")
		d := withLambda(t, s, o, LambdaFunctionAssociation{EventType: c.ev, LambdaFunctionARN: fnARN, Function: inv, IncludeBody: true})
		r := httptest.NewRequest("POST", "/upload", strings.NewReader(strings.Repeat("b", c.size)))
		d.ServeHTTP(httptest.NewRecorder(), r)
		data, _ := base64.StdEncoding.DecodeString(body.Data)
		if body.InputTruncated != c.truncated || len(data) != c.seen || body.Action != "read-only" || body.Encoding != "base64" {
			t.Errorf("%s %d bytes: truncated %v, %d bytes seen, action %q", c.ev, c.size, body.InputTruncated, len(data), body.Action)
		}
		if got := o.lastRequest().ContentLength; got != int64(c.size) {
			t.Errorf("%s: origin got %d bytes, want the whole %d", c.ev, got, c.size)
		}
	}
}

func TestLambdaEdge_ReplacesBodyAndPicksOrigin(t *testing.T) {
	s, _ := newTestService(t, Options{})
	a := staticOrigin("", "a")
	b := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		buf := make([]byte, 100)
		n, _ := r.Body.Read(buf)
		w.Write([]byte("b got " + string(buf[:n]) + " host " + r.Host))
	}}
	inv := goEdge(nil, func(ctx context.Context, ev LambdaEdgeEvent) (any, error) {
		req := ev.Records[0].CF.Request
		if req.Headers.Get("X-Beta") == "1" {
			req.Origin.Custom.DomainName = "beta.example.com"
			req.Headers.Set("Host", "beta.example.com")
		}
		req.Body.Action = "replace"
		req.Body.Encoding = "text"
		req.Body.Data = "rewritten"
		return req, nil
	})
	out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
		CallerReference: "pick", Origins: []Origin{{Id: "a", DomainName: "alpha.example.com", Handler: a}, {Id: "b", DomainName: "beta.example.com", Handler: b}},
		DefaultCacheBehavior: CacheBehavior{TargetOriginId: "a", AllowedMethods: methodSets[2], CachePolicy: CachingDisabled(), OriginRequestPolicy: AllViewerExceptHostHeader(),
			LambdaFunctionAssociations: []LambdaFunctionAssociation{{EventType: EventOriginRequest, LambdaFunctionARN: fnARN, Function: inv, IncludeBody: true}}}}})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/x", strings.NewReader("original"))
	r.Header.Set("X-Beta", "1")
	w := httptest.NewRecorder()
	out.Distribution.ServeHTTP(w, r)
	if w.Body.String() != "b got rewritten host beta.example.com" {
		t.Errorf("body = %q", w.Body.String())
	}
}

func TestValidateLambdaFunctionAssociation_RulesOfLambdaEdge(t *testing.T) {
	inv := InvokerFunc(func(ctx context.Context, p []byte) ([]byte, error) { return p, nil })
	ok := LambdaFunctionAssociation{EventType: EventViewerRequest, LambdaFunctionARN: fnARN, Function: inv}
	cases := []struct {
		name   string
		mutate func(a *LambdaFunctionAssociation)
		want   string
	}{
		{"valid", func(a *LambdaFunctionAssociation) {}, ""},
		{"other region", func(a *LambdaFunctionAssociation) {
			a.LambdaFunctionARN = "arn:aws:lambda:eu-west-1:123456789012:function:edge-fn:3"
		}, "region 'us-east-1'"},
		{"unqualified", func(a *LambdaFunctionAssociation) {
			a.LambdaFunctionARN = "arn:aws:lambda:us-east-1:123456789012:function:edge-fn"
		}, "specific function version"},
		{"$LATEST", func(a *LambdaFunctionAssociation) {
			a.LambdaFunctionARN += "x"
			a.LambdaFunctionARN = strings.TrimSuffix(fnARN, "3") + "$LATEST"
		}, "specific function version"},
		{"alias", func(a *LambdaFunctionAssociation) { a.LambdaFunctionARN = strings.TrimSuffix(fnARN, "3") + "live" }, "specific function version"},
		{"environment", func(a *LambdaFunctionAssociation) {
			a.Config = &LambdaFunctionConfig{Environment: map[string]string{"K": "v"}}
		}, "environment variables"},
		{"vpc", func(a *LambdaFunctionAssociation) {
			a.Config = &LambdaFunctionConfig{VpcSubnetIds: []string{"subnet-1"}}
		}, "VPC"},
		{"go runtime", func(a *LambdaFunctionAssociation) { a.Config = &LambdaFunctionConfig{Runtime: "provided.al2023"} }, "invalid runtime"},
		{"viewer timeout 6 s", func(a *LambdaFunctionAssociation) { a.Config = &LambdaFunctionConfig{Timeout: 6} }, "at most 5 seconds"},
		{"origin timeout 30 s", func(a *LambdaFunctionAssociation) {
			a.EventType = EventOriginRequest
			a.Config = &LambdaFunctionConfig{Timeout: 30, MemorySize: 2048, Runtime: "nodejs22.x"}
		}, ""},
		{"origin timeout 31 s", func(a *LambdaFunctionAssociation) {
			a.EventType = EventOriginResponse
			a.Config = &LambdaFunctionConfig{Timeout: 31}
		}, "at most 30 seconds"},
		{"viewer memory 256 MB", func(a *LambdaFunctionAssociation) { a.Config = &LambdaFunctionConfig{MemorySize: 256} }, "at most 128 MB"},
		{"body on a response event", func(a *LambdaFunctionAssociation) { a.EventType = EventViewerResponse; a.IncludeBody = true }, "IncludeBody"},
		{"bad event", func(a *LambdaFunctionAssociation) { a.EventType = "edge-request" }, "event type"},
	}
	for _, c := range cases {
		a := ok
		c.mutate(&a)
		err := ValidateLambdaFunctionAssociation(a, Limits{})
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidLambdaFunctionAssociation) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v, want InvalidLambdaFunctionAssociation mentioning %q", c.name, err, c.want)
		}
	}
}
