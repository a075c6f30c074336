package stepfn

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/minicloud/minicloud/internal/awserr"
)

// Errors of versions, aliases and tags.
var (
	// ErrConflict is ConflictException (HTTP 409): PublishStateMachineVersion
	// or UpdateStateMachine with publish was given a revisionId that is not
	// the state machine's current one, an alias of that name exists with
	// another configuration, or DeleteStateMachineVersion named a version an
	// alias still routes to.
	ErrConflict = awserr.New("ConflictException", 409, "")
	// ErrServiceQuotaExceeded is ServiceQuotaExceededException: a state
	// machine already has the most versions (Limits.MaxVersions) or
	// aliases (Limits.MaxAliases) it may have.
	ErrServiceQuotaExceeded = awserr.New("ServiceQuotaExceededException", 400, "")
	// ErrResourceNotFound is ResourceNotFound: no alias, version, state
	// machine or activity has the ARN given.
	ErrResourceNotFound = awserr.New("ResourceNotFound", 400, "")
	// ErrTooManyTags is TooManyTags: the resource would have more than 50
	// tags.
	ErrTooManyTags = awserr.New("TooManyTags", 400, "")
)

// maxDescription is the longest version or alias description: 256
// characters (the VersionDescription and AliasDescription shapes).
const maxDescription = 256

// versionSet holds a state machine's versions and aliases.
type versionSet struct {
	versions []*version // oldest first
	last     int        // the number of the last version published; numbers are never reused
	aliases  []*alias   // oldest first
}

// version is a published, immutable snapshot of a state machine's
// revision.
type version struct {
	arn         string
	m           *machine
	def         *StateMachine
	roleArn     string
	logging     LoggingConfiguration
	tracing     TracingConfiguration
	revisionID  string // the revision it was published from; "" for the first
	description string
	created     time.Time
}

// target is what an execution runs: the latest revision of a state
// machine, one of its versions, or the version an alias picked.
type target struct {
	m          *machine
	def        *StateMachine
	roleArn    string
	logging    LoggingConfiguration
	tracing    TracingConfiguration
	revisionID string
	updated    time.Time // when the revision was made (for DescribeStateMachineForExecution)
	versionArn string    // set when started with a version or alias ARN
	aliasArn   string    // set when started with an alias ARN
}

// splitQualified splits a state machine ARN into the state machine's own
// ARN and its qualifier: a version number or an alias name, "" when the
// ARN is unqualified.
func splitQualified(arn string) (base, qualifier string) {
	if strings.Count(arn, ":") != 7 {
		return arn, ""
	}
	i := strings.LastIndexByte(arn, ':')
	return arn[:i], arn[i+1:]
}

// isVersionNumber reports whether a qualifier names a version: a positive
// decimal number.
func isVersionNumber(q string) bool {
	n, err := strconv.Atoi(q)
	return err == nil && n > 0 && strconv.Itoa(n) == q
}

// findVersion returns the version of m with that ARN, or nil.
func (vs *versionSet) findVersion(arn string) *version {
	for _, v := range vs.versions {
		if v.arn == arn {
			return v
		}
	}
	return nil
}

// published reports whether a revision has a version.
func (vs *versionSet) published(revisionID string) bool {
	for _, v := range vs.versions {
		if v.revisionID == revisionID {
			return true
		}
	}
	return false
}

// quotaError is the ServiceQuotaExceededException of a state machine with
// the most versions it may have.
func quotaError(m *machine, most int) error {
	return ErrServiceQuotaExceeded.Newf("Service quota exceeded: '%s' has %d versions, the most a state machine may have", m.arn, most)
}

// findAlias returns the alias of m with that ARN, or nil.
func (vs *versionSet) findAlias(arn string) *alias {
	for _, a := range vs.aliases {
		if a.arn == arn {
			return a
		}
	}
	return nil
}

