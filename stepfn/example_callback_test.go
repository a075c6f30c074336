package stepfn_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

// A human approval step: the Task hands its task token to a notifier
// (here a Go function standing in for SNS) and waits. A day later the
// approver answers with SendTaskSuccess and the workflow goes on; the
// same token cannot be used twice.
func Example_humanApproval() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	sfn := stepfn.New(stepfn.Options{Clock: c})
	defer sfn.Close()

	inbox := make(chan string, 1)
	sfn.RegisterResource("arn:aws:states:::sns:publish", stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		var msg struct{ TaskToken string }
		if err := json.Unmarshal(input, &msg); err != nil {
			return nil, err
		}
		inbox <- msg.TaskToken
		return []byte(`{"MessageId":"1"}`), nil
	}))
	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name: "expense", RoleArn: "arn:aws:iam::123456789012:role/expense",
		Definition: `{"StartAt":"Approve","States":{
		  "Approve":{"Type":"Task","Resource":"arn:aws:states:::sns:publish.waitForTaskToken",
		    "TimeoutSeconds":604800,"Parameters":{"Message.$":"$.claim","TaskToken.$":"$$.Task.Token"},
		    "ResultPath":"$.approval","End":true}}}`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	run, err := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: `{"claim":"taxi, 40 EUR"}`})
	if err != nil {
		fmt.Println(err)
		return
	}

	token := <-inbox
	c.BlockUntil(ctx, 1) // the Task's timeout timer
	c.Advance(24 * time.Hour)
	_, err = sfn.SendTaskSuccess(ctx, &stepfn.SendTaskSuccessInput{TaskToken: token, Output: `{"by":"ana"}`})
	fmt.Println("approve:", err)
	d, _ := sfn.WaitExecution(ctx, run.ExecutionArn)
	fmt.Println(d.Status, d.Output, d.StopDate.Sub(d.StartDate))
	_, err = sfn.SendTaskSuccess(ctx, &stepfn.SendTaskSuccessInput{TaskToken: token, Output: `{}`})
	fmt.Println("again:", err)
	// Output:
	// approve: <nil>
	// SUCCEEDED {"approval":{"by":"ana"},"claim":"taxi, 40 EUR"} 24h0m0s
	// again: TaskTimedOut: Task Timed Out: 'Provided task does not exist anymore'
}
