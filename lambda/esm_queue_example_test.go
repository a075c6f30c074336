package lambda_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

// A function triggered by a queue: the event is the JSON of
// events.SQSEvent; a message the function fails on comes back after the
// visibility timeout, and after two receives it goes to the queue's
// dead-letter queue.
func ExampleNewQueue() {
	ctx := context.Background()
	clk := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := lambda.New(lambda.Options{Clock: clk})
	defer svc.Close()
	dlq, _ := lambda.NewQueue(lambda.QueueOptions{Clock: clk, Name: "orders-dlq"})
	orders, _ := lambda.NewQueue(lambda.QueueOptions{Clock: clk, Name: "orders",
		RedrivePolicy: &lambda.RedrivePolicy{DeadLetterQueue: dlq, MaxReceiveCount: 2}})

	type event struct {
		Records []struct {
			Body       string            `json:"body"`
			Attributes map[string]string `json:"attributes"`
		}
	}
	seen := make(chan string)
	svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "ship",
		Handler: lambda.Handler(func(ctx context.Context, ev event) error {
			r := ev.Records[0]
			seen <- r.Body + " (receive " + r.Attributes["ApproximateReceiveCount"] + ")"
			if r.Body == "broken" {
				return fmt.Errorf("cannot ship %s", r.Body)
			}
			return nil
		}),
	})
	m, err := svc.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{FunctionName: "ship", Queue: orders})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.State, m.BatchSize, m.EventSourceArn)

	orders.SendMessage(ctx, &lambda.SendMessageInput{MessageBody: "book"})
	fmt.Println(<-seen)
	orders.SendMessage(ctx, &lambda.SendMessageInput{MessageBody: "broken"})
	fmt.Println(<-seen)
	clk.Advance(30 * time.Second) // the visibility timeout
	fmt.Println(<-seen)
	moved := dlq.Changed()
	clk.Advance(30 * time.Second)
	<-moved
	fmt.Println("dead-letter queue:", dlq.Messages()[0].Body)
	// Output:
	// Creating 10 arn:aws:sqs:us-east-1:123456789012:orders
	// book (receive 1)
	// broken (receive 1)
	// broken (receive 2)
	// dead-letter queue: broken
}
