package stepfn

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/google/go-cmp/cmp"
)

const billsEndpoint = "abc123.execute-api.us-east-1.amazonaws.com"

// billsAPI is an API that echoes what it received as JSON, or answers as
// the request's "status" query parameter says.
func billsAPI(t *testing.T, seen chan<- *http.Request) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if seen != nil {
			seen <- r
		}
		switch r.URL.Query().Get("status") {
		case "403":
			w.WriteHeader(http.StatusForbidden)
			_, _ = io.WriteString(w, `{"message":"Missing Authentication Token"}`)
			return
		case "text":
			w.Header().Set("Content-Type", "text/plain")
			_, _ = io.WriteString(w, "plain words")
			return
		case "panic":
			panic("the API broke")
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Add("X-Trace", "a")
		w.Header().Add("X-Trace", "b")
		out, _ := json.Marshal(map[string]any{
			"host": r.Host, "method": r.Method, "path": r.URL.Path, "query": r.URL.Query(),
			"team": r.Header.Values("X-Team"), "contentType": r.Header.Get("Content-Type"), "body": string(body),
		})
		_, _ = w.Write(out)
	})
}

func apiGatewayService(t *testing.T, h http.Handler) *Service {
	return newTestService(t, Options{APIGateway: func(endpoint string) (http.Handler, bool) {
		return h, endpoint == billsEndpoint
	}})
}

func apiTaskDef(params string, extra string) string {
	return `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke","Parameters":` + params + extra + `,"End":true}}}`
}

func TestAPIGatewayInvoke_RequestAndResultShapes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		params string
		input  string
		want   string
	}{
		{
			name:   "GetWithStagePathQueryAndHeaders",
			params: `{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","Stage":"prod","Path":"bills/42","QueryParameters":{"billId.$":"States.Array($.id)"},"Headers":{"X-Team":["a","b"]},"AuthType":"NO_AUTH"}`,
			input:  `{"id":"123"}`,
			want: `{"Headers":{"Content-Type":["application/json"],"X-Trace":["a","b"]},"StatusCode":200,"StatusText":"OK","ResponseBody":
				{"host":"` + billsEndpoint + `","method":"GET","path":"/prod/bills/42","query":{"billId":["123"]},"team":["a","b"],"contentType":"","body":""}}`,
		},
		{
			name:   "JSONBodyDropsNulls",
			params: `{"ApiEndpoint":"` + billsEndpoint + `","Method":"POST","Path":"bills","RequestBody":{"a":1,"b":null,"c":{"d":null}}}`,
			want: `{"Headers":{"Content-Type":["application/json"],"X-Trace":["a","b"]},"StatusCode":200,"StatusText":"OK","ResponseBody":
				{"host":"` + billsEndpoint + `","method":"POST","path":"/bills","query":{},"team":null,"contentType":"application/json","body":"{\"a\":1,\"c\":{}}"}}`,
		},
		{
			name:   "AllowNullValuesKeepsThem",
			params: `{"ApiEndpoint":"` + billsEndpoint + `","Method":"PUT","RequestBody":{"b":null},"AllowNullValues":true}`,
			want: `{"Headers":{"Content-Type":["application/json"],"X-Trace":["a","b"]},"StatusCode":200,"StatusText":"OK","ResponseBody":
				{"host":"` + billsEndpoint + `","method":"PUT","path":"/","query":{},"team":null,"contentType":"application/json","body":"{\"b\":null}"}}`,
		},
		{
			name:   "StringBodyIsSentAsItIs",
			params: `{"ApiEndpoint":"` + billsEndpoint + `","Method":"POST","RequestBody":"a=1&b=2"}`,
			want: `{"Headers":{"Content-Type":["application/json"],"X-Trace":["a","b"]},"StatusCode":200,"StatusText":"OK","ResponseBody":
				{"host":"` + billsEndpoint + `","method":"POST","path":"/","query":{},"team":null,"contentType":"","body":"a=1&b=2"}}`,
		},
		{
			name:   "NonJSONResponseIsAString",
			params: `{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","QueryParameters":{"status":["text"]}}`,
			want:   `{"Headers":{"Content-Type":["text/plain"]},"StatusCode":200,"StatusText":"OK","ResponseBody":"plain words"}`,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := apiGatewayService(t, billsAPI(t, nil))
				sm := mustCreate(t, s, "m", apiTaskDef(tc.params, ""), "")
				input := tc.input
				if input == "" {
					input = "{}"
				}
				d, err := s.WaitExecution(context.Background(), mustStart(t, s, sm, "run", input))
				if err != nil || d.Status != StatusSucceeded {
					t.Fatalf("execution %+v, %v", d, err)
				}
				if diff := cmp.Diff(decodeAny(t, tc.want), decodeAny(t, d.Output)); diff != "" {
					t.Errorf("result (-want +got):\n%s", diff)
				}
			})
		})
	}
}

