package lambda

import (
	"context"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/minicloud/minicloud/clock"
)

// BenchmarkESMParallel_Records measures records delivered from one shard
// through a mapping in batches of 100, with ParallelizationFactor 1 (one
// batch at a time) beside 4 and 10 (lanes by partition key).
func BenchmarkESMParallel_Records(b *testing.B) {
	type ev struct{ Records []struct{} }
	for _, factor := range []int{1, 4, 10} {
		b.Run("factor"+strconv.Itoa(factor), func(b *testing.B) {
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
				keys[i] = "k" + strconv.Itoa(i%1000)
			}
			b.ResetTimer()
			src.put(keys...)
			if _, err := s.CreateEventSourceMapping(context.Background(), &CreateEventSourceMappingInput{
				FunctionName: "f", Source: src, StartingPosition: StartingPositionTrimHorizon, ParallelizationFactor: &factor,
			}); err != nil {
				b.Fatal(err)
			}
			<-done
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
		})
	}
}
