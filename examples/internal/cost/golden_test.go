package cost

import (
	"testing"

	"github.com/minicloud/minicloud/examples/internal/golden"
)

// TestRun_MatchesGolden runs the cost example and compares its narration
// with testdata/cost.golden (go test -update rewrites it).
func TestRun_MatchesGolden(t *testing.T) { golden.Check(t, "cost", Run) }
