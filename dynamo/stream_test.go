package dynamo

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

// streamDB returns a DB on a manual clock with table "orders" (pk S, sk
// N) whose stream has view type view, and the stream's ARN. Tests read
// the stream many times at one instant of the manual clock, so the limit
// of two readers per shard is lifted unless opts set it.
func streamDB(t testing.TB, view StreamViewType, opts ...func(*Options)) (*DB, *clock.Manual, string) {
	t.Helper()
	c := clock.NewManual(testEpoch)
	o := Options{Clock: c, LiveTableStats: true, Streams: StreamOptions{MaxReadersPerShard: -1}}
	for _, f := range opts {
		f(&o)
	}
	db := New(o)
	t.Cleanup(func() { db.Close() })
	compositeTable(t, db, func(in *CreateTableInput) {
		in.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: view}
	})
	out, err := db.DescribeTable(context.Background(), &DescribeTableInput{TableName: "orders"})
	if err != nil {
		t.Fatal(err)
	}
	return db, c, out.Table.LatestStreamArn
}

// readStream reads every record of a stream from TRIM_HORIZON, parents
// before children, as a consumer would.
func readStream(t testing.TB, db *DB, arn string) []Record {
	t.Helper()
	ctx := context.Background()
	src, err := db.StreamSource(arn)
	if err != nil {
		t.Fatal(err)
	}
	ids, _, err := src.Shards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var out []Record
	for _, id := range ids {
		it, err := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: id, ShardIteratorType: ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		iter := it.ShardIterator
		for iter != "" {
			res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: iter})
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, res.Records...)
			if len(res.Records) == 0 {
				break // an open shard read to its end
			}
			iter = res.NextShardIterator
		}
	}
	return out
}

func mustDo(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// streamScript runs a series of writes of every kind, some of which
// change nothing or fail, and returns what each committed one should
// produce: event name, keys, old and new images.
func streamScript(t *testing.T, db *DB) []Record {
	ctx := context.Background()
	k1 := Item{"pk": S("a"), "sk": N("1")}
	v1 := Item{"pk": S("a"), "sk": N("1"), "x": N("1")}
	v2 := Item{"pk": S("a"), "sk": N("1"), "x": N("2"), "tags": SS{"p", "q"}}
	v3 := Item{"pk": S("a"), "sk": N("1"), "x": N("3"), "tags": SS{"p", "q"}}
	k2 := Item{"pk": S("b"), "sk": N("2")}
	v4 := Item{"pk": S("b"), "sk": N("2"), "y": S("batch")}
	want := func(op OperationType, keys, old, new Item) Record {
		return Record{EventName: op, Dynamodb: StreamRecord{Keys: keys, OldImage: old, NewImage: new}}
	}
	var exp []Record

	mustDo(t, put1(db, v1))
	exp = append(exp, want(OperationTypeInsert, k1, nil, v1))
	// The same item again changes nothing: no record.
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1.0"), "x": N("1.00")}))
	mustDo(t, put1(db, v2))
	exp = append(exp, want(OperationTypeModify, k1, v1, v2))
	// A set written in another order is the same set: no record.
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1"), "x": N("2"), "tags": SS{"q", "p"}}))
	// An update that sets what is there changes nothing: no record.
	_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: k1, UpdateExpression: "SET x = :v", ExpressionAttributeValues: map[string]AttributeValue{":v": N("2")}})
	mustDo(t, err)
	_, err = db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: k1, UpdateExpression: "SET x = x + :one", ExpressionAttributeValues: map[string]AttributeValue{":one": N("1")}})
	mustDo(t, err)
	exp = append(exp, want(OperationTypeModify, k1, v2, v3))
	// A failed condition writes nothing.
	_, err = db.PutItem(ctx, &PutItemInput{TableName: "orders", Item: v1, ConditionExpression: "attribute_not_exists(pk)"})
	if !errors.Is(err, ErrConditionalCheckFailed) {
		t.Fatalf("conditional put: %v", err)
	}
	// A cancelled transaction writes nothing, in any table.
	_, err = db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
		{Put: &Put{TableName: "orders", Item: v4}},
		{ConditionCheck: &ConditionCheck{TableName: "orders", Key: k1, ConditionExpression: "x = :nine", ExpressionAttributeValues: map[string]AttributeValue{":nine": N("9")}}},
	}})
	if !errors.Is(err, ErrTransactionCanceled) {
		t.Fatalf("transaction: %v", err)
	}
	_, err = db.BatchWriteItem(ctx, &BatchWriteItemInput{RequestItems: map[string][]WriteRequest{"orders": {{PutRequest: &PutRequest{Item: v4}}}}})
	mustDo(t, err)
	exp = append(exp, want(OperationTypeInsert, k2, nil, v4))
	_, err = db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
		{Delete: &Delete{TableName: "orders", Key: k2}},
		{Update: &Update{TableName: "orders", Key: k1, UpdateExpression: "REMOVE tags"}},
	}})
	mustDo(t, err)
	exp = append(exp, want(OperationTypeRemove, k2, v4, nil))
	exp = append(exp, want(OperationTypeModify, k1, v3, Item{"pk": S("a"), "sk": N("1"), "x": N("3")}))
	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: k1})
	mustDo(t, err)
	exp = append(exp, want(OperationTypeRemove, k1, Item{"pk": S("a"), "sk": N("1"), "x": N("3")}, nil))
	// Deleting what is not there changes nothing.
	_, err = db.DeleteItem(ctx, &DeleteItemInput{TableName: "orders", Key: k1})
	mustDo(t, err)
	return exp
}

