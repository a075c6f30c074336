package wire

import (
	"context"
	"strings"
	"testing"
	"time"
)

func TestActivities_OverTheWire(t *testing.T) {
	h, svc, c := newTestHandler(t)
	created := call(t, h, "CreateActivity", `{"name":"resize"}`)
	arn, _ := created["activityArn"].(string)
	if arn != "arn:aws:states:us-east-1:123456789012:activity:resize" || created["creationDate"] == nil {
		t.Fatalf("CreateActivity answered %v", created)
	}
	if d := call(t, h, "DescribeActivity", mustJSON(map[string]string{"activityArn": arn})); d["name"] != "resize" || d["activityArn"] != arn {
		t.Errorf("DescribeActivity answered %v", d)
	}
	if l := call(t, h, "ListActivities", `{}`); len(l["activities"].([]any)) != 1 {
		t.Errorf("ListActivities answered %v", l)
	}
	if rec := post(h, "DescribeActivity", `{"activityArn":"arn:aws:states:us-east-1:123456789012:activity:none"}`); rec.Code != 400 || !strings.Contains(rec.Body.String(), "#ActivityDoesNotExist") {
		t.Errorf("unknown activity: %d %s", rec.Code, rec.Body)
	}

	def := `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"` + arn + `","End":true}}}`
	sm := call(t, h, "CreateStateMachine", mustJSON(map[string]string{"name": "a", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/r"}))["stateMachineArn"].(string)
	ex := call(t, h, "StartExecution", mustJSON(map[string]string{"stateMachineArn": sm, "input": `{"n":1}`}))["executionArn"].(string)
	task := call(t, h, "GetActivityTask", mustJSON(map[string]string{"activityArn": arn, "workerName": "w1"}))
	token, _ := task["taskToken"].(string)
	if token == "" || task["input"] != `{"n":1}` {
		t.Fatalf("GetActivityTask answered %v", task)
	}
	call(t, h, "SendTaskSuccess", mustJSON(map[string]string{"taskToken": token, "output": `{"n":2}`}))
	if d, err := svc.WaitExecution(context.Background(), ex); err != nil || d.Output != `{"n":2}` {
		t.Fatalf("execution %+v, %v", d, err)
	}

	// With no task the poll holds for 60 s of clock time and answers {}.
	done := make(chan string, 1)
	go func() {
		done <- post(h, "GetActivityTask", mustJSON(map[string]string{"activityArn": arn})).Body.String()
	}()
	if err := c.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(60 * time.Second)
	if body := <-done; body != "{}" {
		t.Errorf("empty poll answered %s", body)
	}
	call(t, h, "DeleteActivity", mustJSON(map[string]string{"activityArn": arn}))
	if l := call(t, h, "ListActivities", `{}`); len(l["activities"].([]any)) != 0 {
		t.Errorf("ListActivities after delete answered %v", l)
	}
}
