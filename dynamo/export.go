package dynamo

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ArchiveOptions configures exports to and imports from an object store.
type ArchiveOptions struct {
	// Store is the S3 that exports write to and imports read from. Nil
	// means a MemoryStore of its own, with no buckets, reachable with
	// [DB.ObjectStore].
	Store ObjectStore
	// Duration is how long an export or import stays IN_PROGRESS on the
	// clock before it runs and completes. Zero means 5 minutes; real
	// exports and imports take minutes at least.
	Duration time.Duration
}

func (o ArchiveOptions) duration() time.Duration {
	if o.Duration <= 0 {
		return 5 * time.Minute
	}
	return o.Duration
}

// ExportFormat is the format of exported data: "DYNAMODB_JSON" or "ION".
type ExportFormat string

// Export formats.
const (
	ExportFormatDynamoDBJSON ExportFormat = "DYNAMODB_JSON"
	ExportFormatIon          ExportFormat = "ION"
)

// ExportType is "FULL_EXPORT" (the table at one moment) or
// "INCREMENTAL_EXPORT" (the changes of a period).
type ExportType string

// Export types.
const (
	ExportTypeFull        ExportType = "FULL_EXPORT"
	ExportTypeIncremental ExportType = "INCREMENTAL_EXPORT"
)

// ExportStatus is "IN_PROGRESS", "COMPLETED" or "FAILED".
type ExportStatus string

// Export statuses.
const (
	ExportStatusInProgress ExportStatus = "IN_PROGRESS"
	ExportStatusCompleted  ExportStatus = "COMPLETED"
	ExportStatusFailed     ExportStatus = "FAILED"
)

// ExportViewType says what an incremental export writes for each changed
// item: "NEW_IMAGE" or "NEW_AND_OLD_IMAGES" (the default).
type ExportViewType string

// Export view types.
const (
	ExportViewTypeNewImage        ExportViewType = "NEW_IMAGE"
	ExportViewTypeNewAndOldImages ExportViewType = "NEW_AND_OLD_IMAGES"
)

// IncrementalExportSpecification is the period of an incremental export:
// the changes from ExportFromTime (inclusive) to ExportToTime
// (exclusive), 15 minutes to 24
// hours apart, inside the point-in-time recovery window.
type IncrementalExportSpecification struct {
	ExportFromTime time.Time
	ExportToTime   time.Time
	ExportViewType ExportViewType
}

// ExportTableToPointInTimeInput is the request of
// ExportTableToPointInTime.
type ExportTableToPointInTimeInput struct {
	TableArn string
	// ExportTime is the moment a full export copies; zero means now.
	ExportTime     time.Time
	ClientToken    string
	S3Bucket       string
	S3BucketOwner  string
	S3Prefix       string
	S3SseAlgorithm string
	S3SseKmsKeyId  string
	// ExportFormat defaults to DYNAMODB_JSON; ExportType to FULL_EXPORT.
	ExportFormat                   ExportFormat
	ExportType                     ExportType
	IncrementalExportSpecification *IncrementalExportSpecification
}

// ExportDescription describes an export.
type ExportDescription struct {
	ExportArn                      string
	ExportStatus                   ExportStatus
	ExportFormat                   ExportFormat
	ExportType                     ExportType
	ExportTime                     time.Time
	StartTime                      time.Time
	EndTime                        time.Time
	ExportManifest                 string
	TableArn                       string
	TableId                        string
	ClientToken                    string
	S3Bucket                       string
	S3BucketOwner                  string
	S3Prefix                       string
	S3SseAlgorithm                 string
	S3SseKmsKeyId                  string
	ItemCount                      int64
	BilledSizeBytes                int64
	FailureCode                    string
	FailureMessage                 string
	IncrementalExportSpecification *IncrementalExportSpecification
}

// ExportTableToPointInTimeOutput is the response of
// ExportTableToPointInTime.
type ExportTableToPointInTimeOutput struct {
	ExportDescription *ExportDescription
}

// DescribeExportInput is the request of DescribeExport.
type DescribeExportInput struct {
	ExportArn string
}

// DescribeExportOutput is the response of DescribeExport.
type DescribeExportOutput struct {
	ExportDescription *ExportDescription
}

// ListExportsInput is the request of ListExports.
type ListExportsInput struct {
	// TableArn lists only the exports of this table.
	TableArn string
	// MaxResults is the page size, 1 to 25; zero means 25.
	MaxResults int
	NextToken  string
}

// ExportSummary is one entry of ListExports.
type ExportSummary struct {
	ExportArn    string
	ExportStatus ExportStatus
	ExportType   ExportType
}

