package lambda

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"
)

// blocker is a handler that signals it started and waits for release.
type blocker struct {
	started chan struct{}
	release chan struct{}
}

func newBlocker(n int) *blocker {
	return &blocker{started: make(chan struct{}, n), release: make(chan struct{})}
}

func (b *blocker) handler() *Code {
	return Handler(func(ctx context.Context) (string, error) {
		b.started <- struct{}{}
		select {
		case <-b.release:
		case <-ctx.Done():
		}
		return "done", nil
	})
}

// run starts n invocations of name in the background and waits until all
// are inside the handler.
func (b *blocker) run(t *testing.T, s *Service, name string, n int) *sync.WaitGroup {
	t.Helper()
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: name})
			if err != nil || out.FunctionError != "" {
				t.Errorf("blocked invocation: %v %+v", err, out)
			}
		}()
	}
	for range n {
		<-b.started
	}
	return &wg
}

func TestConcurrency_ThrottlesAtTheAccountLimit(t *testing.T) {
	s, _ := newTestService(t, Options{})
	b := newBlocker(1000)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: b.handler()})
	wg := b.run(t, s, "f", 1000)
	if m := s.AccountMetrics(); m.ConcurrentExecutions != 1000 {
		t.Fatalf("running %d, want 1000", m.ConcurrentExecutions)
	}
	_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"})
	var e *Error
	if !errors.As(err, &e) || e.Code != "TooManyRequestsException" || e.StatusCode != 429 || e.Message != "Rate Exceeded." {
		t.Fatalf("1001st call: %v", err)
	}
	if r := ThrottleReason(err); r != ReasonConcurrentInvocationLimitExceeded {
		t.Fatalf("reason = %q", r)
	}
	close(b.release)
	wg.Wait()
	if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"}); err != nil {
		t.Fatalf("after the burst: %v", err)
	}
	m := s.Metrics("f", "")
	if m.Invocations != 1001 || m.Throttles != 1 || m.MaxConcurrentExecutions != 1000 || m.ConcurrentExecutions != 0 {
		t.Fatalf("metrics = %+v", m)
	}
}

func TestConcurrency_ReservedCapsAndIsolates(t *testing.T) {
	s, _ := newTestService(t, Options{Limits: Limits{ConcurrentExecutions: 110}})
	a, bb := newBlocker(10), newBlocker(100)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "a", Handler: a.handler()})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "b", Handler: bb.handler()})
	if _, err := s.PutFunctionConcurrency(context.Background(), &PutFunctionConcurrencyInput{FunctionName: "a", ReservedConcurrentExecutions: 10}); err != nil {
		t.Fatal(err)
	}
	wa := a.run(t, s, "a", 10)
	_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "a"})
	if ThrottleReason(err) != ReasonReservedFunctionConcurrentInvocationLimitExceeded {
		t.Fatalf("11th call of a: %v", err)
	}
	// a's reservation does not eat b's pool: b still runs 100.
	wb := bb.run(t, s, "b", 100)
	if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "b"}); ThrottleReason(err) != ReasonConcurrentInvocationLimitExceeded {
		t.Fatalf("101st call of b: %v", err)
	}
	close(a.release)
	close(bb.release)
	wa.Wait()
	wb.Wait()
	got, _ := s.GetFunctionConcurrency(context.Background(), &FunctionConcurrencyInput{FunctionName: "a"})
	if got.ReservedConcurrentExecutions == nil || *got.ReservedConcurrentExecutions != 10 {
		t.Fatalf("GetFunctionConcurrency = %+v", got)
	}
	fo, _ := s.GetFunction(context.Background(), &GetFunctionInput{FunctionName: "a"})
	if fo.Concurrency == nil || *fo.Concurrency != 10 {
		t.Fatalf("GetFunction.Concurrency = %v", fo.Concurrency)
	}
}

