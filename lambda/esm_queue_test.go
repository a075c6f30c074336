package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// sqsEventRecord is a record as events.SQSMessage of aws-lambda-go reads it.
type sqsEventRecord struct {
	MessageID         string            `json:"messageId"`
	ReceiptHandle     string            `json:"receiptHandle"`
	Body              string            `json:"body"`
	Attributes        map[string]string `json:"attributes"`
	MessageAttributes map[string]struct {
		StringValue *string `json:"stringValue"`
		DataType    string  `json:"dataType"`
	} `json:"messageAttributes"`
	MD5OfBody              string `json:"md5OfBody"`
	MD5OfMessageAttributes string `json:"md5OfMessageAttributes"`
	EventSource            string `json:"eventSource"`
	EventSourceARN         string `json:"eventSourceARN"`
	AWSRegion              string `json:"awsRegion"`
}

// queueFn is a function whose invocations the test answers one by one.
type queueFn struct {
	got   chan []sqsEventRecord
	reply chan string // "" succeeds, "fail" errors, else the payload
}

func (f *queueFn) handler(ctx context.Context, ev struct{ Records []sqsEventRecord }) (json.RawMessage, error) {
	f.got <- ev.Records
	switch r := <-f.reply; r {
	case "":
		return json.RawMessage(`null`), nil
	case "fail":
		return nil, errors.New("cannot process")
	default:
		return json.RawMessage(r), nil
	}
}

// next waits for an invocation and answers it.
func (f *queueFn) next(t *testing.T, answer string) []sqsEventRecord {
	t.Helper()
	select {
	case recs := <-f.got:
		f.reply <- answer
		return recs
	case <-time.After(10 * time.Second):
		t.Fatal("no invocation")
		return nil
	}
}

// nextWhile waits for an invocation, runs check while it is in flight
// (its messages still in the queue), then answers it.
func (f *queueFn) nextWhile(t *testing.T, answer string, check func(recs []sqsEventRecord)) {
	t.Helper()
	select {
	case recs := <-f.got:
		check(recs)
		f.reply <- answer
	case <-time.After(10 * time.Second):
		t.Fatal("no invocation")
	}
}

func bodies(recs []sqsEventRecord) string {
	var b []string
	for _, r := range recs {
		b = append(b, r.Body)
	}
	return strings.Join(b, ",")
}

// setupQueueESM makes a function f, a queue "jobs" (with dlq as its
// dead-letter queue after 2 receives, when given) holding the bodies,
// and a mapping from the queue to f.
func setupQueueESM(t *testing.T, in CreateEventSourceMappingInput, dlq *Queue, bodies ...string) (*Service, *clock.Manual, *Queue, *queueFn) {
	t.Helper()
	var opts Options
	if dlq != nil {
		opts.Clock = dlq.clk
	}
	s, c := newTestService(t, opts)
	fn := &queueFn{got: make(chan []sqsEventRecord), reply: make(chan string)}
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 900, Handler: Handler(fn.handler)})
	var redrive *RedrivePolicy
	if dlq != nil {
		redrive = &RedrivePolicy{DeadLetterQueue: dlq, MaxReceiveCount: 2}
	}
	q := newTestQueue(t, c, "jobs", redrive)
	for _, b := range bodies {
		send(t, q, b)
	}
	in.FunctionName, in.Queue = "f", q
	if _, err := s.CreateEventSourceMapping(context.Background(), &in); err != nil {
		t.Fatal(err)
	}
	return s, c, q, fn
}

func TestQueueESM_DeliversSQSEventAndDeletesOnSuccess(t *testing.T) {
	_, _, q, fn := setupQueueESM(t, CreateEventSourceMappingInput{}, nil, "a", "b", "c")
	recs := fn.next(t, "")
	if bodies(recs) != "a,b,c" {
		t.Fatalf("batch %s", bodies(recs))
	}
	r := recs[0]
	if r.EventSource != "aws:sqs" || r.EventSourceARN != "arn:aws:sqs:us-east-1:123456789012:jobs" || r.AWSRegion != "us-east-1" ||
		r.MessageID == "" || r.ReceiptHandle == "" || r.MD5OfBody != md5Hex([]byte("a")) ||
		r.Attributes["ApproximateReceiveCount"] != "1" || r.Attributes["SentTimestamp"] == "" || r.Attributes["SenderId"] == "" ||
		r.Attributes["ApproximateFirstReceiveTimestamp"] == "" {
		t.Fatalf("record %+v", r)
	}
	send(t, q, "d")
	// The poller deleted the batch before it received d: while d's
	// invocation runs, d (in flight) is all the queue holds.
	fn.nextWhile(t, "", func(recs []sqsEventRecord) {
		if got := bodies(recs); got != "d" {
			t.Errorf("second batch %s", got)
		}
		leftInQueue(t, q, "d")
	})
}

