package apigw

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// counter is an integration that numbers its calls: the body says which
// call answered, so a cached answer shows an old number.
type counter struct {
	n      atomic.Int64
	status func(req *Request) int
}

func (ct *counter) Integrate(_ context.Context, req *Request) (*Response, error) {
	n := ct.n.Add(1)
	status := 200
	if ct.status != nil {
		status = ct.status(req)
	}
	return &Response{
		StatusCode: status,
		Header:     http.Header{"Content-Type": {"text/plain"}, "X-Backend": {"call-" + fmt.Sprint(n)}},
		Body:       []byte(fmt.Sprintf("call %d %s %s", n, req.Method, req.Path)),
	}, nil
}

type cachedStage struct {
	s   *Service
	clk *clock.Manual
	api *API
	st  *Stage
	fn  *counter
	log *logRecorder
}

// newCachedStage builds a REST API whose routes all use one counter,
// deployed to "prod" with a cache cluster (unless cluster is false) and
// the given method settings.
func newCachedStage(t *testing.T, cluster bool, settings map[string]MethodSettings, routes map[string]Route) *cachedStage {
	t.Helper()
	clk := clock.NewManual(t0)
	rec := &logRecorder{}
	s := New(Options{Clock: clk, Logger: slog.New(slog.NewJSONHandler(rec, nil))})
	api, err := s.CreateAPI(APIConfig{Name: "cached", Kind: REST})
	if err != nil {
		t.Fatal(err)
	}
	fn := &counter{}
	for k, r := range routes {
		r.Integration = fn
		if err := api.Route(k, r); err != nil {
			t.Fatalf("Route(%q): %v", k, err)
		}
	}
	d := mustDeploy(t, api)
	st, err := api.CreateStage(StageConfig{Name: "prod", DeploymentID: d.ID, CacheClusterEnabled: cluster, MethodSettings: settings})
	if err != nil {
		t.Fatal(err)
	}
	return &cachedStage{s: s, clk: clk, api: api, st: st, fn: fn, log: rec}
}

// send sends a request with optional header pairs and returns status,
// body and response headers.
func (cs *cachedStage) send(t *testing.T, method, target string, header ...string) (int, string, http.Header) {
	t.Helper()
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Add(header[i], header[i+1])
	}
	w := httptest.NewRecorder()
	cs.st.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header()
}

var itemRoutes = map[string]Route{
	"GET /items/{id}":  {},
	"POST /items/{id}": {},
	"GET /other":       {},
}

func cacheAll(ttl time.Duration) map[string]MethodSettings {
	return map[string]MethodSettings{"*": {CachingEnabled: true, CacheTTL: ttl}}
}

func TestCache_HitUntilTheTTLRunsOut(t *testing.T) {
	cases := []struct {
		name string
		ttl  time.Duration
		want time.Duration // how long an entry lives; 0: not cached
	}{
		{"zero means the 300 s default", 0, 300 * time.Second},
		{"ten seconds", 10 * time.Second, 10 * time.Second},
		{"the 3600 s maximum", time.Hour, time.Hour},
		{"negative means 0 s: no caching", -1, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := newCachedStage(t, true, cacheAll(tc.ttl), itemRoutes)
			_, first, h1 := cs.send(t, "GET", "/items/1")
			if first != "call 1 GET /items/1" {
				t.Fatalf("first: %q", first)
			}
			if tc.want == 0 {
				if _, body, _ := cs.send(t, "GET", "/items/1"); body != "call 2 GET /items/1" {
					t.Errorf("TTL 0 cached: %q", body)
				}
				if m := cs.st.Metrics(); m.CacheHitCount != 0 || m.CacheMissCount != 0 {
					t.Errorf("TTL 0 counted cache use: %+v", m)
				}
				return
			}
			cs.clk.Advance(tc.want - time.Nanosecond)
			code, body, h2 := cs.send(t, "GET", "/items/1")
			if code != 200 || body != first {
				t.Fatalf("within the TTL: %d %q", code, body)
			}
			if h2.Get("X-Backend") != h1.Get("X-Backend") || h2.Get("Content-Type") != "text/plain" {
				t.Errorf("cached headers %v, first %v", h2, h1)
			}
			if h2.Get("X-Amzn-Requestid") == h1.Get("X-Amzn-Requestid") {
				t.Error("a cached answer reused the request ID")
			}
			cs.clk.Advance(time.Nanosecond)
			if _, body, _ := cs.send(t, "GET", "/items/1"); body != "call 2 GET /items/1" {
				t.Errorf("at the TTL: %q", body)
			}
			if m := cs.st.Metrics(); m.CacheHitCount != 1 || m.CacheMissCount != 2 {
				t.Errorf("metrics: hits %d misses %d", m.CacheHitCount, m.CacheMissCount)
			}
		})
	}
}

