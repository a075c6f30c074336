package lambda

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/fnv"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/internal/awserr"
)

// QueueSource is a queue an event source mapping polls, with the
// consumer's side of Amazon SQS: receive a batch (which hides its messages
// for the visibility timeout), delete what was processed, change a
// message's visibility. Only standard types appear, so a queue of another
// package satisfies it without importing this one; [*Queue] is the
// in-memory one.
type QueueSource interface {
	// ARN is the queue's ARN, the mapping's EventSourceArn.
	ARN() string
	// Receive returns up to max (1 to 10) visible messages and hides each
	// for visibilityTimeout ([UseQueueVisibilityTimeout] for the queue's
	// own), counting one more receive of it. It returns at once, with no
	// messages when none is visible.
	Receive(ctx context.Context, max int, visibilityTimeout time.Duration) ([]QueueMessage, error)
	// Delete deletes the message received with receiptHandle.
	Delete(ctx context.Context, receiptHandle string) error
	// ChangeVisibility hides the message received with receiptHandle for d
	// from now (0 makes it visible at once).
	ChangeVisibility(ctx context.Context, receiptHandle string, d time.Duration) error
	// Changed returns a channel closed when a message may have become
	// visible: one was sent, or a visibility timeout ran out.
	Changed() <-chan struct{}
}

// UseQueueVisibilityTimeout, as Receive's visibilityTimeout, hides the
// messages for the queue's own VisibilityTimeout, as a ReceiveMessage
// call without the parameter does. Lambda's pollers receive this way.
const UseQueueVisibilityTimeout time.Duration = -1

// QueueMessage is a message as ReceiveMessage returns it.
type QueueMessage struct {
	MessageId     string
	ReceiptHandle string
	Body          string
	// MD5OfBody is the hex MD5 digest of Body.
	MD5OfBody string
	// MD5OfMessageAttributes is SQS's digest of MessageAttributes, ""
	// without attributes.
	MD5OfMessageAttributes string
	// Attributes are the system attributes: ApproximateReceiveCount,
	// SentTimestamp and ApproximateFirstReceiveTimestamp (milliseconds
	// since the epoch, as decimal strings) and SenderId.
	Attributes map[string]string
	// MessageAttributes are the sender's attributes (at most 10).
	MessageAttributes map[string]MessageAttributeValue
}

// MessageAttributeValue is a message attribute of SQS: DataType is
// String, Number or Binary, optionally followed by "." and a custom
// label ("Number.float"); StringValue holds a String or Number,
// BinaryValue a Binary.
type MessageAttributeValue struct {
	DataType    string
	StringValue *string
	BinaryValue []byte
}

// RedrivePolicy moves a message to DeadLetterQueue once it has been
// received MaxReceiveCount (1 to 1,000) times without being deleted, as
// SQS does: the move happens when the message would be received once
// more.
type RedrivePolicy struct {
	DeadLetterQueue *Queue
	MaxReceiveCount int
}

// QueueOptions configures a [Queue]. Zero fields take SQS's defaults.
type QueueOptions struct {
	// Clock drives visibility timeouts and timestamps; nil is the real
	// clock.
	Clock clock.Clock
	// Name is 1 to 80 letters, digits, hyphens and underscores; required.
	Name string
	// Region and AccountID make the ARN; defaults us-east-1 and
	// 123456789012.
	Region, AccountID string
	// VisibilityTimeout is how long a received message stays hidden: 0 to
	// 12 hours, default 30 s. Zero means the default; use a Receive or
	// ChangeVisibility of 0 to show a message at once.
	VisibilityTimeout time.Duration
	// MessageRetentionPeriod is how long a message is kept: 60 s to 14
	// days, default 4 days.
	MessageRetentionPeriod time.Duration
	// RedrivePolicy, when set, names the dead-letter queue.
	RedrivePolicy *RedrivePolicy
	// SenderID is the SenderId attribute of the messages sent; default
	// the AccountID.
	SenderID string
}

