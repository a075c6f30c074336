package dynamo

import (
	"context"
	"time"

	"github.com/google/btree"
)

// ContinuousBackupsStatus is "ENABLED" or "DISABLED". DynamoDB enables
// continuous backups on every table at creation, so tables report
// ENABLED.
type ContinuousBackupsStatus string

// Continuous backups statuses.
const (
	ContinuousBackupsStatusEnabled  ContinuousBackupsStatus = "ENABLED"
	ContinuousBackupsStatusDisabled ContinuousBackupsStatus = "DISABLED"
)

// PointInTimeRecoveryStatus is "ENABLED" or "DISABLED".
type PointInTimeRecoveryStatus string

// Point-in-time recovery statuses.
const (
	PointInTimeRecoveryStatusEnabled  PointInTimeRecoveryStatus = "ENABLED"
	PointInTimeRecoveryStatusDisabled PointInTimeRecoveryStatus = "DISABLED"
)

const (
	// pitrDefaultDays is the recovery period when none is given: 35 days.
	pitrDefaultDays = 35
	// pitrMaxDays and pitrMinDays bound RecoveryPeriodInDays: 1 to 35.
	pitrMinDays, pitrMaxDays = 1, 35
	// pitrLag is how far LatestRestorableDateTime trails the current
	// time: "typically 5 minutes" (DescribeContinuousBackups reference).
	pitrLag = 5 * time.Minute
)

// PointInTimeRecoverySpecification turns point-in-time recovery on or off.
type PointInTimeRecoverySpecification struct {
	PointInTimeRecoveryEnabled bool
	// RecoveryPeriodInDays is how many days of history are kept, 1 to
	// 35; zero means 35. Only allowed when enabling.
	RecoveryPeriodInDays int
}

// PointInTimeRecoveryDescription is a table's point-in-time recovery
// state. While enabled, the table can be restored to any time between
// EarliestRestorableDateTime (when recovery was enabled, or the start of
// the recovery period) and LatestRestorableDateTime (five minutes ago).
type PointInTimeRecoveryDescription struct {
	PointInTimeRecoveryStatus  PointInTimeRecoveryStatus
	RecoveryPeriodInDays       int
	EarliestRestorableDateTime time.Time
	LatestRestorableDateTime   time.Time
}

// ContinuousBackupsDescription is what DescribeContinuousBackups and
// UpdateContinuousBackups report.
type ContinuousBackupsDescription struct {
	ContinuousBackupsStatus        ContinuousBackupsStatus
	PointInTimeRecoveryDescription *PointInTimeRecoveryDescription
}

// UpdateContinuousBackupsInput is the request of UpdateContinuousBackups.
type UpdateContinuousBackupsInput struct {
	// TableName is the table's name or ARN.
	TableName                        string
	PointInTimeRecoverySpecification *PointInTimeRecoverySpecification
}

// UpdateContinuousBackupsOutput is the response of UpdateContinuousBackups.
type UpdateContinuousBackupsOutput struct {
	ContinuousBackupsDescription *ContinuousBackupsDescription
}

// DescribeContinuousBackupsInput is the request of
// DescribeContinuousBackups.
type DescribeContinuousBackupsInput struct {
	// TableName is the table's name or ARN.
	TableName string
}

// DescribeContinuousBackupsOutput is the response of
// DescribeContinuousBackups.
type DescribeContinuousBackupsOutput struct {
	ContinuousBackupsDescription *ContinuousBackupsDescription
}

// pitrState is a table's change history while point-in-time recovery is
// on: the items as they were at baseAt, and every change since, in
// commit order. Changes older than the recovery period are folded into
// the base as time passes, so memory follows the period's writes.
type pitrState struct {
	enabled bool
	days    int
	since   time.Time // when recovery was enabled
	base    *btree.BTreeG[*record]
	baseAt  time.Time
	log     []change
}

// change is one committed write: the item's record after it, nil when
// the write deleted the item.
//
// It is kept small and with few pointers (the time as Unix nanoseconds,
// the key read from the records), since a busy table holds millions.
type change struct {
	at  int64   // commit time in Unix nanoseconds
	old *record // the record before; nil when the item did not exist
	rec *record
}

// key returns the item's encoded primary key.
func (c *change) key() string {
	if c.rec != nil {
		return c.rec.key
	}
	return c.old.key
}

// time returns the commit time.
func (c *change) time() time.Time { return time.Unix(0, c.at).UTC() }

// window returns the period a restore may name: from the later of the
// enabling and the start of the recovery period, to five minutes ago
// (never before the start).
func (p *pitrState) window(now time.Time) (earliest, latest time.Time) {
	earliest = p.since
	if start := now.AddDate(0, 0, -p.days); start.After(earliest) {
		earliest = start
	}
	// Whole seconds, as DynamoDB reports them: the earliest rounded up, so
	// that it never names a moment before the history began.
	if t := earliest.Truncate(time.Second); !t.Equal(earliest) {
		earliest = t.Add(time.Second)
	}
	latest = now.Add(-pitrLag).Truncate(time.Second)
	if latest.Before(earliest) {
		latest = earliest
	}
	return earliest, latest
}