// leftInQueue checks that the queue holds exactly one message, body.
func leftInQueue(t *testing.T, q *Queue, body string) {
	t.Helper()
	if msgs := q.Messages(); len(msgs) != 1 || msgs[0].Body != body {
		t.Errorf("left in the queue: %+v, want only %s", msgs, body)
	}
}

func TestQueueESM_BatchSizeCapsEachInvocation(t *testing.T) {
	_, _, _, fn := setupQueueESM(t, CreateEventSourceMappingInput{BatchSize: ptr(2)}, nil, "a", "b", "c")
	if got := bodies(fn.next(t, "")); got != "a,b" {
		t.Fatalf("first batch %s", got)
	}
	if got := bodies(fn.next(t, "")); got != "c" {
		t.Fatalf("second batch %s", got)
	}
}

func TestQueueESM_FailedBatchReturnsAfterVisibilityTimeoutThenGoesToDeadLetterQueue(t *testing.T) {
	c := clock.NewManual(epoch)
	dlq := newTestQueue(t, c, "dlq", nil)
	_, _, q, fn := setupQueueESM(t, CreateEventSourceMappingInput{}, dlq, "poison")
	first := fn.next(t, "fail")
	c.Advance(30 * time.Second)
	second := fn.next(t, "fail")
	if second[0].MessageID != first[0].MessageID || second[0].Attributes["ApproximateReceiveCount"] != "2" || second[0].ReceiptHandle == first[0].ReceiptHandle {
		t.Fatalf("retry %+v after %+v", second[0], first[0])
	}
	dead := dlq.Changed()
	c.Advance(30 * time.Second)
	select {
	case <-dead:
	case <-time.After(10 * time.Second):
		t.Fatal("message not moved to the dead-letter queue")
	}
	if msgs := dlq.Messages(); len(msgs) != 1 || msgs[0].MessageId != first[0].MessageID || msgs[0].Body != "poison" {
		t.Fatalf("dead-letter queue %+v", msgs)
	}
	if msgs := q.Messages(); len(msgs) != 0 {
		t.Fatalf("source queue %+v", msgs)
	}
}

func TestQueueESM_UnknownItemIdentifierFailsWholeBatch(t *testing.T) {
	_, c, q, fn := setupQueueESM(t, CreateEventSourceMappingInput{FunctionResponseTypes: []string{FunctionResponseTypeReportBatchItemFailures}}, nil, "a", "b")
	fn.next(t, `{"batchItemFailures":[{"itemIdentifier":"not-in-the-batch"}]}`)
	c.Advance(30 * time.Second)
	recs := fn.next(t, "")
	if bodies(recs) != "a,b" || recs[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("after whole-batch failure %+v", recs)
	}
	send(t, q, "c")
	fn.nextWhile(t, "", func([]sqsEventRecord) { leftInQueue(t, q, "c") })
}

func TestQueueESM_PartialBatchFailureRetriesOnlyTheFailed(t *testing.T) {
	s, c, q, fn := setupQueueESM(t, CreateEventSourceMappingInput{FunctionResponseTypes: []string{FunctionResponseTypeReportBatchItemFailures}}, nil, "a", "b", "c")
	var recs []sqsEventRecord
	select {
	case recs = <-fn.got:
	case <-time.After(10 * time.Second):
		t.Fatal("no invocation")
	}
	if bodies(recs) != "a,b,c" {
		t.Fatalf("batch %s", bodies(recs))
	}
	fn.reply <- fmt.Sprintf(`{"batchItemFailures":[{"itemIdentifier":%q}]}`, recs[1].MessageID)
	c.Advance(30 * time.Second)
	retry := fn.next(t, `{"batchItemFailures":[]}`)
	if bodies(retry) != "b" || retry[0].Attributes["ApproximateReceiveCount"] != "2" {
		t.Fatalf("retry %+v", retry)
	}
	send(t, q, "z")
	fn.nextWhile(t, "", func([]sqsEventRecord) { leftInQueue(t, q, "z") })
	l, _ := s.ListEventSourceMappings(context.Background(), nil)
	if r := l.EventSourceMappings[0].LastProcessingResult; r != "OK" && !strings.HasPrefix(r, "PROBLEM") {
		t.Fatalf("LastProcessingResult %q", r)
	}
}

