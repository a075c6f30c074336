package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestInvoke_RequestResponseRoundTripsJSON(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "echo", Handler: Handler(echo)})
	out := invoke(t, s, &InvokeInput{FunctionName: "echo", Payload: []byte(`{"a":1,"b":"<x>"}`)})
	if out.StatusCode != 200 || out.FunctionError != "" || out.ExecutedVersion != "$LATEST" {
		t.Fatalf("out = %+v", out)
	}
	if got, want := string(out.Payload), `{"a":1,"b":"<x>"}`; got != want {
		t.Fatalf("payload = %s, want %s", got, want)
	}
}

func TestInvoke_EmptyPayloadIsEmptyObject(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "echo", Handler: Handler(echo)})
	out := invoke(t, s, &InvokeInput{FunctionName: "echo"})
	if string(out.Payload) != `{}` {
		t.Fatalf("payload = %s", out.Payload)
	}
}

func TestInvoke_InvocationTypes(t *testing.T) {
	s, _ := newTestService(t, Options{})
	ran := make(chan struct{}, 4)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func() { ran <- struct{}{} })})
	for _, tc := range []struct {
		typ    string
		status int
		runs   int
	}{
		{InvocationTypeRequestResponse, 200, 1},
		{"", 200, 1},
		{InvocationTypeEvent, 202, 1},
		{InvocationTypeDryRun, 204, 0},
	} {
		out := invoke(t, s, &InvokeInput{FunctionName: "f", InvocationType: tc.typ})
		if out.StatusCode != tc.status {
			t.Errorf("%q: status %d, want %d", tc.typ, out.StatusCode, tc.status)
		}
		if err := s.WaitAsync(context.Background()); err != nil {
			t.Fatal(err)
		}
		if len(ran) != tc.runs {
			t.Errorf("%q: ran %d times, want %d", tc.typ, len(ran), tc.runs)
		}
		for len(ran) > 0 {
			<-ran
		}
	}
}

func TestInvoke_RejectsBadParameters(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	for _, tc := range []struct {
		name string
		in   *InvokeInput
		want *Error
	}{
		{"nil", nil, ErrInvalidParameterValue},
		{"bad type", &InvokeInput{FunctionName: "f", InvocationType: "Sync"}, ErrInvalidParameterValue},
		{"bad log type", &InvokeInput{FunctionName: "f", LogType: "All"}, ErrInvalidParameterValue},
		{"not json", &InvokeInput{FunctionName: "f", Payload: []byte(`{nope`)}, ErrInvalidRequestContent},
		{"missing", &InvokeInput{FunctionName: "nope"}, ErrResourceNotFound},
		{"missing version", &InvokeInput{FunctionName: "f", Qualifier: "7"}, ErrResourceNotFound},
		{"missing alias", &InvokeInput{FunctionName: "f:live"}, ErrResourceNotFound},
		{"bad name", &InvokeInput{FunctionName: "a b"}, ErrInvalidParameterValue},
		{"other account", &InvokeInput{FunctionName: "arn:aws:lambda:us-east-1:999999999999:function:f"}, ErrResourceNotFound},
		{"qualifier mismatch", &InvokeInput{FunctionName: "f:1", Qualifier: "2"}, ErrInvalidParameterValue},
		{"bad client context", &InvokeInput{FunctionName: "f", ClientContext: "!!"}, ErrInvalidRequestContent},
	} {
		_, err := s.Invoke(context.Background(), tc.in)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %s", tc.name, err, tc.want.Code)
		}
	}
}

func TestInvoke_NotFoundMessageNamesARN(t *testing.T) {
	s, _ := newTestService(t, Options{})
	_, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "ghost"})
	var e *Error
	if !errors.As(err, &e) || e.StatusCode != 404 || e.Message != "Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost" {
		t.Fatalf("err = %#v", err)
	}
}

