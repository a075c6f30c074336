package sdktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/minicloud/minicloud/dynamo"
)

// The SDK enables point-in-time recovery, reads the window, restores an
// earlier second and takes, lists, restores and deletes an on-demand
// backup, with AWS's typed errors on the way.
func TestSDK_PointInTimeRecoveryAndBackups(t *testing.T) {
	env := startStreams(t, dynamo.Options{LiveTableStats: true})
	ctx := context.Background()
	c := env.ddb
	_, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("notes"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	noErr(t, err)
	putNote := func(id, text string) {
		t.Helper()
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("notes"), Item: map[string]types.AttributeValue{
			"id": &types.AttributeValueMemberS{Value: id}, "text": &types.AttributeValueMemberS{Value: text},
		}})
		noErr(t, err)
	}
	text := func(table, id string) string {
		t.Helper()
		out, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String(table), Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: id}}})
		noErr(t, err)
		if out.Item == nil {
			return "<none>"
		}
		return out.Item["text"].(*types.AttributeValueMemberS).Value
	}

	_, err = c.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{SourceTableName: aws.String("notes"), TargetTableName: aws.String("notes-old"), UseLatestRestorableTime: aws.Bool(true)})
	var unavailable *types.PointInTimeRecoveryUnavailableException
	if !errors.As(err, &unavailable) {
		t.Fatalf("restore with recovery off: %v", err)
	}
	upd, err := c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{
		TableName:                        aws.String("notes"),
		PointInTimeRecoverySpecification: &types.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true), RecoveryPeriodInDays: aws.Int32(10)},
	})
	noErr(t, err)
	if p := upd.ContinuousBackupsDescription.PointInTimeRecoveryDescription; p.PointInTimeRecoveryStatus != types.PointInTimeRecoveryStatusEnabled || aws.ToInt32(p.RecoveryPeriodInDays) != 10 {
		t.Fatalf("UpdateContinuousBackups %+v", p)
	}
	putNote("n1", "draft")
	env.clock.Advance(time.Hour)
	then := env.clock.Now()
	env.clock.Advance(time.Second)
	putNote("n1", "final")
	env.clock.Advance(time.Hour)

	desc, err := c.DescribeContinuousBackups(ctx, &dynamodb.DescribeContinuousBackupsInput{TableName: aws.String("notes")})
	noErr(t, err)
	p := desc.ContinuousBackupsDescription.PointInTimeRecoveryDescription
	if !p.EarliestRestorableDateTime.Equal(streamsStart) || !p.LatestRestorableDateTime.Equal(env.clock.Now().Add(-5*time.Minute)) {
		t.Fatalf("window %v .. %v", p.EarliestRestorableDateTime, p.LatestRestorableDateTime)
	}
	_, err = c.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{SourceTableName: aws.String("notes"), TargetTableName: aws.String("notes-old"), RestoreDateTime: aws.Time(streamsStart.Add(-time.Minute))})
	var badTime *types.InvalidRestoreTimeException
	if !errors.As(err, &badTime) {
		t.Fatalf("restore before the window: %v", err)
	}
	res, err := c.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{SourceTableName: aws.String("notes"), TargetTableName: aws.String("notes-old"), RestoreDateTime: aws.Time(then)})
	noErr(t, err)
	if rs := res.TableDescription.RestoreSummary; rs == nil || !aws.ToBool(rs.RestoreInProgress) || !rs.RestoreDateTime.Equal(then) {
		t.Fatalf("RestoreSummary %+v", rs)
	}
	if got := text("notes-old", "n1"); got != "draft" {
		t.Fatalf("restored note = %q, want draft", got)
	}
	_, err = c.RestoreTableToPointInTime(ctx, &dynamodb.RestoreTableToPointInTimeInput{SourceTableName: aws.String("notes"), TargetTableName: aws.String("notes-old"), UseLatestRestorableTime: aws.Bool(true)})
	var exists *types.TableAlreadyExistsException
	if !errors.As(err, &exists) {
		t.Fatalf("restore onto an existing table: %v", err)
	}

	bk, err := c.CreateBackup(ctx, &dynamodb.CreateBackupInput{TableName: aws.String("notes"), BackupName: aws.String("before-cleanup")})
	noErr(t, err)
	arn := bk.BackupDetails.BackupArn
	putNote("n1", "changed after the backup")
	list, err := c.ListBackups(ctx, &dynamodb.ListBackupsInput{TableName: aws.String("notes")})
	noErr(t, err)
	if len(list.BackupSummaries) != 1 || aws.ToString(list.BackupSummaries[0].BackupArn) != aws.ToString(arn) || list.BackupSummaries[0].BackupStatus != types.BackupStatusAvailable {
		t.Fatalf("ListBackups %+v", list.BackupSummaries)
	}
	db, err := c.DescribeBackup(ctx, &dynamodb.DescribeBackupInput{BackupArn: arn})
	noErr(t, err)
	if d := db.BackupDescription; aws.ToInt64(d.SourceTableDetails.ItemCount) != 1 || aws.ToString(d.BackupDetails.BackupName) != "before-cleanup" {
		t.Fatalf("DescribeBackup %+v", d.BackupDetails)
	}
	_, err = c.RestoreTableFromBackup(ctx, &dynamodb.RestoreTableFromBackupInput{TargetTableName: aws.String("notes-backup"), BackupArn: arn})
	noErr(t, err)
	if got := text("notes-backup", "n1"); got != "final" {
		t.Fatalf("note restored from the backup = %q, want final", got)
	}
	_, err = c.DeleteBackup(ctx, &dynamodb.DeleteBackupInput{BackupArn: arn})
	noErr(t, err)
	_, err = c.DescribeBackup(ctx, &dynamodb.DescribeBackupInput{BackupArn: arn})
	var notFound *types.BackupNotFoundException
	if !errors.As(err, &notFound) {
		t.Fatalf("DescribeBackup of a deleted backup: %v", err)
	}
}

