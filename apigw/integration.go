package apigw

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"time"
)

// Request is what an integration receives: the client's request as API
// Gateway forwards it, and the context API Gateway adds (route, stage,
// identity, authorizer output).
type Request struct {
	// Method, Path, RawQuery, Header and Body are the client's. Path is
	// the decoded path within the stage ("/items/1"); RawPath the path
	// as the execute-api endpoint saw it, with the stage for a named
	// stage ("/prod/items/1").
	Method   string
	Path     string
	RawPath  string
	RawQuery string
	Header   http.Header
	Body     []byte

	// RouteKey is the matched route ("GET /items/{id}" or "$default"),
	// Resource its path ("/items/{id}"), PathParameters the values of its
	// variables.
	RouteKey       string
	Resource       string
	PathParameters map[string]string

	// Kind, APIID, Stage and StageVariables say where the request came in.
	Kind           Kind
	APIID          string
	Stage          string
	StageVariables map[string]string
	AccountID      string
	DomainName     string

	// RequestID, ExtendedRequestID and RequestTime identify the request.
	RequestID         string
	ExtendedRequestID string
	RequestTime       time.Time

	// SourceIP and UserAgent describe the caller; APIKey and APIKeyID the
	// API key it presented (REST).
	SourceIP  string
	UserAgent string
	APIKey    string
	APIKeyID  string

	// Authorizer is what the route's authorizer established: for a Lambda
	// authorizer its context and principalId, for JWT and Cognito the
	// token's claims and scopes, for IAM the caller. Nil when the route
	// has none.
	Authorizer *AuthorizerResult

	binaryMediaTypes []string // the REST API's, for the proxy event's body
}

// AuthorizerResult is the outcome of a successful authorization, as API
// Gateway passes it to the integration in requestContext.authorizer.
type AuthorizerResult struct {
	// PrincipalID is the Lambda authorizer's principalId.
	PrincipalID string
	// Context is the Lambda authorizer's context map (strings, numbers and
	// booleans).
	Context map[string]any
	// Claims are a JWT's or Cognito token's claims.
	Claims map[string]any
	// Scopes are the token's scopes (JWT authorizers).
	Scopes []string
	// IAM describes the caller of an AWS_IAM route.
	IAM *IAMIdentity
	// UsageIdentifierKey is the API key a Lambda authorizer returned, for
	// APIs whose APIKeySource is AUTHORIZER.
	UsageIdentifierKey string
}

// IAMIdentity is the caller of an IAM-authorized request.
type IAMIdentity struct {
	AccessKey string
	AccountID string
	UserARN   string
	User      string
	Caller    string
}

// Response is what an integration answers.
type Response struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// Integration is the backend of a route. API Gateway calls it with a
// context that is cancelled at the integration timeout (29 seconds, or
// the route's Timeout); an integration that is still running then is
// abandoned and the client gets 504 {"message": "Endpoint request timed
// out"} (REST) or 503 {"message":"Service Unavailable"} (HTTP).
//
// An error fails the request with 500 {"message": "Internal server
// error"}, except for the Lambda proxy's failures, which answer as API
// Gateway does (see [LambdaProxy]).
type Integration interface {
	Integrate(ctx context.Context, req *Request) (*Response, error)
}

// IntegrationFunc adapts a Go function to [Integration]. It is also how
// an AWS service integration is built: the function maps the request to
// the service call (start an execution, send a message) and the result
// back to a response, as a mapping template would.
type IntegrationFunc func(ctx context.Context, req *Request) (*Response, error)

// Integrate calls f.
func (f IntegrationFunc) Integrate(ctx context.Context, req *Request) (*Response, error) {
	return f(ctx, req)
}

// Mock is a MOCK integration: API Gateway answers without calling any
// backend, with a fixed status, headers and body.
type Mock struct {
	StatusCode int
	Header     http.Header
	Body       string
}

