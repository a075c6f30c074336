package edge

import (
	"math"
	"testing"
	"time"
)

func TestCost_PricesUsageAfterTheFreeTier(t *testing.T) {
	p := DefaultPrices()
	p.FreeRequests = 5
	p.FreeFunctionInvocations = 0
	p.FreeInvalidationPaths = 1
	s := New(Options{Prices: p})
	for range 10 {
		s.meter.request(PriceRegionUS, true, 0)
	}
	for range 10 {
		s.meter.request(PriceRegionJapan, false, 0)
	}
	s.meter.function()
	s.meter.lambda(128, 1500*time.Microsecond) // billed as 2 ms
	s.meter.invalidation(3)
	c := s.Cost()
	want := map[string]float64{
		// The free tier is taken in the order of the regions' names.
		"HTTP requests, Japan":                              5 * 0.0090 / 10000,
		"HTTPS requests, United States, Mexico, and Canada": 10 * 0.0100 / 10000,
		"CloudFront Functions invocations":                  0.10 / 1e6,
		"Lambda@Edge requests":                              0.60 / 1e6,
		"Lambda@Edge duration":                              0.125 * 0.002 * 0.00005001,
		"Invalidation paths":                                2 * 0.005,
	}
	got := map[string]float64{}
	for _, l := range c.Lines {
		got[l.Item] = l.USD
	}
	total := 0.0
	for item, usd := range want {
		if math.Abs(got[item]-usd) > 1e-12 {
			t.Errorf("%s = $%g, want $%g", item, got[item], usd)
		}
		total += usd
	}
	if math.Abs(c.Total-total) > 1e-12 {
		t.Errorf("total = %g, want %g\n%s", c.Total, total, c)
	}
}
