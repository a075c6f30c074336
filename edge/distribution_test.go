package edge

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestCreateDistribution_RefusesInvalidConfigurations(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := Origin{Id: "o", Handler: staticOrigin("", "x")}
	many := make([]CacheBehavior, 76)
	for i := range many {
		many[i] = CacheBehavior{PathPattern: "/p*", TargetOriginId: "o"}
	}
	cases := []struct {
		name string
		cfg  DistributionConfig
		want error
	}{
		{"no origins", DistributionConfig{DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"}}, ErrInvalidArgument},
		{"unknown origin", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "nope"}}, ErrNoSuchOrigin},
		{"bad pattern", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"},
			CacheBehaviors: []CacheBehavior{{PathPattern: "/a b", TargetOriginId: "o"}}}, ErrInvalidArgument},
		{"76 behaviours", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"}, CacheBehaviors: many}, ErrTooManyCacheBehaviors},
		{"odd method set", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o", AllowedMethods: []string{"GET", "POST"}}}, ErrInvalidArgument},
		{"cached not allowed", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o", CachedMethods: []string{"GET", "HEAD", "OPTIONS"}}}, ErrInvalidArgument},
		{"bad protocol policy", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o", ViewerProtocolPolicy: "https"}}, ErrInvalidArgument},
		{"TTLs out of order", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o", CachePolicy: &CachePolicy{MinTTL: 10, DefaultTTL: 5, MaxTTL: 20}}}, ErrInvalidArgument},
		{"bad origin path", DistributionConfig{Origins: []Origin{{Id: "o", Handler: o.Handler, OriginPath: "prod/"}}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"}}, ErrInvalidArgument},
		{"default with pattern", DistributionConfig{Origins: []Origin{o}, DefaultCacheBehavior: CacheBehavior{PathPattern: "/*", TargetOriginId: "o"}}, ErrInvalidArgument},
	}
	for i, c := range cases {
		c.cfg.CallerReference = "ref" + strings.Repeat("x", i)
		_, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &c.cfg})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: err = %v, want %v", c.name, err, c.want)
		}
	}
}

func TestCreateDistribution_CallerReferenceIsUnique(t *testing.T) {
	s, _ := newTestService(t, Options{})
	cfg := &DistributionConfig{CallerReference: "same", Origins: []Origin{{Id: "o", Handler: staticOrigin("", "")}}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"}}
	out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: cfg})
	if err != nil {
		t.Fatal(err)
	}
	d := out.Distribution
	if !strings.HasPrefix(d.Id, "E") || len(d.Id) != 14 || !strings.HasSuffix(d.DomainName, ".cloudfront.net") || !strings.HasSuffix(d.ARN, ":distribution/"+d.Id) {
		t.Errorf("ids: %s %s %s", d.Id, d.DomainName, d.ARN)
	}
	if _, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: cfg}); !errors.Is(err, ErrDistributionAlreadyExists) {
		t.Errorf("second create: %v", err)
	}
	if got, err := s.GetDistribution(context.Background(), d.Id); err != nil || got != d {
		t.Errorf("GetDistribution = %v, %v", got, err)
	}
	if _, err := s.GetDistribution(context.Background(), "ENOPE"); !errors.Is(err, ErrNoSuchDistribution) {
		t.Errorf("GetDistribution(unknown) = %v", err)
	}
}
