package awserr_test

import (
	"errors"
	"fmt"

	"github.com/minicloud/minicloud/internal/awserr"
)

// A service exports a sentinel per error code; a failed call returns a
// copy with AWS's message, which matches the sentinel under errors.Is and
// gives its code, message and status through errors.As.
func Example() {
	errNotFound := awserr.New("ResourceNotFoundException", 400, "")
	err := fmt.Errorf("loading: %w", errNotFound.Newf("Requested resource not found: Table: %s not found", "orders"))

	fmt.Println(errors.Is(err, errNotFound))
	var e *awserr.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.StatusCode)
		fmt.Println(e.Message)
	}
	fmt.Println(awserr.Code(err))
	// Output:
	// true
	// ResourceNotFoundException 400
	// Requested resource not found: Table: orders not found
	// ResourceNotFoundException
}
