package stepfn

import (
	"bytes"
	"context"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// apiGatewayInvokeArn is the optimized API Gateway integration, with
// request-response and .waitForTaskToken.
const apiGatewayInvokeArn = "arn:aws:states:::apigateway:invoke"

// APIGatewayFunc finds the API an apigateway:invoke Task calls: given the
// Task's ApiEndpoint (the host name, "abc123.execute-api.us-east-1.amazonaws.com"),
// it returns the http.Handler serving that API and true, or false when no
// API answers there. stepfn sends the handler the request API Gateway
// would receive: Host set to the endpoint, the path /<Stage>/<Path>, the
// query string, headers and body. minicloud.New may point it at the
// account's APIs; any http.Handler serves.
type APIGatewayFunc func(endpoint string) (http.Handler, bool)

// apiGatewayMethods are the Methods apigateway:invoke accepts.
var apiGatewayMethods = []string{"GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"}

// apiGatewayForbiddenHeaders may not be sent through apigateway:invoke,
// besides any header starting X-Forwarded, X-Amz or X-Amzn.
var apiGatewayForbiddenHeaders = []string{"Authorization", "Connection", "Content-Md5", "Expect", "Host", "Max-Forwards",
	"Proxy-Authenticate", "Server", "Te", "Transfer-Encoding", "Trailer", "Upgrade", "Via", "Www-Authenticate"}

// apiGatewayResource serves arn:aws:states:::apigateway:invoke with the
// handler Options.APIGateway finds for the Task's ApiEndpoint.
//
// Parameters, as AWS documents them: ApiEndpoint and Method (GET, POST,
// PUT, DELETE, PATCH, HEAD, OPTIONS) are required; Stage and Path build
// the path; Headers and QueryParameters map names to lists of strings;
// RequestBody is JSON (sent as application/json, its null members left
// out unless AllowNullValues is true) or a string sent as it is; AuthType
// is NO_AUTH (the default), IAM_ROLE or RESOURCE_POLICY. The result is
// {"ResponseBody", "Headers", "StatusCode", "StatusText"}, ResponseBody
// parsed when the response is JSON. A status outside 2xx fails the Task
// with ApiGateway.<status> (ApiGateway.403) and the response body as
// cause; an endpoint no API answers fails it with
// ApiGateway.UnknownHostException. Malformed Parameters fail it with
// States.Runtime.
func (s *Service) apiGatewayResource() (Resource, bool) {
	if s.apiGateway == nil {
		return nil, false
	}
	find := s.apiGateway
	return ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		v, err := decodeJSON(input)
		if err != nil {
			return nil, err
		}
		params, _ := v.(map[string]any)
		req, err := apiGatewayRequest(ctx, params)
		if err != nil {
			return nil, err
		}
		h, ok := find(req.Host)
		if !ok || h == nil {
			return nil, &TaskError{Name: "ApiGateway.UnknownHostException", Cause: req.Host + ": no API answers at this endpoint"}
		}
		rec := &responseRecorder{header: http.Header{}}
		if err := serveRecovered(h, rec, req); err != nil {
			return nil, err
		}
		return apiGatewayResult(rec)
	}), true
}

// serveRecovered runs the API's handler, turning a panic into the 500
// that an HTTP server would answer.
func serveRecovered(h http.Handler, w http.ResponseWriter, r *http.Request) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &TaskError{Name: "ApiGateway.500", Cause: fmt.Sprintf("the API's handler panicked: %v", p)}
		}
	}()
	h.ServeHTTP(w, r)
	return nil
}

func invalidAPIParams(format string, args ...any) error {
	return &TaskError{Name: ErrorRuntime, Cause: "Invalid apigateway:invoke Parameters: " + fmt.Sprintf(format, args...)}
}

