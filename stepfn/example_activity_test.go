package stepfn_test

import (
	"context"
	"fmt"

	"github.com/minicloud/minicloud/stepfn"
)

// An activity worker: the Task queues its input on the activity, the
// worker takes it with GetActivityTask and answers with SendTaskSuccess.
func ExampleService_GetActivityTask() {
	ctx := context.Background()
	sfn := stepfn.New(stepfn.Options{})
	defer sfn.Close()
	act, _ := sfn.CreateActivity(ctx, &stepfn.CreateActivityInput{Name: "resize"})
	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name: "thumbnails", RoleArn: "arn:aws:iam::123456789012:role/sfn",
		Definition: `{"StartAt":"Resize","States":{"Resize":{"Type":"Task","Resource":"` + act.ActivityArn + `","ResultPath":"$.thumb","End":true}}}`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	run, _ := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: `{"key":"cat.png"}`})

	task, err := sfn.GetActivityTask(ctx, &stepfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: "worker-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("worker got", task.Input)
	_, err = sfn.SendTaskSuccess(ctx, &stepfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: `"cat-64.png"`})
	fmt.Println("answered:", err)
	d, _ := sfn.WaitExecution(ctx, run.ExecutionArn)
	fmt.Println(d.Status, d.Output)
	// Output:
	// worker got {"key":"cat.png"}
	// answered: <nil>
	// SUCCEEDED {"key":"cat.png","thumb":"cat-64.png"}
}
