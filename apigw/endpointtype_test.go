package apigw

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
)

// vpcePolicy allows invocation only through VPC endpoint vpce-0a1b2c3d.
const vpcePolicy = `{"Version":"2012-10-17","Statement":[
  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"},
  {"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
   "Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-0a1b2c3d"}}}]}`

func TestCreateAPI_EndpointConfigurationDefaultsAndRules(t *testing.T) {
	cases := []struct {
		name    string
		region  string
		cfg     APIConfig
		want    EndpointType
		wantErr string
	}{
		{name: "REST defaults to EDGE", cfg: APIConfig{Kind: REST}, want: EndpointEdge},
		{name: "HTTP defaults to REGIONAL", cfg: APIConfig{Kind: HTTP}, want: EndpointRegional},
		{name: "REST REGIONAL", cfg: APIConfig{Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointRegional}}}, want: EndpointRegional},
		{name: "REST PRIVATE with endpoints", cfg: APIConfig{Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointPrivate}, VpcEndpointIds: []string{"vpce-0a1b2c3d", "vpce-0123456789abcdef0"}}}, want: EndpointPrivate},
		{name: "HTTP EDGE refused", cfg: APIConfig{Kind: HTTP, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointEdge}}}, wantErr: "REGIONAL only"},
		{name: "HTTP PRIVATE refused", cfg: APIConfig{Kind: HTTP, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointPrivate}}}, wantErr: "REGIONAL only"},
		{name: "two types refused", cfg: APIConfig{Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointEdge, EndpointRegional}}}, wantErr: "exactly one"},
		{name: "unknown type refused", cfg: APIConfig{Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{"GLOBAL"}}}, wantErr: "Invalid endpoint type"},
		{name: "VPC endpoints on a REGIONAL API refused", cfg: APIConfig{Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointRegional}, VpcEndpointIds: []string{"vpce-0a1b2c3d"}}}, wantErr: "PRIVATE"},
		{name: "malformed VPC endpoint refused", cfg: APIConfig{Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointPrivate}, VpcEndpointIds: []string{"vpc-0a1b2c3d"}}}, wantErr: "Invalid VPC endpoint ID"},
		{name: "EDGE default refused in China", region: "cn-north-1", cfg: APIConfig{Kind: REST}, wantErr: "Endpoint Configuration type EDGE is not supported in this region: cn-north-1"},
		{name: "REGIONAL fine in China", region: "cn-north-1", cfg: APIConfig{Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointRegional}}}, want: EndpointRegional},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Options{Region: tc.region})
			tc.cfg.Name = "e"
			api, err := s.CreateAPI(tc.cfg)
			if tc.wantErr != "" {
				if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want BadRequestException containing %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := api.EndpointType(); got != tc.want {
				t.Errorf("EndpointType() = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestCreateAPI_KeepsItsOwnEndpointConfiguration(t *testing.T) {
	s, _ := newTestService(t)
	ids := []string{"vpce-0a1b2c3d"}
	types := []EndpointType{EndpointPrivate}
	api, err := s.CreateAPI(APIConfig{Name: "p", Kind: REST, Policy: vpcePolicy, EndpointConfiguration: EndpointConfiguration{Types: types, VpcEndpointIds: ids}})
	if err != nil {
		t.Fatal(err)
	}
	ids[0], types[0] = "vpce-ffffffff", EndpointEdge
	if api.EndpointType() != EndpointPrivate || api.cfg.EndpointConfiguration.VpcEndpointIds[0] != "vpce-0a1b2c3d" {
		t.Errorf("the caller's slices changed the API: %+v", api.cfg.EndpointConfiguration)
	}
}

func TestDeploy_PrivateAPIWithoutResourcePolicyIsRefused(t *testing.T) {
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "p", Kind: REST, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointPrivate}}})
	if err != nil {
		t.Fatal(err) // AWS accepts the API; the deployment is what fails
	}
	if err := api.Route("GET /x", Route{Integration: named("x")}); err != nil {
		t.Fatal(err)
	}
	_, err = api.Deploy("prod")
	var e *Error
	if !errors.As(err, &e) || e.Code != "BadRequestException" || e.Message != "Private REST API doesn't have a resource policy attached to it" {
		t.Fatalf("Deploy = %v, want AWS's BadRequestException", err)
	}
	if _, err := api.CreateDeployment(""); !errors.Is(err, ErrBadRequest) {
		t.Errorf("CreateDeployment = %v", err)
	}
	if len(api.Stages()) != 0 {
		t.Errorf("a stage was created: %v", api.Stages())
	}
}

