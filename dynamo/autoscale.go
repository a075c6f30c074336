package dynamo

import (
	"context"
	"math"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// Auto scaling follows Application Auto Scaling's target tracking policy
// for DynamoDB: every minute it compares the capacity consumed in that
// minute with the capacity provisioned. Two minutes in a row above the
// target utilization scale out; fifteen minutes in a row more than 20
// points below it scale in. The new capacity is what the last minute
// consumed divided by the target, kept between the minimum and maximum.
const (
	autoScaleInterval      = time.Minute
	autoScaleOutPeriods    = 2
	autoScaleInPeriods     = 15
	autoScaleInMargin      = 20.0 // percentage points below the target
	autoScaleMinTarget     = 20.0
	autoScaleMaxTarget     = 90.0
	autoScaleDefaultPolicy = "DynamoDBTargetTrackingScalingPolicy"
	autoScaleMaxUnits      = 40_000
)

// AutoScalingSettingsUpdate sets (or with AutoScalingDisabled removes) the
// auto scaling of one capacity dimension, as in DynamoDB's
// UpdateTableReplicaAutoScaling.
type AutoScalingSettingsUpdate struct {
	// MinimumUnits and MaximumUnits bound the provisioned capacity: 1 to
	// 40,000, the minimum not above the maximum.
	MinimumUnits int64
	MaximumUnits int64
	// AutoScalingDisabled removes the auto scaling of the dimension; the
	// capacity stays where it is.
	AutoScalingDisabled bool
	// ScalingPolicyUpdate is the target tracking policy; required unless
	// AutoScalingDisabled.
	ScalingPolicyUpdate *AutoScalingPolicyUpdate
}

// AutoScalingPolicyUpdate is a target tracking scaling policy.
type AutoScalingPolicyUpdate struct {
	// PolicyName defaults to "DynamoDBTargetTrackingScalingPolicy".
	PolicyName                               string
	TargetTrackingScalingPolicyConfiguration AutoScalingTargetTrackingScalingPolicyConfigurationUpdate
}

// AutoScalingTargetTrackingScalingPolicyConfigurationUpdate says what
// utilization to keep and how fast to move.
type AutoScalingTargetTrackingScalingPolicyConfigurationUpdate struct {
	// TargetValue is the utilization to keep, in percent: 20 to 90.
	TargetValue float64
	// DisableScaleIn keeps the policy from ever decreasing capacity.
	DisableScaleIn bool
	// ScaleInCooldown and ScaleOutCooldown are the seconds to wait after a
	// scaling activity before scaling in, or after a scale-out before
	// scaling out again. Zero means none.
	ScaleInCooldown  int32
	ScaleOutCooldown int32
}

// GlobalSecondaryIndexAutoScalingUpdate sets the auto scaling of one
// global secondary index.
type GlobalSecondaryIndexAutoScalingUpdate struct {
	IndexName                                 string
	ProvisionedReadCapacityAutoScalingUpdate  *AutoScalingSettingsUpdate
	ProvisionedWriteCapacityAutoScalingUpdate *AutoScalingSettingsUpdate
}

// UpdateTableAutoScalingInput is the request of UpdateTableAutoScaling.
type UpdateTableAutoScalingInput struct {
	TableName                                 string
	ProvisionedReadCapacityAutoScalingUpdate  *AutoScalingSettingsUpdate
	ProvisionedWriteCapacityAutoScalingUpdate *AutoScalingSettingsUpdate
	GlobalSecondaryIndexUpdates               []GlobalSecondaryIndexAutoScalingUpdate
}

// UpdateTableAutoScalingOutput is the response of UpdateTableAutoScaling.
type UpdateTableAutoScalingOutput struct {
	TableAutoScalingDescription *TableAutoScalingDescription
}

// DescribeTableAutoScalingInput is the request of DescribeTableAutoScaling.
type DescribeTableAutoScalingInput struct {
	TableName string
}

// DescribeTableAutoScalingOutput is the response of
// DescribeTableAutoScaling.
type DescribeTableAutoScalingOutput struct {
	TableAutoScalingDescription *TableAutoScalingDescription
}

// TableAutoScalingDescription is the auto scaling of a table and its
// global secondary indexes. A nil settings pointer means that dimension is
// not auto scaled.
type TableAutoScalingDescription struct {
	TableName                                   string
	TableStatus                                 TableStatus
	ProvisionedReadCapacityAutoScalingSettings  *AutoScalingSettingsDescription
	ProvisionedWriteCapacityAutoScalingSettings *AutoScalingSettingsDescription
	GlobalSecondaryIndexes                      []GlobalSecondaryIndexAutoScalingDescription
}

// GlobalSecondaryIndexAutoScalingDescription is the auto scaling of one
// global secondary index.
type GlobalSecondaryIndexAutoScalingDescription struct {
	IndexName                                   string
	ProvisionedReadCapacityAutoScalingSettings  *AutoScalingSettingsDescription
	ProvisionedWriteCapacityAutoScalingSettings *AutoScalingSettingsDescription
}

// AutoScalingSettingsDescription is the auto scaling of one dimension.
type AutoScalingSettingsDescription struct {
	MinimumUnits    int64
	MaximumUnits    int64
	ScalingPolicies []AutoScalingPolicyDescription
}

// AutoScalingPolicyDescription is a target tracking policy.
type AutoScalingPolicyDescription struct {
	PolicyName                               string
	TargetTrackingScalingPolicyConfiguration AutoScalingTargetTrackingScalingPolicyConfigurationUpdate
}

// autoScaled is the auto scaling of one dimension (read or write) of a
// table or index, and the state of its alarms.
type autoScaled struct {
	min, max   int64
	policyName string
	policy     AutoScalingTargetTrackingScalingPolicyConfigurationUpdate
	high, low  int // consecutive minutes above and below
	lastOut    time.Time
	lastAny    time.Time
}

// autoScaling is a dimension's read and write auto scaling.
type autoScaling struct {
	read, write *autoScaled
}

// autoScaler runs the evaluation every minute while any table is auto
// scaled.
type autoScaler struct {
	tables map[*table]bool
	timer  clock.Timer
	closed bool
}

func validateAutoScaling(field string, u *AutoScalingSettingsUpdate) (*autoScaled, error) {
	if u.AutoScalingDisabled {
		return nil, nil
	}
	if u.MinimumUnits < 1 || u.MinimumUnits > autoScaleMaxUnits {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at '%s.minimumUnits' failed to satisfy constraint: Member must have value between 1 and %d", u.MinimumUnits, field, autoScaleMaxUnits)
	}
	if u.MaximumUnits < 1 || u.MaximumUnits > autoScaleMaxUnits {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at '%s.maximumUnits' failed to satisfy constraint: Member must have value between 1 and %d", u.MaximumUnits, field, autoScaleMaxUnits)
	}
	if u.MinimumUnits > u.MaximumUnits {
		return nil, ErrValidation.Newf("Minimum capacity %d cannot be greater than maximum capacity %d", u.MinimumUnits, u.MaximumUnits)
	}
	if u.ScalingPolicyUpdate == nil {
		return nil, ErrValidation.Newf("1 validation error detected: Value null at '%s.scalingPolicyUpdate' failed to satisfy constraint: Member must not be null", field)
	}
	c := u.ScalingPolicyUpdate.TargetTrackingScalingPolicyConfiguration
	if c.TargetValue < autoScaleMinTarget || c.TargetValue > autoScaleMaxTarget || math.IsNaN(c.TargetValue) {
		return nil, ErrValidation.Newf("Target value %v is out of range: DynamoDB target utilization must be between %v and %v percent", c.TargetValue, autoScaleMinTarget, autoScaleMaxTarget)
	}
	if c.ScaleInCooldown < 0 || c.ScaleOutCooldown < 0 {
		return nil, ErrValidation.Newf("1 validation error detected: Value at '%s.scalingPolicyUpdate' failed to satisfy constraint: Cooldown must be at least 0 seconds", field)
	}
	name := u.ScalingPolicyUpdate.PolicyName
	if name == "" {
		name = autoScaleDefaultPolicy
	}
	return &autoScaled{min: u.MinimumUnits, max: u.MaximumUnits, policyName: name, policy: c}, nil
}

// UpdateTableAutoScaling sets the auto scaling of a table's and its global
// secondary indexes' provisioned capacity, as Application Auto Scaling's
// target tracking does for DynamoDB. Settings are kept while the table is
// PAY_PER_REQUEST and apply again when it returns to PROVISIONED.
func (db *DB) UpdateTableAutoScaling(ctx context.Context, in *UpdateTableAutoScalingInput) (*UpdateTableAutoScalingOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &UpdateTableAutoScalingInput{}
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, err
	}
	if in.ProvisionedReadCapacityAutoScalingUpdate == nil && in.ProvisionedWriteCapacityAutoScalingUpdate == nil && len(in.GlobalSecondaryIndexUpdates) == 0 {
		return nil, ErrValidation.New("At least one of ProvisionedReadCapacityAutoScalingUpdate, ProvisionedWriteCapacityAutoScalingUpdate or GlobalSecondaryIndexUpdates is required")
	}
	type change struct {
		index       string
		read, write *AutoScalingSettingsUpdate
		r, w        *autoScaled
	}
	changes := []change{{read: in.ProvisionedReadCapacityAutoScalingUpdate, write: in.ProvisionedWriteCapacityAutoScalingUpdate}}
	for _, g := range in.GlobalSecondaryIndexUpdates {
		changes = append(changes, change{index: g.IndexName, read: g.ProvisionedReadCapacityAutoScalingUpdate, write: g.ProvisionedWriteCapacityAutoScalingUpdate})
	}
	if err := t.lockLive(); err != nil {
		return nil, err
	}
	tc := db.capacityOf(t)
	tc.mu.Lock()
	unlock := func() { tc.mu.Unlock(); t.mu.Unlock() }
	now := db.clock.Now()
	tc.sync(db, t, now)
	for i := range changes {
		c := &changes[i]
		if c.index != "" {
			ix, err := t.index(c.index)
			if err != nil || !ix.global {
				unlock()
				return nil, ErrResourceNotFound.Newf("Requested resource not found: Index: %s not found for table: %s", c.index, t.name)
			}
		}
		if c.read != nil {
			if c.r, err = validateAutoScaling("provisionedReadCapacityAutoScalingUpdate", c.read); err != nil {
				unlock()
				return nil, err
			}
		}
		if c.write != nil {
			if c.w, err = validateAutoScaling("provisionedWriteCapacityAutoScalingUpdate", c.write); err != nil {
				unlock()
				return nil, err
			}
		}
	}
	for _, c := range changes {
		d := &tc.dim
		if c.index != "" {
			d = tc.gsis[c.index]
			if d == nil {
				d = &dimension{}
				tc.gsis[c.index] = d
			}
		}
		if d.auto == nil {
			d.auto = &autoScaling{}
		}
		if c.read != nil {
			d.auto.read = c.r
		}
		if c.write != nil {
			d.auto.write = c.w
		}
		d.minute = rw{}
	}
	scaled := tc.autoScaled()
	desc := tc.describeAutoScaling(t)
	unlock()

	s := &db.capacity
	s.mu.Lock()
	if scaled {
		if s.auto.tables == nil {
			s.auto.tables = map[*table]bool{}
		}
		s.auto.tables[t] = true
	} else {
		delete(s.auto.tables, t)
	}
	s.mu.Unlock()
	db.startAutoScaler()
	return &UpdateTableAutoScalingOutput{TableAutoScalingDescription: desc}, nil
}

