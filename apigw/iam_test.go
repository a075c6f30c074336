package apigw

import (
	"encoding/json"
	"errors"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/internal/sigv4"
)

func TestAddCredentials_Validates(t *testing.T) {
	s, _ := newTestService(t)
	for _, tc := range []struct {
		id   string
		cred Credential
		want error
	}{
		{"SHORT", Credential{SecretAccessKey: "s"}, ErrBadRequest},
		{"AKID-WITH-DASHES1", Credential{SecretAccessKey: "s"}, ErrBadRequest},
		{"AKIDEXAMPLE000001", Credential{}, ErrBadRequest},
		{"AKIDEXAMPLE000001", Credential{SecretAccessKey: "s", Policy: "{"}, ErrBadRequest},
		{"AKIDEXAMPLE000001", Credential{SecretAccessKey: "s"}, nil},
	} {
		if err := s.AddCredentials(tc.id, tc.cred); !errors.Is(err, tc.want) && (err != nil || tc.want != nil) {
			t.Errorf("AddCredentials(%q, %+v): %v, want %v", tc.id, tc.cred, err, tc.want)
		}
	}
	if ids := s.CredentialIDs(); !slices.Equal(ids, []string{"AKIDEXAMPLE000001"}) {
		t.Errorf("ids %v", ids)
	}
	if err := s.RemoveCredentials("AKIDEXAMPLE000001"); err != nil {
		t.Fatal(err)
	}
	if err := s.RemoveCredentials("AKIDEXAMPLE000001"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second removal: %v", err)
	}
}

