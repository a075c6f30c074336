package minicloud_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/edge"
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

// TestCloud_HumanApprovalWithDynamoDBIntegration runs the seed's approval
// step on one account: a Task puts the order through the DynamoDB
// integration, the next hands a task token to a person (here, the test)
// and waits until SendTaskSuccess or SendTaskFailure, then the order is
// updated or the run fails.
func TestCloud_HumanApprovalWithDynamoDBIntegration(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	inbox := make(chan string, 1)
	cloud.StepFunctions.RegisterResource("arn:aws:states:::sns:publish", stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		var msg struct{ TaskToken string }
		if err := json.Unmarshal(input, &msg); err != nil {
			return nil, err
		}
		inbox <- msg.TaskToken
		return []byte(`{"MessageId":"approval-1"}`), nil
	}))
	sm, err := cloud.StepFunctions.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name: "approval", RoleArn: "arn:aws:iam::123456789012:role/flow",
		Definition: `{"StartAt":"Put","States":{
 "Put":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:putItem","ResultPath":null,"Next":"Approve",
  "Parameters":{"TableName":"orders","Item":{"id":{"S.$":"$.id"},"state":{"S":"PENDING"}},"ConditionExpression":"attribute_not_exists(id)"}},
 "Approve":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken","TimeoutSeconds":86400,"ResultPath":"$.decision","Next":"Mark",
  "Parameters":{"Message.$":"$.id","TaskToken.$":"$$.Task.Token"}},
 "Mark":{"Type":"Task","Resource":"arn:aws:states:::dynamodb:updateItem","End":true,
  "Parameters":{"TableName":"orders","Key":{"id":{"S.$":"$.id"}},"UpdateExpression":"SET #s = :s","ExpressionAttributeNames":{"#s":"state"},
   "ExpressionAttributeValues":{":s":{"S.$":"$.decision.state"}},"ReturnValues":"ALL_NEW"},
  "ResultSelector":{"state.$":"$.Attributes.state.S"}}}}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	start := func(id string) string {
		run, err := cloud.StepFunctions.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: `{"id":"` + id + `"}`})
		if err != nil {
			t.Fatal(err)
		}
		return run.ExecutionArn
	}
	wait := func(arn string) *stepfn.DescribeExecutionOutput {
		d, err := cloud.StepFunctions.WaitExecution(ctx, arn)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}

	approved := start("o-1")
	token := <-inbox
	clk.BlockUntil(ctx, 1)
	clk.Advance(3 * time.Hour) // the approver takes a while
	if _, err := cloud.StepFunctions.SendTaskSuccess(ctx, &stepfn.SendTaskSuccessInput{TaskToken: token, Output: `{"state":"APPROVED"}`}); err != nil {
		t.Fatal(err)
	}
	if d := wait(approved); d.Status != stepfn.StatusSucceeded || d.Output != `{"state":"APPROVED"}` {
		t.Fatalf("approved run: %s %s %s %s", d.Status, d.Output, d.Error, d.Cause)
	}
	got, err := cloud.Dynamo.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("o-1")}})
	if err != nil || got.Item["state"] != dynamo.S("APPROVED") {
		t.Fatalf("item %+v, %v", got, err)
	}
	if _, err := cloud.StepFunctions.SendTaskSuccess(ctx, &stepfn.SendTaskSuccessInput{TaskToken: token, Output: `{}`}); !errors.Is(err, stepfn.ErrTaskTimedOut) {
		t.Errorf("second answer: %v, want TaskTimedOut", err)
	}

	rejected := start("o-2")
	token = <-inbox
	if _, err := cloud.StepFunctions.SendTaskFailure(ctx, &stepfn.SendTaskFailureInput{TaskToken: token, Error: "Rejected", Cause: "over budget"}); err != nil {
		t.Fatal(err)
	}
	if d := wait(rejected); d.Status != stepfn.StatusFailed || d.Error != "Rejected" || d.Cause != "over budget" {
		t.Fatalf("rejected run: %s %s %s", d.Status, d.Error, d.Cause)
	}

	// The condition keeps an order from being put twice.
	again := start("o-1")
	if d := wait(again); d.Status != stepfn.StatusFailed || d.Error != "DynamoDB.ConditionalCheckFailedException" || !strings.HasPrefix(d.Cause, "The conditional request failed (Service: DynamoDb, Status Code: 400, ") {
		t.Fatalf("duplicate run: %s %s %q", d.Status, d.Error, d.Cause)
	}
}

// TestCloud_StreamTriggersFunction maps a table's stream to a function: a
// new user gets a welcome message, and a batch that fails on one bad row
// is bisected until that row alone goes to the on-failure destination.
func TestCloud_StreamTriggersFunction(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	ctx := context.Background()
	tbl, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "users",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatal(err)
	}
	welcomes := make(chan string, 10)
	type event struct {
		Records []struct {
			EventName      string `json:"eventName"`
			EventSourceARN string `json:"eventSourceARN"`
			Dynamodb       struct {
				NewImage struct {
					Name struct{ S string } `json:"name"`
				} `json:"NewImage"`
			} `json:"dynamodb"`
		}
	}
	var mu sync.Mutex
	var sizes []int // the batches' sizes
	welcome := func(ctx context.Context, ev event) error {
		mu.Lock()
		sizes = append(sizes, len(ev.Records))
		mu.Unlock()
		for _, r := range ev.Records {
			if r.Dynamodb.NewImage.Name.S == "bad" {
				return errors.New("cannot welcome bad")
			}
		}
		for _, r := range ev.Records {
			if r.EventName == "INSERT" && r.EventSourceARN == tbl.TableDescription.LatestStreamArn {
				welcomes <- "welcome " + r.Dynamodb.NewImage.Name.S
			}
		}
		return nil
	}
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "welcome", Timeout: 900, Handler: lambda.Handler(welcome)}); err != nil {
		t.Fatal(err)
	}
	src, err := cloud.StreamEventSource(tbl.TableDescription.LatestStreamArn)
	if err != nil {
		t.Fatal(err)
	}
	failed := make(chan []byte, 10)
	one, zero, ten, oneSec := true, 0, 10, 1
	m, err := cloud.Lambda.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{
		FunctionName: "welcome", Source: src, StartingPosition: lambda.StartingPositionLatest,
		BatchSize: &ten, MaximumBatchingWindowInSeconds: &oneSec,
		BisectBatchOnFunctionError: &one, MaximumRetryAttempts: &zero,
		DestinationConfig: &lambda.DestinationConfig{OnFailure: &lambda.OnFailure{Destination: lambda.DestinationFunc(
			func(_ context.Context, msg []byte, _ map[string]string) error { failed <- msg; return nil })}},
	})
	if err != nil {
		t.Fatal(err)
	}
	put := func(name string) {
		if _, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "users",
			Item: dynamo.Item{"id": dynamo.S("u-" + name), "name": dynamo.S(name)}}); err != nil {
			t.Fatal(err)
		}
	}
	// advance moves the clock by a second whenever something waits on it
	// and no invocation runs (so only the mapping's batching window and
	// retry waits elapse, never an invocation's deadline), until want
	// holds.
	advance := func(want func() bool) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for !want() {
			if time.Now().After(deadline) {
				t.Fatal("mapping stalled")
			}
			wait, cancel := context.WithTimeout(ctx, 5*time.Millisecond)
			if clk.BlockUntil(wait, 1) == nil && cloud.Lambda.AccountMetrics().ConcurrentExecutions == 0 {
				clk.Advance(time.Second)
			}
			cancel()
		}
	}
	var got []string
	drain := func(n int) func() bool {
		return func() bool {
			for {
				select {
				case w := <-welcomes:
					got = append(got, w)
				default:
					return len(got) >= n
				}
			}
		}
	}
	put("ann")
	advance(drain(1))
	if got[0] != "welcome ann" {
		t.Fatalf("got %v", got)
	}
	put("bob")
	put("bad")
	put("cat")
	var rec lambda.StreamFailureRecord
	advance(func() bool {
		select {
		case msg := <-failed:
			if err := json.Unmarshal(msg, &rec); err != nil {
				t.Fatal(err)
			}
			return true
		default:
			return false
		}
	})
	advance(drain(3))
	if strings.Join(got, ",") != "welcome ann,welcome bob,welcome cat" {
		t.Fatalf("welcomes %v", got)
	}
	if rec.DDBStreamBatchInfo == nil || rec.DDBStreamBatchInfo.BatchSize != 1 || rec.RequestContext.Condition != lambda.ConditionRetryAttemptsExhausted ||
		rec.DDBStreamBatchInfo.StreamArn != tbl.TableDescription.LatestStreamArn {
		t.Fatalf("failure record %+v", rec)
	}
	mu.Lock()
	defer mu.Unlock()
	if fmt.Sprint(sizes) != "[1 3 1 2 1 1]" {
		t.Fatalf("batch sizes %v, want ann, then bob+bad+cat bisected in order", sizes)
	}
	if g, err := cloud.Lambda.GetEventSourceMapping(ctx, m.UUID); err != nil || g.State != lambda.ESMStateEnabled {
		t.Fatalf("mapping %+v %v", g, err)
	}
}

// TestCloud_KinesisDestinationTriggersFunction maps the Kinesis stream a
// table streams its changes to: each change reaches the function as a
// record of events.KinesisEvent, in order per shard.
func TestCloud_KinesisDestinationTriggersFunction(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "users",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	ks, err := cloud.Dynamo.CreateKinesisStream(ctx, &dynamo.CreateKinesisStreamInput{StreamName: "changes", ShardCount: 2})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.Dynamo.EnableKinesisStreamingDestination(ctx, &dynamo.EnableKinesisStreamingDestinationInput{TableName: "users", StreamArn: ks.StreamARN}); err != nil {
		t.Fatal(err)
	}
	got := make(chan string, 10)
	type event struct {
		Records []struct {
			EventSource string `json:"eventSource"`
			Kinesis     struct {
				Data []byte `json:"data"`
			} `json:"kinesis"`
		}
	}
	handler := func(ctx context.Context, ev event) error {
		for _, r := range ev.Records {
			var change struct {
				EventName string `json:"eventName"`
				Dynamodb  struct {
					NewImage struct {
						ID struct{ S string } `json:"id"`
					} `json:"NewImage"`
				} `json:"dynamodb"`
			}
			if err := json.Unmarshal(r.Kinesis.Data, &change); err != nil {
				return err
			}
			got <- r.EventSource + " " + change.EventName + " " + change.Dynamodb.NewImage.ID.S
		}
		return nil
	}
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "sink", Handler: lambda.Handler(handler)}); err != nil {
		t.Fatal(err)
	}
	src, err := cloud.StreamEventSource(ks.StreamARN)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.Lambda.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{FunctionName: "sink", Source: src, StartingPosition: lambda.StartingPositionTrimHorizon}); err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "users", Item: dynamo.Item{"id": dynamo.S("u1")}}); err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-got:
		if g != "aws:kinesis INSERT u1" {
			t.Fatalf("got %q", g)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no invocation")
	}
}

// A CloudFront distribution in front of an API Gateway stage, with a
// Lambda@Edge function of the account on the origin request.
func TestCloud_EdgeInFrontOfAnAPI(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	api, _ := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "site", Kind: apigw.HTTP})
	calls := 0
	_ = api.Route("GET /hello", apigw.Route{Integration: apigw.IntegrationFunc(func(ctx context.Context, req *apigw.Request) (*apigw.Response, error) {
		calls++
		return &apigw.Response{StatusCode: 200, Header: http.Header{"Cache-Control": {"max-age=60"}},
			Body: []byte("hello " + req.Header.Get("X-Variant"))}, nil
	})})
	stage, err := api.Deploy("$default")
	if err != nil {
		t.Fatal(err)
	}
	type cfEvent struct {
		Records []struct {
			CF struct {
				Request map[string]any `json:"request"`
			} `json:"cf"`
		}
	}
	out, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "variant", Publish: true,
		Handler: lambda.Handler(func(ev cfEvent) (map[string]any, error) {
			req := ev.Records[0].CF.Request
			headers := req["headers"].(map[string]any)
			headers["x-variant"] = []map[string]string{{"key": "X-Variant", "value": "B"}}
			return req, nil
		})})
	if err != nil {
		t.Fatal(err)
	}
	// Publish made version 1: the ARN of the output is qualified with it.
	assoc, err := cloud.EdgeLambda(ctx, out.FunctionArn, edge.EventOriginRequest, false)
	if err != nil {
		t.Fatal(err)
	}
	created, err := cloud.Edge.CreateDistribution(ctx, &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "site",
		Origins:         []edge.Origin{{Id: "api", Handler: stage}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "api",
			LambdaFunctionAssociations: []edge.LambdaFunctionAssociation{assoc}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	dist := created.Distribution
	var xcache []string
	for range 2 {
		w := httptest.NewRecorder()
		dist.ServeHTTP(w, httptest.NewRequest("GET", "/hello", nil))
		if w.Code != 200 || w.Body.String() != "hello B" {
			t.Fatalf("%d %q", w.Code, w.Body)
		}
		xcache = append(xcache, w.Header().Get("X-Cache"))
	}
	if calls != 1 || xcache[0] != "Miss from cloudfront" || xcache[1] != "Hit from cloudfront" {
		t.Errorf("origin calls %d, X-Cache %v", calls, xcache)
	}
	if _, err := cloud.EdgeLambda(ctx, strings.TrimSuffix(out.FunctionArn, ":"+out.Version), edge.EventOriginRequest, false); err == nil {
		t.Error("an unqualified ARN was accepted for Lambda@Edge")
	}
}

// A global table between the account's Region and another: conflicting
// writes converge by last writer wins once replication has run.
func TestCloud_GlobalTableConverges(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "carts",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewAndOldImages},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.Dynamo.UpdateTable(ctx, &dynamo.UpdateTableInput{TableName: "carts",
		ReplicaUpdates: []dynamo.ReplicationGroupUpdate{{Create: &dynamo.CreateReplicationGroupMemberAction{RegionName: "ap-southeast-2"}}}}); err != nil {
		t.Fatal(err)
	}
	sydney := cloud.DynamoAccount.Region("ap-southeast-2")
	if _, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "carts", Item: dynamo.Item{"id": dynamo.S("c1"), "n": dynamo.N("1")}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(10 * time.Millisecond)
	if _, err := sydney.PutItem(ctx, &dynamo.PutItemInput{TableName: "carts", Item: dynamo.Item{"id": dynamo.S("c1"), "n": dynamo.N("2")}}); err != nil {
		t.Fatal(err)
	}
	clk.Advance(5 * time.Second)
	for name, db := range map[string]*dynamo.DB{"us-east-1": cloud.Dynamo, "ap-southeast-2": sydney} {
		out, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "carts", Key: dynamo.Item{"id": dynamo.S("c1")}, ConsistentRead: true})
		if err != nil {
			t.Fatal(err)
		}
		if out.Item["n"] != dynamo.N("2") {
			t.Errorf("%s holds %v, want the later write 2", name, out.Item["n"])
		}
	}
}

// A Step Functions Task calls one of the account's APIs through
// arn:aws:states:::apigateway:invoke.
func TestCloud_StepFunctionsInvokesAnAPI(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	api, _ := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "orders", Kind: apigw.REST})
	_ = api.Route("POST /orders", apigw.Route{Integration: apigw.IntegrationFunc(func(ctx context.Context, req *apigw.Request) (*apigw.Response, error) {
		return &apigw.Response{StatusCode: 201, Header: http.Header{"Content-Type": {"application/json"}}, Body: []byte(`{"id":"o-1","got":` + string(req.Body) + `}`)}, nil
	})})
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	def := `{"StartAt":"Call","States":{"Call":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke",
		"Parameters":{"ApiEndpoint":"` + api.Endpoint() + `","Method":"POST","Stage":"prod","Path":"/orders","RequestBody":{"qty":2}},
		"ResultSelector":{"status.$":"$.StatusCode","id.$":"$.ResponseBody.id","qty.$":"$.ResponseBody.got.qty"},"End":true}}}`
	sm, err := cloud.StepFunctions.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: "call", Definition: def, Type: stepfn.TypeExpress, RoleArn: "arn:aws:iam::123456789012:role/flow"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := cloud.StepFunctions.StartSyncExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != "SUCCEEDED" || out.Output != `{"id":"o-1","qty":2,"status":201}` {
		t.Errorf("%s %s %s %s", out.Status, out.Output, out.Error, out.Cause)
	}
}
