package authz

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/internal/awserr"
)

const allowDoc = `{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"` + arn + `/prod/GET/*"}]}`

func TestParsePolicyResponse_ReadsRESTAuthorizerOutput(t *testing.T) {
	r, err := ParsePolicyResponse([]byte(`{"principalId":"user|a1b2","policyDocument":` + allowDoc +
		`,"context":{"stringKey":"value","numberKey":1.50,"booleanKey":true},"usageIdentifierKey":"key-123"}`))
	if err != nil {
		t.Fatal(err)
	}
	if r.PrincipalID != "user|a1b2" || r.UsageIdentifierKey != "key-123" {
		t.Errorf("response = %+v", r)
	}
	if d := r.PolicyDocument.Evaluate(Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets"}); d != Allow {
		t.Errorf("policy decision = %v", d)
	}
	got := ContextStrings(r.Context)
	want := map[string]string{"stringKey": "value", "numberKey": "1.50", "booleanKey": "true"}
	if len(got) != len(want) {
		t.Fatalf("context = %v", got)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("context[%s] = %q, want %q", k, got[k], v)
		}
	}
}

func TestParsePolicyResponse_RefusesWhatAPIGatewayRefuses(t *testing.T) {
	tests := map[string]string{
		"not JSON":                   `{`,
		"not an object":              `"Allow"`,
		"no principalId":             `{"policyDocument":` + allowDoc + `}`,
		"principalId a number":       `{"principalId":7,"policyDocument":` + allowDoc + `}`,
		"no policyDocument":          `{"principalId":"u"}`,
		"null policyDocument":        `{"principalId":"u","policyDocument":null}`,
		"malformed policyDocument":   `{"principalId":"u","policyDocument":{"Statement":{"Effect":"Maybe","Action":"*","Resource":"*"}}}`,
		"context object value":       `{"principalId":"u","policyDocument":` + allowDoc + `,"context":{"user":{"id":1}}}`,
		"context array value":        `{"principalId":"u","policyDocument":` + allowDoc + `,"context":{"roles":["a"]}}`,
		"context null value":         `{"principalId":"u","policyDocument":` + allowDoc + `,"context":{"x":null}}`,
		"context not an object":      `{"principalId":"u","policyDocument":` + allowDoc + `,"context":"x"}`,
		"usageIdentifierKey numeric": `{"principalId":"u","policyDocument":` + allowDoc + `,"usageIdentifierKey":5}`,
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			r, err := ParsePolicyResponse([]byte(doc))
			var e *awserr.Error
			if r != nil || !errors.As(err, &e) || e.Code != "AuthorizerConfigurationException" || e.StatusCode != 500 || e.Message == "" {
				t.Errorf("ParsePolicyResponse = %v, %v; want AuthorizerConfigurationException", r, err)
			}
		})
	}
}

func TestParsePolicyResponseV2_AllowsAnyContext(t *testing.T) {
	doc := `{"principalId":"abcdef","policyDocument":` + allowDoc + `,"context":{"arrayKey":["value1","value2"],"mapKey":{"value1":"value2"},"n":1}}`
	if _, err := ParsePolicyResponse([]byte(doc)); !errors.Is(err, ErrAuthorizerConfiguration) {
		t.Fatalf("payload 1.0 took nested context: %v", err)
	}
	r, err := ParsePolicyResponseV2([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	got := ContextStrings(r.Context)
	if got["arrayKey"] != `["value1","value2"]` || got["mapKey"] != `{"value1":"value2"}` || got["n"] != "1" {
		t.Errorf("context = %v", got)
	}
}

func TestParseSimpleResponse_NeedsABooleanIsAuthorized(t *testing.T) {
	tests := []struct {
		doc  string
		ok   bool
		want bool
	}{
		{`{"isAuthorized":true,"context":{"k":"v","m":{"a":1}}}`, true, true},
		{`{"isAuthorized":false}`, true, false},
		{`{"isAuthorized":"true"}`, false, false},
		{`{"isAuthorized":null}`, false, false},
		{`{"IsAuthorized":true}`, false, false},
		{`{}`, false, false},
		{`[true]`, false, false},
		{`{"isAuthorized":true,"context":[1]}`, false, false},
	}
	for _, tt := range tests {
		r, err := ParseSimpleResponse([]byte(tt.doc))
		if !tt.ok {
			if r != nil || !errors.Is(err, ErrAuthorizerConfiguration) {
				t.Errorf("ParseSimpleResponse(%s) = %v, %v; want AuthorizerConfigurationException", tt.doc, r, err)
			}
			continue
		}
		if err != nil || r.IsAuthorized != tt.want {
			t.Errorf("ParseSimpleResponse(%s) = %+v, %v", tt.doc, r, err)
		}
	}
	r, _ := ParseSimpleResponse([]byte(`{"isAuthorized":true,"context":{"big":12345678901234567890}}`))
	if n, ok := r.Context["big"].(json.Number); !ok || !strings.HasPrefix(n.String(), "1234567890123456789") {
		t.Errorf("big number = %#v", r.Context["big"])
	}
}
