package lambda

import (
	"context"
	"encoding/json"
	"time"
)

// Destination receives what Lambda sends after an asynchronous
// invocation: an invocation record (on-success and on-failure
// destinations) or the event itself (a dead-letter target). In AWS it is
// named by the ARN of a queue, topic, bus or function; here it is any
// value with this method: a channel-backed queue of a test, a
// [*Function] (which Lambda invokes asynchronously with the record), or
// another service's adapter.
type Destination interface {
	// Send delivers message. For a dead-letter target, attributes carry
	// RequestID, ErrorCode and ErrorMessage, as Lambda sets them on the
	// SQS message or SNS notification; for destinations they are nil. An
	// error counts in DestinationDeliveryFailures or DeadLetterErrors.
	Send(ctx context.Context, message []byte, attributes map[string]string) error
}

// DestinationFunc adapts a function to a [Destination].
type DestinationFunc func(ctx context.Context, message []byte, attributes map[string]string) error

// Send calls f.
func (f DestinationFunc) Send(ctx context.Context, message []byte, attributes map[string]string) error {
	return f(ctx, message, attributes)
}

// Conditions of an invocation record.
const (
	// ConditionSuccess: the function returned a response.
	ConditionSuccess = "Success"
	// ConditionRetriesExhausted: every attempt ended in a function error.
	ConditionRetriesExhausted = "RetriesExhausted"
	// ConditionEventAgeExceeded: the event stayed in the queue longer
	// than MaximumEventAgeInSeconds.
	ConditionEventAgeExceeded = "EventAgeExceeded"
)

// DestinationRecord is the invocation record Lambda sends to an
// on-success or on-failure destination, with Lambda's JSON field names.
type DestinationRecord struct {
	Version         string                 `json:"version"`
	Timestamp       string                 `json:"timestamp"`
	RequestContext  RecordRequestContext   `json:"requestContext"`
	RequestPayload  json.RawMessage        `json:"requestPayload"`
	ResponseContext *RecordResponseContext `json:"responseContext,omitempty"`
	ResponsePayload json.RawMessage        `json:"responsePayload,omitempty"`
}

// RecordRequestContext describes the event of a record.
type RecordRequestContext struct {
	RequestID              string `json:"requestId"`
	FunctionArn            string `json:"functionArn"`
	Condition              string `json:"condition"`
	ApproximateInvokeCount int    `json:"approximateInvokeCount"`
}

// RecordResponseContext describes the last attempt's response.
type RecordResponseContext struct {
	StatusCode      int    `json:"statusCode"`
	ExecutedVersion string `json:"executedVersion"`
	FunctionError   string `json:"functionError,omitempty"`
}

// newRecord renders the record of an event.
func (s *Service) newRecord(ev *asyncEvent, arn, condition string) []byte {
	r := DestinationRecord{
		Version:   "1.0",
		Timestamp: s.clock.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		RequestContext: RecordRequestContext{
			RequestID:              ev.requestID,
			FunctionArn:            arn,
			Condition:              condition,
			ApproximateInvokeCount: ev.attempts,
		},
		RequestPayload: rawJSON(ev.payload),
	}
	if o := ev.last; o != nil {
		r.ResponseContext = &RecordResponseContext{StatusCode: 200, ExecutedVersion: o.executedVersion, FunctionError: o.functionError}
		if len(o.payload) > 0 {
			r.ResponsePayload = rawJSON(o.payload)
		}
	}
	b, _ := json.Marshal(r)
	return b
}

// rawJSON embeds b in a record, as a string when it is not JSON.
func rawJSON(b []byte) json.RawMessage {
	if json.Valid(b) {
		return b
	}
	q, _ := json.Marshal(string(b))
	return q
}

// formatTime is Lambda's timestamp format in control-plane outputs.
func formatTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000-0700") }
