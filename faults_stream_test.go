package minicloud_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
)

// A stalled shard: the mapping's reads of the table's stream wait out the
// rule's latency on the clock before the records come.
func TestFaults_StalledStreamShard(t *testing.T) {
	cloud, clk := minicloud.NewTest(t)
	ctx := context.Background()
	tbl, err := cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "users",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewImage},
	})
	if err != nil {
		t.Fatal(err)
	}
	got := make(chan time.Time, 10)
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "onUser",
		Handler: lambda.Handler(func(ctx context.Context) error { got <- clk.Now(); return nil })}); err != nil {
		t.Fatal(err)
	}
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceDynamoDB, Operation: "GetRecords", Resource: "users",
		Latency: 5 * time.Minute, Times: 1})
	src, err := cloud.StreamEventSource(tbl.TableDescription.LatestStreamArn)
	if err != nil {
		t.Fatal(err)
	}
	one := 1
	if _, err := cloud.Lambda.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{
		FunctionName: "onUser", Source: src, StartingPosition: lambda.StartingPositionTrimHorizon, BatchSize: &one}); err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "users", Item: dynamo.Item{"id": dynamo.S("ann")}}); err != nil {
		t.Fatal(err)
	}
	// The poller's first read meets the rule and waits on the clock.
	for i := 0; len(cloud.Faults.Injected()) == 0; i++ {
		if i > 1_000_000 {
			t.Fatal("the mapping never read the stream")
		}
		runtime.Gosched()
	}
	start := clk.Now()
	clk.Advance(4 * time.Minute)
	select {
	case at := <-got:
		t.Fatalf("delivered at %v during the stall", at.Sub(start))
	default:
	}
	clk.Advance(time.Minute)
	select {
	case at := <-got:
		if d := at.Sub(start); d < 5*time.Minute {
			t.Errorf("delivered %v after the stall began, want 5m", d)
		}
	case <-time.After(10 * time.Second): // a guard against a hang, not a wait
		t.Fatal("not delivered after the stall")
	}
	if inj := cloud.Faults.Injected(); len(inj) != 1 || inj[0].Operation != "GetRecords" || inj[0].Resource != "users" {
		t.Errorf("injected %+v", inj)
	}
}
