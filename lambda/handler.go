package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"strings"
)

// RawHandler is the byte-level handler of aws-lambda-go (its
// lambda.Handler interface): a value with this method is used as is, its
// payload and response untouched.
type RawHandler interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// Code is the code a function runs: a Go handler adapted to Lambda's
// contract of JSON in, JSON out. Make one with [Handler], [Typed],
// [InitHandler] or [StreamingHandler] and pass it as
// CreateFunctionInput.Handler. A Code is immutable and may back any
// number of functions.
type Code struct {
	name string
	err  error
	// init runs once per execution environment, in its init phase, and
	// returns the invoke function that environment uses.
	init func(ctx context.Context) (invokeFunc, error)
}

// invokeFunc runs one invocation. When w is not nil the caller streams the
// response (InvokeWithResponseStream), and a handler that writes
// progressively writes to w; otherwise it returns the whole response as
// out, or a reader to be read to the end.
type invokeFunc func(ctx context.Context, payload []byte, w io.Writer) (out []byte, r io.Reader, err error)

// Name returns the handler's name, such as "main.handleOrder", which
// FunctionConfiguration reports as the Handler.
func (c *Code) Name() string {
	if c == nil {
		return ""
	}
	return c.name
}

// Err returns why the handler cannot be used (a wrong signature), or nil.
// CreateFunction reports it as an InvalidParameterValueException.
func (c *Code) Err() error {
	if c == nil {
		return errors.New("handler is nil")
	}
	return c.err
}

// Handler adapts a handler in any shape that lambda.Start of
// aws-lambda-go accepts, so that a production handler registers
// unchanged:
//
//	func ()
//	func () error
//	func (TIn) error
//	func () (TOut, error)
//	func (context.Context) error
//	func (context.Context, TIn) error
//	func (context.Context) (TOut, error)
//	func (context.Context, TIn) (TOut, error)
//	func (TIn) (TOut, error)
//
// TIn and TOut are any types encoding/json handles. The payload is decoded
// into TIn with a json.Decoder and TOut is encoded without HTML escaping,
// its trailing newline removed, exactly as aws-lambda-go does; a handler
// returning no value answers null. A TOut that is an io.Reader and
// encodes to {} is streamed as raw bytes. A value with the method
// Invoke(context.Context, []byte) ([]byte, error) ([RawHandler]) is used
// as is.
//
// A handler of any other shape gives a Code whose Err says why, and
// CreateFunction refuses it.
func Handler(fn any) *Code {
	name := handlerName(fn)
	inv, err := reflectHandler(fn)
	if err != nil {
		return &Code{name: name, err: err}
	}
	return &Code{name: name, init: func(context.Context) (invokeFunc, error) { return inv, nil }}
}

// Typed adapts a handler with typed input and output without reflection:
// the form of aws-lambda-go's lambda.StartHandlerFunc. The JSON rules are
// those of [Handler].
func Typed[TIn, TOut any](fn func(context.Context, TIn) (TOut, error)) *Code {
	if fn == nil {
		return &Code{err: errors.New("handler is nil")}
	}
	inv := func(ctx context.Context, payload []byte, _ io.Writer) ([]byte, io.Reader, error) {
		var in TIn
		if err := json.NewDecoder(bytes.NewReader(payload)).Decode(&in); err != nil {
			return nil, nil, err
		}
		out, err := fn(ctx, in)
		if err != nil {
			return nil, nil, err
		}
		return encodeResponse(out)
	}
	return &Code{name: handlerName(fn), init: func(context.Context) (invokeFunc, error) { return inv, nil }}
}

// InitHandler runs init once in each new execution environment, in its
// init phase, and uses the handler it returns (in any shape [Handler]
// accepts) for every invocation that environment serves. It is the place
// for what a Go function does in main before lambda.Start: open clients,
// read configuration, warm caches. State created there belongs to one
// environment, as in Lambda.
//
// An error from init (or a handler of a wrong shape) fails the invocation
// with an Unhandled function error and discards the environment, and the
// next invocation initialises a new one.
func InitHandler(init func(ctx context.Context) (any, error)) *Code {
	if init == nil {
		return &Code{err: errors.New("handler is nil")}
	}
	return &Code{name: handlerName(init), init: func(ctx context.Context) (invokeFunc, error) {
		h, err := init(ctx)
		if err != nil {
			return nil, err
		}
		return reflectHandler(h)
	}}
}

// StreamingHandler adapts a handler that writes its response
// progressively. Invoked with InvokeWithResponseStream, every write
// reaches the caller as it happens (up to 200 MB); invoked with Invoke,
// the writes are collected into one response (up to 6 MB).
func StreamingHandler(fn func(ctx context.Context, payload []byte, w io.Writer) error) *Code {
	if fn == nil {
		return &Code{err: errors.New("handler is nil")}
	}
	inv := func(ctx context.Context, payload []byte, w io.Writer) ([]byte, io.Reader, error) {
		if w != nil {
			return nil, nil, fn(ctx, payload, w)
		}
		var buf bytes.Buffer
		if err := fn(ctx, payload, &buf); err != nil {
			return nil, nil, err
		}
		return buf.Bytes(), nil, nil
	}
	return &Code{name: handlerName(fn), init: func(context.Context) (invokeFunc, error) { return inv, nil }}
}

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
)

