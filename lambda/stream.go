package lambda

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
)

// InvokeWithResponseStreamInput is the input of InvokeWithResponseStream.
type InvokeWithResponseStreamInput struct {
	FunctionName string
	Qualifier    string
	// InvocationType is RequestResponse (default) or DryRun.
	InvocationType string
	// LogType Tail puts the log's last 4 KB in the InvokeComplete event.
	LogType       string
	Payload       []byte
	ClientContext string
	Identity      *CognitoIdentity
}

// InvokeWithResponseStreamOutput is the start of a streamed response.
type InvokeWithResponseStreamOutput struct {
	// StatusCode is 200, or 204 for DryRun.
	StatusCode      int
	ExecutedVersion string
	// ResponseStreamContentType is application/octet-stream.
	ResponseStreamContentType string
	// EventStream yields the response as the handler writes it. Nil for
	// DryRun.
	EventStream *ResponseStream
}

// StreamEvent is one event of a response stream: a chunk of payload, or
// the InvokeComplete event that ends the stream.
type StreamEvent struct {
	PayloadChunk   []byte
	InvokeComplete *InvokeComplete
}

// InvokeComplete ends a response stream. ErrorCode and ErrorDetails are
// set when the function failed (its errorType and errorMessage).
type InvokeComplete struct {
	ErrorCode    string
	ErrorDetails string
	LogResult    string
}

// InvokeWithResponseStream invokes a function whose handler writes its
// response progressively (a [StreamingHandler], or a handler returning an
// io.Reader) and returns as soon as the handler has started: the caller
// reads the chunks as they are written, up to 200 MB, from EventStream.
// The handler's writes wait while the caller has 1 MB unread, so a slow
// reader slows the writer, as on a network. A handler that returns a
// value is sent as one chunk.
func (s *Service) InvokeWithResponseStream(ctx context.Context, in *InvokeWithResponseStreamInput) (*InvokeWithResponseStreamOutput, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if in == nil {
		return nil, ErrInvalidParameterValue.New("InvokeWithResponseStreamInput is required")
	}
	it := in.InvocationType
	if it == "" {
		it = InvocationTypeRequestResponse
	}
	if it != InvocationTypeRequestResponse && it != InvocationTypeDryRun {
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]", it)
	}
	if in.LogType != "" && in.LogType != LogTypeNone && in.LogType != LogTypeTail {
		return nil, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]", in.LogType)
	}
	payload, err := s.checkPayload(in.Payload, false)
	if err != nil {
		return nil, err
	}
	lc := LambdaContext{}
	if in.ClientContext != "" {
		if err := s.decodeClientContext(in.ClientContext, &lc.ClientContext); err != nil {
			return nil, err
		}
	}
	if in.Identity != nil {
		lc.Identity = *in.Identity
	}
	t, err := s.resolve(in.FunctionName, in.Qualifier)
	if err != nil {
		return nil, err
	}
	lc.InvokedFunctionArn = t.arn
	if it == InvocationTypeDryRun {
		return &InvokeWithResponseStreamOutput{StatusCode: 204}, nil
	}
	inv := s.newInvocation(t, payload, lc, in.LogType == LogTypeTail)
	inv.stream = newResponseStream(s.limits.MaxStreamedResponse)
	if err := s.begin(ctx, inv); err != nil {
		return nil, err
	}
	return &InvokeWithResponseStreamOutput{
		StatusCode:                200,
		ExecutedVersion:           t.ver.number,
		ResponseStreamContentType: "application/octet-stream",
		EventStream:               inv.stream,
	}, nil
}

// streamHighWater is how much unread payload a stream buffers before the
// handler's writes wait.
const streamHighWater = 1 << 20

// ResponseStream is the caller's end of a streamed response. Read it with
// Recv, or as an io.Reader with Read; close it to stop reading early (the
// handler's next write fails). It is safe for one reader and one writer.
type ResponseStream struct {
	limit int64

	mu       sync.Mutex
	chunks   [][]byte
	buffered int
	total    int64
	over     bool
	end      *InvokeComplete
	endSent  bool
	closed   bool
	changed  chan struct{}
	partial  []byte // unread part of a chunk, for Read
	fnErr    *FunctionError
}

func newResponseStream(limit int64) *ResponseStream {
	return &ResponseStream{limit: limit, changed: make(chan struct{})}
}

// notify wakes a waiting reader or writer. The caller holds r.mu.
func (r *ResponseStream) notify() {
	close(r.changed)
	r.changed = make(chan struct{})
}

