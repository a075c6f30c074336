package edgeauthab

import (
	"testing"

	"github.com/minicloud/minicloud/examples/internal/golden"
)

// TestRun_MatchesGolden runs the edge-auth-ab example and compares its narration
// with testdata/edge-auth-ab.golden (go test -update rewrites it).
func TestRun_MatchesGolden(t *testing.T) { golden.Check(t, "edge-auth-ab", Run) }
