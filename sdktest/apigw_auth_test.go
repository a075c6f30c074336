package sdktest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

// authCloud is a cloud with helpers to create functions and call stages.
type authCloud struct {
	t     *testing.T
	cloud *minicloud.Cloud
	clk   *clock.Manual
}

func newAuthCloud(t *testing.T) *authCloud {
	cloud, clk := minicloud.NewTest(t)
	return &authCloud{t: t, cloud: cloud, clk: clk}
}

func (a *authCloud) function(name string, handler any) *lambda.Function {
	a.t.Helper()
	if _, err := a.cloud.Lambda.CreateFunction(context.Background(), &lambda.CreateFunctionInput{FunctionName: name, Handler: lambda.Handler(handler)}); err != nil {
		a.t.Fatal(err)
	}
	return a.cloud.Lambda.Function(name)
}

func (a *authCloud) get(srv *httptest.Server, path string, hdr map[string]string) (int, string) {
	a.t.Helper()
	req, _ := http.NewRequest("GET", srv.URL+path, nil)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	res, err := srv.Client().Do(req)
	if err != nil {
		a.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// keysOf is the set of a JSON object's keys.
func keysOf(t *testing.T, raw []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func allowPolicy(principal, effect, resource string, ctx map[string]any) events.APIGatewayCustomAuthorizerResponse {
	return events.APIGatewayCustomAuthorizerResponse{
		PrincipalID: principal,
		PolicyDocument: events.APIGatewayCustomAuthorizerPolicy{
			Version:   "2012-10-17",
			Statement: []events.IAMPolicyStatement{{Action: []string{"execute-api:Invoke"}, Effect: effect, Resource: []string{resource}}},
		},
		Context: ctx,
	}
}

// A TOKEN authorizer written for aws-lambda-go gets exactly
// events.APIGatewayCustomAuthorizerRequest, its response is obeyed, and
// its context reaches a REST proxy function.
func TestAPIGateway_TokenAuthorizerIsAwsLambdaGos(t *testing.T) {
	a := newAuthCloud(t)
	var raw []byte
	authFn := a.function("token-authorizer", func(ctx context.Context, payload json.RawMessage) (events.APIGatewayCustomAuthorizerResponse, error) {
		raw = append([]byte(nil), payload...)
		var ev events.APIGatewayCustomAuthorizerRequest
		d := json.NewDecoder(bytes.NewReader(payload))
		d.DisallowUnknownFields()
		if err := d.Decode(&ev); err != nil {
			return events.APIGatewayCustomAuthorizerResponse{}, err
		}
		switch ev.AuthorizationToken {
		case "Bearer good":
			return allowPolicy("user-7", "Allow", ev.MethodArn, map[string]any{"tier": "gold", "quota": 10, "admin": false}), nil
		case "Bearer bad":
			return allowPolicy("user-7", "Deny", ev.MethodArn, nil), nil
		}
		return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
	})
	got := make(chan events.APIGatewayProxyRequest, 1)
	backend := a.function("backend", func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		got <- ev
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "hello " + ev.RequestContext.Authorizer["principalId"].(string)}, nil
	})
	api, _ := a.cloud.APIs.CreateAPI(apigw.APIConfig{Name: "token", Kind: apigw.REST})
	id, err := api.CreateAuthorizer(apigw.Authorizer{Name: "tok", Type: apigw.AuthorizerToken, Function: authFn, ResultTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /pets/{id}", apigw.Route{Integration: apigw.LambdaProxy{Function: backend}, AuthorizationType: apigw.AuthCustom, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("prod")
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)

	if code, body := a.get(srv, "/pets/3", map[string]string{"Authorization": "Bearer good"}); code != 200 || body != "hello user-7" {
		t.Fatalf("allowed: %d %s", code, body)
	}
	var ev events.APIGatewayCustomAuthorizerRequest
	_ = json.Unmarshal(raw, &ev)
	want := events.APIGatewayCustomAuthorizerRequest{Type: "TOKEN", AuthorizationToken: "Bearer good",
		MethodArn: "arn:aws:execute-api:us-east-1:123456789012:" + api.ID() + "/prod/GET/pets/3"}
	if ev != want {
		t.Errorf("event %+v, want %+v", ev, want)
	}
	pev := <-got
	for k, want := range map[string]any{"principalId": "user-7", "tier": "gold", "quota": "10", "admin": "false"} {
		if pev.RequestContext.Authorizer[k] != want {
			t.Errorf("requestContext.authorizer[%s] = %#v, want %#v", k, pev.RequestContext.Authorizer[k], want)
		}
	}
	if code, body := a.get(srv, "/pets/3", map[string]string{"Authorization": "Bearer bad"}); code != 403 || body != `{"Message":"User is not authorized to access this resource with an explicit deny"}` {
		t.Errorf("denied: %d %s", code, body)
	}
	if code, body := a.get(srv, "/pets/3", map[string]string{"Authorization": "Bearer who"}); code != 401 || body != `{"message": "Unauthorized"}` {
		t.Errorf("Unauthorized error: %d %s", code, body)
	}
}

// A REST REQUEST authorizer's event is events.APIGatewayCustomAuthorizerRequestTypeRequest.
func TestAPIGateway_RequestAuthorizerIsAwsLambdaGos(t *testing.T) {
	a := newAuthCloud(t)
	var raw []byte
	authFn := a.function("request-authorizer", func(ctx context.Context, payload json.RawMessage) (events.APIGatewayCustomAuthorizerResponse, error) {
		raw = append([]byte(nil), payload...)
		var ev events.APIGatewayCustomAuthorizerRequestTypeRequest
		if err := json.Unmarshal(payload, &ev); err != nil {
			return events.APIGatewayCustomAuthorizerResponse{}, err
		}
		if ev.Headers["X-Tenant"] != "acme" || ev.QueryStringParameters["key"] != "k1" {
			return events.APIGatewayCustomAuthorizerResponse{}, errors.New("Unauthorized")
		}
		return allowPolicy("acme", "Allow", ev.MethodArn, nil), nil
	})
	api, _ := a.cloud.APIs.CreateAPI(apigw.APIConfig{Name: "req", Kind: apigw.REST})
	id, err := api.CreateAuthorizer(apigw.Authorizer{Name: "req", Type: apigw.AuthorizerRequest, Function: authFn,
		IdentitySource: "method.request.header.X-Tenant,method.request.querystring.key"})
	if err != nil {
		t.Fatal(err)
	}
	_ = api.Route("GET /orders/{id}", apigw.Route{Integration: apigw.Mock{Body: "order"}, AuthorizationType: apigw.AuthCustom, AuthorizerID: id})
	dep, _ := api.CreateDeployment("")
	st, _ := api.CreateStage(apigw.StageConfig{Name: "live", DeploymentID: dep.ID, Variables: map[string]string{"v": "1"}})
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)
	if code, body := a.get(srv, "/orders/9?key=k1&key=k1", map[string]string{"X-Tenant": "acme"}); code != 200 || body != "order" {
		t.Fatalf("%d %s", code, body)
	}
	wantKeys := []string{"headers", "httpMethod", "methodArn", "multiValueHeaders", "multiValueQueryStringParameters", "path",
		"pathParameters", "queryStringParameters", "requestContext", "resource", "stageVariables", "type"}
	if diff := slices.Compare(keysOf(t, raw), wantKeys); diff != 0 {
		t.Errorf("event keys %v, want %v", keysOf(t, raw), wantKeys)
	}
	var ev events.APIGatewayCustomAuthorizerRequestTypeRequest
	if err := json.Unmarshal(raw, &ev); err != nil {
		t.Fatal(err)
	}
	checks := map[string][2]any{
		"Type":            {ev.Type, "REQUEST"},
		"MethodArn":       {ev.MethodArn, "arn:aws:execute-api:us-east-1:123456789012:" + api.ID() + "/live/GET/orders/9"},
		"Resource":        {ev.Resource, "/orders/{id}"},
		"Path":            {ev.Path, "/orders/9"},
		"HTTPMethod":      {ev.HTTPMethod, "GET"},
		"MultiQuery":      {strings.Join(ev.MultiValueQueryStringParameters["key"], ","), "k1,k1"},
		"PathParameters":  {ev.PathParameters["id"], "9"},
		"StageVariables":  {ev.StageVariables["v"], "1"},
		"RC.Stage":        {ev.RequestContext.Stage, "live"},
		"RC.ResourcePath": {ev.RequestContext.ResourcePath, "/orders/{id}"},
		"RC.HTTPMethod":   {ev.RequestContext.HTTPMethod, "GET"},
		"RC.APIID":        {ev.RequestContext.APIID, api.ID()},
		"RC.AccountID":    {ev.RequestContext.AccountID, "123456789012"},
		"RC.Path":         {ev.RequestContext.Path, "/live/orders/9"},
		"RC.SourceIP":     {ev.RequestContext.Identity.SourceIP, "127.0.0.1"},
		"RC.RequestID":    {ev.RequestContext.RequestID != "", true},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("%s = %#v, want %#v", name, c[0], c[1])
		}
	}
	if code, _ := a.get(srv, "/orders/9?key=k1", nil); code != 401 {
		t.Errorf("missing identity source: %d", code)
	}
}

