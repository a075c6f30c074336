package wire

import "testing"

// BenchmarkHandler_DescribeExecution measures one request through the
// protocol layer: decode, the service call, encode.
func BenchmarkHandler_DescribeExecution(b *testing.B) {
	h, _, _ := newTestHandler(b)
	if rec := post(h, "CreateStateMachine", mustJSON(map[string]string{"name": "m", "definition": waitDef, "roleArn": role})); rec.Code != 200 {
		b.Fatal(rec.Body)
	}
	if rec := post(h, "StartExecution", `{"stateMachineArn":"`+smArn+`m","name":"e","input":"{\"n\":1}"}`); rec.Code != 200 {
		b.Fatal(rec.Body)
	}
	body := `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:e"}`
	b.ReportAllocs()
	for b.Loop() {
		if rec := post(h, "DescribeExecution", body); rec.Code != 200 {
			b.Fatal(rec.Body)
		}
	}
}
