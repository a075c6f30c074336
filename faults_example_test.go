package minicloud_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/lambda"
	"github.com/minicloud/minicloud/stepfn"
)

// A rule throttles the next two writes to the orders table; a caller that
// retries gets through on the third attempt, and Injected says what it
// survived.
func ExampleFaults_dynamoDB() {
	ctx := context.Background()
	cloud := minicloud.New(minicloud.Options{})
	defer cloud.Close()
	cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	cloud.Faults.Add(minicloud.Fault{
		Service:   minicloud.ServiceDynamoDB,
		Operation: "PutItem",
		Resource:  "orders",
		Code:      "ProvisionedThroughputExceededException",
		Times:     2,
	})
	for attempt := 1; ; attempt++ {
		_, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders", Item: dynamo.Item{"id": dynamo.S("o-1")}})
		var e *dynamo.Error
		if errors.As(err, &e) {
			fmt.Println("attempt", attempt, e.Code, e.StatusCode)
			continue
		}
		fmt.Println("attempt", attempt, "ok")
		break
	}
	fmt.Println(len(cloud.Faults.Injected()), "faults injected")
	// Output:
	// attempt 1 ProvisionedThroughputExceededException 400
	// attempt 2 ProvisionedThroughputExceededException 400
	// attempt 3 ok
	// 2 faults injected
}

// The next invocation of a function fails as if its handler had returned
// an error, and the one after it crashes the runtime; the third runs the
// handler.
func ExampleFaults_lambda() {
	ctx := context.Background()
	cloud := minicloud.New(minicloud.Options{})
	defer cloud.Close()
	cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "charge",
		Handler:      lambda.Handler(func(context.Context) (string, error) { return "charged", nil }),
	})
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceLambda, Operation: "Invoke", Resource: "charge",
		Kind: minicloud.FaultFunctionError, Code: "PaymentDeclined", Message: "card expired", Times: 1})
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceLambda, Operation: "Invoke", Resource: "charge",
		Kind: minicloud.FaultCrash, Times: 1})
	for i := 0; i < 3; i++ {
		out, _ := cloud.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: "charge"})
		fmt.Printf("%q %s\n", out.FunctionError, out.Payload)
	}
	// Output:
	// "Unhandled" {"errorMessage":"card expired","errorType":"PaymentDeclined"}
	// "Unhandled" {"errorMessage":"RequestId: a53c36d7-6cec-49e0-b585-27120fbbe785 Error: Runtime exited with error: exit status 1","errorType":"Runtime.ExitError"}
	// "" "charged"
}

// A Task's first two attempts fail with an injected error; its Retry
// waits 1 s, then 2 s (BackoffRate 2), and the third attempt succeeds.
func ExampleFaults_stepFunctions() {
	ctx := context.Background()
	clk := clock.NewManual(minicloud.TestEpoch)
	cloud := minicloud.New(minicloud.Options{Clock: clk})
	defer cloud.Close()
	fn, _ := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "ship",
		Handler:      lambda.Handler(func(context.Context) (string, error) { return "shipped", nil }),
	})
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceStates, Operation: "Task", Resource: fn.FunctionArn,
		Code: "Carrier.Busy", Message: "try later", Times: 2})
	sm, _ := cloud.StepFunctions.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name:    "shipping",
		RoleArn: "arn:aws:iam::123456789012:role/run",
		Definition: `{"StartAt": "Ship", "States": {"Ship": {"Type": "Task", "Resource": "` + fn.FunctionArn + `", "End": true,
		  "Retry": [{"ErrorEquals": ["Carrier.Busy"], "IntervalSeconds": 1, "BackoffRate": 2, "MaxAttempts": 2}]}}}`,
	})
	run, _ := cloud.StepFunctions.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	for _, d := range []time.Duration{time.Second, 2 * time.Second} {
		_ = clk.BlockUntil(ctx, 1)
		clk.Advance(d)
	}
	out, _ := cloud.StepFunctions.WaitExecution(ctx, run.ExecutionArn)
	fmt.Println(out.Status, out.Output, out.StopDate.Sub(out.StartDate))
	for _, f := range cloud.Faults.Injected() {
		fmt.Println(f.Time.Sub(minicloud.TestEpoch), f.Operation, f.Code)
	}
	// Output:
	// SUCCEEDED "shipped" 3s
	// 0s Task Carrier.Busy
	// 1s Task Carrier.Busy
}

// The first request to a route is throttled by API Gateway, the second
// gets a 503 from a failing backend, the third goes through.
func ExampleFaults_apiGateway() {
	cloud := minicloud.New(minicloud.Options{})
	defer cloud.Close()
	api, _ := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "shop", Kind: apigw.REST})
	_ = api.Route("GET /cart", apigw.Route{Integration: apigw.Mock{StatusCode: 200, Body: `{"items":[]}`}})
	stage, _ := api.Deploy("prod")
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceAPIGateway, Resource: api.ID() + " GET /cart",
		Code: "TooManyRequestsException", Times: 1})
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceAPIGateway, Resource: "* GET /cart",
		Code: "ServiceUnavailable", Message: "cart service down", Times: 1})
	for i := 0; i < 3; i++ {
		w := httptest.NewRecorder()
		stage.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/cart", nil))
		fmt.Println(w.Code, w.Body)
	}
	// Output:
	// 429 {"message": "Too Many Requests"}
	// 503 {"message":"cart service down"}
	// 200 {"items":[]}
}

// An origin group fails over: the primary origin is unreachable, so
// CloudFront asks the secondary.
func ExampleFaults_cloudFront() {
	ctx := context.Background()
	cloud := minicloud.New(minicloud.Options{})
	defer cloud.Close()
	answer := func(body string) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, body) })
	}
	created, err := cloud.Edge.CreateDistribution(ctx, &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "site",
		Origins:         []edge.Origin{{Id: "primary", Handler: answer("from primary")}, {Id: "backup", Handler: answer("from backup")}},
		OriginGroups: []edge.OriginGroup{{Id: "both", Members: []string{"primary", "backup"},
			FailoverCriteria: []int{500, 502, 503, 504}}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "both"},
	}})
	if err != nil {
		fmt.Println(err)
		return
	}
	dist := created.Distribution
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceCloudFront, Resource: dist.Id + " primary", Kind: minicloud.FaultCrash})
	w := httptest.NewRecorder()
	dist.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	fmt.Println(w.Code, w.Body)
	for _, f := range cloud.Faults.Injected() {
		fmt.Println(f.Operation, f.Resource == dist.Id+" primary", f.Kind)
	}
	// Output:
	// 200 from backup
	// Origin true crash
}
