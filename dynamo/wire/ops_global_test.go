package wire

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

func TestRegionRouter_ReplicaUpdatesAndReplicasOverTheWire(t *testing.T) {
	c := clock.NewManual(epoch)
	acct := dynamo.NewAccount(dynamo.AccountOptions{Clock: c})
	t.Cleanup(func() { acct.Close() })
	rr := NewRegionRouter(acct, Options{Clock: c})
	east, west := rr.Handler("us-east-1"), rr.Handler("eu-west-1")
	mustPost(t, east, "CreateTable", strings.Replace(createUsers, `"BillingMode"`, `"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},"BillingMode"`, 1))
	got := mustPost(t, east, "UpdateTable", `{"TableName":"users","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}`)
	desc := got["TableDescription"].(map[string]any)
	jsonEqual(t, "Replicas", map[string]any{"Replicas": desc["Replicas"], "GlobalTableVersion": desc["GlobalTableVersion"]},
		`{"GlobalTableVersion":"2019.11.21","Replicas":[{"RegionName":"eu-west-1","ReplicaStatus":"CREATING","ReplicaTableClassSummary":{"TableClass":"STANDARD"}}]}`)

	mustPost(t, west, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"from west"}}}`)
	if got := mustPost(t, east, "GetItem", `{"TableName":"users","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}`); got["Item"] != nil {
		t.Fatalf("replicated before the delay: %v", got)
	}
	c.Advance(time.Second)
	got = mustPost(t, east, "GetItem", `{"TableName":"users","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}`)
	jsonEqual(t, "replicated item", got, `{"Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"S":"from west"}}}`)

	got = mustPost(t, west, "DescribeTable", `{"TableName":"users"}`)
	table := got["Table"].(map[string]any)
	if table["TableArn"] != "arn:aws:dynamodb:eu-west-1:123456789012:table/users" {
		t.Errorf("replica ARN %v", table["TableArn"])
	}
	rec := post(east, "UpdateTable", `{"TableName":"users","ReplicaUpdates":[{"Update":{"RegionName":"eu-west-1"}}]}`)
	if rec.Code != 400 {
		t.Errorf("ReplicaUpdates Update: %d %s", rec.Code, rec.Body)
	}
}

func TestRegionRouter_RoutesByCredentialScope(t *testing.T) {
	acct := dynamo.NewAccount(dynamo.AccountOptions{Clock: clock.NewManual(epoch)})
	t.Cleanup(func() { acct.Close() })
	rr := NewRegionRouter(acct, Options{})
	send := func(auth string) {
		r := httptest.NewRequest("POST", "/", strings.NewReader(createUsers))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", TargetPrefix+"CreateTable")
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		w := httptest.NewRecorder()
		rr.ServeHTTP(w, r)
		if w.Code != 200 {
			t.Fatalf("CreateTable with %q: %d %s", auth, w.Code, w.Body)
		}
	}
	send("AWS4-HMAC-SHA256 Credential=AKID/20240501/ap-southeast-2/dynamodb/aws4_request, SignedHeaders=host, Signature=00")
	send("")
	if got := acct.Regions(); len(got) != 2 || got[0] != "ap-southeast-2" || got[1] != "us-east-1" {
		t.Fatalf("regions %v", got)
	}
}

func TestHandler_ExportAndImport(t *testing.T) {
	c := clock.NewManual(epoch)
	store := dynamo.NewMemoryStore("lake")
	db := dynamo.New(dynamo.Options{Clock: c, Archive: dynamo.ArchiveOptions{Store: store}})
	t.Cleanup(func() { db.Close() })
	h := NewHandler(db, Options{Clock: c})
	mustPost(t, h, "CreateTable", createUsers)
	mustPost(t, h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`)
	mustPost(t, h, "UpdateContinuousBackups", `{"TableName":"users","PointInTimeRecoverySpecification":{"PointInTimeRecoveryEnabled":true}}`)
	got := mustPost(t, h, "ExportTableToPointInTime", `{"TableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/users","S3Bucket":"lake","S3Prefix":"p"}`)
	arn := got["ExportDescription"].(map[string]any)["ExportArn"].(string)
	c.Advance(5 * time.Minute)
	got = mustPost(t, h, "DescribeExport", `{"ExportArn":"`+arn+`"}`)
	e := got["ExportDescription"].(map[string]any)
	if e["ExportStatus"] != "COMPLETED" || e["ItemCount"] != 1.0 {
		t.Fatalf("export %v", e)
	}
	id := arn[strings.LastIndex(arn, "/")+1:]
	got = mustPost(t, h, "ImportTable", `{"S3BucketSource":{"S3Bucket":"lake","S3KeyPrefix":"p/AWSDynamoDB/`+id+`/data/"},"InputFormat":"DYNAMODB_JSON","InputCompressionType":"GZIP",
		"TableCreationParameters":{"TableName":"users2","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}}`)
	imp := got["ImportTableDescription"].(map[string]any)["ImportArn"].(string)
	c.Advance(5 * time.Minute)
	got = mustPost(t, h, "DescribeImport", `{"ImportArn":"`+imp+`"}`)
	if d := got["ImportTableDescription"].(map[string]any); d["ImportStatus"] != "COMPLETED" || d["ImportedItemCount"] != 1.0 {
		t.Fatalf("import %v", d)
	}
	got = mustPost(t, h, "ListExports", `{}`)
	if len(got["ExportSummaries"].([]any)) != 1 {
		t.Fatalf("ListExports %v", got)
	}
	got = mustPost(t, h, "ListImports", `{}`)
	if len(got["ImportSummaryList"].([]any)) != 1 {
		t.Fatalf("ListImports %v", got)
	}
}
