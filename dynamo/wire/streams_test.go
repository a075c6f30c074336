package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

const usersStreamArn = "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2024-05-01T12:00:00.000"

// streamsTest is a DB on a manual clock behind a Handler, with the table
// "users" streaming view.
type streamsTest struct {
	h     *Handler
	db    *dynamo.DB
	clock *clock.Manual
}

func newStreamsTest(t testing.TB, view string, opts Options) *streamsTest {
	t.Helper()
	c := clock.NewManual(epoch)
	db := dynamo.New(dynamo.Options{Clock: c, TTL: dynamo.TTLOptions{Immediate: true}})
	t.Cleanup(func() { db.Close() })
	if opts.Clock == nil {
		opts.Clock = c
	}
	st := &streamsTest{h: NewHandler(db, opts), db: db, clock: c}
	if view != "" {
		body := strings.Replace(createUsers, `"BillingMode"`, `"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"`+view+`"},"BillingMode"`, 1)
		if rec := post(st.h, "CreateTable", body); rec.Code != 200 {
			t.Fatalf("CreateTable: %s", rec.Body)
		}
	}
	return st
}

// postStreams sends one DynamoDB Streams request to h.
func postStreams(h http.Handler, op, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if op != "" {
		r.Header.Set("X-Amz-Target", StreamsTargetPrefix+op)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

func mustStreams(t *testing.T, h http.Handler, op, body string) map[string]any {
	t.Helper()
	rec := postStreams(h, op, body)
	if rec.Code != 200 {
		t.Fatalf("%s %s: %d %s", op, body, rec.Code, rec.Body)
	}
	return decode(t, rec)
}

func (st *streamsTest) write(t *testing.T, op, body string) {
	t.Helper()
	mustPost(t, st.h, op, body)
}

// shards returns the shard IDs DescribeStream lists.
func (st *streamsTest) shards(t *testing.T, arn string) []string {
	t.Helper()
	desc := mustStreams(t, st.h, "DescribeStream", `{"StreamArn":"`+arn+`"}`)["StreamDescription"].(map[string]any)
	var ids []string
	for _, sh := range desc["Shards"].([]any) {
		ids = append(ids, sh.(map[string]any)["ShardId"].(string))
	}
	return ids
}

func (st *streamsTest) iterator(t *testing.T, shard, typ, seq string) string {
	t.Helper()
	body := `{"StreamArn":"` + usersStreamArn + `","ShardId":"` + shard + `","ShardIteratorType":"` + typ + `"`
	if seq != "" {
		body += `,"SequenceNumber":"` + seq + `"`
	}
	return mustStreams(t, st.h, "GetShardIterator", body+"}")["ShardIterator"].(string)
}

func getRecords(t *testing.T, h http.Handler, it string) (records []any, next string) {
	t.Helper()
	out := mustStreams(t, h, "GetRecords", `{"ShardIterator":"`+it+`"}`)
	next, _ = out["NextShardIterator"].(string)
	return out["Records"].([]any), next
}

var eventIDPattern = regexp.MustCompile(`^[0-9a-f]{32}$`)

func TestStreams_GetRecordsWritesRecordsAsTheStreamsAPI(t *testing.T) {
	st := newStreamsTest(t, "NEW_AND_OLD_IMAGES", Options{})
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"name":{"S":"Ada"},"bin":{"B":"AAE="}}}`)
	st.clock.Advance(1500 * time.Millisecond)
	st.write(t, "UpdateItem", `{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}},"UpdateExpression":"SET #n = :n REMOVE bin","ExpressionAttributeNames":{"#n":"name"},"ExpressionAttributeValues":{":n":{"S":"Grace"}}}`)
	st.write(t, "DeleteItem", `{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}}}`)

	shards := st.shards(t, usersStreamArn)
	if len(shards) != 1 {
		t.Fatalf("shards = %v, want one", shards)
	}
	recs, next := getRecords(t, st.h, st.iterator(t, shards[0], "TRIM_HORIZON", ""))
	if next == "" {
		t.Error("an open shard gave no NextShardIterator")
	}
	ids := map[string]bool{}
	for i, r := range recs {
		m := r.(map[string]any)
		id, _ := m["eventID"].(string)
		if !eventIDPattern.MatchString(id) || ids[id] {
			t.Errorf("record %d: eventID %q is not 32 new hex digits", i, id)
		}
		ids[id] = true
		delete(m, "eventID")
	}
	const keys = `"Keys":{"pk":{"S":"u1"},"sk":{"N":"1"}}`
	const head = `"awsRegion":"us-east-1","eventSource":"aws:dynamodb","eventVersion":"1.1"`
	jsonEqual(t, "records", map[string]any{"Records": recs}, `{"Records":[
		{`+head+`,"eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1714564800,`+keys+`,
			"NewImage":{"pk":{"S":"u1"},"sk":{"N":"1"},"name":{"S":"Ada"},"bin":{"B":"AAE="}},
			"SequenceNumber":"100000000000000000001","SizeBytes":28,"StreamViewType":"NEW_AND_OLD_IMAGES"}},
		{`+head+`,"eventName":"MODIFY","dynamodb":{"ApproximateCreationDateTime":1714564801,`+keys+`,
			"NewImage":{"pk":{"S":"u1"},"sk":{"N":"1"},"name":{"S":"Grace"}},
			"OldImage":{"pk":{"S":"u1"},"sk":{"N":"1"},"name":{"S":"Ada"},"bin":{"B":"AAE="}},
			"SequenceNumber":"100000000000000000002","SizeBytes":45,"StreamViewType":"NEW_AND_OLD_IMAGES"}},
		{`+head+`,"eventName":"REMOVE","dynamodb":{"ApproximateCreationDateTime":1714564801,`+keys+`,
			"OldImage":{"pk":{"S":"u1"},"sk":{"N":"1"},"name":{"S":"Grace"}},
			"SequenceNumber":"100000000000000000003","SizeBytes":25,"StreamViewType":"NEW_AND_OLD_IMAGES"}}]}`)

	// The next iterator reads nothing new, then what comes next.
	recs, next = getRecords(t, st.h, next)
	if len(recs) != 0 || next == "" {
		t.Errorf("after the end: %d records, next %q", len(recs), next)
	}
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u2"},"sk":{"N":"2"}}}`)
	recs, _ = getRecords(t, st.h, next)
	if len(recs) != 1 || recs[0].(map[string]any)["eventName"] != "INSERT" {
		t.Errorf("after a new write: %v", recs)
	}
}

