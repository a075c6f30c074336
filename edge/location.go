package edge

import (
	"math"
	"net/http"
	"strings"
)

// Location is a CloudFront edge location (a point of presence, POP): a
// cache of its own, named by the code CloudFront puts in X-Amz-Cf-Pop
// (airport code, a number, and -C1/-P1 style suffix), at a place on the
// map, in front of a regional edge cache.
type Location struct {
	// Code is the POP code, as in X-Amz-Cf-Pop ("FRA56-P1").
	Code string
	// City and Country (ISO 3166-1 alpha-2) say where it is; Country is the
	// value of CloudFront-Viewer-Country for viewers it serves.
	City, Country string
	// Latitude and Longitude place it for nearest-location routing.
	Latitude, Longitude float64
	// RegionalEdgeCache is the AWS Region whose regional edge cache sits
	// between this location and the origin ("eu-central-1").
	RegionalEdgeCache string
	// PriceRegion is the pricing region of requests and data served here
	// (see [Prices]).
	PriceRegion PriceRegion
}

// DefaultLocations returns the edge locations a distribution has when its
// options name none: a handful of real POPs on every continent, each
// attached to the regional edge cache CloudFront uses for its area.
func DefaultLocations() []Location {
	return []Location{
		{Code: "IAD89-C1", City: "Ashburn", Country: "US", Latitude: 39.04, Longitude: -77.49, RegionalEdgeCache: "us-east-1", PriceRegion: PriceRegionUS},
		{Code: "ORD52-C1", City: "Chicago", Country: "US", Latitude: 41.98, Longitude: -87.90, RegionalEdgeCache: "us-east-2", PriceRegion: PriceRegionUS},
		{Code: "SFO5-C1", City: "San Francisco", Country: "US", Latitude: 37.62, Longitude: -122.38, RegionalEdgeCache: "us-west-2", PriceRegion: PriceRegionUS},
		{Code: "SEA19-C1", City: "Seattle", Country: "US", Latitude: 47.45, Longitude: -122.31, RegionalEdgeCache: "us-west-2", PriceRegion: PriceRegionUS},
		{Code: "GRU3-C1", City: "São Paulo", Country: "BR", Latitude: -23.43, Longitude: -46.47, RegionalEdgeCache: "sa-east-1", PriceRegion: PriceRegionSouthAmerica},
		{Code: "LHR61-C1", City: "London", Country: "GB", Latitude: 51.47, Longitude: -0.45, RegionalEdgeCache: "eu-west-2", PriceRegion: PriceRegionEurope},
		{Code: "DUB56-P1", City: "Dublin", Country: "IE", Latitude: 53.42, Longitude: -6.27, RegionalEdgeCache: "eu-west-1", PriceRegion: PriceRegionEurope},
		{Code: "CDG50-C1", City: "Paris", Country: "FR", Latitude: 49.01, Longitude: 2.55, RegionalEdgeCache: "eu-central-1", PriceRegion: PriceRegionEurope},
		{Code: "FRA56-P1", City: "Frankfurt", Country: "DE", Latitude: 50.03, Longitude: 8.57, RegionalEdgeCache: "eu-central-1", PriceRegion: PriceRegionEurope},
		{Code: "CPT52-C1", City: "Cape Town", Country: "ZA", Latitude: -33.97, Longitude: 18.60, RegionalEdgeCache: "af-south-1", PriceRegion: PriceRegionMiddleEastAfrica},
		{Code: "BOM78-P1", City: "Mumbai", Country: "IN", Latitude: 19.09, Longitude: 72.87, RegionalEdgeCache: "ap-south-1", PriceRegion: PriceRegionIndia},
		{Code: "SIN2-C1", City: "Singapore", Country: "SG", Latitude: 1.36, Longitude: 103.99, RegionalEdgeCache: "ap-southeast-1", PriceRegion: PriceRegionAsiaPacific},
		{Code: "NRT57-P2", City: "Tokyo", Country: "JP", Latitude: 35.77, Longitude: 140.39, RegionalEdgeCache: "ap-northeast-1", PriceRegion: PriceRegionJapan},
		{Code: "ICN54-C1", City: "Seoul", Country: "KR", Latitude: 37.46, Longitude: 126.44, RegionalEdgeCache: "ap-northeast-2", PriceRegion: PriceRegionAsiaPacific},
		{Code: "SYD1-C1", City: "Sydney", Country: "AU", Latitude: -33.95, Longitude: 151.18, RegionalEdgeCache: "ap-southeast-2", PriceRegion: PriceRegionAustralia},
	}
}

