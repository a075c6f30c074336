package sdktest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go"
	"github.com/google/go-cmp/cmp"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

// streamsStart is the time the stream tests begin at, on a manual clock.
var streamsStart = time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)

// streamsEnv is a DB on a manual clock behind one endpoint, and the SDK's
// DynamoDB and DynamoDB Streams clients both pointed at it, as an
// application that writes a table and reads its stream configures them.
type streamsEnv struct {
	db      *dynamo.DB
	clock   *clock.Manual
	ddb     *dynamodb.Client
	streams *dynamodbstreams.Client

	mu    sync.Mutex
	calls map[string]int // requests the endpoint received, by X-Amz-Target
}

func startStreams(t *testing.T, opts dynamo.Options) *streamsEnv {
	t.Helper()
	env := &streamsEnv{clock: clock.NewManual(streamsStart), calls: map[string]int{}}
	opts.Clock = env.clock
	env.db = dynamo.New(opts)
	t.Cleanup(func() { env.db.Close() })
	h := wire.NewHandler(env.db, wire.Options{})
	endpoint, transport := serveSDK(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		env.mu.Lock()
		env.calls[r.Header.Get("X-Amz-Target")]++
		env.mu.Unlock()
		h.ServeHTTP(w, r)
	}))
	cfg := sdkConfig(&checkingTransport{t: t, next: transport}, testKeyID, testSecret)
	env.ddb = dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
	env.streams = dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(endpoint) })
	return env
}

func (env *streamsEnv) callsTo(op string) int {
	env.mu.Lock()
	defer env.mu.Unlock()
	return env.calls[wire.StreamsTargetPrefix+op]
}

// createTable creates a table keyed by the string pk, with a stream of
// view when view is not empty, and returns its LatestStreamArn.
func (env *streamsEnv) createTable(t *testing.T, name string, view types.StreamViewType) string {
	t.Helper()
	in := &dynamodb.CreateTableInput{
		TableName:            aws.String(name),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}
	if view != "" {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: view}
	}
	out, err := env.ddb.CreateTable(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateTable: %v", err)
	}
	return aws.ToString(out.TableDescription.LatestStreamArn)
}

func (env *streamsEnv) put(t *testing.T, table, itemJSON string) {
	t.Helper()
	if _, err := env.ddb.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String(table), Item: sdkItem(t, itemJSON)}); err != nil {
		t.Fatalf("PutItem %s: %v", itemJSON, err)
	}
}

// sdkItem turns DynamoDB JSON into the SDK's attribute values, through
// minicloud's codec.
func sdkItem(t *testing.T, itemJSON string) map[string]types.AttributeValue {
	t.Helper()
	item, err := wire.UnmarshalItem([]byte(itemJSON))
	if err != nil {
		t.Fatalf("item %s: %v", itemJSON, err)
	}
	out := map[string]types.AttributeValue{}
	for k, v := range item {
		out[k] = sdkValue(v)
	}
	return out
}

func sdkValue(v dynamo.AttributeValue) types.AttributeValue {
	switch v := v.(type) {
	case dynamo.S:
		return &types.AttributeValueMemberS{Value: string(v)}
	case dynamo.N:
		return &types.AttributeValueMemberN{Value: string(v)}
	case dynamo.B:
		return &types.AttributeValueMemberB{Value: v}
	case dynamo.BOOL:
		return &types.AttributeValueMemberBOOL{Value: bool(v)}
	case dynamo.NULL:
		return &types.AttributeValueMemberNULL{Value: true}
	case dynamo.SS:
		return &types.AttributeValueMemberSS{Value: v}
	case dynamo.NS:
		return &types.AttributeValueMemberNS{Value: v}
	case dynamo.BS:
		return &types.AttributeValueMemberBS{Value: v}
	case dynamo.L:
		l := make([]types.AttributeValue, len(v))
		for i, e := range v {
			l[i] = sdkValue(e)
		}
		return &types.AttributeValueMemberL{Value: l}
	case dynamo.M:
		m := map[string]types.AttributeValue{}
		for k, e := range v {
			m[k] = sdkValue(e)
		}
		return &types.AttributeValueMemberM{Value: m}
	}
	return nil
}

