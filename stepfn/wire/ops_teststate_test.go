package wire

import (
	"strings"
	"testing"
)

func TestTestState_OverTheWire(t *testing.T) {
	h, _, _ := newTestHandler(t)
	def := `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","InputPath":"$.msg","ResultPath":"$.sent","Next":"Done",
		"Retry":[{"ErrorEquals":["SQS.Throttled"],"IntervalSeconds":4,"MaxAttempts":2}]}`
	out := call(t, h, "TestState", mustJSON(map[string]any{"definition": def, "input": `{"msg":{"body":"hi"}}`, "inspectionLevel": "DEBUG",
		"mock": map[string]any{"result": `{"MessageId":"m-1"}`}}))
	d, _ := out["inspectionData"].(map[string]any)
	if out["status"] != "SUCCEEDED" || out["nextState"] != "Done" || out["output"] != `{"msg":{"body":"hi"},"sent":{"MessageId":"m-1"}}` ||
		d["afterInputPath"] != `{"body":"hi"}` || d["result"] != `{"MessageId":"m-1"}` || d["input"] != `{"msg":{"body":"hi"}}` {
		t.Fatalf("response %v", out)
	}
	out = call(t, h, "TestState", mustJSON(map[string]any{"definition": def, "input": `{"msg":{}}`, "inspectionLevel": "TRACE",
		"mock": map[string]any{"errorOutput": map[string]string{"error": "SQS.Throttled", "cause": "slow down"}}, "stateConfiguration": map[string]int{"retrierRetryCount": 1}}))
	d, _ = out["inspectionData"].(map[string]any)
	det, _ := d["errorDetails"].(map[string]any)
	if out["status"] != "RETRIABLE" || out["error"] != "SQS.Throttled" || out["cause"] != "slow down" || det["retryIndex"] != 0.0 || det["retryBackoffIntervalSeconds"] != 8.0 {
		t.Fatalf("response %v", out)
	}
	if _, ok := out["output"]; ok {
		t.Errorf("a retriable state has no output: %v", out)
	}
	out = call(t, h, "TestState", mustJSON(map[string]any{"definition": `{"Type":"Pass","End":true}`}))
	if out["status"] != "SUCCEEDED" || out["output"] != "{}" || out["inspectionData"] != nil || out["nextState"] != nil {
		t.Fatalf("INFO response %v", out)
	}
	for _, tc := range []struct{ body, typ string }{
		{`{}`, "com.amazon.coral.validate#ValidationException"},
		{`{"definition":"{\"Type\":\"Pass\"}"}`, "com.amazonaws.swf.base.model#InvalidDefinition"},
		{`{"definition":"{\"Type\":\"Pass\",\"End\":true}","mock":{"result":"{}"}}`, "com.amazon.coral.validate#ValidationException"},
		{`{"definition":"{\"Type\":\"Pass\",\"End\":true}","stateConfiguration":{"mapItemReaderData":"[]"}}`, "com.amazon.coral.validate#ValidationException"},
	} {
		rec := post(h, "TestState", tc.body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"__type":"`+tc.typ+`"`) {
			t.Errorf("%s: %d %s, want %s", tc.body, rec.Code, rec.Body, tc.typ)
		}
	}
}
