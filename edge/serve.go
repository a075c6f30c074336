package edge

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
)

// X-Cache values CloudFront sets.
const (
	XCacheHit                       = "Hit from cloudfront"
	XCacheMiss                      = "Miss from cloudfront"
	XCacheRefreshHit                = "RefreshHit from cloudfront"
	XCacheError                     = "Error from cloudfront"
	XCacheRedirect                  = "Redirect from cloudfront"
	XCacheFunctionGeneratedResponse = "FunctionGeneratedResponse from cloudfront"
	XCacheLambdaGeneratedResponse   = "LambdaGeneratedResponse from cloudfront"
	XCacheFunctionExecutionError    = "FunctionExecutionError from cloudfront"
	XCacheFunctionThrottledError    = "FunctionThrottledError from cloudfront"
	XCacheFunctionValidationError   = "FunctionValidationError from cloudfront"
	XCacheLambdaExecutionError      = "LambdaExecutionError from cloudfront"
	XCacheLambdaValidationError     = "LambdaValidationError from cloudfront"
	XCacheLambdaLimitExceeded       = "LambdaLimitExceeded from cloudfront"
)

// ServeHTTP serves a viewer's request as CloudFront does:
//
//  1. the viewer meets an edge location (see [HeaderViewerRegion]);
//  2. the first cache behaviour whose path pattern matches the path is
//     chosen (the default one if none does), and its viewer protocol
//     policy and allowed methods are applied;
//  3. the viewer request function runs; it may change the request or
//     answer it itself;
//  4. for a cached method the edge location's cache is searched by the
//     cache policy's key, then the regional edge cache's;
//  5. on a miss (or an expired copy) the origin request function runs, the
//     origin is called (conditionally, when the expired copy has an ETag or
//     Last-Modified: a 304 refreshes it), the origin response function
//     runs, and the response is cached for its TTL at both levels;
//  6. the viewer response function runs (not when the status is 400 or
//     more), and the response goes out with X-Cache, Via, X-Amz-Cf-Pop,
//     X-Amz-Cf-Id and, from the cache, Age.
func (d *Distribution) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s := d.s
	header := r.Header.Clone()
	dep := d.dep.Load()
	li := d.locate(dep, header)
	x := &exchange{d: d, dep: dep, loc: li, id: s.newRequestID()}
	https := r.TLS != nil || strings.EqualFold(header.Get("X-Forwarded-Proto"), "https")
	header.Del("X-Forwarded-Proto")
	if header.Get("Host") == "" {
		host := r.Host
		if host == "" {
			host = d.DomainName
		}
		header.Set("Host", host)
	}
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	b := dep.match(path)
	x.behavior = b
	if !dep.config.Restrictions.GeoRestriction.allows(s.locations[li].Country) {
		d.writeFailure(w, r, x, &failure{status: http.StatusForbidden, xcache: XCacheError,
			message: "The Amazon CloudFront distribution is configured to block access from your country."}, https)
		return
	}
	if !https && b.ViewerProtocolPolicy != ViewerProtocolAllowAll {
		if b.ViewerProtocolPolicy == ViewerProtocolRedirectToHTTPS {
			u := "https://" + header.Get("Host") + r.URL.RequestURI()
			resp := &edgeResponse{status: http.StatusMovedPermanently, header: http.Header{}}
			resp.header.Set("Location", u)
			resp.header.Set("Content-Type", "text/html")
			resp.header.Set("Server", "CloudFront")
			resp.body = []byte(errorPage(http.StatusMovedPermanently, "", x.id))
			d.write(w, r, x, resp, XCacheRedirect, "", https)
			return
		}
		d.writeFailure(w, r, x, &failure{status: http.StatusForbidden, xcache: XCacheError,
			message: "This distribution is configured to accept only HTTPS requests."}, https)
		return
	}
	if !b.allowed[r.Method] {
		d.writeFailure(w, r, x, &failure{status: http.StatusForbidden, xcache: XCacheError,
			message: "This distribution is not configured to allow the HTTP request method that was used for this request. The distribution supports only cachable requests."}, https)
		return
	}
	var body []byte
	if r.Body != nil {
		body, _ = io.ReadAll(r.Body)
	}
	clientIP, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		clientIP = r.RemoteAddr
	}
	if clientIP == "" {
		clientIP = "192.0.2.1"
	}
	x.req = &edgeRequest{method: r.Method, uri: path, query: r.URL.RawQuery, header: header, body: body,
		clientIP: clientIP, https: https, originID: dep.primary(b.TargetOriginId)}
	ctx := r.Context()

	if h := b.hooks[EventViewerRequest.index()]; h != nil {
		if f := h.run(ctx, x, EventViewerRequest); f != nil {
			d.writeFailure(w, r, x, f, https)
			return
		}
		if x.resp != nil {
			d.write(w, r, x, x.resp, h.generatedXCache(), "", https)
			return
		}
	}

	resp, xcache, age := d.fetch(ctx, x)
	if resp.xcache != "" && xcache == XCacheMiss {
		xcache = resp.xcache
	}
	if page := d.customErrorPage(ctx, x, resp); page != nil {
		resp, xcache, age = page, XCacheError, ""
	}
	if resp.status >= 400 && (xcache == XCacheMiss || xcache == XCacheHit || xcache == XCacheRefreshHit) {
		xcache = XCacheError
	}
	if resp.failed {
		d.writeFailureResponse(w, r, x, resp, https)
		return
	}
	if p := b.ResponseHeadersPolicy; p != nil {
		resp = resp.clone()
		p.apply(x.req, resp)
	}
	x.resp = resp
	if h := b.hooks[EventViewerResponse.index()]; h != nil && resp.status < 400 {
		if f := h.run(ctx, x, EventViewerResponse); f != nil {
			d.writeFailure(w, r, x, f, https)
			return
		}
	}
	if notModified(x.req, x.resp) {
		nm := &edgeResponse{status: http.StatusNotModified, header: http.Header{}}
		for _, h := range []string{"Etag", "Last-Modified", "Cache-Control", "Expires", "Vary"} {
			if v := x.resp.header.Values(h); len(v) > 0 {
				nm.header[h] = v
			}
		}
		x.resp = nm
	}
	d.write(w, r, x, x.resp, xcache, age, https)
}

