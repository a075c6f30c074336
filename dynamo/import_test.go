package dynamo

import (
	"bytes"
	"compress/gzip"
	"context"
	"github.com/klauspost/compress/zstd"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/minicloud/minicloud/clock"
)

func gzipped(s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	zw.Close()
	return b.Bytes()
}

func importParams(name string) *TableCreationParameters {
	return &TableCreationParameters{
		TableName:            name,
		AttributeDefinitions: []AttributeDefinition{{"pk", "S"}, {"sk", "N"}},
		KeySchema:            []KeySchemaElement{{"pk", KeyTypeHash}, {"sk", KeyTypeRange}},
		BillingMode:          BillingModePayPerRequest,
	}
}

func TestImportTable_RoundTripOfAnExportRebuildsAnEqualTable(t *testing.T) {
	for _, format := range []ExportFormat{ExportFormatDynamoDBJSON, ExportFormatIon} {
		t.Run(string(format), func(t *testing.T) { roundTrip(t, format) })
	}
}

func roundTrip(t *testing.T, format ExportFormat) {
	db, _, advance := exportDB(t)
	ctx := context.Background()
	for _, item := range []Item{
		{"pk": S("a"), "sk": N("1"), "g": S("x"), "l": L{N("1"), M{"m": BOOL(true)}}},
		{"pk": S("b"), "sk": N("2.5"), "ss": SS{"p", "q"}, "b": B{1, 2, 3}, "z": NULL{}},
		{"pk": S("c"), "sk": N("-3"), "ns": NS{"1", "2"}, "bs": BS{{9}}},
		{"pk": S("q'\"\\\n\x01é"), "sk": N("1E-130"), "true": S("null"), "$x": N("123456789012345678901234567890123456E+90"), "a b": M{"": S("")}},
	} {
		put(t, db, item)
	}
	want := scanAll(t, db, "orders")
	out, err := db.ExportTableToPointInTime(ctx, &ExportTableToPointInTimeInput{TableArn: ordersArn, S3Bucket: "lake", S3Prefix: "snap", ExportFormat: format})
	mustDo(t, err)
	advance(5 * time.Minute)
	id := out.ExportDescription.ExportArn[strings.LastIndex(out.ExportDescription.ExportArn, "/")+1:]
	imp, err := db.ImportTable(ctx, &ImportTableInput{
		S3BucketSource:          &S3BucketSource{S3Bucket: "lake", S3KeyPrefix: "snap/AWSDynamoDB/" + id + "/data/"},
		InputFormat:             InputFormat(format),
		InputCompressionType:    InputCompressionTypeGzip,
		TableCreationParameters: importParams("orders-copy"),
	})
	mustDo(t, err)
	if imp.ImportTableDescription.ImportStatus != ImportStatusInProgress || db.hasTable("orders-copy") {
		t.Fatalf("import finished at once: %+v", imp.ImportTableDescription)
	}
	advance(5 * time.Minute)
	d, err := db.DescribeImport(ctx, &DescribeImportInput{ImportArn: imp.ImportTableDescription.ImportArn})
	mustDo(t, err)
	if got := d.ImportTableDescription; got.ImportStatus != ImportStatusCompleted || got.ImportedItemCount != 4 || got.ErrorCount != 0 || got.ProcessedItemCount != 4 {
		t.Fatalf("import %+v", got)
	}
	if diff := cmp.Diff(want, scanAll(t, db, "orders-copy"), sortItems); diff != "" {
		t.Fatalf("imported table differs (-exported +imported):\n%s", diff)
	}
	list, err := db.ListImports(ctx, &ListImportsInput{})
	mustDo(t, err)
	if len(list.ImportSummaryList) != 1 || list.ImportSummaryList[0].ImportStatus != ImportStatusCompleted {
		t.Fatalf("ListImports %+v", list)
	}
}

