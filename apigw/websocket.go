package apigw

import (
	"maps"
	"net/http"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// The reserved route keys of a WebSocket API.
const (
	// RouteConnect is called when a client opens a connection; a non-2xx
	// answer of its integration refuses the connection.
	RouteConnect = "$connect"
	// RouteDisconnect is called after a connection closed, whoever closed
	// it; its answer is ignored.
	RouteDisconnect = "$disconnect"
	// RouteDefault receives the messages whose route selection expression
	// does not evaluate, or evaluates to no route key of the API.
	RouteDefault = "$default"
)

// WebSocketLimits holds API Gateway's WebSocket quotas ("Quotas for
// configuring and running a WebSocket in API Gateway", API Gateway
// Developer Guide). A zero field means AWS's default, given in its
// comment.
type WebSocketLimits struct {
	// ConnectRate is the number of new connections per second of the
	// account across all WebSocket APIs of the Region: 500 (burst 500 here).
	// A connection over it is refused with 429.
	ConnectRate float64
	// MaxMessage is the largest message, in either direction: 128 KB
	// (131,072 bytes). A larger client message closes the connection
	// with 1009 "Message too big"; a larger PostToConnection fails with
	// PayloadTooLargeException.
	MaxMessage int
	// MaxFrame is the largest WebSocket frame: 32 KB (32,768 bytes).
	// Messages to the client are sent in frames of at most this size.
	MaxFrame int
	// MaxConnectionDuration is the longest a connection may stay open:
	// 2 hours. Then API Gateway closes it with 1001 "Going away".
	MaxConnectionDuration time.Duration
	// IdleTimeout closes a connection that received no message for 10
	// minutes, with 1001 "Going away".
	IdleTimeout time.Duration
	// IntegrationTimeout is the longest an integration may run: 29
	// seconds.
	IntegrationTimeout time.Duration
}

func (l WebSocketLimits) withDefaults() WebSocketLimits {
	if l.ConnectRate == 0 {
		l.ConnectRate = 500
	}
	if l.MaxMessage == 0 {
		l.MaxMessage = 128 << 10
	}
	if l.MaxFrame == 0 {
		l.MaxFrame = 32 << 10
	}
	if l.MaxConnectionDuration == 0 {
		l.MaxConnectionDuration = 2 * time.Hour
	}
	if l.IdleTimeout == 0 {
		l.IdleTimeout = 10 * time.Minute
	}
	if l.IntegrationTimeout == 0 {
		l.IntegrationTimeout = 29 * time.Second
	}
	return l
}

// WebSocketOptions configures the WebSocket side of a [Service]: its
// quotas and the prices of its cost meter.
type WebSocketOptions struct {
	// Limits overrides the WebSocket quotas; zero fields keep AWS's.
	Limits WebSocketLimits
	// Prices overrides the WebSocket prices; nil means
	// [DefaultWebSocketPrices].
	Prices *WebSocketPrices
}

// wsRegistry is the service's WebSocket state: its zero value is ready
// (AWS's limits and prices are filled in on first use).
type wsRegistry struct {
	mu      sync.Mutex
	ready   bool
	apis    map[string]*WebSocketAPI
	limits  WebSocketLimits
	prices  WebSocketPrices
	connect *bucket // new connections per second, shared by every WebSocket API
	meter   wsMeter
}

// lockedInit fills in the defaults; the caller holds r.mu.
func (r *wsRegistry) lockedInit(s *Service) {
	if r.ready {
		return
	}
	r.ready = true
	r.apis = map[string]*WebSocketAPI{}
	r.limits = WebSocketLimits{}.withDefaults()
	r.prices = DefaultWebSocketPrices()
	r.connect = newBucket(r.limits.ConnectRate, int(r.limits.ConnectRate), s.clock.Now())
}

// ConfigureWebSockets sets the WebSocket quotas and prices of the
// service. It affects connections opened afterwards.
func (s *Service) ConfigureWebSockets(opts WebSocketOptions) {
	r := &s.ws
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lockedInit(s)
	r.limits = opts.Limits.withDefaults()
	if opts.Prices != nil {
		r.prices = *opts.Prices
	}
	r.connect = newBucket(r.limits.ConnectRate, int(r.limits.ConnectRate), s.clock.Now())
}

// WebSocketLimits returns the WebSocket quotas in force.
func (s *Service) WebSocketLimits() WebSocketLimits {
	r := &s.ws
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lockedInit(s)
	return r.limits
}

func (s *Service) wsState() (WebSocketLimits, *bucket) {
	r := &s.ws
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lockedInit(s)
	return r.limits, r.connect
}

// WebSocketAPIConfig describes a WebSocket API at creation.
type WebSocketAPIConfig struct {
	// Name names the API (required).
	Name string
	// Description is free text.
	Description string
	// RouteSelectionExpression chooses the route of each message:
	// "$request.body.action" (the default here; AWS requires one) reads
	// the action member of a JSON message. Variables are
	// $request.body.path or ${request.body.path} with dot-separated
	// members and [n] array indexes, mixed with literal text
	// ("${request.body.service}/${request.body.action}"); "\$" is a
	// literal dollar sign.
	RouteSelectionExpression string
}

// WebSocketAPI is a WebSocket API: its routes (the working copy that the
// next deployment captures) and its stages. It is safe for concurrent use.
type WebSocketAPI struct {
	s       *Service
	id      string
	cfg     WebSocketAPIConfig
	sel     *selectionExpr
	created time.Time

	mu     sync.Mutex
	routes map[string]WebSocketRoute
	stages map[string]*WebSocketStage
}

// WebSocketRoute is a route of a WebSocket API.
type WebSocketRoute struct {
	// Integration is the route's backend (required): a Lambda function
	// through [WebSocketLambdaProxy], or a Go function
	// ([WebSocketFunc]).
	Integration WebSocketIntegration
	// RouteResponse enables two-way communication: the integration's
	// response body is sent back to the client as a message (the
	// $default route response). Without it the response is dropped, as
	// API Gateway drops it. Not for $connect and $disconnect.
	RouteResponse bool
	// Authorizer is a Lambda REQUEST authorizer run before the $connect
	// integration; only $connect may have one.
	Authorizer *WebSocketAuthorizer
}

// CreateWebSocketAPI creates a WebSocket API. Errors: BadRequestException
// for a missing name or a route selection expression that does not
// parse, LimitExceededException past [Limits.MaxAPIs] (REST, HTTP and
// WebSocket APIs together).
func (s *Service) CreateWebSocketAPI(cfg WebSocketAPIConfig) (*WebSocketAPI, error) {
	if cfg.Name == "" {
		return nil, ErrBadRequest.New("Invalid API name specified")
	}
	if cfg.RouteSelectionExpression == "" {
		cfg.RouteSelectionExpression = "$request.body.action"
	}
	sel, err := parseSelectionExpression(cfg.RouteSelectionExpression)
	if err != nil {
		return nil, ErrBadRequest.Newf("Invalid route selection expression %q: %v", cfg.RouteSelectionExpression, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	r := &s.ws
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lockedInit(s)
	if len(s.apis)+len(r.apis) >= s.limits.MaxAPIs {
		return nil, ErrLimitExceeded.Newf("Too many APIs: the limit is %d per Region", s.limits.MaxAPIs)
	}
	id := s.newIDLocked()
	for s.apis[id] != nil || r.apis[id] != nil {
		id = s.newIDLocked()
	}
	a := &WebSocketAPI{
		s: s, id: id, cfg: cfg, sel: sel, created: s.clock.Now(),
		routes: map[string]WebSocketRoute{},
		stages: map[string]*WebSocketStage{},
	}
	r.apis[id] = a
	return a, nil
}

// WebSocketAPI returns the WebSocket API with the given ID.
func (s *Service) WebSocketAPI(id string) (*WebSocketAPI, bool) {
	r := &s.ws
	r.mu.Lock()
	defer r.mu.Unlock()
	a, ok := r.apis[id]
	return a, ok
}

// WebSocketAPIs returns every WebSocket API, ordered by name and then ID.
func (s *Service) WebSocketAPIs() []*WebSocketAPI {
	r := &s.ws
	r.mu.Lock()
	out := slices.Collect(maps.Values(r.apis))
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].cfg.Name != out[j].cfg.Name {
			return out[i].cfg.Name < out[j].cfg.Name
		}
		return out[i].id < out[j].id
	})
	return out
}