func put1(db *DB, item Item) error {
	_, err := db.PutItem(context.Background(), &PutItemInput{TableName: "orders", Item: item})
	return err
}

func TestStream_OneRecordPerCommittedChange(t *testing.T) {
	for _, view := range []StreamViewType{StreamViewTypeKeysOnly, StreamViewTypeNewImage, StreamViewTypeOldImage, StreamViewTypeNewAndOldImages} {
		t.Run(string(view), func(t *testing.T) {
			db, _, arn := streamDB(t, view)
			exp := streamScript(t, db)
			got := readStream(t, db, arn)
			if len(got) != len(exp) {
				t.Fatalf("%d records, want %d: %+v", len(got), len(exp), got)
			}
			prev := ""
			for i, r := range got {
				w := exp[i]
				if w.Dynamodb.NewImage == nil || (view != StreamViewTypeNewImage && view != StreamViewTypeNewAndOldImages) {
					w.Dynamodb.NewImage = nil
				}
				if w.Dynamodb.OldImage == nil || (view != StreamViewTypeOldImage && view != StreamViewTypeNewAndOldImages) {
					w.Dynamodb.OldImage = nil
				}
				if r.EventName != w.EventName {
					t.Errorf("record %d: %s, want %s", i, r.EventName, w.EventName)
				}
				for _, c := range []struct {
					name      string
					got, want Item
				}{{"Keys", r.Dynamodb.Keys, w.Dynamodb.Keys}, {"NewImage", r.Dynamodb.NewImage, w.Dynamodb.NewImage}, {"OldImage", r.Dynamodb.OldImage, w.Dynamodb.OldImage}} {
					if !itemsEqual(c.got, c.want) || (c.got == nil) != (c.want == nil) {
						t.Errorf("record %d %s: %v, want %v", i, c.name, c.got, c.want)
					}
				}
				if r.Dynamodb.StreamViewType != view || r.EventSource != "aws:dynamodb" || r.EventVersion != "1.1" ||
					r.AwsRegion != "us-east-1" || r.EventSourceARN != arn || r.UserIdentity != nil || len(r.EventID) != 32 {
					t.Errorf("record %d envelope: %+v", i, r)
				}
				if r.Dynamodb.SequenceNumber <= prev {
					t.Errorf("record %d: sequence %s after %s", i, r.Dynamodb.SequenceNumber, prev)
				}
				prev = r.Dynamodb.SequenceNumber
				if !r.Dynamodb.ApproximateCreationDateTime.Equal(testEpoch) || r.Dynamodb.SizeBytes <= 0 {
					t.Errorf("record %d: time %v size %d", i, r.Dynamodb.ApproximateCreationDateTime, r.Dynamodb.SizeBytes)
				}
			}
		})
	}
}

func TestStream_SizeBytesCountsKeysAndImagesOfTheView(t *testing.T) {
	item := Item{"pk": S("abc"), "sk": N("1"), "note": S("hello")}
	keys := itemSize(Item{"pk": S("abc"), "sk": N("1")})
	full := itemSize(item)
	for _, c := range []struct {
		view StreamViewType
		want int
	}{
		{StreamViewTypeKeysOnly, keys},
		{StreamViewTypeNewImage, keys + full},
		{StreamViewTypeOldImage, keys},
		{StreamViewTypeNewAndOldImages, keys + full},
	} {
		db, _, arn := streamDB(t, c.view)
		mustDo(t, put1(db, item))
		got := readStream(t, db, arn)
		if len(got) != 1 || got[0].Dynamodb.SizeBytes != int64(c.want) {
			t.Errorf("%s: SizeBytes %+v, want %d", c.view, got, c.want)
		}
	}
}

func TestStream_RecordsAreCopies(t *testing.T) {
	db, _, arn := streamDB(t, StreamViewTypeNewImage)
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1"), "l": L{S("x")}}))
	first := readStream(t, db, arn)
	first[0].Dynamodb.NewImage["l"].(L)[0] = S("changed")
	first[0].Dynamodb.Keys["pk"] = S("changed")
	again := readStream(t, db, arn)
	if again[0].Dynamodb.NewImage["l"].(L)[0] != S("x") || again[0].Dynamodb.Keys["pk"] != S("a") {
		t.Fatalf("a reader changed the stream: %v", again[0].Dynamodb)
	}
	got := get(t, db, "a", "1")
	if got["l"].(L)[0] != S("x") {
		t.Fatalf("a reader changed the table: %v", got)
	}
}

