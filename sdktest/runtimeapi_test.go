package sdktest

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

// buildLambdaBin builds ./lambdabin, a main calling aws-lambda-go's
// lambda.Start, into the test's temporary directory as "bootstrap", the
// name of a provided.al2023 function's executable.
func buildLambdaBin(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the Runtime API test runs a Unix executable")
	}
	bin := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-o", bin, "./lambdabin")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./lambdabin: %v\n%s", err, out)
	}
	return bin
}

// lineLog is a slog handler that keeps the function log's lines and
// signals each new one, so a test can wait for a line without sleeping.
type lineLog struct {
	mu    sync.Mutex
	lines []string
	added chan struct{}
}

func newLineLog() *lineLog { return &lineLog{added: make(chan struct{})} }

func (l *lineLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *lineLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *lineLog) WithGroup(string) slog.Handler            { return l }
func (l *lineLog) Handle(_ context.Context, r slog.Record) error {
	l.mu.Lock()
	l.lines = append(l.lines, r.Message)
	close(l.added)
	l.added = make(chan struct{})
	l.mu.Unlock()
	return nil
}

// waitLine waits for a line containing s and returns it.
func (l *lineLog) waitLine(t *testing.T, s string) string {
	t.Helper()
	guard := time.NewTimer(30 * time.Second) // a real-time guard, not a sleep
	defer guard.Stop()
	for {
		l.mu.Lock()
		for _, line := range l.lines {
			if strings.Contains(line, s) {
				l.mu.Unlock()
				return line
			}
		}
		ch := l.added
		l.mu.Unlock()
		select {
		case <-ch:
		case <-guard.C:
			t.Fatalf("no log line contains %q", s)
		}
	}
}

func (l *lineLog) has(s string) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, line := range l.lines {
		if strings.Contains(line, s) {
			return true
		}
	}
	return false
}

type binReply struct {
	Greeting    string `json:"greeting"`
	RequestID   string `json:"requestId"`
	FunctionARN string `json:"functionArn"`
	Function    string `json:"function"`
	Version     string `json:"version"`
	MemoryMB    int    `json:"memoryMB"`
	LogStream   string `json:"logStream"`
	Table       string `json:"table"`
	DeadlineMs  int64  `json:"deadlineMs"`
	TraceID     string `json:"traceId"`
	PID         int    `json:"pid"`
	Count       int    `json:"count"`
}

func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	return err == nil && p.Signal(syscall.Signal(0)) == nil
}

// newBinService returns a Lambda service on a manual clock that starts at
// the real time: the binary reads its deadline (Lambda-Runtime-Deadline-Ms)
// with its own clock, so the two must agree at the start.
func newBinService(t *testing.T) (*lambda.Service, *clock.Manual, *lineLog) {
	t.Helper()
	c := clock.NewManual(clock.Real().Now())
	logs := newLineLog()
	s := lambda.New(lambda.Options{Clock: c, Logger: slog.New(logs), TmpDir: t.TempDir()})
	t.Cleanup(func() { s.Close() })
	return s, c, logs
}

