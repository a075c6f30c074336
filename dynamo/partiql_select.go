package dynamo

import (
	"context"
	"encoding/base64"
	"encoding/binary"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
)

// A SELECT reads a table or an index ("table"."index") by the cheapest
// operation its WHERE clause allows, as DynamoDB's planner does:
//
//   - When every way the WHERE clause can hold fixes the partition key
//     with = (pk = 'a', pk IN ['a', 'b'], pk = 'a' OR pk = 'b', an OR
//     whose branches each fix it), the SELECT is one Query per partition
//     key value, in the order the statement names them. A branch's first
//     condition on the sort key (=, <, <=, >, >=, BETWEEN, begins_with)
//     is its key condition; every other term filters. Two branches that
//     read the same part of one partition are refused ("Overlapping
//     conditions with range keys are not supported in where clause"), and
//     so are more than 50 partition key values.
//   - Otherwise the SELECT is a Scan of the whole table or index with the
//     WHERE clause as its filter. DynamoDB allows this; only the caller's
//     IAM policy can refuse it (see [WithFullTableScansDenied]).
//
// Limit and the 1 MB page apply to each Query or Scan as they do to the
// operations: items are counted before the WHERE filter. A page reads at
// most 10 partitions of a multi-partition SELECT; NextToken continues
// where a page stopped, within a partition or at the next one.

// Messages of SELECT.
const (
	msgOverlapping    = "Overlapping conditions with range keys are not supported in where clause"
	msgTooManyReads   = "Too many decomposed read operations for a given query."
	msgInvalidToken   = "Invalid NextToken"
	msgTokenMismatch  = "NextToken does not match request"
	msgConsistentGSI  = "Strongly consistent read is not supported on Global Secondary Indexes"
	msgOrderNoWhere   = "Must have WHERE clause in the statement when using ORDER BY clause."
	msgOrderNoHash    = "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."
	msgOrderNeedsHash = "Must have hash key in ORDER BY clause when more than one hash key condition specified in WHERE clause."
)

// selectBranch is one Query of a SELECT: a partition key value, an
// optional key condition on the sort key and the terms that filter.
type selectBranch struct {
	hash    AttributeValue
	hashEnc string
	sort    *pqlExpr // the key condition on the sort key, or nil
	rest    []*pqlExpr
	lo, hi  string // the sort key range the branch reads; hi "" is unbounded
}

// selectPlan is a SELECT ready to run: a Scan, or Queries.
type selectPlan struct {
	t        *table
	index    string
	key      schema // the key of what is read: the table's or the index's
	scan     bool
	filter   *pqlExpr // the Scan's filter
	branches []*selectBranch
	proj     []docPath // nil for *
	forward  bool
}

// planSelect plans a SELECT statement.
func (db *DB) planSelect(st *pqlStatement, params []AttributeValue, consistent bool) (*selectPlan, error) {
	proj, err := selectProjection(st)
	if err != nil {
		return nil, err
	}
	t, err := db.pqlTable(st.table)
	if err != nil {
		return nil, err
	}
	p := &selectPlan{t: t, key: t.key, proj: proj, forward: true}
	if st.hasIndex {
		t.mu.RLock()
		ix, err := t.index(st.index)
		t.mu.RUnlock()
		if err != nil {
			return nil, err
		}
		if ix.global && consistent {
			return nil, ErrValidation.New(msgConsistentGSI)
		}
		p.index, p.key = ix.name, ix.key
	}
	b := newPqlBuilder(params)
	if st.where != nil {
		if err := checkWhere(st.where, params); err != nil {
			return nil, err
		}
		if p.branches, err = planBranches(b, st.where, p.key); err != nil {
			return nil, err
		}
	}
	if p.branches == nil {
		p.scan, p.filter = true, st.where
	}
	if err := p.order(st); err != nil {
		return nil, err
	}
	return p, nil
}

