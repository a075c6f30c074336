package apigw

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
)

// Invoker is what a Lambda proxy integration (and a Lambda authorizer)
// needs of a function: a synchronous invocation. *lambda.Function
// satisfies it. An error that has an ErrorCode() string method is a
// failed call (throttled, not found); any other error is the function's
// own failure.
type Invoker interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// LambdaProxy is an AWS_PROXY integration with a Lambda function: the
// request becomes the proxy event, the function's result the response.
//
// A REST API sends payload format 1.0, the JSON that aws-lambda-go reads
// as events.APIGatewayProxyRequest; an HTTP API sends 2.0
// (events.APIGatewayV2HTTPRequest) unless PayloadFormatVersion is "1.0".
// The result is read as API Gateway reads it: an object with statusCode,
// headers, multiValueHeaders, cookies (2.0), body and isBase64Encoded.
// With 2.0 a result without statusCode is taken as a 200 application/json
// body. A result API Gateway cannot read, or a function error, answers
// 502 {"message": "Internal server error"} on a REST API and 500
// {"message":"Internal Server Error"} on an HTTP API; a failed invocation
// (throttling, a missing function) answers 500.
type LambdaProxy struct {
	// Function is the function to invoke (required).
	Function Invoker
	// PayloadFormatVersion is "2.0" (the HTTP API default) or "1.0". REST
	// APIs always use 1.0.
	PayloadFormatVersion string
}

// Integration failures that answer with a gateway response.
var (
	// errMalformedProxyResponse: the function's result is not a proxy
	// response.
	errMalformedProxyResponse = errors.New("malformed Lambda proxy response")
	// errFunction: the function failed (X-Amz-Function-Error).
	errFunction = errors.New("lambda function failed")
)

// integrationError carries why an integration failed and how API Gateway
// answers it.
type integrationError struct {
	kind  error // errMalformedProxyResponse, errFunction or nil
	cause error
}

func (e *integrationError) Error() string {
	if e.cause != nil {
		return e.kind.Error() + ": " + e.cause.Error()
	}
	return e.kind.Error()
}

func (e *integrationError) Unwrap() []error { return []error{e.kind, e.cause} }

// Integrate invokes the function.
func (p LambdaProxy) Integrate(ctx context.Context, req *Request) (*Response, error) {
	if p.Function == nil {
		return nil, errors.New("apigw: LambdaProxy has no Function")
	}
	v2 := req.Kind == HTTP && p.PayloadFormatVersion != "1.0"
	var event any
	if v2 {
		event = proxyEventV2(req)
	} else {
		event = proxyEventV1(req)
	}
	payload, err := json.Marshal(event)
	if err != nil {
		return nil, err
	}
	out, err := p.Function.Invoke(ctx, payload)
	if err != nil {
		var coded interface{ ErrorCode() string }
		if errors.As(err, &coded) || ctx.Err() != nil {
			return nil, err
		}
		return nil, &integrationError{kind: errFunction, cause: err}
	}
	var res *Response
	if v2 {
		res, err = readProxyResponseV2(out)
	} else {
		res, err = readProxyResponseV1(out)
	}
	if err != nil {
		return nil, &integrationError{kind: errMalformedProxyResponse, cause: err}
	}
	return res, nil
}

// proxyRequestContextV1 is requestContext of payload format 1.0.
type proxyRequestContextV1 struct {
	ResourceID        string          `json:"resourceId"`
	ResourcePath      string          `json:"resourcePath"`
	OperationName     string          `json:"operationName,omitempty"`
	HTTPMethod        string          `json:"httpMethod"`
	ExtendedRequestID string          `json:"extendedRequestId"`
	RequestTime       string          `json:"requestTime"`
	Path              string          `json:"path"`
	AccountID         string          `json:"accountId"`
	Protocol          string          `json:"protocol"`
	Stage             string          `json:"stage"`
	DomainPrefix      string          `json:"domainPrefix"`
	RequestTimeEpoch  int64           `json:"requestTimeEpoch"`
	RequestID         string          `json:"requestId"`
	Identity          proxyIdentityV1 `json:"identity"`
	DomainName        string          `json:"domainName"`
	APIID             string          `json:"apiId"`
	Authorizer        map[string]any  `json:"authorizer,omitempty"`
}

