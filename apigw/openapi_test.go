package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// namedFn is an Invoker with a Name, like *lambda.Function.
type namedFn struct {
	name string
	fakeFn
}

func (f *namedFn) Name() string { return f.name }

// functions resolves every ARN to one echoing function, recording the
// ARNs asked for.
func functions(asked *[]string) func(string) (Invoker, error) {
	return func(arn string) (Invoker, error) {
		*asked = append(*asked, arn)
		return &namedFn{name: arn, fakeFn: *echoFn()}, nil
	}
}

func readTestdata(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/openapi/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func routeOf(t *testing.T, api *API, key string) Route {
	t.Helper()
	r := api.routeConfigs()[key]
	if r == nil {
		t.Fatalf("no route %s; have %v", key, api.RouteKeys())
	}
	return *r
}

func TestImportOpenAPI_OpenAPI3YAML(t *testing.T) {
	s, _ := newTestService(t)
	var asked []string
	api, err := s.ImportOpenAPI(readTestdata(t, "petstore-oas3.yaml"), ImportOptions{Functions: functions(&asked)})
	if err != nil {
		t.Fatal(err)
	}
	if api.Name() != "PetStore" || api.Kind() != REST {
		t.Errorf("name %q kind %v", api.Name(), api.Kind())
	}
	want := []string{"DELETE /pets/{petId}", "GET /health", "GET /pets", "GET /pets/{petId}", "POST /pets"}
	if diff := cmp.Diff(want, api.RouteKeys()); diff != "" {
		t.Errorf("routes (-want +got):\n%s", diff)
	}
	if !slices.Contains(asked, "arn:aws:lambda:us-east-1:123456789012:function:pets") {
		t.Errorf("functions asked for %v", asked)
	}
	if api.cfg.APIKeySource != "HEADER" || !slices.Equal(api.cfg.BinaryMediaTypes, []string{"image/png"}) {
		t.Errorf("config %+v", api.cfg)
	}

	list := routeOf(t, api, "GET /pets")
	if list.OperationName != "ListPets" || list.Timeout != 5*time.Second {
		t.Errorf("GET /pets: %+v", list)
	}
	if diff := cmp.Diff(map[string]bool{"method.request.querystring.page": true, "method.request.header.X-Trace": false}, list.RequestParameters); diff != "" {
		t.Errorf("GET /pets parameters:\n%s", diff)
	}
	if v := list.RequestValidator; v == nil || v.Name != "params-only" || v.ValidateRequestBody || !v.ValidateRequestParameters {
		t.Errorf("document's default validator: %+v", v)
	}
	create := routeOf(t, api, "POST /pets")
	if !create.APIKeyRequired || create.RequestValidator == nil || create.RequestValidator.Name != "all" {
		t.Errorf("POST /pets: %+v", create)
	}
	if _, ok := create.RequestModels["application/json"]; !ok {
		t.Errorf("POST /pets models %v", create.RequestModels)
	}
	if r := routeOf(t, api, "DELETE /pets/{petId}"); r.AuthorizationType != AuthIAM {
		t.Errorf("DELETE: authorization %q, want AWS_IAM", r.AuthorizationType)
	}
	get := routeOf(t, api, "GET /pets/{petId}")
	if p, ok := get.Integration.(HTTPProxy); !ok || p.Endpoint != "http://127.0.0.1:9/pets/{petId}" {
		t.Errorf("GET /pets/{petId} integration %#v", get.Integration)
	}
	if !get.RequestParameters["method.request.path.petId"] {
		t.Errorf("path item parameters not inherited: %v", get.RequestParameters)
	}
}

func TestImportOpenAPI_ServesWhatItImported(t *testing.T) {
	s, _ := newTestService(t)
	var asked []string
	api, err := s.ImportOpenAPI(readTestdata(t, "petstore-oas3.yaml"), ImportOptions{Functions: functions(&asked)})
	if err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	code, body, h := do(t, st, "GET", "/health", "")
	if code != 200 || body != `{"status": "ok"}` || h.Get("Cache-Control") != "no-store" {
		t.Errorf("mock = %d %s %v", code, body, h)
	}
	if code, body, _ := do(t, st, "GET", "/pets", ""); code != 400 || body != `{"message": "Missing required request parameters: [page]"}` {
		t.Errorf("required query parameter: %d %s", code, body)
	}
	if code, _, _ := do(t, st, "GET", "/pets?page=1", ""); code != 200 {
		t.Errorf("GET /pets?page=1 = %d", code)
	}
}

func TestImportOpenAPI_ModelsAreSelfContainedDraft4(t *testing.T) {
	s, _ := newTestService(t)
	var asked []string
	api, err := s.ImportOpenAPI(readTestdata(t, "petstore-oas3.yaml"), ImportOptions{Functions: functions(&asked)})
	if err != nil {
		t.Fatal(err)
	}
	model := routeOf(t, api, "POST /pets").RequestModels["application/json"]
	var doc map[string]any
	if err := json.Unmarshal([]byte(model), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["$schema"] != draft4 || doc["type"] != "object" {
		t.Errorf("model %s", model)
	}
	defs, _ := doc["definitions"].(map[string]any)
	if defs["Kind"] == nil || defs["NewPet"] == nil {
		t.Errorf("definitions %v: Kind is referenced, NewPet refers to itself", defs)
	}
	if strings.Contains(model, "#/components/") || strings.Contains(model, "nullable") {
		t.Errorf("OpenAPI-only constructs left in %s", model)
	}
	sch, err := compileModel(model)
	if err != nil {
		t.Fatal(err)
	}
	for body, ok := range map[string]bool{
		`{"name":"rex","kind":"dog"}`:                                      true,
		`{"name":"rex","kind":"dog","nickname":null}`:                      true,
		`{"name":"rex","kind":"cow"}`:                                      false,
		`{"name":"rex","kind":"dog","parent":{"name":"old","kind":"cat"}}`: true,
		`{"name":"rex","kind":"dog","parent":{"name":"old"}}`:              false,
	} {
		var v any
		_ = json.Unmarshal([]byte(body), &v)
		if err := sch.Validate(v); (err == nil) != ok {
			t.Errorf("%s: %v, want ok=%v", body, err, ok)
		}
	}
}

func TestImportOpenAPI_Swagger2JSON(t *testing.T) {
	s, _ := newTestService(t)
	var asked []string
	api, err := s.ImportOpenAPI(readTestdata(t, "petstore-swagger2.json"), ImportOptions{Functions: functions(&asked)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"ANY /{proxy+}", "POST /pets"}, api.RouteKeys()); diff != "" {
		t.Errorf("routes:\n%s", diff)
	}
	post := routeOf(t, api, "POST /pets")
	if !post.APIKeyRequired || post.RequestValidator == nil || !post.RequestValidator.ValidateRequestBody {
		t.Errorf("POST /pets %+v", post)
	}
	st, _ := api.Deploy("prod")
	// The mock's request template selects the 4\d{2} integration response.
	if code, body, _ := do(t, st, "GET", "/anything/else", ""); code != 404 || body != `{"message": "no such pet"}` {
		t.Errorf("mock = %d %s", code, body)
	}
}

func TestImportOpenAPI_HTTPAPIWithCORSAndDefaultRoute(t *testing.T) {
	s, _ := newTestService(t)
	var asked []string
	api, err := s.ImportOpenAPI(readTestdata(t, "http-api.yaml"), ImportOptions{Kind: HTTP, Functions: functions(&asked)})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"$default", "GET /items/{id}"}, api.RouteKeys()); diff != "" {
		t.Errorf("routes:\n%s", diff)
	}
	if c := api.cfg.CORS; c == nil || !c.AllowCredentials || c.MaxAge != 600 || !slices.Equal(c.AllowOrigins, []string{"https://app.example.com"}) {
		t.Errorf("CORS %+v", c)
	}
	if p := routeOf(t, api, "GET /items/{id}").Integration.(LambdaProxy); p.PayloadFormatVersion != "2.0" {
		t.Errorf("payload format %q", p.PayloadFormatVersion)
	}
	st, _ := api.Deploy("$default")
	// The $default route takes every request, preflights included; the
	// API's CORS headers replace the integration's.
	w := request(st, "OPTIONS", "/items/1", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"})
	if w.Code != 418 || w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" || w.Header().Get("Access-Control-Allow-Credentials") != "true" {
		t.Errorf("preflight = %d %v", w.Code, w.Header())
	}
	if code, _, _ := do(t, st, "GET", "/other", ""); code != 418 {
		t.Errorf("$default = %d", code)
	}
}

