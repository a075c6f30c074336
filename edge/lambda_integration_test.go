package edge_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/lambda"
)

// A published version of a minicloud Lambda function is a Lambda@Edge
// function: *lambda.Function is an edge.Invoker, and the Go handler takes
// edge.LambdaEdgeEvent as a Node.js function takes its event.
func TestLambdaEdge_RunsAMinicloudLambdaVersion(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	fns := lambda.New(lambda.Options{Clock: c})
	defer fns.Close()
	handler := func(ctx context.Context, ev edge.LambdaEdgeEvent) (*edge.LambdaEdgeRequest, error) {
		req := ev.Records[0].CF.Request
		req.Headers.Set("X-Handled-By", "lambda-at-edge "+string(ev.Records[0].CF.Config.EventType))
		return req, nil
	}
	if _, err := fns.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "edge-auth", Handler: lambda.Handler(handler), Publish: true}); err != nil {
		t.Fatal(err)
	}
	version, err := fns.GetFunctionConfiguration(ctx, &lambda.GetFunctionInput{FunctionName: "edge-auth", Qualifier: "1"})
	if err != nil {
		t.Fatal(err)
	}
	cf := edge.New(edge.Options{Clock: c})
	defer cf.Close()
	var seen string
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { seen = r.Header.Get("X-Handled-By") })
	assoc := edge.LambdaFunctionAssociation{EventType: edge.EventOriginRequest, LambdaFunctionARN: version.FunctionArn,
		Function: fns.Function(version.FunctionArn), Config: &edge.LambdaFunctionConfig{MemorySize: version.MemorySize, Timeout: version.Timeout}}
	out, err := cf.CreateDistribution(ctx, &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{CallerReference: "l",
		Origins:              []edge.Origin{{Id: "o", Handler: origin}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "o", LambdaFunctionAssociations: []edge.LambdaFunctionAssociation{assoc}}}})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	out.Distribution.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if w.Code != 200 || seen != "lambda-at-edge origin-request" {
		t.Fatalf("status %d, origin saw X-Handled-By %q", w.Code, seen)
	}

	// $LATEST is refused, as CloudFront refuses it; so is Lambda's Go
	// runtime when the configuration says so.
	latest := assoc
	latest.LambdaFunctionARN = strings.TrimSuffix(version.FunctionArn, ":1") + ":$LATEST"
	if err := edge.ValidateLambdaFunctionAssociation(latest, edge.Limits{}); err == nil {
		t.Error("$LATEST accepted")
	}
	goRuntime := assoc
	goRuntime.Config = &edge.LambdaFunctionConfig{Runtime: version.Runtime}
	if err := edge.ValidateLambdaFunctionAssociation(goRuntime, edge.Limits{}); err == nil {
		t.Errorf("runtime %q accepted", version.Runtime)
	}
}