// SQS quotas, from the Amazon SQS Developer Guide ("Amazon SQS message
// quotas", "Amazon SQS queue quotas") and API Reference.
const (
	queueDefaultVisibility = 30 * time.Second
	queueMaxVisibility     = 12 * time.Hour
	queueDefaultRetention  = 4 * 24 * time.Hour
	queueMinRetention      = time.Minute
	queueMaxRetention      = 14 * 24 * time.Hour
	queueMaxReceive        = 10
	queueMaxMessageSize    = 1 << 20 // 1 MiB, since August 2025
	queueMaxAttributes     = 10
	queueMaxReceiveCount   = 1000
	queueMaxNameLength     = 80
)

// Errors of the in-memory queue, with Amazon SQS's codes.
var (
	// ErrQueueInvalidParameterValue is InvalidParameterValue (400).
	ErrQueueInvalidParameterValue = awserr.New("InvalidParameterValue", 400, "")
	// ErrQueueMissingParameter is MissingParameter (400).
	ErrQueueMissingParameter = awserr.New("MissingParameter", 400, "")
	// ErrReceiptHandleIsInvalid is ReceiptHandleIsInvalid (404): the
	// handle is not one the queue gave out.
	ErrReceiptHandleIsInvalid = awserr.New("ReceiptHandleIsInvalid", 404, "")
	// ErrMessageNotInflight is MessageNotInflight (400): the message is
	// not hidden, so its visibility cannot change.
	ErrMessageNotInflight = awserr.New("MessageNotInflight", 400, "")
)

// Queue is an in-memory Amazon SQS standard queue: messages are
// delivered at least once and in about the order sent; a received
// message is hidden for the visibility timeout (on the clock) and comes
// back unless deleted; each receive counts in ApproximateReceiveCount and,
// with a RedrivePolicy, a message received MaxReceiveCount times goes to
// the dead-letter queue. It is a [QueueSource] for event source mappings
// and a [Destination] (Send), so it can also be a function's dead-letter
// queue or on-failure destination. FIFO queues are not modelled. Safe for
// concurrent use.
type Queue struct {
	clk        clock.Clock
	arn, name  string
	visibility time.Duration
	retention  time.Duration
	redrive    *RedrivePolicy
	sender     string
	idSeed     uint64

	mu sync.Mutex
	// msgs are the messages in send order, with the deleted ones marked
	// and compacted away lazily so that a delete is O(1).
	msgs     []*queueMsg
	dropped  int
	byHandle map[string]*queueMsg
	seq      uint64
	receives uint64
	changed  chan struct{}
}

// queueMsg is a message in the queue.
type queueMsg struct {
	QueueMessage
	seq          uint64
	sent         time.Time
	firstReceive time.Time
	receives     int
	hiddenUntil  time.Time
	timer        clock.Timer
	deleted      bool
}

// NewQueue makes an empty standard queue.
func NewQueue(opts QueueOptions) (*Queue, error) {
	if err := checkQueueName(opts.Name); err != nil {
		return nil, err
	}
	region, account := opts.Region, opts.AccountID
	if region == "" {
		region = "us-east-1"
	}
	if account == "" {
		account = "123456789012"
	}
	q := &Queue{
		clk:        clock.Or(opts.Clock),
		name:       opts.Name,
		arn:        "arn:aws:sqs:" + region + ":" + account + ":" + opts.Name,
		visibility: opts.VisibilityTimeout,
		retention:  opts.MessageRetentionPeriod,
		sender:     opts.SenderID,
		byHandle:   make(map[string]*queueMsg),
		changed:    make(chan struct{}),
	}
	if q.visibility == 0 {
		q.visibility = queueDefaultVisibility
	}
	if q.visibility < 0 || q.visibility > queueMaxVisibility || q.visibility%time.Second != 0 {
		return nil, ErrQueueInvalidParameterValue.Newf("Invalid value for the parameter VisibilityTimeout: %v (whole seconds from 0 to %d)", opts.VisibilityTimeout, int(queueMaxVisibility/time.Second))
	}
	if q.retention == 0 {
		q.retention = queueDefaultRetention
	}
	if q.retention < queueMinRetention || q.retention > queueMaxRetention {
		return nil, ErrQueueInvalidParameterValue.Newf("Invalid value for the parameter MessageRetentionPeriod: %v (from %d to %d seconds)", opts.MessageRetentionPeriod, int(queueMinRetention/time.Second), int(queueMaxRetention/time.Second))
	}
	if r := opts.RedrivePolicy; r != nil {
		if r.DeadLetterQueue == nil {
			return nil, ErrQueueInvalidParameterValue.New("Value for parameter RedrivePolicy is invalid. Reason: Redrive policy does not contain a deadLetterTargetArn.")
		}
		if r.MaxReceiveCount < 1 || r.MaxReceiveCount > queueMaxReceiveCount {
			return nil, ErrQueueInvalidParameterValue.Newf("Value %d for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: %d, valid values are from 1 to %d both inclusive.", r.MaxReceiveCount, r.MaxReceiveCount, queueMaxReceiveCount)
		}
		if r.DeadLetterQueue.arn == q.arn {
			return nil, ErrQueueInvalidParameterValue.New("Value for parameter RedrivePolicy is invalid. Reason: Dead-letter target cannot be the queue itself.")
		}
		rp := *r
		q.redrive = &rp
	}
	if q.sender == "" {
		q.sender = account
	}
	h := fnv.New64a()
	h.Write([]byte(q.arn))
	q.idSeed = h.Sum64()
	return q, nil
}