func TestStreamSpecification_Validation(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name string
		spec *StreamSpecification
		msg  string
	}{
		{"enabled without view type", &StreamSpecification{StreamEnabled: true}, "Table is being created with a stream enabled, UpdateViewType is required"},
		{"disabled with view type", &StreamSpecification{StreamViewType: StreamViewTypeKeysOnly}, "Table is being created with a stream disabled, UpdateViewType should not be specified"},
		{"unknown view type", &StreamSpecification{StreamEnabled: true, StreamViewType: "ALL"}, "Value 'ALL' at 'streamSpecification.streamViewType' failed to satisfy constraint"},
	}
	for _, c := range cases {
		t.Run("create/"+c.name, func(t *testing.T) {
			db, _ := newTestDB(t)
			_, err := db.CreateTable(ctx, &CreateTableInput{
				TableName: "orders", AttributeDefinitions: []AttributeDefinition{{"pk", "S"}},
				KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}}, BillingMode: BillingModePayPerRequest,
				StreamSpecification: c.spec,
			})
			wantCode(t, err, "ValidationException", c.msg)
			if _, err := db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"}); !errors.Is(err, ErrResourceNotFound) {
				t.Fatalf("table created anyway: %v", err)
			}
			if out, _ := db.ListStreams(ctx, nil); len(out.Streams) != 0 {
				t.Fatalf("stream created anyway: %v", out.Streams)
			}
		})
	}

	update := []struct {
		name    string
		enabled bool // whether the table has a stream first
		in      UpdateTableInput
		msg     string
	}{
		{"enable without view type", false, UpdateTableInput{StreamSpecification: &StreamSpecification{StreamEnabled: true}}, "If stream is being enabled then UpdateViewType is required"},
		{"disable with view type", true, UpdateTableInput{StreamSpecification: &StreamSpecification{StreamViewType: StreamViewTypeNewImage}}, "If stream is being disabled, then UpdateViewType must not be specified"},
		{"enable twice", true, UpdateTableInput{StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewImage}}, "Table already has an enabled stream: TableName: orders"},
		{"change view type", true, UpdateTableInput{StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeKeysOnly}}, "Table already has an enabled stream"},
		{"disable without stream", false, UpdateTableInput{StreamSpecification: &StreamSpecification{}}, "Table has no stream to disable: TableName: orders"},
		{"with an index change", false, UpdateTableInput{
			StreamSpecification:         &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewImage},
			AttributeDefinitions:        []AttributeDefinition{{"g", "S"}},
			GlobalSecondaryIndexUpdates: []GlobalSecondaryIndexUpdate{{Create: &CreateGlobalSecondaryIndexAction{IndexName: "byG", KeySchema: []KeySchemaElement{{"g", KeyTypeHash}}, Projection: Projection{ProjectionType: ProjectionTypeAll}}}},
		}, "You cannot create or delete index while changing stream status"},
	}
	for _, c := range update {
		t.Run("update/"+c.name, func(t *testing.T) {
			db, _ := newTestDB(t)
			compositeTable(t, db, func(in *CreateTableInput) {
				if c.enabled {
					in.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewImage}
				}
			})
			in := c.in
			in.TableName = "orders"
			_, err := db.UpdateTable(ctx, &in)
			wantCode(t, err, "ValidationException", c.msg)
		})
	}
}

func TestStream_EnableDisableAndDescribeTable(t *testing.T) {
	ctx := context.Background()
	db, c := newTestDB(t)
	compositeTable(t, db)
	desc := func() *TableDescription {
		out, err := db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
		mustDo(t, err)
		return out.Table
	}
	if d := desc(); d.StreamSpecification != nil || d.LatestStreamArn != "" {
		t.Fatalf("a table without a stream describes one: %+v", d)
	}
	out, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewAndOldImages}})
	mustDo(t, err)
	first := out.TableDescription.LatestStreamArn
	wantArn := "arn:aws:dynamodb:us-east-1:123456789012:table/orders/stream/2025-03-01T12:00:00.000"
	if first != wantArn || out.TableDescription.LatestStreamLabel != "2025-03-01T12:00:00.000" {
		t.Fatalf("LatestStreamArn %q label %q", first, out.TableDescription.LatestStreamLabel)
	}
	if diff := cmp.Diff(&StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeNewAndOldImages}, desc().StreamSpecification); diff != "" {
		t.Fatal(diff)
	}
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))

	c.Advance(time.Minute)
	_, err = db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{}})
	mustDo(t, err)
	mustDo(t, put1(db, Item{"pk": S("b"), "sk": N("1")})) // not streamed
	d := desc()
	if d.StreamSpecification != nil || d.LatestStreamArn != first {
		t.Fatalf("after disabling: spec %+v arn %q", d.StreamSpecification, d.LatestStreamArn)
	}
	sd, err := db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: first})
	mustDo(t, err)
	if sd.StreamDescription.StreamStatus != StreamStatusDisabled || sd.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber == "" {
		t.Fatalf("disabled stream: %+v", sd.StreamDescription)
	}
	if got := readStream(t, db, first); len(got) != 1 || got[0].Dynamodb.Keys["pk"] != S("a") {
		t.Fatalf("disabled stream holds %+v", got)
	}

	// Enabling again starts a new stream with a new ARN.
	c.Advance(time.Minute)
	out, err = db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeKeysOnly}})
	mustDo(t, err)
	second := out.TableDescription.LatestStreamArn
	if second == first || !strings.HasSuffix(second, "/stream/2025-03-01T12:02:00.000") {
		t.Fatalf("second stream %q", second)
	}
	mustDo(t, put1(db, Item{"pk": S("c"), "sk": N("1")}))
	if got := readStream(t, db, second); len(got) != 1 || got[0].Dynamodb.Keys["pk"] != S("c") {
		t.Fatalf("second stream holds %+v", got)
	}
	ls, err := db.ListStreams(ctx, &ListStreamsInput{TableName: "orders"})
	mustDo(t, err)
	if len(ls.Streams) != 2 || ls.Streams[0].StreamArn != first || ls.Streams[1].StreamArn != second {
		t.Fatalf("ListStreams %+v", ls.Streams)
	}

	// 24 hours after it was disabled, the first stream is gone.
	c.Advance(24*time.Hour - 2*time.Minute)
	ls, _ = db.ListStreams(ctx, &ListStreamsInput{TableName: "orders"})
	if len(ls.Streams) != 2 {
		t.Fatalf("first stream gone early: %+v", ls.Streams)
	}
	c.Advance(time.Minute)
	ls, _ = db.ListStreams(ctx, &ListStreamsInput{TableName: "orders"})
	if len(ls.Streams) != 1 || ls.Streams[0].StreamArn != second {
		t.Fatalf("ListStreams after 24h: %+v", ls.Streams)
	}
	_, err = db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: first})
	wantCode(t, err, "ResourceNotFoundException", "Stream: "+first+" not found")
}

