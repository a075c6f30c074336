package sdktest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/protocol/restjson"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/encoding/httpbinding"
	smithytime "github.com/aws/smithy-go/time"
	"github.com/coder/websocket"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/lambda"
)

// managementClient calls the @connections API the way
// aws-sdk-go-v2/service/apigatewaymanagementapi does: the endpoint is
// https://{domainName}/{stage}, the connection ID is escaped with the
// SDK's own path escaping, requests are SigV4-signed for "execute-api",
// and errors are read with the SDK's REST-JSON error decoder and the
// x-amzn-ErrorType header. (The apigatewaymanagementapi module itself is
// not served by this workplace's module proxy; every piece below is the
// SDK's.)
type managementClient struct {
	srv      *httptest.Server
	endpoint string // domainName/stage from the event
}

type managementError struct {
	Status  int
	Code    string
	Message string
}

func (e *managementError) Error() string { return e.Code + ": " + e.Message }

func (m managementClient) do(ctx context.Context, method, connectionID string, body []byte) ([]byte, error) {
	host, stage, _ := strings.Cut(m.endpoint, "/")
	path := "/" + stage + "/@connections/" + httpbinding.EscapePath(connectionID, true)
	req, err := http.NewRequestWithContext(ctx, method, m.srv.URL+path, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Host = host
	sum := sha256.Sum256(body)
	creds := aws.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "secret"}
	if err := v4.NewSigner().SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), "execute-api", "us-east-1", time.Now()); err != nil {
		return nil, err
	}
	res, err := m.srv.Client().Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	if res.StatusCode >= 300 {
		code, msg, err := restjson.GetErrorInfo(json.NewDecoder(bytes.NewReader(out)))
		if err != nil {
			return nil, err
		}
		if h := res.Header.Get("X-Amzn-ErrorType"); h != "" {
			code = restjson.SanitizeErrorCode(h)
		}
		return nil, &managementError{Status: res.StatusCode, Code: code, Message: msg}
	}
	return out, nil
}