func checkQueueName(name string) error {
	ok := name != "" && len(name) <= queueMaxNameLength
	for _, r := range name {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			ok = false
		}
	}
	if !ok {
		return ErrQueueInvalidParameterValue.Newf("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length (got %q; FIFO queues are not modelled)", name)
	}
	return nil
}

// ARN is the queue's ARN, arn:aws:sqs:region:account:name.
func (q *Queue) ARN() string { return q.arn }

// Name is the queue's name.
func (q *Queue) Name() string { return q.name }

// SendMessageInput is a message to send.
type SendMessageInput struct {
	// MessageBody is 1 byte to 1 MiB of text; required.
	MessageBody string
	// MessageAttributes are at most 10 attributes.
	MessageAttributes map[string]MessageAttributeValue
}

// SendMessageOutput is what SendMessage returns.
type SendMessageOutput struct {
	MessageId              string
	MD5OfMessageBody       string
	MD5OfMessageAttributes string
}

// SendMessage adds a message, visible at once.
func (q *Queue) SendMessage(ctx context.Context, in *SendMessageInput) (*SendMessageOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil || in.MessageBody == "" {
		return nil, ErrQueueMissingParameter.New("The request must contain the parameter MessageBody.")
	}
	size := len(in.MessageBody)
	if len(in.MessageAttributes) > queueMaxAttributes {
		return nil, ErrQueueInvalidParameterValue.Newf("Number of message attributes [%d] exceeds the allowed maximum [%d].", len(in.MessageAttributes), queueMaxAttributes)
	}
	attrs := make(map[string]MessageAttributeValue, len(in.MessageAttributes))
	for name, v := range in.MessageAttributes {
		base, _, _ := strings.Cut(v.DataType, ".")
		switch {
		case name == "" || len(name) > 256:
			return nil, ErrQueueInvalidParameterValue.Newf("Message attribute name '%s' is invalid: 1 to 256 characters.", name)
		case base == "String" || base == "Number":
			if v.StringValue == nil {
				return nil, ErrQueueInvalidParameterValue.Newf("The message attribute '%s' must contain a non-empty message attribute value for message attribute type '%s'.", name, v.DataType)
			}
			if base == "Number" {
				if _, err := strconv.ParseFloat(*v.StringValue, 64); err != nil {
					return nil, ErrQueueInvalidParameterValue.Newf("Can't cast the value of message (user) attribute '%s' to a number.", name)
				}
			}
			s := *v.StringValue
			attrs[name] = MessageAttributeValue{DataType: v.DataType, StringValue: &s}
			size += len(name) + len(v.DataType) + len(s)
		case base == "Binary":
			if len(v.BinaryValue) == 0 {
				return nil, ErrQueueInvalidParameterValue.Newf("The message attribute '%s' must contain a non-empty message attribute value for message attribute type '%s'.", name, v.DataType)
			}
			attrs[name] = MessageAttributeValue{DataType: v.DataType, BinaryValue: slices.Clone(v.BinaryValue)}
			size += len(name) + len(v.DataType) + len(v.BinaryValue)
		default:
			return nil, ErrQueueInvalidParameterValue.Newf("The message attribute '%s' has an invalid message attribute type, the set of supported type prefixes is Binary, Number, and String.", name)
		}
	}
	if size > queueMaxMessageSize {
		return nil, ErrQueueInvalidParameterValue.Newf("One or more parameters are invalid. Reason: Message must be shorter than %d bytes.", queueMaxMessageSize)
	}
	if len(attrs) == 0 {
		attrs = nil
	}
	q.mu.Lock()
	q.seq++
	m := &queueMsg{seq: q.seq, sent: q.clk.Now()}
	m.MessageId = q.messageID(m.seq)
	m.Body = in.MessageBody
	m.MD5OfBody = md5Hex([]byte(in.MessageBody))
	m.MessageAttributes = attrs
	m.MD5OfMessageAttributes = md5OfMessageAttributes(attrs)
	m.Attributes = map[string]string{"SenderId": q.sender, "SentTimestamp": millis(m.sent)}
	q.msgs = append(q.msgs, m)
	q.signalLocked()
	q.mu.Unlock()
	return &SendMessageOutput{MessageId: m.MessageId, MD5OfMessageBody: m.MD5OfBody, MD5OfMessageAttributes: m.MD5OfMessageAttributes}, nil
}

