package wire

import (
	"math"
	"strconv"
	"time"

	"github.com/minicloud/minicloud/dynamo"
)

// Backup operations: UpdateContinuousBackups, DescribeContinuousBackups,
// RestoreTableToPointInTime, CreateBackup, DescribeBackup, DeleteBackup,
// ListBackups, RestoreTableFromBackup.

// timestamp reads a Timestamp member: seconds since the epoch, with a
// fraction, as the SDKs send it in JSON 1.0.
func (d *decoder) timestamp(n *node) time.Time {
	if d.failed() {
		return time.Time{}
	}
	switch n.kind {
	case kindNumber:
		f, err := strconv.ParseFloat(n.text, 64)
		if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e13 {
			d.typeError(classNumber + canNotBeConverted + "a Date")
			return time.Time{}
		}
		sec := math.Floor(f)
		return time.Unix(int64(sec), int64(math.Round((f-sec)*1000))*int64(time.Millisecond)).UTC()
	case kindString:
		if t, err := time.Parse(time.RFC3339Nano, n.text); err == nil {
			return t
		}
		d.typeError(classString + canNotBeConverted + "a Date")
	case kindBool:
		d.typeError(classBoolean + canNotBeConverted + "a Date")
	case kindObject:
		d.typeError(msgStartOfMap)
	case kindArray:
		d.typeError(msgStartOfList)
	}
	return time.Time{}
}

func decodeUpdateContinuousBackups(d *decoder, n *node) *dynamo.UpdateContinuousBackupsInput {
	in := &dynamo.UpdateContinuousBackupsInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "PointInTimeRecoverySpecification":
			spec := &dynamo.PointInTimeRecoverySpecification{}
			var hasEnabled bool
			d.structure(v, func(name string, v *node) {
				switch name {
				case "PointInTimeRecoveryEnabled":
					hasEnabled = true
					spec.PointInTimeRecoveryEnabled = d.boolean(v)
				case "RecoveryPeriodInDays":
					days := d.integer(v, "Integer")
					d.atLeast("pointInTimeRecoverySpecification.recoveryPeriodInDays", days, 1)
					d.atMost("pointInTimeRecoverySpecification.recoveryPeriodInDays", days, 35)
					spec.RecoveryPeriodInDays = int(days)
				}
			})
			d.required("pointInTimeRecoverySpecification.pointInTimeRecoveryEnabled", hasEnabled)
			in.PointInTimeRecoverySpecification = spec
		}
	})
	d.required("tableName", in.TableName != "")
	d.required("pointInTimeRecoverySpecification", in.PointInTimeRecoverySpecification != nil)
	return in
}

func encodeUpdateContinuousBackups(w *writer, out *dynamo.UpdateContinuousBackupsOutput) {
	w.continuousBackups(out.ContinuousBackupsDescription)
}

func decodeDescribeContinuousBackups(d *decoder, n *node) *dynamo.DescribeContinuousBackupsInput {
	in := &dynamo.DescribeContinuousBackupsInput{}
	d.structure(n, func(name string, v *node) {
		if name == "TableName" {
			in.TableName = d.str(v)
		}
	})
	d.required("tableName", in.TableName != "")
	return in
}

func encodeDescribeContinuousBackups(w *writer, out *dynamo.DescribeContinuousBackupsOutput) {
	w.continuousBackups(out.ContinuousBackupsDescription)
}

func (w *writer) continuousBackups(c *dynamo.ContinuousBackupsDescription) {
	if c == nil {
		return
	}
	w.key("ContinuousBackupsDescription")
	w.beginObject()
	w.stringField("ContinuousBackupsStatus", string(c.ContinuousBackupsStatus))
	if p := c.PointInTimeRecoveryDescription; p != nil {
		w.key("PointInTimeRecoveryDescription")
		w.beginObject()
		w.timeField("EarliestRestorableDateTime", p.EarliestRestorableDateTime)
		w.timeField("LatestRestorableDateTime", p.LatestRestorableDateTime)
		w.stringField("PointInTimeRecoveryStatus", string(p.PointInTimeRecoveryStatus))
		if p.RecoveryPeriodInDays != 0 {
			w.intField("RecoveryPeriodInDays", int64(p.RecoveryPeriodInDays))
		}
		w.endObject()
	}
	w.endObject()
}

// restoreOverrides reads the override members RestoreTableToPointInTime
// and RestoreTableFromBackup share; it reports whether name was one.
func (d *decoder) restoreOverrides(name string, v *node, billing *dynamo.BillingMode, tp **dynamo.ProvisionedThroughput, gsis *[]dynamo.GlobalSecondaryIndex, lsis *[]dynamo.LocalSecondaryIndex) bool {
	switch name {
	case "BillingModeOverride":
		*billing = dynamo.BillingMode(d.str(v))
	case "ProvisionedThroughputOverride":
		*tp = d.throughput(v, "provisionedThroughputOverride")
	case "GlobalSecondaryIndexOverride":
		*gsis = []dynamo.GlobalSecondaryIndex{}
		d.list(v, func(i int, e *node) {
			*gsis = append(*gsis, d.globalIndex(e, pathAt("globalSecondaryIndexOverride", i)))
		})
	case "LocalSecondaryIndexOverride":
		*lsis = []dynamo.LocalSecondaryIndex{}
		d.list(v, func(i int, e *node) {
			*lsis = append(*lsis, d.localIndex(e, pathAt("localSecondaryIndexOverride", i)))
		})
	default:
		return false
	}
	return true
}

