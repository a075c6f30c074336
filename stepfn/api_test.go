package stepfn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/internal/awserr"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

const waitDef = `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":60,"End":true}}}`
const passDef = `{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`

func newTestService(t *testing.T, opts Options) *Service {
	t.Helper()
	s := New(opts)
	t.Cleanup(func() { s.Close() })
	return s
}

func mustCreate(t *testing.T, s *Service, name, def, typ string) string {
	t.Helper()
	out, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: name, Definition: def, RoleArn: testRole, Type: typ})
	if err != nil {
		t.Fatal(err)
	}
	return out.StateMachineArn
}

func mustStart(t *testing.T, s *Service, sm, name, input string) string {
	t.Helper()
	out, err := s.StartExecution(context.Background(), &StartExecutionInput{StateMachineArn: sm, Name: name, Input: input})
	if err != nil {
		t.Fatal(err)
	}
	return out.ExecutionArn
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if awserr.Code(err) != code {
		t.Fatalf("err = %v, want code %s", err, code)
	}
}

func TestStartExecution_NameIdempotencyAndRetention(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm := mustCreate(t, s, "wait", waitDef, "")

	first := mustStart(t, s, sm, "order-1", `{"a":1}`)
	if again := mustStart(t, s, sm, "order-1", `{"a":1}`); again != first {
		t.Fatalf("same name and input while running gave %s, want %s", again, first)
	}
	_, err := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm, Name: "order-1", Input: `{"a":2}`})
	wantCode(t, err, "ExecutionAlreadyExists")

	if err := c.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if d, err := s.WaitExecution(ctx, first); err != nil || d.Status != StatusSucceeded {
		t.Fatalf("execution = %+v, %v", d, err)
	}
	_, err = s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm, Name: "order-1", Input: `{"a":1}`})
	wantCode(t, err, "ExecutionAlreadyExists")

	c.Advance(90*24*time.Hour + time.Second)
	if _, err := s.DescribeExecution(ctx, first); awserr.Code(err) != "ExecutionDoesNotExist" {
		t.Fatalf("after 90 days: %v, want ExecutionDoesNotExist", err)
	}
	if again := mustStart(t, s, sm, "order-1", `{"a":2}`); again != first {
		t.Fatalf("reused name got arn %s", again)
	}
}

func TestStartExecution_RejectsBadRequests(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	sm := mustCreate(t, s, "p", passDef, "")
	for _, tc := range []struct {
		name string
		in   StartExecutionInput
		code string
	}{
		{"name with a space", StartExecutionInput{StateMachineArn: sm, Name: "a b"}, "InvalidName"},
		{"name with a slash", StartExecutionInput{StateMachineArn: sm, Name: "a/b"}, "InvalidName"},
		{"name of 81 characters", StartExecutionInput{StateMachineArn: sm, Name: strings.Repeat("n", 81)}, "InvalidName"},
		{"name with a control character", StartExecutionInput{StateMachineArn: sm, Name: "a\x01"}, "InvalidName"},
		{"input not JSON", StartExecutionInput{StateMachineArn: sm, Input: "not json"}, "InvalidExecutionInput"},
		{"input over 256 KiB", StartExecutionInput{StateMachineArn: sm, Input: `"` + strings.Repeat("x", 262144) + `"`}, "ValidationException"},
		{"unknown state machine", StartExecutionInput{StateMachineArn: "arn:aws:states:us-east-1:123456789012:stateMachine:nope"}, "StateMachineDoesNotExist"},
		{"not an ARN", StartExecutionInput{StateMachineArn: "nope"}, "InvalidArn"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.StartExecution(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
	// 80 characters and the allowed punctuation are fine.
	mustStart(t, s, sm, strings.Repeat("n", 79)+"_", "")
	mustStart(t, s, sm, "a-b_c.d", "")
}

func TestCreateStateMachine_Rules(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	first := mustCreate(t, s, "m", passDef, "")
	if again := mustCreate(t, s, "m", passDef, TypeStandard); again != first {
		t.Fatalf("identical create gave %s", again)
	}
	for _, tc := range []struct {
		name string
		in   CreateStateMachineInput
		code string
	}{
		{"same name, other definition", CreateStateMachineInput{Name: "m", Definition: waitDef, RoleArn: testRole}, "StateMachineAlreadyExists"},
		{"same name, other type", CreateStateMachineInput{Name: "m", Definition: passDef, RoleArn: testRole, Type: TypeExpress}, "StateMachineAlreadyExists"},
		{"bad name", CreateStateMachineInput{Name: "a?", Definition: passDef, RoleArn: testRole}, "InvalidName"},
		{"no role", CreateStateMachineInput{Name: "r", Definition: passDef}, "ValidationException"},
		{"role not an ARN", CreateStateMachineInput{Name: "r", Definition: passDef, RoleArn: "role"}, "InvalidArn"},
		{"bad type", CreateStateMachineInput{Name: "r", Definition: passDef, RoleArn: testRole, Type: "FAST"}, "ValidationException"},
		{"bad definition", CreateStateMachineInput{Name: "r", Definition: `{}`, RoleArn: testRole}, "InvalidDefinition"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.CreateStateMachine(ctx, &tc.in)
			wantCode(t, err, tc.code)
		})
	}
	d, err := s.DescribeStateMachine(ctx, first)
	if err != nil || d.Name != "m" || d.Status != "ACTIVE" || d.Definition != passDef || d.Type != TypeStandard || d.RoleArn != testRole {
		t.Fatalf("describe = %+v, %v", d, err)
	}
	_, err = s.DescribeStateMachine(ctx, "arn:aws:states:us-east-1:123456789012:stateMachine:none")
	wantCode(t, err, "StateMachineDoesNotExist")
}

func TestCreateStateMachine_LimitIsEnforced(t *testing.T) {
	s := newTestService(t, Options{Limits: Limits{MaxStateMachines: 2}})
	mustCreate(t, s, "a", passDef, "")
	mustCreate(t, s, "b", passDef, "")
	_, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "c", Definition: passDef, RoleArn: testRole})
	wantCode(t, err, "StateMachineLimitExceeded")
}

