package lambda

import (
	"context"
	"maps"
	"slices"
	"strconv"
)

// PublishVersionInput is the input of PublishVersion.
type PublishVersionInput struct {
	FunctionName string
	// Description of the version; default $LATEST's description.
	Description string
	// CodeSha256, when set, must match $LATEST's code.
	CodeSha256 string
	// RevisionId, when set, must match $LATEST's revision.
	RevisionId string
}

// PublishVersion snapshots $LATEST's code and configuration as an
// immutable version numbered 1, 2, 3… Publishing an unchanged $LATEST
// returns the last version instead of a copy, as Lambda does. Each
// version has its own execution environments and counts against the
// account's 75 GB of code storage.
func (s *Service) PublishVersion(ctx context.Context, in *PublishVersionInput) (*FunctionConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("PublishVersionInput is required")
	}
	fn, err := s.lockFunction(in.FunctionName)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if in.CodeSha256 != "" && in.CodeSha256 != fn.latest.cfg.codeSha256 {
		return nil, ErrInvalidParameterValue.Newf("CodeSHA256 (%s) is different from current CodeSHA256 in $LATEST (%s). Please try again with the CodeSHA256 in $LATEST.", in.CodeSha256, fn.latest.cfg.codeSha256)
	}
	if in.RevisionId != "" && in.RevisionId != fn.latest.revision {
		return nil, ErrPreconditionFailed.New("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	v, err := s.publishLocked(fn, in.Description)
	if err != nil {
		return nil, err
	}
	c := v.configuration()
	return &c, nil
}

// publishLocked publishes $LATEST. The caller holds s.mu.
func (s *Service) publishLocked(fn *function, description string) (*version, error) {
	if last, ok := fn.versions[strconv.Itoa(fn.nextVersion-1)]; ok && last.code == fn.latest.code {
		// a version's own description does not make $LATEST differ
		c := *last.cfg
		c.description = fn.latest.cfg.description
		if c.sameAs(fn.latest.cfg) {
			return last, nil
		}
	}
	if err := s.checkCodeStorageLocked(fn.latest.cfg.codeSize); err != nil {
		return nil, err
	}
	cfg := *fn.latest.cfg
	if description != "" {
		cfg.description = description
	}
	cfg.lastModified = s.clock.Now()
	num := strconv.Itoa(fn.nextVersion)
	fn.nextVersion++
	v := s.newVersion(fn, num, &cfg, fn.latest.code)
	fn.versions[num] = v
	return v, nil
}

// ListVersionsByFunctionInput is the input of ListVersionsByFunction.
type ListVersionsByFunctionInput struct {
	FunctionName string
	Marker       string
	// MaxItems per page: 1 to 10,000, default 50.
	MaxItems int
}

// ListVersionsByFunctionOutput is one page of versions: $LATEST first,
// then the published versions in order.
type ListVersionsByFunctionOutput struct {
	Versions   []FunctionConfiguration
	NextMarker string
}

// ListVersionsByFunction lists a function's versions.
func (s *Service) ListVersionsByFunction(ctx context.Context, in *ListVersionsByFunctionInput) (*ListVersionsByFunctionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("ListVersionsByFunctionInput is required")
	}
	ref, err := parseFunctionRef(in.FunctionName)
	if err != nil {
		return nil, err
	}
	max := in.MaxItems
	if max == 0 {
		max = 50
	}
	if max < 1 || max > 10000 {
		return nil, rangeErr("MaxItems", int64(max), 1, 10000, "", "ListVersionsByFunction page size")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, err
	}
	all := []FunctionConfiguration{fn.latest.configuration()}
	nums := slices.Collect(maps.Keys(fn.versions))
	slices.SortFunc(nums, func(a, b string) int { x, _ := strconv.Atoi(a); y, _ := strconv.Atoi(b); return x - y })
	for _, n := range nums {
		all = append(all, fn.versions[n].configuration())
	}
	start, end, next, err := pageBounds(len(all), in.Marker, max)
	if err != nil {
		return nil, err
	}
	return &ListVersionsByFunctionOutput{Versions: all[start:end], NextMarker: next}, nil
}
