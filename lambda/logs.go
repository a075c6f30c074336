package lambda

import (
	"context"
	"encoding/base64"
	"fmt"
	"log/slog"
	"runtime/metrics"
	"strings"
	"sync"
	"time"
)

// invocationLog collects what one invocation writes to its log stream:
// Lambda's START, END and REPORT lines and the handler's own lines. Each
// line goes to the service's slog logger when it is enabled, and is kept
// for LogType Tail when the caller asked for it.
type invocationLog struct {
	logger  *slog.Logger // nil when the service logger is disabled
	attrs   []slog.Attr
	capture bool

	mu  sync.Mutex
	buf []byte
}

// newInvocationLog returns nil when nothing would read the log.
func (s *Service) newInvocationLog(ctx context.Context, fn, version, requestID string, capture bool) *invocationLog {
	var logger *slog.Logger
	if s.logger.Enabled(ctx, slog.LevelInfo) {
		logger = s.logger
	}
	if logger == nil && !capture {
		return nil
	}
	return &invocationLog{
		logger:  logger,
		capture: capture,
		attrs: []slog.Attr{
			slog.String("function", fn),
			slog.String("version", version),
			slog.String("requestId", requestID),
		},
	}
}

// setStream tags the log's records with the environment's log stream,
// once it is known.
func (l *invocationLog) setStream(stream string) {
	if l != nil {
		l.attrs = append(l.attrs, slog.String("logStream", stream))
	}
}

// system writes a line of Lambda's own (START, END, REPORT, errors).
func (l *invocationLog) system(level slog.Level, line string) {
	if l == nil {
		return
	}
	l.keep(line)
	if l.logger != nil {
		l.logger.LogAttrs(context.Background(), level, line, l.attrs...)
	}
}

func (l *invocationLog) keep(line string) {
	if !l.capture {
		return
	}
	l.mu.Lock()
	l.buf = append(l.buf, line...)
	l.buf = append(l.buf, '\n')
	l.mu.Unlock()
}

// tail returns the last n bytes of the log, base64-encoded, as Invoke's
// LogResult.
func (l *invocationLog) tail(n int) string {
	if l == nil || !l.capture {
		return ""
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.buf
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return base64.StdEncoding.EncodeToString(b)
}

// report is what the REPORT line says about one invocation.
type report struct {
	requestID    string
	duration     time.Duration
	billed       time.Duration
	memoryMB     int
	initDuration time.Duration // 0 on a warm start
	status       string        // "" or "timeout" / "error"
}

func startLine(requestID, version string) string {
	return "START RequestId: " + requestID + " Version: " + version
}

func endLine(requestID string) string { return "END RequestId: " + requestID }

// line formats REPORT as Lambda does: tab-separated fields, durations in
// milliseconds with two decimals, billed duration in whole milliseconds.
func (r report) line() string {
	var b strings.Builder
	fmt.Fprintf(&b, "REPORT RequestId: %s\tDuration: %.2f ms\tBilled Duration: %d ms\tMemory Size: %d MB\tMax Memory Used: %d MB\t",
		r.requestID, ms(r.duration), r.billed.Milliseconds(), r.memoryMB, maxMemoryUsedMB(r.memoryMB))
	if r.initDuration > 0 {
		fmt.Fprintf(&b, "Init Duration: %.2f ms\t", ms(r.initDuration))
	}
	if r.status != "" {
		fmt.Fprintf(&b, "Status: %s\t", r.status)
	}
	return b.String()
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// billedDuration rounds up to the next millisecond, with a 1 ms minimum:
// Lambda bills in 1 ms units.
func billedDuration(d time.Duration) time.Duration {
	b := (d + time.Millisecond - 1) / time.Millisecond * time.Millisecond
	if b < time.Millisecond {
		b = time.Millisecond
	}
	return b
}

// maxMemoryUsedMB approximates Max Memory Used with the Go heap of the
// whole process (every environment shares it), capped at the function's
// memory size.
func maxMemoryUsedMB(memoryMB int) int {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	used := 1
	if sample[0].Value.Kind() == metrics.KindUint64 {
		used = int(sample[0].Value.Uint64()>>20) + 1
	}
	return min(used, memoryMB)
}

// handlerLogHandler is the slog.Handler behind [Logger].
type handlerLogHandler struct {
	log    *invocationLog
	attrs  []slog.Attr
	prefix string
}

func (h *handlerLogHandler) Enabled(context.Context, slog.Level) bool { return true }

func (h *handlerLogHandler) Handle(ctx context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Level.String())
	b.WriteByte(' ')
	b.WriteString(r.Message)
	write := func(prefix string, a slog.Attr) {
		b.WriteByte(' ')
		b.WriteString(prefix + a.Key)
		b.WriteByte('=')
		b.WriteString(a.Value.String())
	}
	for _, a := range h.attrs {
		write("", a)
	}
	var own []slog.Attr
	r.Attrs(func(a slog.Attr) bool {
		write(h.prefix, a)
		own = append(own, slog.Attr{Key: h.prefix + a.Key, Value: a.Value})
		return true
	})
	h.log.keep(b.String())
	if h.log.logger != nil {
		r2 := slog.NewRecord(r.Time, r.Level, r.Message, r.PC)
		r2.AddAttrs(h.attrs...)
		r2.AddAttrs(own...)
		r2.AddAttrs(h.log.attrs...)
		return h.log.logger.Handler().Handle(ctx, r2)
	}
	return nil
}

func (h *handlerLogHandler) WithAttrs(as []slog.Attr) slog.Handler {
	h2 := *h
	h2.attrs = append(append([]slog.Attr(nil), h.attrs...), prefixed(h.prefix, as)...)
	return &h2
}

func (h *handlerLogHandler) WithGroup(name string) slog.Handler {
	if name == "" {
		return h
	}
	h2 := *h
	h2.prefix = h.prefix + name + "."
	return &h2
}

func prefixed(prefix string, as []slog.Attr) []slog.Attr {
	if prefix == "" {
		return as
	}
	out := make([]slog.Attr, len(as))
	for i, a := range as {
		out[i] = slog.Attr{Key: prefix + a.Key, Value: a.Value}
	}
	return out
}

// logWriter is the io.Writer behind [LogWriter]: each line written is one
// log line.
type logWriter struct{ log *invocationLog }

func (w logWriter) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		w.log.keep(line)
		if w.log.logger != nil {
			w.log.logger.LogAttrs(context.Background(), slog.LevelInfo, line, w.log.attrs...)
		}
	}
	return len(p), nil
}