// DescribeTableAutoScaling returns the auto scaling of a table and its
// global secondary indexes.
func (db *DB) DescribeTableAutoScaling(ctx context.Context, in *DescribeTableAutoScalingInput) (*DescribeTableAutoScalingOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DescribeTableAutoScalingInput{}
	}
	t, err := db.table(in.TableName)
	if err != nil {
		return nil, err
	}
	tc := db.capacityOf(t)
	t.mu.RLock()
	defer t.mu.RUnlock()
	tc.mu.Lock()
	defer tc.mu.Unlock()
	tc.sync(db, t, db.clock.Now())
	return &DescribeTableAutoScalingOutput{TableAutoScalingDescription: tc.describeAutoScaling(t)}, nil
}

// autoScaled reports whether any dimension of the table is auto scaled.
// The caller holds tc.mu.
func (tc *tableCapacity) autoScaled() bool {
	on := func(d *dimension) bool { return d.auto != nil && (d.auto.read != nil || d.auto.write != nil) }
	if on(&tc.dim) {
		return true
	}
	for _, g := range tc.gsis {
		if on(g) {
			return true
		}
	}
	return false
}

// describeAutoScaling describes tc's auto scaling. The caller holds t.mu
// and tc.mu.
func (tc *tableCapacity) describeAutoScaling(t *table) *TableAutoScalingDescription {
	settings := func(a *autoScaled) *AutoScalingSettingsDescription {
		if a == nil {
			return nil
		}
		return &AutoScalingSettingsDescription{
			MinimumUnits:    a.min,
			MaximumUnits:    a.max,
			ScalingPolicies: []AutoScalingPolicyDescription{{PolicyName: a.policyName, TargetTrackingScalingPolicyConfiguration: a.policy}},
		}
	}
	pair := func(d *dimension) (r, w *AutoScalingSettingsDescription) {
		if d == nil || d.auto == nil {
			return nil, nil
		}
		return settings(d.auto.read), settings(d.auto.write)
	}
	desc := &TableAutoScalingDescription{TableName: t.name, TableStatus: t.status}
	desc.ProvisionedReadCapacityAutoScalingSettings, desc.ProvisionedWriteCapacityAutoScalingSettings = pair(&tc.dim)
	for _, ix := range t.indexes {
		if !ix.global {
			continue
		}
		g := GlobalSecondaryIndexAutoScalingDescription{IndexName: ix.name}
		g.ProvisionedReadCapacityAutoScalingSettings, g.ProvisionedWriteCapacityAutoScalingSettings = pair(tc.gsis[ix.name])
		desc.GlobalSecondaryIndexes = append(desc.GlobalSecondaryIndexes, g)
	}
	return desc
}

