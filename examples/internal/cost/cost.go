// Package cost is the cost scenario: the bill of a day of simulated
// traffic on Lambda and DynamoDB, with AWS's published prices and free
// tier, and what the same workload would cost at a thousand times the
// scale.
package cost

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/lambda"
)

// requests is the day's traffic: each request runs the function once,
// which reads one item and writes another.
const requests = 10_000

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	db := dynamo.New(dynamo.Options{Clock: c})
	defer db.Close()
	fns := lambda.New(lambda.Options{Clock: c})
	defer fns.Close()

	if _, err := db.CreateTable(ctx, &dynamo.CreateTableInput{
		TableName:            "orders",
		AttributeDefinitions: []dynamo.AttributeDefinition{{AttributeName: "id", AttributeType: "S"}},
		KeySchema:            []dynamo.KeySchemaElement{{AttributeName: "id", KeyType: dynamo.KeyTypeHash}},
		BillingMode:          dynamo.BillingModePayPerRequest,
	}); err != nil {
		return err
	}
	// The handler works for 120 ms of simulated time: it moves the manual
	// clock itself, so Lambda measures and bills that duration.
	handler := func(ctx context.Context, n int) error {
		id := strconv.Itoa(n)
		if _, err := db.GetItem(ctx, &dynamo.GetItemInput{TableName: "orders", Key: dynamo.Item{"id": dynamo.S(strconv.Itoa(n - 1))}}); err != nil {
			return err
		}
		c.Advance(120 * time.Millisecond)
		_, err := db.PutItem(ctx, &dynamo.PutItemInput{TableName: "orders", Item: dynamo.Item{
			"id": dynamo.S(id), "total": dynamo.N("19.99"), "note": dynamo.S("a one-kilobyte order record, padded to a realistic size")}})
		return err
	}
	if _, err := fns.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "checkout", Handler: lambda.Handler(handler), MemorySize: 512}); err != nil {
		return err
	}
	f := fns.Function("checkout")
	for i := 0; i < requests; i++ {
		if _, err := f.Invoke(ctx, []byte(strconv.Itoa(i))); err != nil {
			return err
		}
	}
	c.Set(time.Date(2025, 1, 2, 0, 0, 0, 0, time.UTC))

	fmt.Fprintf(w, "A day of traffic: %d requests to a 512 MB function working 120 ms each,\n", requests)
	fmt.Fprintln(w, "each reading one order and writing another in an on-demand table.")
	lb := fns.Cost()
	fmt.Fprintf(w, "Lambda: %d requests, %.0f GB-seconds; the free tier (1M requests, 400,000 GB-s a month) covers it: $%.2f\n",
		lb.Requests, lb.X86GBSeconds, lb.Total)
	dbill, err := db.Bill(ctx)
	if err != nil {
		return err
	}
	for _, t := range dbill.Tables {
		fmt.Fprintf(w, "DynamoDB %s: %.0f read and %.0f write request units, %.6f GB-months stored: $%.4f\n",
			t.TableName, t.ReadRequestUnits, t.WriteRequestUnits, t.StorageGBMonths, t.Total)
	}
	fmt.Fprintf(w, "DynamoDB total after the free tier: $%.4f\n", dbill.Total)

	// The same workload a thousand times over, for a 30-day month.
	scaled := lambda.Usage{Requests: lb.Requests * 1000 * 30, X86GBSeconds: lb.X86GBSeconds * 1000 * 30}
	big := lambda.DefaultPrices().Estimate(scaled)
	fmt.Fprintf(w, "At 10 million requests a day for 30 days, Lambda would cost $%.2f a month\n", big.Total)
	fmt.Fprintf(w, "  ($%.2f for requests, $%.2f for compute after the free tier).\n", big.RequestCost, big.ComputeCost)
	return nil
}
