package wire

import (
	"strings"
	"testing"
)

func TestUpdateStateMachine_OverTheWire(t *testing.T) {
	h, _, _ := newTestHandler(t)
	def := `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`
	newDef := `{"StartAt":"Q","States":{"Q":{"Type":"Pass","End":true}}}`
	arn := call(t, h, "CreateStateMachine", mustJSON(map[string]string{"name": "u", "definition": def, "roleArn": "arn:aws:iam::123456789012:role/r"}))["stateMachineArn"].(string)

	before := call(t, h, "DescribeStateMachine", mustJSON(map[string]string{"stateMachineArn": arn}))
	if l, _ := before["loggingConfiguration"].(map[string]any); l["level"] != "OFF" || l["includeExecutionData"] != false || before["revisionId"] != nil {
		t.Errorf("before any update: %v", before)
	}
	out := call(t, h, "UpdateStateMachine", `{"stateMachineArn":"`+arn+`","definition":`+mustJSON(newDef)+`,
		"loggingConfiguration":{"level":"FATAL","destinations":[{"cloudWatchLogsLogGroup":{"logGroupArn":"arn:aws:logs:us-east-1:123456789012:log-group:g:*"}}]},
		"tracingConfiguration":{"enabled":true}}`)
	if _, ok := out["updateDate"].(float64); !ok || out["revisionId"] == "" || out["stateMachineVersionArn"] != nil {
		t.Fatalf("update response %v", out)
	}
	d := call(t, h, "DescribeStateMachine", mustJSON(map[string]string{"stateMachineArn": arn}))
	l, _ := d["loggingConfiguration"].(map[string]any)
	dests, _ := l["destinations"].([]any)
	tr, _ := d["tracingConfiguration"].(map[string]any)
	if d["definition"] != newDef || d["revisionId"] != out["revisionId"] || l["level"] != "FATAL" || len(dests) != 1 || tr["enabled"] != true {
		t.Fatalf("described %v", d)
	}

	for _, tc := range []struct{ body, typ string }{
		{`{"stateMachineArn":"` + arn + `"}`, "com.amazonaws.swf.base.model#MissingRequiredParameter"},
		{`{"stateMachineArn":"` + arn + `","loggingConfiguration":{"level":"ALL"}}`, "com.amazonaws.swf.base.model#InvalidLoggingConfiguration"},
		{`{"stateMachineArn":"` + arn + `","loggingConfiguration":{"level":"LOUD"}}`, "com.amazon.coral.validate#ValidationException"},
		{`{"stateMachineArn":"` + arn + `","publish":"yes"}`, "com.amazon.coral.service#SerializationException"},
	} {
		rec := post(h, "UpdateStateMachine", tc.body)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), `"__type":"`+tc.typ+`"`) {
			t.Errorf("%s: %d %s, want %s", tc.body, rec.Code, rec.Body, tc.typ)
		}
	}
}
