package sdktest

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	awslambda "github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/google/go-cmp/cmp"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
)

// fromEvents converts an aws-lambda-go attribute value into dynamo's.
func fromEvents(t *testing.T, av events.DynamoDBAttributeValue) dynamo.AttributeValue {
	t.Helper()
	switch av.DataType() {
	case events.DataTypeString:
		return dynamo.S(av.String())
	case events.DataTypeNumber:
		return dynamo.N(av.Number())
	case events.DataTypeBinary:
		return dynamo.B(av.Binary())
	case events.DataTypeBoolean:
		return dynamo.BOOL(av.Boolean())
	case events.DataTypeNull:
		return dynamo.NULL{}
	case events.DataTypeStringSet:
		return dynamo.SS(av.StringSet())
	case events.DataTypeNumberSet:
		return dynamo.NS(av.NumberSet())
	case events.DataTypeBinarySet:
		return dynamo.BS(av.BinarySet())
	case events.DataTypeList:
		l := dynamo.L{}
		for _, e := range av.List() {
			l = append(l, fromEvents(t, e))
		}
		return l
	case events.DataTypeMap:
		return dynamo.M(fromEventsItem(t, av.Map()))
	}
	t.Fatalf("attribute of unknown type %v", av.DataType())
	return nil
}

func fromEventsItem(t *testing.T, m map[string]events.DynamoDBAttributeValue) dynamo.Item {
	t.Helper()
	if m == nil {
		return nil
	}
	out := dynamo.Item{}
	for k, v := range m {
		out[k] = fromEvents(t, v)
	}
	return out
}

// checkEventRecord compares every field of an events.DynamoDBEventRecord
// with the dynamo.Record it was made from.
func checkEventRecord(t *testing.T, what string, got events.DynamoDBEventRecord, want dynamo.Record) {
	t.Helper()
	type flat struct {
		Region, ID, Name, Source, Version, SourceARN string
		Identity                                     *dynamo.Identity
		At                                           time.Time
		Keys, New, Old                               dynamo.Item
		Seq                                          string
		Size                                         int64
		View                                         string
	}
	g := flat{got.AWSRegion, got.EventID, got.EventName, got.EventSource, got.EventVersion, got.EventSourceArn, nil,
		got.Change.ApproximateCreationDateTime.UTC(), fromEventsItem(t, got.Change.Keys), fromEventsItem(t, got.Change.NewImage),
		fromEventsItem(t, got.Change.OldImage), got.Change.SequenceNumber, got.Change.SizeBytes, got.Change.StreamViewType}
	if id := got.UserIdentity; id != nil {
		g.Identity = &dynamo.Identity{PrincipalId: id.PrincipalID, Type: id.Type}
	}
	d := want.Dynamodb
	w := flat{want.AwsRegion, want.EventID, string(want.EventName), want.EventSource, want.EventVersion, want.EventSourceARN, want.UserIdentity,
		d.ApproximateCreationDateTime.UTC(), d.Keys, d.NewImage, d.OldImage, d.SequenceNumber, d.SizeBytes, string(d.StreamViewType)}
	if diff := cmp.Diff(w, g); diff != "" {
		t.Errorf("%s: events.DynamoDBEventRecord differs from the dynamo.Record (-dynamo +events):\n%s", what, diff)
	}
}

// The golden record the dynamo package documents (a TTL deletion with an
// attribute of every type) reads into events.DynamoDBEventRecord field by
// field, and what aws-lambda-go writes back reads into dynamo.Record.
func TestLambdaGo_GoldenStreamRecordReadsAsEventsRecord(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "dynamo", "testdata", "stream_record.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	var want dynamo.Record
	if err := json.Unmarshal(data, &want); err != nil {
		t.Fatalf("dynamo.Record: %v", err)
	}
	var got events.DynamoDBEventRecord
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatalf("events.DynamoDBEventRecord: %v", err)
	}
	checkEventRecord(t, "golden", got, want)
	if got.UserIdentity == nil || got.UserIdentity.Type != "Service" || got.UserIdentity.PrincipalID != "dynamodb.amazonaws.com" {
		t.Errorf("userIdentity = %+v", got.UserIdentity)
	}
	if len(want.Dynamodb.OldImage) != 11 {
		t.Errorf("the golden old image has %d attributes, want one of each of the 10 types and the key", len(want.Dynamodb.OldImage))
	}

	back, err := json.Marshal(got)
	if err != nil {
		t.Fatal(err)
	}
	var again dynamo.Record
	if err := json.Unmarshal(back, &again); err != nil {
		t.Fatalf("dynamo.Record from aws-lambda-go's JSON %s: %v", back, err)
	}
	if diff := cmp.Diff(want, again); diff != "" {
		t.Errorf("round trip through aws-lambda-go (-want +got):\n%s", diff)
	}
}

