package wire

import (
	"context"
	"errors"

	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/internal/awserr"
)

// Error is a failed request: AWS's error code, message and HTTP status. It
// is the dynamo package's error type.
type Error = dynamo.Error

// Errors of the protocol layer, for errors.Is. Each carries the HTTP
// status DynamoDB answers it with. The errors of the operations themselves
// are the dynamo package's.
var (
	// ErrSerialization is SerializationException: the body is not JSON, or
	// a member has the wrong JSON type.
	ErrSerialization = awserr.New("SerializationException", 400, "")
	// ErrUnknownOperation is UnknownOperationException: X-Amz-Target names
	// no operation this handler serves.
	ErrUnknownOperation = awserr.New("UnknownOperationException", 400, "")
	// ErrMissingAuthenticationToken is MissingAuthenticationTokenException:
	// credentials are verified and the request is not signed.
	ErrMissingAuthenticationToken = awserr.New("MissingAuthenticationTokenException", 400, "")
	// ErrIncompleteSignature is IncompleteSignatureException: the
	// Authorization header lacks a part or is malformed.
	ErrIncompleteSignature = awserr.New("IncompleteSignatureException", 400, "")
	// ErrInvalidSignature is InvalidSignatureException: the signature does
	// not match, is out of date, or is scoped to another region or service.
	ErrInvalidSignature = awserr.New("InvalidSignatureException", 400, "")
	// ErrUnrecognizedClient is UnrecognizedClientException: the access key
	// is not one of the registered credentials.
	ErrUnrecognizedClient = awserr.New("UnrecognizedClientException", 400, "")
	// ErrThrottling is ThrottlingException: the request rate is too high
	// for a control-plane operation. SDKs retry it with backoff.
	ErrThrottling = awserr.New("ThrottlingException", 400, "")
	// ErrProvisionedThroughputExceeded is dynamo's
	// ProvisionedThroughputExceededException, here for [Options].Inject:
	// a table or index used more than its provisioned capacity. SDKs retry
	// it with backoff.
	ErrProvisionedThroughputExceeded = dynamo.ErrProvisionedThroughputExceeded
	// ErrRequestLimitExceeded is dynamo's RequestLimitExceeded, here for
	// [Options].Inject: the account's throughput quota is exceeded. SDKs
	// retry it with backoff.
	ErrRequestLimitExceeded = dynamo.ErrRequestLimitExceeded
	// ErrServiceUnavailable is ServiceUnavailable (HTTP 503). SDKs retry it.
	ErrServiceUnavailable = awserr.New("ServiceUnavailable", 503, "")
)

// errorType returns the __type DynamoDB answers an error code with: the
// errors of the AWS request layer ("Coral") have their own namespaces, the
// errors of DynamoDB's model have the service's.
func errorType(code string) string {
	switch code {
	case "ValidationException":
		return "com.amazon.coral.validate#" + code
	case "SerializationException", "UnknownOperationException", "MissingAuthenticationTokenException",
		"IncompleteSignatureException", "InvalidSignatureException", "UnrecognizedClientException",
		"AccessDeniedException", "RequestExpired", "ServiceUnavailableException":
		return "com.amazon.coral.service#" + code
	case "ThrottlingException":
		return "com.amazon.coral.availability#" + code
	}
	return "com.amazonaws.dynamodb.v20120810#" + code
}

// apiError turns any error into the *dynamo.Error to answer with. Errors
// that carry no AWS code are an InternalServerError.
func apiError(err error) *dynamo.Error {
	var e *dynamo.Error
	if errors.As(err, &e) && e.Code != "" {
		if e.StatusCode == 0 {
			c := *e
			c.StatusCode = 400
			return &c
		}
		return e
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return dynamo.ErrInternalServer.New("The request was canceled before it completed")
	}
	return dynamo.ErrInternalServer.New("Internal server error")
}

// errorBody writes the JSON body of an error response:
// {"__type":"<namespace>#<Code>","message":"..."}. SerializationException
// and TransactionCanceledException spell the member "Message", as DynamoDB
// does. Errors that carry more
// (the item of a failed condition) add their members.
func errorBody(err error) (status int, body []byte) {
	e := apiError(err)
	var w writer
	w.beginObject()
	w.key("__type")
	w.string(errorType(e.Code))
	if e.Message != "" {
		if e.Code == "SerializationException" || e.Code == "TransactionCanceledException" {
			w.key("Message")
		} else {
			w.key("message")
		}
		w.string(e.Message)
	}
	errorExtras(&w, err)
	w.endObject()
	return e.StatusCode, w.b
}

// syntaxToError turns a JSON syntax error into DynamoDB's answer.
func syntaxToError(err error) error {
	if err == errTooDeep {
		return dynamo.ErrValidation.New("Nesting Levels have exceeded supported limits")
	}
	return ErrSerialization.New("Malformed JSON: " + err.Error())
}
