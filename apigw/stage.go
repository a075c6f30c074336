package apigw

import (
	"context"
	"errors"
	"io"
	"maps"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// StageConfig describes a stage: the deployment it serves and its
// settings.
type StageConfig struct {
	// Name names the stage ("prod", "dev"; "$default" for an HTTP API's
	// stage served at the root).
	Name string
	// DeploymentID is the deployment the stage serves. Empty, with
	// AutoDeploy unset, means the API's newest deployment at creation.
	DeploymentID string
	// Description is free text.
	Description string
	// Variables are the stage variables, given to integrations (the
	// stageVariables of a Lambda proxy event) and usable in HTTPProxy
	// endpoints as ${stageVariables.name}. Names are [A-Za-z0-9_], values
	// at most 2,048 characters.
	Variables map[string]string
	// AutoDeploy redeploys an HTTP API stage on every change of the API.
	AutoDeploy bool
	// Throttle is the stage's default rate and burst for every route;
	// zero fields mean the account's limits.
	Throttle Throttle
	// MethodSettings override the stage's settings per route, keyed by
	// route key ("GET /items/{id}"); the key "*" applies to all routes.
	MethodSettings map[string]MethodSettings
	// CacheClusterEnabled gives a REST stage a response cache, used by
	// routes whose MethodSettings enable caching. CacheClusterSize is its
	// size in GB ("0.5" default, up to "237"), which the cost meter
	// prices by the hour.
	CacheClusterEnabled bool
	CacheClusterSize    string
	// AccessLogFormat, when set, logs a line per request with $context
	// variables replaced ($context.requestId, $context.status, …) to the
	// service's Logger.
	AccessLogFormat string
	// Canary is a REST stage's canary release: a deployment that serves
	// a percentage of the stage's requests (canary.go). Nil means none.
	Canary *CanarySettings
}

// Throttle is a token bucket setting: a steady rate in requests per
// second and a burst. Zero fields mean "no limit of this level".
type Throttle struct {
	RateLimit  float64
	BurstLimit int
}

// MethodSettings are per-route stage settings.
type MethodSettings struct {
	// Throttle overrides the stage's throttle for the route.
	Throttle Throttle
	// CachingEnabled caches the route's responses in the stage cache.
	CachingEnabled bool
	// CacheTTL is how long a response stays cached: 0 to 3,600 s;
	// zero means the default 300 s. Use a negative value for 0 s.
	CacheTTL time.Duration
	// RequireAuthorizationForCacheControl makes API Gateway honour a
	// client's Cache-Control: max-age=0 only when the caller may invoke
	// execute-api:InvalidateCache (an IAM-signed request); otherwise the
	// header is ignored (or, with UnauthorizedCacheControlHeaderStrategy
	// FAIL_WITH_403, refused).
	RequireAuthorizationForCacheControl bool
	// UnauthorizedCacheControlHeaderStrategy is FAIL_WITH_403,
	// SUCCEED_WITH_RESPONSE_HEADER or SUCCEED_WITHOUT_RESPONSE_HEADER (the
	// default).
	UnauthorizedCacheControlHeaderStrategy string
}

// Stage is a named, served snapshot of an API: an http.Handler for the
// deployment it points at, with its own variables, throttling, caching
// and logging. It serves paths within the stage ("/items/1").
type Stage struct {
	api  *API
	name string

	mu       sync.Mutex
	cfg      StageConfig
	dep      *Deployment
	throttle *bucket
	methods  map[string]*bucket // per-route throttles
	cache    *stageCache
	metrics  Metrics
	created  time.Time
	canary   canaryState // the canary's deployment and metrics (canary.go)
}

// CreateStage creates a stage. Errors: BadRequestException for a bad name,
// variables or an unknown deployment, ConflictException if it exists,
// LimitExceededException past [Limits.MaxStages].
func (a *API) CreateStage(cfg StageConfig) (*Stage, error) {
	if err := a.checkStage(&cfg); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.stages[cfg.Name] != nil {
		return nil, ErrConflict.New("Stage already exists")
	}
	if len(a.stages) >= a.s.limits.MaxStages {
		return nil, ErrLimitExceeded.Newf("Too many stages: the limit is %d per API", a.s.limits.MaxStages)
	}
	var dep *Deployment
	switch {
	case cfg.DeploymentID != "":
		dep = a.deployments[cfg.DeploymentID]
		if dep == nil {
			return nil, ErrBadRequest.Newf("Invalid deployment identifier specified: %s", cfg.DeploymentID)
		}
	case cfg.AutoDeploy:
		d, err := a.deployLocked("Automatic deployment triggered by changes to the Api configuration")
		if err != nil {
			return nil, err
		}
		dep = d
	default:
		dep = a.newestDeploymentLocked()
		if dep == nil {
			return nil, ErrBadRequest.New("A stage needs a deployment: create one first, or use Deploy")
		}
	}
	cfg.DeploymentID = dep.ID
	st := &Stage{api: a, name: cfg.Name, created: a.s.clock.Now()}
	st.applyLocked(cfg, dep)
	a.stages[cfg.Name] = st
	return st, nil
}

func (a *API) newestDeploymentLocked() *Deployment {
	var newest *Deployment
	for _, d := range a.deployments {
		if newest == nil || d.CreatedDate.After(newest.CreatedDate) || d.CreatedDate.Equal(newest.CreatedDate) && d.ID > newest.ID {
			newest = d
		}
	}
	return newest
}

func (a *API) checkStage(cfg *StageConfig) error {
	if cfg.Name == "" {
		return ErrBadRequest.New("Stage name must be non-empty")
	}
	if cfg.Name == "$default" {
		if a.cfg.Kind != HTTP {
			return ErrBadRequest.New("The $default stage is only available for HTTP APIs")
		}
	} else {
		for _, c := range cfg.Name {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
				return ErrBadRequest.New("Stage name only allows a-zA-Z0-9_-")
			}
		}
	}
	if cfg.AutoDeploy && a.cfg.Kind != HTTP {
		return ErrBadRequest.New("AutoDeploy is only available for HTTP APIs")
	}
	if len(cfg.Variables) > a.s.limits.MaxStageVariables {
		return ErrBadRequest.Newf("Too many stage variables: the limit is %d", a.s.limits.MaxStageVariables)
	}
	for k, v := range cfg.Variables {
		if k == "" || len(k) > 64 {
			return ErrBadRequest.Newf("Stage variable name %q must be 1 to 64 characters", k)
		}
		for _, c := range k {
			if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
				return ErrBadRequest.Newf("Stage variable name %q only allows a-zA-Z0-9_", k)
			}
		}
		if len(v) > 2048 {
			return ErrBadRequest.Newf("Stage variable %s is longer than 2048 characters", k)
		}
	}
	for k, m := range cfg.MethodSettings {
		if m.CacheTTL > time.Hour {
			return ErrBadRequest.Newf("Method setting %s: cache TTL must be between 0 and 3600 seconds", k)
		}
	}
	return a.checkCanary(cfg) // canary.go
}

