// Command fit-check asks whether Lambda is a fit for jobs of every size,
// and says which limits the misfits break and where they can go instead.
//
//	go run ./examples/fit-check
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/fitcheck"
)

func main() {
	if err := fitcheck.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fit-check:", err)
		os.Exit(1)
	}
}
