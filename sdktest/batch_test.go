package sdktest

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func orderKey(customer string, id int) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{
		"customer": &types.AttributeValueMemberS{Value: customer},
		"id":       &types.AttributeValueMemberN{Value: fmt.Sprint(id)},
	}
}

func TestSDK_BatchWriteAndGet(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	var writes []types.WriteRequest
	for i := range 25 {
		item, _ := attributevalue.MarshalMap(sampleOrder("b", i))
		writes = append(writes, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	bw, err := c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"orders": writes}})
	if err != nil {
		t.Fatalf("BatchWriteItem: %v", err)
	}
	if len(bw.UnprocessedItems) != 0 {
		t.Errorf("UnprocessedItems = %v", bw.UnprocessedItems)
	}
	_, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"orders": {
		{DeleteRequest: &types.DeleteRequest{Key: orderKey("b", 0)}},
	}}})
	if err != nil {
		t.Fatalf("BatchWriteItem delete: %v", err)
	}

	keys := []map[string]types.AttributeValue{orderKey("b", 0), orderKey("b", 1), orderKey("b", 24)}
	bg, err := c.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{
		"orders": {Keys: keys, ProjectionExpression: aws.String("id, #s"), ExpressionAttributeNames: map[string]string{"#s": "status"}},
	}})
	if err != nil {
		t.Fatalf("BatchGetItem: %v", err)
	}
	var got []struct {
		ID     int    `dynamodbav:"id"`
		Status string `dynamodbav:"status"`
	}
	if err := attributevalue.UnmarshalListOfMaps(bg.Responses["orders"], &got); err != nil {
		t.Fatal(err)
	}
	ids := map[int]bool{}
	for _, o := range got {
		ids[o.ID] = true
		if o.Status != "NEW" {
			t.Errorf("projected status = %q", o.Status)
		}
	}
	if len(got) != 2 || !ids[1] || !ids[24] {
		t.Errorf("BatchGetItem returned %+v, want ids 1 and 24", got)
	}

	// 26 writes are one too many: a ValidationException.
	_, err = c.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"orders": append(writes, writes[0])}})
	if err == nil {
		t.Error("BatchWriteItem of 26 requests succeeded")
	}
}

func TestSDK_Transactions(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	a, _ := attributevalue.MarshalMap(sampleOrder("t", 1))
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: a}); err != nil {
		t.Fatal(err)
	}
	b, _ := attributevalue.MarshalMap(sampleOrder("t", 2))

	_, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{
		ClientRequestToken: aws.String("token-1"),
		TransactItems: []types.TransactWriteItem{
			{Put: &types.Put{TableName: aws.String("orders"), Item: b, ConditionExpression: aws.String("attribute_not_exists(id)")}},
			{Update: &types.Update{TableName: aws.String("orders"), Key: orderKey("t", 1), UpdateExpression: aws.String("SET #s = :s"),
				ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberS{Value: "PAID"}}}},
		},
	})
	if err != nil {
		t.Fatalf("TransactWriteItems: %v", err)
	}

	_, err = c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{ConditionCheck: &types.ConditionCheck{TableName: aws.String("orders"), Key: orderKey("t", 1), ConditionExpression: aws.String("#s = :s"),
			ExpressionAttributeNames: map[string]string{"#s": "status"}, ExpressionAttributeValues: map[string]types.AttributeValue{":s": &types.AttributeValueMemberS{Value: "NEW"}},
			ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
		{Delete: &types.Delete{TableName: aws.String("orders"), Key: orderKey("t", 2)}},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) {
		t.Fatalf("error = %v (%T), want *types.TransactionCanceledException", err, err)
	}
	if len(tce.CancellationReasons) != 2 || aws.ToString(tce.CancellationReasons[0].Code) != "ConditionalCheckFailed" ||
		aws.ToString(tce.CancellationReasons[1].Code) != "None" || tce.CancellationReasons[0].Item["status"] == nil {
		t.Errorf("CancellationReasons = %+v", tce.CancellationReasons)
	}
	if tce.ErrorMessage() == "" {
		t.Error("TransactionCanceledException without a message")
	}

	tg, err := c.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		{Get: &types.Get{TableName: aws.String("orders"), Key: orderKey("t", 1), ProjectionExpression: aws.String("#s"), ExpressionAttributeNames: map[string]string{"#s": "status"}}},
		{Get: &types.Get{TableName: aws.String("orders"), Key: orderKey("t", 2)}},
		{Get: &types.Get{TableName: aws.String("orders"), Key: orderKey("t", 3)}},
	}})
	if err != nil {
		t.Fatalf("TransactGetItems: %v", err)
	}
	if len(tg.Responses) != 3 || tg.Responses[0].Item["status"].(*types.AttributeValueMemberS).Value != "PAID" ||
		tg.Responses[1].Item == nil || tg.Responses[2].Item != nil {
		t.Errorf("TransactGetItems = %+v", tg.Responses)
	}
}

