package dynamo

import (
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"sync"
	"time"
)

// BackupStatus is the state of an on-demand backup: "CREATING",
// "AVAILABLE" or "DELETED".
type BackupStatus string

// Backup statuses.
const (
	BackupStatusCreating  BackupStatus = "CREATING"
	BackupStatusAvailable BackupStatus = "AVAILABLE"
	BackupStatusDeleted   BackupStatus = "DELETED"
)

// BackupType says who made a backup: "USER" (CreateBackup), "SYSTEM"
// (DynamoDB, when a table with point-in-time recovery is deleted) or
// "AWS_BACKUP".
type BackupType string

// Backup types.
const (
	BackupTypeUser      BackupType = "USER"
	BackupTypeSystem    BackupType = "SYSTEM"
	BackupTypeAWSBackup BackupType = "AWS_BACKUP"
)

// BackupTypeFilter selects the backups ListBackups lists: a BackupType or
// "ALL". The default is USER.
type BackupTypeFilter string

// Backup type filters.
const (
	BackupTypeFilterUser      BackupTypeFilter = "USER"
	BackupTypeFilterSystem    BackupTypeFilter = "SYSTEM"
	BackupTypeFilterAWSBackup BackupTypeFilter = "AWS_BACKUP"
	BackupTypeFilterAll       BackupTypeFilter = "ALL"
)

// systemBackupRetention is how long DynamoDB keeps the system backup of a
// deleted table that had point-in-time recovery on: 35 days.
const systemBackupRetention = 35 * 24 * time.Hour

// BackupDetails describes one backup.
type BackupDetails struct {
	BackupArn              string
	BackupName             string
	BackupSizeBytes        int64
	BackupStatus           BackupStatus
	BackupType             BackupType
	BackupCreationDateTime time.Time
	// BackupExpiryDateTime is set on SYSTEM backups: 35 days after the
	// table's deletion.
	BackupExpiryDateTime time.Time
}

// SourceTableDetails describes the table a backup was taken from.
type SourceTableDetails struct {
	TableName             string
	TableId               string
	TableArn              string
	TableSizeBytes        int64
	KeySchema             []KeySchemaElement
	TableCreationDateTime time.Time
	ProvisionedThroughput ProvisionedThroughput
	ItemCount             int64
	BillingMode           BillingMode
}

// LocalSecondaryIndexInfo describes a local index of a backed-up table.
type LocalSecondaryIndexInfo struct {
	IndexName  string
	KeySchema  []KeySchemaElement
	Projection Projection
}

// GlobalSecondaryIndexInfo describes a global index of a backed-up table.
type GlobalSecondaryIndexInfo struct {
	IndexName             string
	KeySchema             []KeySchemaElement
	Projection            Projection
	ProvisionedThroughput *ProvisionedThroughput
}

// SourceTableFeatureDetails describes the indexes, stream and Time to
// Live of a backed-up table.
type SourceTableFeatureDetails struct {
	LocalSecondaryIndexes  []LocalSecondaryIndexInfo
	GlobalSecondaryIndexes []GlobalSecondaryIndexInfo
	StreamDescription      *StreamSpecification
	TimeToLiveDescription  *TimeToLiveDescription
}

// BackupDescription is what DescribeBackup and DeleteBackup report.
type BackupDescription struct {
	BackupDetails             *BackupDetails
	SourceTableDetails        *SourceTableDetails
	SourceTableFeatureDetails *SourceTableFeatureDetails
}

// BackupSummary is one entry of ListBackups.
type BackupSummary struct {
	TableName              string
	TableId                string
	TableArn               string
	BackupArn              string
	BackupName             string
	BackupCreationDateTime time.Time
	BackupExpiryDateTime   time.Time
	BackupStatus           BackupStatus
	BackupType             BackupType
	BackupSizeBytes        int64
}

// CreateBackupInput is the request of CreateBackup.
type CreateBackupInput struct {
	// TableName is the table's name or ARN.
	TableName string
	// BackupName is 3 to 255 characters of a-z, A-Z, 0-9, '_', '-', '.'.
	BackupName string
}

