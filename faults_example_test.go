package minicloud_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/dynamo"
)

// A rule throttles the next two writes to the orders table; a caller that
// retries gets through on the third attempt, and Injected says what it
// survived.
func ExampleFaults_dynamoDB() {
	ctx := context.Background()
	cloud := minicloud.New(minicloud.Options{})
	defer cloud.Close()
	cloud.Dynamo.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	cloud.Faults.Add(minicloud.Fault{
		Service:   minicloud.ServiceDynamoDB,
		Operation: "PutItem",
		Resource:  "orders",
		Code:      "ProvisionedThroughputExceededException",
		Times:     2,
	})
	for attempt := 1; ; attempt++ {
		_, err := cloud.Dynamo.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders", Item: dynamo.Item{"id": dynamo.S("o-1")}})
		var e *dynamo.Error
		if errors.As(err, &e) {
			fmt.Println("attempt", attempt, e.Code, e.StatusCode)
			continue
		}
		fmt.Println("attempt", attempt, "ok")
		break
	}
	fmt.Println(len(cloud.Faults.Injected()), "faults injected")
	// Output:
	// attempt 1 ProvisionedThroughputExceededException 400
	// attempt 2 ProvisionedThroughputExceededException 400
	// attempt 3 ok
	// 2 faults injected
}
