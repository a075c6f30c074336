package lambda

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"
)

// EventSource is a stream an event source mapping polls: a DynamoDB
// stream or a Kinesis data stream, seen through methods of standard types
// only, so that this package imports neither. *dynamo.StreamSource and
// *dynamo.KinesisStream satisfy it.
type EventSource interface {
	// ARN is the stream's ARN, the mapping's EventSourceArn.
	ARN() string
	// Shards lists the readable shards, each after its parent, with each
	// one's parent ID ("" for none).
	Shards(ctx context.Context) (ids, parents []string, err error)
	// ShardIterator returns an iterator of type TRIM_HORIZON, LATEST or
	// AFTER_SEQUENCE_NUMBER (with sequenceNumber).
	ShardIterator(ctx context.Context, shardID, iteratorType, sequenceNumber string) (string, error)
	// Records reads up to limit records, each the JSON of one record of
	// the Lambda event, and the next iterator: "" once a closed shard is
	// read to its end. Errors carry AWS's code in ErrorCode() string.
	Records(ctx context.Context, iterator string, limit int) (records []json.RawMessage, next string, err error)
	// Changed returns a channel closed when the stream next changes.
	Changed() <-chan struct{}
}

// Starting positions of a stream mapping.
const (
	// StartingPositionTrimHorizon starts with the oldest record kept.
	StartingPositionTrimHorizon = "TRIM_HORIZON"
	// StartingPositionLatest starts with the records written after the
	// mapping is created.
	StartingPositionLatest = "LATEST"
	// FunctionResponseTypeReportBatchItemFailures lets the function
	// return {"batchItemFailures":[{"itemIdentifier":"<sequence number>"}]}.
	FunctionResponseTypeReportBatchItemFailures = "ReportBatchItemFailures"
)

// States of an event source mapping.
const (
	ESMStateCreating  = "Creating"
	ESMStateEnabling  = "Enabling"
	ESMStateEnabled   = "Enabled"
	ESMStateDisabling = "Disabling"
	ESMStateDisabled  = "Disabled"
	ESMStateUpdating  = "Updating"
	ESMStateDeleting  = "Deleting"
)

// Conditions of a stream failure record.
const (
	// ConditionRetryAttemptsExhausted: the batch failed
	// MaximumRetryAttempts + 1 times.
	ConditionRetryAttemptsExhausted = "RetryAttemptsExhausted"
	// ConditionRecordAgeExceeded: the records grew older than
	// MaximumRecordAgeInSeconds before they were processed.
	ConditionRecordAgeExceeded = "RecordAgeExceeded"
)

// Bounds of the stream mapping settings, from the Lambda API Reference
// (CreateEventSourceMapping) and "Lambda parameters for Amazon DynamoDB
// event source mappings".
const (
	esmDefaultBatchSize  = 100
	esmMaxBatchSize      = 10_000
	esmMaxBatchingWindow = 300
	esmMaxParallel       = 10
	esmMaxRetries        = 10_000
	esmMinRecordAge      = 60
	esmMaxRecordAge      = 604_800
	esmMaxTumbling       = 900
	esmMaxListItems      = 10_000
	esmDefaultListItems  = 100
	// esmRetryFirst and esmRetryMax bound the backoff between attempts of
	// a failed or throttled batch. AWS does not publish them.
	esmRetryFirst = time.Second
	esmRetryMax   = time.Minute
)

