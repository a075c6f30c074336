package lambda

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/minicloud/minicloud/clock"
)

// BenchmarkESM_Records measures records delivered through a mapping, in
// batches of 100, from a stream to a Go handler, beside the same records
// invoked one by one.
func BenchmarkESM_Records(b *testing.B) {
	type ev struct{ Records []struct{} }
	b.Run("mapping-batch100", func(b *testing.B) {
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
		src := newFakeStream(s.clock)
		keys := make([]string, b.N)
		for i := range keys {
			keys[i] = "k" + strconv.Itoa(i)
		}
		b.ResetTimer()
		src.put(keys...)
		if _, err := s.CreateEventSourceMapping(context.Background(), &CreateEventSourceMappingInput{FunctionName: "f", Source: src, StartingPosition: StartingPositionTrimHorizon}); err != nil {
			b.Fatal(err)
		}
		<-done
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
	b.Run("invoke-each", func(b *testing.B) {
		s := New(Options{Clock: clock.NewManual(epoch), TmpDir: b.TempDir()})
		defer s.Close()
		mustCreate(b, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context, e ev) error { return nil })})
		src := newFakeStream(s.clock)
		src.put("k")
		payload := esmEvent([]streamRecord{parseRecord(src.recs[0])})
		b.ResetTimer()
		for range b.N {
			if _, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f", Payload: payload}); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	})
}
