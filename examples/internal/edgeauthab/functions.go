package edgeauthab

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/minicloud/minicloud/edge"
)

// signingKey is the HS256 secret the identity service signs tokens with.
// A CloudFront Function has no network and cannot fetch keys, so the
// secret travels with its code (on AWS: in the code or in a CloudFront
// KeyValueStore the function reads).
var signingKey = []byte("edge-auth-ab demo secret: rotate me")

// signToken makes a compact HS256 JWT for user sub that expires at exp.
func signToken(key []byte, sub string, exp time.Time) string {
	enc := base64.RawURLEncoding
	header := enc.EncodeToString([]byte(`{"alg":"HS256","typ":"JWT"}`))
	payload := enc.EncodeToString(fmt.Appendf(nil, `{"sub":%q,"exp":%d}`, sub, exp.Unix()))
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(header + "." + payload))
	return header + "." + payload + "." + enc.EncodeToString(mac.Sum(nil))
}

// checkJWT is the viewer request CloudFront Function: it lets a request
// through only with an unexpired HS256 token signed with signingKey, and
// tells the origin who the viewer is in X-User-Id. Anything else is
// answered 401 at the edge location, before the cache and the origin.
// now is the function's Date (the simulation's clock).
func checkJWT(now func() time.Time) edge.FunctionHandler {
	deny := func(why string) (edge.FunctionOutput, error) {
		return &edge.FunctionResponse{StatusCode: 401, StatusDescription: "Unauthorized",
			Headers: edge.FunctionValues{"www-authenticate": {Value: `Bearer error="invalid_token"`}},
			Body:    &edge.FunctionBody{Data: why, Encoding: "text"}}, nil
	}
	return func(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
		auth, _ := e.Request.Headers.Get("authorization")
		token, ok := strings.CutPrefix(auth, "Bearer ")
		if !ok {
			return deny("missing bearer token")
		}
		parts := strings.Split(token, ".")
		if len(parts) != 3 {
			return deny("malformed token")
		}
		enc := base64.RawURLEncoding
		var header struct {
			Alg string `json:"alg"`
		}
		if h, err := enc.DecodeString(parts[0]); err != nil || json.Unmarshal(h, &header) != nil || header.Alg != "HS256" {
			// Never let the token choose the algorithm ("alg": "none").
			return deny("unexpected algorithm")
		}
		mac := hmac.New(sha256.New, signingKey)
		mac.Write([]byte(parts[0] + "." + parts[1]))
		sig, err := enc.DecodeString(parts[2])
		if err != nil || !hmac.Equal(sig, mac.Sum(nil)) {
			return deny("bad signature")
		}
		var claims struct {
			Sub string `json:"sub"`
			Exp int64  `json:"exp"`
		}
		if p, err := enc.DecodeString(parts[1]); err != nil || json.Unmarshal(p, &claims) != nil || claims.Sub == "" {
			return deny("bad claims")
		}
		if claims.Exp <= now().Unix() {
			return deny("token expired")
		}
		// The origin trusts X-User-Id because only this function sets it:
		// a viewer's own X-User-Id is overwritten.
		delete(e.Request.Headers, "authorization")
		e.Request.Headers.Set("x-user-id", claims.Sub)
		return e.Request, nil
	}
}

// variantFor is the A/B split: a deterministic hash of the user ID, so a
// user keeps one variant on every device and at every edge location.
func variantFor(user string) string {
	h := fnv.New32a()
	h.Write([]byte(user))
	if h.Sum32()%2 == 0 {
		return "a"
	}
	return "b"
}

// variantCookie returns the variant cookie's value in a Cookie header
// ("a" or "b"), or "".
func variantCookie(cookieHeader string) string {
	for c := range strings.SplitSeq(cookieHeader, ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(c), "variant="); ok && (v == "a" || v == "b") {
			return v
		}
	}
	return ""
}

// abTest is the origin request Lambda@Edge function (a published version):
// it picks the variant from the viewer's cookie, or assigns one by the
// user's hash when there is none, and sends the request to that variant's
// path at the origin (/home → /b/home). A variant it assigned is marked
// with X-Variant-Assigned so that the origin sets the cookie.
func abTest(invocations *atomic.Int64) func(context.Context, edge.LambdaEdgeEvent) (*edge.LambdaEdgeRequest, error) {
	return func(_ context.Context, ev edge.LambdaEdgeEvent) (*edge.LambdaEdgeRequest, error) {
		invocations.Add(1)
		if len(ev.Records) != 1 || ev.Records[0].CF.Request == nil {
			return nil, errors.New("not an origin request event")
		}
		req := ev.Records[0].CF.Request
		v := variantCookie(req.Headers.Get("cookie"))
		if v == "" {
			v = variantFor(req.Headers.Get("x-user-id"))
			req.Headers.Set("cookie", "variant="+v)
			req.Headers.Set("x-variant-assigned", v)
		}
		req.URI = "/" + v + req.URI
		return req, nil
	}
}

// httpEvent is the part of an HTTP API's payload format 2.0 the page
// function reads (events.APIGatewayV2HTTPRequest in aws-lambda-go).
type httpEvent struct {
	RawPath        string            `json:"rawPath"`
	PathParameters map[string]string `json:"pathParameters"`
	Headers        map[string]string `json:"headers"`
}

// httpResponse is the function's answer (events.APIGatewayV2HTTPResponse).
type httpResponse struct {
	StatusCode int               `json:"statusCode"`
	Headers    map[string]string `json:"headers"`
	Cookies    []string          `json:"cookies,omitempty"`
	Body       string            `json:"body"`
}

// designs are the two variants of the home page's call to action.
var designs = map[string]string{"a": `blue "Buy now" button`, "b": `green "Start free trial" button`}

// renderHome is the origin's Lambda proxy function: the home page of one
// variant and release. The page is the same for every viewer of a variant
// (it never names the user), so CloudFront may share one cached copy; a
// response that assigns a variant sets the cookie and is private, so it
// is never cached for anyone else.
func renderHome(release *atomic.Int64, renders *atomic.Int64) func(context.Context, httpEvent) (httpResponse, error) {
	return func(_ context.Context, ev httpEvent) (httpResponse, error) {
		renders.Add(1)
		v := ev.PathParameters["variant"]
		design, ok := designs[v]
		if !ok {
			return httpResponse{StatusCode: 404, Headers: map[string]string{"Content-Type": "text/plain"}, Body: "no variant " + v}, nil
		}
		resp := httpResponse{StatusCode: 200,
			Headers: map[string]string{"Content-Type": "text/plain", "Cache-Control": "max-age=300"},
			Body:    fmt.Sprintf("home r%d, variant %s: %s", release.Load(), strings.ToUpper(v), design)}
		if ev.Headers["x-variant-assigned"] != "" {
			resp.Headers["Cache-Control"] = "private, no-store"
			resp.Cookies = []string{"variant=" + v + "; Path=/; Max-Age=2592000; Secure; HttpOnly"}
		}
		return resp, nil
	}
}
