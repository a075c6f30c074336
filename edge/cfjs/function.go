package cfjs

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/dop251/goja"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/internal/awserr"
)

// MaxFunctionSize is the largest CloudFront Function code: 10 KB.
const MaxFunctionSize = 10 * 1024

// KeyValueStore is the data a function reads through the cloudfront
// module's kvs() handle: keys to string values.
type KeyValueStore map[string]string

// Options configures a JavaScript function.
type Options struct {
	// Runtime is "cloudfront-js-2.0" (the default).
	Runtime string
	// KeyValueStore backs cf.kvs(); nil is an empty store.
	KeyValueStore KeyValueStore
	// Logger receives console.log lines (truncated at 10 KB per
	// invocation, as CloudFront truncates function logs); nil discards.
	Logger *slog.Logger
	// MaxRunTime interrupts a runaway function after this much real time
	// (the function fails). Default 1 s: far above any compute budget.
	MaxRunTime time.Duration
	// Clock is the function's time (Date.now(), new Date()). Nil means
	// clock.Real(); a clock.Manual makes the function see the simulation's
	// time. The MaxRunTime watchdog always runs on the real clock: it
	// bounds real CPU time.
	Clock clock.Clock
	// AllowLargeCode lifts the 10 KB code size check (for tests of big
	// fixtures).
	AllowLargeCode bool
}

// ErrFunctionSizeLimitExceeded is FunctionSizeLimitExceeded (413): the
// code is over 10 KB.
var ErrFunctionSizeLimitExceeded = awserr.New("FunctionSizeLimitExceeded", 413, "")

var importRE = regexp.MustCompile(`(?m)^[ \t]*import[ \t]+(\{[^}]*\}|[A-Za-z_$][\w$]*)[ \t]+from[ \t]+['"]([^'"]+)['"][ \t]*;?`)

// New compiles a CloudFront Function written in JavaScript (its source
// must define function handler(event), possibly async) and returns it as
// an [edge.Function] named name. A syntax error, a missing handler or code
// over 10 KB is an error, as CreateFunction reports it.
func New(name, source string, opts Options) (*edge.Function, error) {
	if opts.Runtime == "" {
		opts.Runtime = edge.RuntimeJS20
	}
	if opts.Runtime != edge.RuntimeJS20 {
		return nil, edge.ErrInvalidArgument.Newf("cfjs runs the cloudfront-js-2.0 runtime, not %q.", opts.Runtime)
	}
	if len(source) > MaxFunctionSize && !opts.AllowLargeCode {
		return nil, ErrFunctionSizeLimitExceeded.Newf("The function code is %d bytes; the maximum is %d.", len(source), MaxFunctionSize)
	}
	if opts.MaxRunTime <= 0 {
		opts.MaxRunTime = time.Second
	}
	opts.Clock = clock.Or(opts.Clock)
	src := importRE.ReplaceAllString(source, "const $1 = require('$2');")
	prog, err := goja.Compile(name+".js", src+"\n;typeof handler === 'function' ? handler : undefined", false)
	if err != nil {
		return nil, edge.ErrInvalidArgument.Newf("The function code of %s is not valid JavaScript: %v", name, err)
	}
	f := &jsFunction{name: name, prog: prog, opts: opts}
	// Compile once more in a runtime to find the handler now rather than
	// at the first request.
	vm, err := f.newVM()
	if err != nil {
		return nil, err
	}
	f.pool.Put(vm)
	return &edge.Function{Name: name, Runtime: opts.Runtime, Handler: f.handle}, nil
}

// MustNew is New that panics on error, for package-level fixtures.
func MustNew(name, source string, opts Options) *edge.Function {
	f, err := New(name, source, opts)
	if err != nil {
		panic(err)
	}
	return f
}

type jsFunction struct {
	name string
	prog *goja.Program
	opts Options
	pool sync.Pool
}

// vm is one JavaScript runtime with the function loaded.
type vm struct {
	rt      *goja.Runtime
	handler goja.Callable
	parse   goja.Callable
	str     goja.Callable
	logs    *strings.Builder
}

