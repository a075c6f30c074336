package apigw

import (
	"testing"
	"time"
)

// benchOptions lift the account throttle (10,000 requests per second)
// that a benchmark loop would otherwise reach.
var benchOptions = Options{Limits: Limits{AccountRateLimit: 1e12, AccountBurstLimit: 1 << 40}}

// BenchmarkJWTAuthorizedRequest is a request through an HTTP API stage
// whose route has a JWT authorizer: the token's RS256 signature, claims
// and scope are checked on every request (API Gateway caches nothing for
// JWT authorizers), then a mock integration answers. The sub-benchmark
// "none" is the same route without authorization, for the cost of the
// check alone.
func BenchmarkJWTAuthorizedRequest(b *testing.B) {
	good, _ := signingKeys(b)
	s := New(benchOptions)
	api, _ := s.CreateAPI(APIConfig{Name: "bench", Kind: HTTP})
	id, err := api.CreateAuthorizer(Authorizer{Name: "jwt", Type: AuthorizerJWT, Issuer: jwtIssuer, Audience: []string{"api"}, JWKS: JWKS(good)})
	if err != nil {
		b.Fatal(err)
	}
	_ = api.Route("GET /items/{id}", Route{Integration: Mock{Body: "ok"}, AuthorizationType: AuthJWT, AuthorizerID: id, AuthorizationScopes: []string{"items:read"}})
	_ = api.Route("GET /open/{id}", Route{Integration: Mock{Body: "ok"}})
	st, err := api.Deploy("$default")
	if err != nil {
		b.Fatal(err)
	}
	tok := mustSign(b, good, map[string]any{"iss": jwtIssuer, "aud": "api", "sub": "u", "scope": "items:read", "exp": s.clock.Now().Add(time.Hour).Unix()})
	hdr := map[string]string{"Authorization": "Bearer " + tok}
	for _, bc := range []struct{ name, path string }{{"jwt", "/items/1"}, {"none", "/open/1"}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if w := send(st, "GET", bc.path, hdr); w.Code != 200 {
					b.Fatal(w.Code, w.Body.String())
				}
			}
		})
	}
}

// BenchmarkLambdaAuthorizerCachedRequest is a REST request whose TOKEN
// authorizer's policy is served from the result cache and evaluated for
// the method ARN.
func BenchmarkLambdaAuthorizerCachedRequest(b *testing.B) {
	s := New(benchOptions)
	api, _ := s.CreateAPI(APIConfig{Name: "bench", Kind: REST})
	az := tokenAuthorizer()
	id, _ := api.CreateAuthorizer(Authorizer{Name: "tok", Type: AuthorizerToken, Function: az})
	_ = api.Route("GET /items/{id}", Route{Integration: Mock{Body: "ok"}, AuthorizationType: AuthCustom, AuthorizerID: id})
	st, err := api.Deploy("prod")
	if err != nil {
		b.Fatal(err)
	}
	hdr := map[string]string{"Authorization": "allow"}
	b.ReportAllocs()
	for b.Loop() {
		if w := send(st, "GET", "/items/1", hdr); w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
	if az.calls.Load() != 1 {
		b.Fatalf("authorizer invoked %d times", az.calls.Load())
	}
}

// BenchmarkIAMSignedRequest is a REST request to an AWS_IAM route: SigV4
// verification of a signed request.
func BenchmarkIAMSignedRequest(b *testing.B) {
	s := New(benchOptions)
	_ = s.AddCredentials(testKeyID, Credential{SecretAccessKey: testSecret})
	api, _ := s.CreateAPI(APIConfig{Name: "bench", Kind: REST})
	_ = api.Route("GET /items/{id}", Route{Integration: Mock{Body: "ok"}, AuthorizationType: AuthIAM})
	st, err := api.Deploy("prod")
	if err != nil {
		b.Fatal(err)
	}
	now := s.clock.Now()
	b.ReportAllocs()
	for b.Loop() {
		if w := serveReq(st, signed("GET", "/items/1", testKeyID, testSecret, now)); w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
	}
}
