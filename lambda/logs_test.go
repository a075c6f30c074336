package lambda

import (
	"context"
	"log/slog"
	"regexp"
	"testing"
	"time"
)

func TestLogs_StartEndReportLines(t *testing.T) {
	buf := &logBuffer{}
	s, c := newTestService(t, Options{Logger: slog.New(buf), ColdStart: 120 * time.Millisecond})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", MemorySize: 512, Timeout: 10, Handler: Handler(func(ctx context.Context) error {
		return c.Sleep(ctx, 1500*time.Microsecond)
	})})
	done := make(chan struct{})
	go func() { invoke(t, s, &InvokeInput{FunctionName: "f"}); close(done) }()
	waitFor(t, c, 1)
	c.Advance(120 * time.Millisecond) // cold start
	waitFor(t, c, 2)                  // the handler's sleep and the deadline
	c.Advance(1500 * time.Microsecond)
	<-done
	start := buf.find("START ")
	end := buf.find("END ")
	rep := buf.find("REPORT ")
	if len(start) != 1 || len(end) != 1 || len(rep) != 1 {
		t.Fatalf("lines:\n%s", buf.text())
	}
	id := `[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}`
	for line, pattern := range map[string]string{
		start[0]: `^START RequestId: ` + id + ` Version: \$LATEST$`,
		end[0]:   `^END RequestId: ` + id + `$`,
		rep[0]:   `^REPORT RequestId: ` + id + "\tDuration: 1\\.50 ms\tBilled Duration: 122 ms\tMemory Size: 512 MB\tMax Memory Used: [0-9]+ MB\tInit Duration: 120\\.00 ms\t$",
	} {
		if !regexp.MustCompile(pattern).MatchString(line) {
			t.Errorf("%q does not match %s", line, pattern)
		}
	}
}

func TestLogs_BilledDurationRoundsUpToTheMillisecond(t *testing.T) {
	for _, tc := range []struct{ d, want time.Duration }{
		{0, time.Millisecond},
		{time.Microsecond, time.Millisecond},
		{time.Millisecond, time.Millisecond},
		{1001 * time.Microsecond, 2 * time.Millisecond},
		{3 * time.Second, 3 * time.Second},
	} {
		if got := billedDuration(tc.d); got != tc.want {
			t.Errorf("billedDuration(%v) = %v, want %v", tc.d, got, tc.want)
		}
	}
}

func TestLogs_ErrorsAreLogged(t *testing.T) {
	buf := &logBuffer{}
	s, _ := newTestService(t, Options{Logger: slog.New(buf)})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func() { panic("kaput") })})
	invoke(t, s, &InvokeInput{FunctionName: "f"})
	if len(buf.find(`{"errorMessage":"kaput","errorType":"string"`)) != 1 || len(buf.find("RequestId: ")) != 1 {
		t.Fatalf("log:\n%s", buf.text())
	}
	if rep := buf.find("REPORT "); len(rep) != 1 || !regexp.MustCompile("\tStatus: error\t$").MatchString(rep[0]) {
		t.Fatalf("REPORT = %v", rep)
	}
}
