package wire

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/stepfn"
)

// TargetPrefix is the X-Amz-Target prefix of Step Functions' operations: a
// request for StartExecution carries "AWSStepFunctions.StartExecution".
const TargetPrefix = "AWSStepFunctions."

// Options configures a [Handler]. The zero value accepts every request,
// signed or not, with AWS's limits.
type Options struct {
	// Seed seeds the source of request IDs, so that a run is
	// reproducible. Zero means seed 1.
	Seed uint64
	// Limits overrides the protocol's limits; zero fields keep AWS's.
	Limits Limits
	// Logger receives a record for every request that panicked or failed
	// with an error that has no AWS code. Nil means slog.Default().
	Logger *slog.Logger
}

// Limits holds the protocol's limits. A zero field means AWS's default.
type Limits struct {
	// MaxRequestBytes is the largest request body: 1 MB ("Step Functions
	// service quotas", quotas related to API action throttling and
	// request size: "Maximum request size 1 MB per request"). A larger
	// body is answered 413 Request Entity Too Large.
	MaxRequestBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxRequestBytes <= 0 {
		l.MaxRequestBytes = 1 << 20
	}
	return l
}

// Handler serves the Step Functions JSON 1.0 protocol for one
// [stepfn.Service]. It is safe for concurrent use.
type Handler struct {
	svc    *stepfn.Service
	limits Limits
	logger *slog.Logger

	mu   sync.Mutex
	rand *rand.Rand
}

// NewHandler returns a handler serving svc over Step Functions' wire
// protocol.
func NewHandler(svc *stepfn.Service, opts Options) *Handler {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Handler{
		svc:    svc,
		limits: opts.Limits.withDefaults(),
		logger: logger,
		rand:   rand.New(rand.NewPCG(seed, seed^0x510e527fade682d1)),
	}
}

// Operations returns the names of the operations the handler serves, in
// no particular order.
func (h *Handler) Operations() []string {
	names := make([]string, 0, len(operations))
	for n := range operations {
		names = append(names, n)
	}
	return names
}

// requestID returns a version 4 UUID, the form of Step Functions' request
// IDs.
func (h *Handler) requestID() string {
	h.mu.Lock()
	hi, lo := h.rand.Uint64(), h.rand.Uint64()
	h.mu.Unlock()
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// ServeHTTP answers one request. Every response carries x-amzn-RequestId.
// A panic in an operation is answered InternalFailure and logged; it never
// reaches the server.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := h.requestID()
	w.Header().Set("X-Amzn-Requestid", id)
	target := r.Header.Get("X-Amz-Target")
	wrote := false
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p)
		}
		h.logger.Error("stepfn/wire: panic serving request", "requestId", id,
			"target", target, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		if !wrote {
			status, body := errorBody(ErrInternalFailure.New("Internal server error"))
			writeBody(w, status, body)
		}
	}()
	respond := func(status int, body []byte) {
		wrote = true
		writeBody(w, status, body)
	}
	fail := func(err error) {
		if e := apiError(err); e.Code == ErrInternalFailure.Code {
			h.logger.Error("stepfn/wire: internal error", "requestId", id, "target", target, "error", err)
		}
		respond(errorBody(err))
	}

	if r.Method != http.MethodPost {
		fail(ErrUnknownOperation.New("Step Functions takes POST requests only"))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.limits.MaxRequestBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			wrote = true
			w.Header().Set("Content-Type", "text/plain")
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = io.WriteString(w, "Request Entity Too Large\n")
			return
		}
		fail(ErrSerialization.New("Could not read the request body: " + err.Error()))
		return
	}
	if ct := r.Header.Get("Content-Type"); ct != "" {
		if mt, _, _ := mime.ParseMediaType(ct); mt != "application/x-amz-json-1.0" && mt != "application/json" {
			fail(ErrUnknownOperation.New("Content-Type must be application/x-amz-json-1.0, not " + strconv.Quote(ct)))
			return
		}
	}
	name, ok := strings.CutPrefix(target, TargetPrefix)
	op := operations[name]
	if !ok || op == nil {
		fail(ErrUnknownOperation.New("The operation named by the X-Amz-Target header is not a Step Functions operation minicloud serves: " + strconv.Quote(target)))
		return
	}
	out, err := op.serve(r.Context(), h.svc, body)
	if err != nil {
		fail(err)
		return
	}
	respond(http.StatusOK, out)
}

// writeBody writes a whole JSON response.
func writeBody(w http.ResponseWriter, status int, body []byte) {
	hd := w.Header()
	hd.Set("Content-Type", "application/x-amz-json-1.0")
	hd.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// operation is one Step Functions operation on the wire: decode the
// request, run it, encode the response.
type operation interface {
	serve(ctx context.Context, svc *stepfn.Service, body []byte) ([]byte, error)
}

// op is an operation built from its request type, the call that maps it
// onto the service and returns the response document.
type op[In any] struct {
	call func(context.Context, *stepfn.Service, *In) (any, error)
}

func (o op[In]) serve(ctx context.Context, svc *stepfn.Service, body []byte) ([]byte, error) {
	in, err := decodeRequest[In](body)
	if err != nil {
		return nil, err
	}
	out, err := o.call(ctx, svc, in)
	if err != nil {
		return nil, err
	}
	return json.Marshal(out)
}

// decodeRequest decodes a request body into In. The body must be one
// JSON object (empty or null means {}); members of the wrong JSON type
// are a SerializationException, members the handler does not know are
// ignored, as a newer client may send them.
func decodeRequest[In any](body []byte) (*In, error) {
	in := new(In)
	trimmed := bytes.TrimSpace(body)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return in, nil
	}
	if trimmed[0] != '{' {
		return nil, ErrSerialization.New("The request body must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(trimmed))
	if err := dec.Decode(in); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return nil, ErrSerialization.Newf("Member '%s' has the wrong type: expected %s, got a JSON %s", typeErr.Field, typeName(typeErr.Type.String()), typeErr.Value)
		}
		return nil, ErrSerialization.New("Malformed JSON: " + err.Error())
	}
	if dec.More() {
		return nil, ErrSerialization.New("Malformed JSON: data after the request object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, ErrSerialization.New("Malformed JSON: data after the request object")
	}
	return in, nil
}

// typeName names a Go type of a request member as the JSON it expects.
func typeName(goType string) string {
	switch strings.TrimPrefix(goType, "*") {
	case "string":
		return "a string"
	case "bool":
		return "a boolean"
	case "int", "int64", "int32":
		return "an integer"
	}
	return "an object"
}
