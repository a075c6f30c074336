package sdktest

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestSFN_JSONataAndVariablesThroughTheSDK runs a JSONata state machine
// that calls the account's Lambda function through lambda:invoke, keeps
// a variable and shapes its output, and reads the assigned variables
// back from the history as the SDK decodes them.
func TestSFN_JSONataAndVariablesThroughTheSDK(t *testing.T) {
	client, cloud, _ := newSFNClient(t)
	ctx := context.Background()
	fnArn := createDouble(t, cloud)
	def := fmt.Sprintf(`{"QueryLanguage":"JSONata","StartAt":"Double","States":{
		"Double":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
			"Arguments":{"FunctionName":%q,"Payload":{"n":"{%% $states.input.n + 1 %%}"}},
			"Assign":{"doubled":"{%% $states.result.Payload.n %%}"},
			"Output":"{%% $states.result.Payload %%}","Next":"Report"},
		"Report":{"Type":"Pass","Output":{"answer":"{%% $doubled %%}","line":"{%% 'got ' & $string($doubled) %%}"},"End":true}}}`, fnArn)
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("jsonata"), Definition: aws.String(def), RoleArn: aws.String(sfnRole)})
	if err != nil {
		t.Fatal(err)
	}
	started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Input: aws.String(`{"n":20}`)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.StepFunctions.WaitExecution(ctx, aws.ToString(started.ExecutionArn)); err != nil {
		t.Fatal(err)
	}
	done, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != types.ExecutionStatusSucceeded || aws.ToString(done.Output) != `{"answer":42,"line":"got 42"}` {
		t.Fatalf("execution %s output %s (%s: %s)", done.Status, aws.ToString(done.Output), aws.ToString(done.Error), aws.ToString(done.Cause))
	}
	hist, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: started.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, ev := range hist.Events {
		if d := ev.StateExitedEventDetails; d != nil && aws.ToString(d.Name) == "Double" {
			found = true
			if got := d.AssignedVariables["doubled"]; got != "42" {
				t.Errorf("assignedVariables %v", d.AssignedVariables)
			}
			if d.AssignedVariablesDetails == nil || d.AssignedVariablesDetails.Truncated {
				t.Errorf("assignedVariablesDetails %+v", d.AssignedVariablesDetails)
			}
		}
	}
	if !found {
		t.Fatal("no TaskStateExited event for Double")
	}
}
