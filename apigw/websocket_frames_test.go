package apigw_test

import (
	"bufio"
	"encoding/binary"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/apigw"
)

// TestWebSocket_MessagesToClientsUseFramesOf32KB reads the raw frames of a
// 100 KB PostToConnection message: API Gateway's frame quota is 32 KB.
func TestWebSocket_MessagesToClientsUseFramesOf32KB(t *testing.T) {
	e := newWSEnv(t, map[string]apigw.WebSocketRoute{apigw.RouteDefault: echoRoute()})
	conn, err := net.DialTimeout("tcp", strings.TrimPrefix(e.srv.URL, "http://"), 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	req, _ := http.NewRequest("GET", e.srv.URL+"/prod", nil)
	req.Header.Set("Upgrade", "websocket")
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Sec-WebSocket-Version", "13")
	req.Header.Set("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ==")
	if err := req.Write(conn); err != nil {
		t.Fatal(err)
	}
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, req)
	if err != nil || res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("handshake: %v %v", res, err)
	}
	id := e.stage.Connections()[0]
	msg := strings.Repeat("x", 100<<10)
	go func() { _ = e.stage.PostToConnection(t.Context(), id, []byte(msg)) }()

	var sizes []int
	var got strings.Builder
	for {
		var h [2]byte
		if _, err := io.ReadFull(br, h[:]); err != nil {
			t.Fatal(err)
		}
		fin, n := h[0]&0x80 != 0, int(h[1]&0x7f)
		switch n {
		case 126:
			var b [2]byte
			_, _ = io.ReadFull(br, b[:])
			n = int(binary.BigEndian.Uint16(b[:]))
		case 127:
			var b [8]byte
			_, _ = io.ReadFull(br, b[:])
			n = int(binary.BigEndian.Uint64(b[:]))
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(br, payload); err != nil {
			t.Fatal(err)
		}
		sizes = append(sizes, n)
		got.Write(payload)
		if fin {
			break
		}
	}
	if got.String() != msg {
		t.Fatalf("reassembled %d bytes, want %d", got.Len(), len(msg))
	}
	for _, n := range sizes {
		if n > 32<<10 {
			t.Fatalf("frame sizes %v: one is over 32 KB", sizes)
		}
	}
	if len(sizes) < 4 {
		t.Fatalf("frame sizes %v: want the message split", sizes)
	}
}
