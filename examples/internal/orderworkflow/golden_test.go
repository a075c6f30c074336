package orderworkflow

import (
	"testing"

	"github.com/minicloud/minicloud/examples/internal/golden"
)

// TestRun_MatchesGolden runs the order-workflow example and compares its narration
// with testdata/order-workflow.golden (go test -update rewrites it).
func TestRun_MatchesGolden(t *testing.T) { golden.Check(t, "order-workflow", Run) }
