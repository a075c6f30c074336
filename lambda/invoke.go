package lambda

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Invocation types and log types of Invoke.
const (
	// InvocationTypeRequestResponse runs the function and waits for its
	// response (status 200). The default.
	InvocationTypeRequestResponse = "RequestResponse"
	// InvocationTypeEvent queues the event for asynchronous delivery and
	// returns at once (status 202).
	InvocationTypeEvent = "Event"
	// InvocationTypeDryRun checks the parameters without running the
	// function (status 204).
	InvocationTypeDryRun = "DryRun"
	// LogTypeTail returns the last 4 KB of the invocation's log,
	// base64-encoded, in LogResult.
	LogTypeTail = "Tail"
	// LogTypeNone returns no log (the default).
	LogTypeNone = "None"
	// FunctionErrorUnhandled is the FunctionError of a failed invocation.
	FunctionErrorUnhandled = "Unhandled"
)

// InvokeInput is the input of Invoke.
type InvokeInput struct {
	// FunctionName is a name, "name:qualifier", a partial ARN or an ARN.
	FunctionName string
	// Qualifier is a version number, an alias or $LATEST (the default).
	Qualifier string
	// InvocationType is RequestResponse (default), Event or DryRun.
	InvocationType string
	// LogType Tail asks for the log in LogResult (RequestResponse only).
	LogType string
	// Payload is the event, JSON: up to 6 MB (RequestResponse) or 1 MB
	// (Event). Empty means {}.
	Payload []byte
	// ClientContext is base64-encoded JSON of a [ClientContext], up to
	// 3,583 bytes; the handler reads it in its LambdaContext.
	ClientContext string
	// Identity simulates a caller signed in with Amazon Cognito: the
	// handler reads it in its LambdaContext. Not part of the Lambda API,
	// where it comes from the caller's credentials.
	Identity *CognitoIdentity
}

// InvokeOutput is the result of Invoke.
type InvokeOutput struct {
	// StatusCode is 200 (RequestResponse), 202 (Event) or 204 (DryRun).
	StatusCode int
	// FunctionError is "Unhandled" when the function failed (returned an
	// error, panicked, timed out, answered more than 6 MB); Payload then
	// holds the error document {"errorMessage":…,"errorType":…}.
	FunctionError string
	// LogResult is the last 4 KB of the log, base64, with LogType Tail.
	LogResult string
	// Payload is the function's response, or its error document.
	Payload []byte
	// ExecutedVersion is the version that ran (an alias resolves to one).
	ExecutedVersion string
}

// Invoke invokes a function, as Lambda's Invoke operation:
//
//   - RequestResponse runs the handler in a warm execution environment
//     (or a new one, after its init) and returns its response. The
//     handler's deadline is the function's timeout on the service's
//     clock; at the deadline the invocation ends with "Task timed out
//     after N.NN seconds" and the environment is discarded.
//   - Event queues the event and returns 202; see [Service.WaitAsync] and
//     PutFunctionEventInvokeConfig for retries and destinations.
//   - DryRun validates and returns 204.
//
// A function error is not a Go error: Invoke succeeds and sets
// FunctionError. Errors are the API's: ResourceNotFoundException,
// RequestTooLargeException, InvalidRequestContentException,
// TooManyRequestsException (with a Reason, see [ThrottleReason]). If ctx
// ends first Invoke returns ctx.Err(), and the function runs to its end
// anyway, as Lambda does when a caller disconnects.
func (s *Service) Invoke(ctx context.Context, in *InvokeInput) (*InvokeOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("InvokeInput is required")
	}
	it := in.InvocationType
	if it == "" {
		it = InvocationTypeRequestResponse
	}
	if it != InvocationTypeRequestResponse && it != InvocationTypeEvent && it != InvocationTypeDryRun {
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]", it)
	}
	if in.LogType != "" && in.LogType != LogTypeNone && in.LogType != LogTypeTail {
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]", in.LogType)
	}
	payload, err := s.checkPayload(in.Payload, it == InvocationTypeEvent)
	if err != nil {
		return nil, err
	}
	lc := LambdaContext{}
	if in.ClientContext != "" {
		if err := s.decodeClientContext(in.ClientContext, &lc.ClientContext); err != nil {
			return nil, err
		}
	}
	if in.Identity != nil {
		lc.Identity = *in.Identity
	}
	t, err := s.resolve(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	lc.InvokedFunctionArn = t.arn
	switch it {
	case InvocationTypeDryRun:
		return &InvokeOutput{StatusCode: 204}, nil
	case InvocationTypeEvent:
		if err := s.enqueue(t, in.FunctionName, in.Qualifier, payload, lc); err != nil {
			return nil, err
		}
		return &InvokeOutput{StatusCode: 202}, nil
	}
	inv := s.newInvocation(t, payload, lc, in.LogType == LogTypeTail)
	o, err := s.execute(ctx, inv)
	if err != nil {
		return nil, err
	}
	return &InvokeOutput{
		StatusCode:      200,
		FunctionError:   o.functionError,
		LogResult:       o.logResult,
		Payload:         o.payload,
		ExecutedVersion: o.executedVersion,
	}, nil
}