// CreateEventSourceMappingInput is the input of CreateEventSourceMapping
// for a stream. Nil settings take Lambda's defaults.
type CreateEventSourceMappingInput struct {
	// FunctionName is a name, "name:qualifier", a partial ARN or an ARN.
	FunctionName string
	// EventSourceArn is the stream's ARN; empty means Source.ARN().
	EventSourceArn string
	// Source is the stream itself (not part of the Lambda API, where the
	// ARN names it).
	Source EventSource
	// Queue is the queue itself, for a queue (SQS) mapping; set Source or
	// Queue, not both. A queue mapping refuses StartingPosition and the
	// stream-only settings.
	Queue QueueSource
	// StartingPosition is TRIM_HORIZON or LATEST; required for a stream.
	StartingPosition string
	// BatchSize is the most records per invocation: 1 to 10,000, default
	// 100 (for a queue: default 10, and over 10 only with a batching
	// window).
	BatchSize *int
	// MaximumBatchingWindowInSeconds is how long to gather records before
	// invoking with fewer than BatchSize: 0 to 300, default 0.
	MaximumBatchingWindowInSeconds *int
	// ParallelizationFactor is the number of batches of one shard in
	// flight at once: 1 to 10, default 1. The records of one partition
	// key (a DynamoDB item's key, a Kinesis partitionKey) always go to
	// the same of the N lanes, in order.
	ParallelizationFactor *int
	// MaximumRetryAttempts after a failed invocation: -1 (infinite, the
	// default) or 0 to 10,000.
	MaximumRetryAttempts *int
	// MaximumRecordAgeInSeconds discards older records: -1 (infinite,
	// the default) or 60 to 604,800.
	MaximumRecordAgeInSeconds *int
	// BisectBatchOnFunctionError splits a failed batch in two before
	// retrying. Default false.
	BisectBatchOnFunctionError *bool
	// DestinationConfig.OnFailure receives a record describing each batch
	// given up on.
	DestinationConfig *DestinationConfig
	// FunctionResponseTypes is empty or [ReportBatchItemFailures].
	FunctionResponseTypes []string
	// TumblingWindowInSeconds is accepted (0 to 900) and reported, but
	// windows are not aggregated.
	TumblingWindowInSeconds *int
	// FilterCriteria drops the records that match none of its filters
	// (at most 5); see [FilterCriteria].
	FilterCriteria *FilterCriteria
	// Enabled is true by default.
	Enabled *bool
}

// UpdateEventSourceMappingInput changes the settings given of a mapping
// and keeps the others.
type UpdateEventSourceMappingInput struct {
	UUID                           string
	FunctionName                   string
	BatchSize                      *int
	MaximumBatchingWindowInSeconds *int
	ParallelizationFactor          *int
	MaximumRetryAttempts           *int
	MaximumRecordAgeInSeconds      *int
	BisectBatchOnFunctionError     *bool
	DestinationConfig              *DestinationConfig
	FunctionResponseTypes          []string
	TumblingWindowInSeconds        *int
	// FilterCriteria replaces the filters; an empty one removes them.
	FilterCriteria *FilterCriteria
	Enabled        *bool
}

// EventSourceMappingConfiguration describes a mapping, as Lambda's
// GetEventSourceMapping returns it.
type EventSourceMappingConfiguration struct {
	UUID                           string
	FunctionArn                    string
	EventSourceArn                 string
	StartingPosition               string
	BatchSize                      int
	MaximumBatchingWindowInSeconds int
	ParallelizationFactor          int
	MaximumRetryAttempts           int
	MaximumRecordAgeInSeconds      int
	BisectBatchOnFunctionError     bool
	DestinationConfig              *DestinationConfig
	FunctionResponseTypes          []string
	TumblingWindowInSeconds        int
	// FilterCriteria is nil without filters.
	FilterCriteria *FilterCriteria
	// State is Creating, Enabled, Disabled, Updating or Deleting.
	State string
	// StateTransitionReason is "User action".
	StateTransitionReason string
	// LastModified is when the mapping was last changed.
	LastModified time.Time
	// LastProcessingResult is "No records processed", "OK" or
	// "PROBLEM: …" after a failed invocation.
	LastProcessingResult string
}

// ListEventSourceMappingsInput filters and pages the mappings.
type ListEventSourceMappingsInput struct {
	// FunctionName and EventSourceArn, when set, keep the mappings of
	// that function and that stream.
	FunctionName   string
	EventSourceArn string
	// Marker is the NextMarker of the previous page.
	Marker string
	// MaxItems is 1 to 10,000, default 100.
	MaxItems *int
}

// ListEventSourceMappingsOutput is a page of mappings.
type ListEventSourceMappingsOutput struct {
	EventSourceMappings []EventSourceMappingConfiguration
	NextMarker          string
}

