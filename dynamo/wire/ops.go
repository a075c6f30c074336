package wire

import (
	"errors"
	"strconv"

	"github.com/minicloud/minicloud/dynamo"
)

// operations maps each operation name of X-Amz-Target to its wire form.
// To serve a new operation, write its decoder and encoder and add a line.
var operations = map[string]operation{
	"CreateTable":   newOp(decodeCreateTable, (*dynamo.DB).CreateTable, encodeCreateTable),
	"DescribeTable": newOp(decodeDescribeTable, (*dynamo.DB).DescribeTable, encodeDescribeTable),
	"ListTables":    newOp(decodeListTables, (*dynamo.DB).ListTables, encodeListTables),
	"UpdateTable":   newOp(decodeUpdateTable, (*dynamo.DB).UpdateTable, encodeUpdateTable),
	"DeleteTable":   newOp(decodeDeleteTable, (*dynamo.DB).DeleteTable, encodeDeleteTable),
	"PutItem":       newOp(decodePutItem, (*dynamo.DB).PutItem, encodePutItem),
	"GetItem":       newOp(decodeGetItem, (*dynamo.DB).GetItem, encodeGetItem),
	"UpdateItem":    newOp(decodeUpdateItem, (*dynamo.DB).UpdateItem, encodeUpdateItem),
	"DeleteItem":    newOp(decodeDeleteItem, (*dynamo.DB).DeleteItem, encodeDeleteItem),
	"Query":         newOp(decodeQuery, (*dynamo.DB).Query, encodeQuery),
	"Scan":          newOp(decodeScan, (*dynamo.DB).Scan, encodeScan),

	"BatchGetItem":       newOp(decodeBatchGetItem, (*dynamo.DB).BatchGetItem, encodeBatchGetItem),
	"BatchWriteItem":     newOp(decodeBatchWriteItem, (*dynamo.DB).BatchWriteItem, encodeBatchWriteItem),
	"TransactWriteItems": newOp(decodeTransactWriteItems, (*dynamo.DB).TransactWriteItems, encodeTransactWriteItems),
	"TransactGetItems":   newOp(decodeTransactGetItems, (*dynamo.DB).TransactGetItems, encodeTransactGetItems),

	"UpdateTimeToLive":   newOp(decodeUpdateTimeToLive, (*dynamo.DB).UpdateTimeToLive, encodeUpdateTimeToLive),
	"DescribeTimeToLive": newOp(decodeDescribeTimeToLive, (*dynamo.DB).DescribeTimeToLive, encodeDescribeTimeToLive),

	"ExecuteStatement":      newOp(decodeExecuteStatement, (*dynamo.DB).ExecuteStatement, encodeExecuteStatement),
	"BatchExecuteStatement": newOp(decodeBatchExecuteStatement, (*dynamo.DB).BatchExecuteStatement, encodeBatchExecuteStatement),
	"ExecuteTransaction":    newOp(decodeExecuteTransaction, (*dynamo.DB).ExecuteTransaction, encodeExecuteTransaction),

	// Backups and point-in-time recovery (ops_backup.go).
	"UpdateContinuousBackups":   newOp(decodeUpdateContinuousBackups, (*dynamo.DB).UpdateContinuousBackups, encodeUpdateContinuousBackups),
	"DescribeContinuousBackups": newOp(decodeDescribeContinuousBackups, (*dynamo.DB).DescribeContinuousBackups, encodeDescribeContinuousBackups),
	"RestoreTableToPointInTime": newOp(decodeRestoreTableToPointInTime, (*dynamo.DB).RestoreTableToPointInTime, encodeRestoreTableToPointInTime),
	"CreateBackup":              newOp(decodeCreateBackup, (*dynamo.DB).CreateBackup, encodeCreateBackup),
	"DescribeBackup":            newOp(decodeDescribeBackup, (*dynamo.DB).DescribeBackup, encodeDescribeBackup),
	"DeleteBackup":              newOp(decodeDeleteBackup, (*dynamo.DB).DeleteBackup, encodeDeleteBackup),
	"ListBackups":               newOp(decodeListBackups, (*dynamo.DB).ListBackups, encodeListBackups),
	"RestoreTableFromBackup":    newOp(decodeRestoreTableFromBackup, (*dynamo.DB).RestoreTableFromBackup, encodeRestoreTableFromBackup),
	"ExportTableToPointInTime":  newOp(decodeExportTableToPointInTime, (*dynamo.DB).ExportTableToPointInTime, encodeExportTableToPointInTime),
	"DescribeExport":            newOp(decodeDescribeExport, (*dynamo.DB).DescribeExport, encodeDescribeExport),
	"ListExports":               newOp(decodeListExports, (*dynamo.DB).ListExports, encodeListExports),
	"ImportTable":               newOp(decodeImportTable, (*dynamo.DB).ImportTable, encodeImportTable),
	"DescribeImport":            newOp(decodeDescribeImport, (*dynamo.DB).DescribeImport, encodeDescribeImport),
	"ListImports":               newOp(decodeListImports, (*dynamo.DB).ListImports, encodeListImports),
}

