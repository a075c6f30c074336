package dynamo

import (
	"context"

	"github.com/google/btree"
)

// QueryInput is the request of Query.
type QueryInput struct {
	TableName string
	// IndexName queries a secondary index instead of the table.
	IndexName string
	// KeyConditionExpression selects one partition ("pk = :v") and
	// optionally a sort key range ("AND sk BETWEEN :a AND :b").
	KeyConditionExpression string
	// FilterExpression drops items after they are read: they still count
	// in ScannedCount, against Limit and against the 1 MB page.
	FilterExpression          string
	ProjectionExpression      string
	ExpressionAttributeNames  map[string]string
	ExpressionAttributeValues map[string]AttributeValue
	Select                    Select
	// Limit is the most items read (before the filter) in this page; zero
	// means no limit but the 1 MB page.
	Limit          int
	ConsistentRead bool
	// ScanIndexForward orders by sort key ascending when nil or true, and
	// descending when false.
	ScanIndexForward       *bool
	ExclusiveStartKey      Item
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// QueryOutput is the response of Query.
type QueryOutput struct {
	Items []Item
	// Count is the number of items after the filter; ScannedCount before.
	Count        int
	ScannedCount int
	// LastEvaluatedKey is where the next page starts; nil on the last page.
	LastEvaluatedKey Item
	// ConsumedCapacity is set when the request asked for it: the total
	// size of the items read in the page, before the filter and the
	// projection, rounded up once to 4 KB units.
	ConsumedCapacity *ConsumedCapacity
}

// ScanInput is the request of Scan.
type ScanInput struct {
	TableName                 string
	IndexName                 string
	FilterExpression          string
	ProjectionExpression      string
	ExpressionAttributeNames  map[string]string
	ExpressionAttributeValues map[string]AttributeValue
	Select                    Select
	Limit                     int
	ConsistentRead            bool
	ExclusiveStartKey         Item
	// Segment and TotalSegments split a parallel Scan: segment i of n
	// reads its own share of the partitions. TotalSegments zero means a
	// plain Scan.
	Segment                int
	TotalSegments          int
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// ScanOutput is the response of Scan.
type ScanOutput struct {
	Items            []Item
	Count            int
	ScannedCount     int
	LastEvaluatedKey Item
	// ConsumedCapacity is set when the request asked for it, counted as
	// for Query.
	ConsumedCapacity *ConsumedCapacity
}

// readPlan is one page of a Query or Scan, ready to run.
type readPlan struct {
	t        *table
	ix       *index // nil reads the table
	lo, hi   string // the key range [lo, hi); hi "" is unbounded
	forward  bool
	start    string // encoded ExclusiveStartKey, "" for none
	limit    int
	filter   *condition
	proj     *projection
	sel      Select
	fullItem bool // read the whole item through a local index
	mode     readMode
}

// readRequest holds what Query and Scan share.
type readRequest struct {
	tableName, indexName string
	filter, projection   string
	names                map[string]string
	values               map[string]AttributeValue
	sel                  Select
	limit                int
	consistent           bool
	esk                  Item
}

// prepare validates the parts of a read shared by Query and Scan and
// returns the plan (without its key range) and the expression context.
func (db *DB) prepare(r readRequest, hasKeyCond bool) (*readPlan, *exprContext, error) {
	t, err := db.table(r.tableName)
	if err != nil {
		return nil, nil, err
	}
	if r.limit < 0 {
		return nil, nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", r.limit)
	}
	p := &readPlan{t: t, limit: r.limit, forward: true, sel: r.sel, mode: readModeOf(r.consistent)}
	if r.indexName != "" {
		t.mu.RLock()
		p.ix, err = t.index(r.indexName)
		t.mu.RUnlock()
		if err != nil {
			return nil, nil, err
		}
		if p.ix.global && r.consistent {
			return nil, nil, ErrValidation.New("Consistent reads are not supported on global secondary indexes")
		}
	}
	switch r.sel {
	case "":
		switch {
		case r.projection != "":
			p.sel = SelectSpecificAttributes
		case p.ix != nil:
			p.sel = SelectAllProjectedAttributes
		default:
			p.sel = SelectAllAttributes
		}
	case SelectAllAttributes:
		if p.ix != nil && p.ix.global && p.ix.projection.ProjectionType != ProjectionTypeAll {
			return nil, nil, ErrValidation.Newf("One or more parameter values were invalid: Select type ALL_ATTRIBUTES is not supported for global secondary index %s because its projection type is not ALL", p.ix.name)
		}
	case SelectAllProjectedAttributes:
		if p.ix == nil {
			return nil, nil, ErrValidation.New("One or more parameter values were invalid: Select type ALL_PROJECTED_ATTRIBUTES is supported only for index queries and scans")
		}
	case SelectSpecificAttributes:
		if r.projection == "" {
			return nil, nil, ErrValidation.New("One or more parameter values were invalid: Select type SPECIFIC_ATTRIBUTES requires a ProjectionExpression")
		}
	case SelectCount:
	default:
		return nil, nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'select' failed to satisfy constraint: Member must satisfy enum value set: [SPECIFIC_ATTRIBUTES, COUNT, ALL_ATTRIBUTES, ALL_PROJECTED_ATTRIBUTES]", r.sel)
	}
	if r.projection != "" && p.sel != SelectSpecificAttributes {
		return nil, nil, ErrValidation.Newf("One or more parameter values were invalid: Cannot specify the ProjectionExpression when choosing to get %s", p.sel)
	}
	ec, err := db.exprParams(r.names, r.values, hasKeyCond || r.filter != "" || r.projection != "")
	if err != nil {
		return nil, nil, err
	}
	if r.filter != "" {
		if p.filter, err = ec.parseCondition("FilterExpression", r.filter); err != nil {
			return nil, nil, err
		}
	}
	if r.projection != "" {
		if p.proj, err = ec.parseProjection(r.projection); err != nil {
			return nil, nil, err
		}
	}
	if p.ix != nil && !p.ix.global && p.ix.projection.ProjectionType != ProjectionTypeAll {
		// A local index fetches unprojected attributes from the table.
		switch {
		case p.sel == SelectAllAttributes:
			p.fullItem = true
		case p.proj != nil:
			for _, n := range p.proj.topLevelNames() {
				if !p.ix.isProjected(t.key, n) {
					p.fullItem = true
				}
			}
		}
	}
	if r.esk != nil {
		if p.start, err = p.startKey(r.esk); err != nil {
			return nil, nil, err
		}
	}
	return p, ec, nil
}

// startKey validates an ExclusiveStartKey and encodes its position.
func (p *readPlan) startKey(esk Item) (string, error) {
	t := p.t
	invalid := func() error {
		return ErrValidation.New("The provided starting key is invalid: The provided key element does not match the schema")
	}
	want := Item{}
	for _, n := range []string{t.key.hash.name, t.key.rng.name} {
		if n != "" {
			want[n] = nil
		}
	}
	if p.ix != nil {
		want[p.ix.key.hash.name] = nil
		if p.ix.key.hasRange() {
			want[p.ix.key.rng.name] = nil
		}
	}
	if len(esk) != len(want) {
		return "", invalid()
	}
	for n := range want {
		if _, ok := esk[n]; !ok {
			return "", invalid()
		}
	}
	clean, err := cleanItem(esk)
	if err != nil {
		return "", err
	}
	if err := t.checkItemKey(clean); err != nil {
		return "", ErrValidation.Newf("The provided starting key is invalid: %s", err.(*Error).Message)
	}
	rec := &record{key: t.key.encodeKey(clean), item: clean}
	if p.ix == nil {
		return rec.key, nil
	}
	if !p.ix.has(clean) {
		return "", invalid()
	}
	return p.ix.entryKey(rec), nil
}

// Query reads the items of one partition, in sort key order, a page at a
// time.
func (db *DB) Query(ctx context.Context, in *QueryInput) (*QueryOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &QueryInput{}
	}
	if err := db.fault(ctx, "Query", in.TableName); err != nil {
		return nil, err
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.KeyConditionExpression == "" {
		if _, err := db.table(in.TableName); err != nil {
			return nil, err
		}
		return nil, ErrValidation.New("Either the KeyConditions or KeyConditionExpression parameter must be specified in the request.")
	}
	p, ec, err := db.prepare(readRequest{
		tableName: in.TableName, indexName: in.IndexName,
		filter: in.FilterExpression, projection: in.ProjectionExpression,
		names: in.ExpressionAttributeNames, values: in.ExpressionAttributeValues,
		sel: in.Select, limit: in.Limit, consistent: in.ConsistentRead, esk: in.ExclusiveStartKey,
	}, true)
	if err != nil {
		return nil, err
	}
	kc, err := ec.parseKeyCondition(in.KeyConditionExpression)
	if err != nil {
		return nil, err
	}
	if err := ec.unusedError(); err != nil {
		return nil, err
	}
	key := p.t.key
	if p.ix != nil {
		key = p.ix.key
	}
	if err := p.keyRange(key, kc); err != nil {
		return nil, err
	}
	if in.ScanIndexForward != nil {
		p.forward = *in.ScanIndexForward
	}
	items, count, scanned, lek, u, err := p.run()
	if err != nil {
		return nil, err
	}
	return &QueryOutput{Items: items, Count: count, ScannedCount: scanned, LastEvaluatedKey: lek,
		ConsumedCapacity: u.consumed(in.ReturnConsumedCapacity, false)}, nil
}

// keyRange checks a key condition against the key schema and sets the
// plan's range to the partition and sort key range it selects.
func (p *readPlan) keyRange(key schema, parsed *keyCondition) error {
	kc, err := parsed.bind(key.hash.name, key.rng.name)
	if err != nil {
		return err
	}
	typeMismatch := ErrValidation.New("One or more parameter values were invalid: Condition parameter type does not match schema type")
	if kc.partitionValue.Type() != string(key.hash.typ) {
		return typeMismatch
	}
	if err := p.t.db.checkKeyValue(key.hash, false, kc.partitionValue, func(string) error { return typeMismatch }); err != nil {
		return err
	}
	prefix := string(appendPartition(nil, kc.partitionValue))
	p.lo, p.hi = prefix, prefixEnd(prefix)
	sc := kc.sort
	if sc == nil {
		return nil
	}
	for _, v := range sc.values {
		if v.Type() != string(key.rng.typ) {
			return typeMismatch
		}
	}
	at := func(v AttributeValue) string { return string(appendKeyValue([]byte(prefix), v)) }
	switch sc.op {
	case "=":
		p.lo = at(sc.values[0])
		p.hi = prefixEnd(p.lo)
	case "<":
		p.hi = at(sc.values[0])
	case "<=":
		p.hi = prefixEnd(at(sc.values[0]))
	case ">":
		p.lo = prefixEnd(at(sc.values[0]))
	case ">=":
		p.lo = at(sc.values[0])
	case "BETWEEN":
		lo, hi := at(sc.values[0]), at(sc.values[1])
		if lo > hi {
			return ErrValidation.Newf("Invalid KeyConditionExpression: The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: {%s:%s}, upper bound operand: AttributeValue: {%s:%s}",
				sc.values[0].Type(), scalarText(sc.values[0]), sc.values[1].Type(), scalarText(sc.values[1]))
		}
		p.lo, p.hi = lo, prefixEnd(hi)
	case "begins_with":
		if key.rng.typ == ScalarAttributeTypeN {
			return ErrValidation.New("Invalid KeyConditionExpression: Incorrect operand type for operator or function; operator or function: begins_with, operand type: N")
		}
		enc := appendKeyValue([]byte(prefix), sc.values[0])
		enc = enc[:len(enc)-2] // drop the terminator: any longer value matches
		p.lo = string(enc)
		p.hi = prefixEnd(p.lo)
	default:
		return ErrValidation.Newf("Invalid KeyConditionExpression: Invalid operator used in KeyConditionExpression: %s", sc.op)
	}
	return nil
}

// scalarText renders a scalar for an error message.
func scalarText(v AttributeValue) string {
	switch v := v.(type) {
	case S:
		return string(v)
	case N:
		return string(v)
	case B:
		return string(v)
	}
	return ""
}

// prefixEnd returns the smallest string greater than every string that
// starts with p ("" when there is none).
func prefixEnd(p string) string {
	b := []byte(p)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < 0xFF {
			b[i]++
			return string(b[:i+1])
		}
	}
	return ""
}

// Scan reads every item of a table or index, a page at a time, in
// DynamoDB's hash order.
func (db *DB) Scan(ctx context.Context, in *ScanInput) (*ScanOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ScanInput{}
	}
	if err := db.fault(ctx, "Scan", in.TableName); err != nil {
		return nil, err
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if in.TotalSegments == 0 && in.Segment != 0 {
		return nil, ErrValidation.New("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	}
	if in.TotalSegments < 0 || in.TotalSegments > 1000000 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'totalSegments' failed to satisfy constraint: Member must have value less than or equal to 1000000", in.TotalSegments)
	}
	if in.TotalSegments > 0 && (in.Segment < 0 || in.Segment >= in.TotalSegments) {
		return nil, ErrValidation.Newf("The Segment parameter is zero-based and must be less than parameter TotalSegments: Segment: %d is not less than TotalSegments: %d", in.Segment, in.TotalSegments)
	}
	p, ec, err := db.prepare(readRequest{
		tableName: in.TableName, indexName: in.IndexName,
		filter: in.FilterExpression, projection: in.ProjectionExpression,
		names: in.ExpressionAttributeNames, values: in.ExpressionAttributeValues,
		sel: in.Select, limit: in.Limit, consistent: in.ConsistentRead, esk: in.ExclusiveStartKey,
	}, false)
	if err != nil {
		return nil, err
	}
	if err := ec.unusedError(); err != nil {
		return nil, err
	}
	if in.TotalSegments > 0 {
		start, end, last := segmentBounds(in.Segment, in.TotalSegments)
		p.lo = hashPrefix(start)
		if !last {
			p.hi = hashPrefix(end)
		}
		if p.start != "" && (p.start < p.lo || (p.hi != "" && p.start >= p.hi)) {
			return nil, ErrValidation.New("The provided Exclusive start key does not map to the provided segment")
		}
	}
	items, count, scanned, lek, u, err := p.run()
	if err != nil {
		return nil, err
	}
	return &ScanOutput{Items: items, Count: count, ScannedCount: scanned, LastEvaluatedKey: lek,
		ConsumedCapacity: u.consumed(in.ReturnConsumedCapacity, false)}, nil
}

// run executes the plan under the table's read lock, when the table or
// index has read capacity left, and charges what the page read: the index
// entries (or items) read in 4 KB units, rounded up once for the page, and
// each item a local index fetches from the table in 4 KB units of its own.
func (p *readPlan) run() (items []Item, count, scanned int, lek Item, u *usage, err error) {
	t := p.t
	t.mu.RLock()
	defer t.mu.RUnlock()
	u = newUsage(t)
	probe := newUsage(t)
	if p.ix != nil {
		probe.index(p.ix).read = readUnits(0, p.mode)
	} else {
		probe.table.read = readUnits(0, p.mode)
	}
	if _, err := t.db.admit(probe); err != nil {
		return nil, 0, 0, nil, nil, err
	}
	maxPage := t.db.limits.MaxPageSize
	read := 0
	entryBytes, fetched := 0, 0.0
	var last *record
	visit := func(rec *record, size int) bool {
		scanned++
		read += size
		item := rec.item
		if p.ix != nil && !p.fullItem {
			item = p.ix.project(t.key, item)
		}
		if p.filter == nil || p.filter.eval(item) {
			count++
			if p.sel != SelectCount {
				items = append(items, projectCopy(p.proj, item))
			}
		}
		last = rec
		return !(p.limit > 0 && scanned >= p.limit) && read < maxPage
	}
	stopped := false
	if p.ix == nil {
		stopped = walk(t.items, func(k string) *record { return &record{key: k} }, func(r *record) string { return r.key }, p.lo, p.hi, p.start, p.forward,
			func(r *record) bool { return visit(r, r.size) })
	} else {
		stopped = walk(p.ix.entries, func(k string) *indexEntry { return &indexEntry{key: k} }, func(e *indexEntry) string { return e.key }, p.lo, p.hi, p.start, p.forward,
			func(e *indexEntry) bool {
				size := e.size
				entryBytes += e.size
				if p.fullItem {
					size = e.rec.size
					fetched += readUnits(e.rec.size, p.mode)
				}
				return visit(e.rec, size)
			})
	}
	if p.ix == nil {
		u.table.read = readUnits(read, p.mode)
	} else {
		u.index(p.ix).read = readUnits(entryBytes, p.mode)
		u.table.read = fetched
	}
	t.db.charge(u)
	if stopped && last != nil {
		lek = copyItem(t.key.keyOf(last.item))
		if p.ix != nil {
			lek[p.ix.key.hash.name] = copyValue(last.item[p.ix.key.hash.name])
			if p.ix.key.hasRange() {
				lek[p.ix.key.rng.name] = copyValue(last.item[p.ix.key.rng.name])
			}
		}
	}
	if items == nil && p.sel != SelectCount {
		items = []Item{}
	}
	return items, count, scanned, lek, u, nil
}

// walk visits the entries of tr with keys in [lo, hi) (hi "" unbounded)
// and after (forward) or before (backward) start, until fn returns false.
// It reports whether fn stopped the walk.
func walk[T any](tr *btree.BTreeG[T], mk func(string) T, keyOf func(T) string, lo, hi, start string, forward bool, fn func(T) bool) bool {
	stopped := false
	if forward {
		from := lo
		if start != "" && start+"\x00" > from {
			from = start + "\x00"
		}
		iter := func(e T) bool {
			if !fn(e) {
				stopped = true
				return false
			}
			return true
		}
		if hi == "" {
			tr.AscendGreaterOrEqual(mk(from), iter)
		} else if from < hi {
			tr.AscendRange(mk(from), mk(hi), iter)
		}
		return stopped
	}
	iter := func(e T) bool {
		k := keyOf(e)
		if k < lo {
			return false
		}
		if (hi != "" && k >= hi) || (start != "" && k >= start) {
			return true
		}
		if !fn(e) {
			stopped = true
			return false
		}
		return true
	}
	switch {
	case start != "" && (hi == "" || start < hi):
		tr.DescendLessOrEqual(mk(start), iter)
	case hi != "":
		tr.DescendLessOrEqual(mk(hi), iter)
	default:
		tr.Descend(iter)
	}
	return stopped
}
