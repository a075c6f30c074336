// Command tour runs a short, narrated tour of what minicloud simulates so
// far, each part under its own heading. Run it with:
//
//	go run ./examples/tour
package main

import (
	"fmt"
	"io"
	"os"

	"github.com/minicloud/minicloud/examples/internal/cost"
	"github.com/minicloud/minicloud/examples/internal/edgeauthab"
	"github.com/minicloud/minicloud/examples/internal/fitcheck"
	"github.com/minicloud/minicloud/examples/internal/globaltables"
	"github.com/minicloud/minicloud/examples/internal/orderworkflow"
	"github.com/minicloud/minicloud/examples/internal/sessionsttl"
	"github.com/minicloud/minicloud/examples/internal/todoapi"
	"github.com/minicloud/minicloud/examples/internal/welcomeemail"
)

// stop is one stop of the tour: a heading and the code that narrates it.
type stop struct {
	title string
	run   func(w io.Writer) error
}

var stops = []stop{
	{"Time is a dependency: clock.Manual", tourClock},
	{"DynamoDB: exact numbers, conditional writes, Query pages", tourDynamo},
	{"DynamoDB Streams and Time to Live", tourStreams},
	{"A welcome email from a DynamoDB stream (go run ./examples/welcome-email)", welcomeemail.Run},
	{"Sessions that expire: Time to Live (go run ./examples/sessions-ttl)", sessionsttl.Run},
	{"Global tables across two Regions, and DAX on a hot key (go run ./examples/global-tables)", globaltables.Run},
	{"Lambda: handlers, throttling, cost", tourLambda},
	{"Is Lambda a fit? (go run ./examples/fit-check)", fitcheck.Run},
	{"A to-do API: API Gateway, Lambda, DynamoDB (go run ./examples/todo-api)", todoapi.Run},
	{"CloudFront in front of the API: a JWT at the edge, an A/B test, the cache (go run ./examples/edge-auth-ab)", edgeauthab.Run},
	{"Step Functions: a week-long workflow in no time", tourStepFunctions},
	{"Step Functions in JSONata, with variables", tourJSONata},
	{"Order fulfilment with a human approval (go run ./examples/order-workflow)", orderworkflow.Run},
	{"What a day of traffic costs (go run ./examples/cost)", cost.Run},
}

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}

func run(w io.Writer) error {
	fmt.Fprintln(w, "minicloud: AWS serverless, simulated in-process.")
	for i, s := range stops {
		fmt.Fprintf(w, "\n== %d. %s\n\n", i+1, s.title)
		if err := s.run(w); err != nil {
			return fmt.Errorf("%s: %w", s.title, err)
		}
	}
	fmt.Fprintln(w, "\nRead more: go doc github.com/minicloud/minicloud, and docs/ in the repository.")
	return nil
}
