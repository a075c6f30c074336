package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
)

type order struct {
	ID    string  `json:"id"`
	Total float64 `json:"total"`
}

type receipt struct {
	OrderID string `json:"orderId"`
	HTML    string `json:"html"`
}

// TestHandler_EveryShapeOfLambdaStart registers a handler of each shape
// aws-lambda-go's lambda.Start accepts and checks what it sees and answers.
func TestHandler_EveryShapeOfLambdaStart(t *testing.T) {
	s, _ := newTestService(t, Options{})
	errBoom := errors.New("boom")
	ctxOK := func(ctx context.Context) bool {
		lc, ok := FromContext(ctx)
		return ok && lc.AwsRequestID != ""
	}
	for _, tc := range []struct {
		name    string
		fn      any
		payload string
		want    string
		wantErr string
	}{
		{"func()", func() {}, `{}`, `null`, ""},
		{"func() error", func() error { return nil }, `{}`, `null`, ""},
		{"func() error failing", func() error { return errBoom }, `{}`, "", "boom"},
		{"func(TIn) error", func(o order) error {
			if o.ID != "o-1" {
				return errors.New("bad input")
			}
			return nil
		}, `{"id":"o-1"}`, `null`, ""},
		{"func() (TOut, error)", func() (string, error) { return "hi", nil }, `{}`, `"hi"`, ""},
		{"func(context.Context) error", func(ctx context.Context) error {
			if !ctxOK(ctx) {
				return errors.New("no lambda context")
			}
			return nil
		}, `{}`, `null`, ""},
		{"func(context.Context, TIn) error", func(ctx context.Context, o order) error { return nil }, `{"id":"x"}`, `null`, ""},
		{"func(context.Context) (TOut, error)", func(ctx context.Context) (int, error) { return 42, nil }, `{}`, `42`, ""},
		{"func(context.Context, TIn) (TOut, error)", func(ctx context.Context, o order) (receipt, error) {
			return receipt{OrderID: o.ID, HTML: "<b>paid</b>"}, nil
		}, `{"id":"o-7","total":3.5}`, `{"orderId":"o-7","html":"<b>paid</b>"}`, ""},
		{"func(TIn) (TOut, error)", func(o *order) (*receipt, error) { return &receipt{OrderID: o.ID}, nil }, `{"id":"p"}`, `{"orderId":"p","html":""}`, ""},
		{"func(any) (any, error)", func(v any) (any, error) { return v, nil }, `[1,"two",{"three":3}]`, `[1,"two",{"three":3}]`, ""},
		{"json.RawMessage", func(raw json.RawMessage) (json.RawMessage, error) { return raw, nil }, `{"k": [1, 2]}`, `{"k":[1,2]}`, ""},
		{"nil pointer out", func() (*receipt, error) { return nil, nil }, `{}`, `null`, ""},
		{"map in", func(m map[string]int) (int, error) { return m["a"] + m["b"], nil }, `{"a":1,"b":2}`, `3`, ""},
		{"bad input type", func(o order) error { return nil }, `[1]`, "", "cannot unmarshal array"},
		{"unencodable output", func() (func(), error) { return func() {}, nil }, `{}`, "", "unsupported type"},
		{"raw handler", rawEcho{}, `{"x":1}`, `{"x":1}`, ""},
		{"typed-returning reader", func() (io.Reader, error) { return strings.NewReader("raw bytes"), nil }, `{}`, `raw bytes`, ""},
	} {
		name := strings.Map(func(r rune) rune {
			if isNameByte(byte(r)) && r < 128 {
				return r
			}
			return '-'
		}, tc.name)
		if _, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: name, Handler: Handler(tc.fn)}); err != nil {
			t.Errorf("%s: CreateFunction: %v", tc.name, err)
			continue
		}
		out := invoke(t, s, &InvokeInput{FunctionName: name, Payload: []byte(tc.payload)})
		if tc.wantErr != "" {
			if out.FunctionError != "Unhandled" || !strings.Contains(string(out.Payload), tc.wantErr) {
				t.Errorf("%s: got %q %s, want error containing %q", tc.name, out.FunctionError, out.Payload, tc.wantErr)
			}
			continue
		}
		if out.FunctionError != "" || string(out.Payload) != tc.want {
			t.Errorf("%s: got %q %s, want %s", tc.name, out.FunctionError, out.Payload, tc.want)
		}
	}
}

type rawEcho struct{}

func (rawEcho) Invoke(_ context.Context, p []byte) ([]byte, error) { return p, nil }

func TestHandler_RefusesShapesLambdaStartRefuses(t *testing.T) {
	s, _ := newTestService(t, Options{})
	for _, tc := range []struct {
		name string
		fn   any
		want string
	}{
		{"nil", nil, "handler is nil"},
		{"not a func", 42, "handler kind int is not func"},
		{"three args", func(context.Context, int, int) error { return nil }, "may not take more than two arguments"},
		{"two args no ctx", func(int, int) error { return nil }, "the first is not Context"},
		{"non-ctx interface", func(io.Reader) error { return nil }, "not context.Context"},
		{"three results", func() (int, int, error) { return 0, 0, nil }, "may not return more than two values"},
		{"second not error", func() (int, int) { return 0, 0 }, "second does not implement error"},
		{"single not error", func() int { return 0 }, "single value, but it does not implement error"},
	} {
		_, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: "f", Handler: Handler(tc.fn)})
		if !errors.Is(err, ErrInvalidParameterValue) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	if _, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: "f"}); !errors.Is(err, ErrInvalidParameterValue) {
		t.Errorf("missing handler: %v", err)
	}
}