// The SDK exports a table to an object store bucket, reads the export's
// progress on the clock, and imports the files back into a new table.
func TestSDK_ExportAndImport(t *testing.T) {
	store := dynamo.NewMemoryStore("lake")
	env := startStreams(t, dynamo.Options{Archive: dynamo.ArchiveOptions{Store: store}})
	ctx := context.Background()
	c := env.ddb
	out, err := c.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("notes"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	noErr(t, err)
	for _, id := range []string{"a", "b", "c"} {
		_, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("notes"), Item: map[string]types.AttributeValue{
			"id": &types.AttributeValueMemberS{Value: id}, "tags": &types.AttributeValueMemberSS{Value: []string{"x", id}},
		}})
		noErr(t, err)
	}
	exportIn := &dynamodb.ExportTableToPointInTimeInput{TableArn: out.TableDescription.TableArn, S3Bucket: aws.String("lake"), S3Prefix: aws.String("nightly"), ExportFormat: types.ExportFormatIon}
	_, err = c.ExportTableToPointInTime(ctx, exportIn)
	var unavailable *types.PointInTimeRecoveryUnavailableException
	if !errors.As(err, &unavailable) {
		t.Fatalf("export with recovery off: %v", err)
	}
	_, err = c.UpdateContinuousBackups(ctx, &dynamodb.UpdateContinuousBackupsInput{TableName: aws.String("notes"),
		PointInTimeRecoverySpecification: &types.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: aws.Bool(true)}})
	noErr(t, err)
	exp, err := c.ExportTableToPointInTime(ctx, exportIn)
	noErr(t, err)
	if exp.ExportDescription.ExportStatus != types.ExportStatusInProgress {
		t.Fatalf("export status %s", exp.ExportDescription.ExportStatus)
	}
	env.clock.Advance(5 * time.Minute)
	d, err := c.DescribeExport(ctx, &dynamodb.DescribeExportInput{ExportArn: exp.ExportDescription.ExportArn})
	noErr(t, err)
	e := d.ExportDescription
	if e.ExportStatus != types.ExportStatusCompleted || aws.ToInt64(e.ItemCount) != 3 || e.ExportFormat != types.ExportFormatIon || e.EndTime == nil {
		t.Fatalf("export %+v", e)
	}
	manifest := aws.ToString(e.ExportManifest)
	dataPrefix := manifest[:len(manifest)-len("manifest-summary.json")] + "data/"

	imp, err := c.ImportTable(ctx, &dynamodb.ImportTableInput{
		S3BucketSource:       &types.S3BucketSource{S3Bucket: aws.String("lake"), S3KeyPrefix: aws.String(dataPrefix)},
		InputFormat:          types.InputFormatIon,
		InputCompressionType: types.InputCompressionTypeGzip,
		TableCreationParameters: &types.TableCreationParameters{
			TableName:            aws.String("notes-copy"),
			AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
			KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
			BillingMode:          types.BillingModePayPerRequest,
		},
	})
	noErr(t, err)
	env.clock.Advance(5 * time.Minute)
	di, err := c.DescribeImport(ctx, &dynamodb.DescribeImportInput{ImportArn: imp.ImportTableDescription.ImportArn})
	noErr(t, err)
	if i := di.ImportTableDescription; i.ImportStatus != types.ImportStatusCompleted || i.ImportedItemCount != 3 || i.ErrorCount != 0 {
		t.Fatalf("import %+v", i)
	}
	got, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("notes-copy"), Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "b"}}})
	noErr(t, err)
	if ss, ok := got.Item["tags"].(*types.AttributeValueMemberSS); !ok || len(ss.Value) != 2 {
		t.Fatalf("imported item %v", got.Item)
	}
	list, err := c.ListExports(ctx, &dynamodb.ListExportsInput{})
	noErr(t, err)
	imps, err := c.ListImports(ctx, &dynamodb.ListImportsInput{})
	noErr(t, err)
	if len(list.ExportSummaries) != 1 || len(imps.ImportSummaryList) != 1 {
		t.Fatalf("ListExports %d, ListImports %d", len(list.ExportSummaries), len(imps.ImportSummaryList))
	}
}

// noErr fails the test at once on an error.
func noErr(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
