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

// Export and import: ExportTableToPointInTime, DescribeExport,
// ListExports, ImportTable, DescribeImport, ListImports.

func decodeExportTableToPointInTime(d *decoder, n *node) *dynamo.ExportTableToPointInTimeInput {
	in := &dynamo.ExportTableToPointInTimeInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableArn":
			in.TableArn = d.str(v)
		case "ExportTime":
			in.ExportTime = d.timestamp(v)
		case "ClientToken":
			in.ClientToken = d.str(v)
		case "S3Bucket":
			in.S3Bucket = d.str(v)
		case "S3BucketOwner":
			in.S3BucketOwner = d.str(v)
		case "S3Prefix":
			in.S3Prefix = d.str(v)
		case "S3SseAlgorithm":
			in.S3SseAlgorithm = d.str(v)
		case "S3SseKmsKeyId":
			in.S3SseKmsKeyId = d.str(v)
		case "ExportFormat":
			in.ExportFormat = dynamo.ExportFormat(d.str(v))
		case "ExportType":
			in.ExportType = dynamo.ExportType(d.str(v))
		case "IncrementalExportSpecification":
			spec := &dynamo.IncrementalExportSpecification{}
			d.structure(v, func(name string, v *node) {
				switch name {
				case "ExportFromTime":
					spec.ExportFromTime = d.timestamp(v)
				case "ExportToTime":
					spec.ExportToTime = d.timestamp(v)
				case "ExportViewType":
					spec.ExportViewType = dynamo.ExportViewType(d.str(v))
				}
			})
			in.IncrementalExportSpecification = spec
		}
	})
	d.required("tableArn", in.TableArn != "")
	d.required("s3Bucket", in.S3Bucket != "")
	return in
}

func encodeExportTableToPointInTime(w *writer, out *dynamo.ExportTableToPointInTimeOutput) {
	w.exportDescription(out.ExportDescription)
}

func (w *writer) exportDescription(e *dynamo.ExportDescription) {
	if e == nil {
		return
	}
	w.key("ExportDescription")
	w.beginObject()
	w.intField("BilledSizeBytes", e.BilledSizeBytes)
	w.stringField("ClientToken", e.ClientToken)
	w.timeField("EndTime", e.EndTime)
	w.stringField("ExportArn", e.ExportArn)
	w.stringField("ExportFormat", string(e.ExportFormat))
	w.stringField("ExportManifest", e.ExportManifest)
	w.stringField("ExportStatus", string(e.ExportStatus))
	w.timeField("ExportTime", e.ExportTime)
	w.stringField("ExportType", string(e.ExportType))
	w.stringField("FailureCode", e.FailureCode)
	w.stringField("FailureMessage", e.FailureMessage)
	if s := e.IncrementalExportSpecification; s != nil {
		w.key("IncrementalExportSpecification")
		w.beginObject()
		w.timeField("ExportFromTime", s.ExportFromTime)
		w.timeField("ExportToTime", s.ExportToTime)
		w.stringField("ExportViewType", string(s.ExportViewType))
		w.endObject()
	}
	w.intField("ItemCount", e.ItemCount)
	w.stringField("S3Bucket", e.S3Bucket)
	w.stringField("S3BucketOwner", e.S3BucketOwner)
	w.stringField("S3Prefix", e.S3Prefix)
	w.stringField("S3SseAlgorithm", e.S3SseAlgorithm)
	w.stringField("S3SseKmsKeyId", e.S3SseKmsKeyId)
	w.timeField("StartTime", e.StartTime)
	w.stringField("TableArn", e.TableArn)
	w.stringField("TableId", e.TableId)
	w.endObject()
}

func decodeDescribeExport(d *decoder, n *node) *dynamo.DescribeExportInput {
	in := &dynamo.DescribeExportInput{}
	d.structure(n, func(name string, v *node) {
		if name == "ExportArn" {
			in.ExportArn = d.str(v)
		}
	})
	d.required("exportArn", in.ExportArn != "")
	return in
}

func encodeDescribeExport(w *writer, out *dynamo.DescribeExportOutput) {
	w.exportDescription(out.ExportDescription)
}

