package wire

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

type order struct {
	ID string `json:"id"`
}

func newTestHandler(t testing.TB) (*Handler, *lambda.Service) {
	t.Helper()
	svc := lambda.New(lambda.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	t.Cleanup(func() { _ = svc.Close() })
	ctx := context.Background()
	echo := lambda.Handler(func(ctx context.Context, o order) (order, error) {
		lambda.Logger(ctx).Info("handling " + o.ID)
		return order{ID: "done-" + o.ID}, nil
	})
	for _, in := range []*lambda.CreateFunctionInput{
		{FunctionName: "echo", Handler: echo},
		{FunctionName: "fails", Handler: lambda.Handler(func() error { return errors.New("boom") })},
	} {
		if _, err := svc.CreateFunction(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
	h := NewHandler(svc, Options{Handlers: map[string]*lambda.Code{"echo.handler": echo}, CodeDir: t.TempDir()})
	t.Cleanup(func() { _ = svc.Close(); _ = h.Close() }) // processes stop before their packages go
	return h, svc
}

func do(h http.Handler, method, target string, body string, header map[string]string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestRoute_NamesOperationsAndLabels(t *testing.T) {
	tests := []struct {
		method, path  string
		op, fn, alias string
		ok            bool
	}{
		{"GET", "/2015-03-31/functions/", "ListFunctions", "", "", true},
		{"GET", "/2015-03-31/functions", "ListFunctions", "", "", true},
		{"POST", "/2015-03-31/functions", "CreateFunction", "", "", true},
		{"GET", "/2015-03-31/functions/f", "GetFunction", "f", "", true},
		{"DELETE", "/2015-03-31/functions/f", "DeleteFunction", "f", "", true},
		{"POST", "/2015-03-31/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Af/invocations", "Invoke", "arn:aws:lambda:us-east-1:123456789012:function:f", "", true},
		{"GET", "/2015-03-31/functions/f/configuration", "GetFunctionConfiguration", "f", "", true},
		{"PUT", "/2015-03-31/functions/f/configuration", "UpdateFunctionConfiguration", "f", "", true},
		{"PUT", "/2015-03-31/functions/f/code", "UpdateFunctionCode", "f", "", true},
		{"POST", "/2015-03-31/functions/f/versions", "PublishVersion", "f", "", true},
		{"GET", "/2015-03-31/functions/f/versions", "ListVersionsByFunction", "f", "", true},
		{"POST", "/2015-03-31/functions/f/aliases", "CreateAlias", "f", "", true},
		{"GET", "/2015-03-31/functions/f/aliases", "ListAliases", "f", "", true},
		{"GET", "/2015-03-31/functions/f/aliases/live", "GetAlias", "f", "live", true},
		{"PUT", "/2015-03-31/functions/f/aliases/live", "UpdateAlias", "f", "live", true},
		{"DELETE", "/2015-03-31/functions/f/aliases/live", "DeleteAlias", "f", "live", true},
		{"PUT", "/2017-10-31/functions/f/concurrency", "PutFunctionConcurrency", "f", "", true},
		{"DELETE", "/2017-10-31/functions/f/concurrency", "DeleteFunctionConcurrency", "f", "", true},
		{"GET", "/2019-09-30/functions/f/concurrency", "GetFunctionConcurrency", "f", "", true},
		{"GET", "/2016-08-19/account-settings/", "GetAccountSettings", "", "", true},
		{"GET", "/2015-03-31/functions/f/invocations", "", "", "", false},
		{"PATCH", "/2015-03-31/functions/f", "", "", "", false},
		{"GET", "/2015-03-31/layers", "", "", "", false},
		{"GET", "/2017-10-31/functions/f/concurrency", "", "", "", false},
		{"GET", "/2015-03-31/functions//configuration", "", "", "", false},
		{"GET", "/2015-03-31/functions/%zz", "", "", "", false},
		{"GET", "/", "", "", "", false},
	}
	for _, tt := range tests {
		op, fn, alias, ok := route(tt.method, tt.path)
		if op != tt.op || fn != tt.fn || alias != tt.alias || ok != tt.ok {
			t.Errorf("route(%s %s) = %q %q %q %v, want %q %q %q %v", tt.method, tt.path, op, fn, alias, ok, tt.op, tt.fn, tt.alias, tt.ok)
		}
	}
}

func TestInvoke_AnswersAsLambda(t *testing.T) {
	h, _ := newTestHandler(t)
	tests := []struct {
		name       string
		path       string
		body       string
		header     map[string]string
		status     int
		wantBody   string
		wantHeader map[string]string
	}{
		{name: "request-response returns the payload", path: "/2015-03-31/functions/echo/invocations", body: `{"id":"o-1"}`,
			status: 200, wantBody: `{"id":"done-o-1"}`, wantHeader: map[string]string{"X-Amz-Executed-Version": "$LATEST"}},
		{name: "event is accepted with 202", path: "/2015-03-31/functions/echo/invocations", body: `{"id":"o-2"}`,
			header: map[string]string{"X-Amz-Invocation-Type": "Event"}, status: 202, wantBody: ""},
		{name: "dry run answers 204", path: "/2015-03-31/functions/echo/invocations",
			header: map[string]string{"X-Amz-Invocation-Type": "DryRun"}, status: 204, wantBody: ""},
		{name: "function error is a 200 with X-Amz-Function-Error", path: "/2015-03-31/functions/fails/invocations",
			status: 200, wantBody: `{"errorMessage":"boom","errorType":"errorString"}`, wantHeader: map[string]string{"X-Amz-Function-Error": "Unhandled"}},
		{name: "payload that is not JSON", path: "/2015-03-31/functions/echo/invocations", body: `{`,
			status: 400, wantHeader: map[string]string{"X-Amzn-Errortype": "InvalidRequestContentException"}},
		{name: "unknown function", path: "/2015-03-31/functions/nope/invocations",
			status: 404, wantHeader: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException"}},
		{name: "unknown qualifier", path: "/2015-03-31/functions/echo/invocations?Qualifier=7",
			status: 404, wantHeader: map[string]string{"X-Amzn-Errortype": "ResourceNotFoundException"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, "POST", tt.path, tt.body, tt.header)
			if rec.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", rec.Code, tt.status, rec.Body)
			}
			if tt.status < 300 && rec.Body.String() != tt.wantBody {
				t.Errorf("body %s, want %s", rec.Body, tt.wantBody)
			}
			for k, v := range tt.wantHeader {
				if got := rec.Header().Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
			if rec.Header().Get("X-Amzn-Requestid") == "" {
				t.Error("no x-amzn-RequestId")
			}
		})
	}
}

func TestInvoke_LogTailIsBase64OfTheLog(t *testing.T) {
	h, _ := newTestHandler(t)
	rec := do(h, "POST", "/2015-03-31/functions/echo/invocations", `{"id":"o-9"}`, map[string]string{"X-Amz-Log-Type": "Tail"})
	raw, err := base64.StdEncoding.DecodeString(rec.Header().Get("X-Amz-Log-Result"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"START RequestId:", "handling o-9", "REPORT RequestId:"} {
		if !strings.Contains(string(raw), want) {
			t.Errorf("log tail %q lacks %q", raw, want)
		}
	}
}

func TestErrors_ThrottleCarriesReasonAndRetryAfter(t *testing.T) {
	h, _ := newTestHandler(t)
	if rec := do(h, "PUT", "/2017-10-31/functions/echo/concurrency", `{"ReservedConcurrentExecutions":0}`, nil); rec.Code != 200 {
		t.Fatalf("PutFunctionConcurrency: %d %s", rec.Code, rec.Body)
	}
	rec := do(h, "POST", "/2015-03-31/functions/echo/invocations", `{}`, nil)
	if rec.Code != 429 || rec.Header().Get("X-Amzn-Errortype") != "TooManyRequestsException" || rec.Header().Get("Retry-After") != RetryAfterSeconds {
		t.Fatalf("got %d %v", rec.Code, rec.Header())
	}
	var doc map[string]string
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"Type": "User", "message": "Rate Exceeded.", "Reason": lambda.ReasonReservedFunctionConcurrentInvocationLimitExceeded}
	for k, v := range want {
		if doc[k] != v {
			t.Errorf("%s = %q, want %q (body %s)", k, doc[k], v, rec.Body)
		}
	}
}

func TestErrors_BodyShapePerCode(t *testing.T) {
	h, _ := newTestHandler(t)
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"unknown route", "GET", "/2015-03-31/layers", "", 404, "UnknownOperationException"},
		{"unknown date", "GET", "/2099-01-01/functions", "", 404, "UnknownOperationException"},
		{"missing function", "GET", "/2015-03-31/functions/nope", "", 404, "ResourceNotFoundException"},
		{"body not JSON", "POST", "/2015-03-31/functions/echo/aliases", "{", 400, "InvalidRequestContentException"},
		{"wrong JSON type", "PUT", "/2017-10-31/functions/echo/concurrency", `{"ReservedConcurrentExecutions":"x"}`, 400, "InvalidParameterValueException"},
		{"missing reserved concurrency", "PUT", "/2017-10-31/functions/echo/concurrency", `{}`, 400, "InvalidParameterValueException"},
		{"bad MaxItems", "GET", "/2015-03-31/functions/?MaxItems=0", "", 400, "InvalidParameterValueException"},
		{"unregistered handler", "POST", "/2015-03-31/functions", `{"FunctionName":"x","Handler":"bootstrap"}`, 400, "InvalidParameterValueException"},
		{"duplicate function", "POST", "/2015-03-31/functions", `{"FunctionName":"echo","Handler":"echo.handler"}`, 409, "ResourceConflictException"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := do(h, tt.method, tt.path, tt.body, nil)
			if rec.Code != tt.status || rec.Header().Get("X-Amzn-Errortype") != tt.code {
				t.Fatalf("got %d %q %s, want %d %s", rec.Code, rec.Header().Get("X-Amzn-Errortype"), rec.Body, tt.status, tt.code)
			}
			var doc errorDoc
			if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil || doc.Type != "User" || doc.Message == "" {
				t.Errorf("body %s: %+v %v", rec.Body, doc, err)
			}
		})
	}
}

func TestControlPlane_CreatePublishAliasInvokeDelete(t *testing.T) {
	h, _ := newTestHandler(t)
	steps := []struct {
		method, path, body string
		status             int
		contains           string
	}{
		{"POST", "/2015-03-31/functions", `{"FunctionName":"orders","Handler":"echo.handler","Runtime":"provided.al2023","MemorySize":256,"Environment":{"Variables":{"STAGE":"test"}}}`, 201, `"MemorySize":256`},
		{"GET", "/2015-03-31/functions/orders", "", 200, `"STAGE":"test"`},
		{"PUT", "/2015-03-31/functions/orders/configuration", `{"Timeout":10}`, 200, `"Timeout":10`},
		{"GET", "/2015-03-31/functions/orders/configuration", "", 200, `"Timeout":10`},
		{"POST", "/2015-03-31/functions/orders/versions", `{}`, 201, `"Version":"1"`},
		{"GET", "/2015-03-31/functions/orders/versions", "", 200, `"Version":"1"`},
		{"POST", "/2015-03-31/functions/orders/aliases", `{"Name":"live","FunctionVersion":"1"}`, 201, `"AliasArn":"arn:aws:lambda:us-east-1:123456789012:function:orders:live"`},
		{"PUT", "/2015-03-31/functions/orders/aliases/live", `{"Description":"prod"}`, 200, `"Description":"prod"`},
		{"GET", "/2015-03-31/functions/orders/aliases/live", "", 200, `"FunctionVersion":"1"`},
		{"GET", "/2015-03-31/functions/orders/aliases", "", 200, `"Name":"live"`},
		{"POST", "/2015-03-31/functions/orders/invocations?Qualifier=live", `{"id":"a"}`, 200, `{"id":"done-a"}`},
		{"PUT", "/2017-10-31/functions/orders/concurrency", `{"ReservedConcurrentExecutions":5}`, 200, `{"ReservedConcurrentExecutions":5}`},
		{"GET", "/2019-09-30/functions/orders/concurrency", "", 200, `{"ReservedConcurrentExecutions":5}`},
		{"GET", "/2015-03-31/functions/orders", "", 200, `"Concurrency":{"ReservedConcurrentExecutions":5}`},
		{"DELETE", "/2017-10-31/functions/orders/concurrency", "", 204, ""},
		{"GET", "/2019-09-30/functions/orders/concurrency", "", 200, `{}`},
		{"GET", "/2016-08-19/account-settings/", "", 200, `"FunctionCount":3`},
		{"GET", "/2015-03-31/functions/?MaxItems=2", "", 200, `"NextMarker":`},
		{"DELETE", "/2015-03-31/functions/orders/aliases/live", "", 204, ""},
		{"DELETE", "/2015-03-31/functions/orders", "", 204, ""},
		{"GET", "/2015-03-31/functions/orders", "", 404, `"Type":"User"`},
	}
	for _, s := range steps {
		rec := do(h, s.method, s.path, s.body, nil)
		if rec.Code != s.status || !strings.Contains(rec.Body.String(), s.contains) {
			t.Fatalf("%s %s: %d %s, want %d containing %s", s.method, s.path, rec.Code, rec.Body, s.status, s.contains)
		}
	}
}

func TestUpdateFunctionConfiguration_HandlerSwitchesRegisteredCode(t *testing.T) {
	h, svc := newTestHandler(t)
	h.opts.Handlers["upper"] = lambda.Handler(func(s string) (string, error) { return strings.ToUpper(s), nil })
	if rec := do(h, "PUT", "/2015-03-31/functions/echo/configuration", `{"Handler":"upper"}`, nil); rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	out, err := svc.Invoke(context.Background(), &lambda.InvokeInput{FunctionName: "echo", Payload: []byte(`"abc"`)})
	if err != nil || string(out.Payload) != `"ABC"` {
		t.Fatalf("%s %v", out.Payload, err)
	}
	if rec := do(h, "PUT", "/2015-03-31/functions/echo/configuration", `{"Handler":"nope"}`, nil); rec.Code != 400 {
		t.Fatalf("unregistered handler: %d %s", rec.Code, rec.Body)
	}
}

func TestServeHTTP_ClosedServiceIsServiceException(t *testing.T) {
	h, svc := newTestHandler(t)
	_ = svc.Close()
	rec := do(h, "GET", "/2015-03-31/functions/echo", "", nil)
	body, _ := io.ReadAll(rec.Body)
	if rec.Code != 500 || rec.Header().Get("X-Amzn-Errortype") != "ServiceException" || !strings.Contains(string(body), `"Type":"Service"`) {
		t.Fatalf("%d %v %s", rec.Code, rec.Header(), body)
	}
}

func TestRequestID_IsAUUIDv4(t *testing.T) {
	h, _ := newTestHandler(t)
	a, b := h.requestID(), h.requestID()
	if a == b || len(a) != 36 || a[14] != '4' || !strings.ContainsRune("89ab", rune(a[19])) {
		t.Fatalf("%s %s", a, b)
	}
}

func TestIsLambdaPath(t *testing.T) {
	for path, want := range map[string]bool{"/2015-03-31/functions": true, "/2016-08-19/account-settings/": true, "/": false, "/2015-03-31": false} {
		if got := IsLambdaPath(path); got != want {
			t.Errorf("IsLambdaPath(%q) = %v", path, got)
		}
	}
}
