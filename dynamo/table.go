package dynamo

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/btree"
)

// CreateTableInput is the request of CreateTable.
type CreateTableInput struct {
	TableName              string
	AttributeDefinitions   []AttributeDefinition
	KeySchema              []KeySchemaElement
	LocalSecondaryIndexes  []LocalSecondaryIndex
	GlobalSecondaryIndexes []GlobalSecondaryIndex
	// BillingMode defaults to PROVISIONED, which requires
	// ProvisionedThroughput.
	BillingMode               BillingMode
	ProvisionedThroughput     *ProvisionedThroughput
	TableClass                TableClass
	DeletionProtectionEnabled bool
	// StreamSpecification turns on the table's DynamoDB stream.
	StreamSpecification *StreamSpecification
}

// CreateTableOutput is the response of CreateTable.
type CreateTableOutput struct {
	TableDescription *TableDescription
}

// DescribeTableInput is the request of DescribeTable.
type DescribeTableInput struct {
	TableName string
}

// DescribeTableOutput is the response of DescribeTable.
type DescribeTableOutput struct {
	Table *TableDescription
}

// ListTablesInput is the request of ListTables.
type ListTablesInput struct {
	// ExclusiveStartTableName continues a listing after this name.
	ExclusiveStartTableName string
	// Limit is the page size, 1 to 100; zero means 100.
	Limit int
}

// ListTablesOutput is the response of ListTables: names in order, and the
// name to continue from when there are more.
type ListTablesOutput struct {
	TableNames             []string
	LastEvaluatedTableName string
}

// DeleteTableInput is the request of DeleteTable.
type DeleteTableInput struct {
	TableName string
}

// DeleteTableOutput is the response of DeleteTable.
type DeleteTableOutput struct {
	TableDescription *TableDescription
}

// keyDef is one key attribute.
type keyDef struct {
	name string
	typ  ScalarAttributeType
}

// schema is the key of a table or index. rng.name is "" without a sort key.
type schema struct {
	hash keyDef
	rng  keyDef
}

func (s schema) hasRange() bool { return s.rng.name != "" }

func (s schema) elements() []KeySchemaElement {
	out := []KeySchemaElement{{AttributeName: s.hash.name, KeyType: KeyTypeHash}}
	if s.hasRange() {
		out = append(out, KeySchemaElement{AttributeName: s.rng.name, KeyType: KeyTypeRange})
	}
	return out
}

// record is one stored item. Records are immutable once stored: a write
// replaces the record, so readers and indexes can hold one without a lock.
type record struct {
	key  string // encoded primary key
	item Item
	size int
}

func recordLess(a, b *record) bool { return a.key < b.key }

// table is one DynamoDB table and its indexes.
type table struct {
	db *DB

	mu                 sync.RWMutex
	name, arn, id      string
	created            time.Time
	status             TableStatus
	key                schema
	attrDefs           []AttributeDefinition
	billing            BillingMode
	billingChanged     time.Time
	throughput         ProvisionedThroughput
	class              TableClass
	deletionProtection bool
	items              *btree.BTreeG[*record]
	indexes            []*index // LSIs first, then GSIs, in definition order
	size               int64
	statsAt            time.Time
	statsCount         int64
	statsSize          int64

	stream       *stream // the enabled stream, nil when off
	latestStream *stream // the last stream enabled, for LatestStreamArn
	ttl          ttlState
	kinesis      []*kinesisDest

	// Backups, point-in-time recovery and global tables (backup*.go,
	// pitr.go, global*.go).
	pitr    pitrState       // change history while recovery is on
	restore *RestoreSummary // set on a table made by a restore
	replica *replicaLink    // set while the table is a global table replica
}

