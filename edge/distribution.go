package edge

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Viewer protocol policies of a cache behaviour.
const (
	// ViewerProtocolAllowAll serves HTTP and HTTPS alike (the default).
	ViewerProtocolAllowAll = "allow-all"
	// ViewerProtocolRedirectToHTTPS answers an HTTP request with 301 Moved
	// Permanently to the same URL over HTTPS.
	ViewerProtocolRedirectToHTTPS = "redirect-to-https"
	// ViewerProtocolHTTPSOnly answers an HTTP request with 403 Forbidden.
	ViewerProtocolHTTPSOnly = "https-only"
)

// Origin is where a distribution gets what it does not have in cache: any
// http.Handler (an API Gateway stage, a file server, a mux).
type Origin struct {
	// Id names the origin for cache behaviours' TargetOriginId.
	Id string
	// DomainName is the origin's host name: the Host the origin sees unless
	// the Host header is forwarded, and the domainName of Lambda@Edge's
	// origin object. Default Id + ".example.com".
	DomainName string
	// OriginPath is prefixed to every path sent to this origin ("/prod").
	OriginPath string
	// CustomHeaders are added to every request sent to this origin.
	CustomHeaders map[string]string
	// Handler serves the origin's requests.
	Handler http.Handler
	// ResponseTimeout overrides Limits.OriginResponseTimeout for this
	// origin (CloudFront allows 1 to 120 seconds).
	ResponseTimeout time.Duration
}

// CacheBehavior decides how requests whose path matches PathPattern are
// served: from which origin, over which protocols, with which methods,
// cached under which policy, with which edge functions.
type CacheBehavior struct {
	// PathPattern selects the requests (see [MatchPathPattern]); empty for
	// the default behaviour, which matches everything the others do not.
	PathPattern string
	// TargetOriginId is the Id of an origin or of an origin group.
	TargetOriginId string
	// ViewerProtocolPolicy: "allow-all" (default), "redirect-to-https" or
	// "https-only". A request is HTTPS when it came over TLS or carries
	// X-Forwarded-Proto: https (the TLS terminator in front of the handler
	// says so).
	ViewerProtocolPolicy string
	// AllowedMethods is one of CloudFront's three sets: GET, HEAD (the
	// default); GET, HEAD, OPTIONS; or all seven (DELETE, GET, HEAD,
	// OPTIONS, PATCH, POST, PUT). Another method gets 403.
	AllowedMethods []string
	// CachedMethods is GET, HEAD (the default) or GET, HEAD, OPTIONS.
	CachedMethods []string
	// CachePolicy decides TTLs and the cache key; nil means
	// [CachingOptimized].
	CachePolicy *CachePolicy
	// OriginRequestPolicy adds what is forwarded to the origin; nil
	// forwards only the cache key's values.
	OriginRequestPolicy *OriginRequestPolicy
	// ResponseHeadersPolicy adds and removes headers of every response
	// to the viewer (before the viewer response function sees it).
	ResponseHeadersPolicy *ResponseHeadersPolicy
	// Compress gzips compressible responses of 1,000 to 10,000,000 bytes
	// for viewers that accept it (the cache policy must enable gzip or
	// Brotli in the cache key).
	Compress bool
	// FunctionAssociations attach CloudFront Functions (viewer events only).
	FunctionAssociations []FunctionAssociation
	// LambdaFunctionAssociations attach Lambda@Edge functions (any event).
	LambdaFunctionAssociations []LambdaFunctionAssociation
}

// DistributionConfig is what CreateDistribution takes.
type DistributionConfig struct {
	// CallerReference makes creation idempotent; required.
	CallerReference string
	// Comment is free text.
	Comment string
	// Aliases are alternate domain names (CNAMEs).
	Aliases []string
	// Origins are the distribution's origins; at least one.
	Origins []Origin
	// DefaultCacheBehavior serves what no CacheBehaviors entry matches; its
	// PathPattern must be empty.
	DefaultCacheBehavior CacheBehavior
	// CacheBehaviors are tried in order; the first whose PathPattern
	// matches the request path wins. At most 75.
	CacheBehaviors []CacheBehavior
	// OriginGroups fail over from a primary to a secondary origin; a
	// behaviour targets one by its Id.
	OriginGroups []OriginGroup
	// CustomErrorResponses replace origin errors with pages of the
	// distribution and set how long errors are cached.
	CustomErrorResponses []CustomErrorResponse
	// Restrictions.GeoRestriction allows or refuses viewers by country.
	Restrictions struct{ GeoRestriction GeoRestriction }
	// PriceClass limits the edge locations: "PriceClass_All" (default),
	// "PriceClass_200" (all but South America, Australia and New Zealand)
	// or "PriceClass_100" (North America and Europe). A viewer near an
	// excluded location is served by the nearest included one.
	PriceClass string
}

