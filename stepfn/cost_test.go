package stepfn

import (
	"context"
	"fmt"
	"math"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// costDef enters 11 states and retries one twice: Prepare (1), Charge
// (1 + 2 retries), Both (1) with two branches of two states (4), Each (1)
// over three items of one state (3), Done (1) = 14 transitions.
const costDef = `{"StartAt":"Prepare","States":{
	"Prepare":{"Type":"Pass","Result":[1,2,3],"ResultPath":"$.items","Next":"Charge"},
	"Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","ResultPath":null,
		"Retry":[{"ErrorEquals":["Flaky"],"IntervalSeconds":1,"MaxAttempts":3}],"Next":"Both"},
	"Both":{"Type":"Parallel","ResultPath":null,"Next":"Each","Branches":[
		{"StartAt":"A1","States":{"A1":{"Type":"Pass","Next":"A2"},"A2":{"Type":"Pass","End":true}}},
		{"StartAt":"B1","States":{"B1":{"Type":"Pass","Next":"B2"},"B2":{"Type":"Pass","End":true}}}]},
	"Each":{"Type":"Map","ItemsPath":"$.items","ResultPath":null,"Next":"Done",
		"ItemProcessor":{"StartAt":"Item","States":{"Item":{"Type":"Pass","End":true}}}},
	"Done":{"Type":"Succeed"}}}`

func TestCost_StandardCountsEachStateEnteredRetryBranchAndIteration(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	var calls atomic.Int64
	s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:charge", ResourceFunc(func(ctx context.Context, in []byte) ([]byte, error) {
		if calls.Add(1)%3 != 0 {
			return nil, &TaskError{Name: "Flaky", Cause: "try again"}
		}
		return []byte(`{}`), nil
	}))
	sm := mustCreate(t, s, "costly", costDef, "")
	const runs = 3
	for i := range runs {
		arn := mustStart(t, s, sm, "run-"+string(rune('a'+i)), `{}`)
		for _, d := range []time.Duration{time.Second, 2 * time.Second} {
			if err := c.BlockUntil(ctx, 1); err != nil {
				t.Fatal(err)
			}
			c.Advance(d)
		}
		out, err := s.WaitExecution(ctx, arn)
		if err != nil || out.Status != StatusSucceeded {
			t.Fatalf("run %d: %v %+v", i, err, out)
		}
	}
	u := s.Usage()
	if u.StandardExecutions != runs || u.StateTransitions != 14*runs || u.ExpressRequests != 0 || u.ExpressGBSeconds != 0 {
		t.Fatalf("usage %+v, want %d executions and %d transitions", u, runs, 14*runs)
	}
	// Every transition is in the free tier.
	if b := s.Cost(); b.FreeStateTransitions != 14*runs || b.Total != 0 {
		t.Fatalf("bill %+v", b)
	}
	// Without a free tier: 42 transitions at $0.025 per 1,000.
	p := DefaultPrices()
	p.FreeStateTransitions = 0
	s2 := New(Options{Prices: &p})
	defer s2.Close()
	s2.meter.transitions.Store(u.StateTransitions)
	if got, want := s2.Cost().Total, 42*0.025/1000; math.Abs(got-want) > 1e-12 {
		t.Fatalf("total %v, want %v", got, want)
	}
}

func TestCost_ExpressBillsRequestsAndDurationIn100msSteps(t *testing.T) {
	ctx := context.Background()
	c := clock.NewManual(epoch)
	s := newTestService(t, Options{Clock: c})
	wait := mustCreate(t, s, "wait2", `{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":2,"End":true}}}`, TypeExpress)
	pass := mustCreate(t, s, "pass", passDef, TypeExpress)

	arn := mustStart(t, s, wait, "", `{}`)
	if err := c.BlockUntil(ctx, 1); err != nil {
		t.Fatal(err)
	}
	c.Advance(2 * time.Second)
	if _, err := s.WaitExecution(ctx, arn); err != nil {
		t.Fatal(err)
	}
	// No clock time passes: billed as the 100 ms minimum.
	if out, err := s.StartSyncExecution(ctx, &StartExecutionInput{StateMachineArn: pass}); err != nil || out.Status != StatusSucceeded {
		t.Fatal(err, out)
	}
	u := s.Usage()
	// 64 MB = 0.0625 GB, for 2 s and for 0.1 s.
	want := 0.0625*2 + 0.0625*0.1
	if u.ExpressRequests != 2 || u.StateTransitions != 0 || math.Abs(u.ExpressGBSeconds-want) > 1e-12 {
		t.Fatalf("usage %+v, want 2 requests and %v GB-s", u, want)
	}
	b := s.Cost()
	wantTotal := 2/1e6 + want*0.06/3600
	if math.Abs(b.Total-wantTotal) > 1e-15 {
		t.Fatalf("total %v, want %v", b.Total, wantTotal)
	}
}

