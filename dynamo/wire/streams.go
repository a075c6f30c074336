package wire

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"

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
	s.h.serveStreams(w, r)
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

// serveStreams answers one DynamoDB Streams request, step by step as
// ServeHTTP answers a DynamoDB one: request ID, body limit, content type,
// JSON, operation, signature, decode, Inject, run, encode; a panic is
// recovered and answered as an InternalServerError.
func (h *Handler) serveStreams(w http.ResponseWriter, r *http.Request) {
	id := h.newRequestID()
	target := r.Header.Get("X-Amz-Target")
	contentType := "application/x-amz-json-1.0"
	wrote := false
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p)
		}
		h.logger.Error("dynamo/wire: panic serving request", "requestId", id.String(),
			"target", target, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		if !wrote {
			status, body := streamsErrorBody(dynamo.ErrInternalServer.New("Internal server error"))
			writeBody(w, &id, status, contentType, body)
		}
	}()
	respond := func(status int, ct string, body []byte) {
		wrote = true
		writeBody(w, &id, status, ct, body)
	}
	fail := func(err error) {
		status, body := streamsErrorBody(err)
		if apiError(err).Code == dynamo.ErrInternalServer.Code {
			h.logger.Error("dynamo/wire: internal error", "requestId", id.String(), "target", target, "error", err)
		}
		respond(status, contentType, body)
	}

	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if r.URL.Path == "/" {
			respond(http.StatusOK, "text/plain", []byte("healthy: streams.dynamodb."+h.opts.Region+".amazonaws.com "))
			return
		}
	}
	if r.Method != http.MethodPost {
		respond(http.StatusNotFound, "application/xml", []byte("<UnknownOperationException/>\n"))
		return
	}
	bb, err := h.readBody(w, r)
	defer bb.release()
	body := bb.b
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			respond(http.StatusRequestEntityTooLarge, "text/plain", []byte("Request Entity Too Large\n"))
			return
		}
		fail(ErrSerialization.New("Could not read the request body: " + err.Error()))
		return
	}
	if mt := mediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		contentType = mt
	} else if len(body) > 0 && mt != "application/x-amz-json-1.0" {
		respond(http.StatusNotFound, "application/xml", []byte("<UnknownOperationException/>\n"))
		return
	}
	var doc node
	if len(body) > 0 {
		// The parsed document lives until the operation's input is
		// decoded from it, which is before this function returns.
		p := newParser(body)
		defer p.release()
		if doc, err = p.parse(); err != nil {
			fail(syntaxToError(err))
			return
		}
	}
	name, ok := strings.CutPrefix(target, StreamsTargetPrefix)
	op := streamsOperations[name]
	if !ok || op == nil {
		fail(ErrUnknownOperation.New("The operation named by the X-Amz-Target header is not a DynamoDB Streams operation minicloud serves"))
		return
	}
	if h.opts.Credentials != nil {
		if err := verifySigV4(r, body, h.opts.Credentials, h.opts.Region, h.clock.Now()); err != nil {
			fail(err)
			return
		}
	}
	if len(body) == 0 {
		fail(ErrSerialization.New("The request body is empty; it must be a JSON object"))
		return
	}
	var inject func(context.Context) error
	if h.opts.Inject != nil {
		inject = func(ctx context.Context) error { return h.opts.Inject(ctx, name) }
	}
	x := getExchange()
	defer x.release() // after the response, which is x's, is written
	x.doc = doc
	out, err := op.serve(r.Context(), h.db, &x.doc, inject, x)
	if err != nil {
		fail(err)
		return
	}
	respond(http.StatusOK, contentType, out)
}
