package lambda

import (
	"context"
	"encoding/base64"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

func TestEnvironment_WarmReuseKeepsStateAndTmp(t *testing.T) {
	s, _ := newTestService(t, Options{})
	type seenT struct {
		stream, tmp string
		count       int
		prior       string
	}
	seen := make(chan seenT, 2)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: InitHandler(func(ctx context.Context) (any, error) {
		count := 0
		return func(ctx context.Context) error {
			count++
			tmp := TmpFS(ctx)
			prior, _ := tmp.ReadFile("/tmp/state")
			if err := tmp.WriteFile("/tmp/state", []byte("written"), 0o644); err != nil {
				return err
			}
			seen <- seenT{Getenv(ctx, "AWS_LAMBDA_LOG_STREAM_NAME"), TmpDir(ctx), count, string(prior)}
			return nil
		}, nil
	})})
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	a, b := <-seen, <-seen
	if a.stream != b.stream || a.tmp != b.tmp || b.count != 2 || b.prior != "written" || a.prior != "" {
		t.Fatalf("first %+v, second %+v: want the same warm environment", a, b)
	}
	if m := s.Metrics("f", ""); m.ColdStarts != 1 || m.Invocations != 2 {
		t.Fatalf("metrics = %+v", m)
	}
}

func TestEnvironment_ConcurrentInvocationsGetTheirOwnTmp(t *testing.T) {
	s, _ := newTestService(t, Options{})
	var mu sync.Mutex
	dirs := map[string]bool{}
	b := newBlocker(3)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		mu.Lock()
		dirs[TmpDir(ctx)] = true
		mu.Unlock()
		b.started <- struct{}{}
		<-b.release
		return nil
	})})
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() { defer wg.Done(); invoke(t, s, &InvokeInput{FunctionName: "f"}) }()
	}
	for range 3 {
		<-b.started
	}
	close(b.release)
	wg.Wait()
	if len(dirs) != 3 {
		t.Fatalf("%d distinct /tmp directories for 3 concurrent environments", len(dirs))
	}
	if s.Environments("f", "") != 3 || s.Warm("f", "") != 3 {
		t.Fatalf("environments %d warm %d", s.Environments("f", ""), s.Warm("f", ""))
	}
}

func TestEnvironment_ColdStartDelayIsOnTheClock(t *testing.T) {
	buf := &logBuffer{}
	s, c := newTestService(t, Options{ColdStart: 250 * time.Millisecond, Logger: slog.New(buf)})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	done := make(chan *InvokeOutput, 1)
	go func() { done <- invoke(t, s, &InvokeInput{FunctionName: "f", LogType: LogTypeTail}) }()
	waitFor(t, c, 1)
	select {
	case <-done:
		t.Fatal("cold start finished before the clock moved")
	default:
	}
	c.Advance(250 * time.Millisecond)
	out := <-done
	tail, _ := base64.StdEncoding.DecodeString(out.LogResult)
	if !strings.Contains(string(tail), "Init Duration: 250.00 ms") || !strings.Contains(string(tail), "Billed Duration: 250 ms") {
		t.Fatalf("cold REPORT = %s", tail)
	}
	// warm: no delay, no Init Duration
	out = invoke(t, s, &InvokeInput{FunctionName: "f", LogType: LogTypeTail})
	tail, _ = base64.StdEncoding.DecodeString(out.LogResult)
	if strings.Contains(string(tail), "Init Duration") || !strings.Contains(string(tail), "Billed Duration: 1 ms") {
		t.Fatalf("warm REPORT = %s", tail)
	}
	if len(buf.find("INIT_START")) != 1 {
		t.Fatalf("INIT_START lines: %v", buf.find("INIT_START"))
	}
}

func TestEnvironment_IdleEnvironmentsAreReaped(t *testing.T) {
	s, c := newTestService(t, Options{IdleTimeout: 5 * time.Minute})
	dirc := make(chan string, 2)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		dir := TmpDir(ctx)
		dirc <- dir
		return os.WriteFile(filepath.Join(dir, "x"), []byte("x"), 0o644)
	})})
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	dir := <-dirc
	c.Advance(4 * time.Minute)
	invoke(t, s, &InvokeInput{FunctionName: "f"}) // warm: the idle clock restarts
	if <-dirc != dir {
		t.Fatal("a warm call got a new environment")
	}
	c.Advance(5*time.Minute - time.Nanosecond)
	if s.Environments("f", "") != 1 {
		t.Fatal("reaped before its idle timeout")
	}
	c.Advance(time.Nanosecond)
	if s.Environments("f", "") != 0 {
		t.Fatal("not reaped after its idle timeout")
	}
	if _, err := os.Stat(dir); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("/tmp of a reaped environment still exists: %v", err)
	}
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	if m := s.Metrics("f", ""); m.ColdStarts != 2 {
		t.Fatalf("cold starts = %d, want 2", m.ColdStarts)
	}
}

