package dynamo

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
)

// kinesisDB returns a DB on a manual clock with table "orders" streaming
// to Kinesis stream "changes" of the given shards and retention.
func kinesisDB(t *testing.T, shards, hours int, opts ...func(*Options)) (*DB, *clock.Manual, *KinesisStream) {
	t.Helper()
	ctx := context.Background()
	c := clock.NewManual(testEpoch)
	o := Options{Clock: c}
	for _, f := range opts {
		f(&o)
	}
	db := New(o)
	t.Cleanup(func() { db.Close() })
	compositeTable(t, db)
	out, err := db.CreateKinesisStream(ctx, &CreateKinesisStreamInput{StreamName: "changes", ShardCount: shards, RetentionPeriodHours: hours})
	mustDo(t, err)
	en, err := db.EnableKinesisStreamingDestination(ctx, &EnableKinesisStreamingDestinationInput{TableName: "orders", StreamArn: out.StreamARN})
	mustDo(t, err)
	if en.DestinationStatus != DestinationStatusEnabling || en.EnableKinesisStreamingConfiguration.ApproximateCreationDateTimePrecision != PrecisionMillisecond {
		t.Fatalf("enable: %+v", en)
	}
	k, err := db.KinesisStream(out.StreamARN)
	mustDo(t, err)
	return db, c, k
}

// readKinesis reads every record of every shard from TRIM_HORIZON.
func readKinesis(t *testing.T, k *KinesisStream) []KinesisRecord {
	t.Helper()
	ctx := context.Background()
	shards, err := k.ListShards(ctx)
	mustDo(t, err)
	var out []KinesisRecord
	for _, sh := range shards {
		it, err := k.GetShardIterator(ctx, &KinesisGetShardIteratorInput{ShardId: sh.ShardId, ShardIteratorType: ShardIteratorTypeTrimHorizon})
		mustDo(t, err)
		res, err := k.GetRecords(ctx, &KinesisGetRecordsInput{ShardIterator: it.ShardIterator})
		mustDo(t, err)
		out = append(out, res.Records...)
	}
	return out
}

func changes(t *testing.T, recs []KinesisRecord) []KinesisChange {
	t.Helper()
	out := make([]KinesisChange, len(recs))
	for i, r := range recs {
		if err := json.Unmarshal(r.Data, &out[i]); err != nil {
			t.Fatalf("record %d: %v: %s", i, err, r.Data)
		}
	}
	return out
}

func TestKinesisDestination_WritesEveryChangeWithBothImages(t *testing.T) {
	ctx := context.Background()
	db, c, k := kinesisDB(t, 1, 0, func(o *Options) { o.TTL.Immediate = true })
	_, err := db.UpdateTimeToLive(ctx, &UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &TimeToLiveSpecification{AttributeName: "exp", Enabled: true}})
	mustDo(t, err)
	v1 := Item{"pk": S("a"), "sk": N("1"), "n": N("1")}
	v2 := Item{"pk": S("a"), "sk": N("1"), "n": N("2"), "exp": N(fmt.Sprint(testEpoch.Add(time.Minute).Unix()))}
	mustDo(t, put1(db, v1))
	mustDo(t, put1(db, v1)) // no change, no record
	c.Advance(1500 * time.Millisecond)
	mustDo(t, put1(db, v2))
	c.Advance(time.Minute) // TTL deletes it
	got := changes(t, readKinesis(t, k))
	if len(got) != 3 {
		t.Fatalf("%d changes: %+v", len(got), got)
	}
	for i, w := range []struct {
		op       OperationType
		old, new Item
		at       time.Time
		ttl      bool
	}{
		{OperationTypeInsert, nil, v1, testEpoch, false},
		{OperationTypeModify, v1, v2, testEpoch.Add(1500 * time.Millisecond), false},
		{OperationTypeRemove, v2, nil, testEpoch.Add(time.Minute), true},
	} {
		g := got[i]
		if g.EventName != w.op || !itemsEqual(g.Dynamodb.OldImage, w.old) || !itemsEqual(g.Dynamodb.NewImage, w.new) ||
			!g.Dynamodb.ApproximateCreationDateTime.Equal(w.at) || (g.UserIdentity != nil) != w.ttl {
			t.Errorf("change %d: %+v", i, g)
		}
		if g.TableName != "orders" || g.RecordFormat != "application/json" || g.EventSource != "aws:dynamodb" || g.AwsRegion != "us-east-1" ||
			!itemsEqual(g.Dynamodb.Keys, Item{"pk": S("a"), "sk": N("1")}) || g.Dynamodb.ApproximateCreationDateTimePrecision != PrecisionMillisecond {
			t.Errorf("change %d envelope: %+v", i, g)
		}
	}
	// The raw JSON has Kinesis's shape: milliseconds, userIdentity null.
	raw := readKinesis(t, k)[1].Data
	var m map[string]any
	mustDo(t, json.Unmarshal(raw, &m))
	if m["userIdentity"] != nil || m["dynamodb"].(map[string]any)["ApproximateCreationDateTime"].(float64) != float64(testEpoch.Add(1500*time.Millisecond).UnixMilli()) {
		t.Fatalf("raw change %s", raw)
	}
}

