package lambda

import (
	"context"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// newTestService returns a service on a manual clock, closed when the test
// ends, with /tmp directories under the test's temporary directory.
func newTestService(t testing.TB, opts Options) (*Service, *clock.Manual) {
	t.Helper()
	c, _ := opts.Clock.(*clock.Manual)
	if c == nil {
		c = clock.NewManual(epoch)
		opts.Clock = c
	}
	if opts.TmpDir == "" {
		opts.TmpDir = t.TempDir()
	}
	s := New(opts)
	t.Cleanup(func() { s.Close() })
	return s, c
}

// mustCreate creates a function with handler h and the given settings.
func mustCreate(t testing.TB, s *Service, in *CreateFunctionInput) *Function {
	t.Helper()
	out, err := s.CreateFunction(context.Background(), in)
	if err != nil {
		t.Fatalf("CreateFunction(%s): %v", in.FunctionName, err)
	}
	return out.Function
}

func echo(ctx context.Context, in map[string]any) (map[string]any, error) { return in, nil }

func invoke(t testing.TB, s *Service, in *InvokeInput) *InvokeOutput {
	t.Helper()
	out, err := s.Invoke(context.Background(), in)
	if err != nil {
		t.Fatalf("Invoke(%s): %v", in.FunctionName, err)
	}
	return out
}

// logBuffer is a slog handler that keeps the messages it receives.
type logBuffer struct {
	mu    sync.Mutex
	lines []string
	attrs []map[string]string
}

func (b *logBuffer) Enabled(context.Context, slog.Level) bool { return true }
func (b *logBuffer) Handle(_ context.Context, r slog.Record) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.lines = append(b.lines, r.Message)
	m := map[string]string{}
	r.Attrs(func(a slog.Attr) bool { m[a.Key] = a.Value.String(); return true })
	b.attrs = append(b.attrs, m)
	return nil
}
func (b *logBuffer) WithAttrs([]slog.Attr) slog.Handler { return b }
func (b *logBuffer) WithGroup(string) slog.Handler      { return b }

func (b *logBuffer) text() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

func (b *logBuffer) find(prefix string) []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, l := range b.lines {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return out
}

// waitFor blocks until the manual clock has n timers pending, failing the
// test after a real-time guard (never a sleep).
func waitFor(t testing.TB, c *clock.Manual, n int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := c.BlockUntil(ctx, n); err != nil {
		t.Fatalf("BlockUntil(%d): %v (pending %d)", n, err, c.Pending())
	}
}

// settle yields until no invocation is running: a handler has returned
// but its environment and concurrency are released just after.
func settle(s *Service) {
	for s.AccountMetrics().ConcurrentExecutions != 0 {
		runtime.Gosched()
	}
}