// CreateTable creates a table. The response reports it as CREATING, as
// DynamoDB's does; the table is usable at once and DescribeTable reports it
// ACTIVE.
func (db *DB) CreateTable(ctx context.Context, in *CreateTableInput) (*CreateTableOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &CreateTableInput{}
	}
	if err := db.fault(ctx, "CreateTable", in.TableName); err != nil {
		return nil, err
	}
	t, err := db.newTable(in)
	if err != nil {
		return nil, err
	}
	db.mu.Lock()
	if _, ok := db.tables[in.TableName]; ok {
		db.mu.Unlock()
		return nil, ErrResourceInUse.Newf("Table already exists: %s", in.TableName)
	}
	if len(db.tables) >= db.limits.MaxTables {
		db.mu.Unlock()
		return nil, ErrLimitExceeded.Newf("Subscriber limit exceeded: Table count exceeds the account limit of %d", db.limits.MaxTables)
	}
	db.tables[in.TableName] = t
	t.setStream(in.StreamSpecification, t.created)
	db.mu.Unlock()

	t.mu.RLock()
	desc := t.describe()
	t.mu.RUnlock()
	desc.TableStatus = TableStatusCreating
	for i := range desc.GlobalSecondaryIndexes {
		desc.GlobalSecondaryIndexes[i].IndexStatus = IndexStatusCreating
	}
	return &CreateTableOutput{TableDescription: desc}, nil
}

