package apigw_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/minicloud/minicloud/apigw"
)

// invokerFunc is a Lambda function in a test.
type invokerFunc func(ctx context.Context, payload []byte) ([]byte, error)

func (f invokerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	return f(ctx, payload)
}

// wsEvent is the part of events.APIGatewayWebsocketProxyRequest the
// tests read.
type wsEvent struct {
	Headers               map[string]string `json:"headers"`
	QueryStringParameters map[string]string `json:"queryStringParameters"`
	Body                  *string           `json:"body"`
	IsBase64Encoded       bool              `json:"isBase64Encoded"`
	RequestContext        struct {
		RouteKey             string         `json:"routeKey"`
		EventType            string         `json:"eventType"`
		MessageDirection     string         `json:"messageDirection"`
		MessageID            string         `json:"messageId"`
		ConnectionID         string         `json:"connectionId"`
		DomainName           string         `json:"domainName"`
		Stage                string         `json:"stage"`
		APIID                string         `json:"apiId"`
		RequestID            string         `json:"requestId"`
		ExtendedRequestID    string         `json:"extendedRequestId"`
		ConnectedAt          int64          `json:"connectedAt"`
		RequestTimeEpoch     int64          `json:"requestTimeEpoch"`
		DisconnectStatusCode int            `json:"disconnectStatusCode"`
		Authorizer           map[string]any `json:"authorizer"`
		Identity             struct {
			SourceIP  string `json:"sourceIp"`
			UserAgent string `json:"userAgent"`
		} `json:"identity"`
	} `json:"requestContext"`
}

func TestWebSocket_LambdaProxyEvents(t *testing.T) {
	events := make(chan wsEvent, 8)
	fn := invokerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev wsEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		events <- ev
		if ev.RequestContext.EventType == "MESSAGE" {
			return json.Marshal(map[string]any{"statusCode": 200, "body": "got " + *ev.Body})
		}
		return []byte(`{"statusCode":200}`), nil
	})
	proxy := apigw.WebSocketLambdaProxy{Function: fn}
	authz := invokerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		return []byte(`{"principalId":"user-1","context":{"tier":"gold"},"policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"Allow","Resource":"*"}]}}`), nil
	})
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{
		apigw.RouteConnect:    {Integration: proxy, Authorizer: &apigw.WebSocketAuthorizer{Name: "a", Function: authz, IdentitySource: []string{"route.request.querystring.token"}}},
		apigw.RouteDisconnect: {Integration: proxy},
		"say":                 {Integration: proxy, RouteResponse: true},
	})
	e.clk.Advance(time.Second)
	c := e.dial("token=t1&room=a")
	connect := <-events
	rc := connect.RequestContext
	start := e.clk.Now().UnixMilli()
	if rc.EventType != "CONNECT" || rc.RouteKey != "$connect" || rc.MessageDirection != "IN" || rc.Stage != "prod" ||
		rc.APIID != e.api.ID() || rc.DomainName != e.api.Endpoint() || rc.ConnectedAt != start || rc.RequestTimeEpoch != start ||
		rc.ConnectionID == "" || rc.RequestID == "" || rc.ExtendedRequestID == "" || rc.Identity.SourceIP != "127.0.0.1" {
		t.Fatalf("CONNECT requestContext = %+v", rc)
	}
	if connect.QueryStringParameters["room"] != "a" || connect.Headers["Upgrade"] != "websocket" || connect.Body != nil {
		t.Fatalf("CONNECT event = %+v", connect)
	}
	if rc.Authorizer["principalId"] != "user-1" || rc.Authorizer["tier"] != "gold" {
		t.Fatalf("authorizer = %v", rc.Authorizer)
	}

	send(t, c, `{"action":"say","text":"hi"}`)
	if got := recv(t, c); got != `got {"action":"say","text":"hi"}` {
		t.Fatalf("route response = %q", got)
	}
	msg := <-events
	if msg.RequestContext.EventType != "MESSAGE" || msg.RequestContext.RouteKey != "say" || msg.RequestContext.MessageID == "" ||
		msg.RequestContext.ConnectionID != rc.ConnectionID || msg.Headers != nil || msg.IsBase64Encoded {
		t.Fatalf("MESSAGE event = %+v", msg)
	}
	if err := c.Close(websocket.StatusNormalClosure, ""); err != nil {
		t.Fatal(err)
	}
	dis := <-events
	if dis.RequestContext.EventType != "DISCONNECT" || dis.RequestContext.DisconnectStatusCode != 1000 || dis.RequestContext.ConnectionID != rc.ConnectionID {
		t.Fatalf("DISCONNECT event = %+v", dis.RequestContext)
	}
}