// ListExportsOutput is the response of ListExports, oldest first.
type ListExportsOutput struct {
	ExportSummaries []ExportSummary
	NextToken       string
}

// archiveState holds a DB's exports and imports.
type archiveState struct {
	mu      sync.Mutex
	store   ObjectStore
	exports []*export
	imports []*importJob
	seq     uint64
}

// export is one export: its description, and what it will write.
type export struct {
	desc    ExportDescription
	img     *tableImage // a full export's items
	changes []change    // an incremental export's changes
	key     schema
}

// ObjectStore returns the store exports write to and imports read from.
func (db *DB) ObjectStore() ObjectStore {
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	return db.archiveStore()
}

// archiveStore returns the store. The caller holds db.archive.mu.
func (db *DB) archiveStore() ObjectStore {
	if db.archive.store == nil {
		db.archive.store = db.opts.Archive.Store
		if db.archive.store == nil {
			db.archive.store = NewMemoryStore()
		}
	}
	return db.archive.store
}

// archiveID returns a new export or import ID as DynamoDB shapes them:
// the clock's milliseconds in 14 digits and 8 hex digits derived from a sequence number, so that a run on a
// manual clock repeats. The caller holds db.archive.mu.
func (db *DB) archiveID(now time.Time, what string) string {
	db.archive.seq++
	h := fnv.New32a()
	fmt.Fprintf(h, "%s|%s|%d", db.opts.Region, what, db.archive.seq)
	return fmt.Sprintf("%014d-%08x", now.UnixMilli(), h.Sum32())
}

// ExportTableToPointInTime exports a table to an object store bucket in
// DynamoDB's layout: under S3Prefix/AWSDynamoDB/<export-id>/ a _started
// marker, data/<file>.json.gz (gzipped DynamoDB JSON lines),
// manifest-files.json and manifest-summary.json with their .checksum
// files (the MD5 of the manifest in hex).
// A FULL_EXPORT copies the table at ExportTime; an INCREMENTAL_EXPORT the
// changes of its period. Point-in-time recovery must be on and the times
// inside its window. The export is IN_PROGRESS for
// ArchiveOptions.Duration of clock time, then written and COMPLETED (or
// FAILED when the bucket is missing). It consumes no read capacity.
func (db *DB) ExportTableToPointInTime(ctx context.Context, in *ExportTableToPointInTimeInput) (*ExportTableToPointInTimeOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ExportTableToPointInTimeInput{}
	}
	if in.TableArn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'tableArn' failed to satisfy constraint: Member must not be null")
	}
	if in.S3Bucket == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 's3Bucket' failed to satisfy constraint: Member must not be null")
	}
	format := in.ExportFormat
	switch format {
	case "":
		format = ExportFormatDynamoDBJSON
	case ExportFormatDynamoDBJSON, ExportFormatIon:
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'exportFormat' failed to satisfy constraint: Member must satisfy enum value set: [DYNAMODB_JSON, ION]", format)
	}
	typ := in.ExportType
	switch typ {
	case "":
		typ = ExportTypeFull
	case ExportTypeFull, ExportTypeIncremental:
	default:
		return nil, ErrValidation.Newf("1 validation error detected: Value '%s' at 'exportType' failed to satisfy constraint: Member must satisfy enum value set: [FULL_EXPORT, INCREMENTAL_EXPORT]", typ)
	}
	if in.ClientToken != "" {
		if e := db.exportByToken(in.ClientToken); e != nil {
			if e.desc.TableArn != in.TableArn || e.desc.S3Bucket != in.S3Bucket || e.desc.S3Prefix != in.S3Prefix || e.desc.ExportType != typ {
				return nil, ErrExportConflict.Newf("There was a conflict when writing to the specified S3 bucket: ClientToken %s was used with other parameters", in.ClientToken)
			}
			d := e.desc
			return &ExportTableToPointInTimeOutput{ExportDescription: &d}, nil
		}
	}
	t, err := db.backupTable(in.TableArn)
	if err != nil {
		return nil, err
	}
	now := db.clock.Now()
	e := &export{key: t.key, desc: ExportDescription{
		ExportStatus: ExportStatusInProgress, ExportFormat: format, ExportType: typ,
		StartTime: now, TableArn: t.arn, TableId: t.id, ClientToken: in.ClientToken,
		S3Bucket: in.S3Bucket, S3BucketOwner: in.S3BucketOwner, S3Prefix: in.S3Prefix,
		S3SseAlgorithm: in.S3SseAlgorithm, S3SseKmsKeyId: in.S3SseKmsKeyId,
	}}
	if e.desc.S3SseAlgorithm == "" {
		e.desc.S3SseAlgorithm = "AES256"
	}
	if err := t.exportData(e, in, now); err != nil {
		return nil, err
	}
	db.archive.mu.Lock()
	id := db.archiveID(now, "export")
	e.desc.ExportArn = t.arn + "/export/" + id
	e.desc.ExportManifest = exportRoot(in.S3Prefix, id) + "manifest-summary.json"
	db.archive.exports = append(db.archive.exports, e)
	db.archive.mu.Unlock()
	db.clock.AfterFunc(db.opts.Archive.duration(), func() { db.finishExport(e, id) })
	d := e.desc
	return &ExportTableToPointInTimeOutput{ExportDescription: &d}, nil
}