// newTable validates a CreateTable request and builds the table.
func (db *DB) newTable(in *CreateTableInput) (*table, error) {
	if err := validateTableName("TableName", in.TableName); err != nil {
		return nil, err
	}
	if len(in.KeySchema) < 1 || len(in.KeySchema) > 2 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%v' at 'keySchema' failed to satisfy constraint: Member must have length less than or equal to 2", in.KeySchema)
	}
	defs := map[string]ScalarAttributeType{}
	var defNames []string
	for _, d := range in.AttributeDefinitions {
		switch d.AttributeType {
		case ScalarAttributeTypeS, ScalarAttributeTypeN, ScalarAttributeTypeB:
		default:
			return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'attributeDefinitions.member.attributeType' failed to satisfy constraint: Member must satisfy enum value set: [B, N, S]", d.AttributeType)
		}
		if _, dup := defs[d.AttributeName]; dup {
			return nil, ErrValidation.Newf("Cannot have two attributes with the same name; attribute name: %s", d.AttributeName)
		}
		defs[d.AttributeName] = d.AttributeType
		defNames = append(defNames, d.AttributeName)
	}
	key, err := schemaFrom(in.KeySchema, defs, defNames)
	if err != nil {
		return nil, err
	}

	billing := in.BillingMode
	if billing == "" {
		billing = BillingModeProvisioned
	}
	var tp ProvisionedThroughput
	switch billing {
	case BillingModePayPerRequest:
		if in.ProvisionedThroughput != nil {
			return nil, ErrValidation.New("One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
		}
	case BillingModeProvisioned:
		if in.ProvisionedThroughput == nil || in.ProvisionedThroughput.ReadCapacityUnits == 0 || in.ProvisionedThroughput.WriteCapacityUnits == 0 {
			return nil, ErrValidation.New("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be specified when BillingMode is PROVISIONED")
		}
		if err := validateThroughput(*in.ProvisionedThroughput); err != nil {
			return nil, err
		}
		tp = *in.ProvisionedThroughput
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'billingMode' failed to satisfy constraint: Member must satisfy enum value set: [PROVISIONED, PAY_PER_REQUEST]", billing)
	}
	class := in.TableClass
	switch class {
	case "":
		class = TableClassStandard
	case TableClassStandard, TableClassStandardInfrequentAccess:
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'tableClass' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, STANDARD_INFREQUENT_ACCESS]", class)
	}
	if err := checkCreateStreamSpec(in.StreamSpecification); err != nil {
		return nil, err
	}

	now := db.clock.Now()
	t := &table{
		db:                 db,
		name:               in.TableName,
		arn:                fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", db.opts.Region, db.opts.AccountID, in.TableName),
		created:            now,
		status:             TableStatusActive,
		key:                key,
		billing:            billing,
		billingChanged:     now,
		throughput:         tp,
		class:              class,
		deletionProtection: in.DeletionProtectionEnabled,
		items:              btree.NewG(32, recordLess),
		statsAt:            now,
	}
	db.mu.Lock()
	t.id = newUUID(db.rand)
	db.mu.Unlock()

	used := map[string]bool{key.hash.name: true, key.rng.name: true}
	names := map[string]bool{}
	projected := 0
	if in.LocalSecondaryIndexes != nil && len(in.LocalSecondaryIndexes) == 0 {
		return nil, ErrValidation.New("One or more parameter values were invalid: List of LocalSecondaryIndexes is empty")
	}
	if len(in.LocalSecondaryIndexes) > 0 && !key.hasRange() {
		return nil, ErrValidation.New("One or more parameter values were invalid: Table KeySchema does not have a range key, which is required when specifying a LocalSecondaryIndex")
	}
	if len(in.LocalSecondaryIndexes) > db.limits.MaxLocalSecondaryIndexes {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Number of LocalSecondaryIndexes exceeds per-table limit of %d", db.limits.MaxLocalSecondaryIndexes)
	}
	for _, l := range in.LocalSecondaryIndexes {
		ix, err := t.newIndex(l.IndexName, false, l.KeySchema, l.Projection, defs, defNames, names)
		if err != nil {
			return nil, err
		}
		if !ix.key.hasRange() {
			return nil, ErrValidation.Newf("One or more parameter values were invalid: Index KeySchema does not have a range key for index: %s", l.IndexName)
		}
		if ix.key.hash.name != key.hash.name {
			return nil, ErrValidation.Newf("One or more parameter values were invalid: Index KeySchema does not have the same leading hash key as table KeySchema for index: %s. index hash key: %s, table hash key: %s", l.IndexName, ix.key.hash.name, key.hash.name)
		}
		projected += len(ix.projection.NonKeyAttributes)
		used[ix.key.rng.name] = true
		t.indexes = append(t.indexes, ix)
	}
	if in.GlobalSecondaryIndexes != nil && len(in.GlobalSecondaryIndexes) == 0 {
		return nil, ErrValidation.New("One or more parameter values were invalid: List of GlobalSecondaryIndexes is empty")
	}
	if len(in.GlobalSecondaryIndexes) > db.limits.MaxGlobalSecondaryIndexes {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: GlobalSecondaryIndex count exceeds the per-table limit of %d", db.limits.MaxGlobalSecondaryIndexes)
	}
	for _, g := range in.GlobalSecondaryIndexes {
		ix, err := t.newIndex(g.IndexName, true, g.KeySchema, g.Projection, defs, defNames, names)
		if err != nil {
			return nil, err
		}
		if err := ix.setThroughput(billing, g.ProvisionedThroughput); err != nil {
			return nil, err
		}
		projected += len(ix.projection.NonKeyAttributes)
		used[ix.key.hash.name] = true
		used[ix.key.rng.name] = true
		t.indexes = append(t.indexes, ix)
	}
	if projected > db.limits.MaxProjectedAttributes {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Number of projected attributes in all indexes exceeds limit of %d, number of projected attributes: %d", db.limits.MaxProjectedAttributes, projected)
	}
	for _, n := range defNames {
		if !used[n] {
			var keys []string
			for k := range used {
				if k != "" {
					keys = append(keys, k)
				}
			}
			slices.Sort(keys)
			return nil, ErrValidation.Newf("One or more parameter values were invalid: Some AttributeDefinitions are not used. AttributeDefinitions: [%s], keys used: [%s]", strings.Join(defNames, ", "), strings.Join(keys, ", "))
		}
	}
	t.attrDefs = slices.Clone(in.AttributeDefinitions)
	return t, nil
}

// schemaFrom checks a key schema against the attribute definitions.
func schemaFrom(ks []KeySchemaElement, defs map[string]ScalarAttributeType, defNames []string) (schema, error) {
	var s schema
	if len(ks) < 1 || len(ks) > 2 {
		return s, ErrValidation.New("Invalid KeySchema: KeySchema must have one or two elements")
	}
	for _, k := range ks {
		if _, ok := defs[k.AttributeName]; !ok {
			var names []string
			for _, k := range ks {
				names = append(names, k.AttributeName)
			}
			return s, ErrValidation.Newf("One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [%s], AttributeDefinitions: [%s]", strings.Join(names, ", "), strings.Join(defNames, ", "))
		}
	}
	if len(ks) == 2 && ks[0].AttributeName == ks[1].AttributeName {
		return s, ErrValidation.New("Both the Hash Key and the Range Key element in the KeySchema have the same name")
	}
	if ks[0].KeyType != KeyTypeHash {
		return s, ErrValidation.New("Invalid KeySchema: The first KeySchemaElement is not a HASH key type")
	}
	s.hash = keyDef{ks[0].AttributeName, defs[ks[0].AttributeName]}
	if len(ks) == 2 {
		if ks[1].KeyType != KeyTypeRange {
			return s, ErrValidation.New("Invalid KeySchema: The second KeySchemaElement is not a RANGE key type")
		}
		s.rng = keyDef{ks[1].AttributeName, defs[ks[1].AttributeName]}
	}
	return s, nil
}

