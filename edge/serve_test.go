package edge

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestServe_MissThenHitWithCloudFrontHeaders(t *testing.T) {
	s, c := newTestService(t, Options{})
	origin := staticOrigin("max-age=60", "hello")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "web"}, nil, Origin{Id: "web", Handler: origin})
	srv := httptest.NewServer(d)
	defer srv.Close()

	fetch := func() *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+"/index.html", nil)
		req.Header.Set(HeaderViewerRegion, "eu-central-1")
		resp, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) != "hello /index.html" {
			t.Fatalf("body = %q", body)
		}
		return resp
	}
	r1 := fetch()
	if got := r1.Header.Get("X-Cache"); got != XCacheMiss {
		t.Errorf("first X-Cache = %q, want %q", got, XCacheMiss)
	}
	if r1.Header.Get("Age") != "" {
		t.Errorf("a miss has Age %q", r1.Header.Get("Age"))
	}
	if got := r1.Header.Get("X-Amz-Cf-Pop"); got != "FRA56-P1" {
		t.Errorf("X-Amz-Cf-Pop = %q, want FRA56-P1 (nearest to eu-central-1)", got)
	}
	if !regexp.MustCompile(`^1\.1 [0-9a-f]{32}\.cloudfront\.net \(CloudFront\)$`).MatchString(r1.Header.Get("Via")) {
		t.Errorf("Via = %q", r1.Header.Get("Via"))
	}
	if id := r1.Header.Get("X-Amz-Cf-Id"); len(id) != 56 || !strings.HasSuffix(id, "==") {
		t.Errorf("X-Amz-Cf-Id = %q, want 56 characters ending in ==", id)
	}
	c.Advance(42 * time.Second)
	r2 := fetch()
	if got := r2.Header.Get("X-Cache"); got != XCacheHit {
		t.Errorf("second X-Cache = %q, want %q", got, XCacheHit)
	}
	if got := r2.Header.Get("Age"); got != "42" {
		t.Errorf("Age = %q, want 42", got)
	}
	if r1.Header.Get("X-Amz-Cf-Id") == r2.Header.Get("X-Amz-Cf-Id") {
		t.Error("two requests share an X-Amz-Cf-Id")
	}
	c.Advance(18 * time.Second)
	if got := fetch().Header.Get("X-Cache"); got != XCacheMiss {
		t.Errorf("after max-age X-Cache = %q, want a miss", got)
	}
	if n := origin.calls.Load(); n != 2 {
		t.Errorf("origin called %d times, want 2", n)
	}
	m := d.Metrics().Location("FRA56-P1")
	if m.Hits != 1 || m.Misses != 2 || m.HitRatio() < 0.33 || m.HitRatio() > 0.34 {
		t.Errorf("metrics = %+v ratio %v", m, m.HitRatio())
	}
}

func TestServe_EachLocationHasItsOwnCacheBehindARegionalEdgeCache(t *testing.T) {
	s, _ := newTestService(t, Options{})
	origin := staticOrigin("max-age=300", "x")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: origin})
	at := func(pop string) string {
		return get(d, "GET", "/a", map[string]string{HeaderEdgeLocation: pop}).Header().Get("X-Cache")
	}
	if got := at("FRA56-P1"); got != XCacheMiss {
		t.Fatalf("FRA first = %q", got)
	}
	// Paris shares Frankfurt's regional edge cache (eu-central-1): a miss
	// at the location, but the origin is not called.
	if got := at("CDG50-C1"); got != XCacheMiss {
		t.Fatalf("CDG first = %q", got)
	}
	if got := at("CDG50-C1"); got != XCacheHit {
		t.Fatalf("CDG second = %q", got)
	}
	if n := origin.calls.Load(); n != 1 {
		t.Fatalf("origin called %d times, want 1 (the regional edge cache served Paris)", n)
	}
	// Tokyo's regional edge cache is another one.
	at("NRT57-P2")
	if n := origin.calls.Load(); n != 2 {
		t.Fatalf("origin called %d times, want 2", n)
	}
	if got := d.Metrics().Location("CDG50-C1").RegionalHits; got != 1 {
		t.Errorf("CDG regional hits = %d", got)
	}
}