// applyLocked installs a configuration (the caller holds the API's lock;
// the stage's own lock is taken here).
func (st *Stage) applyLocked(cfg StageConfig, dep *Deployment) {
	st.mu.Lock()
	defer st.mu.Unlock()
	cfg.Variables = maps.Clone(cfg.Variables)
	cfg.MethodSettings = maps.Clone(cfg.MethodSettings)
	st.applyCanaryLocked(&cfg) // canary.go
	now := st.api.s.clock.Now()
	if st.throttle == nil || st.cfg.Throttle != cfg.Throttle {
		st.throttle = nil
		if cfg.Throttle.RateLimit > 0 || cfg.Throttle.BurstLimit > 0 {
			st.throttle = newBucket(cfg.Throttle.RateLimit, cfg.Throttle.BurstLimit, now)
		}
	}
	st.methods = map[string]*bucket{}
	for k, m := range cfg.MethodSettings {
		if m.Throttle.RateLimit > 0 || m.Throttle.BurstLimit > 0 {
			st.methods[k] = newBucket(m.Throttle.RateLimit, m.Throttle.BurstLimit, now)
		}
	}
	if cfg.CacheClusterEnabled {
		if cfg.CacheClusterSize == "" {
			cfg.CacheClusterSize = "0.5"
		}
		if st.cache != nil && st.cfg.CacheClusterSize != cfg.CacheClusterSize {
			// Resizing a cache cluster deletes what it held.
			st.api.s.meter.addCacheTime(st.cache.since, now, st.cfg.CacheClusterSize)
			st.cache = nil
		}
		if st.cache == nil {
			st.cache = newStageCache(now)
		}
	} else if st.cache != nil {
		st.api.s.meter.addCacheTime(st.cache.since, now, st.cfg.CacheClusterSize)
		st.cache = nil
	}
	st.cfg = cfg
	st.dep = dep
}