// notModified reports whether a conditional viewer request (If-None-Match,
// or If-Modified-Since without it) is satisfied by the response's ETag or
// Last-Modified, so that CloudFront answers 304 Not Modified without a
// body.
func notModified(req *edgeRequest, resp *edgeResponse) bool {
	if resp.status != http.StatusOK || (req.method != http.MethodGet && req.method != http.MethodHead) {
		return false
	}
	if inm := req.header.Get("If-None-Match"); inm != "" {
		etag := resp.header.Get("ETag")
		if etag == "" {
			return false
		}
		for tag := range strings.SplitSeq(inm, ",") {
			tag = strings.TrimSpace(tag)
			if tag == "*" || strings.TrimPrefix(tag, "W/") == strings.TrimPrefix(etag, "W/") {
				return true
			}
		}
		return false
	}
	if ims := req.header.Get("If-Modified-Since"); ims != "" {
		since, err1 := http.ParseTime(ims)
		lm, err2 := http.ParseTime(resp.header.Get("Last-Modified"))
		return err1 == nil && err2 == nil && !lm.After(since)
	}
	return false
}

// locate returns the index of the edge location that serves the viewer,
// within the distribution's price class.
func (d *Distribution) locate(dep *deployment, h http.Header) int {
	li := d.s.locate(h)
	for _, i := range dep.locations {
		if i == li {
			return li
		}
	}
	l := d.s.locations[li]
	best, bestD := dep.locations[0], -1.0
	for _, i := range dep.locations {
		o := d.s.locations[i]
		if dist := distanceKm(l.Latitude, l.Longitude, o.Latitude, o.Longitude); bestD < 0 || dist < bestD {
			best, bestD = i, dist
		}
	}
	return best
}

