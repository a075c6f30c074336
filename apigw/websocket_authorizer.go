package apigw

import (
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"strings"

	"github.com/minicloud/minicloud/apigw/internal/authz"
)

// WebSocketAuthorizer is a Lambda REQUEST authorizer of a WebSocket API's
// $connect route. The function receives the REQUEST authorizer event
// (type "REQUEST", methodArn
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect, the
// handshake's headers and query string, stageVariables and the
// requestContext of the CONNECT event) and answers an IAM policy
// ({principalId, policyDocument, context}) that must allow
// execute-api:Invoke on the method ARN.
//
// A missing identity source refuses the handshake with 401
// {"message":"Unauthorized"} without invoking the function; a policy that
// does not allow, 403 {"message":"Forbidden"}; a failing function or an
// unreadable answer, 500 {"message": null}. The principalId and context
// reach every event of the connection as requestContext.authorizer.
type WebSocketAuthorizer struct {
	// Name names the authorizer, for logs.
	Name string
	// Function is the authorizer function (required).
	Function Invoker
	// IdentitySource lists where the caller's identity is read:
	// "route.request.header.{name}" and "route.request.querystring.{name}"
	// (and "stageVariables.{name}"). All must be present.
	IdentitySource []string
}

// parseWSIdentitySource reads one WebSocket identity source.
func parseWSIdentitySource(src string) (where, name string, err error) {
	for _, p := range []struct{ prefix, where string }{
		{"route.request.header.", "header"}, {"route.request.querystring.", "querystring"},
		{"stageVariables.", "stageVariables"},
	} {
		if n, ok := strings.CutPrefix(src, p.prefix); ok && n != "" {
			return p.where, n, nil
		}
	}
	return "", "", ErrBadRequest.Newf("Invalid identity source %q: use route.request.header.{name}, route.request.querystring.{name} or stageVariables.{name}", src)
}

// wsDenial is a refused handshake.
type wsDenial struct {
	status  int
	errType string
	body    string
	reason  string
}

type wsAuthorizerEvent struct {
	Type                            string               `json:"type"`
	MethodArn                       string               `json:"methodArn"`
	Headers                         map[string]string    `json:"headers,omitempty"`
	MultiValueHeaders               map[string][]string  `json:"multiValueHeaders,omitempty"`
	QueryStringParameters           map[string]string    `json:"queryStringParameters,omitempty"`
	MultiValueQueryStringParameters map[string][]string  `json:"multiValueQueryStringParameters,omitempty"`
	StageVariables                  map[string]string    `json:"stageVariables,omitempty"`
	RequestContext                  wsRequestContextJSON `json:"requestContext"`
}

// authorize runs the $connect authorizer.
func (c *wsConn) authorize(ctx context.Context, az *WebSocketAuthorizer) (*AuthorizerResult, *wsDenial) {
	st, s := c.st, c.st.api.s
	from := "authorizer " + az.Name
	for _, src := range az.IdentitySource {
		where, name, _ := parseWSIdentitySource(src)
		var v string
		switch where {
		case "header":
			v = strings.Join(c.header.Values(name), ",")
		case "querystring":
			v = strings.Join(c.query[name], ",")
		case "stageVariables":
			st.mu.Lock()
			v = st.vars[name]
			st.mu.Unlock()
		}
		if v == "" {
			return nil, &wsDenial{status: http.StatusUnauthorized, errType: "UnauthorizedException", body: `{"message":"Unauthorized"}`,
				reason: from + ": identity source " + src + " is missing"}
		}
	}
	arn := authz.MethodARN(s.region, s.accountID, st.api.id, st.name, RouteConnect, "")
	arn = strings.TrimSuffix(arn, "/")
	ev := websocketEvent(c.newRequest("CONNECT", RouteConnect))
	payload, err := json.Marshal(&wsAuthorizerEvent{
		Type: "REQUEST", MethodArn: arn,
		Headers: ev.Headers, MultiValueHeaders: ev.MultiValueHeaders,
		QueryStringParameters: ev.QueryStringParameters, MultiValueQueryStringParameters: ev.MultiValueQueryStringParameters,
		StageVariables: ev.StageVariables, RequestContext: ev.RequestContext,
	})
	if err != nil {
		return nil, &wsDenial{status: 500, errType: "AuthorizerConfigurationException", body: `{"message": null}`, reason: err.Error()}
	}
	out, err := az.Function.Invoke(ctx, payload)
	if err != nil {
		if isUnauthorizedError(err) {
			return nil, &wsDenial{status: http.StatusUnauthorized, errType: "UnauthorizedException", body: `{"message":"Unauthorized"}`,
				reason: from + " failed with Unauthorized"}
		}
		return nil, &wsDenial{status: 500, errType: "AuthorizerConfigurationException", body: `{"message": null}`, reason: from + " failed: " + err.Error()}
	}
	p, err := authz.ParsePolicyResponse(out)
	if err != nil {
		return nil, &wsDenial{status: 500, errType: "AuthorizerConfigurationException", body: `{"message": null}`, reason: from + ": " + err.Error()}
	}
	if d := p.PolicyDocument.Evaluate(authz.Request{Action: authz.InvokeAction, Resource: arn}); d != authz.Allow {
		return nil, &wsDenial{status: http.StatusForbidden, errType: "AccessDeniedException", body: `{"message":"Forbidden"}`,
			reason: from + ": the policy of principal " + p.PrincipalID + " does not allow " + arn + " (" + d.String() + ")"}
	}
	return &AuthorizerResult{PrincipalID: p.PrincipalID, Context: maps.Clone(p.Context)}, nil
}
