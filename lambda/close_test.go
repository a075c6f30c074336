package lambda

import (
	"context"
	"errors"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

// libraryGoroutines counts goroutines running code of this package's
// non-test files.
func libraryGoroutines() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, line := range strings.Split(g, "\n") {
			if strings.Contains(line, "minicloud/lambda/") && strings.Contains(line, ".go:") && !strings.Contains(line, "_test.go:") {
				n++
				break
			}
		}
	}
	return n
}

func noLibraryGoroutines(t *testing.T) {
	t.Helper()
	for range 10000 {
		if libraryGoroutines() == 0 {
			return
		}
		runtime.Gosched()
	}
	buf := make([]byte, 1<<20)
	t.Fatalf("goroutines left after Close:\n%s", buf[:runtime.Stack(buf, true)])
}

// busyService exercises every kind of background work: warm and idle
// environments, a running handler, an async event waiting for a retry,
// provisioned environments and an open response stream.
func busyService(t *testing.T, s *Service) (running chan struct{}) {
	t.Helper()
	running = make(chan struct{}, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "echo", Handler: Handler(echo), Publish: true})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "fail", Handler: Handler(func() error { return errors.New("x") })})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "hang", Timeout: 900, Handler: Handler(func(ctx context.Context) error {
		running <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	})})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "stream", Timeout: 900, Handler: StreamingHandler(func(ctx context.Context, _ []byte, w io.Writer) error {
		w.Write([]byte("a"))
		<-ctx.Done()
		return nil
	})})
	invoke(t, s, &InvokeInput{FunctionName: "echo"})
	invoke(t, s, &InvokeInput{FunctionName: "fail", InvocationType: InvocationTypeEvent})
	if _, err := s.PutProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: "echo", Qualifier: "1", ProvisionedConcurrentExecutions: 3}); err != nil {
		t.Fatal(err)
	}
	go s.Invoke(context.Background(), &InvokeInput{FunctionName: "hang"})
	<-running
	if _, err := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "stream"}); err != nil {
		t.Fatal(err)
	}
	return running
}

func TestClose_LeavesNoGoroutineBehind(t *testing.T) {
	dir := t.TempDir()
	s, _ := newTestService(t, Options{TmpDir: dir, ColdStart: time.Second})
	// with a cold start on a manual clock, provisioned inits and the first
	// invocations wait on the clock: Close must stop those too.
	go s.Invoke(context.Background(), &InvokeInput{FunctionName: "nope"})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "cold", Handler: Handler(echo), Publish: true})
	go s.Invoke(context.Background(), &InvokeInput{FunctionName: "cold"})
	s.PutProvisionedConcurrencyConfig(context.Background(), &ProvisionedConcurrencyConfigInput{FunctionName: "cold", Qualifier: "1", ProvisionedConcurrentExecutions: 2})
	s.Close()
	noLibraryGoroutines(t)

	s2, c := newTestService(t, Options{TmpDir: dir})
	busyService(t, s2)
	waitFor(t, c, 1)
	s2.Close()
	noLibraryGoroutines(t)
	entries, _ := os.ReadDir(dir)
	if len(entries) != 0 {
		t.Fatalf("%d /tmp directories left after Close", len(entries))
	}
}

// TestClose_SynctestBubble runs the service on the real clock inside a
// testing/synctest bubble: the bubble ends only when every goroutine the
// service started has returned.
func TestClose_SynctestBubble(t *testing.T) {
	dir := t.TempDir()
	synctest.Test(t, func(t *testing.T) {
		s := New(Options{TmpDir: dir, ColdStart: 100 * time.Millisecond, IdleTimeout: time.Minute})
		busyService(t, s)
		// virtual time: the failed event is retried after one minute and
		// the idle environments are reaped.
		time.Sleep(90 * time.Second)
		if err := s.WaitAsync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if m := s.Metrics("fail", ""); m.Invocations != 2 {
			t.Errorf("fail ran %d times in 90 s, want 2", m.Invocations)
		}
		if n := s.Environments("echo", ""); n != 0 {
			t.Errorf("%d idle $LATEST environments after 90 s, want 0", n)
		}
		s.Close()
		synctest.Wait()
	})
}

func TestClose_CancelsRunningHandlers(t *testing.T) {
	s, _ := newTestService(t, Options{})
	b := newBlocker(1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 900, Handler: Handler(func(ctx context.Context) error {
		b.started <- struct{}{}
		<-ctx.Done()
		return ctx.Err()
	})})
	res := make(chan *InvokeOutput, 1)
	go func() {
		out, _ := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"})
		res <- out
	}()
	<-b.started
	s.Close()
	out := <-res
	if out == nil || out.FunctionError != "Unhandled" || !strings.Contains(string(out.Payload), "context canceled") {
		t.Fatalf("out = %+v", out)
	}
}

// TestStress_ThousandsOfConcurrentInvocations is meant for -race: many
// callers, several functions, every invocation type at once.
func TestStress_ThousandsOfConcurrentInvocations(t *testing.T) {
	if testing.Short() {
		t.Skip("stress")
	}
	s, _ := newTestService(t, Options{Limits: Limits{ConcurrentExecutions: 10000, ScalingRate: 10000}})
	var calls atomic.Int64
	names := []string{"a", "b", "c", "d"}
	for _, n := range names {
		mustCreate(t, s, &CreateFunctionInput{FunctionName: n, Handler: Typed(func(ctx context.Context, in order) (receipt, error) {
			calls.Add(1)
			if _, ok := FromContext(ctx); !ok {
				return receipt{}, errors.New("no context")
			}
			return receipt{OrderID: in.ID}, nil
		}), Publish: true})
		s.CreateAlias(context.Background(), &CreateAliasInput{FunctionName: n, Name: "live", FunctionVersion: "1"})
	}
	const callers, each = 1500, 4
	var wg sync.WaitGroup
	var failures atomic.Int64
	for i := range callers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := names[i%len(names)]
			for j := range each {
				in := &InvokeInput{FunctionName: name, Payload: []byte(`{"id":"x"}`)}
				switch j % 3 {
				case 1:
					in.Qualifier = "live"
				case 2:
					in.InvocationType = InvocationTypeEvent
				}
				out, err := s.Invoke(context.Background(), in)
				if err != nil || out.FunctionError != "" {
					if failures.Add(1) == 1 {
						t.Errorf("first failure: %v %+v", err, out)
					}
				}
			}
		}()
	}
	wg.Wait()
	if err := s.WaitAsync(context.Background()); err != nil {
		t.Fatal(err)
	}
	if failures.Load() != 0 || calls.Load() != callers*each {
		t.Fatalf("failures %d, handler calls %d of %d", failures.Load(), calls.Load(), callers*each)
	}
	var total int64
	for _, n := range names {
		total += s.Metrics(n, "").Invocations
	}
	if total != callers*each || s.AccountMetrics().ConcurrentExecutions != 0 {
		t.Fatalf("metrics count %d invocations, %d still running", total, s.AccountMetrics().ConcurrentExecutions)
	}
}

func TestClose_InterruptsColdStarts(t *testing.T) {
	s, c := newTestService(t, Options{ColdStart: time.Minute})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	errc := make(chan error, 1)
	go func() {
		_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"})
		errc <- err
	}()
	waitFor(t, c, 1)
	s.Close()
	if err := <-errc; !errors.Is(err, ErrService) {
		t.Fatalf("invocation cut by Close: %v", err)
	}
}
