package apigw

import (
	"context"
	"errors"
	"io"
	"math"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/clock"
)

// canaryAPI is a REST API whose stage prod serves deployment v1 ("GET
// /hello" answers "v1 " and the stage variables), with a second
// deployment v2 ("v2 …") made but not yet served.
func canaryAPI(t *testing.T, s *Service) (api *API, v2 *Deployment) {
	t.Helper()
	api, err := s.CreateAPI(APIConfig{Name: "c", Kind: REST})
	if err != nil {
		t.Fatal(err)
	}
	version := func(v string) Integration {
		return IntegrationFunc(func(_ context.Context, req *Request) (*Response, error) {
			keys := make([]string, 0, len(req.StageVariables))
			for k, val := range req.StageVariables {
				keys = append(keys, k+"="+val)
			}
			sort.Strings(keys)
			return &Response{StatusCode: 200, Body: []byte(v + " " + strings.Join(keys, ","))}, nil
		})
	}
	if err := api.Route("GET /hello", Route{Integration: version("v1")}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.CreateStage(StageConfig{Name: "prod", DeploymentID: mustDeploy(t, api).ID, Variables: map[string]string{"color": "blue", "table": "orders"}}); err != nil {
		t.Fatal(err)
	}
	if err := api.RemoveRoute("GET /hello"); err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /hello", Route{Integration: version("v2")}); err != nil {
		t.Fatal(err)
	}
	return api, mustDeploy(t, api)
}

func setCanary(t *testing.T, api *API, cs *CanarySettings) *Stage {
	t.Helper()
	st, err := api.UpdateStage("prod", func(c *StageConfig) { c.Canary = cs })
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// hits sends n requests and returns the bodies' versions in order.
func hits(st *Stage, n int) []string {
	out := make([]string, n)
	for i := range out {
		w := serveReq(st, httptest.NewRequest("GET", "/hello", nil))
		out[i], _, _ = strings.Cut(w.Body.String(), " ")
	}
	return out
}

func TestCanary_SendsItsPercentageOfTraffic(t *testing.T) {
	for _, pct := range []float64{0, 10, 25, 50, 100} {
		s, _ := newTestService(t)
		api, v2 := canaryAPI(t, s)
		st := setCanary(t, api, &CanarySettings{DeploymentID: v2.ID, PercentTraffic: pct})
		const n = 2000
		canary := 0
		for _, v := range hits(st, n) {
			if v == "v2" {
				canary++
			}
		}
		// Within four standard deviations of the binomial mean.
		p := pct / 100
		mean, sd := float64(n)*p, math.Sqrt(float64(n)*p*(1-p))
		if math.Abs(float64(canary)-mean) > 4*sd {
			t.Errorf("%v%%: %d of %d requests went to the canary, want about %.0f", pct, canary, n, mean)
		}
		if pct == 0 && canary != 0 || pct == 100 && canary != n {
			t.Errorf("%v%%: %d of %d requests went to the canary", pct, canary, n)
		}
		base, cm := st.Metrics(), st.CanaryMetrics()
		if cm.Count != int64(canary) || base.Count != int64(n-canary) {
			t.Errorf("%v%%: metrics count %d base and %d canary, want %d and %d", pct, base.Count, cm.Count, n-canary, canary)
		}
		if canary > 0 && cm.ByRoute["GET /hello"] != int64(canary) {
			t.Errorf("%v%%: canary ByRoute = %v", pct, cm.ByRoute)
		}
	}
}

func TestCanary_RoutingIsReproducibleWithASeed(t *testing.T) {
	run := func(seed uint64) string {
		s := New(Options{Clock: clock.NewManual(t0), Seed: seed})
		api, v2 := canaryAPI(t, s)
		st := setCanary(t, api, &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 30})
		return strings.Join(hits(st, 200), ",")
	}
	a, b := run(42), run(42)
	if a != b {
		t.Error("the same seed routed requests differently")
	}
	if a == run(43) {
		t.Error("another seed routed 200 requests identically")
	}
}

func TestCanary_StageVariableOverrides(t *testing.T) {
	s, _ := newTestService(t)
	api, v2 := canaryAPI(t, s)
	st := setCanary(t, api, &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 50,
		StageVariableOverrides: map[string]string{"color": "green", "flag": "on"}})
	seen := map[string]bool{}
	for range 100 {
		seen[serveReq(st, httptest.NewRequest("GET", "/hello", nil)).Body.String()] = true
	}
	want := map[string]bool{
		"v1 color=blue,table=orders":          true,
		"v2 color=green,flag=on,table=orders": true,
	}
	if len(seen) != 2 || !seen["v1 color=blue,table=orders"] || !seen["v2 color=green,flag=on,table=orders"] {
		t.Errorf("bodies = %v, want %v", seen, want)
	}
	if vars := st.Config().Variables; len(vars) != 2 || vars["color"] != "blue" {
		t.Errorf("the stage's own variables changed: %v", vars)
	}
}

