package runtimeapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServer sends arbitrary requests to a Server in each of its states:
// it must never panic, must answer one of the API's statuses, and every
// refusal must be Lambda's error document.
func FuzzServer(f *testing.F) {
	f.Add(uint8(0), "GET", "/2018-06-01/runtime/invocation/next", "", "")
	f.Add(uint8(1), "POST", "/2018-06-01/runtime/invocation/req/response", "", `{"a":1}`)
	f.Add(uint8(1), "POST", "/2018-06-01/runtime/invocation/req/error", "Runtime.X", `{"errorMessage":"m"}`)
	f.Add(uint8(1), "POST", "/2018-06-01/runtime/invocation/req/error", "", "not json")
	f.Add(uint8(0), "POST", "/2018-06-01/runtime/init/error", "T", `{"errorCause":1}`)
	f.Add(uint8(2), "POST", "/2018-06-01/runtime/invocation/req/response/x", "", "")
	f.Add(uint8(1), "POST", "/2018-06-01/runtime/invocation//response", "", "")
	f.Add(uint8(1), "PUT", "/2018-06-01/runtime/invocation/req/response", "", strings.Repeat("x", 40))
	f.Fuzz(func(t *testing.T, state uint8, method, path, errType, body string) {
		s := New(Options{MaxResponse: 32})
		defer s.Close()
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		if state%3 >= 1 { // Running: an invocation taken by the runtime
			go s.Invoke(context.Background(), &Invocation{RequestID: "req", Payload: []byte("{}")})
			s.mu.Lock()
			for s.pending == nil {
				ch := s.changed
				s.mu.Unlock()
				<-ch
				s.mu.Lock()
			}
			s.mu.Unlock()
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest("GET", "/2018-06-01/runtime/invocation/next", nil))
			if rec.Code != 200 {
				t.Fatalf("next = %d", rec.Code)
			}
		}
		if state%3 == 2 {
			s.Exit(nil)
		}
		req, err := http.NewRequestWithContext(ctx, method, "http://127.0.0.1"+"/", strings.NewReader(body))
		if err != nil {
			return
		}
		req.URL.Path = path
		if errType != "" {
			req.Header.Set(HeaderFunctionErrorType, errType)
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		switch rec.Code {
		case 200, 202:
		case 400, 403, 404, 405, 413, 500:
			var doc errorDoc
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.ErrorType == "" {
				t.Fatalf("%d with body %q", rec.Code, rec.Body.String())
			}
		default:
			t.Fatalf("unexpected status %d", rec.Code)
		}
	})
}

// FuzzErrorResult checks that whatever a runtime posts as an error, the
// document returned to the caller is a JSON object with an errorType.
func FuzzErrorResult(f *testing.F) {
	f.Add("", []byte(`{"errorMessage":"m","errorType":"T"}`))
	f.Add("Runtime.X", []byte(`[1,2]`))
	f.Add("", []byte("\xff\xfe"))
	f.Add("T", []byte(`{"errorCause":{},"stackTrace":[]}`))
	f.Add("", []byte(`null`))
	f.Fuzz(func(t *testing.T, typ string, body []byte) {
		res := errorResult(typ, body, "")
		var obj map[string]any
		if err := json.Unmarshal(res.Payload, &obj); err != nil || obj == nil {
			t.Fatalf("payload %q is not a JSON object", res.Payload)
		}
		if _, ok := obj["errorCause"]; ok {
			t.Fatalf("errorCause kept in %s", res.Payload)
		}
		if !res.Error || (typ != "" && res.ErrorType != typ) {
			t.Fatalf("result %+v for type %q", res, typ)
		}
	})
}