// errorExtras writes the members an error carries beyond its type and
// message: the item of a failed condition, when the request asked for it
// with ReturnValuesOnConditionCheckFailure ALL_OLD, and the reasons a
// transaction was canceled.
func errorExtras(w *writer, err error) {
	var ccf *dynamo.ConditionalCheckFailedException
	if errors.As(err, &ccf) && ccf.Item != nil {
		w.key("Item")
		w.item(ccf.Item)
	}
	var tce *dynamo.TransactionCanceledException
	if errors.As(err, &tce) {
		w.cancellationReasons(tce.CancellationReasons)
	}
}

// Members every operation may carry that minicloud reads but does not act
// on, and legacy members it refuses rather than silently ignore.

// legacy answers a request that uses one of DynamoDB's legacy conditional
// parameters. minicloud implements the expression forms only; ignoring a
// legacy condition would write what the caller meant to guard.
func (d *decoder) legacy(name, instead string) {
	d.invalid("minicloud does not support the legacy parameter " + name + "; use " + instead + " instead")
}

// consumedCapacity writes a ConsumedCapacity member, present only when
// the request asked for it with ReturnConsumedCapacity.
func (w *writer) consumedCapacity(c *dynamo.ConsumedCapacity) {
	if c != nil {
		w.key("ConsumedCapacity")
		w.capacityEntry(*c)
	}
}

// consumedCapacities writes the ConsumedCapacity list of the batch and
// transaction operations: one entry per table.
func (w *writer) consumedCapacities(cs []dynamo.ConsumedCapacity) {
	if cs == nil {
		return
	}
	w.key("ConsumedCapacity")
	w.beginArray()
	for _, c := range cs {
		w.capacityEntry(c)
	}
	w.endArray()
}

func (w *writer) capacityEntry(c dynamo.ConsumedCapacity) {
	w.beginObject()
	w.floatField("CapacityUnits", c.CapacityUnits)
	w.indexCapacities("GlobalSecondaryIndexes", c.GlobalSecondaryIndexes)
	w.indexCapacities("LocalSecondaryIndexes", c.LocalSecondaryIndexes)
	if c.ReadCapacityUnits != 0 {
		w.floatField("ReadCapacityUnits", c.ReadCapacityUnits)
	}
	if c.Table != nil {
		w.key("Table")
		w.capacity(*c.Table)
	}
	w.stringField("TableName", c.TableName)
	if c.WriteCapacityUnits != 0 {
		w.floatField("WriteCapacityUnits", c.WriteCapacityUnits)
	}
	w.endObject()
}

func (w *writer) indexCapacities(name string, m map[string]dynamo.Capacity) {
	if m == nil {
		return
	}
	w.key(name)
	w.beginObject()
	for _, k := range sortedKeys(m) {
		w.key(k)
		w.capacity(m[k])
	}
	w.endObject()
}

func (w *writer) capacity(c dynamo.Capacity) {
	w.beginObject()
	w.floatField("CapacityUnits", c.CapacityUnits)
	if c.ReadCapacityUnits != 0 {
		w.floatField("ReadCapacityUnits", c.ReadCapacityUnits)
	}
	if c.WriteCapacityUnits != 0 {
		w.floatField("WriteCapacityUnits", c.WriteCapacityUnits)
	}
	w.endObject()
}

// returnItemCollectionMetrics checks the ReturnItemCollectionMetrics enum.
func (d *decoder) returnItemCollectionMetrics(v *node) {
	switch s := d.str(v); s {
	case "SIZE", "NONE":
	default:
		d.constraint("returnItemCollectionMetrics", s, "Member must satisfy enum value set: [SIZE, NONE]")
	}
}

// limit reads an Integer page size, which must be at least 1 when given.
func (d *decoder) limit(v *node) int {
	n := d.integer(v, "Integer")
	d.atLeast("limit", n, 1)
	return int(n)
}

func pathAt(list string, i int) string {
	return list + "." + strconv.Itoa(i+1) + ".member"
}
