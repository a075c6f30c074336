package wire

import (
	"bytes"
	"context"
	"encoding/json"
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

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

var epoch = time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)

func newTestHandler(t testing.TB, opts Options) *Handler {
	t.Helper()
	if opts.Clock == nil {
		opts.Clock = clock.NewManual(epoch)
	}
	db := dynamo.New(dynamo.Options{Clock: opts.Clock, LiveTableStats: true})
	t.Cleanup(func() { db.Close() })
	return NewHandler(db, opts)
}

// post sends one request to h the way the SDKs do.
func post(h http.Handler, op, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	if op != "" {
		r.Header.Set("X-Amz-Target", TargetPrefix+op)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// mustPost sends a request that must succeed and returns its decoded body.
func mustPost(t *testing.T, h http.Handler, op, body string) map[string]any {
	t.Helper()
	rec := post(h, op, body)
	if rec.Code != 200 {
		t.Fatalf("%s %s: %d %s", op, body, rec.Code, rec.Body)
	}
	return decode(t, rec)
}

func decode(t *testing.T, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var out map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
		t.Fatalf("body %q is not a JSON object: %v", rec.Body, err)
	}
	return out
}

// jsonEqual compares a response body with the expected JSON.
func jsonEqual(t *testing.T, what string, got map[string]any, want string) {
	t.Helper()
	var w map[string]any
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation %s: %v", want, err)
	}
	if diff := cmp.Diff(w, got); diff != "" {
		t.Errorf("%s (-want +got):\n%s", what, diff)
	}
}

const createUsers = `{"TableName":"users","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"sk","AttributeType":"N"}],
	"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}],"BillingMode":"PAY_PER_REQUEST"}`

func TestHandler_ServesItemOperations(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)

	mustPost(t, h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"name":{"S":"Ada"},"tags":{"SS":["a","b"]},"raw":{"B":"AAE="}}}`)
	got := mustPost(t, h, "GetItem", `{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}}}`)
	jsonEqual(t, "GetItem", got, `{"Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"name":{"S":"Ada"},"tags":{"SS":["a","b"]},"raw":{"B":"AAE="}}}`)

	got = mustPost(t, h, "UpdateItem", `{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}},
		"UpdateExpression":"SET #n = :n, visits = if_not_exists(visits, :zero) + :one","ExpressionAttributeNames":{"#n":"name"},
		"ExpressionAttributeValues":{":n":{"S":"Grace"},":zero":{"N":"0"},":one":{"N":"1"}},"ReturnValues":"UPDATED_NEW"}`)
	jsonEqual(t, "UpdateItem", got, `{"Attributes":{"name":{"S":"Grace"},"visits":{"N":"1"}}}`)

	got = mustPost(t, h, "GetItem", `{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}},"ProjectionExpression":"visits"}`)
	jsonEqual(t, "GetItem with projection", got, `{"Item":{"visits":{"N":"1"}}}`)

	got = mustPost(t, h, "GetItem", `{"TableName":"users","Key":{"pk":{"S":"nobody"},"sk":{"N":"1"}}}`)
	jsonEqual(t, "GetItem of a missing item", got, `{}`)

	got = mustPost(t, h, "DeleteItem", `{"TableName":"users","Key":{"pk":{"S":"u1"},"sk":{"N":"1"}},"ReturnValues":"ALL_OLD"}`)
	if attrs, _ := got["Attributes"].(map[string]any); attrs["name"] == nil {
		t.Errorf("DeleteItem ALL_OLD = %v, want the old item", got)
	}
	got = mustPost(t, h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u2"},"sk":{"N":"1"}}}`)
	jsonEqual(t, "PutItem without ReturnValues", got, `{}`)
}

func TestHandler_QueryAndScanPages(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)
	for i := 1; i <= 5; i++ {
		mustPost(t, h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"p"},"sk":{"N":"`+strconv.Itoa(i)+`"},"even":{"BOOL":`+strconv.FormatBool(i%2 == 0)+`}}}`)
	}
	got := mustPost(t, h, "Query", `{"TableName":"users","KeyConditionExpression":"pk = :p AND sk > :s","ExpressionAttributeValues":{":p":{"S":"p"},":s":{"N":"1"}},"Limit":2,"ScanIndexForward":false}`)
	jsonEqual(t, "Query page", got, `{"Count":2,"ScannedCount":2,
		"Items":[{"pk":{"S":"p"},"sk":{"N":"5"},"even":{"BOOL":false}},{"pk":{"S":"p"},"sk":{"N":"4"},"even":{"BOOL":true}}],
		"LastEvaluatedKey":{"pk":{"S":"p"},"sk":{"N":"4"}}}`)

	got = mustPost(t, h, "Query", `{"TableName":"users","KeyConditionExpression":"pk = :p","FilterExpression":"even = :t","ExpressionAttributeValues":{":p":{"S":"p"},":t":{"BOOL":true}},"Select":"COUNT"}`)
	jsonEqual(t, "Query COUNT leaves Items out", got, `{"Count":2,"ScannedCount":5}`)

	got = mustPost(t, h, "Scan", `{"TableName":"users","Limit":3}`)
	if got["Count"] != 3.0 || got["LastEvaluatedKey"] == nil {
		t.Errorf("Scan page = %v", got)
	}
	got = mustPost(t, h, "Scan", `{"TableName":"users","Segment":0,"TotalSegments":1}`)
	if got["Count"] != 5.0 || got["LastEvaluatedKey"] != nil {
		t.Errorf("Scan segment = %v", got)
	}
	got = mustPost(t, h, "Query", `{"TableName":"users","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"none"}}}`)
	jsonEqual(t, "empty Query", got, `{"Count":0,"ScannedCount":0,"Items":[]}`)
}

