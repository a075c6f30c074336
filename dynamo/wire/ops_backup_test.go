package wire

import (
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
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