// privateStage is a PRIVATE REST stage with vpcePolicy, associated with
// the given VPC endpoints.
func privateStage(t *testing.T, vpces ...string) *Stage {
	t.Helper()
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "p", Kind: REST, Policy: vpcePolicy,
		EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointPrivate}, VpcEndpointIds: vpces}})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /items", Route{Integration: named("items")}); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestPrivateAPI_OnlyThroughAnAllowedVPCEndpoint(t *testing.T) {
	cases := []struct {
		name     string
		listed   []string
		vpce     string
		path     string
		want     int
		wantBody string
	}{
		{name: "listed and allowed", listed: []string{"vpce-0a1b2c3d"}, vpce: "vpce-0a1b2c3d", path: "/items", want: 200, wantBody: "items"},
		{name: "no VPC endpoint", listed: []string{"vpce-0a1b2c3d"}, path: "/items", want: 403, wantBody: `{"message":"Forbidden"}`},
		{name: "no VPC endpoint, unknown route", listed: []string{"vpce-0a1b2c3d"}, path: "/nothing", want: 403, wantBody: `{"message":"Forbidden"}`},
		{name: "endpoint not associated", listed: []string{"vpce-0a1b2c3d"}, vpce: "vpce-99999999", path: "/items", want: 403, wantBody: `{"message":"Forbidden"}`},
		{name: "associated but the policy denies", listed: []string{"vpce-0a1b2c3d", "vpce-99999999"}, vpce: "vpce-99999999", path: "/items", want: 403, wantBody: `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:`},
		{name: "no list: the policy decides", vpce: "vpce-0a1b2c3d", path: "/items", want: 200, wantBody: "items"},
		{name: "no list: the policy denies", vpce: "vpce-99999999", path: "/items", want: 403, wantBody: `{"Message":"User: anonymous`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := privateStage(t, tc.listed...)
			r := httptest.NewRequest("GET", tc.path, nil)
			if tc.vpce != "" {
				r.Header.Set(HeaderSourceVpce, tc.vpce)
			}
			w := serveReq(st, r)
			if w.Code != tc.want || !strings.HasPrefix(w.Body.String(), tc.wantBody) {
				t.Fatalf("%d %s, want %d %s", w.Code, w.Body, tc.want, tc.wantBody)
			}
			if tc.wantBody == `{"message":"Forbidden"}` && w.Header().Get("X-Amzn-ErrorType") != "ForbiddenException" {
				t.Errorf("x-amzn-ErrorType = %q", w.Header().Get("X-Amzn-ErrorType"))
			}
		})
	}
}

func TestPrivateAPI_RefusalsAreCountedAndLogged(t *testing.T) {
	var lines []string
	s := New(Options{Logger: newCaptureLogger(&lines)})
	api, err := s.CreateAPI(APIConfig{Name: "p", Kind: REST, Policy: vpcePolicy, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointPrivate}}})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /items", Route{Integration: named("items")}); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	serveReq(st, httptest.NewRequest("GET", "/items", nil))
	if m := st.Metrics(); m.Count != 1 || m.Errors4XX != 1 {
		t.Errorf("metrics = %+v", m)
	}
	if len(lines) != 1 || !strings.Contains(lines[0], "only through a VPC endpoint") {
		t.Errorf("log = %q", lines)
	}
}

