package apigw

import (
	"bytes"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// keyedAPI is a REST API with GET /items/{id} (key required) and GET
// /open (no key), deployed to the stages "prod" and "dev".
type keyedAPI struct {
	s         *Service
	clk       *clock.Manual
	api       *API
	prod, dev *Stage
	log       *logRecorder
}

// logRecorder keeps the service's log records.
type logRecorder struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logRecorder) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// denials returns the "request denied" records as maps.
func (l *logRecorder) denials(t *testing.T) []map[string]any {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(l.buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if m["msg"] == "apigw: request denied" {
			out = append(out, m)
		}
	}
	return out
}

func newKeyedAPI(t *testing.T, integration Integration, cfg APIConfig) *keyedAPI {
	t.Helper()
	clk := clock.NewManual(t0)
	rec := &logRecorder{}
	s := New(Options{Clock: clk, Logger: slog.New(slog.NewJSONHandler(rec, nil))})
	if cfg.Name == "" {
		cfg.Name = "keyed"
	}
	cfg.Kind = REST
	api, err := s.CreateAPI(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if integration == nil {
		integration = Mock{Body: "ok"}
	}
	if err := api.Route("GET /items/{id}", Route{Integration: integration, APIKeyRequired: true}); err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /open", Route{Integration: Mock{Body: "open"}}); err != nil {
		t.Fatal(err)
	}
	prod, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	dev, err := api.Deploy("dev")
	if err != nil {
		t.Fatal(err)
	}
	return &keyedAPI{s: s, clk: clk, api: api, prod: prod, dev: dev, log: rec}
}

// plan creates a usage plan for the given stages of the API.
func (k *keyedAPI) plan(t *testing.T, cfg UsagePlanConfig, stages ...string) UsagePlan {
	t.Helper()
	if cfg.Name == "" {
		cfg.Name = "plan"
	}
	for _, st := range stages {
		cfg.APIStages = append(cfg.APIStages, APIStage{APIID: k.api.ID(), Stage: st})
	}
	p, err := k.s.CreateUsagePlan(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// key creates an enabled key in the given plans.
func (k *keyedAPI) key(t *testing.T, plans ...UsagePlan) APIKey {
	t.Helper()
	key, err := k.s.CreateAPIKey(APIKeyConfig{Name: "key", Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range plans {
		if _, err := k.s.CreateUsagePlanKey(p.ID, key.ID); err != nil {
			t.Fatal(err)
		}
	}
	return key
}

// get sends GET path with an optional x-api-key header.
func get(t *testing.T, h http.Handler, path, key string) (int, string, http.Header) {
	t.Helper()
	r := httptest.NewRequest("GET", path, nil)
	if key != "" {
		r.Header.Set("x-api-key", key)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header()
}

const (
	bodyForbidden     = `{"message": "Forbidden"}`
	bodyTooMany       = `{"message": "Too Many Requests"}`
	bodyLimitExceeded = `{"message": "Limit Exceeded"}`
)

func TestCreateUsagePlan_RejectsBadInput(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	httpAPI := mustAPI(t, k.s, HTTP, map[string]Integration{"GET /x": named("x")})
	if _, err := httpAPI.Deploy("$default"); err != nil {
		t.Fatal(err)
	}
	id := k.api.ID()
	cases := []struct {
		name string
		cfg  UsagePlanConfig
	}{
		{"no name", UsagePlanConfig{}},
		{"unknown period", UsagePlanConfig{Name: "p", Quota: Quota{Limit: 10, Period: "YEAR"}}},
		{"period without limit", UsagePlanConfig{Name: "p", Quota: Quota{Period: QuotaDay}}},
		{"negative limit", UsagePlanConfig{Name: "p", Quota: Quota{Limit: -1, Period: QuotaDay}}},
		{"offset as large as the limit", UsagePlanConfig{Name: "p", Quota: Quota{Limit: 10, Offset: 10, Period: QuotaMonth}}},
		{"negative offset", UsagePlanConfig{Name: "p", Quota: Quota{Limit: 10, Offset: -1, Period: QuotaMonth}}},
		{"negative rate", UsagePlanConfig{Name: "p", Throttle: Throttle{RateLimit: -1}}},
		{"unknown API", UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: "nope", Stage: "prod"}}}},
		{"unknown stage", UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: id, Stage: "qa"}}}},
		{"HTTP API", UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: httpAPI.ID(), Stage: "$default"}}}},
		{"stage twice", UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: id, Stage: "prod"}, {APIID: id, Stage: "prod"}}}},
		{"bad route key", UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: id, Stage: "prod", Throttle: map[string]Throttle{"FETCH /x": {RateLimit: 1}}}}}},
		{"negative route burst", UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: id, Stage: "prod", Throttle: map[string]Throttle{"GET /items/{id}": {BurstLimit: -1}}}}}},
	}
	for _, tc := range cases {
		if _, err := k.s.CreateUsagePlan(tc.cfg); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: %v, want BadRequestException", tc.name, err)
		}
	}
	if n := len(k.s.UsagePlans()); n != 0 {
		t.Errorf("%d plans were kept", n)
	}
}

