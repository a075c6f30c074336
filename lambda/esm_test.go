package lambda

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// fakeStream is a one-shard stream of DynamoDB-shaped records.
type fakeStream struct {
	clk     clock.Clock
	mu      sync.Mutex
	recs    []json.RawMessage
	closed  bool // the shard is closed: Records ends with next ""
	changed chan struct{}
}

func newFakeStream(clk clock.Clock) *fakeStream {
	return &fakeStream{clk: clk, changed: make(chan struct{})}
}

func (f *fakeStream) ARN() string {
	return "arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/2025-01-01T00:00:00.000"
}

func (f *fakeStream) put(keys ...string) {
	f.mu.Lock()
	for _, k := range keys {
		seq := fmt.Sprintf("%021d", len(f.recs)+1)
		r := fmt.Sprintf(`{"eventSource":"aws:dynamodb","eventName":"INSERT","eventSourceARN":%q,"dynamodb":{"Keys":{"id":{"S":%q}},"SequenceNumber":%q,"ApproximateCreationDateTime":%d}}`,
			f.ARN(), k, seq, f.clk.Now().Unix())
		f.recs = append(f.recs, json.RawMessage(r))
	}
	close(f.changed)
	f.changed = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeStream) Shards(context.Context) ([]string, []string, error) {
	return []string{"shardId-1"}, []string{""}, nil
}

func (f *fakeStream) ShardIterator(_ context.Context, shard, typ, seq string) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch typ {
	case StartingPositionTrimHorizon:
		return "0", nil
	case StartingPositionLatest:
		return strconv.Itoa(len(f.recs)), nil
	case "AFTER_SEQUENCE_NUMBER":
		n, _ := strconv.Atoi(seq)
		return strconv.Itoa(n), nil
	}
	return "", fmt.Errorf("bad iterator type %s", typ)
}

func (f *fakeStream) Records(_ context.Context, it string, limit int) ([]json.RawMessage, string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	pos, _ := strconv.Atoi(it)
	end := min(len(f.recs), pos+limit)
	next := strconv.Itoa(end)
	if f.closed && end == len(f.recs) {
		next = ""
	}
	return append([]json.RawMessage(nil), f.recs[pos:end]...), next, nil
}

func (f *fakeStream) Changed() <-chan struct{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.changed
}

// batchFn is a function whose invocations the test answers one by one.
type batchFn struct {
	got   chan []string
	reply chan string // "" succeeds, "fail" errors, else the payload
}

func newBatchFn() *batchFn { return &batchFn{got: make(chan []string), reply: make(chan string)} }

func (b *batchFn) handler() any {
	return func(ctx context.Context, ev struct {
		Records []struct {
			Dynamodb struct {
				Keys struct {
					ID struct{ S string } `json:"id"`
				}
			} `json:"dynamodb"`
		}
	}) (json.RawMessage, error) {
		var keys []string
		for _, r := range ev.Records {
			keys = append(keys, r.Dynamodb.Keys.ID.S)
		}
		b.got <- keys
		switch r := <-b.reply; r {
		case "":
			return json.RawMessage(`{}`), nil
		case "fail":
			return nil, errors.New("bad record")
		default:
			return json.RawMessage(r), nil
		}
	}
}

// next waits for an invocation and answers it.
func (b *batchFn) next(t *testing.T, answer string) []string {
	t.Helper()
	select {
	case keys := <-b.got:
		b.reply <- answer
		return keys
	case <-time.After(10 * time.Second):
		t.Fatal("no invocation")
		return nil
	}
}

type collect struct {
	mu   sync.Mutex
	msgs []StreamFailureRecord
}

func (c *collect) Send(_ context.Context, msg []byte, _ map[string]string) error {
	var r StreamFailureRecord
	if err := json.Unmarshal(msg, &r); err != nil {
		return err
	}
	c.mu.Lock()
	c.msgs = append(c.msgs, r)
	c.mu.Unlock()
	return nil
}

