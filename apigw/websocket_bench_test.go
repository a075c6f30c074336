package apigw_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coder/websocket"
	"github.com/minicloud/minicloud/apigw"
)

// BenchmarkWebSocketRoundTrip measures one message from a client through
// route selection and a Go integration with a route response, and back,
// over loopback; the peer is the same client talking to a bare
// coder/websocket echo server.
func BenchmarkWebSocketRoundTrip(b *testing.B) {
	msg := []byte(`{"action":"echo","data":"hello"}`)
	run := func(b *testing.B, url string) {
		ctx := context.Background()
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			b.Fatal(err)
		}
		defer c.CloseNow()
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			if err := c.Write(ctx, websocket.MessageText, msg); err != nil {
				b.Fatal(err)
			}
			if _, _, err := c.Read(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("minicloud", func(b *testing.B) {
		gw := apigw.New(apigw.Options{})
		api, _ := gw.CreateWebSocketAPI(apigw.WebSocketAPIConfig{Name: "bench"})
		_ = api.Route("echo", apigw.WebSocketRoute{RouteResponse: true, Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			return &apigw.WebSocketResponse{Body: req.Body}, nil
		})})
		st, err := api.Deploy("prod")
		if err != nil {
			b.Fatal(err)
		}
		srv := httptest.NewServer(st)
		defer srv.Close()
		run(b, "ws"+strings.TrimPrefix(srv.URL, "http"))
	})
	b.Run("rawwebsocket", func(b *testing.B) {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			c, err := websocket.Accept(w, r, nil)
			if err != nil {
				return
			}
			defer c.CloseNow()
			for {
				typ, data, err := c.Read(r.Context())
				if err != nil {
					return
				}
				if err := c.Write(r.Context(), typ, data); err != nil {
					return
				}
			}
		}))
		defer srv.Close()
		run(b, "ws"+strings.TrimPrefix(srv.URL, "http"))
	})
}
