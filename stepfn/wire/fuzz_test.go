package wire

import (
	"encoding/json"
	"testing"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

// FuzzHandler sends arbitrary bodies to every operation of a handler over
// a service holding one state machine and one execution. Whatever the
// input, the handler must answer 200, 400 or 409 (ConflictException)
// with a JSON object, and never
// an InternalFailure: that would be a panic or an error without an AWS
// code, in the decoder or in the stepfn package behind it. The seed corpus
// is in testdata/fuzz/FuzzHandler.
func FuzzHandler(f *testing.F) {
	f.Add("StartExecution", []byte(`{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m","name":"x","input":"{}"}`))
	f.Add("GetExecutionHistory", []byte(`{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:e","maxResults":1,"reverseOrder":true}`))
	f.Add("CreateStateMachine", []byte(`{"name":"n","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}","roleArn":"arn:aws:iam::123456789012:role/r"}`))
	f.Add("ListExecutions", []byte(`{"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m","maxResults":-1}`))
	f.Add("ValidateStateMachineDefinition", []byte(`{"definition":"{","severity":"WARNING","maxResults":3}`))
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		svc := stepfn.New(stepfn.Options{Clock: clock.NewManual(testEpoch)})
		defer svc.Close()
		h := NewHandler(svc, Options{Logger: discardLogger})
		if rec := post(h, "CreateStateMachine", mustJSON(map[string]string{"name": "m", "definition": waitDef, "roleArn": role})); rec.Code != 200 {
			t.Fatalf("setup: %s", rec.Body)
		}
		if rec := post(h, "StartExecution", `{"stateMachineArn":"`+smArn+`m","name":"e"}`); rec.Code != 200 {
			t.Fatalf("setup: %s", rec.Body)
		}
		rec := post(h, op, string(body))
		if rec.Code != 200 && rec.Code != 400 && rec.Code != 409 {
			t.Fatalf("%s %q: status %d %s", op, body, rec.Code, rec.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: response %q is not a JSON object: %v", op, body, rec.Body, err)
		}
	})
}

// FuzzDecodeRequest checks the request decoder alone: any body either
// decodes or fails with SerializationException, never anything else.
func FuzzDecodeRequest(f *testing.F) {
	f.Add([]byte(`{"executionArn":"a","maxResults":5,"includeExecutionData":false}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"maxResults":1e400}`))
	f.Add([]byte(`{"reverseOrder":"yes"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := decodeRequest[getExecutionHistoryRequest](body); err != nil {
			if e := apiError(err); e.Code != ErrSerialization.Code {
				t.Fatalf("%q: %v", body, err)
			}
		}
	})
}
