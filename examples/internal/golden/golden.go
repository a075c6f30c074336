// Package golden checks an example's narration against its golden file,
// so that every example stays deterministic and what it says stays true.
// Only tests import it; go test -update rewrites the files.
package golden

import (
	"bytes"
	"flag"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// Check runs run and compares what it writes with testdata/<name>.golden
// in the test's directory, rewriting the file first with -update.
func Check(t testing.TB, name string, run func(io.Writer) error) {
	t.Helper()
	var out bytes.Buffer
	if err := run(&out); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join("testdata", name+".golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, out.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), out.String()); diff != "" {
		t.Errorf("%s output differs from %s (-want +got):\n%s", name, file, diff)
	}
}
