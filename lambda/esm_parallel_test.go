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
	"sync/atomic"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// parCall is one invocation of a parFn, waiting for its answer.
type parCall struct {
	keys, seqs []string
	reply      chan string // "" succeeds, "fail" errors
}

// parFn is a function whose concurrent invocations the test answers
// each on its own.
type parFn struct{ got chan parCall }

type parEvent struct {
	Records []struct {
		Dynamodb struct {
			Keys struct {
				ID struct{ S string } `json:"id"`
			}
			SequenceNumber string
		} `json:"dynamodb"`
	}
}

func (e parEvent) split() (keys, seqs []string) {
	for _, r := range e.Records {
		keys = append(keys, r.Dynamodb.Keys.ID.S)
		seqs = append(seqs, r.Dynamodb.SequenceNumber)
	}
	return keys, seqs
}

func (p *parFn) handler(ctx context.Context, ev parEvent) error {
	keys, seqs := ev.split()
	c := parCall{keys: keys, seqs: seqs, reply: make(chan string)}
	p.got <- c
	if <-c.reply == "fail" {
		return errors.New("bad record")
	}
	return nil
}

// take waits for n invocations, running at the same time, and returns
// them by their first key.
func (p *parFn) take(t *testing.T, n int) map[string]parCall {
	t.Helper()
	out := make(map[string]parCall)
	for range n {
		select {
		case c := <-p.got:
			out[c.keys[0]] = c
		case <-time.After(10 * time.Second):
			t.Fatalf("%d invocations of %d", len(out), n)
		}
	}
	return out
}

func setupParallel(t *testing.T, in CreateEventSourceMappingInput) (*Service, *clock.Manual, *fakeStream, *parFn, *mapping) {
	t.Helper()
	s, c := newTestService(t, Options{})
	fn := &parFn{got: make(chan parCall)}
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 900, Handler: Handler(fn.handler)})
	src := newFakeStream(c)
	in.FunctionName, in.Source, in.StartingPosition = "f", src, StartingPositionTrimHorizon
	out, err := s.CreateEventSourceMapping(context.Background(), &in)
	if err != nil {
		t.Fatal(err)
	}
	m, err := s.esm.get(out.UUID)
	if err != nil {
		t.Fatal(err)
	}
	return s, c, src, fn, m
}

// keysInLanes returns a key for each of the n lanes of the fake stream's
// records: key i is processed by lane i.
func keysInLanes(prefix string, n int) []string {
	out := make([]string, n)
	found := 0
	for i := 0; found < n; i++ {
		k := prefix + strconv.Itoa(i)
		raw := fmt.Sprintf(`{"eventSource":"aws:dynamodb","dynamodb":{"Keys":{"id":{"S":%q}}}}`, k)
		if l := laneOf(partitionKey(json.RawMessage(raw)), n); out[l] == "" {
			out[l] = k
			found++
		}
	}
	return out
}

// checkpointOf reads the mapping's checkpoint in the fake stream's shard.
func checkpointOf(m *mapping) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	if st := m.shards["shardId-1"]; st != nil {
		return st.lastSeq
	}
	return ""
}

// waitCheckpoint yields until the checkpoint is want, with a real-time
// guard.
func waitCheckpoint(t *testing.T, m *mapping, want string) {
	t.Helper()
	guard := time.Now().Add(10 * time.Second)
	for checkpointOf(m) != want {
		if time.Now().After(guard) {
			t.Fatalf("checkpoint %q, want %q", checkpointOf(m), want)
		}
		runtime.Gosched()
	}
}

func seq(n int) string { return fmt.Sprintf("%021d", n) }

// envCount is the number of execution environments of f's $LATEST.
func envCount(s *Service) int {
	s.mu.RLock()
	p := s.functions["f"].latest.pool
	s.mu.RUnlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.all)
}