func TestEnvironment_UpdateStartsFreshEnvironments(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) (string, error) {
		return Getenv(ctx, "COLOR"), nil
	}), Environment: &Environment{Variables: map[string]string{"COLOR": "blue"}}})
	if out := invoke(t, s, &InvokeInput{FunctionName: "f"}); string(out.Payload) != `"blue"` {
		t.Fatalf("payload = %s", out.Payload)
	}
	if _, err := s.UpdateFunctionConfiguration(context.Background(), &UpdateFunctionConfigurationInput{FunctionName: "f", Environment: &Environment{Variables: map[string]string{"COLOR": "green"}}}); err != nil {
		t.Fatal(err)
	}
	if out := invoke(t, s, &InvokeInput{FunctionName: "f"}); string(out.Payload) != `"green"` {
		t.Fatalf("after update: %s", out.Payload)
	}
	if m := s.Metrics("f", ""); m.ColdStarts != 2 {
		t.Fatalf("cold starts = %d", m.ColdStarts)
	}
}

func TestTmp_StorageLimitGivesENOSPC(t *testing.T) {
	// A 4 MB /tmp (the quota's minimum lowered) keeps the test small.
	s, _ := newTestService(t, Options{Limits: Limits{MinEphemeralStorageMB: 1}})
	errc := make(chan error, 8)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", EphemeralStorage: &EphemeralStorage{Size: 4}, Handler: Handler(func(ctx context.Context) error {
		tmp := TmpFS(ctx)
		if tmp.Size() != 4<<20 {
			t.Errorf("Size = %d", tmp.Size())
		}
		// 2 MB written outside Tmp is counted by the next open.
		big, _ := os.Create(filepath.Join(tmp.Path(), "outside"))
		big.Truncate(2 << 20)
		big.Close()
		f, err := tmp.Create("/tmp/data")
		if err != nil {
			return err
		}
		defer f.Close()
		chunk := make([]byte, 3<<19)
		n1, err1 := f.Write(chunk) // 3.5 MB used
		n2, err2 := f.Write(chunk) // only 0.5 MB fits
		errc <- err1
		errc <- err2
		if n1 != 3<<19 || n2 != 1<<19 {
			t.Errorf("wrote %d then %d", n1, n2)
		}
		used, _ := tmp.Used()
		if used != 4<<20 {
			t.Errorf("used = %d", used)
		}
		errc <- tmp.WriteFile("more", []byte("x"), 0o644)
		if err := tmp.Remove("outside"); err != nil {
			return err
		}
		errc <- tmp.WriteFile("more", make([]byte, 1<<20), 0o644)
		if tmp.WriteFile("more", make([]byte, 3<<20), 0o644) == nil {
			t.Error("WriteFile over the limit succeeded")
		}
		_, err = tmp.OpenFile("../escape", os.O_CREATE|os.O_WRONLY, 0o644)
		errc <- err
		return nil
	})})
	if out := invoke(t, s, &InvokeInput{FunctionName: "f"}); out.FunctionError != "" {
		t.Fatalf("out = %s", out.Payload)
	}
	if err := <-errc; err != nil {
		t.Fatalf("first write: %v", err)
	}
	for _, what := range []string{"second write", "WriteFile when full"} {
		err := <-errc
		var pe *fs.PathError
		if !errors.Is(err, syscall.ENOSPC) || !errors.As(err, &pe) {
			t.Fatalf("%s: err = %v, want ENOSPC", what, err)
		}
	}
	if err := <-errc; err != nil {
		t.Fatalf("write after freeing space: %v", err)
	}
	if err := <-errc; !errors.Is(err, fs.ErrInvalid) {
		t.Fatalf("path escaping /tmp: %v", err)
	}
}

func TestTmp_FileOperations(t *testing.T) {
	tmp := newTmp(t.TempDir(), 1)
	if err := tmp.MkdirAll("a/b", 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := tmp.OpenFile("a/b/c", os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("hello"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("J"), 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 20); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1<<20 + 1); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("truncate past the limit: %v", err)
	}
	if _, err := f.WriteAt([]byte("xx"), 1<<20-1); !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("WriteAt past the limit: %v", err)
	}
	if err := f.Truncate(2); err != nil {
		t.Fatal(err)
	}
	f.Seek(0, 0)
	buf := make([]byte, 2)
	if _, err := f.Read(buf); err != nil || string(buf) != "Je" {
		t.Fatalf("read %q %v", buf, err)
	}
	st, _ := f.Stat()
	if st.Size() != 2 || !strings.HasSuffix(f.Name(), "c") || f.Sync() != nil || f.Close() != nil {
		t.Fatalf("stat %v", st.Size())
	}
	tmp.remove()
	if tmp.Path() != "" {
		t.Fatal("a removed /tmp still has a path")
	}
	if _, err := tmp.ReadFile("a/b/c"); err == nil {
		t.Fatal("read from a removed /tmp")
	}
}
