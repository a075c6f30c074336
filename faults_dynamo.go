package minicloud

import (
	"context"

	"github.com/minicloud/minicloud/dynamo"
)

// dynamoFaults gives the account's fault rules to every Region's DynamoDB.
type dynamoFaults struct{ f *Faults }

// Fault injects a FaultError rule's latency and error at the start of an
// operation.
func (d dynamoFaults) Fault(ctx context.Context, op, table string) error {
	fr := d.f.fire(Call{Service: ServiceDynamoDB, Operation: op, Resource: table}, FaultError)
	if fr == nil {
		return nil
	}
	if err := d.f.wait(ctx, fr); err != nil {
		return err
	}
	if e := fr.err(); e != nil {
		return e
	}
	return nil
}

// Unprocessed reports whether a FaultUnprocessed rule hits a batch item.
func (d dynamoFaults) Unprocessed(ctx context.Context, op, table string, item dynamo.Item) bool {
	return d.f.fire(Call{Service: ServiceDynamoDB, Operation: op, Resource: table, Item: item}, FaultUnprocessed) != nil
}