func TestCache_WhatIsCached(t *testing.T) {
	cases := []struct {
		name     string
		cluster  bool
		settings map[string]MethodSettings
		method   string
		path     string
		cached   bool
	}{
		{"GET with the stage-wide setting", true, cacheAll(0), "GET", "/items/1", true},
		{"POST with the stage-wide setting", true, cacheAll(0), "POST", "/items/1", false},
		{"POST with its own setting", true, map[string]MethodSettings{"POST /items/{id}": {CachingEnabled: true}}, "POST", "/items/1", true},
		{"a route's own setting turns caching off", true, map[string]MethodSettings{"*": {CachingEnabled: true}, "GET /items/{id}": {}}, "GET", "/items/1", false},
		{"another route keeps the stage-wide setting", true, map[string]MethodSettings{"*": {CachingEnabled: true}, "GET /items/{id}": {}}, "GET", "/other", true},
		{"no cache cluster", false, cacheAll(0), "GET", "/items/1", false},
		{"cluster without method settings", true, nil, "GET", "/items/1", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs := newCachedStage(t, tc.cluster, tc.settings, itemRoutes)
			_, first, _ := cs.send(t, tc.method, tc.path)
			_, second, _ := cs.send(t, tc.method, tc.path)
			if got := first == second; got != tc.cached {
				t.Errorf("cached = %v (%q then %q), want %v", got, first, second, tc.cached)
			}
			m := cs.st.Metrics()
			if tc.cached && (m.CacheMissCount != 1 || m.CacheHitCount != 1) || !tc.cached && m.CacheMissCount+m.CacheHitCount != 0 {
				t.Errorf("metrics: hits %d misses %d", m.CacheHitCount, m.CacheMissCount)
			}
		})
	}
}

func TestCache_HTTPAPIsHaveNoCache(t *testing.T) {
	clk := clock.NewManual(t0)
	s := New(Options{Clock: clk})
	fn := &counter{}
	api := mustAPI(t, s, HTTP, map[string]Integration{"GET /x": fn})
	st, err := api.CreateStage(StageConfig{Name: "$default", DeploymentID: mustDeploy(t, api).ID, CacheClusterEnabled: true, MethodSettings: cacheAll(0)})
	if err != nil {
		t.Fatal(err)
	}
	do(t, st, "GET", "/x", "")
	do(t, st, "GET", "/x", "")
	if fn.n.Load() != 2 {
		t.Errorf("HTTP API answered from a cache: %d integration calls", fn.n.Load())
	}
}