func TestESMParallel_RunsUpToFactorBatchesOfOneShardAtOnce(t *testing.T) {
	for _, n := range []int{1, 4} {
		t.Run("factor"+strconv.Itoa(n), func(t *testing.T) {
			s, _, src, fn, m := setupParallel(t, CreateEventSourceMappingInput{BatchSize: ptr(1), ParallelizationFactor: ptr(n)})
			keys := keysInLanes("k", 4)
			// Two records of each of four keys, one in each of four lanes.
			src.put(append(keys, keys...)...)
			seen := make(map[string][]string)
			for len(seen) < 4 || len(seen[keys[0]])+len(seen[keys[1]])+len(seen[keys[2]])+len(seen[keys[3]]) < 8 {
				wave := fn.take(t, n)
				if got := s.Metrics("f", "").ConcurrentExecutions; got != int64(n) {
					t.Fatalf("%d invocations running, want %d", got, n)
				}
				for k, c := range wave {
					seen[k] = append(seen[k], c.seqs...)
				}
				for _, c := range wave {
					c.reply <- ""
				}
			}
			if got := s.Metrics("f", "").MaxConcurrentExecutions; got != int64(n) {
				t.Fatalf("MaxConcurrentExecutions %d, want %d", got, n)
			}
			for i, k := range keys {
				if want := []string{seq(i + 1), seq(i + 5)}; strings.Join(seen[k], ",") != strings.Join(want, ",") {
					t.Fatalf("key %s got %v, want %v", k, seen[k], want)
				}
			}
			waitCheckpoint(t, m, seq(8))
		})
	}
}

func TestESMParallel_KeepsEachKeysOrderAcrossManyKeys(t *testing.T) {
	const factor, nkeys, rounds = 10, 40, 10
	s, c := newTestService(t, Options{})
	var (
		mu      sync.Mutex
		perKey  = make(map[string][]int)
		total   atomic.Int64
		done    = make(chan struct{})
		running atomic.Int64
	)
	mustCreate(t, s, &CreateFunctionInput{FunctionName: "f", Timeout: 900, Handler: Handler(func(ctx context.Context, ev parEvent) error {
		running.Add(1)
		defer running.Add(-1)
		keys, seqs := ev.split()
		mu.Lock()
		for i, k := range keys {
			n, _ := strconv.Atoi(seqs[i])
			perKey[k] = append(perKey[k], n)
		}
		mu.Unlock()
		runtime.Gosched()
		if total.Add(int64(len(keys))) == nkeys*rounds {
			close(done)
		}
		return nil
	})})
	src := newFakeStream(c)
	out, err := s.CreateEventSourceMapping(context.Background(), &CreateEventSourceMappingInput{
		FunctionName: "f", Source: src, StartingPosition: StartingPositionTrimHorizon,
		BatchSize: ptr(3), ParallelizationFactor: ptr(factor),
	})
	if err != nil {
		t.Fatal(err)
	}
	keys := make([]string, nkeys)
	for i := range keys {
		keys[i] = "key" + strconv.Itoa(i)
	}
	for range rounds {
		src.put(keys...)
	}
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatalf("%d of %d records delivered", total.Load(), nkeys*rounds)
	}
	mu.Lock()
	for i, k := range keys {
		got := perKey[k]
		if len(got) != rounds {
			t.Fatalf("key %s delivered %d times: %v", k, len(got), got)
		}
		for r, n := range got {
			if want := r*nkeys + i + 1; n != want {
				t.Fatalf("key %s: delivery %d is record %d, want %d (%v)", k, r, n, want, got)
			}
		}
	}
	mu.Unlock()
	m, _ := s.esm.get(out.UUID)
	waitCheckpoint(t, m, seq(nkeys*rounds))
	if got := s.Metrics("f", "").MaxConcurrentExecutions; got > factor {
		t.Fatalf("MaxConcurrentExecutions %d > ParallelizationFactor %d", got, factor)
	}
}

