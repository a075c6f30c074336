package wire

import (
	"github.com/minicloud/minicloud/dynamo"
)

// PartiQL operations: ExecuteStatement, BatchExecuteStatement,
// ExecuteTransaction. The statements themselves are parsed and checked by
// the dynamo package; the wire reads the members, their JSON types and
// the constraints only the wire sees (a missing Statement, a Limit below
// 1).

// parameters reads the Parameters of a statement. Absent is nil; present,
// even empty, is not, so that the dynamo package refuses an empty list.
func (d *decoder) parameters(n *node) []dynamo.AttributeValue {
	out := []dynamo.AttributeValue{}
	if !d.list(n, func(_ int, e *node) { out = append(out, d.value(e)) }) {
		return nil
	}
	return out
}

func decodeExecuteStatement(d *decoder, n *node) *dynamo.ExecuteStatementInput {
	in := &dynamo.ExecuteStatementInput{}
	var hasStatement bool
	d.structure(n, func(name string, v *node) {
		switch name {
		case "Statement":
			hasStatement = true
			in.Statement = d.str(v)
		case "Parameters":
			in.Parameters = d.parameters(v)
		case "ConsistentRead":
			in.ConsistentRead = d.boolean(v)
		case "NextToken":
			in.NextToken = d.str(v)
		case "Limit":
			in.Limit = d.limit(v)
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		case "ReturnValuesOnConditionCheckFailure":
			in.ReturnValuesOnConditionCheckFailure = dynamo.ReturnValuesOnConditionCheckFailure(d.str(v))
		}
	})
	d.required("statement", hasStatement)
	return in
}

func encodeExecuteStatement(w *writer, out *dynamo.ExecuteStatementOutput) {
	w.consumedCapacity(out.ConsumedCapacity)
	w.key("Items")
	w.beginArray()
	for _, it := range out.Items {
		w.item(it)
	}
	w.endArray()
	w.itemField("LastEvaluatedKey", out.LastEvaluatedKey)
	w.stringField("NextToken", out.NextToken)
}

func decodeBatchExecuteStatement(d *decoder, n *node) *dynamo.BatchExecuteStatementInput {
	in := &dynamo.BatchExecuteStatementInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "Statements":
			in.Statements = []dynamo.BatchStatementRequest{}
			d.list(v, func(i int, e *node) {
				var s dynamo.BatchStatementRequest
				var hasStatement bool
				d.structure(e, func(name string, v *node) {
					switch name {
					case "Statement":
						hasStatement = true
						s.Statement = d.str(v)
					case "Parameters":
						s.Parameters = d.parameters(v)
					case "ConsistentRead":
						s.ConsistentRead = d.boolean(v)
					case "ReturnValuesOnConditionCheckFailure":
						s.ReturnValuesOnConditionCheckFailure = dynamo.ReturnValuesOnConditionCheckFailure(d.str(v))
					}
				})
				d.required(pathAt("statements", i)+".statement", hasStatement)
				in.Statements = append(in.Statements, s)
			})
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		}
	})
	d.required("statements", in.Statements != nil)
	return in
}

func encodeBatchExecuteStatement(w *writer, out *dynamo.BatchExecuteStatementOutput) {
	w.consumedCapacities(out.ConsumedCapacity)
	w.key("Responses")
	w.beginArray()
	for _, r := range out.Responses {
		w.beginObject()
		if r.Error != nil {
			w.key("Error")
			w.beginObject()
			w.stringField("Code", string(r.Error.Code))
			w.itemField("Item", r.Error.Item)
			w.stringField("Message", r.Error.Message)
			w.endObject()
		}
		w.itemField("Item", r.Item)
		w.stringField("TableName", r.TableName)
		w.endObject()
	}
	w.endArray()
}

func decodeExecuteTransaction(d *decoder, n *node) *dynamo.ExecuteTransactionInput {
	in := &dynamo.ExecuteTransactionInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TransactStatements":
			in.TransactStatements = []dynamo.ParameterizedStatement{}
			d.list(v, func(i int, e *node) {
				var s dynamo.ParameterizedStatement
				var hasStatement bool
				d.structure(e, func(name string, v *node) {
					switch name {
					case "Statement":
						hasStatement = true
						s.Statement = d.str(v)
					case "Parameters":
						s.Parameters = d.parameters(v)
					case "ReturnValuesOnConditionCheckFailure":
						s.ReturnValuesOnConditionCheckFailure = dynamo.ReturnValuesOnConditionCheckFailure(d.str(v))
					}
				})
				d.required(pathAt("transactStatements", i)+".statement", hasStatement)
				in.TransactStatements = append(in.TransactStatements, s)
			})
		case "ClientRequestToken":
			in.ClientRequestToken = d.str(v)
		case "ReturnConsumedCapacity":
			in.ReturnConsumedCapacity = dynamo.ReturnConsumedCapacity(d.str(v))
		}
	})
	d.required("transactStatements", in.TransactStatements != nil)
	return in
}

func encodeExecuteTransaction(w *writer, out *dynamo.ExecuteTransactionOutput) {
	w.consumedCapacities(out.ConsumedCapacity)
	if out.Responses == nil {
		return
	}
	w.key("Responses")
	w.beginArray()
	for _, r := range out.Responses {
		w.beginObject()
		w.itemField("Item", r.Item)
		w.endObject()
	}
	w.endArray()
}
