package edge_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
)

func serve(d http.Handler, method, target string, hdr ...string) *httptest.ResponseRecorder {
	r := httptest.NewRequest(method, target, nil)
	for i := 0; i < len(hdr); i += 2 {
		r.Header.Set(hdr[i], hdr[i+1])
	}
	w := httptest.NewRecorder()
	d.ServeHTTP(w, r)
	return w
}

// A CloudFront Function on viewer request answers bots itself and sends
// the rest on with a rewritten URI; its event and result are
// cloudfront-js-2.0's.
func ExampleFunction() {
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	// The compute budget is wall time; a stopped compute clock keeps a
	// loaded test machine from throttling the function.
	cf := edge.New(edge.Options{Clock: c, ComputeClock: c})
	defer cf.Close()
	fn := &edge.Function{Name: "gate", Handler: func(e *edge.FunctionEvent) (edge.FunctionOutput, error) {
		if ua, _ := e.Request.Headers.Get("user-agent"); strings.Contains(ua, "BadBot") {
			return &edge.FunctionResponse{StatusCode: 403, StatusDescription: "Forbidden"}, nil
		}
		if strings.HasSuffix(e.Request.URI, "/") {
			e.Request.URI += "index.html"
		}
		return e.Request, nil
	}}
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "origin served ", r.URL.Path) })
	out, _ := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "gate",
		Origins:         []edge.Origin{{Id: "site", Handler: origin}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "site",
			FunctionAssociations: []edge.FunctionAssociation{{EventType: edge.EventViewerRequest, Function: fn}}},
	}})
	w := serve(out.Distribution, "GET", "/docs/", "User-Agent", "Mozilla/5.0")
	fmt.Println(w.Code, w.Body.String())
	w = serve(out.Distribution, "GET", "/docs/", "User-Agent", "BadBot/2.0")
	fmt.Println(w.Code, w.Header().Get("X-Cache"))
	// Output:
	// 200 origin served /docs/index.html
	// 403 FunctionGeneratedResponse from cloudfront
}

// A Lambda@Edge function on origin request: it runs only on cache misses,
// gets the event AWS documents, and here adds a header for the origin.
func ExampleLambdaFunctionAssociation() {
	cf := edge.New(edge.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	defer cf.Close()
	invocations := 0
	fn := edge.InvokerFunc(func(ctx context.Context, payload []byte) ([]byte, error) {
		invocations++
		var ev edge.LambdaEdgeEvent
		if err := json.Unmarshal(payload, &ev); err != nil {
			return nil, err
		}
		req := ev.Records[0].CF.Request
		req.Headers.Set("X-Origin-Verify", "edge-"+string(ev.Records[0].CF.Config.EventType))
		return json.Marshal(req)
	})
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		fmt.Fprint(w, r.Header.Get("X-Origin-Verify"))
	})
	out, err := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "verify",
		Origins:         []edge.Origin{{Id: "api", Handler: origin}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "api",
			LambdaFunctionAssociations: []edge.LambdaFunctionAssociation{{EventType: edge.EventOriginRequest,
				LambdaFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:verify:7", Function: fn}}},
	}})
	if err != nil {
		panic(err)
	}
	for range 3 {
		w := serve(out.Distribution, "GET", "/items")
		fmt.Println(w.Header().Get("X-Cache"), w.Body.String())
	}
	fmt.Println("invocations:", invocations)

	// Lambda@Edge refuses $LATEST.
	err = edge.ValidateLambdaFunctionAssociation(edge.LambdaFunctionAssociation{EventType: edge.EventViewerRequest,
		LambdaFunctionARN: "arn:aws:lambda:us-east-1:123456789012:function:verify:$LATEST", Function: fn}, edge.Limits{})
	fmt.Println(err)
	// Output:
	// Miss from cloudfront edge-origin-request
	// Hit from cloudfront edge-origin-request
	// Hit from cloudfront edge-origin-request
	// invocations: 1
	// InvalidLambdaFunctionAssociation: The function ARN must reference a specific function version. (The ARN must end with the version number.) ARN: arn:aws:lambda:us-east-1:123456789012:function:verify:$LATEST
}

// An invalidation takes effect at every edge location when it completes.
func ExampleService_CreateInvalidation() {
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	cf := edge.New(edge.Options{Clock: c, InvalidationTime: 45 * time.Second})
	defer cf.Close()
	version := "v1"
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=86400")
		fmt.Fprint(w, version)
	})
	out, _ := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "assets", Origins: []edge.Origin{{Id: "s3", Handler: origin}}, DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "s3"}}})
	d := out.Distribution
	fmt.Println(serve(d, "GET", "/app.js").Body.String())
	version = "v2"
	inv, _ := cf.CreateInvalidation(context.Background(), &edge.CreateInvalidationInput{DistributionId: d.Id,
		InvalidationBatch: &edge.InvalidationBatch{CallerReference: "deploy-2", Paths: edge.Paths{Quantity: 1, Items: []string{"/*"}}}})
	fmt.Println(inv.Invalidation.Status, serve(d, "GET", "/app.js").Body.String())
	c.Advance(45 * time.Second)
	got, _ := cf.GetInvalidation(context.Background(), d.Id, inv.Invalidation.Id)
	fmt.Println(got.Status, serve(d, "GET", "/app.js").Body.String())
	// Output:
	// v1
	// InProgress v1
	// Completed v2
}

// The cost meter prices what a distribution served with CloudFront's
// public prices, after the always-free tier.
func ExampleService_Cost() {
	cf := edge.New(edge.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)),
		Prices: func() edge.Prices { p := edge.DefaultPrices(); p.FreeRequests = 0; p.FreeDataOutBytes = 0; return p }()})
	defer cf.Close()
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write(make([]byte, 1<<20)) })
	out, _ := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "cost", Origins: []edge.Origin{{Id: "o", Handler: origin}}, DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "o"}}})
	for range 100 {
		r := httptest.NewRequest("GET", "https://example.com/big", nil)
		r.Header.Set("X-Forwarded-Proto", "https")
		r.Header.Set(edge.HeaderViewerRegion, "eu-west-1")
		out.Distribution.ServeHTTP(discard{http.Header{}}, r)
	}
	cost := cf.Cost()
	for _, l := range cost.Lines {
		fmt.Printf("%s: %.0f %s, $%.4f\n", l.Item, l.Quantity, l.Unit, l.USD)
	}
	// Output:
	// HTTPS requests, Europe, Israel, and Türkiye: 100 requests, $0.0001
	// Data transfer out, Europe, Israel, and Türkiye: 104882393 bytes, $0.0083
}

// discard is a ResponseWriter that drops the body.
type discard struct{ h http.Header }

func (d discard) Header() http.Header         { return d.h }
func (d discard) Write(p []byte) (int, error) { return len(p), nil }
func (d discard) WriteHeader(int)             {}
