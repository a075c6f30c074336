package stepfn_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

// A payment Task is retried on timeouts with exponential backoff (2 s,
// then 4 s) and, when the card is finally declined, the Catch sends the
// error to a Refund state. The clock is manual: the test advances it
// through the retry intervals.
func Example_retryAndCatch() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC))
	sfn := stepfn.New(stepfn.Options{Clock: c})
	defer sfn.Close()

	const charge = "arn:aws:lambda:us-east-1:123456789012:function:charge"
	calls := 0
	sfn.RegisterResource(charge, stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		calls++
		if calls < 3 {
			return nil, &stepfn.TaskError{Name: "Payment.Timeout", Cause: "gateway did not answer"}
		}
		return nil, &stepfn.TaskError{Name: "PaymentDeclined", Cause: "card expired"}
	}))

	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name:    "checkout",
		RoleArn: "arn:aws:iam::123456789012:role/checkout",
		Definition: `{
		  "StartAt": "Charge",
		  "States": {
		    "Charge": {
		      "Type": "Task",
		      "Resource": "` + charge + `",
		      "Retry": [{"ErrorEquals": ["Payment.Timeout"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}],
		      "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Refund"}],
		      "End": true
		    },
		    "Refund": {"Type": "Pass", "Parameters": {"order.$": "$.order", "reason.$": "$.error.Cause"}, "End": true}
		  }
		}`,
	})
	if err != nil {
		panic(err)
	}
	run, err := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: "order-42", Input: `{"order": 42}`})
	if err != nil {
		panic(err)
	}
	for _, wait := range []time.Duration{2 * time.Second, 4 * time.Second} {
		_ = c.BlockUntil(ctx, 1) // the execution sleeps before its next attempt
		c.Advance(wait)
	}
	d, _ := sfn.WaitExecution(ctx, run.ExecutionArn)
	fmt.Println(d.Status, d.Output)

	h, _ := sfn.GetExecutionHistory(ctx, &stepfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn})
	for _, ev := range h.Events {
		fmt.Printf("%2d +%-3v %s\n", ev.ID, ev.Timestamp.Sub(d.StartDate), ev.Type)
	}
	// Output:
	// SUCCEEDED {"order":42,"reason":"card expired"}
	//  1 +0s  ExecutionStarted
	//  2 +0s  TaskStateEntered
	//  3 +0s  LambdaFunctionScheduled
	//  4 +0s  LambdaFunctionStarted
	//  5 +0s  LambdaFunctionFailed
	//  6 +2s  LambdaFunctionScheduled
	//  7 +2s  LambdaFunctionStarted
	//  8 +2s  LambdaFunctionFailed
	//  9 +6s  LambdaFunctionScheduled
	// 10 +6s  LambdaFunctionStarted
	// 11 +6s  LambdaFunctionFailed
	// 12 +6s  TaskStateExited
	// 13 +6s  PassStateEntered
	// 14 +6s  PassStateExited
	// 15 +6s  ExecutionSucceeded
}

// Compile validates a definition as CreateStateMachine does, and reports
// every problem with AWS's code and location.
func ExampleCompile() {
	_, err := stepfn.Compile(`{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}`)
	fmt.Println(err)
	// Output:
	// InvalidDefinition: Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: B at /States/A/Next'
}