// Integrate returns the mock response (200 if StatusCode is zero).
func (m Mock) Integrate(context.Context, *Request) (*Response, error) {
	code := m.StatusCode
	if code == 0 {
		code = http.StatusOK
	}
	return &Response{StatusCode: code, Header: m.Header.Clone(), Body: []byte(m.Body)}, nil
}

// HTTPProxy is an HTTP_PROXY integration: the request is passed through
// to another HTTP endpoint and its response passed back unchanged. The
// target is an in-process http.Handler or, when Handler is nil, the URL
// Endpoint (whose path may use {name} to insert path parameters and
// {proxy} for a greedy one, as API Gateway's integration URI does),
// reached through Client. ${stageVariables.name} in Endpoint is replaced
// by the stage's variable, as in an integration URI.
type HTTPProxy struct {
	// Handler serves the request in process.
	Handler http.Handler
	// Endpoint is the base URL to call when Handler is nil, e.g.
	// "http://127.0.0.1:8080/{proxy}". The request's query string is
	// appended.
	Endpoint string
	// Client calls Endpoint; nil means http.DefaultClient.
	Client *http.Client
}

// hopHeaders are not forwarded by a proxy.
var hopHeaders = []string{"Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// Integrate forwards the request.
func (p HTTPProxy) Integrate(ctx context.Context, req *Request) (*Response, error) {
	target := req.Path
	if p.Handler == nil {
		if p.Endpoint == "" {
			return nil, errors.New("apigw: HTTPProxy needs a Handler or an Endpoint")
		}
		target = expandStageVariables(p.Endpoint, req.StageVariables)
		for name, v := range req.PathParameters {
			target = strings.ReplaceAll(target, "{"+name+"}", escapePathValue(v))
			target = strings.ReplaceAll(target, "{"+name+"+}", escapePathValue(v))
		}
	}
	if p.Handler != nil {
		target = escapeURLPath(target)
	}
	if req.RawQuery != "" {
		if strings.Contains(target, "?") {
			target += "&" + req.RawQuery
		} else {
			target += "?" + req.RawQuery
		}
	}
	var out *http.Request
	var err error
	if p.Handler != nil {
		out = httptest.NewRequestWithContext(ctx, req.Method, "http://"+req.DomainName+target, bytes.NewReader(req.Body))
	} else {
		out, err = http.NewRequestWithContext(ctx, req.Method, target, bytes.NewReader(req.Body))
		if err != nil {
			return nil, err
		}
	}
	out.Header = req.Header.Clone()
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	out.Header.Set("X-Amzn-Trace-Id", "Root=1-"+req.RequestID)
	if req.SourceIP != "" {
		out.Header.Add("X-Forwarded-For", req.SourceIP)
	}
	if p.Handler != nil {
		rec := httptest.NewRecorder()
		p.Handler.ServeHTTP(rec, out)
		res := rec.Result()
		body, _ := io.ReadAll(res.Body)
		return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: body}, nil
	}
	c := p.Client
	if c == nil {
		c = http.DefaultClient
	}
	res, err := c.Do(out)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, err
	}
	for _, h := range hopHeaders {
		res.Header.Del(h)
	}
	return &Response{StatusCode: res.StatusCode, Header: res.Header, Body: body}, nil
}

// expandStageVariables replaces ${stageVariables.name} with the value of
// the stage variable (empty if the stage has none of that name).
func expandStageVariables(s string, vars map[string]string) string {
	const open = "${stageVariables."
	var b strings.Builder
	for {
		i := strings.Index(s, open)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		j := strings.IndexByte(s[i:], '}')
		if j < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		b.WriteString(vars[s[i+len(open):i+j]])
		s = s[i+j+1:]
	}
}

// escapePathValue escapes a path variable's value segment by segment, so
// a greedy value keeps its slashes.
func escapePathValue(v string) string {
	parts := strings.Split(v, "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

// escapeURLPath escapes a decoded path for a request URL.
func escapeURLPath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}