// Send makes the queue a [Destination]: message is the body, and each
// attribute a String message attribute (a dead-letter target's
// RequestID, ErrorCode and ErrorMessage).
func (q *Queue) Send(ctx context.Context, message []byte, attributes map[string]string) error {
	attrs := make(map[string]MessageAttributeValue, len(attributes))
	for k, v := range attributes {
		attrs[k] = MessageAttributeValue{DataType: "String", StringValue: &v}
	}
	_, err := q.SendMessage(ctx, &SendMessageInput{MessageBody: string(message), MessageAttributes: attrs})
	return err
}

// Receive returns up to max (1 to 10) visible messages, oldest first, and
// hides each for visibilityTimeout (0 to 12 hours, or
// [UseQueueVisibilityTimeout]). A message past its retention period is
// dropped; one already received MaxReceiveCount times moves to the
// dead-letter queue instead of being returned.
func (q *Queue) Receive(ctx context.Context, max int, visibilityTimeout time.Duration) ([]QueueMessage, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if max < 1 || max > queueMaxReceive {
		return nil, ErrQueueInvalidParameterValue.Newf("Value %d for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and %d, if provided.", max, queueMaxReceive)
	}
	vt := visibilityTimeout
	if vt == UseQueueVisibilityTimeout {
		vt = q.visibility
	}
	if vt < 0 || vt > queueMaxVisibility {
		return nil, ErrQueueInvalidParameterValue.Newf("Value %v for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and %d seconds.", visibilityTimeout, int(queueMaxVisibility/time.Second))
	}
	var out []QueueMessage
	var dead []*queueMsg
	q.mu.Lock()
	now := q.clk.Now()
	for _, m := range q.msgs {
		if len(out) == max {
			break
		}
		switch {
		case m.deleted || now.Before(m.hiddenUntil):
		case now.Sub(m.sent) >= q.retention:
			q.dropLocked(m)
		case q.redrive != nil && m.receives >= q.redrive.MaxReceiveCount:
			q.dropLocked(m)
			dead = append(dead, m)
		default:
			out = append(out, q.receiveLocked(m, now, vt))
		}
	}
	q.compactLocked()
	q.mu.Unlock()
	for _, m := range dead {
		q.redrive.DeadLetterQueue.accept(m)
	}
	return out, nil
}

