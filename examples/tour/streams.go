package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

func tourStreams(w io.Writer) error {
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	c := clock.NewManual(start)
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()

	out, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "sessions",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "token", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "token", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
		StreamSpecification:  &dynamo.StreamSpecification{StreamEnabled: true, StreamViewType: dynamo.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		return err
	}
	if _, err := db.UpdateTimeToLive(ctx, &dynamo.UpdateTimeToLiveInput{TableName: "sessions",
		TimeToLiveSpecification: &dynamo.TimeToLiveSpecification{AttributeName: "expires", Enabled: true}}); err != nil {
		return err
	}
	expires := strconv.FormatInt(start.Add(30*time.Minute).Unix(), 10)
	put := func(user string) error {
		_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "sessions", Item: dynamo.Item{
			"token": dynamo.S("t-1"), "user": dynamo.S(user), "expires": dynamo.N(expires)}})
		return err
	}
	for _, user := range []string{"ana", "ana", "ana.m"} {
		if err := put(user); err != nil {
			return err
		}
	}
	fmt.Fprintln(w, "A session row with a TTL attribute 30 minutes ahead, written three times (the second write changes nothing).")
	read := func() string {
		got, _ := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "sessions", Key: dynamo.Item{"token": dynamo.S("t-1")}})
		if got.Item == nil {
			return "gone"
		}
		return "still readable"
	}
	c.Advance(time.Hour)
	fmt.Fprintf(w, "One hour later the session has expired but is %s: TTL deletes within days, not at once.\n", read())
	c.Advance(48 * time.Hour)
	fmt.Fprintf(w, "Two days later it is %s.\n", read())

	src, err := db.StreamSource(out.TableDescription.LatestStreamArn)
	if err != nil {
		return err
	}
	ids, _, err := src.Shards(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "The stream, from TRIM_HORIZON (24 hours are kept, so the first records are trimmed by now):")
	for _, id := range ids {
		it, err := db.GetShardIterator(ctx, &dynamo.GetShardIteratorInput{StreamArn: src.ARN(), ShardId: id, ShardIteratorType: dynamo.ShardIteratorTypeTrimHorizon})
		if err != nil {
			return err
		}
		recs, err := db.GetRecords(ctx, &dynamo.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			return err
		}
		for _, r := range recs.Records {
			by := "the application"
			if r.UserIdentity != nil {
				by = r.UserIdentity.Type + " " + r.UserIdentity.PrincipalId
			}
			fmt.Fprintf(w, "  %s %s, old user=%v, by %s\n", r.EventName, r.Dynamodb.ApproximateCreationDateTime.Format("Jan 2 15:04"), r.Dynamodb.OldImage["user"], by)
		}
	}
	return nil
}
