package runtimeapi

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Header names of the Runtime API.
const (
	HeaderRequestID          = "Lambda-Runtime-Aws-Request-Id"
	HeaderDeadlineMs         = "Lambda-Runtime-Deadline-Ms"
	HeaderInvokedFunctionArn = "Lambda-Runtime-Invoked-Function-Arn"
	HeaderTraceID            = "Lambda-Runtime-Trace-Id"
	HeaderClientContext      = "Lambda-Runtime-Client-Context"
	HeaderCognitoIdentity    = "Lambda-Runtime-Cognito-Identity"
	// HeaderFunctionErrorType names the error type on /error and
	// /init/error, and, as a trailer, on a response cut short.
	HeaderFunctionErrorType = "Lambda-Runtime-Function-Error-Type"
	// HeaderFunctionErrorBody is the trailer carrying a base64 error
	// document for a response cut short.
	HeaderFunctionErrorBody = "Lambda-Runtime-Function-Error-Body"
	// HeaderResponseMode is "streaming" on a response the runtime
	// streams.
	HeaderResponseMode = "Lambda-Runtime-Function-Response-Mode"
)

// Version is the API version in every path.
const Version = "2018-06-01"

// DefaultMaxResponse is Lambda's quota on a synchronous response, 6 MB,
// as the Runtime API measures it (6 MiB and 100 bytes).
const DefaultMaxResponse = 6<<20 + 100

// Errors of [Server.WaitInit] and [Server.Invoke].
var (
	// ErrClosed means the Server was closed.
	ErrClosed = errors.New("runtimeapi: server closed")
	// ErrBusy means an invocation was given while another was running:
	// an execution environment serves one invocation at a time.
	ErrBusy = errors.New("runtimeapi: an invocation is already in progress")
)

// ExitError says the runtime process ended. Err is what the process's
// Wait returned (an *exec.ExitError for "exit status 1"), or nil for a
// clean exit.
type ExitError struct{ Err error }

// Error returns Lambda's wording: "Runtime exited with error: exit status
// 1", or "Runtime exited without providing a reason" after a clean exit.
func (e *ExitError) Error() string {
	if e.Err == nil {
		return "Runtime exited without providing a reason"
	}
	return "Runtime exited with error: " + e.Err.Error()
}

// Unwrap returns Err.
func (e *ExitError) Unwrap() error { return e.Err }

// InitError is the error a runtime posted to /runtime/init/error.
type InitError struct{ Result }

// Error returns the error type and message.
func (e *InitError) Error() string {
	return "runtime init error: " + e.ErrorType + ": " + e.ErrorMessage()
}

// Invocation is one event handed to the runtime by GET .../next.
type Invocation struct {
	// RequestID is Lambda-Runtime-Aws-Request-Id.
	RequestID string
	// Deadline is sent as Lambda-Runtime-Deadline-Ms.
	Deadline time.Time
	// InvokedFunctionArn is Lambda-Runtime-Invoked-Function-Arn.
	InvokedFunctionArn string
	// TraceID is Lambda-Runtime-Trace-Id, an X-Ray header.
	TraceID string
	// ClientContext is the JSON of Lambda-Runtime-Client-Context; empty
	// omits the header.
	ClientContext []byte
	// CognitoIdentity is the JSON of Lambda-Runtime-Cognito-Identity;
	// empty omits the header.
	CognitoIdentity []byte
	// Payload is the event, the body of the answer.
	Payload []byte
	// Stream, when set, receives a response the runtime streams (with
	// Lambda-Runtime-Function-Response-Mode: streaming) as it arrives,
	// without the response quota: the writer applies its own (200 MB in
	// Lambda) by failing. A response that is not streamed, or an
	// invocation without Stream, is collected into Result.Payload.
	Stream io.Writer
}

// Result is how the runtime answered an invocation or failed its init.
type Result struct {
	// Payload is the response body, or with Error the error document,
	// always a JSON object {"errorMessage":…,"errorType":…,…}.
	Payload []byte
	// ContentType is the Content-Type the runtime sent.
	ContentType string
	// Error is set when the runtime posted an error, cut a response
	// short, or answered more than the response quota.
	Error bool
	// ErrorType is the error's type: the Lambda-Runtime-Function-Error-Type
	// header, else the document's errorType.
	ErrorType string
	// Streamed is set when the response went to Invocation.Stream
	// instead of Payload.
	Streamed bool
}