// CreateBackupOutput is the response of CreateBackup.
type CreateBackupOutput struct {
	BackupDetails *BackupDetails
}

// DescribeBackupInput is the request of DescribeBackup.
type DescribeBackupInput struct {
	BackupArn string
}

// DescribeBackupOutput is the response of DescribeBackup.
type DescribeBackupOutput struct {
	BackupDescription *BackupDescription
}

// DeleteBackupInput is the request of DeleteBackup.
type DeleteBackupInput struct {
	BackupArn string
}

// DeleteBackupOutput is the response of DeleteBackup: the backup, now
// DELETED.
type DeleteBackupOutput struct {
	BackupDescription *BackupDescription
}

// ListBackupsInput is the request of ListBackups. Every filter is
// optional.
type ListBackupsInput struct {
	// TableName lists only the backups of this table (name or ARN).
	TableName string
	// Limit is the page size, 1 to 100; zero means 100.
	Limit int
	// TimeRangeLowerBound (inclusive) and TimeRangeUpperBound (exclusive)
	// bound the backups' creation times.
	TimeRangeLowerBound     time.Time
	TimeRangeUpperBound     time.Time
	ExclusiveStartBackupArn string
	// BackupType filters by type; the default is USER.
	BackupType BackupTypeFilter
}

// ListBackupsOutput is the response of ListBackups, oldest first.
type ListBackupsOutput struct {
	BackupSummaries        []BackupSummary
	LastEvaluatedBackupArn string
}

// RestoreTableFromBackupInput is the request of RestoreTableFromBackup.
type RestoreTableFromBackupInput struct {
	TargetTableName               string
	BackupArn                     string
	BillingModeOverride           BillingMode
	ProvisionedThroughputOverride *ProvisionedThroughput
	GlobalSecondaryIndexOverride  []GlobalSecondaryIndex
	LocalSecondaryIndexOverride   []LocalSecondaryIndex
}

// RestoreTableFromBackupOutput is the response of RestoreTableFromBackup.
type RestoreTableFromBackupOutput struct {
	TableDescription *TableDescription
}

// backup is one stored backup: an image of its table.
type backup struct {
	details BackupDetails
	img     *tableImage
}

// backupRegistry holds a DB's backups in creation order.
type backupRegistry struct {
	mu   sync.Mutex
	list []*backup
	seq  uint64
}

func (r *backupRegistry) get(arn string) *backup {
	for _, b := range r.list {
		if b.details.BackupArn == arn {
			return b
		}
	}
	return nil
}

// backupArn names a backup as DynamoDB does: the table's ARN, "/backup/",
// the creation time in 14 digits of milliseconds and 8 hex digits.
// The hex digits hash the ARN with a sequence number, so that a run on a
// manual clock repeats. The caller holds db.backups.mu.
func (db *DB) backupArn(tableArn string, at time.Time) string {
	db.backups.seq++
	h := fnv.New32a()
	fmt.Fprintf(h, "%s|%d", tableArn, db.backups.seq)
	return fmt.Sprintf("%s/backup/%014d-%08x", tableArn, at.UnixMilli(), h.Sum32())
}

// addBackup stores an image as a backup and returns its details.
func (db *DB) addBackup(img *tableImage, name string, typ BackupType, now time.Time) BackupDetails {
	db.backups.mu.Lock()
	defer db.backups.mu.Unlock()
	b := &backup{img: img, details: BackupDetails{
		BackupArn:              db.backupArn(img.arn, now),
		BackupName:             name,
		BackupSizeBytes:        img.size,
		BackupStatus:           BackupStatusAvailable,
		BackupType:             typ,
		BackupCreationDateTime: now,
	}}
	if typ == BackupTypeSystem {
		b.details.BackupExpiryDateTime = now.Add(systemBackupRetention)
	}
	db.backups.list = append(db.backups.list, b)
	return b.details
}