func TestKinesisDestination_DuplicatesCarryTheSameEventID(t *testing.T) {
	db, _, k := kinesisDB(t, 1, 0, func(o *Options) { o.Kinesis.DuplicateRate = 1 })
	for i := range 3 {
		mustDo(t, put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1")}))
	}
	recs := readKinesis(t, k)
	got := changes(t, recs)
	if len(got) != 6 {
		t.Fatalf("%d records with every change duplicated, want 6", len(got))
	}
	seen := map[string]int{}
	for i, g := range got {
		seen[g.EventID]++
		if i%2 == 1 && (g.EventID != got[i-1].EventID || recs[i].SequenceNumber == recs[i-1].SequenceNumber) {
			t.Fatalf("record %d is not a duplicate of %d with its own sequence number", i, i-1)
		}
	}
	if len(seen) != 3 {
		t.Fatalf("%d distinct event IDs, want 3", len(seen))
	}

	// A rate of one half duplicates some, reproducibly for a seed.
	count := func(seed uint64) int {
		db, _, k := kinesisDB(t, 1, 0, func(o *Options) { o.Kinesis.DuplicateRate, o.Seed = 0.5, seed })
		for i := range 100 {
			mustDo(t, put1(db, Item{"pk": S(fmt.Sprint(i)), "sk": N("1")}))
		}
		return len(readKinesis(t, k))
	}
	a, b := count(7), count(7)
	if a != b || a <= 100 || a >= 200 {
		t.Fatalf("half duplicated: %d and %d records for 100 changes", a, b)
	}
}

func TestKinesisDestination_PrecisionMicrosecond(t *testing.T) {
	ctx := context.Background()
	db, c := newTestDB(t)
	compositeTable(t, db)
	out, err := db.CreateKinesisStream(ctx, &CreateKinesisStreamInput{StreamName: "changes"})
	mustDo(t, err)
	_, err = db.EnableKinesisStreamingDestination(ctx, &EnableKinesisStreamingDestinationInput{TableName: "orders", StreamArn: out.StreamARN,
		EnableKinesisStreamingConfiguration: &EnableKinesisStreamingConfiguration{ApproximateCreationDateTimePrecision: PrecisionMicrosecond}})
	mustDo(t, err)
	c.Advance(1234 * time.Microsecond)
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))
	k, _ := db.KinesisStream(out.StreamARN)
	raw := readKinesis(t, k)[0].Data
	want := fmt.Sprintf(`"ApproximateCreationDateTime":%d,`, testEpoch.Add(1234*time.Microsecond).UnixMicro())
	if !bytes.Contains(raw, []byte(want)) || !bytes.Contains(raw, []byte(`"ApproximateCreationDateTimePrecision":"MICROSECOND"`)) {
		t.Fatalf("change %s", raw)
	}
	got := changes(t, readKinesis(t, k))[0]
	if !got.Dynamodb.ApproximateCreationDateTime.Equal(testEpoch.Add(1234 * time.Microsecond)) {
		t.Fatalf("time %v", got.Dynamodb.ApproximateCreationDateTime)
	}
}