func TestQueueESM_BatchingWindowWaitsOnClock(t *testing.T) {
	_, c, q, fn := setupQueueESM(t, CreateEventSourceMappingInput{BatchSize: ptr(100), MaximumBatchingWindowInSeconds: ptr(5)}, nil)
	send(t, q, "a")
	waitFor(t, c, 2) // a's visibility timeout and the window
	send(t, q, "b")
	waitFor(t, c, 3)
	c.Advance(5 * time.Second)
	if got := bodies(fn.next(t, "")); got != "a,b" {
		t.Fatalf("batch %s", got)
	}
}

func TestQueueESM_FilterDeletesMessagesThatMatchNoFilter(t *testing.T) {
	_, _, q, fn := setupQueueESM(t, CreateEventSourceMappingInput{FilterCriteria: &FilterCriteria{Filters: []Filter{
		{Pattern: `{"body":{"type":["order"]}}`},
		{Pattern: `{"body":[{"prefix":"urgent:"}]}`},
	}}}, nil, `{"type":"order","n":1}`, `{"type":"refund"}`, "plain text", "urgent: call")
	if got := bodies(fn.next(t, "")); got != `{"type":"order","n":1},urgent: call` {
		t.Fatalf("batch %s", got)
	}
	send(t, q, `{"type":"order","n":2}`)
	fn.nextWhile(t, "", func([]sqsEventRecord) { leftInQueue(t, q, `{"type":"order","n":2}`) })
}

func TestQueueESM_Validation(t *testing.T) {
	s, c := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	q := newTestQueue(t, c, "q", nil)
	ctx := context.Background()
	tests := []struct {
		name string
		in   CreateEventSourceMappingInput
		msg  string
	}{
		{"starting position", CreateEventSourceMappingInput{StartingPosition: StartingPositionLatest}, "StartingPosition is not valid for SQS event sources."},
		{"parallelization", CreateEventSourceMappingInput{ParallelizationFactor: ptr(2)}, "Unsupported ParallelizationFactor parameter for given event source mapping type."},
		{"bisect", CreateEventSourceMappingInput{BisectBatchOnFunctionError: ptr(true)}, "Unsupported BisectBatchOnFunctionError parameter"},
		{"retries", CreateEventSourceMappingInput{MaximumRetryAttempts: ptr(3)}, "Unsupported MaximumRetryAttempts parameter"},
		{"record age", CreateEventSourceMappingInput{MaximumRecordAgeInSeconds: ptr(60)}, "Unsupported MaximumRecordAgeInSeconds parameter"},
		{"destination", CreateEventSourceMappingInput{DestinationConfig: &DestinationConfig{OnFailure: &OnFailure{Destination: q}}}, "Unsupported DestinationConfig parameter"},
		{"tumbling", CreateEventSourceMappingInput{TumblingWindowInSeconds: ptr(10)}, "Unsupported TumblingWindowInSeconds parameter"},
		{"batch 11 without window", CreateEventSourceMappingInput{BatchSize: ptr(11)}, "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10"},
		{"batch 10001", CreateEventSourceMappingInput{BatchSize: ptr(10001), MaximumBatchingWindowInSeconds: ptr(1)}, "less than or equal to 10000"},
		{"window 301", CreateEventSourceMappingInput{MaximumBatchingWindowInSeconds: ptr(301)}, "less than or equal to 300"},
		{"source and queue", CreateEventSourceMappingInput{Source: newFakeStream(c)}, "both set"},
		{"wrong arn", CreateEventSourceMappingInput{EventSourceArn: "arn:aws:sqs:us-east-1:123456789012:other"}, "is not the ARN of Queue"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.FunctionName, in.Queue = "f", q
			_, err := s.CreateEventSourceMapping(ctx, &in)
			if !errors.Is(err, ErrInvalidParameterValue) || !strings.Contains(err.Error(), tt.msg) {
				t.Fatalf("err = %v, want InvalidParameterValueException with %q", err, tt.msg)
			}
		})
	}
	m, err := s.CreateEventSourceMapping(ctx, &CreateEventSourceMappingInput{FunctionName: "f", Queue: q, BatchSize: ptr(1000), MaximumBatchingWindowInSeconds: ptr(1), Enabled: ptr(false)})
	if err != nil {
		t.Fatal(err)
	}
	if m.BatchSize != 1000 || m.StartingPosition != "" || m.EventSourceArn != q.ARN() || m.ParallelizationFactor != 0 {
		t.Fatalf("created %+v", m)
	}
	if _, err := s.CreateEventSourceMapping(ctx, &CreateEventSourceMappingInput{FunctionName: "f", Queue: q}); !errors.Is(err, ErrResourceConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	if _, err := s.UpdateEventSourceMapping(ctx, &UpdateEventSourceMappingInput{UUID: m.UUID, MaximumBatchingWindowInSeconds: ptr(0)}); err == nil || !strings.Contains(err.Error(), "Maximum batch window") {
		t.Fatalf("update removing the window of a batch of 1000: %v", err)
	}
	if _, err := s.UpdateEventSourceMapping(ctx, &UpdateEventSourceMappingInput{UUID: m.UUID, MaximumRetryAttempts: ptr(1)}); err == nil || !strings.Contains(err.Error(), "Unsupported MaximumRetryAttempts") {
		t.Fatalf("update with retries: %v", err)
	}
	up, err := s.UpdateEventSourceMapping(ctx, &UpdateEventSourceMappingInput{UUID: m.UUID, BatchSize: ptr(5), MaximumBatchingWindowInSeconds: ptr(0)})
	if err != nil || up.BatchSize != 5 || up.MaximumBatchingWindowInSeconds != 0 {
		t.Fatalf("update %+v %v", up, err)
	}
	l, err := s.ListEventSourceMappings(ctx, &ListEventSourceMappingsInput{EventSourceArn: q.ARN()})
	if err != nil || len(l.EventSourceMappings) != 1 {
		t.Fatalf("list %+v %v", l, err)
	}
}

