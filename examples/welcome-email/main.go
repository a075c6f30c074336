// Command welcome-email shows a new user row reaching a Lambda function
// through a DynamoDB stream: batches in record order, the batching window,
// a poisoned record that fails its batch, bisection until it is alone,
// retries and the on-failure destination, a shard that waits behind it,
// and at-least-once delivery met by an idempotent function.
//
//	go run ./examples/welcome-email
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/welcomeemail"
)

func main() {
	if err := welcomeemail.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "welcome-email:", err)
		os.Exit(1)
	}
}
