package apigw_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/minicloud/minicloud/apigw"
)

// disconnects records the DISCONNECT events' close codes and reasons.
func disconnects(ch chan<- string) apigw.WebSocketRoute {
	return apigw.WebSocketRoute{Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
		ch <- req.EventType + " " + strconv.Itoa(req.DisconnectStatusCode) + " " + req.DisconnectReason
		return nil, nil
	})}
}

func echoRoute() apigw.WebSocketRoute {
	return apigw.WebSocketRoute{RouteResponse: true, Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
		return &apigw.WebSocketResponse{Body: req.Body}, nil
	})}
}

// waitTimers waits until the connection's idle and duration timers are
// set on the manual clock.
func (e *wsEnv) waitTimers(n int) {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.clk.BlockUntil(ctx, n); err != nil {
		e.t.Fatalf("timers: %v (pending %d)", err, e.clk.Pending())
	}
}

func TestWebSocket_IdleTimeoutClosesWithGoingAway(t *testing.T) {
	gone := make(chan string, 1)
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{apigw.RouteDefault: echoRoute(), apigw.RouteDisconnect: disconnects(gone)})
	c := e.dial("")
	e.waitTimers(2) // idle and maximum duration

	// A message just before the idle timeout restarts it.
	e.clk.Advance(9*time.Minute + 59*time.Second)
	send(t, c, "ping")
	if got := recv(t, c); got != "ping" {
		t.Fatalf("echo = %q", got)
	}
	e.clk.Advance(9*time.Minute + 59*time.Second)
	send(t, c, "still here")
	if got := recv(t, c); got != "still here" {
		t.Fatalf("echo = %q", got)
	}

	e.clk.Advance(10 * time.Minute)
	if code, reason := recvClose(t, c); code != websocket.StatusGoingAway || reason != "Going away" {
		t.Fatalf("close = %d %q, want 1001 Going away", code, reason)
	}
	if got := <-gone; got != "DISCONNECT 1001 Going away" {
		t.Fatalf("$disconnect saw %q", got)
	}
	// 9:59 + 9:59 + 10:00 = 30 minutes (rounded up).
	if u := e.gw.WebSocketUsage(); u.ConnectionMinutes != 30 {
		t.Fatalf("connection minutes = %d, want 30", u.ConnectionMinutes)
	}
}

func TestWebSocket_MaxDurationClosesAfterTwoHours(t *testing.T) {
	gone := make(chan string, 1)
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{apigw.RouteDefault: echoRoute(), apigw.RouteDisconnect: disconnects(gone)})
	c := e.dial("")
	e.waitTimers(2)
	// Busy all along: a message every 9 minutes, for 117 minutes.
	for i := 0; i < 13; i++ {
		e.clk.Advance(9 * time.Minute)
		send(t, c, "tick")
		if got := recv(t, c); got != "tick" {
			t.Fatalf("echo %d = %q", i, got)
		}
	}
	e.clk.Advance(3 * time.Minute) // 2 hours
	if code, reason := recvClose(t, c); code != websocket.StatusGoingAway || reason != "Going away" {
		t.Fatalf("close = %d %q", code, reason)
	}
	if got := <-gone; got != "DISCONNECT 1001 Going away" {
		t.Fatalf("$disconnect saw %q", got)
	}
}

func TestWebSocket_OversizeMessageClosesWithMessageTooBig(t *testing.T) {
	gone := make(chan string, 1)
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{apigw.RouteDefault: echoRoute(), apigw.RouteDisconnect: disconnects(gone)})
	c := e.dial("")

	// 128 KB exactly passes, and comes back in 32 KB frames.
	limit := strings.Repeat("a", 128<<10)
	send(t, c, limit)
	if got := recv(t, c); got != limit {
		t.Fatalf("echo of 128 KB: %d bytes", len(got))
	}
	send(t, c, limit+"b")
	if code, reason := recvClose(t, c); code != websocket.StatusMessageTooBig || reason != "Message too big" {
		t.Fatalf("close = %d %q, want 1009 Message too big", code, reason)
	}
	if got := <-gone; got != "DISCONNECT 1009 Message too big" {
		t.Fatalf("$disconnect saw %q", got)
	}
	m := e.stage.Metrics()
	if m.ClientError != 1 || m.MessageCount != 2 {
		t.Fatalf("metrics = %+v", m)
	}
	// 128 KB in and out: 4 increments of 32 KB each way.
	if u := e.gw.WebSocketUsage(); u.Messages != 8 {
		t.Fatalf("metered messages = %d, want 8", u.Messages)
	}
}

func TestWebSocket_PostToConnectionOver128KBIsPayloadTooLarge(t *testing.T) {
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{apigw.RouteDefault: echoRoute()})
	e.dial("")
	id := e.stage.Connections()[0]
	err := e.stage.PostToConnection(context.Background(), id, make([]byte, 128<<10+1))
	if !errors.Is(err, apigw.ErrPayloadTooLarge) {
		t.Fatalf("err = %v, want PayloadTooLargeException", err)
	}
	if err := e.stage.PostToConnection(context.Background(), "nobodyhome0000=", []byte("x")); !errors.Is(err, apigw.ErrGone) {
		t.Fatalf("unknown connection: %v, want GoneException", err)
	}
}

func TestWebSocket_NewConnectionRateIsThrottled(t *testing.T) {
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{apigw.RouteDefault: echoRoute()})
	e.gw.ConfigureWebSockets(apigw.WebSocketOptions{Limits: apigw.WebSocketLimits{ConnectRate: 2}})
	e.dial("")
	e.dial("")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, res, err := websocket.Dial(ctx, e.url(""), nil)
	if err == nil || res == nil || res.StatusCode != 429 {
		t.Fatalf("third connection in the same second: %v %v, want 429", err, res)
	}
	e.clk.Advance(time.Second)
	e.dial("")
	if m := e.stage.Metrics(); m.ClientError != 1 || m.ConnectCount != 3 {
		t.Fatalf("metrics = %+v", m)
	}
}

func TestWebSocket_IntegrationTimeoutOnTheClock(t *testing.T) {
	started := make(chan struct{})
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{
		apigw.RouteDefault: {RouteResponse: true, Integration: apigw.WebSocketFunc(func(ctx context.Context, req *apigw.WebSocketRequest) (*apigw.WebSocketResponse, error) {
			close(started)
			<-ctx.Done()
			return nil, ctx.Err()
		})},
	})
	c := e.dial("")
	e.waitTimers(2)
	send(t, c, "slow")
	<-started
	e.waitTimers(3) // the integration timeout
	e.clk.Advance(29 * time.Second)
	if got := recv(t, c); !strings.HasPrefix(got, `{"message": "Endpoint request timed out", "connectionId":"`) {
		t.Fatalf("got %s", got)
	}
}