// history records a committed change for point-in-time recovery. The
// caller holds t.mu for writing.
func (t *table) history(old, rec *record) {
	now := t.db.clock.Now()
	p := &t.pitr
	p.log = append(p.log, change{at: now.UnixNano(), old: old, rec: rec})
	p.compact(now)
}

// compact folds changes older than the recovery period into the base.
func (p *pitrState) compact(now time.Time) {
	cutoff := now.AddDate(0, 0, -p.days).Add(-time.Second).UnixNano()
	n := 0
	for n < len(p.log) && p.log[n].at < cutoff {
		c := &p.log[n]
		if c.rec == nil {
			p.base.Delete(&record{key: c.key()})
		} else {
			p.base.ReplaceOrInsert(c.rec)
		}
		p.baseAt = c.time()
		n++
	}
	if n == 0 {
		return
	}
	// Copy the rest when the dropped prefix is large, so that the slice's
	// backing array does not grow without end.
	if n > len(p.log)/2 {
		p.log = append([]change(nil), p.log[n:]...)
	} else {
		p.log = p.log[n:]
	}
}

// itemsAt returns the table's items as they were at time at: the base
// replayed with every change committed at or before it. The caller holds
// t.mu for writing: cloning a B-tree changes its copy-on-write state.
func (p *pitrState) itemsAt(at time.Time) *btree.BTreeG[*record] {
	items := p.base.Clone()
	limit := at.UnixNano()
	for i := range p.log {
		c := &p.log[i]
		if c.at > limit {
			break
		}
		if c.rec == nil {
			items.Delete(&record{key: c.key()})
		} else {
			items.ReplaceOrInsert(c.rec)
		}
	}
	return items
}

// describePITR builds the table's continuous backups description. The
// caller holds t.mu.
func (t *table) describePITR() *ContinuousBackupsDescription {
	d := &ContinuousBackupsDescription{
		ContinuousBackupsStatus:        ContinuousBackupsStatusEnabled,
		PointInTimeRecoveryDescription: &PointInTimeRecoveryDescription{PointInTimeRecoveryStatus: PointInTimeRecoveryStatusDisabled},
	}
	if t.pitr.enabled {
		e, l := t.pitr.window(t.db.clock.Now())
		d.PointInTimeRecoveryDescription = &PointInTimeRecoveryDescription{
			PointInTimeRecoveryStatus:  PointInTimeRecoveryStatusEnabled,
			RecoveryPeriodInDays:       t.pitr.days,
			EarliestRestorableDateTime: e,
			LatestRestorableDateTime:   l,
		}
	}
	return d
}

// UpdateContinuousBackups turns point-in-time recovery on or off, or
// changes its recovery period (1 to 35 days, 35 by default). While on,
// the table keeps every change of the recovery period so that
// RestoreTableToPointInTime and ExportTableToPointInTime can rebuild any
// second of it; turning it off drops that history, as DynamoDB does.
func (db *DB) UpdateContinuousBackups(ctx context.Context, in *UpdateContinuousBackupsInput) (*UpdateContinuousBackupsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &UpdateContinuousBackupsInput{}
	}
	spec := in.PointInTimeRecoverySpecification
	if spec == nil {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'pointInTimeRecoverySpecification' failed to satisfy constraint: Member must not be null")
	}
	days := spec.RecoveryPeriodInDays
	if days != 0 && !spec.PointInTimeRecoveryEnabled {
		return nil, ErrValidation.New("RecoveryPeriodInDays cannot be specified when PointInTimeRecoveryEnabled is false")
	}
	if days == 0 {
		days = pitrDefaultDays
	}
	if days < pitrMinDays || days > pitrMaxDays {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'pointInTimeRecoverySpecification.recoveryPeriodInDays' failed to satisfy constraint: Member must have value between %d and %d", spec.RecoveryPeriodInDays, pitrMinDays, pitrMaxDays)
	}
	t, err := db.backupTable(in.TableName)
	if err != nil {
		return nil, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.status == TableStatusDeleting {
		return nil, ErrTableNotFound.Newf("Table not found: %s", t.name)
	}
	now := db.clock.Now()
	switch {
	case spec.PointInTimeRecoveryEnabled && !t.pitr.enabled:
		t.pitr = pitrState{enabled: true, days: days, since: now, base: t.items.Clone(), baseAt: now}
	case spec.PointInTimeRecoveryEnabled:
		t.pitr.days = days
		t.pitr.compact(now)
	default:
		t.pitr = pitrState{}
	}
	return &UpdateContinuousBackupsOutput{ContinuousBackupsDescription: t.describePITR()}, nil
}

// DescribeContinuousBackups reports a table's continuous backups and
// point-in-time recovery, with the window a restore may name.
func (db *DB) DescribeContinuousBackups(ctx context.Context, in *DescribeContinuousBackupsInput) (*DescribeContinuousBackupsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DescribeContinuousBackupsInput{}
	}
	t, err := db.backupTable(in.TableName)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	return &DescribeContinuousBackupsOutput{ContinuousBackupsDescription: t.describePITR()}, nil
}