// selectProjection checks a SELECT's projection: paths only, no two
// returned under the same name.
func selectProjection(st *pqlStatement) ([]docPath, error) {
	if st.star {
		return nil, nil
	}
	var paths []docPath
	seen := map[string]bool{}
	for _, e := range st.proj {
		if e.kind != qPath {
			t := e.tok
			return nil, ErrValidation.Newf("Unexpected path component at %d:%d:%d", t.line, t.col, len([]rune(t.text)))
		}
		name := projectionName(e.path)
		if seen[name] {
			return nil, ErrValidation.Newf("Duplicate identifiers in select clause: %s", name)
		}
		seen[name] = true
		paths = append(paths, e.path)
	}
	return paths, nil
}

// maxDNFTerms bounds the expansion of a WHERE clause into the branches of
// a Query plan; a clause that expands further is scanned.
const maxDNFTerms = 1024

// planBranches expands the WHERE clause over the ORs that involve a key
// attribute and over IN on the partition key, and returns one branch per
// way the clause can hold, or nil when some way does not fix the
// partition key (a Scan).
func planBranches(b *pqlBuilder, where *pqlExpr, key schema) ([]*selectBranch, error) {
	ways, ok := dnf(where, key)
	if !ok {
		return nil, nil
	}
	var branches []*selectBranch
	for _, terms := range ways {
		br, err := planBranch(b, terms, key)
		if err != nil {
			return nil, err
		}
		if br == nil {
			return nil, nil
		}
		branches = append(branches, br)
	}
	if len(branches) > maxPartitionsPerSelect {
		return nil, ErrValidation.New(msgTooManyReads)
	}
	for j := range branches {
		for i := 0; i < j; i++ {
			a, c := branches[i], branches[j]
			if a.hashEnc == c.hashEnc && rangesOverlap(a.lo, a.hi, c.lo, c.hi) {
				return nil, ErrValidation.New(msgOverlapping)
			}
		}
	}
	return branches, nil
}

// dnf returns the ways e can hold, each a list of terms that must all
// hold. Only ORs that involve a key attribute and IN on the partition key
// are expanded; other terms stay whole. ok is false past maxDNFTerms.
func dnf(e *pqlExpr, key schema) (ways [][]*pqlExpr, ok bool) {
	switch {
	case e.kind == qOr && mentionsKey(e, key):
		l, ok := dnf(e.args[0], key)
		if !ok {
			return nil, false
		}
		r, ok := dnf(e.args[1], key)
		if !ok || len(l)+len(r) > maxDNFTerms {
			return nil, false
		}
		return append(l, r...), true
	case e.kind == qAnd:
		l, ok := dnf(e.args[0], key)
		if !ok {
			return nil, false
		}
		r, ok := dnf(e.args[1], key)
		if !ok || len(l)*len(r) > maxDNFTerms {
			return nil, false
		}
		out := make([][]*pqlExpr, 0, len(l)*len(r))
		for _, a := range l {
			for _, c := range r {
				out = append(out, append(slices.Clip(a), c...))
			}
		}
		return out, true
	case e.kind == qIn && !e.neg && isAttr(e.args[0], key.hash.name) &&
		(e.args[1].kind == qList || e.args[1].kind == qBag) && len(e.args[1].args) > 0:
		if len(e.args[1].args) > maxDNFTerms {
			return nil, false
		}
		out := make([][]*pqlExpr, len(e.args[1].args))
		for i, m := range e.args[1].args {
			out[i] = []*pqlExpr{{kind: qCmp, op: "=", args: []*pqlExpr{e.args[0], m}, tok: e.tok}}
		}
		return out, true
	}
	return [][]*pqlExpr{{e}}, true
}

// isAttr reports whether e is the path of the top-level attribute name.
func isAttr(e *pqlExpr, name string) bool {
	return e.kind == qPath && len(e.path) == 1 && e.path[0].name == name
}

// mentionsKey reports whether e reads a key attribute.
func mentionsKey(e *pqlExpr, key schema) bool {
	if e.kind == qPath {
		n := e.path[0].name
		return n == key.hash.name || key.hasRange() && n == key.rng.name
	}
	for _, a := range e.args {
		if mentionsKey(a, key) {
			return true
		}
	}
	return false
}

