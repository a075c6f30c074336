package edge

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"sync"
	"time"
)

// PriceRegion is a CloudFront pricing region: where a request is served
// decides its price.
type PriceRegion string

// CloudFront's pricing regions.
const (
	PriceRegionUS               PriceRegion = "United States, Mexico, and Canada"
	PriceRegionEurope           PriceRegion = "Europe, Israel, and Türkiye"
	PriceRegionMiddleEastAfrica PriceRegion = "South Africa, Kenya, Nigeria, and Middle East"
	PriceRegionSouthAmerica     PriceRegion = "South America"
	PriceRegionJapan            PriceRegion = "Japan"
	PriceRegionAustralia        PriceRegion = "Australia and New Zealand"
	PriceRegionAsiaPacific      PriceRegion = "Hong Kong, Indonesia, Philippines, Singapore, South Korea, Taiwan, Thailand, Malaysia, and Vietnam"
	PriceRegionIndia            PriceRegion = "India"
)

// RegionPrices are one pricing region's prices.
type RegionPrices struct {
	// DataTransferOutFirst10TBPerGB is the price of a GB out to the
	// internet in the first 10 TB of a month.
	DataTransferOutFirst10TBPerGB float64
	// HTTPPer10K and HTTPSPer10K price 10,000 requests.
	HTTPPer10K, HTTPSPer10K float64
}

// Prices are CloudFront's pay-as-you-go prices and always-free tier, the
// data of the cost meter.
type Prices struct {
	// Source names where the numbers come from.
	Source string
	// Regions prices requests and data by pricing region.
	Regions map[PriceRegion]RegionPrices
	// FunctionsPerMillion prices CloudFront Functions invocations.
	FunctionsPerMillion float64
	// LambdaEdgeRequestsPerMillion and LambdaEdgePerGBSecond price
	// Lambda@Edge (duration billed per 1 ms).
	LambdaEdgeRequestsPerMillion, LambdaEdgePerGBSecond float64
	// InvalidationPerPath prices invalidation paths beyond the free ones.
	InvalidationPerPath float64
	// Free tier per month: data out (bytes), requests, function
	// invocations, invalidation paths.
	FreeDataOutBytes, FreeRequests, FreeFunctionInvocations, FreeInvalidationPaths int64
}

// DefaultPrices returns CloudFront's on-demand prices: data out at the
// first-10-TB rate of each region ($0.085/GB in North America and Europe,
// $0.110 in South Africa/Middle East and South America, $0.114 in Japan and
// Australia, $0.120 in the rest of Asia Pacific, $0.109 in India); requests
// per 10,000 ($0.0075 HTTP / $0.0100 HTTPS in North America, $0.0090 /
// $0.0120 in Europe, $0.0160 / $0.0220 in South Africa/Middle East and
// South America, $0.0090 / $0.0120 in Japan, Asia Pacific and India,
// $0.0090 / $0.0125 in Australia); CloudFront Functions $0.10 per million;
// Lambda@Edge $0.60 per million requests and $0.00005001 per GB-second;
// invalidations $0.005 per path after 1,000 free a month; an always-free
// tier of 1 TB out, 10 million requests and 2 million function invocations
// a month. Source: https://aws.amazon.com/cloudfront/pricing/ and
// https://aws.amazon.com/lambda/pricing/ (Lambda@Edge).
func DefaultPrices() Prices {
	return Prices{
		Source: "https://aws.amazon.com/cloudfront/pricing/",
		Regions: map[PriceRegion]RegionPrices{
			PriceRegionUS:               {0.085, 0.0075, 0.0100},
			PriceRegionEurope:           {0.085, 0.0090, 0.0120},
			PriceRegionMiddleEastAfrica: {0.110, 0.0160, 0.0220},
			PriceRegionSouthAmerica:     {0.110, 0.0160, 0.0220},
			PriceRegionJapan:            {0.114, 0.0090, 0.0120},
			PriceRegionAustralia:        {0.114, 0.0090, 0.0125},
			PriceRegionAsiaPacific:      {0.120, 0.0090, 0.0120},
			PriceRegionIndia:            {0.109, 0.0090, 0.0120},
		},
		FunctionsPerMillion:          0.10,
		LambdaEdgeRequestsPerMillion: 0.60,
		LambdaEdgePerGBSecond:        0.00005001,
		InvalidationPerPath:          0.005,
		FreeDataOutBytes:             1 << 40,
		FreeRequests:                 10_000_000,
		FreeFunctionInvocations:      2_000_000,
		FreeInvalidationPaths:        1000,
	}
}

type regionUsage struct {
	http, https, bytes int64
}

// meter accumulates billable usage.
type meter struct {
	mu                sync.Mutex
	regions           map[PriceRegion]*regionUsage
	functions         int64
	lambdaRequests    int64
	lambdaGBSeconds   float64
	invalidationPaths int64
}

