package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"sync"
	"testing"
	"time"
)

// sink is a Destination that keeps what it receives.
type sink struct {
	mu    sync.Mutex
	msgs  [][]byte
	attrs []map[string]string
	fail  error
}

func (k *sink) Send(_ context.Context, m []byte, a map[string]string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.msgs = append(k.msgs, m)
	k.attrs = append(k.attrs, a)
	return k.fail
}

func (k *sink) len() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.msgs)
}

func (k *sink) record(t *testing.T, i int) DestinationRecord {
	t.Helper()
	k.mu.Lock()
	defer k.mu.Unlock()
	var r DestinationRecord
	if err := json.Unmarshal(k.msgs[i], &r); err != nil {
		t.Fatalf("record %s: %v", k.msgs[i], err)
	}
	return r
}

// flaky counts attempts and fails the first failures of them.
type flaky struct {
	mu       sync.Mutex
	attempts int
	ids      []string
	failures int
}

func (f *flaky) handler() *Code {
	return Handler(func(ctx context.Context, in map[string]any) (map[string]any, error) {
		lc, _ := FromContext(ctx)
		f.mu.Lock()
		defer f.mu.Unlock()
		f.attempts++
		f.ids = append(f.ids, lc.AwsRequestID)
		if f.attempts <= f.failures {
			return nil, errors.New("downstream unavailable")
		}
		return map[string]any{"ok": in["order"]}, nil
	})
}

func (f *flaky) count() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.attempts
}

func asyncSetup(t *testing.T, failures int, cfg *FunctionEventInvokeConfigInput) (*Service, *testingClock, *flaky, *sink, *sink) {
	t.Helper()
	s, c := newTestService(t, Options{})
	f := &flaky{failures: failures}
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: f.handler()})
	okDst, failDst := &sink{}, &sink{}
	if cfg == nil {
		cfg = &FunctionEventInvokeConfigInput{}
	}
	cfg.FunctionName = "f"
	cfg.DestinationConfig = &DestinationConfig{OnSuccess: &OnSuccess{Destination: okDst}, OnFailure: &OnFailure{Destination: failDst}}
	if _, err := s.PutFunctionEventInvokeConfig(context.Background(), cfg); err != nil {
		t.Fatal(err)
	}
	return s, &testingClock{t: t, s: s, c: c}, f, okDst, failDst
}

// testingClock advances the manual clock and waits for the attempts it
// fires.
type testingClock struct {
	t *testing.T
	s *Service
	c interface{ Advance(time.Duration) }
}

func (tc *testingClock) advance(d time.Duration) {
	tc.c.Advance(d)
	if err := tc.s.WaitAsync(context.Background()); err != nil {
		tc.t.Fatal(err)
	}
}