func decodeListExports(d *decoder, n *node) *dynamo.ListExportsInput {
	in := &dynamo.ListExportsInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableArn":
			in.TableArn = d.str(v)
		case "MaxResults":
			m := d.integer(v, "Integer")
			d.atLeast("maxResults", m, 1)
			d.atMost("maxResults", m, 25)
			in.MaxResults = int(m)
		case "NextToken":
			in.NextToken = d.str(v)
		}
	})
	return in
}

func encodeListExports(w *writer, out *dynamo.ListExportsOutput) {
	w.key("ExportSummaries")
	w.beginArray()
	for _, e := range out.ExportSummaries {
		w.beginObject()
		w.stringField("ExportArn", e.ExportArn)
		w.stringField("ExportStatus", string(e.ExportStatus))
		w.stringField("ExportType", string(e.ExportType))
		w.endObject()
	}
	w.endArray()
	w.stringField("NextToken", out.NextToken)
}

func (d *decoder) s3BucketSource(v *node) *dynamo.S3BucketSource {
	s := &dynamo.S3BucketSource{}
	d.structure(v, func(name string, v *node) {
		switch name {
		case "S3Bucket":
			s.S3Bucket = d.str(v)
		case "S3BucketOwner":
			s.S3BucketOwner = d.str(v)
		case "S3KeyPrefix":
			s.S3KeyPrefix = d.str(v)
		}
	})
	d.required("s3BucketSource.s3Bucket", s.S3Bucket != "")
	return s
}

func decodeImportTable(d *decoder, n *node) *dynamo.ImportTableInput {
	in := &dynamo.ImportTableInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "ClientToken":
			in.ClientToken = d.str(v)
		case "S3BucketSource":
			in.S3BucketSource = d.s3BucketSource(v)
		case "InputFormat":
			in.InputFormat = dynamo.InputFormat(d.str(v))
		case "InputCompressionType":
			in.InputCompressionType = dynamo.InputCompressionType(d.str(v))
		case "InputFormatOptions":
			o := &dynamo.InputFormatOptions{}
			d.structure(v, func(name string, v *node) {
				if name == "Csv" {
					c := &dynamo.CsvOptions{}
					d.structure(v, func(name string, v *node) {
						switch name {
						case "Delimiter":
							c.Delimiter = d.str(v)
						case "HeaderList":
							c.HeaderList = d.strings(v)
						}
					})
					o.Csv = c
				}
			})
			in.InputFormatOptions = o
		case "TableCreationParameters":
			p := &dynamo.TableCreationParameters{}
			d.structure(v, func(name string, v *node) {
				switch name {
				case "TableName":
					p.TableName = d.str(v)
				case "AttributeDefinitions":
					p.AttributeDefinitions = d.attributeDefinitions(v, "tableCreationParameters.attributeDefinitions")
				case "KeySchema":
					p.KeySchema = d.keySchema(v, "tableCreationParameters.keySchema")
				case "BillingMode":
					p.BillingMode = dynamo.BillingMode(d.str(v))
				case "ProvisionedThroughput":
					p.ProvisionedThroughput = d.throughput(v, "tableCreationParameters.provisionedThroughput")
				case "GlobalSecondaryIndexes":
					p.GlobalSecondaryIndexes = []dynamo.GlobalSecondaryIndex{}
					d.list(v, func(i int, e *node) {
						p.GlobalSecondaryIndexes = append(p.GlobalSecondaryIndexes, d.globalIndex(e, pathAt("tableCreationParameters.globalSecondaryIndexes", i)))
					})
				}
			})
			d.required("tableCreationParameters.tableName", p.TableName != "")
			in.TableCreationParameters = p
		}
	})
	d.required("s3BucketSource", in.S3BucketSource != nil)
	d.required("inputFormat", in.InputFormat != "")
	d.required("tableCreationParameters", in.TableCreationParameters != nil)
	return in
}

func encodeImportTable(w *writer, out *dynamo.ImportTableOutput) {
	w.importDescription(out.ImportTableDescription)
}

func (w *writer) s3BucketSource(s *dynamo.S3BucketSource) {
	if s == nil {
		return
	}
	w.key("S3BucketSource")
	w.beginObject()
	w.stringField("S3Bucket", s.S3Bucket)
	w.stringField("S3BucketOwner", s.S3BucketOwner)
	w.stringField("S3KeyPrefix", s.S3KeyPrefix)
	w.endObject()
}

