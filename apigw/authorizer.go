package apigw

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/minicloud/minicloud/apigw/internal/authz"
)

// Authorizer types, as API Gateway names them.
const (
	// AuthorizerToken is a REST API Lambda authorizer that receives one
	// token (a header) as {type, authorizationToken, methodArn}.
	AuthorizerToken = "TOKEN"
	// AuthorizerRequest is a Lambda authorizer that receives the request's
	// headers, query string, path parameters, stage variables and context
	// (REST APIs, and HTTP APIs in payload format 1.0 or 2.0).
	AuthorizerRequest = "REQUEST"
	// AuthorizerCognito is a REST API authorizer that verifies the ID or
	// access tokens of an Amazon Cognito user pool.
	AuthorizerCognito = "COGNITO_USER_POOLS"
	// AuthorizerJWT is an HTTP API authorizer that verifies JSON Web
	// Tokens of an OpenID Connect or OAuth 2.0 issuer.
	AuthorizerJWT = "JWT"
)

// MaxAuthorizers is the number of authorizers one API may have: 10
// ("Authorizers per API" in API Gateway's quotas).
const MaxAuthorizers = 10

// MaxAuthorizerTTL is the longest an authorizer's result may be cached:
// 3,600 seconds.
const MaxAuthorizerTTL = time.Hour

// Authorizer describes an authorizer of an API, as CreateAuthorizer takes
// it. Field names follow API Gateway's Authorizer resource.
type Authorizer struct {
	// Name names the authorizer (required).
	Name string
	// Type is AuthorizerToken or AuthorizerRequest (Lambda authorizers),
	// AuthorizerCognito (REST) or AuthorizerJWT (HTTP).
	Type string
	// Function is a Lambda authorizer's function (required for TOKEN and
	// REQUEST). It is invoked with AWS's authorizer event and answers an
	// IAM policy ({principalId, policyDocument, context,
	// usageIdentifierKey}) or, for an HTTP API with EnableSimpleResponses,
	// {isAuthorized, context}. A function error whose message is exactly
	// "Unauthorized" answers 401 {"message":"Unauthorized"}; any other
	// error, or a response API Gateway cannot read, answers 500.
	Function Invoker
	// IdentitySource says where the caller's identity is, comma-separated
	// for several: on a REST API "method.request.header.NAME",
	// "method.request.querystring.NAME", "stageVariables.NAME" or
	// "context.NAME"; on an HTTP API "$request.header.NAME",
	// "$request.querystring.NAME", "$stageVariables.NAME" or
	// "$context.NAME". A TOKEN authorizer takes exactly one header. A
	// request missing any source, or with an empty one, is refused with 401
	// {"message":"Unauthorized"} without invoking the authorizer. Empty
	// means the Authorization header for TOKEN, Cognito and JWT
	// authorizers, and no source (no caching) for REQUEST authorizers.
	IdentitySource string
	// IdentityValidationExpression is a TOKEN authorizer's regular
	// expression that the whole token must match; a token that does not
	// is refused with 401 without invoking the authorizer.
	IdentityValidationExpression string
	// ResultTTL is how long a Lambda authorizer's answer is cached per
	// identity source values (AuthorizerResultTtlInSeconds): whole
	// seconds up to 3,600; zero means the default 300 s (none for a
	// REQUEST authorizer without identity sources); negative means no
	// caching. A cached policy is evaluated again for each request's
	// method ARN.
	ResultTTL time.Duration
	// AuthorizerPayloadFormatVersion is an HTTP API Lambda authorizer's
	// event format: "2.0" (the default) or "1.0".
	AuthorizerPayloadFormatVersion string
	// EnableSimpleResponses lets an HTTP API Lambda authorizer of format
	// 2.0 answer {"isAuthorized": bool, "context": {…}}.
	EnableSimpleResponses bool
	// ProviderARNs are a Cognito authorizer's user pools
	// ("arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}"), each
	// an accepted issuer https://cognito-idp.{region}.amazonaws.com/{poolId}
	// (JWKS then holds the keys of every pool).
	ProviderARNs []string
	// Issuer is the iss every token must carry: required for JWT
	// authorizers; for Cognito authorizers it replaces the issuer derived
	// from ProviderARNs.
	Issuer string
	// Audience lists the accepted aud values (or client_id, for access
	// tokens without aud): at least one is required for JWT authorizers;
	// for Cognito authorizers, the app client IDs (empty accepts any).
	Audience []string
	// JWKS is the issuer's JSON Web Key Set (the document its jwks_uri
	// serves), for JWT and Cognito authorizers. Either it or JWKSFunc is
	// required.
	JWKS []byte
	// JWKSFunc fetches the JWKS instead: called at the first request and
	// again, at most once a minute, when a token names a key the set
	// lacks (a rotated key). minicloud never makes network calls itself.
	JWKSFunc func(ctx context.Context) ([]byte, error)
}

