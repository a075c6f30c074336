package wire_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
	"github.com/minicloud/minicloud/stepfn/wire"
)

// A state machine created and run over the JSON protocol, as an SDK does.
func ExampleHandler() {
	svc := stepfn.New(stepfn.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	defer svc.Close()
	srv := httptest.NewServer(wire.NewHandler(svc, wire.Options{}))
	defer srv.Close()

	send := func(op, body string) string {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(body))
		req.Header.Set("X-Amz-Target", wire.TargetPrefix+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return err.Error()
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Status + " " + string(b)
	}
	fmt.Println(send("CreateStateMachine", `{"name":"hello","type":"EXPRESS","roleArn":"arn:aws:iam::123456789012:role/r",
		"definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Result\":\"hi\",\"End\":true}}}"}`))
	out := send("StartSyncExecution", `{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:hello"}`)
	fmt.Println(strings.Contains(out, `"status":"SUCCEEDED"`), strings.Contains(out, `"output":"\"hi\""`))
	fmt.Println(send("DescribeExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:hello:nope"}`))
	// Output:
	// 200 OK {"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:hello","creationDate":1735689600}
	// true true
	// 400 Bad Request {"__type":"com.amazonaws.swf.base.model#ExecutionDoesNotExist","message":"Execution Does Not Exist: 'arn:aws:states:us-east-1:123456789012:execution:hello:nope'"}
}
