package sdktest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	lambdatypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
)

// faultClient is a DynamoDB client of a fresh account, with the SDK's
// standard retryer retrying at once, and the account's "orders" table.
func faultClient(t *testing.T) (*dynamodb.Client, *minicloud.Cloud) {
	t.Helper()
	cfg, cloud, _ := Config(t)
	cfg.Retryer = func() aws.Retryer {
		return retry.NewStandard(func(o *retry.StandardOptions) { o.Backoff = noBackoff{} })
	}
	if _, err := cloud.Dynamo.CreateTable(context.Background(), &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	return dynamodb.NewFromConfig(cfg), cloud
}

func TestFaults_SDKRetryerRetriesInjectedThrottlingThenSucceeds(t *testing.T) {
	for _, code := range []string{"ThrottlingException", "ProvisionedThroughputExceededException", "RequestLimitExceeded", "InternalServerError"} {
		t.Run(code, func(t *testing.T) {
			client, cloud := faultClient(t)
			cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceDynamoDB, Operation: "PutItem", Resource: "orders", Code: code, Times: 2})
			out, err := client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String("orders"),
				Item: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "o-1"}}})
			if err != nil {
				t.Fatalf("PutItem after two injected %s: %v", code, err)
			}
			attempts, ok := retry.GetAttemptResults(out.ResultMetadata)
			if !ok || len(attempts.Results) != 3 {
				t.Fatalf("the SDK made %d attempts, want 3", len(attempts.Results))
			}
			if n := len(cloud.Faults.Injected()); n != 2 {
				t.Fatalf("Injected has %d faults, want 2", n)
			}
			got, err := cloud.Dynamo.GetItem(context.Background(), &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("o-1")}})
			if err != nil || got.Item == nil {
				t.Fatalf("the item was not written: %v", err)
			}
		})
	}
}

func TestFaults_SDKTransactionConflictIsNotRetriedForPutItem(t *testing.T) {
	client, cloud := faultClient(t)
	cloud.Faults.Add(minicloud.Fault{Operation: "PutItem", Code: "TransactionConflictException", Times: 1})
	_, err := client.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String("orders"),
		Item: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "o-1"}}})
	var tce *types.TransactionConflictException
	if !errors.As(err, &tce) {
		t.Fatalf("error = %v, want *types.TransactionConflictException", err)
	}
}

func TestFaults_BatchWriterResubmitsUnprocessedItemsUntilDone(t *testing.T) {
	client, cloud := faultClient(t)
	// Every item is left unprocessed twice, one batch call after another.
	left := map[string]int{}
	cloud.Faults.Add(minicloud.Fault{Kind: minicloud.FaultUnprocessed, Operation: "BatchWriteItem", Resource: "orders",
		Match: func(c minicloud.Call) bool {
			id := string(c.Item["id"].(dynamo.S))
			left[id]++
			return left[id] <= 2
		}})
	var reqs []types.WriteRequest
	for i := 0; i < 25; i++ {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{
			"id": &types.AttributeValueMemberS{Value: fmt.Sprintf("o-%02d", i)}}}})
	}
	pending := map[string][]types.WriteRequest{"orders": reqs}
	calls := 0
	for len(pending) > 0 {
		calls++
		if calls > 5 {
			t.Fatal("the batch never completed")
		}
		out, err := client.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			t.Fatal(err)
		}
		pending = out.UnprocessedItems
	}
	if calls != 3 {
		t.Fatalf("%d BatchWriteItem calls, want 3", calls)
	}
	scan, err := cloud.Dynamo.Scan(context.Background(), &dynamo.ScanInput{TableName: "orders"})
	if err != nil || len(scan.Items) != 25 {
		t.Fatalf("table holds %d items (%v), want 25", len(scan.Items), err)
	}
	if n := len(cloud.Faults.Injected()); n != 50 {
		t.Fatalf("Injected has %d faults, want 50", n)
	}
}

func TestFaults_SDKLambdaSeesInjectedThrottleAndFunctionError(t *testing.T) {
	ctx := context.Background()
	cloud, _ := minicloud.NewTest(t)
	registerFunctions(t, cloud.Lambda)
	client := lambdaClient(minicloud.Endpoint, cloud.HTTPClient())
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceLambda, Operation: "Invoke", Resource: "greet",
		Code: "TooManyRequestsException", Times: 1})
	cloud.Faults.Add(minicloud.Fault{Service: minicloud.ServiceLambda, Operation: "Invoke", Resource: "greet",
		Kind: minicloud.FaultFunctionError, Code: "GreeterBusy", Message: "try later", Times: 1})

	_, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), Payload: []byte(`{"name":"Ada"}`)})
	var tm *lambdatypes.TooManyRequestsException
	if !errors.As(err, &tm) || tm.Reason != lambdatypes.ThrottleReasonConcurrentInvocationLimitExceeded || aws.ToString(tm.Message) != "Rate Exceeded." {
		t.Fatalf("first call: %T %v, want a TooManyRequestsException", err, err)
	}
	out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), Payload: []byte(`{"name":"Ada"}`)})
	if err != nil || aws.ToString(out.FunctionError) != "Unhandled" || string(out.Payload) != `{"errorMessage":"try later","errorType":"GreeterBusy"}` {
		t.Fatalf("second call: %v %+v", err, out)
	}
	out, err = client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), Payload: []byte(`{"name":"Ada"}`)})
	if err != nil || out.FunctionError != nil || string(out.Payload) != `"hello Ada"` {
		t.Fatalf("third call: %v %+v", err, out)
	}
}
