package lambda

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
)

func trivial(ctx context.Context, o order) (receipt, error) {
	return receipt{OrderID: o.ID}, nil
}

// direct calls trivial with the same JSON round trip a Lambda handler
// gets: decode the payload, call, encode without HTML escaping.
func direct(ctx context.Context, payload []byte) ([]byte, error) {
	var o order
	if err := json.NewDecoder(bytes.NewReader(payload)).Decode(&o); err != nil {
		return nil, err
	}
	r, err := trivial(ctx, o)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(r); err != nil {
		return nil, err
	}
	return buf.Bytes()[:buf.Len()-1], nil
}

var benchPayload = []byte(`{"id":"o-123","total":42.5}`)

// benchService runs on the real clock, as a service does outside tests.
func benchService(b *testing.B, code *Code) *Function {
	s := New(Options{TmpDir: b.TempDir()})
	b.Cleanup(func() { s.Close() })
	return mustCreate(b, s, &CreateFunctionInput{FunctionName: "f", Handler: code})
}

// BenchmarkInvoke is a synchronous invocation of a trivial handler,
// beside a direct call with the same JSON round trip.
func BenchmarkInvoke(b *testing.B) {
	ctx := context.Background()
	b.Run("minicloud", func(b *testing.B) {
		f := benchService(b, Handler(trivial))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.Invoke(ctx, benchPayload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("minicloud-typed", func(b *testing.B) {
		f := benchService(b, Typed(trivial))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := f.Invoke(ctx, benchPayload); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := direct(ctx, benchPayload); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkInvokeParallel measures throughput with every core invoking.
func BenchmarkInvokeParallel(b *testing.B) {
	ctx := context.Background()
	b.Run("minicloud", func(b *testing.B) {
		f := benchService(b, Handler(trivial))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := f.Invoke(ctx, benchPayload); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				if _, err := direct(ctx, benchPayload); err != nil {
					b.Fatal(err)
				}
			}
		})
	})
}

// BenchmarkInvokeAsync measures queueing an event and running it.
func BenchmarkInvokeAsync(b *testing.B) {
	s, _ := newTestService(b, Options{})
	mustCreate(b, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(trivial)})
	ctx := context.Background()
	in := &InvokeInput{FunctionName: "f", InvocationType: InvocationTypeEvent, Payload: benchPayload}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Invoke(ctx, in); err != nil {
			b.Fatal(err)
		}
	}
	s.WaitAsync(ctx)
}

// BenchmarkColdStart measures creating an execution environment: each
// iteration invokes a fresh function version.
func BenchmarkColdStart(b *testing.B) {
	s, _ := newTestService(b, Options{Limits: Limits{ScalingRate: 1 << 30}})
	mustCreate(b, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(trivial)})
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		s.UpdateFunctionConfiguration(ctx, &UpdateFunctionConfigurationInput{FunctionName: "f", Timeout: 3})
		b.StartTimer()
		if _, err := s.Invoke(ctx, &InvokeInput{FunctionName: "f", Payload: benchPayload}); err != nil {
			b.Fatal(err)
		}
	}
}
