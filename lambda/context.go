package lambda

import (
	"context"
	"io"
	"log/slog"
	"os"
	"sort"
	"sync"
	"time"
)

// LambdaContext is what Lambda tells a handler about its invocation: the
// same fields, and the same JSON for the client context, as
// lambdacontext.LambdaContext of aws-lambda-go. Read it with
// [FromContext].
type LambdaContext struct {
	// AwsRequestID identifies the invocation; a retried asynchronous event
	// keeps its request ID.
	AwsRequestID string
	// InvokedFunctionArn is the ARN the caller used, qualified with the
	// version or alias when the caller gave one.
	InvokedFunctionArn string
	// Identity is the Amazon Cognito identity of the caller, if any.
	Identity CognitoIdentity
	// ClientContext is what a mobile client sent, if any.
	ClientContext ClientContext
}

// CognitoIdentity is the Cognito identity that called the function.
type CognitoIdentity struct {
	CognitoIdentityID     string
	CognitoIdentityPoolID string
}

// ClientApplication describes the mobile application that called.
type ClientApplication struct {
	InstallationID string `json:"installation_id"`
	AppTitle       string `json:"app_title"`
	AppVersionCode string `json:"app_version_code"`
	AppPackageName string `json:"app_package_name"`
}

// ClientContext is the client context a caller passes, base64-encoded
// JSON, in InvokeInput.ClientContext.
type ClientContext struct {
	Client ClientApplication `json:"client"`
	Env    map[string]string `json:"env"`
	Custom map[string]string `json:"custom"`
}

type lambdaContextKey struct{}

// invokeState is what one invocation carries in its context.
type invokeState struct {
	lc    LambdaContext
	env   *environment
	log   *invocationLog
	start time.Time
	// initRequestID is, in an init phase, the request that caused it.
	initRequestID string
}

// traceID is the invocation's _X_AMZN_TRACE_ID, made when first read.
func (st *invokeState) traceID() string { return traceID(st.start, st.lc.AwsRequestID) }

// FromContext returns the invocation's [LambdaContext], as
// lambdacontext.FromContext does for a handler run by aws-lambda-go. A
// handler written against lambdacontext sees the same values when the
// service's Options.ContextHook copies them into lambdacontext (see the
// package documentation).
func FromContext(ctx context.Context) (*LambdaContext, bool) {
	switch v := ctx.Value(lambdaContextKey{}).(type) {
	case *invokeState:
		lc := v.lc
		return &lc, true
	case *LambdaContext:
		return v, true
	}
	return nil, false
}

// NewContext returns a copy of parent carrying lc, so that a handler can
// be called directly in a unit test and still find its LambdaContext.
func NewContext(parent context.Context, lc *LambdaContext) context.Context {
	return context.WithValue(parent, lambdaContextKey{}, lc)
}

func stateOf(ctx context.Context) *invokeState {
	st, _ := ctx.Value(lambdaContextKey{}).(*invokeState)
	return st
}

// Getenv returns the value of an environment variable as the handler's
// execution environment sees it: the function's Environment.Variables
// and the variables Lambda defines (AWS_LAMBDA_FUNCTION_NAME,
// AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
// AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME, AWS_REGION,
// AWS_DEFAULT_REGION, AWS_LAMBDA_INITIALIZATION_TYPE, _HANDLER,
// _X_AMZN_TRACE_ID, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR, TZ). The process
// environment is neither read nor changed. Outside an invocation it falls
// back to os.Getenv.
func Getenv(ctx context.Context, key string) string {
	v, _ := LookupEnv(ctx, key)
	return v
}

// LookupEnv is [Getenv] reporting whether the variable is set.
func LookupEnv(ctx context.Context, key string) (string, bool) {
	st := stateOf(ctx)
	if st == nil || st.env == nil {
		return os.LookupEnv(key)
	}
	if key == "_X_AMZN_TRACE_ID" {
		return st.traceID(), true
	}
	v, ok := st.env.vars[key]
	return v, ok
}