type proxyIdentityV1 struct {
	CognitoIdentityPoolID         *string `json:"cognitoIdentityPoolId"`
	AccountID                     *string `json:"accountId"`
	CognitoIdentityID             *string `json:"cognitoIdentityId"`
	Caller                        *string `json:"caller"`
	APIKey                        *string `json:"apiKey,omitempty"`
	APIKeyID                      *string `json:"apiKeyId,omitempty"`
	SourceIP                      string  `json:"sourceIp"`
	PrincipalOrgID                *string `json:"principalOrgId"`
	AccessKey                     *string `json:"accessKey"`
	CognitoAuthenticationType     *string `json:"cognitoAuthenticationType"`
	CognitoAuthenticationProvider *string `json:"cognitoAuthenticationProvider"`
	UserArn                       *string `json:"userArn"`
	UserAgent                     string  `json:"userAgent"`
	User                          *string `json:"user"`
}

type proxyEventV1JSON struct {
	Resource                        string                `json:"resource"`
	Path                            string                `json:"path"`
	HTTPMethod                      string                `json:"httpMethod"`
	Headers                         map[string]string     `json:"headers"`
	MultiValueHeaders               map[string][]string   `json:"multiValueHeaders"`
	QueryStringParameters           map[string]string     `json:"queryStringParameters"`
	MultiValueQueryStringParameters map[string][]string   `json:"multiValueQueryStringParameters"`
	PathParameters                  map[string]string     `json:"pathParameters"`
	StageVariables                  map[string]string     `json:"stageVariables"`
	RequestContext                  proxyRequestContextV1 `json:"requestContext"`
	Body                            *string               `json:"body"`
	IsBase64Encoded                 bool                  `json:"isBase64Encoded"`
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// requestTimeCLF is the time format of requestContext.requestTime.
const requestTimeCLF = "02/Jan/2006:15:04:05 -0700"

// proxyEventV1 builds payload format 1.0. Absent maps are null, as API
// Gateway sends them.
func proxyEventV1(req *Request) *proxyEventV1JSON {
	ev := &proxyEventV1JSON{
		Resource:   req.Resource,
		Path:       req.Path,
		HTTPMethod: req.Method,
	}
	if req.Kind == HTTP && req.RouteKey == DefaultRouteKey {
		ev.Resource = req.Path
	}
	if len(req.Header) > 0 {
		ev.Headers = map[string]string{}
		ev.MultiValueHeaders = map[string][]string{}
		for k, vs := range req.Header {
			if len(vs) == 0 {
				continue
			}
			ev.Headers[k] = vs[len(vs)-1]
			ev.MultiValueHeaders[k] = append([]string(nil), vs...)
		}
	}
	if q, err := url.ParseQuery(req.RawQuery); err == nil && len(q) > 0 {
		ev.QueryStringParameters = map[string]string{}
		ev.MultiValueQueryStringParameters = map[string][]string{}
		for k, vs := range q {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
			ev.MultiValueQueryStringParameters[k] = vs
		}
	}
	if len(req.PathParameters) > 0 {
		ev.PathParameters = req.PathParameters
	}
	if len(req.StageVariables) > 0 {
		ev.StageVariables = req.StageVariables
	}
	if len(req.Body) > 0 {
		body, b64 := encodeBody(req)
		ev.Body = &body
		ev.IsBase64Encoded = b64
	}
	rc := &ev.RequestContext
	rc.ResourceID = resourceIDFor(req.Resource)
	rc.ResourcePath = ev.Resource
	rc.HTTPMethod = req.Method
	rc.ExtendedRequestID = req.ExtendedRequestID
	rc.RequestTime = req.RequestTime.UTC().Format(requestTimeCLF)
	rc.Path = req.RawPath
	rc.AccountID = req.AccountID
	rc.Protocol = "HTTP/1.1"
	rc.Stage = req.Stage
	rc.DomainPrefix = req.APIID
	rc.RequestTimeEpoch = req.RequestTime.UnixMilli()
	rc.RequestID = req.RequestID
	rc.DomainName = req.DomainName
	rc.APIID = req.APIID
	rc.Identity = proxyIdentityV1{SourceIP: req.SourceIP, UserAgent: req.UserAgent}
	if req.APIKey != "" {
		rc.Identity.APIKey = strPtr(req.APIKey)
		rc.Identity.APIKeyID = strPtr(req.APIKeyID)
	}
	if az := req.Authorizer; az != nil {
		rc.Authorizer = map[string]any{}
		for k, v := range az.Context {
			rc.Authorizer[k] = v
		}
		if az.PrincipalID != "" {
			rc.Authorizer["principalId"] = az.PrincipalID
		}
		if az.Claims != nil {
			rc.Authorizer["claims"] = az.Claims
			if len(az.Scopes) > 0 {
				rc.Authorizer["scopes"] = az.Scopes
			}
		}
		if id := az.IAM; id != nil {
			rc.Identity.AccessKey = strPtr(id.AccessKey)
			rc.Identity.AccountID = strPtr(id.AccountID)
			rc.Identity.Caller = strPtr(id.Caller)
			rc.Identity.User = strPtr(id.User)
			rc.Identity.UserArn = strPtr(id.UserARN)
		}
		if len(rc.Authorizer) == 0 {
			rc.Authorizer = nil
		}
	}
	return ev
}

// resourceIDFor derives a stable resource ID from a resource path.
func resourceIDFor(path string) string {
	var h uint32 = 2166136261
	for i := 0; i < len(path); i++ {
		h ^= uint32(path[i])
		h *= 16777619
	}
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 6)
	for i := range b {
		b[i] = alphabet[h%36]
		h /= 36
		h = h*2654435761 + uint32(i)
	}
	return string(b)
}

