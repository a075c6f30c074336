package apigw

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// WebSocketRequest is what a WebSocket route's integration receives: the
// event (CONNECT, MESSAGE or DISCONNECT), the connection and where it
// came in.
type WebSocketRequest struct {
	// ConnectionID identifies the connection, for the @connections API.
	ConnectionID string
	// RouteKey is the route that was selected ("$connect", "sendmessage").
	RouteKey string
	// EventType is CONNECT, MESSAGE or DISCONNECT.
	EventType string
	// MessageID identifies a MESSAGE.
	MessageID string
	// Body is a MESSAGE's payload; IsBinary says it came in a binary
	// frame (a Lambda function then gets it base64-encoded).
	Body     []byte
	IsBinary bool
	// Header and Query are the handshake's headers and query string, on
	// CONNECT and DISCONNECT events.
	Header http.Header
	Query  url.Values

	// APIID, Stage, StageVariables, AccountID and DomainName say where
	// the connection came in.
	APIID          string
	Stage          string
	StageVariables map[string]string
	AccountID      string
	DomainName     string

	// RequestID (and ExtendedRequestID, the same here) and RequestTime
	// identify this event; ConnectedAt is when the connection was opened.
	RequestID         string
	ExtendedRequestID string
	RequestTime       time.Time
	ConnectedAt       time.Time

	// SourceIP and UserAgent describe the client.
	SourceIP  string
	UserAgent string

	// Authorizer is what the $connect authorizer returned (principalId and
	// context), for every event of the connection; nil without one.
	Authorizer *AuthorizerResult

	// DisconnectStatusCode and DisconnectReason are the close code and
	// reason of a DISCONNECT (1001 "Going away" at the idle timeout or
	// the maximum duration; the client's own code when it closed).
	DisconnectStatusCode int
	DisconnectReason     string

	stage *WebSocketStage
}

// Connections returns the stage the request came in on, whose
// PostToConnection, GetConnection and DeleteConnection are the
// @connections API: what a handler uses to answer or broadcast.
func (r *WebSocketRequest) Connections() *WebSocketStage { return r.stage }

// WebSocketResponse is what a WebSocket integration answers. For
// $connect, a status outside 2xx refuses the connection with that status
// and body, and a Sec-WebSocket-Protocol header selects the subprotocol;
// for a route with a route response, Body is sent to the client.
type WebSocketResponse struct {
	StatusCode int
	Header     http.Header
	Body       []byte
}

// WebSocketIntegration is the backend of a WebSocket route. The context
// is cancelled at the integration timeout (29 seconds), when the client
// then gets {"message": "Endpoint request timed out", …}. An error sends
// the client {"message": "Internal server error", "connectionId":…,
// "requestId":…} (for $connect: refuses the connection with 500). A nil
// response or a zero status means 200.
type WebSocketIntegration interface {
	Integrate(ctx context.Context, req *WebSocketRequest) (*WebSocketResponse, error)
}

// WebSocketFunc adapts a Go function to [WebSocketIntegration].
type WebSocketFunc func(ctx context.Context, req *WebSocketRequest) (*WebSocketResponse, error)

// Integrate calls f.
func (f WebSocketFunc) Integrate(ctx context.Context, req *WebSocketRequest) (*WebSocketResponse, error) {
	return f(ctx, req)
}

// WebSocketLambdaProxy is a Lambda proxy integration of a WebSocket route:
// the function receives the JSON that aws-lambda-go reads as
// events.APIGatewayWebsocketProxyRequest — requestContext with
// connectionId, routeKey, eventType, messageDirection "IN", messageId,
// domainName, stage, apiId, requestId, extendedRequestId, connectedAt,
// requestTime(Epoch), identity and authorizer; headers,
// multiValueHeaders and query strings on CONNECT (and headers on
// DISCONNECT, with disconnectStatusCode and disconnectReason); body and
// isBase64Encoded on MESSAGE — and returns an
// events.APIGatewayProxyResponse ({statusCode, headers, body,
// isBase64Encoded}). A result without statusCode (or null) counts as
// 200; a function error or a result that is not an object is an
// integration failure.
type WebSocketLambdaProxy struct {
	// Function is the function to invoke (required).
	Function Invoker
}

// Integrate invokes the function.
func (p WebSocketLambdaProxy) Integrate(ctx context.Context, req *WebSocketRequest) (*WebSocketResponse, error) {
	if p.Function == nil {
		return nil, errors.New("apigw: WebSocketLambdaProxy has no Function")
	}
	payload, err := json.Marshal(websocketEvent(req))
	if err != nil {
		return nil, err
	}
	out, err := p.Function.Invoke(ctx, payload)
	if err != nil {
		return nil, &integrationError{kind: errFunction, cause: err}
	}
	res, err := readWebSocketResult(out)
	if err != nil {
		return nil, &integrationError{kind: errMalformedProxyResponse, cause: err}
	}
	return res, nil
}

type wsIdentityJSON struct {
	SourceIP  string `json:"sourceIp"`
	UserAgent string `json:"userAgent,omitempty"`
}

