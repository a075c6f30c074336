package apigw

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// comparable summarises a route for round-trip comparisons.
func summarise(r Route) map[string]any {
	out := map[string]any{
		"operation": r.OperationName, "auth": r.AuthorizationType, "apiKey": r.APIKeyRequired,
		"timeout": r.Timeout.String(), "params": r.RequestParameters, "models": r.RequestModels,
	}
	if v := r.RequestValidator; v != nil {
		out["validator"] = *v
	}
	switch in := r.Integration.(type) {
	case LambdaProxy:
		out["integration"] = "lambda " + in.Function.(interface{ Name() string }).Name() + " " + in.PayloadFormatVersion
	case HTTPProxy:
		out["integration"] = "http " + in.Endpoint
	case Mock:
		out["integration"] = in
	default:
		out["integration"] = "other"
	}
	return out
}

func summariseAPI(api *API) map[string]any {
	out := map[string]any{}
	for k, r := range api.routeConfigs() {
		out[k] = summarise(*r)
	}
	cfg := api.cfg
	out["config"] = []any{cfg.Kind, cfg.APIKeySource, cfg.BinaryMediaTypes, cfg.CORS}
	return out
}

// roundTrip imports doc, exports its prod stage, imports that, and
// checks both APIs are the same; it returns the exported document.
func roundTrip(t *testing.T, doc []byte, kind Kind) []byte {
	t.Helper()
	s, _ := newTestService(t)
	var asked []string
	opts := ImportOptions{Kind: kind, Functions: functions(&asked)}
	first, err := s.ImportOpenAPI(doc, opts)
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
	second, err := s.ImportOpenAPI(out, opts)
	if err != nil {
		t.Fatalf("re-import: %v\n%s", err, out)
	}
	if diff := cmp.Diff(summariseAPI(first), summariseAPI(second)); diff != "" {
		t.Errorf("the re-imported API differs (-first +second):\n%s\nexported:\n%s", diff, out)
	}
	// Exporting the copy gives the same document, up to the API's host
	// and dates.
	if _, err := second.Deploy(stage); err != nil {
		t.Fatal(err)
	}
	again, err := second.ExportOpenAPI(stage)
	if err != nil {
		t.Fatal(err)
	}
	norm := func(b []byte) string {
		return strings.ReplaceAll(string(b), second.Endpoint(), first.Endpoint())
	}
	if diff := cmp.Diff(norm(out), norm(again)); diff != "" {
		t.Errorf("second export differs:\n%s", diff)
	}
	return out
}

func TestExportOpenAPI_RoundTripsREST(t *testing.T) {
	for _, file := range []string{"petstore-oas3.yaml", "petstore-swagger2.json"} {
		t.Run(file, func(t *testing.T) {
			out := roundTrip(t, readTestdata(t, file), REST)
			var doc map[string]any
			if err := json.Unmarshal(out, &doc); err != nil {
				t.Fatal(err)
			}
			if doc["openapi"] != "3.0.1" {
				t.Errorf("openapi %v", doc["openapi"])
			}
		})
	}
}

func TestExportOpenAPI_RoundTripsHTTP(t *testing.T) {
	out := roundTrip(t, readTestdata(t, "http-api.yaml"), HTTP)
	if !strings.Contains(string(out), `"x-amazon-apigateway-cors"`) || !strings.Contains(string(out), `"/$default"`) {
		t.Errorf("export lacks CORS or $default:\n%s", out)
	}
}

func TestExportOpenAPI_WritesAPIGatewayExtensions(t *testing.T) {
	s, _ := newTestService(t)
	api, _ := s.CreateAPI(APIConfig{Name: "x", Kind: REST, BinaryMediaTypes: []string{"image/*"}})
	fn := &namedFn{name: "items", fakeFn: *echoFn()}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(api.Route("GET /items/{id}", Route{Integration: LambdaProxy{Function: fn}, APIKeyRequired: true, Timeout: 3 * time.Second,
		RequestValidator:  &RequestValidator{ValidateRequestParameters: true},
		RequestParameters: map[string]bool{"method.request.querystring.q": true}}))
	must(api.Route("GET /go", Route{Integration: IntegrationFunc(nil)}))
	must(api.Route("GET /mock", Route{Integration: Mock{StatusCode: 201, Header: http.Header{"X-A": {"1"}}, Body: "hi"}}))
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	out, err := api.ExportOpenAPI("prod")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			Integration map[string]any   `json:"x-amazon-apigateway-integration"`
			Validator   string           `json:"x-amazon-apigateway-request-validator"`
			Security    []map[string]any `json:"security"`
			Parameters  []map[string]any `json:"parameters"`
		} `json:"paths"`
		Validators map[string]map[string]bool `json:"x-amazon-apigateway-request-validators"`
		Binary     []string                   `json:"x-amazon-apigateway-binary-media-types"`
		KeySource  string                     `json:"x-amazon-apigateway-api-key-source"`
		Servers    []map[string]any           `json:"servers"`
	}
	if err := json.Unmarshal(out, &doc); err != nil {
		t.Fatal(err)
	}
	get := doc.Paths["/items/{id}"]["get"]
	wantURI := "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:items/invocations"
	if get.Integration["uri"] != wantURI || get.Integration["type"] != "aws_proxy" || get.Integration["timeoutInMillis"] != float64(3000) {
		t.Errorf("integration %v", get.Integration)
	}
	if len(get.Security) != 1 || get.Security[0]["api_key"] == nil {
		t.Errorf("security %v", get.Security)
	}
	if v := doc.Validators[get.Validator]; !v["validateRequestParameters"] || v["validateRequestBody"] {
		t.Errorf("validator %q: %v", get.Validator, doc.Validators)
	}
	if len(get.Parameters) != 2 {
		t.Errorf("parameters %v, want q and the path's id", get.Parameters)
	}
	if doc.Paths["/go"]["get"].Integration != nil {
		t.Errorf("a Go integration was exported: %v", doc.Paths["/go"]["get"].Integration)
	}
	if m := doc.Paths["/mock"]["get"].Integration; m["type"] != "mock" {
		t.Errorf("mock %v", m)
	}
	if doc.KeySource != "HEADER" || len(doc.Binary) != 1 || doc.Servers[0]["url"] != "https://"+api.Endpoint()+"/{basePath}" {
		t.Errorf("document %+v", doc)
	}
}

func TestExportOpenAPI_StageOrWorkingCopy(t *testing.T) {
	s, _ := newTestService(t)
	api := mustAPI(t, s, REST, map[string]Integration{"GET /a": named("a")})
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	_ = api.Route("GET /b", Route{Integration: named("b")})
	deployed, _ := api.ExportOpenAPI("prod")
	working, _ := api.ExportOpenAPI("")
	if strings.Contains(string(deployed), `"/b"`) || !strings.Contains(string(working), `"/b"`) {
		t.Errorf("the stage export should show its deployment, the working copy export the new route")
	}
	if _, err := api.ExportOpenAPI("nope"); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown stage: %v", err)
	}
}
