package stepfn

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"github.com/minicloud/minicloud/stepfn/internal/jsonata"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/minicloud/minicloud/clock"
)

// Resource is what a Task state calls: a Go function, a *lambda.Function
// or anything else with this one method. Input is the Task's effective
// input as JSON; the output must be JSON (empty means null). An error
// fails the Task: return a *[TaskError] to choose the error name and
// cause that Retry and Catch see.
//
// The context is cancelled when the Task times out, misses a heartbeat,
// or its execution stops; a resource that waits should honour it.
// [SendTaskHeartbeat] with the same context reports a heartbeat.
type Resource interface {
	Invoke(ctx context.Context, input []byte) ([]byte, error)
}

// ResourceFunc adapts a function to [Resource].
type ResourceFunc func(ctx context.Context, input []byte) ([]byte, error)

// Invoke calls f.
func (f ResourceFunc) Invoke(ctx context.Context, input []byte) ([]byte, error) { return f(ctx, input) }

// Service is one simulated Step Functions endpoint: the state machines
// and executions of one account in one region. It is safe for concurrent
// use. Executions run on their own goroutines and wait on the clock;
// [Service.Close] stops them all.
type Service struct {
	clock   clock.Clock
	region  string
	account string
	limits  Limits
	rnd     *lockedRand
	prices  Prices
	meter   meter
	// ataFuncs are the JSONata functions Step Functions adds.
	ataFuncs map[string]jsonata.Func

	mu         sync.Mutex
	machines   map[string]*machine
	execs      map[string]*execution
	resources  map[string]Resource
	resolve    func(arn string) (Resource, bool)
	dynamoDB   DynamoDB
	apiGateway APIGatewayFunc
	tokens     map[string]*waitingTask // task tokens of Tasks waiting for a callback
	activities map[string]*activity    // by ARN
	closed     []*execution            // closed executions, oldest first
	open       int
	shut       bool

	wg         sync.WaitGroup
	rootCtx    context.Context
	rootCancel context.CancelCauseFunc
}

// machine is a created state machine.
type machine struct {
	arn, name, roleArn, typ string
	def                     *StateMachine
	created                 time.Time
	updated                 time.Time // zero until UpdateStateMachine
	revisionID              string    // set by UpdateStateMachine
	logging                 LoggingConfiguration
	tracing                 TracingConfiguration
	deleting                bool
	open                    int
	executions              []*execution // in start order
	byName                  map[string]*execution
	ver                     versionSet // published versions and aliases
	tags                    []Tag
}

// errServiceClosed cancels executions when the service closes.
var errServiceClosed = errors.New("stepfn: service closed")

// New returns a Step Functions service with the given options.
func New(opts Options) *Service {
	s := &Service{
		clock:      clock.Or(opts.Clock),
		region:     opts.Region,
		account:    opts.AccountID,
		limits:     opts.Limits.withDefaults(),
		rnd:        newLockedRand(opts.Rand),
		machines:   map[string]*machine{},
		execs:      map[string]*execution{},
		resources:  map[string]Resource{},
		resolve:    opts.Resolve,
		dynamoDB:   opts.DynamoDB,
		apiGateway: opts.APIGateway,
		tokens:     map[string]*waitingTask{},
		prices:     DefaultPrices(),
	}
	if opts.Prices != nil {
		s.prices = *opts.Prices
	}
	s.ataFuncs = s.newAtaFuncs()
	if s.region == "" {
		s.region = "us-east-1"
	}
	if s.account == "" {
		s.account = "123456789012"
	}
	s.rootCtx, s.rootCancel = context.WithCancelCause(context.Background())
	return s
}

// Close stops every running execution, as StopExecution would, and waits
// for their goroutines to end. Resources still running are told through
// their context, and Close waits for them to return: a resource that
// ignores its context holds Close up. After Close every call that would
// change something fails.
func (s *Service) Close() error {
	s.mu.Lock()
	s.shut = true
	s.mu.Unlock()
	s.rootCancel(errServiceClosed)
	s.wg.Wait()
	return nil
}

// Region returns the service's region.
func (s *Service) Region() string { return s.region }

// AccountID returns the service's account.
func (s *Service) AccountID() string { return s.account }

// Limits returns the quotas in force.
func (s *Service) Limits() Limits { return s.limits }

