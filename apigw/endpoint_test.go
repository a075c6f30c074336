package apigw

import (
	"net/http/httptest"
	"testing"
)

func TestServiceHandler_ByHostAndByPath(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, map[string]Integration{"GET /hello/{name}": named("hi")})
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	h := s.Handler()

	r := httptest.NewRequest("GET", "/prod/hello/ann", nil)
	r.Host = api.Endpoint()
	if !s.IsExecuteAPIRequest(r) {
		t.Fatal("host form not recognised")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || w.Body.String() != "hi" {
		t.Errorf("by host: %d %s", w.Code, w.Body)
	}

	r = httptest.NewRequest("GET", "/restapis/"+api.ID()+"/prod/_user_request_/hello/ann", nil)
	if !s.IsExecuteAPIRequest(r) {
		t.Fatal("path form not recognised")
	}
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 || w.Body.String() != "hi" {
		t.Errorf("by path: %d %s", w.Code, w.Body)
	}

	for _, p := range []string{"/restapis/nope/prod/_user_request_/x", "/restapis/" + api.ID() + "/nostage/_user_request_/x", "/other"} {
		r = httptest.NewRequest("GET", p, nil)
		if s.IsExecuteAPIRequest(r) {
			t.Errorf("%s recognised", p)
		}
		w = httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 404 {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
}

func TestServiceHandler_ReachesWebSocketAPIsByHost(t *testing.T) {
	s, _ := newTestService(t)
	ws, err := s.CreateWebSocketAPI(WebSocketAPIConfig{Name: "chat"})
	if err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/prod", nil)
	r.Host = ws.ID() + ".execute-api.us-east-1.amazonaws.com"
	if !s.IsExecuteAPIRequest(r) {
		t.Fatal("a WebSocket API's host is not recognised")
	}
}
