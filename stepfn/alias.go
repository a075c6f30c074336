package stepfn

import (
	"context"
	"slices"
	"strconv"
	"time"
)

// alias is a named pointer to one or two versions of a state machine.
type alias struct {
	arn, name   string
	description string
	routes      []RoutingConfigurationListItem
	created     time.Time
	updated     time.Time
}

// RoutingConfigurationListItem is one version an alias routes to and the
// percentage of the executions started with the alias that run it.
type RoutingConfigurationListItem struct {
	// StateMachineVersionArn names a version. Required.
	StateMachineVersionArn string
	// Weight is the percentage of executions, 0 to 100. The weights of
	// an alias sum to 100.
	Weight int
}

// routesTo reports whether the alias routes to a version.
func (a *alias) routesTo(versionArn string) bool {
	for _, r := range a.routes {
		if r.StateMachineVersionArn == versionArn {
			return true
		}
	}
	return false
}

// pick draws the version an execution started with the alias runs, each
// with its weight's chance.
func (a *alias) pick(rnd *lockedRand) string {
	if len(a.routes) == 1 {
		return a.routes[0].StateMachineVersionArn
	}
	n := int(rnd.int64n(100))
	for _, r := range a.routes {
		if n < r.Weight {
			return r.StateMachineVersionArn
		}
		n -= r.Weight
	}
	return a.routes[len(a.routes)-1].StateMachineVersionArn
}

// validAliasName applies the alias naming rule (the
// CharacterRestrictedName shape): 1 to 80 of the characters
// [a-zA-Z0-9_.-], not all of them digits, so that an alias ARN never
// looks like a version ARN.
func validAliasName(name string) bool {
	if len(name) == 0 || len(name) > maxNameLength {
		return false
	}
	digitsOnly := true
	for _, r := range name {
		switch {
		case r >= '0' && r <= '9':
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r == '_', r == '-', r == '.':
			digitsOnly = false
		default:
			return false
		}
	}
	return !digitsOnly
}

// checkRouting validates a routing configuration's shape: one or two
// distinct version ARNs of one state machine, weights 0 to 100 summing to
// 100. It returns the state machine's ARN.
func checkRouting(routes []RoutingConfigurationListItem) (string, error) {
	switch {
	case routes == nil:
		return "", ErrValidation.New("1 validation error detected: Value null at 'routingConfiguration' failed to satisfy constraint: Member must not be null")
	case len(routes) == 0 || len(routes) > 2:
		return "", ErrValidation.Newf("Routing configuration must contain 1 or 2 state machine versions, not %d", len(routes))
	}
	base := ""
	sum := 0
	for i, r := range routes {
		if err := checkVersionArn(r.StateMachineVersionArn, "routingConfiguration."+strconv.Itoa(i+1)+".member.stateMachineVersionArn"); err != nil {
			return "", err
		}
		if r.Weight < 0 || r.Weight > 100 {
			return "", ErrValidation.Newf("1 validation error detected: Value '%d' at 'routingConfiguration.%d.member.weight' failed to satisfy constraint: Member must have value between 0 and 100", r.Weight, i+1)
		}
		b, _ := splitQualified(r.StateMachineVersionArn)
		if base != "" && b != base {
			return "", ErrValidation.New("Invalid routing configuration: both stateMachineVersionArn values must belong to the same state machine")
		}
		base = b
		sum += r.Weight
	}
	if len(routes) == 2 && routes[0].StateMachineVersionArn == routes[1].StateMachineVersionArn {
		return "", ErrValidation.Newf("Invalid routing configuration: the version '%s' appears twice", routes[0].StateMachineVersionArn)
	}
	if sum != 100 {
		return "", ErrValidation.Newf("Invalid routing configuration: the sum of the weights in the routing configuration must be equal to 100, not %d", sum)
	}
	return base, nil
}

// routeMachineLocked finds the state machine and versions a routing
// configuration names. The caller holds s.mu.
func (s *Service) routeMachineLocked(base string, routes []RoutingConfigurationListItem) (*machine, error) {
	m, ok := s.machines[base]
	if !ok {
		return nil, ErrResourceNotFound.Newf("Resource not found: '%s'", routes[0].StateMachineVersionArn)
	}
	if m.deleting {
		return nil, ErrStateMachineDeleting.Newf("State Machine is being deleted: '%s'", m.arn)
	}
	for _, r := range routes {
		if m.ver.findVersion(r.StateMachineVersionArn) == nil {
			return nil, ErrResourceNotFound.Newf("Resource not found: '%s'", r.StateMachineVersionArn)
		}
	}
	return m, nil
}

// CreateStateMachineAliasInput is the request of CreateStateMachineAlias.
type CreateStateMachineAliasInput struct {
	// Name of the alias: 1 to 80 letters, digits, '_', '-' and '.', not
	// all digits. Required.
	Name string
	// Description describes the alias: up to 256 characters.
	Description string
	// RoutingConfiguration is one or two versions of one state machine
	// with weights summing to 100. Required.
	RoutingConfiguration []RoutingConfigurationListItem
}

