package lambda

import (
	"context"
	"maps"
	"math"
)

// alias is a named pointer to a version, optionally sending a share of
// the invocations to a second version. Guarded by Service.mu.
type alias struct {
	name        string
	version     string
	description string
	weights     map[string]float64
	revision    string
	metrics     *metricSet
}

// AliasRoutingConfiguration sends a share of an alias's invocations to a
// second version: a canary or a gradual rollout.
type AliasRoutingConfiguration struct {
	// AdditionalVersionWeights maps one published version to the share of
	// invocations (0.0 to 1.0) it receives; the alias's FunctionVersion
	// gets the rest.
	AdditionalVersionWeights map[string]float64
}

// AliasConfiguration describes an alias.
type AliasConfiguration struct {
	AliasArn        string
	Name            string
	FunctionVersion string
	Description     string
	RoutingConfig   *AliasRoutingConfiguration
	RevisionId      string
}

// CreateAliasInput is the input of CreateAlias.
type CreateAliasInput struct {
	FunctionName string
	// Name: 1 to 128 letters, digits, hyphens and underscores, not only
	// digits.
	Name string
	// FunctionVersion is the version the alias points at ($LATEST or a
	// published version).
	FunctionVersion string
	Description     string
	RoutingConfig   *AliasRoutingConfiguration
}

// CreateAlias creates an alias of a function.
func (s *Service) CreateAlias(ctx context.Context, in *CreateAliasInput) (*AliasConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("CreateAliasInput is required")
	}
	if !validAliasName(in.Name) {
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)", in.Name)
	}
	fn, err := s.lockFunction(in.FunctionName)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	if _, ok := fn.aliases[in.Name]; ok {
		return nil, ErrResourceConflict.Newf("Alias already exists: %s", s.qualifiedARN(fn.name, in.Name))
	}
	a := &alias{name: in.Name, version: in.FunctionVersion, description: in.Description, metrics: fn.metrics.set("a:" + in.Name)}
	if err := s.checkAliasLocked(fn, a.version, in.RoutingConfig); err != nil {
		return nil, err
	}
	if in.RoutingConfig != nil {
		a.weights = maps.Clone(in.RoutingConfig.AdditionalVersionWeights)
	}
	a.revision = s.newRequestID()
	fn.aliases[a.name] = a
	c := s.aliasConfig(fn, a)
	return &c, nil
}

// checkAliasLocked validates an alias's target and routing.
func (s *Service) checkAliasLocked(fn *function, ver string, rc *AliasRoutingConfiguration) error {
	if ver == "" {
		return ErrInvalidParameterValue.New("FunctionVersion is required")
	}
	if _, ok := s.versionLocked(fn, ver); !ok {
		return ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(fn.name, ver))
	}
	if rc == nil || len(rc.AdditionalVersionWeights) == 0 {
		return nil
	}
	if len(rc.AdditionalVersionWeights) > 1 {
		return ErrInvalidParameterValue.New("Number of items in AdditionalVersionWeights cannot be greater than 1")
	}
	if ver == LatestVersion {
		return ErrInvalidParameterValue.New("$LATEST is not supported for an alias pointing to more than 1 version")
	}
	for v, w := range rc.AdditionalVersionWeights {
		if v == LatestVersion {
			return ErrInvalidParameterValue.New("$LATEST is not supported for an alias pointing to more than 1 version")
		}
		if v == ver {
			return ErrInvalidParameterValue.Newf("Alias's primary version %s cannot also be an additional version", v)
		}
		if _, ok := fn.versions[v]; !ok {
			return ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(fn.name, v))
		}
		if math.IsNaN(w) || w < 0 || w > 1 {
			return ErrInvalidParameterValue.Newf("Invalid function version weight %v for version %s: weights are between 0.0 and 1.0", w, v)
		}
	}
	return nil
}

func (s *Service) aliasConfig(fn *function, a *alias) AliasConfiguration {
	c := AliasConfiguration{
		AliasArn:        s.qualifiedARN(fn.name, a.name),
		Name:            a.name,
		FunctionVersion: a.version,
		Description:     a.description,
		RevisionId:      a.revision,
	}
	if len(a.weights) > 0 {
		c.RoutingConfig = &AliasRoutingConfiguration{AdditionalVersionWeights: maps.Clone(a.weights)}
	}
	return c
}

// GetAliasInput names an alias.
type GetAliasInput struct {
	FunctionName string
	Name         string
}