// ErrorMessage returns the errorMessage of an error document.
func (r *Result) ErrorMessage() string {
	var doc struct {
		ErrorMessage string `json:"errorMessage"`
	}
	json.Unmarshal(r.Payload, &doc)
	return doc.ErrorMessage
}

// Options configures a [Server].
type Options struct {
	// MaxResponse is the largest response body in bytes; zero means
	// [DefaultMaxResponse].
	MaxResponse int
}

// Runtime states, named as Lambda names them in InvalidStateTransition
// messages.
const (
	stateStarted      = "Started"
	stateInitError    = "InitError"
	stateReady        = "Ready"
	stateRunning      = "Running"
	stateResponseSent = "RuntimeResponseSentState"
)

// call is one invocation in flight.
type call struct {
	inv    *Invocation
	result *Result // set once the runtime answered
	done   bool    // the runtime asked for the next event after answering
}

// Server is the Runtime API of one execution environment. It is an
// http.Handler; [Server.Listen] serves it on a loopback port. It is safe
// for concurrent use.
type Server struct {
	maxResponse int

	mu       sync.Mutex
	state    string
	parked   bool  // a GET .../next is waiting for an event
	pending  *call // given to Invoke, not yet taken by .../next
	cur      *call // taken by .../next
	initErr  *InitError
	exited   bool
	exitErr  error
	closed   bool
	changed  chan struct{} // closed and replaced on every change
	listener net.Listener
	http     *http.Server
}

// New returns a Server in its init phase: the runtime has not yet asked
// for an event.
func New(opts Options) *Server {
	if opts.MaxResponse <= 0 {
		opts.MaxResponse = DefaultMaxResponse
	}
	return &Server{maxResponse: opts.MaxResponse, state: stateStarted, changed: make(chan struct{})}
}

// Listen serves the API on a new loopback port and returns its address
// ("127.0.0.1:port"), the value of AWS_LAMBDA_RUNTIME_API. Close stops it.
func (s *Server) Listen() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	// No read timeouts: a runtime may take as long as it likes, and time
	// here is the caller's clock, not the socket's.
	hs := &http.Server{Handler: s}
	s.mu.Lock()
	if s.closed || s.listener != nil {
		s.mu.Unlock()
		l.Close()
		return "", ErrClosed
	}
	s.listener, s.http = l, hs
	s.mu.Unlock()
	go hs.Serve(l)
	return l.Addr().String(), nil
}

// broadcastLocked wakes every waiter. The caller holds s.mu.
func (s *Server) broadcastLocked() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// WaitInit waits for the end of the init phase: nil when the runtime asks
// for its first event, an [*InitError] when it posts to /init/error, an
// [*ExitError] when the process ends first, ErrClosed, or ctx's error.
func (s *Server) WaitInit(ctx context.Context) error {
	s.mu.Lock()
	for {
		switch {
		case s.initErr != nil:
			err := s.initErr
			s.mu.Unlock()
			return err
		case s.state != stateStarted:
			s.mu.Unlock()
			return nil
		case s.exited:
			err := &ExitError{Err: s.exitErr}
			s.mu.Unlock()
			return err
		case s.closed:
			s.mu.Unlock()
			return ErrClosed
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
		s.mu.Lock()
	}
}

// Invoke hands inv to the runtime and waits until the runtime has
// answered it and asked for the next event, as Lambda ends an invocation.
// It returns the answer; with an [*ExitError] when the process ended
// first (the result of an answer posted before that, or nil), ErrClosed,
// ErrBusy, or ctx's error (the invocation is then abandoned: the caller
// is expected to end the process, as Lambda does at a timeout).
func (s *Server) Invoke(ctx context.Context, inv *Invocation) (*Result, error) {
	c := &call{inv: inv}
	s.mu.Lock()
	switch {
	case s.exited:
		err := &ExitError{Err: s.exitErr}
		s.mu.Unlock()
		return nil, err
	case s.closed:
		s.mu.Unlock()
		return nil, ErrClosed
	case s.pending != nil || s.state == stateRunning || s.state == stateResponseSent:
		s.mu.Unlock()
		return nil, ErrBusy
	}
	s.pending = c
	s.broadcastLocked()
	for {
		switch {
		case c.done:
			s.mu.Unlock()
			return c.result, nil
		case s.exited:
			err := &ExitError{Err: s.exitErr}
			s.mu.Unlock()
			return c.result, err
		case s.closed:
			s.mu.Unlock()
			return c.result, ErrClosed
		}
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			s.mu.Lock()
			if s.pending == c {
				s.pending = nil
			}
			s.mu.Unlock()
			return nil, ctx.Err()
		}
		s.mu.Lock()
	}
}

