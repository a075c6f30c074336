package apigw

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
)

// corsHTTPAPI deploys an HTTP API with CORS and the given routes.
func corsHTTPAPI(t *testing.T, cfg CORS, routes map[string]Route) *Stage {
	t.Helper()
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "cors", Kind: HTTP, CORS: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range routes {
		if err := api.Route(k, r); err != nil {
			t.Fatal(err)
		}
	}
	st, err := api.Deploy("$default")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func request(h http.Handler, method, target string, header map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

var corsConfig = CORS{
	AllowOrigins:     []string{"https://app.example.com", "http://*"},
	AllowMethods:     []string{"GET", "POST"},
	AllowHeaders:     []string{"authorization", "content-type"},
	ExposeHeaders:    []string{"x-request-id"},
	MaxAge:           300,
	AllowCredentials: true,
}

// backendWithCORS is an integration that sets its own CORS headers, which
// API Gateway ignores once the API has a CORS configuration.
var backendWithCORS = Mock{StatusCode: 200, Body: "ok", Header: http.Header{
	"Access-Control-Allow-Origin":  {"https://evil.example"},
	"Access-Control-Allow-Methods": {"DELETE"},
	"X-Request-Id":                 {"r1"},
}}

func TestCORS_PreflightAnsweredWithoutAnOptionsRoute(t *testing.T) {
	st := corsHTTPAPI(t, corsConfig, map[string]Route{"GET /items": {Integration: backendWithCORS}})
	w := request(st, "OPTIONS", "/items", map[string]string{
		"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST",
	})
	if w.Code != 204 || w.Body.Len() != 0 {
		t.Fatalf("preflight = %d %q, want 204 and no body", w.Code, w.Body)
	}
	want := map[string]string{
		"Access-Control-Allow-Origin":      "https://app.example.com",
		"Access-Control-Allow-Methods":     "GET,POST",
		"Access-Control-Allow-Headers":     "authorization,content-type",
		"Access-Control-Max-Age":           "300",
		"Access-Control-Allow-Credentials": "true",
	}
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// Even a path with no route at all gets its preflight answered.
	if w := request(st, "OPTIONS", "/nowhere", map[string]string{"Origin": "http://localhost:3000", "Access-Control-Request-Method": "GET"}); w.Code != 204 || w.Header().Get("Access-Control-Allow-Origin") != "http://localhost:3000" {
		t.Errorf("preflight on an unrouted path = %d %v", w.Code, w.Header())
	}
}

func TestCORS_PreflightFromAnotherOriginGetsNoHeaders(t *testing.T) {
	st := corsHTTPAPI(t, corsConfig, map[string]Route{"GET /items": {Integration: backendWithCORS}})
	for _, origin := range []string{"https://evil.example", "https://app.example.com.evil", "ftp://app.example.com"} {
		w := request(st, "OPTIONS", "/items", map[string]string{"Origin": origin, "Access-Control-Request-Method": "GET"})
		if w.Code != 204 {
			t.Errorf("%s: %d", origin, w.Code)
		}
		for k := range w.Header() {
			if len(k) > 15 && k[:15] == "Access-Control-" {
				t.Errorf("%s: got %s", origin, k)
			}
		}
	}
}

func TestCORS_OptionsWithoutPreflightHeadersIsARequest(t *testing.T) {
	st := corsHTTPAPI(t, corsConfig, map[string]Route{"GET /items": {Integration: backendWithCORS}})
	// No Access-Control-Request-Method: not a preflight, so routing
	// answers (no OPTIONS route: 404).
	if w := request(st, "OPTIONS", "/items", map[string]string{"Origin": "https://app.example.com"}); w.Code != 404 {
		t.Errorf("plain OPTIONS = %d, want 404", w.Code)
	}
}

func TestCORS_ResponseHeadersReplaceTheIntegrations(t *testing.T) {
	st := corsHTTPAPI(t, corsConfig, map[string]Route{"GET /items": {Integration: backendWithCORS}})
	w := request(st, "GET", "/items", map[string]string{"Origin": "https://APP.example.com"})
	if w.Code != 200 || w.Body.String() != "ok" {
		t.Fatalf("= %d %s", w.Code, w.Body)
	}
	h := w.Header()
	if h.Get("Access-Control-Allow-Origin") != "https://APP.example.com" || h.Get("Access-Control-Expose-Headers") != "x-request-id" || h.Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("CORS headers %v", h)
	}
	if h.Get("Access-Control-Allow-Methods") != "" {
		t.Errorf("the integration's Access-Control-Allow-Methods was kept: %v", h)
	}
	if h.Get("X-Request-Id") != "r1" {
		t.Errorf("a non-CORS header of the integration was dropped: %v", h)
	}
	// Another origin, or none: no CORS headers at all, not even the
	// integration's.
	for _, origin := range []string{"https://evil.example", ""} {
		w := request(st, "GET", "/items", map[string]string{"Origin": origin})
		if got := w.Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("origin %q: Allow-Origin %q", origin, got)
		}
	}
}