func ptr[T any](v T) *T { return &v }

func setupESM(t *testing.T, in CreateEventSourceMappingInput) (*Service, *clock.Manual, *fakeStream, *batchFn, *EventSourceMappingConfiguration) {
	t.Helper()
	s, c := newTestService(t, Options{})
	fn := newBatchFn()
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 900, Handler: Handler(fn.handler())})
	src := newFakeStream(c)
	in.FunctionName, in.Source = "f", src
	if in.StartingPosition == "" {
		in.StartingPosition = StartingPositionTrimHorizon
	}
	out, err := s.CreateEventSourceMapping(context.Background(), &in)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, src, fn, out
}

// advanceRetry lets the poller's retry wait elapse: it waits for the
// sleeper (beside the environment's idle timer) and moves the clock.
func advanceRetry(t *testing.T, c *clock.Manual) {
	t.Helper()
	waitFor(t, c, 2)
	c.Advance(time.Minute)
}

func TestESM_DeliversInOrderInBatches(t *testing.T) {
	_, _, src, fn, out := setupESM(t, CreateEventSourceMappingInput{BatchSize: ptr(2)})
	if out.State != ESMStateCreating || out.BatchSize != 2 || out.MaximumRetryAttempts != -1 {
		t.Fatalf("create output %+v", out)
	}
	src.put("a", "b", "c")
	if got := fn.next(t, ""); strings.Join(got, ",") != "a,b" {
		t.Fatalf("first batch %v", got)
	}
	if got := fn.next(t, ""); strings.Join(got, ",") != "c" {
		t.Fatalf("second batch %v", got)
	}
	src.put("d")
	if got := fn.next(t, ""); strings.Join(got, ",") != "d" {
		t.Fatalf("third batch %v", got)
	}
}

func TestESM_BisectsUntilBadRecordGoesToOnFailure(t *testing.T) {
	dest := &collect{}
	_, c, src, fn, _ := setupESM(t, CreateEventSourceMappingInput{
		BisectBatchOnFunctionError: ptr(true), MaximumRetryAttempts: ptr(1),
		DestinationConfig: &DestinationConfig{OnFailure: &OnFailure{Destination: dest}},
	})
	src.put("a", "b", "bad", "d")
	steps := []struct {
		want, answer string
		wait         bool // the poller waits before its next attempt
	}{
		{"a,b,bad,d", "fail", true}, // split, not counted
		{"a,b", "", false},
		{"bad,d", "fail", true}, // split
		{"bad", "fail", true},   // attempt 1
		{"bad", "fail", false},  // attempt 2 > MaximumRetryAttempts: given up
		{"d", "", false},
	}
	for i, st := range steps {
		var keys []string
		select {
		case keys = <-fn.got:
		case <-time.After(10 * time.Second):
			t.Fatalf("invocation %d missing", i)
		}
		if strings.Join(keys, ",") != st.want {
			t.Fatalf("invocation %d = %v, want %s", i, keys, st.want)
		}
		fn.reply <- st.answer
		if st.wait {
			advanceRetry(t, c)
		}
	}
	dest.mu.Lock()
	defer dest.mu.Unlock()
	if len(dest.msgs) != 1 {
		t.Fatalf("failure records %+v", dest.msgs)
	}
	r := dest.msgs[0]
	if r.RequestContext.Condition != ConditionRetryAttemptsExhausted || r.RequestContext.ApproximateInvokeCount != 2 ||
		r.DDBStreamBatchInfo == nil || r.DDBStreamBatchInfo.BatchSize != 1 || r.DDBStreamBatchInfo.StartSequenceNumber != fmt.Sprintf("%021d", 3) ||
		r.ResponseContext == nil || r.ResponseContext.FunctionError != FunctionErrorUnhandled {
		t.Fatalf("failure record %+v %+v", r, r.DDBStreamBatchInfo)
	}
}

