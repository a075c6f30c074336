package apigw

import (
	"maps"
	"slices"
	"time"
)

// Authorization types of a route, as API Gateway names them.
const (
	// AuthNone lets every caller in (the default).
	AuthNone = "NONE"
	// AuthIAM requires a SigV4-signed request from registered credentials.
	AuthIAM = "AWS_IAM"
	// AuthCustom runs a Lambda authorizer.
	AuthCustom = "CUSTOM"
	// AuthCognito runs a Cognito user pool authorizer (REST APIs).
	AuthCognito = "COGNITO_USER_POOLS"
	// AuthJWT runs a JWT authorizer (HTTP APIs).
	AuthJWT = "JWT"
)

// Route is what an API does for one route key: its integration, who may
// call it, and what a request must carry. Field names follow API
// Gateway's Method (REST) and Route (HTTP) resources.
type Route struct {
	// Integration answers the request (required).
	Integration Integration
	// AuthorizationType is AuthNone (default), AuthIAM, AuthCustom,
	// AuthCognito (REST) or AuthJWT (HTTP).
	AuthorizationType string
	// AuthorizerID names the authorizer of a CUSTOM, COGNITO_USER_POOLS
	// or JWT route, as created with [API.CreateAuthorizer].
	AuthorizerID string
	// AuthorizationScopes are the OAuth scopes of which the token must
	// hold at least one (JWT and Cognito authorizers).
	AuthorizationScopes []string
	// APIKeyRequired makes a REST method require an API key that belongs
	// to a usage plan of the stage (HTTP APIs have no API keys).
	APIKeyRequired bool
	// RequestParameters lists the request parameters of a REST method,
	// keyed "method.request.querystring.NAME", "method.request.header.NAME"
	// or "method.request.path.NAME", with whether each is required; a
	// validator with ValidateRequestParameters rejects a request missing
	// a required one.
	RequestParameters map[string]bool
	// RequestModels maps a content type to a JSON Schema (draft 4)
	// document that a validator with ValidateRequestBody checks the body
	// against (REST).
	RequestModels map[string]string
	// RequestValidator names the checks to make on a REST method's
	// request; nil makes none.
	RequestValidator *RequestValidator
	// CacheKeyParameters are the request parameters (as in
	// RequestParameters, e.g. "method.request.querystring.page") that
	// are part of the stage cache key (REST).
	CacheKeyParameters []string
	// Timeout is the integration's timeout, 50 ms to 29 s; zero means
	// 29 s.
	Timeout time.Duration
	// OperationName is an optional name for the operation.
	OperationName string
}

// RequestValidator is a REST API request validator: which parts of a
// request API Gateway checks before calling the integration.
type RequestValidator struct {
	// Name names the validator.
	Name string
	// ValidateRequestBody checks the body against the method's model.
	ValidateRequestBody bool
	// ValidateRequestParameters checks the required parameters are
	// present.
	ValidateRequestParameters bool
}

// route is a route as kept in a router: its key, settings and the names of
// its path variables in order.
type route struct {
	key    routeKey
	cfg    Route
	params []string
}

func newRoute(k routeKey, r Route) *route {
	r.AuthorizationScopes = slices.Clone(r.AuthorizationScopes)
	r.RequestParameters = maps.Clone(r.RequestParameters)
	r.RequestModels = maps.Clone(r.RequestModels)
	r.CacheKeyParameters = slices.Clone(r.CacheKeyParameters)
	if r.RequestValidator != nil {
		v := *r.RequestValidator
		r.RequestValidator = &v
	}
	if r.AuthorizationType == "" {
		r.AuthorizationType = AuthNone
	}
	nr := &route{key: k, cfg: r}
	for _, seg := range k.segments {
		if name, _, ok := paramName(seg); ok {
			nr.params = append(nr.params, name)
		}
	}
	return nr
}

// bind pairs the route's variable names with the matched values.
func (r *route) bind(vals []string) map[string]string {
	if len(r.params) == 0 {
		return nil
	}
	m := make(map[string]string, len(r.params))
	for i, name := range r.params {
		if i < len(vals) {
			m[name] = vals[i]
		}
	}
	return m
}

// checkRoute rejects settings the API's kind does not have.
func (a *API) checkRoute(k routeKey, r *Route) error {
	if r.Integration == nil {
		return ErrBadRequest.Newf("Route %s has no integration", k)
	}
	switch r.AuthorizationType {
	case "", AuthNone, AuthIAM:
	case AuthCustom:
	case AuthCognito:
		if a.cfg.Kind != REST {
			return ErrBadRequest.New("COGNITO_USER_POOLS authorization is only supported for REST APIs; use JWT")
		}
	case AuthJWT:
		if a.cfg.Kind != HTTP {
			return ErrBadRequest.New("JWT authorization is only supported for HTTP APIs; use COGNITO_USER_POOLS")
		}
	default:
		return ErrBadRequest.Newf("Invalid authorization type %q: use NONE, AWS_IAM, CUSTOM, COGNITO_USER_POOLS or JWT", r.AuthorizationType)
	}
	switch r.AuthorizationType {
	case AuthCustom, AuthCognito, AuthJWT:
		if r.AuthorizerID == "" {
			return ErrBadRequest.Newf("Route %s: authorization type %s needs an AuthorizerID", k, r.AuthorizationType)
		}
		a.mu.Lock()
		az := a.authorizers[r.AuthorizerID]
		a.mu.Unlock()
		if az == nil {
			return ErrBadRequest.Newf("Invalid authorizer ID specified: %s", r.AuthorizerID)
		}
	}
	if a.cfg.Kind == HTTP {
		if r.APIKeyRequired {
			return ErrBadRequest.New("API keys are not supported for HTTP APIs")
		}
		if r.RequestValidator != nil || len(r.RequestModels) > 0 || len(r.RequestParameters) > 0 {
			return ErrBadRequest.New("Request validation is not supported for HTTP APIs")
		}
	}
	for ct, schema := range r.RequestModels {
		if err := ValidateModel(schema); err != nil {
			return ErrBadRequest.Newf("Route %s, model for %s: %s", k, ct, err.(*Error).Message)
		}
	}
	if r.Timeout != 0 && (r.Timeout < 50*time.Millisecond || r.Timeout > a.s.limits.IntegrationTimeout) {
		return ErrBadRequest.Newf("Timeout should be between 50 ms and %d ms", a.s.limits.IntegrationTimeout.Milliseconds())
	}
	return nil
}
