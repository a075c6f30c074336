package stepfn

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/internal/awserr"
)

// approvalDef hands its task token to an SNS-like resource and waits.
const approvalDef = `{"StartAt":"Approve","States":{"Approve":{"Type":"Task",
 "Resource":"arn:aws:states:::sns:publish.waitForTaskToken","HeartbeatSeconds":60,
 "Parameters":{"Message":"approve?","TaskToken.$":"$$.Task.Token"},"End":true}}}`

// tokenInbox is a resource that hands each task token it is given to the
// test, as a person's mailbox would.
func tokenInbox(s *Service) chan string {
	inbox := make(chan string, 4)
	s.RegisterResource("arn:aws:states:::sns:publish", ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		var in struct{ TaskToken string }
		if err := json.Unmarshal(input, &in); err != nil {
			return nil, err
		}
		inbox <- in.TaskToken
		return []byte(`{"MessageId":"m-1"}`), nil
	}))
	return inbox
}

func TestSendTask_TokenAnswersAsAWSDoes(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	inbox := tokenInbox(s)
	sm := mustCreate(t, s, "approval", approvalDef, "")
	ex := mustStart(t, s, sm, "order-1", `{}`)
	token := <-inbox

	// Heartbeats keep the Task alive past HeartbeatSeconds.
	for range 3 {
		c.BlockUntil(ctx, 1)
		c.Advance(50 * time.Second)
		if _, err := s.SendTaskHeartbeat(ctx, &SendTaskHeartbeatInput{TaskToken: token}); err != nil {
			t.Fatalf("SendTaskHeartbeat: %v", err)
		}
	}
	_, err := s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token, Output: `not json`})
	wantCode(t, err, "InvalidOutput")
	_, err = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token})
	wantCode(t, err, "ValidationException")
	if _, err := s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token, Output: `{"approved":true}`}); err != nil {
		t.Fatalf("SendTaskSuccess: %v", err)
	}
	d, err := s.WaitExecution(ctx, ex)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusSucceeded || d.Output != `{"approved":true}` {
		t.Fatalf("execution %s with output %s", d.Status, d.Output)
	}

	// A token works once: its Task has ended.
	_, err = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token, Output: `{}`})
	wantCode(t, err, "TaskTimedOut")
	if !strings.Contains(err.Error(), "Provided task does not exist anymore") {
		t.Errorf("message %q", err)
	}
	_, err = s.SendTaskFailure(ctx, &SendTaskFailureInput{TaskToken: token, Error: "X"})
	wantCode(t, err, "TaskTimedOut")
	_, err = s.SendTaskHeartbeat(ctx, &SendTaskHeartbeatInput{TaskToken: token})
	wantCode(t, err, "TaskTimedOut")

	for _, tc := range []struct {
		name, token, code string
	}{
		{"empty", "", "ValidationException"},
		{"too long", strings.Repeat("a", 2049), "ValidationException"},
		{"not a token", "hello!", "InvalidToken"},
		{"token of an unknown execution", s.newTaskToken("arn:aws:states:us-east-1:123456789012:execution:approval:nobody"), "TaskDoesNotExist"},
	} {
		_, err := s.SendTaskHeartbeat(ctx, &SendTaskHeartbeatInput{TaskToken: tc.token})
		if got := awserr.Code(err); got != tc.code {
			t.Errorf("%s: code %s (%v), want %s", tc.name, got, err, tc.code)
		}
	}
	_, err = s.SendTaskFailure(ctx, &SendTaskFailureInput{TaskToken: token, Error: strings.Repeat("e", 257)})
	wantCode(t, err, "ValidationException")
	_, err = s.SendTaskFailure(ctx, &SendTaskFailureInput{TaskToken: token, Cause: strings.Repeat("c", 32769)})
	wantCode(t, err, "ValidationException")

	// Once the execution is past its 90 days of retention, the token
	// names nothing.
	c.Advance(91 * 24 * time.Hour)
	_, err = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token, Output: `{}`})
	wantCode(t, err, "TaskDoesNotExist")
}

