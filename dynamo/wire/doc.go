// Package wire serves a [dynamo.DB] over DynamoDB's own wire protocol, so
// that code written against the AWS SDKs (aws-sdk-go-v2's dynamodb client,
// the AWS CLI, boto3, the Java and JavaScript SDKs) runs unchanged against
// minicloud, over loopback HTTP or through an httptest server.
//
//	db := dynamo.New(dynamo.Options{})
//	srv := httptest.NewServer(wire.NewHandler(db, wire.Options{}))
//	// point the SDK's BaseEndpoint at srv.URL
//
// # The protocol
//
// DynamoDB speaks AWS JSON 1.0: every request is a POST to / whose
// X-Amz-Target header names the operation ("DynamoDB_20120810.PutItem")
// and whose body, of type application/x-amz-json-1.0, is the operation's
// request as a JSON object with the members named as in the API reference.
// Attribute values are written in DynamoDB JSON, an object with exactly one
// member named after the data type:
//
//	{"S": "text"}  {"N": "42"}  {"B": "base64=="}  {"BOOL": true}  {"NULL": true}
//	{"L": [ ... ]}  {"M": { "name": ... }}  {"SS": ["a"]}  {"NS": ["1"]}  {"BS": ["base64=="]}
//
// Numbers travel as strings, so that no precision is lost; binary values as
// standard base64 with padding; times (CreationDateTime and the like) as
// seconds since the Unix epoch with a fraction. Members a response has no
// value for are left out. [MarshalItem], [UnmarshalItem], [MarshalValue]
// and [UnmarshalValue] expose the codec.
//
// A successful response is 200 with the operation's result as a JSON
// object. A failure is an HTTP status (400 for the caller's errors, 500 for
// InternalServerError, 503 for ServiceUnavailable) and a body such as
//
//	{"__type":"com.amazonaws.dynamodb.v20120810#ResourceNotFoundException","message":"Requested resource not found"}
//
// whose __type ends in the error code the SDKs turn into typed errors
// (*types.ResourceNotFoundException in aws-sdk-go-v2). The namespace is
// DynamoDB's: errors of the request layer are com.amazon.coral.service#
// (SerializationException, UnknownOperationException, the signature
// errors), ValidationException is com.amazon.coral.validate#, and the
// errors of DynamoDB's model are com.amazonaws.dynamodb.v20120810#. A
// ConditionalCheckFailedException carries the item as it was ("Item") when
// the request set ReturnValuesOnConditionCheckFailure to ALL_OLD.
//
// Every response carries x-amzn-RequestId (52 upper-case letters and
// digits, drawn from a source seeded by [Options].Seed) and x-amz-crc32,
// the CRC-32 (IEEE) of the body as a decimal number, which the SDKs check
// to detect corruption.
//
// # Operations
//
// The handler serves every operation the dynamo package implements:
// CreateTable, DescribeTable, ListTables, UpdateTable, DeleteTable,
// PutItem, GetItem, UpdateItem, DeleteItem, Query, Scan, BatchGetItem,
// BatchWriteItem, TransactWriteItems, TransactGetItems, UpdateTimeToLive
// and DescribeTimeToLive, each with the
// request and response members of the DynamoDB API reference, mapped one
// by one (no reflection): ReturnConsumedCapacity gives ConsumedCapacity as
// the dynamo package counts it, UnprocessedKeys and UnprocessedItems are
// always present in batch responses, as DynamoDB sends them, and a
// TransactionCanceledException carries its CancellationReasons.
// StreamSpecification turns a table's stream on and off, and table
// descriptions carry LatestStreamArn and LatestStreamLabel. The DynamoDB
// Streams protocol that reads the stream (DynamoDBStreams_20120810.:
// ListStreams, DescribeStream, GetShardIterator, GetRecords) is served by
// [StreamsHandler], AWS's separate Streams endpoint, and by Handler too
// for requests with that X-Amz-Target, so that one endpoint serves both
// SDK clients; its own errors have the Streams namespace
// (com.amazonaws.dynamodb.streams.v20120810#ExpiredIteratorException).
// ReturnItemCollectionMetrics is accepted and not reported.
//
// # Malformed requests
//
// The handler finds what DynamoDB finds, in its order, with its words:
//
//   - a body that is not JSON, or a member of the wrong JSON type, is a
//     SerializationException ("Start of list found where not expected",
//     "class java.lang.Boolean can not be converted to an String": DynamoDB
//     names Java classes);
//   - then the constraints on members, listed in one ValidationException
//     ("1 validation error detected: Value null at 'tableName' failed to
//     satisfy constraint: Member must not be null");
//   - then malformed attribute values: "Supplied AttributeValue is empty,
//     must contain exactly one of the supported datatypes" for {} or a
//     value of an unknown type (unknown members are ignored, as DynamoDB
//     ignores them), "Supplied AttributeValue has more than one datatypes
//     set, ..." for two types, and so on;
//   - then everything the dynamo package checks, with the same messages
//     in-process and on the wire.
//
// An X-Amz-Target that names no operation is an UnknownOperationException;
// a method other than POST (but GET /, DynamoDB's health check) or a body
// of another content type is answered 404 as DynamoDB answers it; a body
// over 16 MB is answered 413. A panic while serving a request is recovered
// and answered as an InternalServerError, and logged.
//
// DynamoDB's legacy conditional parameters (Expected, KeyConditions,
// QueryFilter, ScanFilter, AttributesToGet, AttributeUpdates,
// ConditionalOperator) are refused with a ValidationException that names
// the expression to use instead: ignoring one would write what the caller
// meant to guard.
//
// # Throttling and retries
//
// The SDKs retry ThrottlingException, ProvisionedThroughputExceededException,
// RequestLimitExceeded, LimitExceededException, TransactionInProgressException
// and every 5xx status, with exponential backoff. [Options].Inject answers
// any request with an error of the caller's choice, such as
// [ErrProvisionedThroughputExceeded], so that a test can watch its client's
// retries.
//
// # Signatures
//
// By default every request is accepted, signed with any credentials or not
// signed at all, as local DynamoDB emulators do. With [Options].Credentials
// set, requests must carry a valid AWS Signature Version 4, checked as AWS
// checks it: a missing Authorization header is a
// MissingAuthenticationTokenException, a malformed one an
// IncompleteSignatureException, an unknown access key an
// UnrecognizedClientException, and a signature that does not match, a date
// more than 15 minutes from the handler's clock, or a scope of another
// region or service an InvalidSignatureException. Session tokens are not
// checked, and query-string (presigned) signatures are not accepted.
package wire
