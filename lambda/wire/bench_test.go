package wire

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkInvoke measures a RequestResponse Invoke through the handler:
// routing, the body, the service's invocation and the response headers.
func BenchmarkInvoke(b *testing.B) {
	h, _ := newTestHandler(b)
	b.ReportAllocs()
	for b.Loop() {
		req := httptest.NewRequest("POST", "/2015-03-31/functions/echo/invocations", strings.NewReader(`{"id":"o-1"}`))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			b.Fatal(rec.Code, rec.Body)
		}
	}
}

// BenchmarkRoute measures the router alone on an escaped ARN.
func BenchmarkRoute(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, _, _, ok := route("POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/invocations"); !ok {
			b.Fatal("no route")
		}
	}
}
