package dynamo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"github.com/klauspost/compress/zstd"
	"io"
	"strconv"
	"strings"
	"time"
)

// InputFormat is the format of imported files: "DYNAMODB_JSON", "ION" or
// "CSV".
type InputFormat string

// Input formats.
const (
	InputFormatDynamoDBJSON InputFormat = "DYNAMODB_JSON"
	InputFormatIon          InputFormat = "ION"
	InputFormatCSV          InputFormat = "CSV"
)

// InputCompressionType is how imported files are compressed: "NONE",
// "GZIP" or "ZSTD".
type InputCompressionType string

// Input compression types.
const (
	InputCompressionTypeNone InputCompressionType = "NONE"
	InputCompressionTypeGzip InputCompressionType = "GZIP"
	InputCompressionTypeZstd InputCompressionType = "ZSTD"
)

// ImportStatus is the state of an import.
type ImportStatus string

// Import statuses.
const (
	ImportStatusInProgress ImportStatus = "IN_PROGRESS"
	ImportStatusCompleted  ImportStatus = "COMPLETED"
	ImportStatusCancelling ImportStatus = "CANCELLING"
	ImportStatusCancelled  ImportStatus = "CANCELLED"
	ImportStatusFailed     ImportStatus = "FAILED"
)

// S3BucketSource names the objects an import reads: every object of
// S3Bucket whose key starts with S3KeyPrefix.
type S3BucketSource struct {
	S3Bucket      string
	S3BucketOwner string
	S3KeyPrefix   string
}

// CsvOptions describes CSV input: its Delimiter (one character, ','
// by default) and HeaderList, the column names when the files have no
// header line (otherwise each file's first line names them).
type CsvOptions struct {
	Delimiter  string
	HeaderList []string
}

// InputFormatOptions holds the options of the input format.
type InputFormatOptions struct {
	Csv *CsvOptions
}

// TableCreationParameters is the table an import creates.
type TableCreationParameters struct {
	TableName              string
	AttributeDefinitions   []AttributeDefinition
	KeySchema              []KeySchemaElement
	BillingMode            BillingMode
	ProvisionedThroughput  *ProvisionedThroughput
	GlobalSecondaryIndexes []GlobalSecondaryIndex
}

// ImportTableInput is the request of ImportTable.
type ImportTableInput struct {
	ClientToken             string
	S3BucketSource          *S3BucketSource
	InputFormat             InputFormat
	InputFormatOptions      *InputFormatOptions
	InputCompressionType    InputCompressionType
	TableCreationParameters *TableCreationParameters
}

// ImportTableDescription describes an import.
type ImportTableDescription struct {
	ImportArn               string
	ImportStatus            ImportStatus
	TableArn                string
	TableId                 string
	ClientToken             string
	S3BucketSource          *S3BucketSource
	ErrorCount              int64
	CloudWatchLogGroupArn   string
	InputFormat             InputFormat
	InputFormatOptions      *InputFormatOptions
	InputCompressionType    InputCompressionType
	TableCreationParameters *TableCreationParameters
	StartTime               time.Time
	EndTime                 time.Time
	ProcessedSizeBytes      int64
	ProcessedItemCount      int64
	ImportedItemCount       int64
	FailureCode             string
	FailureMessage          string
}

// ImportTableOutput is the response of ImportTable.
type ImportTableOutput struct {
	ImportTableDescription *ImportTableDescription
}

// DescribeImportInput is the request of DescribeImport.
type DescribeImportInput struct {
	ImportArn string
}

// DescribeImportOutput is the response of DescribeImport.
type DescribeImportOutput struct {
	ImportTableDescription *ImportTableDescription
}

// ListImportsInput is the request of ListImports.
type ListImportsInput struct {
	// TableArn lists only the imports into this table.
	TableArn string
	// PageSize is 1 to 25; zero means 25.
	PageSize  int
	NextToken string
}

// ImportSummary is one entry of ListImports.
type ImportSummary struct {
	ImportArn             string
	ImportStatus          ImportStatus
	TableArn              string
	S3BucketSource        *S3BucketSource
	CloudWatchLogGroupArn string
	InputFormat           InputFormat
	StartTime             time.Time
	EndTime               time.Time
}

// ListImportsOutput is the response of ListImports, oldest first.
type ListImportsOutput struct {
	ImportSummaryList []ImportSummary
	NextToken         string
}

// importJob is one import and its log.
type importJob struct {
	desc ImportTableDescription
	spec CreateTableInput
	log  []string
}