// esmRegistry holds a Service's mappings.
type esmRegistry struct {
	mu     sync.Mutex
	closed bool
	byID   map[string]*mapping
	order  []string
	wg     sync.WaitGroup
}

// close stops every mapping's pollers and waits for them.
func (r *esmRegistry) close() {
	r.mu.Lock()
	r.closed = true
	ms := make([]*mapping, 0, len(r.byID))
	for _, id := range r.order {
		ms = append(ms, r.byID[id])
	}
	r.mu.Unlock()
	for _, m := range ms {
		m.stop()
	}
	r.wg.Wait()
}

// CreateEventSourceMapping starts polling a stream and invoking a
// function with its records, in batches, shard by shard. The output's
// State is Creating; the mapping is Enabled (or Disabled) as soon as it
// is returned. A second mapping of the same stream to the same function
// is ResourceConflictException.
func (s *Service) CreateEventSourceMapping(ctx context.Context, in *CreateEventSourceMappingInput) (*EventSourceMappingConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("CreateEventSourceMappingInput is required")
	}
	if in.Queue != nil {
		return s.createQueueMapping(ctx, in)
	}
	if in.Source == nil {
		return nil, ErrInvalidParameterValue.New("Source or Queue is required: the stream or queue to poll")
	}
	arn := in.EventSourceArn
	if arn == "" {
		arn = in.Source.ARN()
	}
	if arn != in.Source.ARN() {
		return nil, ErrInvalidParameterValue.Newf("EventSourceArn %s is not the ARN of Source (%s)", arn, in.Source.ARN())
	}
	switch in.StartingPosition {
	case StartingPositionTrimHorizon, StartingPositionLatest:
	case "":
		return nil, ErrInvalidParameterValue.New("StartingPosition is required for a stream event source")
	default:
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: [TRIM_HORIZON, LATEST]", in.StartingPosition)
	}
	t, err := s.resolve(in.FunctionName, "")
	if err != nil {
		return nil, err
	}
	c := EventSourceMappingConfiguration{
		FunctionArn:               t.arn,
		EventSourceArn:            arn,
		StartingPosition:          in.StartingPosition,
		BatchSize:                 esmDefaultBatchSize,
		ParallelizationFactor:     1,
		MaximumRetryAttempts:      -1,
		MaximumRecordAgeInSeconds: -1,
		StateTransitionReason:     "User action",
		LastProcessingResult:      "No records processed",
	}
	up := in.settings()
	if err := applyESMSettings(&c, &up); err != nil {
		return nil, err
	}
	m := &mapping{s: s, src: in.Source, shards: make(map[string]*shardState)}
	if in.StartingPosition == StartingPositionLatest {
		// LATEST means the records written after the call returns, so
		// the open shards' positions are taken now.
		if err := m.markLatest(ctx); err != nil {
			return nil, err
		}
	}
	return s.esm.add(s, m, c, in.Enabled == nil || *in.Enabled, t.fn.name)
}

// add registers a new mapping with configuration c and starts it when
// enabled; a mapping of the same source to the same function is
// ResourceConflictException.
func (r *esmRegistry) add(s *Service, m *mapping, c EventSourceMappingConfiguration, enabled bool, fnName string) (*EventSourceMappingConfiguration, error) {
	arn := c.EventSourceArn
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errClosed()
	}
	for _, id := range r.order {
		o := r.byID[id]
		if o.cfg.EventSourceArn == arn && o.cfg.FunctionArn == c.FunctionArn {
			return nil, ErrResourceConflict.Newf("The event source arn (\" %s \") and function (\" %s \") provided mapping already exists. Please update or delete the existing mapping with UUID %s", arn, fnName, id)
		}
	}
	if r.byID == nil {
		r.byID = make(map[string]*mapping)
	}
	c.UUID = s.newRequestID()
	c.LastModified = s.clock.Now()
	c.State = ESMStateDisabled
	if enabled {
		c.State = ESMStateEnabled
	}
	m.cfg = c
	r.byID[c.UUID] = m
	r.order = append(r.order, c.UUID)
	if enabled {
		m.start()
	}
	out := m.snapshot()
	out.State = ESMStateCreating
	return &out, nil
}