func TestAPIGatewayInvoke_ErrorsAsAWSMapsThem(t *testing.T) {
	for _, tc := range []struct {
		name, params, error, cause string
	}{
		{"StatusBecomesTheErrorName", `{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","QueryParameters":{"status":["403"]}}`,
			"ApiGateway.403", `{"message":"Missing Authentication Token"}`},
		{"UnknownEndpoint", `{"ApiEndpoint":"nope.execute-api.us-east-1.amazonaws.com","Method":"GET"}`,
			"ApiGateway.UnknownHostException", "nope.execute-api.us-east-1.amazonaws.com: no API answers at this endpoint"},
		{"PanickingHandlerIsA500", `{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","QueryParameters":{"status":["panic"]}}`,
			"ApiGateway.500", "the API's handler panicked: the API broke"},
		{"ForbiddenHeader", `{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","Headers":{"X-Amz-Date":["x"]}}`,
			ErrorRuntime, "Invalid apigateway:invoke Parameters: the header 'X-Amz-Date' may not be set"},
		{"BadMethod", `{"ApiEndpoint":"` + billsEndpoint + `","Method":"TRACE"}`,
			ErrorRuntime, `Invalid apigateway:invoke Parameters: the field 'Method' must be one of [GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS], got "TRACE"`},
		{"HeaderValuesMustBeLists", `{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","Headers":{"X-Team":"a"}}`,
			ErrorRuntime, "Invalid apigateway:invoke Parameters: the value of 'Headers.X-Team' must be an ARRAY of STRINGs"},
		{"BadAuthType", `{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","AuthType":"COGNITO"}`,
			ErrorRuntime, "Invalid apigateway:invoke Parameters: the field 'AuthType' must be one of [NO_AUTH, IAM_ROLE, RESOURCE_POLICY], got 'COGNITO'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := apiGatewayService(t, billsAPI(t, nil))
				sm := mustCreate(t, s, "m", apiTaskDef(tc.params, ""), "")
				ex := mustStart(t, s, sm, "run", "{}")
				d, _ := s.WaitExecution(context.Background(), ex)
				if d.Status != StatusFailed || d.Error != tc.error || d.Cause != tc.cause {
					t.Fatalf("execution %s %q %q, want %q %q", d.Status, d.Error, d.Cause, tc.error, tc.cause)
				}
				events := allEvents(t, s, ex)
				if f := events[len(events)-2].TaskFailedEventDetails; f == nil || f.ResourceType != "apigateway" || f.Resource != "invoke" || f.Error != tc.error {
					t.Errorf("TaskFailed details %+v", f)
				}
			})
		})
	}
}

func TestAPIGatewayInvoke_CatchSeesTheStatus(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := apiGatewayService(t, billsAPI(t, nil))
		def := `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke",
			"Parameters":{"ApiEndpoint":"` + billsEndpoint + `","Method":"GET","QueryParameters":{"status":["403"]}},
			"Catch":[{"ErrorEquals":["ApiGateway.403"],"ResultPath":"$.err","Next":"Denied"}],"End":true},
			"Denied":{"Type":"Pass","End":true}}}`
		sm := mustCreate(t, s, "m", def, "")
		d, _ := s.WaitExecution(context.Background(), mustStart(t, s, sm, "run", `{}`))
		if d.Status != StatusSucceeded || d.Output != `{"err":{"Cause":"{\"message\":\"Missing Authentication Token\"}","Error":"ApiGateway.403"}}` {
			t.Fatalf("execution %+v", d)
		}
	})
}

func TestAPIGatewayInvoke_WaitForTaskToken(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		seen := make(chan *http.Request, 1)
		s := apiGatewayService(t, billsAPI(t, seen))
		def := `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke.waitForTaskToken",
			"Parameters":{"ApiEndpoint":"` + billsEndpoint + `","Method":"POST","Stage":"prod","Path":"bills/add",
			"Headers":{"TaskToken.$":"States.Array($$.Task.Token)"},"RequestBody":{"billId":"b-1"}},"End":true}}}`
		sm := mustCreate(t, s, "m", def, "")
		ex := mustStart(t, s, sm, "run", `{}`)
		token := (<-seen).Header.Get("TaskToken")
		if token == "" {
			t.Fatal("the API received no task token")
		}
		if _, err := s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token, Output: `{"paid":true}`}); err != nil {
			t.Fatal(err)
		}
		d, _ := s.WaitExecution(ctx, ex)
		if d.Status != StatusSucceeded || d.Output != `{"paid":true}` {
			t.Fatalf("execution %+v", d)
		}
		var types []string
		for _, ev := range allEvents(t, s, ex) {
			types = append(types, ev.Type)
		}
		want := []string{"ExecutionStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSubmitted", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"}
		if diff := cmp.Diff(want, types); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	})
}

func TestAPIGatewayInvoke_WithoutOptionIsUnregistered(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newTestService(t, Options{})
		sm := mustCreate(t, s, "m", apiTaskDef(`{"ApiEndpoint":"`+billsEndpoint+`","Method":"GET"}`, ""), "")
		d, _ := s.WaitExecution(context.Background(), mustStart(t, s, sm, "run", `{}`))
		if d.Status != StatusFailed || d.Error != ErrorTaskFailed {
			t.Fatalf("execution %+v", d)
		}
	})
}