func TestAPIGatewayWebSocket_ChatWithLambdaAndManagementAPI(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx := context.Background()
	var srv *httptest.Server
	var mu sync.Mutex
	members := map[string]string{}
	events_ := make(chan events.APIGatewayWebsocketProxyRequest, 16)

	fn := func(name string, h any) *lambda.Function {
		if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: name, Handler: lambda.Handler(h)}); err != nil {
			t.Fatal(err)
		}
		return cloud.Lambda.Function(name)
	}
	connect := fn("connect", func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		events_ <- ev
		if ev.QueryStringParameters["name"] == "" {
			return events.APIGatewayProxyResponse{StatusCode: 403, Body: "who are you?"}, nil
		}
		mu.Lock()
		members[ev.RequestContext.ConnectionID] = ev.QueryStringParameters["name"]
		mu.Unlock()
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	})
	disconnect := fn("disconnect", func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		mu.Lock()
		delete(members, ev.RequestContext.ConnectionID)
		mu.Unlock()
		events_ <- ev
		return events.APIGatewayProxyResponse{StatusCode: 200}, nil
	})
	send := fn("sendmessage", func(ctx context.Context, ev events.APIGatewayWebsocketProxyRequest) (events.APIGatewayProxyResponse, error) {
		events_ <- ev
		var msg struct{ Data string }
		if err := json.Unmarshal([]byte(ev.Body), &msg); err != nil {
			return events.APIGatewayProxyResponse{StatusCode: 400}, nil
		}
		mgmt := managementClient{srv: srv, endpoint: ev.RequestContext.DomainName + "/" + ev.RequestContext.Stage}
		mu.Lock()
		from := members[ev.RequestContext.ConnectionID]
		var ids []string
		for id := range members {
			ids = append(ids, id)
		}
		mu.Unlock()
		for _, id := range ids {
			if _, err := mgmt.do(ctx, "POST", id, []byte(from+": "+msg.Data)); err != nil {
				var me *managementError
				if errors.As(err, &me) && me.Code == "GoneException" {
					continue
				}
				return events.APIGatewayProxyResponse{}, err
			}
		}
		return events.APIGatewayProxyResponse{StatusCode: 200, Body: "sent"}, nil
	})

	api, err := cloud.APIs.CreateWebSocketAPI(apigw.WebSocketAPIConfig{Name: "chat", RouteSelectionExpression: "$request.body.action"})
	if err != nil {
		t.Fatal(err)
	}
	for key, f := range map[string]*lambda.Function{"$connect": connect, "$disconnect": disconnect, "sendmessage": send} {
		if err := api.Route(key, apigw.WebSocketRoute{Integration: apigw.WebSocketLambdaProxy{Function: f}, RouteResponse: key == "sendmessage"}); err != nil {
			t.Fatal(err)
		}
	}
	stage, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	srv = httptest.NewServer(api.Handler())
	defer srv.Close()
	wsURL := "ws" + strings.TrimPrefix(srv.URL, "http") + "/prod"

	dial := func(query string) (*websocket.Conn, *http.Response, error) {
		dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		return websocket.Dial(dctx, wsURL+query, &websocket.DialOptions{HTTPHeader: http.Header{"User-Agent": {"sdktest"}}})
	}
	read := func(c *websocket.Conn) string {
		t.Helper()
		rctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_, b, err := c.Read(rctx)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}

	// A refused $connect fails the handshake with the function's status.
	if _, res, err := dial(""); err == nil || res == nil || res.StatusCode != 403 {
		t.Fatalf("anonymous dial: %v %v", err, res)
	}
	<-events_

	ann, _, err := dial("?name=ann")
	if err != nil {
		t.Fatal(err)
	}
	defer ann.CloseNow()
	ev := <-events_
	rc := ev.RequestContext
	if rc.EventType != "CONNECT" || rc.RouteKey != "$connect" || rc.MessageDirection != "IN" || rc.Stage != "prod" ||
		rc.APIID != api.ID() || rc.DomainName != api.Endpoint() || rc.ConnectedAt != minicloud.TestEpoch.UnixMilli() ||
		rc.Identity.SourceIP != "127.0.0.1" || rc.Identity.UserAgent != "sdktest" || rc.RequestID == "" || rc.ExtendedRequestID == "" ||
		ev.Headers["User-Agent"] != "sdktest" || ev.MultiValueQueryStringParameters["name"][0] != "ann" {
		t.Fatalf("CONNECT event = %+v", ev)
	}
	annID := rc.ConnectionID
	bo, _, err := dial("?name=bo")
	if err != nil {
		t.Fatal(err)
	}
	defer bo.CloseNow()
	<-events_

	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := ann.Write(wctx, websocket.MessageText, []byte(`{"action":"sendmessage","data":"hello"}`)); err != nil {
		t.Fatal(err)
	}
	msgEv := <-events_
	if msgEv.RequestContext.EventType != "MESSAGE" || msgEv.RequestContext.RouteKey != "sendmessage" || msgEv.RequestContext.MessageID == nil ||
		msgEv.Body != `{"action":"sendmessage","data":"hello"}` || msgEv.RequestContext.ConnectionID != annID {
		t.Fatalf("MESSAGE event = %+v", msgEv)
	}
	// Ann gets the broadcast and her route response, in either order.
	got := []string{read(ann), read(ann)}
	if !(got[0] == "ann: hello" && got[1] == "sent" || got[0] == "sent" && got[1] == "ann: hello") {
		t.Fatalf("ann read %q", got)
	}
	if s := read(bo); s != "ann: hello" {
		t.Fatalf("bo read %q", s)
	}

	// GetConnection as the SDK reads it: ISO 8601 times and the identity.
	mgmt := managementClient{srv: srv, endpoint: api.Endpoint() + "/prod"}
	out, err := mgmt.do(ctx, "GET", annID, nil)
	if err != nil {
		t.Fatal(err)
	}
	var info struct {
		ConnectedAt  string `json:"connectedAt"`
		LastActiveAt string `json:"lastActiveAt"`
		Identity     struct {
			SourceIP  string `json:"sourceIp"`
			UserAgent string `json:"userAgent"`
		} `json:"identity"`
	}
	if err := json.Unmarshal(out, &info); err != nil {
		t.Fatal(err)
	}
	at, err := smithytime.ParseDateTime(info.ConnectedAt)
	if err != nil || !at.Equal(minicloud.TestEpoch) || info.Identity.SourceIP != "127.0.0.1" || info.Identity.UserAgent != "sdktest" {
		t.Fatalf("GetConnection = %s (%v)", out, err)
	}
	if _, err := smithytime.ParseDateTime(info.LastActiveAt); err != nil {
		t.Fatal(err)
	}

	// DeleteConnection closes bo; $disconnect runs; then bo is gone.
	boID := ""
	mu.Lock()
	for id, n := range members {
		if n == "bo" {
			boID = id
		}
	}
	mu.Unlock()
	if _, err := mgmt.do(ctx, "DELETE", boID, nil); err != nil {
		t.Fatal(err)
	}
	if dis := <-events_; dis.RequestContext.EventType != "DISCONNECT" || dis.RequestContext.ConnectionID != boID {
		t.Fatalf("DISCONNECT event = %+v", dis.RequestContext)
	}
	_, err = mgmt.do(ctx, "POST", boID, []byte("late"))
	var me *managementError
	if !errors.As(err, &me) || me.Code != "GoneException" || me.Status != 410 {
		t.Fatalf("post to a deleted connection: %v", err)
	}
	if ids := stage.Connections(); len(ids) != 1 || ids[0] != annID {
		t.Fatalf("open connections = %v", ids)
	}
}