// streamRecords writes a table with a stream of view through the
// in-process API and returns the records, as the DB reports them and as
// the Lambda-shaped JSON that StreamSource gives a consumer.
func streamRecords(t *testing.T, clk *clock.Manual, view dynamo.StreamViewType) (string, []dynamo.Record, []json.RawMessage) {
	t.Helper()
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{Clock: clk, Region: "eu-west-1", TTL: dynamo.TTLOptions{Immediate: true}})
	t.Cleanup(func() { db.Close() })
	out, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "pk", AttributeType: dynamo.ScalarAttributeTypeS}, {AttributeName: "sk", AttributeType: dynamo.ScalarAttributeTypeN}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "pk", KeyType: dynamo.KeyTypeHash}, {AttributeName: "sk", KeyType: dynamo.KeyTypeRange}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: view},
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdateTimeToLive(ctx, &dynamo.UpdateTimeToLiveInput{TableName: "orders", TimeToLiveSpecification: &dynamo.TimeToLiveSpecification{AttributeName: "exp", Enabled: true}}); err != nil {
		t.Fatal(err)
	}
	every := dynamo.Item{
		"pk": dynamo.S("c#1"), "sk": dynamo.N("1"), "status": dynamo.S("new"), "total": dynamo.N("12.50"),
		"raw": dynamo.B{0, 1, 0xff}, "gift": dynamo.BOOL(true), "note": dynamo.NULL{}, "tags": dynamo.SS{"a", "b"},
		"sizes": dynamo.NS{"1", "2.5"}, "keys": dynamo.BS{{1}, {2, 3}},
		"lines": dynamo.L{dynamo.M{"sku": dynamo.S("x"), "n": dynamo.N("2")}, dynamo.L{}},
		"addr":  dynamo.M{"city": dynamo.S("Lisboa"), "geo": dynamo.M{"lat": dynamo.N("38.7")}},
	}
	steps := []func() error{
		func() error {
			_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders", Item: every})
			return err
		},
		func() error {
			_, err := db.UpdateItem(ctx, &dynamo.UpdateItemInput{TableName: "orders", Key: dynamo.Item{"pk": dynamo.S("c#1"), "sk": dynamo.N("1")},
				UpdateExpression: "SET #s = :s", ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]dynamo.AttributeValue{":s": dynamo.S("bad")}})
			return err
		},
		func() error {
			_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders", Item: dynamo.Item{"pk": dynamo.S("c#2"), "sk": dynamo.N("2"), "status": dynamo.S("ok"),
				"exp": dynamo.N(strconv.FormatInt(clk.Now().Add(time.Minute).Unix(), 10))}})
			return err
		},
		func() error {
			_, err := db.DeleteItem(ctx, &dynamo.DeleteItemInput{TableName: "orders", Key: dynamo.Item{"pk": dynamo.S("c#1"), "sk": dynamo.N("1")}})
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			t.Fatal(err)
		}
		clk.Advance(1500 * time.Millisecond)
	}
	clk.Advance(2 * time.Minute) // Time to Live deletes c#2
	arn := out.TableDescription.LatestStreamArn
	src, err := db.StreamSource(arn)
	if err != nil {
		t.Fatal(err)
	}
	shards, _, err := src.Shards(ctx)
	if err != nil || len(shards) != 1 {
		t.Fatalf("shards %v: %v", shards, err)
	}
	it, err := src.ShardIterator(ctx, shards[0], "TRIM_HORIZON", "")
	if err != nil {
		t.Fatal(err)
	}
	raw, _, err := src.Records(ctx, it, 0)
	if err != nil {
		t.Fatal(err)
	}
	it2, err := db.GetShardIterator(ctx, &dynamo.GetShardIteratorInput{StreamArn: arn, ShardId: shards[0], ShardIteratorType: dynamo.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := db.GetRecords(ctx, &dynamo.GetRecordsInput{ShardIterator: it2.ShardIterator})
	if err != nil {
		t.Fatal(err)
	}
	if len(recs.Records) != 5 || len(raw) != 5 {
		t.Fatalf("%d records, %d as JSON; want INSERT, MODIFY, INSERT, REMOVE and the TTL REMOVE", len(recs.Records), len(raw))
	}
	return arn, recs.Records, raw
}

// Live records of every view type, every operation and every attribute
// type, marshalled with encoding/json, unmarshal into
// events.DynamoDBEventRecord with every field right.
func TestLambdaGo_LiveStreamRecordsUnmarshalIntoEvents(t *testing.T) {
	for _, view := range []dynamo.StreamViewType{dynamo.StreamViewTypeKeysOnly, dynamo.StreamViewTypeNewImage, dynamo.StreamViewTypeOldImage, dynamo.StreamViewTypeNewAndOldImages} {
		t.Run(string(view), func(t *testing.T) {
			_, recs, raw := streamRecords(t, clock.NewManual(streamsStart), view)
			for i, rec := range recs {
				data, err := json.Marshal(rec)
				if err != nil {
					t.Fatal(err)
				}
				if string(data) != string(raw[i]) {
					t.Errorf("record %d: json.Marshal gives\n%s\nStreamSource gives\n%s", i, data, raw[i])
				}
				var ev events.DynamoDBEventRecord
				if err := json.Unmarshal(data, &ev); err != nil {
					t.Fatalf("record %d %s: %v", i, data, err)
				}
				checkEventRecord(t, string(rec.EventName), ev, rec)
			}
			if ttl := recs[4]; ttl.UserIdentity == nil || ttl.EventName != dynamo.OperationTypeRemove {
				t.Errorf("the TTL deletion: %+v", ttl)
			}
		})
	}
}

// The ContextHook of lambda/doc.go, copied as it is written there.
func docContextHook(ctx context.Context, lc *lambda.LambdaContext) context.Context {
	return lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
		AwsRequestID:       lc.AwsRequestID,
		InvokedFunctionArn: lc.InvokedFunctionArn,
		Identity:           lambdacontext.CognitoIdentity(lc.Identity),
		ClientContext: lambdacontext.ClientContext{
			Client: lambdacontext.ClientApplication(lc.ClientContext.Client),
			Env:    lc.ClientContext.Env,
			Custom: lc.ClientContext.Custom,
		},
	})
}