// CreateStateMachineAliasOutput is the response of
// CreateStateMachineAlias.
type CreateStateMachineAliasOutput struct {
	StateMachineAliasArn string
	CreationDate         time.Time
}

// CreateStateMachineAlias creates an alias of the state machine whose
// versions the routing configuration names; its ARN is the state
// machine's ARN, a colon and the name. StartExecution with the alias's
// ARN runs one of its versions, drawn by weight from Options.Rand, so a
// run on a seeded source is reproducible.
//
// Creating an alias again with the same description and routing returns
// it; with a different one it fails with ConflictException. A version
// that does not exist is ResourceNotFound; past Limits.MaxAliases (100)
// aliases of one state machine, ServiceQuotaExceededException.
func (s *Service) CreateStateMachineAlias(ctx context.Context, in *CreateStateMachineAliasInput) (*CreateStateMachineAliasOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Name == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null")
	}
	if !validAliasName(in.Name) {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: ^(?=.*[a-zA-Z_\\-\\.])[a-zA-Z0-9_\\-\\.]+$", in.Name)
	}
	if err := checkDescription(in.Description, "description"); err != nil {
		return nil, err
	}
	base, err := checkRouting(in.RoutingConfiguration)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	m, err := s.routeMachineLocked(base, in.RoutingConfiguration)
	if err != nil {
		return nil, err
	}
	arn := m.arn + ":" + in.Name
	if a := m.ver.findAlias(arn); a != nil {
		if a.description == in.Description && slices.Equal(a.routes, in.RoutingConfiguration) {
			return &CreateStateMachineAliasOutput{StateMachineAliasArn: a.arn, CreationDate: a.created}, nil
		}
		return nil, ErrConflict.Newf("Failed to create alias because an alias with the same name and a different routing configuration already exists: '%s'", arn)
	}
	if len(m.ver.aliases) >= s.limits.MaxAliases {
		return nil, ErrServiceQuotaExceeded.Newf("Service quota exceeded: '%s' has %d aliases, the most a state machine may have", m.arn, s.limits.MaxAliases)
	}
	now := s.clock.Now()
	a := &alias{arn: arn, name: in.Name, description: in.Description, routes: slices.Clone(in.RoutingConfiguration), created: now, updated: now}
	m.ver.aliases = append(m.ver.aliases, a)
	return &CreateStateMachineAliasOutput{StateMachineAliasArn: arn, CreationDate: now}, nil
}

// aliasLocked finds an alias by ARN. The caller holds s.mu.
func (s *Service) aliasLocked(arn string) (*machine, *alias, error) {
	if arn == "" {
		return nil, nil, ErrValidation.New("1 validation error detected: Value null at 'stateMachineAliasArn' failed to satisfy constraint: Member must not be null")
	}
	if err := checkArn(arn, "stateMachine"); err != nil {
		return nil, nil, err
	}
	base, q := splitQualified(arn)
	if q == "" || isVersionNumber(q) {
		return nil, nil, ErrInvalidArn.Newf("Invalid Arn: 'Not a state machine alias ARN: %s'", arn)
	}
	if m, ok := s.machines[base]; ok {
		if a := m.ver.findAlias(arn); a != nil {
			return m, a, nil
		}
	}
	return nil, nil, ErrResourceNotFound.Newf("Resource not found: '%s'", arn)
}

// DescribeStateMachineAliasInput is the request of
// DescribeStateMachineAlias.
type DescribeStateMachineAliasInput struct {
	// StateMachineAliasArn names the alias. Required.
	StateMachineAliasArn string
}

// DescribeStateMachineAliasOutput is the response of
// DescribeStateMachineAlias.
type DescribeStateMachineAliasOutput struct {
	StateMachineAliasArn string
	Name                 string
	Description          string
	RoutingConfiguration []RoutingConfigurationListItem
	CreationDate         time.Time
	// UpdateDate is the last UpdateStateMachineAlias, or the creation
	// date.
	UpdateDate time.Time
}

