package apigw_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
)

// wsEnv is a WebSocket API on a manual clock served over loopback.
type wsEnv struct {
	t     *testing.T
	clk   *clock.Manual
	gw    *apigw.Service
	api   *apigw.WebSocketAPI
	stage *apigw.WebSocketStage
	srv   *httptest.Server
}

func newWSEnv(t *testing.T, routes map[string]apigw.WebSocketRoute) *wsEnv {
	t.Helper()
	clk := clock.NewManual(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	gw := apigw.New(apigw.Options{Clock: clk})
	api, err := gw.CreateWebSocketAPI(apigw.WebSocketAPIConfig{Name: "chat", RouteSelectionExpression: "$request.body.action"})
	if err != nil {
		t.Fatal(err)
	}
	for k, r := range routes {
		if err := api.Route(k, r); err != nil {
			t.Fatal(err)
		}
	}
	st, err := api.Deploy("prod")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(api.Handler())
	t.Cleanup(srv.Close)
	return &wsEnv{t: t, clk: clk, gw: gw, api: api, stage: st, srv: srv}
}

func (e *wsEnv) url(query string) string {
	u := "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/prod"
	if query != "" {
		u += "?" + query
	}
	return u
}

func (e *wsEnv) dial(query string) *websocket.Conn {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, _, err := websocket.Dial(ctx, e.url(query), nil)
	if err != nil {
		e.t.Fatalf("dial: %v", err)
	}
	c.SetReadLimit(1 << 20)
	e.t.Cleanup(func() { _ = c.CloseNow() })
	return c
}

func send(t *testing.T, c *websocket.Conn, msg string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, []byte(msg)); err != nil {
		t.Fatalf("write: %v", err)
	}
}

func recv(t *testing.T, c *websocket.Conn) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, b, err := c.Read(ctx)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return string(b)
}

// recvClose reads until the connection closes and returns the close
// status and reason.
func recvClose(t *testing.T, c *websocket.Conn) (websocket.StatusCode, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	for {
		_, _, err := c.Read(ctx)
		if err == nil {
			continue
		}
		var ce websocket.CloseError
		if !errors.As(err, &ce) {
			t.Fatalf("read ended without a close frame: %v", err)
		}
		return ce.Code, ce.Reason
	}
}

// chatRoom is the classic WebSocket chat: $connect joins with ?name=,
// sendmessage broadcasts through @connections, $disconnect leaves.
type chatRoom struct {
	mu      sync.Mutex
	members map[string]string // connection ID → name
	left    chan string
}

func (room *chatRoom) routes() map[string]apigw.WebSocketRoute {
	return map[string]apigw.WebSocketRoute{
		apigw.RouteConnect: {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			name := req.Query.Get("name")
			if name == "" {
				return &apigw.WebSocketResponse{StatusCode: 400, Body: []byte("name required")}, nil
			}
			room.mu.Lock()
			room.members[req.ConnectionID] = name
			room.mu.Unlock()
			return nil, nil
		})},
		apigw.RouteDisconnect: {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			room.mu.Lock()
			name := room.members[req.ConnectionID]
			delete(room.members, req.ConnectionID)
			room.mu.Unlock()
			room.left <- name
			return nil, nil
		})},
		"sendmessage": {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			var msg struct{ Data string }
			if err := json.Unmarshal(req.Body, &msg); err != nil {
				return &apigw.WebSocketResponse{StatusCode: 400}, nil
			}
			room.mu.Lock()
			from := room.members[req.ConnectionID]
			ids := make([]string, 0, len(room.members))
			for id := range room.members {
				ids = append(ids, id)
			}
			room.mu.Unlock()
			for _, id := range ids {
				err := req.Connections().PostToConnection(ctx, id, []byte(from+": "+msg.Data))
				if errors.Is(err, apigw.ErrGone) {
					room.mu.Lock()
					delete(room.members, id)
					room.mu.Unlock()
				} else if err != nil {
					return nil, err
				}
			}
			return nil, nil
		})},
		apigw.RouteDefault: {RouteResponse: true, Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			return &apigw.WebSocketResponse{Body: []byte(`{"error":"unknown action"}`)}, nil
		})},
	}
}

func (room *chatRoom) id(name string) string {
	room.mu.Lock()
	defer room.mu.Unlock()
	for id, n := range room.members {
		if n == name {
			return id
		}
	}
	return ""
}

