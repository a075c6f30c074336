package edge

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func invalidate(t *testing.T, s *Service, d *Distribution, ref string, paths ...string) *Invalidation {
	t.Helper()
	out, err := s.CreateInvalidation(context.Background(), &CreateInvalidationInput{DistributionId: d.Id,
		InvalidationBatch: &InvalidationBatch{CallerReference: ref, Paths: Paths{Quantity: len(paths), Items: paths}}})
	if err != nil {
		t.Fatalf("CreateInvalidation: %v", err)
	}
	return out.Invalidation
}

func TestCreateInvalidation_TakesEffectEverywhereWhenCompleted(t *testing.T) {
	s, c := newTestService(t, Options{InvalidationTime: 20 * time.Second})
	o := staticOrigin("max-age=3600", "v")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o", CachePolicy: &CachePolicy{MinTTL: 0, DefaultTTL: 3600, MaxTTL: 3600,
		QueryStringsConfig: QueryStringsConfig{QueryStringBehavior: BehaviorAll}}}, nil, Origin{Id: "o", Handler: o})
	for _, pop := range []string{"IAD89-C1", "NRT57-P2"} {
		for _, p := range []string{"/img/a.png", "/img/b.png?size=2", "/css/site.css", "/img"} {
			get(d, "GET", p, map[string]string{HeaderEdgeLocation: pop})
		}
	}
	before := o.calls.Load()
	inv := invalidate(t, s, d, "r1", "/img/*")
	if inv.Status != InvalidationInProgress || len(inv.Id) != 14 || inv.Id[0] != 'I' {
		t.Fatalf("invalidation = %+v", inv)
	}
	if x := get(d, "GET", "/img/a.png", map[string]string{HeaderEdgeLocation: "IAD89-C1"}).Header().Get("X-Cache"); x != XCacheHit {
		t.Errorf("while InProgress X-Cache = %q, want still a hit", x)
	}
	c.Advance(20 * time.Second)
	got, err := s.GetInvalidation(context.Background(), d.Id, inv.Id)
	if err != nil || got.Status != InvalidationCompleted {
		t.Fatalf("GetInvalidation = %+v, %v", got, err)
	}
	for _, pop := range []string{"IAD89-C1", "NRT57-P2"} {
		hdr := map[string]string{HeaderEdgeLocation: pop}
		want := map[string]string{"/img/a.png": XCacheMiss, "/img/b.png?size=2": XCacheMiss, "/css/site.css": XCacheHit, "/img": XCacheHit}
		for p, x := range want {
			if got := get(d, "GET", p, hdr).Header().Get("X-Cache"); got != x {
				t.Errorf("%s %s after invalidation: X-Cache %q, want %q", pop, p, got, x)
			}
		}
	}
	if n := o.calls.Load() - before; n != 4 {
		t.Errorf("origin called %d more times, want 4", n)
	}
	list, _ := s.ListInvalidations(context.Background(), d.Id)
	if len(list) != 1 || list[0].Id != inv.Id {
		t.Errorf("ListInvalidations = %v", list)
	}
	if cost := s.Cost(); cost.Total != 0 {
		t.Errorf("one path is within the free 1,000: cost %v", cost)
	}
}

func TestCreateInvalidation_KeepsObjectsCachedAfterTheRequest(t *testing.T) {
	s, c := newTestService(t, Options{InvalidationTime: time.Minute})
	o := staticOrigin("max-age=3600", "v")
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: o})
	invalidate(t, s, d, "r", "/*")
	c.Advance(time.Second)
	get(d, "GET", "/new", nil)
	c.Advance(time.Minute)
	if x := get(d, "GET", "/new", nil).Header().Get("X-Cache"); x != XCacheHit {
		t.Errorf("object cached after CreateInvalidation: X-Cache %q, want a hit", x)
	}
}

func TestCreateInvalidation_RefusesBadBatches(t *testing.T) {
	s, _ := newTestService(t, Options{})
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o"}, nil, Origin{Id: "o", Handler: staticOrigin("", "")})
	create := func(ref string, q int, paths ...string) error {
		_, err := s.CreateInvalidation(context.Background(), &CreateInvalidationInput{DistributionId: d.Id,
			InvalidationBatch: &InvalidationBatch{CallerReference: ref, Paths: Paths{Quantity: q, Items: paths}}})
		return err
	}
	if err := create("a", 2, "/x"); !errors.Is(err, ErrInconsistentQuantities) {
		t.Errorf("Quantity mismatch: %v", err)
	}
	if err := create("b", 1, "x"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("no leading slash: %v", err)
	}
	if err := create("c", 1, "/a*/b"); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("wildcard in the middle: %v", err)
	}
	if err := create("same", 1, "/x"); err != nil {
		t.Fatal(err)
	}
	if err := create("same", 1, "/x"); err != nil {
		t.Errorf("same reference, same paths: %v (want the existing invalidation)", err)
	}
	if err := create("same", 1, "/y"); !errors.Is(err, ErrInvalidationBatchAlreadyExists) {
		t.Errorf("same reference, other paths: %v", err)
	}
	for i := range 15 {
		if err := create(fmt.Sprint("w", i), 1, fmt.Sprintf("/w%d/*", i)); err != nil {
			t.Fatalf("wildcard %d: %v", i, err)
		}
	}
	if err := create("w-last", 1, "/w16/*"); !errors.Is(err, ErrTooManyInvalidationsInProgress) {
		t.Errorf("16th wildcard in progress: %v", err)
	}
	big := make([]string, 3001)
	for i := range big {
		big[i] = fmt.Sprint("/f", i)
	}
	if err := create("big", len(big), big...); !errors.Is(err, ErrBatchTooLarge) {
		t.Errorf("3,001 paths: %v", err)
	}
	if _, err := s.CreateInvalidation(context.Background(), &CreateInvalidationInput{DistributionId: "EUNKNOWN",
		InvalidationBatch: &InvalidationBatch{CallerReference: "z", Paths: Paths{Quantity: 1, Items: []string{"/x"}}}}); !errors.Is(err, ErrNoSuchDistribution) {
		t.Errorf("unknown distribution: %v", err)
	}
}
