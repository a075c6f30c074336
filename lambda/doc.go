// Package lambda is an in-process AWS Lambda: it runs Go handlers, written
// for aws-lambda-go, with Lambda's semantics, quotas, errors and JSON.
//
//	svc := lambda.New(lambda.Options{Clock: c, Region: "us-east-1"})
//	defer svc.Close()
//	out, err := svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
//		FunctionName: "orders",
//		Handler:      lambda.Handler(HandleOrder), // the handler main passes to lambda.Start
//		MemorySize:   512,
//		Timeout:      10,
//	})
//	resp, err := out.Function.Invoke(ctx, []byte(`{"orderId":"o-1"}`))
//
// Operations are named and shaped as in the Lambda API (CreateFunction,
// Invoke, PublishVersion, CreateAlias, PutFunctionConcurrency,
// PutFunctionEventInvokeConfig…), so the AWS documentation is this
// package's documentation. A [*Function] handle satisfies, without either
// package importing the other, the one-method interface another package
// declares to invoke a function: Invoke(ctx, payload) ([]byte, error).
//
// # Functions and quotas
//
// Every quota is data in [Limits], with AWS's default and the page it
// comes from, and can be overridden per [Service]. A function's memory is
// 128 to 10,240 MB in 1 MB steps (default 128), and its CPU share grows
// with it: one full vCPU at 1,769 MB, six at 10,240 MB ([Limits.VCPUs]).
// Its timeout is 1 to 900 seconds (default 3). Its environment variables
// take at most 4 KB together, and the names Lambda sets itself
// (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME…) are refused. /tmp is 512 to
// 10,240 MB. A .zip uploaded directly is at most 50 MB (larger ones go
// through S3) and 250 MB once extracted, layers included; a container
// image 10 GB; the account stores 75 GB of packages, every version
// counted. A synchronous invocation carries at most 6 MB each way, an
// asynchronous one 1 MB, a streamed response 200 MB.
//
// A value out of range is an InvalidParameterValueException (or
// RequestTooLargeException, CodeStorageExceededException) whose message
// names the quota, the value and the limit, and errors.As finds a
// [*LimitError] with the same facts. [Check] answers the question before
// any code is written: given a workload's memory, duration and file
// sizes, does Lambda fit, which quotas does it break, where does a large
// file go (not the package; /tmp up to 10 GB), and what to use instead
// (ECS on Fargate for what is too big or too long, Step Functions to cut
// a long job into steps of at most 15 minutes).
//
// # Handlers
//
// [Handler] accepts every handler lambda.Start accepts: no argument, a
// context, an event, or both; returning nothing, an error, or a value and
// an error; events and values of any type encoding/json handles; and a
// value with the method Invoke(ctx, []byte) ([]byte, error). [Typed] is
// the generic form, without reflection. The payload always goes through
// JSON, as in Lambda: a handler never sees the caller's Go values, unknown
// fields are dropped, and the response is encoded without HTML escaping. A
// handler of a shape lambda.Start would refuse is refused by
// CreateFunction, with aws-lambda-go's message.
//
// [InitHandler] models the init code that runs in main before
// lambda.Start: it runs once per execution environment and returns the
// handler that environment uses, so state it creates is per environment,
// as in Lambda. [StreamingHandler] writes a response progressively.
//
// # The invocation's context
//
// The handler's context carries what lambdacontext gives a handler run by
// aws-lambda-go: the request ID, the invoked ARN (qualified when the
// caller named a version or alias), the Cognito identity and the client
// context, read with [FromContext]. Its deadline is the function's timeout
// on the service's clock. It carries the caller's context values but not
// its cancellation: a caller that gives up does not stop a running
// function.
//
// A handler that reads lambdacontext.FromContext itself sees the same
// values once Options.ContextHook copies them into aws-lambda-go's
// context (this package does not import aws-lambda-go):
//
//	lambda.Options{ContextHook: func(ctx context.Context, lc *lambda.LambdaContext) context.Context {
//		return lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{
//			AwsRequestID:       lc.AwsRequestID,
//			InvokedFunctionArn: lc.InvokedFunctionArn,
//			Identity:           lambdacontext.CognitoIdentity(lc.Identity),
//			ClientContext: lambdacontext.ClientContext{
//				Client: lambdacontext.ClientApplication(lc.ClientContext.Client),
//				Env:    lc.ClientContext.Env,
//				Custom: lc.ClientContext.Custom,
//			},
//		})
//	}}
//
// The variables Lambda defines (AWS_LAMBDA_FUNCTION_NAME,
// AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
// AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME, AWS_REGION,
// AWS_LAMBDA_INITIALIZATION_TYPE, _X_AMZN_TRACE_ID…) and the function's
// own are read with [Getenv] and [Environ], per environment, without
// touching the process environment. lambdacontext's package variables
// (FunctionName, MemoryLimitInMB…), which it reads from the process
// environment at start-up, are not set.
//
// # Invoking
//
// Invoke with InvocationType RequestResponse runs the handler and answers
// 200; Event queues the event and answers 202; DryRun only checks the
// request and answers 204. An empty payload is the event {}; a payload
// that is not JSON is an InvalidRequestContentException. LogType Tail
// returns the invocation's last 4 KB of log, base64.
//
// A function error is not a Go error of Invoke: the call succeeds with
// FunctionError "Unhandled" and the error document in the payload,
// {"errorMessage":"…","errorType":"…"}, where errorType is the Go type
// name of the returned error ("errorString" for errors.New) or of a
// panic's value, with its stackTrace. A panic, a timeout or a failed init
// discards the execution environment; a returned error does not. At the
// deadline the invocation ends with errorType "Sandbox.Timedout" and
// "RequestId: … Error: Task timed out after 3.00 seconds", the log says
// "Task timed out after 3.00 seconds" and REPORT bills the whole timeout.
// A response over 6 MB is the error "Function.ResponseSizeTooLarge".
// [Function.Invoke] turns a function error into a [*FunctionError].
//
// # Concurrency
//
// An account runs 1,000 invocations at once by default
// (Limits.ConcurrentExecutions). PutFunctionConcurrency reserves part of
// it for a function, which is then both guaranteed and capped; the
// account always keeps at least 100 unreserved. Provisioned concurrency
// keeps environments of a version or alias initialised, counts against
// the reservation or the unreserved pool, and serves invocations without
// a cold start. A function starts at most 1,000 new environments per 10
// seconds. Beyond any of these, a synchronous call fails with
// TooManyRequestsException (429, "Rate Exceeded.") and a Reason:
// ConcurrentInvocationLimitExceeded,
// ReservedFunctionConcurrentInvocationLimitExceeded or
// FunctionInvocationRateLimitExceeded ([ThrottleReason]).
//
// # Execution environments
//
// An invocation runs in a warm environment when one is idle, else in a new
// one: a cold start, whose init phase (an optional simulated delay,
// Options.ColdStart, on the clock, then the handler's init) is reported as
// Init Duration on the first invocation and billed. An environment serves
// one invocation at a time, keeps its memory and its own /tmp between
// invocations, is discarded after a panic or a timeout, and is reaped
// after Options.IdleTimeout (10 minutes by default) without work. An
// update of $LATEST starts fresh environments. /tmp is a real directory
// ([TmpDir], [TmpFS]) removed with its environment; writes through [Tmp]
// past EphemeralStorage fail with ENOSPC.
//
// # Versions and aliases
//
// $LATEST is the editable version. PublishVersion snapshots its code and
// configuration as version 1, 2, 3… (publishing an unchanged $LATEST
// returns the last version). An alias points at a version and can send a
// share of its invocations (0.0 to 1.0) to one other version, a canary;
// ExecutedVersion says which ran. A version an alias uses cannot be
// deleted.
//
// # Asynchronous invocation
//
// An Event invocation goes to a queue. If the function fails, Lambda
// retries twice, one minute and then two minutes later
// (MaximumRetryAttempts 0 to 2); if it is throttled, it retries with a
// delay doubling from 1 second up to 5 minutes; an event older than
// MaximumEventAgeInSeconds (60 to 21,600, default 6 hours) is dropped. A
// retried event keeps its request ID. After the last failure the
// invocation record goes to the on-failure destination and the event
// itself to the dead-letter target; a success goes to the on-success
// destination. A record has Lambda's JSON shape ([DestinationRecord]):
// version, timestamp, requestContext (requestId, functionArn, condition
// Success, RetriesExhausted or EventAgeExceeded, approximateInvokeCount),
// requestPayload, responseContext and responsePayload. Destinations are
// [Destination] values: a queue of the test's, a [*Function] (invoked
// asynchronously with the record), another service. A function with
// reserved concurrency 0 sends its events straight to failure.
//
// All of it runs on the service's clock: with a clock.Manual, Advance
// fires the retries that fall due, and [Service.WaitAsync] waits for the
// attempts to finish.
//
// # Logs, metrics and cost
//
// Each invocation writes START, END and REPORT lines as Lambda does
// (Duration with two decimals, Billed Duration rounded up to the
// millisecond, Memory Size, Max Memory Used, Init Duration on a cold
// start) to Options.Logger, tagged with function, version, requestId and
// logStream, with the handler's own lines written through [Logger] or
// [LogWriter]. [Service.Metrics] reads Invocations, Errors, Throttles,
// Duration, ConcurrentExecutions, cold starts, provisioned invocations,
// AsyncEventsReceived/Dropped, AsyncEventAge, DeadLetterErrors and
// DestinationDeliveryFailures per function, version and alias.
// [Service.Cost] prices what ran with [Prices]: $0.20 per million
// requests, $0.0000166667 per GB-second on x86_64 and $0.0000133334 on
// arm64 (us-east-1), after a monthly free tier of 1 million requests and
// 400,000 GB-seconds.
//
// # Response streaming
//
// InvokeWithResponseStream returns as soon as the handler starts; the
// caller reads each chunk as it is written ([ResponseStream]), up to 200
// MB, then an InvokeComplete event carrying any error.
//
// # Event source mappings
//
// CreateEventSourceMapping makes Lambda poll a stream — a DynamoDB stream
// or a Kinesis data stream, given as an [EventSource] (the root package's
// Cloud.StreamEventSource finds one by ARN) — and invoke a function
// synchronously with its records as {"Records":[…]}, the JSON that
// events.DynamoDBEvent or events.KinesisEvent of aws-lambda-go reads.
// Each shard is read in order by its own poller, a child shard only once
// its parent is read to its end, and by default one batch per shard is in
// flight, so the records of one item arrive in the order they were
// written. A batch holds up to BatchSize records (1 to 10,000, default
// 100) and at most 6 MB;
// with MaximumBatchingWindowInSeconds (0 to 300) the poller gathers
// records that long, on the clock, before invoking with fewer. Pollers
// wait on the stream's change signal, never spin. StartingPosition is
// TRIM_HORIZON (the oldest record kept) or LATEST (records written after
// the call).
//
// A failed batch (a function error, a timeout) blocks its shard: it is
// retried, after a wait of 1 s doubling to 1 min on the clock, until it
// succeeds, fails MaximumRetryAttempts + 1 times (-1, the default, is
// infinite; up to 10,000) or holds records older than
// MaximumRecordAgeInSeconds (-1, or 60 to 604,800). With
// BisectBatchOnFunctionError a failed batch is split in two and each half
// retried in order, until the failing record is alone; a split is not
// counted as a retry. A batch given up on is skipped, and a
// [StreamFailureRecord] describing it (condition RetryAttemptsExhausted or
// RecordAgeExceeded, with DDBStreamBatchInfo or KinesisBatchInfo naming
// the shard and sequence numbers, not the records) goes to
// DestinationConfig.OnFailure. With FunctionResponseTypes
// [ReportBatchItemFailures] the function may return
// {"batchItemFailures":[{"itemIdentifier":"<sequence number>"}]}: the
// records before the first one named are done, and processing retries from
// it; an identifier not in the batch fails the whole batch. A throttled
// invocation is retried with the same backoff without counting. Disabling
// or updating a mapping lets the batch in flight finish and resumes after
// the last record processed; Close stops every poller and waits for them.
//
// With ParallelizationFactor N (1 to 10, default 1) a shard is processed
// by N lanes at once, each invoking the function with its own batches, so
// up to N invocations per shard run concurrently (and count in the
// function's ConcurrentExecutions). A record goes to the lane its
// partition key hashes to — the item's key (dynamodb.Keys) for DynamoDB,
// partitionKey for Kinesis — so the records of one key are still
// processed in order, by one lane. Each lane batches, waits for its
// batching window, retries, bisects and gives up on its own: a failing
// batch blocks only its lane's keys while the other lanes go on. The
// shard's checkpoint, where a disabled, updated or restarted mapping
// resumes, never passes a record that some lane has not finished: records
// after it that other lanes had processed are delivered again (at least
// once, as in Lambda). A shard is read at most 1,000 records per lane
// ahead of its checkpoint.
//
// TumblingWindowInSeconds (0 to 900) is validated and reported, but
// windows do not aggregate state.
//
// A mapping can also poll a queue with SQS semantics: set Queue (a
// [QueueSource]; [NewQueue] makes an in-memory standard queue) instead of
// Source. The event is {"Records":[…]} as events.SQSEvent reads it
// (messageId, receiptHandle, body, attributes, messageAttributes,
// md5OfBody, eventSource "aws:sqs", eventSourceARN, awsRegion). BatchSize
// is 1 to 10 (default 10), up to 10,000 with a
// MaximumBatchingWindowInSeconds of 1 to 300. A successful batch is
// deleted; after a function error its messages stay hidden until the
// queue's visibility timeout runs out on the clock, then are received
// again (ApproximateReceiveCount grows) until the queue's RedrivePolicy
// moves them to its dead-letter queue after MaxReceiveCount receives; the
// mapping's own retry, bisection, record age and on-failure settings do
// not apply and are refused, as is StartingPosition. With
// ReportBatchItemFailures the itemIdentifier is a messageId and only the
// named messages come back. FilterCriteria matches the message's record,
// with body parsed when it is JSON; messages that match no filter are
// deleted. FIFO queues are not modelled.
//
// FilterCriteria (up to 5 filters, each pattern up to 4,096 characters)
// drops, before batching, the records that match none of its filters, in
// Lambda's filter rule syntax: values, prefix, suffix,
// equals-ignore-case, anything-but, numeric ranges and exists, nested
// objects, arrays matching on any element ([FilterCriteria]). A DynamoDB
// record is matched as it appears in the event; a Kinesis record on its
// data key, decoded and parsed as JSON.
//
// # VPC networking
//
// A function runs outside any VPC unless it has a [VpcConfig]: subnets
// (at most 16) and security groups (at most 5), all in one VPC, whose
// VpcId GetFunctionConfiguration reports. The network it runs in is a
// small model on the Service, built with EC2's concepts: [Service.PutVpc],
// [Service.PutSubnet] (with or without a route to a NAT gateway),
// [Service.PutSecurityGroup] (stateful ingress and egress rules by port
// range, to any address or to a group; a group made without egress rules
// allows all outbound traffic, as in EC2) and [Service.PutResource]: a
// named endpoint, private to a VPC and in security groups, or public,
// served in memory (a net.Pipe per connection) or by a dialer of the
// test's.
//
// A handler connects with [Dial](ctx, "rds-proxy.internal:5432"). A
// function outside any VPC reaches public resources and no private one; a
// function in a VPC reaches a private resource of its VPC when one of its
// groups allows egress to the port (and the resource's group, or any
// address) and one of the resource's groups allows ingress on it (from the
// function's group, or any address), and reaches the internet only when
// its subnets route to a NAT gateway. Otherwise Dial returns a
// [*ReachabilityError] whose Reason and message name the missing piece:
// "function is not in a VPC", "security group sg-1 does not allow egress
// to port 5432", "resource's security group sg-db does not allow ingress
// from sg-1 on port 5432", "subnet subnet-a has no route to a NAT
// gateway, so the internet is unreachable". A connection may outlive its
// invocation, as one kept in a warm environment does; Close closes the
// connections still open.
//
// # Functions as processes
//
// [ProcessHandler] makes a function of an executable instead of a Go
// handler: the bootstrap of a provided.al2023 custom runtime, the entry
// point of a container image, or a binary built with aws-lambda-go's
// lambda.Start, which runs unchanged. Each execution environment starts
// the process with Lambda's variables and the function's own, and with
// AWS_LAMBDA_RUNTIME_API naming a loopback Runtime API of its own
// (package runtimeapi): GET /2018-06-01/runtime/invocation/next hands it
// the event with the Lambda-Runtime-* headers (request ID, deadline in
// Unix milliseconds on the service's clock, invoked ARN, X-Ray trace ID,
// client context, Cognito identity), and the process answers with
// …/response or …/error, or fails its init with /runtime/init/error. An
// invocation ends when the process asks for the next event, as in Lambda.
// A response sent with Lambda-Runtime-Function-Response-Mode: streaming
// reaches an InvokeWithResponseStream caller as it is written.
//
// An error the process posts is the function error, its document as
// posted. A response over 6 MB is refused with 413 and is the error
// Function.ResponseSizeTooLarge. At the timeout the process is killed. A
// process that exits during an invocation fails it with Runtime.ExitError
// ("RequestId: … Error: Runtime exited with error: exit status 1"),
// unless it posted an error first (a panicking aws-lambda-go binary
// does), and the log says "Runtime exited with error: exit status
// N" and Runtime.ExitError; a failed init is the init/error document,
// Runtime.ExitError, or Runtime.InvalidEntrypoint when the command cannot
// start. Environments are reused, discarded and reaped exactly as for Go
// handlers, the process with them; one whose process exits while idle is
// discarded. Every line the process writes to stdout or stderr is a line
// of the function's log (slog and LogType Tail), tagged with the
// invocation it belongs to.
//
// The process reads its deadline with its own clock: with a clock.Manual,
// start the clock at the real time (clock.NewManual(clock.Real().Now()))
// so that the two agree, and advance it to time the function out.
//
// # Approximations
//
// The network model has no addresses, route tables, network ACLs,
// peering or VPC endpoints; a function with several subnets reaches the
// internet only if every one routes to a NAT gateway (in AWS, invocations
// placed in the others would fail); Dial is for Go handlers, not for
// processes. Go handlers' environments share one Go process: a handler's memory is
// not limited (Max Memory Used reports the process's heap, capped at the
// function's memory), its CPU is not throttled by its memory size, output
// written to os.Stdout does not reach the function's log, and a handler
// that ignores its context keeps running after its timeout (its result is
// dropped, and Close waits for it). A process-backed function runs on the
// host, not in a sandbox: it is not limited either, sees the host's file
// system (its /tmp is TMPDIR, the environment's own directory) and has
// no AWS credentials in its environment. The 10-second init timeout and the
// requests-per-second quota (10 × concurrency) are not enforced. Retry
// delays are exact, without Lambda's jitter. The environment idle time is
// a setting, since AWS does not document it.
package lambda
