package wire_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

// One endpoint serves DynamoDB and DynamoDB Streams, told apart by
// X-Amz-Target, so the SDK's dynamodb and dynamodbstreams clients can
// share a BaseEndpoint. Here a table with a stream is written through the
// first protocol and its changes read back through the second, by hand.
func ExampleStreamsHandler() {
	db := dynamo.New(dynamo.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	defer db.Close()
	srv := httptest.NewServer(wire.NewHandler(db, wire.Options{}))
	defer srv.Close()

	call := func(target, body string) map[string]any {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", target)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var out map[string]any
		_ = json.Unmarshal(data, &out)
		return out
	}
	ddb := func(op, body string) map[string]any { return call(wire.TargetPrefix+op, body) }
	streams := func(op, body string) map[string]any { return call(wire.StreamsTargetPrefix+op, body) }

	ddb("CreateTable", `{"TableName":"users","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"StreamSpecification":{"StreamEnabled":true,"StreamViewType":"NEW_AND_OLD_IMAGES"}}`)
	ddb("PutItem", `{"TableName":"users","Item":{"id":{"S":"ada"},"visits":{"N":"1"}}}`)
	ddb("UpdateItem", `{"TableName":"users","Key":{"id":{"S":"ada"}},"UpdateExpression":"ADD visits :one","ExpressionAttributeValues":{":one":{"N":"1"}}}`)
	ddb("DeleteItem", `{"TableName":"users","Key":{"id":{"S":"ada"}}}`)

	arn := streams("ListStreams", `{"TableName":"users"}`)["Streams"].([]any)[0].(map[string]any)["StreamArn"].(string)
	fmt.Println(arn)
	shard := streams("DescribeStream", `{"StreamArn":"`+arn+`"}`)["StreamDescription"].(map[string]any)["Shards"].([]any)[0].(map[string]any)["ShardId"].(string)
	it := streams("GetShardIterator", `{"StreamArn":"`+arn+`","ShardId":"`+shard+`","ShardIteratorType":"TRIM_HORIZON"}`)["ShardIterator"].(string)
	for _, r := range streams("GetRecords", `{"ShardIterator":"`+it+`"}`)["Records"].([]any) {
		rec := r.(map[string]any)
		change, _ := json.Marshal(rec["dynamodb"].(map[string]any)["NewImage"])
		fmt.Println(rec["eventName"], string(change))
	}
	fmt.Println(streams("GetRecords", `{"ShardIterator":"`+arn+`|1|AAAA"}`))
	// Output:
	// arn:aws:dynamodb:us-east-1:123456789012:table/users/stream/2025-01-01T00:00:00.000
	// INSERT {"id":{"S":"ada"},"visits":{"N":"1"}}
	// MODIFY {"id":{"S":"ada"},"visits":{"N":"2"}}
	// REMOVE null
	// map[__type:com.amazon.coral.validate#ValidationException message:Invalid ShardIterator]
}
