package main

import (
	"testing"

	"github.com/minicloud/minicloud/examples/internal/golden"
)

// TestTour runs the whole tour and compares its narration with
// testdata/tour.golden (go test -update rewrites it), so the tour stays
// deterministic and true.
func TestTour(t *testing.T) { golden.Check(t, "tour", run) }
