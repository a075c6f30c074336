package sdktest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/aws/smithy-go"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/lambda"
)

// newSFNClient is the README's SDK set-up for Step Functions: a real
// *sfn.Client on a fresh test account, with no socket.
func newSFNClient(t *testing.T) (*sfn.Client, *minicloud.Cloud, func(time.Duration)) {
	t.Helper()
	cloud, c := minicloud.NewTest(t)
	client := sfn.New(sfn.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(minicloud.Endpoint),
		HTTPClient:   cloud.HTTPClient(),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})
	advance := func(d time.Duration) {
		t.Helper()
		if err := c.BlockUntil(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		c.Advance(d)
	}
	return client, cloud, advance
}

// createDouble makes a Lambda function in Go on the account and returns
// its ARN, which a Task state names as its Resource.
func createDouble(t *testing.T, cloud *minicloud.Cloud) string {
	t.Helper()
	type in struct {
		N int `json:"n"`
	}
	fn, err := cloud.Lambda.CreateFunction(context.Background(), &lambda.CreateFunctionInput{FunctionName: "double",
		Handler: lambda.Handler(func(v in) (in, error) { return in{N: 2 * v.N}, nil })})
	if err != nil {
		t.Fatal(err)
	}
	return fn.FunctionArn
}

const sfnRole = "arn:aws:iam::123456789012:role/sfn"

// TestSFN_StandardExecutionThroughTheSDK runs a Standard state machine
// (a Wait, then a Task on the account's Lambda function) entirely through
// aws-sdk-go-v2/service/sfn.
func TestSFN_StandardExecutionThroughTheSDK(t *testing.T) {
	client, cloud, advance := newSFNClient(t)
	ctx := context.Background()
	fnArn := createDouble(t, cloud)
	def := fmt.Sprintf(`{"StartAt":"Pause","States":{
		"Pause":{"Type":"Wait","Seconds":60,"Next":"Double"},
		"Double":{"Type":"Task","Resource":%q,"End":true}}}`, fnArn)
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("doubler"), Definition: aws.String(def), RoleArn: aws.String(sfnRole)})
	if err != nil {
		t.Fatal(err)
	}
	if !created.CreationDate.Equal(minicloud.TestEpoch) {
		t.Errorf("CreationDate %v", created.CreationDate)
	}
	started, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("run-1"), Input: aws.String(`{"n":21}`)})
	if err != nil {
		t.Fatal(err)
	}
	running, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if running.Status != types.ExecutionStatusRunning || running.StopDate != nil || running.Output != nil {
		t.Fatalf("before the Wait ends: %s stop %v output %v", running.Status, running.StopDate, running.Output)
	}

	advance(60 * time.Second)
	// The Task runs on the execution's goroutine: wait for it natively,
	// then read the result through the SDK.
	if _, err := cloud.StepFunctions.WaitExecution(ctx, *started.ExecutionArn); err != nil {
		t.Fatal(err)
	}
	done, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: started.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if done.Status != types.ExecutionStatusSucceeded || aws.ToString(done.Output) != `{"n":42}` ||
		!done.StopDate.Equal(minicloud.TestEpoch.Add(60*time.Second)) || *done.Name != "run-1" {
		t.Fatalf("after the Wait: %s output %s stop %v", done.Status, aws.ToString(done.Output), done.StopDate)
	}

	var events []types.HistoryEvent
	pages := sfn.NewGetExecutionHistoryPaginator(client, &sfn.GetExecutionHistoryInput{ExecutionArn: started.ExecutionArn, MaxResults: 3})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(page.Events) > 3 {
			t.Fatalf("a page of %d events, asked for 3", len(page.Events))
		}
		events = append(events, page.Events...)
	}
	var kinds []types.HistoryEventType
	for i, ev := range events {
		if ev.Id != int64(i+1) {
			t.Errorf("event %d has id %d", i, ev.Id)
		}
		kinds = append(kinds, ev.Type)
	}
	want := []types.HistoryEventType{"ExecutionStarted", "WaitStateEntered", "WaitStateExited", "TaskStateEntered",
		"LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited", "ExecutionSucceeded"}
	if !slices.Equal(kinds, want) {
		t.Fatalf("history %v\nwant     %v", kinds, want)
	}
	if d := events[0].ExecutionStartedEventDetails; d == nil || aws.ToString(d.Input) != `{"n":21}` || aws.ToString(d.RoleArn) != sfnRole {
		t.Errorf("ExecutionStarted details %+v", d)
	}
	if d := events[4].LambdaFunctionScheduledEventDetails; d == nil || aws.ToString(d.Resource) != fnArn {
		t.Errorf("LambdaFunctionScheduled details %+v", d)
	}
	if d := events[6].LambdaFunctionSucceededEventDetails; d == nil || aws.ToString(d.Output) != `{"n":42}` {
		t.Errorf("LambdaFunctionSucceeded details %+v", d)
	}
	if !events[1].Timestamp.Equal(minicloud.TestEpoch) || !events[2].Timestamp.Equal(minicloud.TestEpoch.Add(time.Minute)) {
		t.Errorf("Wait timestamps %v, %v", events[1].Timestamp, events[2].Timestamp)
	}

	// A used name is refused once the execution has closed.
	_, err = client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("run-1"), Input: aws.String(`{"n":1}`)})
	var exists *types.ExecutionAlreadyExists
	if !errors.As(err, &exists) {
		t.Errorf("reused name: %v", err)
	}

	second, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: created.StateMachineArn, Name: aws.String("run-2")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.StopExecution(ctx, &sfn.StopExecutionInput{ExecutionArn: second.ExecutionArn, Error: aws.String("Operator"), Cause: aws.String("no longer needed")}); err != nil {
		t.Fatal(err)
	}
	stopped, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: second.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if stopped.Status != types.ExecutionStatusAborted || aws.ToString(stopped.Error) != "Operator" || aws.ToString(stopped.Cause) != "no longer needed" {
		t.Errorf("stopped: %s %s %s", stopped.Status, aws.ToString(stopped.Error), aws.ToString(stopped.Cause))
	}

	listed, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: created.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]types.ExecutionStatus{}
	for _, e := range listed.Executions {
		got[aws.ToString(e.Name)] = e.Status
	}
	if len(got) != 2 || got["run-1"] != types.ExecutionStatusSucceeded || got["run-2"] != types.ExecutionStatusAborted {
		t.Errorf("listed %v", got)
	}
	succeeded, err := client.ListExecutions(ctx, &sfn.ListExecutionsInput{StateMachineArn: created.StateMachineArn, StatusFilter: types.ExecutionStatusSucceeded})
	if err != nil || len(succeeded.Executions) != 1 {
		t.Errorf("filtered list: %v, %v", succeeded, err)
	}
}

