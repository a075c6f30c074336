package cfjs_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/edge/cfjs"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func load(t testing.TB, file string, opts cfjs.Options) *edge.Function {
	t.Helper()
	src, err := os.ReadFile("testdata/" + file)
	if err != nil {
		t.Fatal(err)
	}
	fn, err := cfjs.New(strings.TrimSuffix(file, ".js"), string(src), opts)
	if err != nil {
		t.Fatalf("cfjs.New(%s): %v", file, err)
	}
	return fn
}

type site struct {
	d      *edge.Distribution
	clock  *clock.Manual
	origin chan *http.Request
}

func newSite(t testing.TB, policy *edge.CachePolicy, fas ...edge.FunctionAssociation) *site {
	t.Helper()
	c := clock.NewManual(epoch)
	// goja interprets JavaScript one to two orders of magnitude slower than
	// CloudFront's engine (more under -race), so these tests stop the
	// compute clock; TestJS_ComputeUtilizationIsReported measures it.
	cf := edge.New(edge.Options{Clock: c, ComputeClock: clock.NewManual(epoch)})
	t.Cleanup(func() { cf.Close() })
	s := &site{clock: c, origin: make(chan *http.Request, 100)}
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case s.origin <- r.Clone(context.Background()):
		default:
		}
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "origin "+r.URL.RequestURI()+" user="+r.Header.Get("X-User"))
	})
	out, err := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "cfjs", Origins: []edge.Origin{{Id: "o", Handler: origin}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "o", CachePolicy: policy, FunctionAssociations: fas,
			OriginRequestPolicy: &edge.OriginRequestPolicy{HeadersConfig: edge.HeadersConfig{HeaderBehavior: edge.BehaviorWhitelist, Headers: []string{"X-User", "X-Rewritten-By", "X-Normalized"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	s.d = out.Distribution
	return s
}

func (s *site) get(target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("GET", target, nil)
	for i := 0; i < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	s.d.ServeHTTP(w, r)
	return w
}

func TestJS_RewriteAndRedirectFunctionFile(t *testing.T) {
	fn := load(t, "index-rewrite.js", cfjs.Options{})
	s := newSite(t, nil, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: fn})
	w := s.get("http://www.example.com/old/page.html")
	if w.Code != 301 || w.Header().Get("Location") != "https://www.example.com/new/page.html" || w.Header().Get("X-Cache") != edge.XCacheFunctionGeneratedResponse {
		t.Errorf("redirect = %d %q %q", w.Code, w.Header().Get("Location"), w.Header().Get("X-Cache"))
	}
	for path, want := range map[string]string{"/docs/": "/docs/index.html", "/docs": "/docs/index.html", "/app.js": "/app.js"} {
		w := s.get(path)
		if !strings.HasPrefix(w.Body.String(), "origin "+want+" ") {
			t.Errorf("GET %s = %q, want the origin to see %s", path, w.Body.String(), want)
		}
	}
	r := <-s.origin
	if r.Header.Get("X-Rewritten-By") != "cloudfront-function" {
		t.Errorf("origin headers %v", r.Header)
	}
}

func makeJWT(key, sub string, exp time.Time) string {
	enc := base64.RawURLEncoding
	h := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	p := enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":%q,"exp":%d}`, sub, exp.Unix())))
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(h + "." + p))
	return h + "." + p + "." + enc.EncodeToString(m.Sum(nil))
}

func TestJS_JWTWithCryptoKeyValueStoreAndAsync(t *testing.T) {
	var logs bytes.Buffer
	c := clock.NewManual(epoch)
	fn := load(t, "jwt.js", cfjs.Options{KeyValueStore: cfjs.KeyValueStore{"jwt-key": "s3cr3t"}, Clock: c,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	s := newSite(t, edge.CachingDisabled(), edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: fn})
	good := makeJWT("s3cr3t", "alice", epoch.Add(time.Hour))
	cases := []struct {
		name, auth string
		status     int
		why        string
	}{
		{"valid", "Bearer " + good, 200, ""},
		{"missing", "", 401, "missing"},
		{"malformed", "Bearer abc", 401, "malformed"},
		{"wrong key", "Bearer " + makeJWT("other", "alice", epoch.Add(time.Hour)), 401, "signature"},
		{"expired", "Bearer " + makeJWT("s3cr3t", "alice", epoch.Add(-time.Minute)), 401, "expired"},
	}
	for _, cs := range cases {
		w := s.get("/private", "Authorization", cs.auth)
		if w.Code != cs.status || (cs.why != "" && !strings.Contains(w.Header().Get("Www-Authenticate"), cs.why)) {
			t.Errorf("%s: %d %q", cs.name, w.Code, w.Header().Get("Www-Authenticate"))
		}
		if cs.status == 200 && w.Body.String() != "origin /private user=alice" {
			t.Errorf("%s: body %q", cs.name, w.Body.String())
		}
	}
	if !strings.Contains(logs.String(), "allowed alice") {
		t.Errorf("console.log did not reach the logger: %q", logs.String())
	}
	c.Advance(2 * time.Hour)
	if w := s.get("/private", "Authorization", "Bearer "+good); w.Code != 401 {
		t.Errorf("after the token's exp on the function's clock: %d", w.Code)
	}
}

func TestJS_NormalizationSharesTheCacheEntry(t *testing.T) {
	fn := load(t, "normalize.js", cfjs.Options{})
	all := &edge.CachePolicy{DefaultTTL: 60, MaxTTL: 60, QueryStringsConfig: edge.QueryStringsConfig{QueryStringBehavior: edge.BehaviorAll}}
	s := newSite(t, all, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: fn})
	for _, u := range []string{"/p?b=2&A=1", "/p?a=1&b=2", "/p?utm_source=x&B=2&a=1"} {
		s.get(u)
	}
	if m := s.d.Metrics(); m.Misses != 1 || m.Hits != 2 {
		t.Errorf("misses %d hits %d, want 1 and 2", m.Misses, m.Hits)
	}
	r := <-s.origin
	if r.URL.RawQuery != "a=1&b=2" || r.Header.Get("X-Normalized") != "n=2" {
		t.Errorf("origin saw %q %q", r.URL.RawQuery, r.Header.Get("X-Normalized"))
	}
}

func TestJS_ModulesBehaveAsNodes(t *testing.T) {
	src := `
const qs = require('querystring');
import crypto from 'crypto';
import cf from 'cloudfront';
async function handler(event) {
  const parsed = qs.parse('a=1&b=x%20y&a=2&c');
  const out = {
    qs: JSON.stringify(parsed),
    qsback: qs.stringify({x: 'a b', y: ['1', '2']}),
    md5: crypto.createHash('md5').update('hello').digest('hex'),
    sha1: crypto.createHash('sha1').update('hello').digest('base64'),
    sha256: crypto.createHash('sha256').update('hello').digest('hex'),
    hmac: crypto.createHmac('sha256', 'key').update('The quick brown fox jumps over the lazy dog').digest('hex'),
    json: JSON.stringify(await cf.kvs().get('cfg', {format: 'json'})),
    exists: String(await cf.kvs().exists('nope')),
    b64: Buffer.from('héllo').toString('base64'),
  };
  let missing = 'no error';
  try { await cf.kvs().get('nope'); } catch (e) { missing = e.message; }
  out.missing = missing;
  const headers = {};
  for (const k of Object.keys(out)) headers['x-' + k] = {value: out[k]};
  return {statusCode: 200, headers: headers};
}`
	fn, err := cfjs.New("modules", src, cfjs.Options{KeyValueStore: cfjs.KeyValueStore{"cfg": `{"a":[1,2]}`}})
	if err != nil {
		t.Fatal(err)
	}
	out, err := fn.Handler(&edge.FunctionEvent{Version: "1.0", Context: edge.FunctionContext{EventType: edge.EventViewerRequest},
		Request: &edge.FunctionRequest{Method: "GET", URI: "/"}})
	if err != nil {
		t.Fatal(err)
	}
	h := out.(*edge.FunctionResponse).Headers
	want := map[string]string{
		"x-qs":      `{"a":["1","2"],"b":"x y","c":""}`,
		"x-qsback":  "x=a%20b&y=1&y=2",
		"x-md5":     "5d41402abc4b2a76b9719d911017c592",
		"x-sha1":    "qvTGHdzF6KLavt4PO0gs2a6pQ00=",
		"x-sha256":  "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824",
		"x-hmac":    "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
		"x-json":    `{"a":[1,2]}`,
		"x-exists":  "false",
		"x-b64":     "aMOpbGxv",
		"x-missing": "Key nope not found",
	}
	for k, v := range want {
		if got := h[k].Value; got != v {
			t.Errorf("%s = %q, want %q", k, got, v)
		}
	}
}

func TestJS_FailuresReachTheViewerAsCloudFrontAnswers(t *testing.T) {
	cases := []struct {
		name, src string
		status    int
		xcache    string
	}{
		{"throws", `function handler(e) { throw new Error('bad'); }`, 503, edge.XCacheFunctionExecutionError},
		{"returns nothing", `function handler(e) { }`, 503, edge.XCacheFunctionExecutionError},
		{"rejects", `async function handler(e) { throw new Error('async bad'); }`, 503, edge.XCacheFunctionExecutionError},
		{"runs away", `function handler(e) { for (;;) {} }`, 503, edge.XCacheFunctionExecutionError},
		{"changes host", `function handler(e) { e.request.headers.host = {value: 'x'}; return e.request; }`, 502, edge.XCacheFunctionValidationError},
		{"no network", `function handler(e) { fetch('http://example.com'); return e.request; }`, 503, edge.XCacheFunctionExecutionError},
		{"unknown module", `const fs = require('fs'); function handler(e) { return e.request; }`, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fn, err := cfjs.New("f", c.src, cfjs.Options{MaxRunTime: 50 * time.Millisecond})
			if c.status == 0 {
				if err == nil {
					t.Fatal("loading a function that requires fs succeeded")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			s := newSite(t, nil, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: fn})
			w := s.get("/")
			if w.Code != c.status || w.Header().Get("X-Cache") != c.xcache {
				t.Errorf("%d %q, want %d %q", w.Code, w.Header().Get("X-Cache"), c.status, c.xcache)
			}
		})
	}
}

func TestNew_RefusesWhatCreateFunctionRefuses(t *testing.T) {
	if _, err := cfjs.New("big", "function handler(e){return e.request}//"+strings.Repeat("x", 10*1024), cfjs.Options{}); !errors.Is(err, cfjs.ErrFunctionSizeLimitExceeded) {
		t.Errorf("11 KB function: %v", err)
	}
	if _, err := cfjs.New("syntax", "function handler(e) { return e.request", cfjs.Options{}); !errors.Is(err, edge.ErrInvalidArgument) {
		t.Errorf("syntax error: %v", err)
	}
	if _, err := cfjs.New("nohandler", "function main(e) { return e.request }", cfjs.Options{}); !errors.Is(err, edge.ErrInvalidArgument) {
		t.Errorf("no handler: %v", err)
	}
	if _, err := cfjs.New("v1", "function handler(e) { return e.request }", cfjs.Options{Runtime: "cloudfront-js-1.0"}); err == nil {
		t.Error("cloudfront-js-1.0 accepted")
	}
}

// The JavaScript function sees the same event JSON as a Go function.
func TestJS_SeesTheSameEventAsGo(t *testing.T) {
	var goEvent string
	goFn := &edge.Function{Name: "go", Handler: func(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
		return &edge.FunctionResponse{StatusCode: 200, Body: &edge.FunctionBody{Data: mustJSON(e)}}, nil
	}}
	jsFn, err := cfjs.New("js", `function handler(event) { return {statusCode: 200, body: JSON.stringify(event)}; }`, cfjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, fn := range []*edge.Function{goFn, jsFn} {
		s := newSite(t, nil, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: fn})
		w := s.get("/a?x=1&x=2&y=", "Cookie", "k=v", "Accept", "text/html")
		body := w.Body.String()
		// Request IDs and distribution IDs differ per site; compare the rest.
		body = body[strings.Index(body, `"viewer"`):]
		if goEvent == "" {
			goEvent = body
			continue
		}
		if body != goEvent {
			t.Errorf("JS event differs from Go event:\n js %s\n go %s", body, goEvent)
		}
	}
}

func TestJS_ComputeUtilizationIsReported(t *testing.T) {
	fn := load(t, "index-rewrite.js", cfjs.Options{})
	cf := edge.New(edge.Options{Clock: clock.NewManual(epoch), Limits: edge.Limits{FunctionComputeBudget: time.Second}})
	defer cf.Close()
	out, err := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "u", Origins: []edge.Origin{{Id: "o", Handler: http.NotFoundHandler()}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "o", FunctionAssociations: []edge.FunctionAssociation{{EventType: edge.EventViewerRequest, Function: fn}}}}})
	if err != nil {
		t.Fatal(err)
	}
	out.Distribution.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/x/", nil))
	if m := out.Distribution.Metrics().Function("index-rewrite"); m.Invocations != 1 || m.MaxComputeUtilization < 1 || m.MaxComputeUtilization > 100 {
		t.Errorf("metrics %+v", m)
	}
}

// CloudFront writes a returned query string in the JavaScript object's
// key order, so a function that only reorders still changes the key.
func TestJS_QueryStringOrderFollowsTheObject(t *testing.T) {
	rev, err := cfjs.New("reverse", `function handler(e) {
  const q = e.request.querystring, out = {};
  Object.keys(q).reverse().forEach(function (k) { out[k] = q[k]; });
  e.request.querystring = out;
  return e.request;
}`, cfjs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	all := &edge.CachePolicy{DefaultTTL: 60, MaxTTL: 60, QueryStringsConfig: edge.QueryStringsConfig{QueryStringBehavior: edge.BehaviorAll}}
	s := newSite(t, all, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: rev})
	s.get("/r?a=1&b=2&c=3")
	if r := <-s.origin; r.URL.RawQuery != "c=3&b=2&a=1" {
		t.Errorf("origin saw %q", r.URL.RawQuery)
	}
}