// reflectHandler validates fn as aws-lambda-go does and returns its
// invoke function.
func reflectHandler(fn any) (invokeFunc, error) {
	if fn == nil {
		return nil, errors.New("handler is nil")
	}
	if raw, ok := fn.(RawHandler); ok {
		return func(ctx context.Context, payload []byte, _ io.Writer) ([]byte, io.Reader, error) {
			out, err := raw.Invoke(ctx, payload)
			return out, nil, err
		}, nil
	}
	v := reflect.ValueOf(fn)
	t := v.Type()
	if t.Kind() != reflect.Func {
		return nil, fmt.Errorf("handler kind %s is not %s", t.Kind(), reflect.Func)
	}
	takesContext, err := takesContext(t)
	if err != nil {
		return nil, err
	}
	if err := validateReturns(t); err != nil {
		return nil, err
	}
	hasEvent := t.NumIn() == 2 || t.NumIn() == 1 && !takesContext
	var eventType reflect.Type
	if hasEvent {
		eventType = t.In(t.NumIn() - 1)
	}
	return func(ctx context.Context, payload []byte, _ io.Writer) ([]byte, io.Reader, error) {
		args := make([]reflect.Value, 0, 2)
		if takesContext {
			args = append(args, reflect.ValueOf(&ctx).Elem())
		}
		if hasEvent {
			ev := reflect.New(eventType)
			if err := json.NewDecoder(bytes.NewReader(payload)).Decode(ev.Interface()); err != nil {
				return nil, nil, err
			}
			args = append(args, ev.Elem())
		}
		res := v.Call(args)
		if n := len(res); n > 0 {
			if e, ok := res[n-1].Interface().(error); ok && e != nil {
				return nil, nil, e
			}
		}
		var val any
		if len(res) > 1 {
			val = res[0].Interface()
		}
		return encodeResponse(val)
	}, nil
}

// takesContext applies aws-lambda-go's rules for the arguments: at most
// two, and with two the first is context.Context; a single interface
// argument with methods must be context.Context.
func takesContext(t reflect.Type) (bool, error) {
	isContext := func(a reflect.Type) bool {
		return a.Kind() == reflect.Interface && contextType.Implements(a) && a.Implements(contextType)
	}
	switch t.NumIn() {
	case 0:
		return false, nil
	case 1:
		a := t.In(0)
		if a.Kind() != reflect.Interface || a.NumMethod() == 0 {
			return false, nil
		}
		if !isContext(a) {
			return false, fmt.Errorf("handler takes an interface, but it is not context.Context: %q", a.Name())
		}
		return true, nil
	case 2:
		if !isContext(t.In(0)) {
			return false, fmt.Errorf("handler takes two arguments, but the first is not Context. got %s", t.In(0).Kind())
		}
		return true, nil
	}
	return false, fmt.Errorf("handlers may not take more than two arguments, but handler takes %d", t.NumIn())
}

func validateReturns(t reflect.Type) error {
	switch n := t.NumOut(); {
	case n > 2:
		return errors.New("handler may not return more than two values")
	case n == 2:
		if !t.Out(1).Implements(errorType) {
			return errors.New("handler returns two values, but the second does not implement error")
		}
	case n == 1:
		if !t.Out(0).Implements(errorType) {
			return errors.New("handler returns a single value, but it does not implement error")
		}
	}
	return nil
}

// encodeResponse encodes a handler's value as aws-lambda-go does: JSON
// without HTML escaping and without the encoder's newline, or the value
// itself when it is an io.Reader that does not encode to a JSON object
// with content.
func encodeResponse(val any) ([]byte, io.Reader, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(val); err != nil {
		if r, ok := val.(io.Reader); ok {
			return nil, r, nil
		}
		return nil, nil, err
	}
	if r, ok := val.(io.Reader); ok && bytes.HasPrefix(buf.Bytes(), []byte("{}")) {
		return nil, r, nil
	}
	b := buf.Bytes()
	return b[:len(b)-1], nil, nil
}

// handlerName names a handler for FunctionConfiguration.Handler.
func handlerName(fn any) string {
	if fn == nil {
		return ""
	}
	v := reflect.ValueOf(fn)
	if v.Kind() == reflect.Func {
		if f := runtime.FuncForPC(v.Pointer()); f != nil {
			name := f.Name()
			if i := strings.LastIndexByte(name, '/'); i >= 0 {
				name = name[i+1:]
			}
			return name
		}
	}
	return v.Type().String()
}

// errorTypeName is the errorType aws-lambda-go reports for an error or a
// panic value: the name of its type, through one pointer.
func errorTypeName(v any) string {
	if v == nil {
		return ""
	}
	t := reflect.TypeOf(v)
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}