// authorizer is an authorizer as the API and its deployments keep it:
// the configuration, what is derived from it, and the result cache.
type authorizer struct {
	id       string
	cfg      Authorizer
	kind     Kind
	ttl      time.Duration
	sources  []identitySource
	validate *regexp.Regexp // TOKEN's IdentityValidationExpression
	issuers  []string       // accepted iss values
	keys     *keySource     // JWT and Cognito
	cache    resultCache
}

// identitySource is one parsed identity source.
type identitySource struct {
	raw   string
	where string // "header", "querystring", "stageVariables", "context"
	name  string
}

// value reads the source from the request; ok is false when it is
// missing or empty.
func (src identitySource) value(c *call) (string, bool) {
	var v string
	switch src.where {
	case "header":
		v = strings.Join(c.r.Header.Values(src.name), ",")
	case "querystring":
		v = strings.Join(c.r.URL.Query()[src.name], ",")
	case "stageVariables":
		v = c.cfg.Variables[src.name]
	case "context":
		v, _ = c.contextVar(src.name, 0)
	}
	return v, v != ""
}

// parseIdentitySources reads a comma-separated IdentitySource in the
// API's kind's syntax.
func parseIdentitySources(s string, kind Kind) ([]identitySource, error) {
	var out []identitySource
	for raw := range strings.SplitSeq(s, ",") {
		raw = strings.TrimSpace(raw)
		if raw == "" {
			continue
		}
		var where, name string
		var ok bool
		if kind == REST {
			for _, p := range []struct{ prefix, where string }{
				{"method.request.header.", "header"}, {"method.request.querystring.", "querystring"},
				{"stageVariables.", "stageVariables"}, {"context.", "context"},
			} {
				if name, ok = strings.CutPrefix(raw, p.prefix); ok {
					where = p.where
					break
				}
			}
		} else {
			for _, p := range []struct{ prefix, where string }{
				{"$request.header.", "header"}, {"$request.querystring.", "querystring"},
				{"$stageVariables.", "stageVariables"}, {"$context.", "context"},
			} {
				if name, ok = strings.CutPrefix(raw, p.prefix); ok {
					where = p.where
					break
				}
			}
		}
		if !ok || name == "" {
			if kind == REST {
				return nil, ErrBadRequest.Newf("Invalid identity source %q: use method.request.header.NAME, method.request.querystring.NAME, stageVariables.NAME or context.NAME", raw)
			}
			return nil, ErrBadRequest.Newf("Invalid identity source %q: use $request.header.NAME, $request.querystring.NAME, $stageVariables.NAME or $context.NAME", raw)
		}
		out = append(out, identitySource{raw: raw, where: where, name: name})
	}
	return out, nil
}

