package dynamo

import (
	"context"
	"slices"
)

// Faults is the hook a fault injector gives DynamoDB in [Options].Faults,
// so that a test can make calls fail on purpose the way DynamoDB fails
// them: throttled, out of capacity, an internal error, a transaction
// conflict, a batch left partly unprocessed, a slow answer. The root
// package minicloud implements it with rules (minicloud.Fault).
type Faults interface {
	// Fault is called at the start of an operation, once for each table it
	// names (in name order; "" for ListTables), before the request is
	// validated or anything is read or written. A non-nil error fails the
	// operation with it, as is: an *Error keeps its code and status on the
	// wire. It may block (an injected latency) and should honour ctx.
	Fault(ctx context.Context, op, table string) error
	// Unprocessed is called, for BatchGetItem and BatchWriteItem, once for
	// each key or write request that passed validation; true leaves it in
	// UnprocessedKeys or UnprocessedItems, untouched and not charged, as a
	// table out of capacity does. item is the key to read, the item to put
	// or the key to delete.
	Unprocessed(ctx context.Context, op, table string, item Item) bool
}

// fault consults Options.Faults for an operation on tables.
func (db *DB) fault(ctx context.Context, op string, tables ...string) error {
	if db.opts.Faults == nil {
		return nil
	}
	if len(tables) > 1 {
		tables = slices.Clone(tables)
		slices.Sort(tables)
		tables = slices.Compact(tables)
	}
	for _, t := range tables {
		if err := db.opts.Faults.Fault(ctx, op, t); err != nil {
			return err
		}
	}
	return nil
}

// unprocessed asks Options.Faults whether a batch item is left unprocessed.
func (db *DB) unprocessed(ctx context.Context, op, table string, item Item) bool {
	return db.opts.Faults != nil && db.opts.Faults.Unprocessed(ctx, op, table, item)
}

// transactWriteTables names the tables of a transaction's actions.
func transactWriteTables(items []TransactWriteItem) []string {
	var names []string
	for _, ti := range items {
		switch {
		case ti.ConditionCheck != nil:
			names = append(names, ti.ConditionCheck.TableName)
		case ti.Put != nil:
			names = append(names, ti.Put.TableName)
		case ti.Delete != nil:
			names = append(names, ti.Delete.TableName)
		case ti.Update != nil:
			names = append(names, ti.Update.TableName)
		}
	}
	return names
}
