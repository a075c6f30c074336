package edge

import (
	"net/http"
	"net/url"
	"testing"
)

func TestCacheKey_IncludesOnlyWhatThePolicyChooses(t *testing.T) {
	p := &CachePolicy{MinTTL: 1, DefaultTTL: 60, MaxTTL: 600,
		HeadersConfig:            HeadersConfig{HeaderBehavior: BehaviorWhitelist, Headers: []string{"X-Device"}},
		CookiesConfig:            CookiesConfig{CookieBehavior: BehaviorWhitelist, Cookies: []string{"session"}},
		QueryStringsConfig:       QueryStringsConfig{QueryStringBehavior: BehaviorWhitelist, QueryStrings: []string{"page"}},
		EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true}
	key := func(method, path, query string, kv ...string) string {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		return p.CacheKey(method, path, query, h)
	}
	base := key("GET", "/a", "page=1")
	same := []struct {
		name string
		k    string
	}{
		{"HEAD shares GET's key", key("HEAD", "/a", "page=1")},
		{"other query strings ignored", key("GET", "/a", "page=1&utm=x")},
		{"other headers ignored", key("GET", "/a", "page=1", "User-Agent", "curl")},
		{"other cookies ignored", key("GET", "/a", "page=1", "Cookie", "tracking=1")},
		{"Accept-Encoding without gzip or br is identity", key("GET", "/a", "page=1", "Accept-Encoding", "deflate")},
	}
	for _, c := range same {
		if c.k != base {
			t.Errorf("%s: key %q differs from %q", c.name, c.k, base)
		}
	}
	differ := []struct {
		name string
		k    string
	}{
		{"path", key("GET", "/b", "page=1")},
		{"chosen query string value", key("GET", "/a", "page=2")},
		{"chosen header", key("GET", "/a", "page=1", "X-Device", "mobile")},
		{"chosen cookie", key("GET", "/a", "page=1", "Cookie", "session=abc")},
		{"OPTIONS is cached apart", key("OPTIONS", "/a", "page=1")},
		{"gzip viewers", key("GET", "/a", "page=1", "Accept-Encoding", "gzip, deflate")},
		{"query string case", key("GET", "/a", "PAGE=1")},
	}
	for _, c := range differ {
		if c.k == base {
			t.Errorf("%s: key should differ from %q", c.name, base)
		}
	}
	if key("GET", "/a", "", "Accept-Encoding", "gzip, br") != key("GET", "/a", "", "Accept-Encoding", "br;q=1.0, gzip, identity") {
		t.Error("Accept-Encoding gzip+br not normalized to one key")
	}
	if key("GET", "/a", "", "Accept-Encoding", "gzip;q=0") != key("GET", "/a", "") {
		t.Error("gzip;q=0 should count as no gzip")
	}
	if key("GET", "/a", "", "Cookie", "session=1; a=2") != key("GET", "/a", "", "Cookie", "a=3; session=1") {
		t.Error("unchosen cookies changed the key")
	}
}

func TestCacheKey_QueryStringOrderMatters(t *testing.T) {
	p := &CachePolicy{DefaultTTL: 60, MaxTTL: 60, QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorAll}}
	if p.CacheKey("GET", "/", "a=1&b=2", nil) == p.CacheKey("GET", "/", "b=2&a=1", nil) {
		t.Error("CloudFront keys a=1&b=2 and b=2&a=1 apart; they collided")
	}
}

func FuzzCacheKey(f *testing.F) {
	f.Add("/a", "page=1&x=2", "session=1; t=2", "mobile", "x=3")
	f.Add("/", "", "", "", "")
	f.Add("/%2F", "page&page=", "=;;session", "a:b", "page=9")
	f.Fuzz(func(t *testing.T, path, query, cookies, device, extra string) {
		p := &CachePolicy{DefaultTTL: 60, MaxTTL: 60,
			HeadersConfig:      HeadersConfig{HeaderBehavior: BehaviorWhitelist, Headers: []string{"X-Device"}},
			CookiesConfig:      CookiesConfig{CookieBehavior: BehaviorWhitelist, Cookies: []string{"session"}},
			QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorAllExcept, QueryStrings: []string{"utm"}}}
		h := http.Header{}
		h.Set("X-Device", device)
		h.Set("Cookie", cookies)
		k1 := p.CacheKey("GET", path, query, h)
		if k2 := p.CacheKey("GET", path, query, h.Clone()); k1 != k2 {
			t.Fatalf("key not deterministic: %q vs %q", k1, k2)
		}
		// An excluded parameter and an unchosen header never change the key.
		q2 := query
		if q2 != "" {
			q2 += "&"
		}
		h2 := h.Clone()
		h2.Set("User-Agent", extra)
		if k2 := p.CacheKey("GET", path, q2+"utm="+url.QueryEscape(extra), h2); k2 != k1 {
			t.Fatalf("utm or User-Agent changed the key: %q vs %q", k1, k2)
		}
		// A different path always changes it.
		if k2 := p.CacheKey("GET", path+"x", query, h); k2 == k1 {
			t.Fatalf("paths %q and %q share key %q", path, path+"x", k1)
		}
		// A different chosen header value always changes it.
		h3 := h.Clone()
		h3.Set("X-Device", device+"!")
		if k2 := p.CacheKey("GET", path, query, h3); k2 == k1 {
			t.Fatalf("X-Device %q and %q share a key", device, device+"!")
		}
	})
}
