package edge

import (
	"bytes"
	"compress/gzip"
	"mime"
	"net/http"
	"strconv"
	"strings"
)

// Bounds of the objects CloudFront compresses: 1,000 to 10,000,000 bytes.
const (
	MinCompressSize = 1000
	MaxCompressSize = 10_000_000
)

// compressibleTypes are the content types CloudFront compresses (its
// documented list, the common part of it).
var compressibleTypes = map[string]bool{
	"application/dash+xml": true, "application/eot": true, "application/font": true, "application/font-sfnt": true,
	"application/javascript": true, "application/json": true, "application/opentype": true, "application/otf": true,
	"application/pdf": true, "application/pkcs7-mime": true, "application/protobuf": true, "application/rss+xml": true,
	"application/truetype": true, "application/ttf": true, "application/vnd.apple.mpegurl": true,
	"application/vnd.mapbox-vector-tile": true, "application/vnd.ms-fontobject": true, "application/wasm": true,
	"application/xhtml+xml": true, "application/xml": true, "application/x-font-opentype": true,
	"application/x-font-truetype": true, "application/x-font-ttf": true, "application/x-httpd-cgi": true,
	"application/x-javascript": true, "application/x-mpegurl": true, "application/x-opentype": true,
	"application/x-otf": true, "application/x-perl": true, "application/x-ttf": true, "font/eot": true, "font/opentype": true,
	"font/otf": true, "font/ttf": true, "image/svg+xml": true, "text/css": true, "text/csv": true, "text/html": true,
	"text/javascript": true, "text/js": true, "text/plain": true, "text/richtext": true, "text/tab-separated-values": true,
	"text/xml": true, "text/x-script": true, "text/x-component": true, "text/x-java-source": true,
}

// compress gzips a response from the origin as CloudFront does for a
// behaviour with Compress: when the cache key's normalized Accept-Encoding
// includes gzip (or br: minicloud answers with gzip, the standard library
// having no Brotli), the status is 200, the content type is compressible,
// the origin did not encode it already and the body is 1,000 to
// 10,000,000 bytes.
func compress(p *CachePolicy, viewer http.Header, resp *edgeResponse) {
	ae := normalizedAcceptEncoding(p, viewer)
	if ae == "" || resp.status != http.StatusOK || resp.header.Get("Content-Encoding") != "" {
		return
	}
	if n := len(resp.body); n < MinCompressSize || n > MaxCompressSize {
		return
	}
	ct, _, err := mime.ParseMediaType(resp.header.Get("Content-Type"))
	if err != nil || !compressibleTypes[strings.ToLower(ct)] {
		return
	}
	var buf bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	zw.Write(resp.body)
	zw.Close()
	resp.body = buf.Bytes()
	resp.header = resp.header.Clone()
	resp.header.Set("Content-Encoding", "gzip")
	resp.header.Set("Content-Length", strconv.Itoa(len(resp.body)))
	if etag := resp.header.Get("ETag"); etag != "" && !strings.HasPrefix(etag, "W/") {
		// The bytes changed: a strong validator becomes a weak one.
		resp.header.Set("ETag", "W/"+etag)
	}
}
