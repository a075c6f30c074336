package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// fakeFn is an Invoker that records the event and answers with a
// function of it.
type fakeFn struct {
	last []byte
	fn   func(event []byte) ([]byte, error)
}

func (f *fakeFn) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	f.last = append([]byte(nil), payload...)
	return f.fn(payload)
}

func echoFn() *fakeFn {
	return &fakeFn{fn: func(ev []byte) ([]byte, error) {
		b, _ := json.Marshal(map[string]any{"statusCode": 200, "body": string(ev), "headers": map[string]string{"Content-Type": "application/json"}})
		return b, nil
	}}
}

func newTestService(t *testing.T) (*Service, *clock.Manual) {
	t.Helper()
	clk := clock.NewManual(t0)
	return New(Options{Clock: clk}), clk
}

func mustAPI(t *testing.T, s *Service, kind Kind, routes map[string]Integration) *API {
	t.Helper()
	api, err := s.CreateAPI(APIConfig{Name: "test", Kind: kind})
	if err != nil {
		t.Fatal(err)
	}
	for k, in := range routes {
		if err := api.Route(k, Route{Integration: in}); err != nil {
			t.Fatalf("Route(%q): %v", k, err)
		}
	}
	return api
}

func do(t *testing.T, h http.Handler, method, target string, body string) (int, string, http.Header) {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	r := httptest.NewRequest(method, target, rd)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String(), w.Header()
}

func named(name string) Integration {
	return Mock{StatusCode: 200, Body: name}
}

func TestRouting_MostSpecificWins(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, map[string]Integration{
		"GET /items":           named("list"),
		"GET /items/{id}":      named("get"),
		"GET /items/special":   named("special"),
		"ANY /items/{id}":      named("any-item"),
		"ANY /{proxy+}":        named("proxy"),
		"GET /items/{id}/tags": named("tags"),
		"GET /":                named("root"),
	})
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, path string
		status       int
		body         string
	}{
		{"GET", "/", 200, "root"},
		{"GET", "/items", 200, "list"},
		{"GET", "/items/special", 200, "special"},
		{"GET", "/items/42", 200, "get"},
		{"DELETE", "/items/42", 200, "any-item"},
		{"GET", "/items/42/tags", 200, "tags"},
		{"GET", "/other/deep/path", 200, "proxy"},
		{"POST", "/items", 200, "proxy"},
		{"GET", "/Items", 200, "proxy"},
	}
	for _, tc := range cases {
		code, body, _ := do(t, st, tc.method, tc.path, "")
		if code != tc.status || body != tc.body {
			t.Errorf("%s %s = %d %q, want %d %q", tc.method, tc.path, code, body, tc.status, tc.body)
		}
	}
}

func TestRouting_UnknownRouteAnswersAsAWS(t *testing.T) {
	s, _ := newTestService(t)
	rest := mustAPI(t, s, REST, map[string]Integration{"GET /items/{id}": named("get")})
	restStage, _ := rest.Deploy("prod")
	httpAPI := mustAPI(t, s, HTTP, map[string]Integration{"GET /items/{id}": named("get")})
	httpStage, _ := httpAPI.Deploy("$default")
	for _, p := range []string{
		"/items",          // no such resource
		"/items/",         // trailing slash: an empty segment matches no variable
		"//items/1",       // double slash
		"/items//1",       // empty segment
		"/ITEMS/1",        // case-sensitive
		"/items/1/extra",  // deeper than any route
		"/items/../admin", // dot segments are not resolved into another route
	} {
		code, body, h := do(t, restStage, "GET", p, "")
		if code != 403 || body != `{"message": "Missing Authentication Token"}` {
			t.Errorf("REST GET %s = %d %s", p, code, body)
		}
		if h.Get("X-Amzn-Errortype") != "MissingAuthenticationTokenException" {
			t.Errorf("REST GET %s: x-amzn-ErrorType %q", p, h.Get("X-Amzn-Errortype"))
		}
		code, body, _ = do(t, httpStage, "GET", p, "")
		if code != 404 || body != `{"message":"Not Found"}` {
			t.Errorf("HTTP GET %s = %d %s", p, code, body)
		}
	}
	// A method the resource lacks is also unknown.
	if code, _, _ := do(t, restStage, "POST", "/items/1", ""); code != 403 {
		t.Errorf("REST POST /items/1 = %d, want 403", code)
	}
}