func TestConcurrency_UnreservedPoolNeverBelow100(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "a", Handler: Handler(echo)})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "b", Handler: Handler(echo)})
	put := func(name string, n int) error {
		_, err := s.PutFunctionConcurrency(context.Background(), &PutFunctionConcurrencyInput{FunctionName: name, ReservedConcurrentExecutions: n})
		return err
	}
	if err := put("a", 600); err != nil {
		t.Fatal(err)
	}
	err := put("b", 301)
	var le *LimitError
	if !errors.Is(err, ErrInvalidParameterValue) || !errors.As(err, &le) || le.Value != 99 || le.Min != 100 {
		t.Fatalf("301 more: %v", err)
	}
	if err.(*Error).Message != "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [100]." {
		t.Fatalf("message = %q", err.(*Error).Message)
	}
	if err := put("b", 300); err != nil {
		t.Fatalf("300 more: %v", err)
	}
	if got := s.AccountMetrics().UnreservedConcurrentExecutions; got != 100 {
		t.Fatalf("unreserved = %d", got)
	}
	if err := put("a", -1); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("negative: %v", err)
	}
	if err := s.DeleteFunctionConcurrency(context.Background(), &FunctionConcurrencyInput{FunctionName: "a"}); err != nil {
		t.Fatal(err)
	}
	st, _ := s.GetAccountSettings(context.Background())
	if st.AccountLimit.UnreservedConcurrentExecutions != 700 || st.AccountLimit.ConcurrentExecutions != 1000 {
		t.Fatalf("account limit = %+v", st.AccountLimit)
	}
}

func TestConcurrency_ReservedZeroThrottlesEverything(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	s.PutFunctionConcurrency(context.Background(), &PutFunctionConcurrencyInput{FunctionName: "f"})
	_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"})
	if ThrottleReason(err) != ReasonReservedFunctionConcurrentInvocationLimitExceeded {
		t.Fatalf("err = %v", err)
	}
}

func TestConcurrency_ScalingRateLimitsNewEnvironments(t *testing.T) {
	s, c := newTestService(t, Options{Limits: Limits{ScalingRate: 3, ScalingPeriod: 9 * time.Second}})
	b := newBlocker(4)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 60, Handler: b.handler()})
	wg := b.run(t, s, "f", 3)
	_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"})
	if ThrottleReason(err) != ReasonFunctionInvocationRateLimitExceeded {
		t.Fatalf("4th new environment: %v", err)
	}
	c.Advance(3 * time.Second) // one token back: 3 per 9 s
	wg2 := b.run(t, s, "f", 1)
	close(b.release)
	wg.Wait()
	wg2.Wait()
	// warm environments need no token
	for range 4 {
		if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"}); err != nil {
			t.Fatalf("warm call: %v", err)
		}
	}
	if m := s.Metrics("f", ""); m.Throttles != 1 || m.ColdStarts != 4 {
		t.Fatalf("metrics = %+v", m)
	}
}

func waitProvisioned(t *testing.T, s *Service, name, q string) *ProvisionedConcurrencyConfig {
	t.Helper()
	for {
		pc, err := s.GetProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: name, Qualifier: q})
		if err != nil {
			t.Fatal(err)
		}
		if pc.Status != ProvisionedStatusInProgress {
			return pc
		}
		runtime.Gosched()
	}
}