func TestHandler_TypedGenericForm(t *testing.T) {
	s, _ := newTestService(t, Options{})
	code := Typed(func(ctx context.Context, o order) (receipt, error) {
		if o.Total < 0 {
			return receipt{}, errors.New("negative total")
		}
		return receipt{OrderID: o.ID, HTML: "<i>ok</i>"}, nil
	})
	if !strings.Contains(code.Name(), "TestHandler_TypedGenericForm") {
		t.Errorf("Name = %q", code.Name())
	}
	f := mustCreate(t, s, &CreateFunctionInput{FunctionName: "typed", Handler: code})
	got, err := f.Invoke(context.Background(), []byte(`{"id":"o-9","total":1}`))
	if err != nil || string(got) != `{"orderId":"o-9","html":"<i>ok</i>"}` {
		t.Fatalf("got %s, %v", got, err)
	}
	_, err = f.Invoke(context.Background(), []byte(`{"id":"o-9","total":-1}`))
	var fe *FunctionError
	if !errors.As(err, &fe) || fe.ErrorMessage != "negative total" {
		t.Fatalf("err = %v", err)
	}
	_, err = f.Invoke(context.Background(), []byte(`"not an order"`))
	if !errors.As(err, &fe) || fe.ErrorType != "UnmarshalTypeError" {
		t.Fatalf("decode err = %v", err)
	}
	if c := Typed[int, int](nil); c.Err() == nil {
		t.Fatal("Typed(nil) has no error")
	}
}

// TestHandler_InputIsDecodedFromJSON shows the handler sees the JSON, not
// the caller's Go values: unknown fields are dropped, missing fields zero.
func TestHandler_InputIsDecodedFromJSON(t *testing.T) {
	s, _ := newTestService(t, Options{})
	seen := make(chan order, 1)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(o order) error { seen <- o; return nil })})
	invoke(t, s, &InvokeInput{FunctionName: "f", Payload: []byte(`{"id":"a","extra":true}`)})
	if o := <-seen; o != (order{ID: "a"}) {
		t.Fatalf("seen %+v", o)
	}
}

func TestHandler_InitHandlerRunsOncePerEnvironment(t *testing.T) {
	s, _ := newTestService(t, Options{})
	inits := 0
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: InitHandler(func(ctx context.Context) (any, error) {
		inits++
		env := Getenv(ctx, "AWS_LAMBDA_FUNCTION_NAME")
		calls := 0
		return func() (string, error) {
			calls++
			return env + ":" + string(rune('0'+calls)), nil
		}, nil
	})})
	for i, want := range []string{`"f:1"`, `"f:2"`, `"f:3"`} {
		out := invoke(t, s, &InvokeInput{FunctionName: "f"})
		if string(out.Payload) != want {
			t.Fatalf("call %d: %s, want %s", i, out.Payload, want)
		}
	}
	if inits != 1 {
		t.Fatalf("init ran %d times, want once for a warm environment", inits)
	}
}

func TestHandler_InitFailureIsUnhandledAndRetried(t *testing.T) {
	s, _ := newTestService(t, Options{})
	fail := true
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: InitHandler(func(ctx context.Context) (any, error) {
		if fail {
			return nil, errors.New("cannot reach config")
		}
		return func() (string, error) { return "up", nil }, nil
	})})
	out := invoke(t, s, &InvokeInput{FunctionName: "f"})
	if out.FunctionError != "Unhandled" || !strings.Contains(string(out.Payload), "cannot reach config") {
		t.Fatalf("out = %q %s", out.FunctionError, out.Payload)
	}
	if n := s.Environments("f", ""); n != 0 {
		t.Fatalf("%d environments kept after a failed init", n)
	}
	fail = false
	if out := invoke(t, s, &InvokeInput{FunctionName: "f"}); string(out.Payload) != `"up"` {
		t.Fatalf("second call: %s", out.Payload)
	}
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "p", Handler: InitHandler(func(ctx context.Context) (any, error) { panic("init panic") })})
	if out := invoke(t, s, &InvokeInput{FunctionName: "p"}); !strings.Contains(string(out.Payload), "init panic") {
		t.Fatalf("init panic: %s", out.Payload)
	}
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "w", Handler: InitHandler(func(ctx context.Context) (any, error) { return 7, nil })})
	if out := invoke(t, s, &InvokeInput{FunctionName: "w"}); !strings.Contains(string(out.Payload), "is not func") {
		t.Fatalf("wrong handler from init: %s", out.Payload)
	}
}

func TestHandler_StreamingHandlerBuffersForInvoke(t *testing.T) {
	s, _ := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: StreamingHandler(func(ctx context.Context, p []byte, w io.Writer) error {
		io.WriteString(w, "a")
		io.WriteString(w, "b")
		return nil
	})})
	if out := invoke(t, s, &InvokeInput{FunctionName: "f"}); string(out.Payload) != "ab" {
		t.Fatalf("payload = %s", out.Payload)
	}
}
