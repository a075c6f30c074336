package apigw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/coder/websocket"
	"github.com/minicloud/minicloud/apigw"
)

// A broadcast chat: $connect and $disconnect keep the room, the
// sendmessage route posts every message to each member through the
// @connections API, and real WebSocket clients talk to the stage.
func Example_webSocketChat() {
	var mu sync.Mutex
	room := map[string]string{} // connection ID → name
	left := make(chan string, 1)

	gw := apigw.New(apigw.Options{})
	api, _ := gw.CreateWebSocketAPI(apigw.WebSocketAPIConfig{Name: "chat", RouteSelectionExpression: "$request.body.action"})
	_ = api.Route("$connect", apigw.WebSocketRoute{Integration: apigw.WebSocketFunc(
		func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			name := req.Query.Get("name")
			if name == "" {
				return &apigw.WebSocketResponse{StatusCode: 401}, nil // refuses the handshake
			}
			mu.Lock()
			room[req.ConnectionID] = name
			mu.Unlock()
			return nil, nil
		})})
	_ = api.Route("$disconnect", apigw.WebSocketRoute{Integration: apigw.WebSocketFunc(
		func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			mu.Lock()
			name := room[req.ConnectionID]
			delete(room, req.ConnectionID)
			mu.Unlock()
			left <- name
			return nil, nil
		})})
	_ = api.Route("sendmessage", apigw.WebSocketRoute{Integration: apigw.WebSocketFunc(
		func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			var msg struct{ Data string }
			_ = json.Unmarshal(req.Body, &msg)
			mu.Lock()
			text := room[req.ConnectionID] + ": " + msg.Data
			ids := make([]string, 0, len(room))
			for id := range room {
				ids = append(ids, id)
			}
			mu.Unlock()
			for _, id := range ids {
				_ = req.Connections().PostToConnection(ctx, id, []byte(text))
			}
			return nil, nil
		})})
	stage, err := api.Deploy("prod")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(api.Handler())
	defer srv.Close()
	url := "ws" + strings.TrimPrefix(srv.URL, "http") + "/prod"

	ctx := context.Background()
	dial := func(query string) *websocket.Conn {
		c, res, err := websocket.Dial(ctx, url+query, nil)
		if err != nil {
			fmt.Println("refused:", res.StatusCode)
			return nil
		}
		return c
	}
	dial("")
	ann, bo := dial("?name=ann"), dial("?name=bo")

	_ = ann.Write(ctx, websocket.MessageText, []byte(`{"action":"sendmessage","data":"hi all"}`))
	for _, c := range []*websocket.Conn{ann, bo} {
		_, b, _ := c.Read(ctx)
		fmt.Println(string(b))
	}
	_ = bo.Close(websocket.StatusNormalClosure, "")
	fmt.Println("left:", <-left)
	fmt.Println("open connections:", len(stage.Connections()))
	_ = ann.Close(websocket.StatusNormalClosure, "")
	<-left
	// Output:
	// refused: 401
	// ann: hi all
	// ann: hi all
	// left: bo
	// open connections: 1
}
