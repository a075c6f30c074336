package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

func tourDynamo(w io.Writer) error {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	db := dynamo.New(dynamo.Options{Clock: c})
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
		return err
	}
	fmt.Fprintln(w, "Table orders: partition key customer (S), sort key placed (N).")

	for i, total := range []string{"12.50", "7.25", "30", "99.999"} {
		if _, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders", Item: dynamo.Item{
			"customer": dynamo.S("ana"), "placed": dynamo.N(fmt.Sprint(20250101 + i)), "total": dynamo.N(total),
		}}); err != nil {
			return err
		}
	}
	got, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders",
		Key: dynamo.Item{"customer": dynamo.S("ana"), "placed": dynamo.N("2025010.1E1")}})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Numbers are exact decimals: key 2025010.1E1 finds placed=%s, and 12.50 reads back as %s.\n",
		got.Item["placed"], got.Item["total"])

	_, err = db.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders",
		Item:                dynamo.Item{"customer": dynamo.S("ana"), "placed": dynamo.N("20250101"), "total": dynamo.N("0")},
		ConditionExpression: "attribute_not_exists(placed)"})
	var e *dynamo.Error
	if errors.As(err, &e) {
		fmt.Fprintf(w, "A conditional put on an existing key fails and writes nothing: %s (HTTP %d).\n", e.Code, e.StatusCode)
	}

	out, err := db.Query(ctx, &dynamo.QueryInput{
		TableName:                 "orders",
		KeyConditionExpression:    "customer = :c",
		FilterExpression:          "#t > :min",
		ExpressionAttributeNames:  map[string]string{"#t": "total"},
		ExpressionAttributeValues: map[string]dynamo.AttributeValue{":c": dynamo.S("ana"), ":min": dynamo.N("10")},
		Limit:                     3,
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Query with Limit 3 and a filter total > 10: Limit counts items read, before the filter,\n")
	fmt.Fprintf(w, "  so ScannedCount=%d, Count=%d, and LastEvaluatedKey placed=%s says where page 2 starts.\n",
		out.ScannedCount, out.Count, out.LastEvaluatedKey["placed"])

	_, err = db.UpdateItem(ctx, &dynamo.UpdateItemInput{TableName: "orders",
		Key:                       dynamo.Item{"customer": dynamo.S("ana"), "placed": dynamo.N("20250101")},
		UpdateExpression:          "SET #t = #t + :tip",
		ExpressionAttributeNames:  map[string]string{"#t": "total"},
		ExpressionAttributeValues: map[string]dynamo.AttributeValue{":tip": dynamo.N("0.000000000000000000000000000001")}})
	if err != nil {
		return err
	}
	got, _ = db.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders",
		Key: dynamo.Item{"customer": dynamo.S("ana"), "placed": dynamo.N("20250101")}})
	fmt.Fprintf(w, "Arithmetic keeps all 38 digits: 12.5 + 1E-30 = %s.\n", got.Item["total"])
	return nil
}