// UpdateStage changes a stage's settings (pointing it at another
// deployment included) with a function that edits a copy of its
// configuration. The stage's name cannot change.
func (a *API) UpdateStage(name string, edit func(*StageConfig)) (*Stage, error) {
	st := a.Stage(name)
	if st == nil {
		return nil, ErrNotFound.Newf("Invalid stage identifier specified: %s", name)
	}
	cfg := st.config()
	edit(&cfg)
	cfg.Name = name
	if err := a.checkStage(&cfg); err != nil {
		return nil, err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	dep := a.deployments[cfg.DeploymentID]
	if dep == nil {
		return nil, ErrBadRequest.Newf("Invalid deployment identifier specified: %s", cfg.DeploymentID)
	}
	st.applyLocked(cfg, dep)
	return st, nil
}

// DeleteStage deletes a stage. NotFoundException if there is none.
func (a *API) DeleteStage(name string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	st := a.stages[name]
	if st == nil {
		return ErrNotFound.Newf("Invalid stage identifier specified: %s", name)
	}
	st.mu.Lock()
	if st.cache != nil {
		a.s.meter.addCacheTime(st.cache.since, a.s.clock.Now(), st.cfg.CacheClusterSize)
	}
	st.mu.Unlock()
	delete(a.stages, name)
	return nil
}

func (st *Stage) setDeployment(d *Deployment) {
	st.mu.Lock()
	st.dep = d
	st.cfg.DeploymentID = d.ID
	st.mu.Unlock()
}

// Name returns the stage's name.
func (st *Stage) Name() string { return st.name }

// DeploymentID returns the deployment the stage serves.
func (st *Stage) DeploymentID() string {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.cfg.DeploymentID
}

// Config returns a copy of the stage's configuration.
func (st *Stage) Config() StageConfig { return st.config() }

func (st *Stage) config() StageConfig {
	st.mu.Lock()
	defer st.mu.Unlock()
	cfg := st.cfg
	cfg.Variables = maps.Clone(cfg.Variables)
	cfg.MethodSettings = maps.Clone(cfg.MethodSettings)
	cfg.Canary = cfg.Canary.clone()
	return cfg
}

// InvokeURL returns the stage's URL on the default execute-api endpoint.
func (st *Stage) InvokeURL() string {
	u := "https://" + st.api.Endpoint()
	if st.name != "$default" {
		u += "/" + st.name
	}
	return u
}

// ServeHTTP serves a request to the stage; the path is within the stage.
func (st *Stage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st.serve(w, r, r.URL.EscapedPath())
}

// Handler serves the API the way its default execute-api endpoint does:
// "/{stage}/path" for a named stage and, for an HTTP API with a $default
// stage, every path that does not start with another stage's name. A
// request for a stage that does not exist answers 403 {"message":
// "Forbidden"} (REST) or 404 {"message":"Not Found"} (HTTP), as AWS does.
func (a *API) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.EscapedPath()
		name, rest, _ := strings.Cut(strings.TrimPrefix(p, "/"), "/")
		rest = "/" + rest
		if st := a.Stage(name); st != nil && name != "$default" {
			st.serve(w, r, rest)
			return
		}
		if st := a.Stage("$default"); st != nil {
			st.serve(w, r, p)
			return
		}
		c := &call{kind: a.cfg.Kind, w: w, r: r, s: a.s, start: a.s.clock.Now()}
		c.requestID = a.s.newRequestID()
		if a.cfg.Kind == REST {
			c.writeGatewayResponse(&gwError{typ: ResponseMissingAuthToken, status: 403, message: "Forbidden", reason: "no stage " + name})
		} else {
			c.writeGatewayResponse(&gwError{typ: ResponseResourceNotFound, status: 404, message: "Not Found", reason: "no stage " + name})
		}
	})
}

// call is one request going through a stage.
type call struct {
	s    *Service
	api  *API
	st   *Stage
	dep  *Deployment
	cfg  StageConfig
	kind Kind

	w       http.ResponseWriter
	r       *http.Request
	path    string // decoded path within the stage
	rawPath string // escaped path as the endpoint saw it, stage included
	body    []byte

	route  *route
	params map[string]string
	req    *Request

	start             time.Time
	requestID         string
	extendedRequestID string

	// outcome, for metrics and the access log
	status             int
	responseLength     int
	errMessage         string
	errType            string
	validationError    string // why a request validator refused the request
	integrationLatency time.Duration
	integrationStatus  int
	cacheHit, cacheUse bool
	wrote              bool
	canary             bool // served by the stage's canary deployment (canary.go)
}

