package edge

import (
	"context"
	"errors"
	"testing"
)

func TestGeoRestriction_RefusesViewersByCountry(t *testing.T) {
	s, _ := newTestService(t, Options{})
	cfg := &DistributionConfig{CallerReference: "geo", Origins: []Origin{{Id: "o", Handler: staticOrigin("", "ok")}},
		DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"}}
	cfg.Restrictions.GeoRestriction = GeoRestriction{RestrictionType: GeoRestrictionBlacklist, Items: []string{"JP", "BR"}}
	out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	for region, want := range map[string]int{"ap-northeast-1": 403, "sa-east-1": 403, "eu-west-1": 200, "us-east-1": 200} {
		w := get(out.Distribution, "GET", "/", map[string]string{HeaderViewerRegion: region})
		if w.Code != want {
			t.Errorf("viewer in %s: %d, want %d", region, w.Code, want)
		}
	}
	bad := *cfg
	bad.CallerReference = "geo2"
	bad.Restrictions.GeoRestriction = GeoRestriction{RestrictionType: GeoRestrictionWhitelist, Items: []string{"usa"}}
	if _, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &bad}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("bad country code: %v", err)
	}
}