// fetch gets the response for x.req from the caches or the origin, and
// says how (the X-Cache value) and, for a cached copy, its Age.
func (d *Distribution) fetch(ctx context.Context, x *exchange) (*edgeResponse, string, string) {
	s := d.s
	b := x.behavior
	req := x.req
	cacheable := b.cached[req.method] && !b.policy.cachingDisabled()
	if !cacheable {
		resp, _ := d.fromOrigin(ctx, x, nil)
		d.metrics.loc[x.loc].misses.Add(1)
		return resp, XCacheMiss, ""
	}
	key := b.policy.CacheKey(req.method, req.uri, req.query, req.header)
	now := s.clock.Now()
	pop := d.pops[x.loc]
	rec := d.recs[s.locations[x.loc].RegionalEdgeCache]
	e := pop.get(key)
	if e != nil && e.fresh(now) {
		d.metrics.loc[x.loc].hits.Add(1)
		// Cached responses are never modified in place (functions build
		// new ones), so a hit shares the cached copy.
		return e.resp, XCacheHit, age(now, e.stored)
	}
	if re := rec.get(key); re != nil && re.fresh(now) {
		pop.put(key, re)
		d.metrics.loc[x.loc].misses.Add(1)
		d.metrics.loc[x.loc].regionalHits.Add(1)
		return re.resp, XCacheMiss, ""
	} else if re != nil && (e == nil || re.stored.After(e.stored)) {
		e = re
	}
	// Request collapsing: simultaneous misses for one object at a regional
	// edge cache send one request to the origin; the others wait for it
	// and are served its cached response.
	fkey := s.locations[x.loc].RegionalEdgeCache + "\x00" + key
	f, leader := d.joinFlight(fkey)
	if !leader {
		f.waiters.Add(1)
		select {
		case <-f.done:
		case <-ctx.Done():
			return failureResponse(&failure{status: http.StatusGatewayTimeout, xcache: XCacheError,
				message: "The viewer went away while CloudFront waited for the origin."}, x.id), XCacheError, ""
		}
		if f.stored != nil {
			pop.put(key, f.stored)
			d.metrics.loc[x.loc].hits.Add(1)
			d.metrics.loc[x.loc].collapsed.Add(1)
			now := s.clock.Now()
			return f.stored.resp, XCacheHit, age(now, f.stored.stored)
		}
		// The response could not be cached: this request goes itself.
	} else {
		defer d.endFlight(fkey, f)
	}
	resp, refreshed := d.fromOrigin(ctx, x, e)
	now = s.clock.Now()
	if refreshed {
		ttl, ok := b.policy.TTL(e.resp.status, mergeHeaders(e.resp.header, resp.header), now, x.dep.errorTTL(e.resp.status, s.limits.ErrorCachingMinTTL))
		if !ok {
			ttl = 0
		}
		ne := &entry{resp: e.resp, stored: now, expires: now.Add(ttl), path: e.path}
		if len(resp.header) > 0 {
			ne.resp = e.resp.clone()
			for k, v := range resp.header {
				ne.resp.header[k] = v
			}
		}
		pop.put(key, ne)
		rec.put(key, ne)
		f.stored = ne
		d.metrics.loc[x.loc].refreshHits.Add(1)
		return ne.resp, XCacheRefreshHit, ""
	}
	d.metrics.loc[x.loc].misses.Add(1)
	if req.method != http.MethodHead && !resp.failed {
		if ttl, ok := b.policy.TTL(resp.status, resp.header, now, x.dep.errorTTL(resp.status, s.limits.ErrorCachingMinTTL)); ok {
			c := resp.clone()
			c.xcache = ""
			ne := &entry{resp: c, stored: now, expires: now.Add(ttl), path: req.uri}
			pop.put(key, ne)
			rec.put(key, ne)
			f.stored = ne
		}
	}
	return resp, XCacheMiss, ""
}

// flight is one origin fetch that simultaneous misses wait for.
type flight struct {
	done    chan struct{}
	stored  *entry // the cached result, nil if it was not cacheable
	waiters atomic.Int32
}

// joinFlight returns the flight for key and whether the caller leads it.
func (d *Distribution) joinFlight(key string) (*flight, bool) {
	d.flightMu.Lock()
	defer d.flightMu.Unlock()
	if f, ok := d.flights[key]; ok {
		return f, false
	}
	f := &flight{done: make(chan struct{})}
	d.flights[key] = f
	return f, true
}

// endFlight releases the requests waiting for the leader's fetch. The
// leader sets f.stored before it returns.
func (d *Distribution) endFlight(key string, f *flight) {
	d.flightMu.Lock()
	delete(d.flights, key)
	d.flightMu.Unlock()
	close(f.done)
}

func age(now, stored time.Time) string {
	return strconv.FormatInt(int64(now.Sub(stored)/time.Second), 10)
}

func mergeHeaders(a, b http.Header) http.Header {
	out := a.Clone()
	for k, v := range b {
		out[k] = v
	}
	return out
}