// liveBackup returns a backup that is not deleted or expired.
func (db *DB) liveBackup(arn string) (*backup, error) {
	if arn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'backupArn' failed to satisfy constraint: Member must not be null")
	}
	if n := len(arn); n < 37 || n > 1024 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'backupArn' failed to satisfy constraint: Member must have length greater than or equal to 37", arn)
	}
	now := db.clock.Now()
	db.backups.mu.Lock()
	defer db.backups.mu.Unlock()
	db.expireBackups(now)
	b := db.backups.get(arn)
	if b == nil {
		return nil, ErrBackupNotFound.Newf("Backup not found: %s", arn)
	}
	return b, nil
}

// expireBackups drops SYSTEM backups past their expiry. The caller holds
// db.backups.mu.
func (db *DB) expireBackups(now time.Time) {
	db.backups.list = slices.DeleteFunc(db.backups.list, func(b *backup) bool {
		return !b.details.BackupExpiryDateTime.IsZero() && !now.Before(b.details.BackupExpiryDateTime)
	})
}

// CreateBackup takes an on-demand backup of a table: a full copy of its
// items and definition, kept until DeleteBackup. Taking it costs O(1) and
// does not slow the table: the backup shares the table's immutable
// records and the B-tree copies nodes only as the table changes. The
// response reports the backup CREATING, as DynamoDB's does; it is
// AVAILABLE at once.
func (db *DB) CreateBackup(ctx context.Context, in *CreateBackupInput) (*CreateBackupOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &CreateBackupInput{}
	}
	if err := validateTableName("BackupName", in.BackupName); err != nil {
		return nil, err
	}
	t, err := db.backupTable(in.TableName)
	if err != nil {
		return nil, err
	}
	// Cloning the B-tree changes its copy-on-write state, so it takes the
	// write lock even though the items do not change.
	t.mu.Lock()
	if t.status == TableStatusDeleting {
		t.mu.Unlock()
		return nil, ErrTableNotFound.Newf("Table not found: %s", t.name)
	}
	img := t.liveImage()
	t.mu.Unlock()
	details := db.addBackup(img, in.BackupName, BackupTypeUser, db.clock.Now())
	details.BackupStatus = BackupStatusCreating
	return &CreateBackupOutput{BackupDetails: &details}, nil
}

// backupOnDelete keeps the system backup DynamoDB takes when a table with
// point-in-time recovery on is deleted, for 35 days. The caller holds
// t.mu.
func (t *table) backupOnDelete(now time.Time) {
	if !t.pitr.enabled {
		return
	}
	t.db.addBackup(t.liveImage(), t.name+"$DeletedTableBackup", BackupTypeSystem, now)
}

// describe builds the backup's description.
func (b *backup) describe() *BackupDescription {
	img := b.img
	details := b.details
	src := &SourceTableDetails{
		TableName: img.name, TableId: img.id, TableArn: img.arn,
		TableSizeBytes: img.size, ItemCount: img.count,
		KeySchema:             slices.Clone(img.spec.KeySchema),
		TableCreationDateTime: img.created,
		BillingMode:           img.spec.BillingMode,
	}
	if img.spec.ProvisionedThroughput != nil {
		src.ProvisionedThroughput = *img.spec.ProvisionedThroughput
	}
	f := &SourceTableFeatureDetails{StreamDescription: img.stream, TimeToLiveDescription: img.ttl}
	for _, l := range img.spec.LocalSecondaryIndexes {
		f.LocalSecondaryIndexes = append(f.LocalSecondaryIndexes, LocalSecondaryIndexInfo(l))
	}
	for _, g := range img.spec.GlobalSecondaryIndexes {
		f.GlobalSecondaryIndexes = append(f.GlobalSecondaryIndexes, GlobalSecondaryIndexInfo(g))
	}
	return &BackupDescription{BackupDetails: &details, SourceTableDetails: src, SourceTableFeatureDetails: f}
}

// DescribeBackup describes a backup.
func (db *DB) DescribeBackup(ctx context.Context, in *DescribeBackupInput) (*DescribeBackupOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DescribeBackupInput{}
	}
	b, err := db.liveBackup(in.BackupArn)
	if err != nil {
		return nil, err
	}
	return &DescribeBackupOutput{BackupDescription: b.describe()}, nil
}