func (f *jsFunction) newVM() (*vm, error) {
	rt := goja.New()
	rt.SetTimeSource(f.opts.Clock.Now)
	v := &vm{rt: rt, logs: &strings.Builder{}}
	installGlobals(rt, v, f.opts)
	val, err := rt.RunProgram(f.prog)
	if err != nil {
		return nil, edge.ErrInvalidArgument.Newf("The function code of %s failed to load: %v", f.name, err)
	}
	h, ok := goja.AssertFunction(val)
	if !ok {
		return nil, edge.ErrInvalidArgument.Newf("The function code of %s does not define function handler(event).", f.name)
	}
	v.handler = h
	jsonObj := rt.Get("JSON").ToObject(rt)
	v.parse, _ = goja.AssertFunction(jsonObj.Get("parse"))
	v.str, _ = goja.AssertFunction(jsonObj.Get("stringify"))
	return v, nil
}

// handle runs the JavaScript handler on the event.
func (f *jsFunction) handle(event *edge.FunctionEvent) (edge.FunctionOutput, error) {
	v, _ := f.pool.Get().(*vm)
	if v == nil {
		var err error
		if v, err = f.newVM(); err != nil {
			return nil, err
		}
	}
	out, err := f.run(v, event)
	if err == nil || !errors.Is(err, errInterrupted) {
		f.pool.Put(v)
	}
	return out, err
}

var errInterrupted = errors.New("the function ran longer than its maximum run time")

func (f *jsFunction) run(v *vm, event *edge.FunctionEvent) (edge.FunctionOutput, error) {
	data, err := json.Marshal(event)
	if err != nil {
		return nil, err
	}
	v.logs.Reset()
	defer f.flushLogs(v, event)
	var mu sync.Mutex
	finished := false
	t := clock.Real().AfterFunc(f.opts.MaxRunTime, func() {
		mu.Lock()
		defer mu.Unlock()
		if !finished {
			v.rt.Interrupt(errInterrupted)
		}
	})
	defer func() {
		mu.Lock()
		finished = true
		mu.Unlock()
		t.Stop()
		// An interrupt that came as the function returned must not abort
		// the runtime's next invocation.
		v.rt.ClearInterrupt()
	}()
	ev, err := v.parse(goja.Undefined(), v.rt.ToValue(string(data)))
	if err != nil {
		return nil, err
	}
	res, err := v.handler(goja.Undefined(), ev)
	if err != nil {
		var ie *goja.InterruptedError
		if errors.As(err, &ie) {
			v.rt.ClearInterrupt()
			return nil, fmt.Errorf("%w (%s)", errInterrupted, f.opts.MaxRunTime)
		}
		return nil, jsError(err)
	}
	if p, ok := res.Export().(*goja.Promise); ok {
		switch p.State() {
		case goja.PromiseStateFulfilled:
			res = p.Result()
		case goja.PromiseStateRejected:
			return nil, fmt.Errorf("the function's promise was rejected: %s", p.Result().String())
		default:
			return nil, errors.New("the function's promise never settled (CloudFront Functions have no timers or I/O to wait for)")
		}
	}
	if res == nil || goja.IsUndefined(res) || goja.IsNull(res) {
		return nil, errors.New("the function returned undefined; it must return the request or a response")
	}
	js, err := v.str(goja.Undefined(), res)
	if err != nil {
		return nil, jsError(err)
	}
	return edge.ParseFunctionOutput(event.Context.EventType, []byte(js.String()))
}

func jsError(err error) error {
	var ex *goja.Exception
	if errors.As(err, &ex) {
		return fmt.Errorf("the function threw: %s", ex.Value().String())
	}
	return err
}

// maxLogBytes is where CloudFront truncates a function's logs: 10 KB.
const maxLogBytes = 10 * 1024

func (f *jsFunction) flushLogs(v *vm, event *edge.FunctionEvent) {
	if f.opts.Logger == nil || v.logs.Len() == 0 {
		return
	}
	logs := v.logs.String()
	if len(logs) > maxLogBytes {
		logs = logs[:maxLogBytes]
	}
	for line := range strings.SplitSeq(strings.TrimSuffix(logs, "\n"), "\n") {
		f.opts.Logger.LogAttrs(context.Background(), slog.LevelInfo, line,
			slog.String("function", f.name), slog.String("requestId", event.Context.RequestID))
	}
}
