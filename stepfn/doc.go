// Package stepfn simulates AWS Step Functions in-process: it compiles
// Amazon States Language (ASL) definitions, the same JSON that AWS
// accepts, and runs executions on a [clock.Clock] with AWS's semantics,
// errors, limits and execution history.
//
//	sfn := stepfn.New(stepfn.Options{Clock: c})
//	defer sfn.Close()
//	sfn.RegisterResource(fnArn, myLambda) // a *lambda.Function, or a ResourceFunc
//	sm, _ := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: "checkout", Definition: asl, RoleArn: role})
//	run, _ := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: `{"order":42}`})
//	result, _ := sfn.WaitExecution(ctx, run.ExecutionArn)
//
// # Validation
//
// [Compile] and CreateStateMachine check a definition as the service
// does and reject it with InvalidDefinition, listing each problem as a
// [Diagnostic] with AWS's code and the JSON-pointer location of the
// field: SCHEMA_VALIDATION_FAILED for a missing, unknown or ill-typed
// field, a bad path or intrinsic call, or a "key.$" whose value is not a
// path; MISSING_TRANSITION_TARGET for a Next, Default or StartAt that
// names no state of its scope (a Parallel branch or Map processor is its
// own scope); DUPLICATE_STATE_NAME (names are unique across the whole
// machine); INVALID_STATE_NAME (1 to 80 characters); UNREACHABLE_STATE;
// MISSING_END_STATE; INVALID_JSON_DESCRIPTION. Several problems are
// reported together, as AWS does: 'A at /x', 'B at /y'.
//
// # Input and output processing
//
// Every state's data flows in AWS's order:
//
//  1. InputPath selects the effective input from the state input ("$" by
//     default; null gives {}).
//  2. Parameters (Task, Parallel, Pass; ItemSelector for a Map item)
//     builds a new input: a field "key.$" takes the value of a path into
//     the effective input ($), the context object ($$: Execution.Id,
//     .Input, .Name, .RoleArn, .StartTime, StateMachine.Id, .Name,
//     State.Name, .EnteredTime, and in ItemSelector Map.Item.Index and
//     .Value) or an intrinsic function call.
//  3. The state does its work (a Task calls its resource; a Pass takes
//     Result, else the Parameters output, else its input).
//  4. ResultSelector reshapes the result the same way.
//  5. ResultPath puts the result into the raw state input ("$" replaces
//     it, null discards the result, "$.a.b" merges and creates missing
//     objects; a path through a non-object fails with
//     States.ResultPathMatchFailure).
//  6. OutputPath selects the state output.
//
// A path in InputPath, Parameters, ResultSelector or OutputPath that
// matches nothing fails the execution with States.Runtime and AWS's
// cause ("An error occurred while executing the state 'X' (entered at
// the event id #2). The JSONPath '$.a' specified for the field 'a.$'
// could not be found in the input '{}'"). The specification names
// States.ParameterPathFailure for this; the service reports
// States.Runtime, and so does this package.
//
// Paths are JSONPath as Step Functions evaluates it: names, ['quoted
// names'], indexes (negative from the end), [*] and .* wildcards,
// [start:end:step] slices, [a,b] unions, ..recursive descent and
// [?(@.price < 10 && @.tag == 'x')] filters. A path of names and
// indexes selects one value; any other selects a list, possibly empty.
// ResultPath takes only names and indexes (a Reference Path).
//
// # Intrinsic functions
//
// States.Format, StringToJson, JsonToString, Array, ArrayPartition,
// ArrayContains, ArrayRange (at most 1,000 items), ArrayGetItem,
// ArrayLength, ArrayUnique, Base64Encode and Base64Decode (inputs up to
// 10,000 characters), Hash (MD5, SHA-1, SHA-256, SHA-384, SHA-512, up to
// 10,000 characters), JsonMerge (shallow only: its third argument must be
// false), MathRandom (end exclusive; a seed makes it repeatable), MathAdd
// (32-bit integers), StringSplit (every character of the second argument
// is a delimiter; empty strings are dropped) and UUID (version 4). String
// literals are single-quoted; \' \{ \} and \\ escape. Calls nest up to
// 10 deep. A call that cannot run fails the state with
// States.IntrinsicFailure, which Retry and Catch see.
//
// # Errors, retries and catches
//
// A failed state has an error name and a cause. Retry entries are tried
// in order and the first whose ErrorEquals matches decides: it retries
// after IntervalSeconds × BackoffRate^n (defaults 1 s, 2.0, MaxAttempts
// 3; MaxAttempts 0 never retries), capped at MaxDelaySeconds, and with
// JitterStrategy FULL a uniform draw in [0, that delay] from the
// service's seeded source. Each retrier counts its own attempts. When
// retries are spent, the first Catch whose ErrorEquals matches sends
// {"Error": ..., "Cause": ...} through its ResultPath (default "$") to
// its Next state; the state's OutputPath does not apply.
//
// States.ALL matches every error and must be alone and last;
// States.TaskFailed matches every error except States.Timeout;
// States.Runtime is matched by nothing and always fails the execution.
// Other names: States.Timeout (TimeoutSeconds, default 99,999,999),
// States.HeartbeatTimeout (no [SendTaskHeartbeat] for HeartbeatSeconds),
// States.DataLimitExceeded (a payload over 256 KiB),
// States.NoChoiceMatched, States.ExceedToleratedFailureThreshold,
// States.BranchFailed, States.Permissions.
//
// A [Resource] fails its Task by returning a *[TaskError] (name and
// cause); an error shaped like *lambda.FunctionError gives the function's
// errorType and error document; a service error with a code gives that
// code (prefixed "Lambda." for Lambda tasks); any other Go error gives
// States.TaskFailed.
//
// # States
//
// Pass, Task, Choice (String, Numeric, Boolean and Timestamp comparisons
// with their *Path forms, StringMatches with * and \* \\ escapes,
// IsPresent, IsNull, IsString, IsNumeric, IsBoolean, IsTimestamp, And,
// Or, Not, Default), Wait (Seconds, Timestamp, SecondsPath,
// TimestampPath, all on the clock: a one-week Wait takes no real time on
// a manual clock), Succeed, Fail (Error, Cause, ErrorPath, CausePath),
// Parallel (branches run at once; the output is their outputs in order;
// the first failing branch stops the others and fails the state with its
// own error) and Map (ItemsPath, ItemSelector or the older Parameters,
// ItemProcessor or Iterator, MaxConcurrency and MaxConcurrencyPath, the
// output in item order). A Map in DISTRIBUTED mode runs its items as a
// map run, outside the parent's history, and adds ItemBatcher,
// ToleratedFailureCount and ToleratedFailurePercentage.
//
// Task resources: a function ARN (arn:aws:lambda:…:function:name)
// records LambdaFunction* events; arn:aws:states:::lambda:invoke calls
// the function named in Parameters.FunctionName with Parameters.Payload
// and returns {"ExecutedVersion", "Payload", "StatusCode"}; any other ARN
// calls the resource registered under it and records Task* events.
//
// # Integration patterns
//
// The suffix of an optimized integration's Resource chooses how the Task
// waits, as on AWS; an Express state machine accepts only the first.
//
//   - Request-response (no suffix): the Task ends when the call returns.
//   - .waitForTaskToken (callback): the attempt gets a fresh task token,
//     read in Parameters as "TaskToken.$": "$$.Task.Token". The service
//     is called (the resource registered under the Resource with or
//     without the suffix, or a Lambda function for lambda:invoke), its
//     response is recorded as TaskSubmitted, and the Task waits, on the
//     clock, for [Service.SendTaskSuccess] (its Output is the result,
//     TaskSucceeded) or [Service.SendTaskFailure] (its Error and Cause,
//     TaskFailed; an empty Error is States.TaskFailed).
//     [Service.SendTaskHeartbeat] restarts HeartbeatSeconds; past it the
//     Task fails with States.HeartbeatTimeout, past TimeoutSeconds
//     (default 99,999,999) with States.Timeout, both as TaskTimedOut. A
//     token answers once: afterwards, and once the Task has timed out or
//     its execution stopped, the calls answer TaskTimedOut ("Provided
//     task does not exist anymore"); a string that is no token answers
//     InvalidToken; a token whose execution is unknown (or past its 90
//     days) TaskDoesNotExist. Tokens are at most 2,048 characters,
//     Output 256 KiB, Error 256 and Cause 32,768 characters. A retry
//     hands out a new token.
//   - .sync and .sync:2 (run a job): the Task waits for the job. A
//     [JobResource] registered under the integration's ARN without the
//     suffix (arn:aws:states:::batch:submitJob) serves both patterns:
//     request-response Tasks only start the job (Invoke), .sync Tasks
//     start it and wait for it (Wait) under their TimeoutSeconds and
//     HeartbeatSeconds. A plain [Resource] registered under the .sync
//     ARN itself is called once and its answer is the job's end.
//
// Nested executions: arn:aws:states:::states:startExecution starts the
// state machine named by Parameters.StateMachineArn with
// Parameters.Input (JSON, or JSON text) and Parameters.Name, and returns
// {"ExecutionArn", "StartDate"} (epoch milliseconds). With .sync it
// records TaskSubmitted and waits for the child to close, then returns
// DescribeExecution's fields (ExecutionArn, StateMachineArn, Name,
// Status, StartDate, StopDate, Input, Output, InputDetails,
// OutputDetails) with Input and Output as JSON text; .sync:2 returns
// them as JSON. A child that fails, times out or is aborted fails the
// Task with States.TaskFailed and that description, its Error and Cause
// included, as the cause. A parent Task that times out or is stopped
// stops its child. To link the child to its parent, pass
// "AWS_STEP_FUNCTIONS_STARTED_BY_EXECUTION_ID.$": "$$.Execution.Id" in
// the Input, as AWS documents. StartExecution's own errors fail the Task
// as StepFunctions.<Code>Exception
// (StepFunctions.StateMachineDoesNotExistException) with the SDK's
// cause "<message> (Service: Sfn, Status Code: 400, Request ID: …)".
//
// DynamoDB: arn:aws:states:::dynamodb:putItem, getItem, updateItem and
// deleteItem send the Parameters, which are the API request in DynamoDB
// JSON ({"TableName": "orders", "Item": {"id": {"S.$": "$.id"}},
// "ConditionExpression": "attribute_not_exists(id)"}), to
// Options.DynamoDB (a [DynamoDB]; minicloud.New gives the account's) and
// return the API response ({"Item": …}, {"Attributes": …}, or {}).
// DynamoDB's exceptions fail the Task as DynamoDB.<Code>
// (DynamoDB.ConditionalCheckFailedException,
// DynamoDB.ResourceNotFoundException,
// DynamoDB.ProvisionedThroughputExceededException; a
// ValidationException is DynamoDB.AmazonDynamoDBException) with the
// cause "<message> (Service: DynamoDb, Status Code: 400, Request ID: …)".
// A resource registered under one of these ARNs takes precedence.
//
// API Gateway: arn:aws:states:::apigateway:invoke (and its
// .waitForTaskToken) calls the http.Handler that Options.APIGateway (an
// [APIGatewayFunc]) finds for Parameters.ApiEndpoint, with Method (GET,
// POST, PUT, DELETE, PATCH, HEAD or OPTIONS), the path /Stage/Path,
// QueryParameters and Headers (names to lists of strings; X-Amz*,
// X-Forwarded*, Authorization, Host and AWS's other reserved headers are
// refused), RequestBody (JSON, sent without its null members unless
// AllowNullValues is true, or a string) and AuthType (NO_AUTH, IAM_ROLE,
// RESOURCE_POLICY; no request is signed). It returns {"ResponseBody",
// "Headers", "StatusCode", "StatusText"}, ResponseBody parsed when the
// response is JSON. A status outside 2xx fails the Task as
// ApiGateway.<status> (ApiGateway.403) with the response body as cause;
// an endpoint no handler serves is ApiGateway.UnknownHostException, and
// malformed Parameters are States.Runtime.
//
// # Workflow variables
//
// Pass, Task, Choice, Wait, Parallel and Map states, Choice rules and
// Catchers take an Assign field: {"total.$": "$.sum", "tries": 0} in a
// JSONPath state (a "name.$" value is a path or an intrinsic call),
// {"total": "{% $states.result.sum %}"} in a JSONata state. Later states
// read $total in paths, intrinsic arguments and JSONata expressions.
//
// In a JSONPath state, $ in Assign is the state's result: a Pass state's
// Result or Parameters output (else its effective input), a Task's,
// Parallel's or Map's result after ResultSelector, a Choice's or Wait's
// effective input, a Catcher's error output {"Error", "Cause"}. Every
// reference in a state, Assign and OutputPath included, reads the values
// from before the state; its assignments take effect when it exits and
// are recorded on its StateExited event (assignedVariables, each value as
// JSON text). A matching Choice rule's Assign applies; the Choice state's
// own Assign goes with Default. A caught error skips the state's Assign
// and applies the Catcher's.
//
// The top-level states share one scope. Each Parallel branch and each
// inline Map iteration has a scope of its own that reads the scopes
// around it and whose assignments stay inside it; a distributed Map's
// iterations read none. A path to a variable never assigned fails like
// any path that matches nothing (States.Runtime). Names are a letter or
// underscore and then letters, digits and underscores, at most 80
// characters, and not "states". One state's assignments may total
// 256 KiB and one scope's variables 10 MiB (States.DataLimitExceeded).
// TestState takes variables and reports them in its inspection data.
//
// # JSONata
//
// "QueryLanguage": "JSONata", for the whole state machine or for one
// state of a JSONPath machine (not the other way round), replaces the
// five JSONPath fields with two: Arguments (a Task's or Parallel's input,
// default the state input) and Output (the state output, default a
// Task's, Parallel's or Map's result, a Catcher's error output or else
// the input). Any string "{% expr %}" in them, at any depth, is a JSONata
// expression, and so may be a Choice rule's Condition, a Wait's Seconds
// and Timestamp, a Task's TimeoutSeconds and HeartbeatSeconds, a Fail's
// Error and Cause, a Map's Items, ItemSelector, MaxConcurrency and
// tolerated failures, and the values of Assign. Expressions see the
// variables and $states: input (the state's raw input), context (what $$
// is in JSONPath), result (in a Task's, Parallel's or Map's Output and
// Assign) and errorOutput (in a Catcher's). No context item is bound: a
// field name, $ or $$ at the top of an expression is refused at creation
// (UNSUPPORTED_JSONATA_EXPRESSION), as is an expression that does not
// parse (INVALID_JSONATA_EXPRESSION).
//
// Expressions run on minicloud's own JSONata 2.0 evaluator
// (stepfn/internal/jsonata) with every built-in function except $eval,
// plus Step Functions' $partition, $range, $hash, $random (with a seed,
// the value java.util.Random gives, as on AWS), $uuid and $parse. An
// expression that fails, yields nothing (undefined) or yields the wrong
// type fails the state with States.QueryEvaluationError, which Retry and
// Catch see like any error; the cause names the expression and the field
// ('Arguments/Payload/id', 'Choices[0]/Condition', 'Output/items[2]'),
// and the history records an EvaluationFailed event.
//
// # Activities
//
// An activity is a queue of work for a worker outside Step Functions.
// [Service.CreateActivity] makes one (idempotently; at most 10,000), and a
// Task whose Resource is its ARN
// (arn:aws:states:us-east-1:123456789012:activity:resize) queues its
// effective input with a fresh task token (ActivityScheduled). A worker
// takes the oldest task with [Service.GetActivityTask], which long-polls
// on the clock for up to 60 seconds and then answers with an empty token
// (ActivityStarted names its workerName), and answers it with
// SendTaskSuccess (ActivitySucceeded), SendTaskFailure (ActivityFailed)
// and SendTaskHeartbeat, as for a callback. HeartbeatSeconds and
// TimeoutSeconds count from ActivityStarted, as AWS documents (until a
// worker takes the task only the execution's own timeout applies), and
// either running out is ActivityTimedOut; a retry queues a new task with
// a new token, and a Task that ends takes back a task no worker took. More than Limits.MaxActivityPollers concurrent polls on
// one activity fail with ActivityWorkerLimitExceeded; a Task naming an
// activity that does not exist fails with ActivityScheduleFailed and the
// error ActivityDoesNotExist. Express state machines reject activities.
//
// # Executions
//
// Standard executions run exactly once for up to one year, keep a
// history of up to 25,000 events (GetExecutionHistory, with AWS's event
// types, ids and previousEventId links) and keep their names for 90
// days: StartExecution with the name and input of a running execution
// returns it; otherwise a used name fails with ExecutionAlreadyExists.
// Express executions run for up to five minutes and keep no history:
// DescribeExecution, GetExecutionHistory, ListExecutions and
// StopExecution answer StateMachineTypeNotSupported, as on AWS, while
// StartSyncExecution and [Service.WaitExecution] return their result.
// A state machine's TimeoutSeconds shortens the maximum; past it the
// execution is TIMED_OUT. StopExecution aborts an execution wherever it
// waits and cancels the context of a running resource.
//
// # Updating a state machine
//
// [Service.UpdateStateMachine] replaces a state machine's definition,
// role, [LoggingConfiguration] or [TracingConfiguration] (at least one;
// otherwise MissingRequiredParameter) and, when something changed, gives
// it a new revision id. Executions already running keep the definition
// and role they started with; executions started afterwards use the new
// ones. Logging and tracing are recorded, not acted on.
//
// # Versions, aliases and tags
//
// A version is an immutable snapshot of a revision, published by
// CreateStateMachine or UpdateStateMachine with Publish, or by
// [Service.PublishStateMachineVersion] (with an optional revision check:
// ConflictException on a mismatch). Versions are numbered from 1 and
// never renumbered; their ARN is the state machine's ARN, a colon and the
// number. Publishing a revision already published returns its version;
// a state machine holds at most 1,000 (Limits.MaxVersions). An alias
// ([Service.CreateStateMachineAlias]) routes to one or two versions of
// one state machine with weights summing to 100; at most 100 per state
// machine (Limits.MaxAliases). StartExecution and StartSyncExecution take
// a version or alias ARN: the execution runs the version's frozen
// definition and role, an alias draws its version from Options.Rand (so
// a seeded run is reproducible), and DescribeExecution reports
// StateMachineVersionArn and StateMachineAliasArn. A version an alias
// routes to cannot be deleted; deleting a state machine deletes its
// versions, aliases and tags. [Service.TagResource],
// [Service.UntagResource] and [Service.ListTagsForResource] tag state
// machines and activities: up to 50 tags, keys of 1 to 128 characters,
// values up to 256.
//
// # Testing a single state
//
// [Service.TestState] runs one state once, as the TestState API does: a
// state's JSON alone (its Next and Catch targets need not exist) or, with
// StateName, one state of a whole definition. It applies InputPath,
// Parameters, the call (the registered resource, or Mock's result or
// error), ResultSelector, ResultPath and OutputPath, and at the DEBUG and
// TRACE levels returns the data after each step ([InspectionData]). An
// error is RETRIABLE when the first retrier matching it has attempts left
// (StateConfiguration.RetrierRetryCount says how many were made; the
// backoff it would wait is in ErrorDetails, NextState is the state
// itself), CAUGHT_ERROR when a catcher matches it (the catcher's output
// and Next), and FAILED otherwise; States.Runtime is never handled.
// Activities, .sync and .waitForTaskToken Tasks, Map and Parallel states
// need a Mock, as on AWS; a Mock applies only to Task, Map and Parallel
// states, and Context (the $$ object) only with a Mock. A Wait state does
// not wait, nothing is recorded, and the run is not billed.
//
// # Drawing
//
// [StateMachine.Draw] renders a definition as a Mermaid flowchart
// ([DrawMermaid]) or a Graphviz digraph ([DrawDOT]): one node per state
// (Choice states as diamonds, Succeed and Fail as end shapes), Choice
// rules written on their edges ($.total > 1000, Default), Catch edges
// dashed and labelled with their error names, and each Parallel branch
// and Map item processor as a nested subgraph (Mermaid) or cluster
// (DOT). [Service.DrawExecution] draws a Standard execution's path on
// its state machine: visited states filled, each state's retries counted
// ("2 retries"), and the states it failed in marked with the error;
// [StateMachine.ExecutionPath] reads that path from a history and
// [StateMachine.DrawPath] draws any path. The output is deterministic,
// states in definition order.
//
// # Limits
//
// [Limits] holds the quotas: payloads of 256 KiB (execution input, state
// output, task result), 25,000 history events, one year (Standard) and
// five minutes (Express), 90 days of retention, 1,000,000 open
// executions, 10,000 state machines, 1 MiB definitions, and an inline
// Map's 40 concurrent iterations when MaxConcurrency is 0.
//
// # Cost
//
// A cost meter counts what AWS bills, live: for Standard workflows one
// state transition per state entered (at the top level, in each Parallel
// branch, in each Map iteration and distributed Map child workflow) and
// one per retry; for Express workflows one request per execution started
// and, when it closes, its duration rounded up to 100 ms times its
// memory (50 MB + the definition + the largest payload × the Parallel
// branches and Map iterations run, billed in 64 MB chunks).
// [Service.Usage] reads the counts and [Service.Cost] prices them with
// Options.Prices, by default [DefaultPrices]: $0.025 per 1,000 state
// transitions after 4,000 free a month, $1.00 per million Express
// requests and $0.00001667 per GB-second for the first 1,000 GB-hours.
//
// # Testing on a manual clock
//
// Executions wait only on the clock. On a [clock.Manual], Wait states,
// retry intervals and timeouts each hold one timer, so a test calls
// BlockUntil(ctx, 1) and then Advance. A Task sets a timer only when it
// (or the state machine) has a timeout or a heartbeat, or the execution
// is Express. Inside a testing/synctest bubble the real clock works the
// same way, with exact virtual timestamps.
//
// # What is approximated
//
// ItemReader and ResultWriter (S3) are not supported; a definition using
// them is rejected with a message saying so. JSONata's regular
// expressions are Go's (RE2): no lookaround or backreferences. The causes
// of a JSONata result of the wrong type, and of over-size assignments,
// are minicloud's wording, as AWS's is not recorded. Assigning, in a
// branch or iteration, a name an outer scope also assigns shadows it
// there rather than being refused. Integration results carry no SdkHttpMetadata or
// SdkResponseMetadata. Task tokens are opaque but not AWS's format. Object keys in outputs are sorted rather than kept in input order.
// Distributed map runs share the parent's context object. Validation
// messages follow AWS's wording where it is known and AWS's style
// elsewhere.
package stepfn