func TestESMParallel_FailingKeyBlocksOnlyItsLane(t *testing.T) {
	s, c, src, fn, m := setupParallel(t, CreateEventSourceMappingInput{BatchSize: ptr(10), ParallelizationFactor: ptr(4)})
	k := keysInLanes("k", 4)
	bad, g1, g2 := k[0], k[1], k[2]
	src.put(bad, g1, bad, g2) // records 1 to 4
	wave := fn.take(t, 3)
	if got := strings.Join(wave[bad].keys, ","); got != bad+","+bad {
		t.Fatalf("failing lane's batch %v", got)
	}
	wave[bad].reply <- "fail"
	wave[g1].reply <- ""
	wave[g2].reply <- ""
	// The other lanes go on while the failing one waits to retry.
	src.put(g1, g2) // records 5 and 6
	next := fn.take(t, 2)
	if got := next[g1].seqs; len(got) != 1 || got[0] != seq(5) {
		t.Fatalf("g1 after the failure: %v", got)
	}
	next[g1].reply <- ""
	next[g2].reply <- ""
	settle(s)
	// Record 1 is not processed: the checkpoint cannot pass it.
	if cp := checkpointOf(m); cp != "" {
		t.Fatalf("checkpoint %q while record 1 is unprocessed", cp)
	}
	waitFor(t, c, envCount(s)+1)
	c.Advance(backoff(1))
	retry := fn.take(t, 1)
	if got := retry[bad].seqs; strings.Join(got, ",") != seq(1)+","+seq(3) {
		t.Fatalf("retried batch %v", got)
	}
	retry[bad].reply <- ""
	waitCheckpoint(t, m, seq(6))
}

func TestESMParallel_RestartResumesAtFirstUnfinishedRecord(t *testing.T) {
	s, _, src, fn, m := setupParallel(t, CreateEventSourceMappingInput{BatchSize: ptr(10), ParallelizationFactor: ptr(2)})
	k := keysInLanes("k", 2)
	src.put(k[0], k[1], k[1])
	wave := fn.take(t, 2)
	wave[k[1]].reply <- ""
	updated := make(chan struct{})
	go func() {
		// Disabling waits for the batch in flight, which the test
		// answers below.
		defer close(updated)
		if _, err := s.UpdateEventSourceMapping(context.Background(), &UpdateEventSourceMappingInput{UUID: m.snapshot().UUID, BatchSize: ptr(1)}); err != nil {
			t.Error(err)
		}
	}()
	wave[k[0]].reply <- "fail"
	<-updated
	// Restarted from the checkpoint: record 1 again, then the records of
	// the other lane, which are delivered a second time.
	again := fn.take(t, 2)
	if got := again[k[0]].seqs; len(got) != 1 || got[0] != seq(1) {
		t.Fatalf("lane 0 after restart %v", got)
	}
	if got := again[k[1]].seqs; len(got) != 1 || got[0] != seq(2) {
		t.Fatalf("lane 1 after restart %v", got)
	}
	again[k[0]].reply <- ""
	again[k[1]].reply <- ""
	last := fn.take(t, 1)
	last[k[1]].reply <- ""
	waitCheckpoint(t, m, seq(3))
}

func TestPartitionKey_IsTheItemKeyOrKinesisPartitionKey(t *testing.T) {
	tests := []struct {
		name, a, b string
		same       bool
	}{
		{"same item, other spacing and order",
			`{"dynamodb":{"Keys":{"pk":{"S":"a"},"sk":{"N":"1"}},"SequenceNumber":"1"}}`,
			`{"dynamodb":{"SequenceNumber":"2","Keys":{ "sk" : {"N":"1"}, "pk":{"S":"a"}}}}`, true},
		{"other item", `{"dynamodb":{"Keys":{"pk":{"S":"a"}}}}`, `{"dynamodb":{"Keys":{"pk":{"S":"b"}}}}`, false},
		{"kinesis", `{"kinesis":{"partitionKey":"p1","sequenceNumber":"1"}}`, `{"kinesis":{"partitionKey":"p1","sequenceNumber":"9"}}`, true},
		{"kinesis other key", `{"kinesis":{"partitionKey":"p1"}}`, `{"kinesis":{"partitionKey":"p2"}}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := partitionKey(json.RawMessage(tt.a)), partitionKey(json.RawMessage(tt.b))
			if a == "" || (a == b) != tt.same {
				t.Fatalf("keys %q and %q, same = %v", a, b, tt.same)
			}
		})
	}
}
