package apigw

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

const (
	testKeyID    = "AKIDEXAMPLE000001"
	testSecret   = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
	poolIssuer   = "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Pool1"
	jwtIssuer    = "https://issuer.example.com"
	walledPolicy = `{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*"},
    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
     "Condition": {"IpAddress": {"aws:SourceIp": ["192.0.2.0/24"]}}},
    {"Effect": "Deny", "Principal": "*", "Action": "execute-api:Invoke", "Resource": "execute-api:/*",
     "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-0bad"}}}
  ]
}`
)

// authFixture is one service with a REST API of every authorization
// kind, a REST API walled by a resource policy and an HTTP API with a JWT
// authorizer, every route answered by one recorder.
type authFixture struct {
	s             *Service
	clk           *clock.Manual
	lines         *[]string
	backend       *recorder
	lambda        *authFn
	rest, walled  *Stage
	http          *Stage
	restAPI       *API
	walledAPI     *API
	good, other   *TestSigningKey
	unknown       *TestSigningKey
	poolAuthID    string
	lambdaAuthID  string
	jwtAuthorizer string
}

func newAuthFixture(t testing.TB) *authFixture {
	t.Helper()
	f := &authFixture{lines: &[]string{}, backend: &recorder{}, lambda: tokenAuthorizer()}
	f.good, f.other = signingKeys(t)
	f.unknown = unknownKey(t)
	f.clk = clock.NewManual(t0)
	f.s = New(Options{Clock: f.clk, Logger: newCaptureLogger(f.lines)})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(f.s.AddCredentials(testKeyID, Credential{SecretAccessKey: testSecret}))
	must(f.s.AddCredentials("AKIDLIMITED000001", Credential{SecretAccessKey: testSecret, UserARN: "arn:aws:iam::123456789012:user/limited",
		Policy: `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*"},
		{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/GET/iam"}]}`}))

	var err error
	f.restAPI, err = f.s.CreateAPI(APIConfig{Name: "rest", Kind: REST})
	must(err)
	f.lambdaAuthID, err = f.restAPI.CreateAuthorizer(Authorizer{Name: "lambda", Type: AuthorizerToken, Function: f.lambda})
	must(err)
	f.poolAuthID, err = f.restAPI.CreateAuthorizer(Authorizer{Name: "pool", Type: AuthorizerCognito,
		ProviderARNs: []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_Pool1"},
		Audience:     []string{"client1"}, JWKS: JWKS(f.good)})
	must(err)
	for key, r := range map[string]Route{
		"GET /public":       {},
		"GET /admin/{id}":   {AuthorizationType: AuthCustom, AuthorizerID: f.lambdaAuthID},
		"GET /profile":      {AuthorizationType: AuthCognito, AuthorizerID: f.poolAuthID},
		"GET /orders":       {AuthorizationType: AuthCognito, AuthorizerID: f.poolAuthID, AuthorizationScopes: []string{"orders/read"}},
		"GET /iam":          {AuthorizationType: AuthIAM},
		"GET /iam/{proxy+}": {AuthorizationType: AuthIAM},
	} {
		r.Integration = f.backend
		must(f.restAPI.Route(key, r))
	}
	f.rest, err = f.restAPI.Deploy("prod")
	must(err)

	f.walledAPI, err = f.s.CreateAPI(APIConfig{Name: "walled", Kind: REST, Policy: walledPolicy})
	must(err)
	must(f.walledAPI.Route("GET /", Route{Integration: f.backend}))
	f.walled, err = f.walledAPI.Deploy("prod")
	must(err)

	httpAPI, err := f.s.CreateAPI(APIConfig{Name: "http", Kind: HTTP})
	must(err)
	f.jwtAuthorizer, err = httpAPI.CreateAuthorizer(Authorizer{Name: "jwt", Type: AuthorizerJWT, Issuer: jwtIssuer, Audience: []string{"api"}, JWKS: JWKS(f.good)})
	must(err)
	must(httpAPI.Route("GET /items", Route{Integration: f.backend, AuthorizationType: AuthJWT, AuthorizerID: f.jwtAuthorizer, AuthorizationScopes: []string{"items:read"}}))
	must(httpAPI.Route("GET /me", Route{Integration: f.backend, AuthorizationType: AuthJWT, AuthorizerID: f.jwtAuthorizer}))
	f.http, err = httpAPI.Deploy("prod")
	must(err)
	return f
}