// targetLocked resolves the ARN StartExecution or StartSyncExecution was
// given: a state machine (its latest revision), a version, or an alias,
// whose version is drawn by weight from the service's random source. The
// caller holds s.mu.
func (s *Service) targetLocked(arn string) (*target, error) {
	base, q := splitQualified(arn)
	m, ok := s.machines[base]
	if !ok {
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", arn)
	}
	if m.deleting {
		return nil, ErrStateMachineDeleting.Newf("State Machine is being deleted: '%s'", m.arn)
	}
	if q == "" {
		updated := m.updated
		if updated.IsZero() {
			updated = m.created
		}
		return &target{m: m, def: m.def, roleArn: m.roleArn, logging: m.logging, tracing: m.tracing, revisionID: m.revisionID, updated: updated}, nil
	}
	var v *version
	aliasArn := ""
	if isVersionNumber(q) {
		v = m.ver.findVersion(arn)
	} else if a := m.ver.findAlias(arn); a != nil {
		v = m.ver.findVersion(a.pick(s.rnd))
		aliasArn = a.arn
	}
	if v == nil {
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", arn)
	}
	return &target{m: m, def: v.def, roleArn: v.roleArn, logging: v.logging, tracing: v.tracing, revisionID: v.revisionID,
		updated: v.created, versionArn: v.arn, aliasArn: aliasArn}, nil
}

// publishLocked publishes m's current revision as a version, or returns
// the version already published from it. The caller holds s.mu.
func (s *Service) publishLocked(m *machine, description string) (*version, error) {
	for _, v := range m.ver.versions {
		if v.revisionID == m.revisionID {
			return v, nil
		}
	}
	if len(m.ver.versions) >= s.limits.MaxVersions {
		return nil, quotaError(m, s.limits.MaxVersions)
	}
	m.ver.last++
	logging := m.logging
	logging.Destinations = append([]LogDestination(nil), logging.Destinations...)
	v := &version{arn: fmt.Sprintf("%s:%d", m.arn, m.ver.last), m: m, def: m.def, roleArn: m.roleArn, logging: logging, tracing: m.tracing,
		revisionID: m.revisionID, description: description, created: s.clock.Now()}
	m.ver.versions = append(m.ver.versions, v)
	return v, nil
}

// checkDescription applies the 256-character limit of a version or alias
// description.
func checkDescription(d, field string) error {
	if utf8.RuneCountInString(d) > maxDescription {
		return ErrValidation.Newf("1 validation error detected: Value at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", field, maxDescription)
	}
	return nil
}

// checkMachineArn checks a required ARN that names a state machine itself,
// not one of its versions or aliases.
func checkMachineArn(arn string) error {
	if arn == "" {
		return ErrValidation.New("1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null")
	}
	if err := checkArn(arn, "stateMachine"); err != nil {
		return err
	}
	if _, q := splitQualified(arn); q != "" {
		return ErrInvalidArn.Newf("Invalid Arn: 'Qualified state machine ARNs are not valid in this context: %s'", arn)
	}
	return nil
}

// PublishStateMachineVersionInput is the request of
// PublishStateMachineVersion.
type PublishStateMachineVersionInput struct {
	// StateMachineArn names the state machine. Required.
	StateMachineArn string
	// RevisionId, when set, publishes only if it is the state machine's
	// current revision: the revisionId of the last UpdateStateMachine, or
	// "INITIAL" for a state machine never updated.
	RevisionId string
	// Description describes the version: up to 256 characters.
	Description string
}

// PublishStateMachineVersionOutput is the response of
// PublishStateMachineVersion.
type PublishStateMachineVersionOutput struct {
	CreationDate           time.Time
	StateMachineVersionArn string
}

// PublishStateMachineVersion publishes the state machine's current
// revision as a version: an immutable snapshot of its definition, role,
// logging and tracing, numbered 1, 2, ... (numbers of deleted versions
// are not reused), with the ARN stateMachineArn:number. Executions
// started with a version's ARN run that snapshot whatever updates follow.
//
// As on AWS the call is idempotent: publishing a revision already
// published returns that version. A RevisionId that is not the current
// revision fails with ConflictException; past Limits.MaxVersions (1,000)
// versions it fails with ServiceQuotaExceededException.
func (s *Service) PublishStateMachineVersion(ctx context.Context, in *PublishStateMachineVersionInput) (*PublishStateMachineVersionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkMachineArn(in.StateMachineArn); err != nil {
		return nil, err
	}
	if err := checkDescription(in.Description, "description"); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	m, ok := s.machines[in.StateMachineArn]
	if !ok {
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", in.StateMachineArn)
	}
	if m.deleting {
		return nil, ErrStateMachineDeleting.Newf("State Machine is being deleted: '%s'", m.arn)
	}
	if err := checkRevision(m, in.RevisionId); err != nil {
		return nil, err
	}
	v, err := s.publishLocked(m, in.Description)
	if err != nil {
		return nil, err
	}
	return &PublishStateMachineVersionOutput{CreationDate: v.created, StateMachineVersionArn: v.arn}, nil
}

