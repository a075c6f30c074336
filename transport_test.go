package minicloud_test

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/minicloud/minicloud"
)

func post(t testing.TB, client *http.Client, ctx context.Context, op, body string) (*http.Response, []byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", minicloud.Endpoint+"/", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err := client.Do(req)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	return resp, raw, err
}

func TestTransport_ServesInProcessWithTheHeadersSDKsCheck(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	client := cloud.HTTPClient()
	ctx := context.Background()
	resp, raw, err := post(t, client, ctx, "CreateTable", `{"TableName":"tbl1","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("CreateTable: %v %v %s", err, resp, raw)
	}
	if got := resp.Header.Get("X-Amz-Crc32"); got != strconv.FormatUint(uint64(crc32.ChecksumIEEE(raw)), 10) {
		t.Errorf("x-amz-crc32 = %q for a body with CRC %d", got, crc32.ChecksumIEEE(raw))
	}
	if resp.Header.Get("X-Amzn-Requestid") == "" || resp.Header.Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Errorf("headers: %v", resp.Header)
	}
	if resp.ContentLength != int64(len(raw)) || resp.Header.Get("Content-Length") != strconv.Itoa(len(raw)) {
		t.Errorf("Content-Length %d / %q for %d bytes", resp.ContentLength, resp.Header.Get("Content-Length"), len(raw))
	}
	resp, raw, _ = post(t, client, ctx, "GetItem", `{"TableName":"nope","Key":{"k":{"S":"a"}}}`)
	if resp.StatusCode != 400 || !strings.Contains(string(raw), "ResourceNotFoundException") {
		t.Fatalf("missing table: %d %s", resp.StatusCode, raw)
	}
}

type closeRecorder struct {
	io.Reader
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

func TestTransport_ReadsAndClosesTheRequestBody(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	body := &closeRecorder{Reader: strings.NewReader(`{}`)}
	req, _ := http.NewRequest("POST", minicloud.Endpoint+"/", body)
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	resp, err := (&minicloud.Transport{Handler: cloud.Handler()}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if !body.closed {
		t.Fatal("the request body was not closed")
	}
	if n, _ := body.Read(make([]byte, 1)); n != 0 {
		t.Fatal("the request body was not read to its end")
	}
}

func TestTransport_HonoursContext(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, _, err := post(t, cloud.HTTPClient(), ctx, "ListTables", `{}`)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("a cancelled request returned %v", err)
	}

	// A context that ends while the handler runs fails the request too.
	mid, stop := context.WithCancel(context.Background())
	slow := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stop()
		w.Write([]byte("late"))
	})
	req, _ := http.NewRequestWithContext(mid, "GET", minicloud.Endpoint+"/", nil)
	if _, err := (&minicloud.Transport{Handler: slow}).RoundTrip(req); !errors.Is(err, context.Canceled) {
		t.Fatalf("a request cancelled while served returned %v", err)
	}
}

func TestTransport_ConcurrentAndLeavesNoGoroutine(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	client := cloud.HTTPClient()
	ctx := context.Background()
	if _, _, err := post(t, client, ctx, "CreateTable", `{"TableName":"tbl1","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"S"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`); err != nil {
		t.Fatal(err)
	}
	before := runtime.NumGoroutine()
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				resp, raw, err := post(t, client, ctx, "PutItem", fmt.Sprintf(`{"TableName":"tbl1","Item":{"k":{"S":"%d-%d"}}}`, g, i))
				if err != nil || resp.StatusCode != 200 {
					t.Errorf("PutItem: %v %s", err, raw)
					return
				}
			}
		}(g)
	}
	wg.Wait()
	// Other tests' background work may be winding down at the same time:
	// give goroutines that are exiting a chance to finish before counting.
	after := runtime.NumGoroutine()
	for i := 0; i < 10000 && after > before; i++ {
		runtime.Gosched()
		after = runtime.NumGoroutine()
	}
	if after > before {
		t.Errorf("%d goroutines before, %d after", before, after)
	}
	_, raw, _ := post(t, client, ctx, "Scan", `{"TableName":"tbl1","Select":"COUNT"}`)
	if !strings.Contains(string(raw), `"Count":800`) {
		t.Fatalf("Scan after 800 concurrent puts: %s", raw)
	}
}
