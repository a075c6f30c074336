package wire

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/stepfn"
)

func TestSendTask_OverTheWire(t *testing.T) {
	h, svc, _ := newTestHandler(t)
	inbox := make(chan string, 2)
	svc.RegisterResource("arn:aws:states:::sqs:sendMessage", stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		var in struct{ TaskToken string }
		if err := json.Unmarshal(input, &in); err != nil {
			return nil, err
		}
		inbox <- in.TaskToken
		return []byte(`{}`), nil
	}))
	def := `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"TaskToken.$":"$$.Task.Token"},"End":true}}}`
	arn := call(t, h, "CreateStateMachine", mustJSON(map[string]string{"name": "cb", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/r"}))["stateMachineArn"].(string)

	ok := call(t, h, "StartExecution", mustJSON(map[string]string{"stateMachineArn": arn, "name": "ok"}))["executionArn"].(string)
	token := <-inbox
	call(t, h, "SendTaskHeartbeat", mustJSON(map[string]string{"taskToken": token}))
	call(t, h, "SendTaskSuccess", mustJSON(map[string]string{"taskToken": token, "output": `{"a":1}`}))
	if _, err := svc.WaitExecution(context.Background(), ok); err != nil {
		t.Fatal(err)
	}
	if d := call(t, h, "DescribeExecution", mustJSON(map[string]string{"executionArn": ok})); d["status"] != "SUCCEEDED" || d["output"] != `{"a":1}` {
		t.Errorf("described %v", d)
	}
	if rec := post(h, "SendTaskSuccess", mustJSON(map[string]string{"taskToken": token, "output": `{}`})); rec.Code != 400 || !strings.Contains(rec.Body.String(), "TaskTimedOut") {
		t.Errorf("used token: %d %s", rec.Code, rec.Body)
	}
	if rec := post(h, "SendTaskHeartbeat", `{"taskToken":"nonsense!"}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), "InvalidToken") {
		t.Errorf("bad token: %d %s", rec.Code, rec.Body)
	}

	failed := call(t, h, "StartExecution", mustJSON(map[string]string{"stateMachineArn": arn, "name": "no"}))["executionArn"].(string)
	token = <-inbox
	call(t, h, "SendTaskFailure", mustJSON(map[string]string{"taskToken": token, "error": "Rejected", "cause": "no"}))
	if _, err := svc.WaitExecution(context.Background(), failed); err != nil {
		t.Fatal(err)
	}
	if d := call(t, h, "DescribeExecution", mustJSON(map[string]string{"executionArn": failed})); d["status"] != "FAILED" || d["error"] != "Rejected" {
		t.Errorf("described %v", d)
	}
}