func TestStream_SameMillisecondReEnableGetsItsOwnArn(t *testing.T) {
	ctx := context.Background()
	db, _, first := streamDB(t, StreamViewTypeKeysOnly)
	_, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{}})
	mustDo(t, err)
	out, err := db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeKeysOnly}})
	mustDo(t, err)
	if out.TableDescription.LatestStreamArn == first || out.TableDescription.LatestStreamLabel != "2025-03-01T12:00:00.001" {
		t.Fatalf("re-enabled stream %q", out.TableDescription.LatestStreamArn)
	}
}

func TestStream_DeleteTableDisablesStreamForADay(t *testing.T) {
	ctx := context.Background()
	db, c, arn := streamDB(t, StreamViewTypeNewImage)
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))
	_, err := db.DeleteTable(ctx, &DeleteTableInput{TableName: "orders"})
	mustDo(t, err)
	sd, err := db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn})
	mustDo(t, err)
	if sd.StreamDescription.StreamStatus != StreamStatusDisabled {
		t.Fatalf("status %s", sd.StreamDescription.StreamStatus)
	}
	if got := readStream(t, db, arn); len(got) != 1 {
		t.Fatalf("records after DeleteTable: %+v", got)
	}
	c.Advance(24 * time.Hour)
	if _, err := db.StreamSource(arn); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("stream after 24h: %v", err)
	}
}

func TestListStreams_PagesAndValidation(t *testing.T) {
	ctx := context.Background()
	db, _ := newTestDB(t)
	var arns []string
	for _, name := range []string{"t-c", "t-a", "t-b"} {
		out, err := db.CreateTable(ctx, &CreateTableInput{
			TableName: name, AttributeDefinitions: []AttributeDefinition{{"pk", "S"}},
			KeySchema: []KeySchemaElement{{"pk", KeyTypeHash}}, BillingMode: BillingModePayPerRequest,
			StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeKeysOnly},
		})
		mustDo(t, err)
		arns = append(arns, out.TableDescription.LatestStreamArn)
	}
	var got []string
	in := &ListStreamsInput{Limit: 2}
	for {
		out, err := db.ListStreams(ctx, in)
		mustDo(t, err)
		for _, s := range out.Streams {
			got = append(got, s.TableName)
		}
		if out.LastEvaluatedStreamArn == "" {
			break
		}
		in.ExclusiveStartStreamArn = out.LastEvaluatedStreamArn
	}
	if diff := cmp.Diff([]string{"t-a", "t-b", "t-c"}, got); diff != "" {
		t.Fatal(diff)
	}
	for _, c := range []struct {
		in   ListStreamsInput
		code string
		msg  string
	}{
		{ListStreamsInput{Limit: 101}, "ValidationException", "Member must have value between 1 and 100"},
		{ListStreamsInput{Limit: -1}, "ValidationException", "Member must have value between 1 and 100"},
		{ListStreamsInput{ExclusiveStartStreamArn: "kossaapaaasdafsdaasdasdasdasasdasfadfadfasdasdas"}, "ValidationException", "Invalid ExclusiveStartStreamArn"},
		{ListStreamsInput{TableName: "x"}, "ValidationException", "TableName must be at least 3 characters long"},
	} {
		_, err := db.ListStreams(ctx, &c.in)
		wantCode(t, err, c.code, c.msg)
	}
	empty, err := db.ListStreams(ctx, &ListStreamsInput{TableName: "nosuchtable"})
	mustDo(t, err)
	if empty.Streams == nil || len(empty.Streams) != 0 {
		t.Fatalf("Streams = %#v, want empty", empty.Streams)
	}
	_ = arns
}

