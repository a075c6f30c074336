package apigw

import (
	"encoding/json"
	"errors"
	"maps"
	"strings"
	"time"

	"github.com/minicloud/minicloud/apigw/internal/authz"
)

// lambdaResult is what a Lambda authorizer answered, as cached: an IAM
// policy response or an HTTP API simple response.
type lambdaResult struct {
	policy *authz.PolicyResponse
	simple *authz.SimpleResponse
}

// tokenEvent is a TOKEN authorizer's event
// (events.APIGatewayCustomAuthorizerRequest).
type tokenEvent struct {
	Type               string `json:"type"`
	AuthorizationToken string `json:"authorizationToken"`
	MethodArn          string `json:"methodArn"`
}

// requestEventV1 is a REST REQUEST authorizer's event
// (events.APIGatewayCustomAuthorizerRequestTypeRequest) and, with version,
// identitySource and authorizationToken, an HTTP API authorizer's event of
// payload format 1.0 (events.APIGatewayV2CustomAuthorizerV1Request).
type requestEventV1 struct {
	Version                         string                `json:"version,omitempty"`
	Type                            string                `json:"type"`
	MethodArn                       string                `json:"methodArn"`
	IdentitySource                  *string               `json:"identitySource,omitempty"`
	AuthorizationToken              *string               `json:"authorizationToken,omitempty"`
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
}

// authorizerEvent builds the event API Gateway sends the authorizer: a
// TOKEN event, a REQUEST event of payload format 1.0 (REST, or an HTTP API
// choosing 1.0), or the 2.0 event of HTTP APIs (the request as a 2.0 proxy
// event without its body, plus type, routeArn and identitySource).
func (c *call) authorizerEvent(az *authorizer, arn string, values []string) any {
	if az.cfg.Type == AuthorizerToken {
		return &tokenEvent{Type: "TOKEN", AuthorizationToken: values[0], MethodArn: arn}
	}
	if c.kind == HTTP && az.cfg.AuthorizerPayloadFormatVersion == "2.0" {
		ev := proxyEventV2(c.req)
		delete(ev, "body")
		delete(ev, "isBase64Encoded")
		ev["type"] = "REQUEST"
		ev["routeArn"] = arn
		ev["identitySource"] = values
		return ev
	}
	p := proxyEventV1(c.req)
	ev := &requestEventV1{
		Type: "REQUEST", MethodArn: arn,
		Resource: p.Resource, Path: p.Path, HTTPMethod: p.HTTPMethod,
		Headers: p.Headers, MultiValueHeaders: p.MultiValueHeaders,
		QueryStringParameters: p.QueryStringParameters, MultiValueQueryStringParameters: p.MultiValueQueryStringParameters,
		PathParameters: p.PathParameters, StageVariables: p.StageVariables,
		RequestContext: p.RequestContext,
	}
	if c.kind == HTTP {
		joined := strings.Join(values, ",")
		ev.Version = "1.0"
		ev.IdentitySource = &joined
		ev.AuthorizationToken = &joined
	}
	return ev
}

// authorizeLambda runs a TOKEN or REQUEST authorizer: the identity
// sources must all be present (and a TOKEN match its validation
// expression), else 401 without invoking; the answer cached for the same
// stage and identity values is used until its TTL passes; otherwise the
// function is invoked. The policy is then evaluated for this request's
// method ARN, together with a REST API's resource policy.
func (c *call) authorizeLambda(az *authorizer) *gwError {
	values := make([]string, 0, len(az.sources))
	for _, src := range az.sources {
		v, ok := src.value(c)
		if !ok {
			return c.errUnauthorized("authorizer " + az.cfg.Name + ": identity source " + src.raw + " is missing or empty")
		}
		values = append(values, v)
	}
	if az.validate != nil && !az.validate.MatchString(values[0]) {
		return c.errUnauthorized("authorizer " + az.cfg.Name + ": the token does not match the identity validation expression")
	}
	arn := c.methodARN()
	var res *lambdaResult
	var latency time.Duration
	hit := false
	key := c.st.name + "\x00" + strings.Join(values, "\x00")
	if az.ttl > 0 {
		res, hit = az.cache.get(key, c.start)
	}
	if !hit {
		var e *gwError
		started := c.s.clock.Now()
		res, e = c.invokeAuthorizer(az, arn, values)
		latency = c.s.clock.Since(started)
		if e != nil {
			return e
		}
		if az.ttl > 0 {
			az.cache.put(key, res, c.start.Add(az.ttl), c.start)
		}
	}
	return c.applyLambdaResult(az, res, arn, hit, latency)
}