func TestESM_ReportBatchItemFailuresRestartsAtFirstFailure(t *testing.T) {
	_, c, src, fn, _ := setupESM(t, CreateEventSourceMappingInput{FunctionResponseTypes: []string{FunctionResponseTypeReportBatchItemFailures}})
	src.put("a", "b", "c")
	if got := fn.next(t, fmt.Sprintf(`{"batchItemFailures":[{"itemIdentifier":"%021d"}]}`, 2)); len(got) != 3 {
		t.Fatalf("first %v", got)
	}
	advanceRetry(t, c)
	if got := fn.next(t, `{"batchItemFailures":[]}`); strings.Join(got, ",") != "b,c" {
		t.Fatalf("retry %v", got)
	}
}

func TestESM_BatchingWindowWaitsOnClock(t *testing.T) {
	_, c, src, fn, _ := setupESM(t, CreateEventSourceMappingInput{BatchSize: ptr(10), MaximumBatchingWindowInSeconds: ptr(5)})
	src.put("a")
	waitFor(t, c, 1)
	src.put("b")
	waitFor(t, c, 1)
	c.Advance(5 * time.Second)
	if got := fn.next(t, ""); strings.Join(got, ",") != "a,b" {
		t.Fatalf("batch %v", got)
	}
}

func TestESM_RecordAgeExceededGoesToOnFailure(t *testing.T) {
	dest := &collect{}
	_, c, src, fn, _ := setupESM(t, CreateEventSourceMappingInput{
		MaximumRecordAgeInSeconds: ptr(60),
		DestinationConfig:         &DestinationConfig{OnFailure: &OnFailure{Destination: dest}},
	})
	src.put("a")
	fn.next(t, "fail")
	advanceRetry(t, c) // one minute: still 60 s old, not older
	fn.next(t, "fail")
	advanceRetry(t, c)
	src.put("b")
	if got := fn.next(t, ""); strings.Join(got, ",") != "b" {
		t.Fatalf("after expiry %v", got)
	}
	dest.mu.Lock()
	defer dest.mu.Unlock()
	if len(dest.msgs) != 1 || dest.msgs[0].RequestContext.Condition != ConditionRecordAgeExceeded {
		t.Fatalf("failure records %+v", dest.msgs)
	}
}