// fromOrigin runs the origin-facing part of the pipeline: origin request
// function, origin, origin response function. With a stale entry that has
// validators it asks the origin conditionally and reports whether the
// origin answered 304 Not Modified (refreshed).
func (d *Distribution) fromOrigin(ctx context.Context, x *exchange, stale *entry) (*edgeResponse, bool) {
	b := x.behavior
	viewerReq := x.req
	x.req = d.originRequest(x, viewerReq)
	defer func() { x.req = viewerReq }()
	conditional := false
	if stale != nil {
		etag, lm := stale.validators()
		if etag != "" && x.req.header.Get("If-None-Match") == "" {
			x.req.header.Set("If-None-Match", etag)
			conditional = true
		}
		if lm != "" && x.req.header.Get("If-Modified-Since") == "" {
			x.req.header.Set("If-Modified-Since", lm)
			conditional = true
		}
	}
	x.resp = nil
	if h := b.hooks[EventOriginRequest.index()]; h != nil {
		if f := h.run(ctx, x, EventOriginRequest); f != nil {
			return failureResponse(f, x.id), false
		}
		if x.resp != nil {
			x.resp.xcache = h.generatedXCache()
			return x.resp, false
		}
	}
	resp := d.callWithFailover(ctx, x)
	if resp.failed {
		return resp, false
	}
	if conditional && resp.status == http.StatusNotModified {
		return resp, true
	}
	x.resp = resp
	if h := b.hooks[EventOriginResponse.index()]; h != nil {
		if f := h.run(ctx, x, EventOriginResponse); f != nil {
			return failureResponse(f, x.id), false
		}
	}
	if b.Compress {
		compress(b.policy, viewerReq.header, x.resp)
	}
	return x.resp, false
}

// alwaysForwarded are viewer headers CloudFront forwards whatever the
// policies say, because the origin cannot read the body without them.
var alwaysForwarded = []string{"Content-Type", "Content-Md5", "Content-Encoding", "Content-Language"}

// originRequest builds the request CloudFront sends to the origin from the
// viewer request (after the viewer request function): the cache key's
// headers, cookies and query strings, plus the origin request policy's,
// plus CloudFront's own headers.
func (d *Distribution) originRequest(x *exchange, vr *edgeRequest) *edgeRequest {
	b := x.behavior
	p := b.policy
	orp := b.OriginRequestPolicy
	if orp == nil {
		orp = &OriginRequestPolicy{}
	}
	loc := d.s.locations[x.loc]
	h := http.Header{}
	for name, vs := range vr.header {
		if name == "Cookie" || name == "Accept-Encoding" {
			continue
		}
		if (p.HeadersConfig.HeaderBehavior == BehaviorWhitelist && p.HeadersConfig.names(name)) || orp.HeadersConfig.selected(name) {
			h[name] = append([]string(nil), vs...)
		}
	}
	for _, name := range alwaysForwarded {
		if v := vr.header.Values(name); len(v) > 0 {
			h[name] = append([]string(nil), v...)
		}
	}
	if vr.method != http.MethodGet && vr.method != http.MethodHead && vr.method != http.MethodOptions {
		if v := vr.header.Get("Authorization"); v != "" {
			h.Set("Authorization", v)
		}
	}
	if ae := normalizedAcceptEncoding(p, vr.header); ae != "" {
		h.Set("Accept-Encoding", ae)
	} else if orp.HeadersConfig.selected("Accept-Encoding") {
		if v := vr.header.Values("Accept-Encoding"); len(v) > 0 {
			h["Accept-Encoding"] = v
		}
	}
	// CloudFront's own headers, when a policy asks for them.
	cfHeaders := map[string]string{
		"Cloudfront-Forwarded-Proto":     map[bool]string{true: "https", false: "http"}[vr.https],
		"Cloudfront-Viewer-Country":      loc.Country,
		"Cloudfront-Is-Desktop-Viewer":   "true",
		"Cloudfront-Is-Mobile-Viewer":    "false",
		"Cloudfront-Is-Tablet-Viewer":    "false",
		"Cloudfront-Is-Smarttv-Viewer":   "false",
		"Cloudfront-Viewer-Address":      vr.clientIP,
		"Cloudfront-Viewer-Http-Version": "1.1",
	}
	for name, v := range cfHeaders {
		if p.HeadersConfig.names(name) || orp.HeadersConfig.names(name) {
			h.Set(name, v)
		}
	}
	var cookies []cookie
	for _, c := range parseCookies(vr.header) {
		if selects(p.CookiesConfig.CookieBehavior, p.CookiesConfig.Cookies, c.name, false) ||
			selects(orp.CookiesConfig.CookieBehavior, orp.CookiesConfig.Cookies, c.name, false) {
			cookies = append(cookies, c)
		}
	}
	if len(cookies) > 0 {
		h.Set("Cookie", encodeCookies(cookies))
	}
	var qs []queryParam
	for _, q := range parseQuery(vr.query) {
		if selects(p.QueryStringsConfig.QueryStringBehavior, p.QueryStringsConfig.QueryStrings, q.name, false) ||
			selects(orp.QueryStringsConfig.QueryStringBehavior, orp.QueryStringsConfig.QueryStrings, q.name, false) {
			qs = append(qs, q)
		}
	}
	origin := x.dep.origins[vr.originID]
	if h.Get("Host") == "" {
		h.Set("Host", origin.DomainName)
	}
	if h.Get("User-Agent") == "" {
		h.Set("User-Agent", "Amazon CloudFront")
	}
	xff := vr.clientIP
	if prev := vr.header.Get("X-Forwarded-For"); prev != "" {
		xff = prev + ", " + vr.clientIP
	}
	h.Set("X-Forwarded-For", xff)
	via := "1.1 " + d.viaHost[x.loc] + " (CloudFront)"
	if prev := vr.header.Get("Via"); prev != "" {
		via = prev + ", " + via
	}
	h.Set("Via", via)
	h.Set("X-Amz-Cf-Id", x.id)
	for k, v := range origin.CustomHeaders {
		h.Set(k, v)
	}
	return &edgeRequest{method: vr.method, uri: vr.uri, query: encodeQuery(qs), header: h, body: vr.body,
		clientIP: vr.clientIP, https: vr.https, originID: vr.originID}
}