// checkPayload applies the payload quota and checks it is JSON.
func (s *Service) checkPayload(p []byte, async bool) ([]byte, error) {
	limit, op := s.limits.MaxSyncPayload, "InvokeFunction"
	if async {
		limit, op = s.limits.MaxAsyncPayload, "InvokeAsync"
	}
	if len(p) > limit {
		le := &LimitError{Limit: "Payload", Value: int64(len(p)), Max: int64(limit), Unit: "bytes"}
		return nil, limitErr(ErrRequestTooLarge, fmt.Sprintf("Request must be smaller than %d bytes for the %s operation", limit, op), le)
	}
	if len(p) == 0 {
		return []byte("{}"), nil
	}
	if !json.Valid(p) {
		var v any
		err := json.Unmarshal(p, &v)
		return nil, ErrInvalidRequestContent.Newf("Could not parse request body into json: %v", err)
	}
	return p, nil
}

func (s *Service) decodeClientContext(b64 string, cc *ClientContext) error {
	if len(b64) > s.limits.MaxClientContext {
		le := &LimitError{Limit: "ClientContext", Value: int64(len(b64)), Max: int64(s.limits.MaxClientContext), Unit: "bytes"}
		return limitErr(ErrInvalidParameterValue, fmt.Sprintf("Client context must be at most %d bytes of base64: %s", s.limits.MaxClientContext, le.Error()), le)
	}
	raw, err := base64.StdEncoding.DecodeString(b64)
	if err != nil || json.Unmarshal(raw, cc) != nil {
		return ErrInvalidRequestContent.New("Client context must be a valid Base64-encoded JSON object.")
	}
	return nil
}

// target is what a FunctionName and Qualifier resolve to.
type target struct {
	fn    *function
	ver   *version
	alias *alias
	arn   string // the ARN the caller invoked
	key   string // qualifier of configurations: $LATEST, a version or an alias
}

func (s *Service) resolve(name, qualifier string) (*target, error) {
	ref, err := parseRefQualifier(name, qualifier)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, err
	}
	t := &target{fn: fn, key: ref.qualifier}
	if a, ok := fn.aliases[ref.qualifier]; ok {
		t.alias = a
		t.ver = s.routeLocked(fn, a)
		t.arn = s.qualifiedARN(fn.name, a.name)
		return t, nil
	}
	v, ok := s.versionLocked(fn, ref.qualifier)
	if !ok {
		return nil, ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(fn.name, ref.qualifier))
	}
	t.ver = v
	if ref.qualifier == "" {
		t.arn = fn.arn
		t.key = LatestVersion
	} else {
		t.arn = v.arn
	}
	return t, nil
}

// metrics returns the metric sets an invocation of t counts in.
func (t *target) metrics() metricSets {
	ms := metricSets{all: t.fn.metrics.all, version: t.ver.metrics}
	if t.alias != nil {
		ms.alias = t.alias.metrics
	}
	return ms
}

// invocation is one run of a handler, from taking a unit of concurrency
// to the REPORT line.
type invocation struct {
	s         *Service
	t         *target
	requestID string
	payload   []byte
	lc        LambdaContext
	tail      bool
	stream    *ResponseStream

	slot     slot
	env      *environment
	log      *invocationLog
	ictx     *invokeCtx
	timerMu  sync.Mutex
	timer    clock.Timer
	start    time.Time
	initDur  time.Duration
	cold     bool
	finished atomic.Bool
	done     chan *outcome
	fault    Fault // injected by Options.Faults
}

// outcome is how an invocation ended.
type outcome struct {
	payload         []byte
	functionError   string
	logResult       string
	executedVersion string
	timedOut        bool
}

// handlerResult is what the handler produced.
type handlerResult struct {
	out     []byte
	ferr    *FunctionError
	crashed bool // a panic: the runtime exits and the environment goes
	// exit is how the runtime exited when crashed ("exit status 1"); ""
	// is a Go handler's panic, which exits with status 2.
	exit string
}

