// Package sessionsttl is the sessions-ttl scenario: web sessions that
// expire through DynamoDB's Time to Live, showing that an expired item is
// still readable until the background deletion runs, so the application
// must check expiry itself.
package sessionsttl

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	ctx := context.Background()
	start := time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC)
	c := clock.NewManual(start)
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()

	if _, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "sessions",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "token", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "token", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		return err
	}
	if _, err := db.UpdateTimeToLive(ctx, &dynamo.UpdateTimeToLiveInput{TableName: "sessions",
		TimeToLiveSpecification: &dynamo.TimeToLiveSpecification{AttributeName: "expires", Enabled: true}}); err != nil {
		return err
	}
	fmt.Fprintln(w, "Table sessions, Time to Live on the attribute expires (epoch seconds).")
	for _, s := range []struct {
		token string
		ttl   time.Duration
	}{{"short", 15 * time.Minute}, {"day", 24 * time.Hour}, {"week", 7 * 24 * time.Hour}} {
		exp := strconv.FormatInt(c.Now().Add(s.ttl).Unix(), 10)
		if _, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "sessions",
			Item: dynamo.Item{"token": dynamo.S(s.token), "expires": dynamo.N(exp)}}); err != nil {
			return err
		}
		fmt.Fprintf(w, "  session %-5s expires %s\n", s.token, c.Now().Add(s.ttl).Format("Jan 2 15:04"))
	}

	report := func(when string) error {
		all, err := db.Scan(ctx, &dynamo.ScanInput{TableName: "sessions", Select: dynamo.SelectCount})
		if err != nil {
			return err
		}
		// The right way to read: filter out what has expired but is not
		// deleted yet.
		valid, err := db.Scan(ctx, &dynamo.ScanInput{TableName: "sessions", Select: dynamo.SelectCount,
			FilterExpression:          "expires > :now",
			ExpressionAttributeValues: map[string]dynamo.AttributeValue{":now": dynamo.N(strconv.FormatInt(c.Now().Unix(), 10))}})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "%s: %d stored, %d still valid (FilterExpression expires > :now)\n", when, all.Count, valid.Count)
		return nil
	}
	if err := report("Jan 1 09:00"); err != nil {
		return err
	}
	c.Advance(time.Hour)
	fmt.Fprintln(w, "One hour later the short session has expired, but TTL deletes within days, not at once:")
	if err := report("Jan 1 10:00"); err != nil {
		return err
	}
	c.Advance(2 * 24 * time.Hour)
	fmt.Fprintln(w, "Two days later the sweeper has deleted the short session, 48 hours after it expired and at no")
	fmt.Fprintln(w, "write cost; the day session has expired too but is still stored:")
	if err := report("Jan 3 10:00"); err != nil {
		return err
	}
	c.Advance(7 * 24 * time.Hour)
	fmt.Fprintln(w, "A week later every session has expired and been deleted:")
	return report("Jan 10 10:00")
}