func TestDescribeStream_ShardsRollOverWithLineage(t *testing.T) {
	ctx := context.Background()
	db, c, arn := streamDB(t, StreamViewTypeKeysOnly)
	for i := range 3 {
		mustDo(t, put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1")}))
		c.Advance(4 * time.Hour)
	}
	out, err := db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn})
	mustDo(t, err)
	d := out.StreamDescription
	if d.StreamStatus != StreamStatusEnabled || d.StreamViewType != StreamViewTypeKeysOnly || d.TableName != "orders" ||
		!d.CreationRequestDateTime.Equal(testEpoch) || len(d.KeySchema) != 2 {
		t.Fatalf("description %+v", d)
	}
	if len(d.Shards) != 4 {
		t.Fatalf("%d shards after 12h, want 4: %+v", len(d.Shards), d.Shards)
	}
	for i, sh := range d.Shards {
		wantParent := ""
		if i > 0 {
			wantParent = d.Shards[i-1].ShardId
			if sh.ShardId <= wantParent {
				t.Errorf("shard %s sorts before its parent %s", sh.ShardId, wantParent)
			}
		}
		if sh.ParentShardId != wantParent {
			t.Errorf("shard %d parent %q, want %q", i, sh.ParentShardId, wantParent)
		}
		r := sh.SequenceNumberRange
		open := i == len(d.Shards)-1
		if (r.EndingSequenceNumber == "") != open {
			t.Errorf("shard %d range %+v (open %v)", i, r, open)
		}
		if len(sh.ShardId) < 28 || len(sh.ShardId) > 65 || len(r.StartingSequenceNumber) != 21 {
			t.Errorf("shard %d id %q start %q", i, sh.ShardId, r.StartingSequenceNumber)
		}
	}
	// Each closed shard holds exactly the record written while it was open.
	for i, sh := range d.Shards[:3] {
		it, err := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: sh.ShardId, ShardIteratorType: ShardIteratorTypeTrimHorizon})
		mustDo(t, err)
		res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: it.ShardIterator})
		mustDo(t, err)
		if len(res.Records) != 1 || res.Records[0].Dynamodb.Keys["pk"] != S(fmt.Sprint(i)) || res.NextShardIterator != "" {
			t.Fatalf("shard %d: %+v next %q", i, res.Records, res.NextShardIterator)
		}
		if res.Records[0].Dynamodb.SequenceNumber != sh.SequenceNumberRange.StartingSequenceNumber ||
			res.Records[0].Dynamodb.SequenceNumber != sh.SequenceNumberRange.EndingSequenceNumber {
			t.Fatalf("shard %d range %+v holds %s", i, sh.SequenceNumberRange, res.Records[0].Dynamodb.SequenceNumber)
		}
	}
	// Paging through shards.
	page, err := db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn, Limit: 3})
	mustDo(t, err)
	if len(page.StreamDescription.Shards) != 3 || page.StreamDescription.LastEvaluatedShardId != d.Shards[2].ShardId {
		t.Fatalf("page 1: %+v", page.StreamDescription)
	}
	page, err = db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn, Limit: 3, ExclusiveStartShardId: page.StreamDescription.LastEvaluatedShardId})
	mustDo(t, err)
	if len(page.StreamDescription.Shards) != 1 || page.StreamDescription.LastEvaluatedShardId != "" {
		t.Fatalf("page 2: %+v", page.StreamDescription)
	}
	// After 24 more hours the closed shards are gone; the lineage of the
	// survivors still names their (now trimmed) parents.
	c.Advance(24 * time.Hour)
	out, err = db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn})
	mustDo(t, err)
	for _, sh := range out.StreamDescription.Shards {
		for _, old := range d.Shards[:3] {
			if sh.ShardId == old.ShardId {
				t.Fatalf("shard %s survived 24h after it closed", sh.ShardId)
			}
		}
	}
	if n := len(out.StreamDescription.Shards); n < 6 || n > 8 {
		t.Fatalf("%d shards within 24h of rollovers every 4h", n)
	}
}

func TestDescribeStream_Validation(t *testing.T) {
	ctx := context.Background()
	db, _, arn := streamDB(t, StreamViewTypeKeysOnly)
	for _, c := range []struct {
		in        DescribeStreamInput
		code, msg string
	}{
		{DescribeStreamInput{}, "ValidationException", "Value null at 'streamArn'"},
		{DescribeStreamInput{StreamArn: "sdfadfsdfnlfkajakfgjalksfgklasjklasdjfklasdfasdfgasf"}, "ValidationException", "Invalid StreamArn"},
		{DescribeStreamInput{StreamArn: strings.Replace(arn, "orders", "nosuch", 1)}, "ResourceNotFoundException", "not found"},
		{DescribeStreamInput{StreamArn: arn, Limit: 101}, "ValidationException", "between 1 and 100"},
	} {
		_, err := db.DescribeStream(ctx, &c.in)
		wantCode(t, err, c.code, c.msg)
	}
	out, err := db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn, ExclusiveStartShardId: "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"})
	mustDo(t, err)
	if len(out.StreamDescription.Shards) != 0 {
		t.Fatalf("shards after the last: %+v", out.StreamDescription.Shards)
	}
}

