package edge

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkCacheHit serves a cached 1 KB object through a distribution,
// beside calling the same origin handler directly.
func BenchmarkCacheHit(b *testing.B) {
	payload := strings.Repeat("x", 1024)
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		w.Header().Set("Content-Type", "text/plain")
		io.WriteString(w, payload)
	})
	s, _ := newTestService(b, Options{})
	d := newDist(b, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: origin})
	req := httptest.NewRequest("GET", "/object.txt", nil)
	d.ServeHTTP(httptest.NewRecorder(), req)
	b.Run("minicloud-hit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			d.ServeHTTP(w, req)
			if w.Code != 200 {
				b.Fatal(w.Code)
			}
		}
	})
	b.Run("origin-direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			w := httptest.NewRecorder()
			origin.ServeHTTP(w, req)
		}
	})
	b.Run("minicloud-miss", func(b *testing.B) {
		b.ReportAllocs()
		nocache := newDist(b, s, CacheBehavior{TargetOriginId: "o", CachePolicy: CachingDisabled()}, nil, Origin{Id: "o", Handler: origin})
		for b.Loop() {
			w := httptest.NewRecorder()
			nocache.ServeHTTP(w, req)
		}
	})
}

// BenchmarkViewerRequestFunction serves cache hits through a viewer
// request CloudFront Function written in Go (a URI rewrite and a header
// check), beside the same hits without a function.
func BenchmarkViewerRequestFunction(b *testing.B) {
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=3600")
		io.WriteString(w, "ok")
	})
	fn := &Function{Name: "rewrite", Handler: func(e *FunctionEvent) (FunctionOutput, error) {
		if ua, _ := e.Request.Headers.Get("user-agent"); strings.Contains(ua, "BadBot") {
			return &FunctionResponse{StatusCode: 403}, nil
		}
		if strings.HasSuffix(e.Request.URI, "/") {
			e.Request.URI += "index.html"
		}
		return e.Request, nil
	}}
	s, _ := newTestService(b, Options{})
	with := newDist(b, s, CacheBehavior{TargetOriginId: "o", FunctionAssociations: []FunctionAssociation{{EventType: EventViewerRequest, Function: fn}}},
		nil, Origin{Id: "o", Handler: origin})
	without := newDist(b, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: origin})
	req := httptest.NewRequest("GET", "/docs/", nil)
	req.Header.Set("User-Agent", "Mozilla/5.0")
	req.Header.Set("Accept", "text/html")
	for _, c := range []struct {
		name string
		d    *Distribution
	}{{"go-function", with}, {"no-function", without}} {
		c.d.ServeHTTP(httptest.NewRecorder(), req)
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				w := httptest.NewRecorder()
				c.d.ServeHTTP(w, req)
				if w.Code != 200 {
					b.Fatal(w.Code)
				}
			}
		})
	}
}

func BenchmarkCacheKey(b *testing.B) {
	p := &CachePolicy{DefaultTTL: 60, MaxTTL: 60, EnableAcceptEncodingGzip: true,
		HeadersConfig:      HeadersConfig{HeaderBehavior: BehaviorWhitelist, Headers: []string{"X-Device"}},
		CookiesConfig:      CookiesConfig{CookieBehavior: BehaviorWhitelist, Cookies: []string{"session"}},
		QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorAll}}
	h := http.Header{"X-Device": {"mobile"}, "Cookie": {"session=abc; theme=dark"}, "Accept-Encoding": {"gzip, br"}}
	b.ReportAllocs()
	for b.Loop() {
		p.CacheKey("GET", "/products/42", "color=red&size=m", h)
	}
}

func BenchmarkMatchPathPattern(b *testing.B) {
	for b.Loop() {
		MatchPathPattern("/static/*/img/*.jpg", "/static/v2/assets/img/hero-banner.jpg")
	}
}