func (m *meter) request(r PriceRegion, https bool, bytes int64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.regions == nil {
		m.regions = map[PriceRegion]*regionUsage{}
	}
	u := m.regions[r]
	if u == nil {
		u = &regionUsage{}
		m.regions[r] = u
	}
	if https {
		u.https++
	} else {
		u.http++
	}
	u.bytes += bytes
}

func (m *meter) function() {
	m.mu.Lock()
	m.functions++
	m.mu.Unlock()
}

// lambda bills one Lambda@Edge invocation: duration rounded up to 1 ms.
func (m *meter) lambda(memoryMB int, d time.Duration) {
	ms := math.Ceil(float64(d) / float64(time.Millisecond))
	m.mu.Lock()
	m.lambdaRequests++
	m.lambdaGBSeconds += float64(memoryMB) / 1024 * ms / 1000
	m.mu.Unlock()
}

func (m *meter) invalidation(paths int) {
	m.mu.Lock()
	m.invalidationPaths += int64(paths)
	m.mu.Unlock()
}

// CostLine is one priced item of a [Cost].
type CostLine struct {
	Item     string
	Quantity float64
	Unit     string
	USD      float64
}

// Cost is what the metered usage would cost on AWS in one month.
type Cost struct {
	Lines []CostLine
	// Total in US dollars, after the free tier.
	Total float64
	// Source names the prices used.
	Source string
}

// String formats the cost as a table.
func (c Cost) String() string {
	var b strings.Builder
	for _, l := range c.Lines {
		fmt.Fprintf(&b, "%-60s %14.0f %-14s $%.6f\n", l.Item, l.Quantity, l.Unit, l.USD)
	}
	fmt.Fprintf(&b, "%-60s %14s %-14s $%.6f\n", "total", "", "", c.Total)
	return b.String()
}

// Cost prices the service's usage so far as one month of CloudFront: data
// out and requests by pricing region, CloudFront Functions invocations,
// Lambda@Edge requests and GB-seconds (duration rounded up to 1 ms),
// invalidation paths. The always-free requests and bytes are taken from the
// regions in the order of their names (AWS does not say in which order it
// applies them); data out is priced at each region's first-10-TB rate.
func (s *Service) Cost() Cost {
	m := &s.meter
	p := s.prices
	m.mu.Lock()
	defer m.mu.Unlock()
	c := Cost{Source: p.Source}
	freeReq, freeBytes := p.FreeRequests, p.FreeDataOutBytes
	regions := make([]PriceRegion, 0, len(m.regions))
	for r := range m.regions {
		regions = append(regions, r)
	}
	sort.Slice(regions, func(i, j int) bool { return regions[i] < regions[j] })
	for _, r := range regions {
		u := m.regions[r]
		rp := p.Regions[r]
		httpN := billable(u.http, &freeReq)
		httpsN := billable(u.https, &freeReq)
		bytes := billable(u.bytes, &freeBytes)
		c.add(CostLine{Item: "HTTP requests, " + string(r), Quantity: float64(u.http), Unit: "requests", USD: float64(httpN) / 10000 * rp.HTTPPer10K})
		c.add(CostLine{Item: "HTTPS requests, " + string(r), Quantity: float64(u.https), Unit: "requests", USD: float64(httpsN) / 10000 * rp.HTTPSPer10K})
		c.add(CostLine{Item: "Data transfer out, " + string(r), Quantity: float64(u.bytes), Unit: "bytes", USD: float64(bytes) / (1 << 30) * rp.DataTransferOutFirst10TBPerGB})
	}
	freeFn := p.FreeFunctionInvocations
	c.add(CostLine{Item: "CloudFront Functions invocations", Quantity: float64(m.functions), Unit: "invocations",
		USD: float64(billable(m.functions, &freeFn)) / 1e6 * p.FunctionsPerMillion})
	c.add(CostLine{Item: "Lambda@Edge requests", Quantity: float64(m.lambdaRequests), Unit: "requests", USD: float64(m.lambdaRequests) / 1e6 * p.LambdaEdgeRequestsPerMillion})
	c.add(CostLine{Item: "Lambda@Edge duration", Quantity: m.lambdaGBSeconds, Unit: "GB-seconds", USD: m.lambdaGBSeconds * p.LambdaEdgePerGBSecond})
	freeInv := p.FreeInvalidationPaths
	c.add(CostLine{Item: "Invalidation paths", Quantity: float64(m.invalidationPaths), Unit: "paths", USD: float64(billable(m.invalidationPaths, &freeInv)) * p.InvalidationPerPath})
	return c
}

func (c *Cost) add(l CostLine) {
	if l.Quantity == 0 {
		return
	}
	c.Lines = append(c.Lines, l)
	c.Total += l.USD
}

// billable takes what it can of n from the free allowance and returns the
// rest.
func billable(n int64, free *int64) int64 {
	use := min(n, *free)
	*free -= use
	return n - use
}
