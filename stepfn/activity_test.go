package stepfn

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/minicloud/minicloud/clock"
)

func mustActivity(t *testing.T, s *Service, name string) string {
	t.Helper()
	out, err := s.CreateActivity(context.Background(), &CreateActivityInput{Name: name})
	if err != nil {
		t.Fatalf("CreateActivity %s: %v", name, err)
	}
	return out.ActivityArn
}

func activityDef(arn, extra string) string {
	return fmt.Sprintf(`{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":%q%s,"End":true}}}`, arn, extra)
}

func eventTypes(t *testing.T, s *Service, exec string) []string {
	t.Helper()
	var out []string
	for _, ev := range allEvents(t, s, exec) {
		out = append(out, ev.Type)
	}
	return out
}

func TestActivity_CreateDescribeListDelete(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c, Limits: Limits{MaxActivities: 3}})
	arn := mustActivity(t, s, "resize")
	if arn != "arn:aws:states:us-east-1:123456789012:activity:resize" {
		t.Fatalf("arn %s", arn)
	}
	c.Advance(time.Hour)
	again, err := s.CreateActivity(ctx, &CreateActivityInput{Name: "resize"})
	if err != nil || again.ActivityArn != arn || !again.CreationDate.Equal(epoch) {
		t.Fatalf("CreateActivity again = %+v, %v; want the existing activity", again, err)
	}
	mustActivity(t, s, "archive")
	mustActivity(t, s, "crop")
	_, err = s.CreateActivity(ctx, &CreateActivityInput{Name: "one-too-many"})
	wantCode(t, err, "ActivityLimitExceeded")
	_, err = s.CreateActivity(ctx, &CreateActivityInput{Name: "bad name"})
	wantCode(t, err, "InvalidName")

	d, err := s.DescribeActivity(ctx, arn)
	if err != nil || d.Name != "resize" || d.ActivityArn != arn || !d.CreationDate.Equal(epoch) {
		t.Fatalf("DescribeActivity = %+v, %v", d, err)
	}
	_, err = s.DescribeActivity(ctx, arn+"x")
	wantCode(t, err, "ActivityDoesNotExist")
	_, err = s.DescribeActivity(ctx, "arn:aws:states:us-east-1:123456789012:stateMachine:resize")
	wantCode(t, err, "InvalidArn")

	page, err := s.ListActivities(ctx, &ListActivitiesInput{MaxResults: 2})
	if err != nil || len(page.Activities) != 2 || page.Activities[0].Name != "archive" || page.Activities[1].Name != "crop" || page.NextToken == "" {
		t.Fatalf("ListActivities page 1 = %+v, %v", page, err)
	}
	page, err = s.ListActivities(ctx, &ListActivitiesInput{MaxResults: 2, NextToken: page.NextToken})
	if err != nil || len(page.Activities) != 1 || page.Activities[0].Name != "resize" || page.NextToken != "" {
		t.Fatalf("ListActivities page 2 = %+v, %v", page, err)
	}
	_, err = s.ListActivities(ctx, &ListActivitiesInput{NextToken: "nonsense"})
	wantCode(t, err, "InvalidToken")

	if err := s.DeleteActivity(ctx, arn); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteActivity(ctx, arn); err != nil {
		t.Fatalf("deleting a deleted activity: %v", err)
	}
	_, err = s.DescribeActivity(ctx, arn)
	wantCode(t, err, "ActivityDoesNotExist")
	_, err = s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn})
	wantCode(t, err, "ActivityDoesNotExist")
}

func TestGetActivityTask_LongPollsSixtySecondsOnTheClock(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	arn := mustActivity(t, s, "idle")
	got := make(chan *GetActivityTaskOutput, 1)
	go func() {
		out, err := s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn, WorkerName: "w1"})
		if err != nil {
			t.Error(err)
		}
		got <- out
	}()
	c.BlockUntil(ctx, 1)
	c.Advance(59 * time.Second)
	select {
	case out := <-got:
		t.Fatalf("answered after 59 s: %+v", out)
	default:
	}
	c.Advance(time.Second)
	if out := <-got; out.TaskToken != "" || out.Input != "" {
		t.Fatalf("empty poll answered %+v", out)
	}

	cctx, cancel := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() {
		_, err := s.GetActivityTask(cctx, &GetActivityTaskInput{ActivityArn: arn})
		errc <- err
	}()
	c.BlockUntil(ctx, 1)
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled poll: %v", err)
	}

	_, err := s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn, WorkerName: string(make([]byte, 81))})
	wantCode(t, err, "ValidationException")
}

func TestGetActivityTask_WorkerLimit(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c, Limits: Limits{MaxActivityPollers: 1}})
	arn := mustActivity(t, s, "busy")
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn})
	}()
	c.BlockUntil(ctx, 1)
	_, err := s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn})
	wantCode(t, err, "ActivityWorkerLimitExceeded")
	if err := s.DeleteActivity(ctx, arn); err != nil {
		t.Fatal(err)
	}
	<-done // deleting the activity answers its pollers
}

