package dynamo

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// exportDB is pitrDB with a MemoryStore holding bucket "lake".
func exportDB(t testing.TB) (*DB, *MemoryStore, func(time.Duration)) {
	t.Helper()
	store := NewMemoryStore("lake")
	db, c := pitrDBWith(t, Options{Archive: ArchiveOptions{Store: store}})
	return db, store, c.Advance
}

const ordersArn = "arn:aws:dynamodb:us-east-1:123456789012:table/orders"

func gunzip(t testing.TB, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	mustDo(t, err)
	out, err := io.ReadAll(zr)
	mustDo(t, err)
	return string(out)
}

func TestExportTableToPointInTime_WritesDynamoDBLayoutOnTheClock(t *testing.T) {
	db, store, advance := exportDB(t)
	ctx := context.Background()
	put(t, db, Item{"pk": S("a"), "sk": N("1"), "g": S("x")})
	put(t, db, Item{"pk": S("b"), "sk": N("2"), "n": N("1.50")})
	advance(time.Minute)
	out, err := db.ExportTableToPointInTime(ctx, &ExportTableToPointInTimeInput{TableArn: ordersArn, S3Bucket: "lake", S3Prefix: "exports"})
	mustDo(t, err)
	d := out.ExportDescription
	if d.ExportStatus != ExportStatusInProgress || !strings.HasPrefix(d.ExportArn, ordersArn+"/export/") {
		t.Fatalf("description %+v", d)
	}
	put(t, db, Item{"pk": S("c"), "sk": N("3")}) // after the export time: not exported
	if keys, _ := store.ListObjects(ctx, "lake", ""); len(keys) != 0 {
		t.Fatalf("files written before the export ran: %v", keys)
	}
	advance(5 * time.Minute)
	got, err := db.DescribeExport(ctx, &DescribeExportInput{ExportArn: d.ExportArn})
	mustDo(t, err)
	if got.ExportDescription.ExportStatus != ExportStatusCompleted || got.ExportDescription.ItemCount != 2 {
		t.Fatalf("after 5 minutes: %+v", got.ExportDescription)
	}
	id := d.ExportArn[strings.LastIndex(d.ExportArn, "/")+1:]
	root := "exports/AWSDynamoDB/" + id + "/"
	keys, err := store.ListObjects(ctx, "lake", root)
	mustDo(t, err)
	var names []string
	for _, k := range keys {
		names = append(names, strings.TrimPrefix(k, root))
	}
	if len(names) != 6 || names[0] != "_started" || !strings.HasPrefix(names[1], "data/") || !strings.HasSuffix(names[1], ".json.gz") ||
		names[2] != "manifest-files.checksum" || names[3] != "manifest-files.json" || names[4] != "manifest-summary.checksum" || names[5] != "manifest-summary.json" {
		t.Fatalf("layout %v", names)
	}
	data, err := store.GetObject(ctx, "lake", keys[1])
	mustDo(t, err)
	lines := strings.Split(strings.TrimSpace(gunzip(t, data)), "\n")
	want := []string{`{"Item":{"g":{"S":"x"},"pk":{"S":"a"},"sk":{"N":"1"}}}`, `{"Item":{"n":{"N":"1.5"},"pk":{"S":"b"},"sk":{"N":"2"}}}`}
	if diff := cmp.Diff(want, sortedLines(lines)); diff != "" {
		t.Fatal(diff)
	}
	var summary map[string]any
	body, _ := store.GetObject(ctx, "lake", root+"manifest-summary.json")
	mustDo(t, json.Unmarshal(body, &summary))
	if summary["version"] != "2020-06-30" || summary["itemCount"] != 2.0 || summary["manifestFilesS3Key"] != root+"manifest-files.json" || summary["exportType"] != "FULL_EXPORT" || summary["outputFormat"] != "DYNAMODB_JSON" {
		t.Fatalf("manifest-summary %v", summary)
	}
	var files map[string]any
	body, _ = store.GetObject(ctx, "lake", root+"manifest-files.json")
	mustDo(t, json.Unmarshal(body, &files))
	if files["dataFileS3Key"] != keys[1] || files["itemCount"] != 2.0 {
		t.Fatalf("manifest-files %v", files)
	}
	list, err := db.ListExports(ctx, &ListExportsInput{TableArn: ordersArn})
	mustDo(t, err)
	if len(list.ExportSummaries) != 1 || list.ExportSummaries[0].ExportStatus != ExportStatusCompleted {
		t.Fatalf("ListExports %+v", list)
	}
}

