package lambda

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"
)

// faultAt returns a hook that injects f at point at, for n calls there
// after the first skip.
func faultAt(at FaultPoint, skip, n int, f Fault) FaultFunc {
	var mu sync.Mutex
	return func(_ context.Context, p FaultPoint, _ string, _ []byte) Fault {
		mu.Lock()
		defer mu.Unlock()
		if p != at {
			return Fault{}
		}
		if skip > 0 {
			skip--
			return Fault{}
		}
		if n == 0 {
			return Fault{}
		}
		n--
		return f
	}
}

func errorDoc(t *testing.T, out *InvokeOutput) (errorType, errorMessage string) {
	t.Helper()
	var doc struct{ ErrorType, ErrorMessage string }
	if err := json.Unmarshal(out.Payload, &doc); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	return doc.ErrorType, doc.ErrorMessage
}

func TestFaults_InvocationFailsAsTheFunctionWould(t *testing.T) {
	tests := []struct {
		name      string
		fault     Fault
		errorType string
		message   string
		discarded bool
	}{
		{"function error", Fault{FunctionError: &FunctionError{ErrorType: "PaymentDeclined", ErrorMessage: "card expired"}}, "PaymentDeclined", "card expired", false},
		{"runtime crash", Fault{Crash: true}, "Runtime.ExitError", "Error: Runtime exited with error: exit status 1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newTestService(t, Options{Faults: faultAt(FaultInvoke, 1, 1, tt.fault)})
			ran := 0
			mustCreate(t, s, &CreateFunctionInput{FunctionName: "pay", Handler: Handler(func(context.Context) error { ran++; return nil })})
			invoke(t, s, &InvokeInput{FunctionName: "pay"}) // a warm environment
			out := invoke(t, s, &InvokeInput{FunctionName: "pay"})
			typ, msg := errorDoc(t, out)
			if out.FunctionError != FunctionErrorUnhandled || typ != tt.errorType || !strings.Contains(msg, tt.message) {
				t.Fatalf("got %q %s, want Unhandled %s %q", out.FunctionError, out.Payload, tt.errorType, tt.message)
			}
			if ran != 1 {
				t.Fatalf("the handler ran %d times, want 1 (not in the injected invocation)", ran)
			}
			if warm := s.Warm("pay", ""); warm != map[bool]int{true: 0, false: 1}[tt.discarded] {
				t.Fatalf("%d warm environments after the fault", warm)
			}
			if m := s.Metrics("pay", ""); m.Errors != 1 || m.Invocations != 2 {
				t.Fatalf("metrics %+v, want 2 invocations, 1 error", m)
			}
		})
	}
}

func TestFaults_TimeoutEndsAtTheFunctionsTimeoutOnTheClock(t *testing.T) {
	s, c := newTestService(t, Options{Faults: faultAt(FaultInvoke, 0, 1, Fault{Timeout: true})})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "slow", Timeout: 3, Handler: Handler(func(context.Context) error { return nil })})
	done := make(chan *InvokeOutput)
	go func() { done <- invoke(t, s, &InvokeInput{FunctionName: "slow"}) }()
	if err := c.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(3 * time.Second)
	out := <-done
	typ, msg := errorDoc(t, out)
	if typ != "Sandbox.Timedout" || !strings.Contains(msg, "Task timed out after 3.00 seconds") {
		t.Fatalf("payload %s", out.Payload)
	}
	if s.Warm("slow", "") != 0 {
		t.Fatal("a timed-out environment must be discarded")
	}
}

func TestFaults_ThrottleRefusesTheInvokeCall(t *testing.T) {
	s, _ := newTestService(t, Options{Faults: faultAt(FaultInvoke, 0, 1, Fault{Err: throttled(ReasonConcurrentInvocationLimitExceeded)})})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"})
	if ThrottleReason(err) != ReasonConcurrentInvocationLimitExceeded {
		t.Fatalf("error = %v, want a throttle", err)
	}
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	if m := s.Metrics("f", ""); m.Throttles != 1 || m.Invocations != 1 {
		t.Fatalf("metrics %+v, want 1 throttle, 1 invocation", m)
	}
}

func TestFaults_ColdStartSlowOrFailing(t *testing.T) {
	t.Run("slow init waits on the clock", func(t *testing.T) {
		s, c := newTestService(t, Options{Faults: faultAt(FaultInit, 0, 1, Fault{Delay: 2 * time.Second})})
		mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
		done := make(chan *InvokeOutput)
		go func() { done <- invoke(t, s, &InvokeInput{FunctionName: "f", Payload: []byte(`{"a":1}`)}) }()
		if err := c.BlockUntil(context.Background(), 1); err != nil {
			t.Fatal(err)
		}
		c.Advance(2 * time.Second)
		if out := <-done; out.FunctionError != "" || string(out.Payload) != `{"a":1}` {
			t.Fatalf("got %q %s", out.FunctionError, out.Payload)
		}
	})
	t.Run("failing init", func(t *testing.T) {
		s, _ := newTestService(t, Options{Faults: faultAt(FaultInit, 0, 1, Fault{Crash: true})})
		mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
		out := invoke(t, s, &InvokeInput{FunctionName: "f"})
		if typ, _ := errorDoc(t, out); out.FunctionError != FunctionErrorUnhandled || typ != "Runtime.ExitError" {
			t.Fatalf("got %q %s", out.FunctionError, out.Payload)
		}
		if out := invoke(t, s, &InvokeInput{FunctionName: "f"}); out.FunctionError != "" {
			t.Fatalf("the next cold start must succeed: %s", out.Payload)
		}
		if m := s.Metrics("f", ""); m.ColdStarts != 2 {
			t.Fatalf("%d cold starts, want 2", m.ColdStarts)
		}
	})
}

func TestFaults_DuplicateDeliversAnAsyncEventTwiceWithOneRequestID(t *testing.T) {
	s, _ := newTestService(t, Options{Faults: faultAt(FaultEnqueue, 0, 1, Fault{Duplicate: true})})
	var mu sync.Mutex
	var ids []string
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		lc, _ := FromContext(ctx)
		mu.Lock()
		ids = append(ids, lc.AwsRequestID)
		mu.Unlock()
		return nil
	})})
	if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f", InvocationType: InvocationTypeEvent}); err != nil {
		t.Fatal(err)
	}
	if err := s.WaitAsync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 2 || ids[0] != ids[1] {
		t.Fatalf("deliveries %q, want two with one request ID", ids)
	}
}