// DeleteWebSocketAPI deletes a WebSocket API; its open connections are
// closed (1001 "Going away"). NotFoundException if there is none.
func (s *Service) DeleteWebSocketAPI(id string) error {
	r := &s.ws
	r.mu.Lock()
	a := r.apis[id]
	delete(r.apis, id)
	r.mu.Unlock()
	if a == nil {
		return ErrNotFound.Newf("Invalid API identifier specified %s:%s", s.accountID, id)
	}
	for _, st := range a.Stages() {
		st.closeAll()
	}
	return nil
}

// ID returns the API's ID.
func (a *WebSocketAPI) ID() string { return a.id }

// Name returns the API's name.
func (a *WebSocketAPI) Name() string { return a.cfg.Name }

// RouteSelectionExpression returns the API's route selection expression.
func (a *WebSocketAPI) RouteSelectionExpression() string { return a.cfg.RouteSelectionExpression }

// Endpoint returns the host name of the API's default endpoint:
// {api-id}.execute-api.{region}.amazonaws.com.
func (a *WebSocketAPI) Endpoint() string {
	return a.id + ".execute-api." + a.s.region + ".amazonaws.com"
}

// Route adds a route to the working copy: "$connect", "$disconnect",
// "$default" or a custom route key (what the route selection expression
// evaluates to, such as "sendmessage"). Stages see it after the next
// deployment.
//
// Errors: BadRequestException for an empty key, a custom key starting
// with "$", a missing integration, an authorizer on a route other than
// $connect or a route response on $connect/$disconnect;
// ConflictException for a key that exists; LimitExceededException past
// [Limits.MaxRoutes] (300).
func (a *WebSocketAPI) Route(routeKey string, r WebSocketRoute) error {
	switch {
	case routeKey == "":
		return ErrBadRequest.New("Route key must be non-empty")
	case strings.HasPrefix(routeKey, "$") && routeKey != RouteConnect && routeKey != RouteDisconnect && routeKey != RouteDefault:
		return ErrBadRequest.Newf("Invalid route key %s: only $connect, $disconnect and $default may start with $", routeKey)
	case r.Integration == nil:
		return ErrBadRequest.Newf("Route %s needs an integration", routeKey)
	case r.Authorizer != nil && routeKey != RouteConnect:
		return ErrBadRequest.Newf("Route %s: authorizers are only supported on the $connect route", routeKey)
	case r.RouteResponse && (routeKey == RouteConnect || routeKey == RouteDisconnect):
		return ErrBadRequest.Newf("Route %s cannot have a route response", routeKey)
	}
	if az := r.Authorizer; az != nil {
		if az.Function == nil {
			return ErrBadRequest.New("A Lambda authorizer needs a Function")
		}
		for _, src := range az.IdentitySource {
			if _, _, err := parseWSIdentitySource(src); err != nil {
				return err
			}
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.routes[routeKey]; ok {
		return ErrConflict.Newf("Route with key %s already exists for this API", routeKey)
	}
	if len(a.routes) >= a.s.limits.MaxRoutes {
		return ErrLimitExceeded.Newf("Too many routes: the limit is %d per API", a.s.limits.MaxRoutes)
	}
	if r.Authorizer != nil {
		cp := *r.Authorizer
		cp.IdentitySource = slices.Clone(cp.IdentitySource)
		r.Authorizer = &cp
	}
	a.routes[routeKey] = r
	return nil
}

// RemoveRoute deletes a route from the working copy. NotFoundException if
// there is none with that key.
func (a *WebSocketAPI) RemoveRoute(routeKey string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if _, ok := a.routes[routeKey]; !ok {
		return ErrNotFound.Newf("Invalid route key specified: %s", routeKey)
	}
	delete(a.routes, routeKey)
	return nil
}

// RouteKeys returns the working copy's route keys, sorted.
func (a *WebSocketAPI) RouteKeys() []string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Sorted(maps.Keys(a.routes))
}

// Deploy snapshots the routes and serves them on the named stage,
// creating it if needed (names as for REST stages: a-zA-Z0-9_-). Open
// connections stay open and see the new routes with their next message.
// BadRequestException for an API without routes or a bad stage name,
// LimitExceededException past [Limits.MaxStages] (10).
func (a *WebSocketAPI) Deploy(stage string) (*WebSocketStage, error) {
	return a.DeployStage(WebSocketStageConfig{Name: stage})
}

// WebSocketStageConfig describes a WebSocket stage.
type WebSocketStageConfig struct {
	// Name names the stage (required).
	Name string
	// Variables are the stage variables, sent to Lambda integrations as
	// stageVariables and given to Go integrations.
	Variables map[string]string
}

// DeployStage is [WebSocketAPI.Deploy] with stage variables.
func (a *WebSocketAPI) DeployStage(cfg WebSocketStageConfig) (*WebSocketStage, error) {
	if cfg.Name == "" {
		return nil, ErrBadRequest.New("Stage name must be non-empty")
	}
	for _, c := range cfg.Name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return nil, ErrBadRequest.New("Stage name only allows a-zA-Z0-9_-")
		}
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.routes) == 0 {
		return nil, ErrBadRequest.New("The WebSocket API doesn't contain any routes")
	}
	routes := maps.Clone(a.routes)
	st := a.stages[cfg.Name]
	if st == nil {
		if len(a.stages) >= a.s.limits.MaxStages {
			return nil, ErrLimitExceeded.Newf("Too many stages: the limit is %d per API", a.s.limits.MaxStages)
		}
		st = &WebSocketStage{api: a, name: cfg.Name, conns: map[string]*wsConn{}}
		a.stages[cfg.Name] = st
	}
	st.mu.Lock()
	st.routes = routes
	st.vars = maps.Clone(cfg.Variables)
	st.mu.Unlock()
	return st, nil
}

// Stage returns the named stage, or nil.
func (a *WebSocketAPI) Stage(name string) *WebSocketStage {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.stages[name]
}

// Stages returns the API's stages sorted by name.
func (a *WebSocketAPI) Stages() []*WebSocketStage {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := slices.Collect(maps.Values(a.stages))
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// Handler serves the API the way its execute-api endpoint does: a
// WebSocket handshake at "/{stage}" and the @connections management API
// at "/{stage}/@connections/{connectionId}". An unknown stage answers 403
// {"message":"Forbidden"}.
func (a *WebSocketAPI) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, rest, _ := strings.Cut(strings.TrimPrefix(r.URL.EscapedPath(), "/"), "/")
		st := a.Stage(name)
		if st == nil {
			writeWSError(w, http.StatusForbidden, "ForbiddenException", `{"message":"Forbidden"}`)
			return
		}
		st.serve(w, r, "/"+rest)
	})
}

func writeWSError(w http.ResponseWriter, status int, errType, body string) {
	w.Header().Set("Content-Type", "application/json")
	if errType != "" {
		w.Header().Set("X-Amzn-ErrorType", errType)
	}
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}