// receiveLocked hides m for vt and returns it with a new receipt handle.
func (q *Queue) receiveLocked(m *queueMsg, now time.Time, vt time.Duration) QueueMessage {
	m.receives++
	if m.firstReceive.IsZero() {
		m.firstReceive = now
	}
	q.receives++
	if m.ReceiptHandle != "" {
		delete(q.byHandle, m.ReceiptHandle)
	}
	m.ReceiptHandle = "AQEB" + base64.RawURLEncoding.EncodeToString(fmt.Appendf(nil, "%s/%d/%d", q.name, m.seq, q.receives))
	q.byHandle[m.ReceiptHandle] = m
	q.hideLocked(m, now, vt)
	attrs := make(map[string]string, len(m.Attributes)+2)
	for k, v := range m.Attributes {
		attrs[k] = v
	}
	attrs["ApproximateReceiveCount"] = strconv.Itoa(m.receives)
	attrs["ApproximateFirstReceiveTimestamp"] = millis(m.firstReceive)
	r := m.QueueMessage
	r.Attributes = attrs
	r.MessageAttributes = cloneMessageAttributes(m.MessageAttributes)
	return r
}

// hideLocked hides m until now+vt, with a timer that signals its return.
func (q *Queue) hideLocked(m *queueMsg, now time.Time, vt time.Duration) {
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
	m.hiddenUntil = now.Add(vt)
	if vt > 0 {
		m.timer = q.clk.AfterFunc(vt, q.signal)
	} else {
		q.signalLocked()
	}
}

// dropLocked removes m from the queue: its handle, its timer, and (at
// the next compaction) its place in q.msgs.
func (q *Queue) dropLocked(m *queueMsg) {
	if m.timer != nil {
		m.timer.Stop()
		m.timer = nil
	}
	if m.ReceiptHandle != "" {
		delete(q.byHandle, m.ReceiptHandle)
	}
	m.deleted = true
	q.dropped++
}

// compactLocked removes the deleted messages from q.msgs: at once from
// its front, and all of them once they are half of it.
func (q *Queue) compactLocked() {
	for len(q.msgs) > 0 && q.msgs[0].deleted {
		q.msgs[0] = nil
		q.msgs = q.msgs[1:]
		q.dropped--
	}
	if q.dropped > 32 && 2*q.dropped > len(q.msgs) {
		kept := make([]*queueMsg, 0, len(q.msgs)-q.dropped)
		for _, m := range q.msgs {
			if !m.deleted {
				kept = append(kept, m)
			}
		}
		q.msgs, q.dropped = kept, 0
	}
}

// accept takes a message moved from a source queue's redrive policy: it
// keeps its ID, body, attributes and SentTimestamp, and its receive count
// starts again.
func (q *Queue) accept(from *queueMsg) {
	m := &queueMsg{sent: from.sent}
	m.QueueMessage = from.QueueMessage
	m.ReceiptHandle = ""
	m.Attributes = map[string]string{"SenderId": from.Attributes["SenderId"], "SentTimestamp": from.Attributes["SentTimestamp"]}
	q.mu.Lock()
	q.seq++
	m.seq = q.seq
	q.msgs = append(q.msgs, m)
	q.signalLocked()
	q.mu.Unlock()
}

// lookup finds the message whose current receipt handle is h; stale is
// true for a handle this queue gave out that is no longer current (the
// message was deleted or received again).
func (q *Queue) lookupLocked(h string) (m *queueMsg, stale bool, err error) {
	if m := q.byHandle[h]; m != nil {
		return m, false, nil
	}
	raw, derr := base64.RawURLEncoding.DecodeString(strings.TrimPrefix(h, "AQEB"))
	if derr != nil || !strings.HasPrefix(h, "AQEB") || !strings.HasPrefix(string(raw), q.name+"/") {
		return nil, false, ErrReceiptHandleIsInvalid.Newf("The input receipt handle \"%s\" is not a valid receipt handle.", h)
	}
	return nil, true, nil
}

// Delete deletes the message received with receiptHandle. A handle that
// is no longer the message's latest (or of a message already deleted)
// succeeds without deleting anything, as in SQS.
func (q *Queue) Delete(ctx context.Context, receiptHandle string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	m, stale, err := q.lookupLocked(receiptHandle)
	if err != nil || stale {
		return err
	}
	q.dropLocked(m)
	q.compactLocked()
	return nil
}