func TestWebSocket_ConnectAuthorizer(t *testing.T) {
	policy := func(effect string) []byte {
		return []byte(`{"principalId":"u","policyDocument":{"Version":"2012-10-17","Statement":[{"Action":"execute-api:Invoke","Effect":"` + effect + `","Resource":"arn:aws:execute-api:*:*:*/prod/$connect"}]}}`)
	}
	var arns = make(chan string, 4)
	fn := invokerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		var ev struct {
			Type, MethodArn       string
			QueryStringParameters map[string]string
		}
		_ = json.Unmarshal(payload, &ev)
		arns <- ev.Type + " " + ev.MethodArn
		switch ev.QueryStringParameters["token"] {
		case "allow":
			return policy("Allow"), nil
		case "deny":
			return policy("Deny"), nil
		case "junk":
			return []byte(`"junk"`), nil
		}
		return nil, errors.New("Unauthorized")
	})
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{
		apigw.RouteConnect: {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			return nil, nil
		}), Authorizer: &apigw.WebSocketAuthorizer{Function: fn, IdentitySource: []string{"route.request.querystring.token"}}},
	})
	tests := []struct {
		query string
		want  int
	}{
		{"token=allow", http.StatusSwitchingProtocols},
		{"token=deny", http.StatusForbidden},
		{"token=junk", http.StatusInternalServerError},
		{"token=other", http.StatusUnauthorized},
		{"", http.StatusUnauthorized},
	}
	for _, tc := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		c, res, _ := websocket.Dial(ctx, e.url(tc.query), nil)
		cancel()
		if c != nil {
			_ = c.CloseNow()
		}
		if res == nil || res.StatusCode != tc.want {
			t.Errorf("%q: response %v, want %d", tc.query, res, tc.want)
		}
	}
	if got := <-arns; got != "REQUEST arn:aws:execute-api:us-east-1:123456789012:"+e.api.ID()+"/prod/$connect" {
		t.Fatalf("authorizer event = %q", got)
	}
	if len(arns) != 3 {
		t.Fatalf("authorizer invoked %d more times, want 3 (not for a missing token)", len(arns))
	}
}

func TestWebSocket_RouteConfigurationErrors(t *testing.T) {
	gw := apigw.New(apigw.Options{})
	if _, err := gw.CreateWebSocketAPI(apigw.WebSocketAPIConfig{Name: "x", RouteSelectionExpression: "$request.header.x"}); !errors.Is(err, apigw.ErrBadRequest) {
		t.Fatalf("bad expression: %v", err)
	}
	api, err := gw.CreateWebSocketAPI(apigw.WebSocketAPIConfig{Name: "x"})
	if err != nil || api.RouteSelectionExpression() != "$request.body.action" {
		t.Fatalf("default expression: %v %q", err, api.RouteSelectionExpression())
	}
	ok := apigw.WebSocketFunc(func(context.Context, *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) { return nil, nil })
	if _, err := api.Deploy("prod"); !errors.Is(err, apigw.ErrBadRequest) {
		t.Fatalf("deploy without routes: %v", err)
	}
	for key, r := range map[string]apigw.WebSocketRoute{
		"$custom":     {Integration: ok},
		"nointegr":    {},
		"withauth":    {Integration: ok, Authorizer: &apigw.WebSocketAuthorizer{}},
		"$disconnect": {Integration: ok, RouteResponse: true},
		"":            {Integration: ok},
		"$connect":    {Integration: ok, Authorizer: &apigw.WebSocketAuthorizer{Function: invokerFunc(nil), IdentitySource: []string{"method.request.header.x"}}},
	} {
		if err := api.Route(key, r); !errors.Is(err, apigw.ErrBadRequest) {
			t.Errorf("route %q: %v, want BadRequestException", key, err)
		}
	}
	if err := api.Route("go", apigw.WebSocketRoute{Integration: ok}); err != nil {
		t.Fatal(err)
	}
	if err := api.Route("go", apigw.WebSocketRoute{Integration: ok}); !errors.Is(err, apigw.ErrConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := api.Deploy("prod"); err != nil {
		t.Fatal(err)
	}
	if got, ok := gw.WebSocketAPI(api.ID()); !ok || got != api {
		t.Fatal("WebSocketAPI lookup failed")
	}
	if err := gw.DeleteWebSocketAPI(api.ID()); err != nil {
		t.Fatal(err)
	}
	if err := gw.DeleteWebSocketAPI(api.ID()); !errors.Is(err, apigw.ErrNotFound) {
		t.Fatalf("second delete: %v", err)
	}
}
