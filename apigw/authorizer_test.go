package apigw

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestCreateAuthorizer_RejectsBadConfigurations(t *testing.T) {
	s, _ := newTestService(t)
	rest := mustAPI(t, s, REST, nil)
	httpAPI := mustAPI(t, s, HTTP, nil)
	fn := tokenAuthorizer()
	good, _ := signingKeys(t)
	pool := []string{"arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_P"}
	cases := []struct {
		name string
		api  *API
		cfg  Authorizer
		want string
	}{
		{"no name", rest, Authorizer{Type: AuthorizerToken, Function: fn}, "name"},
		{"unknown type", rest, Authorizer{Name: "a", Type: "OAUTH", Function: fn}, "Invalid authorizer type"},
		{"TOKEN on HTTP", httpAPI, Authorizer{Name: "a", Type: AuthorizerToken, Function: fn}, "only supported for REST"},
		{"JWT on REST", rest, Authorizer{Name: "a", Type: AuthorizerJWT, Issuer: "i", Audience: []string{"a"}, JWKS: JWKS(good)}, "only supported for HTTP"},
		{"Cognito on HTTP", httpAPI, Authorizer{Name: "a", Type: AuthorizerCognito, ProviderARNs: pool, JWKS: JWKS(good)}, "only supported for REST"},
		{"no function", rest, Authorizer{Name: "a", Type: AuthorizerToken}, "needs a Function"},
		{"TOKEN from a query string", rest, Authorizer{Name: "a", Type: AuthorizerToken, Function: fn, IdentitySource: "method.request.querystring.t"}, "method.request.header"},
		{"HTTP syntax on REST", rest, Authorizer{Name: "a", Type: AuthorizerRequest, Function: fn, IdentitySource: "$request.header.Authorization"}, "Invalid identity source"},
		{"REST syntax on HTTP", httpAPI, Authorizer{Name: "a", Type: AuthorizerRequest, Function: fn, IdentitySource: "method.request.header.Authorization"}, "Invalid identity source"},
		{"bad regexp", rest, Authorizer{Name: "a", Type: AuthorizerToken, Function: fn, IdentityValidationExpression: "([a-z"}, "validation expression"},
		{"regexp on REQUEST", rest, Authorizer{Name: "a", Type: AuthorizerRequest, Function: fn, IdentitySource: "method.request.header.A", IdentityValidationExpression: ".*"}, "only supported for TOKEN"},
		{"TTL too long", rest, Authorizer{Name: "a", Type: AuthorizerToken, Function: fn, ResultTTL: 3601 * time.Second}, "between 0 and 3600"},
		{"TTL not whole seconds", rest, Authorizer{Name: "a", Type: AuthorizerToken, Function: fn, ResultTTL: 1500 * time.Millisecond}, "whole number"},
		{"caching without sources", rest, Authorizer{Name: "a", Type: AuthorizerRequest, Function: fn, ResultTTL: time.Minute}, "Identity source is required"},
		{"format 3.0", httpAPI, Authorizer{Name: "a", Type: AuthorizerRequest, Function: fn, AuthorizerPayloadFormatVersion: "3.0"}, "payload format"},
		{"simple responses with 1.0", httpAPI, Authorizer{Name: "a", Type: AuthorizerRequest, Function: fn, AuthorizerPayloadFormatVersion: "1.0", EnableSimpleResponses: true}, "Simple responses"},
		{"simple responses on REST", rest, Authorizer{Name: "a", Type: AuthorizerRequest, Function: fn, EnableSimpleResponses: true}, "only supported for HTTP"},
		{"JWT without issuer", httpAPI, Authorizer{Name: "a", Type: AuthorizerJWT, Audience: []string{"a"}, JWKS: JWKS(good)}, "Issuer"},
		{"JWT without audience", httpAPI, Authorizer{Name: "a", Type: AuthorizerJWT, Issuer: "i", JWKS: JWKS(good)}, "Audience"},
		{"JWT without keys", httpAPI, Authorizer{Name: "a", Type: AuthorizerJWT, Issuer: "i", Audience: []string{"a"}}, "JWKS"},
		{"JWT with a bad JWKS", httpAPI, Authorizer{Name: "a", Type: AuthorizerJWT, Issuer: "i", Audience: []string{"a"}, JWKS: []byte(`{"kees":[]}`)}, "Invalid JWKS"},
		{"JWT with a TTL", httpAPI, Authorizer{Name: "a", Type: AuthorizerJWT, Issuer: "i", Audience: []string{"a"}, JWKS: JWKS(good), ResultTTL: time.Second}, "does not cache"},
		{"JWT with a function", httpAPI, Authorizer{Name: "a", Type: AuthorizerJWT, Issuer: "i", Audience: []string{"a"}, JWKS: JWKS(good), Function: fn}, "for Lambda authorizers"},
		{"Cognito without pool", rest, Authorizer{Name: "a", Type: AuthorizerCognito, JWKS: JWKS(good)}, "ProviderARNs"},
		{"Cognito with a bad pool ARN", rest, Authorizer{Name: "a", Type: AuthorizerCognito, ProviderARNs: []string{"arn:aws:iam::1:role/x"}, JWKS: JWKS(good)}, "Invalid provider ARN"},
		{"two identity sources for Cognito", rest, Authorizer{Name: "a", Type: AuthorizerCognito, ProviderARNs: pool, JWKS: JWKS(good), IdentitySource: "method.request.header.A,method.request.header.B"}, "exactly one"},
		{"Lambda with a JWKS", rest, Authorizer{Name: "a", Type: AuthorizerToken, Function: fn, JWKS: JWKS(good)}, "for Cognito and JWT"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.api.CreateAuthorizer(tc.cfg)
			if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err %v, want BadRequestException mentioning %q", err, tc.want)
			}
		})
	}
	if n := len(rest.Authorizers()) + len(httpAPI.Authorizers()); n != 0 {
		t.Errorf("%d authorizers kept after refusals", n)
	}
}

