package apigw

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

func TestFaults_HookShapesTheIntegrationsAnswer(t *testing.T) {
	tests := []struct {
		name   string
		kind   Kind
		fault  Fault
		status int
		body   string
		called bool
	}{
		{"none", REST, Fault{}, 200, "ok", true},
		{"throttle", REST, Fault{Throttle: true}, 429, `{"message": "Too Many Requests"}`, false},
		{"error", REST, Fault{Err: errors.New("unreachable")}, 500, `{"message": "Internal server error"}`, false},
		{"error on an HTTP API", HTTP, Fault{Err: errors.New("unreachable")}, 500, `{"message":"Internal Server Error"}`, false},
		{"response", REST, Fault{Response: &Response{StatusCode: 503, Body: []byte("busy")}}, 503, "busy", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var gotAPI, gotRoute string
			s := New(Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
				Faults: func(_ context.Context, apiID, routeKey string) Fault {
					gotAPI, gotRoute = apiID, routeKey
					return tt.fault
				}})
			api, err := s.CreateAPI(APIConfig{Name: "a", Kind: tt.kind})
			if err != nil {
				t.Fatal(err)
			}
			called := false
			if err := api.Route("GET /items/{id}", Route{Integration: IntegrationFunc(func(context.Context, *Request) (*Response, error) {
				called = true
				return &Response{StatusCode: 200, Body: []byte("ok")}, nil
			})}); err != nil {
				t.Fatal(err)
			}
			st, err := api.Deploy("prod")
			if err != nil {
				t.Fatal(err)
			}
			w := httptest.NewRecorder()
			st.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/items/1", nil))
			if w.Code != tt.status || w.Body.String() != tt.body || called != tt.called {
				t.Fatalf("got %d %s (integration called: %v), want %d %s (%v)", w.Code, w.Body, called, tt.status, tt.body, tt.called)
			}
			if gotAPI != api.ID() || gotRoute != "GET /items/{id}" {
				t.Fatalf("hook saw %q %q", gotAPI, gotRoute)
			}
		})
	}
}

func TestFaults_DelayPastTheTimeoutAnswersTheTimeout(t *testing.T) {
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	s := New(Options{Clock: c, Faults: func(context.Context, string, string) Fault { return Fault{Delay: time.Minute} }})
	api, _ := s.CreateAPI(APIConfig{Name: "a", Kind: HTTP})
	_ = api.Route("GET /x", Route{Integration: Mock{StatusCode: 200}})
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan *httptest.ResponseRecorder)
	go func() {
		w := httptest.NewRecorder()
		st.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/x", nil))
		done <- w
	}()
	if err := c.BlockUntil(context.Background(), 2); err != nil {
		t.Fatal(err)
	}
	c.Advance(29 * time.Second)
	if w := <-done; w.Code != 503 {
		t.Fatalf("got %d %s, want an HTTP API's 503 at the timeout", w.Code, w.Body)
	}
}
