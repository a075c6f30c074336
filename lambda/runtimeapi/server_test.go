package runtimeapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

var deadline = time.Date(2025, 1, 1, 0, 0, 3, 0, time.UTC)

// fakeRuntime is a runtime client written in Go, talking to a Server over
// loopback as a bootstrap would.
type fakeRuntime struct {
	t    testing.TB
	base string
}

func startServer(t testing.TB, opts Options) (*Server, *fakeRuntime) {
	t.Helper()
	s := New(opts)
	addr, err := s.Listen()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, &fakeRuntime{t: t, base: "http://" + addr + "/" + Version + "/runtime/"}
}

type reply struct {
	status int
	header http.Header
	body   string
}

func (f *fakeRuntime) do(method, path string, header http.Header, body io.Reader) reply {
	f.t.Helper()
	req, err := http.NewRequest(method, f.base+path, body)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return reply{resp.StatusCode, resp.Header, string(b)}
}

func (f *fakeRuntime) next() reply { return f.do(http.MethodGet, "invocation/next", nil, nil) }

// park asks for the next event on its own goroutine, which the server
// answers or drops when it closes.
func (f *fakeRuntime) park() {
	go func() {
		resp, err := http.Get(f.base + "invocation/next")
		if err == nil {
			resp.Body.Close()
		}
	}()
}

func (f *fakeRuntime) post(path, errType, body string) reply {
	h := http.Header{}
	if errType != "" {
		h.Set(HeaderFunctionErrorType, errType)
	}
	return f.do(http.MethodPost, path, h, strings.NewReader(body))
}

// invokeAsync runs Invoke on its own goroutine.
func invokeAsync(s *Server, inv *Invocation) <-chan invokeResult {
	ch := make(chan invokeResult, 1)
	go func() {
		r, err := s.Invoke(context.Background(), inv)
		ch <- invokeResult{r, err}
	}()
	return ch
}

type invokeResult struct {
	res *Result
	err error
}

func sampleInvocation(id string) *Invocation {
	return &Invocation{
		RequestID:          id,
		Deadline:           deadline,
		InvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
		TraceID:            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0",
		ClientContext:      []byte(`{"custom":{"k":"v"}}`),
		CognitoIdentity:    []byte(`{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}`),
		Payload:            []byte(`{"n":1}`),
	}
}