// CreateDistributionInput is the input of CreateDistribution.
type CreateDistributionInput struct {
	DistributionConfig *DistributionConfig
}

// CreateDistributionOutput is the output of CreateDistribution.
type CreateDistributionOutput struct {
	// Distribution is the new distribution; it is an http.Handler.
	Distribution *Distribution
	// Location is the distribution's resource URL, ETag its version.
	Location, ETag string
}

// behavior is a validated cache behaviour.
type behavior struct {
	CacheBehavior
	allowed, cached map[string]bool
	policy          *CachePolicy
	hooks           [4]hook
}

var methodSets = [][]string{
	{"GET", "HEAD"},
	{"GET", "HEAD", "OPTIONS"},
	{"DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"},
}

func methodSet(ms []string, sets [][]string, field string) (map[string]bool, error) {
	if len(ms) == 0 {
		ms = sets[0]
	}
	sorted := make([]string, len(ms))
	for i, m := range ms {
		sorted[i] = strings.ToUpper(m)
	}
	slices.Sort(sorted)
	sorted = slices.Compact(sorted)
	for _, set := range sets {
		if slices.Equal(sorted, set) {
			out := map[string]bool{}
			for _, m := range set {
				out[m] = true
			}
			return out, nil
		}
	}
	return nil, ErrInvalidArgument.Newf("%s %v is not one of CloudFront's sets: [GET HEAD], [GET HEAD OPTIONS] or all seven methods.", field, ms)
}

// Distribution is a CloudFront distribution: an http.Handler that serves
// viewers from the cache of the edge location nearest to them, goes to
// its origins on a miss and runs its edge functions on the four events.
type Distribution struct {
	s *Service
	// Id ("E…"), ARN and DomainName ("d….cloudfront.net") identify it.
	Id, ARN, DomainName string

	dep      atomic.Pointer[deployment]
	updateMu sync.Mutex
	pops     []*store
	recs     map[string]*store
	viaHost  []string

	flightMu sync.Mutex
	flights  map[string]*flight

	invMu         sync.Mutex
	invalidations map[string]*Invalidation
	invOrder      []string
	invByCaller   map[string]*Invalidation
	invTimers     []clock.Timer

	metrics distMetrics
}

// deployment is a validated configuration as it runs at every location.
// UpdateDistribution swaps it whole; a request uses the one it started
// with.
type deployment struct {
	config       DistributionConfig
	etag         string
	behaviors    []*behavior // ordered, default last
	origins      map[string]*Origin
	byDomain     map[string]*Origin
	locations    []int // indexes of the locations of its price class
	customErrors map[int]*CustomErrorResponse
	groups       map[string]*OriginGroup
}

// Config returns the distribution's configuration.
func (d *Distribution) Config() DistributionConfig { return d.dep.Load().config }

// ETag returns the version of the configuration, the IfMatch of
// UpdateDistribution.
func (d *Distribution) ETag() string { return d.dep.Load().etag }