func TestImportOpenAPI_ErrorsSayWhatAndWhere(t *testing.T) {
	const head = "openapi: 3.0.1\ninfo: {title: t, version: '1'}\n"
	const mock = "x-amazon-apigateway-integration: {type: mock}"
	cases := []struct {
		name, doc, want string
		opts            ImportOptions
	}{
		{"empty", "", "empty", ImportOptions{}},
		{"not a document", "[1, 2]", "not an object", ImportOptions{}},
		{"no version", "info: {title: t}\npaths: {}", "neither Swagger 2.0", ImportOptions{}},
		{"bad JSON", `{"openapi": `, "not valid JSON", ImportOptions{}},
		{"no title", "openapi: 3.0.1\npaths: {/a: {get: {" + mock + "}}}", "info.title", ImportOptions{}},
		{"no operations", head + "paths: {}", "no operations", ImportOptions{}},
		{"no integration", head + "paths: {/a: {get: {}}}", "paths./a.get: No integration defined", ImportOptions{}},
		{"lambda without resolver", head + "paths: {/a: {get: {x-amazon-apigateway-integration: {type: aws_proxy, uri: 'arn:aws:lambda:us-east-1:1:function:f'}}}}", "ImportOptions.Functions", ImportOptions{}},
		{"bad lambda uri", head + "paths: {/a: {get: {x-amazon-apigateway-integration: {type: aws_proxy, uri: 'https://x'}}}}", "invalid Lambda function URI", ImportOptions{Functions: func(string) (Invoker, error) { return echoFn(), nil }}},
		{"resolver fails", head + "paths: {/a: {get: {x-amazon-apigateway-integration: {type: aws_proxy, uri: 'arn:aws:lambda:us-east-1:1:function:f'}}}}", "function arn:aws:lambda:us-east-1:1:function:f: no such function", ImportOptions{Functions: func(string) (Invoker, error) { return nil, errors.New("no such function") }}},
		{"bad http uri", head + "paths: {/a: {get: {x-amazon-apigateway-integration: {type: http_proxy, uri: 'ftp://x'}}}}", "invalid HTTP endpoint", ImportOptions{}},
		{"other type without hook", head + "paths: {/a: {get: {x-amazon-apigateway-integration: {type: aws, uri: 'arn:aws:apigateway:us-east-1:sqs:path/q'}}}}", "ImportOptions.OtherIntegration", ImportOptions{}},
		{"timeout", head + "paths: {/a: {get: {x-amazon-apigateway-integration: {type: mock, timeoutInMillis: 30000}}}}", "timeoutInMillis", ImportOptions{}},
		{"unknown validator", head + "paths: {/a: {get: {x-amazon-apigateway-request-validator: v, " + mock + "}}}", `no request validator named "v"`, ImportOptions{}},
		{"unknown operation", head + "paths: {/a: {trace: {" + mock + "}}}", `operation "trace"`, ImportOptions{}},
		{"bad path", head + "paths: {'/a/{b': {get: {" + mock + "}}}", "paths./a/{b.get", ImportOptions{}},
		{"undefined schema", head + "paths: {/a: {post: {requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Nope'}}}}, " + mock + "}}}", "$ref #/components/schemas/Nope is not defined", ImportOptions{}},
		{"external ref", head + "paths: {/a: {post: {requestBody: {content: {application/json: {schema: {$ref: 'other.yaml#/X'}}}}, " + mock + "}}}", "only references to", ImportOptions{}},
		{"invalid draft 4", head + "paths: {/a: {post: {requestBody: {content: {application/json: {schema: {type: 12}}}}, " + mock + "}}}", "Invalid model specified", ImportOptions{}},
		{"authorizer", head + "security: [{auth: []}]\ncomponents: {securitySchemes: {auth: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authorizer: {type: token}}}}\npaths: {/a: {get: {" + mock + "}}}", "x-amazon-apigateway-authorizer", ImportOptions{}},
		{"undefined security scheme", head + "paths: {/a: {get: {security: [{nope: []}], " + mock + "}}}", `security scheme "nope" is not defined`, ImportOptions{}},
		{"cors with credentials and *", head + "x-amazon-apigateway-cors: {allowOrigins: ['*'], allowCredentials: true}\npaths: {/a: {get: {" + mock + "}}}", "AllowCredentials", ImportOptions{Kind: HTTP}},
		{"duplicate sibling variables", head + "paths: {'/a/{x}': {get: {" + mock + "}}, '/a/{y}': {put: {" + mock + "}}}", "sibling", ImportOptions{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := newTestService(t)
			api, err := s.ImportOpenAPI([]byte(tc.doc), tc.opts)
			if err == nil {
				t.Fatalf("imported %v", api.RouteKeys())
			}
			if !errors.Is(err, ErrBadRequest) {
				t.Errorf("%v is not a BadRequestException", err)
			}
			var e *Error
			if !errors.As(err, &e) || !strings.HasPrefix(e.Message, "Errors found during import: ") || !strings.Contains(e.Message, tc.want) {
				t.Errorf("message %q does not say %q", err, tc.want)
			}
			if n := len(s.APIs()); n != 0 {
				t.Errorf("a failed import left %d APIs", n)
			}
		})
	}
}

