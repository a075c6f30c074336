package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

func newProcessService(t testing.TB) (*Service, *logBuffer) {
	t.Helper()
	if runtime.GOOS == "windows" || runtime.GOOS == "js" || runtime.GOOS == "wasip1" {
		t.Skip("process tests need a Unix")
	}
	logs := &logBuffer{}
	// A small response quota keeps the oversized-response test fast.
	s, _ := newTestService(t, Options{Logger: slog.New(logs), Limits: Limits{MaxResponsePayload: 32 << 10}})
	return s, logs
}

type echoReply struct {
	Event   json.RawMessage
	Env     map[string]string
	Headers map[string]string
	Pid     int
	Count   int
}

func decodeEcho(t *testing.T, out *InvokeOutput) echoReply {
	t.Helper()
	if out.FunctionError != "" {
		t.Fatalf("function error: %s", out.Payload)
	}
	var r echoReply
	if err := json.Unmarshal(out.Payload, &r); err != nil {
		t.Fatalf("payload %s: %v", out.Payload, err)
	}
	return r
}

// alive reports whether a process of ours still exists (not yet reaped).
func alive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	return p.Signal(syscall.Signal(0)) == nil
}

func TestProcess_GetsEventHeadersAndLambdaEnvironment(t *testing.T) {
	s, logs := newProcessService(t)
	proc := fakeProcess(t, "echo")
	mustCreate(t, s, &CreateFunctionInput{
		FunctionName: "orders",
		Handler:      ProcessHandler(proc),
		MemorySize:   256,
		Timeout:      5,
		Environment:  &Environment{Variables: map[string]string{"TABLE_NAME": "orders"}},
	})
	cc := base64.StdEncoding.EncodeToString([]byte(`{"client":{"app_title":"shop"},"custom":{"k":"v"}}`))
	out := invoke(t, s, &InvokeInput{
		FunctionName:  "orders",
		Payload:       []byte(`{"orderId":"o-1"}`),
		LogType:       LogTypeTail,
		ClientContext: cc,
		Identity:      &CognitoIdentity{CognitoIdentityID: "id-1", CognitoIdentityPoolID: "pool-1"},
	})
	r := decodeEcho(t, out)
	if string(r.Event) != `{"orderId":"o-1"}` {
		t.Errorf("event = %s", r.Event)
	}
	id := r.Headers["Lambda-Runtime-Aws-Request-Id"]
	if id == "" {
		t.Fatalf("no request ID header in %v", r.Headers)
	}
	wantHeaders := map[string]string{
		"Lambda-Runtime-Invoked-Function-Arn": "arn:aws:lambda:us-east-1:123456789012:function:orders",
		"Lambda-Runtime-Deadline-Ms":          strconv.FormatInt(epoch.Add(5*time.Second).UnixMilli(), 10),
		"Lambda-Runtime-Trace-Id":             traceID(epoch, id),
		"Lambda-Runtime-Cognito-Identity":     `{"cognitoIdentityId":"id-1","cognitoIdentityPoolId":"pool-1"}`,
	}
	for k, v := range wantHeaders {
		if r.Headers[k] != v {
			t.Errorf("%s = %q, want %q", k, r.Headers[k], v)
		}
	}
	var got ClientContext
	if err := json.Unmarshal([]byte(r.Headers["Lambda-Runtime-Client-Context"]), &got); err != nil || got.Client.AppTitle != "shop" || got.Custom["k"] != "v" {
		t.Errorf("client context header = %q", r.Headers["Lambda-Runtime-Client-Context"])
	}
	wantEnv := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        "orders",
		"AWS_LAMBDA_FUNCTION_VERSION":     "$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/orders",
		"AWS_REGION":                      "us-east-1",
		"AWS_DEFAULT_REGION":              "us-east-1",
		"_HANDLER":                        "bootstrap",
		"LAMBDA_TASK_ROOT":                filepath.Dir(proc.Command),
		"LAMBDA_RUNTIME_DIR":              "/var/runtime",
		"TZ":                              ":UTC",
		"TABLE_NAME":                      "orders",
		fakeRuntimeVar:                    "echo",
	}
	for k, v := range wantEnv {
		if r.Env[k] != v {
			t.Errorf("env %s = %q, want %q", k, r.Env[k], v)
		}
	}
	if !strings.HasPrefix(r.Env["AWS_LAMBDA_LOG_STREAM_NAME"], "2025/01/01/[$LATEST]") {
		t.Errorf("log stream = %q", r.Env["AWS_LAMBDA_LOG_STREAM_NAME"])
	}
	if !strings.HasPrefix(r.Env["AWS_LAMBDA_RUNTIME_API"], "127.0.0.1:") {
		t.Errorf("AWS_LAMBDA_RUNTIME_API = %q", r.Env["AWS_LAMBDA_RUNTIME_API"])
	}
	if _, ok := r.Env["AWS_EXECUTION_ENV"]; ok {
		t.Errorf("AWS_EXECUTION_ENV set for an OS-only runtime")
	}
	if _, ok := r.Env["HOME"]; ok && os.Getenv("HOME") != "" {
		t.Errorf("the process inherited minicloud's environment (HOME)")
	}
	tail, _ := base64.StdEncoding.DecodeString(out.LogResult)
	for _, want := range []string{"init echo pid", "handling " + id, "stderr line 1", "REPORT RequestId: " + id} {
		if !strings.Contains(string(tail), want) {
			t.Errorf("LogResult lacks %q:\n%s", want, tail)
		}
	}
	for i, l := range logs.lines {
		if l == "handling "+id && logs.attrs[i]["requestId"] != id {
			t.Errorf("process line tagged %v", logs.attrs[i])
		}
	}
}

