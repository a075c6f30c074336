package wire_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

// A DynamoDB endpoint on loopback: any client that speaks DynamoDB's
// protocol (an AWS SDK with BaseEndpoint set to srv.URL, the AWS CLI with
// --endpoint-url) works against it. Here the requests are written by hand
// to show the protocol.
func Example() {
	db := dynamo.New(dynamo.Options{})
	defer db.Close()
	srv := httptest.NewServer(wire.NewHandler(db, wire.Options{}))
	defer srv.Close()

	call := func(op, body string) (int, string) {
		req, _ := http.NewRequest("POST", srv.URL, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-json-1.0")
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, err.Error()
		}
		defer resp.Body.Close()
		out, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(out)
	}

	status, _ := call("CreateTable", `{"TableName":"users","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"id","KeyType":"HASH"}]}`)
	fmt.Println(status)
	fmt.Println(call("PutItem", `{"TableName":"users","Item":{"id":{"S":"ada"},"born":{"N":"1815.0"},"langs":{"SS":["analytical engine"]}}}`))
	fmt.Println(call("GetItem", `{"TableName":"users","Key":{"id":{"S":"ada"}}}`))
	fmt.Println(call("PutItem", `{"TableName":"users","Item":{"id":{"S":"ada"}},"ConditionExpression":"attribute_not_exists(id)"}`))
	fmt.Println(call("PutItem", `{"TableName":"users","Item":{"id":{"S":"bob"},"x":{}}}`))
	fmt.Println(call("GetItem", `{"TableName":"users","Key":[]}`))
	// Output:
	// 200
	// 200 {}
	// 200 {"Item":{"born":{"N":"1815"},"id":{"S":"ada"},"langs":{"SS":["analytical engine"]}}}
	// 400 {"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}
	// 400 {"__type":"com.amazon.coral.validate#ValidationException","message":"Supplied AttributeValue is empty, must contain exactly one of the supported datatypes"}
	// 400 {"__type":"com.amazon.coral.service#SerializationException","Message":"Start of list found where not expected"}
}

// MarshalItem and UnmarshalItem convert between dynamo's values and
// DynamoDB JSON, the form items take on the wire, in exports and in the
// AWS CLI.
func ExampleMarshalItem() {
	data, _ := wire.MarshalItem(dynamo.Item{
		"id":    dynamo.S("ada"),
		"bytes": dynamo.B{0xde, 0xad},
		"tags":  dynamo.L{dynamo.N("1"), dynamo.BOOL(true), dynamo.NULL{}},
	})
	fmt.Println(string(data))
	item, err := wire.UnmarshalItem([]byte(`{"id":{"S":"ada"},"n":{"NS":["1","2"]}}`))
	fmt.Println(item, err)
	_, err = wire.UnmarshalItem([]byte(`{"id":{"S":"ada","N":"1"}}`))
	fmt.Println(err)
	// Output:
	// {"bytes":{"B":"3q0="},"id":{"S":"ada"},"tags":{"L":[{"N":"1"},{"BOOL":true},{"NULL":true}]}}
	// map[id:ada n:[1 2]] <nil>
	// ValidationException: Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes
}