func TestGetShardIterator_Positions(t *testing.T) {
	ctx := context.Background()
	db, _, arn := streamDB(t, StreamViewTypeKeysOnly)
	shardID := func() string {
		out, err := db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn})
		mustDo(t, err)
		return out.StreamDescription.Shards[0].ShardId
	}()
	// On an empty shard, the starting sequence number is a valid position.
	d, _ := db.DescribeStream(ctx, &DescribeStreamInput{StreamArn: arn})
	start := d.StreamDescription.Shards[0].SequenceNumberRange.StartingSequenceNumber
	for _, typ := range []ShardIteratorType{ShardIteratorTypeAtSequenceNumber, ShardIteratorTypeAfterSequenceNumber} {
		if _, err := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: typ, SequenceNumber: start}); err != nil {
			t.Fatalf("%s at the start of an empty shard: %v", typ, err)
		}
	}
	latest, err := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: ShardIteratorTypeLatest})
	mustDo(t, err)
	for i := range 3 {
		mustDo(t, put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1")}))
	}
	all := readStream(t, db, arn)
	read := func(typ ShardIteratorType, seq string) []string {
		t.Helper()
		it, err := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: typ, SequenceNumber: seq})
		mustDo(t, err)
		res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: it.ShardIterator})
		mustDo(t, err)
		var keys []string
		for _, r := range res.Records {
			keys = append(keys, string(r.Dynamodb.Keys["pk"].(S)))
		}
		return keys
	}
	for _, c := range []struct {
		typ  ShardIteratorType
		seq  string
		want []string
	}{
		{ShardIteratorTypeTrimHorizon, "", []string{"0", "1", "2"}},
		{ShardIteratorTypeLatest, "", nil},
		{ShardIteratorTypeAtSequenceNumber, all[1].Dynamodb.SequenceNumber, []string{"1", "2"}},
		{ShardIteratorTypeAfterSequenceNumber, all[1].Dynamodb.SequenceNumber, []string{"2"}},
		{ShardIteratorTypeAfterSequenceNumber, all[2].Dynamodb.SequenceNumber, nil},
	} {
		if got := read(c.typ, c.seq); !cmp.Equal(got, c.want) {
			t.Errorf("%s %s: %v, want %v", c.typ, c.seq, got, c.want)
		}
	}
	// The LATEST iterator taken before the writes sees them.
	res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: latest.ShardIterator})
	mustDo(t, err)
	if len(res.Records) != 3 {
		t.Fatalf("LATEST iterator from before the writes read %d records", len(res.Records))
	}

	for _, c := range []struct {
		in        GetShardIteratorInput
		code, msg string
	}{
		{GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: ShardIteratorTypeAtSequenceNumber}, "ValidationException", "requires a SequenceNumber"},
		{GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: ShardIteratorTypeTrimHorizon, SequenceNumber: start}, "ValidationException", "cannot be given"},
		{GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: "bulle"}, "ValidationException", "Member must satisfy enum value set"},
		{GetShardIteratorInput{StreamArn: arn, ShardId: shardID}, "ValidationException", "Value null at 'shardIteratorType'"},
		{GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: ShardIteratorTypeAtSequenceNumber, SequenceNumber: "sdfsafglldfngjdafnasdflgnaldklkafdsgklnasdlv"}, "ValidationException", "Invalid SequenceNumber"},
		{GetShardIteratorInput{StreamArn: arn, ShardId: shardID, ShardIteratorType: ShardIteratorTypeAtSequenceNumber, SequenceNumber: formatSequence(99)}, "ValidationException", "is not in the range of shard"},
		{GetShardIteratorInput{StreamArn: arn, ShardId: "shardId-00000000000000000000-00000000", ShardIteratorType: ShardIteratorTypeLatest}, "ResourceNotFoundException", "Shard: shardId-00000000000000000000-00000000"},
		{GetShardIteratorInput{StreamArn: arn, ShardId: "short", ShardIteratorType: ShardIteratorTypeLatest}, "ValidationException", "length between 28 and 65"},
		{GetShardIteratorInput{StreamArn: "sdfadsfsdfsdgdfsgsfdabadfbabdadsfsdfsdfsdfsdfsdfsdfdfdssdffbdfdf", ShardId: shardID, ShardIteratorType: ShardIteratorTypeLatest}, "ValidationException", "Invalid StreamArn"},
	} {
		_, err := db.GetShardIterator(ctx, &c.in)
		wantCode(t, err, c.code, c.msg)
	}
}

func TestGetRecords_LimitPagesAndEndOfClosedShard(t *testing.T) {
	ctx := context.Background()
	db, _, arn := streamDB(t, StreamViewTypeKeysOnly)
	for i := range 5 {
		mustDo(t, put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1")}))
	}
	src, _ := db.StreamSource(arn)
	ids, _, _ := src.Shards(ctx)
	it, err := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: ids[0], ShardIteratorType: ShardIteratorTypeTrimHorizon})
	mustDo(t, err)
	iter := it.ShardIterator
	var pages []int
	for range 4 {
		res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: iter, Limit: 2})
		mustDo(t, err)
		pages = append(pages, len(res.Records))
		if res.NextShardIterator == "" {
			t.Fatal("an open shard ended")
		}
		iter = res.NextShardIterator
	}
	if diff := cmp.Diff([]int{2, 2, 1, 0}, pages); diff != "" {
		t.Fatal(diff)
	}
	// Disabling the stream closes the shard: the next read ends it.
	_, err = db.UpdateTable(ctx, &UpdateTableInput{TableName: "orders", StreamSpecification: &StreamSpecification{}})
	mustDo(t, err)
	res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: iter})
	mustDo(t, err)
	if len(res.Records) != 0 || res.NextShardIterator != "" {
		t.Fatalf("end of a closed shard: %+v", res)
	}
	// Reading a closed shard returns the iterator until its last record.
	it, _ = db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: ids[0], ShardIteratorType: ShardIteratorTypeTrimHorizon})
	res, err = db.GetRecords(ctx, &GetRecordsInput{ShardIterator: it.ShardIterator, Limit: 4})
	mustDo(t, err)
	if len(res.Records) != 4 || res.NextShardIterator == "" {
		t.Fatalf("first 4 of a closed shard: %d next %q", len(res.Records), res.NextShardIterator)
	}
	res, err = db.GetRecords(ctx, &GetRecordsInput{ShardIterator: res.NextShardIterator, Limit: 4})
	mustDo(t, err)
	if len(res.Records) != 1 || res.NextShardIterator != "" {
		t.Fatalf("last of a closed shard: %d next %q", len(res.Records), res.NextShardIterator)
	}

	for _, c := range []struct {
		in        GetRecordsInput
		code, msg string
	}{
		{GetRecordsInput{ShardIterator: it.ShardIterator, Limit: 1001}, "ValidationException", "between 1 and 1000"},
		{GetRecordsInput{}, "ValidationException", "Value null at 'shardIterator'"},
		{GetRecordsInput{ShardIterator: "sdfsdfsgagaddafgagasgasgasdfasdfasdfasdfasdgasdasdgasdg"}, "ValidationException", "Invalid ShardIterator"},
		{GetRecordsInput{ShardIterator: it.ShardIterator[:len(it.ShardIterator)-2] + "AA"}, "ValidationException", "Invalid ShardIterator"},
	} {
		_, err := db.GetRecords(ctx, &c.in)
		wantCode(t, err, c.code, c.msg)
	}
}

