package apigw

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestLambdaProxy_EventV1(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api := mustAPI(t, s, REST, map[string]Integration{"POST /items/{id}": LambdaProxy{Function: fn}})
	if _, err := api.CreateStage(StageConfig{Name: "prod", DeploymentID: mustDeploy(t, api).ID, Variables: map[string]string{"table": "items-prod"}}); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("POST", "/prod/items/42?tag=a&tag=b&q=x", strings.NewReader(`{"n":1}`))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Add("X-Multi", "1")
	r.Header.Add("X-Multi", "2")
	r.Header.Set("User-Agent", "test-agent")
	w := httptest.NewRecorder()
	api.Handler().ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("status %d %s", w.Code, w.Body)
	}
	var ev map[string]any
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	rc := ev["requestContext"].(map[string]any)
	got := map[string]any{
		"resource": ev["resource"], "path": ev["path"], "httpMethod": ev["httpMethod"],
		"headers.X-Multi": ev["headers"].(map[string]any)["X-Multi"],
		"multi.X-Multi":   ev["multiValueHeaders"].(map[string]any)["X-Multi"],
		"qs.tag":          ev["queryStringParameters"].(map[string]any)["tag"],
		"mqs.tag":         ev["multiValueQueryStringParameters"].(map[string]any)["tag"],
		"pathParameters":  ev["pathParameters"], "stageVariables": ev["stageVariables"],
		"body": ev["body"], "isBase64Encoded": ev["isBase64Encoded"],
		"rc.resourcePath": rc["resourcePath"], "rc.path": rc["path"], "rc.stage": rc["stage"],
		"rc.httpMethod": rc["httpMethod"], "rc.accountId": rc["accountId"], "rc.apiId": rc["apiId"],
		"rc.requestTime": rc["requestTime"], "rc.requestTimeEpoch": rc["requestTimeEpoch"],
		"rc.protocol": rc["protocol"], "rc.domainName": rc["domainName"],
		"rc.identity.userAgent": rc["identity"].(map[string]any)["userAgent"],
		"rc.identity.sourceIp":  rc["identity"].(map[string]any)["sourceIp"],
	}
	want := map[string]any{
		"resource": "/items/{id}", "path": "/items/42", "httpMethod": "POST",
		"headers.X-Multi": "2", "multi.X-Multi": []any{"1", "2"},
		"qs.tag": "b", "mqs.tag": []any{"a", "b"},
		"pathParameters": map[string]any{"id": "42"}, "stageVariables": map[string]any{"table": "items-prod"},
		"body": `{"n":1}`, "isBase64Encoded": false,
		"rc.resourcePath": "/items/{id}", "rc.path": "/prod/items/42", "rc.stage": "prod",
		"rc.httpMethod": "POST", "rc.accountId": "123456789012", "rc.apiId": api.ID(),
		"rc.requestTime": "02/Jan/2026:03:04:05 +0000", "rc.requestTimeEpoch": float64(t0.UnixMilli()),
		"rc.protocol": "HTTP/1.1", "rc.domainName": api.ID() + ".execute-api.us-east-1.amazonaws.com",
		"rc.identity.userAgent": "test-agent", "rc.identity.sourceIp": "192.0.2.1",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("event (-want +got):\n%s", d)
	}
	if rc["requestId"] == "" || rc["extendedRequestId"] == "" {
		t.Errorf("missing request IDs: %v", rc)
	}
	if w.Header().Get("X-Amzn-Requestid") != rc["requestId"] {
		t.Errorf("x-amzn-RequestId %q, event requestId %v", w.Header().Get("X-Amzn-Requestid"), rc["requestId"])
	}
}

func TestLambdaProxy_EventV1NullsWhatIsAbsent(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api := mustAPI(t, s, REST, map[string]Integration{"GET /x": LambdaProxy{Function: fn}})
	st, _ := api.Deploy("prod")
	do(t, st, "GET", "/x", "")
	var ev map[string]json.RawMessage
	_ = json.Unmarshal(fn.last, &ev)
	for _, k := range []string{"queryStringParameters", "multiValueQueryStringParameters", "pathParameters", "stageVariables", "body"} {
		if string(ev[k]) != "null" {
			t.Errorf("%s = %s, want null", k, ev[k])
		}
	}
}

func TestLambdaProxy_EventV2(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api := mustAPI(t, s, HTTP, map[string]Integration{"GET /items/{id}": LambdaProxy{Function: fn}})
	if _, err := api.Deploy("dev"); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/dev/items/9?a=1&a=2", nil)
	r.Header.Set("Cookie", "s=1; theme=dark")
	r.Header.Add("X-Multi", "1")
	r.Header.Add("X-Multi", "2")
	w := httptest.NewRecorder()
	api.Handler().ServeHTTP(w, r)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var ev map[string]any
	_ = json.Unmarshal(fn.last, &ev)
	rc := ev["requestContext"].(map[string]any)
	got := map[string]any{
		"version": ev["version"], "routeKey": ev["routeKey"], "rawPath": ev["rawPath"],
		"rawQueryString": ev["rawQueryString"], "cookies": ev["cookies"],
		"x-multi": ev["headers"].(map[string]any)["x-multi"],
		"qs.a":    ev["queryStringParameters"].(map[string]any)["a"],
		"path":    ev["pathParameters"], "isBase64Encoded": ev["isBase64Encoded"],
		"rc.http.method": rc["http"].(map[string]any)["method"], "rc.http.path": rc["http"].(map[string]any)["path"],
		"rc.stage": rc["stage"], "rc.routeKey": rc["routeKey"], "rc.time": rc["time"],
	}
	want := map[string]any{
		"version": "2.0", "routeKey": "GET /items/{id}", "rawPath": "/dev/items/9",
		"rawQueryString": "a=1&a=2", "cookies": []any{"s=1", "theme=dark"},
		"x-multi": "1,2", "qs.a": "1,2", "path": map[string]any{"id": "9"}, "isBase64Encoded": false,
		"rc.http.method": "GET", "rc.http.path": "/dev/items/9", "rc.stage": "dev",
		"rc.routeKey": "GET /items/{id}", "rc.time": "02/Jan/2026:03:04:05 +0000",
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("event (-want +got):\n%s", d)
	}
	if _, ok := ev["body"]; ok {
		t.Errorf("body present without a body")
	}
	if _, ok := ev["stageVariables"]; ok {
		t.Errorf("stageVariables present without variables")
	}
}

