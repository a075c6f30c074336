package dynamo

import (
	"context"
	"errors"
	"strings"

	"github.com/minicloud/minicloud/internal/awserr"
)

// Errors of PartiQL beside the ones the item operations share.
var (
	// ErrDuplicateItem is DuplicateItemException: an INSERT found an item
	// with the same primary key ("Duplicate primary key exists in table").
	ErrDuplicateItem = awserr.New("DuplicateItemException", 400, "")
	// ErrAccessDenied is AccessDeniedException: the caller's IAM policy
	// denies the request, as [WithFullTableScansDenied] makes it deny a
	// SELECT that would scan a whole table or index.
	ErrAccessDenied = awserr.New("AccessDeniedException", 400, "")
)

// PartiQL limits, from the ExecuteStatement, BatchExecuteStatement and
// ExecuteTransaction API references and "PartiQL arithmetic, comparison,
// and logical operators for DynamoDB" (the IN operator).
const (
	// maxStatementLength is the longest Statement: 8,192 characters.
	maxStatementLength = 8192
	// maxNextTokenLength is the longest NextToken: 32,768 characters.
	maxNextTokenLength = 32768
	// maxBatchStatements is the most statements of BatchExecuteStatement.
	maxBatchStatements = 25
	// maxTransactStatements is the most statements of ExecuteTransaction.
	maxTransactStatements = 100
	// maxPartitionsPerSelect is the most partition key values a SELECT may
	// name with IN or OR: 50.
	maxPartitionsPerSelect = 50
	// partitionsPerPage is how many of those partitions one page of a
	// SELECT reads: DynamoDB returns such results "in pages of up to 10".
	partitionsPerPage = 10
)

// ExecuteStatementInput is the request of ExecuteStatement.
type ExecuteStatementInput struct {
	// Statement is one PartiQL statement: SELECT, INSERT, UPDATE or
	// DELETE, at most 8,192 characters.
	Statement string
	// Parameters are the values of the statement's ? placeholders, in
	// order. Nil means none; a non-nil slice must not be empty.
	Parameters []AttributeValue
	// ConsistentRead asks a SELECT for strongly consistent reads; it is
	// refused on a global secondary index.
	ConsistentRead bool
	// NextToken continues a SELECT where the previous page stopped. It is
	// only valid with the same statement and parameters.
	NextToken string
	// Limit is the most items a SELECT evaluates in this page, before its
	// WHERE filter; zero means no limit but the 1 MB page.
	Limit int
	// ReturnConsumedCapacity asks for the ConsumedCapacity of the call.
	ReturnConsumedCapacity ReturnConsumedCapacity
	// ReturnValuesOnConditionCheckFailure ALL_OLD returns the item as it
	// was when an UPDATE's or DELETE's condition fails.
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
}

// ExecuteStatementOutput is the response of ExecuteStatement.
type ExecuteStatementOutput struct {
	// Items holds what a SELECT read, or what the RETURNING clause of an
	// UPDATE or DELETE asked for; it is empty, never nil, otherwise.
	Items []Item
	// NextToken is set when a SELECT has more to read: send it back with
	// the same statement for the next page.
	NextToken string
	// LastEvaluatedKey is the primary key (and index key) of the last item
	// the page evaluated, when the page stopped before the end.
	LastEvaluatedKey Item
	// ConsumedCapacity is set when the request asked for it: a SELECT is
	// charged as the Query or Scan it runs, a write as the item write.
	ConsumedCapacity *ConsumedCapacity
}

// fullScanDenied is the context key of [WithFullTableScansDenied].
type fullScanDenied struct{}

// WithFullTableScansDenied returns a context under which ExecuteStatement
// refuses a SELECT that would scan a whole table or index, as DynamoDB
// refuses it to a caller whose IAM policy denies dynamodb:PartiQLSelect
// with the condition "dynamodb:FullTableScan": "true". DynamoDB itself
// allows full table scans: a SELECT whose WHERE does not fix the partition
// key with = or IN reads every item, and only the caller's policy stops
// it. The refusal is an AccessDeniedException ([ErrAccessDenied]).
func WithFullTableScansDenied(ctx context.Context) context.Context {
	return context.WithValue(ctx, fullScanDenied{}, true)
}

func fullScansDenied(ctx context.Context) bool {
	denied, _ := ctx.Value(fullScanDenied{}).(bool)
	return denied
}

