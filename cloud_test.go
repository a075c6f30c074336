package minicloud_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
	"github.com/minicloud/minicloud/stepfn"
)

// TestCloud_StateMachineInvokesAccountFunction wires the three services of
// one account: a Task whose Resource is a Lambda ARN runs the account's
// function, which writes to the account's DynamoDB.
func TestCloud_StateMachineInvokesAccountFunction(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	save := func(ctx context.Context, in struct {
		ID string `json:"id"`
	}) (map[string]string, error) {
		_, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders",
			Item: dynamo.Item{"id": dynamo.S(in.ID), "state": dynamo.S("saved")}})
		return map[string]string{"saved": in.ID}, err
	}
	fn, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "save", Handler: lambda.Handler(save)})
	if err != nil {
		t.Fatal(err)
	}
	arn := fn.FunctionArn
	sm, err := cloud.StepFunctions.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name: "flow", RoleArn: "arn:aws:iam::123456789012:role/flow",
		Definition: fmt.Sprintf(`{"StartAt":"Save","States":{"Save":{"Type":"Task","Resource":%q,"End":true}}}`, arn),
	})
	if err != nil {
		t.Fatal(err)
	}
	run, err := cloud.StepFunctions.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: `{"id":"o-1"}`})
	if err != nil {
		t.Fatal(err)
	}
	d, err := cloud.StepFunctions.WaitExecution(ctx, run.ExecutionArn)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != stepfn.StatusSucceeded || d.Output != `{"saved":"o-1"}` {
		t.Fatalf("execution %s with output %s", d.Status, d.Output)
	}
	got, err := cloud.Dynamo.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("o-1")}})
	if err != nil || got.Item["state"] != dynamo.S("saved") {
		t.Fatalf("item = %v, %v", got, err)
	}

	// A Task naming a function the account does not have fails.
	sm2, err := cloud.StepFunctions.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name: "missing", RoleArn: "arn:aws:iam::123456789012:role/flow",
		Definition: `{"StartAt":"X","States":{"X":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:nope","End":true}}}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	run2, err := cloud.StepFunctions.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm2.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if d, _ := cloud.StepFunctions.WaitExecution(ctx, run2.ExecutionArn); d.Status != stepfn.StatusFailed {
		t.Fatalf("a Task on a missing function ended %s", d.Status)
	}
}

// TestCloud_HandlerServesDynamoDB speaks DynamoDB's JSON protocol to the
// account's endpoint.
func TestCloud_HandlerServesDynamoDB(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	srv := httptest.NewServer(cloud.Handler())
	defer srv.Close()
	call := func(op, body string) (int, map[string]any) {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		var out map[string]any
		if err := json.Unmarshal(raw, &out); err != nil {
			t.Fatalf("%s: %s", op, raw)
		}
		return resp.StatusCode, out
	}
	if code, out := call("CreateTable", `{"TableName":"tbl1","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`); code != 200 {
		t.Fatalf("CreateTable: %d %v", code, out)
	}
	if _, err := cloud.Dynamo.PutItem(context.Background(), &dynamo.PutItemInput{TableName: "tbl1", Item: dynamo.Item{"k": dynamo.S("a"), "n": dynamo.N("7")}}); err != nil {
		t.Fatal(err)
	}
	code, out := call("GetItem", `{"TableName":"tbl1","Key":{"k":{"S":"a"}}}`)
	if code != 200 || fmt.Sprint(out["Item"]) != "map[k:map[S:a] n:map[N:7]]" {
		t.Fatalf("GetItem over the wire: %d %v", code, out)
	}
	code, out = call("GetItem", `{"TableName":"nope","Key":{"k":{"S":"a"}}}`)
	if code != 400 || out["__type"] != "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" {
		t.Fatalf("missing table over the wire: %d %v", code, out)
	}
}

// TestCloud_HandlerServesLambdaByPath sends Lambda's REST paths to the
// account's Lambda, next to DynamoDB on the same endpoint.
func TestCloud_HandlerServesLambdaByPath(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "double",
		Handler: lambda.Handler(func(n int) (int, error) { return 2 * n, nil })}); err != nil {
		t.Fatal(err)
	}
	client := cloud.HTTPClient()
	resp, err := client.Post(minicloud.Endpoint+"/2015-03-31/functions/double/invocations", "application/json", strings.NewReader("21"))
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(raw) != "42" || resp.Header.Get("X-Amz-Executed-Version") != "$LATEST" {
		t.Fatalf("Invoke over the wire: %d %s %v", resp.StatusCode, raw, resp.Header)
	}
	resp, err = client.Get(minicloud.Endpoint + "/2015-03-31/functions/missing")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 404 || resp.Header.Get("X-Amzn-ErrorType") != "ResourceNotFoundException" {
		t.Fatalf("missing function over the wire: %d %v", resp.StatusCode, resp.Header)
	}
}

// TestCloud_HandlerServesStepFunctionsByTarget sends "AWSStepFunctions.*"
// targets to the account's Step Functions, next to DynamoDB.
func TestCloud_HandlerServesStepFunctionsByTarget(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	client := cloud.HTTPClient()
	call := func(op, body string) (int, string) {
		req, _ := http.NewRequest("POST", minicloud.Endpoint, strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "AWSStepFunctions."+op)
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(raw)
	}
	code, out := call("CreateStateMachine", `{"name":"m","roleArn":"arn:aws:iam::123456789012:role/r","definition":"{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}}"}`)
	if code != 200 || !strings.Contains(out, `"stateMachineArn":"arn:aws:states:us-east-1:123456789012:stateMachine:m"`) {
		t.Fatalf("CreateStateMachine over the wire: %d %s", code, out)
	}
	if _, err := cloud.StepFunctions.DescribeStateMachine(context.Background(), "arn:aws:states:us-east-1:123456789012:stateMachine:m"); err != nil {
		t.Fatalf("the state machine created over the wire: %v", err)
	}
	code, out = call("DescribeExecution", `{"executionArn":"arn:aws:states:us-east-1:123456789012:execution:m:none"}`)
	if code != 400 || !strings.Contains(out, `#ExecutionDoesNotExist"`) {
		t.Fatalf("missing execution over the wire: %d %s", code, out)
	}
}
