package stepfn

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// Prices are Step Functions' public prices and monthly free tier, the
// data of the cost meter. [DefaultPrices] holds us-east-1's.
type Prices struct {
	// Source names where the numbers come from.
	Source string
	// StateTransitionsPerThousand is the price of 1,000 state transitions
	// of Standard workflows.
	StateTransitionsPerThousand float64
	// FreeStateTransitions is the monthly free tier of Standard
	// workflows. It does not expire after the first year.
	FreeStateTransitions int64
	// ExpressRequestsPerMillion is the price of one million Express
	// workflow requests (executions started).
	ExpressRequestsPerMillion float64
	// ExpressDuration prices Express workflows' duration per GB-second,
	// in tiers of monthly usage.
	ExpressDuration []PriceTier
}

// PriceTier is a price per GB-second for the usage up to UpToGBSeconds
// (cumulative in the month; 0 means no upper bound).
type PriceTier struct {
	UpToGBSeconds    float64
	PricePerGBSecond float64
}

// DefaultPrices returns Step Functions' prices in US East (N. Virginia):
// Standard workflows $0.025 per 1,000 state transitions after 4,000 free
// a month; Express workflows $1.00 per million requests and, for
// duration, $0.06 per GB-hour ($0.00001667 per GB-second) for the first
// 1,000 GB-hours of a month, $0.03 for the next 4,000 and $0.01642 above.
// Express has no free tier. Source: https://aws.amazon.com/step-functions/pricing/.
func DefaultPrices() Prices {
	const hour = 3600
	return Prices{
		Source:                      "https://aws.amazon.com/step-functions/pricing/ (us-east-1)",
		StateTransitionsPerThousand: 0.025,
		FreeStateTransitions:        4000,
		ExpressRequestsPerMillion:   1.00,
		ExpressDuration: []PriceTier{
			{UpToGBSeconds: 1000 * hour, PricePerGBSecond: 0.06 / hour},
			{UpToGBSeconds: 5000 * hour, PricePerGBSecond: 0.03 / hour},
			{PricePerGBSecond: 0.01642 / hour},
		},
	}
}

// How Express workflows are metered, from the pricing page: duration is
// rounded up to the next 100 ms; memory is 50 MB plus the definition plus
// the execution data times the number of Parallel or Map steps, billed in
// 64 MB chunks (so 64 MB at least).
const (
	expressDurationStep = 100 * time.Millisecond
	expressMemoryChunk  = 64       // MB
	expressBaseMemory   = 50 << 20 // bytes counted as 50 MB
	bytesPerMB          = 1 << 20
)

// Usage is what the service's executions used so far.
type Usage struct {
	// StandardExecutions counts the Standard executions started.
	StandardExecutions int64
	// StateTransitions counts what Standard workflows are billed for:
	// each state entered (at the top level, in a Parallel branch, in a
	// Map iteration or a distributed Map's child workflow) and each retry
	// of a state.
	StateTransitions int64
	// ExpressRequests counts the Express executions started.
	ExpressRequests int64
	// ExpressGBSeconds is the billed duration of the Express executions
	// that have closed: billed memory in GB (1 GB = 1,024 MB) times
	// duration in seconds rounded up to 100 ms.
	ExpressGBSeconds float64
}

// Bill is what a [Usage] costs, in US dollars.
type Bill struct {
	Usage
	// FreeStateTransitions is the part of StateTransitions the free tier
	// covered.
	FreeStateTransitions int64
	TransitionCost       float64
	ExpressRequestCost   float64
	ExpressDurationCost  float64
	Total                float64
}

// String renders the bill in a line.
func (b Bill) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d state transitions (%d free): $%.6f", b.StateTransitions, b.FreeStateTransitions, b.TransitionCost)
	if b.ExpressRequests > 0 || b.ExpressGBSeconds > 0 {
		fmt.Fprintf(&sb, "; %d Express requests: $%.6f; %.3f Express GB-s: $%.6f",
			b.ExpressRequests, b.ExpressRequestCost, b.ExpressGBSeconds, b.ExpressDurationCost)
	}
	fmt.Fprintf(&sb, "; total $%.6f", b.Total)
	return sb.String()
}