func validateThroughput(tp ProvisionedThroughput) error {
	const max = 1_000_000_000_000
	if tp.ReadCapacityUnits < 1 || tp.WriteCapacityUnits < 1 {
		return ErrValidation.New("One or more parameter values were invalid: ReadCapacityUnits and WriteCapacityUnits must both be at least 1")
	}
	if tp.ReadCapacityUnits > max {
		return ErrValidation.Newf("Given value %d for ReadCapacityUnits is out of bounds", tp.ReadCapacityUnits)
	}
	if tp.WriteCapacityUnits > max {
		return ErrValidation.Newf("Given value %d for WriteCapacityUnits is out of bounds", tp.WriteCapacityUnits)
	}
	return nil
}

// validateTableName applies DynamoDB's rules for table and index names:
// 3 to 255 characters of a-z, A-Z, 0-9, '_', '-' and '.'.
func validateTableName(field, name string) error {
	if name == "" {
		return ErrValidation.Newf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", lowerFirst(field))
	}
	if len(name) < 3 || len(name) > 255 {
		return ErrValidation.Newf("%s must be at least 3 characters long and at most 255 characters long", field)
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.') {
			return ErrValidation.Newf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+", name, lowerFirst(field))
		}
	}
	return nil
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// DescribeTable returns a table's description.
func (db *DB) DescribeTable(ctx context.Context, in *DescribeTableInput) (*DescribeTableOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DescribeTableInput{}
	}
	if err := db.fault(ctx, "DescribeTable", in.TableName); err != nil {
		return nil, err
	}
	t, err := db.table(in.TableName)
	if err != nil {
		if err := validateTableName("TableName", in.TableName); err != nil {
			return nil, err
		}
		return nil, ErrResourceNotFound.Newf("Requested resource not found: Table: %s not found", in.TableName)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.refreshStats()
	return &DescribeTableOutput{Table: t.describe()}, nil
}

// statsInterval is how often DynamoDB refreshes ItemCount and
// TableSizeBytes: about every six hours.
const statsInterval = 6 * time.Hour

// describe builds the table's description. The caller holds t.mu for
// writing when stats may refresh, or for reading otherwise.
func (t *table) describe() *TableDescription {
	count, size := t.statsCount, t.statsSize
	if t.db.opts.LiveTableStats {
		count, size = int64(t.items.Len()), t.size
	}
	d := &TableDescription{
		TableName:            t.name,
		TableArn:             t.arn,
		TableId:              t.id,
		TableStatus:          t.status,
		CreationDateTime:     t.created,
		KeySchema:            t.key.elements(),
		AttributeDefinitions: slices.Clone(t.attrDefs),
		BillingModeSummary:   &BillingModeSummary{BillingMode: t.billing},
		ProvisionedThroughput: &ProvisionedThroughputDescription{
			ReadCapacityUnits:  t.throughput.ReadCapacityUnits,
			WriteCapacityUnits: t.throughput.WriteCapacityUnits,
		},
		TableClassSummary:         &TableClassSummary{TableClass: t.class},
		DeletionProtectionEnabled: t.deletionProtection,
		ItemCount:                 count,
		TableSizeBytes:            size,
	}
	if t.billing == BillingModePayPerRequest {
		d.BillingModeSummary.LastUpdateToPayPerRequestDateTime = t.billingChanged
	}
	t.describeStream(d)
	t.describeRestoreAndReplicas(d) // backup_image.go, global.go
	for _, ix := range t.indexes {
		ixCount, ixSize := ix.statsCount, ix.statsSize
		if t.db.opts.LiveTableStats {
			ixCount, ixSize = int64(ix.entries.Len()), ix.size
		}
		if !ix.global {
			d.LocalSecondaryIndexes = append(d.LocalSecondaryIndexes, LocalSecondaryIndexDescription{
				IndexName:      ix.name,
				IndexArn:       t.arn + "/index/" + ix.name,
				KeySchema:      ix.key.elements(),
				Projection:     ix.projectionCopy(),
				IndexSizeBytes: ixSize,
				ItemCount:      ixCount,
			})
			continue
		}
		d.GlobalSecondaryIndexes = append(d.GlobalSecondaryIndexes, GlobalSecondaryIndexDescription{
			IndexName:   ix.name,
			IndexArn:    t.arn + "/index/" + ix.name,
			IndexStatus: IndexStatusActive,
			KeySchema:   ix.key.elements(),
			Projection:  ix.projectionCopy(),
			ProvisionedThroughput: &ProvisionedThroughputDescription{
				ReadCapacityUnits:  ix.throughput.ReadCapacityUnits,
				WriteCapacityUnits: ix.throughput.WriteCapacityUnits,
			},
			IndexSizeBytes: ixSize,
			ItemCount:      ixCount,
		})
	}
	t.db.throughputStats(t, d)
	return d
}

