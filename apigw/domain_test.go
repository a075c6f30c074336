package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

const (
	edgeCert     = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
	regionalCert = "arn:aws:acm:eu-west-1:123456789012:certificate/66666666-7777-8888-9999-000000000000"
)

func TestCreateDomainName_CertificateRule(t *testing.T) {
	cases := []struct {
		name    string
		cfg     DomainNameConfig
		wantErr string
	}{
		{name: "edge with a us-east-1 certificate", cfg: DomainNameConfig{DomainName: "api.example.com", CertificateArn: edgeCert}},
		{name: "regional with a certificate in the Region", cfg: DomainNameConfig{DomainName: "api.example.com", EndpointType: EndpointRegional, CertificateArn: regionalCert}},
		{name: "edge with a eu-west-1 certificate",
			cfg:     DomainNameConfig{DomainName: "api.example.com", CertificateArn: regionalCert},
			wantErr: "Invalid certificate ARN: " + regionalCert + ". Certificate must be in 'us-east-1'."},
		{name: "regional with a us-east-1 certificate",
			cfg:     DomainNameConfig{DomainName: "api.example.com", EndpointType: EndpointRegional, CertificateArn: edgeCert},
			wantErr: "Invalid certificate ARN: " + edgeCert + ". Certificate must be in 'eu-west-1'."},
		{name: "certificate of another account",
			cfg:     DomainNameConfig{DomainName: "api.example.com", CertificateArn: strings.Replace(edgeCert, "123456789012", "210987654321", 1)},
			wantErr: "Cross-account certificate references are not allowed."},
		{name: "not a certificate ARN", cfg: DomainNameConfig{DomainName: "api.example.com", CertificateArn: "arn:aws:iam::123456789012:role/x"}, wantErr: "Invalid certificate ARN"},
		{name: "no certificate", cfg: DomainNameConfig{DomainName: "api.example.com"}, wantErr: "certificate ARN is required"},
		{name: "no name", cfg: DomainNameConfig{CertificateArn: edgeCert}, wantErr: "a domain name is required"},
		{name: "bad name", cfg: DomainNameConfig{DomainName: "api_example.com", CertificateArn: edgeCert}, wantErr: "Invalid domain name"},
		{name: "one label", cfg: DomainNameConfig{DomainName: "localhost", CertificateArn: edgeCert}, wantErr: "Invalid domain name"},
		{name: "private", cfg: DomainNameConfig{DomainName: "api.example.com", EndpointType: EndpointPrivate, CertificateArn: regionalCert}, wantErr: "Private custom domain names"},
		{name: "unknown type", cfg: DomainNameConfig{DomainName: "api.example.com", EndpointType: "GLOBAL", CertificateArn: regionalCert}, wantErr: "Invalid endpoint type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s := New(Options{Region: "eu-west-1"})
			d, err := s.CreateDomainName(tc.cfg)
			if tc.wantErr != "" {
				var e *Error
				if !errors.As(err, &e) || e.Code != "BadRequestException" || !strings.Contains(e.Message, tc.wantErr) {
					t.Fatalf("err = %v, want BadRequestException %q", err, tc.wantErr)
				}
				if len(s.DomainNames()) != 0 {
					t.Error("a refused domain name was kept")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.DomainName != "api.example.com" || d.CertificateArn != tc.cfg.CertificateArn {
				t.Errorf("domain = %+v", d)
			}
		})
	}
}

func TestCreateDomainName_ReportsTheDNSRecord(t *testing.T) {
	s := New(Options{Region: "eu-west-1", Seed: 7})
	edge, err := s.CreateDomainName(DomainNameConfig{DomainName: "API.Example.com.", CertificateArn: edgeCert})
	if err != nil {
		t.Fatal(err)
	}
	if edge.EndpointType != EndpointEdge || edge.DomainName != "api.example.com" {
		t.Errorf("edge = %+v", edge)
	}
	dist := edge.DistributionDomainName
	if !strings.HasPrefix(dist, "d") || !strings.HasSuffix(dist, ".cloudfront.net") || len(strings.TrimSuffix(dist, ".cloudfront.net")) != 14 {
		t.Errorf("distribution domain %q is not d + 13 characters .cloudfront.net", dist)
	}
	if edge.DistributionHostedZoneID != "Z2FDTNDATAQYW2" || edge.RegionalDomainName != "" {
		t.Errorf("edge = %+v", edge)
	}
	if want := (DNSRecord{Name: "api.example.com", Type: "CNAME", Value: dist}); edge.DNSRecord != want {
		t.Errorf("record = %+v, want %+v", edge.DNSRecord, want)
	}
	if got := edge.DNSRecord.String(); got != "api.example.com. CNAME "+dist+"." {
		t.Errorf("String() = %q", got)
	}

	reg, err := s.CreateDomainName(DomainNameConfig{DomainName: "eu.example.com", EndpointType: EndpointRegional, CertificateArn: regionalCert})
	if err != nil {
		t.Fatal(err)
	}
	target := reg.RegionalDomainName
	if !strings.HasPrefix(target, "d-") || !strings.HasSuffix(target, ".execute-api.eu-west-1.amazonaws.com") || reg.DistributionDomainName != "" {
		t.Errorf("regional = %+v", reg)
	}
	if reg.DNSRecord.Value != target || reg.DNSRecord.Type != "CNAME" {
		t.Errorf("record = %+v", reg.DNSRecord)
	}

	if _, err := s.CreateDomainName(DomainNameConfig{DomainName: "api.example.com", CertificateArn: edgeCert}); !errors.Is(err, ErrConflict) {
		t.Errorf("duplicate: %v", err)
	}
	got, err := s.GetDomainName("Api.Example.Com")
	if err != nil || got != edge {
		t.Errorf("GetDomainName = %+v, %v", got, err)
	}
	if names := s.DomainNames(); len(names) != 2 || names[0].DomainName != "api.example.com" || names[1].DomainName != "eu.example.com" {
		t.Errorf("DomainNames = %+v", names)
	}
	if err := s.DeleteDomainName("eu.example.com"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetDomainName("eu.example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("after delete: %v", err)
	}
	if err := s.DeleteDomainName("eu.example.com"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second delete: %v", err)
	}
}

func TestCreateDomainName_EdgeNotInChina(t *testing.T) {
	s := New(Options{Region: "cn-north-1"})
	_, err := s.CreateDomainName(DomainNameConfig{DomainName: "api.example.cn", CertificateArn: edgeCert})
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "EDGE is not supported in this region: cn-north-1") {
		t.Errorf("err = %v", err)
	}
}

// domainFixture is a service with an edge domain, a REST API "orders"
// (stages prod, beta) and an HTTP API.
type domainFixture struct {
	s             *Service
	rest, httpAPI *API
}

func newDomainFixture(t *testing.T) domainFixture {
	t.Helper()
	s, _ := newTestService(t)
	rest := mustAPI(t, s, REST, map[string]Integration{
		"GET /orders/{id}": echoPath("orders"),
		"GET /":            echoPath("root"),
	})
	if _, err := rest.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := rest.Deploy("beta"); err != nil {
		t.Fatal(err)
	}
	httpAPI := mustAPI(t, s, HTTP, map[string]Integration{"GET /ping": echoPath("ping")})
	if _, err := httpAPI.Deploy("$default"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDomainName(DomainNameConfig{DomainName: "api.example.com", CertificateArn: edgeCert}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDomainName(DomainNameConfig{DomainName: "regional.example.com", EndpointType: EndpointRegional, CertificateArn: strings.Replace(regionalCert, "eu-west-1", "us-east-1", 1)}); err != nil {
		t.Fatal(err)
	}
	return domainFixture{s: s, rest: rest, httpAPI: httpAPI}
}

// echoPath answers "name stage path domain requestContext.path".
func echoPath(name string) Integration {
	return IntegrationFunc(func(_ context.Context, req *Request) (*Response, error) {
		return &Response{StatusCode: 200, Body: []byte(name + " " + req.Stage + " " + req.Path + " " + req.DomainName + " " + req.RawPath)}, nil
	})
}

func TestCreateBasePathMapping_Rules(t *testing.T) {
	f := newDomainFixture(t)
	s := f.s
	ok := func(m BasePathMapping) BasePathMapping {
		t.Helper()
		got, err := s.CreateBasePathMapping(m)
		if err != nil {
			t.Fatalf("CreateBasePathMapping(%+v): %v", m, err)
		}
		return got
	}
	fail := func(m BasePathMapping, sentinel error, msg string) {
		t.Helper()
		_, err := s.CreateBasePathMapping(m)
		if !errors.Is(err, sentinel) || !strings.Contains(err.Error(), msg) {
			t.Errorf("CreateBasePathMapping(%+v) = %v, want %v %q", m, err, sentinel, msg)
		}
	}
	fail(BasePathMapping{DomainName: "nope.example.com", APIID: f.rest.ID(), Stage: "prod"}, ErrNotFound, "Invalid domain name identifier specified")
	fail(BasePathMapping{DomainName: "api.example.com", APIID: "nope", Stage: "prod"}, ErrNotFound, "Invalid REST API identifier specified")
	fail(BasePathMapping{DomainName: "api.example.com", APIID: f.rest.ID(), Stage: "nope"}, ErrNotFound, "Invalid stage identifier specified")
	fail(BasePathMapping{DomainName: "api.example.com", BasePath: "v1//x", APIID: f.rest.ID(), Stage: "prod"}, ErrBadRequest, "empty path segment")
	fail(BasePathMapping{DomainName: "api.example.com", BasePath: "v 1", APIID: f.rest.ID(), Stage: "prod"}, ErrBadRequest, "Invalid base path")
	fail(BasePathMapping{DomainName: "api.example.com", BasePath: "ping", APIID: f.httpAPI.ID(), Stage: "$default"}, ErrBadRequest,
		"Only REGIONAL domain names can be managed through the API Gateway V2 API")

	if m := ok(BasePathMapping{DomainName: "API.example.com", BasePath: "/v1", APIID: f.rest.ID(), Stage: "prod"}); m.BasePath != "v1" || m.DomainName != "api.example.com" {
		t.Errorf("normalized = %+v", m)
	}
	fail(BasePathMapping{DomainName: "api.example.com", BasePath: "v1", APIID: f.rest.ID(), Stage: "beta"}, ErrConflict, "Base path already exists")
	fail(BasePathMapping{DomainName: "api.example.com", BasePath: "(none)", APIID: f.rest.ID(), Stage: "beta"}, ErrConflict, "Only one base path mapping is allowed if the base path is empty.")

	if m := ok(BasePathMapping{DomainName: "regional.example.com", BasePath: "(none)", APIID: f.httpAPI.ID(), Stage: "$default"}); m.BasePath != "" {
		t.Errorf("(none) not normalized: %+v", m)
	}
	fail(BasePathMapping{DomainName: "regional.example.com", BasePath: "v2", APIID: f.rest.ID(), Stage: "prod"}, ErrConflict, "Only one base path mapping is allowed if the base path is empty.")

	ms, err := s.BasePathMappings("api.example.com")
	if err != nil || len(ms) != 1 || ms[0].BasePath != "v1" {
		t.Errorf("BasePathMappings = %+v, %v", ms, err)
	}
	if err := s.DeleteBasePathMapping("api.example.com", "v2"); !errors.Is(err, ErrNotFound) {
		t.Errorf("delete unknown: %v", err)
	}
	if err := s.DeleteBasePathMapping("regional.example.com", "(none)"); err != nil {
		t.Errorf("delete root: %v", err)
	}
	ok(BasePathMapping{DomainName: "regional.example.com", BasePath: "v2", APIID: f.rest.ID(), Stage: "prod"})
}

func TestCreateBasePathMapping_PrivateAPIRefused(t *testing.T) {
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "p", Kind: REST, Policy: vpcePolicy, EndpointConfiguration: EndpointConfiguration{Types: []EndpointType{EndpointPrivate}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDomainName(DomainNameConfig{DomainName: "api.example.com", CertificateArn: edgeCert}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBasePathMapping(BasePathMapping{DomainName: "api.example.com", APIID: api.ID()}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("err = %v", err)
	}
}

func TestServiceHandler_CustomDomainStripsTheLongestBasePath(t *testing.T) {
	f := newDomainFixture(t)
	s := f.s
	for _, m := range []BasePathMapping{
		{DomainName: "api.example.com", BasePath: "v1", APIID: f.rest.ID(), Stage: "prod"},
		{DomainName: "api.example.com", BasePath: "v1/beta", APIID: f.rest.ID(), Stage: "beta"},
		{DomainName: "api.example.com", BasePath: "staged", APIID: f.rest.ID()},
		{DomainName: "regional.example.com", APIID: f.httpAPI.ID(), Stage: "$default"},
	} {
		if _, err := s.CreateBasePathMapping(m); err != nil {
			t.Fatal(err)
		}
	}
	h := s.Handler()
	cases := []struct {
		host, path string
		want       int
		body       string
	}{
		{"api.example.com", "/v1/orders/7", 200, "orders prod /orders/7 api.example.com /v1/orders/7"},
		{"api.example.com:443", "/v1", 200, "root prod / api.example.com /v1"},
		{"API.EXAMPLE.COM", "/v1/", 200, "root prod / api.example.com /v1/"},
		{"api.example.com", "/v1/beta/orders/8", 200, "orders beta /orders/8 api.example.com /v1/beta/orders/8"},
		{"api.example.com", "/v1/betamax/orders/8", 403, `{"message": "Missing Authentication Token"}`}, // v1 matches; /betamax/… is no route of prod
		{"api.example.com", "/staged/beta/orders/9", 200, "orders beta /orders/9 api.example.com /staged/beta/orders/9"},
		{"api.example.com", "/staged/nope/orders/9", 403, `{"message":"Forbidden"}`},
		{"api.example.com", "/v2/orders/7", 403, `{"message":"Forbidden"}`},
		{"api.example.com", "/v10/orders/7", 403, `{"message":"Forbidden"}`},
		{"api.example.com", "/", 403, `{"message":"Forbidden"}`},
		{"regional.example.com", "/ping", 200, "ping $default /ping regional.example.com /ping"},
		{"regional.example.com", "/v1/ping", 404, `{"message":"Not Found"}`},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", tc.path, nil)
		r.Host = tc.host
		if !s.IsExecuteAPIRequest(r) {
			t.Errorf("%s%s: not recognised as an API request", tc.host, tc.path)
		}
		w := serveReq(h, r)
		if w.Code != tc.want || w.Body.String() != tc.body {
			t.Errorf("%s%s = %d %s, want %d %s", tc.host, tc.path, w.Code, w.Body, tc.want, tc.body)
		}
	}
	r := httptest.NewRequest("GET", "/v1/orders/1", nil)
	r.Host = "other.example.com"
	if s.IsExecuteAPIRequest(r) {
		t.Error("an unknown host is recognised")
	}

	// A mapping removed, or its stage deleted, answers 403.
	if err := s.DeleteBasePathMapping("api.example.com", "v1/beta"); err != nil {
		t.Fatal(err)
	}
	if err := f.rest.DeleteStage("prod"); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/v1/orders/7", "/v1/beta/orders/8"} {
		r := httptest.NewRequest("GET", p, nil)
		r.Host = "api.example.com"
		if w := serveReq(h, r); w.Code != 403 || w.Body.String() != `{"message":"Forbidden"}` {
			t.Errorf("%s after removal = %d %s", p, w.Code, w.Body)
		}
	}
}

func TestCustomDomain_LambdaProxyEventNamesTheDomain(t *testing.T) {
	s, _ := newTestService(t)
	fn := echoFn()
	api, err := s.CreateAPI(APIConfig{Name: "l", Kind: REST})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /items/{id}", Route{Integration: LambdaProxy{Function: fn}}); err != nil {
		t.Fatal(err)
	}
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateDomainName(DomainNameConfig{DomainName: "api.example.com", CertificateArn: edgeCert}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateBasePathMapping(BasePathMapping{DomainName: "api.example.com", BasePath: "shop", APIID: api.ID(), Stage: "prod"}); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest("GET", "/shop/items/3", nil)
	r.Host = "api.example.com"
	if w := serveReq(s.Handler(), r); w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var ev struct {
		Path           string `json:"path"`
		RequestContext struct {
			DomainName string `json:"domainName"`
			Path       string `json:"path"`
			Stage      string `json:"stage"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	if ev.Path != "/items/3" || ev.RequestContext.DomainName != "api.example.com" || ev.RequestContext.Path != "/shop/items/3" || ev.RequestContext.Stage != "prod" {
		t.Errorf("event = %+v", ev)
	}
}

func FuzzBasePath(f *testing.F) {
	for _, s := range []string{"", "(none)", "v1", "/v1", "v1/orders", "v1//x", "a b", "$-_.+!*'()", "/", "v1/"} {
		f.Add(s, "/v1/orders/1")
	}
	f.Fuzz(func(t *testing.T, basePath, reqPath string) {
		bp, err := normalizeBasePath(basePath)
		if err != nil {
			return
		}
		if strings.HasPrefix(bp, "/") || strings.HasSuffix(bp, "/") || strings.Contains(bp, "//") {
			t.Fatalf("normalizeBasePath(%q) = %q", basePath, bp)
		}
		again, err := normalizeBasePath(bp)
		if err != nil || again != bp {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", basePath, bp, again, err)
		}
		p := strings.TrimPrefix(reqPath, "/")
		rest, ok := cutBasePath(p, bp)
		if !ok {
			return
		}
		// The base path and the rest make the path again, on a segment
		// boundary.
		joined := bp
		if bp != "" && rest != "" {
			joined += "/"
		}
		joined += rest
		if joined != p && joined+"/" != p {
			t.Fatalf("cutBasePath(%q, %q) = %q", p, bp, rest)
		}
	})
}

// BenchmarkServiceHandler_CustomDomain is a request through the service
// endpoint by custom domain (host lookup, longest base path among four)
// beside the same request by execute-api host.
func BenchmarkServiceHandler_CustomDomain(b *testing.B) {
	// Lift the account throttle: the loop runs far faster than 10,000
	// requests per second.
	s := New(Options{Limits: Limits{AccountRateLimit: 1e9, AccountBurstLimit: 1e9}})
	api, err := s.CreateAPI(APIConfig{Name: "b", Kind: REST})
	if err != nil {
		b.Fatal(err)
	}
	if err := api.Route("GET /items/{id}", Route{Integration: Mock{StatusCode: 200, Body: "ok"}}); err != nil {
		b.Fatal(err)
	}
	if _, err := api.Deploy("prod"); err != nil {
		b.Fatal(err)
	}
	if _, err := s.CreateDomainName(DomainNameConfig{DomainName: "api.example.com", CertificateArn: edgeCert}); err != nil {
		b.Fatal(err)
	}
	for _, bp := range []string{"v1", "v2", "v3", "v1/admin"} {
		if _, err := s.CreateBasePathMapping(BasePathMapping{DomainName: "api.example.com", BasePath: bp, APIID: api.ID(), Stage: "prod"}); err != nil {
			b.Fatal(err)
		}
	}
	h := s.Handler()
	run := func(b *testing.B, host, path string) {
		r := httptest.NewRequest("GET", path, nil)
		r.Host = host
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			if w.Code != http.StatusOK {
				b.Fatal(w.Code)
			}
		}
	}
	b.Run("custom-domain", func(b *testing.B) { run(b, "api.example.com", "/v1/items/1") })
	b.Run("execute-api-host", func(b *testing.B) { run(b, api.Endpoint(), "/prod/items/1") })
}
