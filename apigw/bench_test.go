package apigw

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkLambdaProxyRequest is a full request through a REST stage to a
// Lambda proxy integration and back: routing, the 1.0 event's JSON, the
// function (an in-memory Invoker) and reading its response.
func BenchmarkLambdaProxyRequest(b *testing.B) {
	// Lift the account throttle: the loop runs far faster than 10,000
	// requests per second.
	s := New(Options{Limits: Limits{AccountRateLimit: 1e9, AccountBurstLimit: 1e9}})
	fn := &fakeFn{fn: func([]byte) ([]byte, error) {
		return []byte(`{"statusCode":200,"headers":{"Content-Type":"application/json"},"body":"{\"id\":\"42\"}"}`), nil
	}}
	api, _ := s.CreateAPI(APIConfig{Name: "bench", Kind: REST})
	_ = api.Route("GET /items/{id}", Route{Integration: LambdaProxy{Function: fn}})
	st, err := api.Deploy("prod")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("GET", "/items/42?x=1", nil)
		r.Header.Set("Accept", "application/json")
		w := httptest.NewRecorder()
		st.ServeHTTP(w, r)
		if w.Code != 200 || !strings.Contains(w.Body.String(), "42") {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}