func TestRouting_EncodedSlashStaysInOneParameter(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api := mustAPI(t, s, REST, map[string]Integration{
		"GET /files/{name}": LambdaProxy{Function: fn},
		"GET /admin":        named("admin"),
	})
	st, _ := api.Deploy("prod")
	code, _, _ := do(t, st, "GET", "/files/a%2Fb", "")
	if code != 200 {
		t.Fatalf("GET /files/a%%2Fb = %d", code)
	}
	var ev map[string]any
	_ = json.Unmarshal(fn.last, &ev)
	if got := ev["pathParameters"].(map[string]any)["name"]; got != "a/b" {
		t.Errorf("name = %v, want a/b", got)
	}
	// %2F never splits a segment, so it cannot reach /admin.
	if code, body, _ := do(t, st, "GET", "/files%2F..%2Fadmin", ""); code != 403 || body == "admin" {
		t.Errorf("GET /files%%2F..%%2Fadmin = %d %s", code, body)
	}
}

func TestRouting_GreedyProxyTakesTheRest(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api := mustAPI(t, s, HTTP, map[string]Integration{"ANY /static/{proxy+}": LambdaProxy{Function: fn}})
	st, _ := api.Deploy("$default")
	if code, _, _ := do(t, st, "GET", "/static/css/site.css", ""); code != 200 {
		t.Fatal(code)
	}
	var ev map[string]any
	_ = json.Unmarshal(fn.last, &ev)
	if got := ev["pathParameters"].(map[string]any)["proxy"]; got != "css/site.css" {
		t.Errorf("proxy = %v", got)
	}
	// A greedy variable needs at least one segment.
	if code, _, _ := do(t, st, "GET", "/static", ""); code != 404 {
		t.Errorf("GET /static = %d, want 404", code)
	}
}

func TestRoute_RejectsBadKeys(t *testing.T) {
	s, _ := newTestService(t)
	rest := mustAPI(t, s, REST, nil)
	for _, k := range []string{
		"GET items", "FETCH /items", "GET /items/{proxy+}/more", "GET /a//b", "GET /{id}/{id}",
		"GET /x{y}", "$default", "GET",
	} {
		err := rest.Route(k, Route{Integration: named("x")})
		if !errors.Is(err, ErrBadRequest) {
			t.Errorf("Route(%q) = %v, want BadRequestException", k, err)
		}
	}
	_ = rest.Route("GET /items/{id}", Route{Integration: named("x")})
	if err := rest.Route("GET /items/{id}", Route{Integration: named("x")}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate route: %v", err)
	}
	if err := rest.Route("PUT /items/{other}", Route{Integration: named("x")}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("sibling variable with another name: %v", err)
	}
	if err := rest.Route("GET /x", Route{}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("route without integration: %v", err)
	}
}

func TestDeployment_IsASnapshot(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, map[string]Integration{"GET /v": named("one")})
	d1, err := api.CreateDeployment("first")
	if err != nil {
		t.Fatal(err)
	}
	st, err := api.CreateStage(StageConfig{Name: "prod", DeploymentID: d1.ID})
	if err != nil {
		t.Fatal(err)
	}
	_ = api.RemoveRoute("GET /v")
	_ = api.Route("GET /v", Route{Integration: named("two")})
	if _, body, _ := do(t, st, "GET", "/v", ""); body != "one" {
		t.Fatalf("before pointing the stage: %q", body)
	}
	d2, _ := api.CreateDeployment("second")
	if _, body, _ := do(t, st, "GET", "/v", ""); body != "one" {
		t.Fatalf("a new deployment changed the stage: %q", body)
	}
	if _, err := api.UpdateStage("prod", func(c *StageConfig) { c.DeploymentID = d2.ID }); err != nil {
		t.Fatal(err)
	}
	if _, body, _ := do(t, st, "GET", "/v", ""); body != "two" {
		t.Fatalf("after pointing the stage: %q", body)
	}
}

func TestStage_AutoDeployFollowsChanges(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, HTTP, nil)
	st, err := api.CreateStage(StageConfig{Name: "$default", AutoDeploy: true})
	if err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, st, "GET", "/x", ""); code != 404 {
		t.Fatalf("empty API: %d", code)
	}
	_ = api.Route("GET /x", Route{Integration: named("x")})
	if code, body, _ := do(t, st, "GET", "/x", ""); code != 200 || body != "x" {
		t.Fatalf("after Route: %d %q", code, body)
	}
}

