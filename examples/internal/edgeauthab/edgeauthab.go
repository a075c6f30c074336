// Package edgeauthab is the edge-auth-ab scenario: CloudFront in front of
// an API Gateway HTTP API, a CloudFront Function that validates a JWT at
// the viewer request, a Lambda@Edge A/B test at the origin request, and
// the cache hit ratio per edge location.
package edgeauthab

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/lambda"
)

// viewer is a browser: where it is, its token and the cookie it keeps.
type viewer struct {
	name, region, token string
	variant             string // the variant cookie CloudFront's origin set
}

// scene holds the running account and what the narration counts.
type scene struct {
	w     io.Writer
	dist  *edge.Distribution
	abRun atomic.Int64 // Lambda@Edge invocations, counted by the function
}

// get sends the viewer's GET through the distribution, keeps a variant
// cookie the response sets, and prints one line: who, where, what cookie,
// what came back and whether the Lambda@Edge function ran.
func (s *scene) get(v *viewer, path, note string) *http.Response {
	r := httptest.NewRequest(http.MethodGet, path, nil)
	r.Header.Set("X-Forwarded-Proto", "https")
	r.Header.Set(edge.HeaderViewerRegion, v.region)
	if v.token != "" {
		r.Header.Set("Authorization", "Bearer "+v.token)
	}
	cookie := "-"
	if v.variant != "" {
		cookie = "variant=" + v.variant
		r.Header.Set("Cookie", cookie)
	}
	before := s.abRun.Load()
	rec := httptest.NewRecorder()
	s.dist.ServeHTTP(rec, r)
	resp := rec.Result()
	for _, c := range resp.Cookies() {
		if c.Name == "variant" {
			v.variant = c.Value
		}
	}
	ab := "    "
	if s.abRun.Load() > before {
		ab = "L@E "
	}
	xcache, _, _ := strings.Cut(resp.Header.Get("X-Cache"), " from ")
	age := ""
	if a := resp.Header.Get("Age"); a != "" {
		age = " age " + a
	}
	fmt.Fprintf(s.w, "  %-6s %-9s %-10s -> %d %-25s %s%s%s\n", v.name, resp.Header.Get("X-Amz-Cf-Pop"), cookie,
		resp.StatusCode, xcache+age, ab, strings.TrimSpace(rec.Body.String()), note)
	return resp
}

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	ctx := context.Background()
	start := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
	clk := clock.NewManual(start)
	// CloudFront Functions' compute budget is real CPU time on AWS; a
	// manual compute clock keeps a loaded machine from throttling them.
	cloud := minicloud.New(minicloud.Options{Clock: clk, ComputeClock: clk})
	defer cloud.Close()
	s := &scene{w: w}

	// The origin: an HTTP API whose route renders a variant of the page.
	var release, renders atomic.Int64
	release.Store(1)
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "render-home",
		Handler: lambda.Handler(renderHome(&release, &renders))}); err != nil {
		return err
	}
	api, err := cloud.APIs.CreateAPI(apigw.APIConfig{Name: "site", Kind: apigw.HTTP})
	if err != nil {
		return err
	}
	if err := api.Route("GET /{variant}/home", apigw.Route{Integration: apigw.LambdaProxy{Function: cloud.Lambda.Function("render-home")}}); err != nil {
		return err
	}
	stage, err := api.Deploy("$default")
	if err != nil {
		return err
	}

	// The edge functions: the A/B test is a published Lambda version, as
	// Lambda@Edge requires; the JWT check is a CloudFront Function.
	ab, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "ab-test", Publish: true,
		MemorySize: 128, Timeout: 5, Handler: lambda.Handler(abTest(&s.abRun))})
	if err != nil {
		return err
	}
	abAssoc, err := cloud.EdgeLambda(ctx, ab.FunctionArn, edge.EventOriginRequest, false)
	if err != nil {
		return err
	}
	jwt := &edge.Function{Name: "check-jwt", Handler: checkJWT(clk.Now)}

	created, err := cloud.Edge.CreateDistribution(ctx, &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "edge-auth-ab",
		Origins:         []edge.Origin{{Id: "site-api", DomainName: api.Endpoint(), Handler: stage}},
		DefaultCacheBehavior: edge.CacheBehavior{
			TargetOriginId:       "site-api",
			ViewerProtocolPolicy: edge.ViewerProtocolRedirectToHTTPS,
			CachePolicy: &edge.CachePolicy{Name: "by-variant", MinTTL: 0, DefaultTTL: 60, MaxTTL: 3600,
				CookiesConfig: edge.CookiesConfig{CookieBehavior: edge.BehaviorWhitelist, Cookies: []string{"variant"}}},
			OriginRequestPolicy: &edge.OriginRequestPolicy{Name: "user-id",
				HeadersConfig: edge.HeadersConfig{HeaderBehavior: edge.BehaviorWhitelist, Headers: []string{"X-User-Id"}}},
			FunctionAssociations:       []edge.FunctionAssociation{{EventType: edge.EventViewerRequest, Function: jwt}},
			LambdaFunctionAssociations: []edge.LambdaFunctionAssociation{abAssoc},
		},
	}})
	if err != nil {
		return err
	}
	s.dist = created.Distribution

	fmt.Fprintf(w, "CloudFront distribution %s in front of the HTTP API site\n", s.dist.DomainName)
	fmt.Fprintf(w, "(%s), whose route GET /{variant}/home is a Lambda\n", api.Endpoint())
	fmt.Fprintln(w, "proxy to the function render-home. On /home:")
	fmt.Fprintln(w, "  viewer request   CloudFront Function check-jwt: an HS256 token signed with the key in its")
	fmt.Fprintln(w, "                   code (it has no network), or 401; it passes the user on in X-User-Id")
	fmt.Fprintln(w, "  cache            key = path + the cookie variant; TTL from the origin's Cache-Control")
	fmt.Fprintln(w, "  origin request   Lambda@Edge ab-test, version "+ab.Version+": the variant from the cookie, or by a")
	fmt.Fprintln(w, "                   hash of X-User-Id when there is none; rewrites /home to /a/home or /b/home")
	fmt.Fprintln(w, "The origin request policy forwards X-User-Id to the origin without putting it in the cache key.")
	fmt.Fprintln(w, "Columns: viewer, edge location (X-Amz-Cf-Pop), cookie sent, status, X-Cache, L@E if ab-test ran, body.")

	now := clk.Now()
	alice := &viewer{name: "alice", region: "eu-central-1", token: signToken(signingKey, "alice", now.Add(5*time.Minute))}
	dave := &viewer{name: "dave", region: "eu-central-1", token: signToken(signingKey, "dave", now.Add(5*time.Minute))}
	bob := &viewer{name: "bob", region: "ap-northeast-1", token: signToken(signingKey, "bob", now.Add(5*time.Minute))}

	fmt.Fprintln(w, "\n1. Bad tokens are answered by the function at the edge location: no cache, no origin.")
	s.get(&viewer{name: "anon", region: "eu-central-1"}, "/home", "")
	s.get(&viewer{name: "mallet", region: "eu-central-1", token: signToken([]byte("a guessed key"), "alice", now.Add(time.Hour))}, "/home", "  (signed with another key)")
	s.get(&viewer{name: "alice", region: "eu-central-1", token: signToken(signingKey, "alice", now.Add(-time.Minute))}, "/home", "  (an old token)")
	fmt.Fprintf(w, "  origin requests: %d, ab-test invocations: %d\n", s.dist.Metrics().OriginRequests, s.abRun.Load())

	fmt.Fprintln(w, "\n2. alice (Frankfurt) arrives without a cookie. The key without a cookie misses; ab-test assigns")
	fmt.Fprintln(w, "   her variant by hash; the origin sets the cookie and marks the answer private, so this copy,")
	fmt.Fprintln(w, "   which is hers alone, is not cached. With the cookie, her variant's page is cached and shared:")
	s.get(alice, "/home", "")
	clk.Advance(time.Second)
	s.get(alice, "/home", "")
	clk.Advance(time.Second)
	s.get(alice, "/home", "")
	fmt.Fprintln(w, "   dave, also in Frankfurt, hashes to the same variant: after his first visit he is served")
	fmt.Fprintln(w, "   alice's cached copy (the page never names the user; the token is checked on every request):")
	clk.Advance(time.Second)
	s.get(dave, "/home", "")
	s.get(dave, "/home", "")

	fmt.Fprintln(w, "\n3. bob (Tokyo) meets another edge location, with a cache of its own, and variant A:")
	clk.Advance(time.Second)
	s.get(bob, "/home", "")
	s.get(bob, "/home", "")
	clk.Advance(2 * time.Second)
	s.get(bob, "/home", "")
	fmt.Fprintln(w, "   bob flies to Frankfurt: same cookie, but variant A was never cached there:")
	clk.Advance(time.Minute)
	bob.region = "eu-central-1"
	s.get(bob, "/home", "")
	s.get(bob, "/home", "")

	fmt.Fprintln(w, "\n4. Release 2 of the page ships. Cached copies are good for max-age=300 s, so viewers keep")
	fmt.Fprintln(w, "   getting release 1 until an invalidation of /home completes (30 s here) at every location:")
	release.Store(2)
	clk.Advance(time.Second)
	inv, err := cloud.Edge.CreateInvalidation(ctx, &edge.CreateInvalidationInput{DistributionId: s.dist.Id,
		InvalidationBatch: &edge.InvalidationBatch{CallerReference: "release-2", Paths: edge.Paths{Quantity: 1, Items: []string{"/home"}}}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s CreateInvalidation /home: %s\n", clk.Now().Format("15:04:05"), inv.Invalidation.Status)
	s.get(alice, "/home", "")
	clk.Advance(30 * time.Second)
	got, err := cloud.Edge.GetInvalidation(ctx, s.dist.Id, inv.Invalidation.Id)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "  %s the invalidation is %s\n", clk.Now().Format("15:04:05"), got.Status)
	s.get(alice, "/home", "")
	s.get(dave, "/home", "")
	s.get(bob, "/home", "")

	fmt.Fprintln(w, "\n5. At 09:05 the five-minute tokens expire. Release 2 is cached until 09:06:37, but the viewer")
	fmt.Fprintln(w, "   request runs before the cache, so an expired token never reaches it; a fresh one does:")
	clk.Set(start.Add(5 * time.Minute))
	s.get(alice, "/home", "")
	alice.token = signToken(signingKey, "alice", clk.Now().Add(5*time.Minute))
	s.get(alice, "/home", "  (signed in again)")

	m := s.dist.Metrics()
	fmt.Fprintln(w, "\nWhat the distribution's metrics say:")
	for _, l := range m.Locations {
		fmt.Fprintf(w, "  %-9s requests %2d  hits %d  misses %d  hit ratio %3.0f%%\n", l.Location, l.Requests, l.Hits, l.Misses, 100*l.HitRatio())
	}
	fmt.Fprintf(w, "  all       requests %2d  hits %d  misses %d  hit ratio %3.0f%% (401s from the function are not lookups)\n",
		m.Requests, m.Hits, m.Misses, 100*m.HitRatio())
	jwtM, abM := m.Function("check-jwt"), m.Function(abAssoc.LambdaFunctionARN)
	fmt.Fprintf(w, "  check-jwt ran %d times: on every request, hit or miss, with %d errors.\n", jwtM.Invocations, jwtM.Errors)
	fmt.Fprintf(w, "  ab-test ran %d times (it counted %d), render-home %d, origin requests %d: only on misses.\n",
		abM.Invocations, s.abRun.Load(), renders.Load(), m.OriginRequests)

	bill, err := cloud.Cost(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "\nThe account's bill for this run (free tiers applied), and CloudFront's part of it:")
	fmt.Fprintln(w, bill)
	fmt.Fprint(w, bill.CloudFront)
	return nil
}
