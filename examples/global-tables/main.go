// Command global-tables runs a DynamoDB global table across us-east-1 and
// ap-southeast-2, in-process: replication on the clock, two conflicting
// writes converging by last writer wins, a delete replicating and the
// replicated writes in the receiving Region's stream; then a DAX cluster
// taking a hot key's reads off the us-east-1 table.
//
//	go run ./examples/global-tables
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/globaltables"
)

func main() {
	if err := globaltables.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "global-tables:", err)
		os.Exit(1)
	}
}