func sendEvent(t *testing.T, s *Service, payload string) {
	t.Helper()
	out := invoke(t, s, &InvokeInput{FunctionName: "f", InvocationType: InvocationTypeEvent, Payload: []byte(payload)})
	if out.StatusCode != 202 || len(out.Payload) != 0 {
		t.Fatalf("out = %+v", out)
	}
	if err := s.WaitAsync(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestAsync_RetriesAfterOneThenTwoMinutes(t *testing.T) {
	s, clk, f, okDst, failDst := asyncSetup(t, 10, nil)
	sendEvent(t, s, `{"order":"o-1"}`)
	if f.count() != 1 {
		t.Fatalf("attempts = %d", f.count())
	}
	clk.advance(time.Minute - time.Millisecond)
	if f.count() != 1 {
		t.Fatal("retried before one minute")
	}
	clk.advance(time.Millisecond)
	if f.count() != 2 {
		t.Fatalf("attempts after 1 min = %d, want 2", f.count())
	}
	clk.advance(2*time.Minute - time.Millisecond)
	if f.count() != 2 {
		t.Fatal("retried before two more minutes")
	}
	clk.advance(time.Millisecond)
	if f.count() != 3 || failDst.len() != 1 || okDst.len() != 0 {
		t.Fatalf("attempts %d, failure records %d, success records %d", f.count(), failDst.len(), okDst.len())
	}
	clk.advance(time.Hour)
	if f.count() != 3 {
		t.Fatalf("more than two retries: %d attempts", f.count())
	}
	if f.ids[0] != f.ids[1] || f.ids[1] != f.ids[2] {
		t.Fatalf("request IDs differ across retries: %v", f.ids)
	}
	r := failDst.record(t, 0)
	if r.Version != "1.0" || r.Timestamp != "2025-01-01T00:03:00.000Z" ||
		r.RequestContext.RequestID != f.ids[0] || r.RequestContext.Condition != "RetriesExhausted" ||
		r.RequestContext.ApproximateInvokeCount != 3 ||
		r.RequestContext.FunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST" ||
		string(r.RequestPayload) != `{"order":"o-1"}` ||
		r.ResponseContext == nil || *r.ResponseContext != (RecordResponseContext{StatusCode: 200, ExecutedVersion: "$LATEST", FunctionError: "Unhandled"}) ||
		string(r.ResponsePayload) != `{"errorMessage":"downstream unavailable","errorType":"errorString"}` {
		t.Fatalf("record = %+v\n%s", r, failDst.msgs[0])
	}
	m := s.Metrics("f", "")
	if m.AsyncEventsReceived != 1 || m.AsyncEventsDropped != 1 || m.Invocations != 3 || m.Errors != 3 || m.AsyncEventAge != 3*time.Minute {
		t.Fatalf("metrics = %+v", m)
	}
}

func TestAsync_SuccessGoesToOnSuccess(t *testing.T) {
	s, clk, f, okDst, failDst := asyncSetup(t, 1, nil)
	sendEvent(t, s, `{"order":"o-2"}`)
	clk.advance(time.Minute)
	if f.count() != 2 || okDst.len() != 1 || failDst.len() != 0 {
		t.Fatalf("attempts %d ok %d fail %d", f.count(), okDst.len(), failDst.len())
	}
	r := okDst.record(t, 0)
	if r.RequestContext.Condition != "Success" || r.RequestContext.ApproximateInvokeCount != 2 ||
		string(r.ResponsePayload) != `{"ok":"o-2"}` || r.ResponseContext.FunctionError != "" {
		t.Fatalf("record = %s", okDst.msgs[0])
	}
}

func TestAsync_MaximumRetryAttempts(t *testing.T) {
	for _, retries := range []int{0, 1, 2} {
		n := retries
		s, clk, f, _, failDst := asyncSetup(t, 10, &FunctionEventInvokeConfigInput{MaximumRetryAttempts: &n})
		sendEvent(t, s, `{}`)
		clk.advance(time.Minute)
		clk.advance(2 * time.Minute)
		clk.advance(time.Hour)
		if f.count() != retries+1 || failDst.len() != 1 {
			t.Errorf("MaximumRetryAttempts %d: %d attempts, %d failure records", retries, f.count(), failDst.len())
		}
		s.Close()
	}
}

func TestAsync_MaximumEventAge(t *testing.T) {
	age := 60
	s, clk, f, _, failDst := asyncSetup(t, 10, &FunctionEventInvokeConfigInput{MaximumEventAgeInSeconds: &age})
	sendEvent(t, s, `{}`)
	clk.advance(time.Minute) // age 60 s: still allowed
	clk.advance(2 * time.Minute)
	if f.count() != 2 || failDst.len() != 1 {
		t.Fatalf("attempts %d, failure records %d", f.count(), failDst.len())
	}
	r := failDst.record(t, 0)
	if r.RequestContext.Condition != "EventAgeExceeded" || r.RequestContext.ApproximateInvokeCount != 2 {
		t.Fatalf("record = %s", failDst.msgs[0])
	}
}

func TestAsync_DeadLetterQueueGetsTheEvent(t *testing.T) {
	s, c := newTestService(t, Options{})
	dlq := &sink{}
	zero := 0
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", DeadLetterConfig: &DeadLetterConfig{Target: dlq},
		Handler: Handler(func() error { return errors.New("always") })})
	s.PutFunctionEventInvokeConfig(context.Background(), &FunctionEventInvokeConfigInput{FunctionName: "f", MaximumRetryAttempts: &zero})
	sendEvent(t, s, `{"k":1}`)
	c.Advance(time.Hour)
	if dlq.len() != 1 || string(dlq.msgs[0]) != `{"k":1}` {
		t.Fatalf("dlq = %q", dlq.msgs)
	}
	a := dlq.attrs[0]
	if a["RequestID"] == "" || a["ErrorCode"] != "200" || a["ErrorMessage"] != "always" {
		t.Fatalf("attributes = %v", a)
	}
	dlq.fail = errors.New("queue gone")
	sendEvent(t, s, `{"k":2}`)
	if m := s.Metrics("f", ""); m.DeadLetterErrors != 1 {
		t.Fatalf("DeadLetterErrors = %d", m.DeadLetterErrors)
	}
}

