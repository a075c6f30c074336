package wire

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

var (
	testEpoch     = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	discardLogger = slog.New(slog.NewTextHandler(io.Discard, nil))
)

const (
	role    = "arn:aws:iam::123456789012:role/sfn"
	smArn   = "arn:aws:states:us-east-1:123456789012:stateMachine:"
	waitDef = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":10,"Next":"P"},"P":{"Type":"Pass","Result":{"done":true},"End":true}}}`
	passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
)

func newTestHandler(t testing.TB) (*Handler, *stepfn.Service, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(testEpoch)
	svc := stepfn.New(stepfn.Options{Clock: c})
	t.Cleanup(func() { _ = svc.Close() })
	return NewHandler(svc, Options{Logger: discardLogger}), svc, c
}

func post(h http.Handler, op, body string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("X-Amz-Target", TargetPrefix+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// call posts op and decodes a 200 response into a generic document.
func call(t *testing.T, h http.Handler, op, body string) map[string]any {
	t.Helper()
	rec := post(h, op, body)
	if rec.Code != 200 {
		t.Fatalf("%s: status %d %s", op, rec.Code, rec.Body)
	}
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s: %v in %s", op, err, rec.Body)
	}
	return out
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func TestHandler_ErrorsCarryStepFunctionsTypes(t *testing.T) {
	h, _, _ := newTestHandler(t)
	call(t, h, "CreateStateMachine", mustJSON(map[string]string{"name": "m", "definition": passDef, "roleArn": role}))
	tests := []struct {
		name, op, body string
		wantType       string
		wantInMessage  string
	}{
		{"unknown operation", "DescribeMapRun", `{}`, "com.amazon.coral.service#UnknownOperationException", "AWSStepFunctions.DescribeMapRun"},
		{"malformed JSON", "DescribeStateMachine", `{"stateMachineArn":`, "com.amazon.coral.service#SerializationException", "Malformed JSON"},
		{"not an object", "DescribeStateMachine", `[1]`, "com.amazon.coral.service#SerializationException", "JSON object"},
		{"trailing data", "DescribeStateMachine", `{} {}`, "com.amazon.coral.service#SerializationException", "after the request"},
		{"member of the wrong type", "ListStateMachines", `{"maxResults":"ten"}`, "com.amazon.coral.service#SerializationException", "'maxResults'"},
		{"state machine missing", "DescribeStateMachine", `{"stateMachineArn":"` + smArn + `nope"}`, "com.amazonaws.swf.base.model#StateMachineDoesNotExist", "nope"},
		{"execution missing", "DescribeExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:x"}`, "com.amazonaws.swf.base.model#ExecutionDoesNotExist", ""},
		{"bad ARN", "StartExecution", `{"stateMachineArn":"nope"}`, "com.amazonaws.swf.base.model#InvalidArn", "nope"},
		{"bad definition", "CreateStateMachine", mustJSON(map[string]string{"name": "bad", "definition": `{"StartAt":"X","States":{}}`, "roleArn": role}), "com.amazonaws.swf.base.model#InvalidDefinition", "SCHEMA_VALIDATION_FAILED"},
		{"bad name", "CreateStateMachine", mustJSON(map[string]string{"name": "a b", "definition": passDef, "roleArn": role}), "com.amazonaws.swf.base.model#InvalidName", ""},
		{"name taken", "CreateStateMachine", mustJSON(map[string]string{"name": "m", "definition": waitDef, "roleArn": role}), "com.amazonaws.swf.base.model#StateMachineAlreadyExists", ""},
		{"bad severity", "ValidateStateMachineDefinition", `{"definition":"{}","severity":"INFO"}`, "com.amazon.coral.validate#ValidationException", "severity"},
		{"sync on a standard machine", "StartSyncExecution", `{"stateMachineArn":"` + smArn + `m"}`, "com.amazonaws.swf.base.model#StateMachineTypeNotSupported", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := post(h, tt.op, tt.body)
			if rec.Code != 400 {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			var out struct {
				Type    string `json:"__type"`
				Message string `json:"message"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
				t.Fatal(err)
			}
			if out.Type != tt.wantType || !strings.Contains(out.Message, tt.wantInMessage) {
				t.Errorf("got %s %q, want %s with %q", out.Type, out.Message, tt.wantType, tt.wantInMessage)
			}
			if rec.Header().Get("X-Amzn-Requestid") == "" || rec.Header().Get("Content-Type") != "application/x-amz-json-1.0" {
				t.Errorf("headers %v", rec.Header())
			}
		})
	}
}

