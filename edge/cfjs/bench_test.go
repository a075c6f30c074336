package cfjs_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/edge/cfjs"
)

// goRewrite is testdata/index-rewrite.js written in Go.
func goRewrite(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
	r := e.Request
	if rest, ok := strings.CutPrefix(r.URI, "/old/"); ok {
		host, _ := r.Headers.Get("host")
		return &edge.FunctionResponse{StatusCode: 301, StatusDescription: "Moved Permanently",
			Headers: edge.FunctionValues{"location": {Value: "https://" + host + "/new/" + rest}}}, nil
	}
	if strings.HasSuffix(r.URI, "/") {
		r.URI += "index.html"
	} else if !strings.Contains(r.URI, ".") {
		r.URI += "/index.html"
	}
	r.Headers.Set("x-rewritten-by", "cloudfront-function")
	return r, nil
}

// BenchmarkViewerRequestFunction runs the same viewer request function
// written in Go and in JavaScript (goja), on its own and as part of a
// cached request through a distribution.
func BenchmarkViewerRequestFunction(b *testing.B) {
	js := load(b, "index-rewrite.js", cfjs.Options{})
	gofn := &edge.Function{Name: "go", Handler: goRewrite}
	event := &edge.FunctionEvent{Version: "1.0", Context: edge.FunctionContext{EventType: edge.EventViewerRequest},
		Viewer: edge.FunctionViewer{IP: "192.0.2.1"},
		Request: &edge.FunctionRequest{Method: "GET", URI: "/docs/", QueryString: edge.FunctionValues{},
			Headers: edge.FunctionValues{"host": {Value: "www.example.com"}, "accept": {Value: "text/html"}}, Cookies: edge.FunctionValues{}}}
	for _, fn := range []*edge.Function{gofn, js} {
		b.Run("handler/"+map[bool]string{true: "go", false: "js"}[fn == gofn], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				ev := *event
				req := *event.Request
				req.Headers = edge.FunctionValues{"host": {Value: "www.example.com"}, "accept": {Value: "text/html"}}
				ev.Request = &req
				if _, err := fn.Handler(&ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	for _, fn := range []*edge.Function{gofn, js} {
		s := newSite(b, nil, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: fn})
		req := httptest.NewRequest("GET", "/docs/", nil)
		s.d.ServeHTTP(httptest.NewRecorder(), req)
		b.Run("cache-hit/"+map[bool]string{true: "go", false: "js"}[fn == gofn], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				s.d.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code, w.Header().Get("X-Cache"))
				}
			}
		})
	}
}