func TestActivity_WorkerCompletesTheTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s := newTestService(t, Options{})
		arn := mustActivity(t, s, "resize")
		sm := mustCreate(t, s, "images", activityDef(arn, `,"Parameters":{"key.$":"$.key","w":64},"ResultPath":"$.thumb","HeartbeatSeconds":30`), "")
		ex := mustStart(t, s, sm, "img-1", `{"key":"cat.png"}`)

		task, err := s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn, WorkerName: "resizer-1"})
		if err != nil || task.TaskToken == "" {
			t.Fatalf("GetActivityTask = %+v, %v", task, err)
		}
		if task.Input != `{"key":"cat.png","w":64}` {
			t.Fatalf("input %s", task.Input)
		}
		for range 3 {
			time.Sleep(20 * time.Second)
			if _, err := s.SendTaskHeartbeat(ctx, &SendTaskHeartbeatInput{TaskToken: task.TaskToken}); err != nil {
				t.Fatalf("heartbeat: %v", err)
			}
		}
		if _, err := s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: task.TaskToken, Output: `{"key":"cat-64.png"}`}); err != nil {
			t.Fatal(err)
		}
		d, err := s.WaitExecution(ctx, ex)
		if err != nil || d.Status != StatusSucceeded || d.Output != `{"key":"cat.png","thumb":{"key":"cat-64.png"}}` {
			t.Fatalf("execution %+v, %v", d, err)
		}
		want := []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "ExecutionSucceeded"}
		if got := eventTypes(t, s, ex); !slices.Equal(got, want) {
			t.Fatalf("events %v, want %v", got, want)
		}
		events := allEvents(t, s, ex)
		if w := events[3].ActivityStartedEventDetails; w == nil || w.WorkerName != "resizer-1" {
			t.Errorf("ActivityStarted details %+v", w)
		}
		if d := events[2].ActivityScheduledEventDetails; d == nil || d.Resource != arn || d.HeartbeatInSeconds != 30 || d.Input != `{"key":"cat.png","w":64}` {
			t.Errorf("ActivityScheduled details %+v", d)
		}
		_, err = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: task.TaskToken, Output: `{}`})
		wantCode(t, err, "TaskTimedOut")
	})
}

func TestActivity_FailuresRetriesAndTimeouts(t *testing.T) {
	for _, tc := range []struct {
		name   string
		extra  string
		worker func(t *testing.T, s *Service, arn string)
		status string
		error  string
		events []string
	}{
		{
			name:  "SendTaskFailureIsCaught",
			extra: `,"Catch":[{"ErrorEquals":["Image.TooBig"],"Next":"Done"}]`,
			worker: func(t *testing.T, s *Service, arn string) {
				task := poll(t, s, arn)
				if _, err := s.SendTaskFailure(context.Background(), &SendTaskFailureInput{TaskToken: task.TaskToken, Error: "Image.TooBig", Cause: "9 MB"}); err != nil {
					t.Error(err)
				}
			},
			status: StatusSucceeded,
			events: []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivityFailed", "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"},
		},
		{
			name:  "RetryGetsANewTaskAndToken",
			extra: `,"Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":5}],"Next":"Done"`,
			worker: func(t *testing.T, s *Service, arn string) {
				first := poll(t, s, arn)
				_, _ = s.SendTaskFailure(context.Background(), &SendTaskFailureInput{TaskToken: first.TaskToken, Error: "Flaky"})
				second := poll(t, s, arn)
				if second.TaskToken == first.TaskToken {
					t.Error("a retry reused the task token")
				}
				_, _ = s.SendTaskSuccess(context.Background(), &SendTaskSuccessInput{TaskToken: second.TaskToken, Output: `"ok"`})
			},
			status: StatusSucceeded,
			events: []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivityFailed", "ActivityScheduled", "ActivityStarted", "ActivitySucceeded", "TaskStateExited", "PassStateEntered", "PassStateExited", "ExecutionSucceeded"},
		},
		{
			name:  "SilentWorkerMissesItsHeartbeat",
			extra: `,"HeartbeatSeconds":10,"Next":"Done"`,
			worker: func(t *testing.T, s *Service, arn string) {
				poll(t, s, arn)
			},
			status: StatusFailed, error: ErrorHeartbeatTimeout,
			events: []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityStarted", "ActivityTimedOut", "ExecutionFailed"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s := newTestService(t, Options{})
				arn := mustActivity(t, s, "resize")
				def := fmt.Sprintf(`{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":%q%s},"Done":{"Type":"Pass","End":true}}}`, arn, tc.extra)
				if tc.name == "SendTaskFailureIsCaught" {
					def = fmt.Sprintf(`{"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":%q%s,"End":true},"Done":{"Type":"Pass","End":true}}}`, arn, tc.extra)
				}
				sm := mustCreate(t, s, "m", def, "")
				ex := mustStart(t, s, sm, "run", `{}`)
				tc.worker(t, s, arn)
				d, err := s.WaitExecution(context.Background(), ex)
				if err != nil || d.Status != tc.status || d.Error != tc.error {
					t.Fatalf("execution %+v, %v", d, err)
				}
				if got := eventTypes(t, s, ex); !slices.Equal(got, tc.events) {
					t.Fatalf("events %v\nwant   %v", got, tc.events)
				}
			})
		})
	}
}