// ImportTable creates a new table from the objects under an object store
// prefix: DYNAMODB_JSON lines ({"Item":{...}}), ION text lines
// ({Item:{...}}, as ExportTableToPointInTime writes them) or CSV (key
// attributes typed by their definitions, other columns as strings),
// uncompressed, GZIP or ZSTD. The import is IN_PROGRESS for ArchiveOptions.Duration of clock
// time, then reads the files, creates the table and is COMPLETED. A line
// that cannot be read or is not a valid item is skipped, counted in
// ErrorCount and described in the import's log ([DB.ImportLog]); the rest
// goes on. It consumes no write capacity. The table must not exist
// (ResourceInUseException), then or when the import runs.
func (db *DB) ImportTable(ctx context.Context, in *ImportTableInput) (*ImportTableOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ImportTableInput{}
	}
	if in.S3BucketSource == nil || in.S3BucketSource.S3Bucket == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 's3BucketSource.s3Bucket' failed to satisfy constraint: Member must not be null")
	}
	if in.TableCreationParameters == nil {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'tableCreationParameters' failed to satisfy constraint: Member must not be null")
	}
	switch in.InputFormat {
	case InputFormatDynamoDBJSON, InputFormatCSV, InputFormatIon:
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'inputFormat' failed to satisfy constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION, CSV]", in.InputFormat)
	}
	comp := in.InputCompressionType
	switch comp {
	case "":
		comp = InputCompressionTypeNone
	case InputCompressionTypeNone, InputCompressionTypeGzip, InputCompressionTypeZstd:
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'inputCompressionType' failed to satisfy constraint: Member must satisfy enum value set: [GZIP, ZSTD, NONE]", comp)
	}
	if o := in.InputFormatOptions; o != nil && o.Csv != nil {
		if in.InputFormat != InputFormatCSV {
			return nil, ErrValidation.New("InputFormatOptions.Csv is only allowed with InputFormat CSV")
		}
		if d := o.Csv.Delimiter; d != "" && len([]rune(d)) != 1 {
			return nil, ErrValidation.Newf("The CSV delimiter must be one character: %q", d)
		}
	}
	p := in.TableCreationParameters
	spec := CreateTableInput{
		TableName: p.TableName, AttributeDefinitions: p.AttributeDefinitions, KeySchema: p.KeySchema,
		BillingMode: p.BillingMode, ProvisionedThroughput: p.ProvisionedThroughput, GlobalSecondaryIndexes: p.GlobalSecondaryIndexes,
	}
	if _, err := db.newTable(&spec); err != nil {
		return nil, err
	}
	if db.hasTable(p.TableName) {
		return nil, ErrResourceInUse.Newf("Table already exists: %s", p.TableName)
	}
	now := db.clock.Now()
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	for _, j := range db.archive.imports {
		if in.ClientToken != "" && j.desc.ClientToken == in.ClientToken {
			if j.spec.TableName != p.TableName || *j.desc.S3BucketSource != *in.S3BucketSource {
				return nil, ErrImportConflict.Newf("ClientToken %s was used with other parameters", in.ClientToken)
			}
			d := j.desc
			return &ImportTableOutput{ImportTableDescription: &d}, nil
		}
		if j.desc.ImportStatus == ImportStatusInProgress && j.spec.TableName == p.TableName {
			return nil, ErrResourceInUse.Newf("Table is being imported: %s", p.TableName)
		}
	}
	arn := fmt.Sprintf("arn:aws:dynamodb:%s:%s:table/%s", db.opts.Region, db.opts.AccountID, p.TableName)
	src := *in.S3BucketSource
	j := &importJob{spec: spec, desc: ImportTableDescription{
		ImportArn:    arn + "/import/" + db.archiveID(now, "import"),
		ImportStatus: ImportStatusInProgress, TableArn: arn, ClientToken: in.ClientToken,
		S3BucketSource: &src, InputFormat: in.InputFormat, InputFormatOptions: in.InputFormatOptions,
		InputCompressionType:    comp,
		CloudWatchLogGroupArn:   fmt.Sprintf("arn:aws:logs:%s:%s:log-group:/aws-dynamodb/imports:*", db.opts.Region, db.opts.AccountID),
		TableCreationParameters: p, StartTime: now,
	}}
	db.archive.imports = append(db.archive.imports, j)
	db.clock.AfterFunc(db.opts.Archive.duration(), func() { db.runImport(j) })
	d := j.desc
	return &ImportTableOutput{ImportTableDescription: &d}, nil
}