func TestSendTask_TokenOfTimedOutTaskIsTaskTimedOut(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	inbox := tokenInbox(s)
	sm := mustCreate(t, s, "approval", approvalDef, "")
	ex := mustStart(t, s, sm, "late", `{}`)
	token := <-inbox
	c.BlockUntil(ctx, 1)
	c.Advance(61 * time.Second)
	d, err := s.WaitExecution(ctx, ex)
	if err != nil {
		t.Fatal(err)
	}
	if d.Status != StatusFailed || d.Error != ErrorHeartbeatTimeout {
		t.Fatalf("execution %s %s, want FAILED States.HeartbeatTimeout", d.Status, d.Error)
	}
	_, err = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: token, Output: `{}`})
	wantCode(t, err, "TaskTimedOut")
}

func TestSendTask_HistoryRecordsSubmittedAndTheTokenInParameters(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	inbox := tokenInbox(s)
	sm := mustCreate(t, s, "approval", approvalDef, "")
	ex := mustStart(t, s, sm, "h", `{}`)
	token := <-inbox
	if _, err := s.SendTaskFailure(ctx, &SendTaskFailureInput{TaskToken: token, Error: "Rejected", Cause: "no budget"}); err != nil {
		t.Fatal(err)
	}
	d, err := s.WaitExecution(ctx, ex)
	if err != nil {
		t.Fatal(err)
	}
	if d.Error != "Rejected" || d.Cause != "no budget" {
		t.Fatalf("error %q cause %q", d.Error, d.Cause)
	}
	h, err := s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: ex})
	if err != nil {
		t.Fatal(err)
	}
	var sched *TaskScheduledEventDetails
	var sub *TaskSubmittedEventDetails
	var failed *TaskFailedEventDetails
	for _, ev := range h.Events {
		if ev.TaskScheduledEventDetails != nil {
			sched = ev.TaskScheduledEventDetails
		}
		if ev.TaskSubmittedEventDetails != nil {
			sub = ev.TaskSubmittedEventDetails
		}
		if ev.TaskFailedEventDetails != nil {
			failed = ev.TaskFailedEventDetails
		}
	}
	if sched == nil || sched.Resource != "publish.waitForTaskToken" || sched.ResourceType != "sns" || !strings.Contains(sched.Parameters, token) || sched.HeartbeatInSeconds != 60 {
		t.Errorf("TaskScheduled %+v", sched)
	}
	if sub == nil || sub.Output != `{"MessageId":"m-1"}` || sub.Resource != "publish.waitForTaskToken" {
		t.Errorf("TaskSubmitted %+v", sub)
	}
	if failed == nil || failed.Error != "Rejected" || failed.Cause != "no budget" {
		t.Errorf("TaskFailed %+v", failed)
	}
}

func TestSendTask_ExpressRejectsCallbacks(t *testing.T) {
	s := newTestService(t, Options{})
	_, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "x", Definition: approvalDef, RoleArn: testRole, Type: TypeExpress})
	wantCode(t, err, "InvalidDefinition")
}

func TestNestedSync_TaskTimeoutStopsTheChild(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s := New(Options{})
		defer s.Close()
		child := mustCreate(t, s, "child", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":600,"End":true}}}`, "")
		parent := mustCreate(t, s, "parent", `{"StartAt":"Run","States":{"Run":{"Type":"Task","Resource":"arn:aws:states:::states:startExecution.sync",
			"TimeoutSeconds":30,"Parameters":{"StateMachineArn":"`+child+`","Name":"kid"},"End":true}}}`, "")
		ex := mustStart(t, s, parent, "p", `{}`)
		d, err := s.WaitExecution(ctx, ex)
		if err != nil {
			t.Fatal(err)
		}
		if d.Error != ErrorTimeout {
			t.Fatalf("parent %s %s, want States.Timeout", d.Status, d.Error)
		}
		kid, err := s.WaitExecution(ctx, "arn:aws:states:us-east-1:123456789012:execution:child:kid")
		if err != nil {
			t.Fatal(err)
		}
		if kid.Status != StatusAborted || kid.StopDate.Sub(kid.StartDate) != 30*time.Second {
			t.Fatalf("child %s after %v, want ABORTED after 30s", kid.Status, kid.StopDate.Sub(kid.StartDate))
		}
	})
}