func TestServe_ViewerMeetsNearestLocation(t *testing.T) {
	s, _ := newTestService(t, Options{})
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: staticOrigin("", "x")})
	cases := map[string]string{"ap-northeast-1": "NRT57-P2", "us-west-2": "SEA19-C1", "ap-southeast-2": "SYD1-C1",
		"sa-east-1": "GRU3-C1", "eu-west-2": "LHR61-C1", "ap-south-1": "BOM78-P1", "": "IAD89-C1"}
	for region, want := range cases {
		hdr := map[string]string{}
		if region != "" {
			hdr[HeaderViewerRegion] = region
		}
		if got := get(d, "GET", "/", hdr).Header().Get("X-Amz-Cf-Pop"); got != want {
			t.Errorf("viewer in %q met %s, want %s", region, got, want)
		}
	}
	if code, ok := s.NearestLocation("eu-north-1"); !ok || code == "" {
		t.Errorf("NearestLocation(eu-north-1) = %q, %v", code, ok)
	}
}

func TestServe_PriceClassLimitsLocations(t *testing.T) {
	s, _ := newTestService(t, Options{})
	out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
		CallerReference: "pc", PriceClass: "PriceClass_100", Origins: []Origin{{Id: "o", Handler: staticOrigin("", "x")}},
		DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"}}})
	if err != nil {
		t.Fatal(err)
	}
	pop := get(out.Distribution, "GET", "/", map[string]string{HeaderViewerRegion: "ap-northeast-1"}).Header().Get("X-Amz-Cf-Pop")
	if pop == "NRT57-P2" || pop == "" {
		t.Errorf("PriceClass_100 served Tokyo from %q", pop)
	}
}

func TestServe_BehavioursMatchInOrder(t *testing.T) {
	s, _ := newTestService(t, Options{})
	api := staticOrigin("no-store", "api")
	img := staticOrigin("max-age=60", "img")
	web := staticOrigin("max-age=60", "web")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "web"},
		[]CacheBehavior{
			{PathPattern: "/api/*", TargetOriginId: "api", CachePolicy: CachingDisabled(), AllowedMethods: methodSets[2]},
			{PathPattern: "*.jpg", TargetOriginId: "img"},
			{PathPattern: "/api/*.jpg", TargetOriginId: "img"}, // shadowed by /api/*
		},
		Origin{Id: "web", Handler: web}, Origin{Id: "api", Handler: api}, Origin{Id: "img", Handler: img})
	cases := map[string]string{"/api/users": "api /api/users", "/api/x.jpg": "api /api/x.jpg", "/a/b.jpg": "img /a/b.jpg", "/": "web /"}
	for path, want := range cases {
		if got := get(d, "GET", path, nil).Body.String(); got != want {
			t.Errorf("GET %s = %q, want %q", path, got, want)
		}
	}
	if w := get(d, "POST", "/api/users", nil); w.Code != 200 {
		t.Errorf("POST /api/users = %d", w.Code)
	}
	w := get(d, "POST", "/index.html", nil)
	if w.Code != http.StatusForbidden || w.Header().Get("X-Cache") != XCacheError || !strings.Contains(w.Body.String(), "not configured to allow the HTTP request method") {
		t.Errorf("POST to a GET/HEAD behaviour = %d %q", w.Code, w.Header().Get("X-Cache"))
	}
	get(d, "GET", "/api/users", nil)
	if n := api.calls.Load(); n != 4 {
		t.Errorf("CachingDisabled behaviour: origin called %d times, want 4", n)
	}
}