// RegisterResource makes r the resource a Task state calls when its
// Resource field is arn. A function ARN (arn:aws:lambda:…:function:name)
// also serves the optimized integration arn:aws:states:::lambda:invoke
// with that name or ARN as FunctionName. Registering an ARN again
// replaces its resource.
func (s *Service) RegisterResource(arn string, r Resource) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resources[arn] = r
}

// resource finds a registered resource, or asks Options.Resolve.
func (s *Service) resource(arn string) (Resource, bool) {
	s.mu.Lock()
	r, ok := s.resources[arn]
	s.mu.Unlock()
	if !ok && s.resolve != nil {
		return s.resolve(arn)
	}
	return r, ok
}

// lambdaByName resolves a lambda:invoke FunctionName: a name, a partial
// or a full ARN, optionally qualified.
func (s *Service) lambdaByName(fn string) (Resource, string, bool) {
	arn := fn
	if !strings.HasPrefix(fn, "arn:") {
		arn = fmt.Sprintf("arn:aws:lambda:%s:%s:function:%s", s.region, s.account, fn)
	}
	if r, ok := s.resource(arn); ok {
		return r, arn, true
	}
	if i := strings.LastIndexByte(arn, ':'); i > 0 && strings.Count(arn, ":") == 7 {
		if r, ok := s.resource(arn[:i]); ok {
			return r, arn, true
		}
	}
	return nil, arn, false
}

func (s *Service) stateMachineArn(name string) string {
	return fmt.Sprintf("arn:aws:states:%s:%s:stateMachine:%s", s.region, s.account, name)
}

// validName applies the naming rules of state machines and executions:
// 1 to 80 characters, none of them white space, brackets, wildcards,
// special or control characters.
func validName(name string) bool {
	if n := utf8.RuneCountInString(name); n == 0 || n > maxNameLength {
		return false
	}
	for _, r := range name {
		switch {
		case r <= 0x1f, r >= 0x7f && r <= 0x9f:
			return false
		case strings.ContainsRune(" \t\n\r\f\v<>{}[]?*\"#%\\^|~`$&,;:/", r):
			return false
		}
	}
	return true
}

// checkArn rejects a malformed ARN as Step Functions does.
func checkArn(arn, kind string) error {
	if !strings.HasPrefix(arn, "arn:") {
		return ErrInvalidArn.Newf("Invalid Arn: 'Invalid ARN prefix: %s'", arn)
	}
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || parts[2] != "states" || (kind != "" && parts[5] != kind && !(kind == "execution" && parts[5] == "express")) {
		return ErrInvalidArn.Newf("Invalid Arn: 'Resource type not valid in this context: %s'", arn)
	}
	return nil
}

func (s *Service) checkOpen() error {
	if s.shut {
		return errServiceClosed
	}
	return nil
}

// pageSize applies a MaxResults: 0 means 100, the most is 1,000.
func pageSize(n int) (int, error) {
	switch {
	case n == 0:
		return 100, nil
	case n < 0 || n > 1000:
		return 0, ErrValidation.Newf("1 validation error detected: Value '%d' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000", n)
	}
	return n, nil
}

// page returns the page of items a listing's token and size select, and
// the token of the next page ("" after the last one).
func page[T any](items []T, size int, token, scope string) ([]T, string, error) {
	start, err := decodeToken(token, scope, len(items))
	if err != nil {
		return nil, "", err
	}
	end := min(start+size, len(items))
	next := ""
	if end < len(items) {
		next = encodeToken(scope, end)
	}
	return items[start:end], next, nil
}

// encodeToken makes an opaque pagination token for a listing.
func encodeToken(scope string, offset int) string {
	return base64.RawURLEncoding.EncodeToString([]byte(scope + "|" + strconv.Itoa(offset)))
}