func TestKinesisDestination_EnableDisableDescribe(t *testing.T) {
	ctx := context.Background()
	db, _, k := kinesisDB(t, 1, 0)
	in := &EnableKinesisStreamingDestinationInput{TableName: "orders", StreamArn: k.ARN()}
	_, err := db.EnableKinesisStreamingDestination(ctx, in)
	wantCode(t, err, "ValidationException", "must be DISABLED or ENABLE_FAILED to perform ENABLE operation")
	d, err := db.DescribeKinesisStreamingDestination(ctx, &DescribeKinesisStreamingDestinationInput{TableName: "orders"})
	mustDo(t, err)
	if diff := cmp.Diff([]KinesisDataStreamDestination{{StreamArn: k.ARN(), DestinationStatus: DestinationStatusActive, ApproximateCreationDateTimePrecision: PrecisionMillisecond}}, d.KinesisDataStreamDestinations); diff != "" {
		t.Fatal(diff)
	}
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))
	out, err := db.DisableKinesisStreamingDestination(ctx, in)
	mustDo(t, err)
	if out.DestinationStatus != DestinationStatusDisabling {
		t.Fatalf("disable: %+v", out)
	}
	mustDo(t, put1(db, Item{"pk": S("b"), "sk": N("1")}))
	if n := len(readKinesis(t, k)); n != 1 {
		t.Fatalf("%d records; the write after Disable was streamed", n)
	}
	_, err = db.DisableKinesisStreamingDestination(ctx, in)
	wantCode(t, err, "ValidationException", "must be ACTIVE to perform DISABLE operation")
	d, _ = db.DescribeKinesisStreamingDestination(ctx, &DescribeKinesisStreamingDestinationInput{TableName: "orders"})
	if d.KinesisDataStreamDestinations[0].DestinationStatus != DestinationStatusDisabled {
		t.Fatalf("describe after disable: %+v", d)
	}
	// Enabling again resumes streaming.
	_, err = db.EnableKinesisStreamingDestination(ctx, in)
	mustDo(t, err)
	mustDo(t, put1(db, Item{"pk": S("c"), "sk": N("1")}))
	if n := len(readKinesis(t, k)); n != 2 {
		t.Fatalf("%d records after re-enabling, want 2", n)
	}

	for _, c := range []struct {
		in        EnableKinesisStreamingDestinationInput
		code, msg string
	}{
		{EnableKinesisStreamingDestinationInput{TableName: "orders", StreamArn: "short"}, "ValidationException", "length between 37 and 1024"},
		{EnableKinesisStreamingDestinationInput{TableName: "nosuch", StreamArn: k.ARN()}, "ResourceNotFoundException", "not found"},
		{EnableKinesisStreamingDestinationInput{TableName: "orders", StreamArn: k.ARN() + "-other"}, "ResourceNotFoundException", "not found"},
		{EnableKinesisStreamingDestinationInput{TableName: "orders", StreamArn: k.ARN(), EnableKinesisStreamingConfiguration: &EnableKinesisStreamingConfiguration{ApproximateCreationDateTimePrecision: "SECOND"}}, "ValidationException", "[MILLISECOND, MICROSECOND]"},
	} {
		_, err := db.EnableKinesisStreamingDestination(ctx, &c.in)
		wantCode(t, err, c.code, c.msg)
	}
}

func TestCreateKinesisStream_Validation(t *testing.T) {
	ctx := context.Background()
	db, _ := newTestDB(t)
	for _, c := range []struct {
		in        CreateKinesisStreamInput
		code, msg string
	}{
		{CreateKinesisStreamInput{StreamName: ""}, "ValidationException", "streamName"},
		{CreateKinesisStreamInput{StreamName: "bad name"}, "ValidationException", "streamName"},
		{CreateKinesisStreamInput{StreamName: "s", RetentionPeriodHours: 23}, "InvalidArgumentException", "Minimum allowed retention period is 24 hours"},
		{CreateKinesisStreamInput{StreamName: "s", RetentionPeriodHours: 8761}, "InvalidArgumentException", "Maximum allowed retention period is 8760 hours"},
		{CreateKinesisStreamInput{StreamName: "s", ShardCount: 501}, "InvalidArgumentException", "ShardCount 501"},
	} {
		_, err := db.CreateKinesisStream(ctx, &c.in)
		wantCode(t, err, c.code, c.msg)
	}
	_, err := db.CreateKinesisStream(ctx, &CreateKinesisStreamInput{StreamName: "s"})
	mustDo(t, err)
	_, err = db.CreateKinesisStream(ctx, &CreateKinesisStreamInput{StreamName: "s"})
	wantCode(t, err, "ResourceInUseException", "already exists")
}

