package lambda

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

func newTestQueue(t *testing.T, c clock.Clock, name string, redrive *RedrivePolicy) *Queue {
	t.Helper()
	q, err := NewQueue(QueueOptions{Clock: c, Name: name, RedrivePolicy: redrive})
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func send(t *testing.T, q *Queue, body string) string {
	t.Helper()
	out, err := q.SendMessage(context.Background(), &SendMessageInput{MessageBody: body})
	if err != nil {
		t.Fatal(err)
	}
	return out.MessageId
}

func TestQueue_ReceivedMessageReappearsAfterVisibilityTimeout(t *testing.T) {
	c := clock.NewManual(epoch)
	q := newTestQueue(t, c, "jobs", nil)
	ctx := context.Background()
	id := send(t, q, "hello")
	got, err := q.Receive(ctx, 10, UseQueueVisibilityTimeout)
	if err != nil || len(got) != 1 || got[0].MessageId != id || got[0].Body != "hello" {
		t.Fatalf("receive %+v %v", got, err)
	}
	if a := got[0].Attributes; a["ApproximateReceiveCount"] != "1" || a["SentTimestamp"] != "1735689600000" || a["ApproximateFirstReceiveTimestamp"] != "1735689600000" || a["SenderId"] != "123456789012" {
		t.Fatalf("attributes %v", a)
	}
	if got[0].MD5OfBody != "5d41402abc4b2a76b9719d911017c592" {
		t.Fatalf("md5 %s", got[0].MD5OfBody)
	}
	if again, _ := q.Receive(ctx, 10, UseQueueVisibilityTimeout); len(again) != 0 {
		t.Fatalf("hidden message received: %+v", again)
	}
	changed := q.Changed()
	c.Advance(29 * time.Second)
	if again, _ := q.Receive(ctx, 10, UseQueueVisibilityTimeout); len(again) != 0 {
		t.Fatalf("received before the timeout: %+v", again)
	}
	c.Advance(time.Second)
	select {
	case <-changed:
	default:
		t.Fatal("Changed not signalled when the message came back")
	}
	again, _ := q.Receive(ctx, 10, UseQueueVisibilityTimeout)
	if len(again) != 1 || again[0].Attributes["ApproximateReceiveCount"] != "2" || again[0].ReceiptHandle == got[0].ReceiptHandle {
		t.Fatalf("second receive %+v", again)
	}
	// The first handle is stale: deleting with it does nothing.
	if err := q.Delete(ctx, got[0].ReceiptHandle); err != nil || len(q.Messages()) != 1 {
		t.Fatalf("stale delete: %v, %d left", err, len(q.Messages()))
	}
	if err := q.Delete(ctx, again[0].ReceiptHandle); err != nil || len(q.Messages()) != 0 {
		t.Fatalf("delete: %v, %d left", err, len(q.Messages()))
	}
}

func TestQueue_RedrivePolicyMovesToDeadLetterQueue(t *testing.T) {
	c := clock.NewManual(epoch)
	dlq := newTestQueue(t, c, "dlq", nil)
	q := newTestQueue(t, c, "jobs", &RedrivePolicy{DeadLetterQueue: dlq, MaxReceiveCount: 2})
	ctx := context.Background()
	id := send(t, q, "poison")
	for i := range 2 {
		if got, _ := q.Receive(ctx, 1, UseQueueVisibilityTimeout); len(got) != 1 {
			t.Fatalf("receive %d: %+v", i+1, got)
		}
		c.Advance(30 * time.Second)
	}
	if got, _ := q.Receive(ctx, 1, UseQueueVisibilityTimeout); len(got) != 0 {
		t.Fatalf("third receive returned %+v", got)
	}
	if n := len(q.Messages()); n != 0 {
		t.Fatalf("%d messages left in the source", n)
	}
	dead := dlq.Messages()
	if len(dead) != 1 || dead[0].MessageId != id || dead[0].Body != "poison" || dead[0].Attributes["SentTimestamp"] != "1735689600000" {
		t.Fatalf("dead-letter queue %+v", dead)
	}
}

func TestQueue_ChangeVisibility(t *testing.T) {
	c := clock.NewManual(epoch)
	q := newTestQueue(t, c, "jobs", nil)
	ctx := context.Background()
	send(t, q, "x")
	got, _ := q.Receive(ctx, 1, time.Minute)
	if err := q.ChangeVisibility(ctx, got[0].ReceiptHandle, 0); err != nil {
		t.Fatal(err)
	}
	if err := q.ChangeVisibility(ctx, got[0].ReceiptHandle, time.Second); !errors.Is(err, ErrMessageNotInflight) {
		t.Fatalf("visible message: %v", err)
	}
	again, _ := q.Receive(ctx, 1, UseQueueVisibilityTimeout)
	if len(again) != 1 {
		t.Fatal("message not visible after ChangeVisibility 0")
	}
	if err := q.ChangeVisibility(ctx, got[0].ReceiptHandle, time.Second); !errors.Is(err, ErrQueueInvalidParameterValue) {
		t.Fatalf("stale handle: %v", err)
	}
	if err := q.Delete(ctx, "AQEBnot-ours"); !errors.Is(err, ErrReceiptHandleIsInvalid) {
		t.Fatalf("foreign handle: %v", err)
	}
}

func TestQueue_RetentionDropsOldMessages(t *testing.T) {
	c := clock.NewManual(epoch)
	q, err := NewQueue(QueueOptions{Clock: c, Name: "q", MessageRetentionPeriod: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	send(t, q, "old")
	c.Advance(time.Minute)
	if got, _ := q.Receive(context.Background(), 10, 0); len(got) != 0 || len(q.Messages()) != 0 {
		t.Fatalf("expired message kept: %+v", got)
	}
}

func TestQueue_MessageAttributesDigest(t *testing.T) {
	q := newTestQueue(t, clock.NewManual(epoch), "q", nil)
	v := "b"
	out, err := q.SendMessage(context.Background(), &SendMessageInput{MessageBody: "x", MessageAttributes: map[string]MessageAttributeValue{
		"a": {DataType: "String", StringValue: &v},
	}})
	if err != nil {
		t.Fatal(err)
	}
	// name "a", type "String", transport 1, value "b", each length-prefixed.
	want := md5Hex([]byte("\x00\x00\x00\x01a\x00\x00\x00\x06String\x01\x00\x00\x00\x01b"))
	if out.MD5OfMessageAttributes != want {
		t.Fatalf("digest %s, want %s", out.MD5OfMessageAttributes, want)
	}
}

func TestQueue_Validation(t *testing.T) {
	c := clock.NewManual(epoch)
	ctx := context.Background()
	for _, tt := range []struct {
		name string
		opts QueueOptions
	}{
		{"no name", QueueOptions{}},
		{"fifo", QueueOptions{Name: "q.fifo"}},
		{"long name", QueueOptions{Name: strings.Repeat("a", 81)}},
		{"visibility over 12 h", QueueOptions{Name: "q", VisibilityTimeout: 13 * time.Hour}},
		{"retention under 60 s", QueueOptions{Name: "q", MessageRetentionPeriod: time.Second}},
		{"redrive without queue", QueueOptions{Name: "q", RedrivePolicy: &RedrivePolicy{MaxReceiveCount: 1}}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := NewQueue(tt.opts); !errors.Is(err, ErrQueueInvalidParameterValue) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	q := newTestQueue(t, c, "q", nil)
	if _, err := q.SendMessage(ctx, &SendMessageInput{}); !errors.Is(err, ErrQueueMissingParameter) {
		t.Fatalf("empty body: %v", err)
	}
	if _, err := q.SendMessage(ctx, &SendMessageInput{MessageBody: strings.Repeat("x", 1<<20+1)}); !errors.Is(err, ErrQueueInvalidParameterValue) {
		t.Fatalf("large body: %v", err)
	}
	n := "x"
	if _, err := q.SendMessage(ctx, &SendMessageInput{MessageBody: "b", MessageAttributes: map[string]MessageAttributeValue{"n": {DataType: "Number", StringValue: &n}}}); !errors.Is(err, ErrQueueInvalidParameterValue) {
		t.Fatalf("bad number: %v", err)
	}
	if _, err := q.Receive(ctx, 11, 0); !errors.Is(err, ErrQueueInvalidParameterValue) {
		t.Fatalf("receive 11: %v", err)
	}
}

func TestQueue_DeletesOutOfOrderKeepTheRest(t *testing.T) {
	q := newTestQueue(t, clock.NewManual(epoch), "q", nil)
	ctx := context.Background()
	for i := range 100 {
		send(t, q, strconv.Itoa(i))
	}
	var handles []string
	for range 10 {
		got, _ := q.Receive(ctx, 10, time.Minute)
		for _, m := range got {
			handles = append(handles, m.ReceiptHandle)
		}
	}
	// Delete the odd ones, then the even ones below 50.
	for i := 1; i < 100; i += 2 {
		if err := q.Delete(ctx, handles[i]); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 50; i += 2 {
		if err := q.Delete(ctx, handles[i]); err != nil {
			t.Fatal(err)
		}
	}
	msgs := q.Messages()
	if len(msgs) != 25 || msgs[0].Body != "50" || msgs[24].Body != "98" {
		t.Fatalf("%d left, first %+v", len(msgs), msgs[0])
	}
}

func TestQueue_IsADestination(t *testing.T) {
	q := newTestQueue(t, clock.NewManual(epoch), "q", nil)
	var d Destination = q
	if err := d.Send(context.Background(), []byte(`{"k":1}`), map[string]string{"ErrorCode": "Unhandled"}); err != nil {
		t.Fatal(err)
	}
	msgs := q.Messages()
	if len(msgs) != 1 || msgs[0].Body != `{"k":1}` || *msgs[0].MessageAttributes["ErrorCode"].StringValue != "Unhandled" || msgs[0].MD5OfMessageAttributes == "" {
		t.Fatalf("%+v", msgs)
	}
}