// What a handler found in its context: lambdacontext's view beside
// minicloud's.
type contextReport struct {
	Found     bool
	AwsCtx    *lambdacontext.LambdaContext
	Minicloud *lambda.LambdaContext
}

func reportContext(ctx context.Context, _ json.RawMessage) (contextReport, error) {
	lc, ok := lambdacontext.FromContext(ctx)
	mine, _ := lambda.FromContext(ctx)
	return contextReport{Found: ok, AwsCtx: lc, Minicloud: mine}, nil
}

func TestLambdaGo_DocContextHookFeedsLambdacontext(t *testing.T) {
	ctx := context.Background()
	clientContext := base64.StdEncoding.EncodeToString([]byte(`{"client":{"installation_id":"inst-1","app_title":"Shop","app_version_code":"7","app_package_name":"com.example.shop"},"env":{"locale":"pt_PT"},"custom":{"cart":"3"}}`))
	identity := &lambda.CognitoIdentity{CognitoIdentityID: "eu-west-1:4a5b", CognitoIdentityPoolID: "eu-west-1:pool"}

	for _, tt := range []struct {
		name string
		hook func(context.Context, *lambda.LambdaContext) context.Context
	}{{"with the doc's hook", docContextHook}, {"without a hook", nil}} {
		t.Run(tt.name, func(t *testing.T) {
			svc := lambda.New(lambda.Options{Clock: clock.NewManual(streamsStart), ContextHook: tt.hook})
			t.Cleanup(func() { svc.Close() })
			if _, err := svc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "whoami", Handler: lambda.Handler(reportContext), Publish: true}); err != nil {
				t.Fatal(err)
			}
			out, err := svc.Invoke(ctx, &lambda.InvokeInput{FunctionName: "whoami", Qualifier: "1", ClientContext: clientContext, Identity: identity})
			if err != nil || out.FunctionError != "" {
				t.Fatalf("Invoke: %v %s", err, out.Payload)
			}
			var rep contextReport
			if err := json.Unmarshal(out.Payload, &rep); err != nil {
				t.Fatal(err)
			}
			if tt.hook == nil {
				if rep.Found {
					t.Errorf("lambdacontext found without a hook: %+v", rep.AwsCtx)
				}
				return
			}
			m := rep.Minicloud
			if !rep.Found || m == nil || m.AwsRequestID == "" || m.InvokedFunctionArn != "arn:aws:lambda:us-east-1:123456789012:function:whoami:1" {
				t.Fatalf("report %+v", rep)
			}
			want := &lambdacontext.LambdaContext{
				AwsRequestID:       m.AwsRequestID,
				InvokedFunctionArn: m.InvokedFunctionArn,
				Identity:           lambdacontext.CognitoIdentity{CognitoIdentityID: "eu-west-1:4a5b", CognitoIdentityPoolID: "eu-west-1:pool"},
				ClientContext: lambdacontext.ClientContext{
					Client: lambdacontext.ClientApplication{InstallationID: "inst-1", AppTitle: "Shop", AppVersionCode: "7", AppPackageName: "com.example.shop"},
					Env:    map[string]string{"locale": "pt_PT"},
					Custom: map[string]string{"cart": "3"},
				},
			}
			if diff := cmp.Diff(want, rep.AwsCtx); diff != "" {
				t.Errorf("lambdacontext.FromContext in the handler (-want +got):\n%s", diff)
			}
		})
	}
}

