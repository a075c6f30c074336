package lambda_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

// OrderEvent and OrderResult are the JSON a production handler receives
// and returns.
type OrderEvent struct {
	OrderID string  `json:"orderId"`
	Amount  float64 `json:"amount"`
}

type OrderResult struct {
	OrderID string `json:"orderId"`
	Status  string `json:"status"`
}

// HandleOrder is written exactly as for aws-lambda-go, where main would
// call lambda.Start(HandleOrder).
func HandleOrder(ctx context.Context, ev OrderEvent) (OrderResult, error) {
	if ev.Amount <= 0 {
		return OrderResult{}, errors.New("amount must be positive")
	}
	return OrderResult{OrderID: ev.OrderID, Status: "accepted"}, nil
}

// A handler written for aws-lambda-go registers unchanged; the caller
// gets the JSON Lambda would return, and a function error as a typed
// error.
func Example() {
	ctx := context.Background()
	svc := lambda.New(lambda.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	defer svc.Close()

	out, err := svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "orders",
		Handler:      lambda.Handler(HandleOrder),
		MemorySize:   512,
	})
	if err != nil {
		panic(err)
	}
	resp, _ := out.Function.Invoke(ctx, []byte(`{"orderId":"o-1","amount":12.5}`))
	fmt.Println(string(resp))

	_, err = out.Function.Invoke(ctx, []byte(`{"orderId":"o-2","amount":0}`))
	var fe *lambda.FunctionError
	if errors.As(err, &fe) {
		fmt.Println(fe.FunctionError, fe.ErrorType, fe.ErrorMessage)
	}
	// Output:
	// {"orderId":"o-1","status":"accepted"}
	// Unhandled errorString amount must be positive
}

// Check answers whether a job fits Lambda, and what to use if not.
func ExampleCheck() {
	fit := lambda.Check(lambda.Workload{
		MemoryMB: 30 * 1024,
		Duration: 30 * time.Minute,
		FileSize: 3 << 30,
	})
	fmt.Println(fit)
	// Output:
	// Lambda does not fit:
	//   - MemorySize 30720 MB exceeds the maximum of 10240 MB
	//   - Timeout 1800 seconds exceeds the maximum of 900 seconds
	//   * a 3 GB file cannot go in the deployment package (250 MB unzipped, including code and layers)
	//   * it fits in /tmp: set EphemeralStorage to at least 3072 MB (up to 10240 MB) and download it from Amazon S3 in the function
	//   → Amazon ECS on AWS Fargate: up to 16 vCPU and 120 GB of memory per task, no run-time limit, up to 200 GiB of ephemeral storage
	//   → AWS Step Functions: split the job into steps of at most 15 minutes each
}

// An invocation past its timeout ends at the deadline on the clock, with
// Lambda's error document.
func ExampleService_Invoke_timeout() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := lambda.New(lambda.Options{Clock: c, Seed: 1})
	defer svc.Close()
	svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "slow",
		Timeout:      3,
		Handler: lambda.Handler(func(ctx context.Context) error {
			<-ctx.Done() // waits for the deadline, on the clock
			return ctx.Err()
		}),
	})
	done := make(chan *lambda.InvokeOutput)
	go func() {
		out, _ := svc.Invoke(ctx, &lambda.InvokeInput{FunctionName: "slow"})
		done <- out
	}()
	c.BlockUntil(ctx, 1) // the deadline timer is set
	c.Advance(3 * time.Second)
	out := <-done
	fmt.Println(out.StatusCode, out.FunctionError)
	fmt.Println(string(out.Payload))
	// Output:
	// 200 Unhandled
	// {"errorMessage":"RequestId: 5e5532fb-eea2-43f8-8bc9-42ee9086c171 Error: Task timed out after 3.00 seconds","errorType":"Sandbox.Timedout"}
}

// Asynchronous invocations are retried after one minute, then two, and
// the record of a failed event goes to the on-failure destination.
func ExampleService_PutFunctionEventInvokeConfig() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := lambda.New(lambda.Options{Clock: c})
	defer svc.Close()
	attempts := 0
	svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "flaky",
		Handler:      lambda.Handler(func() error { attempts++; return errors.New("try later") }),
	})
	svc.PutFunctionEventInvokeConfig(ctx, &lambda.FunctionEventInvokeConfigInput{
		FunctionName: "flaky",
		DestinationConfig: &lambda.DestinationConfig{OnFailure: &lambda.OnFailure{
			Destination: lambda.DestinationFunc(func(_ context.Context, record []byte, _ map[string]string) error {
				fmt.Printf("%.160s…\n", record)
				return nil
			}),
		}},
	})
	svc.Invoke(ctx, &lambda.InvokeInput{FunctionName: "flaky", InvocationType: lambda.InvocationTypeEvent, Payload: []byte(`{"n":1}`)})
	svc.WaitAsync(ctx)
	c.Advance(time.Minute)
	svc.WaitAsync(ctx)
	c.Advance(2 * time.Minute)
	svc.WaitAsync(ctx)
	fmt.Println(attempts, "attempts")
	// Output:
	// {"version":"1.0","timestamp":"2025-01-01T00:03:00.000Z","requestContext":{"requestId":"5e5532fb-eea2-43f8-8bc9-42ee9086c171","functionArn":"arn:aws:lambda:us-ea…
	// 3 attempts
}