// HTTP API Lambda authorizers: payload 2.0 with simple responses
// (events.APIGatewayV2CustomAuthorizerV2Request), and 1.0 with an IAM
// policy (events.APIGatewayV2CustomAuthorizerV1Request); the context
// reaches a 2.0 proxy function.
func TestAPIGateway_HTTPAuthorizersAreAwsLambdaGos(t *testing.T) {
	a := newAuthCloud(t)
	var v2 events.APIGatewayV2CustomAuthorizerV2Request
	simple := a.function("simple", func(ctx context.Context, ev events.APIGatewayV2CustomAuthorizerV2Request) (events.APIGatewayV2CustomAuthorizerSimpleResponse, error) {
		v2 = ev
		return events.APIGatewayV2CustomAuthorizerSimpleResponse{IsAuthorized: ev.Headers["authorization"] == "open sesame", Context: map[string]any{"user": "ali"}}, nil
	})
	var v1 events.APIGatewayV2CustomAuthorizerV1Request
	policy := a.function("policy", func(ctx context.Context, ev events.APIGatewayV2CustomAuthorizerV1Request) (events.APIGatewayCustomAuthorizerResponse, error) {
		v1 = ev
		return allowPolicy("p", "Allow", ev.MethodArn, map[string]any{"via": "v1"}), nil
	})
	got := make(chan events.APIGatewayV2HTTPRequest, 1)
	backend := a.function("backend", func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		got <- ev
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "ok"}, nil
	})
	api, _ := a.cloud.APIs.CreateAPI(apigw.APIConfig{Name: "http", Kind: apigw.HTTP})
	simpleID, err := api.CreateAuthorizer(apigw.Authorizer{Name: "simple", Type: apigw.AuthorizerRequest, Function: simple,
		IdentitySource: "$request.header.Authorization", EnableSimpleResponses: true})
	if err != nil {
		t.Fatal(err)
	}
	policyID, err := api.CreateAuthorizer(apigw.Authorizer{Name: "policy", Type: apigw.AuthorizerRequest, Function: policy,
		IdentitySource: "$request.querystring.token", AuthorizerPayloadFormatVersion: "1.0"})
	if err != nil {
		t.Fatal(err)
	}
	_ = api.Route("GET /a/{x}", apigw.Route{Integration: apigw.LambdaProxy{Function: backend}, AuthorizationType: apigw.AuthCustom, AuthorizerID: simpleID})
	_ = api.Route("GET /b", apigw.Route{Integration: apigw.LambdaProxy{Function: backend}, AuthorizationType: apigw.AuthCustom, AuthorizerID: policyID})
	st, _ := api.Deploy("$default")
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)

	if code, body := a.get(srv, "/a/1?q=2", map[string]string{"Authorization": "open sesame", "Cookie": "c=1"}); code != 200 {
		t.Fatalf("simple: %d %s", code, body)
	}
	checks := map[string][2]any{
		"Version":        {v2.Version, "2.0"},
		"Type":           {v2.Type, "REQUEST"},
		"RouteArn":       {v2.RouteArn, "arn:aws:execute-api:us-east-1:123456789012:" + api.ID() + "/$default/GET/a/1"},
		"IdentitySource": {strings.Join(v2.IdentitySource, "|"), "open sesame"},
		"RouteKey":       {v2.RouteKey, "GET /a/{x}"},
		"RawPath":        {v2.RawPath, "/a/1"},
		"RawQueryString": {v2.RawQueryString, "q=2"},
		"Cookies":        {strings.Join(v2.Cookies, ";"), "c=1"},
		"Query":          {v2.QueryStringParameters["q"], "2"},
		"PathParameters": {v2.PathParameters["x"], "1"},
		"RC.HTTP.Method": {v2.RequestContext.HTTP.Method, "GET"},
		"RC.RouteKey":    {v2.RequestContext.RouteKey, "GET /a/{x}"},
		"RC.Stage":       {v2.RequestContext.Stage, "$default"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("2.0 %s = %#v, want %#v", name, c[0], c[1])
		}
	}
	if ev := <-got; ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.Lambda["user"] != "ali" {
		t.Errorf("proxy authorizer %+v", ev.RequestContext.Authorizer)
	}
	if code, body := a.get(srv, "/a/1", map[string]string{"Authorization": "wrong"}); code != 403 || body != `{"message":"Forbidden"}` {
		t.Errorf("simple deny: %d %s", code, body)
	}

	if code, body := a.get(srv, "/b?token=t1", nil); code != 200 {
		t.Fatalf("policy: %d %s", code, body)
	}
	checks = map[string][2]any{
		"Version":            {v1.Version, "1.0"},
		"Type":               {v1.Type, "REQUEST"},
		"MethodArn":          {v1.MethodArn, "arn:aws:execute-api:us-east-1:123456789012:" + api.ID() + "/$default/GET/b"},
		"IdentitySource":     {v1.IdentitySource, "t1"},
		"AuthorizationToken": {v1.AuthorizationToken, "t1"},
		"Resource":           {v1.Resource, "/b"},
		"Path":               {v1.Path, "/b"},
		"HTTPMethod":         {v1.HTTPMethod, "GET"},
		"Query":              {v1.QueryStringParameters["token"], "t1"},
		"RC.Stage":           {v1.RequestContext.Stage, "$default"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("1.0 %s = %#v, want %#v", name, c[0], c[1])
		}
	}
	if ev := <-got; ev.RequestContext.Authorizer == nil || ev.RequestContext.Authorizer.Lambda["via"] != "v1" || ev.RequestContext.Authorizer.Lambda["principalId"] != "p" {
		t.Errorf("proxy authorizer %+v", ev.RequestContext.Authorizer)
	}
}

