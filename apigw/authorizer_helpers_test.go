package apigw

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Test signing keys are generated once per test binary: RSA key
// generation takes tens of milliseconds.
var testKeys struct {
	once                 sync.Once
	good, other, unknown *TestSigningKey
	err                  error
}

// unknownKey is a key whose kid ("key-2") no JWKS of the tests lists.
func unknownKey(t testing.TB) *TestSigningKey {
	signingKeys(t)
	return testKeys.unknown
}

func signingKeys(t testing.TB) (good, other *TestSigningKey) {
	t.Helper()
	testKeys.once.Do(func() {
		testKeys.good, testKeys.err = NewTestSigningKey("key-1")
		if testKeys.err == nil {
			testKeys.other, testKeys.err = NewTestSigningKey("key-1") // same kid, different key
		}
		if testKeys.err == nil {
			testKeys.unknown, testKeys.err = NewTestSigningKey("key-2")
		}
	})
	if testKeys.err != nil {
		t.Fatal(testKeys.err)
	}
	return testKeys.good, testKeys.other
}

func mustSign(t testing.TB, k *TestSigningKey, claims map[string]any) string {
	t.Helper()
	tok, err := k.Sign(claims)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

// authFn is a Lambda authorizer: it records each event and answers with
// answer(event).
type authFn struct {
	mu     sync.Mutex
	calls  atomic.Int64
	events [][]byte
	answer func(ev map[string]any) ([]byte, error)
}

func (f *authFn) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	f.calls.Add(1)
	f.mu.Lock()
	f.events = append(f.events, append([]byte(nil), payload...))
	f.mu.Unlock()
	var ev map[string]any
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	return f.answer(ev)
}

func (f *authFn) lastEvent(t testing.TB) map[string]any {
	t.Helper()
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.events) == 0 {
		t.Fatal("the authorizer was not invoked")
	}
	var ev map[string]any
	if err := json.Unmarshal(f.events[len(f.events)-1], &ev); err != nil {
		t.Fatal(err)
	}
	return ev
}

// policyAnswer is an authorizer's IAM policy response.
func policyAnswer(principal, effect, resource string, ctx map[string]any) []byte {
	m := map[string]any{
		"principalId": principal,
		"policyDocument": map[string]any{
			"Version":   "2012-10-17",
			"Statement": []any{map[string]any{"Action": "execute-api:Invoke", "Effect": effect, "Resource": resource}},
		},
	}
	if ctx != nil {
		m["context"] = ctx
	}
	b, _ := json.Marshal(m)
	return b
}

// tokenAuthorizer answers by token: "allow" allows every method of the
// API, "deny" denies explicitly, "other" allows only another resource,
// "fail" fails, "unauthorized" fails with "Unauthorized", "garbage"
// answers what API Gateway cannot read.
func tokenAuthorizer() *authFn {
	return &authFn{answer: func(ev map[string]any) ([]byte, error) {
		tok, _ := ev["authorizationToken"].(string)
		if tok == "" {
			hs, _ := ev["headers"].(map[string]any)
			tok, _ = hs["Authorization"].(string)
		}
		arn, _ := ev["methodArn"].(string)
		all := arn[:strings.Index(arn, "/")] + "/*"
		switch tok {
		case "allow":
			return policyAnswer("user-1", "Allow", all, map[string]any{"tier": "gold", "n": 7, "ok": true}), nil
		case "deny":
			return policyAnswer("user-1", "Deny", all, nil), nil
		case "other":
			return policyAnswer("user-1", "Allow", arn[:strings.Index(arn, "/")]+"/*/POST/other", nil), nil
		case "unauthorized":
			return nil, errString("Unauthorized")
		case "garbage":
			return []byte(`{"principalId": 5}`), nil
		}
		return nil, errString("boom")
	}}
}

type errString string

func (e errString) Error() string { return string(e) }

// recorder is an integration that counts its calls and echoes the
// authorizer result it saw.
type recorder struct {
	calls atomic.Int64
	last  atomic.Pointer[Request]
}

func (r *recorder) Integrate(_ context.Context, req *Request) (*Response, error) {
	r.calls.Add(1)
	r.last.Store(req)
	return &Response{StatusCode: 200, Body: []byte("ok")}, nil
}

// send serves one request with headers and returns the recorder.
func send(h http.Handler, method, target string, hdr map[string]string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for k, v := range hdr {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func serveReq(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func exp(now time.Time, d time.Duration) int64 { return now.Add(d).Unix() }