func TestHandler_ServesTableOperations(t *testing.T) {
	c := clock.NewManual(epoch)
	h := newTestHandler(t, Options{Clock: c})
	got := mustPost(t, h, "CreateTable", `{"TableName":"orders","AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"cust","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":2},
		"GlobalSecondaryIndexes":[{"IndexName":"byCust","KeySchema":[{"AttributeName":"cust","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},
		"ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}]}`)
	desc := got["TableDescription"].(map[string]any)
	tableID, _ := desc["TableId"].(string)
	jsonEqual(t, "CreateTable", got, `{"TableDescription":{
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"},{"AttributeName":"cust","AttributeType":"S"}],
		"BillingModeSummary":{"BillingMode":"PROVISIONED"},
		"CreationDateTime":1714564800,
		"DeletionProtectionEnabled":false,
		"GlobalSecondaryIndexes":[{"IndexArn":"arn:aws:dynamodb:us-east-1:123456789012:table/orders/index/byCust","IndexName":"byCust","IndexSizeBytes":0,
			"IndexStatus":"CREATING","ItemCount":0,"KeySchema":[{"AttributeName":"cust","KeyType":"HASH"}],"Projection":{"ProjectionType":"KEYS_ONLY"},
			"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":1,"WriteCapacityUnits":1}}],
		"ItemCount":0,"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"ProvisionedThroughput":{"NumberOfDecreasesToday":0,"ReadCapacityUnits":5,"WriteCapacityUnits":2},
		"TableArn":"arn:aws:dynamodb:us-east-1:123456789012:table/orders","TableClassSummary":{"TableClass":"STANDARD"},
		"TableId":"`+tableID+`","TableName":"orders","TableSizeBytes":0,"TableStatus":"CREATING"}}`)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(tableID) {
		t.Errorf("TableId = %q, want a UUID", tableID)
	}

	c.Advance(1500 * time.Millisecond)
	got = mustPost(t, h, "DescribeTable", `{"TableName":"orders"}`)
	if s := got["Table"].(map[string]any)["TableStatus"]; s != "ACTIVE" {
		t.Errorf("DescribeTable status = %v", s)
	}
	got = mustPost(t, h, "UpdateTable", `{"TableName":"orders","BillingMode":"PAY_PER_REQUEST"}`)
	summary := got["TableDescription"].(map[string]any)["BillingModeSummary"]
	jsonEqual(t, "UpdateTable billing", summary.(map[string]any), `{"BillingMode":"PAY_PER_REQUEST","LastUpdateToPayPerRequestDateTime":1714564801.5}`)

	mustPost(t, h, "CreateTable", strings.Replace(createUsers, `"users"`, `"accounts"`, 1))
	got = mustPost(t, h, "ListTables", `{"Limit":1}`)
	jsonEqual(t, "ListTables page", got, `{"TableNames":["accounts"],"LastEvaluatedTableName":"accounts"}`)
	got = mustPost(t, h, "ListTables", `{"ExclusiveStartTableName":"accounts"}`)
	jsonEqual(t, "ListTables last page", got, `{"TableNames":["orders"]}`)

	got = mustPost(t, h, "DeleteTable", `{"TableName":"orders"}`)
	if s := got["TableDescription"].(map[string]any)["TableStatus"]; s != "DELETING" {
		t.Errorf("DeleteTable status = %v", s)
	}
	rec := post(h, "DescribeTable", `{"TableName":"orders"}`)
	if rec.Code != 400 || decode(t, rec)["__type"] != "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" {
		t.Errorf("DescribeTable after delete = %d %s", rec.Code, rec.Body)
	}
}