// runImport reads the import's objects, builds the table and completes
// the import. It runs on the clock.
func (db *DB) runImport(j *importJob) {
	if !db.bg.enter() {
		return
	}
	defer db.bg.exit()
	db.archive.mu.Lock()
	store := db.archiveStore()
	desc := j.desc
	db.archive.mu.Unlock()

	fail := func(code, msg string) {
		db.archive.mu.Lock()
		defer db.archive.mu.Unlock()
		j.desc.ImportStatus, j.desc.FailureCode, j.desc.FailureMessage = ImportStatusFailed, code, msg
		j.desc.EndTime = db.clock.Now()
	}
	ctx := context.Background()
	src := desc.S3BucketSource
	keys, err := store.ListObjects(ctx, src.S3Bucket, src.S3KeyPrefix)
	if err != nil {
		fail("S3NoSuchBucket", err.Error())
		return
	}
	spec := j.spec
	t, err := db.newTable(&spec)
	if err != nil {
		fail("ValidationError", err.Error())
		return
	}
	r := &importRun{t: t, job: j, format: desc.InputFormat, comp: desc.InputCompressionType, bucket: src.S3Bucket}
	if o := desc.InputFormatOptions; o != nil {
		r.csv = o.Csv
	}
	for _, key := range keys {
		body, err := store.GetObject(ctx, src.S3Bucket, key)
		if err != nil {
			r.fileError(key, err)
			continue
		}
		r.file(key, body)
	}
	if err := db.addTable(t); err != nil {
		fail("ResourceInUse", err.Error())
		return
	}
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	j.desc.ImportStatus = ImportStatusCompleted
	j.desc.TableId = t.id
	j.desc.EndTime = db.clock.Now()
	j.desc.ErrorCount, j.desc.ProcessedItemCount, j.desc.ImportedItemCount, j.desc.ProcessedSizeBytes = r.errors, r.processed, int64(t.items.Len()), r.bytes
	j.log = append(j.log, r.log...)
}

// importRun is the state of one import while it reads its files.
type importRun struct {
	t                        *table
	job                      *importJob
	format                   InputFormat
	comp                     InputCompressionType
	csv                      *CsvOptions
	bucket                   string
	errors, processed, bytes int64
	log                      []string
}

// logError records a skipped line in the import log, as a JSON line
// naming the object, the line and what was wrong.
func (r *importRun) logError(key string, line int, msg string) {
	r.errors++
	b, _ := json.Marshal(map[string]any{
		"importArn":     r.job.desc.ImportArn,
		"itemS3Pointer": map[string]any{"bucket": r.bucket, "key": key, "itemIndex": line},
		"errorMessages": []string{msg},
	})
	r.log = append(r.log, string(b))
}

func (r *importRun) fileError(key string, err error) {
	r.logError(key, 0, "Unable to read the object: "+err.Error())
}

// maxImportLine bounds one line of input: an item of 400 KB in DynamoDB
// JSON with room for its syntax.
const maxImportLine = 4 << 20

// file imports one object.
func (r *importRun) file(key string, body []byte) {
	r.bytes += int64(len(body))
	var rd io.Reader = bytes.NewReader(body)
	switch r.comp {
	case InputCompressionTypeGzip:
		zr, err := gzip.NewReader(rd)
		if err != nil {
			r.fileError(key, err)
			return
		}
		rd = zr
	case InputCompressionTypeZstd:
		zr, err := zstd.NewReader(rd, zstd.WithDecoderConcurrency(1), zstd.WithDecoderMaxMemory(1<<30))
		if err != nil {
			r.fileError(key, err)
			return
		}
		defer zr.Close()
		rd = zr
	}
	if r.format == InputFormatCSV {
		r.csvFile(key, rd)
		return
	}
	sc := bufio.NewScanner(rd)
	sc.Buffer(make([]byte, 64<<10), maxImportLine)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSpace(sc.Bytes())
		if len(text) == 0 {
			continue
		}
		r.processed++
		if r.format == InputFormatIon {
			item, err := decodeIonLine(string(text))
			if err != nil {
				r.logError(key, line, err.Error())
				continue
			}
			r.put(key, line, item)
			continue
		}
		var wrapper struct {
			Item json.RawMessage
		}
		if err := json.Unmarshal(text, &wrapper); err != nil || wrapper.Item == nil {
			r.logError(key, line, "Unexpected token or missing Item: the line is not an object {\"Item\":{...}} in DynamoDB JSON")
			continue
		}
		item, err := decodeItemJSON(wrapper.Item, 1)
		if err != nil {
			r.logError(key, line, "Invalid DynamoDB JSON item: "+err.Error())
			continue
		}
		r.put(key, line, item)
	}
	if err := sc.Err(); err != nil {
		r.logError(key, line+1, "Unable to read the object: "+err.Error())
	}
}