func TestRuntimeAPI_AwsLambdaGoBinaryRunsUnchanged(t *testing.T) {
	bin := buildLambdaBin(t)
	s, c, logs := newBinService(t)
	ctx := context.Background()
	_, err := s.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "greeter",
		Handler:      lambda.ProcessHandler(lambda.Process{Command: bin}),
		MemorySize:   512,
		Timeout:      30,
		Environment:  &lambda.Environment{Variables: map[string]string{"TABLE_NAME": "orders"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	call := func(payload string) *lambda.InvokeOutput {
		t.Helper()
		out, err := s.Invoke(ctx, &lambda.InvokeInput{FunctionName: "greeter", Payload: []byte(payload)})
		if err != nil {
			t.Fatalf("Invoke(%s): %v", payload, err)
		}
		return out
	}
	hello := func() binReply {
		t.Helper()
		out := call(`{"action":"hello","name":"ada"}`)
		var r binReply
		if out.FunctionError != "" || json.Unmarshal(out.Payload, &r) != nil {
			t.Fatalf("hello: %q %s", out.FunctionError, out.Payload)
		}
		return r
	}

	var first binReply
	t.Run("response", func(t *testing.T) {
		start := c.Now()
		first = hello()
		want := binReply{
			Greeting: "hello ada", FunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:greeter",
			Function: "greeter", Version: "$LATEST", MemoryMB: 512, Table: "orders",
			DeadlineMs: start.Add(30 * time.Second).UnixMilli(), Count: 1,
		}
		got := first
		got.RequestID, got.LogStream, got.TraceID, got.PID = "", "", "", 0
		if got != want {
			t.Errorf("reply = %+v\nwant    %+v", got, want)
		}
		if !logs.has("START RequestId: "+first.RequestID) || !strings.HasPrefix(first.TraceID, "Root=1-") {
			t.Errorf("request %q trace %q not Lambda's", first.RequestID, first.TraceID)
		}
		if !strings.Contains(first.LogStream, "[$LATEST]") {
			t.Errorf("log stream = %q", first.LogStream)
		}
		logs.waitLine(t, "hello ada in pid "+strconv.Itoa(first.PID))
	})

	t.Run("environment reuse", func(t *testing.T) {
		r := hello()
		if r.PID != first.PID || r.Count != 2 {
			t.Fatalf("second invocation in pid %d count %d, first in pid %d", r.PID, r.Count, first.PID)
		}
	})

	t.Run("handler error", func(t *testing.T) {
		out := call(`{"action":"error","name":"o-9"}`)
		if out.FunctionError != lambda.FunctionErrorUnhandled || string(out.Payload) != `{"errorMessage":"bad order o-9","errorType":"errorString"}` {
			t.Fatalf("got %q %s", out.FunctionError, out.Payload)
		}
		if r := hello(); r.PID != first.PID {
			t.Fatalf("a returned error replaced the environment (pid %d, was %d)", r.PID, first.PID)
		}
	})

	t.Run("panic", func(t *testing.T) {
		out := call(`{"action":"panic","name":"p"}`)
		var doc struct {
			ErrorMessage string            `json:"errorMessage"`
			ErrorType    string            `json:"errorType"`
			StackTrace   []json.RawMessage `json:"stackTrace"`
		}
		if err := json.Unmarshal(out.Payload, &doc); err != nil || out.FunctionError != lambda.FunctionErrorUnhandled ||
			doc.ErrorMessage != "boom p" || doc.ErrorType != "string" || len(doc.StackTrace) == 0 {
			t.Fatalf("got %q %s", out.FunctionError, out.Payload)
		}
		// lambda.Start reports the panic, then exits with log.Fatal.
		logs.waitLine(t, "Error: Runtime exited with error: exit status 1\nRuntime.ExitError")
		if processAlive(first.PID) {
			t.Fatalf("process %d survived its panic", first.PID)
		}
		if r := hello(); r.PID == first.PID || r.Count != 1 {
			t.Fatalf("after a crash, pid %d count %d", r.PID, r.Count)
		}
	})

	t.Run("exit", func(t *testing.T) {
		out := call(`{"action":"exit"}`)
		var doc struct{ ErrorMessage, ErrorType string }
		json.Unmarshal(out.Payload, &doc)
		if doc.ErrorType != "Runtime.ExitError" || !strings.HasPrefix(doc.ErrorMessage, "RequestId: ") ||
			!strings.HasSuffix(doc.ErrorMessage, " Error: Runtime exited with error: exit status 7") {
			t.Fatalf("got %q %s", out.FunctionError, out.Payload)
		}
		if !logs.has("exiting") {
			t.Errorf("the process's last line is not in the log")
		}
	})

	t.Run("reaped when idle", func(t *testing.T) {
		r := hello()
		c.Advance(10 * time.Minute)
		if n := s.Environments("greeter", ""); n != 0 {
			t.Fatalf("Environments after the idle timeout = %d", n)
		}
		if processAlive(r.PID) {
			t.Fatalf("process %d survived its environment", r.PID)
		}
	})

	t.Run("timeout kills the process", func(t *testing.T) { testBinaryTimeout(t, bin) })
}

// testBinaryTimeout checks that the deadline, on the service's clock,
// kills the binary.
func testBinaryTimeout(t *testing.T, bin string) {
	s, c, logs := newBinService(t)
	ctx := context.Background()
	if _, err := s.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "waiter",
		Handler:      lambda.ProcessHandler(lambda.Process{Command: bin}),
		Timeout:      60,
	}); err != nil {
		t.Fatal(err)
	}
	done := make(chan *lambda.InvokeOutput, 1)
	go func() {
		out, err := s.Invoke(ctx, &lambda.InvokeInput{FunctionName: "waiter", Payload: []byte(`{"action":"wait","name":"w"}`)})
		if err != nil {
			t.Error(err)
		}
		done <- out
	}()
	line := logs.waitLine(t, "wait w in pid ")
	pid, _ := strconv.Atoi(line[strings.LastIndexByte(line, ' ')+1:])
	if !processAlive(pid) {
		t.Fatalf("no process %d (line %q)", pid, line)
	}
	c.Advance(60 * time.Second) // the binary's own deadline is a minute of real time away
	out := <-done
	var doc struct{ ErrorMessage, ErrorType string }
	if out == nil || json.Unmarshal(out.Payload, &doc) != nil || doc.ErrorType != "Sandbox.Timedout" ||
		!strings.HasSuffix(doc.ErrorMessage, " Error: Task timed out after 60.00 seconds") {
		t.Fatalf("got %+v", out)
	}
	if processAlive(pid) {
		t.Fatalf("process %d still runs after the timeout", pid)
	}
	if !logs.has("Task timed out after 60.00 seconds") {
		t.Errorf("the log lacks the timeout line")
	}
	var fe *lambda.FunctionError
	if _, err := s.Function("waiter").Invoke(ctx, []byte(`{"action":"hello","name":"again"}`)); errors.As(err, &fe) {
		t.Fatalf("a new environment after the timeout failed: %v", err)
	}
}
