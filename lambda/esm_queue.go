package lambda

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Bounds of a queue mapping's settings, from "Lambda parameters for
// Amazon SQS event source mappings".
const (
	esmQueueDefaultBatchSize = 10
	// esmQueueMaxUnwindowed is the largest BatchSize without a batching
	// window.
	esmQueueMaxUnwindowed = 10
)

// esmQueueRefused are the stream settings a queue mapping refuses.
func esmQueueRefused(in *UpdateEventSourceMappingInput) string {
	switch {
	case in.ParallelizationFactor != nil:
		return "ParallelizationFactor"
	case in.BisectBatchOnFunctionError != nil:
		return "BisectBatchOnFunctionError"
	case in.MaximumRetryAttempts != nil:
		return "MaximumRetryAttempts"
	case in.MaximumRecordAgeInSeconds != nil:
		return "MaximumRecordAgeInSeconds"
	case in.DestinationConfig != nil:
		return "DestinationConfig"
	case in.TumblingWindowInSeconds != nil:
		return "TumblingWindowInSeconds"
	}
	return ""
}

// applyQueueSettings validates the settings of a queue mapping and writes
// them to c: the stream-only ones are refused, and a BatchSize over 10
// needs a batching window.
func applyQueueSettings(c *EventSourceMappingConfiguration, in *UpdateEventSourceMappingInput) error {
	if name := esmQueueRefused(in); name != "" {
		return ErrInvalidParameterValue.Newf("Unsupported %s parameter for given event source mapping type.", name)
	}
	next := *c
	if err := applyESMSettings(&next, in); err != nil {
		return err
	}
	if next.BatchSize > esmQueueMaxUnwindowed && next.MaximumBatchingWindowInSeconds == 0 {
		return ErrInvalidParameterValue.Newf("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than %d", esmQueueMaxUnwindowed)
	}
	*c = next
	return nil
}

// createQueueMapping is CreateEventSourceMapping for a queue.
func (s *Service) createQueueMapping(ctx context.Context, in *CreateEventSourceMappingInput) (*EventSourceMappingConfiguration, error) {
	if in.Source != nil {
		return nil, ErrInvalidParameterValue.New("Source and Queue are both set: a mapping has one event source")
	}
	arn := in.EventSourceArn
	if arn == "" {
		arn = in.Queue.ARN()
	}
	if arn != in.Queue.ARN() {
		return nil, ErrInvalidParameterValue.Newf("EventSourceArn %s is not the ARN of Queue (%s)", arn, in.Queue.ARN())
	}
	if in.StartingPosition != "" {
		return nil, ErrInvalidParameterValue.New("StartingPosition is not valid for SQS event sources.")
	}
	t, err := s.resolve(in.FunctionName, "")
	if err != nil {
		return nil, err
	}
	c := EventSourceMappingConfiguration{
		FunctionArn:           t.arn,
		EventSourceArn:        arn,
		BatchSize:             esmQueueDefaultBatchSize,
		StateTransitionReason: "User action",
		LastProcessingResult:  "No records processed",
	}
	up := in.settings()
	if err := applyQueueSettings(&c, &up); err != nil {
		return nil, err
	}
	m := &mapping{s: s, queue: in.Queue}
	return s.esm.add(s, m, c, in.Enabled == nil || *in.Enabled, t.fn.name)
}

// queueRecord is a received message and its record in the event.
type queueRecord struct {
	msg QueueMessage
	raw json.RawMessage
}

// sqsAttribute is a message attribute as the Lambda event spells it
// (events.SQSMessageAttribute).
type sqsAttribute struct {
	StringValue      *string  `json:"stringValue,omitempty"`
	BinaryValue      []byte   `json:"binaryValue,omitempty"`
	StringListValues []string `json:"stringListValues"`
	BinaryListValues []string `json:"binaryListValues"`
	DataType         string   `json:"dataType"`
}