// idToken is a valid Cognito ID token of the pool, with changes.
func (f *authFixture) idToken(t testing.TB, k *TestSigningKey, change map[string]any) string {
	claims := map[string]any{"iss": poolIssuer, "aud": "client1", "token_use": "id", "sub": "u-1", "email": "a@example.com", "exp": exp(f.clk.Now(), time.Hour)}
	for c, v := range change {
		if v == nil {
			delete(claims, c)
		} else {
			claims[c] = v
		}
	}
	return mustSign(t, k, claims)
}

// accessToken is a valid access token of the JWT issuer, with changes.
func (f *authFixture) accessToken(t testing.TB, k *TestSigningKey, change map[string]any) string {
	claims := map[string]any{"iss": jwtIssuer, "aud": "api", "sub": "u-1", "scope": "items:read profile", "exp": exp(f.clk.Now(), time.Hour)}
	for c, v := range change {
		if v == nil {
			delete(claims, c)
		} else {
			claims[c] = v
		}
	}
	return mustSign(t, k, claims)
}

// signed is a request to the IAM route signed at t with the secret.
func signed(method, target, keyID, secret string, at time.Time) *http.Request {
	r := httptest.NewRequest(method, target, nil)
	SignRequest(r, nil, keyID, Credential{SecretAccessKey: secret}, "us-east-1", at)
	return r
}