func decodeRestoreTableToPointInTime(d *decoder, n *node) *dynamo.RestoreTableToPointInTimeInput {
	in := &dynamo.RestoreTableToPointInTimeInput{}
	d.structure(n, func(name string, v *node) {
		if d.restoreOverrides(name, v, &in.BillingModeOverride, &in.ProvisionedThroughputOverride, &in.GlobalSecondaryIndexOverride, &in.LocalSecondaryIndexOverride) {
			return
		}
		switch name {
		case "SourceTableName":
			in.SourceTableName = d.str(v)
		case "SourceTableArn":
			in.SourceTableArn = d.str(v)
		case "TargetTableName":
			in.TargetTableName = d.str(v)
		case "RestoreDateTime":
			in.RestoreDateTime = d.timestamp(v)
		case "UseLatestRestorableTime":
			in.UseLatestRestorableTime = d.boolean(v)
		case "SSESpecificationOverride", "OnDemandThroughputOverride":
			// Accepted and not modelled, as in CreateTable.
		}
	})
	d.required("targetTableName", in.TargetTableName != "")
	return in
}

func encodeRestoreTableToPointInTime(w *writer, out *dynamo.RestoreTableToPointInTimeOutput) {
	w.tableDescription("TableDescription", out.TableDescription)
}

func decodeCreateBackup(d *decoder, n *node) *dynamo.CreateBackupInput {
	in := &dynamo.CreateBackupInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "BackupName":
			in.BackupName = d.str(v)
		}
	})
	d.required("tableName", in.TableName != "")
	d.required("backupName", in.BackupName != "")
	return in
}

func encodeCreateBackup(w *writer, out *dynamo.CreateBackupOutput) {
	if b := out.BackupDetails; b != nil {
		w.backupDetails(b)
	}
}

func (w *writer) backupDetails(b *dynamo.BackupDetails) {
	w.key("BackupDetails")
	w.beginObject()
	w.stringField("BackupArn", b.BackupArn)
	w.timeField("BackupCreationDateTime", b.BackupCreationDateTime)
	w.timeField("BackupExpiryDateTime", b.BackupExpiryDateTime)
	w.stringField("BackupName", b.BackupName)
	w.intField("BackupSizeBytes", b.BackupSizeBytes)
	w.stringField("BackupStatus", string(b.BackupStatus))
	w.stringField("BackupType", string(b.BackupType))
	w.endObject()
}

func decodeBackupArn(d *decoder, n *node) string {
	var arn string
	d.structure(n, func(name string, v *node) {
		if name == "BackupArn" {
			arn = d.str(v)
		}
	})
	d.required("backupArn", arn != "")
	return arn
}

func decodeDescribeBackup(d *decoder, n *node) *dynamo.DescribeBackupInput {
	return &dynamo.DescribeBackupInput{BackupArn: decodeBackupArn(d, n)}
}

func encodeDescribeBackup(w *writer, out *dynamo.DescribeBackupOutput) {
	w.backupDescription(out.BackupDescription)
}

func decodeDeleteBackup(d *decoder, n *node) *dynamo.DeleteBackupInput {
	return &dynamo.DeleteBackupInput{BackupArn: decodeBackupArn(d, n)}
}

func encodeDeleteBackup(w *writer, out *dynamo.DeleteBackupOutput) {
	w.backupDescription(out.BackupDescription)
}