func TestUsagePlans_GetListDelete(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	b := k.plan(t, UsagePlanConfig{Name: "b", Quota: Quota{Limit: 5, Period: QuotaWeek}, Throttle: Throttle{RateLimit: 1, BurstLimit: 2}}, "prod")
	a := k.plan(t, UsagePlanConfig{Name: "a"}, "dev")
	got, err := k.s.GetUsagePlan(b.ID)
	if err != nil || got.Name != "b" || got.Quota != b.Quota || got.Throttle != b.Throttle || len(got.APIStages) != 1 || got.APIStages[0].Stage != "prod" {
		t.Fatalf("GetUsagePlan = %+v, %v", got, err)
	}
	if list := k.s.UsagePlans(); len(list) != 2 || list[0].ID != a.ID || list[1].ID != b.ID {
		t.Fatalf("UsagePlans = %+v", list)
	}
	key := k.key(t, b)
	if code, _, _ := get(t, k.prod, "/items/1", key.Value); code != 200 {
		t.Fatalf("before deleting the plan: %d", code)
	}
	keys, err := k.s.UsagePlanKeys(b.ID)
	if err != nil || len(keys) != 1 || keys[0].ID != key.ID || keys[0].Type != "API_KEY" || keys[0].Value != key.Value {
		t.Fatalf("UsagePlanKeys = %+v, %v", keys, err)
	}
	if err := k.s.DeleteUsagePlan(b.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := k.s.GetUsagePlan(b.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetUsagePlan after delete: %v", err)
	}
	if err := k.s.DeleteUsagePlan(b.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteUsagePlan twice: %v", err)
	}
	if code, body, _ := get(t, k.prod, "/items/1", key.Value); code != 403 || body != bodyForbidden {
		t.Errorf("after deleting the plan: %d %s", code, body)
	}
}

func TestCreateUsagePlanKey_OnePlanPerAPIStage(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	prod := k.plan(t, UsagePlanConfig{Name: "prod"}, "prod")
	prodAndDev := k.plan(t, UsagePlanConfig{Name: "prod-and-dev"}, "prod", "dev")
	dev := k.plan(t, UsagePlanConfig{Name: "dev"}, "dev")
	key := k.key(t, prod)

	_, err := k.s.CreateUsagePlanKey(prodAndDev.ID, key.ID)
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "cannot reference multiple Usage Plans with the same API Stage") {
		t.Errorf("a second plan for prod: %v", err)
	}
	if _, err := k.s.CreateUsagePlanKey(dev.ID, key.ID); err != nil {
		t.Errorf("a plan for another stage: %v", err)
	}
	if _, err := k.s.CreateUsagePlanKey(prod.ID, key.ID); !errors.Is(err, ErrConflict) {
		t.Errorf("the same plan twice: %v", err)
	}
	if _, err := k.s.CreateUsagePlanKey("nope", key.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown plan: %v", err)
	}
	if _, err := k.s.CreateUsagePlanKey(prod.ID, "nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown key: %v", err)
	}
	// Out of the prod plan, the key may join the plan of both stages once
	// it leaves the dev plan too.
	if err := k.s.DeleteUsagePlanKey(prod.ID, key.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := k.s.CreateUsagePlanKey(prodAndDev.ID, key.ID); !errors.Is(err, ErrBadRequest) {
		t.Errorf("still in the dev plan: %v", err)
	}
	if err := k.s.DeleteUsagePlanKey(dev.ID, key.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := k.s.CreateUsagePlanKey(prodAndDev.ID, key.ID); err != nil {
		t.Errorf("after leaving both: %v", err)
	}
	if err := k.s.DeleteUsagePlanKey(dev.ID, key.ID); !errors.Is(err, ErrNotFound) {
		t.Errorf("removing a key that is not in the plan: %v", err)
	}
}

func TestCreateUsagePlanKey_AtMostTenPlansPerKey(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	key := k.key(t)
	for i := range MaxUsagePlansPerKey + 1 {
		p := k.plan(t, UsagePlanConfig{Name: "p"})
		_, err := k.s.CreateUsagePlanKey(p.ID, key.ID)
		if i < MaxUsagePlansPerKey && err != nil {
			t.Fatalf("plan %d: %v", i+1, err)
		}
		if i == MaxUsagePlansPerKey && !errors.Is(err, ErrBadRequest) {
			t.Fatalf("plan %d: %v, want BadRequestException", i+1, err)
		}
	}
}

// TestAPIKey_DeniedAndLogged is the API key part of the auth corpus: every
// case is refused with API Gateway's answer and logged with its reason.
func TestAPIKey_DeniedAndLogged(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	prodPlan := k.plan(t, UsagePlanConfig{Name: "prod", Quota: Quota{Limit: 1, Period: QuotaDay}}, "prod")
	devPlan := k.plan(t, UsagePlanConfig{Name: "dev"}, "dev")
	good := k.key(t, prodPlan)
	devOnly := k.key(t, devPlan)
	disabled := k.key(t, prodPlan)
	if err := k.s.SetAPIKeyEnabled(disabled.ID, false); err != nil {
		t.Fatal(err)
	}
	deleted := k.key(t, prodPlan)
	if err := k.s.DeleteAPIKey(deleted.ID); err != nil {
		t.Fatal(err)
	}
	removed := k.key(t, prodPlan)
	if err := k.s.DeleteUsagePlanKey(prodPlan.ID, removed.ID); err != nil {
		t.Fatal(err)
	}
	noPlan := k.key(t)
	if code, _, _ := get(t, k.prod, "/items/1", good.Value); code != 200 {
		t.Fatalf("the good key's one request of the day: %d", code)
	}

	cases := []struct {
		name, key  string
		status     int
		body       string
		response   ResponseType
		errorType  string
		reasonHint string
	}{
		{"missing key", "", 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "no x-api-key"},
		{"unknown key", "not-a-key-of-this-account-000", 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "unknown API key"},
		{"key value in another case", strings.ToUpper(good.Value), 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "unknown API key"},
		{"disabled key", disabled.Value, 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "disabled"},
		{"deleted key", deleted.Value, 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "unknown API key"},
		{"key removed from its plan", removed.Value, 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "no usage plan"},
		{"key in no plan", noPlan.Value, 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "no usage plan"},
		{"key of another stage", devOnly.Value, 403, bodyForbidden, ResponseInvalidAPIKey, "ForbiddenException", "no usage plan"},
		{"quota exceeded", good.Value, 429, bodyLimitExceeded, ResponseQuotaExceeded, "TooManyRequestsException", "quota"},
	}
	for _, tc := range cases {
		code, body, h := get(t, k.prod, "/items/1", tc.key)
		if code != tc.status || body != tc.body {
			t.Errorf("%s: %d %s, want %d %s", tc.name, code, body, tc.status, tc.body)
		}
		if got := h.Get("X-Amzn-Errortype"); got != tc.errorType {
			t.Errorf("%s: x-amzn-ErrorType %q, want %q", tc.name, got, tc.errorType)
		}
	}
	denials := k.log.denials(t)
	if len(denials) != len(cases) {
		t.Fatalf("%d denials logged, want %d", len(denials), len(cases))
	}
	for i, tc := range cases {
		d := denials[i]
		if d["response"] != string(tc.response) || d["status"] != float64(tc.status) || !strings.Contains(d["reason"].(string), tc.reasonHint) {
			t.Errorf("%s: logged %v", tc.name, d)
		}
	}
	// A method that does not require a key ignores keys altogether.
	if code, body, _ := get(t, k.prod, "/open", ""); code != 200 || body != "open" {
		t.Errorf("open method: %d %s", code, body)
	}
	// The dev key works on dev.
	if code, _, _ := get(t, k.dev, "/items/1", devOnly.Value); code != 200 {
		t.Errorf("dev key on dev: %d", code)
	}
}

func TestAPIKey_IdentityReachesTheProxyEvent(t *testing.T) {
	fn := echoFn()
	k := newKeyedAPI(t, LambdaProxy{Function: fn}, APIConfig{})
	key := k.key(t, k.plan(t, UsagePlanConfig{}, "prod"))
	k.prod.mu.Lock()
	k.prod.cfg.AccessLogFormat = "$context.identity.apiKeyId $context.status"
	k.prod.mu.Unlock()
	if code, _, _ := get(t, k.prod, "/items/1", key.Value); code != 200 {
		t.Fatalf("status %d", code)
	}
	var ev struct {
		RequestContext struct {
			Identity struct {
				APIKey   string `json:"apiKey"`
				APIKeyID string `json:"apiKeyId"`
			} `json:"identity"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.RequestContext.Identity.APIKey != key.Value || ev.RequestContext.Identity.APIKeyID != key.ID {
		t.Errorf("identity %+v, want key %s (%s)", ev.RequestContext.Identity, key.Value, key.ID)
	}
	k.log.mu.Lock()
	logged := k.log.buf.String()
	k.log.mu.Unlock()
	if !strings.Contains(logged, key.ID+" 200") {
		t.Errorf("access log %q lacks the key ID", logged)
	}
}

// TestAPIKey_FromAuthorizer checks APIKeySource AUTHORIZER on the call
// directly: the key is the Lambda authorizer's usageIdentifierKey, and
// the x-api-key header does not count.
func TestAPIKey_FromAuthorizer(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{APIKeySource: "AUTHORIZER"})
	key := k.key(t, k.plan(t, UsagePlanConfig{}, "prod"))
	newCall := func(header string, az *AuthorizerResult) *call {
		r := httptest.NewRequest("GET", "/items/1", nil)
		if header != "" {
			r.Header.Set("X-Api-Key", header)
		}
		k.prod.mu.Lock()
		dep := k.prod.dep
		k.prod.mu.Unlock()
		rt, params, ok := dep.router.match("GET", "/items/1")
		if !ok {
			t.Fatal("no route")
		}
		c := &call{s: k.s, api: k.api, st: k.prod, dep: dep, kind: REST, r: r, w: httptest.NewRecorder(), start: k.clk.Now(), route: rt, params: params}
		c.req = c.newRequest()
		c.req.Authorizer = az
		return c
	}
	cases := []struct {
		name   string
		header string
		az     *AuthorizerResult
		status int
	}{
		{"usageIdentifierKey of a plan key", "", &AuthorizerResult{PrincipalID: "u", UsageIdentifierKey: key.Value}, 0},
		{"header only", key.Value, nil, 403},
		{"authorizer without a key", key.Value, &AuthorizerResult{PrincipalID: "u"}, 403},
		{"unknown usageIdentifierKey", "", &AuthorizerResult{UsageIdentifierKey: "x" + key.Value}, 403},
	}
	for _, tc := range cases {
		c := newCall(tc.header, tc.az)
		e := c.checkAPIKey()
		switch {
		case tc.status == 0 && e != nil:
			t.Errorf("%s: refused: %+v", tc.name, e)
		case tc.status == 0 && c.req.APIKeyID != key.ID:
			t.Errorf("%s: APIKeyID %q", tc.name, c.req.APIKeyID)
		case tc.status != 0 && (e == nil || e.status != tc.status || e.typ != ResponseInvalidAPIKey):
			t.Errorf("%s: %+v, want %d", tc.name, e, tc.status)
		}
	}
}

func TestUsagePlan_ThrottlesEachKey(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	p := k.plan(t, UsagePlanConfig{Throttle: Throttle{RateLimit: 1, BurstLimit: 2}}, "prod")
	a, b := k.key(t, p), k.key(t, p)
	var codes []int
	for _, key := range []APIKey{a, a, a, b, b, b} {
		code, _, _ := get(t, k.prod, "/items/1", key.Value)
		codes = append(codes, code)
	}
	if want := []int{200, 200, 429, 200, 200, 429}; !equalInts(codes, want) {
		t.Fatalf("burst of 2 per key: %v, want %v", codes, want)
	}
	if _, body, _ := get(t, k.prod, "/items/1", a.Value); body != bodyTooMany {
		t.Errorf("throttled body %s", body)
	}
	k.clk.Advance(time.Second) // rate 1/s: one token back
	if code, _, _ := get(t, k.prod, "/items/1", a.Value); code != 200 {
		t.Errorf("after a second: %d", code)
	}
	if code, _, _ := get(t, k.prod, "/items/1", a.Value); code != 429 {
		t.Errorf("bucket should be empty again: %d", code)
	}
	// Throttled requests do not use the quota: GetUsage counts 3 for a.
	u, err := k.s.GetUsage(GetUsageInput{UsagePlanID: p.ID, KeyID: a.ID, StartDate: t0, EndDate: t0})
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Items[a.ID]; len(got) != 1 || got[0][0] != 3 {
		t.Errorf("usage of a: %v", got)
	}
}

func TestUsagePlan_ThrottlesARouteOfAStage(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	p, err := k.s.CreateUsagePlan(UsagePlanConfig{Name: "p", APIStages: []APIStage{
		{APIID: k.api.ID(), Stage: "prod", Throttle: map[string]Throttle{"GET /items/{id}": {RateLimit: 1, BurstLimit: 1}}},
		{APIID: k.api.ID(), Stage: "dev"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	key := k.key(t, p)
	var codes []int
	for _, st := range []*Stage{k.prod, k.prod, k.dev, k.dev} {
		code, _, _ := get(t, st, "/items/1", key.Value)
		codes = append(codes, code)
	}
	if want := []int{200, 429, 200, 200}; !equalInts(codes, want) {
		t.Errorf("route throttle on prod only: %v, want %v", codes, want)
	}
}

func TestUsagePlan_QuotaRollsOverAtThePeriodBoundary(t *testing.T) {
	// t0 is Friday 2026-01-02 03:04:05 UTC.
	cases := []struct {
		period   string
		boundary time.Time
	}{
		{QuotaDay, time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)},
		{QuotaWeek, time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC)}, // Monday
		{QuotaMonth, time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tc := range cases {
		t.Run(tc.period, func(t *testing.T) {
			k := newKeyedAPI(t, nil, APIConfig{})
			p := k.plan(t, UsagePlanConfig{Quota: Quota{Limit: 3, Offset: 1, Period: tc.period}}, "prod")
			key := k.key(t, p)
			send := func(n int) []int {
				var codes []int
				for range n {
					code, _, _ := get(t, k.prod, "/items/1", key.Value)
					codes = append(codes, code)
				}
				return codes
			}
			// The initial period allows limit - offset = 2.
			if got, want := send(3), []int{200, 200, 429}; !equalInts(got, want) {
				t.Fatalf("initial period: %v, want %v", got, want)
			}
			k.clk.Set(tc.boundary.Add(-time.Nanosecond))
			if got := send(1); got[0] != 429 {
				t.Fatalf("just before the boundary: %v", got)
			}
			k.clk.Set(tc.boundary)
			if got, want := send(4), []int{200, 200, 200, 429}; !equalInts(got, want) {
				t.Fatalf("next period: %v, want %v", got, want)
			}
			if _, body, _ := get(t, k.prod, "/items/1", key.Value); body != bodyLimitExceeded {
				t.Errorf("quota body %s", body)
			}
		})
	}
}

func TestGetUsage_ReportsUsedAndRemainingPerDay(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	week := k.plan(t, UsagePlanConfig{Name: "week", Quota: Quota{Limit: 10, Period: QuotaWeek}}, "prod")
	free := k.plan(t, UsagePlanConfig{Name: "free"}, "dev")
	a, b := k.key(t, week), k.key(t, week)
	c := k.key(t, free)
	hit := func(st *Stage, key APIKey, n int) {
		for range n {
			if code, _, _ := get(t, st, "/items/1", key.Value); code != 200 {
				t.Fatalf("status %d", code)
			}
		}
	}
	// Friday 2 January: a 3, c 2. Saturday: a 4. Monday 5 January (new
	// week): a 1, b 2.
	hit(k.prod, a, 3)
	hit(k.dev, c, 2)
	k.clk.Advance(24 * time.Hour)
	hit(k.prod, a, 4)
	k.clk.Set(time.Date(2026, 1, 5, 12, 0, 0, 0, time.UTC))
	hit(k.prod, a, 1)
	hit(k.prod, b, 2)

	start, end := time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 5, 23, 0, 0, 0, time.UTC)
	u, err := k.s.GetUsage(GetUsageInput{UsagePlanID: week.ID, StartDate: start, EndDate: end})
	if err != nil {
		t.Fatal(err)
	}
	if u.StartDate != "2026-01-02" || u.EndDate != "2026-01-05" || u.UsagePlanID != week.ID {
		t.Errorf("header %+v", u)
	}
	want := map[string][][2]int64{
		a.ID: {{3, 7}, {4, 3}, {0, 3}, {1, 9}},
		b.ID: {{0, 10}, {0, 10}, {0, 10}, {2, 8}},
	}
	if !equalUsage(u.Items, want) {
		t.Errorf("items %v, want %v", u.Items, want)
	}
	one, err := k.s.GetUsage(GetUsageInput{UsagePlanID: free.ID, KeyID: c.ID, StartDate: start, EndDate: start})
	if err != nil {
		t.Fatal(err)
	}
	if !equalUsage(one.Items, map[string][][2]int64{c.ID: {{2, 0}}}) {
		t.Errorf("plan without quota: %v", one.Items)
	}
	for name, in := range map[string]GetUsageInput{
		"no plan":          {StartDate: start, EndDate: end},
		"end before start": {UsagePlanID: week.ID, StartDate: end, EndDate: start},
		"over 366 days":    {UsagePlanID: week.ID, StartDate: start, EndDate: start.AddDate(1, 1, 0)},
	} {
		if _, err := k.s.GetUsage(in); !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: %v, want BadRequestException", name, err)
		}
	}
	if _, err := k.s.GetUsage(GetUsageInput{UsagePlanID: "nope", StartDate: start, EndDate: end}); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown plan: %v", err)
	}
	if _, err := k.s.GetUsage(GetUsageInput{UsagePlanID: week.ID, KeyID: c.ID, StartDate: start, EndDate: end}); !errors.Is(err, ErrNotFound) {
		t.Errorf("key of another plan: %v", err)
	}
}

// unthrottled lifts the account throttle for benchmarks, whose clock
// does not move.
var unthrottled = Limits{AccountRateLimit: 1e12, AccountBurstLimit: 1 << 50}

func equalUsage(a, b map[string][][2]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, rows := range a {
		other, ok := b[k]
		if !ok || len(rows) != len(other) {
			return false
		}
		for i := range rows {
			if rows[i] != other[i] {
				return false
			}
		}
	}
	return true
}

func BenchmarkAPIKey_Admit(b *testing.B) {
	s := New(Options{Clock: clock.NewManual(t0), Limits: unthrottled})
	api, _ := s.CreateAPI(APIConfig{Name: "b", Kind: REST})
	_ = api.Route("GET /items/{id}", Route{Integration: Mock{Body: "ok"}, APIKeyRequired: true})
	st, _ := api.Deploy("prod")
	p, _ := s.CreateUsagePlan(UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: api.ID(), Stage: "prod"}},
		Quota: Quota{Limit: 1 << 30, Period: QuotaMonth}})
	key, _ := s.CreateAPIKey(APIKeyConfig{Enabled: true})
	_, _ = s.CreateUsagePlanKey(p.ID, key.ID)
	r := httptest.NewRequest("GET", "/items/1", nil)
	r.Header.Set("X-Api-Key", key.Value)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		st.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

func TestUsagePlan_QuotaHoldsUnderConcurrency(t *testing.T) {
	k := newKeyedAPI(t, nil, APIConfig{})
	p := k.plan(t, UsagePlanConfig{Quota: Quota{Limit: 25, Period: QuotaDay}}, "prod")
	key := k.key(t, p)
	var wg sync.WaitGroup
	var mu sync.Mutex
	counts := map[int]int{}
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 10 {
				r := httptest.NewRequest("GET", "/items/1", nil)
				r.Header.Set("X-Api-Key", key.Value)
				w := httptest.NewRecorder()
				k.prod.ServeHTTP(w, r)
				mu.Lock()
				counts[w.Code]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if counts[200] != 25 || counts[429] != 55 {
		t.Errorf("statuses %v, want 25 admitted and 55 over the quota", counts)
	}
	u, err := k.s.GetUsage(GetUsageInput{UsagePlanID: p.ID, KeyID: key.ID, StartDate: t0, EndDate: t0})
	if err != nil {
		t.Fatal(err)
	}
	if got := u.Items[key.ID]; len(got) != 1 || got[0] != [2]int64{25, 0} {
		t.Errorf("usage %v, want [[25 0]]", got)
	}
}
