package dynamo_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// A cart table in us-east-1 gets a replica in Sydney. Both regions take
// writes; a write reaches the other region a second later, and two
// writes of the same item converge on the later one everywhere.
func ExampleAccount() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC))
	acct := dynamo.NewAccount(dynamo.AccountOptions{Clock: c})
	defer acct.Close()
	east, sydney := acct.Region("us-east-1"), acct.Region("ap-southeast-2")

	_, err := east.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "carts",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		panic(err)
	}
	_, err = east.UpdateTable(ctx, &dynamo.UpdateTableInput{
		TableName:      "carts",
		ReplicaUpdates: []dynamo.ReplicationGroupUpdate{{Create: &dynamo.CreateReplicationGroupMemberAction{RegionName: "ap-southeast-2"}}},
	})
	if err != nil {
		panic(err)
	}
	put := func(db *dynamo.DB, items string) {
		_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "carts", Item: dynamo.Item{"id": dynamo.S("c1"), "items": dynamo.N(items)}})
		if err != nil {
			panic(err)
		}
	}
	read := func(db *dynamo.DB) any {
		out, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "carts", Key: dynamo.Item{"id": dynamo.S("c1")}})
		if err != nil {
			panic(err)
		}
		if out.Item == nil {
			return "none"
		}
		return out.Item["items"]
	}

	put(east, "1")
	fmt.Println("Sydney at once:", read(sydney))
	c.Advance(time.Second)
	fmt.Println("Sydney a second later:", read(sydney))

	put(sydney, "2")
	c.Advance(100 * time.Millisecond)
	put(east, "3") // later: it wins in both regions
	c.Advance(time.Second)
	fmt.Println("converged:", read(east), read(sydney))
	// Output:
	// Sydney at once: none
	// Sydney a second later: 1
	// converged: 3 3
}