// checkRevision compares an expected revision with m's current one.
func checkRevision(m *machine, want string) error {
	if want == "" {
		return nil
	}
	have := m.revisionID
	if have == "" {
		have = "INITIAL"
	}
	if want != have {
		return ErrConflict.Newf("Failed to publish the State Machine version: the current revision of '%s' is '%s', not '%s'", m.arn, have, want)
	}
	return nil
}

// StateMachineVersionListItem is one version of ListStateMachineVersions.
type StateMachineVersionListItem struct {
	StateMachineVersionArn string
	CreationDate           time.Time
}

// ListStateMachineVersionsInput is the request of ListStateMachineVersions.
type ListStateMachineVersionsInput struct {
	// StateMachineArn names the state machine. Required.
	StateMachineArn string
	// MaxResults is the page size, 1 to 1,000; 0 means 100.
	MaxResults int
	// NextToken continues a previous call.
	NextToken string
}

// ListStateMachineVersionsOutput is the response of
// ListStateMachineVersions.
type ListStateMachineVersionsOutput struct {
	StateMachineVersions []StateMachineVersionListItem
	NextToken            string
}

// ListStateMachineVersions lists a state machine's versions, newest
// first. A state machine that does not exist has none.
func (s *Service) ListStateMachineVersions(ctx context.Context, in *ListStateMachineVersionsInput) (*ListStateMachineVersionsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkMachineArn(in.StateMachineArn); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	var items []StateMachineVersionListItem
	if m, ok := s.machines[in.StateMachineArn]; ok {
		for i := len(m.ver.versions) - 1; i >= 0; i-- {
			v := m.ver.versions[i]
			items = append(items, StateMachineVersionListItem{StateMachineVersionArn: v.arn, CreationDate: v.created})
		}
	}
	s.mu.Unlock()
	items, next, err := page(items, size, in.NextToken, "versions:"+in.StateMachineArn)
	if err != nil {
		return nil, err
	}
	return &ListStateMachineVersionsOutput{StateMachineVersions: items, NextToken: next}, nil
}

// DeleteStateMachineVersionInput is the request of
// DeleteStateMachineVersion.
type DeleteStateMachineVersionInput struct {
	// StateMachineVersionArn names the version. Required.
	StateMachineVersionArn string
}

// DeleteStateMachineVersionOutput is the response of
// DeleteStateMachineVersion.
type DeleteStateMachineVersionOutput struct{}

// DeleteStateMachineVersion deletes a version. Its running executions go
// on to their end. A version an alias routes to cannot be deleted
// (ConflictException) until the alias is updated or deleted. Deleting a
// version that does not exist succeeds.
func (s *Service) DeleteStateMachineVersion(ctx context.Context, in *DeleteStateMachineVersionInput) (*DeleteStateMachineVersionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	arn := in.StateMachineVersionArn
	if err := checkVersionArn(arn, "stateMachineVersionArn"); err != nil {
		return nil, err
	}
	base, _ := splitQualified(arn)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	m, ok := s.machines[base]
	if !ok {
		return &DeleteStateMachineVersionOutput{}, nil
	}
	var users []string
	for _, a := range m.ver.aliases {
		if a.routesTo(arn) {
			users = append(users, a.arn)
		}
	}
	if len(users) > 0 {
		return nil, ErrConflict.Newf("Version to be deleted must not be referenced by an alias. Current list of aliases referencing this version: %s", quoteList(users))
	}
	for i, v := range m.ver.versions {
		if v.arn == arn {
			m.ver.versions = append(m.ver.versions[:i], m.ver.versions[i+1:]...)
			break
		}
	}
	return &DeleteStateMachineVersionOutput{}, nil
}

// checkVersionArn checks a required ARN that must name a version.
func checkVersionArn(arn, field string) error {
	if arn == "" {
		return ErrValidation.Newf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
	}
	if err := checkArn(arn, "stateMachine"); err != nil {
		return err
	}
	if _, q := splitQualified(arn); !isVersionNumber(q) {
		return ErrInvalidArn.Newf("Invalid Arn: 'Not a state machine version ARN: %s'", arn)
	}
	return nil
}

