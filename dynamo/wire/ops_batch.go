package wire

import (
	"slices"

	"github.com/minicloud/minicloud/dynamo"
)

// Batch and transaction operations: BatchGetItem, BatchWriteItem,
// TransactWriteItems, TransactGetItems.

func decodeBatchGetItem(d *decoder, n *node) *dynamo.BatchGetItemInput {
	in := &dynamo.BatchGetItemInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "RequestItems":
			in.RequestItems = map[string]dynamo.KeysAndAttributes{}
			d.mapOf(v, func(table string, v *node) {
				var ka dynamo.KeysAndAttributes
				var hasKeys bool
				d.structure(v, func(name string, v *node) {
					switch name {
					case "Keys":
						hasKeys = true
						ka.Keys = []dynamo.Item{}
						d.list(v, func(_ int, e *node) { ka.Keys = append(ka.Keys, d.item(e)) })
					case "ProjectionExpression":
						ka.ProjectionExpression = d.str(v)
					case "ExpressionAttributeNames":
						ka.ExpressionAttributeNames = d.stringMap(v)
					case "ConsistentRead":
						ka.ConsistentRead = d.boolean(v)
					case "AttributesToGet":
						d.legacy(name, "ProjectionExpression")
					}
				})
				d.required("requestItems."+table+".member.keys", hasKeys)
				in.RequestItems[table] = ka
			})
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		}
	})
	d.required("requestItems", in.RequestItems != nil)
	return in
}

func encodeBatchGetItem(w *writer, out *dynamo.BatchGetItemOutput) {
	w.consumedCapacities(out.ConsumedCapacity)
	w.key("Responses")
	w.beginObject()
	for _, table := range sortedKeys(out.Responses) {
		w.key(table)
		w.beginArray()
		for _, it := range out.Responses[table] {
			w.item(it)
		}
		w.endArray()
	}
	w.endObject()
	w.key("UnprocessedKeys")
	w.beginObject()
	for _, table := range sortedKeys(out.UnprocessedKeys) {
		ka := out.UnprocessedKeys[table]
		w.key(table)
		w.beginObject()
		if ka.ConsistentRead {
			w.key("ConsistentRead")
			w.bool(true)
		}
		if ka.ExpressionAttributeNames != nil {
			w.key("ExpressionAttributeNames")
			w.stringMap(ka.ExpressionAttributeNames)
		}
		w.key("Keys")
		w.beginArray()
		for _, k := range ka.Keys {
			w.item(k)
		}
		w.endArray()
		w.stringField("ProjectionExpression", ka.ProjectionExpression)
		w.endObject()
	}
	w.endObject()
}

func decodeBatchWriteItem(d *decoder, n *node) *dynamo.BatchWriteItemInput {
	in := &dynamo.BatchWriteItemInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "RequestItems":
			in.RequestItems = map[string][]dynamo.WriteRequest{}
			d.mapOf(v, func(table string, v *node) {
				reqs := []dynamo.WriteRequest{}
				d.list(v, func(i int, e *node) {
					var wr dynamo.WriteRequest
					d.structure(e, func(name string, v *node) {
						switch name {
						case "PutRequest":
							p := &dynamo.PutRequest{}
							d.structure(v, func(name string, v *node) {
								if name == "Item" {
									p.Item = d.item(v)
								}
							})
							d.required(pathAt("requestItems."+table, i)+".putRequest.item", p.Item != nil)
							wr.PutRequest = p
						case "DeleteRequest":
							del := &dynamo.DeleteRequest{}
							d.structure(v, func(name string, v *node) {
								if name == "Key" {
									del.Key = d.item(v)
								}
							})
							d.required(pathAt("requestItems."+table, i)+".deleteRequest.key", del.Key != nil)
							wr.DeleteRequest = del
						}
					})
					reqs = append(reqs, wr)
				})
				in.RequestItems[table] = reqs
			})
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "ReturnItemCollectionMetrics":
			d.returnItemCollectionMetrics(v)
		}
	})
	d.required("requestItems", in.RequestItems != nil)
	return in
}

func encodeBatchWriteItem(w *writer, out *dynamo.BatchWriteItemOutput) {
	w.consumedCapacities(out.ConsumedCapacity)
	w.key("UnprocessedItems")
	w.beginObject()
	for _, table := range sortedKeys(out.UnprocessedItems) {
		w.key(table)
		w.beginArray()
		for _, wr := range out.UnprocessedItems[table] {
			w.beginObject()
			if wr.DeleteRequest != nil {
				w.key("DeleteRequest")
				w.beginObject()
				w.itemField("Key", wr.DeleteRequest.Key)
				w.endObject()
			}
			if wr.PutRequest != nil {
				w.key("PutRequest")
				w.beginObject()
				w.itemField("Item", wr.PutRequest.Item)
				w.endObject()
			}
			w.endObject()
		}
		w.endArray()
	}
	w.endObject()
}

// txAction holds the members the actions of TransactWriteItems share.
type txAction struct {
	table, update, condition string
	key, item                dynamo.Item
	names                    map[string]string
	values                   map[string]dynamo.AttributeValue
	rv                       dynamo.ReturnValuesOnConditionCheckFailure
}