func TestWebSocket_ChatRoomBroadcastsThroughConnections(t *testing.T) {
	room := &chatRoom{members: map[string]string{}, left: make(chan string, 4)}
	e := newWSEnv(t, room.routes())
	alice, bob, carol := e.dial("name=alice"), e.dial("name=bob"), e.dial("name=carol")
	if got := len(e.stage.Connections()); got != 3 {
		t.Fatalf("open connections = %d, want 3", got)
	}

	send(t, alice, `{"action":"sendmessage","data":"hello"}`)
	for _, c := range []*websocket.Conn{alice, bob, carol} {
		if got := recv(t, c); got != "alice: hello" {
			t.Fatalf("broadcast = %q, want %q", got, "alice: hello")
		}
	}

	// An unknown action goes to $default, whose route response answers
	// the sender only.
	send(t, bob, `{"action":"dance"}`)
	if got := recv(t, bob); got != `{"error":"unknown action"}` {
		t.Fatalf("$default route response = %q", got)
	}

	// Bob leaves: $disconnect runs with his close code, and his
	// connection is gone for @connections.
	bobID := room.id("bob")
	if err := bob.Close(websocket.StatusNormalClosure, "bye"); err != nil {
		t.Fatal(err)
	}
	if got := <-room.left; got != "bob" {
		t.Fatalf("left = %q, want bob", got)
	}
	err := e.stage.PostToConnection(context.Background(), bobID, []byte("anyone?"))
	if !errors.Is(err, apigw.ErrGone) {
		t.Fatalf("PostToConnection after disconnect = %v, want GoneException", err)
	}
	if _, err := e.stage.GetConnection(context.Background(), bobID); !errors.Is(err, apigw.ErrGone) {
		t.Fatalf("GetConnection after disconnect = %v, want GoneException", err)
	}

	send(t, carol, `{"action":"sendmessage","data":"bye bob"}`)
	for _, c := range []*websocket.Conn{alice, carol} {
		if got := recv(t, c); got != "carol: bye bob" {
			t.Fatalf("broadcast = %q", got)
		}
	}

	m := e.stage.Metrics()
	// In: 3 messages; out: 3 + 1 route response + 2 broadcasts.
	if m.ConnectCount != 3 || m.MessageCount != 9 || m.ByRoute["sendmessage"] != 2 || m.ByRoute["$default"] != 1 {
		t.Fatalf("metrics = %+v", m)
	}
	if u := e.gw.WebSocketUsage(); u.Messages != 9 || u.ConnectionMinutes != 3 {
		t.Fatalf("usage = %+v, want 9 messages and 3 connection minutes", u)
	}
}

func TestWebSocket_ConnectRejectionFailsTheHandshake(t *testing.T) {
	room := &chatRoom{members: map[string]string{}, left: make(chan string, 1)}
	e := newWSEnv(t, room.routes())
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, res, err := websocket.Dial(ctx, e.url(""), nil)
	if err == nil {
		t.Fatal("dial without a name succeeded")
	}
	if res == nil || res.StatusCode != 400 {
		t.Fatalf("handshake response = %v, want 400", res)
	}
	body, _ := io.ReadAll(res.Body)
	if string(body) != "name required" {
		t.Fatalf("body = %q", body)
	}
	if m := e.stage.Metrics(); m.IntegrationError != 1 || len(e.stage.Connections()) != 0 {
		t.Fatalf("metrics = %+v, connections %v", m, e.stage.Connections())
	}
}

func TestWebSocket_RouteSelection(t *testing.T) {
	echo := func(name string) apigw.WebSocketRoute {
		return apigw.WebSocketRoute{RouteResponse: true, Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			return &apigw.WebSocketResponse{Body: []byte(name + " " + req.RouteKey)}, nil
		})}
	}
	withDefault := newWSEnv(t, map[string]apigw.WebSocketRoute{"join": echo("join"), "7": echo("seven"), apigw.RouteDefault: echo("default")})
	noDefault := newWSEnv(t, map[string]apigw.WebSocketRoute{"join": echo("join")})
	tests := []struct {
		name, msg, want string
		env             *wsEnv
	}{
		{"custom route", `{"action":"join"}`, "join join", withDefault},
		{"number stringified", `{"action":7}`, "seven 7", withDefault},
		{"unmatched action goes to $default", `{"action":"leave"}`, "default $default", withDefault},
		{"missing member goes to $default", `{"type":"join"}`, "default $default", withDefault},
		{"not JSON goes to $default", `join`, "default $default", withDefault},
		{"$connect is not selectable", `{"action":"$connect"}`, "default $default", withDefault},
		{"custom route without $default", `{"action":"join"}`, "join join", noDefault},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := tc.env.dial("")
			send(t, c, tc.msg)
			if got := recv(t, c); got != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
		})
	}

	t.Run("no route and no $default answers Forbidden", func(t *testing.T) {
		c := noDefault.dial("")
		send(t, c, `{"action":"leave"}`)
		var got struct{ Message, ConnectionID, RequestID string }
		raw := recv(t, c)
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatalf("%q: %v", raw, err)
		}
		ids := noDefault.stage.Connections()
		if got.Message != "Forbidden" || !slices.Contains(ids, got.ConnectionID) || got.RequestID == "" {
			t.Fatalf("error message = %s (connections %v)", raw, ids)
		}
		if !strings.HasPrefix(raw, `{"message": "Forbidden", "connectionId":"`) {
			t.Fatalf("error message = %s, want API Gateway's layout", raw)
		}
		if m := noDefault.stage.Metrics(); m.ClientError != 1 {
			t.Fatalf("ClientError = %d", m.ClientError)
		}
	})
}