func TestPrices_EstimateAppliesFreeTierAndDurationTiers(t *testing.T) {
	b := DefaultPrices().Estimate(Usage{StateTransitions: 4200, ExpressRequests: 2_000_000, ExpressGBSeconds: 4_000_000})
	// 200 transitions over the free 4,000 at $0.025 per 1,000.
	// 2 million requests at $1.00 per million.
	// 4,000,000 GB-s: 3,600,000 (1,000 GB-hours) at $0.06 per GB-hour
	// = $60, then 400,000 at $0.03 per GB-hour = $3.333333.
	checks := []struct {
		name      string
		got, want float64
	}{
		{"transitions", b.TransitionCost, 0.005},
		{"requests", b.ExpressRequestCost, 2},
		{"duration", b.ExpressDurationCost, 60 + 400000*0.03/3600},
		{"total", b.Total, 0.005 + 2 + 60 + 400000*0.03/3600},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-9 {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if b.FreeStateTransitions != 4000 {
		t.Errorf("free %d", b.FreeStateTransitions)
	}
	// The third tier starts after 5,000 GB-hours.
	b = DefaultPrices().Estimate(Usage{ExpressGBSeconds: 5000*3600 + 3600})
	if want := 60 + 4000*0.03 + 0.01642; math.Abs(b.ExpressDurationCost-want) > 1e-9 {
		t.Errorf("third tier: %v, want %v", b.ExpressDurationCost, want)
	}
	if s := b.String(); !strings.Contains(s, "Express GB-s") || !strings.Contains(s, "total $180.016420") {
		t.Errorf("String() = %q", s)
	}
}

func TestExpressMemory_RoundsUpTo64MBChunks(t *testing.T) {
	cases := []struct {
		name              string
		def               int
		data, steps, want int64
	}{
		{"small workflow", 500, 1000, 0, 64},
		// 50 MB + 50 KB + 32 KB × 400 Map steps, the pricing page's
		// example: just under 64 MB.
		{"pricing example", 50 << 10, 32 << 10, 400, 64},
		// 50 MB + 200 KB × 400 = 128.1 MB: three chunks.
		{"large map", 1000, 200 << 10, 400, 192},
	}
	for _, c := range cases {
		if got := expressMemoryMB(c.def, c.data, c.steps); got != c.want {
			t.Errorf("%s: %d MB, want %d", c.name, got, c.want)
		}
	}
	for _, d := range []struct{ in, want time.Duration }{
		{0, 100 * time.Millisecond}, {100 * time.Millisecond, 100 * time.Millisecond},
		{101 * time.Millisecond, 200 * time.Millisecond}, {2 * time.Second, 2 * time.Second},
	} {
		if got := billedDuration(d.in); got != d.want {
			t.Errorf("billedDuration(%v) = %v, want %v", d.in, got, d.want)
		}
	}
}

func ExampleService_Cost() {
	ctx := context.Background()
	s := New(Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	defer s.Close()
	sm, _ := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "hello", RoleArn: "arn:aws:iam::123456789012:role/sfn",
		Definition: `{"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Next":"World"},"World":{"Type":"Pass","End":true}}}`})
	for range 3 {
		run, _ := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm.StateMachineArn})
		_, _ = s.WaitExecution(ctx, run.ExecutionArn)
	}
	p := DefaultPrices()
	p.FreeStateTransitions = 0
	fmt.Println(s.Usage().StateTransitions, "transitions")
	fmt.Println(p.Estimate(s.Usage()))
	// Output:
	// 6 transitions
	// 6 state transitions (0 free): $0.000150; total $0.000150
}