// refreshStats takes a new snapshot of the counts DescribeTable reports
// when six hours have passed since the last one. The caller holds t.mu.
func (t *table) refreshStats() {
	now := t.db.clock.Now()
	if now.Sub(t.statsAt) < statsInterval {
		return
	}
	t.statsAt = now
	t.statsCount, t.statsSize = int64(t.items.Len()), t.size
	for _, ix := range t.indexes {
		ix.statsCount, ix.statsSize = int64(ix.entries.Len()), ix.size
	}
}

// ListTables lists table names in order, a page at a time.
func (db *DB) ListTables(ctx context.Context, in *ListTablesInput) (*ListTablesOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ListTablesInput{}
	}
	if err := db.fault(ctx, "ListTables", ""); err != nil {
		return nil, err
	}
	limit := in.Limit
	if limit == 0 {
		limit = 100
	}
	if limit < 1 || limit > 100 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100", in.Limit)
	}
	if in.ExclusiveStartTableName != "" {
		if err := validateTableName("ExclusiveStartTableName", in.ExclusiveStartTableName); err != nil {
			return nil, err
		}
	}
	db.mu.RLock()
	names := make([]string, 0, len(db.tables))
	for n := range db.tables {
		if n > in.ExclusiveStartTableName {
			names = append(names, n)
		}
	}
	db.mu.RUnlock()
	slices.Sort(names)
	out := &ListTablesOutput{TableNames: names}
	if len(names) > limit {
		out.TableNames = names[:limit]
		out.LastEvaluatedTableName = names[limit-1]
	}
	return out, nil
}

// DeleteTable deletes a table and all its items. The response reports it
// as DELETING, as DynamoDB's does; the table is gone at once.
func (db *DB) DeleteTable(ctx context.Context, in *DeleteTableInput) (*DeleteTableOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &DeleteTableInput{}
	}
	if err := db.fault(ctx, "DeleteTable", in.TableName); err != nil {
		return nil, err
	}
	if err := validateTableName("TableName", in.TableName); err != nil {
		return nil, err
	}
	db.mu.Lock()
	t := db.tables[in.TableName]
	if t == nil {
		db.mu.Unlock()
		return nil, ErrResourceNotFound.Newf("Requested resource not found: Table: %s not found", in.TableName)
	}
	t.mu.Lock()
	if t.deletionProtection {
		t.mu.Unlock()
		db.mu.Unlock()
		return nil, ErrValidation.New("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
	}
	delete(db.tables, in.TableName)
	db.noteCapacityChange(t)
	t.status = TableStatusDeleting
	t.retire(db.clock.Now())
	desc := t.describe()
	t.mu.Unlock()
	db.mu.Unlock()
	return &DeleteTableOutput{TableDescription: desc}, nil
}
