package dynamo_test

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// Sessions expire through Time to Live: each carries its expiry in epoch
// seconds. DynamoDB deletes an expired session some time later (48 hours
// at most here), so until then a read still returns it and the
// application checks the expiry itself. The deletion appears in the
// stream as a REMOVE made by the DynamoDB service.
func ExampleDB_UpdateTimeToLive() {
	ctx := context.Background()
	start := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	c := clock.NewManual(start)
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()

	out, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "sessions",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "token", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "token", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeOldImage},
	})
	if err != nil {
		panic(err)
	}
	_, err = db.UpdateTimeToLive(ctx, &dynamo.UpdateTimeToLiveInput{
		TableName:               "sessions",
		TimeToLiveSpecification: &dynamo.TimeToLiveSpecification{AttributeName: "expires", Enabled: true},
	})
	if err != nil {
		panic(err)
	}
	expires := start.Add(30 * time.Minute).Unix()
	_, err = db.PutItem(ctx, &dynamo.PutItemInput{TableName: "sessions", Item: dynamo.Item{
		"token": dynamo.S("t-123"), "user": dynamo.S("ana"), "expires": dynamo.N(strconv.FormatInt(expires, 10)),
	}})
	if err != nil {
		panic(err)
	}

	session := func() string {
		got, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "sessions", Key: dynamo.Item{"token": dynamo.S("t-123")}})
		if err != nil {
			panic(err)
		}
		if got.Item == nil {
			return "gone"
		}
		exp, _ := strconv.ParseInt(string(got.Item["expires"].(dynamo.N)), 10, 64)
		if c.Now().Unix() > exp {
			return "present but expired"
		}
		return "valid"
	}
	fmt.Println("at 12:00:", session())
	c.Advance(time.Hour)
	fmt.Println("at 13:00:", session())
	c.Advance(48 * time.Hour)
	fmt.Println("two days later:", session())

	// The stream keeps 24 hours of records: the INSERT of two days ago has
	// been trimmed, the REMOVE of Time to Live is there.
	src, _ := db.StreamSource(out.TableDescription.LatestStreamArn)
	ids, _, _ := src.Shards(ctx)
	for _, id := range ids {
		it, _ := db.GetShardIterator(ctx, &dynamo.GetShardIteratorInput{StreamArn: src.ARN(), ShardId: id, ShardIteratorType: dynamo.ShardIteratorTypeTrimHorizon})
		recs, _ := db.GetRecords(ctx, &dynamo.GetRecordsInput{ShardIterator: it.ShardIterator})
		for _, r := range recs.Records {
			by := "the application"
			if r.UserIdentity != nil {
				by = r.UserIdentity.PrincipalId
			}
			fmt.Println(r.EventName, r.Dynamodb.Keys["token"], "by", by, "at", r.Dynamodb.ApproximateCreationDateTime.Format(time.DateTime))
		}
	}
	// Output:
	// at 12:00: valid
	// at 13:00: present but expired
	// two days later: gone
	// REMOVE t-123 by dynamodb.amazonaws.com at 2025-03-03 12:30:00
}
