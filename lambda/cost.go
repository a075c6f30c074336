package lambda

import (
	"fmt"
	"strings"
	"sync/atomic"
	"time"
)

// Prices are Lambda's public prices and monthly free tier, the data of
// the cost meter. [DefaultPrices] holds us-east-1's.
type Prices struct {
	// Source names where the numbers come from.
	Source string
	// RequestsPerMillion is the price of one million requests.
	RequestsPerMillion float64
	// X86 and Arm64 price duration per GB-second, in tiers of monthly
	// usage.
	X86, Arm64 []PriceTier
	// EphemeralStoragePerGBSecond prices /tmp above the free 512 MB.
	EphemeralStoragePerGBSecond float64
	// FreeRequests and FreeGBSeconds are the monthly free tier, shared
	// by both architectures.
	FreeRequests  int64
	FreeGBSeconds float64
}

// PriceTier is a price per GB-second for the usage up to UpToGBSeconds
// (cumulative in the month; 0 means no upper bound).
type PriceTier struct {
	UpToGBSeconds    float64
	PricePerGBSecond float64
}

// DefaultPrices returns Lambda's on-demand prices in US East (N.
// Virginia): $0.20 per million requests; duration $0.0000166667 per
// GB-second on x86_64 and $0.0000133334 on arm64 for the first 6 (x86) or
// 7.5 (arm64) billion GB-seconds of a month, less above; /tmp above 512 MB
// at $0.0000000309 per GB-second; a free tier of 1 million requests and
// 400,000 GB-seconds a month. Source: https://aws.amazon.com/lambda/pricing/.
func DefaultPrices() Prices {
	return Prices{
		Source:             "https://aws.amazon.com/lambda/pricing/ (us-east-1)",
		RequestsPerMillion: 0.20,
		X86: []PriceTier{
			{UpToGBSeconds: 6e9, PricePerGBSecond: 0.0000166667},
			{UpToGBSeconds: 15e9, PricePerGBSecond: 0.000015},
			{PricePerGBSecond: 0.0000133334},
		},
		Arm64: []PriceTier{
			{UpToGBSeconds: 7.5e9, PricePerGBSecond: 0.0000133334},
			{UpToGBSeconds: 18.75e9, PricePerGBSecond: 0.0000120001},
			{PricePerGBSecond: 0.0000106667},
		},
		EphemeralStoragePerGBSecond: 0.0000000309,
		FreeRequests:                1_000_000,
		FreeGBSeconds:               400_000,
	}
}

// Usage is what a month of invocations used.
type Usage struct {
	Requests           int64
	X86GBSeconds       float64
	Arm64GBSeconds     float64
	EphemeralGBSeconds float64
}

// Bill is what a Usage costs, in US dollars.
type Bill struct {
	Usage
	FreeRequests  int64
	FreeGBSeconds float64
	RequestCost   float64
	ComputeCost   float64
	StorageCost   float64
	Total         float64
}

// String renders the bill in a line.
func (b Bill) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%d requests (%d free): $%.6f; %.3f GB-s x86_64 + %.3f GB-s arm64 (%.3f free): $%.6f",
		b.Requests, b.FreeRequests, b.RequestCost, b.X86GBSeconds, b.Arm64GBSeconds, b.FreeGBSeconds, b.ComputeCost)
	if b.StorageCost > 0 {
		fmt.Fprintf(&sb, "; /tmp: $%.6f", b.StorageCost)
	}
	fmt.Fprintf(&sb, "; total $%.6f", b.Total)
	return sb.String()
}

// Estimate prices a month of usage. The free tier's GB-seconds go to
// x86_64 first, then arm64.
func (p Prices) Estimate(u Usage) Bill {
	b := Bill{Usage: u}
	b.FreeRequests = min(u.Requests, p.FreeRequests)
	b.RequestCost = float64(u.Requests-b.FreeRequests) / 1e6 * p.RequestsPerMillion
	free := p.FreeGBSeconds
	x86 := u.X86GBSeconds
	take := minf(x86, free)
	x86 -= take
	free -= take
	arm := u.Arm64GBSeconds
	take2 := minf(arm, free)
	arm -= take2
	b.FreeGBSeconds = take + take2
	// tiers count the month's total usage, free tier included
	b.ComputeCost = tiered(p.X86, take, x86) + tiered(p.Arm64, take2, arm)
	b.StorageCost = u.EphemeralGBSeconds * p.EphemeralStoragePerGBSecond
	b.Total = b.RequestCost + b.ComputeCost + b.StorageCost
	return b
}

// tiered prices amount GB-seconds that come after `before` GB-seconds of
// the month.
func tiered(tiers []PriceTier, before, amount float64) float64 {
	cost, pos := 0.0, before
	for _, t := range tiers {
		if amount <= 0 {
			break
		}
		room := amount
		if t.UpToGBSeconds > 0 {
			room = minf(amount, t.UpToGBSeconds-pos)
		}
		if room <= 0 {
			continue
		}
		cost += room * t.PricePerGBSecond
		amount -= room
		pos += room
	}
	return cost
}

func minf(a, b float64) float64 {
	if a < b {
		return a
	}
	return b
}

// meter counts what invocations use, in integer units so that it is
// exact and lock-free: MB × billed milliseconds.
type meter struct {
	requests atomic.Int64
	x86MBms  atomic.Int64
	armMBms  atomic.Int64
	tmpMBms  atomic.Int64
}

func (m *meter) add(cfg *config, billed time.Duration) {
	ms := billed.Milliseconds()
	m.requests.Add(1)
	if cfg.arch == ArchitectureArm64 {
		m.armMBms.Add(int64(cfg.memoryMB) * ms)
	} else {
		m.x86MBms.Add(int64(cfg.memoryMB) * ms)
	}
	if extra := cfg.ephemeralMB - DefaultEphemeralStorageMB; extra > 0 {
		m.tmpMBms.Add(int64(extra) * ms)
	}
}

// Usage returns what the service's invocations used so far: requests and
// GB-seconds (memory in GB, 1 GB = 1,024 MB, times billed duration).
func (s *Service) Usage() Usage {
	gbs := func(mbms int64) float64 { return float64(mbms) / 1024 / 1000 }
	return Usage{
		Requests:           s.meter.requests.Load(),
		X86GBSeconds:       gbs(s.meter.x86MBms.Load()),
		Arm64GBSeconds:     gbs(s.meter.armMBms.Load()),
		EphemeralGBSeconds: gbs(s.meter.tmpMBms.Load()),
	}
}

// Cost prices the service's usage so far as one month with the service's
// Prices: what the same invocations would cost on AWS.
func (s *Service) Cost() Bill { return s.prices.Estimate(s.Usage()) }
