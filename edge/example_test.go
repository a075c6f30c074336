package edge_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/edge"
)

// A distribution in front of an origin handler: the first request misses,
// the second is a hit with its Age, and the object expires with its
// max-age on the clock.
func Example() {
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	cf := edge.New(edge.Options{Clock: c})
	defer cf.Close()
	origin := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=300")
		io.WriteString(w, "hello from the origin")
	})
	out, err := cf.CreateDistribution(context.Background(), &edge.CreateDistributionInput{DistributionConfig: &edge.DistributionConfig{
		CallerReference:      "site",
		Origins:              []edge.Origin{{Id: "web", Handler: origin}},
		DefaultCacheBehavior: edge.CacheBehavior{TargetOriginId: "web", ViewerProtocolPolicy: edge.ViewerProtocolRedirectToHTTPS},
	}})
	if err != nil {
		panic(err)
	}
	d := out.Distribution
	show := func() {
		r := httptest.NewRequest("GET", "https://www.example.com/index.html", nil)
		r.Header.Set(edge.HeaderViewerRegion, "ap-northeast-1")
		w := httptest.NewRecorder()
		d.ServeHTTP(w, r)
		fmt.Printf("%d %q pop=%s age=%q\n", w.Code, w.Header().Get("X-Cache"), w.Header().Get("X-Amz-Cf-Pop"), w.Header().Get("Age"))
	}
	show()
	c.Advance(2 * time.Minute)
	show()
	c.Advance(4 * time.Minute)
	show()
	fmt.Printf("hit ratio %.2f\n", d.Metrics().HitRatio())
	// Output:
	// 200 "Miss from cloudfront" pop=NRT57-P2 age=""
	// 200 "Hit from cloudfront" pop=NRT57-P2 age="120"
	// 200 "Miss from cloudfront" pop=NRT57-P2 age=""
	// hit ratio 0.33
}
