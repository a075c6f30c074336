package welcomeemail

import (
	"fmt"
	"io"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/examples/internal/golden"
	"github.com/minicloud/minicloud/lambda"
)

// TestRun_MatchesGolden runs the welcome-email example and compares its
// narration with testdata/welcome-email.golden (go test -update rewrites
// it).
func TestRun_MatchesGolden(t *testing.T) { golden.Check(t, "welcome-email", Run) }

// TestRun_BisectsToThePoisonedRecordAndWelcomesTheRestOnce checks the
// stream semantics the narration claims, independently of its wording.
func TestRun_BisectsToThePoisonedRecordAndWelcomesTheRestOnce(t *testing.T) {
	out, err := run(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	// Batches follow the stream's order: a lone record after the window,
	// a full batch at once and the rest after the window, then the
	// poisoned batch halved until mal is alone, mal tried once and
	// retried MaximumRetryAttempts times, and only then what follows it.
	want := [][]string{
		{"ann"},
		{"bob", "cy", "dee", "eve"}, {"fay"},
		{"gus", "hal", "mal", "ivy"}, {"gus", "hal"}, {"mal", "ivy"},
		{"mal"}, {"mal"}, {"mal"}, {"ivy"},
		{"kim"},
	}
	if diff := cmp.Diff(want, out.batches); diff != "" {
		t.Errorf("batches (-want +got):\n%s", diff)
	}
	wantFailed := []bool{false, false, false, true, false, true, true, true, true, false, false}
	if diff := cmp.Diff(wantFailed, out.failed); diff != "" {
		t.Errorf("failed invocations (-want +got):\n%s", diff)
	}
	for _, name := range []string{"ann", "bob", "cy", "dee", "eve", "fay", "gus", "hal", "ivy", "kim"} {
		if out.mails[name] != 1 {
			t.Errorf("%s got %d welcome mails, want exactly 1", name, out.mails[name])
		}
	}
	if out.mails["mal"] != 0 {
		t.Errorf("mal got %d mails, want none", out.mails["mal"])
	}
	// gus and hal were mailed before mal failed their batch, so the
	// retried half reached them again: at-least-once delivery.
	for name, want := range map[string]int{"gus": 2, "hal": 2, "ivy": 1, "kim": 1, "mal": 5} {
		if out.reached[name] != want {
			t.Errorf("the function got to %s %d times, want %d", name, out.reached[name], want)
		}
	}
	f := out.failure
	if f == nil {
		t.Fatal("no on-failure record")
	}
	got := fmt.Sprintf("%s %d %d %s", f.RequestContext.Condition, f.RequestContext.ApproximateInvokeCount,
		f.DDBStreamBatchInfo.BatchSize, out.failedUser)
	if want := fmt.Sprintf("%s %d 1 mal", lambda.ConditionRetryAttemptsExhausted, maxRetries+1); got != want {
		t.Errorf("on-failure record: got %q, want %q", got, want)
	}
	if f.DDBStreamBatchInfo.StartSequenceNumber != f.DDBStreamBatchInfo.EndSequenceNumber {
		t.Errorf("on-failure record spans %s to %s, want mal's record alone", f.DDBStreamBatchInfo.StartSequenceNumber, f.DDBStreamBatchInfo.EndSequenceNumber)
	}
}