func (s *Service) newInvocation(t *target, payload []byte, lc LambdaContext, tail bool) *invocation {
	inv := &invocation{s: s, t: t, requestID: s.newRequestID(), payload: payload, lc: lc, tail: tail, done: make(chan *outcome, 1)}
	inv.lc.AwsRequestID = inv.requestID
	return inv
}

// execute runs an invocation and waits for its outcome. Throttles and a
// closed service are errors; everything the function does is in the
// outcome.
func (s *Service) execute(ctx context.Context, inv *invocation) (*outcome, error) {
	if err := s.begin(ctx, inv); err != nil {
		return nil, err
	}
	select {
	case o := <-inv.done:
		return o, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// begin takes a unit of concurrency and an environment and starts the
// handler on its own goroutine; the outcome arrives on inv.done.
func (s *Service) begin(ctx context.Context, inv *invocation) error {
	fn, ver := inv.t.fn, inv.t.ver
	m := inv.t.metrics()
	if inv.fault = s.fault(ctx, FaultInvoke, fn.name, inv.payload); inv.fault.Err != nil {
		if ThrottleReason(inv.fault.Err) != "" {
			m.throttle()
		}
		return inv.fault.Err
	}
	sl, terr := s.conc.acquire(fn)
	if terr != nil {
		m.throttle()
		return terr
	}
	inv.slot = sl
	m.enter()
	inv.log = s.newInvocationLog(ctx, fn.name, ver.number, inv.requestID, inv.tail)
	env, cold, initErr, terr := ver.pool.get(ctx, inv.log, inv.requestID)
	if terr != nil {
		s.conc.release(sl)
		m.leave()
		m.throttle()
		return terr
	}
	inv.cold = cold
	if initErr != nil && s.closeCtx.Err() != nil {
		s.conc.release(sl)
		m.leave()
		return errClosed()
	}
	if initErr != nil {
		inv.start = s.clock.Now()
		inv.finished.Store(true)
		inv.log.system(slog.LevelInfo, startLine(inv.requestID, ver.number))
		inv.done <- inv.complete(handlerResult{ferr: initErr, crashed: true, exit: initErr.exit}, false, m)
		return nil
	}
	inv.env = env
	inv.log.setStream(env.stream)
	if cold {
		inv.initDur = ver.pool.takeInitDuration(env)
	}
	inv.start = s.clock.Now()
	timeout := ver.cfg.timeout
	st := &invokeState{lc: inv.lc, env: env, log: inv.log, start: inv.start}
	inv.ictx = newInvokeCtx(ctx, inv.start.Add(timeout), st)
	if !ver.pool.setCurrent(env, inv.ictx) {
		ver.pool.release(env, true)
		s.conc.release(sl)
		m.leave()
		return errClosed()
	}
	if inv.log != nil {
		inv.log.system(slog.LevelInfo, startLine(inv.requestID, ver.number))
	}
	var hctx context.Context = inv.ictx
	if s.contextHook != nil {
		lc := inv.lc
		hctx = s.contextHook(hctx, &lc)
	}
	env.work <- envJob{inv: inv, ctx: hctx, m: m}
	// The deadline timer starts once the environment has the job, so that
	// a timeout never discards an environment before it got its work.
	inv.timerMu.Lock()
	if !inv.finished.Load() {
		inv.timer = s.clock.AfterFunc(timeout, func() { inv.onTimeout(m) })
	}
	inv.timerMu.Unlock()
	return nil
}

// track counts a goroutine the service is about to start, unless the
// service is closed.
func (s *Service) track() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// call runs the handler, recovering a panic.
func (inv *invocation) call(ctx context.Context) (r handlerResult) {
	defer func() {
		if v := recover(); v != nil {
			r = handlerResult{ferr: panicError(v), crashed: true}
		}
	}()
	if r, ok := inv.injected(ctx); ok {
		return r
	}
	var w io.Writer
	if inv.stream != nil {
		w = inv.stream.writer(inv.ictx)
	}
	out, rd, err := inv.env.invoke(ctx, inv.payload, w)
	if err == nil && inv.stream != nil {
		err = inv.stream.copyOut(inv.ictx, out, rd)
		out = nil
	} else if err == nil && rd != nil {
		out, err = io.ReadAll(io.LimitReader(rd, int64(inv.s.limits.MaxResponsePayload)+1))
		if c, ok := rd.(io.Closer); ok {
			c.Close()
		}
	}
	if inv.stream != nil && inv.stream.overLimit() {
		return handlerResult{ferr: inv.stream.tooLarge()}
	}
	var rx *runtimeExit
	if errors.As(err, &rx) {
		return handlerResult{out: rx.out, ferr: rx.doc, crashed: true, exit: rx.status}
	}
	if err != nil {
		var fe *FunctionError
		switch {
		case errors.As(err, &fe) && fe == err:
			c := *fe
			c.FunctionError = FunctionErrorUnhandled
			return handlerResult{ferr: &c}
		}
		return handlerResult{ferr: &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: errorTypeName(err), ErrorMessage: err.Error()}}
	}
	if max := inv.s.limits.MaxResponsePayload; len(out) > max {
		return handlerResult{ferr: &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Function.ResponseSizeTooLarge",
			ErrorMessage: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", max)}}
	}
	return handlerResult{out: out}
}

// onTimeout ends the invocation at its deadline. It claims the end before
// cancelling the handler's context, so that nothing the handler does
// afterwards changes the outcome.
func (inv *invocation) onTimeout(m metricSets) {
	if !inv.finished.CompareAndSwap(false, true) {
		return
	}
	timeout := inv.t.ver.cfg.timeout
	inv.ictx.cancel(context.DeadlineExceeded)
	secs := fmt.Sprintf("%.2f", timeout.Seconds())
	inv.log.system(slog.LevelError, inv.s.clock.Now().UTC().Format("2006-01-02T15:04:05.000Z")+" "+inv.requestID+" Task timed out after "+secs+" seconds")
	inv.done <- inv.complete(handlerResult{ferr: &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Sandbox.Timedout",
		ErrorMessage: "RequestId: " + inv.requestID + " Error: Task timed out after " + secs + " seconds"}}, true, m)
}

// finish ends the invocation when the handler returns, unless the
// deadline ended it first.
func (inv *invocation) finish(r handlerResult, m metricSets) {
	if !inv.finished.CompareAndSwap(false, true) {
		return
	}
	inv.timerMu.Lock()
	if inv.timer != nil {
		inv.timer.Stop()
	}
	inv.timerMu.Unlock()
	inv.ictx.cancel(context.Canceled)
	inv.done <- inv.complete(r, false, m)
}

// complete releases the environment and the concurrency, writes the log
// lines, and records metrics and cost.
func (inv *invocation) complete(r handlerResult, timedOut bool, m metricSets) *outcome {
	s, ver := inv.s, inv.t.ver
	d := s.clock.Since(inv.start)
	if timedOut {
		d = ver.cfg.timeout
	}
	if inv.env != nil {
		ver.pool.release(inv.env, r.crashed || timedOut)
	}
	s.conc.release(inv.slot)
	m.leave()
	o := &outcome{payload: r.out, executedVersion: ver.number, timedOut: timedOut}
	status := ""
	if r.ferr != nil {
		o.functionError = FunctionErrorUnhandled
		o.payload = r.ferr.Payload
		if o.payload == nil {
			o.payload, _ = json.Marshal(r.ferr)
		}
		if !timedOut {
			inv.log.system(slog.LevelError, string(o.payload))
		}
		status = "error"
		if timedOut {
			status = "timeout"
		}
	}
	if r.crashed && (r.ferr != nil || r.exit != "") {
		exit := r.exit
		if exit == "" {
			exit = "Runtime exited with error: exit status 2"
		}
		inv.log.system(slog.LevelError, "RequestId: "+inv.requestID+" Error: "+exit+"\nRuntime.ExitError")
	}
	if inv.stream != nil {
		o.payload = nil
	}
	billed := billedDuration(d + inv.initDur)
	if inv.log != nil {
		inv.log.system(slog.LevelInfo, endLine(inv.requestID))
		inv.log.system(slog.LevelInfo, report{requestID: inv.requestID, duration: d, billed: billed, memoryMB: ver.cfg.memoryMB, initDuration: inv.initDur, status: status}.line())
	}
	o.logResult = inv.log.tail(s.limits.LogTailSize)
	m.record(d, r.ferr != nil, inv.cold, inv.env != nil && inv.env.provisioned)
	s.meter.add(ver.cfg, billed)
	if inv.stream != nil {
		inv.stream.complete(o, r.ferr)
	}
	return o
}

// traceID is the _X_AMZN_TRACE_ID of an invocation, in X-Ray's format.
func traceID(t time.Time, requestID string) string {
	id := strings.ReplaceAll(requestID, "-", "")
	return fmt.Sprintf("Root=1-%08x-%s;Parent=%s;Sampled=0", t.Unix(), id[:24], id[16:32])
}