// regionPlaces places AWS Regions on the map, so that a viewer named by its
// Region meets the nearest edge location.
var regionPlaces = map[string][2]float64{
	"us-east-1":      {38.9, -77.4},
	"us-east-2":      {40.0, -83.0},
	"us-west-1":      {37.4, -121.9},
	"us-west-2":      {45.8, -119.7},
	"ca-central-1":   {45.5, -73.6},
	"sa-east-1":      {-23.5, -46.6},
	"eu-west-1":      {53.3, -6.3},
	"eu-west-2":      {51.5, -0.1},
	"eu-west-3":      {48.9, 2.35},
	"eu-central-1":   {50.1, 8.7},
	"eu-north-1":     {59.3, 18.1},
	"eu-south-1":     {45.5, 9.2},
	"af-south-1":     {-33.9, 18.4},
	"me-south-1":     {26.0, 50.5},
	"ap-south-1":     {19.1, 72.9},
	"ap-southeast-1": {1.35, 103.8},
	"ap-southeast-2": {-33.9, 151.2},
	"ap-northeast-1": {35.7, 139.7},
	"ap-northeast-2": {37.6, 127.0},
	"ap-northeast-3": {34.7, 135.5},
	"ap-east-1":      {22.3, 114.2},
}

// Headers a test or prototype sets on a viewer request to say where the
// viewer is. They are minicloud's, not CloudFront's (CloudFront routes by
// DNS and anycast), and are removed before anything else sees the request.
const (
	// HeaderViewerRegion names the AWS Region the viewer is in or near
	// ("ap-northeast-1"); the viewer meets the edge location nearest to it
	// by great-circle distance.
	HeaderViewerRegion = "X-Minicloud-Viewer-Region"
	// HeaderEdgeLocation names an edge location by POP code ("FRA56-P1")
	// or its prefix ("FRA"); it wins over HeaderViewerRegion.
	HeaderEdgeLocation = "X-Minicloud-Edge-Location"
)

// distanceKm is the great-circle distance between two points.
func distanceKm(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat := (lat2 - lat1) * rad
	dlon := (lon2 - lon1) * rad
	a := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(a)))
}

// nearest returns the index of the location nearest to the point.
func nearest(locs []Location, lat, lon float64) int {
	best, bestD := 0, math.Inf(1)
	for i, l := range locs {
		if d := distanceKm(lat, lon, l.Latitude, l.Longitude); d < bestD {
			best, bestD = i, d
		}
	}
	return best
}

// NearestLocation returns the code of the edge location nearest to the AWS
// Region, and false if the Region is unknown.
func (s *Service) NearestLocation(region string) (string, bool) {
	p, ok := regionPlaces[region]
	if !ok {
		return "", false
	}
	return s.locations[nearest(s.locations, p[0], p[1])].Code, true
}

// locate picks the edge location that serves r: the one HeaderEdgeLocation
// names, else the nearest to HeaderViewerRegion's Region, else the nearest
// to the service's default viewer Region. It removes both headers from h.
func (s *Service) locate(h http.Header) int {
	code := h.Get(HeaderEdgeLocation)
	region := h.Get(HeaderViewerRegion)
	h.Del(HeaderEdgeLocation)
	h.Del(HeaderViewerRegion)
	if code != "" {
		for i, l := range s.locations {
			if strings.EqualFold(l.Code, code) {
				return i
			}
		}
		for i, l := range s.locations {
			if len(code) >= 3 && strings.HasPrefix(l.Code, strings.ToUpper(code)) {
				return i
			}
		}
	}
	if p, ok := regionPlaces[region]; ok {
		return nearest(s.locations, p[0], p[1])
	}
	return s.defaultLocation
}
