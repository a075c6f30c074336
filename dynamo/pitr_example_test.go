package dynamo_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// A bad deploy overwrote every price today. Point-in-time recovery
// brings back yesterday's table as a new table, beside the damaged one.
func ExampleDB_RestoreTableToPointInTime() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()

	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "prices",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "sku", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "sku", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		panic(err)
	}
	_, err = db.UpdateContinuousBackups(ctx, &dynamo.UpdateContinuousBackupsInput{
		TableName:                        "prices",
		PointInTimeRecoverySpecification: &dynamo.PointInTimeRecoverySpecification{PointInTimeRecoveryEnabled: true},
	})
	if err != nil {
		panic(err)
	}
	setPrice := func(p string) {
		_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "prices", Item: dynamo.Item{"sku": dynamo.S("apple"), "price": dynamo.N(p)}})
		if err != nil {
			panic(err)
		}
	}
	setPrice("1.25")
	yesterday := c.Now().Add(time.Hour)
	c.Advance(24 * time.Hour)
	setPrice("0") // the bad deploy

	_, err = db.RestoreTableToPointInTime(ctx, &dynamo.RestoreTableToPointInTimeInput{
		SourceTableName: "prices",
		TargetTableName: "prices-yesterday",
		RestoreDateTime: yesterday,
	})
	if err != nil {
		panic(err)
	}
	for _, table := range []string{"prices", "prices-yesterday"} {
		got, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: table, Key: dynamo.Item{"sku": dynamo.S("apple")}})
		if err != nil {
			panic(err)
		}
		fmt.Println(table, got.Item["price"])
	}
	// Output:
	// prices 0
	// prices-yesterday 1.25
}