// A handler written for aws-lambda-go, taking events.DynamoDBEvent and
// answering partial batch failures, registered with minicloud's
// lambda.Handler (as the typed function, and as aws-lambda-go's own
// lambda.NewHandler), receives a batch built from real stream records.
func TestLambdaGo_DynamoDBEventHandlerReceivesAStreamBatch(t *testing.T) {
	ctx := context.Background()
	clk := clock.NewManual(streamsStart)
	arn, recs, raw := streamRecords(t, clk, dynamo.StreamViewTypeNewAndOldImages)
	batch, err := json.Marshal(map[string][]json.RawMessage{"Records": raw})
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var seen []events.DynamoDBEventRecord
	// handleOrders is production code: it fails the records of orders
	// whose status became "bad", for Lambda to retry from there.
	handleOrders := func(ctx context.Context, e events.DynamoDBEvent) (events.DynamoDBEventResponse, error) {
		var resp events.DynamoDBEventResponse
		for _, r := range e.Records {
			if r.EventName == string(events.DynamoDBOperationTypeModify) && r.Change.NewImage["status"].String() == "bad" {
				resp.BatchItemFailures = append(resp.BatchItemFailures, events.DynamoDBBatchItemFailure{ItemIdentifier: r.Change.SequenceNumber})
			}
		}
		mu.Lock()
		seen = append(seen, e.Records...)
		mu.Unlock()
		return resp, nil
	}

	svc := lambda.New(lambda.Options{Clock: clk, Region: "eu-west-1"})
	t.Cleanup(func() { svc.Close() })
	for _, fn := range []struct {
		name string
		code *lambda.Code
	}{
		{"typed", lambda.Handler(handleOrders)},
		{"aws-lambda-go-handler", lambda.Handler(awslambda.NewHandler(handleOrders))},
	} {
		mu.Lock()
		seen = nil
		mu.Unlock()
		if _, err := svc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: fn.name, Handler: fn.code}); err != nil {
			t.Fatal(err)
		}
		out, err := svc.Invoke(ctx, &lambda.InvokeInput{FunctionName: fn.name, Payload: batch})
		if err != nil || out.FunctionError != "" {
			t.Fatalf("%s: %v %s", fn.name, err, out.Payload)
		}
		var resp events.DynamoDBEventResponse
		if err := json.Unmarshal(out.Payload, &resp); err != nil {
			t.Fatalf("%s: response %s: %v", fn.name, out.Payload, err)
		}
		if want := []events.DynamoDBBatchItemFailure{{ItemIdentifier: recs[1].Dynamodb.SequenceNumber}}; !slices.Equal(resp.BatchItemFailures, want) {
			t.Errorf("%s: batchItemFailures = %+v, want %+v", fn.name, resp.BatchItemFailures, want)
		}
		mu.Lock()
		got := slices.Clone(seen)
		mu.Unlock()
		if len(got) != len(recs) {
			t.Fatalf("%s: the handler saw %d records, want %d", fn.name, len(got), len(recs))
		}
		for i := range got {
			checkEventRecord(t, fn.name, got[i], recs[i])
			if got[i].EventSourceArn != arn || got[i].AWSRegion != "eu-west-1" {
				t.Errorf("%s record %d: eventSourceARN %q, region %q", fn.name, i, got[i].EventSourceArn, got[i].AWSRegion)
			}
		}
	}
}
