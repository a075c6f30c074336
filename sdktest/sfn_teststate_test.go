package sdktest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestSFN_TestStateThroughTheSDK tests single states with the real
// client: a Task calling the account's Lambda function with every
// processing step inspected, a mocked error that a Retry and then a
// Catch handle, a Choice in a whole state machine, and a refused request.
func TestSFN_TestStateThroughTheSDK(t *testing.T) {
	client, cloud, _ := newSFNClient(t)
	ctx := context.Background()
	fnArn := createDouble(t, cloud)

	task := fmt.Sprintf(`{"Type":"Task","Resource":%q,"InputPath":"$.job","ResultSelector":{"doubled.$":"$.n"},
		"ResultPath":"$.result","Next":"Report",
		"Retry":[{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1,"BackoffRate":2,"MaxAttempts":2}],
		"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Recover"}]}`, fnArn)
	out, err := client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(task), RoleArn: aws.String(sfnRole),
		Input: aws.String(`{"job":{"n":21}}`), InspectionLevel: types.InspectionLevelDebug})
	if err != nil {
		t.Fatal(err)
	}
	d := out.InspectionData
	if out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.NextState) != "Report" ||
		aws.ToString(out.Output) != `{"job":{"n":21},"result":{"doubled":42}}` || d == nil ||
		aws.ToString(d.Input) != `{"job":{"n":21}}` || aws.ToString(d.AfterInputPath) != `{"n":21}` ||
		aws.ToString(d.AfterParameters) != `{"n":21}` || aws.ToString(d.Result) != `{"n":42}` ||
		aws.ToString(d.AfterResultSelector) != `{"doubled":42}` || aws.ToString(d.AfterResultPath) != `{"job":{"n":21},"result":{"doubled":42}}` {
		t.Fatalf("task: %s next %v output %v data %+v", out.Status, aws.ToString(out.NextState), aws.ToString(out.Output), d)
	}

	throttled := &types.MockInput{ErrorOutput: &types.MockErrorOutput{Error: aws.String("Lambda.TooManyRequestsException"), Cause: aws.String("Rate exceeded")}}
	out, err = client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(task), Input: aws.String(`{"job":{}}`),
		InspectionLevel: types.InspectionLevelTrace, Mock: throttled, StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(1)}})
	if err != nil {
		t.Fatal(err)
	}
	if det := out.InspectionData.ErrorDetails; out.Status != types.TestExecutionStatusRetriable || det == nil ||
		aws.ToInt32(det.RetryIndex) != 0 || aws.ToInt32(det.RetryBackoffIntervalSeconds) != 2 || aws.ToString(out.Error) != "Lambda.TooManyRequestsException" {
		t.Fatalf("retriable: %s %+v", out.Status, out.InspectionData.ErrorDetails)
	}
	out, err = client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(task), Input: aws.String(`{"job":{}}`),
		Mock: throttled, StateConfiguration: &types.TestStateConfiguration{RetrierRetryCount: aws.Int32(2)}})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.TestExecutionStatusCaughtError || aws.ToString(out.NextState) != "Recover" || out.InspectionData != nil ||
		aws.ToString(out.Output) != `{"error":{"Cause":"Rate exceeded","Error":"Lambda.TooManyRequestsException"},"job":{}}` {
		t.Fatalf("caught: %s next %v output %v", out.Status, aws.ToString(out.NextState), aws.ToString(out.Output))
	}

	machine := `{"StartAt":"Route","States":{"Route":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":0,"Next":"Negative"}],"Default":"Positive"},
		"Negative":{"Type":"Fail","Error":"Negative"},"Positive":{"Type":"Succeed"}}}`
	out, err = client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(machine), StateName: aws.String("Route"), Input: aws.String(`{"n":-1}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.TestExecutionStatusSucceeded || aws.ToString(out.NextState) != "Negative" {
		t.Fatalf("choice: %s next %v", out.Status, aws.ToString(out.NextState))
	}
	out, err = client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(machine), StateName: aws.String("Negative")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.TestExecutionStatusFailed || aws.ToString(out.Error) != "Negative" || out.Output != nil {
		t.Fatalf("fail: %s %v", out.Status, aws.ToString(out.Error))
	}

	_, err = client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass"}`)})
	var invalid *types.InvalidDefinition
	if !errors.As(err, &invalid) {
		t.Errorf("a state without Next or End: %v", err)
	}
	_, err = client.TestState(ctx, &sfn.TestStateInput{Definition: aws.String(`{"Type":"Pass","End":true}`),
		Mock: &types.MockInput{Result: aws.String(`{}`)}})
	var validation *types.ValidationException
	if !errors.As(err, &validation) {
		t.Errorf("a mock on a Pass state: %v", err)
	}
}
