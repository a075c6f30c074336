package stepfn

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestConformance_CoversEveryStateOperatorIntrinsicAndError checks that
// the conformance suite exercises every state type, Choice operator,
// intrinsic function and predefined error the package implements.
func TestConformance_CoversEveryStateOperatorIntrinsicAndError(t *testing.T) {
	files, _ := filepath.Glob("testdata/conformance/*.json")
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	text := all.String()
	var want []string
	for typ := range stateFields {
		want = append(want, `"Type": "`+typ+`"`)
	}
	for op := range choiceOperators {
		want = append(want, `"`+op+`"`)
		if _, byPath, ok := operatorOf(op + "Path"); ok && byPath {
			want = append(want, `"`+op+`Path"`)
		}
	}
	for _, op := range []string{"And", "Or", "Not", "Default"} {
		want = append(want, `"`+op+`"`)
	}
	for fn := range intrinsicArity {
		want = append(want, fn+"(")
	}
	for _, e := range []string{ErrorAll, ErrorTimeout, ErrorHeartbeatTimeout, ErrorTaskFailed, ErrorRuntime, ErrorDataLimitExceeded,
		ErrorResultPathMatchFailure, ErrorNoChoiceMatched, ErrorIntrinsicFailure, ErrorExceedToleratedFailureThreshold} {
		want = append(want, `"`+e+`"`)
	}
	want = append(want, []string{"IntervalSeconds", "MaxAttempts", "BackoffRate", "MaxDelaySeconds", "JitterStrategy", "ResultPath", "InputPath", "OutputPath",
		"ResultSelector", "Parameters", "ItemSelector", "ItemsPath", "MaxConcurrency", "MaxConcurrencyPath", "ItemBatcher", "ToleratedFailureCount",
		"ToleratedFailurePercentage", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
		"ErrorPath", "CausePath", "Iterator", "ItemProcessor", "$$.Map.Item.Index", "$$.Execution.Id"}...)
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("no conformance case uses %s", w)
		}
	}
}