func TestImportTable_SkipsBadLinesCountsAndLogsThem(t *testing.T) {
	store := NewMemoryStore("in")
	db, c := pitrDBWith(t, Options{Archive: ArchiveOptions{Store: store, Duration: time.Minute}})
	ctx := context.Background()
	mustDo(t, store.PutObject(ctx, "in", "json/part-1.json", []byte(`{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}
not json at all
{"Item":{"pk":{"S":"b"}}}
{"Item":{"pk":{"S":"c"},"sk":{"N":"3"},"n":{"N":"x"}}}
{"Item":{"pk":{"S":"d"},"sk":{"N":"4"}}}
`)))
	mustDo(t, store.PutObject(ctx, "in", "csv/a.csv", []byte("pk,sk,color\ne,5,red\nf,notanumber,blue\ng,7\nh,8,\n")))
	run := func(name string, format InputFormat, prefix string) *ImportTableDescription {
		out, err := db.ImportTable(ctx, &ImportTableInput{S3BucketSource: &S3BucketSource{S3Bucket: "in", S3KeyPrefix: prefix}, InputFormat: format, TableCreationParameters: importParams(name)})
		mustDo(t, err)
		c.Advance(time.Minute)
		d, err := db.DescribeImport(ctx, &DescribeImportInput{ImportArn: out.ImportTableDescription.ImportArn})
		mustDo(t, err)
		return d.ImportTableDescription
	}
	j := run("from-json", InputFormatDynamoDBJSON, "json/")
	if j.ImportStatus != ImportStatusCompleted || j.ErrorCount != 3 || j.ImportedItemCount != 2 || j.ProcessedItemCount != 5 {
		t.Fatalf("json import %+v", j)
	}
	log, err := db.ImportLog(j.ImportArn)
	mustDo(t, err)
	if len(log) != 3 || !strings.Contains(log[0], `"itemIndex":2`) || !strings.Contains(log[0], `"key":"json/part-1.json"`) {
		t.Fatalf("import log %q", log)
	}
	cv := run("from-csv", InputFormatCSV, "csv/")
	if cv.ErrorCount != 2 || cv.ImportedItemCount != 2 {
		t.Fatalf("csv import %+v", cv)
	}
	want := []Item{{"pk": S("e"), "sk": N("5"), "color": S("red")}, {"pk": S("h"), "sk": N("8")}}
	if diff := cmp.Diff(want, scanAll(t, db, "from-csv"), sortItems, cmpopts.EquateEmpty()); diff != "" {
		t.Fatal(diff)
	}
}

func TestImportTable_Errors(t *testing.T) {
	db, _, _ := exportDB(t)
	ctx := context.Background()
	src := &S3BucketSource{S3Bucket: "lake"}
	for _, tc := range []struct {
		name string
		in   ImportTableInput
		code string
	}{
		{"table exists", ImportTableInput{S3BucketSource: src, InputFormat: InputFormatCSV, TableCreationParameters: importParams("orders")}, "ResourceInUseException"},
		{"bad format", ImportTableInput{S3BucketSource: src, InputFormat: "XML", TableCreationParameters: importParams("new-table")}, "ValidationException"},
		{"no bucket", ImportTableInput{InputFormat: InputFormatCSV, TableCreationParameters: importParams("new-table")}, "ValidationException"},
		{"bad key schema", ImportTableInput{S3BucketSource: src, InputFormat: InputFormatCSV, TableCreationParameters: &TableCreationParameters{TableName: "new-table", BillingMode: BillingModePayPerRequest}}, "ValidationException"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := db.ImportTable(ctx, &tc.in)
			wantCode(t, err, tc.code, "")
		})
	}
}