// planBranch finds the partition key value and the sort key condition of
// one way the WHERE clause can hold; nil when it does not fix the
// partition key.
func planBranch(b *pqlBuilder, terms []*pqlExpr, key schema) (*selectBranch, error) {
	br := &selectBranch{}
	hashAt, sortAt := -1, -1
	for i, t := range terms {
		if name, side, ok := keyEquality(t); ok && name == key.hash.name {
			v, err := b.value(side, "root")
			if err != nil {
				return nil, err
			}
			if err := checkPqlKeyValue(key.hash, v); err != nil {
				return nil, err
			}
			br.hash, br.hashEnc, hashAt = v, string(appendKeyValue(nil, v)), i
			break
		}
	}
	if hashAt < 0 {
		return nil, nil
	}
	if key.hasRange() {
		for i, t := range terms {
			if i == hashAt {
				continue
			}
			sc, values := pqlSortCondition(t, key.rng.name)
			if sc == nil {
				continue
			}
			vals := make([]AttributeValue, len(values))
			for j, e := range values {
				v, err := b.value(e, "root")
				if err != nil {
					return nil, err
				}
				if err := checkPqlKeyValue(key.rng, v); err != nil {
					return nil, err
				}
				vals[j] = v
			}
			br.sort, sortAt = sc, i
			br.lo, br.hi = sortRange(sc.op, vals)
			break
		}
	}
	for i, t := range terms {
		if i != hashAt && i != sortAt {
			br.rest = append(br.rest, t)
		}
	}
	return br, nil
}

// pqlSortCondition returns t as a key condition on the sort key name, with
// the path on the left (op is one of = < <= > >= BETWEEN begins_with), and
// its value operands; nil when t is not one.
func pqlSortCondition(t *pqlExpr, name string) (*pqlExpr, []*pqlExpr) {
	switch t.kind {
	case qCmp:
		l, r := t.args[0], t.args[1]
		op := t.op
		if op == "<>" {
			return nil, nil
		}
		if !isAttr(l, name) {
			if !isAttr(r, name) {
				return nil, nil
			}
			l, r = r, l
			op = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}[op]
		}
		if !isValueExpr(r) {
			return nil, nil
		}
		return &pqlExpr{kind: qCmp, op: op, args: []*pqlExpr{l, r}, tok: t.tok}, []*pqlExpr{r}
	case qBetween:
		if t.neg || !isAttr(t.args[0], name) || !isValueExpr(t.args[1]) || !isValueExpr(t.args[2]) {
			return nil, nil
		}
		return &pqlExpr{kind: qBetween, op: "BETWEEN", args: t.args, tok: t.tok}, t.args[1:]
	case qCall:
		if t.op != "begins_with" || len(t.args) != 2 || !isAttr(t.args[0], name) || !isValueExpr(t.args[1]) {
			return nil, nil
		}
		return &pqlExpr{kind: qCall, op: "begins_with", args: t.args, tok: t.tok}, t.args[1:]
	}
	return nil, nil
}

// sortRange is the range of encoded sort key values a key condition
// reads, as Query reads it; hi "" is unbounded.
func sortRange(op string, vals []AttributeValue) (lo, hi string) {
	enc := func(v AttributeValue) string { return string(appendKeyValue(nil, v)) }
	switch op {
	case "=":
		e := enc(vals[0])
		return e, prefixEnd(e)
	case "<":
		return "", enc(vals[0])
	case "<=":
		return "", prefixEnd(enc(vals[0]))
	case ">":
		return prefixEnd(enc(vals[0])), ""
	case ">=":
		return enc(vals[0]), ""
	case "BETWEEN":
		return enc(vals[0]), prefixEnd(enc(vals[1]))
	}
	// begins_with: every value that starts with the prefix.
	e := enc(vals[0])
	e = e[:len(e)-2]
	return e, prefixEnd(e)
}