func TestInvoke_AcceptsEveryFunctionNameForm(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo), Publish: true})
	for _, name := range []string{
		"f", "f:$LATEST", "f:1",
		"123456789012:function:f", "123456789012:function:f:1",
		"arn:aws:lambda:us-east-1:123456789012:function:f",
		"arn:aws:lambda:us-east-1:123456789012:function:f:1",
	} {
		if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: name}); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestInvoke_FunctionErrorCarriesTypeAndMessage(t *testing.T) {
	s, _ := newTestService(t, Options{})
	f := mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		return errors.New("card declined")
	})})
	out := invoke(t, s, &InvokeInput{FunctionName: "f"})
	if out.StatusCode != 200 || out.FunctionError != "Unhandled" {
		t.Fatalf("out = %+v", out)
	}
	if got, want := string(out.Payload), `{"errorMessage":"card declined","errorType":"errorString"}`; got != want {
		t.Fatalf("payload = %s, want %s", got, want)
	}
	_, err := f.Invoke(context.Background(), nil)
	var fe *FunctionError
	if !errors.As(err, &fe) || fe.ErrorType != "errorString" || fe.ErrorMessage != "card declined" || fe.FunctionError != "Unhandled" {
		t.Fatalf("Function.Invoke err = %#v", err)
	}
}

type declined struct{ Code int }

func (d *declined) Error() string { return "declined " + string(rune('0'+d.Code)) }

func TestInvoke_ErrorTypeIsGoTypeName(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func() error { return &declined{Code: 5} })})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "g", Handler: Handler(func() error {
		return &FunctionError{ErrorType: "Custom.Thing", ErrorMessage: "explicit"}
	})})
	out := invoke(t, s, &InvokeInput{FunctionName: "f"})
	if got := string(out.Payload); got != `{"errorMessage":"declined 5","errorType":"declined"}` {
		t.Fatalf("payload = %s", got)
	}
	out = invoke(t, s, &InvokeInput{FunctionName: "g"})
	if got := string(out.Payload); got != `{"errorMessage":"explicit","errorType":"Custom.Thing"}` {
		t.Fatalf("payload = %s", got)
	}
}

func TestInvoke_PanicIsUnhandledAndDiscardsEnvironment(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context, in struct{ Boom bool }) (string, error) {
		if in.Boom {
			panic("boom")
		}
		return "ok", nil
	})})
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	if s.Warm("f", "") != 1 {
		t.Fatalf("warm = %d, want 1 after a good call", s.Warm("f", ""))
	}
	out := invoke(t, s, &InvokeInput{FunctionName: "f", Payload: []byte(`{"Boom":true}`)})
	if out.FunctionError != "Unhandled" {
		t.Fatalf("FunctionError = %q", out.FunctionError)
	}
	var doc FunctionError
	if err := json.Unmarshal(out.Payload, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ErrorType != "string" || doc.ErrorMessage != "boom" || len(doc.StackTrace) == 0 {
		t.Fatalf("doc = %+v", doc)
	}
	if !strings.Contains(doc.StackTrace[0].Label, "TestInvoke_PanicIsUnhandledAndDiscardsEnvironment") {
		t.Fatalf("first frame = %+v, want the panicking function", doc.StackTrace[0])
	}
	if s.Warm("f", "") != 0 || s.Environments("f", "") != 0 {
		t.Fatalf("environment kept after a panic: warm %d, live %d", s.Warm("f", ""), s.Environments("f", ""))
	}
}

