package sdktest

import (
	"context"
	"hash/crc32"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

// benchItem is a typical small item: a key and ten attributes, about 300
// bytes.
func benchItem() (dynamo.Item, map[string]types.AttributeValue) {
	native := dynamo.Item{
		"pk": dynamo.S("user#00042"), "name": dynamo.S("Ada Lovelace"), "email": dynamo.S("ada@example.com"),
		"age": dynamo.N("36"), "score": dynamo.N("1234.5"), "active": dynamo.BOOL(true),
		"tags": dynamo.SS{"admin", "beta"}, "avatar": dynamo.B("0123456789abcdef"),
		"address": dynamo.M{"city": dynamo.S("London"), "zip": dynamo.S("W1")},
		"logins":  dynamo.L{dynamo.N("1714564800"), dynamo.N("1714651200")},
		"note":    dynamo.NULL{},
	}
	sdk := map[string]types.AttributeValue{
		"pk": &types.AttributeValueMemberS{Value: "user#00042"}, "name": &types.AttributeValueMemberS{Value: "Ada Lovelace"},
		"email": &types.AttributeValueMemberS{Value: "ada@example.com"}, "age": &types.AttributeValueMemberN{Value: "36"},
		"score": &types.AttributeValueMemberN{Value: "1234.5"}, "active": &types.AttributeValueMemberBOOL{Value: true},
		"tags": &types.AttributeValueMemberSS{Value: []string{"admin", "beta"}}, "avatar": &types.AttributeValueMemberB{Value: []byte("0123456789abcdef")},
		"address": &types.AttributeValueMemberM{Value: map[string]types.AttributeValue{
			"city": &types.AttributeValueMemberS{Value: "London"}, "zip": &types.AttributeValueMemberS{Value: "W1"}}},
		"logins": &types.AttributeValueMemberL{Value: []types.AttributeValue{
			&types.AttributeValueMemberN{Value: "1714564800"}, &types.AttributeValueMemberN{Value: "1714651200"}}},
		"note": &types.AttributeValueMemberNULL{Value: true},
	}
	return native, sdk
}

// benchSetup returns a DB with the table "bench" holding benchItem, its
// wire handler, an SDK client reaching that handler over loopback HTTP,
// and one whose transport is minicloud.Transport, which calls the handler
// in the caller's goroutine: the SDK's whole client stack (serialization,
// signing, retries, deserialization) without the socket.
func benchSetup(b *testing.B) (*dynamo.DB, *wire.Handler, *dynamodb.Client, *dynamodb.Client) {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{})
	b.Cleanup(func() { db.Close() })
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "bench",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "pk", AttributeType: dynamo.ScalarAttributeTypeS}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "pk", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		b.Fatal(err)
	}
	item, _ := benchItem()
	if _, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "bench", Item: item}); err != nil {
		b.Fatal(err)
	}
	h := wire.NewHandler(db, wire.Options{})
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	return db, h, clientFor(srv.URL, srv.Client().Transport, testKeyID, testSecret), clientFor(minicloud.Endpoint, &minicloud.Transport{Handler: h}, testKeyID, testSecret)
}

// floorClient is an SDK client, through minicloud.Transport, for a handler
// that does nothing: it answers every request with the bytes h answered
// the same request with once, so what the SDK and the transport cost
// alone is measured (the floor under minicloud's own work).
func floorClient(h *wire.Handler, recorded map[string]string) *dynamodb.Client {
	answers := map[string][]byte{}
	for op, body := range recorded {
		answers[wire.TargetPrefix+op] = serve(h, op, body).Body.Bytes()
	}
	floor := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body := answers[r.Header.Get("X-Amz-Target")]
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("X-Amz-Crc32", strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10))
		w.Write(body)
	})
	return clientFor(minicloud.Endpoint, &minicloud.Transport{Handler: floor}, testKeyID, testSecret)
}

