package apigw

import (
	"context"
	"log/slog"
	"sync"
)

// captureHandler keeps the messages of log records.
type captureHandler struct {
	mu    *sync.Mutex
	lines *[]string
}

func newCaptureLogger(lines *[]string) *slog.Logger {
	return slog.New(captureHandler{mu: &sync.Mutex{}, lines: lines})
}

func (h captureHandler) Enabled(context.Context, slog.Level) bool { return true }
func (h captureHandler) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	msg := r.Message
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == "reason" {
			msg += " reason=" + a.Value.String()
		}
		return true
	})
	*h.lines = append(*h.lines, msg)
	return nil
}
func (h captureHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h captureHandler) WithGroup(string) slog.Handler      { return h }
