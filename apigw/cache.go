package apigw

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// MaxCachedResponseSize is the largest response the stage cache keeps:
// 1,048,576 bytes, as API Gateway documents. A larger response is served
// but not cached.
const MaxCachedResponseSize = 1 << 20

// Strategies for a Cache-Control: max-age=0 header from a caller that may
// not invalidate the cache ([MethodSettings.UnauthorizedCacheControlHeaderStrategy]).
const (
	// CacheControlFailWith403 refuses the request with 403.
	CacheControlFailWith403 = "FAIL_WITH_403"
	// CacheControlSucceedWithHeader ignores the header and adds a Warning
	// response header.
	CacheControlSucceedWithHeader = "SUCCEED_WITH_RESPONSE_HEADER"
	// CacheControlSucceedWithoutHeader ignores the header silently.
	CacheControlSucceedWithoutHeader = "SUCCEED_WITHOUT_RESPONSE_HEADER"
)

// stageCache is a stage's response cache: responses by cache key, each
// until its TTL runs out on the service's clock.
type stageCache struct {
	since time.Time // when the cache was provisioned, for the cost meter

	mu      sync.Mutex
	entries map[string]cacheEntry
	sweepAt int // sweep expired entries when the map reaches this size
}

type cacheEntry struct {
	res     *Response
	expires time.Time
}

func newStageCache(now time.Time) *stageCache {
	return &stageCache{since: now, entries: map[string]cacheEntry{}, sweepAt: 64}
}

// get returns the live entry for key at now.
func (sc *stageCache) get(key string, now time.Time) (*Response, bool) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	e, ok := sc.entries[key]
	if !ok {
		return nil, false
	}
	if !now.Before(e.expires) {
		delete(sc.entries, key)
		return nil, false
	}
	return e.res, true
}

// put keeps res under key until expires, replacing any entry.
func (sc *stageCache) put(key string, res *Response, now, expires time.Time) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.entries[key] = cacheEntry{res: res, expires: expires}
	if len(sc.entries) >= sc.sweepAt {
		for k, e := range sc.entries {
			if !now.Before(e.expires) {
				delete(sc.entries, k)
			}
		}
		sc.sweepAt = max(64, 2*len(sc.entries))
	}
}

func (sc *stageCache) flush() {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.entries = map[string]cacheEntry{}
	sc.sweepAt = 64
}

func (sc *stageCache) size() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return len(sc.entries)
}

// FlushStageCache empties the stage's response cache at once, as API
// Gateway's FlushStageCache does; the next request of every cached route
// reaches its integration. A stage without a cache is left as it is.
func (st *Stage) FlushStageCache() {
	st.mu.Lock()
	sc := st.cache
	st.mu.Unlock()
	if sc != nil {
		sc.flush()
	}
}

// methodSettings returns the route's method settings: its own, else the
// stage's "*" settings.
func (c *call) methodSettings() MethodSettings {
	ms, _ := c.routeSettings()
	return ms
}

// routeSettings returns the route's method settings and whether they are
// the route's own rather than the stage-wide "*".
func (c *call) routeSettings() (MethodSettings, bool) {
	if c.route != nil {
		if ms, ok := c.cfg.MethodSettings[c.route.key.String()]; ok {
			return ms, true
		}
	}
	return c.cfg.MethodSettings["*"], false
}

// cachePolicy says whether the request uses the stage cache, and with
// what TTL. As in API Gateway: only REST stages with a cache cluster
// cache; the stage-wide "*" setting caches GET requests only, a route's
// own setting caches the route whatever its method; the TTL is the
// setting's (zero: the 300 s default, negative: 0 s) and a TTL of 0
// turns caching off.
func (c *call) cachePolicy() (*stageCache, time.Duration, bool) {
	if c.kind != REST || c.route == nil || c.st == nil {
		return nil, 0, false
	}
	c.st.mu.Lock()
	sc := c.st.cache
	c.st.mu.Unlock()
	if sc == nil {
		return nil, 0, false
	}
	ms, own := c.routeSettings()
	if !ms.CachingEnabled || !own && c.r.Method != http.MethodGet {
		return nil, 0, false
	}
	ttl := ms.CacheTTL
	if ttl == 0 {
		ttl = c.s.limits.CacheTTL
	}
	if ttl <= 0 {
		return nil, 0, false
	}
	return sc, min(ttl, time.Hour), true
}

