package lambda

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Initialization types, as AWS_LAMBDA_INITIALIZATION_TYPE reports them.
const (
	initOnDemand    = "on-demand"
	initProvisioned = "provisioned-concurrency"
)

// environment is one execution environment: an initialised handler with
// its own /tmp and log stream, serving one invocation at a time.
type environment struct {
	id          string
	pool        *pool
	stream      string
	vars        map[string]string
	tmp         *Tmp
	invoke      invokeFunc
	provisioned bool
	// stop, when set by the code's init, ends what the init started (a
	// runtime process and its Runtime API) when the environment goes.
	stop func()
	// work feeds the environment's runtime loop, a goroutine that lives
	// as long as the environment (as the runtime process does in Lambda)
	// and runs its invocations one at a time.
	work      chan envJob
	closeOnce sync.Once

	// guarded by pool.mu
	initPending time.Duration // init duration to report on the first invocation
	idle        bool
	idleTimer   clock.Timer
	cur         *invokeCtx
	dead        bool
}

// pool holds the execution environments of one function version.
type pool struct {
	s *Service
	v *version

	mu       sync.Mutex
	idle     []*environment // warm on-demand environments, most recent last
	provIdle []*environment // warm provisioned environments
	all      map[*environment]struct{}
	retired  bool

	targets     map[*provisionedConfig]int
	provAlive   int // provisioned environments alive or initialising
	provReady   int // provisioned environments initialised
	provFailure string
}

func newPool(s *Service, v *version) *pool {
	return &pool{s: s, v: v, all: make(map[*environment]struct{})}
}

// get returns a warm environment, or starts a new one (a cold start). It
// returns the init error as a function error document when the new
// environment's init fails.
func (p *pool) get(ctx context.Context, log *invocationLog, requestID string) (e *environment, cold bool, initErr *FunctionError, err *Error) {
	p.mu.Lock()
	if n := len(p.provIdle); n > 0 {
		e = p.provIdle[n-1]
		p.provIdle = p.provIdle[:n-1]
	} else if n := len(p.idle); n > 0 {
		e = p.idle[n-1]
		p.idle = p.idle[:n-1]
		e.idle = false
		if e.idleTimer != nil {
			e.idleTimer.Stop()
			e.idleTimer = nil
		}
	}
	p.mu.Unlock()
	if e != nil {
		return e, false, nil, nil
	}
	if !p.s.conc.takeScaling(p.v.fn, p.s.clock.Now()) {
		return nil, false, nil, throttled(ReasonFunctionInvocationRateLimitExceeded)
	}
	e, ferr := p.start(ctx, false, log, requestID)
	if ferr != nil {
		return nil, true, ferr, nil
	}
	return e, true, nil, nil
}

// start creates and initialises an environment: its /tmp, its
// variables, the simulated cold-start delay and the handler's init.
// requestID names the invocation that caused a cold start ("" for a
// provisioned environment), for the messages of a failed init.
func (p *pool) start(ctx context.Context, provisioned bool, log *invocationLog, requestID string) (*environment, *FunctionError) {
	s := p.s
	cfg := p.v.cfg
	// provisioned is set once the init succeeded (see provision), so that
	// a failed init is not counted as a provisioned environment.
	e := &environment{id: s.newHexID(), pool: p}
	now := s.clock.Now().UTC()
	e.stream = fmt.Sprintf("%04d/%02d/%02d/[%s]%s", now.Year(), int(now.Month()), now.Day(), p.v.number, e.id)
	e.vars = p.environ(e, provisioned)
	e.tmp = newTmp(s.tmpRoot, cfg.ephemeralMB)
	p.mu.Lock()
	p.all[e] = struct{}{}
	p.mu.Unlock()

	start := s.clock.Now()
	log.system(slog.LevelInfo, "INIT_START Runtime Version: "+cfg.runtime)
	initCtx := context.WithValue(s.closeCtx, lambdaContextKey{}, &invokeState{env: e, log: log, initRequestID: requestID})
	var ferr *FunctionError
	if s.coldStart > 0 {
		if err := s.clock.Sleep(initCtx, s.coldStart); err != nil {
			ferr = &FunctionError{FunctionError: "Unhandled", ErrorType: "Runtime.Unknown", ErrorMessage: "init interrupted: " + err.Error()}
		}
	}
	if ferr == nil {
		ferr = s.initFault(initCtx, s.fault(initCtx, FaultInit, p.v.fn.name, nil))
	}
	if ferr == nil {
		e.invoke, ferr = runInit(initCtx, p.v.code)
	}
	d := s.clock.Since(start)
	if ferr != nil {
		log.system(slog.LevelError, fmt.Sprintf("INIT_REPORT Init Duration: %.2f ms\tPhase: init\tStatus: error\tError Type: %s", ms(d), ferr.ErrorType))
		p.destroy(e)
		return nil, ferr
	}
	e.initPending = d
	if !s.track() {
		p.destroy(e)
		return nil, &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Runtime.Unknown", ErrorMessage: "the Lambda service has been closed"}
	}
	e.work = make(chan envJob, 1)
	go e.loop()
	return e, nil
}