// iamStage is a REST (or HTTP) stage whose routes are AWS_IAM and
// answered by a Lambda proxy echoing its event.
func iamStage(t *testing.T, kind Kind, policy string) (*Service, *Stage, *fakeFn) {
	t.Helper()
	s, _ := newTestService(t)
	api, err := s.CreateAPI(APIConfig{Name: "iam", Kind: kind, Policy: policy})
	if err != nil {
		t.Fatal(err)
	}
	fn := echoFn()
	for _, k := range []string{"GET /items/{id}", "POST /items"} {
		if err := api.Route(k, Route{Integration: LambdaProxy{Function: fn}, AuthorizationType: AuthIAM}); err != nil {
			t.Fatal(err)
		}
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	return s, st, fn
}

func TestIAM_SignedRequestShowsTheCallerToTheFunction(t *testing.T) {
	s, st, fn := iamStage(t, REST, "")
	if err := s.AddCredentials(testKeyID, Credential{SecretAccessKey: testSecret, UserARN: "arn:aws:iam::123456789012:user/alice", UserID: "AIDAALICE"}); err != nil {
		t.Fatal(err)
	}
	body := `{"name":"x"}`
	r := httptest.NewRequest("POST", "/items", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/json")
	SignRequest(r, []byte(body), testKeyID, Credential{SecretAccessKey: testSecret}, "us-east-1", t0)
	w := serveReq(st, r)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var ev struct {
		RequestContext struct {
			Identity map[string]any `json:"identity"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	id := ev.RequestContext.Identity
	for k, want := range map[string]string{"accessKey": testKeyID, "accountId": "123456789012", "userArn": "arn:aws:iam::123456789012:user/alice", "user": "AIDAALICE", "caller": "AIDAALICE"} {
		if id[k] != want {
			t.Errorf("identity.%s = %v, want %s", k, id[k], want)
		}
	}
	// The body is signed: changing it breaks the signature.
	r = httptest.NewRequest("POST", "/items", strings.NewReader(`{"name":"y"}`))
	r.Header.Set("Content-Type", "application/json")
	SignRequest(r, []byte(body), testKeyID, Credential{SecretAccessKey: testSecret}, "us-east-1", t0)
	if w := serveReq(st, r); w.Code != 403 || w.Header().Get("X-Amzn-ErrorType") != "InvalidSignatureException" {
		t.Errorf("tampered body: %d %s", w.Code, w.Header().Get("X-Amzn-ErrorType"))
	}
}

func TestIAM_SessionTokenAndRegion(t *testing.T) {
	s, st, _ := iamStage(t, REST, "")
	temp := Credential{SecretAccessKey: testSecret, SessionToken: "FwoGZXIvYXdzEXAMPLE"}
	if err := s.AddCredentials("ASIAEXAMPLE000001", temp); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		sign   Credential
		region string
		status int
		msg    string
	}{
		{"with its token", temp, "us-east-1", 200, ""},
		{"without its token", Credential{SecretAccessKey: testSecret}, "us-east-1", 403, "The security token included in the request is invalid."},
		{"another Region's scope", temp, "eu-west-1", 403, "Credential should be scoped to a valid region, not 'eu-west-1'."},
	}
	for _, tc := range cases {
		r := httptest.NewRequest("GET", "/items/1", nil)
		SignRequest(r, nil, "ASIAEXAMPLE000001", tc.sign, tc.region, t0)
		w := serveReq(st, r)
		if w.Code != tc.status || tc.msg != "" && !strings.Contains(w.Body.String(), tc.msg) {
			t.Errorf("%s: %d %s", tc.name, w.Code, w.Body)
		}
	}
}

// TestIAM_PolicyEvaluationTables checks the outcome of an IAM caller's
// policy with the resource policy, per AWS's tables: the API's own
// account needs an Allow from either and no Deny; another account needs
// an Allow from both.
func TestIAM_PolicyEvaluationTables(t *testing.T) {
	allowItems := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/GET/items/*"}]}`
	denyItems := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/GET/items/*"}]}`
	nothing := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"arn:aws:execute-api:*:*:*/*/DELETE/*"}]}`
	resAllow := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::123456789012:user/u","arn:aws:iam::210987654321:user/u"]},"Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}`
	resDeny := `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*"}]}`
	resNeither := `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"execute-api:/*/POST/*"}]}`
	cases := []struct {
		name, account, identity, resource string
		want                              int
	}{
		{"same account: identity allows, no resource policy", "", allowItems, "", 200},
		{"same account: identity neither, no resource policy", "", nothing, "", 403},
		{"same account: identity allows, resource neither", "", allowItems, resNeither, 200},
		{"same account: identity neither, resource allows", "", nothing, resAllow, 200},
		{"same account: identity neither, resource neither", "", nothing, resNeither, 403},
		{"same account: identity allows, resource denies", "", allowItems, resDeny, 403},
		{"same account: identity denies, resource allows", "", denyItems, resAllow, 403},
		{"other account: both allow", "210987654321", allowItems, resAllow, 200},
		{"other account: identity allows, no resource policy", "210987654321", allowItems, "", 403},
		{"other account: identity allows, resource neither", "210987654321", allowItems, resNeither, 403},
		{"other account: identity neither, resource allows", "210987654321", nothing, resAllow, 403},
		{"other account: resource denies", "210987654321", allowItems, resDeny, 403},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			s, st, _ := iamStage(t, REST, tc.resource)
			account := tc.account
			if account == "" {
				account = "123456789012"
			}
			if err := s.AddCredentials(testKeyID, Credential{SecretAccessKey: testSecret, AccountID: tc.account, UserARN: "arn:aws:iam::" + account + ":user/u", Policy: tc.identity}); err != nil {
				t.Fatal(err)
			}
			w := serveReq(st, signed("GET", "/items/1", testKeyID, testSecret, t0))
			if w.Code != tc.want {
				t.Fatalf("%d %s, want %d", w.Code, w.Body, tc.want)
			}
			if w.Code == 403 && !strings.HasPrefix(w.Body.String(), `{"Message":"User: arn:aws:iam::`+account+`:user/u is not authorized to perform: execute-api:Invoke on resource: arn:aws:execute-api:us-east-1:123456789012:`) {
				t.Errorf("body %s", w.Body)
			}
		})
	}
}

func TestIAM_HTTPAPI(t *testing.T) {
	s, st, fn := iamStage(t, HTTP, "")
	if err := s.AddCredentials(testKeyID, Credential{SecretAccessKey: testSecret}); err != nil {
		t.Fatal(err)
	}
	if w := send(st, "GET", "/items/1", nil); w.Code != 403 || w.Body.String() != `{"message":"Forbidden"}` {
		t.Errorf("unsigned: %d %s", w.Code, w.Body)
	}
	w := serveReq(st, signed("GET", "/items/1", testKeyID, testSecret, t0))
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var ev struct {
		RequestContext struct {
			Authorizer struct {
				IAM map[string]any `json:"iam"`
			} `json:"authorizer"`
		} `json:"requestContext"`
	}
	if err := json.Unmarshal(fn.last, &ev); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"accessKey": testKeyID, "accountId": "123456789012", "callerId": testKeyID, "principalOrgId": nil,
		"userArn": "arn:aws:iam::123456789012:user/" + testKeyID, "userId": testKeyID}
	if diff := cmp.Diff(want, ev.RequestContext.Authorizer.IAM); diff != "" {
		t.Errorf("requestContext.authorizer.iam (-want +got):\n%s", diff)
	}
}

func TestIAM_SkewOnTheClock(t *testing.T) {
	s, st, _ := iamStage(t, REST, "")
	if err := s.AddCredentials(testKeyID, Credential{SecretAccessKey: testSecret}); err != nil {
		t.Fatal(err)
	}
	clk := s.clock
	for _, tc := range []struct {
		at   time.Duration
		want int
	}{{-5 * time.Minute, 200}, {-5*time.Minute - time.Second, 403}, {5 * time.Minute, 200}, {5*time.Minute + time.Second, 403}} {
		w := serveReq(st, signed("GET", "/items/1", testKeyID, testSecret, clk.Now().Add(tc.at)))
		if w.Code != tc.want {
			t.Errorf("signed at %v: %d %s", tc.at, w.Code, w.Body)
		}
	}
}

// TestIAM_PresignedURL checks query-string SigV4 (a presigned URL): valid
// until X-Amz-Expires after its date on the clock.
func TestIAM_PresignedURL(t *testing.T) {
	s, st, _ := iamStage(t, REST, "")
	if err := s.AddCredentials(testKeyID, Credential{SecretAccessKey: testSecret}); err != nil {
		t.Fatal(err)
	}
	presigned := func() *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/items/5?color=red", nil)
		sigv4.Presign(r, nil, testKeyID, sigv4.Credential{SecretAccessKey: testSecret}, "us-east-1", "execute-api", t0, time.Minute)
		return serveReq(st, r)
	}
	if w := presigned(); w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	s.clock.(interface{ Advance(time.Duration) }).Advance(time.Minute + time.Second)
	if w := presigned(); w.Code != 403 || !strings.Contains(w.Body.String(), "Signature expired") {
		t.Errorf("past X-Amz-Expires: %d %s", w.Code, w.Body)
	}
}