// plain turns an image the Streams client decoded back into DynamoDB
// JSON's shape (map[string]any, as encoding/json decodes it), so that it
// compares with a literal.
func plain(item map[string]stypes.AttributeValue) map[string]any {
	if item == nil {
		return nil
	}
	out := map[string]any{}
	for k, v := range item {
		out[k] = plainValue(v)
	}
	return out
}

func plainValue(v stypes.AttributeValue) map[string]any {
	b64 := base64.StdEncoding.EncodeToString
	strs := func(ss []string) []any {
		out := make([]any, len(ss))
		for i, s := range ss {
			out[i] = s
		}
		return out
	}
	switch v := v.(type) {
	case *stypes.AttributeValueMemberS:
		return map[string]any{"S": v.Value}
	case *stypes.AttributeValueMemberN:
		return map[string]any{"N": v.Value}
	case *stypes.AttributeValueMemberB:
		return map[string]any{"B": b64(v.Value)}
	case *stypes.AttributeValueMemberBOOL:
		return map[string]any{"BOOL": v.Value}
	case *stypes.AttributeValueMemberNULL:
		return map[string]any{"NULL": v.Value}
	case *stypes.AttributeValueMemberSS:
		return map[string]any{"SS": strs(v.Value)}
	case *stypes.AttributeValueMemberNS:
		return map[string]any{"NS": strs(v.Value)}
	case *stypes.AttributeValueMemberBS:
		var bs []string
		for _, b := range v.Value {
			bs = append(bs, b64(b))
		}
		return map[string]any{"BS": strs(bs)}
	case *stypes.AttributeValueMemberL:
		l := make([]any, len(v.Value))
		for i, e := range v.Value {
			l[i] = plainValue(e)
		}
		return map[string]any{"L": l}
	case *stypes.AttributeValueMemberM:
		return map[string]any{"M": plain(v.Value)}
	}
	return map[string]any{"unknown": true}
}

func fromJSON(t *testing.T, s string) map[string]any {
	t.Helper()
	if s == "" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad literal %s: %v", s, err)
	}
	return m
}

// shards lists a stream's shards with DescribeStream, page by page.
func (env *streamsEnv) shards(t *testing.T, arn string) (*stypes.StreamDescription, []stypes.Shard) {
	t.Helper()
	var all []stypes.Shard
	in := &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn), Limit: aws.Int32(1)}
	for {
		out, err := env.streams.DescribeStream(context.Background(), in)
		if err != nil {
			t.Fatalf("DescribeStream: %v", err)
		}
		all = append(all, out.StreamDescription.Shards...)
		if out.StreamDescription.LastEvaluatedShardId == nil {
			return out.StreamDescription, all
		}
		in.ExclusiveStartShardId = out.StreamDescription.LastEvaluatedShardId
	}
}

// read reads a shard from an iterator of typ the way a consumer does:
// GetRecords until a closed shard ends (no NextShardIterator) or an open
// one has nothing more. It reports whether the shard ended.
func (env *streamsEnv) read(t *testing.T, arn, shard string, typ stypes.ShardIteratorType, seq string) (recs []stypes.Record, ended bool) {
	t.Helper()
	ctx := context.Background()
	in := &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shard), ShardIteratorType: typ}
	if seq != "" {
		in.SequenceNumber = aws.String(seq)
	}
	it, err := env.streams.GetShardIterator(ctx, in)
	if err != nil {
		t.Fatalf("GetShardIterator %s %s: %v", typ, seq, err)
	}
	next := it.ShardIterator
	for next != nil {
		// One record at a time, to page through GetRecords.
		out, err := env.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: next, Limit: aws.Int32(1)})
		if err != nil {
			t.Fatalf("GetRecords: %v", err)
		}
		recs = append(recs, out.Records...)
		if len(out.Records) == 0 && out.NextShardIterator != nil {
			return recs, false
		}
		next = out.NextShardIterator
	}
	return recs, true
}

func seqOf(r stypes.Record) string { return aws.ToString(r.Dynamodb.SequenceNumber) }

