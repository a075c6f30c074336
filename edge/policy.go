package edge

import (
	"net/http"
	"slices"
	"strings"
)

// Behaviours of the parts of a cache key or an origin request, as in
// CloudFront's CachePolicy and OriginRequestPolicy configurations.
const (
	BehaviorNone      = "none"
	BehaviorWhitelist = "whitelist"
	BehaviorAllExcept = "allExcept"
	BehaviorAll       = "all"
	// BehaviorAllViewer forwards every viewer header (origin request
	// policies only).
	BehaviorAllViewer = "allViewer"
	// BehaviorAllViewerAndWhitelistCloudFront forwards every viewer header
	// and the CloudFront-* headers listed (origin request policies only).
	BehaviorAllViewerAndWhitelistCloudFront = "allViewerAndWhitelistCloudFront"
)

// HeadersConfig chooses headers: HeaderBehavior is "none" or "whitelist"
// in a cache policy; "none", "whitelist", "allViewer",
// "allViewerAndWhitelistCloudFront" or "allExcept" in an origin request
// policy. Header names are case-insensitive.
type HeadersConfig struct {
	HeaderBehavior string
	Headers        []string
}

// CookiesConfig chooses cookies: CookieBehavior is "none", "whitelist",
// "allExcept" or "all". Cookie names are case-sensitive.
type CookiesConfig struct {
	CookieBehavior string
	Cookies        []string
}

// QueryStringsConfig chooses query string parameters: QueryStringBehavior
// is "none", "whitelist", "allExcept" or "all". Names are case-sensitive.
type QueryStringsConfig struct {
	QueryStringBehavior string
	QueryStrings        []string
}

// CachePolicy says how long CloudFront keeps a response and what makes up
// its cache key. Everything in the cache key is also forwarded to the
// origin. TTLs are in seconds; when the origin sends Cache-Control max-age
// or s-maxage (or Expires), CloudFront keeps the response that long but
// never less than MinTTL nor more than MaxTTL; without them, DefaultTTL.
type CachePolicy struct {
	// Id and Name identify the policy; managed policies have AWS's IDs.
	Id, Name string
	// MinTTL, DefaultTTL and MaxTTL in seconds. When all three are 0 the
	// behaviour does not cache at all (CachingDisabled).
	MinTTL, DefaultTTL, MaxTTL int64
	// EnableAcceptEncodingGzip and EnableAcceptEncodingBrotli put the
	// normalized Accept-Encoding (gzip, br, both or none) in the cache key
	// and forward it to the origin.
	EnableAcceptEncodingGzip, EnableAcceptEncodingBrotli bool
	// HeadersConfig: "none" or "whitelist".
	HeadersConfig HeadersConfig
	// CookiesConfig: "none", "whitelist", "allExcept" or "all".
	CookiesConfig CookiesConfig
	// QueryStringsConfig: "none", "whitelist", "allExcept" or "all".
	QueryStringsConfig QueryStringsConfig
}

// OriginRequestPolicy adds to what CloudFront forwards to the origin on a
// cache miss, beyond what the cache key already holds, without making the
// cache key bigger.
type OriginRequestPolicy struct {
	Id, Name           string
	HeadersConfig      HeadersConfig
	CookiesConfig      CookiesConfig
	QueryStringsConfig QueryStringsConfig
}

// CachingOptimized is the managed cache policy
// 658327ea-f89d-4fab-a63d-7e88639e58f6: min 1 s, default 1 day, max 1 year,
// gzip and Brotli, nothing else in the key.
func CachingOptimized() *CachePolicy {
	return &CachePolicy{Id: "658327ea-f89d-4fab-a63d-7e88639e58f6", Name: "Managed-CachingOptimized",
		MinTTL: 1, DefaultTTL: 86400, MaxTTL: 31536000, EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true,
		HeadersConfig: HeadersConfig{HeaderBehavior: BehaviorNone}, CookiesConfig: CookiesConfig{CookieBehavior: BehaviorNone},
		QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorNone}}
}

// CachingDisabled is the managed cache policy
// 4135ea2d-6df8-44a3-9df3-4b5a84be39ad: every TTL 0, nothing is cached.
func CachingDisabled() *CachePolicy {
	return &CachePolicy{Id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad", Name: "Managed-CachingDisabled",
		HeadersConfig: HeadersConfig{HeaderBehavior: BehaviorNone}, CookiesConfig: CookiesConfig{CookieBehavior: BehaviorNone},
		QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorNone}}
}

// AllViewer is the managed origin request policy
// 216adef6-5c7f-47e4-b989-5492eafa07d3: every viewer header, cookie and
// query string goes to the origin.
func AllViewer() *OriginRequestPolicy {
	return &OriginRequestPolicy{Id: "216adef6-5c7f-47e4-b989-5492eafa07d3", Name: "Managed-AllViewer",
		HeadersConfig: HeadersConfig{HeaderBehavior: BehaviorAllViewer}, CookiesConfig: CookiesConfig{CookieBehavior: BehaviorAll},
		QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorAll}}
}

