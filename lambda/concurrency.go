package lambda

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// concurrency is the account's concurrency accounting. A function with a
// reservation runs at most that many invocations at once and takes
// nothing from the others; a function without one draws from the
// unreserved pool (the account limit minus every reservation and every
// unreserved function's provisioned concurrency), after first using its
// own provisioned concurrency.
type concurrency struct {
	mu            sync.Mutex
	limit         int
	minUnreserved int
	scalingRate   float64
	scalingPeriod time.Duration

	reservedTotal  int // sum of reservations
	provUnreserved int // provisioned concurrency of functions without a reservation
	sharedInUse    int // invocations running in the unreserved pool
	inFlight       int
	maxInFlight    int
}

func (c *concurrency) init(l Limits) {
	c.limit = l.ConcurrentExecutions
	c.minUnreserved = l.MinUnreservedConcurrency
	c.scalingRate = float64(l.ScalingRate)
	c.scalingPeriod = l.ScalingPeriod
}

// slot is one unit of concurrency held by a running invocation.
type slot struct {
	fn     *function
	shared bool
}

// acquire takes a unit of concurrency for fn or returns the throttle.
func (c *concurrency) acquire(fn *function) (slot, *Error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	sl := slot{fn: fn}
	if fn.reserved >= 0 {
		if fn.inFlight >= fn.reserved {
			return sl, throttled(ReasonReservedFunctionConcurrentInvocationLimitExceeded)
		}
	} else if fn.inFlight >= fn.provTotal {
		if c.sharedInUse >= c.limit-c.reservedTotal-c.provUnreserved {
			return sl, throttled(ReasonConcurrentInvocationLimitExceeded)
		}
		c.sharedInUse++
		sl.shared = true
	}
	fn.inFlight++
	c.inFlight++
	c.maxInFlight = max(c.maxInFlight, c.inFlight)
	return sl, nil
}

func (c *concurrency) release(sl slot) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if sl.shared {
		c.sharedInUse--
	}
	sl.fn.inFlight--
	c.inFlight--
}

// takeScaling spends one of the function's tokens for a new execution
// environment: a bucket of ScalingRate tokens refilled at ScalingRate per
// ScalingPeriod (1,000 per 10 seconds).
func (c *concurrency) takeScaling(fn *function, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !fn.tokensSetUp {
		fn.tokens, fn.tokensAt, fn.tokensSetUp = c.scalingRate, now, true
	}
	if el := now.Sub(fn.tokensAt); el > 0 {
		fn.tokens = min(c.scalingRate, fn.tokens+c.scalingRate*float64(el)/float64(c.scalingPeriod))
		fn.tokensAt = now
	}
	if fn.tokens < 1 {
		return false
	}
	fn.tokens--
	return true
}

func (c *concurrency) reservedOf(fn *function) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return fn.reserved
}

// unreserved is the account's UnreservedConcurrentExecutions.
func (c *concurrency) unreserved() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.limit - c.reservedTotal
}

func (c *concurrency) running() (now, peak int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.inFlight, c.maxInFlight
}

// setReserved sets (r >= 0) or removes (r < 0) fn's reservation, keeping
// the unreserved pool at or above its minimum.
func (c *concurrency) setReserved(fn *function, r int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	total, provUnres := c.reservedTotal, c.provUnreserved
	if fn.reserved >= 0 {
		total -= fn.reserved
	} else {
		provUnres -= fn.provTotal
	}
	if r >= 0 {
		if r < fn.provTotal {
			return ErrInvalidParameterValue.Newf("ReservedConcurrentExecutions %d is lower than the function's provisioned concurrency %d", r, fn.provTotal)
		}
		total += r
	} else {
		provUnres += fn.provTotal
	}
	if c.limit-total-provUnres < c.minUnreserved {
		le := &LimitError{Limit: "UnreservedConcurrentExecutions", Value: int64(c.limit - total - provUnres), Min: int64(c.minUnreserved), Max: int64(c.limit)}
		return limitErr(ErrInvalidParameterValue, fmt.Sprintf("Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [%d].", c.minUnreserved), le)
	}
	c.reservedTotal, c.provUnreserved = total, provUnres
	fn.reserved = r
	return nil
}

// checkProvisioned reports whether fn's provisioned concurrency can grow
// by delta.
func (c *concurrency) checkProvisioned(fn *function, delta int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if fn.reserved >= 0 {
		if fn.provTotal+delta > fn.reserved {
			return ErrInvalidParameterValue.Newf("Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function (%d).", fn.reserved)
		}
		return nil
	}
	if free := c.limit - c.reservedTotal - c.provUnreserved - delta; free < c.minUnreserved {
		avail := c.limit - c.reservedTotal - c.provUnreserved - c.minUnreserved
		le := &LimitError{Limit: "UnreservedConcurrentExecutions", Value: int64(free), Min: int64(c.minUnreserved), Max: int64(c.limit)}
		return limitErr(ErrInvalidParameterValue, fmt.Sprintf("Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [%d] less its minimum of [%d]: at most %d can be provisioned.", c.limit-c.reservedTotal-c.provUnreserved, c.minUnreserved, avail), le)
	}
	return nil
}