// rangesOverlap reports whether two non-empty ranges [lo, hi) share a
// value; hi "" is unbounded.
func rangesOverlap(alo, ahi, blo, bhi string) bool {
	below := func(lo, hi string) bool { return hi == "" || lo < hi }
	if !below(alo, ahi) || !below(blo, bhi) {
		return false
	}
	return below(alo, bhi) && below(blo, ahi)
}

// order applies ORDER BY: it needs a Query plan, names key attributes
// only, orders the partitions by the partition key and each partition by
// the sort key.
func (p *selectPlan) order(st *pqlStatement) error {
	if len(st.order) == 0 {
		return nil
	}
	if st.where == nil {
		return ErrValidation.New(msgOrderNoWhere)
	}
	if p.scan {
		return ErrValidation.New(msgOrderNoHash)
	}
	byHash, hashDesc := false, false
	for _, o := range st.order {
		e := o.expr
		if e.kind != qPath || len(e.path) != 1 {
			return ErrValidation.Newf("Argument to ORDER BY must be of type VariableReference. Type: %s", orderArgType(e))
		}
		switch name := e.path[0].name; {
		case name == p.key.hash.name:
			byHash, hashDesc = true, o.desc
		case p.key.hasRange() && name == p.key.rng.name:
			p.forward = !o.desc
		default:
			return ErrValidation.Newf("Variable reference %s in ORDER BY clause must be part of the primary key", name)
		}
	}
	multi := false
	for _, br := range p.branches[1:] {
		if br.hashEnc != p.branches[0].hashEnc {
			multi = true
		}
	}
	if multi && !byHash {
		return ErrValidation.New(msgOrderNeedsHash)
	}
	slices.SortStableFunc(p.branches, func(a, b *selectBranch) int {
		c, _ := compareOrdered(a.hash, b.hash)
		if hashDesc {
			c = -c
		}
		if c != 0 {
			return c
		}
		c = strings.Compare(a.lo, b.lo)
		if !p.forward {
			c = -c
		}
		return c
	})
	return nil
}

// orderArgType names the kind of a term for ORDER BY's message.
func orderArgType(e *pqlExpr) string {
	switch e.kind {
	case qPath:
		return "Path"
	case qLit, qList, qBag, qStruct:
		return "Literal"
	case qParam:
		return "Parameter"
	case qCall:
		return "NAry"
	}
	return "NAry"
}

