package dynamo

import (
	"slices"

	"github.com/google/btree"
)

// index is a local or global secondary index. Its entries point at the
// table's immutable records, ordered by the index key and then the table
// key (index keys may repeat); an item without the index's key attributes
// has no entry (a sparse index).
type index struct {
	name       string
	global     bool
	key        schema
	projection Projection
	include    map[string]bool // NonKeyAttributes of an INCLUDE projection
	throughput ProvisionedThroughput
	entries    *btree.BTreeG[*indexEntry]
	size       int64
	statsCount int64
	statsSize  int64
}

type indexEntry struct {
	key  string // encoded index key + encoded table key
	rec  *record
	size int // size of the projected item
}

func entryLess(a, b *indexEntry) bool { return a.key < b.key }

// newIndex validates one index definition of CreateTable or UpdateTable.
func (t *table) newIndex(name string, global bool, ks []KeySchemaElement, p Projection, defs map[string]ScalarAttributeType, defNames []string, names map[string]bool) (*index, error) {
	if err := validateTableName("IndexName", name); err != nil {
		return nil, err
	}
	if names[name] {
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Duplicate index name: %s", name)
	}
	names[name] = true
	key, err := schemaFrom(ks, defs, defNames)
	if err != nil {
		return nil, err
	}
	switch p.ProjectionType {
	case ProjectionTypeAll, ProjectionTypeKeysOnly:
		if p.NonKeyAttributes != nil {
			return nil, ErrValidation.Newf("One or more parameter values were invalid: ProjectionType is %s, but NonKeyAttributes is specified", p.ProjectionType)
		}
	case ProjectionTypeInclude:
		if len(p.NonKeyAttributes) == 0 {
			return nil, ErrValidation.New("One or more parameter values were invalid: NonKeyAttributes must not be empty when ProjectionType is INCLUDE")
		}
	case "":
		return nil, ErrValidation.New("One or more parameter values were invalid: Unknown ProjectionType: null")
	default:
		return nil, ErrValidation.Newf("One or more parameter values were invalid: Unknown ProjectionType: %s", p.ProjectionType)
	}
	ix := &index{
		name:       name,
		global:     global,
		key:        key,
		projection: Projection{ProjectionType: p.ProjectionType, NonKeyAttributes: slices.Clone(p.NonKeyAttributes)},
		entries:    btree.NewG(32, entryLess),
	}
	if p.ProjectionType == ProjectionTypeInclude {
		ix.include = make(map[string]bool, len(p.NonKeyAttributes))
		for _, a := range p.NonKeyAttributes {
			if ix.include[a] {
				return nil, ErrValidation.Newf("One or more parameter values were invalid: Duplicate attribute name in NonKeyAttributes: %s", a)
			}
			ix.include[a] = true
		}
	}
	return ix, nil
}

// setThroughput applies a global index's capacity under the table's
// billing mode.
func (ix *index) setThroughput(billing BillingMode, tp *ProvisionedThroughput) error {
	if billing == BillingModePayPerRequest {
		if tp != nil {
			return ErrValidation.Newf("One or more parameter values were invalid: ProvisionedThroughput should not be specified for index: %s when BillingMode is PAY_PER_REQUEST", ix.name)
		}
		return nil
	}
	if tp == nil {
		return ErrValidation.Newf("One or more parameter values were invalid: ProvisionedThroughput must be specified for index: %s", ix.name)
	}
	if err := validateThroughput(*tp); err != nil {
		return err
	}
	ix.throughput = *tp
	return nil
}

func (ix *index) projectionCopy() Projection {
	return Projection{ProjectionType: ix.projection.ProjectionType, NonKeyAttributes: slices.Clone(ix.projection.NonKeyAttributes)}
}

// has reports whether an item has the index's key attributes, of the
// defined types, and so appears in the index.
func (ix *index) has(item Item) bool {
	v, ok := item[ix.key.hash.name]
	if !ok || v.Type() != string(ix.key.hash.typ) {
		return false
	}
	if ix.key.hasRange() {
		v, ok := item[ix.key.rng.name]
		if !ok || v.Type() != string(ix.key.rng.typ) {
			return false
		}
	}
	return true
}