// TestAuthCorpus_EveryCaseIsDeniedAndLogged sends requests that must not
// reach a protected integration — path tricks, missing, expired, forged,
// unsigned and misdirected tokens, a Lambda authorizer's deny, bad
// signatures, a resource policy's deny — and checks each gets AWS's answer
// and leaves an "apigw: request denied" record with its reason.
func TestAuthCorpus_EveryCaseIsDeniedAndLogged(t *testing.T) {
	f := newAuthFixture(t)
	now := f.clk.Now()
	none, _ := UnsignedToken(map[string]any{"iss": poolIssuer, "aud": "client1", "token_use": "id", "exp": exp(now, time.Hour)})
	noneJWT, _ := UnsignedToken(map[string]any{"iss": jwtIssuer, "aud": "api", "scope": "items:read", "exp": exp(now, time.Hour)})
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	raw := func(tok string) map[string]string { return map[string]string{"Authorization": tok} }
	get := func(st *Stage, target string, hdr map[string]string) func() *httptest.ResponseRecorder {
		return func() *httptest.ResponseRecorder { return send(st, "GET", target, hdr) }
	}
	fromIP := func(st *Stage, target, ip string, hdr map[string]string) func() *httptest.ResponseRecorder {
		return func() *httptest.ResponseRecorder {
			r := httptest.NewRequest("GET", target, nil)
			r.RemoteAddr = ip + ":4711"
			for k, v := range hdr {
				r.Header.Set(k, v)
			}
			return serveReq(st, r)
		}
	}
	iam := func(r *http.Request) func() *httptest.ResponseRecorder {
		return func() *httptest.ResponseRecorder { return serveReq(f.rest, r) }
	}
	const (
		unauthorizedREST = `{"message": "Unauthorized"}`
		unauthorizedHTTP = `{"message":"Unauthorized"}`
		missingToken     = `{"message": "Missing Authentication Token"}`
	)
	cases := []struct {
		name      string
		do        func() *httptest.ResponseRecorder
		status    int
		body      string // the whole body, or a prefix when it ends with "…"
		errorType string
		reason    string
	}{
		// Path tricks against the Lambda-protected GET /admin/{id}.
		{"no token", get(f.rest, "/admin/1", nil), 401, unauthorizedREST, "UnauthorizedException", "identity source method.request.header.Authorization is missing"},
		{"encoded traversal stays in the parameter", get(f.rest, "/admin/..%2F..%2Fpublic", nil), 401, unauthorizedREST, "", "is missing"},
		{"dot-dot from the public route", get(f.rest, "/public/../admin/1", nil), 403, missingToken, "MissingAuthenticationTokenException", "no method matches"},
		{"double slash", get(f.rest, "//admin/1", nil), 403, missingToken, "", "no method matches"},
		{"upper case", get(f.rest, "/ADMIN/1", raw("allow")), 403, missingToken, "", "no method matches"},
		{"trailing slash", get(f.rest, "/admin/1/", nil), 403, missingToken, "", "no method matches"},
		{"encoded slash in a literal", get(f.rest, "/admin%2F1", raw("allow")), 403, missingToken, "", "no method matches"},
		{"encoded public prefix", get(f.rest, "/public%2F..%2Fadmin%2F1", nil), 403, missingToken, "", "no method matches"},
		// Lambda authorizer answers.
		{"lambda explicit deny", get(f.rest, "/admin/1", raw("deny")), 403, `{"Message":"User is not authorized to access this resource with an explicit deny"}`, "AccessDeniedException", "ExplicitDeny"},
		{"lambda allows another method only", get(f.rest, "/admin/1", raw("other")), 403, `{"Message":"User is not authorized to access this resource"}`, "AccessDeniedException", "ImplicitDeny"},
		{"lambda says Unauthorized", get(f.rest, "/admin/1", raw("unauthorized")), 401, unauthorizedREST, "", "answered Unauthorized"},
		{"lambda fails", get(f.rest, "/admin/1", raw("fail")), 500, `{"message": null}`, "AuthorizerConfigurationException", "failed: boom"},
		{"lambda answers garbage", get(f.rest, "/admin/1", raw("garbage")), 500, `{"message": null}`, "AuthorizerConfigurationException", "principalId"},
		// Cognito user pool authorizer.
		{"cognito missing token", get(f.rest, "/profile", nil), 401, unauthorizedREST, "", "is missing"},
		{"cognito garbage token", get(f.rest, "/profile", raw("not-a-jwt")), 401, unauthorizedREST, "", "not three segments"},
		{"cognito expired", get(f.rest, "/profile", raw(f.idToken(t, f.good, map[string]any{"exp": exp(now, -time.Second)}))), 401, unauthorizedREST, "", "expired"},
		{"cognito forged signature", get(f.rest, "/profile", raw(f.idToken(t, f.other, nil))), 401, unauthorizedREST, "", "signature"},
		{"cognito alg none", get(f.rest, "/profile", raw(none)), 401, unauthorizedREST, "", "alg none"},
		{"cognito unknown key", get(f.rest, "/profile", raw(f.idToken(t, f.unknown, nil))), 401, unauthorizedREST, "", "unknown key"},
		{"cognito wrong issuer", get(f.rest, "/profile", raw(f.idToken(t, f.good, map[string]any{"iss": "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_Other"}))), 401, unauthorizedREST, "", "issuer"},
		{"cognito wrong audience", get(f.rest, "/profile", raw(f.idToken(t, f.good, map[string]any{"aud": "client2"}))), 401, unauthorizedREST, "", "audience"},
		{"cognito no expiry", get(f.rest, "/profile", raw(f.idToken(t, f.good, map[string]any{"exp": nil}))), 401, unauthorizedREST, "", "no exp"},
		{"cognito not yet valid", get(f.rest, "/profile", raw(f.idToken(t, f.good, map[string]any{"nbf": exp(now, time.Minute)}))), 401, unauthorizedREST, "", "not valid yet"},
		{"cognito access token where an ID token is due", get(f.rest, "/profile", raw(f.idToken(t, f.good, map[string]any{"token_use": "access"}))), 401, unauthorizedREST, "", "takes an ID token"},
		{"cognito ID token where scopes are due", get(f.rest, "/orders", raw(f.idToken(t, f.good, nil))), 401, unauthorizedREST, "", "takes an access token"},
		{"cognito missing scope", get(f.rest, "/orders", raw(f.idToken(t, f.good, map[string]any{"token_use": "access", "aud": nil, "client_id": "client1", "scope": "orders/write"}))), 401, unauthorizedREST, "", "none of the scopes orders/read"},
		// HTTP API JWT authorizer.
		{"jwt missing token", get(f.http, "/items", nil), 401, unauthorizedHTTP, "", "$request.header.Authorization is missing"},
		{"jwt missing scope", get(f.http, "/items", bearer(f.accessToken(t, f.good, map[string]any{"scope": "profile"}))), 403, `{"message":"Forbidden"}`, "", "none of the scopes items:read"},
		{"jwt wrong audience", get(f.http, "/me", bearer(f.accessToken(t, f.good, map[string]any{"aud": "someone-else"}))), 401, unauthorizedHTTP, "", "audience"},
		{"jwt wrong issuer", get(f.http, "/me", bearer(f.accessToken(t, f.good, map[string]any{"iss": "https://evil.example.com"}))), 401, unauthorizedHTTP, "", "issuer"},
		{"jwt expired", get(f.http, "/me", bearer(f.accessToken(t, f.good, map[string]any{"exp": exp(now, -time.Minute)}))), 401, unauthorizedHTTP, "", "expired"},
		{"jwt forged", get(f.http, "/me", bearer(f.accessToken(t, f.other, nil))), 401, unauthorizedHTTP, "", "signature"},
		{"jwt alg none", get(f.http, "/items", bearer(noneJWT)), 401, unauthorizedHTTP, "", "alg none"},
		{"jwt path trick", get(f.http, "/items/../me", bearer(f.accessToken(t, f.good, map[string]any{"aud": "x"}))), 404, `{"message":"Not Found"}`, "", "no route matches"},
		// IAM.
		{"iam unsigned", get(f.rest, "/iam", nil), 403, missingToken, "MissingAuthenticationTokenException", "not signed"},
		{"iam wrong signature", iam(signed("GET", "/iam", testKeyID, "not-the-secret", now)), 403, `{"message": "The request signature we calculated does not match…`, "InvalidSignatureException", "InvalidSignatureException"},
		{"iam expired", iam(signed("GET", "/iam", testKeyID, testSecret, now.Add(-6*time.Minute))), 403, `{"message": "Signature expired: …`, "InvalidSignatureException", "Signature expired"},
		{"iam unknown key", iam(signed("GET", "/iam", "AKIDUNKNOWN000001", testSecret, now)), 403, `{"message": "The security token included in the request is invalid."}`, "UnrecognizedClientException", "UnrecognizedClientException"},
		{"iam signed for another path", iam(func() *http.Request {
			r := signed("GET", "/iam/a", testKeyID, testSecret, now)
			r.URL.Path, r.URL.RawPath = "/iam/b", ""
			return r
		}()), 403, `{"message": "The request signature we calculated does not match…`, "InvalidSignatureException", "InvalidSignatureException"},
		{"iam caller's policy denies", iam(signed("GET", "/iam", "AKIDLIMITED000001", testSecret, now)), 403,
			`{"Message":"User: arn:aws:iam::123456789012:user/limited is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:` + f.restAPI.ID() + `/prod/GET/iam with an explicit deny"}`, "AccessDeniedException", "ExplicitDeny"},
		// Resource policy.
		{"resource policy denies the IP", fromIP(f.walled, "/", "192.0.2.10", nil), 403,
			`{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:` + f.walledAPI.ID() + `/prod/GET/ with an explicit deny"}`, "AccessDeniedException", "ExplicitDeny"},
		{"resource policy denies the VPC endpoint", fromIP(f.walled, "/", "198.51.100.7", map[string]string{HeaderSourceVpce: "vpce-0bad"}), 403, `{"Message":"User: anonymous is not authorized…`, "AccessDeniedException", "with an explicit deny"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			before := len(*f.lines)
			calls := f.backend.calls.Load()
			w := tc.do()
			if w.Code != tc.status {
				t.Errorf("status %d, want %d (body %s)", w.Code, tc.status, w.Body)
			}
			body := w.Body.String()
			if prefix, ok := strings.CutSuffix(tc.body, "…"); ok {
				if !strings.HasPrefix(body, prefix) {
					t.Errorf("body %s, want it to begin %s", body, prefix)
				}
			} else if body != tc.body {
				t.Errorf("body %s, want %s", body, tc.body)
			}
			if tc.errorType != "" && w.Header().Get("X-Amzn-ErrorType") != tc.errorType {
				t.Errorf("x-amzn-ErrorType %q, want %q", w.Header().Get("X-Amzn-ErrorType"), tc.errorType)
			}
			if n := f.backend.calls.Load() - calls; n != 0 {
				t.Errorf("the integration was called %d times", n)
			}
			logged := ""
			for _, l := range (*f.lines)[before:] {
				if strings.HasPrefix(l, "apigw: request denied") {
					logged = l
				}
			}
			if logged == "" {
				t.Fatalf("no denial was logged; log: %q", (*f.lines)[before:])
			}
			if !strings.Contains(logged, tc.reason) {
				t.Errorf("logged %q, want the reason to mention %q", logged, tc.reason)
			}
		})
	}
}