func TestCache_KeyIsPathAndChosenParameters(t *testing.T) {
	routes := map[string]Route{
		"GET /items/{id}": {CacheKeyParameters: []string{"method.request.querystring.page", "method.request.header.Accept-Language"}},
		"GET /a/{b}":      {},
		"GET /a/{b}/c":    {},
	}
	cs := newCachedStage(t, true, cacheAll(0), routes)
	cases := []struct {
		name   string
		target string
		header []string
		call   int // the integration call that answers
	}{
		{"first", "/items/1?page=1", []string{"Accept-Language", "en"}, 1},
		{"same", "/items/1?page=1", []string{"Accept-Language", "en"}, 1},
		{"a query string outside the key", "/items/1?page=1&sort=asc", []string{"Accept-Language", "en"}, 1},
		{"a header outside the key", "/items/1?page=1", []string{"Accept-Language", "en", "X-Other", "1"}, 1},
		{"another path parameter", "/items/2?page=1", []string{"Accept-Language", "en"}, 2},
		{"another page", "/items/1?page=2", []string{"Accept-Language", "en"}, 3},
		{"no page", "/items/1", []string{"Accept-Language", "en"}, 4},
		{"empty page", "/items/1?page=", []string{"Accept-Language", "en"}, 5},
		{"another language", "/items/1?page=1", []string{"Accept-Language", "fr"}, 6},
		{"header name case does not matter", "/items/1?page=1", []string{"accept-language", "fr"}, 6},
		{"two pages", "/items/1?page=1&page=2", []string{"Accept-Language", "en"}, 7},
		{"a path value that spells another route", "/a/x%2Fc", nil, 8},
		{"the other route", "/a/x/c", nil, 9},
	}
	for _, tc := range cases {
		_, body, _ := cs.send(t, "GET", tc.target, tc.header...)
		if want := fmt.Sprintf("call %d ", tc.call); !strings.HasPrefix(body, want) {
			t.Errorf("%s: %q, want call %d", tc.name, body, tc.call)
		}
	}
}

func TestCache_OnlySuccessfulResponsesAreCached(t *testing.T) {
	cs := newCachedStage(t, true, cacheAll(0), itemRoutes)
	cs.fn.status = func(req *Request) int {
		switch req.PathParameters["id"] {
		case "created":
			return 201
		case "missing":
			return 404
		case "broken":
			return 500
		case "moved":
			return 302
		}
		return 200
	}
	for _, tc := range []struct {
		id     string
		cached bool
	}{{"created", true}, {"missing", false}, {"broken", false}, {"moved", false}, {"ok", true}} {
		before := cs.fn.n.Load()
		cs.send(t, "GET", "/items/"+tc.id)
		cs.send(t, "GET", "/items/"+tc.id)
		calls := cs.fn.n.Load() - before
		if tc.cached && calls != 1 || !tc.cached && calls != 2 {
			t.Errorf("%s: %d integration calls for two requests", tc.id, calls)
		}
	}
}

func TestCache_LargeResponsesAreNotCached(t *testing.T) {
	clk := clock.NewManual(t0)
	s := New(Options{Clock: clk})
	var calls atomic.Int64
	big := IntegrationFunc(func(context.Context, *Request) (*Response, error) {
		calls.Add(1)
		return &Response{StatusCode: 200, Body: make([]byte, MaxCachedResponseSize+1)}, nil
	})
	api := mustAPI(t, s, REST, map[string]Integration{"GET /big": big})
	st, _ := api.CreateStage(StageConfig{Name: "prod", DeploymentID: mustDeploy(t, api).ID, CacheClusterEnabled: true, MethodSettings: cacheAll(0)})
	do(t, st, "GET", "/big", "")
	do(t, st, "GET", "/big", "")
	if calls.Load() != 2 {
		t.Errorf("a response over 1 MB was cached: %d calls", calls.Load())
	}
}