// GetEventSourceMapping returns a mapping's configuration and state.
func (s *Service) GetEventSourceMapping(ctx context.Context, uuid string) (*EventSourceMappingConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := s.esm.get(uuid)
	if err != nil {
		return nil, err
	}
	out := m.snapshot()
	return &out, nil
}

// UpdateEventSourceMapping changes a mapping's settings, function or
// Enabled flag. Its pollers restart with the new settings from the
// records not yet processed; the output's State is Updating.
func (s *Service) UpdateEventSourceMapping(ctx context.Context, in *UpdateEventSourceMappingInput) (*EventSourceMappingConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("UpdateEventSourceMappingInput is required")
	}
	m, err := s.esm.get(in.UUID)
	if err != nil {
		return nil, err
	}
	m.updMu.Lock()
	defer m.updMu.Unlock()
	m.mu.Lock()
	c := m.cfg
	m.mu.Unlock()
	if in.FunctionName != "" {
		t, err := s.resolve(in.FunctionName, "")
		if err != nil {
			return nil, err
		}
		c.FunctionArn = t.arn
	}
	apply := applyESMSettings
	if m.queue != nil {
		apply = applyQueueSettings
	}
	if err := apply(&c, in); err != nil {
		return nil, err
	}
	m.stop()
	if in.Enabled != nil {
		c.State = ESMStateDisabled
		if *in.Enabled {
			c.State = ESMStateEnabled
		}
	}
	c.LastModified = s.clock.Now()
	s.esm.mu.Lock()
	defer s.esm.mu.Unlock()
	if s.esm.closed || s.esm.byID[in.UUID] != m {
		return nil, ErrResourceNotFound.Newf("The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: %s)", s.newRequestID())
	}
	m.mu.Lock()
	m.cfg = c
	m.mu.Unlock()
	if c.State == ESMStateEnabled {
		m.start()
	}
	out := m.snapshot()
	out.State = ESMStateUpdating
	return &out, nil
}

// DeleteEventSourceMapping stops a mapping and deletes it; the output's
// State is Deleting. Records not yet processed are not delivered.
func (s *Service) DeleteEventSourceMapping(ctx context.Context, uuid string) (*EventSourceMappingConfiguration, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m, err := s.esm.get(uuid)
	if err != nil {
		return nil, err
	}
	m.updMu.Lock()
	defer m.updMu.Unlock()
	s.esm.mu.Lock()
	if s.esm.byID[uuid] != m {
		s.esm.mu.Unlock()
		return nil, ErrResourceNotFound.Newf("The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: %s)", s.newRequestID())
	}
	delete(s.esm.byID, uuid)
	s.esm.order = slices.DeleteFunc(s.esm.order, func(id string) bool { return id == uuid })
	s.esm.mu.Unlock()
	m.stop()
	out := m.snapshot()
	out.State = ESMStateDeleting
	return &out, nil
}

// ListEventSourceMappings lists the mappings in creation order, filtered
// by function and stream.
func (s *Service) ListEventSourceMappings(ctx context.Context, in *ListEventSourceMappingsInput) (*ListEventSourceMappingsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ListEventSourceMappingsInput{}
	}
	max := esmDefaultListItems
	if in.MaxItems != nil {
		max = *in.MaxItems
		if max < 1 || max > esmMaxListItems {
			return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%d' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and %d", max, esmMaxListItems)
		}
	}
	fnArn := ""
	if in.FunctionName != "" {
		t, err := s.resolve(in.FunctionName, "")
		if err != nil {
			return nil, err
		}
		fnArn = t.arn
	}
	start := 0
	if in.Marker != "" {
		n, err := strconv.Atoi(in.Marker)
		if err != nil || n < 0 {
			return nil, ErrInvalidParameterValue.Newf("Invalid Marker: %s", in.Marker)
		}
		start = n
	}
	s.esm.mu.Lock()
	if s.esm.closed {
		s.esm.mu.Unlock()
		return nil, errClosed()
	}
	var ms []*mapping
	for _, id := range s.esm.order {
		ms = append(ms, s.esm.byID[id])
	}
	s.esm.mu.Unlock()
	out := &ListEventSourceMappingsOutput{}
	i := 0
	for _, m := range ms {
		c := m.snapshot()
		if (fnArn != "" && c.FunctionArn != fnArn) || (in.EventSourceArn != "" && c.EventSourceArn != in.EventSourceArn) {
			continue
		}
		if i >= start {
			if len(out.EventSourceMappings) == max {
				out.NextMarker = strconv.Itoa(i)
				break
			}
			out.EventSourceMappings = append(out.EventSourceMappings, c)
		}
		i++
	}
	return out, nil
}

