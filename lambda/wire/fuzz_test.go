package wire

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeHTTP sends arbitrary methods, paths, headers and bodies: the
// handler never panics, always answers with a request ID, and every
// error it answers carries x-amzn-ErrorType and Lambda's JSON body.
func FuzzServeHTTP(f *testing.F) {
	seeds := []struct{ method, path, invocationType, body string }{
		{"POST", "/2015-03-31/functions/echo/invocations", "", `{"id":"o-1"}`},
		{"POST", "/2015-03-31/functions/echo/invocations?Qualifier=1", "Event", `{}`},
		{"POST", "/2015-03-31/functions/fails/invocations", "DryRun", ``},
		{"POST", "/2015-03-31/functions", "", `{"FunctionName":"n","Handler":"echo.handler","MemorySize":99999}`},
		{"GET", "/2015-03-31/functions/?MaxItems=1&Marker=zz", "", ""},
		{"PUT", "/2015-03-31/functions/echo/aliases/a", "", `{"RoutingConfig":{"AdditionalVersionWeights":{"1":2}}}`},
		{"PUT", "/2017-10-31/functions/echo/concurrency", "", `{"ReservedConcurrentExecutions":-1}`},
		{"GET", "/2016-08-19/account-settings/", "", ""},
		{"DELETE", "/2015-03-31/functions/%2e%2e", "", ""},
	}
	for _, s := range seeds {
		f.Add(s.method, s.path, s.invocationType, s.body)
	}
	h, _ := newTestHandler(f)
	f.Fuzz(func(t *testing.T, method, path, invocationType, body string) {
		if !strings.HasPrefix(path, "/") || strings.ContainsAny(path, " \r\n\t#") || method == "" || strings.ContainsAny(method, " \r\n\t/()<>@,;:\\\"[]?={}") {
			return
		}
		req, err := http.NewRequest(method, "http://lambda.local"+path, strings.NewReader(body))
		if err != nil {
			return
		}
		req.Header.Set("X-Amz-Invocation-Type", invocationType)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Header().Get("X-Amzn-Requestid") == "" {
			t.Fatal("no request ID")
		}
		if rec.Code >= 400 {
			var doc errorDoc
			if rec.Header().Get("X-Amzn-Errortype") == "" || json.Unmarshal(rec.Body.Bytes(), &doc) != nil || doc.Type == "" {
				t.Fatalf("error answer %d %v %s", rec.Code, rec.Header(), rec.Body)
			}
		}
	})
}