// ExecuteStatement runs one PartiQL statement. A SELECT runs as a Query
// when its WHERE fixes the partition key with = or IN (one Query per
// partition), and as a Scan otherwise; INSERT runs as a PutItem that
// refuses an existing key, UPDATE as an UpdateItem of an item that must
// exist, DELETE as a DeleteItem, each with the WHERE clause's other terms
// as its condition.
func (db *DB) ExecuteStatement(ctx context.Context, in *ExecuteStatementInput) (*ExecuteStatementOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ExecuteStatementInput{}
	}
	if err := checkStatementLength("statement", in.Statement); err != nil {
		return nil, err
	}
	params, err := cleanParameters("parameters", in.Parameters)
	if err != nil {
		return nil, err
	}
	if in.Limit < 0 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1", in.Limit)
	}
	if len(in.NextToken) > maxNextTokenLength {
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to %d", in.NextToken, maxNextTokenLength)
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	if err := checkReturnValuesOnFailure(in.ReturnValuesOnConditionCheckFailure); err != nil {
		return nil, err
	}
	st, err := parsePartiQL(in.Statement)
	if err != nil {
		return nil, err
	}
	switch st.kind {
	case sSelect:
		return db.runSelect(ctx, st, in, params)
	case sExists:
		return nil, ErrValidation.New(msgExistsOnlyInTx)
	}
	if in.NextToken != "" {
		return nil, ErrValidation.New(msgInvalidToken)
	}
	w, err := db.compileWrite(st, params, in.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity)
	if err != nil {
		return nil, err
	}
	item, cc, err := db.runWrite(ctx, w)
	if err != nil {
		return nil, err
	}
	out := &ExecuteStatementOutput{Items: []Item{}, ConsumedCapacity: cc}
	if item != nil {
		out.Items = append(out.Items, item)
	}
	return out, nil
}

// msgExistsOnlyInTx is DynamoDB's refusal of EXISTS outside a transaction.
const msgExistsOnlyInTx = "EXISTS can only be used in ExecuteTransaction write requests."

// checkStatementLength applies the length constraint of a Statement
// member at path.
func checkStatementLength(path, s string) error {
	if s == "" {
		return ErrValidation.Newf("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", path)
	}
	if n := len([]rune(s)); n > maxStatementLength {
		return ErrValidation.Newf("1 validation error detected: Value '%s' at '%s' failed to satisfy constraint: Member must have length less than or equal to %d", s, path, maxStatementLength)
	}
	return nil
}

// cleanParameters validates a statement's Parameters and returns copies
// in canonical form.
func cleanParameters(path string, params []AttributeValue) ([]AttributeValue, error) {
	if params == nil {
		return nil, nil
	}
	if len(params) == 0 {
		return nil, ErrValidation.Newf("1 validation error detected: Value '[]' at '%s' failed to satisfy constraint: Member must have length greater than or equal to 1", path)
	}
	out := make([]AttributeValue, len(params))
	for i, p := range params {
		c, err := cleanValue(p, 0)
		if err != nil {
			return nil, err
		}
		out[i] = c
	}
	return out, nil
}

// pqlTable returns the table a statement names, checking the name as
// DynamoDB's PartiQL front end does.
func (db *DB) pqlTable(name string) (*table, error) {
	if !validPqlTableName(name) {
		return nil, ErrValidation.New("Table name should be within the length [3, 255] and only contain 'a-z', 'A-Z', '0-9', '-', '_', '.'.")
	}
	return db.table(name)
}