func TestHandler_EveryResponseHasRequestIDAndCRC(t *testing.T) {
	h := newTestHandler(t, Options{})
	id := regexp.MustCompile(`^[A-Z0-9]{52}$`)
	cases := []*httptest.ResponseRecorder{
		post(h, "ListTables", `{}`),
		post(h, "DescribeTable", `{"TableName":"missing"}`),
		post(h, "Nope", `{}`),
		post(h, "ListTables", `{`),
	}
	get := httptest.NewRecorder()
	h.ServeHTTP(get, httptest.NewRequest("PUT", "/", nil))
	cases = append(cases, get)
	seen := map[string]bool{}
	for i, rec := range cases {
		rid := rec.Header().Get("X-Amzn-RequestId")
		if !id.MatchString(rid) || seen[rid] {
			t.Errorf("response %d: x-amzn-RequestId = %q", i, rid)
		}
		seen[rid] = true
		want := strconv.FormatUint(uint64(crc32.ChecksumIEEE(rec.Body.Bytes())), 10)
		if got := rec.Header().Get("X-Amz-Crc32"); got != want {
			t.Errorf("response %d: x-amz-crc32 = %q, want %q", i, got, want)
		}
		if got := rec.Header().Get("Content-Length"); got != strconv.Itoa(rec.Body.Len()) {
			t.Errorf("response %d: Content-Length = %q for %d bytes", i, got, rec.Body.Len())
		}
	}
}

func TestHandler_RequestIDsFollowTheSeed(t *testing.T) {
	ids := func(seed uint64) []string {
		h := newTestHandler(t, Options{Seed: seed})
		var out []string
		for range 3 {
			out = append(out, post(h, "ListTables", `{}`).Header().Get("X-Amzn-RequestId"))
		}
		return out
	}
	a, b, c := ids(7), ids(7), ids(8)
	if !cmp.Equal(a, b) {
		t.Errorf("same seed gave %v and %v", a, b)
	}
	if cmp.Equal(a, c) {
		t.Errorf("different seeds gave the same IDs %v", a)
	}
}