// sqsRecord is a record of the SQS event (events.SQSMessage).
type sqsRecord struct {
	MessageID              string                  `json:"messageId"`
	ReceiptHandle          string                  `json:"receiptHandle"`
	Body                   string                  `json:"body"`
	Attributes             map[string]string       `json:"attributes"`
	MessageAttributes      map[string]sqsAttribute `json:"messageAttributes"`
	MD5OfBody              string                  `json:"md5OfBody"`
	MD5OfMessageAttributes *string                 `json:"md5OfMessageAttributes"`
	EventSource            string                  `json:"eventSource"`
	EventSourceARN         string                  `json:"eventSourceARN"`
	AWSRegion              string                  `json:"awsRegion"`
}

// newQueueRecord renders msg as a record of the event Lambda sends.
func newQueueRecord(msg QueueMessage, arn string) queueRecord {
	r := sqsRecord{
		MessageID:         msg.MessageId,
		ReceiptHandle:     msg.ReceiptHandle,
		Body:              msg.Body,
		Attributes:        msg.Attributes,
		MessageAttributes: make(map[string]sqsAttribute, len(msg.MessageAttributes)),
		MD5OfBody:         msg.MD5OfBody,
		EventSource:       "aws:sqs",
		EventSourceARN:    arn,
	}
	if r.Attributes == nil {
		r.Attributes = map[string]string{}
	}
	if parts := strings.Split(arn, ":"); len(parts) > 3 {
		r.AWSRegion = parts[3]
	}
	if msg.MD5OfMessageAttributes != "" {
		r.MD5OfMessageAttributes = &msg.MD5OfMessageAttributes
	}
	for k, v := range msg.MessageAttributes {
		r.MessageAttributes[k] = sqsAttribute{StringValue: v.StringValue, BinaryValue: v.BinaryValue, StringListValues: []string{}, BinaryListValues: []string{}, DataType: v.DataType}
	}
	raw, _ := json.Marshal(r)
	return queueRecord{msg: msg, raw: raw}
}

// matchQueue reports whether a message passes the filter. The message is
// matched as its record in the event, with the body parsed when it is
// JSON (an object or array) and a plain string otherwise.
func (f *eventFilter) matchQueue(r queueRecord) bool {
	if f == nil {
		return true
	}
	var doc map[string]any
	if json.Unmarshal(r.raw, &doc) != nil {
		return false
	}
	if b := strings.TrimSpace(r.msg.Body); strings.HasPrefix(b, "{") || strings.HasPrefix(b, "[") {
		var body any
		if json.Unmarshal([]byte(b), &body) == nil {
			doc["body"] = body
		}
	}
	for _, p := range f.patterns {
		if p.match(doc) {
			return true
		}
	}
	return false
}

// runQueue polls the queue and invokes the function with batches of its
// messages until ctx ends. Messages that match no filter are deleted.
func (m *mapping) runQueue(ctx context.Context) {
	q := m.queue
	c := m.settings()
	// The filter is compiled once: an update restarts the poller.
	filter, _ := compileFilterCriteria(c.FilterCriteria)
	window := time.Duration(c.MaximumBatchingWindowInSeconds) * time.Second
	var buf []queueRecord
	var windowStart time.Time
	throttles := 0
	for ctx.Err() == nil {
		changed := q.Changed()
		if len(buf) < c.BatchSize {
			msgs, err := q.Receive(ctx, min(queueMaxReceive, c.BatchSize-len(buf)), UseQueueVisibilityTimeout)
			if err != nil {
				if ctx.Err() != nil {
					return
				}
				m.setResult("PROBLEM: " + err.Error())
				if !m.sleep(ctx, esmRetryFirst) {
					return
				}
				continue
			}
			if len(buf) == 0 && len(msgs) > 0 {
				windowStart = m.s.clock.Now()
			}
			for _, msg := range msgs {
				r := newQueueRecord(msg, c.EventSourceArn)
				if !filter.matchQueue(r) {
					if err := q.Delete(m.s.closeCtx, msg.ReceiptHandle); err != nil {
						m.setResult("PROBLEM: " + err.Error())
					}
					continue
				}
				buf = addQueueRecord(buf, r)
			}
			if len(msgs) > 0 && len(buf) < c.BatchSize && window > 0 && m.s.clock.Since(windowStart) < window {
				continue
			}
		}
		if len(buf) == 0 {
			select {
			case <-ctx.Done():
				return
			case <-changed:
			}
			continue
		}
		if len(buf) < c.BatchSize && window > 0 {
			if left := window - m.s.clock.Since(windowStart); left > 0 {
				if !m.waitWindow(ctx, left, changed) {
					return
				}
				continue
			}
		}
		n := m.fitQueue(buf, c.BatchSize)
		if !m.processQueue(ctx, buf[:n], c, &throttles) {
			return
		}
		buf = buf[n:]
		if len(buf) > 0 {
			windowStart = m.s.clock.Now()
		}
	}
}