// An edge-optimized API is served through CloudFront; any reverse proxy
// in front of the stage plays that part (the edge package's Distribution
// is one), and the stage serves what it forwards.
func TestEdgeAPI_ServedThroughAReverseProxy(t *testing.T) {
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "edge", Kind: REST})
	if err != nil {
		t.Fatal(err)
	}
	if api.EndpointType() != EndpointEdge {
		t.Fatalf("EndpointType = %s", api.EndpointType())
	}
	var seen http.Header
	err = api.Route("GET /items/{id}", Route{Integration: IntegrationFunc(func(_ context.Context, req *Request) (*Response, error) {
		seen = req.Header
		return &Response{StatusCode: 200, Body: []byte("item " + req.PathParameters["id"])}, nil
	})})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	origin := httptest.NewServer(api.Handler())
	defer origin.Close()
	u, _ := url.Parse(origin.URL)
	proxy := httputil.NewSingleHostReverseProxy(u)
	edge := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set("Via", "1.1 d111111abcdef8.cloudfront.net (CloudFront)")
		proxy.ServeHTTP(w, r)
	}))
	defer edge.Close()
	res, err := http.Get(edge.URL + "/prod/items/7")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "item 7" {
		t.Fatalf("%d %s", res.StatusCode, body)
	}
	if res.Header.Get("X-Amzn-Requestid") == "" {
		t.Error("no x-amzn-RequestId through the proxy")
	}
	if seen.Get("Via") == "" || seen.Get("X-Forwarded-For") == "" {
		t.Errorf("the integration did not see the edge's headers: %v", seen)
	}
}

func TestServiceHandler_PrivateAPIAliasHost(t *testing.T) {
	st := privateStage(t, "vpce-0a1b2c3d", "vpce-99999999")
	api, s := st.api, st.api.s
	host, ok := api.PrivateEndpoint("vpce-0a1b2c3d")
	if !ok || host != api.ID()+"-vpce-0a1b2c3d.execute-api.us-east-1.amazonaws.com" {
		t.Fatalf("PrivateEndpoint = %q, %v", host, ok)
	}
	if _, ok := api.PrivateEndpoint("vpce-12345678"); ok {
		t.Error("an endpoint that is not associated has an alias")
	}
	cases := []struct {
		host, spoof string
		want        int
		body        string
	}{
		{host: host, want: 200, body: "items"},
		// The alias names the endpoint: a header saying otherwise is replaced.
		{host: host, spoof: "vpce-99999999", want: 200, body: "items"},
		// Associated, but the resource policy allows only vpce-0a1b2c3d.
		{host: api.ID() + "-vpce-99999999.execute-api.us-east-1.amazonaws.com", want: 403, body: `{"Message":"User: anonymous`},
		// Not associated: no alias.
		{host: api.ID() + "-vpce-12345678.execute-api.us-east-1.amazonaws.com", want: 403, body: `{"message":"Forbidden"}`},
		// No such API.
		{host: "zzzzzzzzzz-vpce-0a1b2c3d.execute-api.us-east-1.amazonaws.com", want: 404, body: `{"message":"Not Found"}`},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/prod/items", nil)
		r.Host = tc.host
		if tc.spoof != "" {
			r.Header.Set(HeaderSourceVpce, tc.spoof)
		}
		if got := s.IsExecuteAPIRequest(r); got != (tc.want != 404) {
			t.Errorf("%s: IsExecuteAPIRequest = %v", tc.host, got)
		}
		w := serveReq(s.Handler(), r)
		if w.Code != tc.want || !strings.HasPrefix(w.Body.String(), tc.body) {
			t.Errorf("%s: %d %s, want %d %s", tc.host, w.Code, w.Body, tc.want, tc.body)
		}
	}
	// A public API has no alias host.
	pub := mustAPI(t, s, REST, map[string]Integration{"GET /x": named("x")})
	if _, err := pub.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/prod/x", nil)
	r.Host = pub.ID() + "-vpce-0a1b2c3d.execute-api.us-east-1.amazonaws.com"
	if w := serveReq(s.Handler(), r); w.Code != 403 {
		t.Errorf("public API by alias: %d %s", w.Code, w.Body)
	}
}
