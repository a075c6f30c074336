// Package fitcheck is the fit-check scenario: is Lambda a fit for a job?
// It asks lambda.Check about jobs of every size and prints the answers,
// with the limits each breaks and where the rest can go.
package fitcheck

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/minicloud/minicloud/lambda"
)

const (
	mb = int64(1) << 20
	gb = int64(1) << 30
)

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	jobs := []struct {
		what string
		job  lambda.Workload
	}{
		{"an API handler: 512 MB, 200 ms, a 5 MB package", lambda.Workload{MemoryMB: 512, Duration: 200 * time.Millisecond, PackageSize: 5 * mb}},
		{"a nightly report: 3 GB, 14 minutes, a 2 GB scratch file", lambda.Workload{MemoryMB: 3072, Duration: 14 * time.Minute, FileSize: 2 * gb}},
		{"the seed's job: 30 GB, 30 minutes, a 3 GB file", lambda.Workload{MemoryMB: 30 * 1024, Duration: 30 * time.Minute, FileSize: 3 * gb}},
		{"an export that answers 8 MB synchronously", lambda.Workload{MemoryMB: 1024, Duration: time.Second, ResponsePayload: 8 * mb}},
		{"a machine-learning model in a 400 MB unzipped package", lambda.Workload{MemoryMB: 4096, Duration: 5 * time.Second, UnzippedSize: 400 * mb}},
	}
	for i, j := range jobs {
		if i > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "%s?\n", j.what)
		for _, line := range strings.Split(strings.TrimRight(lambda.Check(j.job).String(), "\n"), "\n") {
			fmt.Fprintln(w, "  "+line)
		}
	}
	return nil
}