// Recv returns the next event: a payload chunk as soon as the handler
// has written it, then the InvokeComplete event, then io.EOF. It waits
// for the handler, or until ctx is done.
func (r *ResponseStream) Recv(ctx context.Context) (StreamEvent, error) {
	for {
		r.mu.Lock()
		if len(r.chunks) > 0 {
			c := r.chunks[0]
			r.chunks[0] = nil
			r.chunks = r.chunks[1:]
			r.buffered -= len(c)
			r.notify()
			r.mu.Unlock()
			return StreamEvent{PayloadChunk: c}, nil
		}
		if r.end != nil {
			if r.endSent {
				r.mu.Unlock()
				return StreamEvent{}, io.EOF
			}
			r.endSent = true
			ic := *r.end
			r.mu.Unlock()
			return StreamEvent{InvokeComplete: &ic}, nil
		}
		ch := r.changed
		r.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return StreamEvent{}, ctx.Err()
		}
	}
}

// Read reads the payload as a byte stream. At the end it returns io.EOF,
// or the function's error as a [*FunctionError] when it failed.
func (r *ResponseStream) Read(p []byte) (int, error) {
	for len(r.partial) == 0 {
		ev, err := r.Recv(context.Background())
		if err != nil {
			return 0, err
		}
		if ev.InvokeComplete != nil {
			r.mu.Lock()
			fe := r.fnErr
			r.mu.Unlock()
			if fe != nil {
				return 0, fe
			}
			return 0, io.EOF
		}
		r.partial = ev.PayloadChunk
	}
	n := copy(p, r.partial)
	r.partial = r.partial[n:]
	return n, nil
}

// Close stops reading: buffered chunks are dropped and the handler's
// writes fail from now on.
func (r *ResponseStream) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	r.chunks, r.buffered = nil, 0
	r.notify()
	return nil
}

// Complete returns the InvokeComplete event once the invocation ended,
// or nil.
func (r *ResponseStream) Complete() *InvokeComplete {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.end == nil {
		return nil
	}
	ic := *r.end
	return &ic
}

var errStreamClosed = errors.New("lambda: response stream closed by the caller")

// write appends a chunk, waiting while the reader is behind.
func (r *ResponseStream) write(ctx context.Context, p []byte) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	for {
		r.mu.Lock()
		switch {
		case r.closed:
			r.mu.Unlock()
			return 0, errStreamClosed
		case r.end != nil:
			r.mu.Unlock()
			return 0, context.DeadlineExceeded
		case r.over:
			r.mu.Unlock()
			return 0, r.tooLarge()
		}
		if r.buffered < streamHighWater {
			if r.total+int64(len(p)) > r.limit {
				r.over = true
				r.mu.Unlock()
				return 0, r.tooLarge()
			}
			r.chunks = append(r.chunks, append([]byte(nil), p...))
			r.buffered += len(p)
			r.total += int64(len(p))
			r.notify()
			r.mu.Unlock()
			return len(p), nil
		}
		ch := r.changed
		r.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return 0, ctx.Err()
		}
	}
}

func (r *ResponseStream) overLimit() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.over
}

func (r *ResponseStream) tooLarge() *FunctionError {
	return &FunctionError{FunctionError: FunctionErrorUnhandled, ErrorType: "Function.ResponseSizeTooLarge",
		ErrorMessage: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", r.limit)}
}

// streamWriter is the io.Writer a streaming handler writes to.
type streamWriter struct {
	r   *ResponseStream
	ctx context.Context
}

func (w streamWriter) Write(p []byte) (int, error) { return w.r.write(w.ctx, p) }

func (r *ResponseStream) writer(ctx context.Context) io.Writer { return streamWriter{r: r, ctx: ctx} }

// copyOut streams a handler's returned value or reader.
func (r *ResponseStream) copyOut(ctx context.Context, out []byte, rd io.Reader) error {
	if rd != nil {
		_, err := io.Copy(streamWriter{r: r, ctx: ctx}, rd)
		if c, ok := rd.(io.Closer); ok {
			c.Close()
		}
		return err
	}
	_, err := r.write(ctx, out)
	return err
}

// complete ends the stream with the invocation's outcome. It never
// blocks.
func (r *ResponseStream) complete(o *outcome, fe *FunctionError) {
	r.mu.Lock()
	defer r.mu.Unlock()
	ic := &InvokeComplete{LogResult: o.logResult}
	if fe != nil {
		ic.ErrorCode, ic.ErrorDetails = fe.ErrorType, fe.ErrorMessage
		r.fnErr = fe
	}
	r.end = ic
	r.notify()
}
