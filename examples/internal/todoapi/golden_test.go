package todoapi

import (
	"testing"

	"github.com/minicloud/minicloud/examples/internal/golden"
)

// TestRun_MatchesGolden runs the todo-api example and compares its narration
// with testdata/todo-api.golden (go test -update rewrites it).
func TestRun_MatchesGolden(t *testing.T) { golden.Check(t, "todo-api", Run) }