func sortedLines(lines []string) []string {
	out := append([]string(nil), lines...)
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestExportTableToPointInTime_Incremental(t *testing.T) {
	db, store, advance := exportDB(t)
	ctx := context.Background()
	put(t, db, Item{"pk": S("keep"), "sk": N("1")})
	put(t, db, Item{"pk": S("gone"), "sk": N("1")})
	advance(time.Minute)
	from := testEpoch.Add(time.Minute)
	put(t, db, Item{"pk": S("keep"), "sk": N("1"), "v": N("1")})
	advance(time.Minute)
	put(t, db, Item{"pk": S("keep"), "sk": N("1"), "v": N("2")})
	_, err := db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: Item{"pk": S("gone"), "sk": N("1")}})
	mustDo(t, err)
	advance(30 * time.Minute)
	out, err := db.ExportTableToPointInTime(ctx, &ExportTableToPointInTimeInput{TableArn: ordersArn, S3Bucket: "lake", ExportType: ExportTypeIncremental,
		IncrementalExportSpecification: &IncrementalExportSpecification{ExportFromTime: from, ExportToTime: from.Add(20 * time.Minute)}})
	mustDo(t, err)
	advance(5 * time.Minute)
	id := out.ExportDescription.ExportArn[strings.LastIndex(out.ExportDescription.ExportArn, "/")+1:]
	keys, err := store.ListObjects(ctx, "lake", "AWSDynamoDB/"+id+"/data/")
	mustDo(t, err)
	data, err := store.GetObject(ctx, "lake", keys[0])
	mustDo(t, err)
	micros := testEpoch.Add(2 * time.Minute).UnixMicro()
	want := fmt.Sprintf(`{"Metadata":{"WriteTimestampMicros":{"N":"%d"}},"Keys":{"pk":{"S":"keep"},"sk":{"N":"1"}},"NewImage":{"pk":{"S":"keep"},"sk":{"N":"1"},"v":{"N":"2"}},"OldImage":{"pk":{"S":"keep"},"sk":{"N":"1"}}}
{"Metadata":{"WriteTimestampMicros":{"N":"%d"}},"Keys":{"pk":{"S":"gone"},"sk":{"N":"1"}},"OldImage":{"pk":{"S":"gone"},"sk":{"N":"1"}}}
`, micros, micros)
	if diff := cmp.Diff(want, gunzip(t, data)); diff != "" {
		t.Fatal(diff)
	}
}

func TestExportTableToPointInTime_Errors(t *testing.T) {
	db, _, advance := exportDB(t)
	compositeTable(t, db, func(in *CreateTableInput) { in.TableName = "plain" })
	advance(time.Hour)
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		in   ExportTableToPointInTimeInput
		code string
	}{
		{"pitr off", ExportTableToPointInTimeInput{TableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/plain", S3Bucket: "lake"}, "PointInTimeRecoveryUnavailableException"},
		{"before window", ExportTableToPointInTimeInput{TableArn: ordersArn, S3Bucket: "lake", ExportTime: testEpoch.Add(-time.Hour)}, "InvalidExportTimeException"},
		{"no table", ExportTableToPointInTimeInput{TableArn: "arn:aws:dynamodb:us-east-1:123456789012:table/none", S3Bucket: "lake"}, "TableNotFoundException"},
		{"short period", ExportTableToPointInTimeInput{TableArn: ordersArn, S3Bucket: "lake", ExportType: ExportTypeIncremental,
			IncrementalExportSpecification: &IncrementalExportSpecification{ExportFromTime: testEpoch, ExportToTime: testEpoch.Add(time.Minute)}}, "ValidationException"},
		{"bad format", ExportTableToPointInTimeInput{TableArn: ordersArn, S3Bucket: "lake", ExportFormat: "CSV"}, "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.ExportTableToPointInTime(ctx, &tc.in)
			wantCode(t, err, tc.code, "")
		})
	}
	out, err := db.ExportTableToPointInTime(ctx, &ExportTableToPointInTimeInput{TableArn: ordersArn, S3Bucket: "missing-bucket"})
	mustDo(t, err)
	advance(5 * time.Minute)
	got, err := db.DescribeExport(ctx, &DescribeExportInput{ExportArn: out.ExportDescription.ExportArn})
	mustDo(t, err)
	if got.ExportDescription.ExportStatus != ExportStatusFailed || got.ExportDescription.FailureCode == "" {
		t.Fatalf("export to a missing bucket: %+v", got.ExportDescription)
	}
}
