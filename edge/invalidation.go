package edge

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Invalidation statuses.
const (
	InvalidationInProgress = "InProgress"
	InvalidationCompleted  = "Completed"
)

// Paths is a list of invalidation paths with its Quantity, as in the
// CloudFront API.
type Paths struct {
	Quantity int
	Items    []string
}

// InvalidationBatch is what CreateInvalidation takes.
type InvalidationBatch struct {
	// CallerReference makes the call idempotent: the same reference with
	// the same paths returns the existing invalidation.
	CallerReference string
	// Paths to invalidate: each begins with "/" and may end with "*" (the
	// only place a wildcard may be) to invalidate every path with that
	// prefix; "/*" invalidates everything.
	Paths Paths
}

// Invalidation is an invalidation request and its status.
type Invalidation struct {
	// Id is "I" and 13 letters and digits.
	Id string
	// Status is InProgress until the invalidation has taken effect at every
	// location, then Completed.
	Status            string
	CreateTime        time.Time
	InvalidationBatch InvalidationBatch
}

// CreateInvalidationInput is the input of CreateInvalidation.
type CreateInvalidationInput struct {
	DistributionId    string
	InvalidationBatch *InvalidationBatch
}

// CreateInvalidationOutput is the output of CreateInvalidation.
type CreateInvalidationOutput struct {
	Invalidation *Invalidation
	// Location is the invalidation's resource URL.
	Location string
}

// CreateInvalidation removes objects from every edge location's and
// regional edge cache's copy of a distribution. The invalidation is
// InProgress for the service's InvalidationTime on the clock; then every
// object cached before the call whose path matches one of the paths is
// removed at once from every cache, and the invalidation is Completed.
// Objects cached after the call are kept. Paths are case-sensitive and
// match the request path without its query string, so every cached
// variant (query strings, headers, cookies) of a path goes.
//
// At most 3,000 paths, of which 15 with wildcards, may be in progress per
// distribution (TooManyInvalidationsInProgress; BatchTooLarge for a single
// batch over 3,000). The first 1,000 paths a month are free.
func (s *Service) CreateInvalidation(ctx context.Context, in *CreateInvalidationInput) (*CreateInvalidationOutput, error) {
	if in == nil {
		return nil, ErrInvalidArgument.New("CreateInvalidationInput is required.")
	}
	d, err := s.GetDistribution(ctx, in.DistributionId)
	if err != nil {
		return nil, err
	}
	b := in.InvalidationBatch
	if b == nil || b.CallerReference == "" {
		return nil, ErrInvalidArgument.New("InvalidationBatch.CallerReference is required.")
	}
	if b.Paths.Quantity != len(b.Paths.Items) {
		return nil, ErrInconsistentQuantities.Newf("Paths.Quantity is %d but there are %d Items.", b.Paths.Quantity, len(b.Paths.Items))
	}
	if len(b.Paths.Items) == 0 {
		return nil, ErrInvalidArgument.New("An invalidation batch must have at least one path.")
	}
	wild := 0
	for _, p := range b.Paths.Items {
		if !strings.HasPrefix(p, "/") {
			return nil, ErrInvalidArgument.Newf("Your request contains one or more invalid invalidation paths: %q does not begin with a slash.", p)
		}
		if i := strings.IndexByte(p, '*'); i >= 0 {
			if i != len(p)-1 {
				return nil, ErrInvalidArgument.Newf("Your request contains one or more invalid invalidation paths: %q has a * that is not its last character.", p)
			}
			wild++
		}
	}
	if len(b.Paths.Items) > s.limits.InvalidationPathsInProgress {
		return nil, ErrBatchTooLarge.Newf("The invalidation batch has %d paths; at most %d may be in progress.", len(b.Paths.Items), s.limits.InvalidationPathsInProgress)
	}
	d.invMu.Lock()
	if prev := d.invByCaller[b.CallerReference]; prev != nil {
		d.invMu.Unlock()
		if slices.Equal(prev.InvalidationBatch.Paths.Items, b.Paths.Items) {
			return &CreateInvalidationOutput{Invalidation: prev.copy(), Location: d.invalidationURL(prev.Id)}, nil
		}
		return nil, ErrInvalidationBatchAlreadyExists.Newf("The caller reference %q was used for invalidation %s with different paths.", b.CallerReference, prev.Id)
	}
	files, wilds := 0, 0
	for _, inv := range d.invalidations {
		if inv.Status == InvalidationInProgress {
			for _, p := range inv.InvalidationBatch.Paths.Items {
				if strings.HasSuffix(p, "*") {
					wilds++
				} else {
					files++
				}
			}
		}
	}
	if files+wilds+len(b.Paths.Items) > s.limits.InvalidationPathsInProgress || wilds+wild > s.limits.WildcardInvalidationsInProgress {
		d.invMu.Unlock()
		return nil, ErrTooManyInvalidationsInProgress.Newf("Processing your request would cause the maximum number of in-progress invalidations to be exceeded (%d paths, %d of them wildcards, are in progress).", files+wilds, wilds)
	}
	now := s.clock.Now()
	inv := &Invalidation{Id: s.newID("I", 13), Status: InvalidationInProgress, CreateTime: now,
		InvalidationBatch: InvalidationBatch{CallerReference: b.CallerReference, Paths: Paths{Quantity: len(b.Paths.Items), Items: slices.Clone(b.Paths.Items)}}}
	d.invalidations[inv.Id] = inv
	d.invOrder = append(d.invOrder, inv.Id)
	d.invByCaller[b.CallerReference] = inv
	out := inv.copy()
	if s.invalidationT > 0 {
		d.invTimers = append(d.invTimers, s.clock.AfterFunc(s.invalidationT, func() { d.complete(inv, now) }))
	}
	d.invMu.Unlock()
	s.meter.invalidation(len(b.Paths.Items))
	if s.invalidationT == 0 {
		d.complete(inv, now)
		out.Status = InvalidationCompleted
	}
	return &CreateInvalidationOutput{Invalidation: out, Location: d.invalidationURL(inv.Id)}, nil
}