// Estimate prices a month of usage.
func (p Prices) Estimate(u Usage) Bill {
	b := Bill{Usage: u}
	b.FreeStateTransitions = min(u.StateTransitions, p.FreeStateTransitions)
	b.TransitionCost = float64(u.StateTransitions-b.FreeStateTransitions) / 1000 * p.StateTransitionsPerThousand
	b.ExpressRequestCost = float64(u.ExpressRequests) / 1e6 * p.ExpressRequestsPerMillion
	amount, pos := u.ExpressGBSeconds, 0.0
	for _, t := range p.ExpressDuration {
		if amount <= 0 {
			break
		}
		room := amount
		if t.UpToGBSeconds > 0 {
			room = min(amount, t.UpToGBSeconds-pos)
		}
		if room <= 0 {
			continue
		}
		b.ExpressDurationCost += room * t.PricePerGBSecond
		amount -= room
		pos += room
	}
	b.Total = b.TransitionCost + b.ExpressRequestCost + b.ExpressDurationCost
	return b
}

// meter counts what the cost meter prices, in integers so that it is
// exact and lock-free: Express duration as billed MB × billed ms.
type meter struct {
	standard    atomic.Int64
	transitions atomic.Int64
	express     atomic.Int64
	expressMBms atomic.Int64
}

// execMeter is what one execution tells the meter: for an Express
// execution, how many Parallel branches and Map iterations ran and the
// largest payload, which size its billed memory.
type execMeter struct {
	steps   atomic.Int64
	maxData atomic.Int64
}

// started counts a new execution.
func (m *meter) started(e *execution) {
	if e.express {
		m.express.Add(1)
	} else {
		m.standard.Add(1)
	}
	e.noteData(len(e.input))
}

// transition counts a state entered or retried by a Standard execution.
func (e *execution) transition() {
	if !e.express && !e.test {
		e.svc.meter.transitions.Add(1)
	}
}

// noteData records a payload's size for the Express memory estimate.
func (e *execution) noteData(n int) {
	for {
		cur := e.cost.maxData.Load()
		if int64(n) <= cur || e.cost.maxData.CompareAndSwap(cur, int64(n)) {
			return
		}
	}
}

// noteSteps records Parallel branches or Map iterations run.
func (e *execution) noteSteps(n int) { e.cost.steps.Add(int64(n)) }

// expressMemoryMB is the billed memory of an Express execution: 50 MB +
// the definition + the largest payload × the Parallel or Map steps (at
// least once), rounded up to a 64 MB chunk.
func expressMemoryMB(definitionBytes int, maxData, steps int64) int64 {
	used := int64(expressBaseMemory) + int64(definitionBytes) + maxData*max(steps, 1)
	chunks := (used + expressMemoryChunk*bytesPerMB - 1) / (expressMemoryChunk * bytesPerMB)
	return chunks * expressMemoryChunk
}

// billedDuration rounds an Express execution's duration up to the next
// 100 ms; an execution is billed at least 100 ms.
func billedDuration(d time.Duration) time.Duration {
	steps := (d + expressDurationStep - 1) / expressDurationStep
	return max(steps, 1) * expressDurationStep
}

// finished meters a closed Express execution's duration.
func (m *meter) finished(e *execution, stop time.Time) {
	if !e.express {
		return
	}
	mb := expressMemoryMB(len(e.def.definition), e.cost.maxData.Load(), e.cost.steps.Load())
	ms := billedDuration(stop.Sub(e.start)).Milliseconds()
	m.expressMBms.Add(mb * ms)
}

// Usage returns what the service's executions used so far. An Express
// execution's duration counts once it has closed.
func (s *Service) Usage() Usage {
	return Usage{
		StandardExecutions: s.meter.standard.Load(),
		StateTransitions:   s.meter.transitions.Load(),
		ExpressRequests:    s.meter.express.Load(),
		ExpressGBSeconds:   float64(s.meter.expressMBms.Load()) / 1024 / 1000,
	}
}

// Cost prices the service's usage so far as one month with the service's
// Prices (Options.Prices, else [DefaultPrices]): what the same executions
// would cost on AWS.
func (s *Service) Cost() Bill { return s.prices.Estimate(s.Usage()) }

// Prices returns the prices the cost meter uses.
func (s *Service) Prices() Prices { return s.prices }