// ChangeVisibility hides the message received with receiptHandle for d
// (0 to 12 hours) from now; 0 makes it visible at once. The message must
// still be hidden (MessageNotInflight otherwise) and the handle its
// latest.
func (q *Queue) ChangeVisibility(ctx context.Context, receiptHandle string, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if d < 0 || d > queueMaxVisibility {
		return ErrQueueInvalidParameterValue.Newf("Value %v for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and %d seconds.", d, int(queueMaxVisibility/time.Second))
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	m, stale, err := q.lookupLocked(receiptHandle)
	if err != nil {
		return err
	}
	now := q.clk.Now()
	if stale {
		return ErrQueueInvalidParameterValue.Newf("Value %s for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.", receiptHandle)
	}
	if !now.Before(m.hiddenUntil) {
		return ErrMessageNotInflight.New("Message does not exist or is not available for visibility timeout change.")
	}
	q.hideLocked(m, now, d)
	return nil
}

// Changed returns a channel closed when a message is sent or a hidden
// one's visibility timeout runs out.
func (q *Queue) Changed() <-chan struct{} {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.changed
}

func (q *Queue) signal() {
	q.mu.Lock()
	q.signalLocked()
	q.mu.Unlock()
}

func (q *Queue) signalLocked() {
	close(q.changed)
	q.changed = make(chan struct{})
}

// Messages returns every message in the queue, visible or hidden, oldest
// first, with its receive count and latest receipt handle ("" for one
// never received), for tests. It receives nothing.
func (q *Queue) Messages() []QueueMessage {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := make([]QueueMessage, 0, len(q.msgs)-q.dropped)
	for _, m := range q.msgs {
		if m.deleted {
			continue
		}
		r := m.QueueMessage
		r.Attributes = map[string]string{"ApproximateReceiveCount": strconv.Itoa(m.receives)}
		for k, v := range m.Attributes {
			r.Attributes[k] = v
		}
		if !m.firstReceive.IsZero() {
			r.Attributes["ApproximateFirstReceiveTimestamp"] = millis(m.firstReceive)
		}
		r.MessageAttributes = cloneMessageAttributes(m.MessageAttributes)
		out = append(out, r)
	}
	return out
}

// messageID is the n-th message's ID: UUID-shaped, derived from the ARN,
// so a run is reproducible.
func (q *Queue) messageID(n uint64) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], q.idSeed)
	binary.BigEndian.PutUint64(b[8:], splitmix(q.idSeed^n))
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ x>>30) * 0xbf58476d1ce4e5b9
	x = (x ^ x>>27) * 0x94d049bb133111eb
	return x ^ x>>31
}

func millis(t time.Time) string { return strconv.FormatInt(t.UnixMilli(), 10) }

func md5Hex(b []byte) string {
	s := md5.Sum(b)
	return hex.EncodeToString(s[:])
}

// md5OfMessageAttributes is SQS's digest of message attributes: for each
// attribute in name order, the name, the data type, a transport byte (1
// for String and Number, 2 for Binary) and the value, each string or
// value preceded by its length as 4 big-endian bytes.
func md5OfMessageAttributes(attrs map[string]MessageAttributeValue) string {
	if len(attrs) == 0 {
		return ""
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	sort.Strings(names)
	var buf []byte
	field := func(b []byte) {
		buf = binary.BigEndian.AppendUint32(buf, uint32(len(b)))
		buf = append(buf, b...)
	}
	for _, n := range names {
		v := attrs[n]
		field([]byte(n))
		field([]byte(v.DataType))
		if v.StringValue != nil {
			buf = append(buf, 1)
			field([]byte(*v.StringValue))
		} else {
			buf = append(buf, 2)
			field(v.BinaryValue)
		}
	}
	return md5Hex(buf)
}

func cloneMessageAttributes(in map[string]MessageAttributeValue) map[string]MessageAttributeValue {
	if in == nil {
		return nil
	}
	out := make(map[string]MessageAttributeValue, len(in))
	for k, v := range in {
		if v.StringValue != nil {
			s := *v.StringValue
			v.StringValue = &s
		}
		v.BinaryValue = slices.Clone(v.BinaryValue)
		out[k] = v
	}
	return out
}