// Exit records that the runtime process ended with err (nil for a clean
// exit): waiting calls return an [*ExitError].
func (s *Server) Exit(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.exited {
		return
	}
	s.exited, s.exitErr = true, err
	s.broadcastLocked()
}

// Close ends waiting calls with ErrClosed and stops the listener, if any.
// A parked GET .../next is answered 500, as Lambda answers a runtime whose
// environment is going away.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.broadcastLocked()
	hs := s.http
	s.mu.Unlock()
	if hs != nil {
		return hs.Close()
	}
	return nil
}

// errorDoc is Lambda's error body.
type errorDoc struct {
	ErrorMessage string `json:"errorMessage"`
	ErrorType    string `json:"errorType"`
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	w.Write(b)
}

func writeError(w http.ResponseWriter, status int, typ, msg string) {
	writeJSON(w, status, errorDoc{ErrorMessage: msg, ErrorType: typ})
}

func (s *Server) transitionRefused(w http.ResponseWriter, from, to string) {
	writeError(w, http.StatusForbidden, "InvalidStateTransition",
		fmt.Sprintf("State transition from %s to %s failed for runtime. Error: State transition is not allowed", from, to))
}

func accepted(w http.ResponseWriter) {
	writeJSON(w, http.StatusAccepted, map[string]string{"status": "OK"})
}

// ServeHTTP routes the Runtime API's four operations.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rest, ok := strings.CutPrefix(r.URL.Path, "/"+Version+"/runtime/")
	if !ok {
		writeError(w, http.StatusNotFound, "NotFound", "Path not found: "+r.URL.Path)
		return
	}
	method := http.MethodPost
	var handle func(http.ResponseWriter, *http.Request)
	switch {
	case rest == "invocation/next":
		method, handle = http.MethodGet, s.next
	case rest == "init/error":
		handle = s.initError
	case strings.HasPrefix(rest, "invocation/"):
		id, op, ok := strings.Cut(strings.TrimPrefix(rest, "invocation/"), "/")
		switch {
		case !ok || id == "" || strings.Contains(op, "/"):
		case op == "response":
			handle = func(w http.ResponseWriter, r *http.Request) { s.response(w, r, id) }
		case op == "error":
			handle = func(w http.ResponseWriter, r *http.Request) { s.invocationError(w, r, id) }
		}
	}
	if handle == nil {
		writeError(w, http.StatusNotFound, "NotFound", "Path not found: "+r.URL.Path)
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		writeError(w, http.StatusMethodNotAllowed, "MethodNotAllowed", "Method "+r.Method+" is not allowed on "+r.URL.Path)
		return
	}
	handle(w, r)
}

