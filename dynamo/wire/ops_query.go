package wire

import (
	"github.com/minicloud/minicloud/dynamo"
)

// Read operations: Query and Scan.

func decodeQuery(d *decoder, n *node) *dynamo.QueryInput {
	in := &dynamo.QueryInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "IndexName":
			in.IndexName = d.str(v)
		case "KeyConditionExpression":
			in.KeyConditionExpression = d.str(v)
		case "FilterExpression":
			in.FilterExpression = d.str(v)
		case "ProjectionExpression":
			in.ProjectionExpression = d.str(v)
		case "ExpressionAttributeNames":
			in.ExpressionAttributeNames = d.stringMap(v)
		case "ExpressionAttributeValues":
			in.ExpressionAttributeValues = d.values(v)
		case "Select":
			in.Select = dynamo.Select(d.str(v))
		case "Limit":
			in.Limit = d.limit(v)
		case "ConsistentRead":
			in.ConsistentRead = d.boolean(v)
		case "ScanIndexForward":
			b := d.boolean(v)
			in.ScanIndexForward = &b
		case "ExclusiveStartKey":
			in.ExclusiveStartKey = d.item(v)
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "KeyConditions":
			d.legacy(name, "KeyConditionExpression")
		case "QueryFilter", "ConditionalOperator":
			d.legacy(name, "FilterExpression")
		case "AttributesToGet":
			d.legacy(name, "ProjectionExpression")
		}
	})
	d.required("tableName", in.TableName != "")
	return in
}

func encodeQuery(w *writer, out *dynamo.QueryOutput) {
	w.readPage(out.Items, out.Count, out.ScannedCount, out.LastEvaluatedKey, out.ConsumedCapacity)
}

func decodeScan(d *decoder, n *node) *dynamo.ScanInput {
	in := &dynamo.ScanInput{}
	var hasSegment, hasTotal bool
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "IndexName":
			in.IndexName = d.str(v)
		case "FilterExpression":
			in.FilterExpression = d.str(v)
		case "ProjectionExpression":
			in.ProjectionExpression = d.str(v)
		case "ExpressionAttributeNames":
			in.ExpressionAttributeNames = d.stringMap(v)
		case "ExpressionAttributeValues":
			in.ExpressionAttributeValues = d.values(v)
		case "Select":
			in.Select = dynamo.Select(d.str(v))
		case "Limit":
			in.Limit = d.limit(v)
		case "ConsistentRead":
			in.ConsistentRead = d.boolean(v)
		case "ExclusiveStartKey":
			in.ExclusiveStartKey = d.item(v)
		case "Segment":
			hasSegment = true
			s := d.integer(v, "Integer")
			d.atLeast("segment", s, 0)
			d.atMost("segment", s, 999999)
			in.Segment = int(s)
		case "TotalSegments":
			hasTotal = true
			t := d.integer(v, "Integer")
			d.atLeast("totalSegments", t, 1)
			d.atMost("totalSegments", t, 1000000)
			in.TotalSegments = int(t)
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "ScanFilter", "ConditionalOperator":
			d.legacy(name, "FilterExpression")
		case "AttributesToGet":
			d.legacy(name, "ProjectionExpression")
		}
	})
	d.required("tableName", in.TableName != "")
	switch {
	case hasSegment && !hasTotal:
		d.invalid("The TotalSegments parameter is required but was not present in the request when Segment parameter is present")
	case hasTotal && !hasSegment:
		d.invalid("The Segment parameter is required but was not present in the request when parameter TotalSegments is present")
	}
	return in
}

func encodeScan(w *writer, out *dynamo.ScanOutput) {
	w.readPage(out.Items, out.Count, out.ScannedCount, out.LastEvaluatedKey, out.ConsumedCapacity)
}

// readPage writes the members Query and Scan share. Items is left out when
// the request selected COUNT, as DynamoDB leaves it out.
func (w *writer) readPage(items []dynamo.Item, count, scanned int, lek dynamo.Item, cc *dynamo.ConsumedCapacity) {
	w.consumedCapacity(cc)
	w.intField("Count", int64(count))
	if items != nil {
		w.key("Items")
		w.beginArray()
		for _, it := range items {
			w.item(it)
		}
		w.endArray()
	}
	w.itemField("LastEvaluatedKey", lek)
	w.intField("ScannedCount", int64(scanned))
}