func TestKinesisStream_RetentionIsConfigurable(t *testing.T) {
	for _, c := range []struct {
		hours int
		after time.Duration
		kept  bool
	}{
		{0, 23 * time.Hour, true},
		{0, 24 * time.Hour, false},
		{24 * 7, 6 * 24 * time.Hour, true},
		{24 * 365, 364 * 24 * time.Hour, true},
		{24 * 365, 365 * 24 * time.Hour, false},
	} {
		db, clk, k := kinesisDB(t, 1, c.hours)
		mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))
		clk.Advance(c.after)
		if got := len(readKinesis(t, k)) == 1; got != c.kept {
			t.Errorf("retention %dh, after %v: kept %v, want %v", c.hours, c.after, got, c.kept)
		}
	}
}

func TestKinesisStream_ShardsByPartitionKeyAndManyConsumers(t *testing.T) {
	ctx := context.Background()
	db, _, k := kinesisDB(t, 4, 0)
	shards, err := k.ListShards(ctx)
	mustDo(t, err)
	if len(shards) != 4 || shards[0].StartingHashKey != "0" || shards[3].EndingHashKey != "340282366920938463463374607431768211455" {
		t.Fatalf("shards %+v", shards)
	}
	for round := range 3 {
		for i := range 20 {
			mustDo(t, put1(db, Item{"pk": S(fmt.Sprint("user", i)), "sk": N("1"), "round": N(fmt.Sprint(round))}))
		}
	}
	// Every change of one item lands on one shard, in order.
	used := 0
	for _, sh := range shards {
		it, err := k.GetShardIterator(ctx, &KinesisGetShardIteratorInput{ShardId: sh.ShardId, ShardIteratorType: ShardIteratorTypeTrimHorizon})
		mustDo(t, err)
		res, err := k.GetRecords(ctx, &KinesisGetRecordsInput{ShardIterator: it.ShardIterator})
		mustDo(t, err)
		if len(res.Records) > 0 {
			used++
		}
		last := map[string]string{}
		for _, ch := range changes(t, res.Records) {
			pk := string(ch.Dynamodb.Keys["pk"].(S))
			round := string(ch.Dynamodb.NewImage["round"].(N))
			if round <= last[pk] && last[pk] != "" {
				t.Fatalf("%s out of order on %s", pk, sh.ShardId)
			}
			last[pk] = round
		}
	}
	if used < 2 {
		t.Fatalf("20 partition keys used %d of 4 shards", used)
	}
	// Ten consumers read the same shard at once: Kinesis has no reader
	// limit like DynamoDB Streams'.
	for range 10 {
		if got := len(readKinesis(t, k)); got != 60 {
			t.Fatalf("a consumer read %d records, want 60", got)
		}
	}
}

func TestKinesisStream_IteratorsAndErrors(t *testing.T) {
	ctx := context.Background()
	db, c, k := kinesisDB(t, 1, 0)
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))
	c.Advance(time.Second)
	mustDo(t, put1(db, Item{"pk": S("b"), "sk": N("1")}))
	all := readKinesis(t, k)
	read := func(in KinesisGetShardIteratorInput) int {
		in.ShardId = "shardId-000000000000"
		it, err := k.GetShardIterator(ctx, &in)
		mustDo(t, err)
		res, err := k.GetRecords(ctx, &KinesisGetRecordsInput{ShardIterator: it.ShardIterator})
		mustDo(t, err)
		return len(res.Records)
	}
	for _, cse := range []struct {
		in   KinesisGetShardIteratorInput
		want int
	}{
		{KinesisGetShardIteratorInput{ShardIteratorType: ShardIteratorTypeLatest}, 0},
		{KinesisGetShardIteratorInput{ShardIteratorType: ShardIteratorTypeAtSequenceNumber, StartingSequenceNumber: all[1].SequenceNumber}, 1},
		{KinesisGetShardIteratorInput{ShardIteratorType: ShardIteratorTypeAfterSequenceNumber, StartingSequenceNumber: all[0].SequenceNumber}, 1},
		{KinesisGetShardIteratorInput{ShardIteratorType: ShardIteratorTypeAtTimestamp, Timestamp: testEpoch.Add(500 * time.Millisecond)}, 1},
		{KinesisGetShardIteratorInput{ShardIteratorType: ShardIteratorTypeAtTimestamp, Timestamp: testEpoch}, 2},
	} {
		if got := read(cse.in); got != cse.want {
			t.Errorf("%s: %d records, want %d", cse.in.ShardIteratorType, got, cse.want)
		}
	}
	if len(all[0].SequenceNumber) != 56 {
		t.Fatalf("sequence number %q", all[0].SequenceNumber)
	}
	it, _ := k.GetShardIterator(ctx, &KinesisGetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: ShardIteratorTypeTrimHorizon})
	c.Advance(5*time.Minute + time.Millisecond)
	_, err := k.GetRecords(ctx, &KinesisGetRecordsInput{ShardIterator: it.ShardIterator})
	wantCode(t, err, "ExpiredIteratorException", "tolerated delay of 300000 milliseconds")
	_, err = k.GetRecords(ctx, &KinesisGetRecordsInput{ShardIterator: "nonsense"})
	wantCode(t, err, "InvalidArgumentException", "Invalid ShardIterator")
	_, err = k.GetShardIterator(ctx, &KinesisGetShardIteratorInput{ShardId: "shardId-000000000009", ShardIteratorType: ShardIteratorTypeLatest})
	wantCode(t, err, "ResourceNotFoundException", "does not exist")
	_, err = k.GetShardIterator(ctx, &KinesisGetShardIteratorInput{ShardId: "shardId-000000000000", ShardIteratorType: ShardIteratorTypeAtSequenceNumber, StartingSequenceNumber: "12"})
	wantCode(t, err, "InvalidArgumentException", "StartingSequenceNumber 12")
	_, err = db.KinesisStream("arn:aws:kinesis:us-east-1:123456789012:stream/none")
	wantCode(t, err, "ResourceNotFoundException", "not found")
}