func TestHandler_RefusesWhatIsNotAJSONPost(t *testing.T) {
	h, _, _ := newTestHandler(t)
	get := httptest.NewRequest(http.MethodGet, "/", nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, get)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "UnknownOperationException") {
		t.Errorf("GET: %d %s", rec.Code, rec.Body)
	}
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", TargetPrefix+"ListStateMachines")
	req.Header.Set("Content-Type", "text/xml")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "UnknownOperationException") {
		t.Errorf("text/xml: %d %s", rec.Code, rec.Body)
	}
	svc := stepfn.New(stepfn.Options{Clock: clock.NewManual(testEpoch)})
	t.Cleanup(func() { _ = svc.Close() })
	small := NewHandler(svc, Options{Limits: Limits{MaxRequestBytes: 10}})
	if rec := post(small, "ListStateMachines", `{"nextToken":"abcdefghijkl"}`); rec.Code != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: %d", rec.Code)
	}
}

func TestHandler_StandardExecutionLifecycle(t *testing.T) {
	h, svc, c := newTestHandler(t)
	created := call(t, h, "CreateStateMachine", mustJSON(map[string]string{"name": "waiter", "definition": waitDef, "roleArn": role}))
	arn := created["stateMachineArn"].(string)
	if arn != smArn+"waiter" || created["creationDate"].(float64) != float64(testEpoch.Unix()) {
		t.Fatalf("created %v", created)
	}
	c.Advance(1500 * time.Millisecond)
	started := call(t, h, "StartExecution", mustJSON(map[string]string{"stateMachineArn": arn, "name": "run-1", "input": `{"n":1}`}))
	if started["startDate"].(float64) != float64(testEpoch.Unix())+1.5 {
		t.Errorf("startDate %v, want seconds with the fraction", started["startDate"])
	}
	exec := started["executionArn"].(string)
	running := call(t, h, "DescribeExecution", mustJSON(map[string]string{"executionArn": exec}))
	if running["status"] != "RUNNING" {
		t.Fatalf("status %v", running["status"])
	}
	for _, member := range []string{"stopDate", "output", "error", "cause"} {
		if _, ok := running[member]; ok {
			t.Errorf("a running execution has %s: %v", member, running)
		}
	}
	if err := c.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(10 * time.Second)
	if _, err := svc.WaitExecution(context.Background(), exec); err != nil {
		t.Fatal(err)
	}
	done := call(t, h, "DescribeExecution", mustJSON(map[string]string{"executionArn": exec}))
	if done["status"] != "SUCCEEDED" || done["output"] != `{"done":true}` || done["input"] != `{"n":1}` || done["stopDate"] == nil {
		t.Fatalf("described %v", done)
	}

	hist := call(t, h, "GetExecutionHistory", mustJSON(map[string]any{"executionArn": exec, "maxResults": 2}))
	events := hist["events"].([]any)
	first := events[0].(map[string]any)
	if len(events) != 2 || hist["nextToken"] == nil || first["type"] != "ExecutionStarted" || first["id"].(float64) != 1 {
		t.Fatalf("first page %v", hist)
	}
	if d := first["executionStartedEventDetails"].(map[string]any); d["input"] != `{"n":1}` || d["roleArn"] != role {
		t.Errorf("details %v", d)
	}
	if _, ok := first["timestamp"].(float64); !ok {
		t.Errorf("timestamp %v is not epoch seconds", first["timestamp"])
	}
	all := call(t, h, "GetExecutionHistory", mustJSON(map[string]any{"executionArn": exec, "reverseOrder": true, "includeExecutionData": false}))
	last := all["events"].([]any)[0].(map[string]any)
	if last["type"] != "ExecutionSucceeded" || all["nextToken"] != nil {
		t.Errorf("reverse history %v", all)
	}
	if d := last["executionSucceededEventDetails"].(map[string]any); d["output"] != "" && d["output"] != nil {
		t.Errorf("includeExecutionData false kept the output: %v", d)
	}

	list := call(t, h, "ListExecutions", mustJSON(map[string]string{"stateMachineArn": arn, "statusFilter": "SUCCEEDED"}))
	if items := list["executions"].([]any); len(items) != 1 || items[0].(map[string]any)["name"] != "run-1" {
		t.Errorf("listed %v", list)
	}
	if rec := post(h, "StartExecution", mustJSON(map[string]string{"stateMachineArn": arn, "name": "run-1"})); !strings.Contains(rec.Body.String(), "#ExecutionAlreadyExists") {
		t.Errorf("reused name: %s", rec.Body)
	}

	second := call(t, h, "StartExecution", mustJSON(map[string]string{"stateMachineArn": arn, "name": "run-2"}))["executionArn"].(string)
	stopped := call(t, h, "StopExecution", mustJSON(map[string]string{"executionArn": second, "error": "Manual", "cause": "test"}))
	if stopped["stopDate"] == nil {
		t.Errorf("stop %v", stopped)
	}
	aborted := call(t, h, "DescribeExecution", mustJSON(map[string]string{"executionArn": second}))
	if aborted["status"] != "ABORTED" || aborted["error"] != "Manual" || aborted["cause"] != "test" {
		t.Errorf("aborted %v", aborted)
	}

	machines := call(t, h, "ListStateMachines", `{}`)
	if items := machines["stateMachines"].([]any); len(items) != 1 || items[0].(map[string]any)["type"] != "STANDARD" {
		t.Errorf("machines %v", machines)
	}
	described := call(t, h, "DescribeStateMachine", mustJSON(map[string]string{"stateMachineArn": arn}))
	if described["definition"] != waitDef || described["roleArn"] != role || described["status"] != "ACTIVE" {
		t.Errorf("described %v", described)
	}
	call(t, h, "DeleteStateMachine", mustJSON(map[string]string{"stateMachineArn": arn}))
	if rec := post(h, "DescribeStateMachine", mustJSON(map[string]string{"stateMachineArn": arn})); !strings.Contains(rec.Body.String(), "StateMachineDoesNotExist") {
		t.Errorf("after delete: %s", rec.Body)
	}
}