// DescribeStateMachineAlias returns an alias's description and routing,
// or ResourceNotFound.
func (s *Service) DescribeStateMachineAlias(ctx context.Context, in *DescribeStateMachineAliasInput) (*DescribeStateMachineAliasOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, a, err := s.aliasLocked(in.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	return &DescribeStateMachineAliasOutput{StateMachineAliasArn: a.arn, Name: a.name, Description: a.description,
		RoutingConfiguration: slices.Clone(a.routes), CreationDate: a.created, UpdateDate: a.updated}, nil
}

// UpdateStateMachineAliasInput is the request of UpdateStateMachineAlias.
// At least one of Description and RoutingConfiguration must be given.
type UpdateStateMachineAliasInput struct {
	// StateMachineAliasArn names the alias. Required.
	StateMachineAliasArn string
	// Description, when not nil, replaces the description.
	Description *string
	// RoutingConfiguration, when not nil, replaces the routing: one or
	// two versions of the alias's state machine.
	RoutingConfiguration []RoutingConfigurationListItem
}

// UpdateStateMachineAliasOutput is the response of UpdateStateMachineAlias.
type UpdateStateMachineAliasOutput struct {
	UpdateDate time.Time
}

// UpdateStateMachineAlias changes an alias's description or routing.
// Executions started afterwards follow the new routing at once (AWS
// documents a few seconds of eventual consistency; minicloud has none).
func (s *Service) UpdateStateMachineAlias(ctx context.Context, in *UpdateStateMachineAliasInput) (*UpdateStateMachineAliasOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.Description == nil && in.RoutingConfiguration == nil {
		return nil, ErrValidation.New("Either the description or the routing configuration must be specified")
	}
	if in.Description != nil {
		if err := checkDescription(*in.Description, "description"); err != nil {
			return nil, err
		}
	}
	base := ""
	if in.RoutingConfiguration != nil {
		var err error
		if base, err = checkRouting(in.RoutingConfiguration); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	m, a, err := s.aliasLocked(in.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	if m.deleting {
		return nil, ErrStateMachineDeleting.Newf("State Machine is being deleted: '%s'", m.arn)
	}
	if in.RoutingConfiguration != nil {
		if base != m.arn {
			return nil, ErrValidation.Newf("Invalid routing configuration: the versions must belong to the alias's state machine '%s'", m.arn)
		}
		if _, err := s.routeMachineLocked(base, in.RoutingConfiguration); err != nil {
			return nil, err
		}
		a.routes = slices.Clone(in.RoutingConfiguration)
	}
	if in.Description != nil {
		a.description = *in.Description
	}
	a.updated = s.clock.Now()
	return &UpdateStateMachineAliasOutput{UpdateDate: a.updated}, nil
}

// DeleteStateMachineAliasInput is the request of DeleteStateMachineAlias.
type DeleteStateMachineAliasInput struct {
	// StateMachineAliasArn names the alias. Required.
	StateMachineAliasArn string
}

// DeleteStateMachineAliasOutput is the response of DeleteStateMachineAlias.
type DeleteStateMachineAliasOutput struct{}

// DeleteStateMachineAlias deletes an alias; the versions it routed to
// stay. An alias that does not exist is ResourceNotFound.
func (s *Service) DeleteStateMachineAlias(ctx context.Context, in *DeleteStateMachineAliasInput) (*DeleteStateMachineAliasOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	m, a, err := s.aliasLocked(in.StateMachineAliasArn)
	if err != nil {
		return nil, err
	}
	m.ver.aliases = slices.DeleteFunc(m.ver.aliases, func(x *alias) bool { return x == a })
	return &DeleteStateMachineAliasOutput{}, nil
}

// StateMachineAliasListItem is one alias of ListStateMachineAliases.
type StateMachineAliasListItem struct {
	StateMachineAliasArn string
	CreationDate         time.Time
}

// ListStateMachineAliasesInput is the request of ListStateMachineAliases.
type ListStateMachineAliasesInput struct {
	// StateMachineArn names the state machine, or one of its versions to
	// list only the aliases routing to it. Required.
	StateMachineArn string
	// MaxResults is the page size, 1 to 1,000; 0 means 100.
	MaxResults int
	// NextToken continues a previous call.
	NextToken string
}

// ListStateMachineAliasesOutput is the response of ListStateMachineAliases.
type ListStateMachineAliasesOutput struct {
	StateMachineAliases []StateMachineAliasListItem
	NextToken           string
}

// ListStateMachineAliases lists a state machine's aliases, or those
// routing to a version, newest first.
func (s *Service) ListStateMachineAliases(ctx context.Context, in *ListStateMachineAliasesInput) (*ListStateMachineAliasesOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in.StateMachineArn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null")
	}
	if err := checkArn(in.StateMachineArn, "stateMachine"); err != nil {
		return nil, err
	}
	base, q := splitQualified(in.StateMachineArn)
	if q != "" && !isVersionNumber(q) {
		return nil, ErrInvalidArn.Newf("Invalid Arn: 'Not a state machine or version ARN: %s'", in.StateMachineArn)
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	m, ok := s.machines[base]
	switch {
	case !ok:
		s.mu.Unlock()
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", base)
	case m.deleting:
		s.mu.Unlock()
		return nil, ErrStateMachineDeleting.Newf("State Machine is being deleted: '%s'", m.arn)
	case q != "" && m.ver.findVersion(in.StateMachineArn) == nil:
		s.mu.Unlock()
		return nil, ErrResourceNotFound.Newf("Resource not found: '%s'", in.StateMachineArn)
	}
	var items []StateMachineAliasListItem
	for i := len(m.ver.aliases) - 1; i >= 0; i-- {
		a := m.ver.aliases[i]
		if q != "" && !a.routesTo(in.StateMachineArn) {
			continue
		}
		items = append(items, StateMachineAliasListItem{StateMachineAliasArn: a.arn, CreationDate: a.created})
	}
	s.mu.Unlock()
	items, next, err := page(items, size, in.NextToken, "aliases:"+in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return &ListStateMachineAliasesOutput{StateMachineAliases: items, NextToken: next}, nil
}
