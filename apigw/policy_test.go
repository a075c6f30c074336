package apigw

import (
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestCreateAPI_ChecksTheResourcePolicy(t *testing.T) {
	s, _ := newTestService(t)
	if _, err := s.CreateAPI(APIConfig{Name: "a", Kind: REST, Policy: `{"Statement": 5}`}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("malformed policy: %v", err)
	}
	if _, err := s.CreateAPI(APIConfig{Name: "a", Kind: HTTP, Policy: walledPolicy}); !errors.Is(err, ErrBadRequest) {
		t.Errorf("policy on an HTTP API: %v", err)
	}
	if _, err := s.CreateAPI(APIConfig{Name: "a", Kind: REST, Policy: walledPolicy}); err != nil {
		t.Errorf("valid policy: %v", err)
	}
}

// policyStage is a REST stage with the resource policy: GET /open has no
// authorization, GET /lambda a TOKEN authorizer whose answer is chosen
// by the token ("allow", "deny", "other").
func policyStage(t *testing.T, policy string) (*Stage, *authFn) {
	t.Helper()
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "p", Kind: REST, Policy: policy})
	if err != nil {
		t.Fatal(err)
	}
	az := tokenAuthorizer()
	id, err := api.CreateAuthorizer(Authorizer{Name: "tok", Type: AuthorizerToken, Function: az, ResultTTL: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /open", Route{Integration: named("open")}); err != nil {
		t.Fatal(err)
	}
	if err := api.Route("GET /lambda", Route{Integration: named("lambda"), AuthorizationType: AuthCustom, AuthorizerID: id}); err != nil {
		t.Fatal(err)
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	return st, az
}

func TestResourcePolicy_SourceIPAndVPCEndpoint(t *testing.T) {
	allowList := `{"Version":"2012-10-17","Statement":[
	  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*",
	   "Condition":{"IpAddress":{"aws:SourceIp":["203.0.113.0/24","2001:db8::/32"]}}},
	  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/GET/open",
	   "Condition":{"StringEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}},
	  {"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/prod/GET/open",
	   "Condition":{"StringEquals":{"aws:SourceVpc":"vpc-2f09a348"}}}]}`
	st, _ := policyStage(t, allowList)
	cases := []struct {
		name string
		ip   string
		hdr  map[string]string
		want int
	}{
		{"listed IPv4", "203.0.113.9", nil, 200},
		{"listed IPv6", "[2001:db8::1]", nil, 200},
		{"unlisted IP", "198.51.100.1", nil, 403},
		{"listed VPC endpoint", "10.0.0.1", map[string]string{HeaderSourceVpce: "vpce-1a2b3c4d"}, 200},
		{"other VPC endpoint", "10.0.0.1", map[string]string{HeaderSourceVpce: "vpce-ffff"}, 403},
		{"listed VPC", "10.0.0.1", map[string]string{HeaderSourceVpc: "vpc-2f09a348"}, 200},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/open", nil)
		r.RemoteAddr = tc.ip + ":1234"
		for k, v := range tc.hdr {
			r.Header.Set(k, v)
		}
		w := serveReq(st, r)
		if w.Code != tc.want {
			t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
		}
		if w.Code == 403 {
			want := `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:` + st.api.ID() + `/prod/GET/open"}`
			if w.Body.String() != want {
				t.Errorf("%s: implicit deny body %s, want %s", tc.name, w.Body, want)
			}
		}
	}
}

// TestResourcePolicy_WithLambdaAuthorizer walks AWS's table for a Lambda
// authorizer and a resource policy: an explicit Deny in either refuses
// (the resource policy's before the authorizer is even invoked), an Allow
// in either admits, neither refuses.
func TestResourcePolicy_WithLambdaAuthorizer(t *testing.T) {
	const (
		allow   = `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}`
		deny    = `{"Statement":[{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}`
		neither = `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/DELETE/*"}]}`
	)
	cases := []struct {
		resource, token string
		want            int
		body            string
		invoked         bool
	}{
		{allow, "allow", 200, "lambda", true},
		{allow, "other", 200, "lambda", true},
		{allow, "deny", 403, "with an explicit deny", true},
		{neither, "allow", 200, "lambda", true},
		{neither, "other", 403, `{"Message":"User is not authorized to access this resource"}`, true},
		{neither, "deny", 403, `{"Message":"User is not authorized to access this resource with an explicit deny"}`, true},
		{deny, "allow", 403, `{"Message":"User: anonymous is not authorized to perform: execute-api:Invoke on resource:`, false},
	}
	for _, tc := range cases {
		st, az := policyStage(t, tc.resource)
		w := send(st, "GET", "/lambda", map[string]string{"Authorization": tc.token})
		if w.Code != tc.want || !strings.Contains(w.Body.String(), tc.body) {
			t.Errorf("resource %s, token %s: %d %s", tc.resource[30:50], tc.token, w.Code, w.Body)
		}
		if invoked := az.calls.Load() > 0; invoked != tc.invoked {
			t.Errorf("resource %s, token %s: authorizer invoked %v", tc.resource[30:50], tc.token, invoked)
		}
	}
}

func TestResourcePolicy_OpenRouteNeedsAnAllow(t *testing.T) {
	st, _ := policyStage(t, `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/GET/lambda"}]}`)
	if w := send(st, "GET", "/open", nil); w.Code != 403 {
		t.Errorf("open route outside the Allow: %d %s", w.Code, w.Body)
	}
	// The policy was parsed once for the deployment and expanded.
	p, err := st.dep.resourcePolicy("us-east-1", "123456789012")
	if err != nil || p.Statements[0].Resource[0] != "arn:aws:execute-api:us-east-1:123456789012:"+st.api.ID()+"/*/GET/lambda" {
		t.Errorf("expanded resource %v %v", p.Statements[0].Resource, err)
	}
}
