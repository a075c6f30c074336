package edge

import (
	"context"
	"net/http"
	"strings"
)

// EventType names one of the four points where an edge function runs.
type EventType string

// The four events, in CloudFront's spelling.
const (
	// EventViewerRequest: after CloudFront receives a viewer's request,
	// before it looks in the cache.
	EventViewerRequest EventType = "viewer-request"
	// EventOriginRequest: on a cache miss, before CloudFront forwards the
	// request to the origin.
	EventOriginRequest EventType = "origin-request"
	// EventOriginResponse: on a cache miss, after the origin answers and
	// before CloudFront caches the response.
	EventOriginResponse EventType = "origin-response"
	// EventViewerResponse: before CloudFront returns the response to the
	// viewer, from the cache or not.
	EventViewerResponse EventType = "viewer-response"
)

func (e EventType) index() int {
	switch e {
	case EventViewerRequest:
		return 0
	case EventOriginRequest:
		return 1
	case EventOriginResponse:
		return 2
	case EventViewerResponse:
		return 3
	}
	return -1
}

func (e EventType) viewer() bool { return e == EventViewerRequest || e == EventViewerResponse }

// exchange is one viewer request on its way through a distribution.
type exchange struct {
	d        *Distribution
	dep      *deployment
	loc      int
	id       string
	req      *edgeRequest
	resp     *edgeResponse
	behavior *behavior
}

// failure is an edge function or origin failure as CloudFront answers it:
// a status, an X-Cache value and the message of its error page.
type failure struct {
	status  int
	xcache  string
	message string
}

// hook is an edge function attached to one event of a behaviour. On a
// request event it may change x.req or set x.resp (a generated response);
// on a response event it may change x.resp.
type hook interface {
	run(ctx context.Context, x *exchange, ev EventType) *failure
	// generatedXCache is the X-Cache value of a response it generates.
	generatedXCache() string
}

// disallowedHeader reports whether CloudFront hides a header from edge
// functions and refuses it when a function adds it (502).
func disallowedHeader(name string) bool {
	n := strings.ToLower(name)
	switch n {
	case "connection", "expect", "keep-alive", "proxy-authenticate", "proxy-authorization",
		"proxy-connection", "trailer", "upgrade", "x-accel-buffering", "x-accel-charset",
		"x-accel-limit-rate", "x-accel-redirect", "x-amzn-auth", "x-amzn-cf-billing",
		"x-amzn-cf-id", "x-amzn-cf-xff", "x-amzn-errortype", "x-amzn-fle-profile",
		"x-amzn-header-count", "x-amzn-header-order", "x-amzn-lambda-integration-tag",
		"x-amzn-requestid", "x-cache", "x-forwarded-proto", "x-real-ip":
		return true
	}
	return strings.HasPrefix(n, "x-amz-cf-") || strings.HasPrefix(n, "x-edge-")
}

// readOnlyHeaders are the headers an edge function may read but not add,
// change or remove, per event.
var readOnlyHeaders = map[EventType][]string{
	EventViewerRequest:  {"content-length", "host", "transfer-encoding", "via"},
	EventOriginRequest:  {"accept-encoding", "content-length", "if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "transfer-encoding", "via"},
	EventOriginResponse: {"transfer-encoding", "via"},
	EventViewerResponse: {"content-encoding", "content-length", "transfer-encoding", "warning", "via"},
}

// checkHeaders compares the headers before and after a function ran and
// says which rule it broke, or "".
func checkHeaders(ev EventType, before, after http.Header) string {
	for _, h := range readOnlyHeaders[ev] {
		b, a := before.Values(h), after.Values(h)
		if strings.Join(b, "\x00") != strings.Join(a, "\x00") || len(a) != len(b) {
			return "The function changed the read-only header " + canonical(h) + "."
		}
	}
	for name := range after {
		if disallowedHeader(name) && len(before.Values(name)) == 0 {
			return "The function added the disallowed header " + name + "."
		}
	}
	return ""
}

// visibleHeaders returns the headers an edge function sees: all but the
// disallowed ones.
func visibleHeaders(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		if !disallowedHeader(k) {
			out[k] = v
		}
	}
	return out
}