func TestCache_MaxAgeZero(t *testing.T) {
	cases := []struct {
		name     string
		require  bool
		strategy string
		status   int
		body     string // "fresh" or "cached" for 200
		warning  bool
	}{
		{"anyone may invalidate without RequireAuthorization", false, "", 200, "fresh", false},
		{"unauthorised, header ignored by default", true, "", 200, "cached", false},
		{"unauthorised, SUCCEED_WITHOUT_RESPONSE_HEADER", true, CacheControlSucceedWithoutHeader, 200, "cached", false},
		{"unauthorised, SUCCEED_WITH_RESPONSE_HEADER", true, CacheControlSucceedWithHeader, 200, "cached", true},
		{"unauthorised, FAIL_WITH_403", true, CacheControlFailWith403, 403, "", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			settings := map[string]MethodSettings{"*": {CachingEnabled: true, RequireAuthorizationForCacheControl: tc.require, UnauthorizedCacheControlHeaderStrategy: tc.strategy}}
			cs := newCachedStage(t, true, settings, itemRoutes)
			_, cached, _ := cs.send(t, "GET", "/items/1")
			code, body, h := cs.send(t, "GET", "/items/1", "Cache-Control", "no-store, max-age=0")
			if code != tc.status {
				t.Fatalf("status %d %s, want %d", code, body, tc.status)
			}
			switch {
			case tc.status == 403:
				arn := "arn:aws:execute-api:us-east-1:123456789012:" + cs.api.ID() + "/prod/GET/items/1"
				if want := `{"message": "User: anonymous is not authorized to perform: execute-api:InvalidateCache on resource: ` + arn + `"}`; body != want {
					t.Errorf("403 body %s, want %s", body, want)
				}
				if d := cs.log.denials(t); len(d) != 1 || d[0]["response"] != string(ResponseAccessDenied) {
					t.Errorf("denials logged: %v", d)
				}
			case tc.body == "fresh":
				if body != "call 2 GET /items/1" {
					t.Errorf("invalidating request got %q", body)
				}
				// The fresh response replaced the entry.
				if _, again, _ := cs.send(t, "GET", "/items/1"); again != "call 2 GET /items/1" {
					t.Errorf("after invalidation: %q", again)
				}
			default:
				if body != cached {
					t.Errorf("got %q, want the cached %q", body, cached)
				}
			}
			if got := h.Get("Warning"); (got != "") != tc.warning || tc.warning && !strings.HasPrefix(got, "199 ") {
				t.Errorf("Warning header %q, want one: %v", got, tc.warning)
			}
		})
	}
}

// TestCache_MaxAgeZeroFromAnIAMCaller checks the authorised case on the
// call: an AWS_IAM route whose caller was verified may invalidate even
// when RequireAuthorizationForCacheControl is set.
func TestCache_MaxAgeZeroFromAnIAMCaller(t *testing.T) {
	settings := map[string]MethodSettings{"*": {CachingEnabled: true, RequireAuthorizationForCacheControl: true, UnauthorizedCacheControlHeaderStrategy: CacheControlFailWith403}}
	routes := map[string]Route{"GET /items/{id}": {AuthorizationType: AuthIAM}}
	cs := newCachedStage(t, true, settings, routes)
	newCall := func(az *AuthorizerResult) *call {
		r := httptest.NewRequest("GET", "/items/1", nil)
		r.Header.Set("Cache-Control", "max-age=0")
		cs.st.mu.Lock()
		dep, cfg := cs.st.dep, cs.st.cfg
		cs.st.mu.Unlock()
		rt, params, _ := dep.router.match("GET", "/items/1")
		c := &call{s: cs.s, api: cs.api, st: cs.st, dep: dep, cfg: cfg, kind: REST, r: r, w: httptest.NewRecorder(), start: cs.clk.Now(), route: rt, params: params, path: "/items/1"}
		c.req = c.newRequest()
		c.req.Authorizer = az
		return c
	}
	c := newCall(&AuthorizerResult{IAM: &IAMIdentity{UserARN: "arn:aws:iam::123456789012:user/ops"}})
	if _, hit := c.cacheLookup(); hit || !c.cacheUse || c.wrote {
		t.Errorf("IAM caller: hit %v, use %v, wrote %v; want a miss that refetches", hit, c.cacheUse, c.wrote)
	}
	c = newCall(nil)
	if _, hit := c.cacheLookup(); !hit || !c.wrote || c.status != 403 {
		t.Errorf("unsigned caller: hit %v, wrote %v, status %d; want the 403 written", hit, c.wrote, c.status)
	}
}