func TestGetRecords_StopsAtOneMegabyte(t *testing.T) {
	ctx := context.Background()
	db, _, arn := streamDB(t, StreamViewTypeNewImage)
	big := strings.Repeat("x", 300_000)
	for i := range 5 {
		mustDo(t, put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1"), "blob": S(big)}))
	}
	src, _ := db.StreamSource(arn)
	ids, _, _ := src.Shards(ctx)
	it, _ := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: ids[0], ShardIteratorType: ShardIteratorTypeTrimHorizon})
	res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: it.ShardIterator})
	mustDo(t, err)
	if len(res.Records) != 3 {
		t.Fatalf("read %d records of 300 KB, want 3 within 1 MB", len(res.Records))
	}
}

func TestGetRecords_IteratorExpiresAfter15Minutes(t *testing.T) {
	ctx := context.Background()
	db, c, arn := streamDB(t, StreamViewTypeKeysOnly)
	src, _ := db.StreamSource(arn)
	ids, _, _ := src.Shards(ctx)
	it, _ := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: ids[0], ShardIteratorType: ShardIteratorTypeLatest})
	c.Advance(15 * time.Minute)
	res, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: it.ShardIterator})
	mustDo(t, err)
	c.Advance(15*time.Minute + time.Millisecond)
	_, err = db.GetRecords(ctx, &GetRecordsInput{ShardIterator: res.NextShardIterator})
	wantCode(t, err, "ExpiredIteratorException", "tolerated delay of 900000 milliseconds")
	if !errors.Is(err, ErrExpiredIterator) {
		t.Fatal("not ErrExpiredIterator")
	}
}

func TestGetRecords_TrimmedAfter24Hours(t *testing.T) {
	ctx := context.Background()
	db, c, arn := streamDB(t, StreamViewTypeKeysOnly, func(o *Options) {
		o.Streams.ShardRollover, o.Streams.IteratorLifetime = 100*time.Hour, 48*time.Hour
	})
	src, _ := db.StreamSource(arn)
	ids, _, _ := src.Shards(ctx)
	mustDo(t, put1(db, Item{"pk": S("old"), "sk": N("1")}))
	old := readStream(t, db, arn)[0].Dynamodb.SequenceNumber
	horizon, _ := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: ids[0], ShardIteratorType: ShardIteratorTypeTrimHorizon})
	c.Advance(12 * time.Hour)
	mustDo(t, put1(db, Item{"pk": S("new"), "sk": N("1")}))
	c.Advance(12 * time.Hour)

	_, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: horizon.ShardIterator})
	wantCode(t, err, "TrimmedDataAccessException", "trimmed")
	if !errors.Is(err, ErrTrimmedDataAccess) {
		t.Fatal("not ErrTrimmedDataAccess")
	}
	_, err = db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: ids[0], ShardIteratorType: ShardIteratorTypeAtSequenceNumber, SequenceNumber: old})
	wantCode(t, err, "TrimmedDataAccessException", "trim horizon")
	// A fresh TRIM_HORIZON starts at the oldest record kept.
	got := readStream(t, db, arn)
	if len(got) != 1 || got[0].Dynamodb.Keys["pk"] != S("new") {
		t.Fatalf("after 24h: %+v", got)
	}
}

func TestGetRecords_ThrottlesAThirdReader(t *testing.T) {
	ctx := context.Background()
	db, c, arn := streamDB(t, StreamViewTypeKeysOnly, func(o *Options) { o.Streams.MaxReadersPerShard = 0 })
	src, _ := db.StreamSource(arn)
	ids, _, _ := src.Shards(ctx)
	iter := func() string {
		it, err := db.GetShardIterator(ctx, &GetShardIteratorInput{StreamArn: arn, ShardId: ids[0], ShardIteratorType: ShardIteratorTypeTrimHorizon})
		mustDo(t, err)
		return it.ShardIterator
	}
	a, b, third := iter(), iter(), iter()
	ra, err := db.GetRecords(ctx, &GetRecordsInput{ShardIterator: a})
	mustDo(t, err)
	_, err = db.GetRecords(ctx, &GetRecordsInput{ShardIterator: b})
	mustDo(t, err)
	_, err = db.GetRecords(ctx, &GetRecordsInput{ShardIterator: third})
	wantCode(t, err, "LimitExceededException", "more than 2 readers")
	// The same reader may keep reading with its next iterator.
	_, err = db.GetRecords(ctx, &GetRecordsInput{ShardIterator: ra.NextShardIterator})
	mustDo(t, err)
	// A second later the others are no longer simultaneous.
	c.Advance(time.Second)
	_, err = db.GetRecords(ctx, &GetRecordsInput{ShardIterator: third})
	mustDo(t, err)

	// The limit is configurable, and can be removed.
	db2, _, arn2 := streamDB(t, StreamViewTypeKeysOnly, func(o *Options) { o.Streams.MaxReadersPerShard = -1 })
	src2, _ := db2.StreamSource(arn2)
	ids2, _, _ := src2.Shards(ctx)
	for range 10 {
		it, err := src2.ShardIterator(ctx, ids2[0], "TRIM_HORIZON", "")
		mustDo(t, err)
		if _, _, err := src2.Records(ctx, it, 0); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStreamSource_ChangedWakesOnAppend(t *testing.T) {
	db, _, arn := streamDB(t, StreamViewTypeKeysOnly)
	src, err := db.StreamSource(arn)
	mustDo(t, err)
	ch := src.Changed()
	select {
	case <-ch:
		t.Fatal("Changed fired before any change")
	default:
	}
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))
	select {
	case <-ch:
	default:
		t.Fatal("Changed did not fire on append")
	}
	if src.ARN() != arn {
		t.Fatal(src.ARN())
	}
	_, err = db.StreamSource("arn:aws:dynamodb:us-east-1:123456789012:table/x/stream/2025")
	wantCode(t, err, "ResourceNotFoundException", "not found")
}

