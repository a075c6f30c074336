package edge_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
)

// Use cases from the CloudFront Functions and Lambda@Edge guides, each a
// function attached to a distribution and driven through HTTP.

// normalizeCacheKey lower-cases and sorts the query string and drops
// tracking parameters, so that equivalent URLs share one cached object.
func normalizeCacheKey(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
	r := e.Request
	out := edge.FunctionValues{}
	for k, v := range r.QueryString {
		k = strings.ToLower(k)
		if strings.HasPrefix(k, "utm_") || k == "fbclid" {
			continue
		}
		out[k] = v
	}
	r.QueryString = out
	r.URI = strings.ToLower(r.URI)
	return r, nil
}

// securityHeaders adds and removes response headers.
func securityHeaders(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
	h := e.Response.Headers
	h.Set("strict-transport-security", "max-age=63072000; includeSubdomains; preload")
	h.Set("x-content-type-options", "nosniff")
	h.Set("x-frame-options", "DENY")
	delete(h, "server")
	delete(h, "x-powered-by")
	return e.Response, nil
}

// rewriteAndRedirect sends /blog/* to a new host and appends index.html to
// directory URIs.
func rewriteAndRedirect(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
	r := e.Request
	if rest, ok := strings.CutPrefix(r.URI, "/blog/"); ok {
		return &edge.FunctionResponse{StatusCode: 301, StatusDescription: "Moved Permanently",
			Headers: edge.FunctionValues{"location": {Value: "https://blog.example.com/" + rest}}}, nil
	}
	if strings.HasSuffix(r.URI, "/") {
		r.URI += "index.html"
	} else if !strings.Contains(r.URI[strings.LastIndexByte(r.URI, '/'):], ".") {
		r.URI += "/index.html"
	}
	return r, nil
}

// jwtValidator returns a viewer request function that lets a request
// through only with a valid HS256 JWT, not expired at now().
func jwtValidator(secret []byte, now func() time.Time) edge.FunctionHandler {
	deny := &edge.FunctionResponse{StatusCode: 401, StatusDescription: "Unauthorized",
		Headers: edge.FunctionValues{"www-authenticate": {Value: `Bearer realm="edge"`}}}
	return func(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
		auth, _ := e.Request.Headers.Get("authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		parts := strings.Split(token, ".")
		if !ok || len(parts) != 3 {
			return deny, nil
		}
		mac := hmac.New(sha256.New, secret)
		mac.Write([]byte(parts[0] + "." + parts[1]))
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
			return deny, nil
		}
		payload, err := base64.RawURLEncoding.DecodeString(parts[1])
		var claims struct {
			Exp int64  `json:"exp"`
			Sub string `json:"sub"`
		}
		if err != nil || json.Unmarshal(payload, &claims) != nil || claims.Exp <= now().Unix() {
			return deny, nil
		}
		delete(e.Request.Headers, "authorization")
		e.Request.Headers.Set("x-user", claims.Sub)
		return e.Request, nil
	}
}

func makeJWT(secret []byte, sub string, exp time.Time) string {
	enc := base64.RawURLEncoding
	h := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	p := enc.EncodeToString([]byte(fmt.Sprintf(`{"sub":%q,"exp":%d}`, sub, exp.Unix())))
	mac := hmac.New(sha256.New, secret)
	mac.Write([]byte(h + "." + p))
	return h + "." + p + "." + enc.EncodeToString(mac.Sum(nil))
}

// abTest routes a viewer to the A or B variant by its "variant" cookie,
// assigning one by the viewer's IP when there is none.
func abTest(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
	r := e.Request
	v, ok := r.Cookies.Get("variant")
	if !ok || (v != "a" && v != "b") {
		v = "a"
		if sum := sha256.Sum256([]byte(e.Viewer.IP)); sum[0]%2 == 1 {
			v = "b"
		}
		r.Cookies.Set("variant", v)
	}
	r.URI = "/experiment-" + v + r.URI
	return r, nil
}

