package apigw

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// customisedAPI deploys a REST API whose POST /pets validates its body
// and whose GET /pets requires a query parameter, with the given gateway
// responses put before deploying.
func customisedAPI(t *testing.T, responses map[ResponseType]GatewayResponse) *Stage {
	t.Helper()
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "pets", Kind: REST})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("POST /pets", Route{
		Integration:      Mock{StatusCode: 201},
		RequestValidator: &RequestValidator{ValidateRequestBody: true},
		RequestModels:    map[string]string{"application/json": petModel},
	}); err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /pets", Route{
		Integration:       Mock{StatusCode: 200},
		RequestValidator:  &RequestValidator{ValidateRequestParameters: true},
		RequestParameters: map[string]bool{"method.request.querystring.page": true},
	}); err != nil {
		t.Fatal(err)
	}
	for typ, r := range responses {
		if err := api.PutGatewayResponse(typ, r); err != nil {
			t.Fatal(err)
		}
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestGatewayResponse_CustomisedTypeIsUsed(t *testing.T) {
	st := customisedAPI(t, map[ResponseType]GatewayResponse{
		ResponseBadRequestBody: {
			StatusCode: 422,
			Headers:    map[string]string{"X-Reason": "body", "Access-Control-Allow-Origin": "*"},
			Body:       `{"error": "$context.error.message", "id": "$context.requestId", "quoted": $context.error.messageString}`,
		},
	})
	r := httptest.NewRequest("POST", "/pets", strings.NewReader(`{"name":"rex"}`))
	r.Header.Set("Content-Type", "application/json")
	w := httptest.NewRecorder()
	st.ServeHTTP(w, r)
	if w.Code != 422 {
		t.Fatalf("status %d, want the customised 422", w.Code)
	}
	if w.Header().Get("X-Reason") != "body" || w.Header().Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("customised headers missing: %v", w.Header())
	}
	id := w.Header().Get("X-Amzn-Requestid")
	want := `{"error": "Invalid request body", "id": "` + id + `", "quoted": "Invalid request body"}`
	if id == "" || w.Body.String() != want {
		t.Errorf("body %s, want %s", w.Body, want)
	}
	if w.Header().Get("Content-Type") != "application/json" {
		t.Errorf("Content-Type %q", w.Header().Get("Content-Type"))
	}
	// BAD_REQUEST_PARAMETERS is not customised: AWS's default answer.
	code, body, _ := do(t, st, "GET", "/pets", "")
	if code != 400 || body != `{"message": "Missing required request parameters: [page]"}` {
		t.Errorf("uncustomised type = %d %s", code, body)
	}
}

func TestGatewayResponse_Default4XXCoversEvery4XXType(t *testing.T) {
	st := customisedAPI(t, map[ResponseType]GatewayResponse{
		ResponseDefault4XX: {
			Headers: map[string]string{"X-Default": "4xx"},
			Body:    `{"msg": "$context.error.message", "requestId": "$context.requestId"}`,
		},
		ResponseDefault5XX: {StatusCode: 503, Body: `{"down": true}`},
	})
	cases := []struct {
		name, method, path, body string
		code                     int
		msg                      string
	}{
		{"BAD_REQUEST_PARAMETERS", "GET", "/pets", "", 400, "Missing required request parameters: [page]"},
		{"BAD_REQUEST_BODY", "POST", "/pets", `[]`, 400, "Invalid request body"},
		{"MISSING_AUTHENTICATION_TOKEN", "GET", "/nothing", "", 403, "Missing Authentication Token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body, h := do(t, st, tc.method, tc.path, tc.body)
			want := `{"msg": "` + tc.msg + `", "requestId": "` + h.Get("X-Amzn-Requestid") + `"}`
			if code != tc.code || body != want {
				t.Errorf("= %d %s, want %d %s", code, body, tc.code, want)
			}
			if h.Get("X-Default") != "4xx" {
				t.Errorf("DEFAULT_4XX header missing: %v", h)
			}
		})
	}
}

func TestGatewayResponse_SpecificTypeBeatsDefault4XX(t *testing.T) {
	st := customisedAPI(t, map[ResponseType]GatewayResponse{
		ResponseDefault4XX:           {Body: `{"from": "default"}`},
		ResponseBadRequestParameters: {StatusCode: 400, Body: `{"from": "parameters"}`},
	})
	if _, body, _ := do(t, st, "GET", "/pets", ""); body != `{"from": "parameters"}` {
		t.Errorf("BAD_REQUEST_PARAMETERS: %s", body)
	}
	if _, body, _ := do(t, st, "POST", "/pets", `1`); body != `{"from": "default"}` {
		t.Errorf("BAD_REQUEST_BODY through DEFAULT_4XX: %s", body)
	}
}

func TestGatewayResponse_TakesEffectAtTheNextDeployment(t *testing.T) {
	st := customisedAPI(t, nil)
	if err := st.api.PutGatewayResponse(ResponseBadRequestParameters, GatewayResponse{StatusCode: 418}); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, st, "GET", "/pets", ""); code != 400 {
		t.Errorf("before redeploying: %d, want 400", code)
	}
	if _, err := st.api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	if code, _, _ := do(t, st, "GET", "/pets", ""); code != 418 {
		t.Errorf("after redeploying: %d, want 418", code)
	}
}

func TestPutGatewayResponse_Rejects(t *testing.T) {
	s, _ := newTestService(t)
	rest := mustAPI(t, s, REST, nil)
	if err := rest.PutGatewayResponse("NO_SUCH_TYPE", GatewayResponse{}); err == nil {
		t.Error("unknown type accepted")
	}
	httpAPI := mustAPI(t, s, HTTP, nil)
	if err := httpAPI.PutGatewayResponse(ResponseDefault4XX, GatewayResponse{}); err == nil {
		t.Error("gateway response on an HTTP API accepted")
	}
}