// DeleteBackup deletes a backup; its description comes back DELETED.
func (db *DB) DeleteBackup(ctx context.Context, in *DeleteBackupInput) (*DeleteBackupOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DeleteBackupInput{}
	}
	b, err := db.liveBackup(in.BackupArn)
	if err != nil {
		return nil, err
	}
	db.backups.mu.Lock()
	db.backups.list = slices.DeleteFunc(db.backups.list, func(x *backup) bool { return x == b })
	db.backups.mu.Unlock()
	d := b.describe()
	d.BackupDetails.BackupStatus = BackupStatusDeleted
	return &DeleteBackupOutput{BackupDescription: d}, nil
}

// ListBackups lists backups oldest first, a page at a time, filtered by
// table, creation time and type (USER by default).
func (db *DB) ListBackups(ctx context.Context, in *ListBackupsInput) (*ListBackupsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ListBackupsInput{}
	}
	limit := in.Limit
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > 100 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", in.Limit)
	}
	filter := in.BackupType
	switch filter {
	case "":
		filter = BackupTypeFilterUser
	case BackupTypeFilterUser, BackupTypeFilterSystem, BackupTypeFilterAWSBackup, BackupTypeFilterAll:
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'backupType' failed to satisfy constraint: Member must satisfy enum value set: [USER, SYSTEM, AWS_BACKUP, ALL]", filter)
	}
	table := tableNameOf(in.TableName)
	now := db.clock.Now()
	db.backups.mu.Lock()
	defer db.backups.mu.Unlock()
	db.expireBackups(now)
	out := &ListBackupsOutput{}
	started := in.ExclusiveStartBackupArn == ""
	for _, b := range db.backups.list {
		if !started {
			started = b.details.BackupArn == in.ExclusiveStartBackupArn
			continue
		}
		d := b.details
		switch {
		case table != "" && b.img.name != table,
			filter != BackupTypeFilterAll && string(d.BackupType) != string(filter),
			!in.TimeRangeLowerBound.IsZero() && d.BackupCreationDateTime.Before(in.TimeRangeLowerBound),
			!in.TimeRangeUpperBound.IsZero() && !d.BackupCreationDateTime.Before(in.TimeRangeUpperBound):
			continue
		}
		if len(out.BackupSummaries) == limit {
			out.LastEvaluatedBackupArn = out.BackupSummaries[limit-1].BackupArn
			break
		}
		out.BackupSummaries = append(out.BackupSummaries, BackupSummary{
			TableName: b.img.name, TableId: b.img.id, TableArn: b.img.arn,
			BackupArn: d.BackupArn, BackupName: d.BackupName,
			BackupCreationDateTime: d.BackupCreationDateTime, BackupExpiryDateTime: d.BackupExpiryDateTime,
			BackupStatus: d.BackupStatus, BackupType: d.BackupType, BackupSizeBytes: d.BackupSizeBytes,
		})
	}
	return out, nil
}

// RestoreTableFromBackup creates a new table from a backup: its items,
// key schema, indexes, billing mode, capacity and class, unless
// overridden. The target must not exist (TableAlreadyExistsException).
func (db *DB) RestoreTableFromBackup(ctx context.Context, in *RestoreTableFromBackupInput) (*RestoreTableFromBackupOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &RestoreTableFromBackupInput{}
	}
	if err := validateTableName("TargetTableName", in.TargetTableName); err != nil {
		return nil, err
	}
	b, err := db.liveBackup(in.BackupArn)
	if err != nil {
		return nil, err
	}
	desc, err := db.restoreImage(ctx, b.img, in.TargetTableName, restoreOverrides{
		billing: in.BillingModeOverride, throughput: in.ProvisionedThroughputOverride,
		gsis: in.GlobalSecondaryIndexOverride, lsis: in.LocalSecondaryIndexOverride,
	}, RestoreSummary{SourceBackupArn: b.details.BackupArn, SourceTableArn: b.img.arn, RestoreDateTime: b.details.BackupCreationDateTime})
	if err != nil {
		return nil, err
	}
	return &RestoreTableFromBackupOutput{TableDescription: desc}, nil
}