func TestHandler_StartSyncExecutionReturnsTheResult(t *testing.T) {
	h, _, _ := newTestHandler(t)
	arn := call(t, h, "CreateStateMachine", mustJSON(map[string]string{"name": "fast", "type": "EXPRESS", "roleArn": role,
		"definition": `{"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"sum.$":"States.MathAdd($.a, $.b)"},"End":true}}}`}))["stateMachineArn"].(string)
	out := call(t, h, "StartSyncExecution", mustJSON(map[string]string{"stateMachineArn": arn, "input": `{"a":2,"b":3}`}))
	if out["status"] != "SUCCEEDED" || out["output"] != `{"sum":5}` || out["stateMachineArn"] != arn {
		t.Errorf("sync %v", out)
	}
	failing := call(t, h, "CreateStateMachine", mustJSON(map[string]string{"name": "boom", "type": "EXPRESS", "roleArn": role,
		"definition": `{"StartAt":"F","States":{"F":{"Type":"Fail","Error":"Boom","Cause":"on purpose"}}}`}))["stateMachineArn"].(string)
	out = call(t, h, "StartSyncExecution", mustJSON(map[string]string{"stateMachineArn": failing}))
	if out["status"] != "FAILED" || out["error"] != "Boom" || out["cause"] != "on purpose" {
		t.Errorf("failed sync %v", out)
	}
	if _, ok := out["output"]; ok {
		t.Errorf("a failed execution has an output: %v", out)
	}
}

func TestHandler_ValidateFiltersBySeverityAndCount(t *testing.T) {
	h, _, _ := newTestHandler(t)
	bad := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Pass","Next":"Y"}}}`
	tests := []struct {
		name          string
		req           map[string]any
		wantResult    string
		wantCount     int
		wantTruncated bool
	}{
		{"valid", map[string]any{"definition": passDef}, "OK", 0, false},
		{"every error", map[string]any{"definition": bad}, "FAIL", -1, false},
		{"first error only", map[string]any{"definition": bad, "maxResults": 1}, "FAIL", 1, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out := call(t, h, "ValidateStateMachineDefinition", mustJSON(tt.req))
			diags := out["diagnostics"].([]any)
			if out["result"] != tt.wantResult || out["truncated"] != tt.wantTruncated {
				t.Errorf("got %v", out)
			}
			if tt.wantCount >= 0 && len(diags) != tt.wantCount || tt.wantCount < 0 && len(diags) < 2 {
				t.Errorf("%d diagnostics: %v", len(diags), diags)
			}
			for _, d := range diags {
				if d.(map[string]any)["severity"] != "ERROR" || d.(map[string]any)["code"] == "" {
					t.Errorf("diagnostic %v", d)
				}
			}
		})
	}
}

func TestEpoch_WritesSecondsWithMillisecondFraction(t *testing.T) {
	tests := []struct {
		t    time.Time
		want string
	}{
		{testEpoch, "1735689600"},
		{testEpoch.Add(1500 * time.Millisecond), "1735689601.5"},
		{testEpoch.Add(7 * time.Millisecond), "1735689600.007"},
		{time.Unix(0, 0).Add(-250 * time.Millisecond), "-1.75"},
	}
	for _, tt := range tests {
		got, err := epoch(tt.t).MarshalJSON()
		if err != nil || string(got) != tt.want {
			t.Errorf("%v: %s, %v; want %s", tt.t, got, err, tt.want)
		}
	}
}

func TestHandler_RequestIDsAreUUIDs(t *testing.T) {
	h, _, _ := newTestHandler(t)
	seen := map[string]bool{}
	for range 50 {
		id := post(h, "ListStateMachines", `{}`).Header().Get("X-Amzn-Requestid")
		if len(id) != 36 || id[14] != '4' || strings.Count(id, "-") != 4 || seen[id] {
			t.Fatalf("request id %q", id)
		}
		seen[id] = true
	}
}