func TestStreams_ViewTypesDecideTheImages(t *testing.T) {
	for _, tt := range []struct {
		view     string
		newImage bool
		oldImage bool
	}{
		{"KEYS_ONLY", false, false},
		{"NEW_IMAGE", true, false},
		{"OLD_IMAGE", false, true},
		{"NEW_AND_OLD_IMAGES", true, true},
	} {
		t.Run(tt.view, func(t *testing.T) {
			st := newStreamsTest(t, tt.view, Options{})
			st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"1"}}}`)
			st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"a"},"sk":{"N":"1"},"v":{"N":"2"}}}`)
			recs, _ := getRecords(t, st.h, st.iterator(t, st.shards(t, usersStreamArn)[0], "TRIM_HORIZON", ""))
			if len(recs) != 2 {
				t.Fatalf("%d records, want 2", len(recs))
			}
			ddb := recs[1].(map[string]any)["dynamodb"].(map[string]any)
			if _, ok := ddb["NewImage"]; ok != tt.newImage {
				t.Errorf("NewImage present = %v, want %v", ok, tt.newImage)
			}
			if _, ok := ddb["OldImage"]; ok != tt.oldImage {
				t.Errorf("OldImage present = %v, want %v", ok, tt.oldImage)
			}
			if ddb["StreamViewType"] != tt.view || ddb["Keys"] == nil {
				t.Errorf("dynamodb = %v", ddb)
			}
		})
	}
}

