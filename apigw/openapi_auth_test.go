package apigw

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// namedInvoker is a function with a Name, as *lambda.Function has, so
// that export can write its ARN.
type namedInvoker struct {
	name string
	Invoker
}

func (n namedInvoker) Name() string { return n.name }

// authImport resolves functions by their name (the ARN's last field) from
// byName, else to an echoing function, and each issuer's JWKS from
// keysByIssuer, recording the issuers asked for.
type authImport struct {
	byName       map[string]Invoker
	keysByIssuer map[string]*TestSigningKey
	issuers      []string
}

func (ai *authImport) options(kind Kind) ImportOptions {
	return ImportOptions{
		Kind: kind,
		Functions: func(arn string) (Invoker, error) {
			fn := ai.byName[arn[strings.LastIndex(arn, ":")+1:]]
			if fn == nil {
				fn = echoFn()
			}
			return namedInvoker{name: arn, Invoker: fn}, nil
		},
		JWKS: func(issuer string) ([]byte, error) {
			ai.issuers = append(ai.issuers, issuer)
			k := ai.keysByIssuer[issuer]
			if k == nil {
				return nil, fmt.Errorf("no keys for %s", issuer)
			}
			return JWKS(k), nil
		},
	}
}

const (
	pool1Issuer = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_pool1"
	pool2Issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_pool2"
)

func newAuthImport(t *testing.T) *authImport {
	good, _ := signingKeys(t)
	return &authImport{byName: map[string]Invoker{}, keysByIssuer: map[string]*TestSigningKey{
		jwtIssuer: good, pool1Issuer: good, pool2Issuer: unknownKey(t),
	}}
}

// routeAuth is what a route's authorization says, with the authorizer
// named rather than identified.
type routeAuth struct {
	Type       string
	Authorizer string
	Scopes     []string
	APIKey     bool
}

// authorizersByName lists an API's authorizers by name, with each
// Lambda function replaced by its name (in FunctionName).
func authorizersByName(t *testing.T, api *API) (map[string]Authorizer, map[string]string, map[string]routeAuth) {
	t.Helper()
	azs := map[string]Authorizer{}
	fns := map[string]string{}
	names := map[string]string{}
	for id, az := range api.Authorizers() {
		if az.Function != nil {
			fns[az.Name] = az.Function.(interface{ Name() string }).Name()
			az.Function = nil
		}
		azs[az.Name] = az
		names[id] = az.Name
	}
	routes := map[string]routeAuth{}
	for k, r := range api.routeConfigs() {
		routes[k] = routeAuth{Type: r.AuthorizationType, Authorizer: names[r.AuthorizerID], Scopes: r.AuthorizationScopes, APIKey: r.APIKeyRequired}
	}
	return azs, fns, routes
}

func TestImportOpenAPI_RESTAuthorizersFromSwagger2(t *testing.T) {
	s, _ := newTestService(t)
	ai := newAuthImport(t)
	api, err := s.ImportOpenAPI(readTestdata(t, "auth-rest-swagger2.json"), ai.options(REST))
	if err != nil {
		t.Fatal(err)
	}
	azs, fns, routes := authorizersByName(t, api)
	good, _ := signingKeys(t)
	// The user pools' key sets are merged into one.
	if diff := cmp.Diff(append(jwksKeys(t, JWKS(good)), jwksKeys(t, JWKS(unknownKey(t)))...), jwksKeys(t, azs["users"].JWKS)); diff != "" {
		t.Errorf("the Cognito authorizer's JWKS (-want +got):\n%s", diff)
	}
	users := azs["users"]
	users.JWKS = nil
	azs["users"] = users
	wantAZ := map[string]Authorizer{
		"token-auth": {Name: "token-auth", Type: AuthorizerToken, IdentitySource: "method.request.header.Auth",
			IdentityValidationExpression: "[a-z]+", ResultTTL: time.Minute},
		"request-auth": {Name: "request-auth", Type: AuthorizerRequest,
			IdentitySource: "method.request.header.Auth, method.request.querystring.tenant"},
		"users": {Name: "users", Type: AuthorizerCognito, IdentitySource: "method.request.header.Authorization",
			ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_pool1", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_pool2"},
		},
	}
	if diff := cmp.Diff(wantAZ, azs); diff != "" {
		t.Errorf("authorizers (-want +got):\n%s", diff)
	}
	wantFns := map[string]string{
		"token-auth":   "arn:aws:lambda:us-east-1:123456789012:function:token-auth",
		"request-auth": "arn:aws:lambda:us-east-1:123456789012:function:request-auth",
	}
	if diff := cmp.Diff(wantFns, fns); diff != "" {
		t.Errorf("authorizer functions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{pool1Issuer, pool2Issuer}, ai.issuers); diff != "" {
		t.Errorf("JWKS asked for (-want +got):\n%s", diff)
	}
	wantRoutes := map[string]routeAuth{
		"GET /pets":    {Type: AuthCustom, Authorizer: "token-auth"}, // the document's default
		"POST /pets":   {Type: AuthCognito, Authorizer: "users", Scopes: []string{"pets/write", "pets/admin"}},
		"GET /profile": {Type: AuthCognito, Authorizer: "users"},
		"GET /admin":   {Type: AuthCustom, Authorizer: "request-auth", APIKey: true},
		"GET /iam":     {Type: AuthIAM},
		"GET /health":  {Type: AuthNone}, // security: [] opens it
	}
	if diff := cmp.Diff(wantRoutes, routes); diff != "" {
		t.Errorf("route authorization (-want +got):\n%s", diff)
	}
}