// addQueueRecord appends r, or replaces the record of the same message
// (received again after its visibility timeout) to keep its latest
// receipt handle.
func addQueueRecord(buf []queueRecord, r queueRecord) []queueRecord {
	for i := range buf {
		if buf[i].msg.MessageId == r.msg.MessageId {
			buf[i] = r
			return buf
		}
	}
	return append(buf, r)
}

// fitQueue is how many records of buf make one batch: at most size, and
// an event within the synchronous payload quota.
func (m *mapping) fitQueue(buf []queueRecord, size int) int {
	return m.fitBatch(len(buf), size, func(i int) int { return len(buf[i].raw) })
}

// processQueue invokes the function once with a batch. On success the
// messages are deleted (with ReportBatchItemFailures, all but the ones
// named); otherwise they are left hidden, to come back after the queue's
// visibility timeout and be received again (the queue's redrive policy
// ends the retries). False when ctx ended first.
func (m *mapping) processQueue(ctx context.Context, batch []queueRecord, c EventSourceMappingConfiguration, throttles *int) bool {
	raws := make([]json.RawMessage, len(batch))
	for i, r := range batch {
		raws[i] = r.raw
	}
	payload, _ := json.Marshal(struct {
		Records []json.RawMessage `json:"Records"`
	}{raws})
	// A batch in flight finishes when the mapping is disabled or updated;
	// only Close abandons it.
	out, err := m.s.Invoke(m.s.closeCtx, &InvokeInput{FunctionName: c.FunctionArn, Payload: payload})
	if err != nil {
		if m.s.closeCtx.Err() != nil {
			return false
		}
		// A throttle, or a function that is gone: the messages come back
		// after their visibility timeout; the poller backs off.
		m.setResult("PROBLEM: " + err.Error())
		*throttles++
		return m.sleep(ctx, backoff(*throttles))
	}
	*throttles = 0
	if out.FunctionError != "" {
		m.setResult("PROBLEM: Function call failed")
		return true
	}
	failed := map[string]bool{}
	if len(c.FunctionResponseTypes) > 0 {
		var all bool
		failed, all = queueItemFailures(out.Payload, batch)
		if all {
			m.setResult("PROBLEM: Function reported batch item failures")
			return true
		}
	}
	for _, r := range batch {
		if failed[r.msg.MessageId] {
			continue
		}
		if err := m.queue.Delete(m.s.closeCtx, r.msg.ReceiptHandle); err != nil {
			m.setResult("PROBLEM: " + err.Error())
			return true
		}
	}
	if len(failed) > 0 {
		m.setResult("PROBLEM: Function reported batch item failures")
	} else {
		m.setResult("OK")
	}
	return true
}

// queueItemFailures reads the messages a response names in
// batchItemFailures, by messageId. all is true when the response names
// a message not in the batch, or an empty or missing identifier: Lambda
// then counts the whole batch as failed.
func queueItemFailures(payload []byte, batch []queueRecord) (failed map[string]bool, all bool) {
	var resp struct {
		BatchItemFailures json.RawMessage `json:"batchItemFailures"`
	}
	if json.Unmarshal(payload, &resp) != nil || len(resp.BatchItemFailures) == 0 || string(resp.BatchItemFailures) == "null" {
		return nil, false
	}
	var fails []struct {
		ItemIdentifier *string `json:"itemIdentifier"`
	}
	if json.Unmarshal(resp.BatchItemFailures, &fails) != nil {
		return nil, true
	}
	in := make(map[string]bool, len(batch))
	for _, r := range batch {
		in[r.msg.MessageId] = true
	}
	failed = make(map[string]bool, len(fails))
	for _, f := range fails {
		if f.ItemIdentifier == nil || !in[*f.ItemIdentifier] {
			return nil, true
		}
		failed[*f.ItemIdentifier] = true
	}
	return failed, false
}