func TestAsync_ThrottledEventsRetryUntilConcurrencyFrees(t *testing.T) {
	s, c := newTestService(t, Options{})
	b := newBlocker(2)
	runs := make(chan struct{}, 4)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 900, Handler: Handler(func(ctx context.Context, in struct{ Block bool }) error {
		if in.Block {
			b.started <- struct{}{}
			<-b.release
		}
		runs <- struct{}{}
		return nil
	})})
	s.PutFunctionConcurrency(context.Background(), &PutFunctionConcurrencyInput{FunctionName: "f", ReservedConcurrentExecutions: 1})
	go s.Invoke(context.Background(), &InvokeInput{FunctionName: "f", Payload: []byte(`{"Block":true}`)})
	<-b.started
	sendEvent(t, s, `{}`) // throttled: waits 1 s
	clk := &testingClock{t: t, s: s, c: c}
	clk.advance(time.Second) // throttled again: waits 2 s
	clk.advance(2 * time.Second)
	if len(runs) != 0 {
		t.Fatal("ran while throttled")
	}
	if m := s.Metrics("f", ""); m.Throttles != 3 {
		t.Fatalf("throttles = %d, want 3", m.Throttles)
	}
	close(b.release)
	<-runs
	settle(s)
	clk.advance(4 * time.Second)
	if len(runs) != 1 {
		t.Fatalf("the throttled event ran %d times after concurrency freed", len(runs))
	}
}

func TestAsync_ReservedZeroSkipsToFailure(t *testing.T) {
	s, _, f, _, failDst := asyncSetup(t, 0, nil)
	s.PutFunctionConcurrency(context.Background(), &PutFunctionConcurrencyInput{FunctionName: "f"})
	sendEvent(t, s, `{}`)
	if f.count() != 0 || failDst.len() != 1 {
		t.Fatalf("attempts %d, failure records %d", f.count(), failDst.len())
	}
	if r := failDst.record(t, 0); r.ResponseContext != nil || r.RequestContext.ApproximateInvokeCount != 0 {
		t.Fatalf("record = %s", failDst.msgs[0])
	}
}

func TestAsync_FunctionAsDestination(t *testing.T) {
	s, _ := newTestService(t, Options{})
	got := make(chan DestinationRecord, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "audit", Handler: Handler(func(r DestinationRecord) error { got <- r; return nil })})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	s.PutFunctionEventInvokeConfig(context.Background(), &FunctionEventInvokeConfigInput{FunctionName: "f",
		DestinationConfig: &DestinationConfig{OnSuccess: &OnSuccess{Destination: s.Function("audit")}}})
	sendEvent(t, s, `{"x":1}`)
	if err := s.WaitAsync(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := <-got
	if r.RequestContext.Condition != "Success" || string(r.ResponsePayload) != `{"x":1}` {
		t.Fatalf("record = %+v", r)
	}
}

func TestAsync_DestinationFailureIsCounted(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	s.PutFunctionEventInvokeConfig(context.Background(), &FunctionEventInvokeConfigInput{FunctionName: "f",
		DestinationConfig: &DestinationConfig{OnSuccess: &OnSuccess{Destination: DestinationFunc(func(context.Context, []byte, map[string]string) error {
			return errors.New("bus down")
		})}}})
	sendEvent(t, s, `{}`)
	if m := s.Metrics("f", ""); m.DestinationDeliveryFailures != 1 {
		t.Fatalf("DestinationDeliveryFailures = %d", m.DestinationDeliveryFailures)
	}
}

func TestAsync_EventInvokeConfigOperations(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo), Publish: true})
	one, age := 1, 300
	ctx := context.Background()
	if _, err := s.UpdateFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f", MaximumRetryAttempts: &one}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("update before put: %v", err)
	}
	c, err := s.PutFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f", MaximumRetryAttempts: &one})
	if err != nil || *c.MaximumRetryAttempts != 1 || c.FunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST" {
		t.Fatalf("put = %+v, %v", c, err)
	}
	c, _ = s.UpdateFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f", MaximumEventAgeInSeconds: &age})
	if *c.MaximumRetryAttempts != 1 || *c.MaximumEventAgeInSeconds != 300 {
		t.Fatalf("update kept %+v", c)
	}
	c, _ = s.PutFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f", MaximumEventAgeInSeconds: &age})
	if c.MaximumRetryAttempts != nil {
		t.Fatal("put did not replace the configuration")
	}
	if _, err := s.GetFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f", Qualifier: "1"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("version 1 has its own configuration: %v", err)
	}
	if err := s.DeleteFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("after delete: %v", err)
	}
	if _, err := s.PutFunctionEventInvokeConfig(ctx, &FunctionEventInvokeConfigInput{FunctionName: "f", Qualifier: "7"}); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("missing version: %v", err)
	}
}