// TestAuthCorpus_TheSameRequestsPassWhenValid checks the corpus's
// fixture admits what it should, so that its denials mean something.
func TestAuthCorpus_TheSameRequestsPassWhenValid(t *testing.T) {
	f := newAuthFixture(t)
	now := f.clk.Now()
	cases := []struct {
		name string
		w    *httptest.ResponseRecorder
	}{
		{"public", send(f.rest, "GET", "/public", nil)},
		{"lambda allow", send(f.rest, "GET", "/admin/1", map[string]string{"Authorization": "allow"})},
		{"cognito id token", send(f.rest, "GET", "/profile", map[string]string{"Authorization": f.idToken(t, f.good, nil)})},
		{"cognito access token with scope", send(f.rest, "GET", "/orders", map[string]string{"Authorization": f.idToken(t, f.good, map[string]any{"token_use": "access", "aud": nil, "client_id": "client1", "scope": "orders/read"})})},
		{"jwt with scope", send(f.http, "GET", "/items", map[string]string{"Authorization": "Bearer " + f.accessToken(t, f.good, nil)})},
		{"jwt without scope on an open route", send(f.http, "GET", "/me", map[string]string{"Authorization": f.accessToken(t, f.good, map[string]any{"scope": nil})})},
		{"iam", serveReq(f.rest, signed("GET", "/iam", testKeyID, testSecret, now))},
		{"iam within the skew", serveReq(f.rest, signed("GET", "/iam/x/y", testKeyID, testSecret, now.Add(-4*time.Minute)))},
		{"walled from a good IP", func() *httptest.ResponseRecorder {
			r := httptest.NewRequest("GET", "/", nil)
			r.RemoteAddr = "198.51.100.7:4711"
			r.Header.Set(HeaderSourceVpce, "vpce-0good")
			return serveReq(f.walled, r)
		}()},
	}
	for _, tc := range cases {
		if tc.w.Code != 200 || tc.w.Body.String() != "ok" {
			t.Errorf("%s: %d %s", tc.name, tc.w.Code, tc.w.Body)
		}
	}
	if n := f.backend.calls.Load(); n != int64(len(cases)) {
		t.Errorf("integration called %d times, want %d", n, len(cases))
	}
}