func TestStreams_IteratorTypesStartWhereTheySay(t *testing.T) {
	st := newStreamsTest(t, "KEYS_ONLY", Options{})
	for i := 1; i <= 3; i++ {
		st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"p"},"sk":{"N":"`+strconv.Itoa(i)+`"}}}`)
	}
	shard := st.shards(t, usersStreamArn)[0]
	seqs := func(recs []any) []string {
		var out []string
		for _, r := range recs {
			out = append(out, r.(map[string]any)["dynamodb"].(map[string]any)["SequenceNumber"].(string))
		}
		return out
	}
	const s1, s2, s3 = "100000000000000000001", "100000000000000000002", "100000000000000000003"
	tests := []struct {
		typ, seq string
		want     []string
	}{
		{"TRIM_HORIZON", "", []string{s1, s2, s3}},
		{"LATEST", "", nil},
		{"AT_SEQUENCE_NUMBER", s2, []string{s2, s3}},
		{"AFTER_SEQUENCE_NUMBER", s2, []string{s3}},
		{"AFTER_SEQUENCE_NUMBER", s3, nil},
	}
	for _, tt := range tests {
		// Each iterator is a reader of its own; two may read a shard
		// within one second.
		st.clock.Advance(time.Second)
		recs, _ := getRecords(t, st.h, st.iterator(t, shard, tt.typ, tt.seq))
		if got := seqs(recs); !slices.Equal(got, tt.want) {
			t.Errorf("%s %s: %v, want %v", tt.typ, tt.seq, got, tt.want)
		}
	}
}

func TestStreams_ListAndDescribePage(t *testing.T) {
	st := newStreamsTest(t, "KEYS_ONLY", Options{})
	mustPost(t, st.h, "CreateTable", `{"TableName":"zeta","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_IMAGE"}}`)
	const zetaArn = "arn:aws:dynamodb:us-east-1:123456789012:table/zeta/stream/2024-05-01T12:00:00.000"

	got := mustStreams(t, st.h, "ListStreams", `{"Limit":1}`)
	jsonEqual(t, "first page", got, `{"LastEvaluatedStreamArn":"`+usersStreamArn+`",
		"Streams":[{"StreamArn":"`+usersStreamArn+`","StreamLabel":"2024-05-01T12:00:00.000","TableName":"users"}]}`)
	got = mustStreams(t, st.h, "ListStreams", `{"Limit":1,"ExclusiveStartStreamArn":"`+usersStreamArn+`"}`)
	jsonEqual(t, "last page", got, `{"Streams":[{"StreamArn":"`+zetaArn+`","StreamLabel":"2024-05-01T12:00:00.000","TableName":"zeta"}]}`)
	got = mustStreams(t, st.h, "ListStreams", `{"TableName":"zeta"}`)
	if s := got["Streams"].([]any); len(s) != 1 || s[0].(map[string]any)["TableName"] != "zeta" {
		t.Errorf("ListStreams of zeta: %v", got)
	}
	got = mustStreams(t, st.h, "ListStreams", `{"TableName":"nothing"}`)
	jsonEqual(t, "no streams", got, `{"Streams":[]}`)

	// After four hours the shard rolls over: the first closes with an
	// ending sequence number and a child takes over.
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"p"},"sk":{"N":"1"}}}`)
	st.clock.Advance(4*time.Hour + time.Second)
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"p"},"sk":{"N":"2"}}}`)
	desc := mustStreams(t, st.h, "DescribeStream", `{"StreamArn":"`+usersStreamArn+`"}`)["StreamDescription"].(map[string]any)
	shards := desc["Shards"].([]any)
	if len(shards) != 2 {
		t.Fatalf("shards = %v", shards)
	}
	first, second := shards[0].(map[string]any), shards[1].(map[string]any)
	id1, id2 := first["ShardId"].(string), second["ShardId"].(string)
	delete(desc, "Shards")
	jsonEqual(t, "StreamDescription", desc, `{"CreationRequestDateTime":1714564800,"StreamArn":"`+usersStreamArn+`",
		"StreamLabel":"2024-05-01T12:00:00.000","StreamStatus":"ENABLED","StreamViewType":"KEYS_ONLY","TableName":"users",
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]}`)
	jsonEqual(t, "closed shard", first, `{"ShardId":"`+id1+`","SequenceNumberRange":{"StartingSequenceNumber":"100000000000000000001","EndingSequenceNumber":"100000000000000000001"}}`)
	jsonEqual(t, "open child", second, `{"ShardId":"`+id2+`","ParentShardId":"`+id1+`","SequenceNumberRange":{"StartingSequenceNumber":"100000000000000000002"}}`)

	got = mustStreams(t, st.h, "DescribeStream", `{"StreamArn":"`+usersStreamArn+`","Limit":1}`)
	desc = got["StreamDescription"].(map[string]any)
	if desc["LastEvaluatedShardId"] != id1 || len(desc["Shards"].([]any)) != 1 {
		t.Errorf("first page of shards: %v", desc)
	}
	desc = mustStreams(t, st.h, "DescribeStream", `{"StreamArn":"`+usersStreamArn+`","Limit":1,"ExclusiveStartShardId":"`+id1+`"}`)["StreamDescription"].(map[string]any)
	if _, more := desc["LastEvaluatedShardId"]; more || len(desc["Shards"].([]any)) != 1 {
		t.Errorf("last page of shards: %v", desc)
	}

	// ShardFilter CHILD_SHARDS lists a shard's children only.
	filter := func(id string) map[string]any {
		return mustStreams(t, st.h, "DescribeStream", `{"StreamArn":"`+usersStreamArn+`","ShardFilter":{"Type":"CHILD_SHARDS","ShardId":"`+id+`"}}`)["StreamDescription"].(map[string]any)
	}
	if kids := filter(id1)["Shards"].([]any); len(kids) != 1 || kids[0].(map[string]any)["ShardId"] != id2 {
		t.Errorf("children of %s: %v", id1, kids)
	}
	if kids := filter(id2)["Shards"].([]any); len(kids) != 0 {
		t.Errorf("children of the open shard: %v", kids)
	}
	rec := postStreams(st.h, "DescribeStream", `{"StreamArn":"`+usersStreamArn+`","ShardFilter":{"Type":"PARENT"}}`)
	if msg, _ := decode(t, rec)["message"].(string); rec.Code != 400 || !strings.Contains(msg, "2 validation errors detected: Value 'PARENT' at 'shardFilter.type' failed to satisfy constraint: Member must satisfy enum value set: [CHILD_SHARDS]; Value null at 'shardFilter.shardId'") {
		t.Errorf("bad ShardFilter: %d %s", rec.Code, rec.Body)
	}

	// The closed shard is read to its end: no NextShardIterator.
	recs, next := getRecords(t, st.h, st.iterator(t, id1, "TRIM_HORIZON", ""))
	if len(recs) != 1 || next != "" {
		t.Errorf("closed shard: %d records, next %q", len(recs), next)
	}
}

func TestStreams_TimeToLiveRemovalCarriesUserIdentity(t *testing.T) {
	st := newStreamsTest(t, "OLD_IMAGE", Options{})
	mustPost(t, st.h, "UpdateTimeToLive", `{"TableName":"users","TimeToLiveSpecification":{"AttributeName":"exp","Enabled":true}}`)
	exp := strconv.FormatInt(epoch.Add(time.Minute).Unix(), 10)
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"t"},"sk":{"N":"1"},"exp":{"N":"`+exp+`"}}}`)
	st.clock.Advance(2 * time.Minute)
	recs, _ := getRecords(t, st.h, st.iterator(t, st.shards(t, usersStreamArn)[0], "TRIM_HORIZON", ""))
	if len(recs) != 2 {
		t.Fatalf("%d records, want INSERT and the TTL REMOVE", len(recs))
	}
	rm := recs[1].(map[string]any)
	if rm["eventName"] != "REMOVE" {
		t.Fatalf("second record %v", rm)
	}
	jsonEqual(t, "userIdentity", rm["userIdentity"].(map[string]any), `{"PrincipalId":"dynamodb.amazonaws.com","Type":"Service"}`)
	if _, ok := recs[0].(map[string]any)["userIdentity"]; ok {
		t.Error("a request's INSERT carries a userIdentity")
	}
	if _, ok := rm["eventSourceARN"]; ok {
		t.Error("the Streams API record carries eventSourceARN, which only Lambda adds")
	}
}

