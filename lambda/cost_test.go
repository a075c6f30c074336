package lambda

import (
	"context"
	"math"
	"strings"
	"testing"
	"time"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9*math.Max(1, math.Abs(b)) }

func TestCost_EstimateAppliesFreeTierAndTiers(t *testing.T) {
	p := DefaultPrices()
	for _, tc := range []struct {
		name string
		u    Usage
		want Bill
	}{
		{"inside the free tier", Usage{Requests: 1_000_000, X86GBSeconds: 400_000},
			Bill{FreeRequests: 1_000_000, FreeGBSeconds: 400_000}},
		// 3M requests of 512 MB for 1 s on x86: the AWS pricing page's
		// arithmetic: 1.5M GB-s - 400K free = 1.1M GB-s * $0.0000166667.
		{"3M requests 512MB 1s", Usage{Requests: 3_000_000, X86GBSeconds: 1_500_000},
			Bill{FreeRequests: 1_000_000, FreeGBSeconds: 400_000, RequestCost: 0.40, ComputeCost: 1_100_000 * 0.0000166667}},
		{"arm64 cheaper", Usage{Requests: 1_000_000, Arm64GBSeconds: 1_400_000},
			Bill{FreeRequests: 1_000_000, FreeGBSeconds: 400_000, ComputeCost: 1_000_000 * 0.0000133334}},
		{"second tier", Usage{X86GBSeconds: 7e9},
			Bill{FreeGBSeconds: 400_000, ComputeCost: (6e9-400_000)*0.0000166667 + 1e9*0.000015}},
		{"free tier shared x86 first", Usage{X86GBSeconds: 100_000, Arm64GBSeconds: 500_000},
			Bill{FreeGBSeconds: 400_000, ComputeCost: 200_000 * 0.0000133334}},
		{"storage", Usage{EphemeralGBSeconds: 1e6}, Bill{StorageCost: 1e6 * 0.0000000309}},
	} {
		b := p.Estimate(tc.u)
		if b.FreeRequests != tc.want.FreeRequests || !near(b.FreeGBSeconds, tc.want.FreeGBSeconds) || !near(b.RequestCost, tc.want.RequestCost) ||
			!near(b.ComputeCost, tc.want.ComputeCost) || !near(b.StorageCost, tc.want.StorageCost) ||
			!near(b.Total, tc.want.RequestCost+tc.want.ComputeCost+tc.want.StorageCost) {
			t.Errorf("%s: %s", tc.name, b)
		}
	}
	if !strings.Contains(p.Source, "aws.amazon.com/lambda/pricing") {
		t.Errorf("source = %q", p.Source)
	}
}

func TestCost_MeterCountsBilledGBSeconds(t *testing.T) {
	s, c := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "x86", MemorySize: 1024, Timeout: 60, EphemeralStorage: &EphemeralStorage{Size: 1536},
		Handler: Handler(func(ctx context.Context) error { return c.Sleep(ctx, 2*time.Second) })})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "arm", MemorySize: 2048, Architectures: []string{"arm64"}, Handler: Handler(echo)})
	done := make(chan struct{})
	go func() { invoke(t, s, &InvokeInput{FunctionName: "x86"}); close(done) }()
	waitFor(t, c, 2)
	c.Advance(2 * time.Second)
	<-done
	invoke(t, s, &InvokeInput{FunctionName: "arm"}) // 0 ms on the manual clock: billed 1 ms
	u := s.Usage()
	if u.Requests != 2 || !near(u.X86GBSeconds, 2) || !near(u.Arm64GBSeconds, 2.0*0.001) || !near(u.EphemeralGBSeconds, 2) {
		t.Fatalf("usage = %+v", u)
	}
	// requests and compute are free; /tmp above 512 MB is not
	if b := s.Cost(); b.RequestCost != 0 || b.ComputeCost != 0 || !near(b.Total, 2*0.0000000309) || b.FreeRequests != 2 {
		t.Fatalf("bill = %s", b)
	}
	custom := DefaultPrices()
	custom.FreeRequests, custom.FreeGBSeconds = 0, 0
	s2, _ := newTestService(t, Options{Prices: &custom})
	mustCreate(t, s2, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	invoke(t, s2, &InvokeInput{FunctionName: "f"})
	if b := s2.Cost(); !near(b.RequestCost, 0.2/1e6) || !near(b.ComputeCost, 0.125*0.001*0.0000166667) {
		t.Fatalf("bill = %s", b)
	}
}

func TestMetrics_DurationsAndErrors(t *testing.T) {
	s, c := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context, d int) error {
		if d < 0 {
			panic("negative")
		}
		return c.Sleep(ctx, time.Duration(d)*time.Millisecond)
	})})
	for _, d := range []int{10, 30} {
		done := make(chan struct{})
		go func() {
			invoke(t, s, &InvokeInput{FunctionName: "f", Payload: []byte(formatInt(int64(d)))})
			close(done)
		}()
		waitFor(t, c, 2)
		c.Advance(time.Duration(d) * time.Millisecond)
		<-done
	}
	invoke(t, s, &InvokeInput{FunctionName: "f", Payload: []byte(`-1`)})
	m := s.Metrics("f", "")
	if m.Invocations != 3 || m.Errors != 1 || m.Duration.Count != 3 || m.Duration.Max != 30*time.Millisecond ||
		m.Duration.Min != 0 || m.Duration.Sum != 40*time.Millisecond || m.Duration.Average() != 40*time.Millisecond/3 {
		t.Fatalf("metrics = %+v", m)
	}
	if v := s.Metrics("f", "$LATEST"); v.Invocations != 3 {
		t.Fatalf("$LATEST metrics = %+v", v)
	}
	if z := s.Metrics("nope", ""); z != (Metrics{}) {
		t.Fatal("metrics of a missing function")
	}
	if (DurationStats{}).Average() != 0 {
		t.Fatal("average of nothing")
	}
}