// BenchmarkGetItem reads one item four ways: through the SDK over
// loopback HTTP (what a user's production code costs against minicloud),
// through the SDK with a transport that calls the handler directly (the
// SDK and the protocol without the socket), through the wire handler
// alone (JSON decode and encode, no SDK), and on the in-process API.
func BenchmarkGetItem(b *testing.B) {
	ctx := context.Background()
	db, h, c, direct := benchSetup(b)
	in := &dynamodb.GetItemInput{TableName: aws.String("bench"), Key: map[string]types.AttributeValue{"pk": &types.AttributeValueMemberS{Value: "user#00042"}}}
	floor := floorClient(h, map[string]string{"GetItem": `{"TableName":"bench","Key":{"pk":{"S":"user#00042"}}}`})
	for _, sdk := range []struct {
		name string
		c    *dynamodb.Client
	}{{"sdk-http", c}, {"sdk-direct", direct}, {"sdk-floor", floor}} {
		b.Run(sdk.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := sdk.c.GetItem(ctx, in)
				if err != nil || out.Item == nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("wire-handler", func(b *testing.B) {
		b.ReportAllocs()
		const body = `{"TableName":"bench","Key":{"pk":{"S":"user#00042"}}}`
		for b.Loop() {
			rec := serve(h, "GetItem", body)
			if rec.Code != 200 {
				b.Fatal(rec.Body)
			}
		}
	})
	b.Run("in-process", func(b *testing.B) {
		b.ReportAllocs()
		in := &dynamo.GetItemInput{TableName: "bench", Key: dynamo.Item{"pk": dynamo.S("user#00042")}}
		for b.Loop() {
			out, err := db.GetItem(ctx, in)
			if err != nil || out.Item == nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkPutItem writes one item the same four ways.
func BenchmarkPutItem(b *testing.B) {
	ctx := context.Background()
	db, h, c, direct := benchSetup(b)
	native, item := benchItem()
	in := &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: item}
	floor := floorClient(h, map[string]string{"PutItem": `{"TableName":"bench","Item":{"pk":{"S":"user#00042"}}}`})
	for _, sdk := range []struct {
		name string
		c    *dynamodb.Client
	}{{"sdk-http", c}, {"sdk-direct", direct}, {"sdk-floor", floor}} {
		b.Run(sdk.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := sdk.c.PutItem(ctx, in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("wire-handler", func(b *testing.B) {
		b.ReportAllocs()
		body, err := wire.MarshalItem(native)
		if err != nil {
			b.Fatal(err)
		}
		req := `{"TableName":"bench","Item":` + string(body) + `}`
		for b.Loop() {
			rec := serve(h, "PutItem", req)
			if rec.Code != 200 {
				b.Fatal(rec.Body)
			}
		}
	})
	b.Run("in-process", func(b *testing.B) {
		b.ReportAllocs()
		in := &dynamo.PutItemInput{TableName: "bench", Item: native}
		for b.Loop() {
			if _, err := db.PutItem(ctx, in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkQuery reads one partition of 20 items (benchItem's attributes
// each) the same ways, the floor included.
func BenchmarkQuery(b *testing.B) {
	ctx := context.Background()
	db, h, c, direct := benchSetup(b)
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName: "feed",
		AttributeDefinitions: []dynamo.AttributeDefinition{
			{AttributeName: "pk", AttributeType: dynamo.ScalarAttributeTypeS},
			{AttributeName: "sk", AttributeType: dynamo.ScalarAttributeTypeN},
		},
		KeySchema: []dynamo.KeySchemaElement{
			{AttributeName: "pk", KeyType: dynamo.KeyTypeHash},
			{AttributeName: "sk", KeyType: dynamo.KeyTypeRange},
		},
		BillingMode: dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		b.Fatal(err)
	}
	native, _ := benchItem()
	for i := 0; i < 20; i++ {
		item := dynamo.Item{}
		for k, v := range native {
			item[k] = v
		}
		item["sk"] = dynamo.N(strconv.Itoa(i))
		if _, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "feed", Item: item}); err != nil {
			b.Fatal(err)
		}
	}
	const body = `{"TableName":"feed","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"user#00042"}}}`
	floor := floorClient(h, map[string]string{"Query": body})
	in := &dynamodb.QueryInput{TableName: aws.String("feed"), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": &types.AttributeValueMemberS{Value: "user#00042"}}}
	for _, sdk := range []struct {
		name string
		c    *dynamodb.Client
	}{{"sdk-http", c}, {"sdk-direct", direct}, {"sdk-floor", floor}} {
		b.Run(sdk.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := sdk.c.Query(ctx, in)
				if err != nil || out.Count != 20 {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("in-process", func(b *testing.B) {
		b.ReportAllocs()
		in := &dynamo.QueryInput{TableName: "feed", KeyConditionExpression: "pk = :p",
			ExpressionAttributeValues: map[string]dynamo.AttributeValue{":p": dynamo.S("user#00042")}}
		for b.Loop() {
			out, err := db.Query(ctx, in)
			if err != nil || out.Count != 20 {
				b.Fatal(err)
			}
		}
	})
}

// serve hands one request straight to the handler.
func serve(h *wire.Handler, op, body string) *httptest.ResponseRecorder {
	r := httptest.NewRequest("POST", "/", strings.NewReader(body))
	r.Header.Set("Content-Type", "application/x-amz-json-1.0")
	r.Header.Set("X-Amz-Target", wire.TargetPrefix+op)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	return rec
}

// BenchmarkGetRecords reads a page of 100 stream records of benchItem
// through the dynamodbstreams client over loopback HTTP, through it with
// minicloud.Transport, and on the in-process API.
func BenchmarkGetRecords(b *testing.B) {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{Clock: clock.NewManual(streamsStart)})
	b.Cleanup(func() { db.Close() })
	out, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "bench",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "pk", AttributeType: dynamo.ScalarAttributeTypeS}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "pk", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		b.Fatal(err)
	}
	item, _ := benchItem()
	for i := range 100 {
		item["pk"] = dynamo.S("user#" + strconv.Itoa(i))
		if _, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "bench", Item: item}); err != nil {
			b.Fatal(err)
		}
	}
	arn := out.TableDescription.LatestStreamArn
	desc, err := db.DescribeStream(ctx, &dynamo.DescribeStreamInput{StreamArn: arn})
	if err != nil {
		b.Fatal(err)
	}
	// One iterator, so one reader: GetRecords may repeat it for ever on
	// the manual clock.
	it, err := db.GetShardIterator(ctx, &dynamo.GetShardIteratorInput{StreamArn: arn, ShardId: desc.StreamDescription.Shards[0].ShardId, ShardIteratorType: dynamo.ShardIteratorTypeTrimHorizon})
	if err != nil {
		b.Fatal(err)
	}
	h := wire.NewHandler(db, wire.Options{})
	srv := httptest.NewServer(h)
	b.Cleanup(srv.Close)
	for _, sdk := range []struct {
		name      string
		transport http.RoundTripper
	}{{"sdk-http", srv.Client().Transport}, {"sdk-direct", &minicloud.Transport{Handler: h}}} {
		c := dynamodbstreams.NewFromConfig(sdkConfig(sdk.transport, testKeyID, testSecret), func(o *dynamodbstreams.Options) { o.BaseEndpoint = aws.String(srv.URL) })
		b.Run(sdk.name, func(b *testing.B) {
			b.ReportAllocs()
			in := &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String(it.ShardIterator)}
			for b.Loop() {
				out, err := c.GetRecords(ctx, in)
				if err != nil || len(out.Records) != 100 {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("in-process", func(b *testing.B) {
		b.ReportAllocs()
		in := &dynamo.GetRecordsInput{ShardIterator: it.ShardIterator}
		for b.Loop() {
			out, err := db.GetRecords(ctx, in)
			if err != nil || len(out.Records) != 100 {
				b.Fatal(err)
			}
		}
	})
}
