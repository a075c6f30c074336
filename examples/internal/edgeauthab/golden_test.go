package edgeauthab

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite testdata/edge-auth-ab.golden")

// TestRun_MatchesGolden runs the edge-auth-ab example and compares its
// narration with testdata/edge-auth-ab.golden, so that the example stays
// deterministic and what it says stays true. Regenerate with go test
// -update.
func TestRun_MatchesGolden(t *testing.T) {
	var out bytes.Buffer
	if err := Run(&out); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "edge-auth-ab.golden")
	if *update {
		if err := os.WriteFile(golden, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("edge-auth-ab output differs from %s (-want +got):\n%s", golden, diff)
	}
}