// cacheKey is the request's key in the stage cache: method, resource
// path, the path parameters, and the values of the route's
// CacheKeyParameters (method.request.querystring.NAME,
// method.request.multivaluequerystring.NAME, method.request.header.NAME,
// method.request.multivalueheader.NAME, method.request.path.NAME). Every
// part is length-prefixed so that no two requests share a key by
// concatenation.
func (c *call) cacheKey() string {
	var b strings.Builder
	part := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	part(c.r.Method)
	part(c.route.key.path)
	for _, name := range c.route.params {
		part(name)
		part(c.params[name])
	}
	var query url.Values
	for _, p := range c.route.cfg.CacheKeyParameters {
		part(p)
		var vals []string
		switch {
		case strings.HasPrefix(p, "method.request.querystring."), strings.HasPrefix(p, "method.request.multivaluequerystring."):
			if query == nil {
				query, _ = url.ParseQuery(c.r.URL.RawQuery)
			}
			vals = query[p[strings.LastIndexByte(p, '.')+1:]]
		case strings.HasPrefix(p, "method.request.header."), strings.HasPrefix(p, "method.request.multivalueheader."):
			vals = c.r.Header.Values(p[strings.LastIndexByte(p, '.')+1:])
		case strings.HasPrefix(p, "method.request.path."):
			if v, ok := c.params[strings.TrimPrefix(p, "method.request.path.")]; ok {
				vals = []string{v}
			}
		}
		b.WriteString(strconv.Itoa(len(vals)))
		b.WriteByte('#')
		for _, v := range vals {
			part(v)
		}
	}
	return b.String()
}

// wantsInvalidation reports whether the client sent Cache-Control:
// max-age=0.
func wantsInvalidation(h http.Header) bool {
	for _, v := range h.Values("Cache-Control") {
		for _, d := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(d), "max-age=0") {
				return true
			}
		}
	}
	return false
}

// mayInvalidateCache reports whether the caller may invalidate a cache
// entry when the route requires authorization for it: API Gateway asks
// for execute-api:InvalidateCache, which here means an IAM-signed
// (AWS_IAM) request whose signature was verified.
func (c *call) mayInvalidateCache() bool {
	return c.route.cfg.AuthorizationType == AuthIAM && c.req != nil && c.req.Authorizer != nil
}

// cacheWarning is the Warning header of SUCCEED_WITH_RESPONSE_HEADER. API
// Gateway does not document its text; this one is minicloud's.
const cacheWarning = `"Cache-Control: max-age=0 ignored: the caller may not invalidate the cache"`

// cacheLookup returns the cached response for the request, reporting a
// hit. A client's Cache-Control: max-age=0 skips the cache (the fresh
// response then replaces the entry), unless the route requires
// authorization for it and the caller lacks it: the header is then
// ignored, with a Warning response header for
// SUCCEED_WITH_RESPONSE_HEADER, or the request is refused with 403 for
// FAIL_WITH_403 (sent here: the result is then (nil, true) with the
// response already written).
func (c *call) cacheLookup() (*Response, bool) {
	sc, _, ok := c.cachePolicy()
	if !ok {
		return nil, false
	}
	c.cacheUse = true
	if wantsInvalidation(c.r.Header) {
		ms := c.methodSettings()
		if !ms.RequireAuthorizationForCacheControl || c.mayInvalidateCache() {
			return nil, false
		}
		switch ms.UnauthorizedCacheControlHeaderStrategy {
		case CacheControlFailWith403:
			c.cacheUse = false
			c.deny(c.errInvalidateCacheDenied())
			return nil, true
		case CacheControlSucceedWithHeader:
			c.w.Header().Add("Warning", "199 "+c.api.Endpoint()+" "+cacheWarning)
		}
	}
	res, hit := sc.get(c.cacheKey(), c.start)
	if !hit {
		return nil, false
	}
	c.cacheHit = true
	out := *res
	out.Header = res.Header.Clone()
	return &out, true
}

// errInvalidateCacheDenied is FAIL_WITH_403's answer, worded as API
// Gateway words an IAM denial of an execute-api action.
func (c *call) errInvalidateCacheDenied() *gwError {
	user := "anonymous"
	if c.req != nil && c.req.Authorizer != nil && c.req.Authorizer.IAM != nil && c.req.Authorizer.IAM.UserARN != "" {
		user = c.req.Authorizer.IAM.UserARN
	}
	arn := "arn:aws:execute-api:" + c.s.region + ":" + c.s.accountID + ":" + c.api.id + "/" + c.st.name + "/" + c.r.Method + c.path
	return &gwError{
		typ: ResponseAccessDenied, status: http.StatusForbidden,
		message: "User: " + user + " is not authorized to perform: execute-api:InvalidateCache on resource: " + arn,
		reason:  "Cache-Control: max-age=0 from a caller without execute-api:InvalidateCache (FAIL_WITH_403)",
	}
}

// cacheStore keeps a 2xx response of a cached route, headers and body as
// the integration returned them, for the route's TTL.
func (c *call) cacheStore(res *Response) {
	if !c.cacheUse || c.cacheHit || res == nil {
		return
	}
	if status := res.StatusCode; status != 0 && (status < 200 || status > 299) {
		return
	}
	if len(res.Body) > MaxCachedResponseSize {
		return
	}
	sc, ttl, ok := c.cachePolicy()
	if !ok {
		return
	}
	kept := &Response{StatusCode: res.StatusCode, Header: res.Header.Clone(), Body: append([]byte(nil), res.Body...)}
	now := c.s.clock.Now()
	sc.put(c.cacheKey(), kept, now, now.Add(ttl))
}
