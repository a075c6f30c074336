package edge

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// cacheControl is the part of a Cache-Control header CloudFront reads.
type cacheControl struct {
	maxAge, sMaxAge           int64
	hasMaxAge, hasSMaxAge     bool
	noCache, noStore, private bool
}

func parseCacheControl(h http.Header) cacheControl {
	var cc cacheControl
	for _, line := range h.Values("Cache-Control") {
		for part := range strings.SplitSeq(line, ",") {
			name, value, _ := strings.Cut(strings.TrimSpace(part), "=")
			value = strings.Trim(strings.TrimSpace(value), `"`)
			switch strings.ToLower(strings.TrimSpace(name)) {
			case "max-age":
				if n, err := strconv.ParseInt(value, 10, 64); err == nil && n >= 0 {
					cc.maxAge, cc.hasMaxAge = n, true
				}
			case "s-maxage":
				if n, err := strconv.ParseInt(value, 10, 64); err == nil && n >= 0 {
					cc.sMaxAge, cc.hasSMaxAge = n, true
				}
			case "no-cache":
				cc.noCache = true
			case "no-store":
				cc.noStore = true
			case "private":
				cc.private = true
			}
		}
	}
	return cc
}

// errorStatuses are the 4xx and 5xx codes CloudFront caches, for the error
// caching minimum TTL (10 seconds by default) unless the origin says
// otherwise with Cache-Control.
var errorStatuses = map[int]bool{400: true, 403: true, 404: true, 405: true, 414: true, 416: true,
	500: true, 501: true, 502: true, 503: true, 504: true}

// successStatuses are the other codes CloudFront caches.
var successStatuses = map[int]bool{200: true, 203: true, 206: true, 300: true, 301: true, 302: true, 307: true, 308: true, 410: true}

// TTL returns how long CloudFront keeps a response with this status and
// these headers under policy p, received at now, and whether it keeps it at
// all:
//
//   - a policy whose TTLs are all 0 caches nothing;
//   - Cache-Control no-cache, no-store or private: not cached when MinTTL is
//     0, else cached for MinTTL;
//   - s-maxage, else max-age, else Expires (less the origin's Date, or now):
//     that long, raised to MinTTL and lowered to MaxTTL;
//   - none of these: DefaultTTL;
//   - an error status CloudFront caches (400, 403, 404, 405, 414, 416, 500,
//     501, 502, 503, 504): the max-age the origin sends, else errorTTL
//     (the error caching minimum TTL, 10 seconds by default); other
//     statuses are not cached.
func (p *CachePolicy) TTL(status int, h http.Header, now time.Time, errorTTL time.Duration) (time.Duration, bool) {
	if p.cachingDisabled() {
		return 0, false
	}
	cc := parseCacheControl(h)
	if errorStatuses[status] {
		if cc.noStore || cc.noCache || cc.private {
			return 0, false
		}
		switch {
		case cc.hasSMaxAge:
			return seconds(cc.sMaxAge), cc.sMaxAge > 0
		case cc.hasMaxAge:
			return seconds(cc.maxAge), cc.maxAge > 0
		}
		return errorTTL, errorTTL > 0
	}
	if !successStatuses[status] {
		return 0, false
	}
	if cc.noCache || cc.noStore || cc.private {
		return seconds(p.MinTTL), p.MinTTL > 0
	}
	var ttl int64
	switch {
	case cc.hasSMaxAge:
		ttl = cc.sMaxAge
	case cc.hasMaxAge:
		ttl = cc.maxAge
	case h.Get("Expires") != "":
		exp, err := http.ParseTime(h.Get("Expires"))
		if err != nil {
			// An unparsable Expires means "already expired" (RFC 9111).
			ttl = 0
			break
		}
		base := now
		if d, err := http.ParseTime(h.Get("Date")); err == nil {
			base = d
		}
		ttl = int64(exp.Sub(base) / time.Second)
	default:
		ttl = p.DefaultTTL
	}
	ttl = max(p.MinTTL, min(ttl, p.MaxTTL))
	return seconds(ttl), ttl > 0
}

func seconds(n int64) time.Duration { return time.Duration(n) * time.Second }