// CreateAuthorizer adds an authorizer to the API and returns its ID, for
// routes' AuthorizerID. Deployments made afterwards carry it.
//
// Errors: BadRequestException for a missing name, a type the API's kind
// does not have (TOKEN and COGNITO_USER_POOLS are REST's, JWT is HTTP's),
// a Lambda authorizer without a function, a bad identity source, an
// invalid validation expression, a TTL outside 0–3,600 s, a bad payload
// format, a Cognito authorizer without user pool or keys, a JWT
// authorizer without issuer, audience or keys, or a JWKS that cannot be
// parsed; LimitExceededException past [MaxAuthorizers].
func (a *API) CreateAuthorizer(cfg Authorizer) (string, error) {
	az, err := a.newAuthorizer(cfg)
	if err != nil {
		return "", err
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.authorizers) >= MaxAuthorizers {
		return "", ErrLimitExceeded.Newf("Too many authorizers: the limit is %d per API", MaxAuthorizers)
	}
	for _, other := range a.authorizers {
		if other.cfg.Name == cfg.Name {
			return "", ErrConflict.Newf("Authorizer name %s already exists for this API", cfg.Name)
		}
	}
	a.s.mu.Lock()
	id := a.s.newIDLocked()[:6]
	for a.authorizers[id] != nil {
		id = a.s.newIDLocked()[:6]
	}
	a.s.mu.Unlock()
	az.id = id
	a.authorizers[id] = az
	return id, nil
}

func (a *API) newAuthorizer(cfg Authorizer) (*authorizer, error) {
	kind := a.cfg.Kind
	if cfg.Name == "" {
		return nil, ErrBadRequest.New("Authorizer name must be non-empty")
	}
	cfg.Audience = slices.Clone(cfg.Audience)
	cfg.ProviderARNs = slices.Clone(cfg.ProviderARNs)
	cfg.JWKS = slices.Clone(cfg.JWKS)
	az := &authorizer{cfg: cfg, kind: kind}
	switch cfg.Type {
	case AuthorizerToken, AuthorizerCognito:
		if kind != REST {
			return nil, ErrBadRequest.Newf("Authorizer type %s is only supported for REST APIs; use REQUEST or JWT", cfg.Type)
		}
	case AuthorizerJWT:
		if kind != HTTP {
			return nil, ErrBadRequest.New("Authorizer type JWT is only supported for HTTP APIs; use COGNITO_USER_POOLS")
		}
	case AuthorizerRequest:
	default:
		return nil, ErrBadRequest.Newf("Invalid authorizer type %q: use TOKEN, REQUEST, COGNITO_USER_POOLS (REST) or JWT (HTTP)", cfg.Type)
	}
	source := cfg.IdentitySource
	if source == "" && cfg.Type != AuthorizerRequest {
		source = "method.request.header.Authorization"
		if kind == HTTP {
			source = "$request.header.Authorization"
		}
	}
	srcs, err := parseIdentitySources(source, kind)
	if err != nil {
		return nil, err
	}
	az.sources = srcs
	az.cfg.IdentitySource = source
	switch cfg.Type {
	case AuthorizerToken, AuthorizerRequest:
		if err := az.checkLambda(a.s.limits.AuthorizerTTL); err != nil {
			return nil, err
		}
	default:
		if cfg.Function != nil || cfg.IdentityValidationExpression != "" || cfg.EnableSimpleResponses || cfg.AuthorizerPayloadFormatVersion != "" {
			return nil, ErrBadRequest.Newf("Function, IdentityValidationExpression, AuthorizerPayloadFormatVersion and EnableSimpleResponses are for Lambda authorizers, not %s", cfg.Type)
		}
		if len(srcs) != 1 {
			return nil, ErrBadRequest.Newf("A %s authorizer takes exactly one identity source", cfg.Type)
		}
		if err := az.checkJWT(a.s.region); err != nil {
			return nil, err
		}
	}
	return az, nil
}

