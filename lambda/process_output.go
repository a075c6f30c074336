package lambda

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"strings"
	"sync"
)

// procOutput turns the bytes a process writes to stdout and stderr into
// lines of the function's log: the current invocation's while one runs,
// else the environment's stream.
type procOutput struct {
	r, w *os.File // the pipe; the parent keeps w open to write flush marks
	e    *environment

	flushMu sync.Mutex // one flush at a time, so marks and waiters pair up
	mu      sync.Mutex
	log     *invocationLog
	flushes []chan struct{} // waiting for their mark, oldest first
	done    bool
	closed  bool
	ended   chan struct{}
}

// flushMark is what flush writes into the pipe behind the process's
// output. Writes of up to 4 KB are atomic, so it arrives whole, in order.
const flushMark = "\x00minicloud-runtime-flush\x00"

func newProcOutput(r, w *os.File, e *environment) *procOutput {
	return &procOutput{r: r, w: w, e: e, ended: make(chan struct{})}
}

func (o *procOutput) setLog(l *invocationLog) {
	o.mu.Lock()
	o.log = l
	o.mu.Unlock()
}

// line writes one line to the log.
func (o *procOutput) line(s string) {
	o.mu.Lock()
	l := o.log
	o.mu.Unlock()
	if l != nil {
		l.keep(s)
		if l.logger != nil {
			l.logger.LogAttrs(context.Background(), slog.LevelInfo, s, l.attrs...)
		}
		return
	}
	v := o.e.pool.v
	lg := o.e.pool.s.logger
	if lg.Enabled(context.Background(), slog.LevelInfo) {
		lg.LogAttrs(context.Background(), slog.LevelInfo, s,
			slog.String("function", v.fn.name), slog.String("version", v.number), slog.String("logStream", o.e.stream))
	}
}

// pump reads the output until the pipe is closed, logging each line and
// acknowledging each flush mark it meets.
func (o *procOutput) pump() {
	defer close(o.ended)
	buf := make([]byte, 32<<10)
	var pending []byte
	for {
		n, err := o.r.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, []byte(flushMark))
			if i < 0 {
				break
			}
			pending = append(pending[:i], pending[i+len(flushMark):]...)
			o.logLines(&pending, i)
			o.mu.Lock()
			if len(o.flushes) > 0 {
				close(o.flushes[0])
				o.flushes = o.flushes[1:]
			}
			o.mu.Unlock()
		}
		o.logLines(&pending, len(pending))
		if err != nil {
			if len(pending) > 0 {
				o.line(string(pending))
			}
			o.mu.Lock()
			o.done = true
			for _, ch := range o.flushes {
				close(ch)
			}
			o.flushes = nil
			o.mu.Unlock()
			return
		}
	}
}

// logLines logs the complete lines among the first n bytes of *b and
// keeps the rest.
func (o *procOutput) logLines(b *[]byte, n int) {
	start := 0
	for {
		i := bytes.IndexByte((*b)[start:n], '\n')
		if i < 0 {
			break
		}
		o.line(strings.TrimSuffix(string((*b)[start:start+i]), "\r"))
		start += i + 1
	}
	*b = append((*b)[:0], (*b)[start:]...)
}

// flush waits until everything the process wrote before the call is
// logged: it writes a mark behind it and waits for the pump to read it.
func (o *procOutput) flush() {
	o.flushMu.Lock()
	defer o.flushMu.Unlock()
	o.mu.Lock()
	if o.done || o.closed {
		o.mu.Unlock()
		return
	}
	ch := make(chan struct{})
	o.flushes = append(o.flushes, ch)
	o.mu.Unlock()
	// Written without o.mu: the pump may need it to make room in the pipe.
	if _, err := o.w.Write([]byte(flushMark)); err != nil {
		o.mu.Lock()
		if n := len(o.flushes); n > 0 && o.flushes[n-1] == ch {
			o.flushes = o.flushes[:n-1]
			close(ch)
		}
		o.mu.Unlock()
	}
	<-ch
}

// close flushes what is left and closes the pipe, even if a child of the
// process still holds it open.
func (o *procOutput) close() {
	o.flush()
	o.flushMu.Lock()
	defer o.flushMu.Unlock()
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	o.w.Close()
	o.r.Close()
	<-o.ended
}
