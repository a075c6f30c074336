package lambda

import (
	"context"
	"encoding/base64"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func recvAll(t *testing.T, r *ResponseStream) (string, *InvokeComplete) {
	t.Helper()
	var b strings.Builder
	for {
		ev, err := r.Recv(context.Background())
		if err == io.EOF {
			t.Fatal("EOF before InvokeComplete")
		}
		if err != nil {
			t.Fatal(err)
		}
		if ev.InvokeComplete != nil {
			if _, err := r.Recv(context.Background()); err != io.EOF {
				t.Fatalf("after InvokeComplete: %v, want EOF", err)
			}
			return b.String(), ev.InvokeComplete
		}
		b.Write(ev.PayloadChunk)
	}
}

func TestStream_ChunksArriveAsTheyAreWritten(t *testing.T) {
	s, _ := newTestService(t, Options{})
	next := make(chan struct{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error {
		io.WriteString(w, "first ")
		<-next // the caller has read "first " before "second" is written
		io.WriteString(w, "second")
		return nil
	})})
	out, err := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "f", LogType: LogTypeTail})
	if err != nil {
		t.Fatal(err)
	}
	if out.StatusCode != 200 || out.ExecutedVersion != "$LATEST" || out.ResponseStreamContentType != "application/octet-stream" {
		t.Fatalf("out = %+v", out)
	}
	ev, err := out.EventStream.Recv(context.Background())
	if err != nil || string(ev.PayloadChunk) != "first " {
		t.Fatalf("first event %+v %v", ev, err)
	}
	close(next)
	rest, done := recvAll(t, out.EventStream)
	if rest != "second" || done.ErrorCode != "" {
		t.Fatalf("rest %q, complete %+v", rest, done)
	}
	logs, _ := base64.StdEncoding.DecodeString(done.LogResult)
	if !strings.Contains(string(logs), "REPORT RequestId:") {
		t.Fatalf("log = %s", logs)
	}
	if out.EventStream.Complete() == nil {
		t.Fatal("Complete() = nil after the end")
	}
}

func TestStream_ReaderAndValueHandlers(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "reader", Handler: Handler(func(ctx context.Context) (io.Reader, error) {
		return strings.NewReader("from a reader"), nil
	})})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "value", Handler: Handler(echo)})
	for name, want := range map[string]string{"reader": "from a reader", "value": `{"v":1}`} {
		out, err := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: name, Payload: []byte(`{"v":1}`)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(out.EventStream)
		if err != nil || string(got) != want {
			t.Errorf("%s: %q %v", name, got, err)
		}
	}
}

func TestStream_BackpressureHoldsTheWriter(t *testing.T) {
	s, _ := newTestService(t, Options{})
	wrote := make(chan int, 4)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error {
		chunk := make([]byte, 1<<20)
		for i := range 3 {
			if _, err := w.Write(chunk); err != nil {
				return err
			}
			wrote <- i
		}
		return nil
	})})
	out, _ := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "f"})
	<-wrote // 1 MB buffered: the next write waits for the reader
	select {
	case <-wrote:
		t.Fatal("second megabyte written while the first was unread")
	default:
	}
	got, err := io.ReadAll(out.EventStream)
	if err != nil || len(got) != 3<<20 {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
}

func TestStream_Errors(t *testing.T) {
	s, c := newTestService(t, Options{Limits: Limits{MaxStreamedResponse: 10}})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "big", Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error {
		w.Write([]byte("12345"))
		w.Write([]byte("678901")) // past 10 bytes; the handler ignores the error
		return nil
	})})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "fails", Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error {
		w.Write([]byte("part"))
		return errors.New("lost the upstream")
	})})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "slow", Timeout: 2, Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error {
		w.Write([]byte("tick"))
		<-ctx.Done()
		_, err := w.Write([]byte("too late"))
		return err
	})})
	out, _ := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "big"})
	got, done := recvAll(t, out.EventStream)
	if got != "12345" || done.ErrorCode != "Function.ResponseSizeTooLarge" {
		t.Fatalf("big: %q %+v", got, done)
	}
	out, _ = s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "fails"})
	b, err := io.ReadAll(out.EventStream)
	var fe *FunctionError
	if string(b) != "part" || !errors.As(err, &fe) || fe.ErrorMessage != "lost the upstream" {
		t.Fatalf("fails: %q %v", b, err)
	}
	out, _ = s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "slow"})
	ev, _ := out.EventStream.Recv(context.Background())
	if string(ev.PayloadChunk) != "tick" {
		t.Fatalf("slow: %q", ev.PayloadChunk)
	}
	waitFor(t, c, 1)
	c.Advance(2 * time.Second)
	_, done = recvAll(t, out.EventStream)
	if done.ErrorCode != "Sandbox.Timedout" || !strings.Contains(done.ErrorDetails, "Task timed out after 2.00 seconds") {
		t.Fatalf("slow: %+v", done)
	}
}

func TestStream_CallerCloseStopsTheWriter(t *testing.T) {
	s, _ := newTestService(t, Options{})
	errc := make(chan error, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error {
		chunk := make([]byte, 1<<20)
		for {
			if _, err := w.Write(chunk); err != nil {
				errc <- err
				return err
			}
		}
	})})
	out, _ := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "f"})
	out.EventStream.Recv(context.Background())
	out.EventStream.Close()
	if err := <-errc; !errors.Is(err, errStreamClosed) {
		t.Fatalf("write after close: %v", err)
	}
}

func TestStream_ParametersAndDryRun(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	out, err := s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "f", InvocationType: InvocationTypeDryRun})
	if err != nil || out.StatusCode != 204 || out.EventStream != nil {
		t.Fatalf("dry run: %+v %v", out, err)
	}
	for _, in := range []*InvokeWithResponseStreamInput{
		nil,
		{FunctionName: "f", InvocationType: InvocationTypeEvent},
		{FunctionName: "f", LogType: "x"},
		{FunctionName: "f", Payload: []byte("{")},
		{FunctionName: "nope"},
	} {
		if _, err := s.InvokeWithResponseStream(context.Background(), in); err == nil {
			t.Errorf("%+v: no error", in)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "wait", Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error { return nil })})
	out, _ = s.InvokeWithResponseStream(context.Background(), &InvokeWithResponseStreamInput{FunctionName: "wait"})
	if _, err := out.EventStream.Recv(ctx); !errors.Is(err, context.Canceled) && err != nil {
		t.Fatalf("Recv with a cancelled context: %v", err)
	}
}