// decodeToken reads a token encodeToken made for the same listing.
func decodeToken(tok, scope string, n int) (int, error) {
	if tok == "" {
		return 0, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	bad := ErrInvalidToken.Newf("Invalid Token: '%s'", tok)
	if err != nil {
		return 0, bad
	}
	i := strings.LastIndexByte(string(raw), '|')
	if i < 0 || string(raw[:i]) != scope {
		return 0, bad
	}
	off, err := strconv.Atoi(string(raw[i+1:]))
	if err != nil || off < 0 || off > n {
		return 0, bad
	}
	return off, nil
}

// Types of state machine.
const (
	// TypeStandard runs exactly once, up to one year, with a history of
	// up to 25,000 events.
	TypeStandard = "STANDARD"
	// TypeExpress runs at least once, up to five minutes, and keeps no
	// history in Step Functions.
	TypeExpress = "EXPRESS"
)

// CreateStateMachineInput is the request of CreateStateMachine.
type CreateStateMachineInput struct {
	// Name of the state machine: 1 to 80 characters. Required.
	Name string
	// Definition is the Amazon States Language document. Required.
	Definition string
	// RoleArn is the IAM role executions run as. Required.
	RoleArn string
	// Type is STANDARD (the default) or EXPRESS.
	Type string
	// Publish publishes the state machine's first revision as version 1.
	Publish bool
	// VersionDescription describes that version: up to 256 characters,
	// only with Publish.
	VersionDescription string
	// Tags to put on the state machine: at most 50.
	Tags []Tag
}

// CreateStateMachineOutput is the response of CreateStateMachine.
type CreateStateMachineOutput struct {
	StateMachineArn string
	CreationDate    time.Time
	// StateMachineVersionArn is the version Publish published; empty
	// without Publish.
	StateMachineVersionArn string
}

// CreateStateMachine validates the definition and creates a state
// machine. Creating one again with the same name, definition, role and
// type returns the existing one (and, with Publish, the version of its
// current revision); with any difference it fails with
// StateMachineAlreadyExists. Tags of a repeated call are ignored, as on
// AWS.
func (s *Service) CreateStateMachine(ctx context.Context, in *CreateStateMachineInput) (*CreateStateMachineOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !validName(in.Name) {
		return nil, ErrInvalidName.Newf("Invalid Name: '%s'", in.Name)
	}
	typ := in.Type
	if typ == "" {
		typ = TypeStandard
	}
	if typ != TypeStandard && typ != TypeExpress {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]", typ)
	}
	if in.RoleArn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null")
	}
	if !strings.HasPrefix(in.RoleArn, "arn:") {
		return nil, ErrInvalidArn.Newf("Invalid Arn: 'Invalid ARN prefix: %s'", in.RoleArn)
	}
	if len(in.Definition) > s.limits.MaxDefinitionSize {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'definition' failed to satisfy constraint: Member must have length less than or equal to %d", s.limits.MaxDefinitionSize)
	}
	if err := checkPublish(in.Publish, in.VersionDescription); err != nil {
		return nil, err
	}
	if err := checkTags(in.Tags, "tags"); err != nil {
		return nil, err
	}
	def, err := Compile(in.Definition)
	if err != nil {
		return nil, err
	}
	if typ == TypeExpress {
		if err := checkExpress(def); err != nil {
			return nil, err
		}
	}
	arn := s.stateMachineArn(in.Name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := s.checkOpen(); err != nil {
		return nil, err
	}
	if m, ok := s.machines[arn]; ok {
		if m.deleting {
			return nil, ErrStateMachineDeleting.Newf("State Machine is being deleted: '%s'", arn)
		}
		if m.def.definition == in.Definition && m.roleArn == in.RoleArn && m.typ == typ {
			return s.createdLocked(m, in)
		}
		return nil, ErrStateMachineAlreadyExists.Newf("State Machine Already Exists: '%s'", arn)
	}
	if len(s.machines) >= s.limits.MaxStateMachines {
		return nil, ErrStateMachineLimitExceeded.Newf("State machine limit exceeded: %d state machines exist, the maximum is %d", len(s.machines), s.limits.MaxStateMachines)
	}
	m := &machine{arn: arn, name: in.Name, roleArn: in.RoleArn, typ: typ, def: def, created: s.clock.Now(), byName: map[string]*execution{},
		logging: LoggingConfiguration{Level: LogLevelOff}}
	tags, err := mergeTags(nil, in.Tags, arn)
	if err != nil {
		return nil, err
	}
	m.tags = tags
	s.machines[arn] = m
	return s.createdLocked(m, in)
}

// checkExpress rejects what Express workflows cannot run: the
// .sync and .waitForTaskToken integration patterns and activities.
func checkExpress(def *StateMachine) error {
	d := &diagnostics{}
	for _, name := range def.StateNames() {
		st := def.states[name]
		if strings.HasSuffix(st.resource, ".waitForTaskToken") || strings.HasSuffix(st.resource, ".sync") || strings.Contains(st.resource, ".sync:") {
			suffix := st.resource[strings.LastIndexByte(st.resource, '.'):]
			d.schema(ptr(st.loc, "Resource"), "Express state machine does not support '%s' service integration ", suffix)
		}
		if isActivityArn(st.resource) {
			d.schema(ptr(st.loc, "Resource"), "Express state machine does not support Activity ARN: '%s'", st.resource)
		}
	}
	return d.err()
}

