// Command order-workflow runs an order fulfilment state machine with
// parallel steps, a retried payment, a human approval by task token and a
// compensating path, and prints the path each execution took.
//
//	go run ./examples/order-workflow
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/orderworkflow"
)

func main() {
	if err := orderworkflow.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "order-workflow:", err)
		os.Exit(1)
	}
}