// botMitigation refuses requests whose User-Agent names a known bot or that
// have none.
func botMitigation(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
	ua, _ := e.Request.Headers.Get("user-agent")
	ua = strings.ToLower(ua)
	for _, bot := range []string{"badbot", "scrapy", "python-requests"} {
		if ua == "" || strings.Contains(ua, bot) {
			return &edge.FunctionResponse{StatusCode: 403, StatusDescription: "Forbidden",
				Body: &edge.FunctionBody{Data: "bots are not welcome", Encoding: "text"}}, nil
		}
	}
	return e.Request, nil
}

// userTracking gives every viewer a stable id cookie on the response.
func userTracking(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
	if _, ok := e.Request.Cookies.Get("uid"); !ok {
		sum := sha256.Sum256([]byte(e.Context.RequestID))
		e.Response.Cookies["uid"] = edge.FunctionValue{Value: fmt.Sprintf("%x", sum[:8]), Attributes: "Path=/; Max-Age=31536000; Secure; HttpOnly"}
	}
	return e.Response, nil
}

type useCase struct {
	cf     *edge.Service
	clock  *clock.Manual
	d      *edge.Distribution
	calls  atomic.Int64
	lastRq atomic.Pointer[http.Request]
}

// newUseCase serves the origin with a distribution whose default
// behaviour carries the functions.
func newUseCase(t *testing.T, policy *edge.CachePolicy, fas ...edge.FunctionAssociation) *useCase {
	t.Helper()
	u := &useCase{clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))}
	// The compute clock is stopped: a loaded machine must not throttle
	// these functions. TestUseCase_JWTValidationAtTheEdge measures one.
	u.cf = edge.New(edge.Options{Clock: u.clock, ComputeClock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	t.Cleanup(func() { u.cf.Close() })
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u.calls.Add(1)
		u.lastRq.Store(r.Clone(context.Background()))
		w.Header().Set("Cache-Control", "max-age=600")
		w.Header().Set("Server", "nginx")
		w.Header().Set("X-Powered-By", "PHP/8")
		io.WriteString(w, "origin:"+r.URL.RequestURI())
	})
	out, err := u.cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: t.Name(), Origins: []edge.Origin{{Id: "o", Handler: origin}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "o", CachePolicy: policy, FunctionAssociations: fas}}})
	if err != nil {
		t.Fatal(err)
	}
	u.d = out.Distribution
	return u
}

func (u *useCase) get(t *testing.T, target string, hdr ...string) *http.Response {
	t.Helper()
	r := httptest.NewRequest("GET", target, nil)
	r.Header.Set("User-Agent", "Mozilla/5.0")
	for i := 0; i < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	u.d.ServeHTTP(w, r)
	return w.Result()
}

func body(r *http.Response) string {
	b, _ := io.ReadAll(r.Body)
	return string(b)
}

func TestUseCase_CacheKeyNormalizationRaisesTheHitRatio(t *testing.T) {
	allQS := &edge.CachePolicy{MinTTL: 0, DefaultTTL: 60, MaxTTL: 3600, QueryStringsConfig: edge.QueryStringsConfig{QueryStringBehavior: edge.BehaviorAll}}
	urls := []string{"/Products?color=red&size=m", "/products?size=m&color=red", "/products?SIZE=m&Color=red&utm_source=news", "/products?color=red&size=m&fbclid=x"}
	without := newUseCase(t, allQS)
	with := newUseCase(t, allQS, edge.FunctionAssociation{EventType: edge.EventViewerRequest,
		Function: &edge.Function{Name: "normalize", Handler: normalizeCacheKey}})
	for _, u := range urls {
		without.get(t, u)
		with.get(t, u)
	}
	if without.calls.Load() != 4 || with.calls.Load() != 1 {
		t.Errorf("origin calls without normalization %d (want 4), with %d (want 1)", without.calls.Load(), with.calls.Load())
	}
	if got := with.lastRq.Load().URL.RawQuery; got != "color=red&size=m" {
		t.Errorf("origin saw query %q", got)
	}
	if r := with.d.Metrics().HitRatio(); r != 0.75 {
		t.Errorf("hit ratio with normalization = %v, want 0.75", r)
	}
}