func TestESM_LatestSkipsEarlierRecordsAndDisableResumes(t *testing.T) {
	s, c := newTestService(t, Options{})
	fn := newBatchFn()
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 900, Handler: Handler(fn.handler())})
	src := newFakeStream(c)
	src.put("old")
	ctx := context.Background()
	m, err := s.CreateEventSourceMapping(ctx, &CreateEventSourceMappingInput{FunctionName: "f", Source: src, StartingPosition: StartingPositionLatest})
	if err != nil {
		t.Fatal(err)
	}
	src.put("new")
	if got := fn.next(t, ""); strings.Join(got, ",") != "new" {
		t.Fatalf("LATEST delivered %v", got)
	}
	if _, err := s.UpdateEventSourceMapping(ctx, &UpdateEventSourceMappingInput{UUID: m.UUID, Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if g, _ := s.GetEventSourceMapping(ctx, m.UUID); g.State != ESMStateDisabled {
		t.Fatalf("state %s", g.State)
	}
	src.put("while-disabled")
	if _, err := s.UpdateEventSourceMapping(ctx, &UpdateEventSourceMappingInput{UUID: m.UUID, Enabled: ptr(true)}); err != nil {
		t.Fatal(err)
	}
	if got := fn.next(t, ""); strings.Join(got, ",") != "while-disabled" {
		t.Fatalf("after re-enable %v", got)
	}
	if _, err := s.DeleteEventSourceMapping(ctx, m.UUID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetEventSourceMapping(ctx, m.UUID); !errors.Is(err, ErrResourceNotFound) {
		t.Fatalf("Get after delete: %v", err)
	}
}

func TestESM_Validation(t *testing.T) {
	s, c := newTestService(t, Options{})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	src := newFakeStream(c)
	ctx := context.Background()
	tests := []struct {
		name string
		in   CreateEventSourceMappingInput
		want *Error
	}{
		{"no starting position", CreateEventSourceMappingInput{}, ErrInvalidParameterValue},
		{"bad starting position", CreateEventSourceMappingInput{StartingPosition: "AT_TIMESTAMP"}, ErrInvalidParameterValue},
		{"batch size 0", CreateEventSourceMappingInput{StartingPosition: "LATEST", BatchSize: ptr(0)}, ErrInvalidParameterValue},
		{"batch size 10001", CreateEventSourceMappingInput{StartingPosition: "LATEST", BatchSize: ptr(10001)}, ErrInvalidParameterValue},
		{"window 301", CreateEventSourceMappingInput{StartingPosition: "LATEST", MaximumBatchingWindowInSeconds: ptr(301)}, ErrInvalidParameterValue},
		{"parallelization 11", CreateEventSourceMappingInput{StartingPosition: "LATEST", ParallelizationFactor: ptr(11)}, ErrInvalidParameterValue},
		{"retries -2", CreateEventSourceMappingInput{StartingPosition: "LATEST", MaximumRetryAttempts: ptr(-2)}, ErrInvalidParameterValue},
		{"record age 59", CreateEventSourceMappingInput{StartingPosition: "LATEST", MaximumRecordAgeInSeconds: ptr(59)}, ErrInvalidParameterValue},
		{"record age 604801", CreateEventSourceMappingInput{StartingPosition: "LATEST", MaximumRecordAgeInSeconds: ptr(604801)}, ErrInvalidParameterValue},
		{"response type", CreateEventSourceMappingInput{StartingPosition: "LATEST", FunctionResponseTypes: []string{"X"}}, ErrInvalidParameterValue},
		{"no function", CreateEventSourceMappingInput{StartingPosition: "LATEST", FunctionName: "missing"}, ErrResourceNotFound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := tt.in
			in.Source = src
			if in.FunctionName == "" {
				in.FunctionName = "f"
			}
			if _, err := s.CreateEventSourceMapping(ctx, &in); !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want.Code)
			}
		})
	}
	if _, err := s.CreateEventSourceMapping(ctx, &CreateEventSourceMappingInput{FunctionName: "f", Source: src, StartingPosition: "LATEST", Enabled: ptr(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateEventSourceMapping(ctx, &CreateEventSourceMappingInput{FunctionName: "f", Source: src, StartingPosition: "LATEST"}); !errors.Is(err, ErrResourceConflict) {
		t.Fatalf("duplicate: %v", err)
	}
	l, err := s.ListEventSourceMappings(ctx, &ListEventSourceMappingsInput{FunctionName: "f"})
	if err != nil || len(l.EventSourceMappings) != 1 || l.EventSourceMappings[0].State != ESMStateDisabled {
		t.Fatalf("list %+v %v", l, err)
	}
}

func TestESM_CloseStopsPollers(t *testing.T) {
	before := runtime.NumGoroutine()
	s := New(Options{Clock: clock.NewManual(epoch), TmpDir: t.TempDir()})
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Handler: Handler(echo)})
	for i := range 5 {
		src := newFakeStream(s.clock)
		src.put("x")
		fnName := "f"
		if _, err := s.CreateEventSourceMapping(context.Background(), &CreateEventSourceMappingInput{
			FunctionName: fnName, EventSourceArn: "", Source: &renamed{src, i}, StartingPosition: StartingPositionTrimHorizon,
		}); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	for range 100 {
		if runtime.NumGoroutine() <= before {
			return
		}
		runtime.Gosched()
	}
	t.Fatalf("goroutines: %d before, %d after Close", before, runtime.NumGoroutine())
}

// renamed gives a fake stream its own ARN.
type renamed struct {
	*fakeStream
	n int
}

func (r *renamed) ARN() string { return r.fakeStream.ARN() + strconv.Itoa(r.n) }
