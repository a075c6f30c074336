package dynamo_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/minicloud/minicloud/dynamo"
)

// A table with a composite key, a conditional write that refuses to
// overwrite, and a Query of one customer's orders, newest first.
func Example() {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{})
	defer db.Close()

	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName: "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{
			{AttributeName: "customer", AttributeType: "S"},
			{AttributeName: "placed", AttributeType: "N"},
		},
		KeySchema: []dynamo.KeySchemaElement{
			{AttributeName: "customer", KeyType: dynamo.KeyTypeHash},
			{AttributeName: "placed", KeyType: dynamo.KeyTypeRange},
		},
		BillingMode: dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		panic(err)
	}

	for i, total := range []string{"12.50", "7.25", "30"} {
		_, err := db.PutItem(ctx, &dynamo.PutItemInput{
			TableName:           "orders",
			Item:                dynamo.Item{"customer": dynamo.S("ana"), "placed": dynamo.N(fmt.Sprint(20250101 + i)), "total": dynamo.N(total)},
			ConditionExpression: "attribute_not_exists(placed)",
		})
		if err != nil {
			panic(err)
		}
	}

	// Writing the same key again fails the condition and changes nothing.
	_, err = db.PutItem(ctx, &dynamo.PutItemInput{
		TableName:           "orders",
		Item:                dynamo.Item{"customer": dynamo.S("ana"), "placed": dynamo.N("20250101"), "total": dynamo.N("0")},
		ConditionExpression: "attribute_not_exists(placed)",
	})
	fmt.Println("overwrite refused:", errors.Is(err, dynamo.ErrConditionalCheckFailed))

	forward := false
	out, err := db.Query(ctx, &dynamo.QueryInput{
		TableName:                 "orders",
		KeyConditionExpression:    "customer = :c AND placed >= :from",
		FilterExpression:          "#t > :min",
		ExpressionAttributeNames:  map[string]string{"#t": "total"},
		ExpressionAttributeValues: map[string]dynamo.AttributeValue{":c": dynamo.S("ana"), ":from": dynamo.N("20250101"), ":min": dynamo.N("10")},
		ScanIndexForward:          &forward,
	})
	if err != nil {
		panic(err)
	}
	for _, it := range out.Items {
		fmt.Println(it["placed"], it["total"])
	}
	fmt.Printf("Count %d of ScannedCount %d\n", out.Count, out.ScannedCount)
	// Output:
	// overwrite refused: true
	// 20250103 30
	// 20250101 12.5
	// Count 2 of ScannedCount 3
}