// get finds a mapping by UUID.
func (r *esmRegistry) get(uuid string) (*mapping, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil, errClosed()
	}
	m := r.byID[uuid]
	if m == nil {
		return nil, ErrResourceNotFound.Newf("The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: %s)", uuid)
	}
	return m, nil
}

// applyESMSettings validates the settings of in and writes them to c.
func applyESMSettings(c *EventSourceMappingConfiguration, in *UpdateEventSourceMappingInput) error {
	check := func(p *int, name string, lo, hi int, dst *int) error {
		if p == nil {
			return nil
		}
		if *p < lo {
			return ErrInvalidParameterValue.Newf("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to %d", *p, name, lo)
		}
		if *p > hi {
			return ErrInvalidParameterValue.Newf("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", *p, name, hi)
		}
		*dst = *p
		return nil
	}
	if err := check(in.BatchSize, "batchSize", 1, esmMaxBatchSize, &c.BatchSize); err != nil {
		return err
	}
	if err := check(in.MaximumBatchingWindowInSeconds, "maximumBatchingWindowInSeconds", 0, esmMaxBatchingWindow, &c.MaximumBatchingWindowInSeconds); err != nil {
		return err
	}
	if err := check(in.ParallelizationFactor, "parallelizationFactor", 1, esmMaxParallel, &c.ParallelizationFactor); err != nil {
		return err
	}
	if err := check(in.MaximumRetryAttempts, "maximumRetryAttempts", -1, esmMaxRetries, &c.MaximumRetryAttempts); err != nil {
		return err
	}
	if p := in.MaximumRecordAgeInSeconds; p != nil && *p != -1 && *p < esmMinRecordAge {
		return ErrInvalidParameterValue.Newf("MaximumRecordAgeInSeconds must be -1 or between %d and %d, got %d", esmMinRecordAge, esmMaxRecordAge, *p)
	}
	if err := check(in.MaximumRecordAgeInSeconds, "maximumRecordAgeInSeconds", -1, esmMaxRecordAge, &c.MaximumRecordAgeInSeconds); err != nil {
		return err
	}
	if err := check(in.TumblingWindowInSeconds, "tumblingWindowInSeconds", 0, esmMaxTumbling, &c.TumblingWindowInSeconds); err != nil {
		return err
	}
	if in.BisectBatchOnFunctionError != nil {
		c.BisectBatchOnFunctionError = *in.BisectBatchOnFunctionError
	}
	if in.FilterCriteria != nil {
		if _, err := compileFilterCriteria(in.FilterCriteria); err != nil {
			return err
		}
		c.FilterCriteria = cloneFilterCriteria(in.FilterCriteria)
	}
	if in.DestinationConfig != nil {
		if in.DestinationConfig.OnSuccess != nil {
			return ErrInvalidParameterValue.New("Unsupported DestinationConfig parameter for given event source mapping type: OnSuccess")
		}
		c.DestinationConfig = in.DestinationConfig
	}
	if in.FunctionResponseTypes != nil {
		for _, rt := range in.FunctionResponseTypes {
			if rt != FunctionResponseTypeReportBatchItemFailures {
				return ErrInvalidParameterValue.Newf("1 validation error detected: Value '[%s]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy enum value set: [ReportBatchItemFailures]", rt)
			}
		}
		c.FunctionResponseTypes = slices.Clone(in.FunctionResponseTypes)
	}
	return nil
}

