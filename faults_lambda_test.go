package minicloud_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/lambda"
)

func TestFaults_LambdaInvocationRules(t *testing.T) {
	tests := []struct {
		name      string
		rule      minicloud.Fault
		errorType string
		message   string
	}{
		{"function error", minicloud.Fault{Kind: minicloud.FaultFunctionError, Code: "PaymentDeclined", Message: "card expired"}, "PaymentDeclined", "card expired"},
		{"runtime crash", minicloud.Fault{Kind: minicloud.FaultCrash}, "Runtime.ExitError", "Runtime exited with error: exit status 1"},
		{"timeout", minicloud.Fault{Kind: minicloud.FaultTimeout}, "Sandbox.Timedout", "Task timed out after 5.00 seconds"},
		{"init failure", minicloud.Fault{Operation: "Init", Kind: minicloud.FaultFunctionError, Code: "Runtime.InitError", Message: "no config"}, "Runtime.InitError", "no config"},
		{"init crash", minicloud.Fault{Operation: "Init", Kind: minicloud.FaultCrash}, "Runtime.ExitError", "exit status 1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cloud, clk := minicloud.NewTest(t)
			ctx := context.Background()
			if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "pay", Timeout: 5,
				Handler: lambda.Handler(func(context.Context) (string, error) { return "paid", nil })}); err != nil {
				t.Fatal(err)
			}
			tt.rule.Service, tt.rule.Resource, tt.rule.Times = minicloud.ServiceLambda, "pay", 1
			cloud.Faults.Add(tt.rule)
			done := make(chan *lambda.InvokeOutput)
			go func() {
				out, err := cloud.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: "pay"})
				if err != nil {
					t.Error(err)
				}
				done <- out
			}()
			if tt.rule.Kind == minicloud.FaultTimeout {
				if err := clk.BlockUntil(ctx, 1); err != nil {
					t.Fatal(err)
				}
				clk.Advance(5 * time.Second)
			}
			out := <-done
			var doc struct{ ErrorType, ErrorMessage string }
			_ = json.Unmarshal(out.Payload, &doc)
			if out.FunctionError != "Unhandled" || doc.ErrorType != tt.errorType || !strings.Contains(doc.ErrorMessage, tt.message) {
				t.Fatalf("got %q %s, want %s %q", out.FunctionError, out.Payload, tt.errorType, tt.message)
			}
			out, err := cloud.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: "pay"})
			if err != nil || string(out.Payload) != `"paid"` {
				t.Fatalf("the next invocation: %s, %v", out.Payload, err)
			}
			if inj := cloud.Faults.Injected(); len(inj) != 1 || inj[0].Resource != "pay" || inj[0].Kind != tt.rule.Kind {
				t.Fatalf("Injected = %+v", inj)
			}
		})
	}
}

func TestFaults_LambdaThrottleIsTooManyRequestsWithAReason(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "f",
		Handler: lambda.Handler(func(context.Context) error { return nil })}); err != nil {
		t.Fatal(err)
	}
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceLambda, Operation: "Invoke", Code: "TooManyRequestsException", Times: 1})
	_, err := cloud.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: "f"})
	var e *lambda.Error
	if !errors.As(err, &e) || e.Code != "TooManyRequestsException" || e.StatusCode != 429 || e.Message != "Rate Exceeded." ||
		lambda.ThrottleReason(err) != lambda.ReasonConcurrentInvocationLimitExceeded {
		t.Fatalf("error = %v", err)
	}
	if m := cloud.Lambda.Metrics("f", ""); m.Throttles != 1 {
		t.Fatalf("%d throttles, want 1", m.Throttles)
	}
}

func TestFaults_LambdaAsyncEventDeliveredTwice(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	var mu sync.Mutex
	var ids []string
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "f",
		Handler: lambda.Handler(func(ctx context.Context) error {
			lc, _ := lambda.FromContext(ctx)
			mu.Lock()
			defer mu.Unlock()
			ids = append(ids, lc.AwsRequestID)
			return nil
		})}); err != nil {
		t.Fatal(err)
	}
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceLambda, Operation: "Event", Kind: minicloud.FaultDuplicate})
	if _, err := cloud.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: "f", InvocationType: lambda.InvocationTypeEvent}); err != nil {
		t.Fatal(err)
	}
	if err := cloud.Lambda.WaitAsync(ctx); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != ids[1] {
		t.Fatalf("deliveries %q, want two of one request ID", ids)
	}
}

func TestFaults_LambdaSlowColdStart(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	ctx := context.Background()
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "f",
		Handler: lambda.Handler(func(context.Context) (int, error) { return 1, nil })}); err != nil {
		t.Fatal(err)
	}
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceLambda, Operation: "Init", Latency: 4 * time.Second})
	done := make(chan string)
	go func() {
		out, _ := cloud.Lambda.Invoke(ctx, &lambda.InvokeInput{FunctionName: "f"})
		done <- string(out.Payload)
	}()
	if err := clk.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-done:
		t.Fatalf("Invoke returned %q before the slow init ended", got)
	default:
	}
	clk.Advance(4 * time.Second)
	if got := <-done; got != "1" {
		t.Fatalf("payload %q", got)
	}
}