// AllViewerExceptHostHeader is the managed origin request policy
// b689b0a8-53d0-40ab-baf2-68738e2966ac: like [AllViewer] but the origin
// sees its own domain name as Host.
func AllViewerExceptHostHeader() *OriginRequestPolicy {
	return &OriginRequestPolicy{Id: "b689b0a8-53d0-40ab-baf2-68738e2966ac", Name: "Managed-AllViewerExceptHostHeader",
		HeadersConfig: HeadersConfig{HeaderBehavior: BehaviorAllExcept, Headers: []string{"Host"}}, CookiesConfig: CookiesConfig{CookieBehavior: BehaviorAll},
		QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorAll}}
}

// validate checks a cache policy as CreateCachePolicy does.
func (p *CachePolicy) validate() error {
	if p.MinTTL < 0 || p.DefaultTTL < 0 || p.MaxTTL < 0 {
		return ErrInvalidArgument.New("The TTL values of a cache policy must not be negative.")
	}
	if p.DefaultTTL < p.MinTTL || p.MaxTTL < p.DefaultTTL {
		return ErrInvalidArgument.Newf("The TTLs of cache policy %q must satisfy MinTTL (%d) <= DefaultTTL (%d) <= MaxTTL (%d).", p.Name, p.MinTTL, p.DefaultTTL, p.MaxTTL)
	}
	switch p.HeadersConfig.HeaderBehavior {
	case "", BehaviorNone, BehaviorWhitelist:
	default:
		return ErrInvalidArgument.Newf("HeaderBehavior %q is not valid in a cache policy; use none or whitelist.", p.HeadersConfig.HeaderBehavior)
	}
	if err := validList("CookieBehavior", p.CookiesConfig.CookieBehavior); err != nil {
		return err
	}
	return validList("QueryStringBehavior", p.QueryStringsConfig.QueryStringBehavior)
}

func (p *OriginRequestPolicy) validate() error {
	switch p.HeadersConfig.HeaderBehavior {
	case "", BehaviorNone, BehaviorWhitelist, BehaviorAllViewer, BehaviorAllViewerAndWhitelistCloudFront, BehaviorAllExcept:
	default:
		return ErrInvalidArgument.Newf("HeaderBehavior %q is not valid in an origin request policy.", p.HeadersConfig.HeaderBehavior)
	}
	if err := validList("CookieBehavior", p.CookiesConfig.CookieBehavior); err != nil {
		return err
	}
	return validList("QueryStringBehavior", p.QueryStringsConfig.QueryStringBehavior)
}

func validList(field, b string) error {
	switch b {
	case "", BehaviorNone, BehaviorWhitelist, BehaviorAllExcept, BehaviorAll:
		return nil
	}
	return ErrInvalidArgument.Newf("%s %q is not valid; use none, whitelist, allExcept or all.", field, b)
}

// cachingDisabled reports whether the policy caches nothing.
func (p *CachePolicy) cachingDisabled() bool {
	return p.MinTTL == 0 && p.DefaultTTL == 0 && p.MaxTTL == 0
}

// selects reports whether a name is chosen by a behaviour and list; fold
// makes the comparison case-insensitive (header names).
func selects(behavior string, list []string, name string, fold bool) bool {
	in := slices.ContainsFunc(list, func(s string) bool {
		if fold {
			return strings.EqualFold(s, name)
		}
		return s == name
	})
	switch behavior {
	case BehaviorWhitelist, BehaviorAllViewerAndWhitelistCloudFront:
		return in || (behavior == BehaviorAllViewerAndWhitelistCloudFront && !isCloudFrontHeader(name))
	case BehaviorAllExcept:
		return !in
	case BehaviorAll, BehaviorAllViewer:
		return true
	}
	return false
}

// isCloudFrontHeader reports whether a header is one CloudFront adds
// itself (CloudFront-Viewer-Country, CloudFront-Forwarded-Proto, ...).
func isCloudFrontHeader(name string) bool {
	return len(name) > 11 && strings.EqualFold(name[:11], "cloudfront-")
}

// headerSelected reports whether header name h is chosen by a headers
// configuration.
func (c HeadersConfig) selected(h string) bool {
	return selects(c.HeaderBehavior, c.Headers, h, true)
}

// hasHeader reports whether the configuration names h explicitly.
func (c HeadersConfig) names(h string) bool {
	return slices.ContainsFunc(c.Headers, func(s string) bool { return strings.EqualFold(s, h) })
}

// canonical is http.CanonicalHeaderKey.
func canonical(h string) string { return http.CanonicalHeaderKey(h) }
