package lambda

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/minicloud/minicloud/clock"
)

// BenchmarkQueueESM_Messages measures messages delivered through a queue
// mapping (receive, invoke, delete), in batches of 10, beside the same
// messages sent, received and deleted with no function.
func BenchmarkQueueESM_Messages(b *testing.B) {
	type ev struct{ Records []struct{} }
	fill := func(b *testing.B, q *Queue) {
		for i := range b.N {
			if _, err := q.SendMessage(context.Background(), &SendMessageInput{MessageBody: "m" + strconv.Itoa(i)}); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("mapping-batch10", func(b *testing.B) {
		s := New(Options{Clock: clock.NewManual(epoch), TmpDir: b.TempDir()})
		defer s.Close()
		var n atomic.Int64
		done := make(chan struct{})
		want := int64(b.N)
		mustCreate(b, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context, e ev) error {
			if n.Add(int64(len(e.Records))) == want {
				close(done)
			}
			return nil
		})})
		q, _ := NewQueue(QueueOptions{Clock: s.clock, Name: "q"})
		fill(b, q)
		b.ResetTimer()
		if _, err := s.CreateEventSourceMapping(context.Background(), &CreateEventSourceMappingInput{FunctionName: "f", Queue: q}); err != nil {
			b.Fatal(err)
		}
		<-done
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
	b.Run("receive-delete", func(b *testing.B) {
		q, _ := NewQueue(QueueOptions{Clock: clock.NewManual(epoch), Name: "q"})
		fill(b, q)
		ctx := context.Background()
		b.ResetTimer()
		for left := b.N; left > 0; {
			msgs, err := q.Receive(ctx, 10, UseQueueVisibilityTimeout)
			if err != nil || len(msgs) == 0 {
				b.Fatal(err, len(msgs))
			}
			for _, m := range msgs {
				q.Delete(ctx, m.ReceiptHandle)
			}
			left -= len(msgs)
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "msgs/s")
	})
}