func TestAPIHandler_ServesStagesUnderTheirNames(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api := mustAPI(t, s, REST, map[string]Integration{"GET /items/{id}": LambdaProxy{Function: fn}})
	if _, err := api.Deploy("dev"); err != nil {
		t.Fatal(err)
	}
	code, _, _ := do(t, api.Handler(), "GET", "/dev/items/7", "")
	if code != 200 {
		t.Fatalf("GET /dev/items/7 = %d", code)
	}
	var ev map[string]any
	_ = json.Unmarshal(fn.last, &ev)
	if ev["path"] != "/items/7" || ev["requestContext"].(map[string]any)["path"] != "/dev/items/7" {
		t.Errorf("path %v, requestContext.path %v", ev["path"], ev["requestContext"].(map[string]any)["path"])
	}
	if code, body, _ := do(t, api.Handler(), "GET", "/nostage/items/7", ""); code != 403 || body != `{"message": "Forbidden"}` {
		t.Errorf("unknown stage = %d %s", code, body)
	}
}

func TestIntegration_TimeoutOnTheClock(t *testing.T) {
	for _, kind := range []Kind{REST, HTTP} {
		s, clk := newTestService(t)
		release := make(chan struct{})
		slow := IntegrationFunc(func(ctx context.Context, _ *Request) (*Response, error) {
			select {
			case <-ctx.Done():
			case <-release:
			}
			return &Response{StatusCode: 200}, nil
		})
		api := mustAPI(t, s, kind, map[string]Integration{"GET /slow": slow})
		st, _ := api.Deploy("prod")
		done := make(chan *httptest.ResponseRecorder)
		go func() {
			w := httptest.NewRecorder()
			st.ServeHTTP(w, httptest.NewRequest("GET", "/slow", nil))
			done <- w
		}()
		if err := clk.BlockUntil(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		clk.Advance(28 * time.Second)
		select {
		case <-done:
			t.Fatal("answered before 29 s")
		default:
		}
		clk.Advance(time.Second)
		w := <-done
		close(release)
		want := map[Kind]string{REST: `504 {"message": "Endpoint request timed out"}`, HTTP: `503 {"message":"Service Unavailable"}`}[kind]
		if got := fmt.Sprintf("%d %s", w.Code, w.Body.String()); got != want {
			t.Errorf("%v: %s, want %s", kind, got, want)
		}
		if m := st.Metrics(); m.Errors5XX != 1 || m.IntegrationLatency != 29*time.Second {
			t.Errorf("%v metrics: %+v", kind, m)
		}
	}
}

func TestStage_PayloadLimit(t *testing.T) {
	clk := clock.NewManual(t0)
	s := New(Options{Clock: clk, Limits: Limits{MaxPayload: 10}})
	api := mustAPI(t, s, REST, map[string]Integration{"POST /x": named("ok")})
	st, _ := api.Deploy("prod")
	if code, body, _ := do(t, st, "POST", "/x", "0123456789"); code != 200 || body != "ok" {
		t.Errorf("at the limit: %d %s", code, body)
	}
	if code, body, _ := do(t, st, "POST", "/x", "0123456789A"); code != 413 || body != `{"message": "Request Too Long"}` {
		t.Errorf("over the limit: %d %s", code, body)
	}
}

func TestThrottle_AccountAndStageBuckets(t *testing.T) {
	clk := clock.NewManual(t0)
	s := New(Options{Clock: clk, Limits: Limits{AccountRateLimit: 1000, AccountBurstLimit: 1000}})
	api := mustAPI(t, s, REST, map[string]Integration{"GET /x": named("ok")})
	st, _ := api.CreateStage(StageConfig{Name: "prod", DeploymentID: mustDeploy(t, api).ID, Throttle: Throttle{RateLimit: 2, BurstLimit: 3}})
	var codes []int
	for range 5 {
		code, _, _ := do(t, st, "GET", "/x", "")
		codes = append(codes, code)
	}
	if want := []int{200, 200, 200, 429, 429}; !equalInts(codes, want) {
		t.Fatalf("burst of 3: %v, want %v", codes, want)
	}
	_, body, _ := do(t, st, "GET", "/x", "")
	if body != `{"message": "Too Many Requests"}` {
		t.Errorf("429 body %s", body)
	}
	clk.Advance(500 * time.Millisecond) // rate 2/s: one token back
	if code, _, _ := do(t, st, "GET", "/x", ""); code != 200 {
		t.Errorf("after refill: %d", code)
	}
	if code, _, _ := do(t, st, "GET", "/x", ""); code != 429 {
		t.Errorf("bucket should be empty again: %d", code)
	}
	if m := st.Metrics(); m.Throttled != 4 || m.Count != 8 {
		t.Errorf("metrics %+v", m)
	}
}

func mustDeploy(t *testing.T, api *API) *Deployment {
	t.Helper()
	d, err := api.CreateDeployment("")
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