// callOrigin sends x.req to its origin and waits for the answer no longer
// than the origin's response timeout on the clock (504 past it). A
// panicking origin is a 502.
func (d *Distribution) callOrigin(ctx context.Context, x *exchange) *edgeResponse {
	s := d.s
	origin := x.dep.origins[x.req.originID]
	timeout := origin.ResponseTimeout
	if timeout == 0 {
		timeout = s.limits.OriginResponseTimeout
	}
	target := origin.OriginPath + x.req.uri
	if x.req.query != "" {
		target += "?" + x.req.query
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	or, err := http.NewRequestWithContext(ctx, x.req.method, target, bytes.NewReader(x.req.body))
	if err != nil {
		return failureResponse(&failure{status: http.StatusBadGateway, xcache: XCacheError, message: "CloudFront could not build the origin request: " + err.Error()}, x.id)
	}
	// The origin gets its own copy: after a timeout it may still be
	// running while the request moves on (failover, functions).
	or.Header = x.req.header.Clone()
	or.Host = x.req.header.Get("Host")
	or.RemoteAddr = x.req.clientIP + ":0"
	or.ContentLength = int64(len(x.req.body))
	if x.req.https {
		or.URL.Scheme = "https"
	}
	start := s.clock.Now()
	handler, unreachable := d.faultOrigin(ctx, x.req.originID, origin.Handler) // faults.go
	if unreachable {
		resp := failureResponse(&failure{status: http.StatusBadGateway, xcache: XCacheError,
			message: "CloudFront wasn't able to connect to the origin."}, x.id)
		d.metrics.origin(resp.status, 0)
		return resp
	}
	rec := &recorder{header: http.Header{}, status: 0}
	done := make(chan any, 1)
	go func() {
		defer func() { done <- recover() }()
		handler.ServeHTTP(rec, or)
	}()
	t := s.clock.NewTimer(timeout)
	defer t.Stop()
	var resp *edgeResponse
	select {
	case p := <-done:
		if p != nil {
			resp = failureResponse(&failure{status: http.StatusBadGateway, xcache: XCacheError,
				message: fmt.Sprintf("CloudFront wasn't able to connect to the origin (it panicked: %v).", p)}, x.id)
		} else {
			if rec.status == 0 {
				rec.status = http.StatusOK
			}
			resp = &edgeResponse{status: rec.status, header: rec.header, body: rec.body.Bytes()}
		}
	case <-t.C():
		resp = failureResponse(&failure{status: http.StatusGatewayTimeout, xcache: XCacheError,
			message: "CloudFront attempted to establish a connection with the origin, but the origin did not respond in time."}, x.id)
	case <-ctx.Done():
		resp = failureResponse(&failure{status: http.StatusGatewayTimeout, xcache: XCacheError,
			message: "The viewer went away before the origin answered."}, x.id)
	}
	d.metrics.origin(resp.status, s.clock.Since(start))
	return resp
}

// recorder is the ResponseWriter an origin writes to.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (r *recorder) Header() http.Header { return r.header }
func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
}
func (r *recorder) Write(p []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}