// GetAlias returns an alias's configuration.
func (s *Service) GetAlias(ctx context.Context, in *GetAliasInput) (*AliasConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("GetAliasInput is required")
	}
	ref, err := parseFunctionRef(in.FunctionName)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, err
	}
	a, ok := fn.aliases[in.Name]
	if !ok {
		return nil, ErrResourceNotFound.Newf("Alias not found: %s", s.qualifiedARN(fn.name, in.Name))
	}
	c := s.aliasConfig(fn, a)
	return &c, nil
}

// UpdateAliasInput changes an alias. Empty fields are left as they are; a
// non-nil RoutingConfig replaces the routing (an empty one removes it).
type UpdateAliasInput struct {
	FunctionName    string
	Name            string
	FunctionVersion string
	Description     *string
	RoutingConfig   *AliasRoutingConfiguration
	RevisionId      string
}

// UpdateAlias points an alias elsewhere or changes its routing.
func (s *Service) UpdateAlias(ctx context.Context, in *UpdateAliasInput) (*AliasConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("UpdateAliasInput is required")
	}
	fn, err := s.lockFunction(in.FunctionName)
	if err != nil {
		return nil, err
	}
	defer s.mu.Unlock()
	a, ok := fn.aliases[in.Name]
	if !ok {
		return nil, ErrResourceNotFound.Newf("Alias not found: %s", s.qualifiedARN(fn.name, in.Name))
	}
	if in.RevisionId != "" && in.RevisionId != a.revision {
		return nil, ErrPreconditionFailed.New("The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id")
	}
	ver := a.version
	if in.FunctionVersion != "" {
		ver = in.FunctionVersion
	}
	rc := in.RoutingConfig
	if rc == nil && len(a.weights) > 0 {
		rc = &AliasRoutingConfiguration{AdditionalVersionWeights: a.weights}
	}
	if err := s.checkAliasLocked(fn, ver, rc); err != nil {
		return nil, err
	}
	a.version = ver
	if in.Description != nil {
		a.description = *in.Description
	}
	if in.RoutingConfig != nil {
		a.weights = maps.Clone(in.RoutingConfig.AdditionalVersionWeights)
	}
	a.revision = s.newRequestID()
	c := s.aliasConfig(fn, a)
	return &c, nil
}

// DeleteAliasInput names the alias to delete.
type DeleteAliasInput struct {
	FunctionName string
	Name         string
}

// DeleteAlias deletes an alias, with its provisioned concurrency and
// asynchronous invocation configurations.
func (s *Service) DeleteAlias(ctx context.Context, in *DeleteAliasInput) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if in == nil {
		return ErrInvalidParameterValue.New("DeleteAliasInput is required")
	}
	ref, err := parseFunctionRef(in.FunctionName)
	if err != nil {
		return err
	}
	s.mu.Lock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		s.mu.Unlock()
		return err
	}
	if _, ok := fn.aliases[in.Name]; !ok {
		s.mu.Unlock()
		return ErrResourceNotFound.Newf("Alias not found: %s", s.qualifiedARN(fn.name, in.Name))
	}
	delete(fn.aliases, in.Name)
	delete(fn.events, in.Name)
	pc := fn.provisioned[in.Name]
	delete(fn.provisioned, in.Name)
	s.mu.Unlock()
	if pc != nil {
		s.conc.setProvisioned(fn, -pc.requested)
		pc.pool.setProvisioned(pc, 0)
	}
	return nil
}

// ListAliasesInput is the input of ListAliases.
type ListAliasesInput struct {
	FunctionName string
	// FunctionVersion, when set, lists only the aliases pointing at it.
	FunctionVersion string
}

// ListAliasesOutput lists a function's aliases, sorted by name.
type ListAliasesOutput struct {
	Aliases []AliasConfiguration
}

// ListAliases lists a function's aliases.
func (s *Service) ListAliases(ctx context.Context, in *ListAliasesInput) (*ListAliasesOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("ListAliasesInput is required")
	}
	ref, err := parseFunctionRef(in.FunctionName)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, err
	}
	out := &ListAliasesOutput{}
	for _, n := range sortedKeys(fn.aliases) {
		a := fn.aliases[n]
		if in.FunctionVersion != "" && a.version != in.FunctionVersion {
			continue
		}
		out.Aliases = append(out.Aliases, s.aliasConfig(fn, a))
	}
	return out, nil
}

// routeLocked picks the version an invocation of the alias runs: the
// additional version with its weight's probability, else the primary.
func (s *Service) routeLocked(fn *function, a *alias) *version {
	for v, w := range a.weights {
		if w > 0 && s.float64n() < w {
			if ver, ok := fn.versions[v]; ok {
				return ver
			}
		}
	}
	ver, _ := s.versionLocked(fn, a.version)
	return ver
}