func (w *writer) backupDescription(b *dynamo.BackupDescription) {
	if b == nil {
		return
	}
	w.key("BackupDescription")
	w.beginObject()
	if b.BackupDetails != nil {
		w.backupDetails(b.BackupDetails)
	}
	if s := b.SourceTableDetails; s != nil {
		w.key("SourceTableDetails")
		w.beginObject()
		w.stringField("BillingMode", string(s.BillingMode))
		w.intField("ItemCount", s.ItemCount)
		w.keySchema(s.KeySchema)
		w.key("ProvisionedThroughput")
		w.beginObject()
		w.intField("ReadCapacityUnits", s.ProvisionedThroughput.ReadCapacityUnits)
		w.intField("WriteCapacityUnits", s.ProvisionedThroughput.WriteCapacityUnits)
		w.endObject()
		w.stringField("TableArn", s.TableArn)
		w.timeField("TableCreationDateTime", s.TableCreationDateTime)
		w.stringField("TableId", s.TableId)
		w.stringField("TableName", s.TableName)
		w.intField("TableSizeBytes", s.TableSizeBytes)
		w.endObject()
	}
	if f := b.SourceTableFeatureDetails; f != nil {
		w.key("SourceTableFeatureDetails")
		w.beginObject()
		if f.GlobalSecondaryIndexes != nil {
			w.key("GlobalSecondaryIndexes")
			w.beginArray()
			for _, g := range f.GlobalSecondaryIndexes {
				w.beginObject()
				w.stringField("IndexName", g.IndexName)
				w.keySchema(g.KeySchema)
				w.projection(g.Projection)
				if tp := g.ProvisionedThroughput; tp != nil {
					w.key("ProvisionedThroughput")
					w.beginObject()
					w.intField("ReadCapacityUnits", tp.ReadCapacityUnits)
					w.intField("WriteCapacityUnits", tp.WriteCapacityUnits)
					w.endObject()
				}
				w.endObject()
			}
			w.endArray()
		}
		if f.LocalSecondaryIndexes != nil {
			w.key("LocalSecondaryIndexes")
			w.beginArray()
			for _, l := range f.LocalSecondaryIndexes {
				w.beginObject()
				w.stringField("IndexName", l.IndexName)
				w.keySchema(l.KeySchema)
				w.projection(l.Projection)
				w.endObject()
			}
			w.endArray()
		}
		if s := f.StreamDescription; s != nil {
			w.key("StreamDescription")
			w.beginObject()
			w.key("StreamEnabled")
			w.bool(s.StreamEnabled)
			w.stringField("StreamViewType", string(s.StreamViewType))
			w.endObject()
		}
		if t := f.TimeToLiveDescription; t != nil {
			w.key("TimeToLiveDescription")
			w.beginObject()
			w.stringField("AttributeName", t.AttributeName)
			w.stringField("TimeToLiveStatus", string(t.TimeToLiveStatus))
			w.endObject()
		}
		w.endObject()
	}
	w.endObject()
}

func decodeListBackups(d *decoder, n *node) *dynamo.ListBackupsInput {
	in := &dynamo.ListBackupsInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableName":
			in.TableName = d.str(v)
		case "Limit":
			l := d.integer(v, "Integer")
			d.atLeast("limit", l, 1)
			d.atMost("limit", l, 100)
			in.Limit = int(l)
		case "TimeRangeLowerBound":
			in.TimeRangeLowerBound = d.timestamp(v)
		case "TimeRangeUpperBound":
			in.TimeRangeUpperBound = d.timestamp(v)
		case "ExclusiveStartBackupArn":
			in.ExclusiveStartBackupArn = d.str(v)
		case "BackupType":
			in.BackupType = dynamo.BackupTypeFilter(d.str(v))
		}
	})
	return in
}

func encodeListBackups(w *writer, out *dynamo.ListBackupsOutput) {
	w.key("BackupSummaries")
	w.beginArray()
	for _, b := range out.BackupSummaries {
		w.beginObject()
		w.stringField("BackupArn", b.BackupArn)
		w.timeField("BackupCreationDateTime", b.BackupCreationDateTime)
		w.timeField("BackupExpiryDateTime", b.BackupExpiryDateTime)
		w.stringField("BackupName", b.BackupName)
		w.intField("BackupSizeBytes", b.BackupSizeBytes)
		w.stringField("BackupStatus", string(b.BackupStatus))
		w.stringField("BackupType", string(b.BackupType))
		w.stringField("TableArn", b.TableArn)
		w.stringField("TableId", b.TableId)
		w.stringField("TableName", b.TableName)
		w.endObject()
	}
	w.endArray()
	w.stringField("LastEvaluatedBackupArn", out.LastEvaluatedBackupArn)
}

func decodeRestoreTableFromBackup(d *decoder, n *node) *dynamo.RestoreTableFromBackupInput {
	in := &dynamo.RestoreTableFromBackupInput{}
	d.structure(n, func(name string, v *node) {
		if d.restoreOverrides(name, v, &in.BillingModeOverride, &in.ProvisionedThroughputOverride, &in.GlobalSecondaryIndexOverride, &in.LocalSecondaryIndexOverride) {
			return
		}
		switch name {
		case "TargetTableName":
			in.TargetTableName = d.str(v)
		case "BackupArn":
			in.BackupArn = d.str(v)
		case "SSESpecificationOverride", "OnDemandThroughputOverride":
			// Accepted and not modelled, as in CreateTable.
		}
	})
	d.required("targetTableName", in.TargetTableName != "")
	d.required("backupArn", in.BackupArn != "")
	return in
}

func encodeRestoreTableFromBackup(w *writer, out *dynamo.RestoreTableFromBackupOutput) {
	w.tableDescription("TableDescription", out.TableDescription)
}

// restoreSummary writes a restored table's RestoreSummary.
func (w *writer) restoreSummary(s *dynamo.RestoreSummary) {
	if s == nil {
		return
	}
	w.key("RestoreSummary")
	w.beginObject()
	w.timeField("RestoreDateTime", s.RestoreDateTime)
	w.key("RestoreInProgress")
	w.bool(s.RestoreInProgress)
	w.stringField("SourceBackupArn", s.SourceBackupArn)
	w.stringField("SourceTableArn", s.SourceTableArn)
	w.endObject()
}