// mapping is one event source mapping: its configuration, its position in
// each shard, and the pollers running it.
type mapping struct {
	s   *Service
	src EventSource
	// queue is the source of a queue mapping (src is then nil).
	queue QueueSource
	// updMu serializes Update and Delete of the mapping.
	updMu sync.Mutex

	mu     sync.Mutex
	cfg    EventSourceMappingConfiguration
	shards map[string]*shardState
	cancel context.CancelFunc
	done   chan struct{}
}

// shardState is a mapping's checkpoint in one shard.
type shardState struct {
	id, parent string
	// lastSeq is the sequence number of the last record processed.
	lastSeq string
	// latest: the mapping began this shard at LATEST; startIter is the
	// iterator taken then.
	latest    bool
	startIter string
	finished  bool
	// lane, in a lane's view of a shard with ParallelizationFactor > 1,
	// receives the lane's checkpoints.
	lane *lane
}

// snapshot copies the configuration.
func (m *mapping) snapshot() EventSourceMappingConfiguration {
	m.mu.Lock()
	defer m.mu.Unlock()
	c := m.cfg
	c.FunctionResponseTypes = slices.Clone(c.FunctionResponseTypes)
	c.FilterCriteria = cloneFilterCriteria(c.FilterCriteria)
	return c
}

// markLatest takes a LATEST iterator in each open shard and skips the
// closed ones.
func (m *mapping) markLatest(ctx context.Context) error {
	ids, parents, err := m.src.Shards(ctx)
	if err != nil {
		return err
	}
	isParent := make(map[string]bool)
	for _, p := range parents {
		isParent[p] = true
	}
	for i, id := range ids {
		st := &shardState{id: id, parent: parents[i], latest: true}
		if isParent[id] {
			st.finished = true
		} else if st.startIter, err = m.src.ShardIterator(ctx, id, StartingPositionLatest, ""); err != nil {
			return err
		}
		m.shards[id] = st
	}
	return nil
}

// start runs the mapping's poller. The caller holds the registry's lock.
func (m *mapping) start() {
	ctx, cancel := context.WithCancel(m.s.closeCtx)
	done := make(chan struct{})
	m.mu.Lock()
	m.cancel, m.done = cancel, done
	m.mu.Unlock()
	m.s.esm.wg.Add(1)
	go func() {
		defer m.s.esm.wg.Done()
		defer close(done)
		if m.queue != nil {
			m.runQueue(ctx)
			return
		}
		m.run(ctx)
	}()
}

// stop stops the poller and waits for it.
func (m *mapping) stop() {
	m.mu.Lock()
	cancel, done := m.cancel, m.done
	m.cancel, m.done = nil, nil
	m.mu.Unlock()
	if cancel != nil {
		cancel()
		<-done
	}
}

// String names the mapping in logs.
func (m *mapping) String() string {
	c := m.snapshot()
	return fmt.Sprintf("event source mapping %s (%s -> %s)", c.UUID, c.EventSourceArn, c.FunctionArn)
}

// settings are the tunable settings of a new mapping, in the form an
// update takes them, so that creation and update check them alike.
func (in *CreateEventSourceMappingInput) settings() UpdateEventSourceMappingInput {
	return UpdateEventSourceMappingInput{
		BatchSize: in.BatchSize, MaximumBatchingWindowInSeconds: in.MaximumBatchingWindowInSeconds,
		ParallelizationFactor: in.ParallelizationFactor, MaximumRetryAttempts: in.MaximumRetryAttempts,
		MaximumRecordAgeInSeconds: in.MaximumRecordAgeInSeconds, BisectBatchOnFunctionError: in.BisectBatchOnFunctionError,
		DestinationConfig: in.DestinationConfig, FunctionResponseTypes: in.FunctionResponseTypes,
		TumblingWindowInSeconds: in.TumblingWindowInSeconds, FilterCriteria: in.FilterCriteria,
	}
}