// seqLess compares sequence numbers as the decimal numbers they are.
func seqLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func TestStreamsSDK_ReadsEveryChangeInOrder(t *testing.T) {
	env := startStreams(t, dynamo.Options{})
	ctx := context.Background()
	arn := env.createTable(t, "orders", types.StreamViewTypeNewAndOldImages)
	if arn == "" {
		t.Fatal("CreateTable with a StreamSpecification returned no LatestStreamArn")
	}
	env.put(t, "orders", `{"pk":{"S":"o1"},"total":{"N":"10"},"tags":{"SS":["new"]},"blob":{"B":"AAE="},"lines":{"L":[{"M":{"sku":{"S":"a"},"n":{"N":"2"}}}]}}`)
	env.clock.Advance(2500 * time.Millisecond)
	_, err := env.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String("orders"),
		Key:                       sdkItem(t, `{"pk":{"S":"o1"}}`),
		UpdateExpression:          aws.String("SET #total = :t ADD tags :paid REMOVE #lines"),
		ExpressionAttributeNames:  map[string]string{"#total": "total", "#lines": "lines"},
		ExpressionAttributeValues: sdkItem(t, `{":t":{"N":"12.50"},":paid":{"SS":["paid"]}}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	env.put(t, "orders", `{"pk":{"S":"o2"},"gift":{"BOOL":true},"note":{"NULL":true}}`)
	// A write that changes nothing, and a failed condition, leave no record.
	env.put(t, "orders", `{"pk":{"S":"o2"},"gift":{"BOOL":true},"note":{"NULL":true}}`)
	_, err = env.ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"), Key: sdkItem(t, `{"pk":{"S":"o2"}}`),
		ConditionExpression: aws.String("attribute_not_exists(pk)")})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) {
		t.Fatalf("conditional delete: %v", err)
	}
	env.clock.Advance(time.Second)
	if _, err := env.ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("orders"), Key: sdkItem(t, `{"pk":{"S":"o1"}}`)}); err != nil {
		t.Fatal(err)
	}

	ls, err := env.streams.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("orders")})
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Streams) != 1 || aws.ToString(ls.Streams[0].StreamArn) != arn || aws.ToString(ls.Streams[0].TableName) != "orders" ||
		aws.ToString(ls.Streams[0].StreamLabel) != "2025-06-01T09:00:00.000" || ls.LastEvaluatedStreamArn != nil {
		t.Errorf("ListStreams = %+v", ls.Streams)
	}

	desc, shards := env.shards(t, arn)
	if desc.StreamStatus != stypes.StreamStatusEnabled || desc.StreamViewType != stypes.StreamViewTypeNewAndOldImages ||
		aws.ToString(desc.StreamArn) != arn || aws.ToString(desc.TableName) != "orders" || !aws.ToTime(desc.CreationRequestDateTime).Equal(streamsStart) {
		t.Errorf("StreamDescription = %+v", desc)
	}
	if len(desc.KeySchema) != 1 || aws.ToString(desc.KeySchema[0].AttributeName) != "pk" || desc.KeySchema[0].KeyType != stypes.KeyTypeHash {
		t.Errorf("KeySchema = %+v", desc.KeySchema)
	}
	if len(shards) != 1 || shards[0].ParentShardId != nil || shards[0].SequenceNumberRange.EndingSequenceNumber != nil ||
		aws.ToString(shards[0].SequenceNumberRange.StartingSequenceNumber) == "" {
		t.Fatalf("shards = %+v", shards)
	}

	recs, ended := env.read(t, arn, aws.ToString(shards[0].ShardId), stypes.ShardIteratorTypeTrimHorizon, "")
	if ended {
		t.Error("an open shard ended")
	}
	type change struct {
		Event    stypes.OperationType
		At       time.Time
		Keys     map[string]any
		New, Old map[string]any
	}
	var got []change
	ids := map[string]bool{}
	for i, r := range recs {
		got = append(got, change{r.EventName, aws.ToTime(r.Dynamodb.ApproximateCreationDateTime), plain(r.Dynamodb.Keys), plain(r.Dynamodb.NewImage), plain(r.Dynamodb.OldImage)})
		if aws.ToString(r.AwsRegion) != "us-east-1" || aws.ToString(r.EventSource) != "aws:dynamodb" || aws.ToString(r.EventVersion) != "1.1" ||
			r.UserIdentity != nil || r.Dynamodb.StreamViewType != stypes.StreamViewTypeNewAndOldImages || aws.ToInt64(r.Dynamodb.SizeBytes) <= 0 {
			t.Errorf("record %d: %+v %+v", i, r, r.Dynamodb)
		}
		if id := aws.ToString(r.EventID); id == "" || ids[id] {
			t.Errorf("record %d: eventID %q is empty or repeated", i, id)
		}
		ids[aws.ToString(r.EventID)] = true
		if i > 0 && !seqLess(seqOf(recs[i-1]), seqOf(r)) {
			t.Errorf("sequence numbers %s then %s do not increase", seqOf(recs[i-1]), seqOf(r))
		}
	}
	o1 := `{"pk":{"S":"o1"},"total":{"N":"10"},"tags":{"SS":["new"]},"blob":{"B":"AAE="},"lines":{"L":[{"M":{"sku":{"S":"a"},"n":{"N":"2"}}}]}}`
	o1b := `{"pk":{"S":"o1"},"total":{"N":"12.5"},"tags":{"SS":["new","paid"]},"blob":{"B":"AAE="}}`
	o2 := `{"pk":{"S":"o2"},"gift":{"BOOL":true},"note":{"NULL":true}}`
	later := streamsStart.Add(2 * time.Second) // the 2.5 s are rounded down
	want := []change{
		{stypes.OperationTypeInsert, streamsStart, fromJSON(t, `{"pk":{"S":"o1"}}`), fromJSON(t, o1), nil},
		{stypes.OperationTypeModify, later, fromJSON(t, `{"pk":{"S":"o1"}}`), fromJSON(t, o1b), fromJSON(t, o1)},
		{stypes.OperationTypeInsert, later, fromJSON(t, `{"pk":{"S":"o2"}}`), fromJSON(t, o2), nil},
		{stypes.OperationTypeRemove, later.Add(time.Second), fromJSON(t, `{"pk":{"S":"o1"}}`), nil, fromJSON(t, o1b)},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
}

func TestStreamsSDK_IteratorTypesStartWhereTheySay(t *testing.T) {
	env := startStreams(t, dynamo.Options{})
	arn := env.createTable(t, "events", types.StreamViewTypeKeysOnly)
	for i := 1; i <= 3; i++ {
		env.put(t, "events", `{"pk":{"S":"e`+strconv.Itoa(i)+`"}}`)
	}
	_, shards := env.shards(t, arn)
	shard := aws.ToString(shards[0].ShardId)
	all, _ := env.read(t, arn, shard, stypes.ShardIteratorTypeTrimHorizon, "")
	if len(all) != 3 {
		t.Fatalf("TRIM_HORIZON read %d records, want 3", len(all))
	}
	seqs := func(recs []stypes.Record) []string {
		var out []string
		for _, r := range recs {
			out = append(out, seqOf(r))
		}
		return out
	}
	s1, s2, s3 := seqOf(all[0]), seqOf(all[1]), seqOf(all[2])
	for _, tt := range []struct {
		typ  stypes.ShardIteratorType
		seq  string
		want []string
	}{
		{stypes.ShardIteratorTypeTrimHorizon, "", []string{s1, s2, s3}},
		{stypes.ShardIteratorTypeAtSequenceNumber, s1, []string{s1, s2, s3}},
		{stypes.ShardIteratorTypeAtSequenceNumber, s3, []string{s3}},
		{stypes.ShardIteratorTypeAfterSequenceNumber, s1, []string{s2, s3}},
		{stypes.ShardIteratorTypeAfterSequenceNumber, s3, nil},
		{stypes.ShardIteratorTypeLatest, "", nil},
	} {
		// Every iterator starts a reader of its own, and two readers may
		// read a shard within a second: a consumer's pace.
		env.clock.Advance(time.Second)
		recs, _ := env.read(t, arn, shard, tt.typ, tt.seq)
		if got := seqs(recs); !slices.Equal(got, tt.want) {
			t.Errorf("%s %s: %v, want %v", tt.typ, tt.seq, got, tt.want)
		}
	}

	// LATEST sees only what is written after it was taken.
	env.clock.Advance(time.Second)
	ctx := context.Background()
	it, err := env.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: aws.String(shard), ShardIteratorType: stypes.ShardIteratorTypeLatest})
	if err != nil {
		t.Fatal(err)
	}
	env.put(t, "events", `{"pk":{"S":"e4"}}`)
	out, err := env.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Records) != 1 || plainValue(out.Records[0].Dynamodb.Keys["pk"])["S"] != "e4" || !seqLess(s3, seqOf(out.Records[0])) {
		t.Errorf("LATEST then a write: %+v", out.Records)
	}
}

func TestStreamsSDK_ViewTypesAndTheStreamLifecycleThroughUpdateTable(t *testing.T) {
	env := startStreams(t, dynamo.Options{})
	ctx := context.Background()
	env.createTable(t, "profiles", "")
	var arns []string
	for _, tt := range []struct {
		view     types.StreamViewType
		new, old bool
	}{
		{types.StreamViewTypeKeysOnly, false, false},
		{types.StreamViewTypeNewImage, true, false},
		{types.StreamViewTypeOldImage, false, true},
		{types.StreamViewTypeNewAndOldImages, true, true},
	} {
		env.clock.Advance(time.Minute)
		up, err := env.ddb.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("profiles"),
			StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: tt.view}})
		if err != nil {
			t.Fatalf("enable %s: %v", tt.view, err)
		}
		arn := aws.ToString(up.TableDescription.LatestStreamArn)
		arns = append(arns, arn)
		env.put(t, "profiles", `{"pk":{"S":"ada"},"v":{"N":"1"}}`)
		env.put(t, "profiles", `{"pk":{"S":"ada"},"v":{"N":"2"}}`)
		if _, err := env.ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("profiles"), Key: sdkItem(t, `{"pk":{"S":"ada"}}`)}); err != nil {
			t.Fatal(err)
		}
		if _, err := env.ddb.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("profiles"),
			StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(false)}}); err != nil {
			t.Fatalf("disable %s: %v", tt.view, err)
		}

		// Disabled, the stream stays readable and its shard is closed:
		// read to the end, GetRecords stops giving iterators.
		desc, shards := env.shards(t, arn)
		if desc.StreamStatus != stypes.StreamStatusDisabled || string(desc.StreamViewType) != string(tt.view) || len(shards) != 1 ||
			shards[0].SequenceNumberRange.EndingSequenceNumber == nil {
			t.Fatalf("%s after disabling: %+v %+v", tt.view, desc, shards)
		}
		recs, ended := env.read(t, arn, aws.ToString(shards[0].ShardId), stypes.ShardIteratorTypeTrimHorizon, "")
		if !ended || len(recs) != 3 {
			t.Fatalf("%s: %d records, ended %v", tt.view, len(recs), ended)
		}
		if end := aws.ToString(shards[0].SequenceNumberRange.EndingSequenceNumber); seqOf(recs[2]) != end {
			t.Errorf("%s: last record %s, shard ends at %s", tt.view, seqOf(recs[2]), end)
		}
		for i, r := range recs {
			d := r.Dynamodb
			wantNew := tt.new && r.EventName != stypes.OperationTypeRemove
			wantOld := tt.old && r.EventName != stypes.OperationTypeInsert
			if (d.NewImage != nil) != wantNew || (d.OldImage != nil) != wantOld || len(d.Keys) != 1 || string(d.StreamViewType) != string(tt.view) {
				t.Errorf("%s record %d (%s): NewImage %v, OldImage %v, Keys %v", tt.view, i, r.EventName, d.NewImage != nil, d.OldImage != nil, d.Keys)
			}
		}
	}
	ls, err := env.streams.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("profiles")})
	if err != nil {
		t.Fatal(err)
	}
	var listed []string
	for _, s := range ls.Streams {
		listed = append(listed, aws.ToString(s.StreamArn))
	}
	if !slices.Equal(listed, arns) {
		t.Errorf("ListStreams = %v, want the four streams, each with its own ARN: %v", listed, arns)
	}
}

func TestStreamsSDK_ReadsParentShardsToTheirEndThenChildren(t *testing.T) {
	env := startStreams(t, dynamo.Options{})
	ctx := context.Background()
	arn := env.createTable(t, "ledger", types.StreamViewTypeNewImage)
	env.put(t, "ledger", `{"pk":{"S":"a"}}`)
	env.put(t, "ledger", `{"pk":{"S":"b"}}`)
	env.clock.Advance(4*time.Hour + time.Minute) // shards roll over every four hours
	env.put(t, "ledger", `{"pk":{"S":"c"}}`)

	_, shards := env.shards(t, arn)
	if len(shards) != 2 {
		t.Fatalf("shards = %+v", shards)
	}
	parent, child := shards[0], shards[1]
	if aws.ToString(child.ParentShardId) != aws.ToString(parent.ShardId) || parent.SequenceNumberRange.EndingSequenceNumber == nil ||
		child.SequenceNumberRange.EndingSequenceNumber != nil {
		t.Fatalf("lineage: parent %+v, child %+v", parent, child)
	}
	kids, err := env.streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn),
		ShardFilter: &stypes.ShardFilter{Type: stypes.ShardFilterTypeChildShards, ShardId: parent.ShardId}})
	if err != nil {
		t.Fatal(err)
	}
	if s := kids.StreamDescription.Shards; len(s) != 1 || aws.ToString(s[0].ShardId) != aws.ToString(child.ShardId) {
		t.Errorf("ShardFilter CHILD_SHARDS = %+v", s)
	}

	var keys []any
	recs, ended := env.read(t, arn, aws.ToString(parent.ShardId), stypes.ShardIteratorTypeTrimHorizon, "")
	if !ended {
		t.Error("the closed parent did not end")
	}
	env.clock.Advance(time.Second)
	more, ended := env.read(t, arn, aws.ToString(child.ShardId), stypes.ShardIteratorTypeTrimHorizon, "")
	if ended {
		t.Error("the open child ended")
	}
	for _, r := range append(recs, more...) {
		keys = append(keys, plainValue(r.Dynamodb.Keys["pk"])["S"])
	}
	if !slices.Equal(keys, []any{"a", "b", "c"}) {
		t.Errorf("parent then child read %v", keys)
	}
}

func TestStreamsSDK_TimeToLiveRemovalsNameTheService(t *testing.T) {
	env := startStreams(t, dynamo.Options{TTL: dynamo.TTLOptions{Immediate: true}})
	ctx := context.Background()
	arn := env.createTable(t, "sessions", types.StreamViewTypeOldImage)
	if _, err := env.ddb.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("sessions"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	env.put(t, "sessions", `{"pk":{"S":"s1"},"exp":{"N":"`+strconv.FormatInt(streamsStart.Add(time.Minute).Unix(), 10)+`"}}`)
	env.clock.Advance(2 * time.Minute)
	_, shards := env.shards(t, arn)
	recs, _ := env.read(t, arn, aws.ToString(shards[0].ShardId), stypes.ShardIteratorTypeTrimHorizon, "")
	if len(recs) != 2 || recs[1].EventName != stypes.OperationTypeRemove {
		t.Fatalf("records %+v", recs)
	}
	if id := recs[1].UserIdentity; id == nil || aws.ToString(id.PrincipalId) != "dynamodb.amazonaws.com" || aws.ToString(id.Type) != "Service" {
		t.Errorf("TTL REMOVE userIdentity = %+v", id)
	}
	if recs[0].UserIdentity != nil {
		t.Errorf("a request's INSERT has userIdentity %+v", recs[0].UserIdentity)
	}
}

func TestStreamsSDK_TypedErrors(t *testing.T) {
	env := startStreams(t, dynamo.Options{})
	ctx := context.Background()
	arn := env.createTable(t, "jobs", types.StreamViewTypeKeysOnly)
	env.put(t, "jobs", `{"pk":{"S":"j1"}}`)
	_, shards := env.shards(t, arn)
	shard := shards[0].ShardId
	iterator := func(typ stypes.ShardIteratorType, seq *string) *string {
		t.Helper()
		out, err := env.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: shard, ShardIteratorType: typ, SequenceNumber: seq})
		if err != nil {
			t.Fatalf("GetShardIterator: %v", err)
		}
		return out.ShardIterator
	}

	t.Run("ExpiredIteratorException after 15 minutes", func(t *testing.T) {
		it := iterator(stypes.ShardIteratorTypeTrimHorizon, nil)
		env.clock.Advance(15*time.Minute + time.Second)
		_, err := env.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		var expired *stypes.ExpiredIteratorException
		if !errors.As(err, &expired) || expired.ErrorCode() != "ExpiredIteratorException" {
			t.Fatalf("err = %v, want *types.ExpiredIteratorException", err)
		}
		if want := "further in the future than the tolerated delay of 900000 milliseconds"; !strings.Contains(expired.ErrorMessage(), want) {
			t.Errorf("message %q lacks %q", expired.ErrorMessage(), want)
		}
	})

	t.Run("ResourceNotFoundException for a stream that never was", func(t *testing.T) {
		_, err := env.streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn[:len(arn)-3] + "999")})
		var rnf *stypes.ResourceNotFoundException
		if !errors.As(err, &rnf) {
			t.Fatalf("err = %v, want *types.ResourceNotFoundException", err)
		}
	})

	t.Run("ValidationException for a sequence number with LATEST", func(t *testing.T) {
		_, err := env.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: shard,
			ShardIteratorType: stypes.ShardIteratorTypeLatest, SequenceNumber: aws.String("100000000000000000001")})
		var api smithy.APIError
		if !errors.As(err, &api) || api.ErrorCode() != "ValidationException" {
			t.Fatalf("err = %v, want ValidationException", err)
		}
	})

	t.Run("LimitExceededException for a third reader, after the SDK's retries", func(t *testing.T) {
		env.clock.Advance(time.Second)
		its := []*string{iterator(stypes.ShardIteratorTypeTrimHorizon, nil), iterator(stypes.ShardIteratorTypeTrimHorizon, nil), iterator(stypes.ShardIteratorTypeTrimHorizon, nil)}
		for _, it := range its[:2] {
			if _, err := env.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it}); err != nil {
				t.Fatal(err)
			}
		}
		before := env.callsTo("GetRecords")
		_, err := env.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: its[2]})
		var limit *stypes.LimitExceededException
		if !errors.As(err, &limit) {
			t.Fatalf("err = %v, want *types.LimitExceededException", err)
		}
		if n := env.callsTo("GetRecords") - before; n != 3 {
			t.Errorf("the SDK sent the throttled GetRecords %d times, want 3 (it retries LimitExceededException)", n)
		}
		// A second later the reader is admitted.
		env.clock.Advance(time.Second)
		if _, err := env.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: its[2]}); err != nil {
			t.Errorf("a second later: %v", err)
		}
	})

	t.Run("TrimmedDataAccessException past the 24-hour retention", func(t *testing.T) {
		env.clock.Set(streamsStart.Add(24*time.Hour - time.Minute))
		it := iterator(stypes.ShardIteratorTypeTrimHorizon, nil)
		env.clock.Advance(2 * time.Minute) // the record is trimmed, the iterator still valid
		_, err := env.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it})
		var trimmed *stypes.TrimmedDataAccessException
		if !errors.As(err, &trimmed) {
			t.Fatalf("GetRecords: err = %v, want *types.TrimmedDataAccessException", err)
		}
		_, err = env.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: shard,
			ShardIteratorType: stypes.ShardIteratorTypeAtSequenceNumber, SequenceNumber: shards[0].SequenceNumberRange.StartingSequenceNumber})
		if !errors.As(err, &trimmed) {
			t.Fatalf("GetShardIterator: err = %v, want *types.TrimmedDataAccessException", err)
		}
	})
}

// Both clients also work with no server at all: minicloud.NewTest's
// account and Cloud.HTTPClient serve them in the test's goroutine.
func TestStreamsSDK_InProcessThroughCloudHTTPClient(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	cfg := sdkConfig(cloud.HTTPClient().Transport, testKeyID, testSecret)
	ddb := dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(minicloud.Endpoint) })
	streams := dynamodbstreams.NewFromConfig(cfg, func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(minicloud.Endpoint) })
	ctx := context.Background()
	out, err := ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("tab"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
		StreamSpecification:  &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tab"), Item: sdkItem(t, `{"pk":{"S":"x"},"n":{"N":"1"}}`)}); err != nil {
		t.Fatal(err)
	}
	arn := out.TableDescription.LatestStreamArn
	desc, err := streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: arn})
	if err != nil {
		t.Fatal(err)
	}
	it, err := streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: arn, ShardId: desc.StreamDescription.Shards[0].ShardId,
		ShardIteratorType: stypes.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil || len(recs.Records) != 1 {
		t.Fatalf("GetRecords: %v %+v", err, recs)
	}
	if got := plain(recs.Records[0].Dynamodb.NewImage); !cmp.Equal(got, fromJSON(t, `{"pk":{"S":"x"},"n":{"N":"1"}}`)) {
		t.Errorf("NewImage = %v", got)
	}
	clk.Advance(16 * time.Minute)
	_, err = streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
	var expired *stypes.ExpiredIteratorException
	if !errors.As(err, &expired) {
		t.Errorf("after 16 minutes on the account's clock: %v", err)
	}
}