// encodeBody returns the body for an event and whether it is base64: a
// REST API encodes the content types of BinaryMediaTypes, an HTTP API
// every body that is not text.
func encodeBody(req *Request) (string, bool) {
	ct := req.Header.Get("Content-Type")
	if isBinary(req, ct) {
		return base64.StdEncoding.EncodeToString(req.Body), true
	}
	return string(req.Body), false
}

// isBinary reports whether a body of content type ct goes base64.
func isBinary(req *Request, ct string) bool {
	if req.Kind == REST {
		return matchMediaType(req.binaryMediaTypes, ct)
	}
	if ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return true
	}
	switch {
	case strings.HasPrefix(mt, "text/"),
		mt == "application/json", mt == "application/xml", mt == "application/javascript",
		mt == "application/x-www-form-urlencoded", strings.HasSuffix(mt, "+json"), strings.HasSuffix(mt, "+xml"):
		return false
	}
	return true
}

// matchMediaType reports whether the content type matches one of the
// binary media types ("image/png", "image/*", "*/*").
func matchMediaType(types []string, ct string) bool {
	if len(types) == 0 || ct == "" {
		return false
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		mt = strings.ToLower(strings.TrimSpace(ct))
	}
	for _, t := range types {
		t = strings.ToLower(strings.TrimSpace(t))
		if t == "*/*" || t == mt {
			return true
		}
		if prefix, ok := strings.CutSuffix(t, "/*"); ok && strings.HasPrefix(mt, prefix+"/") {
			return true
		}
	}
	return false
}