func TestCreateAuthorizer_DefaultsLimitsAndDelete(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, nil)
	id, err := api.CreateAuthorizer(Authorizer{Name: "tok", Type: AuthorizerToken, Function: tokenAuthorizer()})
	if err != nil {
		t.Fatal(err)
	}
	got := api.Authorizers()[id]
	if got.IdentitySource != "method.request.header.Authorization" || got.ResultTTL != 300*time.Second {
		t.Errorf("defaults: source %q, TTL %v", got.IdentitySource, got.ResultTTL)
	}
	req, _ := api.CreateAuthorizer(Authorizer{Name: "req", Type: AuthorizerRequest, Function: tokenAuthorizer()})
	if ttl := api.Authorizers()[req].ResultTTL; ttl != 0 {
		t.Errorf("a REQUEST authorizer without sources caches for %v", ttl)
	}
	if _, err := api.CreateAuthorizer(Authorizer{Name: "tok", Type: AuthorizerToken, Function: tokenAuthorizer()}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate name: %v", err)
	}
	for i := len(api.Authorizers()); i < MaxAuthorizers; i++ {
		if _, err := api.CreateAuthorizer(Authorizer{Name: "n" + string(rune('a'+i)), Type: AuthorizerToken, Function: tokenAuthorizer()}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := api.CreateAuthorizer(Authorizer{Name: "one-more", Type: AuthorizerToken, Function: tokenAuthorizer()}); !errors.Is(err, ErrLimitExceeded) {
		t.Errorf("past the limit: %v", err)
	}
	if err := api.Route("GET /x", Route{Integration: named("x"), AuthorizationType: AuthCustom, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	if err := api.DeleteAuthorizer(id); !errors.Is(err, ErrConflict) {
		t.Errorf("deleting a used authorizer: %v", err)
	}
	if err := api.DeleteAuthorizer("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting an unknown authorizer: %v", err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	if err := api.RemoveRoute("GET /x"); err != nil {
		t.Fatal(err)
	}
	if err := api.DeleteAuthorizer(id); err != nil {
		t.Fatal(err)
	}
	// The deployment keeps the authorizer it was made with.
	if w := send(st, "GET", "/x", map[string]string{"Authorization": "allow"}); w.Code != 200 {
		t.Errorf("old deployment after delete: %d %s", w.Code, w.Body)
	}
}

// restLambdaStage is a REST stage whose GET /items/{id} is guarded by the
// authorizer and answered by a Lambda proxy echoing its event.
func restLambdaStage(t *testing.T, cfg Authorizer) (*Stage, *fakeFn) {
	t.Helper()
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "a", Kind: REST})
	if err != nil {
		t.Fatal(err)
	}
	id, err := api.CreateAuthorizer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fn := echoFn()
	if err := api.Route("GET /items/{id}", Route{Integration: LambdaProxy{Function: fn}, AuthorizationType: AuthCustom, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	dep, err := api.CreateDeployment("")
	if err != nil {
		t.Fatal(err)
	}
	st, err := api.CreateStage(StageConfig{Name: "prod", DeploymentID: dep.ID, Variables: map[string]string{"env": "prod"}})
	if err != nil {
		t.Fatal(err)
	}
	return st, fn
}

func TestLambdaAuthorizer_TokenEventAndContextReachTheIntegration(t *testing.T) {
	az := tokenAuthorizer()
	st, fn := restLambdaStage(t, Authorizer{Name: "tok", Type: AuthorizerToken, Function: az})
	w := send(st, "GET", "/items/42", map[string]string{"Authorization": "allow"})
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	arn := "arn:aws:execute-api:us-east-1:123456789012:" + st.api.ID() + "/prod/GET/items/42"
	if diff := cmp.Diff(map[string]any{"type": "TOKEN", "authorizationToken": "allow", "methodArn": arn}, az.lastEvent(t)); diff != "" {
		t.Errorf("TOKEN event (-want +got):\n%s", diff)
	}
	var ev struct {
		RequestContext struct {
			Authorizer map[string]any `json:"authorizer"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"principalId": "user-1", "tier": "gold", "n": "7", "ok": "true", "integrationLatency": float64(0)}
	if diff := cmp.Diff(want, ev.RequestContext.Authorizer); diff != "" {
		t.Errorf("requestContext.authorizer (-want +got):\n%s", diff)
	}
}

func TestLambdaAuthorizer_ValidationExpressionRefusesWithoutInvoking(t *testing.T) {
	az := tokenAuthorizer()
	st, _ := restLambdaStage(t, Authorizer{Name: "tok", Type: AuthorizerToken, Function: az, IdentityValidationExpression: "allow|deny"})
	if w := send(st, "GET", "/items/1", map[string]string{"Authorization": "allowed"}); w.Code != 401 {
		t.Errorf("a token matching only in part: %d", w.Code)
	}
	if az.calls.Load() != 0 {
		t.Errorf("authorizer invoked %d times", az.calls.Load())
	}
	if w := send(st, "GET", "/items/1", map[string]string{"Authorization": "allow"}); w.Code != 200 {
		t.Errorf("a matching token: %d", w.Code)
	}
}

func TestLambdaAuthorizer_RequestEventCarriesTheRequest(t *testing.T) {
	az := &authFn{answer: func(ev map[string]any) ([]byte, error) {
		return policyAnswer("p", "Allow", ev["methodArn"].(string), nil), nil
	}}
	st, _ := restLambdaStage(t, Authorizer{Name: "req", Type: AuthorizerRequest, Function: az,
		IdentitySource: "method.request.header.X-User, method.request.querystring.tenant, stageVariables.env"})
	if w := send(st, "GET", "/items/7?tenant=t1", nil); w.Code != 401 {
		t.Errorf("missing header: %d", w.Code)
	}
	if w := send(st, "GET", "/items/7", map[string]string{"X-User": "bob"}); w.Code != 401 {
		t.Errorf("missing query string: %d", w.Code)
	}
	if az.calls.Load() != 0 {
		t.Fatalf("authorizer invoked %d times for incomplete identities", az.calls.Load())
	}
	if w := send(st, "GET", "/items/7?tenant=t1&tenant=t2", map[string]string{"X-User": "bob"}); w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	ev := az.lastEvent(t)
	for k, want := range map[string]any{
		"type":                            "REQUEST",
		"methodArn":                       "arn:aws:execute-api:us-east-1:123456789012:" + st.api.ID() + "/prod/GET/items/7",
		"resource":                        "/items/{id}",
		"path":                            "/items/7",
		"httpMethod":                      "GET",
		"pathParameters":                  map[string]any{"id": "7"},
		"stageVariables":                  map[string]any{"env": "prod"},
		"queryStringParameters":           map[string]any{"tenant": "t2"},
		"multiValueQueryStringParameters": map[string]any{"tenant": []any{"t1", "t2"}},
	} {
		if diff := cmp.Diff(want, ev[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if h, _ := ev["headers"].(map[string]any); h["X-User"] != "bob" {
		t.Errorf("headers %v", ev["headers"])
	}
	rc, _ := ev["requestContext"].(map[string]any)
	if rc["resourcePath"] != "/items/{id}" || rc["stage"] != "prod" || rc["httpMethod"] != "GET" || rc["apiId"] != st.api.ID() {
		t.Errorf("requestContext %v", rc)
	}
	if _, ok := ev["body"]; ok {
		t.Error("the REQUEST event carries a body")
	}
}

// TestLambdaAuthorizer_CacheServesDenyUntilTTLThenReinvokes steps the
// manual clock across the TTL: a cached Deny keeps refusing without
// invoking, then the authorizer is asked again and its new answer holds.
func TestLambdaAuthorizer_CacheServesDenyUntilTTLThenReinvokes(t *testing.T) {
	f := newAuthFixture(t)
	verdict := "Deny"
	f.lambda.answer = func(ev map[string]any) ([]byte, error) {
		arn := ev["methodArn"].(string)
		return policyAnswer("u", verdict, arn[:strings.Index(arn, "/")]+"/*", nil), nil
	}
	hdr := map[string]string{"Authorization": "token-a"}
	before := len(*f.lines)
	for i := range 3 {
		if w := send(f.rest, "GET", "/admin/1", hdr); w.Code != 403 {
			t.Fatalf("request %d: %d", i, w.Code)
		}
	}
	verdict = "Allow"
	f.clk.Advance(299 * time.Second)
	if w := send(f.rest, "GET", "/admin/2", hdr); w.Code != 403 {
		t.Fatalf("at 299 s the cached deny must still hold: %d", w.Code)
	}
	if n := f.lambda.calls.Load(); n != 1 {
		t.Fatalf("authorizer invoked %d times within the TTL, want 1", n)
	}
	denials := 0
	for _, l := range (*f.lines)[before:] {
		if strings.HasPrefix(l, "apigw: request denied") && strings.Contains(l, "(cached)") {
			denials++
		}
	}
	if denials != 3 {
		t.Errorf("%d cached denials logged, want 3", denials)
	}
	f.clk.Advance(time.Second)
	if w := send(f.rest, "GET", "/admin/2", hdr); w.Code != 200 {
		t.Fatalf("after the TTL: %d %s", w.Code, w.Body)
	}
	if n := f.lambda.calls.Load(); n != 2 {
		t.Errorf("authorizer invoked %d times, want 2", n)
	}
	// Another token is another cache entry.
	send(f.rest, "GET", "/admin/2", map[string]string{"Authorization": "token-b"})
	if n := f.lambda.calls.Load(); n != 3 {
		t.Errorf("authorizer invoked %d times, want 3", n)
	}
}

// TestLambdaAuthorizer_CachedPolicyIsEvaluatedPerMethodARN checks AWS's
// caching pitfall: a policy naming one method ARN, cached, refuses the
// next request for another path with the same token.
func TestLambdaAuthorizer_CachedPolicyIsEvaluatedPerMethodARN(t *testing.T) {
	az := &authFn{answer: func(ev map[string]any) ([]byte, error) {
		return policyAnswer("u", "Allow", ev["methodArn"].(string), nil), nil
	}}
	st, _ := restLambdaStage(t, Authorizer{Name: "tok", Type: AuthorizerToken, Function: az})
	hdr := map[string]string{"Authorization": "t"}
	if w := send(st, "GET", "/items/1", hdr); w.Code != 200 {
		t.Fatalf("%d", w.Code)
	}
	w := send(st, "GET", "/items/2", hdr)
	if w.Code != 403 || w.Body.String() != `{"Message":"User is not authorized to access this resource"}` {
		t.Errorf("cached policy for another ARN: %d %s", w.Code, w.Body)
	}
	if az.calls.Load() != 1 {
		t.Errorf("authorizer invoked %d times", az.calls.Load())
	}
}

func TestLambdaAuthorizer_NegativeTTLInvokesEveryTime(t *testing.T) {
	az := tokenAuthorizer()
	st, _ := restLambdaStage(t, Authorizer{Name: "tok", Type: AuthorizerToken, Function: az, ResultTTL: -1})
	for range 3 {
		send(st, "GET", "/items/1", map[string]string{"Authorization": "allow"})
	}
	if n := az.calls.Load(); n != 3 {
		t.Errorf("invoked %d times, want 3", n)
	}
}

// httpLambdaStage is an HTTP API stage with a Lambda authorizer on
// GET /items/{id}, answered by a Lambda proxy echoing its event.
func httpLambdaStage(t *testing.T, cfg Authorizer) (*Stage, *fakeFn) {
	t.Helper()
	s, _ := newTestService(t)
	api := mustAPI(t, s, HTTP, nil)
	id, err := api.CreateAuthorizer(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fn := echoFn()
	if err := api.Route("GET /items/{id}", Route{Integration: LambdaProxy{Function: fn}, AuthorizationType: AuthCustom, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("$default")
	if err != nil {
		t.Fatal(err)
	}
	return st, fn
}

func TestHTTPLambdaAuthorizer_SimpleResponses(t *testing.T) {
	az := &authFn{answer: func(ev map[string]any) ([]byte, error) {
		ids, _ := ev["identitySource"].([]any)
		ok := len(ids) == 1 && ids[0] == "letmein"
		return json.Marshal(map[string]any{"isAuthorized": ok, "context": map[string]any{"user": "u-9", "roles": []string{"a", "b"}}})
	}}
	st, fn := httpLambdaStage(t, Authorizer{Name: "simple", Type: AuthorizerRequest, Function: az,
		IdentitySource: "$request.header.Authorization", EnableSimpleResponses: true})
	if w := send(st, "GET", "/items/1", map[string]string{"Authorization": "nope"}); w.Code != 403 || w.Body.String() != `{"message":"Forbidden"}` {
		t.Errorf("isAuthorized false: %d %s", w.Code, w.Body)
	}
	if w := send(st, "GET", "/items/1", nil); w.Code != 401 || w.Body.String() != `{"message":"Unauthorized"}` {
		t.Errorf("no identity: %d %s", w.Code, w.Body)
	}
	w := send(st, "GET", "/items/1?q=1", map[string]string{"Authorization": "letmein"})
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	ev := az.lastEvent(t)
	for k, want := range map[string]any{
		"version": "2.0", "type": "REQUEST", "routeKey": "GET /items/{id}", "rawPath": "/items/1", "rawQueryString": "q=1",
		"routeArn":       "arn:aws:execute-api:us-east-1:123456789012:" + st.api.ID() + "/$default/GET/items/1",
		"identitySource": []any{"letmein"},
		"pathParameters": map[string]any{"id": "1"},
	} {
		if diff := cmp.Diff(want, ev[k]); diff != "" {
			t.Errorf("%s (-want +got):\n%s", k, diff)
		}
	}
	if _, ok := ev["body"]; ok {
		t.Error("the 2.0 authorizer event carries a body")
	}
	var proxy struct {
		RequestContext struct {
			Authorizer struct {
				Lambda map[string]any `json:"lambda"`
			} `json:"authorizer"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &proxy); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{"user": "u-9", "roles": []any{"a", "b"}}, proxy.RequestContext.Authorizer.Lambda); diff != "" {
		t.Errorf("requestContext.authorizer.lambda (-want +got):\n%s", diff)
	}
}

func TestHTTPLambdaAuthorizer_PolicyResponsesInBothFormats(t *testing.T) {
	for _, version := range []string{"1.0", "2.0"} {
		t.Run(version, func(t *testing.T) {
			az := &authFn{answer: func(ev map[string]any) ([]byte, error) {
				arn, _ := ev["methodArn"].(string)
				if version == "2.0" {
					arn, _ = ev["routeArn"].(string)
				}
				effect := "Allow"
				if strings.HasSuffix(arn, "/items/2") {
					effect = "Deny"
				}
				return policyAnswer("p-1", effect, arn, map[string]any{"k": "v"}), nil
			}}
			st, _ := httpLambdaStage(t, Authorizer{Name: "pol", Type: AuthorizerRequest, Function: az,
				IdentitySource: "$request.header.X-Token", AuthorizerPayloadFormatVersion: version, ResultTTL: -1})
			if w := send(st, "GET", "/items/1", map[string]string{"X-Token": "t"}); w.Code != 200 {
				t.Errorf("allowed: %d %s", w.Code, w.Body)
			}
			if w := send(st, "GET", "/items/2", map[string]string{"X-Token": "t"}); w.Code != 403 || w.Body.String() != `{"message":"Forbidden"}` {
				t.Errorf("denied: %d %s", w.Code, w.Body)
			}
			ev := az.lastEvent(t)
			if ev["version"] != version || ev["type"] != "REQUEST" {
				t.Errorf("event version %v type %v", ev["version"], ev["type"])
			}
			if version == "1.0" && (ev["identitySource"] != "t" || ev["authorizationToken"] != "t" || ev["resource"] != "/items/{id}") {
				t.Errorf("1.0 event: %v", ev)
			}
		})
	}
}

func TestHTTPLambdaAuthorizer_FailureIsInternalServerError(t *testing.T) {
	az := &authFn{answer: func(map[string]any) ([]byte, error) { return []byte(`{"isAuthorized":"yes"}`), nil }}
	st, _ := httpLambdaStage(t, Authorizer{Name: "bad", Type: AuthorizerRequest, Function: az, EnableSimpleResponses: true})
	w := send(st, "GET", "/items/1", nil)
	if w.Code != 500 || w.Body.String() != `{"message":"Internal Server Error"}` {
		t.Errorf("%d %s", w.Code, w.Body)
	}
}

func TestAuthorizers_ListsWorkingCopy(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, HTTP, nil)
	good, _ := signingKeys(t)
	a, _ := api.CreateAuthorizer(Authorizer{Name: "jwt", Type: AuthorizerJWT, Issuer: "https://i", Audience: []string{"x"}, JWKS: JWKS(good)})
	b, _ := api.CreateAuthorizer(Authorizer{Name: "fn", Type: AuthorizerRequest, Function: tokenAuthorizer(), IdentitySource: "$request.header.A"})
	got := api.Authorizers()
	if ids := slices.Sorted(maps.Keys(got)); !slices.Equal(ids, slices.Sorted(slices.Values([]string{a, b}))) {
		t.Fatalf("ids %v", ids)
	}
	if got[a].IdentitySource != "$request.header.Authorization" || got[b].AuthorizerPayloadFormatVersion != "2.0" || got[b].ResultTTL != 300*time.Second {
		t.Errorf("defaults: %+v %+v", got[a], got[b])
	}
}

// TestLambdaAuthorizer_UsageIdentifierKeyIsTheAPIKey checks an API whose
// APIKeySource is AUTHORIZER: the key a Lambda authorizer returns is the
// one usage plans count.
func TestLambdaAuthorizer_UsageIdentifierKeyIsTheAPIKey(t *testing.T) {
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "keys", Kind: REST, APIKeySource: "AUTHORIZER"})
	if err != nil {
		t.Fatal(err)
	}
	key, err := s.CreateAPIKey(APIKeyConfig{Name: "k", Enabled: true, Value: "abcdefghijklmnopqrst0123"})
	if err != nil {
		t.Fatal(err)
	}
	az := &authFn{answer: func(ev map[string]any) ([]byte, error) {
		var m map[string]any
		_ = json.Unmarshal(policyAnswer("p", "Allow", ev["methodArn"].(string), nil), &m)
		if ev["authorizationToken"] == "with-key" {
			m["usageIdentifierKey"] = key.Value
		}
		return json.Marshal(m)
	}}
	id, _ := api.CreateAuthorizer(Authorizer{Name: "tok", Type: AuthorizerToken, Function: az})
	if err := api.Route("GET /metered", Route{Integration: named("metered"), AuthorizationType: AuthCustom, AuthorizerID: id, APIKeyRequired: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	plan, err := s.CreateUsagePlan(UsagePlanConfig{Name: "p", APIStages: []APIStage{{APIID: api.ID(), Stage: "prod"}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateUsagePlanKey(plan.ID, key.ID); err != nil {
		t.Fatal(err)
	}
	st := api.Stage("prod")
	if w := send(st, "GET", "/metered", map[string]string{"Authorization": "with-key"}); w.Code != 200 {
		t.Errorf("with the authorizer's key: %d %s", w.Code, w.Body)
	}
	if w := send(st, "GET", "/metered", map[string]string{"Authorization": "without"}); w.Code != 403 {
		t.Errorf("without a key: %d %s", w.Code, w.Body)
	}
}

// TestAuthorizers_ConcurrentRequests runs every kind of authorization
// from several goroutines at once (for the race detector: the result
// cache, key sources and credentials are shared).
func TestAuthorizers_ConcurrentRequests(t *testing.T) {
	f := newAuthFixture(t)
	id := f.idToken(t, f.good, nil)
	access := f.accessToken(t, f.good, nil)
	var wg sync.WaitGroup
	errs := make(chan string, 64)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				var code int
				switch (g + i) % 4 {
				case 0:
					code = send(f.rest, "GET", "/admin/1", map[string]string{"Authorization": "allow"}).Code
				case 1:
					code = send(f.rest, "GET", "/profile", map[string]string{"Authorization": id}).Code
				case 2:
					code = send(f.http, "GET", "/items", map[string]string{"Authorization": "Bearer " + access}).Code
				case 3:
					code = serveReq(f.rest, signed("GET", "/iam", testKeyID, testSecret, t0)).Code
				}
				if code != 200 {
					errs <- fmt.Sprintf("request %d of goroutine %d: status %d", i, g, code)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	if n := f.lambda.calls.Load(); n != 1 {
		t.Logf("authorizer invoked %d times (concurrent first requests may each miss the cache)", n)
	}
}