func TestProcess_ManagedRuntimeSetsExecutionEnv(t *testing.T) {
	s, _ := newProcessService(t)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "py", Runtime: "python3.12", Handler: ProcessHandler(fakeProcess(t, "echo"))})
	r := decodeEcho(t, invoke(t, s, &InvokeInput{FunctionName: "py"}))
	if r.Env["AWS_EXECUTION_ENV"] != "AWS_Lambda_python3.12" {
		t.Errorf("AWS_EXECUTION_ENV = %q", r.Env["AWS_EXECUTION_ENV"])
	}
}

func TestProcess_ReusesTheEnvironmentThenReapsIt(t *testing.T) {
	s, _ := newProcessService(t)
	c := s.clock.(*clock.Manual)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, "echo"))})
	a := decodeEcho(t, invoke(t, s, &InvokeInput{FunctionName: "f"}))
	b := decodeEcho(t, invoke(t, s, &InvokeInput{FunctionName: "f"}))
	if a.Pid != b.Pid || b.Count != 2 {
		t.Fatalf("second invocation ran in pid %d (count %d), first in %d", b.Pid, b.Count, a.Pid)
	}
	if n := s.Warm("f", ""); n != 1 {
		t.Fatalf("Warm = %d", n)
	}
	c.Advance(10 * time.Minute)
	if n := s.Environments("f", ""); n != 0 {
		t.Fatalf("Environments after the idle timeout = %d", n)
	}
	if alive(a.Pid) {
		t.Fatalf("process %d survived its environment", a.Pid)
	}
	d := decodeEcho(t, invoke(t, s, &InvokeInput{FunctionName: "f"}))
	if d.Pid == a.Pid || d.Count != 1 {
		t.Fatalf("after reaping, pid %d count %d", d.Pid, d.Count)
	}
}

func TestProcess_PostedErrorIsTheFunctionError(t *testing.T) {
	s, _ := newProcessService(t)
	fn := mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, "error"))})
	out := invoke(t, s, &InvokeInput{FunctionName: "f"})
	if out.FunctionError != FunctionErrorUnhandled || string(out.Payload) != `{"errorMessage":"bad input","errorType":"ValidationError"}` {
		t.Fatalf("got %q %s", out.FunctionError, out.Payload)
	}
	if n := s.Warm("f", ""); n != 1 {
		t.Errorf("an error must keep the environment; Warm = %d", n)
	}
	_, err := fn.Invoke(context.Background(), nil)
	var fe *FunctionError
	if !errors.As(err, &fe) || fe.ErrorType != "ValidationError" || fe.ErrorMessage != "bad input" {
		t.Fatalf("Function.Invoke error = %v", err)
	}
}

