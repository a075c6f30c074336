package golden

import (
	"fmt"
	"io"
	"os"
	"testing"
)

// fakeT records failures instead of stopping the test.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Errorf(string, ...any) { f.failed = true }
func (f *fakeT) Fatal(...any)          { f.failed = true }

func TestCheck_FailsOnADifference(t *testing.T) {
	dir := t.TempDir()
	wd, _ := os.Getwd()
	if err := os.Chdir(dir); err != nil {
		t.Fatal(err)
	}
	defer os.Chdir(wd)
	if err := os.MkdirAll("testdata", 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile("testdata/x.golden", []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	say := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := fmt.Fprintln(w, s); return err }
	}
	ok := &fakeT{TB: t}
	Check(ok, "x", say("hello"))
	if ok.failed {
		t.Error("the same output failed")
	}
	bad := &fakeT{TB: t}
	Check(bad, "x", say("goodbye"))
	if !bad.failed {
		t.Error("a different output passed")
	}
}
