package wire

import (
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

func TestHandler_BackupsAndPointInTimeRecovery(t *testing.T) {
	c := clock.NewManual(epoch)
	h := newTestHandler(t, Options{Clock: c})
	mustPost(t, h, "CreateTable", createUsers)
	mustPost(t, h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`)

	got := mustPost(t, h, "DescribeContinuousBackups", `{"TableName":"users"}`)
	jsonEqual(t, "DescribeContinuousBackups off", got, `{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}}`)
	mustPost(t, h, "UpdateContinuousBackups", `{"TableName":"users","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true,"RecoveryPeriodInDays":7}}`)
	c.Advance(time.Hour)
	got = mustPost(t, h, "DescribeContinuousBackups", `{"TableName":"users"}`)
	jsonEqual(t, "DescribeContinuousBackups on", got, `{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"ENABLED","PointInTimeRecoveryDescription":{
		"PointInTimeRecoveryStatus":"ENABLED","RecoveryPeriodInDays":7,"EarliestRestorableDateTime":1714564800,"LatestRestorableDateTime":1714568100}}}`)

	got = mustPost(t, h, "RestoreTableToPointInTime", `{"SourceTableName":"users","TargetTableName":"users-then","RestoreDateTime":1714566600.5}`)
	desc := got["TableDescription"].(map[string]any)
	jsonEqual(t, "RestoreSummary", desc["RestoreSummary"].(map[string]any), `{"RestoreDateTime":1714566600.5,"RestoreInProgress":true,"SourceTableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/users"}`)

	rec := post(h, "RestoreTableToPointInTime", `{"SourceTableName":"users","TargetTableName":"users-early","RestoreDateTime":1714564000}`)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "InvalidRestoreTimeException") {
		t.Fatalf("restore before the window: %d %s", rec.Code, rec.Body)
	}

	got = mustPost(t, h, "CreateBackup", `{"TableName":"users","BackupName":"first"}`)
	arn := got["BackupDetails"].(map[string]any)["BackupArn"].(string)
	got = mustPost(t, h, "DescribeBackup", `{"BackupArn":"`+arn+`"}`)
	src := got["BackupDescription"].(map[string]any)["SourceTableDetails"].(map[string]any)
	if src["TableName"] != "users" || src["ItemCount"] != 1.0 || src["BillingMode"] != "PAY_PER_REQUEST" {
		t.Errorf("SourceTableDetails %v", src)
	}
	got = mustPost(t, h, "ListBackups", `{"TableName":"users"}`)
	if list := got["BackupSummaries"].([]any); len(list) != 1 || list[0].(map[string]any)["BackupArn"] != arn {
		t.Errorf("ListBackups %v", got)
	}
	mustPost(t, h, "RestoreTableFromBackup", `{"TargetTableName":"users-copy","BackupArn":"`+arn+`"}`)
	got = mustPost(t, h, "DeleteBackup", `{"BackupArn":"`+arn+`"}`)
	if s := got["BackupDescription"].(map[string]any)["BackupDetails"].(map[string]any)["BackupStatus"]; s != "DELETED" {
		t.Errorf("DeleteBackup status %v", s)
	}
	rec = post(h, "DescribeBackup", `{"BackupArn":"`+arn+`"}`)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "BackupNotFoundException") {
		t.Fatalf("DescribeBackup after delete: %d %s", rec.Code, rec.Body)
	}
}

// FuzzBackupOperations sends arbitrary bodies to the backup, recovery,
// export, import and global table operations, over a table with recovery
// on: the answer is 200 or 400 with a JSON body, never a panic or a 500.
func FuzzBackupOperations(f *testing.F) {
	f.Add("RestoreTableToPointInTime", []byte(`{"SourceTableName":"users","TargetTableName":"u2","RestoreDateTime":1714564800.123}`))
	f.Add("RestoreTableToPointInTime", []byte(`{"SourceTableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/users","TargetTableName":"u2","UseLatestRestorableTime":true,"BillingModeOverride":"PROVISIONED","ProvisionedThroughputOverride":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`))
	f.Add("CreateBackup", []byte(`{"TableName":"users","BackupName":"b-1"}`))
	f.Add("ListBackups", []byte(`{"TimeRangeLowerBound":"2024-05-01T12:00:00Z","Limit":3,"BackupType":"ALL"}`))
	f.Add("UpdateContinuousBackups", []byte(`{"TableName":"users","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":false}}`))
	f.Add("ExportTableToPointInTime", []byte(`{"TableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/users","S3Bucket":"lake","ExportType":"INCREMENTAL_EXPORT","IncrementalExportSpecification":{"ExportFromTime":1714564800,"ExportToTime":1714568400}}`))
	f.Add("ImportTable", []byte(`{"S3BucketSource":{"S3Bucket":"lake"},"InputFormat":"CSV","InputFormatOptions":{"Csv":{"Delimiter":";","HeaderList":["pk","sk"]}},"TableCreationParameters":{"TableName":"t2","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}}`))
	f.Add("UpdateTable", []byte(`{"TableName":"users","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}`))
	f.Fuzz(func(t *testing.T, op string, body []byte) {
		c := clock.NewManual(epoch)
		db := dynamo.New(dynamo.Options{Clock: c, Archive: dynamo.ArchiveOptions{Store: dynamo.NewMemoryStore("lake")}})
		defer db.Close()
		h := NewHandler(db, Options{Logger: discardLogger})
		for _, setup := range [][2]string{
			{"CreateTable", createUsers},
			{"PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"}}}`},
			{"UpdateContinuousBackups", `{"TableName":"users","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}`},
		} {
			if rec := post(h, setup[0], setup[1]); rec.Code != 200 {
				t.Fatalf("setup %s: %s", setup[0], rec.Body)
			}
		}
		c.Advance(time.Hour)
		rec := post(h, op, string(body))
		if rec.Code != 200 && rec.Code != 400 {
			t.Fatalf("%s %q: status %d %s", op, body, rec.Code, rec.Body)
		}
		c.Advance(time.Hour) // runs any export or import
		if !strings.HasPrefix(rec.Body.String(), "{") {
			t.Fatalf("%s %q: response %q", op, body, rec.Body)
		}
	})
}