func TestHandler_AnswersMalformedRequestsAsDynamoDB(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)
	const (
		ser = "com.amazon.coral.service#SerializationException"
		val = "com.amazon.coral.validate#ValidationException"
	)
	tests := []struct {
		name, op, body, typ, msg string
	}{
		{"unknown operation", "DropEverything", `{}`, "com.amazon.coral.service#UnknownOperationException", ""},
		{"no target", "", `{}`, "com.amazon.coral.service#UnknownOperationException", ""},
		{"malformed JSON", "GetItem", `{"TableName":`, ser, ""},
		{"empty body", "ListTables", ``, ser, ""},
		{"array body", "ListTables", `[]`, ser, "Start of list found where not expected"},
		{"string for TableName", "GetItem", `{"TableName":1}`, ser, "class com.amazon.coral.value.json.numbers.TruncatingBigNumber can not be converted to an String"},
		{"string for Limit", "Scan", `{"TableName":"users","Limit":"5"}`, ser, "class java.lang.String can not be converted to an Integer"},
		{"list for Key", "GetItem", `{"TableName":"users","Key":[]}`, ser, "Start of list found where not expected"},
		{"string for value", "PutItem", `{"TableName":"users","Item":{"pk":"u1"}}`, ser, "Expected null"},
		{"missing members", "PutItem", `{}`, val, "2 validation errors detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null; Value null at 'item' failed to satisfy constraint: Member must not be null"},
		{"missing key", "GetItem", `{"TableName":"users"}`, val, "1 validation error detected: Value null at 'key' failed to satisfy constraint: Member must not be null"},
		{"limit zero", "Query", `{"TableName":"users","Limit":0,"KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`, val,
			"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"list limit too big", "ListTables", `{"Limit":101}`, val,
			"1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100"},
		{"capacity enum", "GetItem", `{"TableName":"users","Key":{"pk":{"S":"a"},"sk":{"N":"1"}},"ReturnConsumedCapacity":"ALL"}`, val,
			"1 validation error detected: Value 'ALL' at 'returnConsumedCapacity' failed to satisfy constraint: Member must satisfy enum value set: [INDEXES, TOTAL, NONE]"},
		{"zero capacity", "CreateTable", `{"TableName":"x12","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"ProvisionedThroughput":{"ReadCapacityUnits":0,"WriteCapacityUnits":1}}`, val,
			"1 validation error detected: Value '0' at 'provisionedThroughput.readCapacityUnits' failed to satisfy constraint: Member must have value greater than or equal to 1"},
		{"key schema member missing", "CreateTable", `{"TableName":"x12","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a"}],"BillingMode":"PAY_PER_REQUEST"}`, val,
			"1 validation error detected: Value null at 'keySchema.1.member.keyType' failed to satisfy constraint: Member must not be null"},
		{"empty value", "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"x":{}}}`, val,
			"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"unknown value type", "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"x":{"Z":"1"}}}`, val,
			"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"},
		{"two value types", "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"x":{"S":"a","BOOL":true}}}`, val,
			"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"two value types in a key", "GetItem", `{"TableName":"users","Key":{"pk":{"S":"u1","N":"1"},"sk":{"N":"1"}}}`, val,
			"Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes"},
		{"constraints before values", "PutItem", `{"Item":{"x":{}}}`, val,
			"1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null"},
		{"serialization before constraints", "PutItem", `{"Item":{"x":{"S":true}}}`, ser, "class java.lang.Boolean can not be converted to an String"},
		{"legacy Expected", "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"}},"Expected":{"pk":{"Exists":false}}}`, val,
			"minicloud does not support the legacy parameter Expected; use ConditionExpression instead"},
		{"segment without total", "Scan", `{"TableName":"users","Segment":0}`, val,
			"The TotalSegments parameter is required but was not present in the request when Segment parameter is present"},
		{"stream without StreamEnabled", "CreateTable", `{"TableName":"x12","AttributeDefinitions":[{"AttributeName":"a","AttributeType":"S"}],"KeySchema":[{"AttributeName":"a","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST","StreamSpecification":{"StreamViewType":"NEW_IMAGE"}}`, val,
			"1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null"},
		{"dynamo's own validation", "GetItem", `{"TableName":"users","Key":{"pk":{"S":"u1"}}}`, val, "The provided key element does not match the schema"},
		{"unknown table", "GetItem", `{"TableName":"nope","Key":{"pk":{"S":"u1"}}}`, "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException", ""},
		{"bad number", "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"one"}}}`, val, ""},
		{"empty set", "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"s":{"SS":[]}}}`, val, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := post(h, tt.op, tt.body)
			if rec.Code != 400 {
				t.Fatalf("status %d, want 400; body %s", rec.Code, rec.Body)
			}
			got := decode(t, rec)
			msg, _ := got["message"].(string)
			if m, ok := got["Message"].(string); ok {
				msg = m
			}
			if got["__type"] != tt.typ || !strings.Contains(msg, tt.msg) {
				t.Errorf("got %s\nwant __type %s, message containing %q", rec.Body, tt.typ, tt.msg)
			}
		})
	}
}