// next serves GET .../invocation/next: it ends the init phase or the
// answered invocation, then waits for an event.
func (s *Server) next(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		writeError(w, http.StatusInternalServerError, "Runtime.Closed", "The execution environment is shutting down")
		return
	}
	switch s.state {
	case stateStarted:
		s.state = stateReady
		s.broadcastLocked()
	case stateResponseSent:
		s.cur.done = true
		s.cur = nil
		s.state = stateReady
		s.broadcastLocked()
	case stateReady:
		if s.parked {
			s.mu.Unlock()
			s.transitionRefused(w, stateReady, stateReady)
			return
		}
	default:
		from := s.state
		s.mu.Unlock()
		s.transitionRefused(w, from, stateReady)
		return
	}
	s.parked = true
	for s.pending == nil && !s.closed {
		ch := s.changed
		s.mu.Unlock()
		select {
		case <-ch:
		case <-r.Context().Done():
			s.mu.Lock()
			s.parked = false
			s.mu.Unlock()
			return
		}
		s.mu.Lock()
	}
	s.parked = false
	if s.closed {
		s.mu.Unlock()
		writeError(w, http.StatusInternalServerError, "Runtime.Closed", "The execution environment is shutting down")
		return
	}
	c := s.pending
	s.pending, s.cur = nil, c
	s.state = stateRunning
	s.broadcastLocked()
	s.mu.Unlock()

	inv := c.inv
	h := w.Header()
	h.Set(HeaderRequestID, inv.RequestID)
	h.Set(HeaderDeadlineMs, strconv.FormatInt(inv.Deadline.UnixMilli(), 10))
	h.Set(HeaderInvokedFunctionArn, inv.InvokedFunctionArn)
	h.Set(HeaderTraceID, inv.TraceID)
	if len(inv.ClientContext) > 0 {
		h.Set(HeaderClientContext, string(inv.ClientContext))
	}
	if len(inv.CognitoIdentity) > 0 {
		h.Set(HeaderCognitoIdentity, string(inv.CognitoIdentity))
	}
	h.Set("Content-Type", "application/json")
	h.Set("Content-Length", strconv.Itoa(len(inv.Payload)))
	w.WriteHeader(http.StatusOK)
	w.Write(inv.Payload)
}

// answerable checks that the runtime may answer request id now, writing
// Lambda's refusal otherwise. On success s.mu is held.
func (s *Server) answerable(w http.ResponseWriter, id, to string) bool {
	s.mu.Lock()
	if s.state != stateRunning {
		from := s.state
		s.mu.Unlock()
		s.transitionRefused(w, from, to)
		return false
	}
	if s.cur.inv.RequestID != id {
		s.mu.Unlock()
		writeError(w, http.StatusBadRequest, "InvalidRequestID", "Invalid request ID")
		return false
	}
	return true
}

// settle records the answer of the running invocation, unless it was
// already answered or abandoned meanwhile.
func (s *Server) settle(id string, res *Result) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.state != stateRunning || s.cur == nil || s.cur.inv.RequestID != id {
		return false
	}
	s.cur.result = res
	s.state = stateResponseSent
	s.broadcastLocked()
	return true
}

// response serves POST .../invocation/{id}/response.
func (s *Server) response(w http.ResponseWriter, r *http.Request, id string) {
	if !s.answerable(w, id, "InvocationResponse") {
		return
	}
	stream := s.cur.inv.Stream
	s.mu.Unlock()
	mode := r.Header.Get(HeaderResponseMode)
	if mode != "" && mode != "streaming" {
		writeError(w, http.StatusBadRequest, "InvalidFunctionResponseMode", "Invalid function response mode")
		return
	}
	if mode == "streaming" && stream != nil {
		s.streamResponse(w, r, id, stream)
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, int64(s.maxResponse)+1))
	var res *Result
	switch {
	case len(body) > s.maxResponse:
		res = &Result{Error: true, ErrorType: "Function.ResponseSizeTooLarge", ContentType: "application/json"}
		res.Payload, _ = json.Marshal(errorDoc{
			ErrorMessage: fmt.Sprintf("Response payload size exceeded maximum allowed payload size (%d bytes).", s.maxResponse),
			ErrorType:    res.ErrorType,
		})
		if !s.settle(id, res) {
			s.transitionRefused(w, stateResponseSent, "InvocationResponse")
			return
		}
		writeError(w, http.StatusRequestEntityTooLarge, "RequestEntityTooLarge",
			fmt.Sprintf("Exceeded maximum allowed payload size (%d bytes).", s.maxResponse))
		return
	case err != nil:
		res = errorResult("Runtime.TruncatedResponse", nil, "the runtime's response was cut short: "+err.Error())
	case r.Trailer.Get(HeaderFunctionErrorType) != "":
		typ := r.Trailer.Get(HeaderFunctionErrorType)
		doc, _ := base64.StdEncoding.DecodeString(r.Trailer.Get(HeaderFunctionErrorBody))
		res = errorResult(typ, doc, "")
	default:
		res = &Result{Payload: body, ContentType: r.Header.Get("Content-Type")}
	}
	if !s.settle(id, res) {
		s.transitionRefused(w, stateResponseSent, "InvocationResponse")
		return
	}
	accepted(w)
}

