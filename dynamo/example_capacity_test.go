package dynamo_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// A transfer between two accounts as one transaction: both balances
// change or neither does, and an overdraft cancels the whole transfer
// with the reason of each action.
func ExampleDB_TransactWriteItems() {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{})
	defer db.Close()
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "accounts",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	})
	if err != nil {
		panic(err)
	}
	for id, balance := range map[string]string{"alice": "100", "bob": "20"} {
		if _, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "accounts",
			Item: dynamo.Item{"id": dynamo.S(id), "balance": dynamo.N(balance)}}); err != nil {
			panic(err)
		}
	}
	transfer := func(from, to, amount string) error {
		_, err := db.TransactWriteItems(ctx, &dynamo.TransactWriteItemsInput{
			TransactItems: []dynamo.TransactWriteItem{
				{Update: &dynamo.Update{
					TableName:                 "accounts",
					Key:                       dynamo.Item{"id": dynamo.S(from)},
					UpdateExpression:          "SET balance = balance - :a",
					ConditionExpression:       "balance >= :a",
					ExpressionAttributeValues: map[string]dynamo.AttributeValue{":a": dynamo.N(amount)},
				}},
				{Update: &dynamo.Update{
					TableName:                 "accounts",
					Key:                       dynamo.Item{"id": dynamo.S(to)},
					UpdateExpression:          "SET balance = balance + :a",
					ConditionExpression:       "attribute_exists(id)",
					ExpressionAttributeValues: map[string]dynamo.AttributeValue{":a": dynamo.N(amount)},
				}},
			},
			ClientRequestToken: from + "-" + to + "-" + amount,
		})
		return err
	}
	balances := func() {
		out, err := db.TransactGetItems(ctx, &dynamo.TransactGetItemsInput{TransactItems: []dynamo.TransactGetItem{
			{Get: &dynamo.Get{TableName: "accounts", Key: dynamo.Item{"id": dynamo.S("alice")}}},
			{Get: &dynamo.Get{TableName: "accounts", Key: dynamo.Item{"id": dynamo.S("bob")}}},
		}})
		if err != nil {
			panic(err)
		}
		fmt.Println("alice", out.Responses[0].Item["balance"], "bob", out.Responses[1].Item["balance"])
	}

	if err := transfer("alice", "bob", "70"); err != nil {
		panic(err)
	}
	balances()

	err = transfer("alice", "bob", "50")
	var tce *dynamo.TransactionCanceledException
	if errors.As(err, &tce) {
		for _, r := range tce.CancellationReasons {
			fmt.Println("reason:", r.Code)
		}
	}
	balances()
	// Output:
	// alice 30 bob 90
	// reason: ConditionalCheckFailed
	// reason: None
	// alice 30 bob 90
}

// Reading what a request consumed: a write to a table with a global
// secondary index is charged on the table and on the index; a
// provisioned table out of capacity throttles until its bucket refills.
func ExampleConsumedCapacity() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName: "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{
			{AttributeName: "id", AttributeType: "S"},
			{AttributeName: "customer", AttributeType: "S"},
		},
		KeySchema: []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		GlobalSecondaryIndexes: []dynamo.GlobalSecondaryIndex{{
			IndexName:             "byCustomer",
			KeySchema:             []dynamo.KeySchemaElement{{AttributeName: "customer", KeyType: dynamo.KeyTypeHash}},
			Projection:            dynamo.Projection{ProjectionType: dynamo.ProjectionTypeKeysOnly},
			ProvisionedThroughput: &dynamo.ProvisionedThroughput{ReadCapacityUnits: 5, WriteCapacityUnits: 5},
		}},
		ProvisionedThroughput: &dynamo.ProvisionedThroughput{ReadCapacityUnits: 5, WriteCapacityUnits: 5},
	})
	if err != nil {
		panic(err)
	}
	put := func(id string, size int) (*dynamo.PutItemOutput, error) {
		note := make([]byte, size)
		return db.PutItem(ctx, &dynamo.PutItemInput{
			TableName:              "orders",
			Item:                   dynamo.Item{"id": dynamo.S(id), "customer": dynamo.S("ana"), "note": dynamo.B(note)},
			ReturnConsumedCapacity: dynamo.ReturnConsumedCapacityIndexes,
		})
	}
	out, err := put("o1", 2500) // a 2.5 KB item: 3 write units; its index entry: 1
	if err != nil {
		panic(err)
	}
	cc := out.ConsumedCapacity
	fmt.Println("total", cc.CapacityUnits, "table", cc.Table.CapacityUnits, "index", cc.GlobalSecondaryIndexes["byCustomer"].CapacityUnits)

	get, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S("o1")},
		ReturnConsumedCapacity: dynamo.ReturnConsumedCapacityTotal})
	if err != nil {
		panic(err)
	}
	fmt.Println("eventually consistent read", get.ConsumedCapacity.CapacityUnits)

	// 5 WCU: one second of capacity is in the bucket, 3 are spent.
	_, err = put("o2", 2500)
	fmt.Println("second write:", err)
	_, err = put("o3", 100)
	fmt.Println("throttled:", errors.Is(err, dynamo.ErrProvisionedThroughputExceeded))
	c.Advance(time.Second)
	_, err = put("o3", 100)
	fmt.Println("a second later:", err)
	// Output:
	// total 4 table 3 index 1
	// eventually consistent read 0.5
	// second write: <nil>
	// throttled: true
	// a second later: <nil>
}

// The cost meter prices what the tables used at DynamoDB's published
// us-east-1 prices, less the free tier.
func ExampleDB_Bill() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()
	_, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:             "events",
		AttributeDefinitions:  []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:             []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		ProvisionedThroughput: &dynamo.ProvisionedThroughput{ReadCapacityUnits: 100, WriteCapacityUnits: 50},
	})
	if err != nil {
		panic(err)
	}
	c.Advance(730 * time.Hour) // a month
	bill, err := db.Bill(ctx)
	if err != nil {
		panic(err)
	}
	t := bill.Tables[0]
	fmt.Printf("%s: %.0f RCU-hours $%.4f, %.0f WCU-hours $%.4f\n", t.TableName, t.ReadCapacityUnitHours, t.ReadCapacityCost, t.WriteCapacityUnitHours, t.WriteCapacityCost)
	fmt.Printf("gross $%.4f, free tier $%.4f, total $%.4f\n", bill.Gross, bill.FreeTier, bill.Total)
	// Output:
	// events: 73000 RCU-hours $9.4900, 36500 WCU-hours $23.7250
	// gross $33.2150, free tier $14.2350, total $18.9800
}