func TestListStateMachines_SortedAndPaged(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	for _, n := range []string{"c", "a", "b"} {
		mustCreate(t, s, n, passDef, "")
	}
	var names []string
	tok := ""
	for {
		out, err := s.ListStateMachines(ctx, &ListStateMachinesInput{MaxResults: 2, NextToken: tok})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range out.StateMachines {
			names = append(names, m.Name)
		}
		if tok = out.NextToken; tok == "" {
			break
		}
	}
	if strings.Join(names, ",") != "a,b,c" {
		t.Fatalf("names = %v", names)
	}
	_, err := s.ListStateMachines(ctx, &ListStateMachinesInput{MaxResults: 1001})
	wantCode(t, err, "ValidationException")
	_, err = s.ListStateMachines(ctx, &ListStateMachinesInput{NextToken: "garbage"})
	wantCode(t, err, "InvalidToken")
}

func TestListExecutions_NewestFirstFilteredAndPaged(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	wait := mustCreate(t, s, "w", waitDef, "")
	var arns []string
	for i := range 3 {
		arns = append(arns, mustStart(t, s, wait, fmt.Sprintf("e%d", i), ""))
		c.Advance(time.Second)
	}
	if _, err := s.StopExecution(ctx, &StopExecutionInput{ExecutionArn: arns[1]}); err != nil {
		t.Fatal(err)
	}
	out, err := s.ListExecutions(ctx, &ListExecutionsInput{StateMachineArn: wait, MaxResults: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Executions) != 2 || out.Executions[0].Name != "e2" || out.Executions[1].Name != "e1" || out.NextToken == "" {
		t.Fatalf("page 1 = %+v", out)
	}
	out2, err := s.ListExecutions(ctx, &ListExecutionsInput{StateMachineArn: wait, MaxResults: 2, NextToken: out.NextToken})
	if err != nil || len(out2.Executions) != 1 || out2.Executions[0].Name != "e0" {
		t.Fatalf("page 2 = %+v, %v", out2, err)
	}
	aborted, err := s.ListExecutions(ctx, &ListExecutionsInput{StateMachineArn: wait, StatusFilter: StatusAborted})
	if err != nil || len(aborted.Executions) != 1 || aborted.Executions[0].ExecutionArn != arns[1] {
		t.Fatalf("aborted = %+v, %v", aborted, err)
	}
	_, err = s.ListExecutions(ctx, &ListExecutionsInput{StateMachineArn: wait, StatusFilter: "succeeded"})
	wantCode(t, err, "ValidationException")
	_, err = s.ListExecutions(ctx, &ListExecutionsInput{StateMachineArn: wait, StatusFilter: StatusRunning, NextToken: out.NextToken})
	wantCode(t, err, "InvalidToken")
}

func TestStopExecution_RecordsErrorAndCause(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	arn := mustStart(t, s, mustCreate(t, s, "w", waitDef, ""), "x", "")
	c.Advance(5 * time.Second)
	stop, err := s.StopExecution(ctx, &StopExecutionInput{ExecutionArn: arn, Error: "Manual", Cause: "operator"})
	if err != nil || !stop.StopDate.Equal(epoch.Add(5*time.Second)) {
		t.Fatalf("stop = %+v, %v", stop, err)
	}
	d, _ := s.DescribeExecution(ctx, arn)
	if d.Status != StatusAborted || d.Error != "Manual" || d.Cause != "operator" || d.Output != "" {
		t.Fatalf("describe = %+v", d)
	}
	if _, err := s.StopExecution(ctx, &StopExecutionInput{ExecutionArn: arn}); err != nil {
		t.Fatalf("stopping a closed execution: %v", err)
	}
	_, err = s.DescribeExecution(ctx, "arn:aws:states:us-east-1:123456789012:execution:w:none")
	wantCode(t, err, "ExecutionDoesNotExist")
	_, err = s.DescribeExecution(ctx, "invalid_execution_arn")
	wantCode(t, err, "InvalidArn")
}

func TestDeleteStateMachine_WaitsForRunningExecutions(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	sm := mustCreate(t, s, "w", waitDef, "")
	arn := mustStart(t, s, sm, "x", "")
	if err := s.DeleteStateMachine(ctx, sm); err != nil {
		t.Fatal(err)
	}
	if d, err := s.DescribeStateMachine(ctx, sm); err != nil || d.Status != "DELETING" {
		t.Fatalf("describe while deleting = %+v, %v", d, err)
	}
	_, err := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm})
	wantCode(t, err, "StateMachineDeleting")
	if err := c.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	if d, err := s.WaitExecution(ctx, arn); err != nil || d.Status != StatusSucceeded {
		t.Fatalf("running execution went on: %+v, %v", d, err)
	}
	_, err = s.DescribeStateMachine(ctx, sm)
	wantCode(t, err, "StateMachineDoesNotExist")
	if err := s.DeleteStateMachine(ctx, sm); err != nil {
		t.Fatalf("deleting again: %v", err)
	}
}

