package apigw

import (
	"maps"
	"slices"
	"sort"
	"sync"
	"time"
)

// Kind says which API Gateway product an API is: a REST API (API Gateway
// version 1, payload format 1.0, 403 "Missing Authentication Token" for an
// unknown route) or an HTTP API (version 2, payload format 2.0 by
// default, 404 "Not Found", a $default route and stage).
type Kind int

const (
	// REST is a REST API.
	REST Kind = iota + 1
	// HTTP is an HTTP API.
	HTTP
)

func (k Kind) String() string {
	switch k {
	case REST:
		return "REST"
	case HTTP:
		return "HTTP"
	}
	return "Kind(?)"
}

// APIConfig describes an API at creation.
type APIConfig struct {
	// Name names the API (required).
	Name string
	// Kind is REST or HTTP (required).
	Kind Kind
	// Description is free text.
	Description string
	// APIKeySource says where a REST API reads the API key of a method
	// that requires one: "HEADER" (the default: the x-api-key header) or
	// "AUTHORIZER" (the usageIdentifierKey a Lambda authorizer returns).
	APIKeySource string
	// Policy is the REST API's resource policy, an IAM policy document
	// for execute-api:Invoke (allow or deny by source IP, VPC endpoint,
	// …). Empty means no resource policy.
	Policy string
	// BinaryMediaTypes are the content types a REST API passes as binary:
	// a Lambda proxy event gets such a body base64-encoded. "*/*" matches
	// all.
	BinaryMediaTypes []string
	// CORS is an HTTP API's CORS configuration; nil means none.
	CORS *CORS
	// EndpointConfiguration is the API's endpoint type (EDGE by default
	// for REST, REGIONAL for HTTP) and a private API's VPC endpoints
	// (endpointtype.go).
	EndpointConfiguration EndpointConfiguration
}

// API is one REST or HTTP API: its routes, authorizers and models (the
// working copy that the next deployment captures), its deployments and
// its stages. It is safe for concurrent use.
type API struct {
	s       *Service
	id      string
	cfg     APIConfig
	created time.Time

	mu          sync.Mutex
	routes      map[string]*route // by route key
	authorizers map[string]*authorizer
	responses   map[ResponseType]GatewayResponse
	deployments map[string]*Deployment
	stages      map[string]*Stage
}

func newAPI(s *Service, id string, cfg APIConfig) *API {
	cfg.BinaryMediaTypes = slices.Clone(cfg.BinaryMediaTypes)
	if cfg.CORS != nil {
		// Deployments share this configuration: keep a copy the caller
		// cannot change.
		c := *cfg.CORS
		c.AllowOrigins = slices.Clone(c.AllowOrigins)
		c.AllowMethods = slices.Clone(c.AllowMethods)
		c.AllowHeaders = slices.Clone(c.AllowHeaders)
		c.ExposeHeaders = slices.Clone(c.ExposeHeaders)
		cfg.CORS = &c
	}
	if cfg.APIKeySource == "" {
		cfg.APIKeySource = "HEADER"
	}
	return &API{
		s: s, id: id, cfg: cfg, created: s.clock.Now(),
		routes:      map[string]*route{},
		authorizers: map[string]*authorizer{},
		responses:   map[ResponseType]GatewayResponse{},
		deployments: map[string]*Deployment{},
		stages:      map[string]*Stage{},
	}
}

// ID returns the API's ID, ten lower-case letters and digits.
func (a *API) ID() string { return a.id }

// Name returns the API's name.
func (a *API) Name() string { return a.cfg.Name }

// Kind returns REST or HTTP.
func (a *API) Kind() Kind { return a.cfg.Kind }

// Endpoint returns the host name AWS gives the API's default endpoint:
// {api-id}.execute-api.{region}.amazonaws.com.
func (a *API) Endpoint() string {
	return a.id + ".execute-api." + a.s.region + ".amazonaws.com"
}

// Route adds a route to the API's working copy: routeKey is "METHOD
// /path" (METHOD one of GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS or
// ANY; the path of literal segments, {param} variables and a final
// greedy {proxy+}) or, for an HTTP API, "$default". Stages see it after
// the next deployment (or at once, for an HTTP API stage with
// AutoDeploy).
//
// Errors: BadRequestException for a malformed key or an option the
// API's kind does not have, ConflictException for a key that exists,
// LimitExceededException past [Limits.MaxRoutes].
func (a *API) Route(routeKey string, r Route) error {
	k, err := parseRouteKey(routeKey, a.cfg.Kind)
	if err != nil {
		return err
	}
	if err := a.checkRoute(k, &r); err != nil {
		return err
	}
	a.mu.Lock()
	if a.routes[k.String()] != nil {
		a.mu.Unlock()
		return ErrConflict.Newf("Route with key %s already exists for this API", k)
	}
	if len(a.routes) >= a.s.limits.MaxRoutes {
		a.mu.Unlock()
		return ErrLimitExceeded.Newf("Too many routes: the limit is %d per API", a.s.limits.MaxRoutes)
	}
	// Check that the tree accepts it (sibling variables must share a
	// name) before keeping it.
	rt := newRouter()
	for _, old := range a.routes {
		_ = rt.add(old)
	}
	nr := newRoute(k, r)
	if err := rt.add(nr); err != nil {
		a.mu.Unlock()
		return err
	}
	a.routes[k.String()] = nr
	a.mu.Unlock()
	a.autoDeploy()
	return nil
}