func (st *Stage) serve(w http.ResponseWriter, r *http.Request, escapedPath string) {
	s := st.api.s
	dep, cfg, canary := st.pick() // the stage's deployment or its canary's (canary.go)
	c := &call{
		s: s, api: st.api, st: st, dep: dep, cfg: cfg, kind: st.api.cfg.Kind, canary: canary,
		w: w, r: r, start: s.clock.Now(),
		requestID:         s.newRequestID(),
		extendedRequestID: s.newExtendedRequestID(),
	}
	if c.kind == HTTP {
		// HTTP APIs have one request ID, in the short form that the
		// apigw-requestid header carries.
		c.requestID = c.extendedRequestID
	}
	c.rawPath = escapedPath
	if st.name != "$default" {
		c.rawPath = "/" + st.name + escapedPath
	}
	if segs, ok := splitRequestPath(escapedPath); ok {
		c.path = "/" + strings.Join(segs, "/")
	} else {
		c.path = escapedPath
	}
	s.meter.countRequest(c.kind)
	defer c.finish()
	if e := c.run(escapedPath); e != nil {
		c.deny(e)
	}
}

// run is the request pipeline in API Gateway's order. A non-nil result is
// the gateway response to send instead of the integration's.
func (c *call) run(escapedPath string) *gwError {
	if e := c.checkPrivateEndpoint(); e != nil { // endpointtype.go
		return e
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, int64(c.s.limits.MaxPayload)+1))
	if err != nil {
		return c.errInternal("reading the request body: " + err.Error())
	}
	if len(body) > c.s.limits.MaxPayload {
		return c.errTooLarge()
	}
	c.body = body
	if c.kind == HTTP && c.preflight() {
		return nil
	}
	if !c.s.throttle.take(c.start) {
		return c.errThrottled("account-level throttle (" + strconv.FormatFloat(c.s.limits.AccountRateLimit, 'f', -1, 64) + " rps)")
	}
	c.st.mu.Lock()
	stageBucket := c.st.throttle
	c.st.mu.Unlock()
	if stageBucket != nil && !stageBucket.take(c.start) {
		return c.errThrottled("stage " + c.st.name + " throttle")
	}
	r, params, ok := c.dep.router.match(c.r.Method, escapedPath)
	if !ok {
		return c.errMissingAuthToken()
	}
	c.route, c.params = r, params
	c.req = c.newRequest()
	if e := c.checkResourcePolicy(); e != nil {
		return e
	}
	if e := c.authorize(); e != nil {
		return e
	}
	if e := c.checkAPIKey(); e != nil {
		return e
	}
	if b := c.methodBucket(); b != nil && !b.take(c.start) {
		return c.errThrottled("route " + r.key.String() + " throttle")
	}
	if e := c.validate(); e != nil {
		return e
	}
	if res, hit := c.cacheLookup(); hit {
		c.writeResponse(res)
		return nil
	}
	res, e := c.integrate()
	if e != nil {
		return e
	}
	c.cacheStore(res)
	c.writeResponse(res)
	return nil
}

func (c *call) methodBucket() *bucket {
	c.st.mu.Lock()
	defer c.st.mu.Unlock()
	if b := c.st.methods[c.route.key.String()]; b != nil {
		return b
	}
	return c.st.methods["*"]
}