func TestCanary_UseStageCache(t *testing.T) {
	for _, use := range []bool{false, true} {
		s, _ := newTestService(t)
		api, v2 := canaryAPI(t, s)
		_, err := api.UpdateStage("prod", func(c *StageConfig) {
			c.CacheClusterEnabled = true
			c.MethodSettings = map[string]MethodSettings{"*": {CachingEnabled: true}}
		})
		if err != nil {
			t.Fatal(err)
		}
		st := api.Stage("prod")
		if got := hits(st, 1)[0]; got != "v1" { // fills the cache
			t.Fatalf("first request served by %s", got)
		}
		setCanary(t, api, &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 100, UseStageCache: use})
		got := hits(st, 1)[0]
		cm := st.CanaryMetrics()
		if use && (got != "v1" || cm.CacheHitCount != 1) {
			t.Errorf("UseStageCache: served %s with %+v, want the cached v1 and a hit", got, cm)
		}
		if !use && (got != "v2" || cm.CacheHitCount != 0 || cm.CacheMissCount != 0) {
			t.Errorf("without UseStageCache: served %s with %+v, want v2 and no cache use", got, cm)
		}
	}
}

func TestCanary_Validation(t *testing.T) {
	s, _ := newTestService(t)
	api, v2 := canaryAPI(t, s)
	cases := []struct {
		name string
		cs   *CanarySettings
		want string
	}{
		{"percent above 100", &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 100.5}, "between 0.0 and 100.0"},
		{"negative percent", &CanarySettings{DeploymentID: v2.ID, PercentTraffic: -1}, "between 0.0 and 100.0"},
		{"no deployment", &CanarySettings{PercentTraffic: 5}, "need a deployment ID"},
		{"unknown deployment", &CanarySettings{DeploymentID: "zzzzzz", PercentTraffic: 5}, "Invalid deployment identifier specified: zzzzzz"},
		{"bad override name", &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 5, StageVariableOverrides: map[string]string{"a-b": "x"}}, "only allows a-zA-Z0-9_"},
	}
	for _, tc := range cases {
		_, err := api.UpdateStage("prod", func(c *StageConfig) { c.Canary = tc.cs })
		if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
	if api.Stage("prod").Config().Canary != nil {
		t.Error("a refused canary was installed")
	}

	h := mustAPI(t, s, HTTP, map[string]Integration{"GET /x": named("x")})
	d := mustDeploy(t, h)
	_, err := h.CreateStage(StageConfig{Name: "live", DeploymentID: d.ID, Canary: &CanarySettings{DeploymentID: d.ID, PercentTraffic: 10}})
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "only supported for REST APIs") {
		t.Errorf("HTTP API canary: %v", err)
	}
}

func TestCanary_ConfigIsACopy(t *testing.T) {
	s, _ := newTestService(t)
	api, v2 := canaryAPI(t, s)
	cs := &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 100, StageVariableOverrides: map[string]string{"color": "green"}}
	st := setCanary(t, api, cs)
	cs.PercentTraffic, cs.StageVariableOverrides["color"] = 0, "red"
	got := st.Config()
	got.Canary.StageVariableOverrides["color"] = "black"
	got.Canary.PercentTraffic = 0
	if body := serveReq(st, httptest.NewRequest("GET", "/hello", nil)).Body.String(); body != "v2 color=green,table=orders" {
		t.Errorf("the caller's values reached the stage: %s", body)
	}
}

func TestPromoteCanary_TheStageServesTheCanary(t *testing.T) {
	s, _ := newTestService(t)
	api, v2 := canaryAPI(t, s)
	if _, err := api.PromoteCanary("prod"); !errors.Is(err, ErrBadRequest) {
		t.Errorf("promote without a canary: %v", err)
	}
	if _, err := api.PromoteCanary("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("promote of an unknown stage: %v", err)
	}
	st := setCanary(t, api, &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 10, StageVariableOverrides: map[string]string{"color": "green"}})
	hits(st, 50)
	before := st.CanaryMetrics()
	if _, err := api.PromoteCanary("prod"); err != nil {
		t.Fatal(err)
	}
	cfg := st.Config()
	if cfg.Canary != nil || cfg.DeploymentID != v2.ID || st.DeploymentID() != v2.ID || cfg.Variables["color"] != "green" || cfg.Variables["table"] != "orders" {
		t.Errorf("after promotion: %+v", cfg)
	}
	for _, v := range hits(st, 50) {
		if v != "v2" {
			t.Fatalf("a request was served by %s after promotion", v)
		}
	}
	if after := st.CanaryMetrics(); after.Count != before.Count {
		t.Errorf("canary metrics moved after promotion: %d -> %d", before.Count, after.Count)
	}
	if body := serveReq(st, httptest.NewRequest("GET", "/hello", nil)).Body.String(); body != "v2 color=green,table=orders" {
		t.Errorf("body = %s", body)
	}
}

