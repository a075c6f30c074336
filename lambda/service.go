package lambda

import (
	"context"
	"encoding/hex"
	"log/slog"
	"math/rand/v2"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Options configures a [Service]. The zero value is Lambda in us-east-1 of
// account 123456789012 on the real clock, with AWS's default quotas and
// prices, no simulated cold-start delay and logs discarded.
type Options struct {
	// Clock is the time source for timeouts, durations, cold starts, idle
	// reaping, asynchronous retries and event ages. Nil means clock.Real().
	Clock clock.Clock
	// Region names the simulated Region in ARNs and AWS_REGION. Default
	// "us-east-1".
	Region string
	// AccountID is the account in ARNs. Default "123456789012".
	AccountID string
	// Logger receives the functions' logs: Lambda's START, END and REPORT
	// lines and what handlers write through [Logger] and [LogWriter], each
	// record tagged with function, version, requestId and logStream. Nil
	// discards them.
	Logger *slog.Logger
	// Limits overrides Lambda's quotas; zero fields keep AWS's defaults.
	Limits Limits
	// Prices overrides the prices and free tier of the cost meter; nil
	// means [DefaultPrices] (us-east-1).
	Prices *Prices
	// Seed seeds request IDs, environment IDs and weighted alias routing,
	// so that a run on a manual clock is reproducible. Zero means seed 1.
	Seed uint64
	// ColdStart is a simulated delay, on the clock, added to the init
	// phase of every new execution environment (before the handler's own
	// init). Zero (the default) adds none: with a clock.Manual a non-zero
	// delay waits until the test advances the clock.
	ColdStart time.Duration
	// IdleTimeout is how long an execution environment stays warm after
	// its last invocation before Lambda reaps it. AWS does not document
	// it (observations range from about 5 to 15 minutes, sometimes more);
	// the default is 10 minutes. Provisioned environments are never
	// reaped.
	IdleTimeout time.Duration
	// ContextHook, when set, is called with the context of every
	// invocation and the invocation's LambdaContext, and the handler runs
	// with the context it returns. Use it to copy the values into
	// lambdacontext of aws-lambda-go (see the package documentation).
	ContextHook func(ctx context.Context, lc *LambdaContext) context.Context
	// TmpDir is where the environments' /tmp directories are created.
	// Default os.TempDir().
	TmpDir string
	// Faults, when set, is consulted at every invocation, cold start and
	// queued asynchronous event to inject failures (see [Fault]); the root
	// package minicloud sets it from its fault rules.
	Faults FaultFunc
}

// Service is one simulated Lambda endpoint: the functions of one account
// in one Region, their execution environments and asynchronous queue. It
// is safe for concurrent use. Create it with [New] and stop it with
// [Service.Close].
type Service struct {
	clock       clock.Clock
	region      string
	account     string
	logger      *slog.Logger
	limits      Limits
	prices      Prices
	coldStart   time.Duration
	idleTimeout time.Duration
	contextHook func(context.Context, *LambdaContext) context.Context
	faults      FaultFunc
	tmpRoot     string

	closeCtx    context.Context
	closeCancel context.CancelFunc

	seed   uint64
	seq    atomic.Uint64
	randMu sync.Mutex
	rand   *rand.Rand

	mu        sync.RWMutex
	closed    bool
	functions map[string]*function
	codeSeq   int

	conc  concurrency
	async asyncQueue
	meter meter
	esm   esmRegistry
	vpc   network

	// wg counts every goroutine the service starts: handlers, async
	// attempts, provisioned initialisation. Close waits for them.
	wg sync.WaitGroup
}

// New returns a Service with no functions, configured by opts.
func New(opts Options) *Service {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	prices := DefaultPrices()
	if opts.Prices != nil {
		prices = *opts.Prices
	}
	idle := opts.IdleTimeout
	if idle <= 0 {
		idle = 10 * time.Minute
	}
	tmp := opts.TmpDir
	if tmp == "" {
		tmp = os.TempDir()
	}
	s := &Service{
		clock:       clock.Or(opts.Clock),
		region:      opts.Region,
		account:     opts.AccountID,
		logger:      logger,
		limits:      opts.Limits.withDefaults(),
		prices:      prices,
		coldStart:   opts.ColdStart,
		idleTimeout: idle,
		contextHook: opts.ContextHook,
		faults:      opts.Faults,
		tmpRoot:     tmp,
		seed:        seed,
		rand:        rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		functions:   make(map[string]*function),
	}
	s.closeCtx, s.closeCancel = context.WithCancel(context.Background())
	s.conc.init(s.limits)
	s.async.init()
	return s
}

// Limits returns the quotas in force, AWS's defaults filled in.
func (s *Service) Limits() Limits { return s.limits }

// Region returns the Service's Region.
func (s *Service) Region() string { return s.region }

// AccountID returns the Service's account.
func (s *Service) AccountID() string { return s.account }

// Close stops the service: it stops every timer (idle reaping, retries,
// deadlines), drops the events waiting in the asynchronous queue, cancels
// the context of every running handler, waits for the handlers and every
// goroutine the service started to return, and removes every /tmp
// directory. A handler that ignores its context keeps Close waiting. Calls
// after Close fail with ServiceException. Close is idempotent.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	fns := make([]*function, 0, len(s.functions))
	for _, fn := range s.functions {
		fns = append(fns, fn)
	}
	s.mu.Unlock()

	s.closeCancel()
	s.esm.close()
	s.async.close()
	s.vpc.close()
	for _, fn := range fns {
		for _, p := range fn.allPools() {
			p.retire(context.Canceled)
		}
	}
	s.wg.Wait()
	// Environments released while Close waited were destroyed on release;
	// this sweeps any left behind.
	for _, fn := range fns {
		for _, p := range fn.allPools() {
			p.retire(context.Canceled)
		}
	}
	return nil
}