func TestProcess_CrashIsRuntimeExitError(t *testing.T) {
	cases := []struct {
		mode     string
		wantBody func(id string) string
		wantLog  string
	}{
		{"exit", func(id string) string {
			return `{"errorMessage":"RequestId: ` + id + ` Error: Runtime exited with error: exit status 3","errorType":"Runtime.ExitError"}`
		}, "Error: Runtime exited with error: exit status 3\nRuntime.ExitError"},
		{"panic", func(string) string { return `{"errorMessage":"boom","errorType":"string","stackTrace":[]}` },
			"Error: Runtime exited with error: exit status 2\nRuntime.ExitError"},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			s, logs := newProcessService(t)
			mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, tc.mode))})
			out := invoke(t, s, &InvokeInput{FunctionName: "f", LogType: LogTypeTail})
			report := logs.find("REPORT RequestId: ")
			if len(report) != 1 {
				t.Fatalf("REPORT lines: %v", report)
			}
			id := strings.Fields(report[0])[2]
			if out.FunctionError != FunctionErrorUnhandled || string(out.Payload) != tc.wantBody(id) {
				t.Fatalf("got %q %s", out.FunctionError, out.Payload)
			}
			tail, _ := base64.StdEncoding.DecodeString(out.LogResult)
			if !strings.Contains(string(tail), "RequestId: "+id+" "+tc.wantLog) {
				t.Errorf("log lacks the exit line:\n%s", tail)
			}
			if tc.mode == "exit" && !strings.Contains(string(tail), "about to exit") {
				t.Errorf("log lacks the process's last line:\n%s", tail)
			}
			if n := s.Environments("f", ""); n != 0 {
				t.Errorf("Environments after a crash = %d", n)
			}
		})
	}
}

func TestProcess_TimeoutKillsTheProcess(t *testing.T) {
	s, logs := newProcessService(t)
	c := s.clock.(*clock.Manual)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 3, Handler: ProcessHandler(fakeProcess(t, "hang"))})
	done := make(chan *InvokeOutput, 1)
	go func() {
		out, _ := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f"})
		done <- out
	}()
	waitFor(t, c, 1) // the deadline timer: init is over and its lines are logged
	pid := 0
	for _, l := range logs.find("init hang pid ") {
		pid, _ = strconv.Atoi(strings.TrimPrefix(l, "init hang pid "))
	}
	if pid == 0 || !alive(pid) {
		t.Fatalf("runtime process not found in the log: %v", logs.lines)
	}
	c.Advance(3 * time.Second)
	out := <-done
	id := strings.Fields(logs.find("START RequestId: ")[0])[2]
	want := `{"errorMessage":"RequestId: ` + id + ` Error: Task timed out after 3.00 seconds","errorType":"Sandbox.Timedout"}`
	if out.FunctionError != FunctionErrorUnhandled || string(out.Payload) != want {
		t.Fatalf("got %q %s", out.FunctionError, out.Payload)
	}
	if alive(pid) {
		t.Fatalf("process %d still runs after the timeout", pid)
	}
	if n := s.Environments("f", ""); n != 0 {
		t.Fatalf("Environments after a timeout = %d", n)
	}
}

func TestProcess_FailedInitIsReported(t *testing.T) {
	cases := []struct {
		mode     string
		wantType string
		wantBody func(id string) string
		wantLog  string
	}{
		{"initerror", "Runtime.ConfigError", func(string) string {
			return `{"errorMessage":"missing TABLE_NAME","errorType":"Runtime.ConfigError"}`
		}, "init initerror"},
		{"initexit", "Runtime.ExitError", func(id string) string {
			return `{"errorMessage":"RequestId: ` + id + ` Error: Runtime exited with error: exit status 1","errorType":"Runtime.ExitError"}`
		}, "cannot load configuration"},
	}
	for _, tc := range cases {
		t.Run(tc.mode, func(t *testing.T) {
			s, logs := newProcessService(t)
			mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, tc.mode))})
			out := invoke(t, s, &InvokeInput{FunctionName: "f"})
			id := strings.Fields(logs.find("START RequestId: ")[0])[2]
			if out.FunctionError != FunctionErrorUnhandled || string(out.Payload) != tc.wantBody(id) {
				t.Fatalf("got %q %s", out.FunctionError, out.Payload)
			}
			if len(logs.find(tc.wantLog)) == 0 {
				t.Errorf("log lacks %q:\n%s", tc.wantLog, logs.text())
			}
			if r := logs.find("INIT_REPORT"); len(r) != 1 || !strings.Contains(r[0], "Status: error\tError Type: "+tc.wantType) {
				t.Errorf("INIT_REPORT = %v", r)
			}
			if n := s.Environments("f", ""); n != 0 {
				t.Errorf("Environments after a failed init = %d", n)
			}
		})
	}
}

func TestProcess_OversizedResponseIsFunctionResponseSizeTooLarge(t *testing.T) {
	s, _ := newProcessService(t)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, "big"))})
	out := invoke(t, s, &InvokeInput{FunctionName: "f"})
	want := fmt.Sprintf(`{"errorMessage":"Response payload size exceeded maximum allowed payload size (%d bytes).","errorType":"Function.ResponseSizeTooLarge"}`, s.limits.MaxResponsePayload)
	if out.FunctionError != FunctionErrorUnhandled || string(out.Payload) != want {
		t.Fatalf("got %q %.200s", out.FunctionError, out.Payload)
	}
}