func TestServe_ViewerProtocolPolicy(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := staticOrigin("", "x")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o", ViewerProtocolPolicy: ViewerProtocolRedirectToHTTPS},
		[]CacheBehavior{{PathPattern: "/secure/*", TargetOriginId: "o", ViewerProtocolPolicy: ViewerProtocolHTTPSOnly}},
		Origin{Id: "o", Handler: o})
	w := get(d, "GET", "http://www.example.com/page?q=1", nil)
	if w.Code != http.StatusMovedPermanently || w.Header().Get("Location") != "https://www.example.com/page?q=1" || w.Header().Get("X-Cache") != XCacheRedirect {
		t.Errorf("redirect-to-https over HTTP = %d Location %q X-Cache %q", w.Code, w.Header().Get("Location"), w.Header().Get("X-Cache"))
	}
	w = get(d, "GET", "http://www.example.com/secure/x", nil)
	if w.Code != http.StatusForbidden {
		t.Errorf("https-only over HTTP = %d, want 403", w.Code)
	}
	for _, hdr := range []map[string]string{{"X-Forwarded-Proto": "https"}} {
		if w := get(d, "GET", "/secure/x", hdr); w.Code != 200 {
			t.Errorf("https-only with X-Forwarded-Proto: https = %d", w.Code)
		}
	}
	tls := httptest.NewTLSServer(d)
	defer tls.Close()
	resp, err := tls.Client().Get(tls.URL + "/page")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("redirect-to-https over TLS = %d", resp.StatusCode)
	}
	if o.calls.Load() != 2 {
		t.Errorf("origin called %d times, want 2 (refused requests never reach it)", o.calls.Load())
	}
}

func TestServe_OriginSeesCloudFrontsRequest(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := staticOrigin("max-age=60", "x")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o",
		CachePolicy: &CachePolicy{MinTTL: 0, DefaultTTL: 60, MaxTTL: 600,
			HeadersConfig:      HeadersConfig{HeaderBehavior: BehaviorWhitelist, Headers: []string{"X-Device", "CloudFront-Viewer-Country"}},
			QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorWhitelist, QueryStrings: []string{"page"}}},
		OriginRequestPolicy: &OriginRequestPolicy{CookiesConfig: CookiesConfig{CookieBehavior: BehaviorWhitelist, Cookies: []string{"session"}},
			QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorWhitelist, QueryStrings: []string{"lang"}}}},
		nil, Origin{Id: "o", DomainName: "origin.example.org", OriginPath: "/prod", Handler: o, CustomHeaders: map[string]string{"X-Origin-Secret": "s3cr3t"}})
	get(d, "GET", "/a?page=2&lang=fr&utm=x", map[string]string{"X-Device": "tv", "User-Agent": "curl", "Cookie": "session=1; other=2",
		"Authorization": "Bearer x", HeaderViewerRegion: "eu-west-3"})
	r := o.lastRequest()
	checks := map[string][2]string{
		"path":            {r.URL.Path, "/prod/a"},
		"query":           {r.URL.RawQuery, "page=2&lang=fr"},
		"Host":            {r.Host, "origin.example.org"},
		"X-Device":        {r.Header.Get("X-Device"), "tv"},
		"User-Agent":      {r.Header.Get("User-Agent"), "Amazon CloudFront"},
		"Cookie":          {r.Header.Get("Cookie"), "session=1"},
		"Authorization":   {r.Header.Get("Authorization"), ""},
		"X-Origin-Secret": {r.Header.Get("X-Origin-Secret"), "s3cr3t"},
		"Country":         {r.Header.Get("CloudFront-Viewer-Country"), "FR"},
	}
	for name, c := range checks {
		if c[0] != c[1] {
			t.Errorf("origin saw %s = %q, want %q", name, c[0], c[1])
		}
	}
	if r.Header.Get("X-Amz-Cf-Id") == "" || !strings.Contains(r.Header.Get("Via"), "(CloudFront)") || r.Header.Get("X-Forwarded-For") == "" {
		t.Errorf("origin request lacks CloudFront's headers: %v", r.Header)
	}
}

