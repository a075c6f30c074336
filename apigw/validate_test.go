package apigw

import (
	"bytes"
	"errors"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/clock"
)

const petModel = `{
  "$schema": "http://json-schema.org/draft-04/schema#",
  "type": "object",
  "required": ["name", "price"],
  "properties": {
    "name": {"type": "string", "minLength": 1},
    "price": {"type": "number", "minimum": 0, "exclusiveMinimum": true},
    "tags": {"type": "array", "items": {"$ref": "#/definitions/tag"}}
  },
  "additionalProperties": false,
  "definitions": {"tag": {"type": "string", "enum": ["dog", "cat"]}}
}`

// validatedAPI deploys a REST API with one validated POST method.
func validatedAPI(t *testing.T, v RequestValidator, params map[string]bool, models map[string]string) (*Stage, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	s := New(Options{Clock: clock.NewManual(t0), Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	api, err := s.CreateAPI(APIConfig{Name: "pets", Kind: REST})
	if err != nil {
		t.Fatal(err)
	}
	err = api.Route("POST /pets/{id}", Route{
		Integration:       Mock{StatusCode: 201, Body: "created"},
		RequestValidator:  &v,
		RequestParameters: params,
		RequestModels:     models,
	})
	if err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	return st, &logs
}

func post(t *testing.T, st *Stage, target, contentType, body string, header map[string]string) (int, string) {
	t.Helper()
	r := httptest.NewRequest("POST", target, strings.NewReader(body))
	if contentType != "" {
		r.Header.Set("Content-Type", contentType)
	}
	for k, v := range header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	st.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

func TestValidate_RequiredParametersAreNamedInTheMessage(t *testing.T) {
	params := map[string]bool{
		"method.request.querystring.page":  true,
		"method.request.header.X-Token":    true,
		"method.request.path.id":           true,
		"method.request.querystring.debug": false,
	}
	st, logs := validatedAPI(t, RequestValidator{ValidateRequestParameters: true}, params, nil)
	cases := []struct {
		name   string
		target string
		header map[string]string
		code   int
		body   string
	}{
		{"all present", "/pets/1?page=2", map[string]string{"X-Token": "t"}, 201, "created"},
		{"header spelled in another case", "/pets/1?page=2", map[string]string{"x-token": "t"}, 201, "created"},
		{"both missing", "/pets/1", nil, 400, `{"message": "Missing required request parameters: [X-Token, page]"}`},
		{"blank query value", "/pets/1?page=", map[string]string{"X-Token": "t"}, 400, `{"message": "Missing required request parameters: [page]"}`},
		{"blank header", "/pets/1?page=1", map[string]string{"X-Token": "  "}, 400, `{"message": "Missing required request parameters: [X-Token]"}`},
		{"optional parameter absent", "/pets/1?page=1&other=x", map[string]string{"X-Token": "t"}, 201, "created"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, body := post(t, st, tc.target, "", "", tc.header)
			if code != tc.code || body != tc.body {
				t.Errorf("= %d %s, want %d %s", code, body, tc.code, tc.body)
			}
		})
	}
	if !strings.Contains(logs.String(), "response=BAD_REQUEST_PARAMETERS") {
		t.Errorf("denials not logged with their type:\n%s", logs)
	}
}

func TestValidate_BodyAgainstDraft4Model(t *testing.T) {
	st, logs := validatedAPI(t, RequestValidator{ValidateRequestBody: true}, nil, map[string]string{"application/json": petModel})
	cases := []struct {
		name, contentType, body string
		code                    int
		reason                  string // part of the logged reason
	}{
		{"valid", "application/json", `{"name":"rex","price":3.5,"tags":["dog"]}`, 201, ""},
		{"valid with charset", "application/json; charset=utf-8", `{"name":"rex","price":1}`, 201, ""},
		{"missing content type means application/json", "", `{"name":"rex"}`, 400, "price"},
		{"missing required property", "application/json", `{"name":"rex"}`, 400, "price"},
		{"wrong type", "application/json", `{"name":7,"price":1}`, 400, "/name"},
		{"exclusive minimum (draft 4 boolean form)", "application/json", `{"name":"rex","price":0}`, 400, "/price"},
		{"$ref inside the model", "application/json", `{"name":"rex","price":1,"tags":["cow"]}`, 400, "at /tags/0: value must be one of"},
		{"additional property", "application/json", `{"name":"rex","price":1,"x":1}`, 400, "x"},
		{"not JSON", "application/json", `{"name":`, 400, "not JSON"},
		{"empty body is the empty object", "application/json", ``, 400, "name"},
		{"content type without a model passes", "text/plain", `anything`, 201, ""},
		{"media type compared without case", "Application/JSON", `{"name":"rex"}`, 400, "price"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			logs.Reset()
			code, body := post(t, st, "/pets/1", tc.contentType, tc.body, nil)
			if code != tc.code {
				t.Fatalf("= %d %s, want %d", code, body, tc.code)
			}
			if tc.code == 400 {
				if body != `{"message": "Invalid request body"}` {
					t.Errorf("body %s", body)
				}
				if !strings.Contains(logs.String(), "Request body does not match model schema for content type") || !strings.Contains(logs.String(), tc.reason) {
					t.Errorf("log does not say %q:\n%s", tc.reason, logs)
				}
			}
		})
	}
}

func TestValidate_DefaultModelCoversOtherContentTypes(t *testing.T) {
	st, _ := validatedAPI(t, RequestValidator{ValidateRequestBody: true}, nil, map[string]string{
		"$default":   `{"type":"object","required":["a"]}`,
		"text/plain": `{"type":"string"}`,
	})
	if code, _ := post(t, st, "/pets/1", "application/xml", `{"b":1}`, nil); code != 400 {
		t.Errorf("$default model not applied: %d", code)
	}
	if code, _ := post(t, st, "/pets/1", "application/xml", `{"a":1}`, nil); code != 201 {
		t.Errorf("$default model rejected a valid body: %d", code)
	}
	if code, _ := post(t, st, "/pets/1", "text/plain", `"s"`, nil); code != 201 {
		t.Errorf("the content type's own model should win over $default: %d", code)
	}
}

func TestValidate_ParametersBeforeBody(t *testing.T) {
	st, _ := validatedAPI(t, RequestValidator{ValidateRequestBody: true, ValidateRequestParameters: true},
		map[string]bool{"method.request.querystring.q": true}, map[string]string{"application/json": petModel})
	code, body := post(t, st, "/pets/1", "application/json", `{}`, nil)
	if code != 400 || body != `{"message": "Missing required request parameters: [q]"}` {
		t.Errorf("= %d %s", code, body)
	}
}

func TestValidate_OnlyWhatTheValidatorAsks(t *testing.T) {
	// A validator for parameters does not look at the body, and a method
	// without a validator checks nothing.
	st, _ := validatedAPI(t, RequestValidator{ValidateRequestParameters: true}, nil, map[string]string{"application/json": petModel})
	if code, _ := post(t, st, "/pets/1", "application/json", `not json`, nil); code != 201 {
		t.Errorf("body checked by a parameters-only validator: %d", code)
	}
}

func TestValidateModel_RejectsWhatCreateModelRejects(t *testing.T) {
	for _, tc := range []struct {
		schema string
		ok     bool
	}{
		{petModel, true},
		{`{}`, true},
		{`{"type":"object","properties":{"a":{"type":"integer","maximum":3}}}`, true},
		{`{"type": 12}`, false},
		{`{"required": []}`, false}, // draft 4: required needs at least one name
		{`{"$ref": "https://example.com/other.json"}`, false},
		{`not json`, false},
	} {
		err := ValidateModel(tc.schema)
		if tc.ok != (err == nil) {
			t.Errorf("ValidateModel(%s) = %v, want ok=%v", tc.schema, err, tc.ok)
		}
		if err != nil && !errors.Is(err, ErrBadRequest) {
			t.Errorf("ValidateModel(%s) = %v, want BadRequestException", tc.schema, err)
		}
	}
}

func TestCompileModel_CompilesOnce(t *testing.T) {
	var m modelCache
	a, err := m.compile(petModel)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := m.compile(petModel)
	if a != b {
		t.Error("the same model text compiled twice")
	}
}

// BenchmarkValidate_Body measures a full request through a stage with
// and without body validation against a draft-4 model, so the
// difference is what validation costs.
func BenchmarkValidate_Body(b *testing.B) {
	body := `{"name":"rex","price":3.5,"tags":["dog","cat"]}`
	for _, validated := range []bool{true, false} {
		name := "validated"
		if !validated {
			name = "unvalidated"
		}
		b.Run(name, func(b *testing.B) {
			s := New(Options{Clock: clock.NewManual(t0)})
			api, _ := s.CreateAPI(APIConfig{Name: "pets", Kind: REST})
			r := Route{Integration: Mock{StatusCode: 201}}
			if validated {
				r.RequestValidator = &RequestValidator{ValidateRequestBody: true}
				r.RequestModels = map[string]string{"application/json": petModel}
			}
			_ = api.Route("POST /pets", r)
			st, _ := api.Deploy("prod")
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("POST", "/pets", strings.NewReader(body))
				r.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				st.ServeHTTP(w, r)
				if w.Code != 201 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}
