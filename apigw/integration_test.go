package apigw

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestHTTPProxy_ToAHandler(t *testing.T) {
	s, _ := newTestService(t)
	backend := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Backend", "yes")
		w.Header().Set("X-Path", r.URL.Path)
		w.Header().Set("X-Query", r.URL.RawQuery)
		w.Header().Set("X-Forwarded", r.Header.Get("X-Forwarded-For"))
		w.WriteHeader(http.StatusTeapot)
		b, _ := io.ReadAll(r.Body)
		_, _ = w.Write(append([]byte("got "), b...))
	})
	api := mustAPI(t, s, HTTP, map[string]Integration{"ANY /{proxy+}": HTTPProxy{Handler: backend}})
	st, _ := api.Deploy("$default")
	code, body, h := do(t, st, "POST", "/a/b%20c?x=1", "hi")
	if code != http.StatusTeapot || body != "got hi" {
		t.Fatalf("%d %q", code, body)
	}
	if h.Get("X-Backend") != "yes" || h.Get("X-Path") != "/a/b c" || h.Get("X-Query") != "x=1" || h.Get("X-Forwarded") != "192.0.2.1" {
		t.Errorf("headers %v", h)
	}
}

func TestHTTPProxy_ToAURLWithStageVariables(t *testing.T) {
	backend := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, r.URL.Path+"?"+r.URL.RawQuery)
	}))
	defer backend.Close()
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, map[string]Integration{
		"GET /pets/{id}": HTTPProxy{Endpoint: backend.URL + "/${stageVariables.version}/pets/{id}", Client: backend.Client()},
	})
	d := mustDeploy(t, api)
	st, err := api.CreateStage(StageConfig{Name: "beta", DeploymentID: d.ID, Variables: map[string]string{"version": "v2"}})
	if err != nil {
		t.Fatal(err)
	}
	if code, body, _ := do(t, st, "GET", "/pets/a%20b?q=1", ""); code != 200 || body != "/v2/pets/a b?q=1" {
		t.Errorf("%d %q", code, body)
	}
}

func TestMock_AndIntegrationFunc(t *testing.T) {
	s, _ := newTestService(t)
	started := []string{}
	startExecution := IntegrationFunc(func(ctx context.Context, req *Request) (*Response, error) {
		// An AWS service integration: map the request to the service call
		// and its result back, as a mapping template would.
		started = append(started, string(req.Body))
		return &Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
			Body: []byte(`{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:1"}`)}, nil
	})
	api := mustAPI(t, s, REST, map[string]Integration{
		"GET /health":    Mock{StatusCode: 200, Body: `{"ok":true}`, Header: http.Header{"Content-Type": {"application/json"}}},
		"POST /workflow": startExecution,
		"GET /broken": IntegrationFunc(func(context.Context, *Request) (*Response, error) {
			return nil, io.ErrUnexpectedEOF
		}),
		"GET /panics": IntegrationFunc(func(context.Context, *Request) (*Response, error) { panic("boom") }),
	})
	st, _ := api.Deploy("prod")
	if code, body, h := do(t, st, "GET", "/health", ""); code != 200 || body != `{"ok":true}` || h.Get("Content-Type") != "application/json" {
		t.Errorf("mock: %d %s %v", code, body, h)
	}
	if code, body, _ := do(t, st, "POST", "/workflow", `{"order":1}`); code != 200 || !strings.Contains(body, "executionArn") || len(started) != 1 {
		t.Errorf("service integration: %d %s %v", code, body, started)
	}
	for _, p := range []string{"/broken", "/panics"} {
		if code, body, _ := do(t, st, "GET", p, ""); code != 500 || body != `{"message": "Internal server error"}` {
			t.Errorf("%s: %d %s", p, code, body)
		}
	}
}

func TestAccessLog_ContextVariables(t *testing.T) {
	var lines []string
	s, _ := newTestService(t)
	s.logger = newCaptureLogger(&lines)
	api := mustAPI(t, s, REST, map[string]Integration{"GET /items/{id}": named("x")})
	d := mustDeploy(t, api)
	st, _ := api.CreateStage(StageConfig{Name: "prod", DeploymentID: d.ID,
		AccessLogFormat: `$context.httpMethod $context.resourcePath $context.path $context.status $context.responseLength $context.stage $context.error.message`})
	do(t, st, "GET", "/items/1", "")
	do(t, st, "GET", "/nope", "")
	want := []string{
		"GET /items/{id} /prod/items/1 200 1 prod -",
		"GET - /prod/nope 403 43 prod Missing Authentication Token",
	}
	var got []string
	for _, l := range lines {
		if strings.HasPrefix(l, "GET ") {
			got = append(got, l)
		}
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("access log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestRoute_RejectsAnInvalidModel(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, nil)
	err := api.Route("POST /x", Route{Integration: named("x"), RequestModels: map[string]string{"application/json": `{"type": 12}`}})
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "Invalid model specified") {
		t.Errorf("Route with a bad model: %v", err)
	}
}

func TestAccessLog_ValidationErrorString(t *testing.T) {
	var lines []string
	s, _ := newTestService(t)
	s.logger = newCaptureLogger(&lines)
	api := mustAPI(t, s, REST, nil)
	err := api.Route("POST /x", Route{Integration: named("x"),
		RequestValidator: &RequestValidator{ValidateRequestBody: true},
		RequestModels:    map[string]string{"application/json": `{"type":"object","required":["name"]}`}})
	if err != nil {
		t.Fatal(err)
	}
	d := mustDeploy(t, api)
	st, _ := api.CreateStage(StageConfig{Name: "prod", DeploymentID: d.ID, AccessLogFormat: `status=$context.status validation=$context.error.validationErrorString`})
	if code, _, _ := do(t, st, "POST", "/x", `{}`); code != 400 {
		t.Fatalf("status %d", code)
	}
	found := false
	for _, l := range lines {
		if strings.HasPrefix(l, "status=400 validation=Request body does not match model schema") {
			found = true
		}
	}
	if !found {
		t.Errorf("no access log line with the validation error in %q", lines)
	}
}

func TestCreateAPI_ChecksAndCopiesCORS(t *testing.T) {
	s, _ := newTestService(t)
	if _, err := s.CreateAPI(APIConfig{Name: "x", Kind: HTTP, CORS: &CORS{AllowOrigins: []string{"*"}, AllowCredentials: true}}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("credentials with *: %v", err)
	}
	if _, err := s.CreateAPI(APIConfig{Name: "x", Kind: REST, CORS: &CORS{AllowOrigins: []string{"*"}}}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("CORS on a REST API: %v", err)
	}
	cfg := &CORS{AllowOrigins: []string{"https://a.example"}}
	api, err := s.CreateAPI(APIConfig{Name: "x", Kind: HTTP, CORS: cfg})
	if err != nil {
		t.Fatal(err)
	}
	cfg.AllowOrigins[0] = "https://evil.example"
	if api.cfg.CORS.AllowOrigins[0] != "https://a.example" {
		t.Errorf("the API shares the caller's CORS slice")
	}
}