// Environ returns the execution environment's variables as "key=value"
// strings, sorted.
func Environ(ctx context.Context) []string {
	st := stateOf(ctx)
	if st == nil || st.env == nil {
		return os.Environ()
	}
	out := make([]string, 0, len(st.env.vars)+1)
	for k, v := range st.env.vars {
		out = append(out, k+"="+v)
	}
	out = append(out, "_X_AMZN_TRACE_ID="+st.traceID())
	sort.Strings(out)
	return out
}

// Logger returns a logger whose records go to the function's log: the
// invocation's LogResult (LogType Tail) and the service's slog logger,
// tagged with the function and request ID, as a handler's output reaches
// CloudWatch Logs. Outside an invocation it returns slog.Default().
//
// Output a handler writes to os.Stdout or os.Stderr stays the process's:
// environments share one process, so it cannot be told apart.
func Logger(ctx context.Context) *slog.Logger {
	st := stateOf(ctx)
	switch {
	case st == nil:
		return slog.Default()
	case st.log == nil:
		return slog.New(slog.DiscardHandler)
	}
	return slog.New(&handlerLogHandler{log: st.log})
}

// LogWriter returns a writer whose lines go to the function's log, like
// [Logger]; use it with fmt.Fprintln or log.New. Outside an invocation it
// returns os.Stderr.
func LogWriter(ctx context.Context) io.Writer {
	st := stateOf(ctx)
	switch {
	case st == nil:
		return os.Stderr
	case st.log == nil:
		return io.Discard
	}
	return logWriter{st.log}
}

// TmpDir returns the path of the execution environment's /tmp: a real
// directory of its own, kept while the environment lives (so a warm
// invocation finds what an earlier one left) and removed with it. Files
// written there directly are counted against EphemeralStorage when the
// next write goes through [Tmp]. Outside an invocation it returns "".
func TmpDir(ctx context.Context) string {
	if t := TmpFS(ctx); t != nil {
		return t.Path()
	}
	return ""
}

// TmpFS returns the execution environment's /tmp as a [Tmp], whose writes
// fail with ENOSPC past the function's EphemeralStorage. Outside an
// invocation it returns nil.
func TmpFS(ctx context.Context) *Tmp {
	st := stateOf(ctx)
	if st == nil || st.env == nil {
		return nil
	}
	return st.env.tmp
}

// invokeCtx is the context a handler runs with. Its deadline is the
// invocation's deadline on the service's clock (a clock.Manual moves it
// only when advanced), it carries the parent's values but not its
// cancellation (a caller that gives up does not stop a running function,
// as in Lambda), and it ends when the deadline passes or the service
// closes.
type invokeCtx struct {
	parent   context.Context
	deadline time.Time
	state    *invokeState

	mu     sync.Mutex
	done   chan struct{}
	err    error
	nextID int
	funcs  map[int]func()
}

func newInvokeCtx(parent context.Context, deadline time.Time, st *invokeState) *invokeCtx {
	return &invokeCtx{parent: context.WithoutCancel(parent), deadline: deadline, state: st, done: make(chan struct{})}
}

func (c *invokeCtx) Deadline() (time.Time, bool) { return c.deadline, true }
func (c *invokeCtx) Done() <-chan struct{}       { return c.done }

func (c *invokeCtx) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.err
}

func (c *invokeCtx) Value(key any) any {
	if key == (lambdaContextKey{}) {
		return c.state
	}
	return c.parent.Value(key)
}

// AfterFunc lets contexts derived from c (context.WithCancel and the
// rest) follow its cancellation without a goroutine each.
func (c *invokeCtx) AfterFunc(f func()) func() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		go f()
		return func() bool { return false }
	}
	if c.funcs == nil {
		c.funcs = make(map[int]func())
	}
	id := c.nextID
	c.nextID++
	c.funcs[id] = f
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		_, ok := c.funcs[id]
		delete(c.funcs, id)
		return ok
	}
}

// cancel ends the context with err (context.DeadlineExceeded at the
// deadline, context.Canceled when the service closes).
func (c *invokeCtx) cancel(err error) {
	c.mu.Lock()
	if c.err != nil {
		c.mu.Unlock()
		return
	}
	c.err = err
	close(c.done)
	funcs := c.funcs
	c.funcs = nil
	c.mu.Unlock()
	for _, f := range funcs {
		f()
	}
}