func TestExpress_HasNoHistoryButRunsSync(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	ex := mustCreate(t, s, "fast", `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"ok","End":true}}}`, TypeExpress)
	out, err := s.StartSyncExecution(ctx, &StartExecutionInput{StateMachineArn: ex, Input: `{}`})
	if err != nil || out.Status != StatusSucceeded || out.Output != `"ok"` || !strings.Contains(out.ExecutionArn, ":express:fast:") {
		t.Fatalf("sync = %+v, %v", out, err)
	}
	arn := mustStart(t, s, ex, "", "")
	if d, err := s.WaitExecution(ctx, arn); err != nil || d.Output != `"ok"` {
		t.Fatalf("wait = %+v, %v", d, err)
	}
	_, err = s.DescribeExecution(ctx, arn)
	wantCode(t, err, "StateMachineTypeNotSupported")
	_, err = s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: arn})
	wantCode(t, err, "StateMachineTypeNotSupported")
	_, err = s.ListExecutions(ctx, &ListExecutionsInput{StateMachineArn: ex})
	wantCode(t, err, "StateMachineTypeNotSupported")
	_, err = s.StopExecution(ctx, &StopExecutionInput{ExecutionArn: arn})
	wantCode(t, err, "StateMachineTypeNotSupported")
	std := mustCreate(t, s, "slow", passDef, "")
	_, err = s.StartSyncExecution(ctx, &StartExecutionInput{StateMachineArn: std})
	wantCode(t, err, "StateMachineTypeNotSupported")
}