// checkLambda validates a TOKEN or REQUEST authorizer and sets its TTL.
func (az *authorizer) checkLambda(defaultTTL time.Duration) error {
	cfg := &az.cfg
	if cfg.Function == nil {
		return ErrBadRequest.Newf("A %s authorizer needs a Function", cfg.Type)
	}
	if len(cfg.ProviderARNs) > 0 || cfg.Issuer != "" || len(cfg.Audience) > 0 || cfg.JWKS != nil || cfg.JWKSFunc != nil {
		return ErrBadRequest.New("ProviderARNs, Issuer, Audience and JWKS are for Cognito and JWT authorizers")
	}
	switch {
	case cfg.ResultTTL < 0:
		az.ttl = 0
	case cfg.ResultTTL == 0 && len(az.sources) == 0:
		az.ttl = 0
	case cfg.ResultTTL == 0:
		az.ttl = defaultTTL
	case cfg.ResultTTL > MaxAuthorizerTTL:
		return ErrBadRequest.New("Authorizer result TTL must be between 0 and 3600 seconds")
	case cfg.ResultTTL%time.Second != 0:
		return ErrBadRequest.New("Authorizer result TTL must be a whole number of seconds")
	default:
		az.ttl = cfg.ResultTTL
	}
	if az.ttl > 0 && len(az.sources) == 0 {
		return ErrBadRequest.New("Identity source is required when authorizer caching is enabled")
	}
	if cfg.Type == AuthorizerToken {
		if len(az.sources) != 1 || az.sources[0].where != "header" {
			return ErrBadRequest.New("A TOKEN authorizer's identity source must be one method.request.header.NAME")
		}
		if expr := cfg.IdentityValidationExpression; expr != "" {
			re, err := regexp.Compile(`^(?:` + expr + `)$`)
			if err != nil {
				return ErrBadRequest.Newf("Invalid identity validation expression %q: %v", expr, err)
			}
			az.validate = re
		}
	} else if cfg.IdentityValidationExpression != "" {
		return ErrBadRequest.New("IdentityValidationExpression is only supported for TOKEN authorizers")
	}
	if az.kind == REST {
		if cfg.AuthorizerPayloadFormatVersion != "" || cfg.EnableSimpleResponses {
			return ErrBadRequest.New("AuthorizerPayloadFormatVersion and EnableSimpleResponses are only supported for HTTP APIs")
		}
		return nil
	}
	switch cfg.AuthorizerPayloadFormatVersion {
	case "":
		cfg.AuthorizerPayloadFormatVersion = "2.0"
	case "1.0", "2.0":
	default:
		return ErrBadRequest.Newf("Invalid authorizer payload format version %q: use 1.0 or 2.0", cfg.AuthorizerPayloadFormatVersion)
	}
	if cfg.EnableSimpleResponses && cfg.AuthorizerPayloadFormatVersion != "2.0" {
		return ErrBadRequest.New("Simple responses are only supported for payload format version 2.0")
	}
	return nil
}

// DeleteAuthorizer removes an authorizer from the API's working copy;
// deployments that carry it keep it. NotFoundException if there is none
// with that ID, ConflictException while a route of the working copy uses
// it.
func (a *API) DeleteAuthorizer(id string) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.authorizers[id] == nil {
		return ErrNotFound.Newf("Invalid authorizer identifier specified %s:%s", a.s.accountID, id)
	}
	for _, k := range sortedKeys(a.routes) {
		if a.routes[k].cfg.AuthorizerID == id {
			return ErrConflict.Newf("Cannot delete authorizer '%s', is referenced in route: %s", a.authorizers[id].cfg.Name, k)
		}
	}
	delete(a.authorizers, id)
	return nil
}

// Authorizers returns the API's authorizers (working copy) by ID, with
// their defaults filled in.
func (a *API) Authorizers() map[string]Authorizer {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]Authorizer, len(a.authorizers))
	for id, az := range a.authorizers {
		cfg := az.cfg
		cfg.Audience = slices.Clone(cfg.Audience)
		cfg.ProviderARNs = slices.Clone(cfg.ProviderARNs)
		cfg.JWKS = slices.Clone(cfg.JWKS)
		if az.cfg.Type == AuthorizerToken || az.cfg.Type == AuthorizerRequest {
			cfg.ResultTTL = az.ttl
		}
		out[id] = cfg
	}
	return out
}

// authorize runs the route's authorization: IAM, or the deployment's
// authorizer the route names.
func (c *call) authorize() *gwError {
	t := c.route.cfg.AuthorizationType
	switch t {
	case AuthNone:
		return nil
	case AuthIAM:
		return c.authorizeIAM()
	}
	az := c.dep.authorizers[c.route.cfg.AuthorizerID]
	if az == nil {
		return c.errInternal("route " + c.route.key.String() + ": authorizer " + c.route.cfg.AuthorizerID + " is not in the deployment")
	}
	switch {
	case t == AuthCustom && (az.cfg.Type == AuthorizerToken || az.cfg.Type == AuthorizerRequest):
		return c.authorizeLambda(az)
	case t == AuthCognito && az.cfg.Type == AuthorizerCognito, t == AuthJWT && az.cfg.Type == AuthorizerJWT:
		return c.authorizeJWT(az)
	}
	return c.errInternal("route " + c.route.key.String() + ": authorization type " + t + " does not fit authorizer " + az.id + " of type " + az.cfg.Type)
}