// checkItem rejects an item whose index key attributes have the wrong
// type, are empty or are too large, as DynamoDB rejects such a write.
func (ix *index) checkItem(db *DB, item Item) error {
	check := func(def keyDef, isRange bool) error {
		v, ok := item[def.name]
		if !ok {
			return nil
		}
		if v.Type() != string(def.typ) {
			return ErrValidation.Newf("One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s", def.name, def.typ, v.Type(), ix.name)
		}
		if (v.Type() == "S" || v.Type() == "B") && keySize(v) == 0 {
			return ErrValidation.Newf("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s", map[string]string{"S": "string", "B": "binary"}[v.Type()], ix.name, def.name)
		}
		max := db.limits.MaxPartitionKeySize
		if isRange {
			max = db.limits.MaxSortKeySize
		}
		if size := keySize(v); size > max {
			return ErrValidation.Newf("One or more parameter values were invalid: Size limit exceeded for Index Key %s Actual Size: %d bytes Max Size: %d bytes IndexName: %s", def.name, size, max, ix.name)
		}
		return nil
	}
	if err := check(ix.key.hash, false); err != nil {
		return err
	}
	if ix.key.hasRange() {
		return check(ix.key.rng, true)
	}
	return nil
}

// entryKey returns the btree key of a record in this index.
func (ix *index) entryKey(rec *record) string {
	buf := make([]byte, 0, len(rec.key)+48)
	buf = appendPartition(buf, rec.item[ix.key.hash.name])
	if ix.key.hasRange() {
		buf = appendKeyValue(buf, rec.item[ix.key.rng.name])
	}
	buf = append(buf, rec.key...)
	return string(buf)
}

// project returns the attributes of item the index holds: its keys, the
// table's keys, and what its projection names.
func (ix *index) project(tableKey schema, item Item) Item {
	if ix.projection.ProjectionType == ProjectionTypeAll {
		return item
	}
	out := make(Item, 4+len(ix.include))
	for _, n := range []string{tableKey.hash.name, tableKey.rng.name, ix.key.hash.name, ix.key.rng.name} {
		if v, ok := item[n]; ok && n != "" {
			out[n] = v
		}
	}
	for n := range ix.include {
		if v, ok := item[n]; ok {
			out[n] = v
		}
	}
	return out
}

// isProjected reports whether the index holds attribute name.
func (ix *index) isProjected(tableKey schema, name string) bool {
	switch ix.projection.ProjectionType {
	case ProjectionTypeAll:
		return true
	case ProjectionTypeInclude:
		if ix.include[name] {
			return true
		}
	}
	return name == tableKey.hash.name || name == tableKey.rng.name || name == ix.key.hash.name || name == ix.key.rng.name
}

// put adds a record's entry, when the record belongs in the index.
func (ix *index) put(tableKey schema, rec *record) {
	if !ix.has(rec.item) {
		return
	}
	size := rec.size
	if ix.projection.ProjectionType != ProjectionTypeAll {
		size = itemSize(ix.project(tableKey, rec.item))
	}
	ix.entries.ReplaceOrInsert(&indexEntry{key: ix.entryKey(rec), rec: rec, size: size})
	ix.size += int64(size)
}

// remove deletes a record's entry, if it has one.
func (ix *index) remove(rec *record) {
	if !ix.has(rec.item) {
		return
	}
	if old, ok := ix.entries.Delete(&indexEntry{key: ix.entryKey(rec)}); ok {
		ix.size -= int64(old.size)
	}
}

// index returns a table's index by name, or DynamoDB's error for a
// missing one.
func (t *table) index(name string) (*index, error) {
	for _, ix := range t.indexes {
		if ix.name == name {
			return ix, nil
		}
	}
	return nil, ErrValidation.Newf("The table does not have the specified index: %s", name)
}

// store replaces the record at rec.key (old, or nil) with rec (or deletes
// it when rec is nil), keeping the indexes and the size in step, and
// publishes the change to the table's stream, Kinesis destinations and
// Time to Live queue. The caller holds t.mu for writing.
func (t *table) store(old, rec *record) { t.storeAs(old, rec, false) }

// storeAs is store; byTTL marks a deletion made by Time to Live.
func (t *table) storeAs(old, rec *record, byTTL bool) {
	if old != nil {
		for _, ix := range t.indexes {
			ix.remove(old)
		}
		t.size -= int64(old.size)
	}
	if rec == nil {
		if old != nil {
			t.items.Delete(old)
		}
		t.publish(old, nil, byTTL)
		return
	}
	t.items.ReplaceOrInsert(rec)
	t.size += int64(rec.size)
	for _, ix := range t.indexes {
		ix.put(t.key, rec)
	}
	t.publish(old, rec, byTTL)
}