// proxyEventV2 builds payload format 2.0.
func proxyEventV2(req *Request) map[string]any {
	headers := map[string]string{}
	var cookies []string
	for k, vs := range req.Header {
		lk := strings.ToLower(k)
		if lk == "cookie" {
			for _, v := range vs {
				for _, c := range strings.Split(v, ";") {
					if c = strings.TrimSpace(c); c != "" {
						cookies = append(cookies, c)
					}
				}
			}
			continue
		}
		headers[lk] = strings.Join(vs, ",")
	}
	ev := map[string]any{
		"version":        "2.0",
		"routeKey":       req.RouteKey,
		"rawPath":        req.RawPath,
		"rawQueryString": req.RawQuery,
		"headers":        headers,
	}
	if len(cookies) > 0 {
		ev["cookies"] = cookies
	}
	if q, err := url.ParseQuery(req.RawQuery); err == nil && len(q) > 0 {
		qs := map[string]string{}
		for k, vs := range q {
			qs[k] = strings.Join(vs, ",")
		}
		ev["queryStringParameters"] = qs
	}
	if len(req.PathParameters) > 0 {
		ev["pathParameters"] = req.PathParameters
	}
	if len(req.StageVariables) > 0 {
		ev["stageVariables"] = req.StageVariables
	}
	b64 := false
	if len(req.Body) > 0 {
		var body string
		body, b64 = encodeBody(req)
		ev["body"] = body
	}
	ev["isBase64Encoded"] = b64
	rc := map[string]any{
		"accountId":    req.AccountID,
		"apiId":        req.APIID,
		"domainName":   req.DomainName,
		"domainPrefix": req.APIID,
		"http": map[string]any{
			"method":    req.Method,
			"path":      req.RawPath,
			"protocol":  "HTTP/1.1",
			"sourceIp":  req.SourceIP,
			"userAgent": req.UserAgent,
		},
		"requestId": req.RequestID,
		"routeKey":  req.RouteKey,
		"stage":     req.Stage,
		"time":      req.RequestTime.UTC().Format(requestTimeCLF),
		"timeEpoch": req.RequestTime.UnixMilli(),
	}
	if az := req.Authorizer; az != nil {
		d := map[string]any{}
		switch {
		case az.Claims != nil:
			claims := map[string]string{}
			for k, v := range az.Claims {
				claims[k] = claimString(v)
			}
			jwt := map[string]any{"claims": claims, "scopes": nil}
			if len(az.Scopes) > 0 {
				jwt["scopes"] = az.Scopes
			}
			d["jwt"] = jwt
		case az.IAM != nil:
			d["iam"] = map[string]any{
				"accessKey": az.IAM.AccessKey, "accountId": az.IAM.AccountID,
				"callerId": az.IAM.Caller, "principalOrgId": nil,
				"userArn": az.IAM.UserARN, "userId": az.IAM.User,
			}
		default:
			lc := map[string]any{}
			for k, v := range az.Context {
				lc[k] = v
			}
			if az.PrincipalID != "" {
				lc["principalId"] = az.PrincipalID
			}
			d["lambda"] = lc
		}
		rc["authorizer"] = d
	}
	ev["requestContext"] = rc
	return ev
}