// envJob is one invocation handed to an environment's runtime loop.
type envJob struct {
	inv *invocation
	ctx context.Context
	m   metricSets
}

// loop is the environment's runtime: it runs the invocations it is given
// until the environment is destroyed.
func (e *environment) loop() {
	defer e.pool.s.wg.Done()
	for j := range e.work {
		r := j.inv.call(j.ctx)
		j.inv.finish(r, j.m)
	}
}

// runInit runs the code's init, turning an error or a panic into the
// function error Lambda reports for a failed init.
func runInit(ctx context.Context, code *Code) (inv invokeFunc, ferr *FunctionError) {
	defer func() {
		if v := recover(); v != nil {
			ferr = panicError(v)
		}
	}()
	inv, err := code.init(ctx)
	var fe *FunctionError
	if errors.As(err, &fe) {
		c := *fe
		c.FunctionError = FunctionErrorUnhandled
		return nil, &c
	}
	if err != nil {
		return nil, &FunctionError{FunctionError: "Unhandled", ErrorType: errorTypeName(err), ErrorMessage: err.Error()}
	}
	return inv, nil
}

// environ is the execution environment's variables: Lambda's own, then
// the function's.
func (p *pool) environ(e *environment, provisioned bool) map[string]string {
	s, cfg, fn := p.s, p.v.cfg, p.v.fn
	it := initOnDemand
	if provisioned {
		it = initProvisioned
	}
	vars := map[string]string{
		"AWS_LAMBDA_FUNCTION_NAME":        fn.name,
		"AWS_LAMBDA_FUNCTION_VERSION":     p.v.number,
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": strconv.Itoa(cfg.memoryMB),
		"AWS_LAMBDA_LOG_GROUP_NAME":       "/aws/lambda/" + fn.name,
		"AWS_LAMBDA_LOG_STREAM_NAME":      e.stream,
		"AWS_LAMBDA_INITIALIZATION_TYPE":  it,
		"AWS_LAMBDA_RUNTIME_API":          "127.0.0.1:9001",
		"AWS_REGION":                      s.region,
		"AWS_DEFAULT_REGION":              s.region,
		"_HANDLER":                        cfg.handlerName,
		"LAMBDA_TASK_ROOT":                "/var/task",
		"LAMBDA_RUNTIME_DIR":              "/var/runtime",
		"LANG":                            "en_US.UTF-8",
		"TZ":                              ":UTC",
		"PATH":                            "/usr/local/bin:/usr/bin/:/bin:/opt/bin",
		"LD_LIBRARY_PATH":                 "/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib",
	}
	for k, v := range cfg.env {
		vars[k] = v
	}
	return vars
}

// takeInitDuration returns the init duration to report once, on the
// environment's first invocation.
func (p *pool) takeInitDuration(e *environment) time.Duration {
	p.mu.Lock()
	defer p.mu.Unlock()
	d := e.initPending
	e.initPending = 0
	return d
}

func (p *pool) setCurrent(e *environment, c *invokeCtx) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.retired && p.s.closeCtx.Err() != nil {
		return false
	}
	e.cur = c
	return true
}

// release returns an environment after an invocation: warm for the next
// one, or destroyed when discard is set (a timeout or a crash), when its
// version was replaced, or when provisioned concurrency shrank.
func (p *pool) release(e *environment, discard bool) {
	p.mu.Lock()
	e.cur = nil
	if discard || p.retired || e.dead || (e.provisioned && p.provAlive > p.provTargetLocked()) {
		p.removeLocked(e)
		refill := e.provisioned && !p.retired && p.provAlive < p.provTargetLocked()
		p.mu.Unlock()
		destroyEnv(e)
		if refill {
			p.fillProvisioned()
		}
		return
	}
	if e.provisioned {
		p.provIdle = append(p.provIdle, e)
		p.mu.Unlock()
		return
	}
	e.idle = true
	p.idle = append(p.idle, e)
	e.idleTimer = p.s.clock.AfterFunc(p.s.idleTimeout, func() { p.reap(e) })
	p.mu.Unlock()
}

// reap destroys an environment that stayed idle for IdleTimeout.
func (p *pool) reap(e *environment) {
	p.mu.Lock()
	if !e.idle || e.dead {
		p.mu.Unlock()
		return
	}
	for i, x := range p.idle {
		if x == e {
			p.idle = append(p.idle[:i], p.idle[i+1:]...)
			break
		}
	}
	e.idle = false
	e.idleTimer = nil
	p.removeLocked(e)
	p.mu.Unlock()
	destroyEnv(e)
}

// destroy removes an environment that never served.
func (p *pool) destroy(e *environment) {
	p.mu.Lock()
	p.removeLocked(e)
	p.mu.Unlock()
	destroyEnv(e)
}

func (p *pool) removeLocked(e *environment) {
	if e.dead {
		return
	}
	e.dead = true
	delete(p.all, e)
	if e.provisioned {
		p.provAlive--
		p.provReady--
	}
	if e.idleTimer != nil {
		e.idleTimer.Stop()
		e.idleTimer = nil
	}
}