func TestImportOpenAPI_OtherIntegrationHook(t *testing.T) {
	s, _ := newTestService(t)
	doc := `{"openapi": "3.0.1", "info": {"title": "q", "version": "1"}, "paths": {"/jobs": {"post": {
	  "x-amazon-apigateway-integration": {"type": "aws", "uri": "arn:aws:apigateway:us-east-1:states:action/StartExecution"}}}}}`
	var gotKey, gotURI string
	api, err := s.ImportOpenAPI([]byte(doc), ImportOptions{OtherIntegration: func(key string, x map[string]any) (Integration, error) {
		gotKey, gotURI = key, x["uri"].(string)
		return IntegrationFunc(func(context.Context, *Request) (*Response, error) {
			return &Response{StatusCode: 202, Body: []byte("started")}, nil
		}), nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	if gotKey != "POST /jobs" || !strings.HasSuffix(gotURI, "StartExecution") {
		t.Errorf("hook got %q %q", gotKey, gotURI)
	}
	st, _ := api.Deploy("prod")
	if code, body, _ := do(t, st, "POST", "/jobs", "{}"); code != 202 || body != "started" {
		t.Errorf("= %d %s", code, body)
	}
}

func TestImportOpenAPI_SharedIntegrations(t *testing.T) {
	s, _ := newTestService(t)
	doc := `
openapi: 3.0.1
info: {title: shared, version: "1"}
paths:
  /a:
    get:
      x-amazon-apigateway-integration: {$ref: "#/components/x-amazon-apigateway-integrations/teapot"}
  /b:
    get:
      x-amazon-apigateway-integration: {$ref: "#/components/x-amazon-apigateway-integrations/nope"}
components:
  x-amazon-apigateway-integrations:
    teapot: {type: mock, responses: {default: {statusCode: "418"}}}
`
	_, err := s.ImportOpenAPI([]byte(doc), ImportOptions{Kind: HTTP})
	if err == nil || !strings.Contains(err.Error(), "paths./b.get.x-amazon-apigateway-integration") {
		t.Fatalf("undefined shared integration: %v", err)
	}
	api, err := s.ImportOpenAPI([]byte(strings.Replace(doc, "integrations/nope", "integrations/teapot", 1)), ImportOptions{Kind: HTTP})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("$default")
	for _, p := range []string{"/a", "/b"} {
		if code, _, _ := do(t, st, "GET", p, ""); code != 418 {
			t.Errorf("GET %s = %d, want 418", p, code)
		}
	}
}

func TestImportOpenAPI_HTTPAPIIgnoresRESTOnlySettings(t *testing.T) {
	s, _ := newTestService(t)
	var asked []string
	// The REST petstore imports as an HTTP API without its validators,
	// models and API keys, as ImportApi ignores them.
	api, err := s.ImportOpenAPI(readTestdata(t, "petstore-oas3.yaml"), ImportOptions{Kind: HTTP, Functions: functions(&asked)})
	if err != nil {
		t.Fatal(err)
	}
	r := routeOf(t, api, "POST /pets")
	if r.APIKeyRequired || r.RequestValidator != nil || r.RequestModels != nil {
		t.Errorf("REST-only settings kept: %+v", r)
	}
}

func TestImportOpenAPI_ThroughHTTPTest(t *testing.T) {
	s, _ := newTestService(t)
	var asked []string
	api, err := s.ImportOpenAPI(readTestdata(t, "petstore-swagger2.json"), ImportOptions{Functions: functions(&asked)})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := api.Deploy("prod")
	srv := httptest.NewServer(st)
	defer srv.Close()
	res, err := srv.Client().Post(srv.URL+"/pets", "application/json", strings.NewReader(`{"name": 1}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	// API key first (403), as the pipeline checks keys before bodies.
	if res.StatusCode != 403 {
		t.Errorf("POST /pets without a key = %d, want 403", res.StatusCode)
	}
}

func BenchmarkImportOpenAPI(b *testing.B) {
	doc, err := os.ReadFile("testdata/openapi/petstore-oas3.yaml")
	if err != nil {
		b.Fatal(err)
	}
	fns := func(string) (Invoker, error) { return echoFn(), nil }
	b.ReportAllocs()
	for b.Loop() {
		s := New(Options{})
		if _, err := s.ImportOpenAPI(doc, ImportOptions{Functions: fns}); err != nil {
			b.Fatal(err)
		}
	}
}