// newRequest builds what the integration sees.
func (c *call) newRequest() *Request {
	req := &Request{
		Method:            c.r.Method,
		Path:              c.path,
		RawPath:           c.rawPath,
		RawQuery:          c.r.URL.RawQuery,
		Header:            c.r.Header.Clone(),
		Body:              c.body,
		RouteKey:          c.route.key.String(),
		Resource:          c.route.key.path,
		PathParameters:    c.params,
		Kind:              c.kind,
		APIID:             c.api.id,
		Stage:             c.st.name,
		StageVariables:    maps.Clone(c.cfg.Variables),
		AccountID:         c.s.accountID,
		DomainName:        c.api.Endpoint(),
		RequestID:         c.requestID,
		ExtendedRequestID: c.extendedRequestID,
		RequestTime:       c.start,
		SourceIP:          sourceIP(c.r),
		UserAgent:         c.r.UserAgent(),
		binaryMediaTypes:  c.dep.cfg.BinaryMediaTypes,
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if c.r.Host != "" {
		req.Header.Set("Host", c.r.Host)
	}
	c.applyCustomDomain(req) // domainhandler.go
	return req
}

// sourceIP is the client's address: the first X-Forwarded-For hop if a
// proxy in front set one, else the connection's peer.
func sourceIP(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	return host
}

// integrate calls the integration with the timeout on the clock.
func (c *call) integrate() (*Response, *gwError) {
	timeout := c.route.cfg.Timeout
	if timeout == 0 {
		timeout = c.s.limits.IntegrationTimeout
	}
	integration, gerr := c.faultIntegration() // faults.go
	if gerr != nil {
		return nil, gerr
	}
	ctx, cancel := context.WithCancel(c.r.Context())
	defer cancel()
	type result struct {
		res *Response
		err error
	}
	done := make(chan result, 1)
	timer := c.s.clock.NewTimer(timeout)
	defer timer.Stop()
	started := c.s.clock.Now()
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: errors.New("integration panicked")}
			}
		}()
		res, err := integration.Integrate(ctx, c.req)
		done <- result{res, err}
	}()
	var out result
	select {
	case out = <-done:
	case <-timer.C():
		cancel()
		c.integrationLatency = c.s.clock.Since(started)
		return nil, c.errTimeout()
	case <-c.r.Context().Done():
		cancel()
		return nil, c.errInternal("client went away")
	}
	c.integrationLatency = c.s.clock.Since(started)
	if out.err != nil {
		var ie *integrationError
		if errors.As(out.err, &ie) {
			c.integrationStatus = http.StatusOK
			return nil, c.errBadGateway(ie.Error())
		}
		if errors.Is(out.err, context.DeadlineExceeded) {
			return nil, c.errTimeout()
		}
		return nil, c.errInternal("integration failed: " + out.err.Error())
	}
	if out.res == nil {
		return nil, c.errInternal("integration returned no response")
	}
	c.integrationStatus = out.res.StatusCode
	if len(out.res.Body) > c.s.limits.MaxPayload {
		return nil, c.errBadGateway("integration response over the 10 MB payload limit")
	}
	return out.res, nil
}

// deny sends a gateway response and logs why.
func (c *call) deny(e *gwError) {
	route := ""
	if c.route != nil {
		route = c.route.key.String()
	}
	c.s.logger.Info("apigw: request denied",
		"apiId", c.api.id, "stage", c.st.name, "requestId", c.requestID,
		"method", c.r.Method, "path", c.path, "route", route,
		"status", e.status, "response", string(e.typ), "reason", e.reason)
	if e.typ == ResponseBadRequestBody || e.typ == ResponseBadRequestParameters {
		c.validationError = e.reason
	}
	c.writeGatewayResponse(e)
}

// writeResponse sends a response with API Gateway's headers.
func (c *call) writeResponse(res *Response) {
	if c.wrote {
		return
	}
	c.wrote = true
	h := c.w.Header()
	for k, vs := range res.Header {
		h[k] = append([]string(nil), vs...)
	}
	if c.kind == REST {
		h.Set("X-Amzn-Requestid", c.requestID)
		h.Set("X-Amz-Apigw-Id", strings.TrimSuffix(c.extendedRequestID, "="))
	} else {
		h.Set("Apigw-Requestid", c.extendedRequestID)
	}
	if c.st != nil {
		c.corsHeaders(h)
	}
	h.Set("Content-Length", strconv.Itoa(len(res.Body)))
	h.Del("Transfer-Encoding")
	status := res.StatusCode
	if status == 0 {
		status = http.StatusOK
	}
	c.status = status
	c.responseLength = len(res.Body)
	c.w.WriteHeader(status)
	if c.r.Method != http.MethodHead {
		_, _ = c.w.Write(res.Body)
	}
}

// finish records metrics and writes the access log line.
func (c *call) finish() {
	if c.st == nil {
		return
	}
	latency := c.s.clock.Since(c.start)
	c.st.record(c, latency)
	if c.cfg.AccessLogFormat != "" {
		c.s.logger.Info(c.expandAccessLog(c.cfg.AccessLogFormat, latency),
			"apiId", c.api.id, "stage", c.st.name, "requestId", c.requestID)
	}
}