// errUnauthorized is the 401 {"message":"Unauthorized"} of a missing or
// refused identity.
func (c *call) errUnauthorized(reason string) *gwError {
	return &gwError{typ: ResponseUnauthorized, status: 401, message: "Unauthorized", reason: reason}
}

// errForbidden is an HTTP API authorizer's 403 {"message":"Forbidden"}.
func (c *call) errForbidden(reason string) *gwError {
	return &gwError{typ: ResponseAccessDenied, status: 403, message: "Forbidden", reason: reason}
}

// errAuthorizerConfig is the 500 of an authorizer that failed or answered
// what API Gateway cannot read: a REST API's {"message": null} with
// x-amzn-ErrorType AuthorizerConfigurationException, an HTTP API's
// {"message":"Internal Server Error"}.
func (c *call) errAuthorizerConfig(reason string) *gwError {
	if c.kind == HTTP {
		return &gwError{typ: ResponseAuthorizerConfigError, status: 500, message: "Internal Server Error", reason: reason}
	}
	return &gwError{typ: ResponseAuthorizerConfigError, status: 500, message: "", reason: reason, body: []byte(`{"message": null}`)}
}

// resultCache keeps Lambda authorizers' answers per stage and identity
// source values until their TTL passes on the service's clock.
type resultCache struct {
	mu      sync.Mutex
	entries map[string]cachedResult
}

type cachedResult struct {
	expires time.Time
	res     *lambdaResult
}

// maxCachedResults bounds an authorizer's cache: past it, expired entries
// are dropped, then the cache is emptied if that was not enough.
const maxCachedResults = 10_000

func (rc *resultCache) get(key string, now time.Time) (*lambdaResult, bool) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	e, ok := rc.entries[key]
	if !ok {
		return nil, false
	}
	if !now.Before(e.expires) {
		delete(rc.entries, key)
		return nil, false
	}
	return e.res, true
}

func (rc *resultCache) put(key string, res *lambdaResult, expires, now time.Time) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.entries == nil {
		rc.entries = map[string]cachedResult{}
	}
	if len(rc.entries) >= maxCachedResults {
		for k, e := range rc.entries {
			if !now.Before(e.expires) {
				delete(rc.entries, k)
			}
		}
		if len(rc.entries) >= maxCachedResults {
			clear(rc.entries)
		}
	}
	rc.entries[key] = cachedResult{expires: expires, res: res}
}

// keySource is a JWT or Cognito authorizer's JWKS: parsed once, or
// fetched with JWKSFunc and fetched again for an unknown kid.
type keySource struct {
	fetch func(ctx context.Context) ([]byte, error)

	mu      sync.Mutex
	keys    *authz.KeySet
	fetched time.Time
}

// refetchEvery is how often an unknown kid may make a JWKSFunc authorizer
// fetch its keys again.
const refetchEvery = time.Minute

// get returns the key set, fetching it if there is none yet, or if
// stale is set (a token named a key the set lacks) and the last fetch is
// older than refetchEvery.
func (ks *keySource) get(ctx context.Context, now time.Time, stale bool) (*authz.KeySet, error) {
	ks.mu.Lock()
	defer ks.mu.Unlock()
	if ks.keys != nil && (!stale || ks.fetch == nil || now.Sub(ks.fetched) < refetchEvery) {
		return ks.keys, nil
	}
	if ks.fetch == nil {
		return ks.keys, nil
	}
	doc, err := ks.fetch(ctx)
	if err != nil {
		return nil, err
	}
	keys, err := authz.ParseJWKS(doc)
	if err != nil {
		return nil, err
	}
	ks.keys, ks.fetched = keys, now
	return keys, nil
}
