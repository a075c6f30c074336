package apigw

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzRouter builds a router from fuzzed route keys and matches fuzzed
// paths: it never panics, a match always names a route that was added,
// and every path parameter of the match is bound.
func FuzzRouter(f *testing.F) {
	f.Add("GET /items/{id}\nANY /{proxy+}\nGET /items/special", "GET", "/items/42")
	f.Add("GET /a/{b}/c\nPOST /a/{b}/d", "POST", "/a/x/d")
	f.Add("ANY /{proxy+}", "DELETE", "/%2F/..//x")
	f.Add("GET /", "GET", "/")
	f.Add("GET /files/{name}", "GET", "/files/a%2Fb")
	f.Add("GET /x/{y+}", "GET", "/x/a//b/")
	f.Add("GET /x", "GET", "%zz")
	f.Fuzz(func(t *testing.T, keys, method, path string) {
		rt := newRouter()
		added := map[*route]bool{}
		for _, k := range strings.Split(keys, "\n") {
			rk, err := parseRouteKey(k, HTTP)
			if err != nil {
				continue
			}
			r := newRoute(rk, Route{Integration: Mock{}})
			if rt.add(r) == nil {
				added[r] = true
			}
		}
		r, params, ok := rt.match(method, path)
		if !ok {
			return
		}
		if !added[r] {
			t.Fatalf("matched a route that was not added: %v", r.key)
		}
		if r.key.method != "ANY" && r.key.path != "" && r.key.method != method {
			t.Fatalf("%s %s matched %s", method, path, r.key)
		}
		for _, name := range r.params {
			if _, ok := params[name]; !ok {
				t.Fatalf("%s %s matched %s without binding {%s}", method, path, r.key, name)
			}
		}
		for name, v := range params {
			if !strings.HasSuffix(r.key.path, "+}") && strings.Contains(v, "/") && !strings.Contains(path, "%2F") && !strings.Contains(path, "%2f") {
				t.Fatalf("{%s} = %q spans segments of %q", name, v, path)
			}
			_ = utf8.ValidString(v)
		}
	})
}

// BenchmarkRouteLookup matches a request among 1,000 routes, beside
// net/http.ServeMux holding the same 1,000 patterns, in the same run.
func BenchmarkRouteLookup(b *testing.B) {
	const n = 1000
	rt := newRouter()
	mux := http.NewServeMux()
	noop := http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})
	for i := range n {
		path := fmt.Sprintf("/svc%d/items/{id}/tags/{tag}", i)
		rk, err := parseRouteKey("GET "+path, REST)
		if err != nil {
			b.Fatal(err)
		}
		if err := rt.add(newRoute(rk, Route{Integration: Mock{}})); err != nil {
			b.Fatal(err)
		}
		mux.Handle("GET "+path, noop)
	}
	target := "/svc777/items/42/tags/blue"
	b.Run("minicloud", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, p, ok := rt.match("GET", target); !ok || p["tag"] != "blue" {
				b.Fatal("no match")
			}
		}
	})
	b.Run("servemux", func(b *testing.B) {
		req := httptest.NewRequest("GET", target, nil)
		b.ReportAllocs()
		for b.Loop() {
			if _, pat := mux.Handler(req); pat == "" {
				b.Fatal("no match")
			}
		}
	})
}