func TestProcessHandler_RefusesACommandThatCannotRun(t *testing.T) {
	s, _ := newProcessService(t)
	for _, p := range []Process{{}, {Command: filepath.Join(t.TempDir(), "bootstrap")}} {
		_, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(p)})
		if !errors.Is(err, ErrInvalidParameterValue) {
			t.Errorf("CreateFunction(%+v) = %v", p, err)
		}
	}
}

func TestProcess_CloseStopsTheProcesses(t *testing.T) {
	s, _ := newProcessService(t)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, "echo"))})
	r := decodeEcho(t, invoke(t, s, &InvokeInput{FunctionName: "f"}))
	s.Close()
	if alive(r.Pid) {
		t.Fatalf("process %d survived Close", r.Pid)
	}
}

func TestProcess_ConcurrentInvocationsRunInTheirOwnProcesses(t *testing.T) {
	s, _ := newProcessService(t)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, "meet"))})
	// The rendezvous answers nobody until both invocations are there, so
	// they must run at once, in two environments.
	var mu sync.Mutex
	arrived, both := 0, make(chan struct{})
	meet := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		if arrived++; arrived == 2 {
			close(both)
		}
		mu.Unlock()
		<-both
	}))
	defer meet.Close()
	payload, _ := json.Marshal(map[string]string{"url": meet.URL})
	pids := make(chan int, 2)
	for range 2 {
		go func() {
			out, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f", Payload: payload})
			var r struct{ Pid int }
			if err != nil || json.Unmarshal(out.Payload, &r) != nil {
				t.Errorf("Invoke: %v", err)
			}
			pids <- r.Pid
		}()
	}
	a, b := <-pids, <-pids
	if a == 0 || a == b {
		t.Fatalf("pids %d and %d", a, b)
	}
	if n := s.Warm("f", ""); n != 2 {
		t.Fatalf("Warm = %d, want 2", n)
	}
}

func TestProcess_ExitWhileIdleDiscardsTheEnvironment(t *testing.T) {
	s, _ := newProcessService(t)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, "echo"))})
	r := decodeEcho(t, invoke(t, s, &InvokeInput{FunctionName: "f"}))
	p, err := os.FindProcess(r.Pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Kill(); err != nil {
		t.Fatal(err)
	}
	guard := time.NewTimer(10 * time.Second) // a real-time guard, not a sleep
	defer guard.Stop()
	for s.Environments("f", "") != 0 {
		select {
		case <-guard.C:
			t.Fatal("the environment of a dead process was kept")
		default:
			runtime.Gosched()
		}
	}
	if d := decodeEcho(t, invoke(t, s, &InvokeInput{FunctionName: "f"})); d.Pid == r.Pid || d.Count != 1 {
		t.Fatalf("next invocation in pid %d count %d", d.Pid, d.Count)
	}
}

func TestProcess_StreamedResponseReachesTheCaller(t *testing.T) {
	s, _ := newProcessService(t)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: ProcessHandler(fakeProcess(t, "stream"))})
	out, err := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "f"})
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(out.EventStream)
	if err != nil || string(got) != "first second" {
		t.Fatalf("streamed %q, %v", got, err)
	}
	// Invoked without streaming, the same response is collected.
	if r := invoke(t, s, &InvokeInput{FunctionName: "f"}); r.FunctionError != "" || string(r.Payload) != "first second" {
		t.Fatalf("Invoke = %q %s", r.FunctionError, r.Payload)
	}
}

// BenchmarkInvoke_Warm compares a warm invocation of a runtime process
// (two loopback HTTP round trips per invocation) with a warm Go handler.
func BenchmarkInvoke_Warm(b *testing.B) {
	for _, tc := range []struct {
		name string
		code func() *Code
	}{
		{"gohandler", func() *Code { return Handler(echo) }},
		{"process", func() *Code { return ProcessHandler(fakeProcess(b, "greet")) }},
	} {
		b.Run(tc.name, func(b *testing.B) {
			s, _ := newTestService(b, Options{})
			mustCreate(b, s, &CreateFunctionInput{FunctionName: "f", Handler: tc.code()})
			in := &InvokeInput{FunctionName: "f", Payload: []byte(`{"orderId":"o-1"}`)}
			invoke(b, s, in) // cold start outside the timing
			b.ResetTimer()
			for b.Loop() {
				if out := invoke(b, s, in); out.FunctionError != "" {
					b.Fatal(string(out.Payload))
				}
			}
		})
	}
}