func TestCORS_GatewayResponsesCarryTheHeaders(t *testing.T) {
	st := corsHTTPAPI(t, CORS{AllowOrigins: []string{"*"}}, map[string]Route{"GET /items": {Integration: backendWithCORS}})
	w := request(st, "GET", "/missing", map[string]string{"Origin": "https://any.example"})
	if w.Code != 404 || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("404 = %d %v", w.Code, w.Header())
	}
	if w.Header().Get("Access-Control-Allow-Credentials") != "" {
		t.Errorf("credentials allowed without AllowCredentials")
	}
}

func TestCORS_RoutedPreflightGoesThroughTheRoute(t *testing.T) {
	seen := 0
	st := corsHTTPAPI(t, corsConfig, map[string]Route{
		"ANY /items": {Integration: IntegrationFunc(func(_ context.Context, _ *Request) (*Response, error) {
			seen++
			return &Response{StatusCode: 200, Header: http.Header{"Access-Control-Allow-Origin": {"*"}}}, nil
		})},
	})
	w := request(st, "OPTIONS", "/items", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"})
	if seen != 1 || w.Code != 200 {
		t.Fatalf("an ANY route should take the preflight: seen %d, status %d", seen, w.Code)
	}
	if got := w.Header().Get("Access-Control-Allow-Origin"); got != "https://app.example.com" {
		t.Errorf("Allow-Origin %q: the configuration should replace the integration's", got)
	}
}

func TestCORS_NoConfigurationLeavesHeadersAlone(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, HTTP, map[string]Integration{"GET /items": backendWithCORS})
	st, _ := api.Deploy("$default")
	w := request(st, "GET", "/items", map[string]string{"Origin": "https://app.example.com"})
	if w.Header().Get("Access-Control-Allow-Origin") != "https://evil.example" {
		t.Errorf("without CORS the integration's headers pass: %v", w.Header())
	}
	if w := request(st, "OPTIONS", "/items", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"}); w.Code != 404 {
		t.Errorf("preflight without CORS = %d, want 404", w.Code)
	}
}

