package lambda_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
)

// A function triggered by a DynamoDB stream: each new user gets a welcome
// message. The event is the JSON of events.DynamoDBEvent.
func ExampleService_CreateEventSourceMapping() {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	db := dynamo.New(dynamo.Options{Clock: clk})
	defer db.Close()
	svc := lambda.New(lambda.Options{Clock: clk})
	defer svc.Close()

	table, _ := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "users",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewImage},
	})
	type event struct {
		Records []struct {
			EventName string `json:"eventName"`
			Dynamodb  struct {
				NewImage map[string]struct{ S string } `json:"NewImage"`
			} `json:"dynamodb"`
		}
	}
	sent := make(chan string, 1)
	svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "welcome",
		Handler: lambda.Handler(func(ctx context.Context, ev event) error {
			for _, r := range ev.Records {
				if r.EventName == "INSERT" {
					sent <- "Welcome, " + r.Dynamodb.NewImage["name"].S + "!"
				}
			}
			return nil
		}),
	})
	stream, _ := db.StreamSource(table.TableDescription.LatestStreamArn)
	m, err := svc.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{
		FunctionName:     "welcome",
		Source:           stream,
		StartingPosition: lambda.StartingPositionLatest,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.State, m.BatchSize)

	db.PutItem(ctx, &dynamo.PutItemInput{TableName: "users", Item: dynamo.Item{"id": dynamo.S("u1"), "name": dynamo.S("Ada")}})
	fmt.Println(<-sent)
	// Output:
	// Creating 100
	// Welcome, Ada!
}