// exportData freezes what an export will write, checking its times
// against the point-in-time recovery window.
func (t *table) exportData(e *export, in *ExportTableToPointInTimeInput, now time.Time) error {
	t.mu.Lock() // itemsAt clones the base B-tree: see liveImage
	defer t.mu.Unlock()
	if t.status == TableStatusDeleting {
		return ErrTableNotFound.Newf("Table not found: %s", t.name)
	}
	if !t.pitr.enabled {
		return ErrPointInTimeRecoveryUnavailable.Newf("Point in time recovery is not enabled for table '%s'", t.name)
	}
	earliest, _ := t.pitr.window(now)
	inWindow := func(at time.Time) bool { return !at.Before(earliest) && !at.After(now) }
	if e.desc.ExportType == ExportTypeFull {
		if in.IncrementalExportSpecification != nil {
			return ErrValidation.New("IncrementalExportSpecification is only allowed with ExportType INCREMENTAL_EXPORT")
		}
		at := in.ExportTime
		if at.IsZero() {
			at = now
		}
		if !inWindow(at) {
			return ErrInvalidExportTime.Newf("Export time %s is outside the point in time recovery window %s to %s",
				at.UTC().Format(time.RFC3339), earliest.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
		e.desc.ExportTime = at
		e.img = t.image(t.pitr.itemsAt(at))
		return nil
	}
	spec := in.IncrementalExportSpecification
	if spec == nil || spec.ExportFromTime.IsZero() || spec.ExportToTime.IsZero() {
		return ErrValidation.New("IncrementalExportSpecification with ExportFromTime and ExportToTime is required for an INCREMENTAL_EXPORT")
	}
	if !in.ExportTime.IsZero() {
		return ErrValidation.New("ExportTime is not allowed with ExportType INCREMENTAL_EXPORT")
	}
	view := spec.ExportViewType
	switch view {
	case "":
		view = ExportViewTypeNewAndOldImages
	case ExportViewTypeNewImage, ExportViewTypeNewAndOldImages:
	default:
		return ErrValidation.Newf("1 validation error detected: Value '%s' at 'incrementalExportSpecification.exportViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, NEW_AND_OLD_IMAGES]", view)
	}
	span := spec.ExportToTime.Sub(spec.ExportFromTime)
	if span < 15*time.Minute || span > 24*time.Hour {
		return ErrValidation.New("The incremental export period must be between 15 minutes and 24 hours long")
	}
	if !inWindow(spec.ExportFromTime) || !inWindow(spec.ExportToTime) {
		return ErrInvalidExportTime.New("The incremental export period must lie inside the point in time recovery window")
	}
	e.desc.IncrementalExportSpecification = &IncrementalExportSpecification{ExportFromTime: spec.ExportFromTime, ExportToTime: spec.ExportToTime, ExportViewType: view}
	e.desc.ExportTime = spec.ExportToTime
	for _, c := range t.pitr.log {
		// ExportFromTime is inclusive, ExportToTime exclusive.
		if at := c.time(); !at.Before(spec.ExportFromTime) && at.Before(spec.ExportToTime) {
			e.changes = append(e.changes, c)
		}
	}
	return nil
}

// exportRoot is the folder of an export: S3Prefix/AWSDynamoDB/<id>/.
func exportRoot(prefix, id string) string {
	if prefix != "" && !strings.HasSuffix(prefix, "/") {
		prefix += "/"
	}
	return prefix + "AWSDynamoDB/" + id + "/"
}

func (db *DB) exportByToken(token string) *export {
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	for _, e := range db.archive.exports {
		if e.desc.ClientToken == token {
			return e
		}
	}
	return nil
}

// finishExport writes an export's files and completes it. It runs on
// the clock.
func (db *DB) finishExport(e *export, id string) {
	if !db.bg.enter() {
		return
	}
	defer db.bg.exit()
	db.archive.mu.Lock()
	store := db.archiveStore()
	desc := e.desc
	db.archive.mu.Unlock()

	lines, count := e.lines()
	ctx := context.Background()
	root := exportRoot(desc.S3Prefix, id)
	now := db.clock.Now()
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(lines)
	zw.Close()
	ext := ".json.gz"
	if desc.ExportFormat == ExportFormatIon {
		ext = ".ion.gz"
	}
	dataKey := root + "data/" + exportFileName(id) + ext
	sum := md5.Sum(gz.Bytes())
	manifestFiles := fmt.Sprintf(`{"itemCount":%d,"md5Checksum":"%s","etag":"%s","dataFileS3Key":"%s"}`+"\n",
		count, base64.StdEncoding.EncodeToString(sum[:]), hex.EncodeToString(sum[:]), dataKey)
	summary := e.manifestSummary(root, now, count, int64(len(lines)))
	err := firstErr(
		store.PutObject(ctx, desc.S3Bucket, root+"_started", nil),
		store.PutObject(ctx, desc.S3Bucket, dataKey, gz.Bytes()),
		store.PutObject(ctx, desc.S3Bucket, root+"manifest-files.json", []byte(manifestFiles)),
		store.PutObject(ctx, desc.S3Bucket, root+"manifest-files.checksum", md5Hex(manifestFiles)),
		store.PutObject(ctx, desc.S3Bucket, root+"manifest-summary.json", []byte(summary)),
		store.PutObject(ctx, desc.S3Bucket, root+"manifest-summary.checksum", md5Hex(summary)),
	)
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	e.desc.EndTime = now
	e.img, e.changes = nil, nil
	if err != nil {
		e.desc.ExportStatus = ExportStatusFailed
		e.desc.FailureCode = "S3NoSuchBucket"
		e.desc.FailureMessage = err.Error()
		return
	}
	e.desc.ExportStatus = ExportStatusCompleted
	e.desc.ItemCount = count
	e.desc.BilledSizeBytes = int64(len(lines))
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func md5Hex(s string) []byte {
	sum := md5.Sum([]byte(s))
	return []byte(hex.EncodeToString(sum[:]))
}

// exportFileName is the data file's name: 26 lowercase base-32
// characters derived from the export ID, as DynamoDB's names look.
func exportFileName(id string) string {
	sum := md5.Sum([]byte(id))
	return strings.ToLower(base32NoPad(sum[:]))[:26]
}

func base32NoPad(b []byte) string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz234567"
	var sb strings.Builder
	var acc, bits uint
	for _, c := range b {
		acc = acc<<8 | uint(c)
		bits += 8
		for bits >= 5 {
			bits -= 5
			sb.WriteByte(alphabet[(acc>>bits)&31])
		}
	}
	if bits > 0 {
		sb.WriteByte(alphabet[(acc<<(5-bits))&31])
	}
	return sb.String()
}

// lines renders the export's data: one object per line, {"Item":{...}}
// for a full export and {"Metadata":...,"Keys":...,"NewImage":...,
// "OldImage":...} per changed item for an incremental one, in DynamoDB
// JSON or in Ion text (each line then starting with $ion_1_0).
func (e *export) lines() ([]byte, int64) {
	var b []byte
	var n int64
	ion := e.desc.ExportFormat == ExportFormatIon
	field := func(name string, item Item) {
		if ion {
			b = append(b, name...)
			b = append(b, ':')
			b = appendItemIon(b, item)
			return
		}
		b = append(b, '"')
		b = append(b, name...)
		b = append(b, `":`...)
		b = appendItemJSON(b, item)
	}
	if e.img != nil {
		e.img.items.Ascend(func(r *record) bool {
			if ion {
				b = append(b, ionVersionMarker+" "...)
			}
			b = append(b, '{')
			field("Item", r.item)
			b = append(b, "}\n"...)
			n++
			return true
		})
		return b, n
	}
	// The first change of a key in the period gives its old image, the
	// last its new image and write time.
	type span struct {
		first, last change
	}
	var order []string
	spans := map[string]*span{}
	for _, c := range e.changes {
		if s := spans[c.key()]; s != nil {
			s.last = c
			continue
		}
		spans[c.key()] = &span{first: c, last: c}
		order = append(order, c.key())
	}
	view := e.desc.IncrementalExportSpecification.ExportViewType
	for _, k := range order {
		s := spans[k]
		old, cur := s.first.old, s.last.rec
		if old == nil && cur == nil {
			continue
		}
		item := firstItem(recItem(cur), recItem(old))
		if ion {
			b = append(b, ionVersionMarker+" "...)
		}
		b = append(b, '{')
		field("Metadata", Item{"WriteTimestampMicros": N(strconv.FormatInt(s.last.at/1000, 10))})
		b = append(b, ',')
		field("Keys", e.key.keyOf(item))
		if cur != nil {
			b = append(b, ',')
			field("NewImage", cur.item)
		}
		if old != nil && view == ExportViewTypeNewAndOldImages {
			b = append(b, ',')
			field("OldImage", old.item)
		}
		b = append(b, "}\n"...)
		n++
	}
	return b, n
}

func recItem(r *record) Item {
	if r == nil {
		return nil
	}
	return r.item
}

// manifestSummary renders manifest-summary.json.
func (e *export) manifestSummary(root string, end time.Time, count, size int64) string {
	d := e.desc
	ts := func(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }
	var b strings.Builder
	version := "2020-06-30"
	if d.ExportType == ExportTypeIncremental {
		version = "2023-08-01"
	}
	fmt.Fprintf(&b, `{"version":%q,"exportArn":%q,"startTime":%q,"endTime":%q,"tableArn":%q,"tableId":%q,`,
		version, d.ExportArn, ts(d.StartTime), ts(end), d.TableArn, d.TableId)
	if s := d.IncrementalExportSpecification; s != nil {
		fmt.Fprintf(&b, `"exportFromTime":%q,"exportToTime":%q,"exportViewType":%q,`, ts(s.ExportFromTime), ts(s.ExportToTime), s.ExportViewType)
	} else {
		fmt.Fprintf(&b, `"exportTime":%q,`, ts(d.ExportTime))
	}
	fmt.Fprintf(&b, `"s3Bucket":%q,"s3Prefix":%s,"s3SseAlgorithm":%q,"s3SseKmsKeyId":null,"manifestFilesS3Key":%q,"billedSizeBytes":%d,"itemCount":%d,"outputFormat":%q,"outputView":null,"exportType":%q}`,
		d.S3Bucket, jsonOrNull(d.S3Prefix), d.S3SseAlgorithm, root+"manifest-files.json", size, count, d.ExportFormat, d.ExportType)
	return b.String()
}

// archivePage reads the page size (1 to 25, default 25) and the
// NextToken of ListExports and ListImports: the index to start at.
func archivePage(field string, size int, token string) (start, limit int, err error) {
	limit = size
	if limit == 0 {
		limit = 25
	}
	if limit < 1 || limit > 25 {
		return 0, 0, ErrValidation.Newf("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to 25", size, field)
	}
	if token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < 0 {
			return 0, 0, ErrValidation.New("Invalid NextToken")
		}
		start = n
	}
	return start, limit, nil
}

func jsonOrNull(s string) string {
	if s == "" {
		return "null"
	}
	return strconv.Quote(s)
}

// DescribeExport describes an export.
func (db *DB) DescribeExport(ctx context.Context, in *DescribeExportInput) (*DescribeExportOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || in.ExportArn == "" {
		return nil, ErrValidation.New("1 validation error detected: Value null at 'exportArn' failed to satisfy constraint: Member must not be null")
	}
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	for _, e := range db.archive.exports {
		if e.desc.ExportArn == in.ExportArn {
			d := e.desc
			return &DescribeExportOutput{ExportDescription: &d}, nil
		}
	}
	return nil, ErrExportNotFound.Newf("Export not found: %s", in.ExportArn)
}

// ListExports lists exports oldest first, 25 to a page by default.
func (db *DB) ListExports(ctx context.Context, in *ListExportsInput) (*ListExportsOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		in = &ListExportsInput{}
	}
	start, limit, err := archivePage("maxResults", in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	db.archive.mu.Lock()
	defer db.archive.mu.Unlock()
	out := &ListExportsOutput{}
	for i := start; i < len(db.archive.exports); i++ {
		e := db.archive.exports[i]
		if in.TableArn != "" && e.desc.TableArn != in.TableArn {
			continue
		}
		if len(out.ExportSummaries) == limit {
			out.NextToken = strconv.Itoa(i)
			break
		}
		out.ExportSummaries = append(out.ExportSummaries, ExportSummary{ExportArn: e.desc.ExportArn, ExportStatus: e.desc.ExportStatus, ExportType: e.desc.ExportType})
	}
	return out, nil
}
