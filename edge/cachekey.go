package edge

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// queryParam is one name=value pair of a query string, as it appeared.
type queryParam struct {
	name, value string
	hasEq       bool
}

// parseQuery splits a raw query string into its pairs, in order, without
// decoding them: CloudFront compares names and values as the viewer sent
// them (case-sensitively).
func parseQuery(raw string) []queryParam {
	if raw == "" {
		return nil
	}
	var out []queryParam
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		name, value, eq := strings.Cut(part, "=")
		out = append(out, queryParam{name: name, value: value, hasEq: eq})
	}
	return out
}

// encodeQuery joins pairs back into a raw query string.
func encodeQuery(ps []queryParam) string {
	var b strings.Builder
	for i, p := range ps {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.name)
		if p.hasEq {
			b.WriteByte('=')
			b.WriteString(p.value)
		}
	}
	return b.String()
}

// cookie is one name=value pair of a Cookie header.
type cookie struct{ name, value string }

// parseCookies reads every Cookie header of h, in order.
func parseCookies(h http.Header) []cookie {
	var out []cookie
	for _, line := range h.Values("Cookie") {
		for part := range strings.SplitSeq(line, ";") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			name, value, _ := strings.Cut(part, "=")
			out = append(out, cookie{name: strings.TrimSpace(name), value: strings.TrimSpace(value)})
		}
	}
	return out
}

// encodeCookies joins cookies into one Cookie header value.
func encodeCookies(cs []cookie) string {
	var b strings.Builder
	for i, c := range cs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(c.name)
		b.WriteByte('=')
		b.WriteString(c.value)
	}
	return b.String()
}

// normalizedAcceptEncoding is the Accept-Encoding CloudFront puts in the
// cache key and forwards when a cache policy enables compression: "br,gzip",
// "br", "gzip" or "" (identity), whatever else the viewer listed.
func normalizedAcceptEncoding(p *CachePolicy, h http.Header) string {
	if !p.EnableAcceptEncodingGzip && !p.EnableAcceptEncodingBrotli {
		return ""
	}
	var gzip, br bool
	for _, v := range h.Values("Accept-Encoding") {
		for part := range strings.SplitSeq(v, ",") {
			enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
			if q, ok := strings.CutPrefix(strings.TrimSpace(params), "q="); ok {
				if f, err := strconv.ParseFloat(q, 64); err == nil && f == 0 {
					continue
				}
			}
			switch strings.ToLower(strings.TrimSpace(enc)) {
			case "gzip":
				gzip = p.EnableAcceptEncodingGzip
			case "br":
				br = p.EnableAcceptEncodingBrotli
			}
		}
	}
	switch {
	case gzip && br:
		return "br,gzip"
	case br:
		return "br"
	case gzip:
		return "gzip"
	}
	return ""
}

// CacheKey returns the cache key CloudFront computes under policy p for a
// viewer request with this method, path, raw query string and headers
// (after the viewer request function has run). Two requests share a cached
// response exactly when their keys are equal.
//
// The key holds the path; the query string parameters the policy chooses,
// in the order the viewer sent them (CloudFront does not sort them, so
// "a=1&b=2" and "b=2&a=1" are two objects unless a function normalizes
// them); the chosen headers, by lower-cased name (values are
// case-sensitive); the chosen cookies, sorted by name; and the normalized
// Accept-Encoding when compression is enabled. GET and HEAD share a key;
// OPTIONS is cached apart. Every part is length-prefixed, so distinct
// requests never collide by concatenation.
func (p *CachePolicy) CacheKey(method, path, rawQuery string, h http.Header) string {
	var b strings.Builder
	b.Grow(len(path) + len(rawQuery) + 32)
	if method == http.MethodOptions {
		b.WriteString("O")
	} else {
		b.WriteString("G")
	}
	field := func(s string) {
		b.WriteString(strconv.Itoa(len(s)))
		b.WriteByte(':')
		b.WriteString(s)
	}
	field(path)
	qc := p.QueryStringsConfig
	if qc.QueryStringBehavior != "" && qc.QueryStringBehavior != BehaviorNone {
		b.WriteByte('?')
		for _, q := range parseQuery(rawQuery) {
			if selects(qc.QueryStringBehavior, qc.QueryStrings, q.name, false) {
				field(q.name)
				if q.hasEq {
					field(q.value)
				} else {
					b.WriteByte('-')
				}
			}
		}
	}
	if p.HeadersConfig.HeaderBehavior == BehaviorWhitelist && len(p.HeadersConfig.Headers) > 0 {
		names := make([]string, 0, len(p.HeadersConfig.Headers))
		for _, n := range p.HeadersConfig.Headers {
			names = append(names, strings.ToLower(n))
		}
		slices.Sort(names)
		names = slices.Compact(names)
		b.WriteByte('h')
		for _, n := range names {
			vs := h.Values(n)
			field(n)
			b.WriteString(strconv.Itoa(len(vs)))
			for _, v := range vs {
				field(v)
			}
		}
	}
	cc := p.CookiesConfig
	if cc.CookieBehavior != "" && cc.CookieBehavior != BehaviorNone {
		cs := parseCookies(h)
		slices.SortStableFunc(cs, func(a, b cookie) int { return strings.Compare(a.name, b.name) })
		b.WriteByte('c')
		for _, c := range cs {
			if selects(cc.CookieBehavior, cc.Cookies, c.name, false) {
				field(c.name)
				field(c.value)
			}
		}
	}
	if ae := normalizedAcceptEncoding(p, h); ae != "" {
		b.WriteByte('e')
		field(ae)
	}
	return b.String()
}