// DescribeStateMachineOutput is the response of DescribeStateMachine.
type DescribeStateMachineOutput struct {
	StateMachineArn string
	Name            string
	Status          string // ACTIVE or DELETING
	Definition      string
	RoleArn         string
	Type            string
	CreationDate    time.Time
	// LoggingConfiguration is the logging settings (level OFF unless
	// UpdateStateMachine set them).
	LoggingConfiguration LoggingConfiguration
	// TracingConfiguration is the X-Ray settings.
	TracingConfiguration TracingConfiguration
	// RevisionId is the latest UpdateStateMachine's revision, empty
	// before any update; for a version, the revision it was published
	// from.
	RevisionId string
	// Description is a version's description; empty for a state machine.
	Description string
}

// DescribeStateMachine returns a state machine's definition and settings.
// Given a version's ARN (stateMachineArn:number) it returns the version:
// the definition and settings frozen when it was published, its creation
// date and description.
func (s *Service) DescribeStateMachine(ctx context.Context, stateMachineArn string) (*DescribeStateMachineOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := checkArn(stateMachineArn, "stateMachine"); err != nil {
		return nil, err
	}
	if _, q := splitQualified(stateMachineArn); q != "" {
		return s.describeVersion(stateMachineArn)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[stateMachineArn]
	if !ok {
		return nil, ErrStateMachineDoesNotExist.Newf("State Machine Does Not Exist: '%s'", stateMachineArn)
	}
	status := "ACTIVE"
	if m.deleting {
		status = "DELETING"
	}
	logging := m.logging
	logging.Destinations = append([]LogDestination(nil), logging.Destinations...)
	return &DescribeStateMachineOutput{StateMachineArn: m.arn, Name: m.name, Status: status, Definition: m.def.definition, RoleArn: m.roleArn, Type: m.typ, CreationDate: m.created,
		LoggingConfiguration: logging, TracingConfiguration: m.tracing, RevisionId: m.revisionID}, nil
}

// StateMachineListItem is one state machine of ListStateMachines.
type StateMachineListItem struct {
	StateMachineArn string
	Name            string
	Type            string
	CreationDate    time.Time
}

// ListStateMachinesInput is the request of ListStateMachines.
type ListStateMachinesInput struct {
	// MaxResults is the page size, 1 to 1,000; 0 means 100.
	MaxResults int
	// NextToken continues a previous call.
	NextToken string
}

// ListStateMachinesOutput is the response of ListStateMachines.
type ListStateMachinesOutput struct {
	StateMachines []StateMachineListItem
	NextToken     string
}

// ListStateMachines lists the state machines by name.
func (s *Service) ListStateMachines(ctx context.Context, in *ListStateMachinesInput) (*ListStateMachinesOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	size, err := pageSize(in.MaxResults)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	items := make([]StateMachineListItem, 0, len(s.machines))
	for _, m := range s.machines {
		items = append(items, StateMachineListItem{StateMachineArn: m.arn, Name: m.name, Type: m.typ, CreationDate: m.created})
	}
	s.mu.Unlock()
	slices.SortFunc(items, func(a, b StateMachineListItem) int { return strings.Compare(a.Name, b.Name) })
	items, next, err := page(items, size, in.NextToken, "machines")
	if err != nil {
		return nil, err
	}
	return &ListStateMachinesOutput{StateMachines: items, NextToken: next}, nil
}

// DeleteStateMachine deletes a state machine with its versions, aliases
// and tags. Its running executions go on to their end; until then it is
// DELETING and starts no new ones. Deleting a state machine that does not
// exist succeeds, as on AWS.
func (s *Service) DeleteStateMachine(ctx context.Context, stateMachineArn string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := checkArn(stateMachineArn, "stateMachine"); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.machines[stateMachineArn]
	if !ok {
		return nil
	}
	m.deleting = true
	m.ver, m.tags = versionSet{}, nil
	if m.open == 0 {
		delete(s.machines, stateMachineArn)
	}
	return nil
}