func TestServe_ExpiredObjectWithETagIsRevalidated(t *testing.T) {
	s, c := newTestService(t, Options{})
	var conditional int
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=10")
		w.Header().Set("ETag", `"v1"`)
		if r.Header.Get("If-None-Match") == `"v1"` {
			conditional++
			w.WriteHeader(http.StatusNotModified)
			return
		}
		io.WriteString(w, "body-v1")
	}}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: o})
	get(d, "GET", "/f", nil)
	c.Advance(11 * time.Second)
	w := get(d, "GET", "/f", nil)
	if w.Header().Get("X-Cache") != XCacheRefreshHit || w.Body.String() != "body-v1" || conditional != 1 {
		t.Fatalf("after expiry: X-Cache %q body %q conditional %d", w.Header().Get("X-Cache"), w.Body.String(), conditional)
	}
	if w := get(d, "GET", "/f", nil); w.Header().Get("X-Cache") != XCacheHit {
		t.Errorf("after refresh: X-Cache %q, want a hit for another max-age", w.Header().Get("X-Cache"))
	}
}

func TestServe_OriginErrorsAreCachedBriefly(t *testing.T) {
	s, c := newTestService(t, Options{})
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) { http.NotFound(w, r) }}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: o})
	w := get(d, "GET", "/missing", nil)
	if w.Code != 404 || w.Header().Get("X-Cache") != XCacheError {
		t.Fatalf("404 = %d %q", w.Code, w.Header().Get("X-Cache"))
	}
	get(d, "GET", "/missing", nil)
	c.Advance(10 * time.Second)
	get(d, "GET", "/missing", nil)
	if n := o.calls.Load(); n != 2 {
		t.Errorf("origin called %d times, want 2 (the 404 is cached for 10 s)", n)
	}
}

func TestServe_SlowOriginTimesOutWith504OnTheClock(t *testing.T) {
	s, c := newTestService(t, Options{})
	release := make(chan struct{})
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) { <-release }}
	defer close(release)
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: o, ResponseTimeout: 5 * time.Second})
	done := make(chan *httptest.ResponseRecorder)
	go func() { done <- get(d, "GET", "/slow", nil) }()
	if err := c.BlockUntil(context.Background(), 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(5 * time.Second)
	w := <-done
	if w.Code != http.StatusGatewayTimeout || w.Header().Get("X-Cache") != XCacheError {
		t.Errorf("slow origin = %d %q, want 504 Error from cloudfront", w.Code, w.Header().Get("X-Cache"))
	}
	if m := d.Metrics(); m.OriginRequests != 1 || m.OriginErrors != 1 || m.OriginLatency != 5*time.Second {
		t.Errorf("origin metrics = %d requests, %d errors, %v latency", m.OriginRequests, m.OriginErrors, m.OriginLatency)
	}
}

func TestServe_HEADIsAnsweredFromGETsCopyWithoutBody(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := staticOrigin("max-age=60", "x")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: o})
	get(d, "GET", "/h", nil)
	w := get(d, "HEAD", "/h", nil)
	if w.Header().Get("X-Cache") != XCacheHit || w.Body.Len() != 0 || w.Header().Get("Content-Length") != "4" {
		t.Errorf("HEAD = %q body %d Content-Length %q", w.Header().Get("X-Cache"), w.Body.Len(), w.Header().Get("Content-Length"))
	}
}

func TestServe_ConditionalViewerRequestGets304FromTheCache(t *testing.T) {
	s, _ := newTestService(t, Options{})
	lm := epoch.Add(-time.Hour).Format(http.TimeFormat)
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("ETag", `"abc"`)
		w.Header().Set("Last-Modified", lm)
		io.WriteString(w, "content")
	}}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: o})
	cases := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"matching ETag", map[string]string{"If-None-Match": `"abc"`}, 304},
		{"weak match", map[string]string{"If-None-Match": `W/"abc", "zzz"`}, 304},
		{"other ETag", map[string]string{"If-None-Match": `"zzz"`}, 200},
		{"not modified since", map[string]string{"If-Modified-Since": epoch.Format(http.TimeFormat)}, 304},
		{"modified since", map[string]string{"If-Modified-Since": epoch.Add(-2 * time.Hour).Format(http.TimeFormat)}, 200},
		{"unconditional", nil, 200},
	}
	for _, c := range cases {
		w := get(d, "GET", "/doc", c.hdr)
		if w.Code != c.want || (c.want == 304 && (w.Body.Len() != 0 || w.Header().Get("ETag") != `"abc"`)) {
			t.Errorf("%s: %d body %d ETag %q", c.name, w.Code, w.Body.Len(), w.Header().Get("ETag"))
		}
	}
	if o.calls.Load() != 1 {
		t.Errorf("origin called %d times, want 1", o.calls.Load())
	}
}