func jwksKeys(t *testing.T, doc []byte) []any {
	t.Helper()
	var set struct {
		Keys []any `json:"keys"`
	}
	if err := json.Unmarshal(doc, &set); err != nil {
		t.Fatal(err)
	}
	return set.Keys
}

func TestImportOpenAPI_HTTPAuthorizersFromOpenAPI3(t *testing.T) {
	s, _ := newTestService(t)
	ai := newAuthImport(t)
	api, err := s.ImportOpenAPI(readTestdata(t, "auth-http-oas3.yaml"), ai.options(HTTP))
	if err != nil {
		t.Fatal(err)
	}
	azs, fns, routes := authorizersByName(t, api)
	good, _ := signingKeys(t)
	wantAZ := map[string]Authorizer{
		"jwt-auth": {Name: "jwt-auth", Type: AuthorizerJWT, IdentitySource: "$request.header.Authorization",
			Issuer: jwtIssuer, Audience: []string{"items-api", "admin-console"}, JWKS: JWKS(good)},
		"lambda-auth": {Name: "lambda-auth", Type: AuthorizerRequest, IdentitySource: "$request.header.Authorization, $request.querystring.tenant",
			ResultTTL: 5 * time.Minute, AuthorizerPayloadFormatVersion: "2.0", EnableSimpleResponses: true},
	}
	if diff := cmp.Diff(wantAZ, azs); diff != "" {
		t.Errorf("authorizers (-want +got):\n%s", diff)
	}
	if fns["lambda-auth"] != "arn:aws:lambda:us-east-1:123456789012:function:simple-auth" {
		t.Errorf("authorizer function %v", fns)
	}
	wantRoutes := map[string]routeAuth{
		"GET /items":  {Type: AuthJWT, Authorizer: "jwt-auth", Scopes: []string{"items:read"}},
		"POST /items": {Type: AuthJWT, Authorizer: "jwt-auth", Scopes: []string{"items:write"}},
		"GET /me":     {Type: AuthCustom, Authorizer: "lambda-auth"},
		"GET /health": {Type: AuthNone},
	}
	if diff := cmp.Diff(wantRoutes, routes); diff != "" {
		t.Errorf("route authorization (-want +got):\n%s", diff)
	}
}