// streamResponse copies a streamed response to the invocation's stream as
// it arrives.
func (s *Server) streamResponse(w http.ResponseWriter, r *http.Request, id string, stream io.Writer) {
	var res *Result
	var werr error
	_, err := io.Copy(writerFunc(func(p []byte) (int, error) {
		n, err := stream.Write(p)
		werr = err
		return n, err
	}), r.Body)
	switch {
	case werr != nil:
		res = errorResult("Runtime.StreamError", nil, "the response stream failed: "+werr.Error())
	case err != nil:
		res = errorResult("Runtime.TruncatedResponse", nil, "the runtime's response was cut short: "+err.Error())
	case r.Trailer.Get(HeaderFunctionErrorType) != "":
		doc, _ := base64.StdEncoding.DecodeString(r.Trailer.Get(HeaderFunctionErrorBody))
		res = errorResult(r.Trailer.Get(HeaderFunctionErrorType), doc, "")
	default:
		res = &Result{Streamed: true, ContentType: r.Header.Get("Content-Type")}
	}
	if !s.settle(id, res) {
		s.transitionRefused(w, stateResponseSent, "InvocationResponse")
		return
	}
	accepted(w)
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// invocationError serves POST .../invocation/{id}/error.
func (s *Server) invocationError(w http.ResponseWriter, r *http.Request, id string) {
	if !s.answerable(w, id, "InvocationErrorResponse") {
		return
	}
	s.mu.Unlock()
	body, _ := io.ReadAll(io.LimitReader(r.Body, int64(s.maxResponse)))
	res := errorResult(r.Header.Get(HeaderFunctionErrorType), body, "")
	if !s.settle(id, res) {
		s.transitionRefused(w, stateResponseSent, "InvocationErrorResponse")
		return
	}
	accepted(w)
}

// initError serves POST .../init/error.
func (s *Server) initError(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	if s.state != stateStarted || s.initErr != nil {
		from := s.state
		if s.initErr != nil {
			from = stateInitError
		}
		s.mu.Unlock()
		s.transitionRefused(w, from, stateInitError)
		return
	}
	s.mu.Unlock()
	body, _ := io.ReadAll(io.LimitReader(r.Body, int64(s.maxResponse)))
	typ := r.Header.Get(HeaderFunctionErrorType)
	res := errorResult(typ, body, "")
	if typ == "" && res.ErrorType == "Runtime.Unknown" {
		// Neither the header nor the document names the error.
		res = errorResult("Runtime.InitError", body, "")
	}
	s.mu.Lock()
	if s.state != stateStarted || s.initErr != nil {
		s.mu.Unlock()
		s.transitionRefused(w, s.state, stateInitError)
		return
	}
	s.initErr = &InitError{Result: *res}
	s.broadcastLocked()
	s.mu.Unlock()
	accepted(w)
}

// errorResult makes the error result of a posted document. A JSON object
// is kept as posted, without the errorCause that Lambda sends to X-Ray
// only; anything else is wrapped as {"errorMessage":…,"errorType":…},
// Lambda's default when the payload cannot be read.
func errorResult(typ string, body []byte, msg string) *Result {
	res := &Result{Error: true, ErrorType: typ, ContentType: "application/json"}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(body, &obj); err == nil && obj != nil {
		if _, ok := obj["errorCause"]; ok {
			delete(obj, "errorCause")
			body, _ = json.Marshal(obj)
		}
		if res.ErrorType == "" {
			var t string
			json.Unmarshal(obj["errorType"], &t)
			res.ErrorType = t
		}
		res.Payload = body
		return res
	}
	if res.ErrorType == "" {
		res.ErrorType = "Runtime.Unknown"
	}
	if msg == "" {
		msg = string(body)
	}
	res.Payload, _ = json.Marshal(errorDoc{ErrorMessage: msg, ErrorType: res.ErrorType})
	return res
}