func (c *concurrency) setProvisioned(fn *function, delta int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fn.provTotal += delta
	if fn.reserved < 0 {
		c.provUnreserved += delta
	}
}

// forget drops a deleted function's reservation and provisioned
// concurrency from the account's totals.
func (c *concurrency) forget(fn *function) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if fn.reserved >= 0 {
		c.reservedTotal -= fn.reserved
	} else {
		c.provUnreserved -= fn.provTotal
	}
	fn.reserved, fn.provTotal = 0, 0
}

// PutFunctionConcurrencyInput sets a function's reserved concurrency.
type PutFunctionConcurrencyInput struct {
	FunctionName string
	// ReservedConcurrentExecutions is both a guarantee and a cap. Zero
	// stops the function: every invocation is throttled.
	ReservedConcurrentExecutions int
}

// FunctionConcurrency is a function's reserved concurrency.
type FunctionConcurrency struct {
	// ReservedConcurrentExecutions is nil when the function has none.
	ReservedConcurrentExecutions *int
}

// PutFunctionConcurrency reserves concurrency for a function. The account
// keeps at least 100 (MinUnreservedConcurrency) unreserved.
func (s *Service) PutFunctionConcurrency(ctx context.Context, in *PutFunctionConcurrencyInput) (*FunctionConcurrency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("PutFunctionConcurrencyInput is required")
	}
	if in.ReservedConcurrentExecutions < 0 {
		return nil, rangeErr("ReservedConcurrentExecutions", int64(in.ReservedConcurrentExecutions), 0, int64(s.limits.ConcurrentExecutions), "", "Concurrent executions")
	}
	fn, err := s.functionByName(in.FunctionName)
	if err != nil {
		return nil, err
	}
	if err := s.conc.setReserved(fn, in.ReservedConcurrentExecutions); err != nil {
		return nil, err
	}
	r := in.ReservedConcurrentExecutions
	return &FunctionConcurrency{ReservedConcurrentExecutions: &r}, nil
}

// FunctionConcurrencyInput names the function of GetFunctionConcurrency
// and DeleteFunctionConcurrency.
type FunctionConcurrencyInput struct {
	FunctionName string
}

// GetFunctionConcurrency returns a function's reserved concurrency.
func (s *Service) GetFunctionConcurrency(ctx context.Context, in *FunctionConcurrencyInput) (*FunctionConcurrency, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("FunctionConcurrencyInput is required")
	}
	fn, err := s.functionByName(in.FunctionName)
	if err != nil {
		return nil, err
	}
	out := &FunctionConcurrency{}
	if r := s.conc.reservedOf(fn); r >= 0 {
		out.ReservedConcurrentExecutions = &r
	}
	return out, nil
}

// DeleteFunctionConcurrency removes a function's reservation: it draws
// from the unreserved pool again.
func (s *Service) DeleteFunctionConcurrency(ctx context.Context, in *FunctionConcurrencyInput) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if in == nil {
		return ErrInvalidParameterValue.New("FunctionConcurrencyInput is required")
	}
	fn, err := s.functionByName(in.FunctionName)
	if err != nil {
		return err
	}
	return s.conc.setReserved(fn, -1)
}

// functionByName resolves an unqualified FunctionName.
func (s *Service) functionByName(name string) (*function, error) {
	ref, err := parseFunctionRef(name)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.lookupLocked(ref)
}

// provisionedConfig is a version's or alias's provisioned concurrency.
type provisionedConfig struct {
	qualifier    string
	requested    int
	pool         *pool
	lastModified time.Time
}

// Provisioned concurrency statuses.
const (
	ProvisionedStatusInProgress = "IN_PROGRESS"
	ProvisionedStatusReady      = "READY"
	ProvisionedStatusFailed     = "FAILED"
)

// ProvisionedConcurrencyConfigInput sets, reads or deletes the provisioned
// concurrency of a version or alias.
type ProvisionedConcurrencyConfigInput struct {
	FunctionName string
	// Qualifier is a published version or an alias ($LATEST cannot have
	// provisioned concurrency).
	Qualifier string
	// ProvisionedConcurrentExecutions is the number of environments to
	// keep initialised (for Put only).
	ProvisionedConcurrentExecutions int
}

// ProvisionedConcurrencyConfig describes provisioned concurrency.
type ProvisionedConcurrencyConfig struct {
	RequestedProvisionedConcurrentExecutions int
	// AvailableProvisionedConcurrentExecutions is the number of
	// environments initialised so far.
	AvailableProvisionedConcurrentExecutions int
	AllocatedProvisionedConcurrentExecutions int
	// Status is IN_PROGRESS until every environment has run its init, then
	// READY; FAILED when an init failed.
	Status       string
	StatusReason string
	LastModified string
}