func TestStreamIterator_RoundTripAndTamper(t *testing.T) {
	arn := "arn:aws:dynamodb:us-east-1:123456789012:table/t/stream/2025-03-01T12:00:00.000"
	pos := iteratorPos{shard: "shardId-00000001740830400000-1a2b3c4d", after: 1 << 40, reader: 7, issued: testEpoch}
	it := encodeIterator(arn, pos)
	gotArn, got, ok := decodeIterator(it)
	if !ok || gotArn != arn || got.shard != pos.shard || got.after != pos.after || got.reader != pos.reader || !got.issued.Equal(pos.issued) {
		t.Fatalf("round trip: %v %q %+v", ok, gotArn, got)
	}
	for i := range it {
		bad := []byte(it)
		bad[i] ^= 1
		if _, _, ok := decodeIterator(string(bad)); ok && string(bad) != it {
			if a, p, _ := decodeIterator(string(bad)); a == arn && p == got {
				continue // a change base64 ignores
			}
			t.Errorf("flipping byte %d was accepted", i)
		}
	}
}

func TestStream_RecreatedTableGetsItsOwnStream(t *testing.T) {
	ctx := context.Background()
	db, _, first := streamDB(t, StreamViewTypeKeysOnly)
	mustDo(t, put1(db, Item{"pk": S("old"), "sk": N("1")}))
	_, err := db.DeleteTable(ctx, &DeleteTableInput{TableName: "orders"})
	mustDo(t, err)
	compositeTable(t, db, func(in *CreateTableInput) {
		in.StreamSpecification = &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeKeysOnly}
	})
	out, err := db.DescribeTable(ctx, &DescribeTableInput{TableName: "orders"})
	mustDo(t, err)
	second := out.Table.LatestStreamArn
	if second == first {
		t.Fatalf("the re-created table's stream took the old ARN %s", first)
	}
	mustDo(t, put1(db, Item{"pk": S("new"), "sk": N("1")}))
	if got := readStream(t, db, first); len(got) != 1 || got[0].Dynamodb.Keys["pk"] != S("old") {
		t.Fatalf("old stream: %+v", got)
	}
	if got := readStream(t, db, second); len(got) != 1 || got[0].Dynamodb.Keys["pk"] != S("new") {
		t.Fatalf("new stream: %+v", got)
	}
}

// Under concurrent writers, each item's records still follow its commits:
// every record's OldImage is the NewImage of the one before it.
func TestStream_ConcurrentWritersKeepEachItemsOrder(t *testing.T) {
	ctx := context.Background()
	db, _, arn := streamDB(t, StreamViewTypeNewAndOldImages)
	const writers, writes, keys = 8, 200, 5
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range writes {
				_, err := db.UpdateItem(ctx, &UpdateItemInput{TableName: "orders", Key: Item{"pk": S(fmt.Sprint((w + i) % keys)), "sk": N("1")},
					UpdateExpression: "ADD n :one", ExpressionAttributeValues: map[string]AttributeValue{":one": N("1")}})
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	last := map[string]Item{}
	for i, r := range readStream(t, db, arn) {
		k := string(r.Dynamodb.Keys["pk"].(S))
		if !itemsEqual(last[k], r.Dynamodb.OldImage) {
			t.Fatalf("record %d of %s: OldImage %v after NewImage %v", i, k, r.Dynamodb.OldImage, last[k])
		}
		last[k] = r.Dynamodb.NewImage
	}
	total := 0
	for _, it := range last {
		n, _ := strconv.Atoi(string(it["n"].(N)))
		total += n
	}
	if total != writers*writes {
		t.Fatalf("the stream adds up to %d increments, want %d", total, writers*writes)
	}
}

func TestStream_TransactionAcrossTablesWritesToEachStream(t *testing.T) {
	ctx := context.Background()
	db, _, ordersArn := streamDB(t, StreamViewTypeNewImage)
	out, err := db.CreateTable(ctx, &CreateTableInput{
		TableName: "audit", AttributeDefinitions: []AttributeDefinition{{"id", "S"}},
		KeySchema: []KeySchemaElement{{"id", KeyTypeHash}}, BillingMode: BillingModePayPerRequest,
		StreamSpecification: &StreamSpecification{StreamEnabled: true, StreamViewType: StreamViewTypeKeysOnly},
	})
	mustDo(t, err)
	_, err = db.TransactWriteItems(ctx, &TransactWriteItemsInput{TransactItems: []TransactWriteItem{
		{Put: &Put{TableName: "orders", Item: Item{"pk": S("a"), "sk": N("1")}}},
		{Put: &Put{TableName: "audit", Item: Item{"id": S("e1"), "what": S("order a")}}},
	}})
	mustDo(t, err)
	if got := readStream(t, db, ordersArn); len(got) != 1 || got[0].Dynamodb.NewImage == nil {
		t.Fatalf("orders stream: %+v", got)
	}
	if got := readStream(t, db, out.TableDescription.LatestStreamArn); len(got) != 1 || got[0].Dynamodb.Keys["id"] != S("e1") || got[0].Dynamodb.NewImage != nil {
		t.Fatalf("audit stream: %+v", got)
	}
}
