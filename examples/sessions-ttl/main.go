// Command sessions-ttl shows web sessions expiring through DynamoDB's Time
// to Live: an expired session stays readable until the background deletion
// runs, so readers filter on the expiry themselves.
//
//	go run ./examples/sessions-ttl
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/sessionsttl"
)

func main() {
	if err := sessionsttl.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "sessions-ttl:", err)
		os.Exit(1)
	}
}