func TestConcurrency_ProvisionedEnvironmentsStartWarm(t *testing.T) {
	s, c := newTestService(t, Options{ColdStart: 800 * time.Millisecond})
	var mu sync.Mutex
	inits := 0
	seen := make(chan string, 3)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Publish: true, Handler: InitHandler(func(ctx context.Context) (any, error) {
		mu.Lock()
		inits++
		mu.Unlock()
		return func(ctx context.Context) error { seen <- Getenv(ctx, "AWS_LAMBDA_INITIALIZATION_TYPE"); return nil }, nil
	})})
	pc, err := s.PutProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: "f", Qualifier: "1", ProvisionedConcurrentExecutions: 2})
	if err != nil {
		t.Fatal(err)
	}
	if pc.Status != ProvisionedStatusInProgress || pc.RequestedProvisionedConcurrentExecutions != 2 {
		t.Fatalf("config = %+v", pc)
	}
	waitFor(t, c, 2) // both environments sleep through the cold start
	c.Advance(800 * time.Millisecond)
	pc = waitProvisioned(t, s, "f", "1")
	if pc.Status != ProvisionedStatusReady || pc.AvailableProvisionedConcurrentExecutions != 2 {
		t.Fatalf("config = %+v", pc)
	}
	out := invoke(t, s, &InvokeInput{FunctionName: "f", Qualifier: "1"})
	if out.FunctionError != "" || <-seen != "provisioned-concurrency" {
		t.Fatalf("out = %+v", out)
	}
	m := s.Metrics("f", "1")
	if m.ColdStarts != 0 || m.ProvisionedConcurrencyInvocations != 1 {
		t.Fatalf("metrics = %+v", m)
	}
	if inits != 2 {
		t.Fatalf("inits = %d, want 2 (one per provisioned environment)", inits)
	}
	if err := s.DeleteProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: "f", Qualifier: "1"}); err != nil {
		t.Fatal(err)
	}
	if n := s.Environments("f", "1"); n != 0 {
		t.Fatalf("%d environments after deleting provisioned concurrency", n)
	}
	if _, err := s.GetProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: "f", Qualifier: "1"}); !errors.Is(err, ErrProvisionedConcurrencyConfigNotFound) {
		t.Fatalf("after delete: %v", err)
	}
}

func TestConcurrency_ProvisionedRules(t *testing.T) {
	s, _ := newTestService(t, Options{Limits: Limits{ConcurrentExecutions: 150}})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo), Publish: true})
	put := func(q string, n int) error {
		_, err := s.PutProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: "f", Qualifier: q, ProvisionedConcurrentExecutions: n})
		return err
	}
	if err := put("", 1); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("unqualified: %v", err)
	}
	if err := put("$LATEST", 1); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("$LATEST: %v", err)
	}
	if err := put("9", 1); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("missing version: %v", err)
	}
	if err := put("1", 0); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("zero: %v", err)
	}
	if err := put("1", 51); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("over the unreserved pool less 100: %v", err)
	}
	if err := put("1", 50); err != nil {
		t.Fatal(err)
	}
	waitProvisioned(t, s, "f", "1")
	if got := s.Warm("f", "1"); got != 50 {
		t.Fatalf("warm = %d", got)
	}
	if _, err := s.PutFunctionConcurrency(context.Background(), &PutFunctionConcurrencyInput{FunctionName: "f", ReservedConcurrentExecutions: 49}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Fatalf("reservation under provisioned: %v", err)
	}
	if err := put("1", 10); err != nil {
		t.Fatal(err)
	}
	if got := s.Warm("f", "1"); got != 10 {
		t.Fatalf("warm after shrinking = %d", got)
	}
}

func TestConcurrency_ProvisionedCountsAgainstThePool(t *testing.T) {
	s, _ := newTestService(t, Options{Limits: Limits{ConcurrentExecutions: 105}})
	a := newBlocker(10)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "a", Handler: a.handler(), Publish: true})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "b", Handler: Handler(echo)})
	if _, err := s.PutProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: "a", Qualifier: "1", ProvisionedConcurrentExecutions: 5}); err != nil {
		t.Fatal(err)
	}
	waitProvisioned(t, s, "a", "1")
	// a runs its 5 provisioned plus the whole shared pool of 100.
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.Invoke(context.Background(), &InvokeInput{FunctionName: "a:1"})
		}()
	}
	for range 6 {
		<-a.started
	}
	m := s.Metrics("a", "1")
	if m.ProvisionedConcurrencyInvocations != 0 && m.ConcurrentExecutions != 6 {
		t.Fatalf("metrics = %+v", m)
	}
	close(a.release)
	wg.Wait()
	if m := s.Metrics("a", "1"); m.ProvisionedConcurrencyInvocations != 5 || m.ColdStarts != 1 {
		t.Fatalf("5 of 6 should run provisioned, 1 spill over cold: %+v", m)
	}
}
