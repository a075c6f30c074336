package edge

import (
	"context"

	"github.com/minicloud/minicloud/internal/awserr"
)

// Sentinels of UpdateDistribution.
var (
	// ErrPreconditionFailed is PreconditionFailed (412): IfMatch is not the
	// distribution's current ETag.
	ErrPreconditionFailed = awserr.New("PreconditionFailed", 412, "")
	// ErrInvalidIfMatchVersion is InvalidIfMatchVersion (400): IfMatch is
	// missing.
	ErrInvalidIfMatchVersion = awserr.New("InvalidIfMatchVersion", 400, "")
	// ErrIllegalUpdate is IllegalUpdate (400): the update changes what
	// cannot change (the CallerReference).
	ErrIllegalUpdate = awserr.New("IllegalUpdate", 400, "")
)

// UpdateDistributionInput is the input of UpdateDistribution: the whole
// new configuration and the ETag of the one it replaces.
type UpdateDistributionInput struct {
	Id                 string
	IfMatch            string
	DistributionConfig *DistributionConfig
}

// UpdateDistributionOutput is the output of UpdateDistribution.
type UpdateDistributionOutput struct {
	Distribution *Distribution
	// ETag is the new configuration's version.
	ETag string
}

// UpdateDistribution replaces a distribution's configuration (behaviours,
// origins, policies, edge functions, error responses, price class), with
// CloudFront's optimistic locking: IfMatch must be the current ETag
// (GetDistribution's [Distribution.ETag]). The new configuration is
// validated as CreateDistribution validates it and then deployed to every
// location at once; requests already in flight finish with the old one.
// Cached objects stay cached (as in CloudFront: invalidate them to drop
// them).
func (s *Service) UpdateDistribution(ctx context.Context, in *UpdateDistributionInput) (*UpdateDistributionOutput, error) {
	if in == nil || in.DistributionConfig == nil {
		return nil, ErrInvalidArgument.New("DistributionConfig is required.")
	}
	d, err := s.GetDistribution(ctx, in.Id)
	if err != nil {
		return nil, err
	}
	if in.IfMatch == "" {
		return nil, ErrInvalidIfMatchVersion.New("The If-Match version is missing or not valid for the resource.")
	}
	d.updateMu.Lock()
	defer d.updateMu.Unlock()
	cur := d.dep.Load()
	if in.IfMatch != cur.etag {
		return nil, ErrPreconditionFailed.Newf("The precondition given in one or more of the request-header fields evaluated to false: IfMatch %s is not the current ETag %s.", in.IfMatch, cur.etag)
	}
	if in.DistributionConfig.CallerReference != cur.config.CallerReference {
		return nil, ErrIllegalUpdate.New("The CallerReference of a distribution cannot change.")
	}
	dep, err := s.compile(*in.DistributionConfig)
	if err != nil {
		return nil, err
	}
	d.dep.Store(dep)
	return &UpdateDistributionOutput{Distribution: d, ETag: dep.etag}, nil
}