// Two versions of an API side by side on one custom domain: v1 clients
// keep working, unchanged, after v2 ships under /v2.
func TestVersioning_V1ClientsKeepWorkingAfterV2Ships(t *testing.T) {
	s, _ := newTestService(t)
	if _, err := s.CreateDomainName(DomainNameConfig{DomainName: "api.example.com", CertificateArn: edgeCert}); err != nil {
		t.Fatal(err)
	}
	v1 := mustAPI(t, s, REST, map[string]Integration{
		"GET /orders/{id}": Mock{StatusCode: 200, Body: `{"id":"1","total":"12.50"}`},
	})
	if _, err := v1.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBasePathMapping(BasePathMapping{DomainName: "api.example.com", BasePath: "v1", APIID: v1.ID(), Stage: "prod"}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	get := func(path string) (int, string) {
		t.Helper()
		req := httptest.NewRequest("GET", srv.URL+path, nil)
		req.RequestURI = ""
		req.Host = "api.example.com"
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	v1Client := func() {
		t.Helper()
		if code, body := get("/v1/orders/1"); code != 200 || body != `{"id":"1","total":"12.50"}` {
			t.Fatalf("v1 client: %d %s", code, body)
		}
	}
	v1Client()
	if code, body := get("/v2/orders/1"); code != 403 || body != `{"message":"Forbidden"}` {
		t.Fatalf("v2 before it ships: %d %s", code, body)
	}

	// v2 changes the shape (total in cents) and adds a route.
	v2 := mustAPI(t, s, REST, map[string]Integration{
		"GET /orders/{id}":       Mock{StatusCode: 200, Body: `{"id":"1","totalCents":1250}`},
		"GET /orders/{id}/items": Mock{StatusCode: 200, Body: `[]`},
	})
	if _, err := v2.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBasePathMapping(BasePathMapping{DomainName: "api.example.com", BasePath: "v2", APIID: v2.ID(), Stage: "prod"}); err != nil {
		t.Fatal(err)
	}
	v1Client()
	if code, body := get("/v2/orders/1"); code != 200 || body != `{"id":"1","totalCents":1250}` {
		t.Errorf("v2 client: %d %s", code, body)
	}
	if code, _ := get("/v2/orders/1/items"); code != 200 {
		t.Errorf("v2 items: %d", code)
	}
	if code, _ := get("/v1/orders/1/items"); code != 403 {
		t.Errorf("v1 has no items route, got %d", code)
	}
	if n := v1.Stage("prod").Metrics().Count; n != 3 {
		t.Errorf("v1 served %d requests, want 3", n)
	}
}

// BenchmarkStage_Canary is a request to a stage with a 10% canary (the
// draw, and stage variable overrides for the canary's share) beside the
// same stage without one.
func BenchmarkStage_Canary(b *testing.B) {
	for _, withCanary := range []bool{false, true} {
		name := "no-canary"
		if withCanary {
			name = "canary-10pct"
		}
		b.Run(name, func(b *testing.B) {
			s := New(Options{Limits: Limits{AccountRateLimit: 1e9, AccountBurstLimit: 1e9}})
			api, err := s.CreateAPI(APIConfig{Name: "b", Kind: REST})
			if err != nil {
				b.Fatal(err)
			}
			if err := api.Route("GET /hello", Route{Integration: Mock{StatusCode: 200, Body: "ok"}}); err != nil {
				b.Fatal(err)
			}
			st, err := api.Deploy("prod")
			if err != nil {
				b.Fatal(err)
			}
			if withCanary {
				d, err := api.CreateDeployment("canary")
				if err != nil {
					b.Fatal(err)
				}
				if _, err := api.UpdateStage("prod", func(c *StageConfig) {
					c.Variables = map[string]string{"a": "1"}
					c.Canary = &CanarySettings{DeploymentID: d.ID, PercentTraffic: 10, StageVariableOverrides: map[string]string{"a": "2"}}
				}); err != nil {
					b.Fatal(err)
				}
			}
			r := httptest.NewRequest("GET", "/hello", nil)
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				st.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}

func TestAccessLog_IsCanaryRequest(t *testing.T) {
	var lines []string
	s, _ := newTestService(t)
	s.logger = newCaptureLogger(&lines)
	api, v2 := canaryAPI(t, s)
	st := setCanary(t, api, &CanarySettings{DeploymentID: v2.ID, PercentTraffic: 50})
	if _, err := api.UpdateStage("prod", func(c *StageConfig) { c.AccessLogFormat = "canary=$context.isCanaryRequest" }); err != nil {
		t.Fatal(err)
	}
	got := hits(st, 20)
	var logged []string
	for _, l := range lines {
		if v, ok := strings.CutPrefix(l, "canary="); ok {
			logged = append(logged, v)
		}
	}
	if len(logged) != len(got) {
		t.Fatalf("%d access log lines for %d requests", len(logged), len(got))
	}
	for i, v := range got {
		if want := map[string]string{"v1": "false", "v2": "true"}[v]; logged[i] != want {
			t.Errorf("request %d served by %s logged canary=%s", i, v, logged[i])
		}
	}
}