func TestStreams_ErrorsAsTheStreamsServiceSendsThem(t *testing.T) {
	st := newStreamsTest(t, "KEYS_ONLY", Options{Logger: discardLogger})
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"p"},"sk":{"N":"1"}}}`)
	shard := st.shards(t, usersStreamArn)[0]
	stale := st.iterator(t, shard, "TRIM_HORIZON", "")
	st.clock.Advance(15*time.Minute + time.Second)
	fresh := st.iterator(t, shard, "TRIM_HORIZON", "")
	missingArn := strings.Replace(usersStreamArn, "12:00:00.000", "13:00:00.000", 1)

	const (
		streamsNS = "com.amazonaws.dynamodb.streams.v20120810#"
		dynamoNS  = "com.amazonaws.dynamodb.v20120810#"
		validate  = "com.amazon.coral.validate#ValidationException"
		serial    = "com.amazon.coral.service#SerializationException"
	)
	tests := []struct {
		name, op, body string
		typ, message   string
	}{
		{"expired iterator", "GetRecords", `{"ShardIterator":"` + stale + `"}`, streamsNS + "ExpiredIteratorException", "Iterator expired. The iterator was created at time"},
		{"stream not found", "DescribeStream", `{"StreamArn":"` + missingArn + `"}`, dynamoNS + "ResourceNotFoundException", "Requested resource not found: Stream: " + missingArn + " not found"},
		{"shard not found", "GetShardIterator", `{"StreamArn":"` + usersStreamArn + `","ShardId":"shardId-00000000000000000000-00000000","ShardIteratorType":"LATEST"}`, dynamoNS + "ResourceNotFoundException", "Shard: shardId-00000000000000000000-00000000"},
		{"required members, all listed", "GetShardIterator", `{}`, validate,
			"3 validation errors detected: Value null at 'streamArn' failed to satisfy constraint: Member must not be null; Value null at 'shardId' failed to satisfy constraint: Member must not be null; Value null at 'shardIteratorType' failed to satisfy constraint: Member must not be null"},
		{"iterator type enum", "GetShardIterator", `{"StreamArn":"` + usersStreamArn + `","ShardId":"` + shard + `","ShardIteratorType":"OLDEST"}`, validate,
			"1 validation error detected: Value 'OLDEST' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]"},
		{"short ARN", "DescribeStream", `{"StreamArn":"arn:x"}`, validate,
			"1 validation error detected: Value 'arn:x' at 'streamArn' failed to satisfy constraint: Member must have length greater than or equal to 37"},
		{"empty table name", "ListStreams", `{"TableName":""}`, validate,
			"1 validation error detected: Value '' at 'tableName' failed to satisfy constraint: Member must have length greater than or equal to 3"},
		{"zero limit", "GetRecords", `{"ShardIterator":"` + fresh + `","Limit":0}`, validate,
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"limit over 1000", "GetRecords", `{"ShardIterator":"` + fresh + `","Limit":1001}`, validate, "Member must have value between 1 and 1000"},
		{"garbled iterator", "GetRecords", `{"ShardIterator":"` + usersStreamArn + `|1|AAAA"}`, validate, "Invalid ShardIterator"},
		{"sequence number with LATEST", "GetShardIterator", `{"StreamArn":"` + usersStreamArn + `","ShardId":"` + shard + `","ShardIteratorType":"LATEST","SequenceNumber":"100000000000000000001"}`, validate, "Invalid SequenceNumber"},
		{"wrong JSON type", "GetRecords", `{"ShardIterator":7}`, serial, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"},
		{"not JSON", "ListStreams", `{"Limit":`, serial, "Malformed JSON"},
		{"empty body", "ListStreams", ``, serial, "The request body is empty"},
		{"unknown operation", "DescribeTable", `{}`, "com.amazon.coral.service#UnknownOperationException", "not a DynamoDB Streams operation"},
	}
	for _, tt := range tests {
		rec := postStreams(st.h, tt.op, tt.body)
		if rec.Code != 400 {
			t.Errorf("%s: status %d, want 400: %s", tt.name, rec.Code, rec.Body)
			continue
		}
		out := decode(t, rec)
		msg, _ := out["message"].(string)
		if tt.typ == serial {
			msg, _ = out["Message"].(string)
		}
		if out["__type"] != tt.typ || !strings.Contains(msg, tt.message) {
			t.Errorf("%s: %s\nwant __type %s, message containing %q", tt.name, rec.Body, tt.typ, tt.message)
		}
	}
}

func TestStreams_TrimmedAndThrottled(t *testing.T) {
	st := newStreamsTest(t, "KEYS_ONLY", Options{})
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"p"},"sk":{"N":"1"}}}`)
	shard := st.shards(t, usersStreamArn)[0]

	// Three readers within one second: the third is throttled.
	for i, want := range []int{200, 200, 400} {
		rec := postStreams(st.h, "GetRecords", `{"ShardIterator":"`+st.iterator(t, shard, "TRIM_HORIZON", "")+`"}`)
		if rec.Code != want {
			t.Fatalf("reader %d: %d %s", i+1, rec.Code, rec.Body)
		}
		if want == 400 && decode(t, rec)["__type"] != "com.amazonaws.dynamodb.v20120810#LimitExceededException" {
			t.Errorf("third reader: %s", rec.Body)
		}
	}

	// A day later the record is trimmed: an iterator issued before the
	// trim, and a sequence number behind the horizon, both fail.
	st.clock.Advance(24*time.Hour - 5*time.Minute)
	it := st.iterator(t, shard, "TRIM_HORIZON", "")
	st.write(t, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"p"},"sk":{"N":"2"}}}`)
	st.clock.Advance(10 * time.Minute)
	for name, rec := range map[string]*httptest.ResponseRecorder{
		"GetRecords":       postStreams(st.h, "GetRecords", `{"ShardIterator":"`+it+`"}`),
		"GetShardIterator": postStreams(st.h, "GetShardIterator", `{"StreamArn":"`+usersStreamArn+`","ShardId":"`+shard+`","ShardIteratorType":"AT_SEQUENCE_NUMBER","SequenceNumber":"100000000000000000001"}`),
	} {
		if rec.Code != 400 || decode(t, rec)["__type"] != "com.amazonaws.dynamodb.streams.v20120810#TrimmedDataAccessException" {
			t.Errorf("%s behind the trim horizon: %d %s", name, rec.Code, rec.Body)
		}
	}
	// The shard rolled over every four hours meanwhile: the first one
	// holds nothing readable now, the one open at the write (closed at
	// 24 hours) the new record.
	st.clock.Advance(time.Second)
	if recs, _ := getRecords(t, st.h, st.iterator(t, shard, "TRIM_HORIZON", "")); len(recs) != 0 {
		t.Errorf("TRIM_HORIZON of the trimmed shard: %v", recs)
	}
	shards := st.shards(t, usersStreamArn)
	if len(shards) != 7 || shards[0] != shard {
		t.Fatalf("after a day: shards %v, want the first and six children", shards)
	}
	recs, _ := getRecords(t, st.h, st.iterator(t, shards[5], "TRIM_HORIZON", ""))
	if len(recs) != 1 || fmt.Sprint(recs[0].(map[string]any)["dynamodb"].(map[string]any)["Keys"]) != "map[pk:map[S:p] sk:map[N:2]]" {
		t.Errorf("TRIM_HORIZON of the shard written to: %v", recs)
	}
}

func TestStreams_EveryResponseHasRequestIDAndCRC(t *testing.T) {
	st := newStreamsTest(t, "KEYS_ONLY", Options{})
	for _, body := range []string{`{}`, `{"Limit":0}`, `not json`} {
		rec := postStreams(st.h, "ListStreams", body)
		if id := rec.Header().Get("X-Amzn-Requestid"); len(id) != 52 {
			t.Errorf("%s: request ID %q", body, id)
		}
		if want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(rec.Body.Bytes())), 10); rec.Header().Get("X-Amz-Crc32") != want {
			t.Errorf("%s: CRC %q, want %s", body, rec.Header().Get("X-Amz-Crc32"), want)
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/x-amz-json-1.0" {
			t.Errorf("%s: Content-Type %q", body, ct)
		}
	}
}

func TestStreamsHandler_ServesOnlyTheStreamsEndpoint(t *testing.T) {
	st := newStreamsTest(t, "KEYS_ONLY", Options{})
	sh := NewStreamsHandler(st.db, Options{Region: "eu-west-1"})
	if got := decode(t, postStreams(sh, "ListStreams", `{}`))["Streams"].([]any); len(got) != 1 {
		t.Errorf("ListStreams on the Streams endpoint: %v", got)
	}
	rec := post(sh, "ListTables", `{}`)
	if rec.Code != 400 || decode(t, rec)["__type"] != "com.amazon.coral.service#UnknownOperationException" {
		t.Errorf("a DynamoDB operation on the Streams endpoint: %d %s", rec.Code, rec.Body)
	}
	ops := sh.Operations()
	slices.Sort(ops)
	if want := []string{"DescribeStream", "GetRecords", "GetShardIterator", "ListStreams"}; !slices.Equal(ops, want) {
		t.Errorf("Operations() = %v, want %v", ops, want)
	}

	tests := []struct {
		method, contentType, body string
		status                    int
		want                      string
	}{
		{"GET", "", "", 200, "healthy: streams.dynamodb.eu-west-1.amazonaws.com "},
		{"PUT", "application/x-amz-json-1.0", "{}", 404, "<UnknownOperationException/>\n"},
		{"POST", "text/plain", "{}", 404, "<UnknownOperationException/>\n"},
		{"POST", "application/json", `{"TableName":"users"}`, 200, `{"Streams":[{"StreamArn":"` + usersStreamArn + `","StreamLabel":"2024-05-01T12:00:00.000","TableName":"users"}]}`},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "/", strings.NewReader(tt.body))
		if tt.contentType != "" {
			r.Header.Set("Content-Type", tt.contentType)
		}
		r.Header.Set("X-Amz-Target", StreamsTargetPrefix+"ListStreams")
		rec := httptest.NewRecorder()
		sh.ServeHTTP(rec, r)
		if rec.Code != tt.status || rec.Body.String() != tt.want {
			t.Errorf("%s %s: %d %q, want %d %q", tt.method, tt.contentType, rec.Code, rec.Body, tt.status, tt.want)
		}
	}
	big := NewStreamsHandler(st.db, Options{Limits: Limits{MaxRequestBytes: 16}})
	if rec := postStreams(big, "ListStreams", `{"TableName":"`+strings.Repeat("x", 40)+`"}`); rec.Code != 413 {
		t.Errorf("oversized body: %d %s", rec.Code, rec.Body)
	}
}

func TestStreams_InjectPanicsAndSignatures(t *testing.T) {
	var seen []string
	var logs bytes.Buffer
	st := newStreamsTest(t, "KEYS_ONLY", Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Inject: func(_ context.Context, op string) error {
			seen = append(seen, op)
			switch op {
			case "DescribeStream":
				return dynamo.ErrLimitExceeded.New("injected")
			case "GetRecords":
				panic("boom")
			}
			return nil
		},
	})
	seen = nil
	if rec := postStreams(st.h, "DescribeStream", `{"StreamArn":"`+usersStreamArn+`"}`); decode(t, rec)["__type"] != "com.amazonaws.dynamodb.v20120810#LimitExceededException" {
		t.Errorf("injected error: %s", rec.Body)
	}
	rec := postStreams(st.h, "GetRecords", `{"ShardIterator":"x"}`)
	if rec.Code != 500 {
		t.Fatalf("panic: status %d", rec.Code)
	}
	jsonEqual(t, "panic", decode(t, rec), `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}`)
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
	if !slices.Equal(seen, []string{"DescribeStream", "GetRecords"}) {
		t.Errorf("Inject saw %v", seen)
	}

	signed := newStreamsTest(t, "", Options{Credentials: map[string]string{exampleKeyID: exampleSecret}})
	body := `{}`
	for _, tt := range []struct {
		secret string
		want   string
	}{
		{exampleSecret, ""},
		{"wrong", "com.amazon.coral.service#InvalidSignatureException"},
	} {
		r := httptest.NewRequest("POST", "http://localhost/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", StreamsTargetPrefix+"ListStreams")
		signRequest(r, []byte(body), exampleKeyID, tt.secret, "us-east-1", epoch)
		rec := httptest.NewRecorder()
		signed.h.ServeHTTP(rec, r)
		if got, _ := decode(t, rec)["__type"].(string); got != tt.want {
			t.Errorf("signed with %q: %d %s", tt.secret, rec.Code, rec.Body)
		}
	}
	if rec := postStreams(signed.h, "ListStreams", `{}`); decode(t, rec)["__type"] != "com.amazon.coral.service#MissingAuthenticationTokenException" {
		t.Errorf("unsigned: %s", rec.Body)
	}
}

func TestStreamsErrorBody_NamespacesByModel(t *testing.T) {
	tests := []struct {
		err    error
		status int
		body   string
	}{
		{dynamo.ErrExpiredIterator.New("Iterator expired"), 400,
			`{"__type":"com.amazonaws.dynamodb.streams.v20120810#ExpiredIteratorException","message":"Iterator expired"}`},
		{dynamo.ErrTrimmedDataAccess.New("trimmed"), 400,
			`{"__type":"com.amazonaws.dynamodb.streams.v20120810#TrimmedDataAccessException","message":"trimmed"}`},
		{fmt.Errorf("wrapped: %w", dynamo.ErrResourceNotFound.New("gone")), 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"gone"}`},
		{dynamo.ErrLimitExceeded.New("slow"), 400,
			`{"__type":"com.amazonaws.dynamodb.v20120810#LimitExceededException","message":"slow"}`},
		{ErrSerialization.New("bad"), 400,
			`{"__type":"com.amazon.coral.service#SerializationException","Message":"bad"}`},
		{context.DeadlineExceeded, 500,
			`{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"The request was canceled before it completed"}`},
	}
	for _, tt := range tests {
		status, body := streamsErrorBody(tt.err)
		if status != tt.status || string(body) != tt.body {
			t.Errorf("streamsErrorBody(%v) = %d %s\nwant %d %s", tt.err, status, body, tt.status, tt.body)
		}
		if !json.Valid(body) {
			t.Errorf("not JSON: %s", body)
		}
	}
}
