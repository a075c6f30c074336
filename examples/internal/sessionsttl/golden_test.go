package sessionsttl

import (
	"testing"

	"github.com/minicloud/minicloud/examples/internal/golden"
)

// TestRun_MatchesGolden runs the sessions-ttl example and compares its narration
// with testdata/sessions-ttl.golden (go test -update rewrites it).
func TestRun_MatchesGolden(t *testing.T) { golden.Check(t, "sessions-ttl", Run) }