// txAction reads one Put, Update, Delete or ConditionCheck; path names it
// in constraint messages, and needs lists its required members.
func (d *decoder) txAction(v *node, path string, needs ...string) txAction {
	var a txAction
	d.structure(v, func(name string, v *node) {
		switch name {
		case "TableName":
			a.table = d.str(v)
		case "Key":
			a.key = d.item(v)
		case "Item":
			a.item = d.item(v)
		case "UpdateExpression":
			a.update = d.str(v)
		case "ConditionExpression":
			a.condition = d.str(v)
		case "ExpressionAttributeNames":
			a.names = d.stringMap(v)
		case "ExpressionAttributeValues":
			a.values = d.values(v)
		case "ReturnValuesOnConditionCheckFailure":
			a.rv = dynamo.ReturnValuesOnConditionCheckFailure(d.str(v))
		}
	})
	for _, m := range needs {
		var present bool
		switch m {
		case "key":
			present = a.key != nil
		case "item":
			present = a.item != nil
		case "tableName":
			present = a.table != ""
		case "updateExpression":
			present = a.update != ""
		case "conditionExpression":
			present = a.condition != ""
		}
		d.required(path+"."+m, present)
	}
	return a
}

func decodeTransactWriteItems(d *decoder, n *node) *dynamo.TransactWriteItemsInput {
	in := &dynamo.TransactWriteItemsInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TransactItems":
			in.TransactItems = []dynamo.TransactWriteItem{}
			d.list(v, func(i int, e *node) {
				var it dynamo.TransactWriteItem
				p := pathAt("transactItems", i)
				d.structure(e, func(name string, v *node) {
					switch name {
					case "ConditionCheck":
						a := d.txAction(v, p+".conditionCheck", "key", "tableName", "conditionExpression")
						it.ConditionCheck = &dynamo.ConditionCheck{TableName: a.table, Key: a.key, ConditionExpression: a.condition,
							ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values, ReturnValuesOnConditionCheckFailure: a.rv}
					case "Put":
						a := d.txAction(v, p+".put", "item", "tableName")
						it.Put = &dynamo.Put{TableName: a.table, Item: a.item, ConditionExpression: a.condition,
							ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values, ReturnValuesOnConditionCheckFailure: a.rv}
					case "Delete":
						a := d.txAction(v, p+".delete", "key", "tableName")
						it.Delete = &dynamo.Delete{TableName: a.table, Key: a.key, ConditionExpression: a.condition,
							ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values, ReturnValuesOnConditionCheckFailure: a.rv}
					case "Update":
						a := d.txAction(v, p+".update", "key", "updateExpression", "tableName")
						it.Update = &dynamo.Update{TableName: a.table, Key: a.key, UpdateExpression: a.update, ConditionExpression: a.condition,
							ExpressionAttributeNames: a.names, ExpressionAttributeValues: a.values, ReturnValuesOnConditionCheckFailure: a.rv}
					}
				})
				in.TransactItems = append(in.TransactItems, it)
			})
		case "ClientRequestToken":
			in.ClientRequestToken = d.str(v)
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "ReturnItemCollectionMetrics":
			d.returnItemCollectionMetrics(v)
		}
	})
	d.required("transactItems", in.TransactItems != nil)
	return in
}

func encodeTransactWriteItems(w *writer, out *dynamo.TransactWriteItemsOutput) {
	w.consumedCapacities(out.ConsumedCapacity)
}

func decodeTransactGetItems(d *decoder, n *node) *dynamo.TransactGetItemsInput {
	in := &dynamo.TransactGetItemsInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TransactItems":
			in.TransactItems = []dynamo.TransactGetItem{}
			d.list(v, func(i int, e *node) {
				var it dynamo.TransactGetItem
				var hasGet bool
				d.structure(e, func(name string, v *node) {
					if name != "Get" {
						return
					}
					hasGet = true
					g := &dynamo.Get{}
					d.structure(v, func(name string, v *node) {
						switch name {
						case "TableName":
							g.TableName = d.str(v)
						case "Key":
							g.Key = d.item(v)
						case "ProjectionExpression":
							g.ProjectionExpression = d.str(v)
						case "ExpressionAttributeNames":
							g.ExpressionAttributeNames = d.stringMap(v)
						}
					})
					d.required(pathAt("transactItems", i)+".get.key", g.Key != nil)
					d.required(pathAt("transactItems", i)+".get.tableName", g.TableName != "")
					it.Get = g
				})
				d.required(pathAt("transactItems", i)+".get", hasGet)
				in.TransactItems = append(in.TransactItems, it)
			})
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		}
	})
	d.required("transactItems", in.TransactItems != nil)
	return in
}

func encodeTransactGetItems(w *writer, out *dynamo.TransactGetItemsOutput) {
	w.consumedCapacities(out.ConsumedCapacity)
	w.key("Responses")
	w.beginArray()
	for _, r := range out.Responses {
		w.beginObject()
		w.itemField("Item", r.Item)
		w.endObject()
	}
	w.endArray()
}

// cancellationReasons writes the CancellationReasons of a
// TransactionCanceledException: one per action, in order, "None" for the
// actions that did not cause the cancellation.
func (w *writer) cancellationReasons(reasons []dynamo.CancellationReason) {
	w.key("CancellationReasons")
	w.beginArray()
	for _, r := range reasons {
		w.beginObject()
		w.stringField("Code", r.Code)
		w.itemField("Item", r.Item)
		w.stringField("Message", r.Message)
		w.endObject()
	}
	w.endArray()
}

func (w *writer) stringMap(m map[string]string) {
	w.beginObject()
	for _, k := range sortedKeys(m) {
		w.key(k)
		w.string(m[k])
	}
	w.endObject()
}

// sortedKeys returns a map's keys in order, so that responses are
// deterministic.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
