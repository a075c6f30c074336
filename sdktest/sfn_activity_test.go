package sdktest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"

	"github.com/minicloud/minicloud"
)

// TestSFN_ActivityWorkerThroughTheSDK runs an activity worker written
// against aws-sdk-go-v2/service/sfn: it long-polls GetActivityTask,
// heartbeats and answers SendTaskSuccess, while a Standard execution's
// Task waits on the activity.
func TestSFN_ActivityWorkerThroughTheSDK(t *testing.T) {
	client, cloud, advance := newSFNClient(t)
	ctx := context.Background()
	act, err := client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("resize")})
	if err != nil {
		t.Fatal(err)
	}
	if !act.CreationDate.Equal(minicloud.TestEpoch) {
		t.Errorf("CreationDate %v", act.CreationDate)
	}
	desc, err := client.DescribeActivity(ctx, &sfn.DescribeActivityInput{ActivityArn: act.ActivityArn})
	if err != nil || aws.ToString(desc.Name) != "resize" {
		t.Fatalf("DescribeActivity = %+v, %v", desc, err)
	}
	list, err := client.ListActivities(ctx, &sfn.ListActivitiesInput{})
	if err != nil || len(list.Activities) != 1 || aws.ToString(list.Activities[0].ActivityArn) != aws.ToString(act.ActivityArn) {
		t.Fatalf("ListActivities = %+v, %v", list, err)
	}

	def := fmt.Sprintf(`{"StartAt":"Resize","States":{"Resize":{"Type":"Task","Resource":%q,
		"HeartbeatSeconds":30,"TimeoutSeconds":600,"ResultPath":"$.thumb","End":true}}}`, aws.ToString(act.ActivityArn))
	sm, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("images"), Definition: aws.String(def), RoleArn: aws.String(sfnRole)})
	if err != nil {
		t.Fatal(err)
	}
	run, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: aws.String(`{"key":"cat.png"}`)})
	if err != nil {
		t.Fatal(err)
	}

	task, err := client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn, WorkerName: aws.String("resizer-1")})
	if err != nil || aws.ToString(task.TaskToken) == "" || aws.ToString(task.Input) != `{"key":"cat.png"}` {
		t.Fatalf("GetActivityTask = %+v, %v", task, err)
	}
	advance(20 * time.Second)
	if _, err := client.SendTaskHeartbeat(ctx, &sfn.SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
		t.Fatal(err)
	}
	advance(20 * time.Second)
	if _, err := client.SendTaskSuccess(ctx, &sfn.SendTaskSuccessInput{TaskToken: task.TaskToken, Output: aws.String(`{"key":"cat-64.png"}`)}); err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.StepFunctions.WaitExecution(ctx, aws.ToString(run.ExecutionArn)); err != nil {
		t.Fatal(err)
	}
	done, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: run.ExecutionArn})
	if err != nil || done.Status != types.ExecutionStatusSucceeded || aws.ToString(done.Output) != `{"key":"cat.png","thumb":{"key":"cat-64.png"}}` {
		t.Fatalf("DescribeExecution = %s %s %s, %v", done.Status, aws.ToString(done.Error), aws.ToString(done.Cause), err)
	}
	hist, err := client.GetExecutionHistory(ctx, &sfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	var kinds []types.HistoryEventType
	for _, ev := range hist.Events {
		kinds = append(kinds, ev.Type)
		switch ev.Type {
		case types.HistoryEventTypeActivityScheduled:
			d := ev.ActivityScheduledEventDetails
			if d == nil || aws.ToString(d.Resource) != aws.ToString(act.ActivityArn) || aws.ToInt64(d.HeartbeatInSeconds) != 30 || aws.ToInt64(d.TimeoutInSeconds) != 600 {
				t.Errorf("ActivityScheduled details %+v", d)
			}
		case types.HistoryEventTypeActivityStarted:
			if d := ev.ActivityStartedEventDetails; d == nil || aws.ToString(d.WorkerName) != "resizer-1" {
				t.Errorf("ActivityStarted details %+v", d)
			}
		case types.HistoryEventTypeActivitySucceeded:
			if d := ev.ActivitySucceededEventDetails; d == nil || aws.ToString(d.Output) != `{"key":"cat-64.png"}` {
				t.Errorf("ActivitySucceeded details %+v", d)
			}
		}
	}
	want := []types.HistoryEventType{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"}
	if !slices.Equal(kinds, want) {
		t.Errorf("events %v, want %v", kinds, want)
	}

	// With no task queued the poll holds for 60 s and answers a null token.
	empty := make(chan *sfn.GetActivityTaskOutput, 1)
	go func() {
		out, err := client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
		if err != nil {
			t.Error(err)
		}
		empty <- out
	}()
	advance(60 * time.Second)
	if out := <-empty; out == nil || out.TaskToken != nil || out.Input != nil {
		t.Errorf("empty poll = %+v", out)
	}

	if _, err := client.DeleteActivity(ctx, &sfn.DeleteActivityInput{ActivityArn: act.ActivityArn}); err != nil {
		t.Fatal(err)
	}
	_, err = client.GetActivityTask(ctx, &sfn.GetActivityTaskInput{ActivityArn: act.ActivityArn})
	var missing *types.ActivityDoesNotExist
	if !errors.As(err, &missing) {
		t.Fatalf("GetActivityTask on a deleted activity: %v", err)
	}
}
