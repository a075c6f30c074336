// Command edge-auth-ab runs CloudFront in front of an API Gateway HTTP
// API, all in-process: a CloudFront Function that validates a JWT at the
// viewer request, a Lambda@Edge A/B test at the origin request, the cache
// hit ratio per edge location, an invalidation and the bill.
//
//	go run ./examples/edge-auth-ab
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/edgeauthab"
)

func main() {
	if err := edgeauthab.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "edge-auth-ab:", err)
		os.Exit(1)
	}
}