// csvFile imports one CSV object.
func (r *importRun) csvFile(key string, rd io.Reader) {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = false
	if r.csv != nil && r.csv.Delimiter != "" {
		cr.Comma = []rune(r.csv.Delimiter)[0]
	}
	var header []string
	if r.csv != nil {
		header = r.csv.HeaderList
	}
	types := map[string]ScalarAttributeType{}
	for _, d := range r.t.attrDefs {
		types[d.AttributeName] = d.AttributeType
	}
	line := 0
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return
		}
		line++
		if err != nil {
			r.processed++
			r.logError(key, line, "Malformed CSV line: "+err.Error())
			if _, ok := err.(*csv.ParseError); ok {
				continue
			}
			return
		}
		if header == nil {
			header = rec
			continue
		}
		r.processed++
		if len(rec) != len(header) {
			r.logError(key, line, fmt.Sprintf("The line has %d columns, the header %d", len(rec), len(header)))
			continue
		}
		item := Item{}
		bad := ""
		for i, name := range header {
			v := rec[i]
			switch types[name] {
			case ScalarAttributeTypeN:
				n, err := parseNumber(v)
				if err != nil {
					bad = fmt.Sprintf("The value of %s is not a number: %q", name, v)
				}
				item[name] = n
			case ScalarAttributeTypeB:
				bad = fmt.Sprintf("Binary key attribute %s cannot be imported from CSV", name)
			default:
				if v == "" && types[name] == "" {
					continue // an empty non-key column is no attribute
				}
				item[name] = S(v)
			}
		}
		if bad != "" {
			r.logError(key, line, bad)
			continue
		}
		r.put(key, line, item)
	}
}

// put validates an item against the new table and stores it.
func (r *importRun) put(key string, line int, item Item) {
	item, err := cleanItem(item)
	if err != nil {
		r.logError(key, line, err.Error())
		return
	}
	rec, err := r.t.newRecord(item, "Item size has exceeded the maximum allowed size")
	if err != nil {
		r.logError(key, line, err.Error())
		return
	}
	old, _ := r.t.items.Get(rec)
	r.t.store(old, rec)
}

// parseNumber reads a CSV number into DynamoDB's canonical form.
func parseNumber(s string) (N, error) {
	c, err := canonicalNumber(strings.TrimSpace(s))
	return N(c), err
}

// ImportLog returns the import's log: one JSON line per skipped line,
// naming the object and line and saying what was wrong, as DynamoDB
// writes them to CloudWatch Logs.
func (db *DB) ImportLog(importArn string) ([]string, error) {
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	for _, j := range db.archive.imports {
		if j.desc.ImportArn == importArn {
			return append([]string(nil), j.log...), nil
		}
	}
	return nil, ErrImportNotFound.Newf("Import not found: %s", importArn)
}

// DescribeImport describes an import.
func (db *DB) DescribeImport(ctx context.Context, in *DescribeImportInput) (*DescribeImportOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || in.ImportArn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'importArn' failed to satisfy constraint: Member must not be null")
	}
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	for _, j := range db.archive.imports {
		if j.desc.ImportArn == in.ImportArn {
			d := j.desc
			return &DescribeImportOutput{ImportTableDescription: &d}, nil
		}
	}
	return nil, ErrImportNotFound.Newf("Import not found: %s", in.ImportArn)
}

// ListImports lists imports oldest first, 25 to a page by default.
func (db *DB) ListImports(ctx context.Context, in *ListImportsInput) (*ListImportsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ListImportsInput{}
	}
	start, limit, err := archivePage("pageSize", in.PageSize, in.NextToken)
	if err != nil {
		return nil, err
	}
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	out := &ListImportsOutput{}
	for i := start; i < len(db.archive.imports); i++ {
		d := db.archive.imports[i].desc
		if in.TableArn != "" && d.TableArn != in.TableArn {
			continue
		}
		if len(out.ImportSummaryList) == limit {
			out.NextToken = strconv.Itoa(i)
			break
		}
		out.ImportSummaryList = append(out.ImportSummaryList, ImportSummary{
			ImportArn: d.ImportArn, ImportStatus: d.ImportStatus, TableArn: d.TableArn, S3BucketSource: d.S3BucketSource,
			CloudWatchLogGroupArn: d.CloudWatchLogGroupArn, InputFormat: d.InputFormat, StartTime: d.StartTime, EndTime: d.EndTime,
		})
	}
	return out, nil
}