// startAutoScaler arms the minute timer if tables are auto scaled and it
// is not armed yet.
func (db *DB) startAutoScaler() {
	s := &db.capacity
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.auto.closed || s.auto.timer != nil || len(s.auto.tables) == 0 {
		return
	}
	s.auto.timer = db.clock.AfterFunc(autoScaleInterval, db.autoScaleTick)
}

// stopAutoScaler stops the minute timer for good.
func (db *DB) stopAutoScaler() {
	s := &db.capacity
	s.mu.Lock()
	defer s.mu.Unlock()
	s.auto.closed = true
	if s.auto.timer != nil {
		s.auto.timer.Stop()
		s.auto.timer = nil
	}
}

// autoScaleTick evaluates every auto scaled table and arms the next tick.
func (db *DB) autoScaleTick() {
	s := &db.capacity
	s.mu.Lock()
	s.auto.timer = nil
	if s.auto.closed {
		s.mu.Unlock()
		return
	}
	ts := make([]*table, 0, len(s.auto.tables))
	for t := range s.auto.tables {
		ts = append(ts, t)
	}
	s.mu.Unlock()
	for _, t := range ts {
		if !db.autoScaleTable(t) {
			s.mu.Lock()
			delete(s.auto.tables, t)
			s.mu.Unlock()
		}
	}
	db.startAutoScaler()
}

