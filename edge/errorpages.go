package edge

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// CustomErrorResponse replaces an error status from the origin with a page
// of the distribution and/or another status, and sets how long the error
// is cached, as CloudFront's CustomErrorResponses do. A single-page app
// sends 403 and 404 to "/index.html" with ResponseCode 200.
type CustomErrorResponse struct {
	// ErrorCode is the origin's status: 400, 403, 404, 405, 414, 416,
	// 500, 501, 502, 503 or 504.
	ErrorCode int
	// ResponsePagePath is the page served instead ("/errors/404.html"),
	// fetched through the cache behaviour that matches it; empty keeps the
	// origin's body.
	ResponsePagePath string
	// ResponseCode is the status the viewer gets; 0 keeps ErrorCode. Only
	// with ResponsePagePath.
	ResponseCode int
	// ErrorCachingMinTTL is how long the error is cached, in seconds; nil
	// means 10.
	ErrorCachingMinTTL *int64
}

func (d *deployment) compileErrorResponses() error {
	d.customErrors = map[int]*CustomErrorResponse{}
	for i := range d.config.CustomErrorResponses {
		c := &d.config.CustomErrorResponses[i]
		if !errorStatuses[c.ErrorCode] {
			return ErrInvalidArgument.Newf("CustomErrorResponse ErrorCode %d is not one CloudFront supports (400, 403, 404, 405, 414, 416, 500, 501, 502, 503, 504).", c.ErrorCode)
		}
		if _, dup := d.customErrors[c.ErrorCode]; dup {
			return ErrInvalidArgument.Newf("The error code %d is used by more than one CustomErrorResponse.", c.ErrorCode)
		}
		if c.ResponsePagePath != "" && !strings.HasPrefix(c.ResponsePagePath, "/") {
			return ErrInvalidArgument.Newf("The ResponsePagePath %q must begin with a slash.", c.ResponsePagePath)
		}
		if c.ResponseCode != 0 && c.ResponsePagePath == "" {
			return ErrInvalidArgument.Newf("A CustomErrorResponse for %d with a ResponseCode needs a ResponsePagePath.", c.ErrorCode)
		}
		if c.ResponseCode != 0 && (c.ResponseCode < 200 || c.ResponseCode > 599) {
			return ErrInvalidArgument.Newf("The ResponseCode %d is not valid.", c.ResponseCode)
		}
		if c.ErrorCachingMinTTL != nil && *c.ErrorCachingMinTTL < 0 {
			return ErrInvalidArgument.New("ErrorCachingMinTTL must not be negative.")
		}
		d.customErrors[c.ErrorCode] = c
	}
	return nil
}

// errorTTL is how long an error response with this status is cached when
// the origin does not say.
func (d *deployment) errorTTL(status int, def time.Duration) time.Duration {
	if c := d.customErrors[status]; c != nil && c.ErrorCachingMinTTL != nil {
		return time.Duration(*c.ErrorCachingMinTTL) * time.Second
	}
	return def
}

// customErrorPage returns the page and status a custom error response
// puts in place of resp, or nil. The page is fetched like a viewer GET of
// its path (through the caches and the origin of the behaviour that
// matches it), without the viewer functions.
func (d *Distribution) customErrorPage(ctx context.Context, x *exchange, resp *edgeResponse) *edgeResponse {
	c := x.dep.customErrors[resp.status]
	if c == nil || c.ResponsePagePath == "" || (resp.failed && resp.xcache != XCacheError) {
		return nil
	}
	b := x.dep.match(c.ResponsePagePath)
	page := &exchange{d: d, dep: x.dep, loc: x.loc, id: x.id, behavior: b, req: &edgeRequest{method: http.MethodGet, uri: c.ResponsePagePath,
		header: http.Header{"Host": {x.req.header.Get("Host")}}, clientIP: x.req.clientIP, https: x.req.https, originID: x.dep.primary(b.TargetOriginId)}}
	got, _, _ := d.fetch(ctx, page)
	if got.status >= 400 {
		// CloudFront falls back to the original error when the page itself
		// fails.
		return nil
	}
	out := &edgeResponse{status: resp.status, header: got.header.Clone(), body: got.body}
	if c.ResponseCode != 0 {
		out.status = c.ResponseCode
	}
	out.header.Del("Age")
	out.header.Set("Content-Length", strconv.Itoa(len(got.body)))
	return out
}
