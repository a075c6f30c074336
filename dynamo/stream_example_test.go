package dynamo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// eventSource is the interface a stream consumer declares in its own
// package — a Lambda event source mapping does the same — using standard
// types only, so that it never imports dynamo. *dynamo.StreamSource and
// *dynamo.KinesisStream satisfy it.
type eventSource interface {
	Shards(ctx context.Context) (ids, parents []string, err error)
	ShardIterator(ctx context.Context, shardID, iteratorType, sequenceNumber string) (string, error)
	Records(ctx context.Context, iterator string, limit int) ([]json.RawMessage, string, error)
}

// welcomeNewUsers reads every record of a stream and sends a welcome
// message for each new user row. The records are the JSON Lambda
// delivers; a real handler would take events.DynamoDBEvent.
func welcomeNewUsers(ctx context.Context, src eventSource, send func(to, msg string)) error {
	ids, _, err := src.Shards(ctx)
	if err != nil {
		return err
	}
	for _, id := range ids { // parents come before their children
		it, err := src.ShardIterator(ctx, id, "TRIM_HORIZON", "")
		if err != nil {
			return err
		}
		for it != "" {
			recs, next, err := src.Records(ctx, it, 100)
			if err != nil {
				return err
			}
			for _, raw := range recs {
				var rec struct {
					EventName string `json:"eventName"`
					Dynamodb  struct {
						NewImage struct {
							Name  struct{ S string }
							Email struct{ S string }
						}
					} `json:"dynamodb"`
				}
				if err := json.Unmarshal(raw, &rec); err != nil {
					return err
				}
				if rec.EventName == "INSERT" {
					img := rec.Dynamodb.NewImage
					send(img.Email.S, "Welcome aboard, "+img.Name.S+"!")
				}
			}
			if len(recs) == 0 {
				break // nothing more for now in this open shard
			}
			it = next
		}
	}
	return nil
}

// A sign-up writes a user row; the table's stream carries it to a
// consumer that sends a welcome message. Renaming a user is a MODIFY
// record, writing the same row again is no record at all, so each user
// is welcomed exactly once.
func ExampleStreamSource_welcome() {
	ctx := context.Background()
	db := dynamo.New(dynamo.Options{Clock: clock.NewManual(time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC))})
	defer db.Close()

	out, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "users",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewImage},
	})
	if err != nil {
		panic(err)
	}
	signUp := func(id, name, email string) {
		_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "users", Item: dynamo.Item{
			"id": dynamo.S(id), "Name": dynamo.S(name), "Email": dynamo.S(email),
		}})
		if err != nil {
			panic(err)
		}
	}
	signUp("u1", "Ana", "ana@example.com")
	signUp("u2", "Bo", "bo@example.com")
	signUp("u2", "Bo", "bo@example.com") // the same row again: no record
	signUp("u1", "Ana María", "ana@example.com")

	src, err := db.StreamSource(out.TableDescription.LatestStreamArn)
	if err != nil {
		panic(err)
	}
	err = welcomeNewUsers(ctx, src, func(to, msg string) { fmt.Printf("to %s: %s\n", to, msg) })
	if err != nil {
		panic(err)
	}
	// Output:
	// to ana@example.com: Welcome aboard, Ana!
	// to bo@example.com: Welcome aboard, Bo!
}