func TestValidateCORS_Rules(t *testing.T) {
	cases := []struct {
		name string
		cfg  CORS
		ok   bool
	}{
		{"zero value", CORS{}, true},
		{"full", corsConfig, true},
		{"any origin", CORS{AllowOrigins: []string{"*"}, AllowMethods: []string{"*"}, AllowHeaders: []string{"*"}}, true},
		{"credentials with *", CORS{AllowOrigins: []string{"*"}, AllowCredentials: true}, false},
		{"credentials with scheme wildcard", CORS{AllowOrigins: []string{"https://*"}, AllowCredentials: true}, true},
		{"origin with a path", CORS{AllowOrigins: []string{"https://a.example/app"}}, false},
		{"origin without scheme", CORS{AllowOrigins: []string{"a.example"}}, false},
		{"unknown method", CORS{AllowMethods: []string{"FETCH"}}, false},
		{"bad header name", CORS{AllowHeaders: []string{"x y"}}, false},
		{"max age -1", CORS{MaxAge: -1}, true},
		{"max age too large", CORS{MaxAge: 86401}, false},
		{"max age too small", CORS{MaxAge: -2}, false},
	}
	for _, tc := range cases {
		err := ValidateCORS(tc.cfg)
		if tc.ok != (err == nil) {
			t.Errorf("%s: %v, want ok=%v", tc.name, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: %v is not a BadRequestException", tc.name, err)
		}
	}
}

func TestEnableCORS_AddsTheConsolesOptionsMethod(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, map[string]Integration{
		"GET /items":    Mock{StatusCode: 200, Body: "list"},
		"POST /items":   LambdaProxy{Function: echoFn()},
		"GET /items/id": Mock{StatusCode: 200},
	})
	if err := api.EnableCORS("/items", CORS{ExposeHeaders: []string{"x-id"}}); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	w := request(st, "OPTIONS", "/items", map[string]string{"Origin": "https://a.example", "Access-Control-Request-Method": "POST"})
	want := map[string]string{
		"Access-Control-Allow-Origin":  "*",
		"Access-Control-Allow-Methods": "GET,OPTIONS,POST",
		"Access-Control-Allow-Headers": consoleCORSHeaders,
	}
	if w.Code != 200 {
		t.Fatalf("OPTIONS = %d", w.Code)
	}
	for k, v := range want {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	// The MOCK method's response now carries the origin too.
	w = request(st, "GET", "/items", nil)
	if w.Body.String() != "list" || w.Header().Get("Access-Control-Allow-Origin") != "*" || w.Header().Get("Access-Control-Expose-Headers") != "x-id" {
		t.Errorf("GET /items = %s %v", w.Body, w.Header())
	}
	// Other resources are untouched.
	if w := request(st, "OPTIONS", "/items/id", nil); w.Code != 403 {
		t.Errorf("OPTIONS /items/id = %d, want 403", w.Code)
	}
	// Enabling again replaces the OPTIONS method.
	if err := api.EnableCORS("/items", CORS{AllowOrigins: []string{"https://a.example"}, AllowMethods: []string{"GET"}, MaxAge: 60}); err != nil {
		t.Fatal(err)
	}
	st, _ = api.Deploy("prod")
	w = request(st, "OPTIONS", "/items", nil)
	if w.Header().Get("Access-Control-Allow-Origin") != "https://a.example" || w.Header().Get("Access-Control-Allow-Methods") != "GET" || w.Header().Get("Access-Control-Max-Age") != "60" {
		t.Errorf("after a second EnableCORS: %v", w.Header())
	}
}

func TestEnableCORS_Rejects(t *testing.T) {
	s, _ := newTestService(t)
	rest := mustAPI(t, s, REST, map[string]Integration{"GET /items": named("x")})
	httpAPI := mustAPI(t, s, HTTP, map[string]Integration{"GET /items": named("x")})
	cases := []struct {
		name string
		api  *API
		path string
		cfg  CORS
		want error
	}{
		{"HTTP API", httpAPI, "/items", CORS{}, ErrBadRequest},
		{"no such resource", rest, "/other", CORS{}, ErrNotFound},
		{"bad path", rest, "items", CORS{}, ErrBadRequest},
		{"two origins", rest, "/items", CORS{AllowOrigins: []string{"https://a.example", "https://b.example"}}, ErrBadRequest},
		{"credentials with *", rest, "/items", CORS{AllowOrigins: []string{"*"}, AllowCredentials: true}, ErrBadRequest},
	}
	for _, tc := range cases {
		if err := tc.api.EnableCORS(tc.path, tc.cfg); !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
	}
}
