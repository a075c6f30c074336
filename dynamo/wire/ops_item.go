package wire

import (
	"github.com/minicloud/minicloud/dynamo"
)

// Item operations: PutItem, GetItem, UpdateItem, DeleteItem.

func decodePutItem(d *decoder, n *node) *dynamo.PutItemInput {
	in := &dynamo.PutItemInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "Item":
			in.Item = d.item(v)
		case "ConditionExpression":
			in.ConditionExpression = d.str(v)
		case "ExpressionAttributeNames":
			in.ExpressionAttributeNames = d.stringMap(v)
		case "ExpressionAttributeValues":
			in.ExpressionAttributeValues = d.values(v)
		case "ReturnValues":
			in.ReturnValues = dynamo.ReturnValue(d.str(v))
		case "ReturnValuesOnConditionCheckFailure":
			in.ReturnValuesOnConditionCheckFailure = dynamo.ReturnValuesOnConditionCheckFailure(d.str(v))
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "ReturnItemCollectionMetrics":
			d.returnItemCollectionMetrics(v)
		case "Expected", "ConditionalOperator":
			d.legacy(name, "ConditionExpression")
		}
	})
	d.required("tableName", in.TableName != "")
	d.required("item", in.Item != nil)
	return in
}

func encodePutItem(w *writer, out *dynamo.PutItemOutput) {
	w.itemField("Attributes", out.Attributes)
	w.consumedCapacity(out.ConsumedCapacity)
}

func decodeGetItem(d *decoder, n *node) *dynamo.GetItemInput {
	in := &dynamo.GetItemInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "Key":
			in.Key = d.item(v)
		case "ConsistentRead":
			in.ConsistentRead = d.boolean(v)
		case "ProjectionExpression":
			in.ProjectionExpression = d.str(v)
		case "ExpressionAttributeNames":
			in.ExpressionAttributeNames = d.stringMap(v)
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "AttributesToGet":
			d.legacy(name, "ProjectionExpression")
		}
	})
	d.required("tableName", in.TableName != "")
	d.required("key", in.Key != nil)
	return in
}

func encodeGetItem(w *writer, out *dynamo.GetItemOutput) {
	w.consumedCapacity(out.ConsumedCapacity)
	w.itemField("Item", out.Item)
}

func decodeUpdateItem(d *decoder, n *node) *dynamo.UpdateItemInput {
	in := &dynamo.UpdateItemInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "Key":
			in.Key = d.item(v)
		case "UpdateExpression":
			in.UpdateExpression = d.str(v)
		case "ConditionExpression":
			in.ConditionExpression = d.str(v)
		case "ExpressionAttributeNames":
			in.ExpressionAttributeNames = d.stringMap(v)
		case "ExpressionAttributeValues":
			in.ExpressionAttributeValues = d.values(v)
		case "ReturnValues":
			in.ReturnValues = dynamo.ReturnValue(d.str(v))
		case "ReturnValuesOnConditionCheckFailure":
			in.ReturnValuesOnConditionCheckFailure = dynamo.ReturnValuesOnConditionCheckFailure(d.str(v))
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "ReturnItemCollectionMetrics":
			d.returnItemCollectionMetrics(v)
		case "AttributeUpdates":
			d.legacy(name, "UpdateExpression")
		case "Expected", "ConditionalOperator":
			d.legacy(name, "ConditionExpression")
		}
	})
	d.required("tableName", in.TableName != "")
	d.required("key", in.Key != nil)
	return in
}

func encodeUpdateItem(w *writer, out *dynamo.UpdateItemOutput) {
	w.itemField("Attributes", out.Attributes)
	w.consumedCapacity(out.ConsumedCapacity)
}

func decodeDeleteItem(d *decoder, n *node) *dynamo.DeleteItemInput {
	in := &dynamo.DeleteItemInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "Key":
			in.Key = d.item(v)
		case "ConditionExpression":
			in.ConditionExpression = d.str(v)
		case "ExpressionAttributeNames":
			in.ExpressionAttributeNames = d.stringMap(v)
		case "ExpressionAttributeValues":
			in.ExpressionAttributeValues = d.values(v)
		case "ReturnValues":
			in.ReturnValues = dynamo.ReturnValue(d.str(v))
		case "ReturnValuesOnConditionCheckFailure":
			in.ReturnValuesOnConditionCheckFailure = dynamo.ReturnValuesOnConditionCheckFailure(d.str(v))
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "ReturnItemCollectionMetrics":
			d.returnItemCollectionMetrics(v)
		case "Expected", "ConditionalOperator":
			d.legacy(name, "ConditionExpression")
		}
	})
	d.required("tableName", in.TableName != "")
	d.required("key", in.Key != nil)
	return in
}

func encodeDeleteItem(w *writer, out *dynamo.DeleteItemOutput) {
	w.itemField("Attributes", out.Attributes)
	w.consumedCapacity(out.ConsumedCapacity)
}
