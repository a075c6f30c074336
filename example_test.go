package minicloud_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
	"github.com/minicloud/minicloud/stepfn"
)

// One account: a state machine waits a day, then its Task invokes the
// account's Lambda function by ARN. The manual clock makes the day pass at
// once.
func Example() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	cloud := minicloud.New(minicloud.Options{Clock: c})
	defer cloud.Close()

	fn, _ := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "double",
		Handler:      lambda.Handler(func(n int) (int, error) { return 2 * n, nil }),
	})
	sm, _ := cloud.StepFunctions.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name:    "tomorrow",
		RoleArn: "arn:aws:iam::123456789012:role/run",
		Definition: `{"StartAt": "Wait", "States": {
		  "Wait":   {"Type": "Wait", "Seconds": 86400, "Next": "Double"},
		  "Double": {"Type": "Task", "Resource": "` + fn.FunctionArn + `", "End": true}}}`,
	})
	run, _ := cloud.StepFunctions.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: "21"})
	_ = c.BlockUntil(ctx, 1)
	c.Advance(24 * time.Hour)
	d, _ := cloud.StepFunctions.WaitExecution(ctx, run.ExecutionArn)
	fmt.Println(d.Status, d.Output, d.StopDate.Sub(d.StartDate))
	// Output:
	// SUCCEEDED 42 24h0m0s
}