// invokeAuthorizer calls the function and reads its answer.
func (c *call) invokeAuthorizer(az *authorizer, arn string, values []string) (*lambdaResult, *gwError) {
	payload, err := json.Marshal(c.authorizerEvent(az, arn, values))
	if err != nil {
		return nil, c.errAuthorizerConfig("authorizer " + az.cfg.Name + ": encoding the event: " + err.Error())
	}
	out, err := az.cfg.Function.Invoke(c.r.Context(), payload)
	if err != nil {
		if isUnauthorizedError(err) {
			return nil, c.errUnauthorized("authorizer " + az.cfg.Name + " answered Unauthorized")
		}
		return nil, c.errAuthorizerConfig("authorizer " + az.cfg.Name + " failed: " + err.Error())
	}
	res := &lambdaResult{}
	switch {
	case c.kind == HTTP && az.cfg.EnableSimpleResponses:
		res.simple, err = authz.ParseSimpleResponse(out)
	case c.kind == HTTP && az.cfg.AuthorizerPayloadFormatVersion == "2.0":
		res.policy, err = authz.ParsePolicyResponseV2(out)
	default:
		res.policy, err = authz.ParsePolicyResponse(out)
	}
	if err != nil {
		return nil, c.errAuthorizerConfig("authorizer " + az.cfg.Name + ": " + err.Error())
	}
	return res, nil
}

// isUnauthorizedError reports whether a function error is the
// "Unauthorized" failure that API Gateway turns into 401: the error's
// message is exactly "Unauthorized" (a *lambda.FunctionError reads
// "errorString: Unauthorized"). Errors of the invocation itself (those
// with an error code: throttled, not found) never are.
func isUnauthorizedError(err error) bool {
	var coded interface{ ErrorCode() string }
	if errors.As(err, &coded) {
		return false
	}
	msg := err.Error()
	return msg == "Unauthorized" || strings.HasSuffix(msg, ": Unauthorized") && !strings.Contains(msg[:len(msg)-len(": Unauthorized")], " ")
}

// applyLambdaResult decides the request with the authorizer's answer and
// passes its principal, context and usage key to the integration; a REST
// API adds integrationLatency, the authorizer's duration in milliseconds
// (0 for a cached answer).
//
// A REST API answers a policy without an Allow for the method ARN with
// 403 {"Message":"User is not authorized to access this resource"}, and
// one that denies it explicitly with {"Message":"User is not authorized
// to access this resource with an explicit deny"}. With a resource
// policy, the two are combined as IAM combines policies of one account:
// an explicit Deny in either refuses, else an Allow in either admits. An
// HTTP API answers a denial with 403 {"message":"Forbidden"}.
func (c *call) applyLambdaResult(az *authorizer, res *lambdaResult, arn string, cached bool, latency time.Duration) *gwError {
	from := "authorizer " + az.cfg.Name
	if cached {
		from += " (cached)"
	}
	if s := res.simple; s != nil {
		if !s.IsAuthorized {
			return c.errForbidden(from + " answered isAuthorized false")
		}
		c.req.Authorizer = &AuthorizerResult{Context: maps.Clone(s.Context)}
		return nil
	}
	p := res.policy
	d := p.PolicyDocument.Evaluate(authz.Request{Action: authz.InvokeAction, Resource: arn})
	if c.kind == HTTP {
		if d != authz.Allow {
			return c.errForbidden(from + ": the policy does not allow " + arn + " (" + d.String() + ")")
		}
	} else {
		rd, has, e := c.resourceDecision("")
		if e != nil {
			return e
		}
		final := d
		if has {
			final = authz.Combine(d, rd)
		}
		if final != authz.Allow {
			var msg string
			switch {
			case d == authz.ExplicitDeny:
				msg = "User is not authorized to access this resource with an explicit deny"
			case has && rd == authz.ExplicitDeny:
				return c.errPolicyDenied("anonymous", rd)
			default:
				msg = "User is not authorized to access this resource"
			}
			return &gwError{typ: ResponseAccessDenied, status: 403, message: msg, body: messageBody(msg),
				reason: from + ": the policy of principal " + p.PrincipalID + " does not allow " + arn + " (" + d.String() + ")"}
		}
	}
	ctx := maps.Clone(p.Context)
	if c.kind == REST {
		// A REST API passes the context's values as strings.
		ctx = map[string]any{}
		for k, v := range authz.ContextStrings(p.Context) {
			ctx[k] = v
		}
		ctx["integrationLatency"] = float64(latency.Milliseconds()) // a number, as $context.authorizer.integrationLatency reads it
	}
	c.req.Authorizer = &AuthorizerResult{PrincipalID: p.PrincipalID, Context: ctx, UsageIdentifierKey: p.UsageIdentifierKey}
	return nil
}