// runSelect runs one page of a SELECT.
func (db *DB) runSelect(ctx context.Context, st *pqlStatement, in *ExecuteStatementInput, params []AttributeValue) (*ExecuteStatementOutput, error) {
	p, err := db.planSelect(st, params, in.ConsistentRead)
	if err != nil {
		return nil, err
	}
	if p.scan && fullScansDenied(ctx) {
		return nil, db.scanDenied(p)
	}
	// The fingerprint is only needed when a token is read or written.
	var fpv uint64
	fp := func() uint64 {
		if fpv == 0 {
			fpv = statementFingerprint(in.Statement, params) | 1
		}
		return fpv
	}
	branch := 0
	var esk Item
	if in.NextToken != "" {
		if branch, esk, err = decodeNextToken(in.NextToken, fp()); err != nil {
			return nil, err
		}
		if !p.scan && branch >= len(p.branches) || p.scan && branch != 0 {
			return nil, ErrValidation.New(msgInvalidToken)
		}
	}
	out := &ExecuteStatementOutput{Items: []Item{}}
	if p.scan {
		b := newPqlBuilder(params)
		sin := &ScanInput{TableName: p.t.name, IndexName: p.index, Limit: in.Limit, ConsistentRead: in.ConsistentRead,
			ExclusiveStartKey: esk, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
		if p.filter != nil {
			if sin.FilterExpression, err = b.where(p.filter); err != nil {
				return nil, err
			}
		}
		sin.ProjectionExpression = p.projectionExpression(b)
		sin.ExpressionAttributeNames, sin.ExpressionAttributeValues = b.attrNames(), b.attrValues()
		res, err := db.Scan(ctx, sin)
		if err != nil {
			return nil, err
		}
		out.Items = p.unnest(out.Items, res.Items)
		out.ConsumedCapacity = res.ConsumedCapacity
		if res.LastEvaluatedKey != nil {
			out.LastEvaluatedKey = res.LastEvaluatedKey
			out.NextToken = encodeNextToken(fp(), 0, res.LastEvaluatedKey)
		}
		return out, nil
	}
	// Every Query is built before any runs, so that a bad filter in a
	// later partition fails the statement before it reads anything.
	queries := make([]*QueryInput, len(p.branches))
	for i, br := range p.branches {
		if queries[i], err = p.query(br, params); err != nil {
			return nil, err
		}
	}
	remaining := in.Limit
	for visited := 0; branch < len(p.branches); visited++ {
		if visited == partitionsPerPage {
			out.NextToken = encodeNextToken(fp(), branch, nil)
			break
		}
		qin := queries[branch]
		qin.Limit, qin.ConsistentRead, qin.ExclusiveStartKey = remaining, in.ConsistentRead, esk
		qin.ReturnConsumedCapacity = in.ReturnConsumedCapacity
		res, err := db.Query(ctx, qin)
		if err != nil {
			return nil, err
		}
		out.Items = p.unnest(out.Items, res.Items)
		out.ConsumedCapacity = mergeConsumed(out.ConsumedCapacity, res.ConsumedCapacity)
		if res.LastEvaluatedKey != nil {
			out.LastEvaluatedKey = res.LastEvaluatedKey
			out.NextToken = encodeNextToken(fp(), branch, res.LastEvaluatedKey)
			break
		}
		branch, esk = branch+1, nil
		if in.Limit > 0 {
			if remaining -= res.ScannedCount; remaining <= 0 {
				if branch < len(p.branches) {
					out.NextToken = encodeNextToken(fp(), branch, nil)
				}
				break
			}
		}
	}
	return out, nil
}

// query builds the Query of one branch, without its paging members.
func (p *selectPlan) query(br *selectBranch, params []AttributeValue) (*QueryInput, error) {
	b := newPqlBuilder(params)
	kc := b.nameRef(p.key.hash.name) + " = " + b.valueRef(br.hash)
	if br.sort != nil {
		s, err := b.cond(br.sort)
		if err != nil {
			return nil, err
		}
		kc += " AND " + s
	}
	q := &QueryInput{TableName: p.t.name, IndexName: p.index, KeyConditionExpression: kc}
	if len(br.rest) > 0 {
		f, err := b.where(andOf(br.rest))
		if err != nil {
			return nil, err
		}
		q.FilterExpression = f
	}
	q.ProjectionExpression = p.projectionExpression(b)
	q.ExpressionAttributeNames, q.ExpressionAttributeValues = b.attrNames(), b.attrValues()
	forward := p.forward
	q.ScanIndexForward = &forward
	return q, nil
}

// projectionExpression projects the top-level attributes the SELECT
// names; the paths under them are picked out by unnest.
func (p *selectPlan) projectionExpression(b *pqlBuilder) string {
	if p.proj == nil {
		return ""
	}
	var refs []string
	seen := map[string]bool{}
	for _, path := range p.proj {
		if n := path[0].name; !seen[n] {
			seen[n] = true
			refs = append(refs, b.nameRef(n))
		}
	}
	return strings.Join(refs, ", ")
}

// unnest appends the items as the SELECT returns them: each projected
// path under its last name (SELECT a.b, l[1] returns "b" and "l[1]").
func (p *selectPlan) unnest(dst, items []Item) []Item {
	if p.proj == nil {
		return append(dst, items...)
	}
	for _, it := range items {
		out := Item{}
		for _, path := range p.proj {
			if v, ok := lookupPath(it, path); ok {
				out[projectionName(path)] = v
			}
		}
		dst = append(dst, out)
	}
	return dst
}

// scanDenied is the AccessDeniedException of a full table scan that the
// caller's policy denies.
func (db *DB) scanDenied(p *selectPlan) error {
	resource := p.t.arn
	if p.index != "" {
		resource += "/index/" + p.index
	}
	return ErrAccessDenied.Newf("User: arn:aws:iam::%s:user/minicloud is not authorized to perform: dynamodb:PartiQLSelect on resource: %s with an explicit deny in an identity-based policy",
		db.opts.AccountID, resource)
}

// statementFingerprint identifies a statement and its parameters, so that
// a NextToken only continues the request that made it.
func statementFingerprint(stmt string, params []AttributeValue) uint64 {
	h := fnv.New64a()
	h.Write([]byte(stmt))
	for _, p := range params {
		fmt.Fprintf(h, "\x00%#v", p)
	}
	return h.Sum64()
}

// nextTokenVersion starts every NextToken, so that a token of another
// format is refused as invalid.
const nextTokenVersion = 'P'

// encodeNextToken writes where a SELECT stopped: the statement's
// fingerprint, the branch, and the last key read (nil at a branch's
// start). Key values are scalars.
func encodeNextToken(fp uint64, branch int, lek Item) string {
	buf := []byte{nextTokenVersion}
	buf = binary.BigEndian.AppendUint64(buf, fp)
	buf = binary.AppendUvarint(buf, uint64(branch))
	buf = binary.AppendUvarint(buf, uint64(len(lek)))
	for _, name := range sortedItemNames(lek) {
		v := lek[name]
		buf = binary.AppendUvarint(buf, uint64(len(name)))
		buf = append(buf, name...)
		var raw []byte
		switch v := v.(type) {
		case S:
			buf, raw = append(buf, 'S'), []byte(v)
		case N:
			buf, raw = append(buf, 'N'), []byte(v)
		case B:
			buf, raw = append(buf, 'B'), v
		}
		buf = binary.AppendUvarint(buf, uint64(len(raw)))
		buf = append(buf, raw...)
	}
	return base64.RawURLEncoding.EncodeToString(buf)
}

func sortedItemNames(it Item) []string {
	names := make([]string, 0, len(it))
	for n := range it {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// decodeNextToken reads a token of encodeNextToken and checks that it
// belongs to the statement fingerprinted fp.
func decodeNextToken(tok string, fp uint64) (int, Item, error) {
	invalid := ErrValidation.New(msgInvalidToken)
	buf, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || len(buf) < 9 || buf[0] != nextTokenVersion {
		return 0, nil, invalid
	}
	if binary.BigEndian.Uint64(buf[1:9]) != fp {
		return 0, nil, ErrValidation.New(msgTokenMismatch)
	}
	buf = buf[9:]
	next := func() (uint64, bool) {
		v, n := binary.Uvarint(buf)
		if n <= 0 {
			return 0, false
		}
		buf = buf[n:]
		return v, true
	}
	bytesOf := func() ([]byte, bool) {
		n, ok := next()
		if !ok || n > uint64(len(buf)) {
			return nil, false
		}
		out := buf[:n]
		buf = buf[n:]
		return out, true
	}
	branch, ok := next()
	if !ok || branch > maxPartitionsPerSelect {
		return 0, nil, invalid
	}
	count, ok := next()
	if !ok || count > 4 {
		return 0, nil, invalid
	}
	var lek Item
	for i := uint64(0); i < count; i++ {
		name, ok := bytesOf()
		if !ok || len(buf) == 0 {
			return 0, nil, invalid
		}
		typ := buf[0]
		buf = buf[1:]
		raw, ok := bytesOf()
		if !ok {
			return 0, nil, invalid
		}
		if lek == nil {
			lek = Item{}
		}
		switch typ {
		case 'S':
			lek[string(name)] = S(raw)
		case 'N':
			lek[string(name)] = N(raw)
		case 'B':
			lek[string(name)] = B(slices.Clone(raw))
		default:
			return 0, nil, invalid
		}
	}
	if len(buf) != 0 {
		return 0, nil, invalid
	}
	return int(branch), lek, nil
}
