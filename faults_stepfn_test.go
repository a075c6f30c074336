package minicloud_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/lambda"
	"github.com/minicloud/minicloud/stepfn"
)

// retryMachine creates a function "reserve" and a state machine whose Task
// invokes it with a Retry of Payments.Unavailable: 2 s, then 4 s, at most
// 3 retries, and starts an execution.
func retryMachine(t *testing.T, cloud *minicloud.Cloud, resource func(fnARN string) string) string {
	t.Helper()
	ctx := context.Background()
	fn, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "reserve",
		Handler: lambda.Handler(func(context.Context) (string, error) { return "reserved", nil })})
	if err != nil {
		t.Fatal(err)
	}
	sm, err := cloud.StepFunctions.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name:    "order",
		RoleArn: "arn:aws:iam::123456789012:role/run",
		Definition: `{"StartAt": "Reserve", "States": {"Reserve": {"Type": "Task", "Resource": "` + resource(fn.FunctionArn) + `", "End": true,
		  "Retry": [{"ErrorEquals": ["Payments.Unavailable"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}]}}}`,
	})
	if err != nil {
		t.Fatal(err)
	}
	run, err := cloud.StepFunctions.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: "{}"})
	if err != nil {
		t.Fatal(err)
	}
	return run.ExecutionArn
}

func TestFaults_StepFunctionsRetryAbsorbsTwoInjectedTaskFailures(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	ctx := context.Background()
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceStates, Operation: "Task", Resource: "*:function:reserve",
		Code: "Payments.Unavailable", Message: "the payment service is down", Times: 2})
	arn := retryMachine(t, cloud, func(fn string) string { return fn })
	for _, wait := range []time.Duration{2 * time.Second, 4 * time.Second} {
		if err := clk.BlockUntil(ctx, 1); err != nil {
			t.Fatal(err)
		}
		clk.Advance(wait)
	}
	d, err := cloud.StepFunctions.WaitExecution(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != "SUCCEEDED" || d.Output != `"reserved"` || d.StopDate.Sub(d.StartDate) != 6*time.Second {
		t.Fatalf("execution %s %s after %v, want SUCCEEDED \"reserved\" after 6s", d.Status, d.Output, d.StopDate.Sub(d.StartDate))
	}
	h, err := cloud.StepFunctions.GetExecutionHistory(ctx, &stepfn.GetExecutionHistoryInput{ExecutionArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	type attempt struct {
		Type, Error, Cause string
		At                 time.Duration
	}
	var got []attempt
	for _, e := range h.Events {
		switch {
		case e.LambdaFunctionFailedEventDetails != nil:
			got = append(got, attempt{e.Type, e.LambdaFunctionFailedEventDetails.Error, e.LambdaFunctionFailedEventDetails.Cause, e.Timestamp.Sub(d.StartDate)})
		case e.Type == "LambdaFunctionSucceeded":
			got = append(got, attempt{Type: e.Type, At: e.Timestamp.Sub(d.StartDate)})
		}
	}
	want := []attempt{
		{"LambdaFunctionFailed", "Payments.Unavailable", "the payment service is down", 0},
		{"LambdaFunctionFailed", "Payments.Unavailable", "the payment service is down", 2 * time.Second},
		{Type: "LambdaFunctionSucceeded", At: 6 * time.Second},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("attempts in the history (-want +got):\n%s", diff)
	}
	if n := len(cloud.Faults.Injected()); n != 2 {
		t.Fatalf("Injected has %d faults, want 2", n)
	}
}

func TestFaults_StepFunctionsLambdaInvokeIntegrationIsAimedToo(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	ctx := context.Background()
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceStates, Operation: "Task", Code: "Payments.Unavailable", Times: 1})
	arn := retryMachine(t, cloud, func(string) string {
		return `arn:aws:states:::lambda:invoke", "Parameters": {"FunctionName": "reserve"}, "OutputPath": "$.Payload`
	})
	if err := clk.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	clk.Advance(2 * time.Second)
	d, err := cloud.StepFunctions.WaitExecution(ctx, arn)
	if err != nil || d.Status != "SUCCEEDED" || d.Output != `"reserved"` {
		t.Fatalf("execution %+v, %v", d, err)
	}
	if inj := cloud.Faults.Injected(); len(inj) != 1 {
		t.Fatalf("Injected = %+v", inj)
	}
}