func TestImportOpenAPI_RefusesAuthorizersItCannotCreate(t *testing.T) {
	const lambdaURI = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:auth/invocations"
	mock := "x-amazon-apigateway-integration: {type: mock}"
	doc := func(schemes, security string) string {
		return "openapi: 3.0.1\ninfo: {title: t}\ncomponents: {securitySchemes: {" + schemes + "}}\npaths: {/a: {get: {security: " + security + ", " + mock + "}}}"
	}
	token := "tok: {type: apiKey, name: Auth, in: header, x-amazon-apigateway-authorizer: {type: token, authorizerUri: '" + lambdaURI + "'}}"
	jwt := "jwt: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt, jwtConfiguration: {issuer: '" + jwtIssuer + "', audience: [a]}}}"
	ai := newAuthImport(t)
	withKeys := ai.options(HTTP)
	noKeys := withKeys
	noKeys.JWKS = nil
	badKeys := withKeys
	badKeys.JWKS = func(string) ([]byte, error) { return []byte(`{"keys": 5}`), nil }
	rest := ai.options(REST)
	var many []string
	for i := range MaxAuthorizers + 1 {
		many = append(many, fmt.Sprintf("t%d: {type: apiKey, name: Auth, in: header, x-amazon-apigateway-authorizer: {type: token, authorizerUri: '%s'}}", i, lambdaURI))
	}
	for _, tc := range []struct {
		name, doc string
		opts      ImportOptions
		want      string
	}{
		{"jwt without ImportOptions.JWKS", doc(jwt, "[{jwt: []}]"), noKeys, "needs ImportOptions.JWKS"},
		{"JWKS func fails", doc(strings.Replace(jwt, jwtIssuer, "https://unknown.example.com", 1), "[{jwt: []}]"), withKeys, "no keys for https://unknown.example.com"},
		{"JWKS unreadable", doc(jwt, "[{jwt: []}]"), badKeys, "Invalid JWKS"},
		{"cognito without JWKS", "swagger: '2.0'\ninfo: {title: t}\nsecurityDefinitions: {u: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: ['arn:aws:cognito-idp:us-east-1:1:userpool/p']}}}\npaths: {/a: {get: {security: [{u: []}], " + mock + "}}}", ImportOptions{}, "needs ImportOptions.JWKS"},
		{"cognito without pools", doc("u: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: {type: cognito_user_pools}}", "[{u: []}]"), rest, "needs providerARNs"},
		{"cognito bad pool ARN", doc("u: {type: apiKey, x-amazon-apigateway-authorizer: {type: cognito_user_pools, providerARNs: [arn:aws:s3:::b]}}", "[{u: []}]"), rest, "Invalid provider ARN"},
		{"token on an HTTP API", doc(token, "[{tok: []}]"), withKeys, "type token is for REST APIs"},
		{"jwt on a REST API", doc(jwt, "[{jwt: []}]"), rest, "type jwt is for HTTP APIs"},
		{"unknown type", doc("x: {type: apiKey, x-amazon-apigateway-authorizer: {type: saml}}", "[{x: []}]"), rest, `type "saml" is not`},
		{"no type", doc("x: {type: apiKey, x-amazon-apigateway-authorizer: {authorizerUri: '"+lambdaURI+"'}}", "[{x: []}]"), rest, "has no type"},
		{"not an object", doc("x: {type: apiKey, x-amazon-apigateway-authorizer: token}", "[{x: []}]"), rest, "must be an object"},
		{"no authorizerUri", doc("x: {type: apiKey, name: Auth, in: header, x-amazon-apigateway-authorizer: {type: token}}", "[{x: []}]"), rest, "needs an authorizerUri"},
		{"bad authorizerUri", doc("x: {type: apiKey, name: Auth, in: header, x-amazon-apigateway-authorizer: {type: token, authorizerUri: 'arn:aws:s3:::x'}}", "[{x: []}]"), rest, "invalid Lambda function URI"},
		{"no Functions", doc(token, "[{tok: []}]"), ImportOptions{}, "needs ImportOptions.Functions"},
		{"TTL too long", doc("x: {type: apiKey, name: Auth, in: header, x-amazon-apigateway-authorizer: {type: token, authorizerUri: '"+lambdaURI+"', authorizerResultTtlInSeconds: 3601}}", "[{x: []}]"), rest, "from 0 to 3600"},
		{"bad validation expression", doc("x: {type: apiKey, name: Auth, in: header, x-amazon-apigateway-authorizer: {type: token, authorizerUri: '"+lambdaURI+"', identityValidationExpression: '('}}", "[{x: []}]"), rest, "Invalid identity validation expression"},
		{"token on a query string", doc("x: {type: apiKey, x-amazon-apigateway-authorizer: {type: token, authorizerUri: '"+lambdaURI+"', identitySource: method.request.querystring.t}}", "[{x: []}]"), rest, "must be one method.request.header.NAME"},
		{"HTTP identity source on REST", doc("x: {type: apiKey, x-amazon-apigateway-authorizer: {type: request, authorizerUri: '"+lambdaURI+"', identitySource: $request.header.A}}", "[{x: []}]"), rest, "Invalid identity source"},
		{"bad payload format", doc("x: {type: apiKey, x-amazon-apigateway-authorizer: {type: request, authorizerUri: '"+lambdaURI+"', authorizerPayloadFormatVersion: '3.0'}}", "[{x: []}]"), withKeys, "must be 1.0 or 2.0"},
		{"simple responses in 1.0", doc("x: {type: apiKey, x-amazon-apigateway-authorizer: {type: request, authorizerUri: '"+lambdaURI+"', authorizerPayloadFormatVersion: '1.0', enableSimpleResponses: true}}", "[{x: []}]"), withKeys, "Simple responses"},
		{"jwt without issuer", doc("jwt: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt, jwtConfiguration: {audience: [a]}}}", "[{jwt: []}]"), withKeys, "issuer is required"},
		{"jwt without audience", doc("jwt: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt, jwtConfiguration: {issuer: '"+jwtIssuer+"'}}}", "[{jwt: []}]"), withKeys, "at least one audience"},
		{"jwt without configuration", doc("jwt: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt}}", "[{jwt: []}]"), withKeys, "needs a jwtConfiguration"},
		{"jwt scopes not strings", doc(jwt, "[{jwt: [1]}]"), withKeys, "must be a list of strings"},
		{"two authorizers on one method", doc(token+", "+strings.Replace(token, "tok:", "tok2:", 1), "[{tok: []}, {tok2: []}]"), rest, "a method takes one authorizer"},
		{"authorizer and IAM", doc(token+", iam: {type: apiKey, x-amazon-apigateway-authtype: awsSigv4}", "[{tok: [], iam: []}]"), rest, "a method takes one authorizer"},
		{"undefined scheme", doc(token, "[{nope: []}]"), rest, `"nope" is not defined`},
		{"security not a list", doc(token, "{tok: []}"), rest, "must be a list"},
		{"too many authorizers", doc(strings.Join(many, ", "), "[{t0: []}]"), rest, "an API may have 10"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestService(t)
			kind := tc.opts.Kind
			_, err := s.ImportOpenAPI([]byte(tc.doc), tc.opts)
			if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "Errors found during import:") {
				t.Fatalf("kind %v: got %v, want a BadRequestException saying %q", kind, err, tc.want)
			}
			if len(s.APIs()) != 0 {
				t.Error("a refused import left an API")
			}
		})
	}
}