func (w *writer) importDescription(i *dynamo.ImportTableDescription) {
	if i == nil {
		return
	}
	w.key("ImportTableDescription")
	w.beginObject()
	w.stringField("ClientToken", i.ClientToken)
	w.stringField("CloudWatchLogGroupArn", i.CloudWatchLogGroupArn)
	w.timeField("EndTime", i.EndTime)
	w.intField("ErrorCount", i.ErrorCount)
	w.stringField("FailureCode", i.FailureCode)
	w.stringField("FailureMessage", i.FailureMessage)
	w.stringField("ImportArn", i.ImportArn)
	w.stringField("ImportStatus", string(i.ImportStatus))
	w.intField("ImportedItemCount", i.ImportedItemCount)
	w.stringField("InputCompressionType", string(i.InputCompressionType))
	w.stringField("InputFormat", string(i.InputFormat))
	if o := i.InputFormatOptions; o != nil && o.Csv != nil {
		w.key("InputFormatOptions")
		w.beginObject()
		w.key("Csv")
		w.beginObject()
		w.stringField("Delimiter", o.Csv.Delimiter)
		w.stringsField("HeaderList", o.Csv.HeaderList)
		w.endObject()
		w.endObject()
	}
	w.intField("ProcessedItemCount", i.ProcessedItemCount)
	w.intField("ProcessedSizeBytes", i.ProcessedSizeBytes)
	w.s3BucketSource(i.S3BucketSource)
	w.timeField("StartTime", i.StartTime)
	w.stringField("TableArn", i.TableArn)
	if p := i.TableCreationParameters; p != nil {
		w.key("TableCreationParameters")
		w.beginObject()
		w.key("AttributeDefinitions")
		w.beginArray()
		for _, a := range p.AttributeDefinitions {
			w.beginObject()
			w.stringField("AttributeName", a.AttributeName)
			w.stringField("AttributeType", string(a.AttributeType))
			w.endObject()
		}
		w.endArray()
		w.stringField("BillingMode", string(p.BillingMode))
		w.keySchema(p.KeySchema)
		w.stringField("TableName", p.TableName)
		w.endObject()
	}
	w.stringField("TableId", i.TableId)
	w.endObject()
}

func decodeDescribeImport(d *decoder, n *node) *dynamo.DescribeImportInput {
	in := &dynamo.DescribeImportInput{}
	d.structure(n, func(name string, v *node) {
		if name == "ImportArn" {
			in.ImportArn = d.str(v)
		}
	})
	d.required("importArn", in.ImportArn != "")
	return in
}

func encodeDescribeImport(w *writer, out *dynamo.DescribeImportOutput) {
	w.importDescription(out.ImportTableDescription)
}

func decodeListImports(d *decoder, n *node) *dynamo.ListImportsInput {
	in := &dynamo.ListImportsInput{}
	d.structure(n, func(name string, v *node) {
		switch name {
		case "TableArn":
			in.TableArn = d.str(v)
		case "PageSize":
			m := d.integer(v, "Integer")
			d.atLeast("pageSize", m, 1)
			d.atMost("pageSize", m, 25)
			in.PageSize = int(m)
		case "NextToken":
			in.NextToken = d.str(v)
		}
	})
	return in
}

func encodeListImports(w *writer, out *dynamo.ListImportsOutput) {
	w.key("ImportSummaryList")
	w.beginArray()
	for _, i := range out.ImportSummaryList {
		w.beginObject()
		w.stringField("CloudWatchLogGroupArn", i.CloudWatchLogGroupArn)
		w.timeField("EndTime", i.EndTime)
		w.stringField("ImportArn", i.ImportArn)
		w.stringField("ImportStatus", string(i.ImportStatus))
		w.stringField("InputFormat", string(i.InputFormat))
		w.s3BucketSource(i.S3BucketSource)
		w.timeField("StartTime", i.StartTime)
		w.stringField("TableArn", i.TableArn)
		w.endObject()
	}
	w.endArray()
	w.stringField("NextToken", out.NextToken)
}