func TestQueueESM_DisableLeavesMessagesAndEnableResumes(t *testing.T) {
	s, _, q, fn := setupQueueESM(t, CreateEventSourceMappingInput{}, nil, "a")
	fn.next(t, "")
	ctx := context.Background()
	l, _ := s.ListEventSourceMappings(ctx, nil)
	uuid := l.EventSourceMappings[0].UUID
	if _, err := s.UpdateEventSourceMapping(ctx, &UpdateEventSourceMappingInput{UUID: uuid, Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	send(t, q, "while-disabled")
	if msgs := q.Messages(); len(msgs) != 1 || msgs[0].Attributes["ApproximateReceiveCount"] != "0" {
		t.Fatalf("disabled mapping received: %+v", msgs)
	}
	if _, err := s.UpdateEventSourceMapping(ctx, &UpdateEventSourceMappingInput{UUID: uuid, Enabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if got := bodies(fn.next(t, "")); got != "while-disabled" {
		t.Fatalf("after enable %s", got)
	}
}

func FuzzQueueItemFailures(f *testing.F) {
	for _, s := range []string{`null`, `{}`, `{"batchItemFailures":[]}`, `{"batchItemFailures":null}`,
		`{"batchItemFailures":[{"itemIdentifier":"m1"}]}`, `{"batchItemFailures":[{"itemIdentifier":""}]}`,
		`{"batchItemFailures":[{}]}`, `{"batchItemFailures":"x"}`, `[1,2]`, `{"batchItemFailures":[{"itemIdentifier":"m9"}]}`} {
		f.Add([]byte(s))
	}
	batch := []queueRecord{{msg: QueueMessage{MessageId: "m1"}}, {msg: QueueMessage{MessageId: "m2"}}}
	f.Fuzz(func(t *testing.T, payload []byte) {
		failed, all := queueItemFailures(payload, batch)
		if all && failed != nil {
			t.Fatalf("whole batch failed with a list %v", failed)
		}
		for id := range failed {
			if id != "m1" && id != "m2" {
				t.Fatalf("failed %q is not in the batch", id)
			}
		}
	})
}