func TestServer_NextDeliversEventAndHeaders(t *testing.T) {
	s, rt := startServer(t, Options{})
	done := invokeAsync(s, sampleInvocation("req-1"))
	r := rt.next()
	if err := s.WaitInit(context.Background()); err != nil {
		t.Fatalf("WaitInit after first next: %v", err)
	}
	want := map[string]string{
		HeaderRequestID:          "req-1",
		HeaderDeadlineMs:         "1735689603000",
		HeaderInvokedFunctionArn: "arn:aws:lambda:us-east-1:123456789012:function:f",
		HeaderTraceID:            "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=0",
		HeaderClientContext:      `{"custom":{"k":"v"}}`,
		HeaderCognitoIdentity:    `{"cognitoIdentityId":"id","cognitoIdentityPoolId":"pool"}`,
	}
	if r.status != 200 || r.body != `{"n":1}` {
		t.Fatalf("next = %d %s", r.status, r.body)
	}
	for k, v := range want {
		if got := r.header.Get(k); got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
	if a := rt.post("invocation/req-1/response", "", `{"ok":true}`); a.status != 202 || a.body != `{"status":"OK"}` {
		t.Fatalf("response = %d %s", a.status, a.body)
	}
	select {
	case <-done:
		t.Fatal("Invoke returned before the runtime asked for the next event")
	default:
	}
	rt.park() // parks until Close
	got := <-done
	if got.err != nil || got.res.Error || string(got.res.Payload) != `{"ok":true}` {
		t.Fatalf("Invoke = %+v, %v", got.res, got.err)
	}
}

func TestServer_OmitsEmptyMobileHeaders(t *testing.T) {
	s, rt := startServer(t, Options{})
	inv := sampleInvocation("req-1")
	inv.ClientContext, inv.CognitoIdentity = nil, nil
	invokeAsync(s, inv)
	r := rt.next()
	for _, h := range []string{HeaderClientContext, HeaderCognitoIdentity} {
		if _, ok := r.header[h]; ok {
			t.Errorf("header %s sent for an invocation without it", h)
		}
	}
}

func TestServer_ErrorsAreReportedAsLambdaDoes(t *testing.T) {
	cases := []struct {
		name     string
		errType  string
		body     string
		wantType string
		wantBody string
	}{
		{"document kept", "Runtime.Handler", `{"errorMessage":"boom","errorType":"errorString"}`, "Runtime.Handler", `{"errorMessage":"boom","errorType":"errorString"}`},
		{"type from document", "", `{"errorMessage":"boom","errorType":"errorString"}`, "errorString", `{"errorMessage":"boom","errorType":"errorString"}`},
		{"errorCause dropped", "T", `{"errorCause":{"x":1},"errorMessage":"m","errorType":"T"}`, "T", `{"errorMessage":"m","errorType":"T"}`},
		{"text wrapped", "Custom.Failure", `it broke`, "Custom.Failure", `{"errorMessage":"it broke","errorType":"Custom.Failure"}`},
		{"nothing at all", "", ``, "Runtime.Unknown", `{"errorMessage":"","errorType":"Runtime.Unknown"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, rt := startServer(t, Options{})
			done := invokeAsync(s, sampleInvocation("r"))
			rt.next()
			if a := rt.post("invocation/r/error", tc.errType, tc.body); a.status != 202 {
				t.Fatalf("error = %d %s", a.status, a.body)
			}
			rt.park()
			got := <-done
			if got.err != nil || !got.res.Error || got.res.ErrorType != tc.wantType || string(got.res.Payload) != tc.wantBody {
				t.Fatalf("Invoke = %+v (%s), %v", got.res, got.res.Payload, got.err)
			}
		})
	}
}

func TestServer_OutOfTurnRequestsAreRefused(t *testing.T) {
	s, rt := startServer(t, Options{})
	// Init phase: nothing to answer yet.
	a := rt.post("invocation/x/response", "", `{}`)
	wantErr(t, a, 403, "InvalidStateTransition", "State transition from Started to InvocationResponse failed for runtime. Error: State transition is not allowed")
	done := invokeAsync(s, sampleInvocation("r"))
	rt.next()
	wantErr(t, rt.post("invocation/other/response", "", `{}`), 400, "InvalidRequestID", "Invalid request ID")
	wantErr(t, rt.post("init/error", "", `{}`), 403, "InvalidStateTransition", "State transition from Running to InitError failed for runtime. Error: State transition is not allowed")
	if a := rt.post("invocation/r/response", "", `1`); a.status != 202 {
		t.Fatalf("response = %d", a.status)
	}
	wantErr(t, rt.post("invocation/r/response", "", `2`), 403, "InvalidStateTransition", "State transition from RuntimeResponseSentState to InvocationResponse failed for runtime. Error: State transition is not allowed")
	wantErr(t, rt.post("invocation/r/error", "", `{}`), 403, "InvalidStateTransition", "State transition from RuntimeResponseSentState to InvocationErrorResponse failed for runtime. Error: State transition is not allowed")
	rt.park()
	if got := <-done; string(got.res.Payload) != "1" {
		t.Fatalf("the first answer must stand, got %s", got.res.Payload)
	}
	wantErr(t, rt.do(http.MethodPost, "invocation/next", nil, nil), 405, "MethodNotAllowed", "Method POST is not allowed on /2018-06-01/runtime/invocation/next")
	wantErr(t, rt.do(http.MethodGet, "nope", nil, nil), 404, "NotFound", "Path not found: /2018-06-01/runtime/nope")
}

func wantErr(t *testing.T, r reply, status int, typ, msg string) {
	t.Helper()
	var doc errorDoc
	if err := json.Unmarshal([]byte(r.body), &doc); err != nil || r.status != status || doc.ErrorType != typ || doc.ErrorMessage != msg {
		t.Errorf("got %d %s, want %d %s %q", r.status, r.body, status, typ, msg)
	}
}

func TestServer_OversizedResponseIs413AndFunctionResponseSizeTooLarge(t *testing.T) {
	s, rt := startServer(t, Options{MaxResponse: 16})
	done := invokeAsync(s, sampleInvocation("r"))
	rt.next()
	wantErr(t, rt.post("invocation/r/response", "", strings.Repeat("x", 17)), 413, "RequestEntityTooLarge", "Exceeded maximum allowed payload size (16 bytes).")
	rt.park()
	got := <-done
	want := `{"errorMessage":"Response payload size exceeded maximum allowed payload size (16 bytes).","errorType":"Function.ResponseSizeTooLarge"}`
	if !got.res.Error || string(got.res.Payload) != want {
		t.Fatalf("Invoke = %s", got.res.Payload)
	}
}

func TestServer_ResponseAtTheQuotaIsAccepted(t *testing.T) {
	s, rt := startServer(t, Options{MaxResponse: 16})
	done := invokeAsync(s, sampleInvocation("r"))
	rt.next()
	if a := rt.post("invocation/r/response", "", strings.Repeat("x", 16)); a.status != 202 {
		t.Fatalf("response = %d %s", a.status, a.body)
	}
	rt.park()
	if got := <-done; got.res.Error || len(got.res.Payload) != 16 {
		t.Fatalf("Invoke = %+v", got.res)
	}
}

func TestServer_TrailerErrorFailsTheResponse(t *testing.T) {
	s, rt := startServer(t, Options{})
	done := invokeAsync(s, sampleInvocation("r"))
	rt.next()
	doc := `{"errorMessage":"read failed","errorType":"errorString"}`
	req, _ := http.NewRequest(http.MethodPost, rt.base+"invocation/r/response", &trailerBody{r: strings.NewReader("partial")})
	req.Trailer = http.Header{HeaderFunctionErrorType: nil, HeaderFunctionErrorBody: nil}
	req.Body.(*trailerBody).done = func() {
		req.Trailer.Set(HeaderFunctionErrorType, "errorString")
		req.Trailer.Set(HeaderFunctionErrorBody, base64.StdEncoding.EncodeToString([]byte(doc)))
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 202 {
		t.Fatalf("response: %v %v", resp, err)
	}
	resp.Body.Close()
	rt.park()
	got := <-done
	if !got.res.Error || got.res.ErrorType != "errorString" || string(got.res.Payload) != doc {
		t.Fatalf("Invoke = %+v %s", got.res, got.res.Payload)
	}
}

// trailerBody sets the request's trailers when its content ends, as
// aws-lambda-go does when reading a streamed response fails.
type trailerBody struct {
	r    io.Reader
	done func()
}

func (b *trailerBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF && b.done != nil {
		b.done()
		b.done = nil
	}
	return n, err
}

func (b *trailerBody) Close() error { return nil }

func TestServer_InitErrorEndsInit(t *testing.T) {
	s, rt := startServer(t, Options{})
	if a := rt.post("init/error", "Runtime.ImportModuleError", `{"errorMessage":"no module","errorType":"Runtime.ImportModuleError"}`); a.status != 202 {
		t.Fatalf("init/error = %d", a.status)
	}
	err := s.WaitInit(context.Background())
	var ie *InitError
	if !errors.As(err, &ie) || ie.ErrorType != "Runtime.ImportModuleError" || ie.ErrorMessage() != "no module" {
		t.Fatalf("WaitInit = %v", err)
	}
	wantErr(t, rt.post("init/error", "", `{}`), 403, "InvalidStateTransition", "State transition from InitError to InitError failed for runtime. Error: State transition is not allowed")
}

func TestServer_InitErrorWithoutATypeIsRuntimeInitError(t *testing.T) {
	s, rt := startServer(t, Options{})
	rt.post("init/error", "", "config file missing")
	var ie *InitError
	if err := s.WaitInit(context.Background()); !errors.As(err, &ie) || ie.ErrorType != "Runtime.InitError" ||
		string(ie.Payload) != `{"errorMessage":"config file missing","errorType":"Runtime.InitError"}` {
		t.Fatalf("WaitInit = %v", err)
	}
}

func TestServer_ExitEndsWaits(t *testing.T) {
	t.Run("during init", func(t *testing.T) {
		s := New(Options{})
		s.Exit(errors.New("exit status 1"))
		err := s.WaitInit(context.Background())
		var ee *ExitError
		if !errors.As(err, &ee) || err.Error() != "Runtime exited with error: exit status 1" {
			t.Fatalf("WaitInit = %v", err)
		}
	})
	t.Run("clean exit", func(t *testing.T) {
		s := New(Options{})
		s.Exit(nil)
		if err := s.WaitInit(context.Background()); err == nil || err.Error() != "Runtime exited without providing a reason" {
			t.Fatalf("WaitInit = %v", err)
		}
	})
	t.Run("after an error was posted", func(t *testing.T) {
		s, rt := startServer(t, Options{})
		done := invokeAsync(s, sampleInvocation("r"))
		rt.next()
		rt.post("invocation/r/error", "", `{"errorMessage":"panic","errorType":"runtime.Error"}`)
		s.Exit(errors.New("exit status 2"))
		got := <-done
		var ee *ExitError
		if !errors.As(got.err, &ee) || got.res == nil || got.res.ErrorType != "runtime.Error" {
			t.Fatalf("Invoke = %+v, %v", got.res, got.err)
		}
		if _, err := s.Invoke(context.Background(), sampleInvocation("r2")); !errors.As(err, &ee) {
			t.Fatalf("Invoke after exit = %v", err)
		}
	})
}

func TestServer_InvokeHonoursContextAndOneAtATime(t *testing.T) {
	s := New(Options{})
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Invoke(ctx, sampleInvocation("a"))
		done <- err
	}()
	// Wait until the first invocation is pending, then try a second.
	for {
		s.mu.Lock()
		p := s.pending
		ch := s.changed
		s.mu.Unlock()
		if p != nil {
			break
		}
		<-ch
	}
	if _, err := s.Invoke(context.Background(), sampleInvocation("b")); !errors.Is(err, ErrBusy) {
		t.Fatalf("second Invoke = %v, want ErrBusy", err)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Invoke = %v", err)
	}
	s.Close()
	if _, err := s.Invoke(context.Background(), sampleInvocation("c")); !errors.Is(err, ErrClosed) {
		t.Fatalf("Invoke after Close = %v", err)
	}
}

func TestServer_CloseAnswersParkedNext(t *testing.T) {
	s, rt := startServer(t, Options{})
	got := make(chan reply, 1)
	go func() {
		req, _ := http.NewRequest(http.MethodGet, rt.base+"invocation/next", nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			got <- reply{status: -1}
			return
		}
		resp.Body.Close()
		got <- reply{status: resp.StatusCode}
	}()
	if err := s.WaitInit(context.Background()); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if r := <-got; r.status != 500 && r.status != -1 {
		t.Fatalf("parked next = %d, want 500 or a closed connection", r.status)
	}
}

func TestServer_StreamedResponseGoesToTheStream(t *testing.T) {
	cases := []struct {
		name       string
		mode       string
		withStream bool
		status     int
		wantStream string
		wantBody   string
	}{
		{"streamed", "streaming", true, 202, "first second", ""},
		{"streamed but nobody streams", "streaming", false, 202, "", "first second"},
		{"buffered to a stream", "", true, 202, "", "first second"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, rt := startServer(t, Options{})
			inv := sampleInvocation("r")
			var buf strings.Builder
			if tc.withStream {
				inv.Stream = &buf
			}
			done := invokeAsync(s, inv)
			rt.next()
			h := http.Header{}
			if tc.mode != "" {
				h.Set(HeaderResponseMode, tc.mode)
			}
			if a := rt.do(http.MethodPost, "invocation/r/response", h, io.MultiReader(strings.NewReader("first "), strings.NewReader("second"))); a.status != tc.status {
				t.Fatalf("response = %d %s", a.status, a.body)
			}
			rt.park()
			got := <-done
			if got.err != nil || got.res.Error || buf.String() != tc.wantStream || string(got.res.Payload) != tc.wantBody || got.res.Streamed != (tc.wantStream != "") {
				t.Fatalf("stream %q, result %+v, %v", buf.String(), got.res, got.err)
			}
		})
	}
}

func TestServer_UnknownResponseModeIsRefused(t *testing.T) {
	s, rt := startServer(t, Options{})
	invokeAsync(s, sampleInvocation("r"))
	rt.next()
	h := http.Header{}
	h.Set(HeaderResponseMode, "chunky")
	wantErr(t, rt.do(http.MethodPost, "invocation/r/response", h, strings.NewReader("x")), 400, "InvalidFunctionResponseMode", "Invalid function response mode")
}

// failingWriter fails every write, as a stream over its quota does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("over the quota") }

func TestServer_StreamFailureFailsTheInvocation(t *testing.T) {
	s, rt := startServer(t, Options{})
	inv := sampleInvocation("r")
	inv.Stream = failingWriter{}
	done := invokeAsync(s, inv)
	rt.next()
	h := http.Header{}
	h.Set(HeaderResponseMode, "streaming")
	rt.do(http.MethodPost, "invocation/r/response", h, strings.NewReader("data"))
	rt.park()
	got := <-done
	if !got.res.Error || got.res.ErrorType != "Runtime.StreamError" {
		t.Fatalf("result %+v %s", got.res, got.res.Payload)
	}
}