// CreateDistribution creates a distribution and deploys it at once to every
// edge location of its price class.
func (s *Service) CreateDistribution(ctx context.Context, in *CreateDistributionInput) (*CreateDistributionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || in.DistributionConfig == nil {
		return nil, ErrInvalidArgument.New("DistributionConfig is required.")
	}
	cfg := *in.DistributionConfig
	if cfg.CallerReference == "" {
		return nil, ErrInvalidArgument.New("CallerReference is required.")
	}
	s.mu.Lock()
	prev := s.byCaller[cfg.CallerReference]
	s.mu.Unlock()
	if prev != nil {
		return nil, ErrDistributionAlreadyExists.Newf("The caller reference that you are using to create a distribution is associated with another distribution: %s", prev.Id)
	}
	dep, err := s.compile(cfg)
	if err != nil {
		return nil, err
	}
	d := &Distribution{s: s, recs: map[string]*store{}, flights: map[string]*flight{}, invalidations: map[string]*Invalidation{}, invByCaller: map[string]*Invalidation{}}
	d.dep.Store(dep)
	d.pops = make([]*store, len(s.locations))
	d.viaHost = make([]string, len(s.locations))
	for i, l := range s.locations {
		d.pops[i] = newStore()
		if d.recs[l.RegionalEdgeCache] == nil {
			d.recs[l.RegionalEdgeCache] = newStore()
		}
		d.viaHost[i] = viaHostFor(l.Code)
	}
	d.Id = s.newID("E", 13)
	d.DomainName = "d" + strings.ToLower(s.newID("", 13)) + ".cloudfront.net"
	d.ARN = "arn:aws:cloudfront::" + s.accountID + ":distribution/" + d.Id
	d.metrics.init(len(s.locations))
	s.mu.Lock()
	if prev := s.byCaller[cfg.CallerReference]; prev != nil {
		s.mu.Unlock()
		return nil, ErrDistributionAlreadyExists.Newf("The caller reference that you are using to create a distribution is associated with another distribution: %s", prev.Id)
	}
	s.distributions[d.Id] = d
	s.byCaller[cfg.CallerReference] = d
	s.mu.Unlock()
	return &CreateDistributionOutput{Distribution: d, Location: "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + d.Id, ETag: dep.etag}, nil
}

// compile validates a configuration and builds its deployment.
func (s *Service) compile(config DistributionConfig) (*deployment, error) {
	d := &deployment{config: config, origins: map[string]*Origin{}, byDomain: map[string]*Origin{}, etag: "E" + s.newID("", 12)}
	cfg := &d.config
	// The deployment owns its slices: the caller may reuse theirs.
	cfg.Origins = slices.Clone(cfg.Origins)
	cfg.CacheBehaviors = slices.Clone(cfg.CacheBehaviors)
	cfg.CustomErrorResponses = slices.Clone(cfg.CustomErrorResponses)
	cfg.OriginGroups = slices.Clone(cfg.OriginGroups)
	if len(cfg.Origins) == 0 {
		return nil, ErrInvalidArgument.New("The distribution must have at least one origin.")
	}
	for i := range cfg.Origins {
		o := &cfg.Origins[i]
		if o.Id == "" {
			return nil, ErrInvalidArgument.New("Every origin must have an Id.")
		}
		if _, dup := d.origins[o.Id]; dup {
			return nil, ErrInvalidArgument.Newf("The parameter Origin Id %q is used by more than one origin.", o.Id)
		}
		if o.Handler == nil {
			return nil, ErrInvalidArgument.Newf("Origin %q has no Handler.", o.Id)
		}
		if o.OriginPath != "" && (!strings.HasPrefix(o.OriginPath, "/") || strings.HasSuffix(o.OriginPath, "/")) {
			return nil, ErrInvalidArgument.Newf("The parameter OriginPath %q must begin with a slash and must not end with one.", o.OriginPath)
		}
		if o.DomainName == "" {
			o.DomainName = strings.ToLower(o.Id) + ".example.com"
		}
		if o.ResponseTimeout != 0 && (o.ResponseTimeout < time.Second || o.ResponseTimeout > 120*time.Second) {
			return nil, ErrInvalidArgument.Newf("The origin response timeout of origin %q must be between 1 and 120 seconds.", o.Id)
		}
		d.origins[o.Id] = o
		d.byDomain[strings.ToLower(o.DomainName)] = o
	}
	if err := d.compileErrorResponses(); err != nil {
		return nil, err
	}
	if err := d.compileOriginGroups(); err != nil {
		return nil, err
	}
	if err := cfg.Restrictions.GeoRestriction.validate(); err != nil {
		return nil, err
	}
	cfg.Restrictions.GeoRestriction.Items = slices.Clone(cfg.Restrictions.GeoRestriction.Items)
	if len(cfg.CacheBehaviors) > s.limits.CacheBehaviorsPerDistribution {
		return nil, ErrTooManyCacheBehaviors.Newf("Your request contains more CacheBehaviors (%d) than are allowed per distribution (%d).", len(cfg.CacheBehaviors), s.limits.CacheBehaviorsPerDistribution)
	}
	if cfg.DefaultCacheBehavior.PathPattern != "" {
		return nil, ErrInvalidArgument.New("The default cache behavior must not have a PathPattern.")
	}
	all := append(slices.Clone(cfg.CacheBehaviors), cfg.DefaultCacheBehavior)
	for i := range all {
		b, err := s.compileBehavior(d, &all[i], i == len(all)-1)
		if err != nil {
			return nil, err
		}
		d.behaviors = append(d.behaviors, b)
	}
	switch cfg.PriceClass {
	case "", "PriceClass_All", "PriceClass_200", "PriceClass_100":
	default:
		return nil, ErrInvalidArgument.Newf("PriceClass %q is not valid; use PriceClass_All, PriceClass_200 or PriceClass_100.", cfg.PriceClass)
	}
	for i, l := range s.locations {
		if inPriceClass(cfg.PriceClass, l.PriceRegion) {
			d.locations = append(d.locations, i)
		}
	}
	if len(d.locations) == 0 {
		return nil, ErrInvalidArgument.Newf("No edge location is in price class %s.", cfg.PriceClass)
	}
	return d, nil
}

func inPriceClass(class string, r PriceRegion) bool {
	switch class {
	case "PriceClass_100":
		return r == PriceRegionUS || r == PriceRegionEurope
	case "PriceClass_200":
		return r != PriceRegionSouthAmerica && r != PriceRegionAustralia
	}
	return true
}

func (s *Service) compileBehavior(d *deployment, cb *CacheBehavior, isDefault bool) (*behavior, error) {
	if !isDefault {
		if err := ValidatePathPattern(cb.PathPattern); err != nil {
			return nil, err
		}
	}
	if _, ok := d.origins[cb.TargetOriginId]; !ok && d.groups[cb.TargetOriginId] == nil {
		return nil, ErrNoSuchOrigin.Newf("One or more of your origins or origin groups do not exist: %q.", cb.TargetOriginId)
	}
	switch cb.ViewerProtocolPolicy {
	case "":
		cb.ViewerProtocolPolicy = ViewerProtocolAllowAll
	case ViewerProtocolAllowAll, ViewerProtocolRedirectToHTTPS, ViewerProtocolHTTPSOnly:
	default:
		return nil, ErrInvalidArgument.Newf("ViewerProtocolPolicy %q is not valid; use allow-all, redirect-to-https or https-only.", cb.ViewerProtocolPolicy)
	}
	b := &behavior{CacheBehavior: *cb}
	var err error
	if b.allowed, err = methodSet(cb.AllowedMethods, methodSets, "AllowedMethods"); err != nil {
		return nil, err
	}
	if b.cached, err = methodSet(cb.CachedMethods, methodSets[:2], "CachedMethods"); err != nil {
		return nil, err
	}
	for m := range b.cached {
		if !b.allowed[m] {
			return nil, ErrInvalidArgument.Newf("CachedMethods must be a subset of AllowedMethods; %s is not allowed.", m)
		}
	}
	b.policy = cb.CachePolicy
	if b.policy == nil {
		b.policy = CachingOptimized()
	}
	if err := b.policy.validate(); err != nil {
		return nil, err
	}
	if cb.OriginRequestPolicy != nil {
		if err := cb.OriginRequestPolicy.validate(); err != nil {
			return nil, err
		}
	}
	if cb.ResponseHeadersPolicy != nil {
		if err := cb.ResponseHeadersPolicy.validate(); err != nil {
			return nil, err
		}
	}
	if err := s.attachFunctions(b); err != nil {
		return nil, err
	}
	return b, nil
}

// match returns the behaviour for a request path: the first cache behaviour
// whose pattern matches, else the default.
func (d *deployment) match(path string) *behavior {
	for _, b := range d.behaviors[:len(d.behaviors)-1] {
		if MatchPathPattern(b.PathPattern, path) {
			return b
		}
	}
	return d.behaviors[len(d.behaviors)-1]
}