func errClosed() *Error { return ErrService.New("the Lambda service has been closed") }

// next64 returns the n-th value of the service's deterministic sequence:
// a SplitMix64 of the seed and a counter, lock-free.
func (s *Service) next64() uint64 {
	z := s.seed + s.seq.Add(1)*0x9e3779b97f4a7c15
	z = (z ^ z>>30) * 0xbf58476d1ce4e5b9
	z = (z ^ z>>27) * 0x94d049bb133111eb
	return z ^ z>>31
}

// newRequestID returns a version 4 UUID from the service's sequence.
func (s *Service) newRequestID() string {
	var b [16]byte
	a, c := s.next64(), s.next64()
	for i := range 8 {
		b[i] = byte(a >> (8 * i))
		b[8+i] = byte(c >> (8 * i))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}

// newHexID returns 32 hex digits, as in an execution environment's log
// stream name.
func (s *Service) newHexID() string {
	var b [16]byte
	a, c := s.next64(), s.next64()
	for i := range 8 {
		b[i] = byte(a >> (8 * i))
		b[8+i] = byte(c >> (8 * i))
	}
	return hex.EncodeToString(b[:])
}

// float64n returns a number in [0, 1) from the seeded source.
func (s *Service) float64n() float64 {
	s.randMu.Lock()
	defer s.randMu.Unlock()
	return s.rand.Float64()
}

// AccountLimit is the account's quotas as GetAccountSettings reports them.
type AccountLimit struct {
	// ConcurrentExecutions is the account's concurrency (1,000 by default).
	ConcurrentExecutions int
	// UnreservedConcurrentExecutions is what no function has reserved.
	UnreservedConcurrentExecutions int
	// CodeSizeZipped is the largest directly uploaded .zip in bytes.
	CodeSizeZipped int64
	// CodeSizeUnzipped is the largest extracted package in bytes.
	CodeSizeUnzipped int64
	// TotalCodeSize is the account's code storage in bytes.
	TotalCodeSize int64
}

// AccountUsage is what the account uses.
type AccountUsage struct {
	FunctionCount int
	// TotalCodeSize is the .zip bytes of every function and version.
	TotalCodeSize int64
}

// GetAccountSettingsOutput is the result of GetAccountSettings.
type GetAccountSettingsOutput struct {
	AccountLimit AccountLimit
	AccountUsage AccountUsage
}

// GetAccountSettings returns the account's quotas and usage.
func (s *Service) GetAccountSettings(ctx context.Context) (*GetAccountSettingsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.RLock()
	if s.closed {
		s.mu.RUnlock()
		return nil, errClosed()
	}
	n := len(s.functions)
	used := s.codeStorageLocked()
	s.mu.RUnlock()
	return &GetAccountSettingsOutput{
		AccountLimit: AccountLimit{
			ConcurrentExecutions:           s.limits.ConcurrentExecutions,
			UnreservedConcurrentExecutions: s.conc.unreserved(),
			CodeSizeZipped:                 s.limits.MaxZippedPackageSize,
			CodeSizeUnzipped:               s.limits.MaxUnzippedPackageSize,
			TotalCodeSize:                  s.limits.CodeStorage,
		},
		AccountUsage: AccountUsage{FunctionCount: n, TotalCodeSize: used},
	}, nil
}