// TestSFN_TypedErrorsThroughTheSDK checks that the SDK turns each error
// into its typed error.
func TestSFN_TypedErrorsThroughTheSDK(t *testing.T) {
	client, _, _ := newSFNClient(t)
	ctx := context.Background()
	_, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:missing")})
	var missing *types.StateMachineDoesNotExist
	if !errors.As(err, &missing) {
		t.Errorf("missing state machine: %v", err)
	}
	_, err = client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("bad"), RoleArn: aws.String(sfnRole),
		Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}`)})
	var invalid *types.InvalidDefinition
	if !errors.As(err, &invalid) || invalid.ErrorCode() != "InvalidDefinition" {
		t.Errorf("bad definition: %v", err)
	}
	_, err = client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: aws.String("arn:aws:states:us-east-1:123456789012:execution:m:none")})
	var noExec *types.ExecutionDoesNotExist
	if !errors.As(err, &noExec) {
		t.Errorf("missing execution: %v", err)
	}
	_, err = client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String("not-an-arn")})
	var badArn *types.InvalidArn
	if !errors.As(err, &badArn) {
		t.Errorf("bad ARN: %v", err)
	}
	standard, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("slow"), RoleArn: aws.String(sfnRole),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`)})
	if err != nil {
		t.Fatal(err)
	}
	_, err = client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: standard.StateMachineArn})
	var notSupported *types.StateMachineTypeNotSupported
	if !errors.As(err, &notSupported) {
		t.Errorf("StartSyncExecution of a Standard machine: %v", err)
	}
	out, err := client.ValidateStateMachineDefinition(ctx, &sfn.ValidateStateMachineDefinitionInput{Definition: aws.String(`{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"Nowhere"}}}`)})
	if err != nil || out.Result != types.ValidateStateMachineDefinitionResultCodeFail || len(out.Diagnostics) == 0 ||
		out.Diagnostics[0].Severity != types.ValidateStateMachineDefinitionSeverityError || aws.ToString(out.Diagnostics[0].Code) == "" {
		t.Errorf("validate: %+v, %v", out, err)
	}
}

// TestSFN_StartSyncExecutionOfAnExpressMachine runs an Express state
// machine whose Task is the account's Lambda function, synchronously.
func TestSFN_StartSyncExecutionOfAnExpressMachine(t *testing.T) {
	client, cloud, _ := newSFNClient(t)
	ctx := context.Background()
	fnArn := createDouble(t, cloud)
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("quick"), RoleArn: aws.String(sfnRole),
		Type:       types.StateMachineTypeExpress,
		Definition: aws.String(fmt.Sprintf(`{"StartAt":"Double","States":{"Double":{"Type":"Task","Resource":%q,"End":true}}}`, fnArn))})
	if err != nil {
		t.Fatal(err)
	}
	out, err := client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: created.StateMachineArn, Input: aws.String(`{"n":4}`)})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != types.SyncExecutionStatusSucceeded || aws.ToString(out.Output) != `{"n":8}` || aws.ToString(out.StateMachineArn) != *created.StateMachineArn {
		t.Errorf("sync: %s %s", out.Status, aws.ToString(out.Output))
	}
	described, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: created.StateMachineArn})
	if err != nil || described.Type != types.StateMachineTypeExpress {
		t.Errorf("describe: %+v, %v", described, err)
	}
	// Express executions keep no history in Step Functions. The SDK does
	// not model StateMachineTypeNotSupported for DescribeExecution, so it
	// arrives as a generic API error with that code.
	_, err = client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: out.ExecutionArn})
	var unsupported smithy.APIError
	if !errors.As(err, &unsupported) || unsupported.ErrorCode() != "StateMachineTypeNotSupported" {
		t.Errorf("describing an Express execution: %v", err)
	}
}
