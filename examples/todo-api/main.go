// Command todo-api runs a to-do API on API Gateway, Lambda and DynamoDB,
// all in-process: an API key and a usage plan that throttles, and a
// conditional write that prevents lost updates.
//
//	go run ./examples/todo-api
package main

import (
	"fmt"
	"os"

	"github.com/minicloud/minicloud/examples/internal/todoapi"
)

func main() {
	if err := todoapi.Run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "todo-api:", err)
		os.Exit(1)
	}
}