// FuzzImportTable feeds arbitrary files to the importers: a bad file
// gives counted errors, never a panic, and every imported item is valid.
func FuzzImportTable(f *testing.F) {
	f.Add([]byte(`{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`+"\n"), uint8(0), false)
	f.Add([]byte(`{"Item":{"pk":{"S":"a"},"sk":{"N":"1e400"}}}`), uint8(0), true)
	f.Add([]byte("pk,sk\nx,1\ny,\"2\n"), uint8(1), false)
	f.Add([]byte("{\"Item\":{\"pk\":{\"L\":[]}}}\n{}\n[]"), uint8(0), false)
	f.Add([]byte("$ion_1_0 {Item:{pk:\"a\",sk:1.,s:$dynamodb_SS::[\"x\"],b:{{AQI=}},n:null.string,'q r':1d-3}}\n{Item:{pk:\"b\",sk:2}} // c\n{Item:{pk:[1,2],sk:1.}}"), uint8(2), false)
	f.Fuzz(func(t *testing.T, body []byte, formatNo uint8, gz bool) {
		store := NewMemoryStore("in")
		db := New(Options{Archive: ArchiveOptions{Store: store}, Clock: newManualAt()})
		defer db.Close()
		ctx := context.Background()
		comp := InputCompressionTypeNone
		if gz {
			body, comp = gzipped(string(body)), InputCompressionTypeGzip
		}
		mustDo(t, store.PutObject(ctx, "in", "f", body))
		format := []InputFormat{InputFormatDynamoDBJSON, InputFormatCSV, InputFormatIon}[formatNo%3]
		out, err := db.ImportTable(ctx, &ImportTableInput{S3BucketSource: &S3BucketSource{S3Bucket: "in"}, InputFormat: format, InputCompressionType: comp, TableCreationParameters: importParams("fuzzed")})
		mustDo(t, err)
		db.clock.(interface{ Advance(time.Duration) }).Advance(5 * time.Minute)
		d, err := db.DescribeImport(ctx, &DescribeImportInput{ImportArn: out.ImportTableDescription.ImportArn})
		mustDo(t, err)
		if d.ImportTableDescription.ImportStatus != ImportStatusCompleted {
			t.Fatalf("import %+v", d.ImportTableDescription)
		}
		log, _ := db.ImportLog(out.ImportTableDescription.ImportArn)
		if int64(len(log)) != d.ImportTableDescription.ErrorCount {
			t.Fatalf("%d log lines for %d errors", len(log), d.ImportTableDescription.ErrorCount)
		}
		for _, item := range scanAll(t, db, "fuzzed") {
			if _, err := cleanItem(item); err != nil {
				t.Fatalf("imported an invalid item %v: %v", item, err)
			}
		}
	})
}

func newManualAt() *clock.Manual { return clock.NewManual(testEpoch) }

func TestImportTable_ReadsZstd(t *testing.T) {
	store := NewMemoryStore("in")
	db, c := pitrDBWith(t, Options{Archive: ArchiveOptions{Store: store, Duration: time.Minute}})
	ctx := context.Background()
	enc, err := zstd.NewWriter(nil)
	mustDo(t, err)
	body := enc.EncodeAll([]byte(`{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}`+"\n"+`{"Item":{"pk":{"S":"b"},"sk":{"N":"2"},"v":{"SS":["x","y"]}}}`+"\n"), nil)
	mustDo(t, enc.Close())
	mustDo(t, store.PutObject(ctx, "in", "z/part.json.zst", body))
	mustDo(t, store.PutObject(ctx, "in", "bad/part.json.zst", []byte("not zstd at all")))
	run := func(name, prefix string) *ImportTableDescription {
		out, err := db.ImportTable(ctx, &ImportTableInput{S3BucketSource: &S3BucketSource{S3Bucket: "in", S3KeyPrefix: prefix},
			InputFormat: InputFormatDynamoDBJSON, InputCompressionType: InputCompressionTypeZstd, TableCreationParameters: importParams(name)})
		mustDo(t, err)
		c.Advance(time.Minute)
		d, err := db.DescribeImport(ctx, &DescribeImportInput{ImportArn: out.ImportTableDescription.ImportArn})
		mustDo(t, err)
		return d.ImportTableDescription
	}
	if d := run("from-zstd", "z/"); d.ImportStatus != ImportStatusCompleted || d.ImportedItemCount != 2 || d.ErrorCount != 0 {
		t.Fatalf("zstd import %+v", d)
	}
	want := []Item{{"pk": S("a"), "sk": N("1")}, {"pk": S("b"), "sk": N("2"), "v": SS{"x", "y"}}}
	if diff := cmp.Diff(want, scanAll(t, db, "from-zstd"), sortItems, cmpopts.EquateEmpty()); diff != "" {
		t.Fatal(diff)
	}
	if d := run("from-bad-zstd", "bad/"); d.ErrorCount == 0 || d.ImportedItemCount != 0 {
		t.Fatalf("a file that is not zstd: %+v", d)
	}
}