func TestWebSocket_IntegrationErrorTellsTheClient(t *testing.T) {
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{
		apigw.RouteDefault: {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			return nil, errors.New("boom")
		})},
	})
	c := e.dial("")
	send(t, c, "hi")
	got := recv(t, c)
	if !strings.HasPrefix(got, `{"message": "Internal server error", "connectionId":"`) {
		t.Fatalf("got %s", got)
	}
	if m := e.stage.Metrics(); m.ExecutionError != 1 {
		t.Fatalf("ExecutionError = %d", m.ExecutionError)
	}
}

func TestWebSocket_PostDuringConnectIsGone(t *testing.T) {
	postErr := make(chan error, 1)
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{
		apigw.RouteConnect: {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			postErr <- req.Connections().PostToConnection(ctx, req.ConnectionID, []byte("too early"))
			return nil, nil
		})},
		apigw.RouteDefault: {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			return nil, req.Connections().PostToConnection(ctx, req.ConnectionID, []byte("now"))
		})},
	})
	c := e.dial("")
	if err := <-postErr; !errors.Is(err, apigw.ErrGone) {
		t.Fatalf("post during $connect = %v, want GoneException", err)
	}
	send(t, c, "x")
	if got := recv(t, c); got != "now" {
		t.Fatalf("got %q", got)
	}
}

func TestWebSocket_ManagementAPIOverHTTP(t *testing.T) {
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{
		apigw.RouteDefault: {Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			return nil, nil
		})},
	})
	c := e.dial("")
	id := e.stage.Connections()[0]
	do := func(method, body string) (int, string, http.Header) {
		t.Helper()
		req, _ := http.NewRequest(method, e.srv.URL+"/prod/@connections/"+strings.ReplaceAll(id, "=", "%3D"), strings.NewReader(body))
		res, err := e.srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b), res.Header
	}
	if code, _, _ := do("POST", "pushed"); code != 200 {
		t.Fatalf("POST = %d", code)
	}
	if got := recv(t, c); got != "pushed" {
		t.Fatalf("client got %q", got)
	}
	e.clk.Advance(time.Minute)
	send(t, c, "activity")
	code, body, _ := do("GET", "")
	var info struct {
		ConnectedAt, LastActiveAt string
		Identity                  struct{ SourceIP string }
	}
	if err := json.Unmarshal([]byte(body), &info); err != nil || code != 200 {
		t.Fatalf("GET = %d %s", code, body)
	}
	if info.ConnectedAt != "2026-12-02T12:00:00.000Z" || info.Identity.SourceIP != "127.0.0.1" {
		t.Fatalf("GET = %s", body)
	}
	// lastActiveAt moves with the client's message (which the GET may
	// overtake; then it is still connectedAt).
	if info.LastActiveAt != "2026-12-02T12:01:00.000Z" && info.LastActiveAt != info.ConnectedAt {
		t.Fatalf("lastActiveAt = %s", info.LastActiveAt)
	}
	if code, _, _ := do("DELETE", ""); code != 204 {
		t.Fatalf("DELETE = %d", code)
	}
	if code, reason := recvClose(t, c); code != websocket.StatusNormalClosure {
		t.Fatalf("close = %d %q", code, reason)
	}
	if ids := e.stage.Connections(); len(ids) != 0 {
		t.Fatalf("connections after DELETE = %v", ids)
	}
	code, body, h := do("POST", "late")
	if code != 410 || h.Get("X-Amzn-ErrorType") != "GoneException" || body != "" {
		t.Fatalf("POST to a deleted connection = %d %q %v", code, body, h)
	}
	if code, _, _ := do("PUT", ""); code != 404 {
		t.Fatalf("PUT = %d", code)
	}
}
