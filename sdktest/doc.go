// Package sdktest proves minicloud's wire protocols with the real AWS SDK
// for Go v2 and minicloud's Lambda with aws-lambda-go. It is a module of
// its own, so that neither ever enters the dependencies of the minicloud
// library.
//
// Its tests drive minicloud's handlers with aws-sdk-go-v2's clients
// exactly as production code drives AWS: static credentials and a
// BaseEndpoint are the only differences. By default the clients reach the
// handlers in the process through minicloud.Transport; with
// MINICLOUD_SDKTEST_LOOPBACK=1 they go through httptest servers over
// loopback HTTP instead, and CI runs the suite both ways. [Config] gives a
// test an aws.Config for a fresh account in one line. The
// dynamodb client covers every operation, typed errors, paginators,
// retries and signatures; the dynamodbstreams client, pointed at the same
// endpoint, reads the streams that the dynamodb client turns on with
// StreamSpecification (every iterator type, every view type, shard
// lineage, and ExpiredIteratorException, TrimmedDataAccessException and
// LimitExceededException as typed errors). With aws-lambda-go, stream
// records unmarshal into events.DynamoDBEventRecord field by field, the
// ContextHook of package lambda's documentation feeds lambdacontext, and a
// handler taking events.DynamoDBEvent runs on a batch of real records.
//
// Its benchmarks put each call through the SDK over loopback HTTP,
// through the SDK with a transport that calls the handler directly, and
// on minicloud's in-process API, so the cost of the socket, of the SDK
// and of the protocol is plain:
//
//	cd sdktest && go test -run '^$' -bench . -benchmem
package sdktest