func TestImportOpenAPI_UnusedAuthorizersAreCreatedAndAPIKeyStaysREST(t *testing.T) {
	s, _ := newTestService(t)
	ai := newAuthImport(t)
	doc := "openapi: 3.0.1\ninfo: {title: t}\ncomponents: {securitySchemes: {" +
		"jwt: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt, jwtConfiguration: {issuer: '" + jwtIssuer + "', audience: [a]}}}}}\n" +
		"paths: {/a: {get: {x-amazon-apigateway-integration: {type: mock}}}}"
	api, err := s.ImportOpenAPI([]byte(doc), ai.options(HTTP))
	if err != nil {
		t.Fatal(err)
	}
	azs, _, routes := authorizersByName(t, api)
	if _, ok := azs["jwt"]; !ok || len(azs) != 1 {
		t.Errorf("authorizers %v, want the unused jwt one", azs)
	}
	if routes["GET /a"].Type != AuthNone {
		t.Errorf("GET /a: %+v", routes["GET /a"])
	}
}

// authRoundTrip imports doc, exports its stage, imports the export, and
// checks both have the same authorizers and route authorization; it
// returns the exported document.
func authRoundTrip(t *testing.T, file string, kind Kind) map[string]any {
	t.Helper()
	s, _ := newTestService(t)
	ai := newAuthImport(t)
	first, err := s.ImportOpenAPI(readTestdata(t, file), ai.options(kind))
	if err != nil {
		t.Fatal(err)
	}
	stage := "prod"
	if kind == HTTP {
		stage = "$default"
	}
	if _, err := first.Deploy(stage); err != nil {
		t.Fatal(err)
	}
	out, err := first.ExportOpenAPI(stage)
	if err != nil {
		t.Fatal(err)
	}
	second, err := s.ImportOpenAPI(out, ai.options(kind))
	if err != nil {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	a1, f1, r1 := authorizersByName(t, first)
	a2, f2, r2 := authorizersByName(t, second)
	if diff := cmp.Diff(a1, a2); diff != "" {
		t.Errorf("authorizers differ after the round trip (-first +second):\n%s\n%s", diff, out)
	}
	if diff := cmp.Diff(f1, f2); diff != "" {
		t.Errorf("authorizer functions differ (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(r1, r2); diff != "" {
		t.Errorf("route authorization differs (-first +second):\n%s\n%s", diff, out)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// at walks a decoded document by keys.
func at(v any, path ...string) any {
	for _, k := range path {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	return v
}

func TestExportOpenAPI_RoundTripsRESTAuthorizers(t *testing.T) {
	doc := authRoundTrip(t, "auth-rest-swagger2.json", REST)
	schemes := at(doc, "components", "securitySchemes")
	for name, want := range map[string]map[string]any{
		"token-auth": {"type": "apiKey", "name": "Auth", "in": "header", "x-amazon-apigateway-authtype": "custom",
			"x-amazon-apigateway-authorizer": map[string]any{"type": "token", "authorizerResultTtlInSeconds": float64(60), "identityValidationExpression": "[a-z]+",
				"authorizerUri": "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:token-auth/invocations"}},
		"users": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "cognito_user_pools",
			"x-amazon-apigateway-authorizer": map[string]any{"type": "cognito_user_pools", "providerARNs": []any{
				"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_pool1", "arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_pool2"}}},
	} {
		if diff := cmp.Diff(any(want), at(schemes, name)); diff != "" {
			t.Errorf("scheme %s (-want +got):\n%s", name, diff)
		}
	}
	if got := at(schemes, "request-auth", "x-amazon-apigateway-authorizer", "authorizerResultTtlInSeconds"); got != float64(0) {
		t.Errorf("a request authorizer without caching exports TTL %v, want 0", got)
	}
	for path, want := range map[string]any{
		"/pets.get":    []any{map[string]any{"token-auth": []any{}}},
		"/pets.post":   []any{map[string]any{"users": []any{"pets/write", "pets/admin"}}},
		"/admin.get":   []any{map[string]any{"request-auth": []any{}, "api_key": []any{}}},
		"/iam.get":     []any{map[string]any{"sigv4": []any{}}},
		"/health.get":  nil,
		"/profile.get": []any{map[string]any{"users": []any{}}},
	} {
		p, method, _ := strings.Cut(path, ".")
		if diff := cmp.Diff(want, at(doc, "paths", p, method, "security")); diff != "" {
			t.Errorf("%s security (-want +got):\n%s", path, diff)
		}
	}
}

func TestExportOpenAPI_RoundTripsHTTPAuthorizers(t *testing.T) {
	doc := authRoundTrip(t, "auth-http-oas3.yaml", HTTP)
	want := map[string]any{"type": "oauth2", "flows": map[string]any{}, "x-amazon-apigateway-authorizer": map[string]any{
		"type": "jwt", "identitySource": "$request.header.Authorization",
		"jwtConfiguration": map[string]any{"issuer": jwtIssuer, "audience": []any{"items-api", "admin-console"}}}}
	if diff := cmp.Diff(any(want), at(doc, "components", "securitySchemes", "jwt-auth")); diff != "" {
		t.Errorf("jwt scheme (-want +got):\n%s", diff)
	}
	lambda := at(doc, "components", "securitySchemes", "lambda-auth", "x-amazon-apigateway-authorizer")
	for k, v := range map[string]any{"type": "request", "authorizerPayloadFormatVersion": "2.0", "enableSimpleResponses": true,
		"authorizerResultTtlInSeconds": float64(300), "identitySource": "$request.header.Authorization, $request.querystring.tenant"} {
		if got := at(lambda, k); got != v {
			t.Errorf("lambda-auth %s = %v, want %v", k, got, v)
		}
	}
	if at(doc, "components", "securitySchemes", "lambda-auth", "x-amazon-apigateway-authtype") != nil {
		t.Error("an HTTP API's authorizer carries x-amazon-apigateway-authtype")
	}
	if diff := cmp.Diff(any([]any{map[string]any{"jwt-auth": []any{"items:write"}}}), at(doc, "paths", "/items", "post", "security")); diff != "" {
		t.Errorf("POST /items security (-want +got):\n%s", diff)
	}
}

func TestExportOpenAPI_AuthorizersInGo(t *testing.T) {
	s, _ := newTestService(t)
	api, _ := s.CreateAPI(APIConfig{Name: "x", Kind: REST})
	// An authorizer named like the built-in API key scheme, and one whose
	// function has no name.
	keyAZ, err := api.CreateAuthorizer(Authorizer{Name: "api_key", Type: AuthorizerToken, Function: namedInvoker{name: "auth", Invoker: tokenAuthorizer()}})
	if err != nil {
		t.Fatal(err)
	}
	anon, err := api.CreateAuthorizer(Authorizer{Name: "anon", Type: AuthorizerRequest, Function: tokenAuthorizer(), IdentitySource: "method.request.header.A"})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /a", Route{Integration: Mock{}, AuthorizationType: AuthCustom, AuthorizerID: keyAZ, APIKeyRequired: true}); err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /b", Route{Integration: Mock{}, AuthorizationType: AuthCustom, AuthorizerID: anon}); err != nil {
		t.Fatal(err)
	}
	out, err := api.ExportOpenAPI("")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(any([]any{map[string]any{"api_key": []any{}, "api_key_2": []any{}}}), at(doc, "paths", "/a", "get", "security")); diff != "" {
		t.Errorf("GET /a security (-want +got):\n%s", diff)
	}
	if at(doc, "components", "securitySchemes", "api_key_2", "name") != "x-api-key" ||
		at(doc, "components", "securitySchemes", "api_key", "x-amazon-apigateway-authorizer", "type") != "token" {
		t.Errorf("schemes %v", at(doc, "components", "securitySchemes"))
	}
	if uri := at(doc, "components", "securitySchemes", "anon", "x-amazon-apigateway-authorizer", "authorizerUri"); uri != nil {
		t.Errorf("an unnamed function exported as %v", uri)
	}
	// Importing the export refuses the authorizer it cannot resolve
	// rather than leaving GET /b open.
	_, err = s.ImportOpenAPI(out, newAuthImport(t).options(REST))
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "anon") || !strings.Contains(err.Error(), "authorizerUri") {
		t.Errorf("re-import: %v", err)
	}
}

// TestImportOpenAPI_ImportedAuthorizersGuardRequests serves imported APIs:
// a REST API with a Lambda TOKEN authorizer and a Cognito authorizer, and
// an HTTP API with a JWT authorizer and a Lambda simple-response
// authorizer, with allowed and denied requests.
func TestImportOpenAPI_ImportedAuthorizersGuardRequests(t *testing.T) {
	good, _ := signingKeys(t)
	pool2 := unknownKey(t)

	t.Run("REST", func(t *testing.T) {
		s, clk := newTestService(t)
		ai := newAuthImport(t)
		token := tokenAuthorizer()
		ai.byName["token-auth"] = token
		api, err := s.ImportOpenAPI(readTestdata(t, "auth-rest-swagger2.json"), ai.options(REST))
		if err != nil {
			t.Fatal(err)
		}
		st, err := api.Deploy("prod")
		if err != nil {
			t.Fatal(err)
		}
		idToken := func(k *TestSigningKey, iss string) string {
			return "Bearer " + mustSign(t, k, map[string]any{"iss": iss, "sub": "u-1", "token_use": "id", "exp": exp(clk.Now(), time.Hour)})
		}
		for _, tc := range []struct {
			name, method, path string
			hdr                map[string]string
			code               int
			invoked            int64 // token authorizer calls so far
		}{
			{"token allowed", "GET", "/pets", map[string]string{"Auth": "allow"}, 200, 1},
			{"token cached for 60 s", "GET", "/pets", map[string]string{"Auth": "allow"}, 200, 1},
			{"token denied", "GET", "/pets", map[string]string{"Auth": "deny"}, 403, 2},
			{"token refused by the function", "GET", "/pets", map[string]string{"Auth": "unauthorized"}, 401, 3},
			{"no token", "GET", "/pets", nil, 401, 3},
			{"token fails identityValidationExpression", "GET", "/pets", map[string]string{"Auth": "ALLOW"}, 401, 3},
			{"token in the wrong header", "GET", "/pets", map[string]string{"Authorization": "allow"}, 401, 3},
			{"open health check", "GET", "/health", nil, 200, 3},
			{"cognito ID token of pool 1", "GET", "/profile", map[string]string{"Authorization": idToken(good, pool1Issuer)}, 200, 3},
			{"cognito ID token of pool 2", "GET", "/profile", map[string]string{"Authorization": idToken(pool2, pool2Issuer)}, 200, 3},
			{"cognito token of another issuer", "GET", "/profile", map[string]string{"Authorization": idToken(good, jwtIssuer)}, 401, 3},
			{"cognito scopes need an access token", "POST", "/pets", map[string]string{"Authorization": idToken(good, pool1Issuer)}, 401, 3},
			{"IAM without a signature", "GET", "/iam", nil, 403, 3},
		} {
			w := send(st, tc.method, tc.path, tc.hdr)
			if w.Code != tc.code {
				t.Errorf("%s: %s %s answered %d %s, want %d", tc.name, tc.method, tc.path, w.Code, w.Body, tc.code)
			}
			if n := token.calls.Load(); n != tc.invoked {
				t.Errorf("%s: the token authorizer ran %d times, want %d", tc.name, n, tc.invoked)
			}
		}
		access := mustSign(t, good, map[string]any{"iss": pool1Issuer, "token_use": "access", "scope": "pets/admin", "exp": exp(clk.Now(), time.Hour)})
		if w := send(st, "POST", "/pets", map[string]string{"Authorization": access}); w.Code != 200 {
			t.Errorf("access token with pets/admin: %d %s", w.Code, w.Body)
		}
	})

	t.Run("HTTP", func(t *testing.T) {
		s, clk := newTestService(t)
		ai := newAuthImport(t)
		simple := &authFn{answer: func(ev map[string]any) ([]byte, error) {
			ids, _ := ev["identitySource"].([]any)
			return json.Marshal(map[string]any{"isAuthorized": slices.Equal(ids, []any{"letmein", "acme"})})
		}}
		ai.byName["simple-auth"] = simple
		api, err := s.ImportOpenAPI(readTestdata(t, "auth-http-oas3.yaml"), ai.options(HTTP))
		if err != nil {
			t.Fatal(err)
		}
		st, err := api.Deploy("$default")
		if err != nil {
			t.Fatal(err)
		}
		bearer := func(aud, scope string) string {
			return "Bearer " + mustSign(t, good, map[string]any{"iss": jwtIssuer, "aud": aud, "sub": "u-1", "scope": scope, "exp": exp(clk.Now(), time.Hour)})
		}
		for _, tc := range []struct {
			name, method, path string
			hdr                map[string]string
			code               int
		}{
			{"jwt with items:read", "GET", "/items", map[string]string{"Authorization": bearer("items-api", "items:read")}, 200},
			{"jwt for the second audience", "GET", "/items", map[string]string{"Authorization": bearer("admin-console", "items:read")}, 200},
			{"jwt without the scope", "GET", "/items", map[string]string{"Authorization": bearer("items-api", "profile")}, 403},
			{"jwt read scope on a write route", "POST", "/items", map[string]string{"Authorization": bearer("items-api", "items:read")}, 403},
			{"jwt with items:write", "POST", "/items", map[string]string{"Authorization": bearer("items-api", "items:write")}, 200},
			{"jwt for another audience", "GET", "/items", map[string]string{"Authorization": bearer("other", "items:read")}, 401},
			{"no jwt", "GET", "/items", nil, 401},
			{"open health check", "GET", "/health", nil, 200},
			{"lambda allows", "GET", "/me?tenant=acme", map[string]string{"Authorization": "letmein"}, 200},
			{"lambda refuses", "GET", "/me?tenant=other", map[string]string{"Authorization": "letmein"}, 403},
			{"lambda identity source missing", "GET", "/me", map[string]string{"Authorization": "letmein"}, 401},
		} {
			if w := send(st, tc.method, tc.path, tc.hdr); w.Code != tc.code {
				t.Errorf("%s: %s %s answered %d %s, want %d", tc.name, tc.method, tc.path, w.Code, w.Body, tc.code)
			}
		}
		if n := simple.calls.Load(); n != 2 {
			t.Errorf("the Lambda authorizer ran %d times, want 2 (the missing source is refused without it)", n)
		}
	})
}
