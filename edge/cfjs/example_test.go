package cfjs_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/edge/cfjs"
)

// A CloudFront Function file, as deployed, attached to a distribution and
// tested through HTTP: it reads a redirect table from the KeyValueStore.
func Example() {
	const source = `
import cf from 'cloudfront';
const kvs = cf.kvs();

async function handler(event) {
    const request = event.request;
    if (await kvs.exists(request.uri)) {
        const target = await kvs.get(request.uri);
        return { statusCode: 302, statusDescription: 'Found', headers: { location: { value: target } } };
    }
    return request;
}`
	fn, err := cfjs.New("redirects", source, cfjs.Options{KeyValueStore: cfjs.KeyValueStore{"/promo": "/sale/winter"}})
	if err != nil {
		panic(err)
	}
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	cf := edge.New(edge.Options{Clock: c, ComputeClock: c})
	defer cf.Close()
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "page "+r.URL.Path) })
	out, err := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference: "shop", Origins: []edge.Origin{{Id: "web", Handler: origin}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "web",
			FunctionAssociations: []edge.FunctionAssociation{{EventType: edge.EventViewerRequest, Function: fn}}}}})
	if err != nil {
		panic(err)
	}
	for _, path := range []string{"/promo", "/about"} {
		w := httptest.NewRecorder()
		out.Distribution.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
		fmt.Printf("%s %d location=%q body=%q\n", path, w.Code, w.Header().Get("Location"), w.Body.String())
	}
	// Output:
	// /promo 302 location="/sale/winter" body=""
	// /about 200 location="" body="page /about"
}