func TestUseCase_HeaderInsertionAndRemoval(t *testing.T) {
	u := newUseCase(t, nil, edge.FunctionAssociation{EventType: edge.EventViewerResponse,
		Function: &edge.Function{Name: "security-headers", Handler: securityHeaders}})
	for _, want := range []string{edge.XCacheMiss, edge.XCacheHit} {
		r := u.get(t, "/")
		if r.Header.Get("X-Cache") != want || r.Header.Get("Strict-Transport-Security") == "" || r.Header.Get("X-Frame-Options") != "DENY" ||
			r.Header.Get("Server") != "" || r.Header.Get("X-Powered-By") != "" {
			t.Errorf("%s: headers %v", want, r.Header)
		}
	}
}

func TestUseCase_URLRewriteAndRedirect(t *testing.T) {
	u := newUseCase(t, nil, edge.FunctionAssociation{EventType: edge.EventViewerRequest,
		Function: &edge.Function{Name: "rewrite", Handler: rewriteAndRedirect}})
	r := u.get(t, "/blog/2025/hello")
	if r.StatusCode != 301 || r.Header.Get("Location") != "https://blog.example.com/2025/hello" {
		t.Errorf("redirect: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	for path, want := range map[string]string{"/docs/": "origin:/docs/index.html", "/docs": "origin:/docs/index.html", "/app.js": "origin:/app.js"} {
		if got := body(u.get(t, path)); got != want {
			t.Errorf("GET %s = %q, want %q", path, got, want)
		}
	}
	if u.calls.Load() != 2 {
		t.Errorf("origin calls %d, want 2 (/docs and /docs/ share /docs/index.html)", u.calls.Load())
	}
}

func TestUseCase_JWTValidationAtTheEdge(t *testing.T) {
	secret := []byte("edge-secret")
	var u *useCase
	u = newUseCase(t, edge.CachingDisabled(), edge.FunctionAssociation{EventType: edge.EventViewerRequest,
		Function: &edge.Function{Name: "jwt", Handler: jwtValidator(secret, func() time.Time { return u.clock.Now() })}})
	valid := makeJWT(secret, "alice", u.clock.Now().Add(time.Hour))
	cases := []struct {
		name, auth string
		status     int
	}{
		{"valid", "Bearer " + valid, 200},
		{"missing", "", 401},
		{"garbage", "Bearer abc", 401},
		{"wrong key", "Bearer " + makeJWT([]byte("other"), "alice", u.clock.Now().Add(time.Hour)), 401},
		{"expired", "Bearer " + makeJWT(secret, "alice", u.clock.Now().Add(-time.Second)), 401},
	}
	for _, c := range cases {
		r := u.get(t, "/private", "Authorization", c.auth)
		if r.StatusCode != c.status {
			t.Errorf("%s: %d, want %d", c.name, r.StatusCode, c.status)
		}
	}
	if u.calls.Load() != 1 {
		t.Errorf("origin calls %d, want 1", u.calls.Load())
	}
	u.clock.Advance(2 * time.Hour)
	if r := u.get(t, "/private", "Authorization", "Bearer "+valid); r.StatusCode != 401 {
		t.Errorf("token after expiry: %d", r.StatusCode)
	}
	if m := u.d.Metrics().Function("jwt"); m.Invocations != 6 || m.Errors != 0 {
		t.Errorf("jwt metrics %+v", m)
	}
	// Allow or deny within the compute budget (1 ms of wall time) on the
	// real compute clock: the fastest of 20 runs, so that a preempted run
	// on a loaded machine does not count.
	real := edge.New(edge.Options{Clock: u.clock})
	defer real.Close()
	fn := &edge.Function{Name: "jwt", Handler: jwtValidator(secret, u.clock.Now)}
	best := 1 << 30
	for _, auth := range []string{"Bearer " + valid, "Bearer x.y.z"} {
		for range 10 {
			ev := &edge.FunctionEvent{Version: "1.0", Context: edge.FunctionContext{EventType: edge.EventViewerRequest},
				Request: &edge.FunctionRequest{Method: "GET", URI: "/", Headers: edge.FunctionValues{"authorization": {Value: auth}}}}
			_, util, err := real.TestFunction(fn, ev)
			if err == nil {
				best = min(best, util)
			}
		}
	}
	if best >= 100 {
		t.Errorf("fastest JWT check used %d%% of the compute budget", best)
	}
}

func TestUseCase_ABTestingByCookie(t *testing.T) {
	// The variant cookie is part of the cache key, so A and B are cached
	// apart.
	policy := &edge.CachePolicy{MinTTL: 0, DefaultTTL: 60, MaxTTL: 600, CookiesConfig: edge.CookiesConfig{CookieBehavior: edge.BehaviorWhitelist, Cookies: []string{"variant"}}}
	u := newUseCase(t, policy, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: &edge.Function{Name: "ab", Handler: abTest}})
	if got := body(u.get(t, "/home", "Cookie", "variant=b")); got != "origin:/experiment-b/home" {
		t.Errorf("variant b: %q", got)
	}
	if got := body(u.get(t, "/home", "Cookie", "variant=a; other=1")); got != "origin:/experiment-a/home" {
		t.Errorf("variant a: %q", got)
	}
	if got := u.get(t, "/home", "Cookie", "variant=b"); got.Header.Get("X-Cache") != edge.XCacheHit {
		t.Errorf("variant b again: %q", got.Header.Get("X-Cache"))
	}
	if got := u.lastRq.Load().Header.Get("Cookie"); got != "variant=a" {
		t.Errorf("origin saw Cookie %q, want only the variant", got)
	}
	// A new viewer is assigned a variant before the cache lookup, so it is
	// served that variant's cached copy.
	r := u.get(t, "/home")
	if got := body(r); (got != "origin:/experiment-a/home" && got != "origin:/experiment-b/home") || r.Header.Get("X-Cache") != edge.XCacheHit {
		t.Errorf("new viewer: %q %q", got, r.Header.Get("X-Cache"))
	}
}