func TestHandler_ConditionalCheckFailureCarriesTheItem(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)
	mustPost(t, h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"v":{"N":"1"}}}`)
	for _, tt := range []struct{ rv, want string }{
		{"", `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}`},
		{`,"ReturnValuesOnConditionCheckFailure":"ALL_OLD"`, `{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"pk":{"S":"u1"},"sk":{"N":"1"},"v":{"N":"1"}}}`},
	} {
		rec := post(h, "PutItem", `{"TableName":"users","Item":{"pk":{"S":"u1"},"sk":{"N":"1"}},"ConditionExpression":"attribute_not_exists(pk)"`+tt.rv+`}`)
		if rec.Code != 400 {
			t.Fatalf("status %d", rec.Code)
		}
		jsonEqual(t, "ConditionalCheckFailedException", decode(t, rec), tt.want)
	}
}

func TestHandler_InjectAnswersInsteadOfRunning(t *testing.T) {
	calls := 0
	h := newTestHandler(t, Options{Inject: func(ctx context.Context, op string) error {
		calls++
		if op == "CreateTable" {
			return ErrThrottling.New("Rate of requests exceeds the allowed throughput.")
		}
		return nil
	}})
	rec := post(h, "CreateTable", createUsers)
	if rec.Code != 400 || decode(t, rec)["__type"] != "com.amazon.coral.availability#ThrottlingException" {
		t.Errorf("injected throttle = %d %s", rec.Code, rec.Body)
	}
	rec = post(h, "DescribeTable", `{"TableName":"users"}`)
	if decode(t, rec)["__type"] != "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" {
		t.Errorf("the throttled CreateTable ran: %s", rec.Body)
	}
	if calls != 2 {
		t.Errorf("Inject called %d times, want 2", calls)
	}
}

func TestHandler_RecoversFromPanics(t *testing.T) {
	var logs bytes.Buffer
	h := newTestHandler(t, Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Inject: func(context.Context, string) error { panic("boom") },
	})
	rec := post(h, "ListTables", `{}`)
	if rec.Code != 500 {
		t.Fatalf("status %d, want 500", rec.Code)
	}
	jsonEqual(t, "panic", decode(t, rec), `{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"Internal server error"}`)
	if !strings.Contains(logs.String(), "boom") {
		t.Errorf("panic not logged: %s", logs.String())
	}
}

func TestHandler_HTTPLevelAnswers(t *testing.T) {
	h := newTestHandler(t, Options{Region: "eu-west-1", Limits: Limits{MaxRequestBytes: 64}})
	tests := []struct {
		method, contentType, body string
		status                    int
		want                      string
	}{
		{"GET", "", "", 200, "healthy: dynamodb.eu-west-1.amazonaws.com "},
		{"PUT", "application/x-amz-json-1.0", "{}", 404, "<UnknownOperationException/>\n"},
		{"POST", "text/plain", "{}", 404, "<UnknownOperationException/>\n"},
		{"POST", "application/x-amz-json-1.0", `{"TableName":"` + strings.Repeat("x", 100) + `"}`, 413, "Request Entity Too Large\n"},
		{"POST", "application/json", "{}", 200, `{"TableNames":[]}`},
	}
	for _, tt := range tests {
		r := httptest.NewRequest(tt.method, "/", strings.NewReader(tt.body))
		if tt.contentType != "" {
			r.Header.Set("Content-Type", tt.contentType)
		}
		r.Header.Set("X-Amz-Target", TargetPrefix+"ListTables")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		if rec.Code != tt.status || rec.Body.String() != tt.want {
			t.Errorf("%s %s: %d %q, want %d %q", tt.method, tt.contentType, rec.Code, rec.Body, tt.status, tt.want)
		}
	}
}

func TestHandler_VerifiesSignaturesWhenCredentialsAreSet(t *testing.T) {
	c := clock.NewManual(epoch)
	h := newTestHandler(t, Options{Clock: c, Credentials: map[string]string{exampleKeyID: exampleSecret}})
	body := `{}`
	r := httptest.NewRequest("POST", "http://localhost/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", TargetPrefix+"ListTables")
	signRequest(r, []byte(body), exampleKeyID, exampleSecret, "us-east-1", epoch)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != 200 {
		t.Errorf("signed request: %d %s", rec.Code, rec.Body)
	}
	rec = post(h, "ListTables", body)
	if rec.Code != 400 || decode(t, rec)["__type"] != "com.amazon.coral.service#MissingAuthenticationTokenException" {
		t.Errorf("unsigned request: %d %s", rec.Code, rec.Body)
	}
	// Without credentials any request goes, signed with anything or not.
	open := newTestHandler(t, Options{})
	r = httptest.NewRequest("POST", "http://localhost/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", TargetPrefix+"ListTables")
	signRequest(r, []byte(body), "whoever", "whatever", "mars-north-1", epoch.Add(-48*time.Hour))
	rec = httptest.NewRecorder()
	open.ServeHTTP(rec, r)
	if rec.Code != 200 {
		t.Errorf("open handler refused a request: %d %s", rec.Code, rec.Body)
	}
}

var discardLogger = slog.New(slog.DiscardHandler)

func TestHandler_ServesBatchesAndTransactions(t *testing.T) {
	h := newTestHandler(t, Options{})
	mustPost(t, h, "CreateTable", createUsers)
	got := mustPost(t, h, "BatchWriteItem", `{"RequestItems":{"users":[{"PutRequest":{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}}},{"PutRequest":{"Item":{"pk":{"S":"b"},"sk":{"N":"1"},"v":{"N":"7"}}}}]}}`)
	jsonEqual(t, "BatchWriteItem", got, `{"UnprocessedItems":{}}`)
	got = mustPost(t, h, "BatchGetItem", `{"RequestItems":{"users":{"Keys":[{"pk":{"S":"b"},"sk":{"N":"1"}},{"pk":{"S":"zz"},"sk":{"N":"1"}}]}}}`)
	jsonEqual(t, "BatchGetItem", got, `{"Responses":{"users":[{"pk":{"S":"b"},"sk":{"N":"1"},"v":{"N":"7"}}]},"UnprocessedKeys":{}}`)
	got = mustPost(t, h, "TransactGetItems", `{"TransactItems":[{"Get":{"TableName":"users","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}},{"Get":{"TableName":"users","Key":{"pk":{"S":"x"},"sk":{"N":"1"}}}}]}`)
	jsonEqual(t, "TransactGetItems", got, `{"Responses":[{"Item":{"pk":{"S":"a"},"sk":{"N":"1"}}},{}]}`)

	rec := post(h, "TransactWriteItems", `{"TransactItems":[
		{"Put":{"TableName":"users","Item":{"pk":{"S":"c"},"sk":{"N":"1"}}}},
		{"ConditionCheck":{"TableName":"users","Key":{"pk":{"S":"b"},"sk":{"N":"1"}},"ConditionExpression":"v = :v","ExpressionAttributeValues":{":v":{"N":"8"}},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}}]}`)
	if rec.Code != 400 {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	body := decode(t, rec)
	if body["__type"] != "com.amazonaws.dynamodb.v20120810#TransactionCanceledException" || body["Message"] == nil {
		t.Errorf("TransactionCanceledException = %s", rec.Body)
	}
	jsonEqual(t, "CancellationReasons", map[string]any{"r": body["CancellationReasons"]}, `{"r":[{"Code":"None"},
		{"Code":"ConditionalCheckFailed","Message":"The conditional request failed","Item":{"pk":{"S":"b"},"sk":{"N":"1"},"v":{"N":"7"}}}]}`)

	rec = post(h, "TransactWriteItems", `{"TransactItems":[{"Update":{"TableName":"users","Key":{"pk":{"S":"a"},"sk":{"N":"1"}}}}]}`)
	if msg := decode(t, rec)["message"]; msg != "1 validation error detected: Value null at 'transactItems.1.member.update.updateExpression' failed to satisfy constraint: Member must not be null" {
		t.Errorf("Update without expression: %s", rec.Body)
	}
}

func TestHandler_OperationsListsWhatItServes(t *testing.T) {
	h := newTestHandler(t, Options{})
	ops := h.Operations()
	for _, want := range []string{"CreateTable", "DescribeTable", "ListTables", "UpdateTable", "DeleteTable", "PutItem", "GetItem",
		"UpdateItem", "DeleteItem", "Query", "Scan", "BatchGetItem", "BatchWriteItem", "TransactWriteItems", "TransactGetItems", "UpdateTimeToLive", "DescribeTimeToLive"} {
		if !slices.Contains(ops, want) {
			t.Errorf("Operations() = %v, lacks %s", ops, want)
		}
	}
	for _, op := range ops {
		if rec := post(h, op, `{}`); decode(t, rec)["__type"] == "com.amazon.coral.service#UnknownOperationException" {
			t.Errorf("%s with an empty request: %d %s", op, rec.Code, rec.Body)
		}
	}
}

func TestHandler_StreamsAndTimeToLiveSettings(t *testing.T) {
	h := newTestHandler(t, Options{})
	got := mustPost(t, h, "CreateTable", strings.Replace(createUsers, `"BillingMode"`, `"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"},"BillingMode"`, 1))
	desc := got["TableDescription"].(map[string]any)
	arn, _ := desc["LatestStreamArn"].(string)
	if !strings.HasPrefix(arn, "arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/") || desc["LatestStreamLabel"] == nil {
		t.Errorf("stream ARN %q, label %v", arn, desc["LatestStreamLabel"])
	}
	jsonEqual(t, "StreamSpecification", desc["StreamSpecification"].(map[string]any), `{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}`)

	got = mustPost(t, h, "UpdateTimeToLive", `{"TableName":"users","TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}}`)
	jsonEqual(t, "UpdateTimeToLive", got, `{"TimeToLiveSpecification":{"AttributeName":"expires","Enabled":true}}`)
	got = mustPost(t, h, "DescribeTimeToLive", `{"TableName":"users"}`)
	jsonEqual(t, "DescribeTimeToLive", got, `{"TimeToLiveDescription":{"AttributeName":"expires","TimeToLiveStatus":"ENABLED"}}`)
}