// apiGatewayRequest builds the HTTP request a Task's Parameters describe.
func apiGatewayRequest(ctx context.Context, p map[string]any) (*http.Request, error) {
	endpoint, _ := p["ApiEndpoint"].(string)
	if endpoint == "" {
		return nil, invalidAPIParams("the field 'ApiEndpoint' is required and must be a non-empty STRING")
	}
	if strings.ContainsAny(endpoint, "/?# ") {
		return nil, invalidAPIParams("the field 'ApiEndpoint' must be a host name, got '%s'", endpoint)
	}
	method, _ := p["Method"].(string)
	if !slices.Contains(apiGatewayMethods, method) {
		return nil, invalidAPIParams("the field 'Method' must be one of [%s], got %s", strings.Join(apiGatewayMethods, ", "), encodeJSON(p["Method"]))
	}
	switch auth := p["AuthType"].(type) {
	case nil:
	case string:
		if auth != "NO_AUTH" && auth != "IAM_ROLE" && auth != "RESOURCE_POLICY" {
			return nil, invalidAPIParams("the field 'AuthType' must be one of [NO_AUTH, IAM_ROLE, RESOURCE_POLICY], got '%s'", auth)
		}
	default:
		return nil, invalidAPIParams("the field 'AuthType' must be a STRING")
	}
	path := "/"
	for _, field := range []string{"Stage", "Path"} {
		switch x := p[field].(type) {
		case nil:
		case string:
			if x = strings.Trim(x, "/"); x != "" {
				path += x + "/"
			}
		default:
			return nil, invalidAPIParams("the field '%s' must be a STRING", field)
		}
	}
	if len(path) > 1 {
		path = strings.TrimSuffix(path, "/")
	}
	query, err := stringLists(p["QueryParameters"], "QueryParameters")
	if err != nil {
		return nil, err
	}
	headers, err := stringLists(p["Headers"], "Headers")
	if err != nil {
		return nil, err
	}
	var body []byte
	contentType := ""
	switch b := p["RequestBody"].(type) {
	case nil:
	case string:
		body = []byte(b)
	default:
		if allow, _ := p["AllowNullValues"].(bool); !allow {
			b = withoutNulls(b)
		}
		body = []byte(encodeJSON(b))
		contentType = "application/json"
	}
	u := &url.URL{Scheme: "https", Host: endpoint, Path: path, RawQuery: url.Values(query).Encode()}
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, invalidAPIParams("%s", err.Error())
	}
	for name, values := range headers {
		canon := http.CanonicalHeaderKey(name)
		if strings.HasPrefix(canon, "X-Forwarded") || strings.HasPrefix(canon, "X-Amz") || slices.Contains(apiGatewayForbiddenHeaders, canon) {
			return nil, invalidAPIParams("the header '%s' may not be set", name)
		}
		for _, v := range values {
			req.Header.Add(canon, v)
		}
	}
	if contentType != "" && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Host = endpoint
	return req, nil
}

// stringLists reads Headers or QueryParameters: an object whose values
// are lists of strings.
func stringLists(v any, field string) (map[string][]string, error) {
	if v == nil {
		return nil, nil
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, invalidAPIParams("the field '%s' must be an OBJECT", field)
	}
	out := make(map[string][]string, len(m))
	for k, vals := range m {
		list, ok := vals.([]any)
		if !ok {
			return nil, invalidAPIParams("the value of '%s.%s' must be an ARRAY of STRINGs", field, k)
		}
		for _, x := range list {
			s, ok := x.(string)
			if !ok {
				return nil, invalidAPIParams("the value of '%s.%s' must be an ARRAY of STRINGs", field, k)
			}
			out[k] = append(out[k], s)
		}
	}
	return out, nil
}

// withoutNulls copies v without the null members of its objects, at any
// depth.
func withoutNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			if e != nil {
				out[k] = withoutNulls(e)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = withoutNulls(e)
		}
		return out
	}
	return v
}

// apiGatewayResult renders a response as apigateway:invoke returns it, or
// the ApiGateway.<status> error of a status outside 2xx.
func apiGatewayResult(rec *responseRecorder) ([]byte, error) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	body := rec.body.String()
	if status < 200 || status > 299 {
		return nil, &TaskError{Name: "ApiGateway." + strconv.Itoa(status), Cause: body}
	}
	var respBody any = body
	if mt, _, _ := mime.ParseMediaType(rec.header.Get("Content-Type")); strings.HasSuffix(mt, "json") && len(strings.TrimSpace(body)) > 0 {
		if v, err := decodeJSON(rec.body.Bytes()); err == nil {
			respBody = v
		}
	}
	headers := make(map[string]any, len(rec.header))
	for k, vals := range rec.header {
		list := make([]any, len(vals))
		for i, v := range vals {
			list[i] = v
		}
		headers[k] = list
	}
	out := map[string]any{
		"ResponseBody": respBody,
		"Headers":      headers,
		"StatusCode":   intNumber(int64(status)),
		"StatusText":   http.StatusText(status),
	}
	return []byte(encodeJSON(out)), nil
}

// responseRecorder is the http.ResponseWriter an API's handler answers
// into.
type responseRecorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *responseRecorder) Header() http.Header { return r.header }

func (r *responseRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
}

func (r *responseRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(b)
}