// claimString renders a claim as API Gateway passes JWT claims: strings as
// they are, numbers in decimal, arrays as "[a b]", objects as JSON.
func claimString(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case json.Number:
		return v.String()
	case bool:
		return strconv.FormatBool(v)
	case []any:
		parts := make([]string, len(v))
		for i, e := range v {
			parts[i] = claimString(e)
		}
		return "[" + strings.Join(parts, " ") + "]"
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// readProxyResponseV1 reads a 1.0 result: a JSON object whose members
// have the right types; anything else is malformed.
func readProxyResponseV1(out []byte) (*Response, error) {
	trim := bytes.TrimSpace(out)
	if len(trim) == 0 || trim[0] != '{' {
		return nil, errors.New("the function's result is not a JSON object")
	}
	return decodeProxyResponse(trim, false)
}

// readProxyResponseV2 reads a 2.0 result: a proxy response object if it
// has statusCode, else the whole result as a 200 application/json body.
func readProxyResponseV2(out []byte) (*Response, error) {
	trim := bytes.TrimSpace(out)
	if len(trim) == 0 {
		return nil, errors.New("the function returned no result")
	}
	if trim[0] == '{' {
		var probe map[string]json.RawMessage
		if err := json.Unmarshal(trim, &probe); err != nil {
			return nil, err
		}
		if _, ok := probe["statusCode"]; ok {
			return decodeProxyResponse(trim, true)
		}
	} else if !json.Valid(trim) {
		return nil, errors.New("the function's result is not JSON")
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	return &Response{StatusCode: http.StatusOK, Header: h, Body: append([]byte(nil), trim...)}, nil
}

func decodeProxyResponse(b []byte, v2 bool) (*Response, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, err
	}
	res := &Response{StatusCode: http.StatusOK, Header: http.Header{}}
	if sc, ok := raw["statusCode"]; ok && string(sc) != "null" {
		var n json.Number
		if err := json.Unmarshal(sc, &n); err != nil {
			// API Gateway accepts a statusCode given as a string of digits.
			var s string
			if json.Unmarshal(sc, &s) != nil {
				return nil, fmt.Errorf("statusCode is %s, not a number", sc)
			}
			n = json.Number(s)
		}
		code, err := strconv.Atoi(n.String())
		if err != nil || code < 100 || code > 599 {
			return nil, fmt.Errorf("statusCode %s is not an HTTP status", sc)
		}
		res.StatusCode = code
	}
	if hs, ok := raw["headers"]; ok && string(hs) != "null" {
		var m map[string]any
		if err := json.Unmarshal(hs, &m); err != nil {
			return nil, fmt.Errorf("headers: %v", err)
		}
		for _, k := range sortedKeys(m) {
			s, err := scalarString(m[k])
			if err != nil {
				return nil, fmt.Errorf("header %s: %v", k, err)
			}
			res.Header.Set(k, s)
		}
	}
	if mh, ok := raw["multiValueHeaders"]; ok && string(mh) != "null" {
		var m map[string][]any
		if err := json.Unmarshal(mh, &m); err != nil {
			return nil, fmt.Errorf("multiValueHeaders: %v", err)
		}
		for _, k := range sortedKeys(m) {
			res.Header.Del(k)
			for _, v := range m[k] {
				s, err := scalarString(v)
				if err != nil {
					return nil, fmt.Errorf("multiValueHeaders %s: %v", k, err)
				}
				res.Header.Add(k, s)
			}
		}
	}
	if v2 {
		if cs, ok := raw["cookies"]; ok && string(cs) != "null" {
			var cookies []string
			if err := json.Unmarshal(cs, &cookies); err != nil {
				return nil, fmt.Errorf("cookies: %v", err)
			}
			for _, c := range cookies {
				res.Header.Add("Set-Cookie", c)
			}
		}
	}
	b64 := false
	if ib, ok := raw["isBase64Encoded"]; ok && string(ib) != "null" {
		if err := json.Unmarshal(ib, &b64); err != nil {
			return nil, fmt.Errorf("isBase64Encoded: %v", err)
		}
	}
	if body, ok := raw["body"]; ok && string(body) != "null" {
		var s string
		if err := json.Unmarshal(body, &s); err != nil {
			if !v2 {
				return nil, fmt.Errorf("body is %s, not a string", truncate(string(body), 40))
			}
			// Payload 2.0 serialises a non-string body.
			s = string(body)
		}
		if b64 {
			dec, err := base64.StdEncoding.DecodeString(s)
			if err != nil {
				return nil, fmt.Errorf("body is not valid base64: %v", err)
			}
			res.Body = dec
		} else {
			res.Body = []byte(s)
		}
	}
	return res, nil
}

func scalarString(v any) (string, error) {
	switch v := v.(type) {
	case string:
		return v, nil
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64), nil
	case bool:
		return strconv.FormatBool(v), nil
	case nil:
		return "", nil
	}
	return "", fmt.Errorf("value is not a string")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