// RestoreTableToPointInTimeInput is the request of
// RestoreTableToPointInTime. One of SourceTableName and SourceTableArn
// names the source, and one of RestoreDateTime and
// UseLatestRestorableTime the moment.
type RestoreTableToPointInTimeInput struct {
	SourceTableName         string
	SourceTableArn          string
	TargetTableName         string
	RestoreDateTime         time.Time
	UseLatestRestorableTime bool
	// The overrides replace the source's settings in the new table.
	BillingModeOverride           BillingMode
	ProvisionedThroughputOverride *ProvisionedThroughput
	GlobalSecondaryIndexOverride  []GlobalSecondaryIndex
	LocalSecondaryIndexOverride   []LocalSecondaryIndex
}

// RestoreTableToPointInTimeOutput is the response of
// RestoreTableToPointInTime.
type RestoreTableToPointInTimeOutput struct {
	TableDescription *TableDescription
}

// RestoreSummary says where a restored table came from.
type RestoreSummary struct {
	SourceBackupArn   string
	SourceTableArn    string
	RestoreDateTime   time.Time
	RestoreInProgress bool
}

// RestoreTableToPointInTime creates a new table holding exactly the items
// the source table held at RestoreDateTime (every write committed at or
// before it), with the source's key schema, indexes, billing mode,
// capacity and table class unless overridden. Streams, Time to Live,
// point-in-time recovery and deletion protection are not restored, as in
// DynamoDB. The time must lie in the window DescribeContinuousBackups
// reports (InvalidRestoreTimeException); the source needs point-in-time
// recovery on (PointInTimeRecoveryUnavailableException) and the target
// must not exist (TableAlreadyExistsException).
func (db *DB) RestoreTableToPointInTime(ctx context.Context, in *RestoreTableToPointInTimeInput) (*RestoreTableToPointInTimeOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &RestoreTableToPointInTimeInput{}
	}
	src := in.SourceTableName
	if src == "" {
		src = in.SourceTableArn
	}
	if src == "" {
		return nil, ErrValidation.New("One or more parameter values were invalid: Either SourceTableArn or SourceTableName must be specified")
	}
	if in.SourceTableName != "" && in.SourceTableArn != "" {
		return nil, ErrValidation.New("One or more parameter values were invalid: Only one of SourceTableArn or SourceTableName can be specified")
	}
	if in.UseLatestRestorableTime && !in.RestoreDateTime.IsZero() {
		return nil, ErrValidation.New("One or more parameter values were invalid: Only one of RestoreDateTime or UseLatestRestorableTime can be specified")
	}
	if err := validateTableName("TargetTableName", in.TargetTableName); err != nil {
		return nil, err
	}
	t, err := db.backupTable(src)
	if err != nil {
		return nil, err
	}
	if db.hasTable(in.TargetTableName) {
		return nil, ErrTableAlreadyExists.Newf("Table already exists: %s", in.TargetTableName)
	}
	img, at, err := t.imageAt(in.RestoreDateTime, in.UseLatestRestorableTime)
	if err != nil {
		return nil, err
	}
	desc, err := db.restoreImage(ctx, img, in.TargetTableName, restoreOverrides{
		billing: in.BillingModeOverride, throughput: in.ProvisionedThroughputOverride,
		gsis: in.GlobalSecondaryIndexOverride, lsis: in.LocalSecondaryIndexOverride,
	}, RestoreSummary{SourceTableArn: t.arn, RestoreDateTime: at})
	if err != nil {
		return nil, err
	}
	return &RestoreTableToPointInTimeOutput{TableDescription: desc}, nil
}

// imageAt freezes the table as it was at time at (or at the latest
// restorable time), checking that point-in-time recovery is on and that
// the time is in its window.
func (t *table) imageAt(at time.Time, latest bool) (*tableImage, time.Time, error) {
	t.mu.Lock() // itemsAt clones the base B-tree: see liveImage
	defer t.mu.Unlock()
	if t.status == TableStatusDeleting {
		return nil, time.Time{}, ErrTableNotFound.Newf("Table not found: %s", t.name)
	}
	if !t.pitr.enabled {
		return nil, time.Time{}, ErrPointInTimeRecoveryUnavailable.Newf("Point in time recovery is not enabled for table '%s'", t.name)
	}
	earliest, last := t.pitr.window(t.db.clock.Now())
	if latest || at.IsZero() {
		at = last
	}
	if at.Before(earliest) || at.After(last) {
		return nil, time.Time{}, ErrInvalidRestoreTime.Newf("Invalid restore time: %s. The restore time must be between the earliest restorable time %s and the latest restorable time %s",
			at.UTC().Format(time.RFC3339), earliest.UTC().Format(time.RFC3339), last.UTC().Format(time.RFC3339))
	}
	return t.image(t.pitr.itemsAt(at)), at, nil
}