// describeVersion is DescribeStateMachine of a version ARN: the version's
// frozen definition and settings, its creation date and description.
func (s *Service) describeVersion(arn string) (*DescribeStateMachineOutput, error) {
	base, q := splitQualified(arn)
	s.mu.Lock()
	defer s.mu.Unlock()
	var v *version
	if m, ok := s.machines[base]; ok && isVersionNumber(q) {
		v = m.ver.findVersion(arn)
	}
	if v == nil {
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", arn)
	}
	status := "ACTIVE"
	if v.m.deleting {
		status = "DELETING"
	}
	logging := v.logging
	logging.Destinations = append([]LogDestination(nil), logging.Destinations...)
	return &DescribeStateMachineOutput{StateMachineArn: v.arn, Name: v.m.name, Status: status, Definition: v.def.definition, RoleArn: v.roleArn,
		Type: v.m.typ, CreationDate: v.created, LoggingConfiguration: logging, TracingConfiguration: v.tracing, RevisionId: v.revisionID,
		Description: v.description}, nil
}

// DescribeStateMachineForExecutionInput is the request of
// DescribeStateMachineForExecution.
type DescribeStateMachineForExecutionInput struct {
	// ExecutionArn names the execution. Required.
	ExecutionArn string
}

// DescribeStateMachineForExecutionOutput is the response of
// DescribeStateMachineForExecution: the state machine as the execution
// runs it.
type DescribeStateMachineForExecutionOutput struct {
	StateMachineArn      string
	Name                 string
	Definition           string
	RoleArn              string
	UpdateDate           time.Time // when that revision or version was made
	LoggingConfiguration LoggingConfiguration
	TracingConfiguration TracingConfiguration
	// RevisionId is the revision the execution runs; empty for a state
	// machine's first revision.
	RevisionId string
}

// DescribeStateMachineForExecution returns the definition, role and
// settings an execution runs with: those of the revision or version it
// started on, whatever updates came after. Express executions answer
// StateMachineTypeNotSupported, as DescribeExecution does.
func (s *Service) DescribeStateMachineForExecution(ctx context.Context, in *DescribeStateMachineForExecutionInput) (*DescribeStateMachineForExecutionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	e, err := s.lookupExecution(in.ExecutionArn)
	if err != nil {
		return nil, err
	}
	if e.express {
		return nil, ErrStateMachineTypeNotSupported.New("This operation is not supported by this type of state machine")
	}
	src := e.src
	if src == nil { // an execution the service started itself
		src = &target{updated: e.m.created, logging: LoggingConfiguration{Level: LogLevelOff}}
	}
	logging := src.logging
	logging.Destinations = append([]LogDestination(nil), logging.Destinations...)
	return &DescribeStateMachineForExecutionOutput{StateMachineArn: e.m.arn, Name: e.m.name, Definition: e.def.definition, RoleArn: e.roleArn,
		UpdateDate: src.updated, LoggingConfiguration: logging, TracingConfiguration: src.tracing, RevisionId: src.revisionID}, nil
}

// checkPublish applies the rule that a version description goes only
// with publish, and its length.
func checkPublish(publish bool, description string) error {
	if description != "" && !publish {
		return ErrValidation.New("Version description can only be set when publish is true")
	}
	return checkDescription(description, "versionDescription")
}

// createdLocked answers CreateStateMachine for m, publishing its current
// revision when asked. The caller holds s.mu.
func (s *Service) createdLocked(m *machine, in *CreateStateMachineInput) (*CreateStateMachineOutput, error) {
	out := &CreateStateMachineOutput{StateMachineArn: m.arn, CreationDate: m.created}
	if in.Publish {
		v, err := s.publishLocked(m, in.VersionDescription)
		if err != nil {
			return nil, err
		}
		out.StateMachineVersionArn = v.arn
	}
	return out, nil
}

// version returns the version ARN an execution was started with; t may
// be nil (an execution TestState made).
func (t *target) version() string {
	if t == nil {
		return ""
	}
	return t.versionArn
}

// alias returns the alias ARN an execution was started with; t may be
// nil.
func (t *target) alias() string {
	if t == nil {
		return ""
	}
	return t.aliasArn
}