// autoScaleTable evaluates one table's auto scaling at the current minute
// and reports whether it should stay under evaluation.
func (db *DB) autoScaleTable(t *table) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status == TableStatusDeleting {
		return false
	}
	tc := db.capacityOf(t)
	tc.mu.Lock()
	defer tc.mu.Unlock()
	now := db.clock.Now()
	tc.sync(db, t, now)
	l := db.capLimits()
	provisioned := t.billing == BillingModeProvisioned
	evaluate := func(d *dimension, tp *ProvisionedThroughput) {
		if d.auto != nil && provisioned {
			tp.ReadCapacityUnits = d.auto.read.evaluate(tp.ReadCapacityUnits, d.minute.read, now, &d.budget, l)
			tp.WriteCapacityUnits = d.auto.write.evaluate(tp.WriteCapacityUnits, d.minute.write, now, &d.budget, l)
		}
		d.minute = rw{}
	}
	evaluate(&tc.dim, &t.throughput)
	for _, ix := range t.indexes {
		if g := tc.gsis[ix.name]; g != nil && ix.global {
			evaluate(g, &ix.throughput)
		}
	}
	// sync records the changes as increases and decreases, at now.
	tc.sync(db, t, now)
	return tc.autoScaled()
}

// evaluate is one minute of the target tracking policy of one dimension
// whose provisioned capacity is current and which consumed consumed units
// in the last minute. It returns the new provisioned capacity.
func (a *autoScaled) evaluate(current int64, consumed float64, now time.Time, budget *decreaseBudget, l CapacityLimits) int64 {
	if a == nil {
		return current
	}
	target := a.policy.TargetValue
	perSecond := consumed / autoScaleInterval.Seconds()
	util := 100 * perSecond / float64(current)
	switch {
	case util > target:
		a.high++
		a.low = 0
	case util < target-autoScaleInMargin:
		a.low++
		a.high = 0
	default:
		a.high, a.low = 0, 0
	}
	desired := int64(math.Ceil(perSecond * 100 / target))
	desired = min(max(desired, a.min), a.max)
	canDecrease := func() bool { return !budget.next(now, l).After(now) }
	switch {
	case current < a.min:
		return a.scaled(a.min, now, true)
	case current > a.max:
		if canDecrease() {
			return a.scaled(a.max, now, false)
		}
	case a.high >= autoScaleOutPeriods && desired > current:
		if now.Sub(a.lastOut) >= time.Duration(a.policy.ScaleOutCooldown)*time.Second {
			return a.scaled(desired, now, true)
		}
	case a.low >= autoScaleInPeriods && desired < current && !a.policy.DisableScaleIn:
		if now.Sub(a.lastAny) >= time.Duration(a.policy.ScaleInCooldown)*time.Second && canDecrease() {
			return a.scaled(desired, now, false)
		}
	}
	return current
}

// scaled records a scaling activity to units and returns them.
func (a *autoScaled) scaled(units int64, now time.Time, out bool) int64 {
	a.high, a.low = 0, 0
	a.lastAny = now
	if out {
		a.lastOut = now
	}
	return units
}
