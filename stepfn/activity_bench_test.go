package stepfn

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"
	"time"
)

// workerBenchOptions keeps closed executions for a minute: a fast
// execution may close before WaitExecution looks it up.
var workerBenchOptions = Options{Limits: Limits{ExecutionRetention: time.Minute}}

// BenchmarkWorkerTask measures one execution whose Task hands its work to
// a worker outside Step Functions: through an activity (the worker polls
// GetActivityTask and answers SendTaskSuccess) beside the same worker fed
// a task token by a .waitForTaskToken callback Task, and a plain Go
// resource as the floor.
func BenchmarkWorkerTask(b *testing.B) {
	benchOptions := workerBenchOptions
	ctx := context.Background()
	b.Run("activity", func(b *testing.B) {
		s := New(benchOptions)
		defer s.Close()
		act, _ := s.CreateActivity(ctx, &CreateActivityInput{Name: "work"})
		sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "m", RoleArn: testRole,
			Definition: `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"` + act.ActivityArn + `","End":true}}}`})
		if err != nil {
			b.Fatal(err)
		}
		wctx, stop := context.WithCancel(ctx)
		defer stop()
		go func() {
			for wctx.Err() == nil {
				task, err := s.GetActivityTask(wctx, &GetActivityTaskInput{ActivityArn: act.ActivityArn})
				if err == nil && task.TaskToken != "" {
					_, _ = s.SendTaskSuccess(wctx, &SendTaskSuccessInput{TaskToken: task.TaskToken, Output: task.Input})
				}
			}
		}()
		b.ReportAllocs()
		for b.Loop() {
			runOnce(b, s, sm.StateMachineArn, `{"n":1}`)
		}
	})
	b.Run("waitForTaskToken", func(b *testing.B) {
		s := New(benchOptions)
		defer s.Close()
		s.RegisterResource("arn:aws:states:::sqs:sendMessage", ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
			var in struct{ TaskToken string }
			_ = json.Unmarshal(input, &in)
			go func() {
				_, _ = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: in.TaskToken, Output: `{"n":1}`})
			}()
			return []byte(`{}`), nil
		}))
		sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "m", RoleArn: testRole,
			Definition: `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","Parameters":{"TaskToken.$":"$$.Task.Token"},"End":true}}}`})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			runOnce(b, s, sm.StateMachineArn, `{"n":1}`)
		}
	})
	b.Run("go-resource", func(b *testing.B) {
		s := New(benchOptions)
		defer s.Close()
		s.RegisterResource("arn:aws:states:::sqs:sendMessage", ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) { return input, nil }))
		sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "m", RoleArn: testRole,
			Definition: `{"StartAt":"W","States":{"W":{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","End":true}}}`})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			runOnce(b, s, sm.StateMachineArn, `{"n":1}`)
		}
	})
}

// BenchmarkAPIGatewayInvoke measures an execution whose Task calls an
// http.Handler through arn:aws:states:::apigateway:invoke, beside the same
// handler's work as a plain Go resource.
func BenchmarkAPIGatewayInvoke(b *testing.B) {
	benchOptions := workerBenchOptions
	ctx := context.Background()
	api := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"ok":true}`)
	})
	b.Run("apigateway-invoke", func(b *testing.B) {
		opts := benchOptions
		opts.APIGateway = func(string) (http.Handler, bool) { return api, true }
		s := New(opts)
		defer s.Close()
		sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "m", RoleArn: testRole,
			Definition: `{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke",
			"Parameters":{"ApiEndpoint":"abc.execute-api.us-east-1.amazonaws.com","Method":"POST","Stage":"prod","Path":"orders","RequestBody.$":"$"},"End":true}}}`})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			runOnce(b, s, sm.StateMachineArn, `{"n":1}`)
		}
	})
	b.Run("go-resource", func(b *testing.B) {
		s := New(benchOptions)
		defer s.Close()
		s.RegisterResource("arn:aws:states:::orders:post", ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) { return []byte(`{"ok":true}`), nil }))
		sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "m", RoleArn: testRole,
			Definition: `{"StartAt":"C","States":{"C":{"Type":"Task","Resource":"arn:aws:states:::orders:post","End":true}}}`})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			runOnce(b, s, sm.StateMachineArn, `{"n":1}`)
		}
	})
}