func TestHistory_LimitFailsTheExecution(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{Limits: Limits{MaxHistoryEvents: 10}})
	loop := `{"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Choice","Choices":[{"Variable":"$.stop","IsPresent":true,"Next":"C"}],"Default":"A"},"C":{"Type":"Succeed"}}}`
	arn := mustStart(t, s, mustCreate(t, s, "loop", loop, ""), "", "")
	d, err := s.WaitExecution(ctx, arn)
	if err != nil || d.Status != StatusFailed || d.Error != ErrorRuntime || !strings.Contains(d.Cause, "maximum number of history events (10)") {
		t.Fatalf("describe = %+v, %v", d, err)
	}
	h, _ := s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: arn, MaxResults: 1000})
	if n := len(h.Events); n != 11 || h.Events[n-1].Type != "ExecutionFailed" {
		t.Fatalf("history has %d events, last %s", n, h.Events[n-1].Type)
	}
}

func TestHistory_ReverseOrderAndExcludedData(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	arn := mustStart(t, s, mustCreate(t, s, "p", passDef, ""), "", `{"secret":1}`)
	if _, err := s.WaitExecution(ctx, arn); err != nil {
		t.Fatal(err)
	}
	h, err := s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: arn, ReverseOrder: true, ExcludeExecutionData: true})
	if err != nil {
		t.Fatal(err)
	}
	if h.Events[0].Type != "ExecutionSucceeded" || h.Events[len(h.Events)-1].Type != "ExecutionStarted" {
		t.Fatalf("order: %s ... %s", h.Events[0].Type, h.Events[len(h.Events)-1].Type)
	}
	for _, ev := range h.Events {
		if d := ev.StateEnteredEventDetails; d != nil && d.Input != "" {
			t.Fatalf("data not excluded: %+v", d)
		}
	}
	full, _ := s.GetExecutionHistory(ctx, &GetExecutionHistoryInput{ExecutionArn: arn})
	if full.Events[0].ExecutionStartedEventDetails.Input != `{"secret":1}` {
		t.Fatal("excluding data changed the stored history")
	}
}

func TestWait_OneWeekOnManualClock(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	def := `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":604800,"Next":"P"},"P":{"Type":"Pass","End":true}}}`
	arn := mustStart(t, s, mustCreate(t, s, "week", def, ""), "", "")
	if err := c.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(604799 * time.Second)
	if d, _ := s.DescribeExecution(ctx, arn); d.Status != StatusRunning {
		t.Fatalf("status after 6d23h59m59s = %s", d.Status)
	}
	c.Advance(time.Second)
	d, err := s.WaitExecution(ctx, arn)
	if err != nil || d.Status != StatusSucceeded || !d.StopDate.Equal(epoch.Add(7*24*time.Hour)) {
		t.Fatalf("describe = %+v, %v", d, err)
	}
}

func TestRetry_JitterIsSeededAndBounded(t *testing.T) {
	r := retrier{interval: 10 * time.Second, backoffRate: 2, maxAttempts: 5, jitterFull: true}
	a, b := New(Options{}), New(Options{})
	defer a.Close()
	defer b.Close()
	varied := false
	for attempt := int64(0); attempt < 5; attempt++ {
		da, db := r.retryDelay(attempt, a.rnd), r.retryDelay(attempt, b.rnd)
		if da != db {
			t.Fatalf("same seed, attempt %d: %v vs %v", attempt, da, db)
		}
		ceiling := time.Duration(10*(1<<attempt)) * time.Second
		if da < 0 || da > ceiling {
			t.Fatalf("attempt %d delay %v outside [0, %v]", attempt, da, ceiling)
		}
		if da != ceiling {
			varied = true
		}
	}
	if !varied {
		t.Fatal("FULL jitter never changed a delay")
	}
	plain := retrier{interval: 3 * time.Second, backoffRate: 1.5, maxDelay: 5 * time.Second}
	if d := plain.retryDelay(0, a.rnd); d != 3*time.Second {
		t.Fatalf("first delay %v", d)
	}
	if d := plain.retryDelay(3, a.rnd); d != 5*time.Second {
		t.Fatalf("capped delay %v", d)
	}
}