func TestUseCase_BotMitigationByHeader(t *testing.T) {
	u := newUseCase(t, nil, edge.FunctionAssociation{EventType: edge.EventViewerRequest, Function: &edge.Function{Name: "bots", Handler: botMitigation}})
	for ua, want := range map[string]int{"Mozilla/5.0": 200, "BadBot/1.0": 403, "python-requests/2.31": 403, "": 403} {
		r := u.get(t, "/", "User-Agent", ua)
		if r.StatusCode != want {
			t.Errorf("User-Agent %q: %d, want %d", ua, r.StatusCode, want)
		}
		if want == 403 && (r.Header.Get("X-Cache") != edge.XCacheFunctionGeneratedResponse || body(r) != "bots are not welcome") {
			t.Errorf("User-Agent %q: X-Cache %q", ua, r.Header.Get("X-Cache"))
		}
	}
	if u.calls.Load() != 1 {
		t.Errorf("bots reached the origin: %d calls", u.calls.Load())
	}
}

func TestUseCase_UserTracking(t *testing.T) {
	u := newUseCase(t, nil, edge.FunctionAssociation{EventType: edge.EventViewerResponse, Function: &edge.Function{Name: "track", Handler: userTracking}})
	first := u.get(t, "/")
	second := u.get(t, "/")
	c1, c2 := first.Header.Get("Set-Cookie"), second.Header.Get("Set-Cookie")
	if !strings.HasPrefix(c1, "uid=") || !strings.Contains(c1, "HttpOnly") || c1 == c2 {
		t.Errorf("Set-Cookie %q then %q: want a fresh uid per new viewer", c1, c2)
	}
	if r := u.get(t, "/", "Cookie", "uid=abc"); r.Header.Get("Set-Cookie") != "" {
		t.Errorf("a known viewer got a new cookie: %q", r.Header.Get("Set-Cookie"))
	}
	if !slices.Contains([]string{edge.XCacheHit}, second.Header.Get("X-Cache")) {
		t.Errorf("tracking must not defeat the cache: %q", second.Header.Get("X-Cache"))
	}
}
