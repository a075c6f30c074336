package wire

import (
	"net/http"

	"github.com/minicloud/minicloud/dynamo"
)

// StreamsTargetPrefix is the X-Amz-Target prefix of DynamoDB Streams'
// operations: a request for GetRecords carries
// "DynamoDBStreams_20120810.GetRecords".
const StreamsTargetPrefix = "DynamoDBStreams_20120810."

// streamsOperations maps each DynamoDB Streams operation name of
// X-Amz-Target to its wire form.
var streamsOperations = map[string]operation{
	"ListStreams":      newOp(decodeListStreams, (*dynamo.DB).ListStreams, encodeListStreams),
	"DescribeStream":   newOp(decodeDescribeStream, describeStream, encodeDescribeStream),
	"GetShardIterator": newOp(decodeGetShardIterator, (*dynamo.DB).GetShardIterator, encodeGetShardIterator),
	"GetRecords":       newOp(decodeGetRecords, (*dynamo.DB).GetRecords, encodeGetRecords),
}

// StreamsHandler serves the DynamoDB Streams protocol for one
// [dynamo.DB]: ListStreams, DescribeStream, GetShardIterator and
// GetRecords, so that aws-sdk-go-v2's dynamodbstreams client, the AWS
// CLI's "aws dynamodbstreams" and the stream-reading libraries built on
// them read a table's stream. It is safe for concurrent use.
//
// AWS serves DynamoDB Streams on an endpoint of its own
// (streams.dynamodb.<region>.amazonaws.com), and a StreamsHandler is that
// endpoint: it answers only the Streams operations. A [Handler] serves
// both protocols on one endpoint, routing by X-Amz-Target, so one
// httptest server (or cmd/minicloud) can be the BaseEndpoint of both
// clients.
//
// The protocol is DynamoDB's (AWS JSON 1.0, POST /, the same headers,
// x-amz-crc32 and x-amzn-RequestId, the same SerializationException and
// ValidationException for malformed requests, the same SigV4 signing
// name "dynamodb") with the X-Amz-Target prefix
// "DynamoDBStreams_20120810.". Records travel as the Streams API writes
// them: the images in DynamoDB JSON, ApproximateCreationDateTime in
// seconds since the epoch, userIdentity with the members PrincipalId and
// Type, and no eventSourceARN (which Lambda adds to the records it
// delivers, and the Streams API does not send). DescribeStream's
// ShardFilter (Type CHILD_SHARDS and a ShardId) lists only the children
// of that shard.
//
// Errors carry the namespaces of the service's model: the two errors
// that only DynamoDB Streams defines are
// com.amazonaws.dynamodb.streams.v20120810#ExpiredIteratorException (an
// iterator older than 15 minutes) and
// com.amazonaws.dynamodb.streams.v20120810#TrimmedDataAccessException
// (records past the 24-hour retention), while the errors it shares with
// DynamoDB keep DynamoDB's: ResourceNotFoundException,
// LimitExceededException (more than two readers on one shard within a
// second, which the SDKs retry) and InternalServerError are
// com.amazonaws.dynamodb.v20120810#, ValidationException
// com.amazon.coral.validate#. The SDKs read only the part after '#'.
type StreamsHandler struct {
	h *Handler
}

// NewStreamsHandler returns a handler serving db's streams over the
// DynamoDB Streams protocol. opts are those of [NewHandler]: Region,
// Credentials, Clock, Seed, Limits, Inject (called with the Streams
// operation's name, such as "GetRecords") and Logger.
func NewStreamsHandler(db *dynamo.DB, opts Options) *StreamsHandler {
	return &StreamsHandler{h: NewHandler(db, opts)}
}

// ServeHTTP answers one DynamoDB Streams request. A request for a
// DynamoDB operation is an UnknownOperationException, as on AWS's
// Streams endpoint.
func (s *StreamsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.h.serve(w, r, &streamsProtocol)
}

// Operations returns the names of the DynamoDB Streams operations served,
// in no particular order.
func (s *StreamsHandler) Operations() []string {
	names := make([]string, 0, len(streamsOperations))
	for n := range streamsOperations {
		names = append(names, n)
	}
	return names
}

// streamsErrorType returns the __type of a DynamoDB Streams error: the
// errors DynamoDB Streams' model defines in its own namespace, the rest as
// DynamoDB answers them. The namespaces are those of the service's model
// as the first generated AWS SDK clients listed them.
func streamsErrorType(code string) string {
	switch code {
	case dynamo.ErrExpiredIterator.Code, dynamo.ErrTrimmedDataAccess.Code:
		return "com.amazonaws.dynamodb.streams.v20120810#" + code
	}
	return errorType(code)
}

// streamsErrorBody writes the JSON body of a DynamoDB Streams error:
// {"__type":"<namespace>#<Code>","message":"..."}, "Message" for a
// SerializationException as DynamoDB spells it.
func streamsErrorBody(err error) (status int, body []byte) {
	e := apiError(err)
	var w writer
	w.beginObject()
	w.key("__type")
	w.string(streamsErrorType(e.Code))
	if e.Message != "" {
		if e.Code == ErrSerialization.Code {
			w.key("Message")
		} else {
			w.key("message")
		}
		w.string(e.Message)
	}
	w.endObject()
	return e.StatusCode, w.b
}
