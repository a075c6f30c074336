// Package minicloud simulates the AWS serverless primitives inside a Go
// process, with their real semantics, limits, errors and wire formats.
//
// Each service is its own package and can be used alone:
//
//   - [github.com/minicloud/minicloud/dynamo]: DynamoDB tables and items,
//     the expression languages, Query and Scan, secondary indexes, batches
//     and transactions, capacity and cost, Streams, Time to Live, PartiQL
//     and a Kinesis streaming destination; dynamo/dax puts a DAX-style
//     cache in front of a table.
//   - [github.com/minicloud/minicloud/lambda]: Lambda functions running Go
//     handlers written for aws-lambda-go, with Lambda's quotas, concurrency,
//     execution environments, versions, asynchronous delivery and cost.
//   - [github.com/minicloud/minicloud/stepfn]: Step Functions: the Amazon
//     States Language, executions and their history.
//   - [github.com/minicloud/minicloud/dynamo/wire]: the DynamoDB and
//     DynamoDB Streams JSON wire protocols as an http.Handler, for
//     aws-sdk-go-v2 and the AWS CLI; the command cmd/minicloud serves them
//     on a local endpoint, and [Transport] serves them to an SDK client in
//     the same process, without a socket.
//   - [github.com/minicloud/minicloud/clock]: the one time source they all
//     share, real by default and stepped by hand in tests.
//
// [New] wires one simulated account: its services share one clock and know
// each other where AWS connects them (a Step Functions Task whose Resource
// is a Lambda function ARN invokes the account's function), and
// [Cloud.Handler] serves their wire protocols on one endpoint. [NewTest]
// gives each test its own account on a manual clock, closed when the test
// ends:
//
//	func TestCheckout(t *testing.T) {
//		cloud, clk := minicloud.NewTest(t)
//		// cloud.Dynamo, cloud.Lambda, cloud.StepFunctions; clk.Advance(…)
//	}
//
// # Three ways to use it
//
// In unit tests, a user's real handlers and data code run against minicloud
// with no Docker, no JVM and no network: each test gets fresh, isolated
// state in microseconds, and a [clock.Manual] turns a 24-hour retention or a
// 15-minute timeout into one call to Advance.
//
// In prototypes, a whole serverless architecture runs in one process, and
// graduates to AWS by changing an endpoint, not the code.
//
// In teaching, limits are data you can read, every violation is an error
// that names the limit, and time moves when you say so, so the semantics of
// serverless can be shown step by step.
//
// # Errors
//
// Every service returns the same error type, exposed by each package as its
// own Error (for example [github.com/minicloud/minicloud/dynamo.Error]). It
// carries AWS's error code (such as "ResourceNotFoundException",
// "ValidationException" or "States.Timeout"), a message in AWS's words and
// the HTTP status a wire handler answers with. errors.Is matches it against
// the sentinels each package exports by code; errors.As reads its fields:
//
//	_, err := db.PutItem(ctx, in)
//	if errors.Is(err, dynamo.ErrConditionalCheckFailed) {
//		// someone else wrote first
//	}
//	var e *dynamo.Error
//	if errors.As(err, &e) {
//		log.Println(e.Code, e.Message, e.StatusCode)
//	}
//
// # Time
//
// Nothing in minicloud reads the machine's clock directly. Every service
// takes a [clock.Clock] in its options; leave it nil for real time, or pass
// a [clock.Manual] and move time by hand:
//
//	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
//	db := dynamo.New(dynamo.Options{Clock: c})
//	c.Advance(48 * time.Hour) // everything due in two days happens now, in order
//
// # Fault injection
//
// [Cloud.Faults] makes the account fail on purpose, the way AWS fails, so
// that a test can prove its retries and error handling. A [Fault] rule
// aims at calls by service, operation, resource (a "*" glob over a table,
// a function, a Task's ARN, an API's "apiId routeKey" or a distribution's
// "distributionId originId") and an optional predicate; it injects an AWS
// error with AWS's status and message, a latency on the clock, DynamoDB
// batch items left unprocessed, a Lambda function error, runtime crash,
// timeout, slow or failing cold start or duplicate asynchronous delivery,
// an API Gateway throttle or integration timeout, a failing or unreachable
// CloudFront origin; it hits always, the next N calls, with
// a probability drawn from the seeded source, or between two clock times:
//
//	cloud.Faults.Add(minicloud.Fault{
//		Service:   minicloud.ServiceDynamoDB,
//		Operation: "PutItem",
//		Resource:  "orders",
//		Code:      "ThrottlingException",
//		Times:     2,
//	})
//
// The wire protocols answer injected errors exactly as AWS does, so a real
// aws-sdk-go-v2 client retries them as it would against AWS. Every fault
// is recorded in [Faults.Injected] and logged to [Options].Logger. See
// docs/faults.md for what each service can inject.
package minicloud
