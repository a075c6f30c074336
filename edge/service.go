package edge

import (
	"context"
	"encoding/base64"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Limits are CloudFront's quotas that the simulation enforces. Each field
// names its quota; [DefaultLimits] holds AWS's documented defaults (see
// https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/cloudfront-limits.html).
type Limits struct {
	// CacheBehaviorsPerDistribution: 75.
	CacheBehaviorsPerDistribution int
	// InvalidationPathsInProgress: 3,000 file paths in progress at once
	// per distribution.
	InvalidationPathsInProgress int
	// WildcardInvalidationsInProgress: 15 wildcard paths in progress at
	// once per distribution.
	WildcardInvalidationsInProgress int
	// ErrorCachingMinTTL is how long a cacheable 4xx/5xx response without
	// Cache-Control is kept: 10 seconds.
	ErrorCachingMinTTL time.Duration
	// OriginResponseTimeout is the origin response (read) timeout: 30
	// seconds by default (1–120 allowed); past it the viewer gets 504.
	OriginResponseTimeout time.Duration

	// FunctionComputeBudget is the wall time a CloudFront Function may use
	// per invocation; compute utilization is the share of it used, and a
	// function over 100% fails with 503. AWS documents utilization, not the
	// budget; 1 ms (CloudFront Functions run in "sub-millisecond" time) is
	// minicloud's approximation.
	FunctionComputeBudget time.Duration
	// FunctionMaxResponseSize is the largest response a CloudFront Function
	// may generate (status line, headers and body): 40 KB, as for
	// Lambda@Edge viewer events (minicloud's reading of CloudFront's
	// limit; see docs/edge.md).
	FunctionMaxResponseSize int

	// LambdaViewerTimeout and LambdaOriginTimeout are Lambda@Edge's
	// function timeouts: 5 seconds for viewer events, 30 for origin events.
	LambdaViewerTimeout, LambdaOriginTimeout time.Duration
	// LambdaViewerMemoryMB and LambdaOriginMemoryMB are the largest memory
	// a Lambda@Edge function may have: 128 MB for viewer events, 10,240 MB
	// for origin events.
	LambdaViewerMemoryMB, LambdaOriginMemoryMB int
	// LambdaViewerBodySize and LambdaOriginBodySize are how much of the
	// request body Lambda@Edge exposes with IncludeBody (the rest is cut
	// and inputTruncated set): 40 KB for viewer requests, 1 MB for origin
	// requests.
	LambdaViewerBodySize, LambdaOriginBodySize int
	// LambdaViewerResponseSize and LambdaOriginResponseSize are the
	// largest response a Lambda@Edge function may generate or return
	// (headers and body): 40 KB for viewer events, 1 MB for origin events.
	LambdaViewerResponseSize, LambdaOriginResponseSize int
}

// DefaultLimits returns CloudFront's default quotas.
func DefaultLimits() Limits {
	return Limits{
		CacheBehaviorsPerDistribution:   75,
		InvalidationPathsInProgress:     3000,
		WildcardInvalidationsInProgress: 15,
		ErrorCachingMinTTL:              10 * time.Second,
		OriginResponseTimeout:           30 * time.Second,
		FunctionComputeBudget:           time.Millisecond,
		FunctionMaxResponseSize:         40 * 1024,
		LambdaViewerTimeout:             5 * time.Second,
		LambdaOriginTimeout:             30 * time.Second,
		LambdaViewerMemoryMB:            128,
		LambdaOriginMemoryMB:            10240,
		LambdaViewerBodySize:            40 * 1024,
		LambdaOriginBodySize:            1024 * 1024,
		LambdaViewerResponseSize:        40 * 1024,
		LambdaOriginResponseSize:        1024 * 1024,
	}
}

// Options configures a [Service]. The zero value is AWS's defaults on the
// real clock.
type Options struct {
	// Clock is the time source of caches, TTLs, invalidations, origin and
	// Lambda@Edge timeouts. Nil means clock.Real().
	Clock clock.Clock
	// ComputeClock measures the compute time of CloudFront Functions. It is
	// separate from Clock because a function's budget is real CPU time
	// even when the simulation's time is stepped by hand. Nil means
	// clock.Real(); a test may pass a clock.Manual that its function
	// advances to act slow.
	ComputeClock clock.Clock
	// AccountID is the account in ARNs. Default "123456789012".
	AccountID string
	// Seed seeds distribution, invalidation and request IDs. Zero means 1.
	Seed uint64
	// Limits overrides [DefaultLimits]; zero fields keep the default.
	Limits Limits
	// Locations are the edge locations; nil means [DefaultLocations].
	Locations []Location
	// DefaultViewerRegion is where a viewer is when the request does not
	// say (see [HeaderViewerRegion]). Default "us-east-1".
	DefaultViewerRegion string
	// InvalidationTime is how long an invalidation stays InProgress before
	// it takes effect everywhere and becomes Completed. AWS does not
	// promise a figure (most finish within a minute or two); default 30 s.
	// A negative value completes invalidations at once.
	InvalidationTime time.Duration
	// Prices are the cost meter's prices; zero means [DefaultPrices].
	Prices Prices
	// Faults, when set, is consulted for every request sent to an origin,
	// to inject an unreachable, slow, timing-out or failing origin (see
	// [Fault]).
	Faults FaultFunc
}

// Service is CloudFront for one account: distributions, their caches at
// every edge location and regional edge cache, invalidations, metrics and
// a cost meter. It is safe for concurrent use.
type Service struct {
	clock           clock.Clock
	compute         clock.Clock
	accountID       string
	limits          Limits
	locations       []Location
	defaultLocation int
	invalidationT   time.Duration
	prices          Prices

	mu            sync.Mutex
	rng           *rand.Rand
	distributions map[string]*Distribution
	byCaller      map[string]*Distribution
	faults        FaultFunc // Options.Faults (faults.go)

	meter meter
}

// New returns a CloudFront service with no distributions.
func New(opts Options) *Service {
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	if opts.Locations == nil {
		opts.Locations = DefaultLocations()
	}
	if opts.DefaultViewerRegion == "" {
		opts.DefaultViewerRegion = "us-east-1"
	}
	if opts.InvalidationTime == 0 {
		opts.InvalidationTime = 30 * time.Second
	}
	if opts.Prices.Source == "" {
		opts.Prices = DefaultPrices()
	}
	s := &Service{
		clock:         clock.Or(opts.Clock),
		compute:       clock.Or(opts.ComputeClock),
		accountID:     opts.AccountID,
		limits:        mergeLimits(opts.Limits),
		locations:     append([]Location(nil), opts.Locations...),
		invalidationT: max(opts.InvalidationTime, 0),
		prices:        opts.Prices,
		rng:           rand.New(rand.NewPCG(opts.Seed, opts.Seed^0x9e3779b97f4a7c15)),
		distributions: map[string]*Distribution{},
		byCaller:      map[string]*Distribution{},
		faults:        opts.Faults,
	}
	if p, ok := regionPlaces[opts.DefaultViewerRegion]; ok && len(s.locations) > 0 {
		s.defaultLocation = nearest(s.locations, p[0], p[1])
	}
	return s
}

// Limits returns the quotas in force.
func (s *Service) Limits() Limits { return s.limits }

// Locations returns the edge locations.
func (s *Service) Locations() []Location { return append([]Location(nil), s.locations...) }

func mergeLimits(l Limits) Limits {
	d := DefaultLimits()
	pick := func(v *int, def int) {
		if *v == 0 {
			*v = def
		}
	}
	pickD := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	pick(&l.CacheBehaviorsPerDistribution, d.CacheBehaviorsPerDistribution)
	pick(&l.InvalidationPathsInProgress, d.InvalidationPathsInProgress)
	pick(&l.WildcardInvalidationsInProgress, d.WildcardInvalidationsInProgress)
	pickD(&l.ErrorCachingMinTTL, d.ErrorCachingMinTTL)
	pickD(&l.OriginResponseTimeout, d.OriginResponseTimeout)
	pickD(&l.FunctionComputeBudget, d.FunctionComputeBudget)
	pick(&l.FunctionMaxResponseSize, d.FunctionMaxResponseSize)
	pickD(&l.LambdaViewerTimeout, d.LambdaViewerTimeout)
	pickD(&l.LambdaOriginTimeout, d.LambdaOriginTimeout)
	pick(&l.LambdaViewerMemoryMB, d.LambdaViewerMemoryMB)
	pick(&l.LambdaOriginMemoryMB, d.LambdaOriginMemoryMB)
	pick(&l.LambdaViewerBodySize, d.LambdaViewerBodySize)
	pick(&l.LambdaOriginBodySize, d.LambdaOriginBodySize)
	pick(&l.LambdaViewerResponseSize, d.LambdaViewerResponseSize)
	pick(&l.LambdaOriginResponseSize, d.LambdaOriginResponseSize)
	return l
}

const idAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newID returns prefix and n random upper-case letters and digits, as
// CloudFront's distribution ("E…") and invalidation ("I…") IDs.
func (s *Service) newID(prefix string, n int) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, 0, len(prefix)+n)
	b = append(b, prefix...)
	for range n {
		b = append(b, idAlphabet[s.rng.IntN(len(idAlphabet))])
	}
	return string(b)
}

// newRequestID returns an X-Amz-Cf-Id: 40 random bytes in URL-safe
// base64, 56 characters ending in "==", as CloudFront's.
func (s *Service) newRequestID() string {
	var b [40]byte
	s.mu.Lock()
	for i := 0; i < len(b); i += 8 {
		v := s.rng.Uint64()
		for j := 0; j < 8 && i+j < len(b); j++ {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	s.mu.Unlock()
	return base64.URLEncoding.EncodeToString(b[:])
}

// GetDistribution returns the distribution with this ID.
func (s *Service) GetDistribution(ctx context.Context, id string) (*Distribution, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.distributions[id]
	if !ok {
		return nil, ErrNoSuchDistribution.Newf("The specified distribution does not exist: %s", id)
	}
	return d, nil
}

// Close stops pending invalidations. A closed service still serves.
func (s *Service) Close() error {
	s.mu.Lock()
	ds := make([]*Distribution, 0, len(s.distributions))
	for _, d := range s.distributions {
		ds = append(ds, d)
	}
	s.mu.Unlock()
	for _, d := range ds {
		d.stopInvalidations()
	}
	return nil
}