// complete applies an invalidation to every cache and marks it Completed.
func (d *Distribution) complete(inv *Invalidation, created time.Time) {
	paths := inv.InvalidationBatch.Paths.Items
	for _, p := range d.pops {
		p.invalidate(paths, created)
	}
	for _, r := range d.recs {
		r.invalidate(paths, created)
	}
	d.invMu.Lock()
	inv.Status = InvalidationCompleted
	d.invMu.Unlock()
}

func (d *Distribution) invalidationURL(id string) string {
	return "https://cloudfront.amazonaws.com/2020-05-31/distribution/" + d.Id + "/invalidation/" + id
}

func (inv *Invalidation) copy() *Invalidation {
	c := *inv
	c.InvalidationBatch.Paths.Items = slices.Clone(inv.InvalidationBatch.Paths.Items)
	return &c
}

// GetInvalidation returns an invalidation of a distribution.
func (s *Service) GetInvalidation(ctx context.Context, distributionID, id string) (*Invalidation, error) {
	d, err := s.GetDistribution(ctx, distributionID)
	if err != nil {
		return nil, err
	}
	d.invMu.Lock()
	defer d.invMu.Unlock()
	inv, ok := d.invalidations[id]
	if !ok {
		return nil, ErrNoSuchInvalidation.Newf("The specified invalidation does not exist: %s", id)
	}
	return inv.copy(), nil
}

// ListInvalidations returns a distribution's invalidations, newest first.
func (s *Service) ListInvalidations(ctx context.Context, distributionID string) ([]*Invalidation, error) {
	d, err := s.GetDistribution(ctx, distributionID)
	if err != nil {
		return nil, err
	}
	d.invMu.Lock()
	defer d.invMu.Unlock()
	out := make([]*Invalidation, 0, len(d.invOrder))
	for i := len(d.invOrder) - 1; i >= 0; i-- {
		out = append(out, d.invalidations[d.invOrder[i]].copy())
	}
	return out, nil
}

func (d *Distribution) stopInvalidations() {
	d.invMu.Lock()
	defer d.invMu.Unlock()
	for _, t := range d.invTimers {
		t.Stop()
	}
	d.invTimers = nil
}