// lambdaKinesisEventRecord mirrors the JSON tags of
// events.KinesisEventRecord in aws-lambda-go.
type lambdaKinesisEventRecord struct {
	AwsRegion         string `json:"awsRegion"`
	EventID           string `json:"eventID"`
	EventName         string `json:"eventName"`
	EventSource       string `json:"eventSource"`
	EventSourceArn    string `json:"eventSourceARN"`
	EventVersion      string `json:"eventVersion"`
	InvokeIdentityArn string `json:"invokeIdentityArn"`
	Kinesis           struct {
		ApproximateArrivalTimestamp float64 `json:"approximateArrivalTimestamp"`
		Data                        []byte  `json:"data"`
		EncryptionType              string  `json:"encryptionType,omitempty"`
		PartitionKey                string  `json:"partitionKey"`
		SequenceNumber              string  `json:"sequenceNumber"`
		KinesisSchemaVersion        string  `json:"kinesisSchemaVersion"`
	} `json:"kinesis"`
}

func TestKinesisStream_ConsumerInterfaceDeliversLambdaRecords(t *testing.T) {
	ctx := context.Background()
	db, c, k := kinesisDB(t, 1, 0)
	ch := k.Changed()
	c.Advance(250 * time.Millisecond)
	mustDo(t, put1(db, Item{"pk": S("a"), "sk": N("1")}))
	select {
	case <-ch:
	default:
		t.Fatal("Changed did not fire")
	}
	ids, parents, err := k.Shards(ctx)
	mustDo(t, err)
	if !cmp.Equal(ids, []string{"shardId-000000000000"}) || !cmp.Equal(parents, []string{""}) {
		t.Fatalf("shards %v %v", ids, parents)
	}
	it, err := k.ShardIterator(ctx, ids[0], "TRIM_HORIZON", "")
	mustDo(t, err)
	recs, next, err := k.Records(ctx, it, 10)
	mustDo(t, err)
	if len(recs) != 1 || next == "" {
		t.Fatalf("records %d next %q", len(recs), next)
	}
	var ev lambdaKinesisEventRecord
	dec := json.NewDecoder(bytes.NewReader(recs[0]))
	dec.DisallowUnknownFields()
	mustDo(t, dec.Decode(&ev))
	if ev.EventSource != "aws:kinesis" || ev.EventName != "aws:kinesis:record" || ev.EventSourceArn != k.ARN() ||
		ev.Kinesis.ApproximateArrivalTimestamp != float64(testEpoch.Add(250*time.Millisecond).UnixMilli())/1000 ||
		ev.EventID != ids[0]+":"+ev.Kinesis.SequenceNumber || ev.Kinesis.KinesisSchemaVersion != "1.0" {
		t.Fatalf("event record %+v", ev)
	}
	var change KinesisChange
	mustDo(t, json.Unmarshal(ev.Kinesis.Data, &change))
	if change.EventName != OperationTypeInsert {
		t.Fatalf("change %+v", change)
	}
}
