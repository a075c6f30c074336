package apigw

import (
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	"sync"

	"github.com/minicloud/minicloud/clock"
)

// Options configures a [Service]. The zero value is AWS's defaults on the
// real clock.
type Options struct {
	// Clock is the time source for throttling buckets, quotas, caches,
	// authorizer result caching and integration timeouts. Nil means
	// clock.Real().
	Clock clock.Clock
	// Region names the simulated Region in ARNs and domain names. Default
	// "us-east-1".
	Region string
	// AccountID is the account in ARNs and requestContext. Default
	// "123456789012".
	AccountID string
	// Logger receives the access log lines of stages that enable them
	// (see [StageConfig.AccessLogFormat]) and the reason behind every
	// denied request. Nil discards them.
	Logger *slog.Logger
	// Limits overrides API Gateway's quotas; zero fields keep AWS's
	// defaults.
	Limits Limits
	// Prices overrides the prices of the cost meter; nil means
	// [DefaultPrices] (us-east-1).
	Prices *Prices
	// Seed seeds API IDs, deployment IDs and request IDs, so that a run
	// on a manual clock is reproducible. Zero means seed 1.
	Seed uint64
	// Faults, when set, is consulted for every request that reaches an
	// integration, to inject throttling, integration timeouts and
	// failures (see [Fault]).
	Faults FaultFunc
}

// Service is the API Gateway of one account in one Region: the REST and
// HTTP APIs it holds, their deployments and stages, API keys and usage
// plans, and the account-level throttle that every API shares. It is safe
// for concurrent use.
type Service struct {
	clock     clock.Clock
	region    string
	accountID string
	logger    *slog.Logger
	limits    Limits
	prices    Prices

	mu       sync.Mutex
	rnd      *rand.Rand
	apis     map[string]*API
	throttle *bucket    // the account-level throttle, shared by every API
	models   modelCache // compiled request models (validate.go)
	meter    meter      // what the cost meter counts (cost.go)

	plans planStore // API keys, usage plans and their usage (usageplan.go)
	creds credStore // access keys that AWS_IAM routes accept (iam.go)

	ws wsRegistry // WebSocket APIs, their connection throttle and cost meter (websocket.go)

	faults FaultFunc // Options.Faults (faults.go)

	domains domainStore // custom domain names and base path mappings (domain.go)
}

// New returns an empty API Gateway.
func New(opts Options) *Service {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	s := &Service{
		clock:     clock.Or(opts.Clock),
		region:    opts.Region,
		accountID: opts.AccountID,
		logger:    opts.Logger,
		limits:    opts.Limits.withDefaults(),
		rnd:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		apis:      map[string]*API{},
		faults:    opts.Faults,
	}
	if opts.Prices != nil {
		s.prices = *opts.Prices
	} else {
		s.prices = DefaultPrices()
	}
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.accountID == "" {
		s.accountID = "123456789012"
	}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	s.throttle = newBucket(s.limits.AccountRateLimit, s.limits.AccountBurstLimit, s.clock.Now())
	return s
}

// Region returns the Region the service simulates.
func (s *Service) Region() string { return s.region }

// AccountID returns the account the service simulates.
func (s *Service) AccountID() string { return s.accountID }

// newID returns a 10-character lower-case alphanumeric identifier, the
// shape of API, deployment and resource IDs. The caller holds s.mu.
func (s *Service) newIDLocked() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 10)
	for i := range b {
		b[i] = alphabet[s.rnd.IntN(len(alphabet))]
	}
	return string(b)
}

// newRequestID returns a request ID in the UUID shape API Gateway uses.
func (s *Service) newRequestID() string {
	s.mu.Lock()
	a, b := s.rnd.Uint64(), s.rnd.Uint64()
	s.mu.Unlock()
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", a>>32, (a>>16)&0xffff, 0x4000|(a&0x0fff), 0x8000|(b>>48)&0x3fff, b&0xffffffffffff)
}

// newExtendedRequestID returns an extendedRequestId like "BQGojGkjoAMFrhw=".
func (s *Service) newExtendedRequestID() string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	s.mu.Lock()
	defer s.mu.Unlock()
	b := make([]byte, 15)
	for i := range b {
		b[i] = alphabet[s.rnd.IntN(len(alphabet))]
	}
	return string(b) + "="
}

// CreateAPI creates a REST or HTTP API. Errors: BadRequestException for a
// missing name or kind, LimitExceededException past [Limits.MaxAPIs].
func (s *Service) CreateAPI(cfg APIConfig) (*API, error) {
	if cfg.Name == "" {
		return nil, ErrBadRequest.New("Invalid API name specified")
	}
	if cfg.Kind != REST && cfg.Kind != HTTP {
		return nil, ErrBadRequest.Newf("Invalid API kind %d: use apigw.REST or apigw.HTTP", cfg.Kind)
	}
	if cfg.CORS != nil {
		if cfg.Kind != HTTP {
			return nil, ErrBadRequest.New("A CORS configuration is only supported for HTTP APIs; use EnableCORS on a REST API")
		}
		if err := ValidateCORS(*cfg.CORS); err != nil {
			return nil, err
		}
	}
	if err := checkPolicyDocument(cfg); err != nil { // policy.go
		return nil, err
	}
	if err := checkEndpointConfiguration(&cfg, s.region); err != nil { // endpointtype.go
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.apis) >= s.limits.MaxAPIs {
		return nil, ErrLimitExceeded.Newf("Too many APIs: the limit is %d per Region", s.limits.MaxAPIs)
	}
	id := s.newIDLocked()
	for s.apis[id] != nil {
		id = s.newIDLocked()
	}
	a := newAPI(s, id, cfg)
	s.apis[id] = a
	return a, nil
}

// API returns the API with the given ID.
func (s *Service) API(id string) (*API, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.apis[id]
	return a, ok
}

// APIs returns every API, ordered by name and then ID.
func (s *Service) APIs() []*API {
	s.mu.Lock()
	out := make([]*API, 0, len(s.apis))
	for _, a := range s.apis {
		out = append(out, a)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].cfg.Name != out[j].cfg.Name {
			return out[i].cfg.Name < out[j].cfg.Name
		}
		return out[i].id < out[j].id
	})
	return out
}

// DeleteAPI deletes an API and its stages. NotFoundException if there is
// none with that ID.
func (s *Service) DeleteAPI(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.apis[id] == nil {
		return ErrNotFound.Newf("Invalid API identifier specified %s:%s", s.accountID, id)
	}
	delete(s.apis, id)
	return nil
}
