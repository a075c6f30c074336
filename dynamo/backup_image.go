package dynamo

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/google/btree"
)

// tableImage is a table frozen at one moment: its definition and its
// items. The items are a lazily copied B-tree of the table's immutable
// records, so taking an image costs O(1) and never slows the table;
// backups, point-in-time restores and exports are all images.
type tableImage struct {
	name, arn, id string
	created       time.Time
	spec          CreateTableInput // what a restore creates, without a stream
	stream        *StreamSpecification
	ttl           *TimeToLiveDescription
	items         *btree.BTreeG[*record]
	count, size   int64
}

// definition returns what CreateTable would need to re-create the table,
// streams aside. The caller holds t.mu.
func (t *table) definition() CreateTableInput {
	in := CreateTableInput{
		TableName:            t.name,
		AttributeDefinitions: slices.Clone(t.attrDefs),
		KeySchema:            t.key.elements(),
		BillingMode:          t.billing,
		TableClass:           t.class,
	}
	if t.billing == BillingModeProvisioned {
		tp := t.throughput
		in.ProvisionedThroughput = &tp
	}
	for _, ix := range t.indexes {
		if !ix.global {
			in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, LocalSecondaryIndex{
				IndexName: ix.name, KeySchema: ix.key.elements(), Projection: ix.projectionCopy(),
			})
			continue
		}
		g := GlobalSecondaryIndex{IndexName: ix.name, KeySchema: ix.key.elements(), Projection: ix.projectionCopy()}
		if t.billing == BillingModeProvisioned {
			tp := ix.throughput
			g.ProvisionedThroughput = &tp
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, g)
	}
	return in
}

// liveImage freezes the table as it is, in O(1). The caller holds t.mu
// for writing: cloning a B-tree changes its copy-on-write state, so two
// clones must not run at once.
func (t *table) liveImage() *tableImage {
	img := t.imageOf(t.items.Clone())
	img.size = t.size
	return img
}

// image freezes the table with the items of an earlier moment, adding up
// their size. The caller holds t.mu.
func (t *table) image(items *btree.BTreeG[*record]) *tableImage {
	img := t.imageOf(items)
	items.Ascend(func(r *record) bool {
		img.size += int64(r.size)
		return true
	})
	return img
}

// imageOf builds an image of the items, its size left to the caller. The
// caller holds t.mu.
func (t *table) imageOf(items *btree.BTreeG[*record]) *tableImage {
	img := &tableImage{
		name: t.name, arn: t.arn, id: t.id, created: t.created,
		spec:  t.definition(),
		items: items,
		count: int64(items.Len()),
	}
	if t.stream != nil {
		img.stream = &StreamSpecification{StreamEnabled: true, StreamViewType: t.stream.viewType}
	}
	if t.ttl.enabled {
		img.ttl = &TimeToLiveDescription{AttributeName: t.ttl.attr, TimeToLiveStatus: TimeToLiveStatusEnabled}
	}
	return img
}

// restoreOverrides are the settings a restore may change: billing,
// capacity and the indexes to create.
type restoreOverrides struct {
	billing    BillingMode
	throughput *ProvisionedThroughput
	gsis       []GlobalSecondaryIndex
	lsis       []LocalSecondaryIndex
}

// restoreImage creates table target from img, with the overrides applied,
// and loads img's items into it. The new table's description reports it
// CREATING with its restore in progress, as DynamoDB's response does; the
// table is usable at once. A target that exists is
// TableAlreadyExistsException and changes nothing.
func (db *DB) restoreImage(ctx context.Context, img *tableImage, target string, ov restoreOverrides, summary RestoreSummary) (*TableDescription, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := validateTableName("TargetTableName", target); err != nil {
		return nil, err
	}
	if db.hasTable(target) {
		return nil, ErrTableAlreadyExists.Newf("Table already exists: %s", target)
	}
	in := img.spec
	in.TableName = target
	in.GlobalSecondaryIndexes = slices.Clone(in.GlobalSecondaryIndexes)
	if ov.billing != "" {
		in.BillingMode = ov.billing
	}
	if ov.throughput != nil {
		tp := *ov.throughput
		in.ProvisionedThroughput = &tp
	}
	if in.BillingMode == BillingModePayPerRequest {
		in.ProvisionedThroughput = nil
		for i := range in.GlobalSecondaryIndexes {
			in.GlobalSecondaryIndexes[i].ProvisionedThroughput = nil
		}
	}
	if ov.gsis != nil {
		in.GlobalSecondaryIndexes = ov.gsis
	}
	if ov.lsis != nil {
		in.LocalSecondaryIndexes = ov.lsis
	}
	t, err := db.newTable(&in)
	if err != nil {
		return nil, err
	}
	s := summary
	t.restore = &s
	img.items.Ascend(func(r *record) bool {
		t.store(nil, r)
		return true
	})
	if err := db.addTable(t); err != nil {
		return nil, err
	}
	t.mu.RLock()
	desc := t.describe()
	t.mu.RUnlock()
	desc.TableStatus = TableStatusCreating
	inProgress := s
	inProgress.RestoreInProgress = true
	desc.RestoreSummary = &inProgress
	return desc, nil
}

// hasTable reports whether a table of that name exists.
func (db *DB) hasTable(name string) bool {
	db.mu.RLock()
	defer db.mu.RUnlock()
	return db.tables[name] != nil
}

// addTable registers a table built by newTable, as CreateTable does, or
// answers TableAlreadyExistsException or the table quota's
// LimitExceededException.
func (db *DB) addTable(t *table) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.tables[t.name] != nil {
		return ErrTableAlreadyExists.Newf("Table already exists: %s", t.name)
	}
	if len(db.tables) >= db.limits.MaxTables {
		return ErrLimitExceeded.Newf("Subscriber limit exceeded: Table count exceeds the account limit of %d", db.limits.MaxTables)
	}
	db.tables[t.name] = t
	return nil
}

// tableNameOf accepts a table name or a table ARN, as the backup
// operations do, and returns the name.
func tableNameOf(nameOrArn string) string {
	if strings.HasPrefix(nameOrArn, "arn:") {
		if i := strings.Index(nameOrArn, ":table/"); i >= 0 {
			name := nameOrArn[i+len(":table/"):]
			if j := strings.IndexByte(name, '/'); j >= 0 {
				name = name[:j]
			}
			return name
		}
	}
	return nameOrArn
}

// backupTable returns a live table for the backup operations, which
// answer TableNotFoundException rather than ResourceNotFoundException.
func (db *DB) backupTable(nameOrArn string) (*table, error) {
	name := tableNameOf(nameOrArn)
	if name == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null")
	}
	db.mu.RLock()
	t := db.tables[name]
	db.mu.RUnlock()
	if t == nil {
		return nil, ErrTableNotFound.Newf("Table not found: %s", name)
	}
	return t, nil
}

// describeRestoreAndReplicas adds a restored table's RestoreSummary and a
// replica's global table fields to its description. The caller holds
// t.mu.
func (t *table) describeRestoreAndReplicas(d *TableDescription) {
	if t.restore != nil {
		s := *t.restore
		d.RestoreSummary = &s
	}
	t.describeReplicas(d)
}