func TestClose_StopsEverythingAndLeavesNoGoroutine(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		s := New(Options{})
		var cancelled atomic.Int32
		s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:block", ResourceFunc(func(ctx context.Context, _ []byte) ([]byte, error) {
			<-ctx.Done()
			cancelled.Add(1)
			return nil, ctx.Err()
		}))
		sm := mustCreate(t, s, "m", `{"StartAt":"Par","States":{"Par":{"Type":"Parallel","Branches":[
			{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:block","End":true}}},
			{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":1000,"End":true}}}],"End":true}}}`, "")
		arn := mustStart(t, s, sm, "", "")
		synctest.Wait()
		s.Close()
		if cancelled.Load() != 1 {
			t.Fatal("the running resource was not cancelled")
		}
		d, err := s.WaitExecution(ctx, arn)
		if err != nil || d.Status != StatusAborted {
			t.Fatalf("after Close: %+v, %v", d, err)
		}
		_, err = s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm})
		if !errors.Is(err, errServiceClosed) {
			t.Fatalf("start after Close: %v", err)
		}
	})
}

func TestSendTaskHeartbeat_OutsideATask(t *testing.T) {
	wantCode(t, SendTaskHeartbeat(context.Background()), "TaskDoesNotExist")
}

func TestAsTaskError_MapsErrors(t *testing.T) {
	for _, tc := range []struct {
		err         error
		name, cause string
	}{
		{&TaskError{Name: "E", Cause: "c"}, "E", "c"},
		{fmt.Errorf("wrapped: %w", &TaskError{Name: "E"}), "E", ""},
		{awserr.New("Lambda.TooManyRequestsException", 429, "Rate exceeded"), "Lambda.TooManyRequestsException", "Rate exceeded"},
		{errors.New("plain"), ErrorTaskFailed, "plain"},
	} {
		got := AsTaskError(tc.err)
		if got.Name != tc.name || got.Cause != tc.cause {
			t.Errorf("AsTaskError(%v) = %+v", tc.err, got)
		}
	}
	if (&TaskError{Name: "E", Cause: "c"}).Error() != "E: c" || (&TaskError{Name: "E"}).Error() != "E" {
		t.Error("TaskError.Error")
	}
}

func TestLambdaInvoke_ResolvesNamesAndQualifiedArns(t *testing.T) {
	s := newTestService(t, Options{})
	s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:f", ResourceFunc(func(context.Context, []byte) ([]byte, error) { return []byte(`1`), nil }))
	for _, fn := range []string{"f", "arn:aws:lambda:us-east-1:123456789012:function:f", "arn:aws:lambda:us-east-1:123456789012:function:f:prod"} {
		if _, _, ok := s.lambdaByName(fn); !ok {
			t.Errorf("%s not resolved", fn)
		}
	}
	if _, _, ok := s.lambdaByName("g"); ok {
		t.Error("unknown function resolved")
	}
}

// lambdaLikeError has the shape of *lambda.FunctionError.
type lambdaLikeError struct {
	ErrorType    string
	ErrorMessage string
	Payload      []byte
}

func (e *lambdaLikeError) Error() string { return e.ErrorType + ": " + e.ErrorMessage }

func TestAsTaskError_ReadsLambdaFunctionErrors(t *testing.T) {
	doc := `{"errorMessage":"card expired","errorType":"PaymentDeclined"}`
	got := AsTaskError(fmt.Errorf("invoke: %w", &lambdaLikeError{ErrorType: "PaymentDeclined", ErrorMessage: "card expired", Payload: []byte(doc)}))
	if got.Name != "PaymentDeclined" || got.Cause != doc {
		t.Fatalf("got %+v", got)
	}
}

func TestTask_LambdaServiceErrorsArePrefixed(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:f", ResourceFunc(func(context.Context, []byte) ([]byte, error) {
		return nil, awserr.New("TooManyRequestsException", 429, "Rate Exceeded.")
	}))
	sm := mustCreate(t, s, "t", `{"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:f","End":true}}}`, "")
	d, err := s.WaitExecution(ctx, mustStart(t, s, sm, "", ""))
	if err != nil || d.Error != "Lambda.TooManyRequestsException" || d.Cause != "Rate Exceeded." {
		t.Fatalf("describe = %+v, %v", d, err)
	}
}