func TestInvoke_TimeoutEndsAtDeadlineOnTheClock(t *testing.T) {
	s, c := newTestService(t, Options{})
	started := make(chan time.Time, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "slow", Timeout: 3, Handler: Handler(func(ctx context.Context) (string, error) {
		dl, _ := ctx.Deadline()
		started <- dl
		<-ctx.Done()
		return "late", ctx.Err()
	})})
	type res struct {
		out *InvokeOutput
		err error
	}
	done := make(chan res, 1)
	go func() {
		out, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "slow", LogType: LogTypeTail})
		done <- res{out, err}
	}()
	dl := <-started
	if want := epoch.Add(3 * time.Second); !dl.Equal(want) {
		t.Fatalf("deadline = %v, want %v (on the clock)", dl, want)
	}
	waitFor(t, c, 1)
	c.Advance(2999 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("invocation ended before its deadline")
	default:
	}
	c.Advance(time.Millisecond)
	r := <-done
	if r.err != nil {
		t.Fatal(r.err)
	}
	if r.out.FunctionError != "Unhandled" {
		t.Fatalf("FunctionError = %q", r.out.FunctionError)
	}
	var doc FunctionError
	json.Unmarshal(r.out.Payload, &doc)
	if doc.ErrorType != "Sandbox.Timedout" || !strings.HasSuffix(doc.ErrorMessage, "Task timed out after 3.00 seconds") {
		t.Fatalf("doc = %+v", doc)
	}
	logs, _ := base64.StdEncoding.DecodeString(r.out.LogResult)
	if !strings.Contains(string(logs), "Task timed out after 3.00 seconds") || !strings.Contains(string(logs), "Status: timeout") {
		t.Fatalf("log = %s", logs)
	}
	if !strings.Contains(string(logs), "Duration: 3000.00 ms\tBilled Duration: 3000 ms") {
		t.Fatalf("REPORT does not bill the timeout: %s", logs)
	}
	if n := s.Environments("slow", ""); n != 0 {
		t.Fatalf("%d environments after a timeout, want 0 (discarded)", n)
	}
}

func TestInvoke_ResponseOver6MBIsFunctionError(t *testing.T) {
	s, _ := newTestService(t, Options{})
	big := strings.Repeat("x", 6<<20+100)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func() (string, error) { return big, nil })})
	out := invoke(t, s, &InvokeInput{FunctionName: "f"})
	if out.FunctionError != "Unhandled" || !strings.Contains(string(out.Payload), `"errorType":"Function.ResponseSizeTooLarge"`) ||
		!strings.Contains(string(out.Payload), "(6291556 bytes)") {
		t.Fatalf("out = %s %.200s", out.FunctionError, out.Payload)
	}
}

func TestInvoke_LogTailIsLast4KBBase64(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		w := LogWriter(ctx)
		for i := 0; i < 200; i++ {
			w.Write([]byte(strings.Repeat("y", 40) + "\n"))
		}
		Logger(ctx).Info("done", "n", 200)
		return nil
	})})
	out := invoke(t, s, &InvokeInput{FunctionName: "f", LogType: LogTypeTail})
	raw, err := base64.StdEncoding.DecodeString(out.LogResult)
	if err != nil {
		t.Fatal(err)
	}
	if len(raw) != 4096 {
		t.Fatalf("tail is %d bytes, want 4096", len(raw))
	}
	text := string(raw)
	if !strings.Contains(text, "INFO done n=200") || !strings.Contains(text, "END RequestId: ") || !strings.Contains(text, "REPORT RequestId: ") {
		t.Fatalf("tail = %q", text[len(text)-300:])
	}
	if out2 := invoke(t, s, &InvokeInput{FunctionName: "f"}); out2.LogResult != "" {
		t.Fatal("LogResult without LogType Tail")
	}
}

func TestInvoke_CallerCancellationDoesNotStopFunction(t *testing.T) {
	s, _ := newTestService(t, Options{})
	release := make(chan struct{})
	finished := make(chan struct{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context) error {
		<-release
		if ctx.Err() != nil {
			t.Error("handler context cancelled by the caller")
		}
		close(finished)
		return nil
	})})
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() {
		_, err := s.Invoke(ctx, &InvokeInput{FunctionName: "f"})
		errc <- err
	}()
	for s.AccountMetrics().ConcurrentExecutions == 0 {
		runtime.Gosched() // yield until the invocation runs
	}
	cancel()
	if err := <-errc; !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	close(release)
	<-finished
}