// PutProvisionedConcurrencyConfig keeps a number of execution environments
// of a version or alias initialised, so that invocations up to that
// number start warm. The environments initialise in the background (each
// with the simulated cold start), and the configuration is READY when all
// have. Provisioned concurrency counts against the function's reservation
// or the account's unreserved pool.
func (s *Service) PutProvisionedConcurrencyConfig(ctx context.Context, in *ProvisionedConcurrencyConfigInput) (*ProvisionedConcurrencyConfig, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("ProvisionedConcurrencyConfigInput is required")
	}
	if in.ProvisionedConcurrentExecutions < 1 {
		return nil, rangeErr("ProvisionedConcurrentExecutions", int64(in.ProvisionedConcurrentExecutions), 1, int64(s.limits.ConcurrentExecutions), "", "Concurrent executions")
	}
	ref, err := parseRefQualifier(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	if ref.qualifier == "" || ref.qualifier == LatestVersion {
		return nil, ErrInvalidParameterValue.New("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
	}
	s.mu.Lock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	var p *pool
	if a, ok := fn.aliases[ref.qualifier]; ok {
		v, _ := s.versionLocked(fn, a.version)
		if v.number == LatestVersion {
			s.mu.Unlock()
			return nil, ErrInvalidParameterValue.New("Provisioned Concurrency Configs cannot be applied to unpublished function versions.")
		}
		p = v.pool
	} else if v, ok := fn.versions[ref.qualifier]; ok {
		p = v.pool
	} else {
		s.mu.Unlock()
		return nil, ErrResourceNotFound.Newf("Function not found: %s", s.qualifiedARN(fn.name, ref.qualifier))
	}
	pc := fn.provisioned[ref.qualifier]
	old := 0
	if pc != nil {
		old = pc.requested
	}
	delta := in.ProvisionedConcurrentExecutions - old
	if err := s.conc.checkProvisioned(fn, delta); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	s.conc.setProvisioned(fn, delta)
	if pc == nil {
		pc = &provisionedConfig{qualifier: ref.qualifier, pool: p}
		fn.provisioned[ref.qualifier] = pc
	}
	pc.requested = in.ProvisionedConcurrentExecutions
	pc.lastModified = s.clock.Now()
	s.mu.Unlock()
	p.setProvisioned(pc, pc.requested)
	return s.provisionedStatus(pc), nil
}

// GetProvisionedConcurrencyConfig returns the provisioned concurrency of a
// version or alias.
func (s *Service) GetProvisionedConcurrencyConfig(ctx context.Context, in *ProvisionedConcurrencyConfigInput) (*ProvisionedConcurrencyConfig, error) {
	pc, _, err := s.provisionedConfigOf(ctx, in)
	if err != nil {
		return nil, err
	}
	return s.provisionedStatus(pc), nil
}

// DeleteProvisionedConcurrencyConfig removes the provisioned concurrency of
// a version or alias; its environments are released.
func (s *Service) DeleteProvisionedConcurrencyConfig(ctx context.Context, in *ProvisionedConcurrencyConfigInput) error {
	pc, fn, err := s.provisionedConfigOf(ctx, in)
	if err != nil {
		return err
	}
	s.mu.Lock()
	delete(fn.provisioned, pc.qualifier)
	s.mu.Unlock()
	s.conc.setProvisioned(fn, -pc.requested)
	pc.pool.setProvisioned(pc, 0)
	return nil
}

func (s *Service) provisionedConfigOf(ctx context.Context, in *ProvisionedConcurrencyConfigInput) (*provisionedConfig, *function, error) {
	if err := ctx.Err(); err != nil {
		return nil, nil, err
	}
	if in == nil {
		return nil, nil, ErrInvalidParameterValue.New("ProvisionedConcurrencyConfigInput is required")
	}
	ref, err := parseRefQualifier(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, nil, err
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	fn, err := s.lookupLocked(ref)
	if err != nil {
		return nil, nil, err
	}
	pc, ok := fn.provisioned[ref.qualifier]
	if !ok {
		return nil, nil, ErrProvisionedConcurrencyConfigNotFound.Newf("No Provisioned Concurrency Config found for this function: %s", s.qualifiedARN(fn.name, ref.qualifier))
	}
	return pc, fn, nil
}

func (s *Service) provisionedStatus(pc *provisionedConfig) *ProvisionedConcurrencyConfig {
	ready, failure := pc.pool.provisionedReady(pc)
	st := ProvisionedStatusInProgress
	switch {
	case failure != "":
		st = ProvisionedStatusFailed
	case ready >= pc.requested:
		st = ProvisionedStatusReady
	}
	return &ProvisionedConcurrencyConfig{
		RequestedProvisionedConcurrentExecutions: pc.requested,
		AvailableProvisionedConcurrentExecutions: ready,
		AllocatedProvisionedConcurrentExecutions: ready,
		Status:                                   st,
		StatusReason:                             failure,
		LastModified:                             pc.lastModified.UTC().Format("2006-01-02T15:04:05.000-0700"),
	}
}
