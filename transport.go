package minicloud

import (
	"bytes"
	"io"
	"net/http"
	"strconv"
)

// Endpoint is a base URL for SDK clients that use [Cloud.HTTPClient]:
// requests never leave the process, so any URL would do, but SDKs want
// one.
const Endpoint = "http://minicloud.invalid"

// Transport is an http.RoundTripper that serves each request with Handler
// in the calling goroutine, without a listener, a port or a goroutine of
// its own. The response is complete when RoundTrip returns: status,
// headers (x-amz-crc32, x-amzn-RequestId, Content-Type and
// Content-Length included) and the whole body. A request whose context is
// already done fails at once, and one whose context ends while it is being
// served fails with the context's error, as over a socket. It is safe for
// concurrent use when Handler is.
type Transport struct {
	Handler http.Handler
}

// RoundTrip serves req.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		closeBody(req)
		return nil, err
	}
	// A server reads the body from the wire; the handler gets a copy so
	// that the caller's body is fully consumed and closed, as a
	// RoundTripper must.
	in := req.Clone(ctx)
	if req.Body != nil && req.Body != http.NoBody {
		body, err := io.ReadAll(req.Body)
		closeBody(req)
		if err != nil {
			return nil, err
		}
		in.Body = io.NopCloser(bytes.NewReader(body))
		in.ContentLength = int64(len(body))
	} else {
		in.Body = http.NoBody
	}
	if in.Host == "" {
		in.Host = req.URL.Host
	}
	in.RequestURI = req.URL.RequestURI()
	w := &responseWriter{header: http.Header{}}
	t.Handler.ServeHTTP(w, in)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if w.status == 0 {
		w.status = http.StatusOK
	}
	h := w.header.Clone()
	if h.Get("Content-Length") == "" {
		h.Set("Content-Length", strconv.Itoa(w.body.Len()))
	}
	return &http.Response{
		Status:        strconv.Itoa(w.status) + " " + http.StatusText(w.status),
		StatusCode:    w.status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(w.body.Bytes())),
		ContentLength: int64(w.body.Len()),
		Request:       req,
	}, nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

// responseWriter collects what a handler writes.
type responseWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *responseWriter) Header() http.Header { return w.header }

func (w *responseWriter) WriteHeader(status int) {
	if w.status == 0 {
		w.status = status
	}
}

func (w *responseWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.body.Write(p)
}

// HTTPClient returns an *http.Client that sends every request straight to
// the account's Handler in this process: point an SDK client's HTTP client
// at it, and its endpoint at [Endpoint].
func (c *Cloud) HTTPClient() *http.Client {
	return &http.Client{Transport: &Transport{Handler: c.Handler()}}
}
