package sdktest

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
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