type wsRequestContextJSON struct {
	RouteKey             string         `json:"routeKey"`
	DisconnectStatusCode int            `json:"disconnectStatusCode,omitempty"`
	MessageID            string         `json:"messageId,omitempty"`
	EventType            string         `json:"eventType"`
	ExtendedRequestID    string         `json:"extendedRequestId"`
	RequestTime          string         `json:"requestTime"`
	MessageDirection     string         `json:"messageDirection"`
	DisconnectReason     *string        `json:"disconnectReason,omitempty"`
	Stage                string         `json:"stage"`
	ConnectedAt          int64          `json:"connectedAt"`
	RequestTimeEpoch     int64          `json:"requestTimeEpoch"`
	Identity             wsIdentityJSON `json:"identity"`
	RequestID            string         `json:"requestId"`
	DomainName           string         `json:"domainName"`
	ConnectionID         string         `json:"connectionId"`
	APIID                string         `json:"apiId"`
	Authorizer           map[string]any `json:"authorizer,omitempty"`
}

type wsEventJSON struct {
	Headers                         map[string]string    `json:"headers,omitempty"`
	MultiValueHeaders               map[string][]string  `json:"multiValueHeaders,omitempty"`
	QueryStringParameters           map[string]string    `json:"queryStringParameters,omitempty"`
	MultiValueQueryStringParameters map[string][]string  `json:"multiValueQueryStringParameters,omitempty"`
	StageVariables                  map[string]string    `json:"stageVariables,omitempty"`
	RequestContext                  wsRequestContextJSON `json:"requestContext"`
	Body                            *string              `json:"body,omitempty"`
	IsBase64Encoded                 bool                 `json:"isBase64Encoded"`
}

// websocketEvent builds the Lambda event of a WebSocket request.
func websocketEvent(req *WebSocketRequest) *wsEventJSON {
	ev := &wsEventJSON{
		StageVariables: req.StageVariables,
		RequestContext: wsRequestContextJSON{
			RouteKey:          req.RouteKey,
			MessageID:         req.MessageID,
			EventType:         req.EventType,
			ExtendedRequestID: req.ExtendedRequestID,
			RequestTime:       req.RequestTime.UTC().Format(requestTimeCLF),
			MessageDirection:  "IN",
			Stage:             req.Stage,
			ConnectedAt:       req.ConnectedAt.UnixMilli(),
			RequestTimeEpoch:  req.RequestTime.UnixMilli(),
			Identity:          wsIdentityJSON{SourceIP: req.SourceIP, UserAgent: req.UserAgent},
			RequestID:         req.RequestID,
			DomainName:        req.DomainName,
			ConnectionID:      req.ConnectionID,
			APIID:             req.APIID,
		},
	}
	if req.EventType == "DISCONNECT" {
		ev.RequestContext.DisconnectStatusCode = req.DisconnectStatusCode
		why := req.DisconnectReason
		ev.RequestContext.DisconnectReason = &why
	}
	if a := req.Authorizer; a != nil {
		ctx := map[string]any{}
		for k, v := range a.Context {
			ctx[k] = v
		}
		if a.PrincipalID != "" {
			ctx["principalId"] = a.PrincipalID
		}
		ev.RequestContext.Authorizer = ctx
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
	if len(req.Query) > 0 && req.EventType == "CONNECT" {
		ev.QueryStringParameters = map[string]string{}
		ev.MultiValueQueryStringParameters = map[string][]string{}
		for k, vs := range req.Query {
			ev.QueryStringParameters[k] = vs[len(vs)-1]
			ev.MultiValueQueryStringParameters[k] = append([]string(nil), vs...)
		}
	}
	if req.EventType == "MESSAGE" {
		body := string(req.Body)
		if req.IsBinary {
			body = base64.StdEncoding.EncodeToString(req.Body)
			ev.IsBase64Encoded = true
		}
		ev.Body = &body
	}
	return ev
}

// readWebSocketResult reads a Lambda proxy result of a WebSocket route.
func readWebSocketResult(out []byte) (*WebSocketResponse, error) {
	var raw any
	if len(out) > 0 {
		if err := json.Unmarshal(out, &raw); err != nil {
			return nil, fmt.Errorf("the result is not JSON: %w", err)
		}
	}
	if raw == nil {
		return &WebSocketResponse{StatusCode: http.StatusOK}, nil
	}
	if _, ok := raw.(map[string]any); !ok {
		return nil, fmt.Errorf("the result is a JSON %T, not an object", raw)
	}
	var r struct {
		StatusCode      *int              `json:"statusCode"`
		Headers         map[string]string `json:"headers"`
		Body            *string           `json:"body"`
		IsBase64Encoded bool              `json:"isBase64Encoded"`
	}
	if err := json.Unmarshal(out, &r); err != nil {
		return nil, fmt.Errorf("the result does not have the proxy response's shape: %w", err)
	}
	res := &WebSocketResponse{StatusCode: http.StatusOK, Header: http.Header{}}
	if r.StatusCode != nil {
		res.StatusCode = *r.StatusCode
	}
	for k, v := range r.Headers {
		res.Header.Set(k, v)
	}
	if r.Body != nil {
		res.Body = []byte(*r.Body)
		if r.IsBase64Encoded {
			b, err := base64.StdEncoding.DecodeString(*r.Body)
			if err != nil {
				return nil, fmt.Errorf("body is not valid base64: %w", err)
			}
			res.Body = b
		}
	}
	return res, nil
}