func TestActivity_TimeoutsCountFromActivityStarted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s := newTestService(t, Options{})
		arn := mustActivity(t, s, "resize")
		sm := mustCreate(t, s, "m", activityDef(arn, `,"TimeoutSeconds":30,"HeartbeatSeconds":20`), "")
		ex := mustStart(t, s, sm, "run", `{}`)
		// No worker for ten minutes: the Task is still waiting, as on
		// AWS, where TimeoutSeconds and HeartbeatSeconds start when a
		// worker takes the task.
		time.Sleep(10 * time.Minute)
		task := poll(t, s, arn)
		time.Sleep(15 * time.Second)
		if _, err := s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: task.TaskToken, Output: `"done"`}); err != nil {
			t.Fatal(err)
		}
		d, _ := s.WaitExecution(ctx, ex)
		if d.Status != StatusSucceeded || d.StopDate.Sub(d.StartDate) != 10*time.Minute+15*time.Second {
			t.Fatalf("execution %+v", d)
		}
	})
}

func TestActivity_NoWorkerWaitsUntilTheExecutionTimesOut(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newTestService(t, Options{})
		arn := mustActivity(t, s, "resize")
		def := `{"TimeoutSeconds":300,"StartAt":"Work","States":{"Work":{"Type":"Task","Resource":"` + arn + `","TimeoutSeconds":10,"End":true}}}`
		sm := mustCreate(t, s, "m", def, "")
		ex := mustStart(t, s, sm, "run", `{}`)
		d, _ := s.WaitExecution(context.Background(), ex)
		if d.Status != StatusTimedOut || d.StopDate.Sub(d.StartDate) != 300*time.Second {
			t.Fatalf("execution %+v", d)
		}
		want := []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ExecutionTimedOut"}
		if got := eventTypes(t, s, ex); !slices.Equal(got, want) {
			t.Fatalf("events %v", got)
		}
		// The timed-out execution's task is no longer handed out.
		out, err := s.GetActivityTask(context.Background(), &GetActivityTaskInput{ActivityArn: arn})
		if err != nil || out.TaskToken != "" {
			t.Fatalf("GetActivityTask = %+v, %v", out, err)
		}
	})
}

func poll(t *testing.T, s *Service, arn string) *GetActivityTaskOutput {
	t.Helper()
	task, err := s.GetActivityTask(context.Background(), &GetActivityTaskInput{ActivityArn: arn, WorkerName: "w"})
	if err != nil || task.TaskToken == "" {
		t.Fatalf("GetActivityTask = %+v, %v", task, err)
	}
	return task
}

func TestActivity_MissingActivityFailsTheTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s := newTestService(t, Options{})
		arn := "arn:aws:states:us-east-1:123456789012:activity:nobody"
		sm := mustCreate(t, s, "m", activityDef(arn, ""), "")
		ex := mustStart(t, s, sm, "run", `{}`)
		d, _ := s.WaitExecution(context.Background(), ex)
		if d.Status != StatusFailed || d.Error != "ActivityDoesNotExist" {
			t.Fatalf("execution %+v", d)
		}
		want := []string{"ExecutionStarted", "TaskStateEntered", "ActivityScheduled", "ActivityScheduleFailed", "ExecutionFailed"}
		if got := eventTypes(t, s, ex); !slices.Equal(got, want) {
			t.Fatalf("events %v", got)
		}
	})
}

func TestActivity_StopTakesBackTheQueuedTask(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s := newTestService(t, Options{})
		arn := mustActivity(t, s, "resize")
		sm := mustCreate(t, s, "m", activityDef(arn, ""), "")
		ex := mustStart(t, s, sm, "run", `{}`)
		synctest.Wait()
		if _, err := s.StopExecution(ctx, &StopExecutionInput{ExecutionArn: ex}); err != nil {
			t.Fatal(err)
		}
		got := make(chan *GetActivityTaskOutput, 1)
		go func() {
			out, _ := s.GetActivityTask(ctx, &GetActivityTaskInput{ActivityArn: arn})
			got <- out
		}()
		time.Sleep(activityPollTime)
		if out := <-got; out.TaskToken != "" {
			t.Fatalf("a stopped execution's task was handed out: %+v", out)
		}
	})
}

func TestActivity_ExpressRejectsActivities(t *testing.T) {
	s := newTestService(t, Options{})
	arn := mustActivity(t, s, "resize")
	_, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "x", Definition: activityDef(arn, ""), RoleArn: "arn:aws:iam::123456789012:role/r", Type: TypeExpress})
	wantCode(t, err, "InvalidDefinition")
}