func TestStage_FlushStageCache(t *testing.T) {
	cs := newCachedStage(t, true, cacheAll(0), itemRoutes)
	cs.send(t, "GET", "/items/1")
	cs.send(t, "GET", "/items/2")
	cs.st.mu.Lock()
	sc := cs.st.cache
	cs.st.mu.Unlock()
	if sc.size() != 2 {
		t.Fatalf("%d entries", sc.size())
	}
	cs.st.FlushStageCache()
	if sc.size() != 0 {
		t.Fatalf("%d entries after flush", sc.size())
	}
	if _, body, _ := cs.send(t, "GET", "/items/1"); body != "call 3 GET /items/1" {
		t.Errorf("after flush: %q", body)
	}
	// A stage without a cache flushes nothing and does not fail.
	plain := newCachedStage(t, false, nil, itemRoutes)
	plain.st.FlushStageCache()
}

func TestStageCache_SweepsExpiredEntries(t *testing.T) {
	sc := newStageCache(t0)
	for i := range 63 {
		sc.put(fmt.Sprint(i), &Response{}, t0, t0.Add(time.Second))
	}
	later := t0.Add(2 * time.Second)
	sc.put("live", &Response{}, later, later.Add(time.Second))
	if n := sc.size(); n != 1 {
		t.Errorf("%d entries after the sweep, want 1", n)
	}
	if _, ok := sc.get("live", later); !ok {
		t.Error("the live entry was swept")
	}
}

// BenchmarkCache compares a request answered from the stage cache with
// one that misses it (Cache-Control: max-age=0 makes every request
// refetch and replace the entry), through the whole stage pipeline.
func BenchmarkCache(b *testing.B) {
	body := strings.Repeat("x", 1024)
	s := New(Options{Clock: clock.NewManual(t0), Limits: unthrottled})
	api, _ := s.CreateAPI(APIConfig{Name: "bench", Kind: REST})
	_ = api.Route("GET /items/{id}", Route{Integration: Mock{Body: body, Header: http.Header{"Content-Type": {"application/json"}}}})
	d, _ := api.CreateDeployment("")
	st, _ := api.CreateStage(StageConfig{Name: "prod", DeploymentID: d.ID, CacheClusterEnabled: true, MethodSettings: cacheAll(0)})
	run := func(b *testing.B, r *http.Request) {
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			st.ServeHTTP(w, r)
			if w.Code != 200 || w.Body.Len() != len(body) {
				b.Fatalf("%d %d bytes", w.Code, w.Body.Len())
			}
		}
	}
	b.Run("hit", func(b *testing.B) {
		run(b, httptest.NewRequest("GET", "/items/1", nil))
	})
	b.Run("miss", func(b *testing.B) {
		r := httptest.NewRequest("GET", "/items/1", nil)
		r.Header.Set("Cache-Control", "max-age=0")
		run(b, r)
	})
}

// FuzzCacheKey checks that two requests share a cache key exactly when
// their path parameter and chosen parameters are equal, whatever bytes
// the values hold.
func FuzzCacheKey(f *testing.F) {
	f.Add("1", "2", "en", "1", "2", "en")
	f.Add("1", "2", "en", "12", "", "en")
	f.Add("a:b", "1", "", "a", "b:1", "")
	f.Add("x", "1#0:", "", "x", "", "1#0:")
	f.Add("", "", "", "", "", "")
	rt := newRoute(routeKey{method: "GET", path: "/items/{id}", segments: []string{"items", "{id}"}},
		Route{CacheKeyParameters: []string{"method.request.querystring.page", "method.request.header.X-Tag"}})
	key := func(id, page, tag string) string {
		r := httptest.NewRequest("GET", "/items/x", nil)
		r.URL.RawQuery = url.Values{"page": {page}}.Encode()
		r.Header["X-Tag"] = []string{tag}
		c := &call{r: r, route: rt, params: map[string]string{"id": id}}
		return c.cacheKey()
	}
	f.Fuzz(func(t *testing.T, id1, page1, tag1, id2, page2, tag2 string) {
		same := id1 == id2 && page1 == page2 && tag1 == tag2
		if k1, k2 := key(id1, page1, tag1), key(id2, page2, tag2); (k1 == k2) != same {
			t.Errorf("(%q %q %q) and (%q %q %q): keys %q and %q", id1, page1, tag1, id2, page2, tag2, k1, k2)
		}
	})
}
