package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestJWTAuthorizer_ClaimsAndScopesReachTheFunction(t *testing.T) {
	s, clk := newTestService(t)
	good, _ := signingKeys(t)
	api := mustAPI(t, s, HTTP, nil)
	id, err := api.CreateAuthorizer(Authorizer{Name: "jwt", Type: AuthorizerJWT, Issuer: jwtIssuer, Audience: []string{"api", "other"}, JWKS: JWKS(good)})
	if err != nil {
		t.Fatal(err)
	}
	fn := echoFn()
	if err := api.Route("GET /me", Route{Integration: LambdaProxy{Function: fn}, AuthorizationType: AuthJWT, AuthorizerID: id, AuthorizationScopes: []string{"a", "me:read"}}); err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("$default")
	tok := mustSign(t, good, map[string]any{"iss": jwtIssuer, "aud": []string{"x", "other"}, "sub": "u-1", "exp": exp(clk.Now(), time.Minute), "scope": "me:read me:write", "n": 12})
	w := send(st, "GET", "/me", map[string]string{"Authorization": "Bearer " + tok})
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var ev struct {
		RequestContext struct {
			Authorizer struct {
				JWT struct {
					Claims map[string]string `json:"claims"`
					Scopes []string          `json:"scopes"`
				} `json:"jwt"`
			} `json:"authorizer"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	jwt := ev.RequestContext.Authorizer.JWT
	if jwt.Claims["sub"] != "u-1" || jwt.Claims["n"] != "12" || jwt.Claims["aud"] != "[x other]" {
		t.Errorf("claims %v", jwt.Claims)
	}
	if diff := cmp.Diff([]string{"me:read", "me:write"}, jwt.Scopes); diff != "" {
		t.Errorf("scopes (-want +got):\n%s", diff)
	}
	// One second past exp the same token is refused, with the challenge.
	clk.Advance(time.Minute)
	w = send(st, "GET", "/me", map[string]string{"Authorization": "Bearer " + tok})
	if w.Code != 401 || !strings.Contains(w.Header().Get("Www-Authenticate"), `error="invalid_token"`) {
		t.Errorf("expired: %d, www-authenticate %q", w.Code, w.Header().Get("Www-Authenticate"))
	}
}

func TestCognitoAuthorizer_ClaimsAreStringsInTheProxyEvent(t *testing.T) {
	s, clk := newTestService(t)
	good, _ := signingKeys(t)
	api := mustAPI(t, s, REST, nil)
	id, err := api.CreateAuthorizer(Authorizer{Name: "pool", Type: AuthorizerCognito,
		ProviderARNs: []string{"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_X"}, JWKS: JWKS(good)})
	if err != nil {
		t.Fatal(err)
	}
	fn := echoFn()
	if err := api.Route("GET /me", Route{Integration: LambdaProxy{Function: fn}, AuthorizationType: AuthCognito, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("prod")
	// The issuer is derived from the pool's ARN, in the pool's Region.
	tok := mustSign(t, good, map[string]any{"iss": "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_X", "aud": "any-client",
		"token_use": "id", "sub": "u-2", "email_verified": true, "exp": exp(clk.Now(), time.Hour)})
	w := send(st, "GET", "/me", map[string]string{"Authorization": tok})
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var ev struct {
		RequestContext struct {
			Authorizer struct {
				Claims map[string]any `json:"claims"`
			} `json:"authorizer"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	c := ev.RequestContext.Authorizer.Claims
	if c["sub"] != "u-2" || c["email_verified"] != "true" || c["token_use"] != "id" {
		t.Errorf("claims %v", c)
	}
}

// TestJWTAuthorizer_JWKSFuncFetchesOnceAndOnRotation checks the key
// source: fetched at the first request, kept, fetched again for a kid it
// lacks at most once a minute on the clock.
func TestJWTAuthorizer_JWKSFuncFetchesOnceAndOnRotation(t *testing.T) {
	s, clk := newTestService(t)
	good, _ := signingKeys(t)
	rotated := unknownKey(t)
	var fetches atomic.Int64
	current := JWKS(good)
	api := mustAPI(t, s, HTTP, nil)
	id, err := api.CreateAuthorizer(Authorizer{Name: "jwt", Type: AuthorizerJWT, Issuer: jwtIssuer, Audience: []string{"api"},
		JWKSFunc: func(context.Context) ([]byte, error) {
			fetches.Add(1)
			return current, nil
		}})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /me", Route{Integration: named("me"), AuthorizationType: AuthJWT, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("$default")
	claims := map[string]any{"iss": jwtIssuer, "aud": "api", "exp": exp(clk.Now(), time.Hour)}
	auth := func(k *TestSigningKey) int {
		return send(st, "GET", "/me", map[string]string{"Authorization": mustSign(t, k, claims)}).Code
	}
	if fetches.Load() != 0 {
		t.Fatal("fetched before the first request")
	}
	for range 3 {
		if code := auth(good); code != 200 {
			t.Fatalf("%d", code)
		}
	}
	if n := fetches.Load(); n != 1 {
		t.Errorf("%d fetches for three requests", n)
	}
	current = JWKS(good, rotated)
	// The last fetch is recent: an unknown kid does not refetch yet.
	if code := auth(rotated); code != 401 || fetches.Load() != 1 {
		t.Errorf("unknown kid within a minute: %d, %d fetches", code, fetches.Load())
	}
	clk.Advance(time.Minute)
	if code := auth(rotated); code != 200 || fetches.Load() != 2 {
		t.Errorf("rotated key after a minute: %d, %d fetches", code, fetches.Load())
	}
}

func TestJWTAuthorizer_JWKSFuncFailureIsAnAuthorizerError(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, HTTP, nil)
	id, _ := api.CreateAuthorizer(Authorizer{Name: "jwt", Type: AuthorizerJWT, Issuer: jwtIssuer, Audience: []string{"api"},
		JWKSFunc: func(context.Context) ([]byte, error) { return nil, errors.New("issuer unreachable") }})
	if err := api.Route("GET /me", Route{Integration: named("me"), AuthorizationType: AuthJWT, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("$default")
	if w := send(st, "GET", "/me", map[string]string{"Authorization": "a.b.c"}); w.Code != 500 {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestTestSigningKey_TokensVerifyOnlyWithTheirJWKS(t *testing.T) {
	good, other := signingKeys(t)
	if good.KeyID() != "key-1" {
		t.Errorf("kid %q", good.KeyID())
	}
	var doc struct {
		Keys []map[string]string `json:"keys"`
	}
	if err := json.Unmarshal(JWKS(good, unknownKey(t)), &doc); err != nil || len(doc.Keys) != 2 || doc.Keys[0]["kty"] != "RSA" || doc.Keys[0]["alg"] != "RS256" {
		t.Errorf("JWKS %v %v", doc, err)
	}
	tok := mustSign(t, good, map[string]any{"sub": "x"})
	if parts := strings.Split(tok, "."); len(parts) != 3 || parts[2] == "" {
		t.Errorf("token %q", tok)
	}
	if mustSign(t, other, map[string]any{"sub": "x"}) == tok {
		t.Error("two keys sign alike")
	}
	none, err := UnsignedToken(map[string]any{"sub": "x"})
	if err != nil || !strings.HasSuffix(none, ".") {
		t.Errorf("unsigned %q %v", none, err)
	}
}

func TestJWTAuthorizer_MissingScopeChallenge(t *testing.T) {
	f := newAuthFixture(t)
	w := send(f.http, "GET", "/items", map[string]string{"Authorization": "Bearer " + f.accessToken(t, f.good, map[string]any{"scope": "openid"})})
	want := `Bearer scope="items:read" error="insufficient_scope" error_description="expected scopes: [items:read]"`
	if w.Code != 403 || w.Header().Get("Www-Authenticate") != want {
		t.Errorf("%d, www-authenticate %q, want %q", w.Code, w.Header().Get("Www-Authenticate"), want)
	}
}

func TestCognitoAuthorizer_AcceptsEveryUserPool(t *testing.T) {
	s, clk := newTestService(t)
	good, _ := signingKeys(t)
	api := mustAPI(t, s, REST, nil)
	id, err := api.CreateAuthorizer(Authorizer{Name: "pools", Type: AuthorizerCognito, JWKS: JWKS(good), ProviderARNs: []string{
		"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_A",
		"arn:aws:cognito-idp:eu-west-1:123456789012:userpool/eu-west-1_B",
	}})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /me", Route{Integration: named("me"), AuthorizationType: AuthCognito, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("prod")
	for iss, want := range map[string]int{
		"https://cognito-idp.us-east-1.amazonaws.com/us-east-1_A": 200,
		"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_B": 200,
		"https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_C": 401,
	} {
		tok := mustSign(t, good, map[string]any{"iss": iss, "token_use": "id", "aud": "c", "exp": exp(clk.Now(), time.Hour)})
		if w := send(st, "GET", "/me", map[string]string{"Authorization": tok}); w.Code != want {
			t.Errorf("%s: %d, want %d", iss, w.Code, want)
		}
	}
}