func validPqlTableName(name string) bool {
	if len(name) < 3 || len(name) > 255 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// pqlWrite is a compiled INSERT, UPDATE, DELETE or EXISTS: the input of
// the item operation that runs it.
type pqlWrite struct {
	kind   stmtKind
	t      *table
	key    Item
	put    *PutItemInput
	update *UpdateItemInput
	del    *DeleteItemInput
	check  *ConditionCheck
}

// msgDuplicateItem is the message of DuplicateItemException.
const msgDuplicateItem = "Duplicate primary key exists in table"

// compileWrite translates a write statement into its item operation.
func (db *DB) compileWrite(st *pqlStatement, params []AttributeValue, rv ReturnValuesOnConditionCheckFailure, rcc ReturnConsumedCapacity) (*pqlWrite, error) {
	if st.kind == sExists {
		return db.compileExists(st, params, rv)
	}
	t, err := db.pqlTable(st.table)
	if err != nil {
		return nil, err
	}
	if err := checkWhere(st.where, params); err != nil {
		return nil, err
	}
	b := newPqlBuilder(params)
	w := &pqlWrite{kind: st.kind, t: t}
	switch st.kind {
	case sInsert:
		item, err := b.insertItem(st.value, t.key)
		if err != nil {
			return nil, err
		}
		w.key = t.key.keyOf(item)
		cond := "attribute_not_exists(" + b.nameRef(t.key.hash.name) + ")"
		w.put = &PutItemInput{TableName: t.name, Item: item, ConditionExpression: cond,
			ExpressionAttributeNames: b.attrNames(), ReturnConsumedCapacity: rcc}
		return w, nil
	case sUpdate:
		key, rest, err := b.dmlKey(st.where, t.key, msgIncompleteKey)
		if err != nil {
			return nil, err
		}
		rvs, err := returningValues(st)
		if err != nil {
			return nil, err
		}
		sections := map[string][]string{}
		var order []string
		for _, a := range st.actions {
			ua, err := b.action(a)
			if err != nil {
				return nil, err
			}
			if _, ok := sections[ua.section]; !ok {
				order = append(order, ua.section)
			}
			sections[ua.section] = append(sections[ua.section], ua.text)
		}
		var upd strings.Builder
		for i, s := range order {
			if i > 0 {
				upd.WriteByte(' ')
			}
			upd.WriteString(s + " " + strings.Join(sections[s], ", "))
		}
		// An UPDATE changes an item that exists: DynamoDB adds the
		// existence of the partition key to the WHERE clause's condition.
		cond := "attribute_exists(" + b.nameRef(t.key.hash.name) + ")"
		if rest != nil {
			c, err := b.where(rest)
			if err != nil {
				return nil, err
			}
			cond += " AND (" + c + ")"
		}
		w.key = key
		w.update = &UpdateItemInput{TableName: t.name, Key: key, UpdateExpression: upd.String(), ConditionExpression: cond,
			ExpressionAttributeNames: b.attrNames(), ExpressionAttributeValues: b.attrValues(),
			ReturnValues: rvs, ReturnValuesOnConditionCheckFailure: rv, ReturnConsumedCapacity: rcc}
		return w, nil
	case sDelete:
		key, rest, err := b.dmlKey(st.where, t.key, msgIncompleteKey)
		if err != nil {
			return nil, err
		}
		rvs, err := returningValues(st)
		if err != nil {
			return nil, err
		}
		if rvs != "" && rvs != ReturnValueAllOld {
			return nil, ErrValidation.Newf("Invalid returning clause: RETURNING %s *. Only RETURNING ALL OLD * is allowed in DELETE statements.", st.returning)
		}
		var cond string
		if rest != nil {
			if cond, err = b.where(rest); err != nil {
				return nil, err
			}
		}
		w.key = key
		w.del = &DeleteItemInput{TableName: t.name, Key: key, ConditionExpression: cond,
			ExpressionAttributeNames: b.attrNames(), ExpressionAttributeValues: b.attrValues(),
			ReturnValues: rvs, ReturnValuesOnConditionCheckFailure: rv, ReturnConsumedCapacity: rcc}
		return w, nil
	}
	return nil, ErrValidation.New("Invalid operation. Only select, insert, update and delete operations are valid")
}

// compileExists translates EXISTS(SELECT ... WHERE <key> AND <condition>)
// into the ConditionCheck of a transaction.
func (db *DB) compileExists(st *pqlStatement, params []AttributeValue, rv ReturnValuesOnConditionCheckFailure) (*pqlWrite, error) {
	sub := st.sub
	t, err := db.pqlTable(sub.table)
	if err != nil {
		return nil, err
	}
	if sub.hasIndex {
		return nil, ErrValidation.New("Operations on indices are not supported in transactions")
	}
	b := newPqlBuilder(params)
	key, rest, err := b.dmlKey(sub.where, t.key, msgExistsSelect)
	if err != nil {
		return nil, err
	}
	if rest == nil {
		return nil, ErrValidation.New(msgExistsSelect)
	}
	cond, err := b.where(rest)
	if err != nil {
		return nil, err
	}
	return &pqlWrite{kind: sExists, t: t, key: key, check: &ConditionCheck{TableName: t.name, Key: key, ConditionExpression: cond,
		ExpressionAttributeNames: b.attrNames(), ExpressionAttributeValues: b.attrValues(), ReturnValuesOnConditionCheckFailure: rv}}, nil
}

// insertItem converts the item of an INSERT, which must be a struct
// literal holding the table's key.
func (b *pqlBuilder) insertItem(e *pqlExpr, key schema) (Item, error) {
	if e.kind != qStruct {
		return nil, ErrValidation.New("Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.")
	}
	// Each attribute's value is a root of its own in DynamoDB's messages:
	// {'m': {'x': 1e126}} overflows "under root.x".
	item := make(Item, len(e.args)/2)
	for i := 0; i < len(e.args); i += 2 {
		name, err := b.structKey(e.args[i], "root")
		if err != nil {
			return nil, err
		}
		if _, dup := item[name]; dup {
			return nil, ErrValidation.Newf("Duplicate keys in tuple. Key: %s under root", name)
		}
		v, err := b.value(e.args[i+1], "root")
		if err != nil {
			return nil, err
		}
		item[name] = v
	}
	defs := []keyDef{key.hash}
	if key.hasRange() {
		defs = append(defs, key.rng)
	}
	for _, d := range defs {
		kv, ok := item[d.name]
		if !ok {
			return nil, ErrValidation.Newf("Key attribute should be present in the item: Key %s", d.name)
		}
		if err := checkPqlKeyValue(d, kv); err != nil {
			return nil, err
		}
	}
	return item, nil
}

// returningValues maps a RETURNING clause to ReturnValues.
func returningValues(st *pqlStatement) (ReturnValue, error) {
	switch st.returning {
	case "":
		return "", nil
	case "ALL OLD":
		return ReturnValueAllOld, nil
	case "ALL NEW":
		return ReturnValueAllNew, nil
	case "MODIFIED OLD":
		return ReturnValueUpdatedOld, nil
	case "MODIFIED NEW":
		return ReturnValueUpdatedNew, nil
	}
	return "", ErrValidation.New("Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause")
}

// runWrite runs a compiled write and returns the item its RETURNING
// clause asked for, if any.
func (db *DB) runWrite(ctx context.Context, w *pqlWrite) (Item, *ConsumedCapacity, error) {
	switch {
	case w.put != nil:
		out, err := db.PutItem(ctx, w.put)
		if err != nil {
			if errors.Is(err, ErrConditionalCheckFailed) {
				return nil, nil, ErrDuplicateItem.New(msgDuplicateItem)
			}
			return nil, nil, err
		}
		return nil, out.ConsumedCapacity, nil
	case w.update != nil:
		out, err := db.UpdateItem(ctx, w.update)
		if err != nil {
			return nil, nil, err
		}
		return nilIfEmpty(out.Attributes), out.ConsumedCapacity, nil
	case w.del != nil:
		out, err := db.DeleteItem(ctx, w.del)
		if err != nil {
			return nil, nil, err
		}
		return nilIfEmpty(out.Attributes), out.ConsumedCapacity, nil
	}
	return nil, nil, ErrValidation.New(msgExistsOnlyInTx)
}

// mergeConsumed adds the capacity b reports to a, for a statement that
// runs several operations on one table.
func mergeConsumed(a, b *ConsumedCapacity) *ConsumedCapacity {
	if b == nil {
		return a
	}
	if a == nil {
		c := *b
		if b.Table != nil {
			t := *b.Table
			c.Table = &t
		}
		c.LocalSecondaryIndexes = mergeIndexCapacity(nil, b.LocalSecondaryIndexes)
		c.GlobalSecondaryIndexes = mergeIndexCapacity(nil, b.GlobalSecondaryIndexes)
		return &c
	}
	a.CapacityUnits += b.CapacityUnits
	a.ReadCapacityUnits += b.ReadCapacityUnits
	a.WriteCapacityUnits += b.WriteCapacityUnits
	if b.Table != nil {
		if a.Table == nil {
			a.Table = &Capacity{}
		}
		a.Table.CapacityUnits += b.Table.CapacityUnits
		a.Table.ReadCapacityUnits += b.Table.ReadCapacityUnits
		a.Table.WriteCapacityUnits += b.Table.WriteCapacityUnits
	}
	a.LocalSecondaryIndexes = mergeIndexCapacity(a.LocalSecondaryIndexes, b.LocalSecondaryIndexes)
	a.GlobalSecondaryIndexes = mergeIndexCapacity(a.GlobalSecondaryIndexes, b.GlobalSecondaryIndexes)
	return a
}

func mergeIndexCapacity(a, b map[string]Capacity) map[string]Capacity {
	for name, c := range b {
		if a == nil {
			a = map[string]Capacity{}
		}
		s := a[name]
		s.CapacityUnits += c.CapacityUnits
		s.ReadCapacityUnits += c.ReadCapacityUnits
		s.WriteCapacityUnits += c.WriteCapacityUnits
		a[name] = s
	}
	return a
}

// capacityByTable keeps one ConsumedCapacity per table, in the order the
// tables were first met.
type capacityByTable struct {
	order []string
	m     map[string]*ConsumedCapacity
}

func (c *capacityByTable) add(cc *ConsumedCapacity) {
	if cc == nil {
		return
	}
	if c.m == nil {
		c.m = map[string]*ConsumedCapacity{}
	}
	prev, ok := c.m[cc.TableName]
	if !ok {
		c.order = append(c.order, cc.TableName)
	}
	c.m[cc.TableName] = mergeConsumed(prev, cc)
}

func (c *capacityByTable) list() []ConsumedCapacity {
	if c.m == nil {
		return nil
	}
	out := make([]ConsumedCapacity, len(c.order))
	for i, name := range c.order {
		out[i] = *c.m[name]
	}
	return out
}
