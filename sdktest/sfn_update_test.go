package sdktest

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
)

// TestSFN_UpdateStateMachineThroughTheSDK changes a state machine's
// definition, role, logging and tracing with the real client: new
// executions run the new definition, and the client decodes AWS's errors
// as its typed exceptions.
func TestSFN_UpdateStateMachineThroughTheSDK(t *testing.T) {
	client, _, _ := newSFNClient(t)
	ctx := context.Background()
	oldDef := `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"old","End":true}}}`
	newDef := `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"new","End":true}}}`
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("upd"), Definition: aws.String(oldDef),
		RoleArn: aws.String(sfnRole), Type: types.StateMachineTypeExpress})
	if err != nil {
		t.Fatal(err)
	}
	logGroup := "arn:aws:logs:us-east-1:123456789012:log-group:sfn:*"
	out, err := client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{
		StateMachineArn: created.StateMachineArn, Definition: aws.String(newDef), RoleArn: aws.String("arn:aws:iam::123456789012:role/v2"),
		LoggingConfiguration: &types.LoggingConfiguration{Level: types.LogLevelAll, IncludeExecutionData: true,
			Destinations: []types.LogDestination{{CloudWatchLogsLogGroup: &types.CloudWatchLogsLogGroup{LogGroupArn: aws.String(logGroup)}}}},
		TracingConfiguration: &types.TracingConfiguration{Enabled: true},
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.UpdateDate == nil || len(aws.ToString(out.RevisionId)) != 36 || out.StateMachineVersionArn != nil {
		t.Fatalf("update output: date %v revision %v version %v", out.UpdateDate, out.RevisionId, out.StateMachineVersionArn)
	}
	d, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: created.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d.Definition) != newDef || aws.ToString(d.RoleArn) != "arn:aws:iam::123456789012:role/v2" ||
		aws.ToString(d.RevisionId) != aws.ToString(out.RevisionId) || d.TracingConfiguration == nil || !d.TracingConfiguration.Enabled ||
		d.LoggingConfiguration == nil || d.LoggingConfiguration.Level != types.LogLevelAll || len(d.LoggingConfiguration.Destinations) != 1 ||
		aws.ToString(d.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn) != logGroup {
		t.Fatalf("describe after update: %+v", d)
	}
	run, err := client.StartSyncExecution(ctx, &sfn.StartSyncExecutionInput{StateMachineArn: created.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(run.Output) != `"new"` {
		t.Fatalf("execution after update: output %s", aws.ToString(run.Output))
	}

	_, err = client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: created.StateMachineArn})
	var missing *types.MissingRequiredParameter
	if !errors.As(err, &missing) {
		t.Errorf("nothing to change: %v", err)
	}
	_, err = client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: created.StateMachineArn,
		LoggingConfiguration: &types.LoggingConfiguration{Level: types.LogLevelError}})
	var badLogging *types.InvalidLoggingConfiguration
	if !errors.As(err, &badLogging) {
		t.Errorf("logging without a destination: %v", err)
	}
	_, err = client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: created.StateMachineArn, Definition: aws.String(`{"StartAt":"Nowhere","States":{}}`)})
	var badDef *types.InvalidDefinition
	if !errors.As(err, &badDef) {
		t.Errorf("invalid definition: %v", err)
	}
	_, err = client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: aws.String("arn:aws:states:us-east-1:123456789012:stateMachine:nope"), Definition: aws.String(newDef)})
	var notFound *types.StateMachineDoesNotExist
	if !errors.As(err, &notFound) {
		t.Errorf("unknown machine: %v", err)
	}
}
