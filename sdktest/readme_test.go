package sdktest_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
	"github.com/minicloud/minicloud/sdktest"
)

// TestReadme_SDKClientWithoutASocket is the README's set-up for a test of
// SDK code, as written there: a real *dynamodb.Client on a fresh account,
// with no server and no port.
func TestReadme_SDKClientWithoutASocket(t *testing.T) {
	cloud, _ := minicloud.NewTest(t)
	db := dynamodb.New(dynamodb.Options{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(minicloud.Endpoint),
		HTTPClient:   cloud.HTTPClient(),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	})

	ctx := context.Background()
	if _, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("orders"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"),
		Item: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "o-1"}}}); err != nil {
		t.Fatal(err)
	}
	// The SDK and the native API see the same account.
	got, err := cloud.Dynamo.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("o-1")}})
	if err != nil || got.Item == nil {
		t.Fatalf("the item written through the SDK: %v, %v", got, err)
	}
}

// TestReadme_ThreeServicesFromOneConfig is the README's one-line set-up:
// one aws.Config for a fresh account, and DynamoDB, Lambda and Step
// Functions clients built from it.
func TestReadme_ThreeServicesFromOneConfig(t *testing.T) {
	cfg, cloud, _ := sdktest.Config(t)
	db, fns, flows := dynamodb.NewFromConfig(cfg), awslambda.NewFromConfig(cfg), sfn.NewFromConfig(cfg)

	ctx := context.Background()
	if _, err := cloud.Lambda.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "hello",
		Handler: lambda.Handler(func(name string) (string, error) { return "hello, " + name, nil })}); err != nil {
		t.Fatal(err)
	}
	out, err := fns.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("hello"), Payload: []byte(`"ana"`)})
	if err != nil || string(out.Payload) != `"hello, ana"` {
		t.Fatalf("Invoke: %v %s", err, out.Payload)
	}
	tables, err := db.ListTables(ctx, &dynamodb.ListTablesInput{})
	if err != nil || len(tables.TableNames) != 0 {
		t.Fatalf("ListTables: %v %v", err, tables)
	}
	machines, err := flows.ListStateMachines(ctx, &sfn.ListStateMachinesInput{})
	if err != nil || len(machines.StateMachines) != 0 {
		t.Fatalf("ListStateMachines: %v %v", err, machines)
	}
}