// A JWT authorizer's claims and scopes reach the function as
// events.APIGatewayV2HTTPRequestContextAuthorizerJWTDescription.
func TestAPIGateway_JWTClaimsAreAwsLambdaGos(t *testing.T) {
	a := newAuthCloud(t)
	idp, err := apigw.NewTestSigningKey("k")
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan events.APIGatewayV2HTTPRequest, 1)
	backend := a.function("backend", func(ctx context.Context, ev events.APIGatewayV2HTTPRequest) (events.APIGatewayV2HTTPResponse, error) {
		got <- ev
		return events.APIGatewayV2HTTPResponse{StatusCode: 200, Body: "ok"}, nil
	})
	api, _ := a.cloud.APIs.CreateAPI(apigw.APIConfig{Name: "jwt", Kind: apigw.HTTP})
	id, err := api.CreateAuthorizer(apigw.Authorizer{Name: "jwt", Type: apigw.AuthorizerJWT, Issuer: "https://idp.example", Audience: []string{"app"}, JWKS: apigw.JWKS(idp)})
	if err != nil {
		t.Fatal(err)
	}
	_ = api.Route("GET /me", apigw.Route{Integration: apigw.LambdaProxy{Function: backend}, AuthorizationType: apigw.AuthJWT, AuthorizerID: id, AuthorizationScopes: []string{"me"}})
	st, _ := api.Deploy("$default")
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)
	tok, _ := idp.Sign(map[string]any{"iss": "https://idp.example", "aud": "app", "sub": "s-1", "scope": "me other", "exp": a.clk.Now().Add(time.Hour).Unix()})
	if code, body := a.get(srv, "/me", map[string]string{"Authorization": "Bearer " + tok}); code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	ev := <-got
	jwt := ev.RequestContext.Authorizer.JWT
	if jwt == nil || jwt.Claims["sub"] != "s-1" || jwt.Claims["iss"] != "https://idp.example" || strings.Join(jwt.Scopes, " ") != "me other" {
		t.Errorf("jwt %+v", jwt)
	}
}

