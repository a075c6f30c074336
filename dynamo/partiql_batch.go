package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// BatchStatementRequest is one statement of BatchExecuteStatement.
type BatchStatementRequest struct {
	// Statement is a SELECT of one item by its full primary key, or an
	// INSERT, UPDATE or DELETE.
	Statement string
	// Parameters are the values of the statement's ? placeholders.
	Parameters []AttributeValue
	// ConsistentRead asks a SELECT for a strongly consistent read.
	ConsistentRead bool
	// ReturnValuesOnConditionCheckFailure ALL_OLD puts the item as it was
	// into the statement's Error when its condition fails.
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
}

// BatchExecuteStatementInput is the request of BatchExecuteStatement: up
// to 25 statements, all reads or all writes.
type BatchExecuteStatementInput struct {
	Statements             []BatchStatementRequest
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// BatchStatementErrorCode is the code of a statement's error in
// BatchExecuteStatement.
type BatchStatementErrorCode string

// The codes of BatchStatementError.
const (
	BatchStatementErrorConditionalCheckFailed          BatchStatementErrorCode = "ConditionalCheckFailed"
	BatchStatementErrorItemCollectionSizeLimitExceeded BatchStatementErrorCode = "ItemCollectionSizeLimitExceeded"
	BatchStatementErrorRequestLimitExceeded            BatchStatementErrorCode = "RequestLimitExceeded"
	BatchStatementErrorValidationError                 BatchStatementErrorCode = "ValidationError"
	BatchStatementErrorProvisionedThroughputExceeded   BatchStatementErrorCode = "ProvisionedThroughputExceeded"
	BatchStatementErrorTransactionConflict             BatchStatementErrorCode = "TransactionConflict"
	BatchStatementErrorThrottlingError                 BatchStatementErrorCode = "ThrottlingError"
	BatchStatementErrorInternalServerError             BatchStatementErrorCode = "InternalServerError"
	BatchStatementErrorResourceNotFound                BatchStatementErrorCode = "ResourceNotFound"
	BatchStatementErrorAccessDenied                    BatchStatementErrorCode = "AccessDenied"
	BatchStatementErrorDuplicateItem                   BatchStatementErrorCode = "DuplicateItem"
)

// BatchStatementError is why one statement of a batch failed. Item is the
// item as it was when a condition failed and the statement asked for it.
type BatchStatementError struct {
	Code    BatchStatementErrorCode
	Message string
	Item    Item
}

// BatchStatementResponse is the result of one statement of a batch:
// Error when it failed; otherwise TableName, and Item for a SELECT that
// found its item or a write whose RETURNING clause returned one.
type BatchStatementResponse struct {
	Error     *BatchStatementError
	Item      Item
	TableName string
}

// BatchExecuteStatementOutput is the response of BatchExecuteStatement:
// one response per statement, in order. The call succeeds even when every
// statement fails.
type BatchExecuteStatementOutput struct {
	Responses []BatchStatementResponse
	// ConsumedCapacity has one entry per table, in the order the
	// statements first name them, when the request asked for it: each
	// statement is charged as its own GetItem, PutItem, UpdateItem or
	// DeleteItem. A statement that failed is charged what DynamoDB charges
	// (a refused conditional write costs the item's size) but, as its
	// operation reports nothing, is left out of this report.
	ConsumedCapacity []ConsumedCapacity
}

// ParameterizedStatement is one statement of ExecuteTransaction.
type ParameterizedStatement struct {
	Statement                           string
	Parameters                          []AttributeValue
	ReturnValuesOnConditionCheckFailure ReturnValuesOnConditionCheckFailure
}

// ExecuteTransactionInput is the request of ExecuteTransaction: up to 100
// statements, all SELECTs of one item by key, or all writes (INSERT,
// UPDATE, DELETE and EXISTS condition checks).
type ExecuteTransactionInput struct {
	TransactStatements []ParameterizedStatement
	// ClientRequestToken makes a transaction of writes idempotent for ten
	// minutes, as TransactWriteItems' does.
	ClientRequestToken     string
	ReturnConsumedCapacity ReturnConsumedCapacity
}

// ExecuteTransactionOutput is the response of ExecuteTransaction.
// Responses holds one entry per SELECT of a read transaction, in order
// (Item nil when there is no such item); a write transaction has none.
type ExecuteTransactionOutput struct {
	Responses []ItemResponse
	// ConsumedCapacity is as TransactGetItems' or TransactWriteItems'.
	ConsumedCapacity []ConsumedCapacity
}

// Messages of the batch and transaction operations.
const (
	msgMixedBatch      = "Read and write requests together in the same batch is not supported."
	msgBatchSingleItem = "Only single item select is supported"
	msgBatchDuplicates = "Provided list of item keys contains duplicates"
	msgMixedTx         = "ExecuteTransaction API does not support both read and write operations in the same request."
	msgTxReadByKey     = "Select statements within ExecuteTransaction must specify the primary key in the where clause."
	msgTxReadIndex     = "Reads on indices are not supported within transactions."
	msgTxReturning     = "RETURNING clause is not supported in ExecuteTransaction."
)

// pqlGet is a compiled SELECT of one item by its full primary key.
type pqlGet struct {
	t    *table
	key  Item
	proj []docPath
	b    *pqlBuilder
	expr string // the projection expression
}

// compileGet translates a SELECT of batches and transactions, which must
// name one item by its full key and nothing else.
func (db *DB) compileGet(st *pqlStatement, params []AttributeValue, notByKey, onIndex string) (*pqlGet, error) {
	proj, err := selectProjection(st)
	if err != nil {
		return nil, err
	}
	t, err := db.pqlTable(st.table)
	if err != nil {
		return nil, err
	}
	if st.hasIndex {
		return nil, ErrValidation.New(onIndex)
	}
	b := newPqlBuilder(params)
	key, rest, err := b.dmlKey(st.where, t.key, notByKey)
	if err != nil {
		if e, ok := err.(*Error); ok && strings.HasPrefix(e.Message, "Key attribute's data type") {
			return nil, err
		}
		return nil, ErrValidation.New(notByKey)
	}
	if rest != nil {
		return nil, ErrValidation.New(notByKey)
	}
	g := &pqlGet{t: t, key: key, proj: proj, b: b}
	g.expr = (&selectPlan{proj: proj}).projectionExpression(b)
	return g, nil
}

// unnest shapes an item read by a pqlGet as SELECT returns it.
func (g *pqlGet) unnest(it Item) Item {
	if it == nil {
		return nil
	}
	return (&selectPlan{proj: g.proj}).unnest(nil, []Item{it})[0]
}

// batchError turns the error of one statement into its BatchStatementError.
func batchError(err error) *BatchStatementError {
	var e *Error
	if !errors.As(err, &e) {
		return &BatchStatementError{Code: BatchStatementErrorInternalServerError, Message: err.Error()}
	}
	out := &BatchStatementError{Message: e.Message}
	switch e.Code {
	case ErrValidation.Code:
		out.Code = BatchStatementErrorValidationError
	case ErrConditionalCheckFailed.Code:
		out.Code = BatchStatementErrorConditionalCheckFailed
		var ccf *ConditionalCheckFailedException
		if errors.As(err, &ccf) {
			out.Item = ccf.Item
		}
	case ErrDuplicateItem.Code:
		out.Code = BatchStatementErrorDuplicateItem
	case ErrResourceNotFound.Code:
		out.Code = BatchStatementErrorResourceNotFound
	case ErrProvisionedThroughputExceeded.Code:
		out.Code = BatchStatementErrorProvisionedThroughputExceeded
	case ErrRequestLimitExceeded.Code:
		out.Code = BatchStatementErrorRequestLimitExceeded
	case ErrTransactionConflict.Code:
		out.Code = BatchStatementErrorTransactionConflict
	case ErrItemCollectionSizeLimitExceeded.Code:
		out.Code = BatchStatementErrorItemCollectionSizeLimitExceeded
	case ErrAccessDenied.Code:
		out.Code = BatchStatementErrorAccessDenied
	case "ThrottlingException":
		out.Code = BatchStatementErrorThrottlingError
	default:
		out.Code = BatchStatementErrorInternalServerError
	}
	return out
}

// BatchExecuteStatement runs up to 25 statements, each on its own, as
// BatchGetItem and BatchWriteItem do: a read batch of SELECTs that each
// name one item by its full primary key, or a write batch of INSERT,
// UPDATE and DELETE statements, whose conditions apply one by one. A
// statement that fails has an Error in its response; the others run.
func (db *DB) BatchExecuteStatement(ctx context.Context, in *BatchExecuteStatementInput) (*BatchExecuteStatementOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || len(in.Statements) == 0 {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'statements' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(in.Statements) > maxBatchStatements {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'statements' failed to satisfy constraint: Member must have length less than or equal to %d", maxBatchStatements)
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	type job struct {
		params []AttributeValue
		st     *pqlStatement
		get    *pqlGet
		write  *pqlWrite
		err    error
	}
	jobs := make([]job, len(in.Statements))
	reads, writes := 0, 0
	for i, s := range in.Statements {
		path := fmt.Sprintf("statements.%d.member", i+1)
		if err := checkStatementLength(path+".statement", s.Statement); err != nil {
			return nil, err
		}
		params, err := cleanParameters(path+".parameters", s.Parameters)
		if err != nil {
			return nil, err
		}
		if err := checkReturnValuesOnFailure(s.ReturnValuesOnConditionCheckFailure); err != nil {
			return nil, err
		}
		jobs[i].params = params
		st, err := parsePartiQL(s.Statement)
		switch {
		case err != nil:
			jobs[i].err = err
		case st.kind == sExists:
			jobs[i].err = ErrValidation.New(msgExistsOnlyInTx)
		case st.kind == sSelect:
			jobs[i].st = st
			reads++
		default:
			jobs[i].st = st
			writes++
		}
	}
	if reads > 0 && writes > 0 {
		return nil, ErrValidation.New(msgMixedBatch)
	}
	seen := map[string]bool{}
	for i, s := range in.Statements {
		j := &jobs[i]
		if j.err != nil {
			continue
		}
		var t *table
		var key Item
		if j.st.kind == sSelect {
			j.get, j.err = db.compileGet(j.st, j.params, msgBatchSingleItem, msgBatchSingleItem)
			if j.get != nil {
				t, key = j.get.t, j.get.key
			}
		} else {
			j.write, j.err = db.compileWrite(j.st, j.params, s.ReturnValuesOnConditionCheckFailure, in.ReturnConsumedCapacity)
			if j.write != nil {
				t, key = j.write.t, j.write.key
			}
		}
		if t == nil {
			continue
		}
		id := t.name + "\x00" + t.key.encodeKey(key)
		if seen[id] {
			return nil, ErrValidation.New(msgBatchDuplicates)
		}
		seen[id] = true
	}
	out := &BatchExecuteStatementOutput{Responses: make([]BatchStatementResponse, len(jobs))}
	var caps capacityByTable
	for i, s := range in.Statements {
		j := &jobs[i]
		r := &out.Responses[i]
		if j.err == nil && ctx.Err() != nil {
			j.err = ctx.Err()
		}
		if j.err == nil {
			switch {
			case j.get != nil:
				res, err := db.GetItem(ctx, &GetItemInput{TableName: j.get.t.name, Key: j.get.key, ConsistentRead: s.ConsistentRead,
					ProjectionExpression: j.get.expr, ExpressionAttributeNames: j.get.b.attrNames(), ReturnConsumedCapacity: in.ReturnConsumedCapacity})
				if err != nil {
					j.err = err
					break
				}
				caps.add(res.ConsumedCapacity)
				r.Item, r.TableName = j.get.unnest(res.Item), j.get.t.name
			default:
				item, cc, err := db.runWrite(ctx, j.write)
				if err != nil {
					j.err = err
					break
				}
				caps.add(cc)
				r.Item, r.TableName = item, j.write.t.name
			}
		}
		if j.err != nil {
			r.Error = batchError(j.err)
		}
	}
	out.ConsumedCapacity = caps.list()
	return out, nil
}

// ExecuteTransaction runs up to 100 statements as one transaction: all
// SELECTs of one item by its full primary key, run as TransactGetItems,
// or all writes, run as TransactWriteItems: INSERT as a Put that refuses
// an existing key, UPDATE as an Update of an item that exists, DELETE as
// a Delete, and EXISTS(SELECT ... WHERE <key> AND <condition>) as a
// ConditionCheck. All of them happen or none does.
func (db *DB) ExecuteTransaction(ctx context.Context, in *ExecuteTransactionInput) (*ExecuteTransactionOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || len(in.TransactStatements) == 0 {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'transactStatements' failed to satisfy constraint: Member must have length greater than or equal to 1")
	}
	if len(in.TransactStatements) > maxTransactStatements {
		return nil, ErrValidation.Newf("1 validation error detected: Value at 'transactStatements' failed to satisfy constraint: Member must have length less than or equal to %d", maxTransactStatements)
	}
	if len(in.ClientRequestToken) > 36 {
		return nil, ErrValidation.New("1 validation error detected: Value at 'clientRequestToken' failed to satisfy constraint: Member must have length less than or equal to 36")
	}
	if err := checkReturnConsumedCapacity(in.ReturnConsumedCapacity); err != nil {
		return nil, err
	}
	n := len(in.TransactStatements)
	stmts := make([]*pqlStatement, n)
	params := make([][]AttributeValue, n)
	reads, writes := 0, 0
	failed := func(i int, err error) error {
		if errors.Is(err, ErrResourceNotFound) {
			return err
		}
		return ErrValidation.Newf("Validation failed in TransactStatements[%d]: %s", i, errMessage(err))
	}
	for i, s := range in.TransactStatements {
		path := fmt.Sprintf("transactStatements.%d.member", i+1)
		if err := checkStatementLength(path+".statement", s.Statement); err != nil {
			return nil, err
		}
		p, err := cleanParameters(path+".parameters", s.Parameters)
		if err != nil {
			return nil, err
		}
		if err := checkReturnValuesOnFailure(s.ReturnValuesOnConditionCheckFailure); err != nil {
			return nil, err
		}
		st, err := parsePartiQL(s.Statement)
		if err != nil {
			return nil, failed(i, err)
		}
		stmts[i], params[i] = st, p
		if st.kind == sSelect {
			reads++
		} else {
			writes++
		}
	}
	if reads > 0 && writes > 0 {
		return nil, ErrValidation.New(msgMixedTx)
	}
	if reads > 0 {
		gets := make([]*pqlGet, n)
		tin := &TransactGetItemsInput{ReturnConsumedCapacity: in.ReturnConsumedCapacity}
		for i, st := range stmts {
			g, err := db.compileGet(st, params[i], msgTxReadByKey, msgTxReadIndex)
			if err != nil {
				return nil, failed(i, err)
			}
			gets[i] = g
			tin.TransactItems = append(tin.TransactItems, TransactGetItem{Get: &Get{TableName: g.t.name, Key: g.key,
				ProjectionExpression: g.expr, ExpressionAttributeNames: g.b.attrNames()}})
		}
		res, err := db.TransactGetItems(ctx, tin)
		if err != nil {
			return nil, err
		}
		out := &ExecuteTransactionOutput{Responses: make([]ItemResponse, n), ConsumedCapacity: res.ConsumedCapacity}
		for i, r := range res.Responses {
			out.Responses[i].Item = gets[i].unnest(r.Item)
		}
		return out, nil
	}
	ws := make([]*pqlWrite, n)
	tin := &TransactWriteItemsInput{ClientRequestToken: in.ClientRequestToken, ReturnConsumedCapacity: in.ReturnConsumedCapacity}
	for i, st := range stmts {
		s := in.TransactStatements[i]
		rv := s.ReturnValuesOnConditionCheckFailure
		if st.kind == sInsert {
			rv = ""
		}
		w, err := db.compileWrite(st, params[i], rv, "")
		if err != nil {
			if isKeySchemaError(err) {
				return nil, schemaCancellation(n, i, err)
			}
			return nil, failed(i, err)
		}
		if st.returning != "" {
			return nil, failed(i, ErrValidation.New(msgTxReturning))
		}
		ws[i] = w
		var item TransactWriteItem
		switch {
		case w.put != nil:
			p := w.put
			item.Put = &Put{TableName: p.TableName, Item: p.Item, ConditionExpression: p.ConditionExpression,
				ExpressionAttributeNames: p.ExpressionAttributeNames, ExpressionAttributeValues: p.ExpressionAttributeValues}
		case w.update != nil:
			u := w.update
			item.Update = &Update{TableName: u.TableName, Key: u.Key, UpdateExpression: u.UpdateExpression, ConditionExpression: u.ConditionExpression,
				ExpressionAttributeNames: u.ExpressionAttributeNames, ExpressionAttributeValues: u.ExpressionAttributeValues,
				ReturnValuesOnConditionCheckFailure: u.ReturnValuesOnConditionCheckFailure}
		case w.del != nil:
			d := w.del
			item.Delete = &Delete{TableName: d.TableName, Key: d.Key, ConditionExpression: d.ConditionExpression,
				ExpressionAttributeNames: d.ExpressionAttributeNames, ExpressionAttributeValues: d.ExpressionAttributeValues,
				ReturnValuesOnConditionCheckFailure: d.ReturnValuesOnConditionCheckFailure}
		default:
			item.ConditionCheck = w.check
		}
		tin.TransactItems = append(tin.TransactItems, item)
	}
	res, err := db.TransactWriteItems(ctx, tin)
	if err != nil {
		var tce *TransactionCanceledException
		if errors.As(err, &tce) {
			reasons := append([]CancellationReason(nil), tce.CancellationReasons...)
			for i, r := range reasons {
				if ws[i].kind == sInsert && r.Code == "ConditionalCheckFailed" {
					reasons[i] = CancellationReason{Code: string(BatchStatementErrorDuplicateItem), Message: msgDuplicateItem}
				}
			}
			return nil, transactionCanceled(reasons)
		}
		return nil, err
	}
	return &ExecuteTransactionOutput{ConsumedCapacity: res.ConsumedCapacity}, nil
}

// isKeySchemaError reports whether err is a statement's key that does not
// fit the table's key schema, which cancels a transaction rather than
// failing its validation.
func isKeySchemaError(err error) bool {
	m := errMessage(err)
	return strings.HasPrefix(m, "Key attribute should be present in the item") ||
		strings.HasPrefix(m, "Key attribute's data type should match")
}

// schemaCancellation cancels a transaction of n statements whose statement
// i has a key that does not fit the schema.
func schemaCancellation(n, i int, err error) error {
	reasons := make([]CancellationReason, n)
	for k := range reasons {
		reasons[k] = CancellationReason{Code: "None"}
	}
	reasons[i] = CancellationReason{Code: string(BatchStatementErrorValidationError), Message: errMessage(err)}
	return transactionCanceled(reasons)
}