func TestSDK_ConsumedCapacity(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	item, _ := attributevalue.MarshalMap(sampleOrder("cc", 1))
	put, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("orders"), Item: item, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
	if err != nil {
		t.Fatal(err)
	}
	cc := put.ConsumedCapacity
	if cc == nil || aws.ToString(cc.TableName) != "orders" || aws.ToFloat64(cc.CapacityUnits) != 2 ||
		cc.Table == nil || aws.ToFloat64(cc.Table.CapacityUnits) != 1 || aws.ToFloat64(cc.GlobalSecondaryIndexes["byStatus"].CapacityUnits) != 1 {
		t.Errorf("PutItem ConsumedCapacity = %+v", cc)
	}
	get, err := c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("cc", 1), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil {
		t.Fatal(err)
	}
	if cc := get.ConsumedCapacity; cc == nil || aws.ToFloat64(cc.CapacityUnits) != 0.5 || cc.Table != nil {
		t.Errorf("GetItem ConsumedCapacity = %+v", cc)
	}
	get, err = c.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("orders"), Key: orderKey("cc", 1)})
	if err != nil || get.ConsumedCapacity != nil {
		t.Errorf("GetItem without ReturnConsumedCapacity reported %+v (%v)", get.ConsumedCapacity, err)
	}
	tx, err := c.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal,
		TransactItems: []types.TransactWriteItem{{Delete: &types.Delete{TableName: aws.String("orders"), Key: orderKey("cc", 1)}}}})
	if err != nil {
		t.Fatal(err)
	}
	if len(tx.ConsumedCapacity) != 1 || aws.ToFloat64(tx.ConsumedCapacity[0].WriteCapacityUnits) == 0 {
		t.Errorf("TransactWriteItems ConsumedCapacity = %+v", tx.ConsumedCapacity)
	}
}

func TestSDK_TimeToLiveAndStreamSettings(t *testing.T) {
	ctx := context.Background()
	c, _ := start(t)
	createOrders(t, c)
	up, err := c.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("orders"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("expires"), Enabled: aws.Bool(true)}})
	if err != nil {
		t.Fatalf("UpdateTimeToLive: %v", err)
	}
	if aws.ToString(up.TimeToLiveSpecification.AttributeName) != "expires" {
		t.Errorf("UpdateTimeToLive = %+v", up.TimeToLiveSpecification)
	}
	d, err := c.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("orders")})
	if err != nil || d.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Errorf("DescribeTimeToLive = %+v, %v", d, err)
	}
	ut, err := c.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("orders"),
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewImage}})
	if err != nil {
		t.Fatalf("UpdateTable stream: %v", err)
	}
	td := ut.TableDescription
	if td.StreamSpecification == nil || !aws.ToBool(td.StreamSpecification.StreamEnabled) || td.StreamSpecification.StreamViewType != types.StreamViewTypeNewImage ||
		aws.ToString(td.LatestStreamArn) == "" || aws.ToString(td.LatestStreamLabel) == "" {
		t.Errorf("UpdateTable stream description = %+v", td)
	}
}