func TestLambdaProxy_BinaryBodies(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api, _ := s.CreateAPI(APIConfig{Name: "bin", Kind: REST, BinaryMediaTypes: []string{"image/*"}})
	_ = api.Route("POST /up", Route{Integration: LambdaProxy{Function: fn}})
	st, _ := api.Deploy("prod")
	r := httptest.NewRequest("POST", "/up", strings.NewReader("\x89PNG"))
	r.Header.Set("Content-Type", "image/png")
	st.ServeHTTP(httptest.NewRecorder(), r)
	var ev map[string]any
	_ = json.Unmarshal(fn.last, &ev)
	if ev["body"] != "iVBORw==" || ev["isBase64Encoded"] != true {
		t.Errorf("body %v base64 %v", ev["body"], ev["isBase64Encoded"])
	}
}

func TestLambdaProxy_ReadsResponses(t *testing.T) {
	cases := []struct {
		name   string
		kind   Kind
		result string
		status int
		body   string
		header map[string]string
	}{
		{"v1 full", REST, `{"statusCode":201,"headers":{"X-A":"1"},"multiValueHeaders":{"X-B":["1","2"]},"body":"made"}`, 201, "made", map[string]string{"X-A": "1", "X-B": "1"}},
		{"v1 base64", REST, `{"statusCode":200,"body":"aGk=","isBase64Encoded":true}`, 200, "hi", nil},
		{"v1 not an object", REST, `"hello"`, 502, `{"message": "Internal server error"}`, nil},
		{"v1 body not a string", REST, `{"statusCode":200,"body":{"a":1}}`, 502, `{"message": "Internal server error"}`, nil},
		{"v1 bad status", REST, `{"statusCode":"abc"}`, 502, `{"message": "Internal server error"}`, nil},
		{"v1 bad base64", REST, `{"body":"***","isBase64Encoded":true}`, 502, `{"message": "Internal server error"}`, nil},
		{"v2 inferred object", HTTP, `{"hello":"world"}`, 200, `{"hello":"world"}`, map[string]string{"Content-Type": "application/json"}},
		{"v2 inferred string", HTTP, `"hi"`, 200, `"hi"`, nil},
		{"v2 cookies", HTTP, `{"statusCode":200,"cookies":["a=1","b=2"],"body":"ok"}`, 200, "ok", map[string]string{"Set-Cookie": "a=1"}},
		{"v2 not JSON", HTTP, `hi there`, 500, `{"message":"Internal Server Error"}`, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestService(t)
			fn := &fakeFn{fn: func([]byte) ([]byte, error) { return []byte(tc.result), nil }}
			api := mustAPI(t, s, tc.kind, map[string]Integration{"GET /r": LambdaProxy{Function: fn}})
			st, _ := api.Deploy("prod")
			code, body, h := do(t, st, "GET", "/r", "")
			if code != tc.status || body != tc.body {
				t.Errorf("= %d %s, want %d %s", code, body, tc.status, tc.body)
			}
			for k, v := range tc.header {
				if h.Get(k) != v {
					t.Errorf("header %s = %q, want %q", k, h.Get(k), v)
				}
			}
		})
	}
}

type codedErr struct{}

func (codedErr) Error() string     { return "Rate Exceeded." }
func (codedErr) ErrorCode() string { return "TooManyRequestsException" }

func TestLambdaProxy_Failures(t *testing.T) {
	cases := []struct {
		kind   Kind
		err    error
		status int
		body   string
	}{
		{REST, errors.New("boom"), 502, `{"message": "Internal server error"}`},
		{REST, codedErr{}, 500, `{"message": "Internal server error"}`},
		{HTTP, errors.New("boom"), 500, `{"message":"Internal Server Error"}`},
		{HTTP, codedErr{}, 500, `{"message":"Internal Server Error"}`},
	}
	for _, tc := range cases {
		s, _ := newTestService(t)
		fn := &fakeFn{fn: func([]byte) ([]byte, error) { return nil, tc.err }}
		api := mustAPI(t, s, tc.kind, map[string]Integration{"GET /r": LambdaProxy{Function: fn}})
		st, _ := api.Deploy("prod")
		if code, body, _ := do(t, st, "GET", "/r", ""); code != tc.status || body != tc.body {
			t.Errorf("%v %v: %d %s, want %d %s", tc.kind, tc.err, code, body, tc.status, tc.body)
		}
	}
}