func TestServe_ConcurrentViewersAndInvalidations(t *testing.T) {
	s, c := newTestService(t, Options{InvalidationTime: time.Second})
	o := staticOrigin("max-age=5", "x")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o", FunctionAssociations: []FunctionAssociation{{EventType: EventViewerResponse,
		Function: &Function{Name: "h", Handler: func(e *FunctionEvent) (FunctionOutput, error) {
			e.Response.Headers.Set("x-edge", "1")
			return e.Response, nil
		}}}}}, nil, Origin{Id: "o", Handler: o})
	regions := []string{"us-east-1", "eu-central-1", "ap-northeast-1", "sa-east-1"}
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for i := range 200 {
				w := get(d, "GET", fmt.Sprintf("/obj/%d", i%7), map[string]string{HeaderViewerRegion: regions[(g+i)%len(regions)]})
				if w.Code != 200 || w.Header().Get("X-Edge") != "1" {
					t.Errorf("status %d X-Edge %q", w.Code, w.Header().Get("X-Edge"))
					return
				}
			}
		}()
	}
	for i := range 20 {
		invalidate(t, s, d, fmt.Sprint("r", i), fmt.Sprintf("/obj/%d", i%7))
		c.Advance(700 * time.Millisecond)
	}
	for range 8 {
		<-done
	}
	m := d.Metrics()
	if m.Requests != 1600 || m.Hits+m.Misses+m.RefreshHits != 1600 {
		t.Errorf("requests %d, hits+misses %d", m.Requests, m.Hits+m.Misses)
	}
}

func TestServe_SimultaneousMissesAreCollapsed(t *testing.T) {
	s, _ := newTestService(t, Options{})
	release := make(chan struct{})
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		<-release
		w.Header().Set("Cache-Control", "max-age=60")
		io.WriteString(w, "once")
	}}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: o})
	const n = 6
	results := make(chan *httptest.ResponseRecorder, n)
	for i := range n {
		// Frankfurt and Paris share a regional edge cache.
		pop := []string{"FRA56-P1", "CDG50-C1"}[i%2]
		go func() { results <- get(d, "GET", "/hot", map[string]string{HeaderEdgeLocation: pop}) }()
	}
	// Wait until the leader is at the origin and the others wait for it.
	for o.calls.Load() == 0 || flightWaiters(d) != n-1 {
		runtime.Gosched()
	}
	close(release)
	hits := 0
	for range n {
		w := <-results
		if w.Body.String() != "once" {
			t.Errorf("body %q", w.Body.String())
		}
		if w.Header().Get("X-Cache") == XCacheHit {
			hits++
		}
	}
	if o.calls.Load() != 1 {
		t.Errorf("origin called %d times for %d simultaneous misses, want 1", o.calls.Load(), n)
	}
	m := d.Metrics()
	var collapsed int64
	for _, l := range m.Locations {
		collapsed += l.Collapsed
	}
	if hits != n-1 || collapsed != n-1 || m.Misses != 1 {
		t.Errorf("hits %d collapsed %d misses %d", hits, collapsed, m.Misses)
	}
}

func flightWaiters(d *Distribution) int {
	d.flightMu.Lock()
	defer d.flightMu.Unlock()
	n := 0
	for _, f := range d.flights {
		n += int(f.waiters.Load())
	}
	return n
}