// RemoveRoute deletes a route from the working copy. NotFoundException if
// there is none with that key.
func (a *API) RemoveRoute(routeKey string) error {
	k, err := parseRouteKey(routeKey, a.cfg.Kind)
	if err != nil {
		return err
	}
	a.mu.Lock()
	if a.routes[k.String()] == nil {
		a.mu.Unlock()
		return ErrNotFound.Newf("Invalid route key specified: %s", k)
	}
	delete(a.routes, k.String())
	a.mu.Unlock()
	a.autoDeploy()
	return nil
}

// RouteKeys returns the working copy's route keys, sorted.
func (a *API) RouteKeys() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	keys := slices.Collect(maps.Keys(a.routes))
	sort.Strings(keys)
	return keys
}

// Deployment is an immutable snapshot of an API's routes, authorizers and
// settings, as CreateDeployment takes it. Stages point at one; changing
// the API afterwards changes no deployment.
type Deployment struct {
	// ID is the deployment's ID.
	ID string
	// Description is the text given at creation.
	Description string
	// CreatedDate is when it was made.
	CreatedDate time.Time

	api         *API
	kind        Kind
	cfg         APIConfig
	router      *router
	authorizers map[string]*authorizer
	responses   map[ResponseType]GatewayResponse
	policy      deploymentPolicy // the resource policy, parsed once on first use (policy.go)
}

// CreateDeployment snapshots the API's working copy. BadRequestException
// if the API has no route: "The REST API doesn't contain any methods".
func (a *API) CreateDeployment(description string) (*Deployment, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.deployLocked(description)
}

func (a *API) deployLocked(description string) (*Deployment, error) {
	if len(a.routes) == 0 && a.cfg.Kind == REST {
		return nil, ErrBadRequest.New("The REST API doesn't contain any methods")
	}
	if err := a.checkDeployable(); err != nil { // endpointtype.go
		return nil, err
	}
	rt := newRouter()
	for _, k := range slices.Sorted(maps.Keys(a.routes)) {
		if err := rt.add(a.routes[k]); err != nil {
			return nil, err
		}
	}
	a.s.mu.Lock()
	id := a.s.newIDLocked()[:6]
	a.s.mu.Unlock()
	d := &Deployment{
		ID: id, Description: description, CreatedDate: a.s.clock.Now(),
		api: a, kind: a.cfg.Kind, cfg: a.cfg, router: rt,
		authorizers: maps.Clone(a.authorizers),
		responses:   maps.Clone(a.responses),
	}
	a.deployments[id] = d
	return d, nil
}

// Deployment returns the deployment with the given ID.
func (a *API) Deployment(id string) (*Deployment, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	d, ok := a.deployments[id]
	return d, ok
}

// Deploy creates a deployment and points the named stage at it, creating
// the stage if it does not exist: the one-call form of CreateDeployment
// plus CreateStage or UpdateStage.
func (a *API) Deploy(stage string) (*Stage, error) {
	a.mu.Lock()
	d, err := a.deployLocked("")
	if err != nil {
		a.mu.Unlock()
		return nil, err
	}
	if st := a.stages[stage]; st != nil {
		a.mu.Unlock()
		st.setDeployment(d)
		return st, nil
	}
	a.mu.Unlock()
	return a.CreateStage(StageConfig{Name: stage, DeploymentID: d.ID})
}

// autoDeploy redeploys to every stage with AutoDeploy after a change.
func (a *API) autoDeploy() {
	a.mu.Lock()
	var auto []*Stage
	for _, st := range a.stages {
		if st.config().AutoDeploy {
			auto = append(auto, st)
		}
	}
	if len(auto) == 0 {
		a.mu.Unlock()
		return
	}
	d, err := a.deployLocked("Automatic deployment triggered by changes to the Api configuration")
	a.mu.Unlock()
	if err != nil {
		return
	}
	for _, st := range auto {
		st.setDeployment(d)
	}
}

// Stage returns the named stage, or nil if there is none. A *Stage is an
// http.Handler serving the stage's paths: "/items/1", not
// "/prod/items/1" (see [API.Handler] for the execute-api URL layout).
func (a *API) Stage(name string) *Stage {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stages[name]
}

// Stages returns the API's stages sorted by name.
func (a *API) Stages() []*Stage {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Collect(maps.Values(a.stages))
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}
