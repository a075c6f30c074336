// Command cost prints the bill of a day of simulated traffic on Lambda and
// DynamoDB, priced with AWS's published prices and free tier.
//
//	go run ./examples/cost
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/cost"
)

func main() {
	if err := cost.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "cost:", err)
		os.Exit(1)
	}
}