func destroyEnv(e *environment) {
	e.closeOnce.Do(func() {
		if e.stop != nil {
			e.stop()
		}
		if e.work != nil {
			close(e.work)
		}
		if e.tmp != nil {
			e.tmp.remove()
		}
	})
}

// retire stops the pool from keeping environments: idle ones are
// destroyed now, busy ones when they are released. With a non-nil cause
// (Close) the running invocations' contexts are cancelled too.
func (p *pool) retire(cause error) {
	p.mu.Lock()
	p.retired = true
	victims := append(p.idle, p.provIdle...)
	p.idle, p.provIdle = nil, nil
	for _, e := range victims {
		e.idle = false
		p.removeLocked(e)
	}
	var running []*invokeCtx
	if cause != nil {
		for e := range p.all {
			if e.cur != nil {
				running = append(running, e.cur)
			}
		}
	}
	p.mu.Unlock()
	for _, e := range victims {
		destroyEnv(e)
	}
	for _, c := range running {
		c.cancel(cause)
	}
}

// Warm returns the number of idle (warm) environments of a function
// version ($LATEST when qualifier is empty), provisioned ones included.
func (s *Service) Warm(functionName, qualifier string) int {
	p := s.poolOf(functionName, qualifier)
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle) + len(p.provIdle)
}

// Environments returns the number of live execution environments of a
// function version (busy, idle and initialising).
func (s *Service) Environments(functionName, qualifier string) int {
	p := s.poolOf(functionName, qualifier)
	if p == nil {
		return 0
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.all)
}

func (s *Service) poolOf(functionName, qualifier string) *pool {
	ref, err := parseRefQualifier(functionName, qualifier)
	if err != nil {
		return nil
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil
	}
	q := ref.qualifier
	if a, ok := fn.aliases[q]; ok {
		q = a.version
	}
	v, ok := s.versionLocked(fn, q)
	if !ok {
		return nil
	}
	return v.pool
}

// setProvisioned sets the number of environments a provisioned
// concurrency configuration keeps for this pool.
func (p *pool) setProvisioned(pc *provisionedConfig, n int) {
	p.mu.Lock()
	if p.targets == nil {
		p.targets = make(map[*provisionedConfig]int)
	}
	if n <= 0 {
		delete(p.targets, pc)
	} else {
		p.targets[pc] = n
	}
	p.provFailure = ""
	target := p.provTargetLocked()
	var surplus []*environment
	for p.provAlive > target && len(p.provIdle) > 0 {
		e := p.provIdle[len(p.provIdle)-1]
		p.provIdle = p.provIdle[:len(p.provIdle)-1]
		p.removeLocked(e)
		surplus = append(surplus, e)
	}
	p.mu.Unlock()
	for _, e := range surplus {
		destroyEnv(e)
	}
	p.fillProvisioned()
}

func (p *pool) provTargetLocked() int {
	n := 0
	for _, t := range p.targets {
		n += t
	}
	return n
}

// provisionedReady returns how many of pc's environments are initialised,
// and the reason of a failed init.
func (p *pool) provisionedReady(pc *provisionedConfig) (int, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return min(p.provReady, pc.requested), p.provFailure
}

// fillProvisioned starts initialising environments until the provisioned
// target is met, each on its own goroutine.
func (p *pool) fillProvisioned() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.retired || p.provFailure != "" {
		return
	}
	for p.provAlive < p.provTargetLocked() {
		p.provAlive++
		p.s.wg.Add(1)
		go p.provision()
	}
}

func (p *pool) provision() {
	defer p.s.wg.Done()
	e, ferr := p.start(p.s.closeCtx, true, nil, "")
	p.mu.Lock()
	if ferr != nil {
		p.provAlive--
		p.provFailure = ferr.ErrorType + ": " + ferr.ErrorMessage
		p.mu.Unlock()
		return
	}
	e.initPending = 0 // provisioned init happens ahead of the invocations
	e.provisioned = true
	p.provReady++
	if p.retired || p.provAlive > p.provTargetLocked() {
		p.removeLocked(e)
		p.mu.Unlock()
		destroyEnv(e)
		return
	}
	p.provIdle = append(p.provIdle, e)
	p.mu.Unlock()
}

// panicError is the error document of a panicking handler, as
// aws-lambda-go reports it: the panic value's type and text and the
// stack of the panic.
func panicError(v any) *FunctionError {
	fe := &FunctionError{FunctionError: "Unhandled", ErrorType: errorTypeName(v), ErrorMessage: fmt.Sprint(v)}
	if fe.ErrorType == "" {
		fe.ErrorType = "panic"
	}
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			label := f.Function
			if i := strings.LastIndexByte(label, '/'); i >= 0 {
				label = label[i+1:]
			}
			fe.StackTrace = append(fe.StackTrace, StackFrame{Path: f.File, Line: int32(f.Line), Label: label})
		}
		if !more || len(fe.StackTrace) >= 16 {
			break
		}
	}
	return fe
}
