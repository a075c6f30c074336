package edge

import (
	"context"
	"errors"
	"testing"
)

func TestUpdateDistribution_SwapsBehavioursKeepsTheCache(t *testing.T) {
	s, _ := newTestService(t, Options{})
	v1 := staticOrigin("max-age=600", "v1")
	v2 := staticOrigin("max-age=600", "v2")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "a"}, nil, Origin{Id: "a", Handler: v1}, Origin{Id: "b", Handler: v2})
	get(d, "GET", "/cached", nil)
	cfg := d.Config()
	cfg.DefaultCacheBehavior.TargetOriginId = "b"
	cfg.DefaultCacheBehavior.FunctionAssociations = []FunctionAssociation{{EventType: EventViewerResponse, Function: &Function{Name: "tag",
		Handler: func(e *FunctionEvent) (FunctionOutput, error) {
			e.Response.Headers.Set("x-version", "2")
			return e.Response, nil
		}}}}
	ctx := context.Background()
	if _, err := s.UpdateDistribution(ctx, &UpdateDistributionInput{Id: d.Id, DistributionConfig: &cfg}); !errors.Is(err, ErrInvalidIfMatchVersion) {
		t.Errorf("no IfMatch: %v", err)
	}
	if _, err := s.UpdateDistribution(ctx, &UpdateDistributionInput{Id: d.Id, IfMatch: "EWRONG", DistributionConfig: &cfg}); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("stale IfMatch: %v", err)
	}
	bad := cfg
	bad.DefaultCacheBehavior.TargetOriginId = "nope"
	if _, err := s.UpdateDistribution(ctx, &UpdateDistributionInput{Id: d.Id, IfMatch: d.ETag(), DistributionConfig: &bad}); !errors.Is(err, ErrNoSuchOrigin) {
		t.Errorf("invalid config: %v", err)
	}
	old := d.ETag()
	out, err := s.UpdateDistribution(ctx, &UpdateDistributionInput{Id: d.Id, IfMatch: old, DistributionConfig: &cfg})
	if err != nil || out.ETag == old || d.ETag() != out.ETag {
		t.Fatalf("update: %v, ETag %q -> %q", err, old, out.ETag)
	}
	if w := get(d, "GET", "/cached", nil); w.Body.String() != "v1 /cached" || w.Header().Get("X-Version") != "2" {
		t.Errorf("cached object after update: %q X-Version %q", w.Body.String(), w.Header().Get("X-Version"))
	}
	if w := get(d, "GET", "/new", nil); w.Body.String() != "v2 /new" {
		t.Errorf("new object after update: %q", w.Body.String())
	}
	if _, err := s.UpdateDistribution(ctx, &UpdateDistributionInput{Id: d.Id, IfMatch: old, DistributionConfig: &cfg}); !errors.Is(err, ErrPreconditionFailed) {
		t.Errorf("replayed IfMatch: %v", err)
	}
}

func TestCreateDistribution_DoesNotAliasTheCallersConfig(t *testing.T) {
	s, _ := newTestService(t, Options{})
	origins := []Origin{{Id: "o", Handler: staticOrigin("", "")}}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, origins...)
	if origins[0].DomainName != "" {
		t.Errorf("the caller's origin was changed: %q", origins[0].DomainName)
	}
	if d.Config().Origins[0].DomainName != "o.example.com" {
		t.Errorf("default DomainName = %q", d.Config().Origins[0].DomainName)
	}
}