// aws-sdk-go-v2's own SigV4 signer signs a request that an AWS_IAM route
// accepts, and the caller shows in events.APIGatewayRequestIdentity.
func TestAPIGateway_IAMRouteAcceptsTheSDKSigner(t *testing.T) {
	a := newAuthCloud(t)
	if err := a.cloud.APIs.AddCredentials("AKIDSDKTEST000001", apigw.Credential{SecretAccessKey: "sdk-secret", UserARN: "arn:aws:iam::123456789012:user/sdk"}); err != nil {
		t.Fatal(err)
	}
	got := make(chan events.APIGatewayProxyRequest, 1)
	backend := a.function("backend", func(ctx context.Context, ev events.APIGatewayProxyRequest) (events.APIGatewayProxyResponse, error) {
		got <- ev
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "signed"}, nil
	})
	api, _ := a.cloud.APIs.CreateAPI(apigw.APIConfig{Name: "iam", Kind: apigw.REST})
	_ = api.Route("POST /jobs", apigw.Route{Integration: apigw.LambdaProxy{Function: backend}, AuthorizationType: apigw.AuthIAM})
	st, _ := api.Deploy("prod")
	srv := httptest.NewServer(st)
	t.Cleanup(srv.Close)

	sign := func(secret string, at time.Time) *http.Request {
		body := []byte(`{"job":1}`)
		req, _ := http.NewRequest("POST", srv.URL+"/jobs?x=1", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		sum := sha256.Sum256(body)
		creds := aws.Credentials{AccessKeyID: "AKIDSDKTEST000001", SecretAccessKey: secret}
		if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", at); err != nil {
			t.Fatal(err)
		}
		return req
	}
	do := func(req *http.Request) (int, string, string) {
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header.Get("X-Amzn-ErrorType")
	}
	if code, body, _ := do(sign("sdk-secret", a.clk.Now())); code != 200 || body != "signed" {
		t.Fatalf("%d %s", code, body)
	}
	id := (<-got).RequestContext.Identity
	if id.AccessKey != "AKIDSDKTEST000001" || id.UserArn != "arn:aws:iam::123456789012:user/sdk" || id.AccountID != "123456789012" {
		t.Errorf("identity %+v", id)
	}
	if code, body, typ := do(sign("wrong", a.clk.Now())); code != 403 || typ != "InvalidSignatureException" || !strings.Contains(body, "does not match") {
		t.Errorf("wrong secret: %d %s %s", code, typ, body)
	}
	if code, body, typ := do(sign("sdk-secret", a.clk.Now().Add(-time.Hour))); code != 403 || typ != "InvalidSignatureException" || !strings.Contains(body, "Signature expired") {
		t.Errorf("expired: %d %s %s", code, typ, body)
	}
}
