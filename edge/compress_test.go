package edge

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestCompress_GzipsWhatCloudFrontCompresses(t *testing.T) {
	s, _ := newTestService(t, Options{})
	page := strings.Repeat("<p>hello edge</p>", 200)
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/small.html":
			w.Header().Set("Content-Type", "text/html")
			io.WriteString(w, "<p>tiny</p>")
		case "/photo.jpg":
			w.Header().Set("Content-Type", "image/jpeg")
			io.WriteString(w, page)
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.Header().Set("ETag", `"p1"`)
			io.WriteString(w, page)
		}
	}}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o", Compress: true}, nil, Origin{Id: "o", Handler: o})
	w := get(d, "GET", "/page.html", map[string]string{"Accept-Encoding": "gzip, deflate, br"})
	if w.Header().Get("Content-Encoding") != "gzip" || w.Header().Get("ETag") != `W/"p1"` {
		t.Fatalf("headers %v", w.Header())
	}
	zr, err := gzip.NewReader(bytes.NewReader(w.Body.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := io.ReadAll(zr)
	if string(plain) != page || w.Body.Len() >= len(page) {
		t.Errorf("gzip body: %d bytes decode to %d", w.Body.Len(), len(plain))
	}
	// A viewer without gzip gets its own, uncompressed cache entry.
	w = get(d, "GET", "/page.html", nil)
	if w.Header().Get("Content-Encoding") != "" || w.Body.String() != page || w.Header().Get("X-Cache") != XCacheMiss {
		t.Errorf("identity viewer: %q %q", w.Header().Get("Content-Encoding"), w.Header().Get("X-Cache"))
	}
	// "gzip, br" normalizes like "gzip, deflate, br" did: the same entry.
	if w := get(d, "GET", "/page.html", map[string]string{"Accept-Encoding": "br;q=0.9, gzip"}); w.Header().Get("X-Cache") != XCacheHit || w.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip viewer again: %q %q", w.Header().Get("X-Cache"), w.Header().Get("Content-Encoding"))
	}
	for _, p := range []string{"/small.html", "/photo.jpg"} {
		if w := get(d, "GET", p, map[string]string{"Accept-Encoding": "gzip"}); w.Header().Get("Content-Encoding") != "" {
			t.Errorf("%s compressed", p)
		}
	}
}
