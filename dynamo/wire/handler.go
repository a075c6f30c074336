package wire

import (
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
)

// TargetPrefix is the X-Amz-Target prefix of DynamoDB's operations: a
// request for PutItem carries "DynamoDB_20120810.PutItem".
const TargetPrefix = "DynamoDB_20120810."

// Options configures a [Handler]. The zero value accepts every request,
// signed or not, as the region us-east-1, with AWS's limits.
type Options struct {
	// Region is the region the endpoint serves: a verified signature must
	// be scoped to it, and GET / answers with it. Default "us-east-1".
	Region string
	// Credentials, when not nil, turns on signature verification: every
	// request must carry an AWS Signature Version 4 Authorization header
	// made with one of these access keys (mapped to its secret key), and
	// is refused as AWS refuses it otherwise. When nil, any request is
	// accepted, signed with any key or not signed at all.
	Credentials map[string]string
	// Clock is the time a signature's date is checked against (15 minutes
	// either way, as AWS allows). Nil means clock.Real().
	Clock clock.Clock
	// Seed seeds the source of request IDs, so that a run is
	// reproducible. Zero means seed 1.
	Seed uint64
	// Limits overrides the protocol's limits; zero fields keep AWS's.
	Limits Limits
	// Inject, when set, is called with each request's context and
	// operation name after the request is decoded and before it runs. A
	// non-nil error is answered instead of running the operation, with
	// its code and status: return [ErrProvisionedThroughputExceeded] or
	// [ErrThrottling] to watch a client's retries, or any *dynamo.Error.
	Inject func(ctx context.Context, operation string) error
	// Logger receives a record for every request that panicked or failed
	// with an error that has no AWS code. Nil means slog.Default().
	Logger *slog.Logger
}

// Limits holds the protocol's limits. A zero field means AWS's default.
type Limits struct {
	// MaxRequestBytes is the largest request body: 16 MB, the most
	// BatchWriteItem may carry ("Service, account, and table quotas in
	// Amazon DynamoDB", API-specific limits). A larger body is answered
	// 413 Request Entity Too Large.
	MaxRequestBytes int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxRequestBytes <= 0 {
		l.MaxRequestBytes = 16 << 20
	}
	return l
}

// Handler serves DynamoDB's JSON 1.0 protocol for one [dynamo.DB], and
// the DynamoDB Streams protocol for requests whose X-Amz-Target starts
// with [StreamsTargetPrefix] (see [StreamsHandler]). It is safe for
// concurrent use.
type Handler struct {
	db     *dynamo.DB
	opts   Options
	clock  clock.Clock
	limits Limits
	logger *slog.Logger

	mu   sync.Mutex
	rand *rand.Rand
}

// NewHandler returns a handler serving db over DynamoDB's wire protocol.
func NewHandler(db *dynamo.DB, opts Options) *Handler {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Handler{
		db:     db,
		opts:   opts,
		clock:  clock.Or(opts.Clock),
		limits: opts.Limits.withDefaults(),
		logger: logger,
		rand:   rand.New(rand.NewPCG(seed, seed^0x6a09e667f3bcc908)),
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

// requestIDAlphabet is the alphabet of DynamoDB's request IDs: 52
// characters of upper-case letters and digits.
const requestIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// requestID is one request's ID.
type requestID [52]byte

func (id *requestID) String() string { return string(id[:]) }

// newRequestID draws a request ID from the handler's seeded source.
func (h *Handler) newRequestID() requestID {
	var b requestID
	// Each 64-bit draw gives ten characters: 2^64 is over 5,000 times
	// 36^10, so no character is favoured by more than one part in 5,000.
	var draws [6]uint64
	h.mu.Lock()
	for i := range draws {
		draws[i] = h.rand.Uint64()
	}
	h.mu.Unlock()
	for i := range b {
		x := &draws[i/10]
		b[i] = requestIDAlphabet[*x%uint64(len(requestIDAlphabet))]
		*x /= uint64(len(requestIDAlphabet))
	}
	return b
}

// ServeHTTP answers one request. Every response carries x-amzn-RequestId
// and, when it has a body, x-amz-crc32 (the CRC32 of the body, which the
// SDKs check).
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.Header.Get("X-Amz-Target"), StreamsTargetPrefix) {
		h.serve(w, r, &streamsProtocol)
		return
	}
	h.serve(w, r, &dynamoProtocol)
}

// protocol is what tells DynamoDB's and DynamoDB Streams' JSON protocols
// apart; the handling of a request is otherwise the same.
type protocol struct {
	prefix     string                    // of X-Amz-Target
	operations map[string]operation      // by name
	errorBody  func(error) (int, []byte) // the error's status and body
	health     string                    // the answer to GET /, before the region
	unknown    string                    // the message for an unknown operation
}

var dynamoProtocol = protocol{
	prefix:     TargetPrefix,
	operations: operations,
	errorBody:  errorBody,
	health:     "healthy: dynamodb.",
	unknown:    "The operation named by the X-Amz-Target header is not a DynamoDB operation minicloud serves",
}

var streamsProtocol = protocol{
	prefix:     StreamsTargetPrefix,
	operations: streamsOperations,
	errorBody:  streamsErrorBody,
	health:     "healthy: streams.dynamodb.",
	unknown:    "The operation named by the X-Amz-Target header is not a DynamoDB Streams operation minicloud serves",
}

// serve answers one request of protocol pr, step by step as DynamoDB
// does: request ID, body limit, content type, JSON, operation, signature,
// decode, Inject, run, encode; a panic is recovered and answered as an
// InternalServerError.
func (h *Handler) serve(w http.ResponseWriter, r *http.Request, pr *protocol) {
	id := h.newRequestID()
	target := r.Header.Get("X-Amz-Target")
	contentType := "application/x-amz-json-1.0"
	wrote := false
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p)
		}
		h.logger.Error("dynamo/wire: panic serving request", "requestId", id.String(),
			"target", target, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		if !wrote {
			status, body := pr.errorBody(dynamo.ErrInternalServer.New("Internal server error"))
			writeBody(w, &id, status, contentType, body)
		}
	}()
	respond := func(status int, ct string, body []byte) {
		wrote = true
		writeBody(w, &id, status, ct, body)
	}
	fail := func(err error) {
		status, body := pr.errorBody(err)
		if apiError(err).Code == dynamo.ErrInternalServer.Code {
			h.logger.Error("dynamo/wire: internal error", "requestId", id.String(), "target", target, "error", err)
		}
		respond(status, contentType, body)
	}

	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		if r.URL.Path == "/" {
			// DynamoDB answers health checks on GET /.
			respond(http.StatusOK, "text/plain", []byte(pr.health+h.opts.Region+".amazonaws.com "))
			return
		}
	}
	if r.Method != http.MethodPost {
		respond(http.StatusNotFound, "application/xml", []byte("<UnknownOperationException/>\n"))
		return
	}
	bb, err := h.readBody(w, r)
	defer bb.release()
	body := bb.b
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			respond(http.StatusRequestEntityTooLarge, "text/plain", []byte("Request Entity Too Large\n"))
			return
		}
		fail(ErrSerialization.New("Could not read the request body: " + err.Error()))
		return
	}
	if mt := mediaType(r.Header.Get("Content-Type")); mt == "application/json" {
		contentType = mt
	} else if len(body) > 0 && mt != "application/x-amz-json-1.0" {
		respond(http.StatusNotFound, "application/xml", []byte("<UnknownOperationException/>\n"))
		return
	}

	// DynamoDB parses the body before it looks at the operation.
	var doc node
	if len(body) > 0 {
		// The parsed document lives until the operation's input is
		// decoded from it, which is before this function returns.
		p := newParser(body)
		defer p.release()
		if doc, err = p.parse(); err != nil {
			fail(syntaxToError(err))
			return
		}
	}
	name, ok := strings.CutPrefix(target, pr.prefix)
	op := pr.operations[name]
	if !ok || op == nil {
		fail(ErrUnknownOperation.New(pr.unknown))
		return
	}
	if h.opts.Credentials != nil {
		if err := verifySigV4(r, body, h.opts.Credentials, h.opts.Region, h.clock.Now()); err != nil {
			fail(err)
			return
		}
	}
	if len(body) == 0 {
		fail(ErrSerialization.New("The request body is empty; it must be a JSON object"))
		return
	}
	var inject func(context.Context) error
	if h.opts.Inject != nil {
		inject = func(ctx context.Context) error { return h.opts.Inject(ctx, name) }
	}
	x := getExchange()
	defer x.release() // after the response, which is x's, is written
	x.doc = doc
	out, err := op.serve(r.Context(), h.db, &x.doc, inject, x)
	if err != nil {
		fail(err)
		return
	}
	respond(http.StatusOK, contentType, out)
}

// bodyBuffer is a request body's buffer. Buffers of up to maxPooledBody
// bytes are pooled: nothing decoded from a body refers to it (the parser
// copies what it keeps), so a body's buffer is free once its request is
// answered.
type bodyBuffer struct{ b []byte }

var bodyPool = sync.Pool{New: func() any { return new(bodyBuffer) }}

const maxPooledBody = 64 << 10

func (bb *bodyBuffer) release() {
	if cap(bb.b) <= maxPooledBody {
		bb.b = bb.b[:0]
		bodyPool.Put(bb)
	}
}

// readBody reads the whole request body, up to the limit on its size,
// into a pooled buffer at least as large as its Content-Length when it
// declares one. Release the buffer when the request is answered.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) (*bodyBuffer, error) {
	bb := bodyPool.Get().(*bodyBuffer)
	rd := http.MaxBytesReader(w, r.Body, h.limits.MaxRequestBytes)
	size := 512
	if n := r.ContentLength; n > 0 {
		// One more byte than declared, so that the read that finds the
		// end needs no larger buffer; a large body, which may declare
		// more than it has, grows as it comes.
		size = int(min(n, h.limits.MaxRequestBytes, 1<<20)) + 1
	}
	b := bb.b[:0]
	if cap(b) < size {
		b = make([]byte, 0, size)
	}
	defer func() { bb.b = b }()
	for {
		n, err := rd.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return bb, nil
		}
		if err != nil {
			return bb, err
		}
		if len(b) == cap(b) {
			b = slices.Grow(b, len(b))
		}
	}
}

// mediaType returns the media type of a Content-Type header, as
// mime.ParseMediaType does (lower case, without parameters, "" when the
// header is malformed), without its cost for the type the SDKs send.
func mediaType(contentType string) string {
	if contentType == "application/x-amz-json-1.0" {
		return contentType
	}
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt
}

// writeBody writes a whole response with DynamoDB's headers: the request
// ID, the content type and length, and the CRC32 of the body.
func writeBody(w http.ResponseWriter, id *requestID, status int, contentType string, body []byte) {
	// The ID and the numbers share one string and the values one backing
	// array: a response costs two allocations for its headers, not eight.
	var buf [len(requestID{}) + 32]byte
	b := append(buf[:0], id[:]...)
	lenStart := len(b)
	b = strconv.AppendInt(b, int64(len(body)), 10)
	crcStart := len(b)
	b = strconv.AppendUint(b, uint64(crc32.ChecksumIEEE(body)), 10)
	s := string(b)
	vals := []string{s[:lenStart], contentType, s[lenStart:crcStart], s[crcStart:]}
	hd := w.Header()
	hd["X-Amzn-Requestid"] = vals[0:1:1]
	hd["Content-Type"] = vals[1:2:2]
	hd["Content-Length"] = vals[2:3:3]
	hd["X-Amz-Crc32"] = vals[3:4:4]
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// operation is one DynamoDB operation on the wire: decode the request,
// run it, encode the response. The response body it returns is x's, and
// valid until x is released.
type operation interface {
	serve(ctx context.Context, db *dynamo.DB, body *node, inject func(context.Context) error, x *exchange) ([]byte, error)
}

// exchange is the scratch of one request's operation: the decoder of its
// input and the writer of its output. Exchanges are pooled, so that a
// request does not allocate them and its response buffer anew.
type exchange struct {
	doc node // the request, which lives no longer than its parser
	d   decoder
	w   writer
}

// maxPooledResponse bounds the response buffer a pooled exchange keeps.
const maxPooledResponse = 64 << 10

var exchangePool = sync.Pool{New: func() any { return &exchange{w: writer{b: make([]byte, 0, 256)}} }}

// getExchange returns an exchange from the pool; release it when the
// response it wrote has been written.
func getExchange() *exchange { return exchangePool.Get().(*exchange) }

func (x *exchange) release() {
	x.doc = node{}
	x.d = decoder{}
	if cap(x.w.b) > maxPooledResponse {
		x.w.b = make([]byte, 0, 256)
	}
	x.w = writer{b: x.w.b[:0], nonEmpty: x.w.nonEmpty[:0]}
	exchangePool.Put(x)
}

// op is an operation built from its three parts. Adding an operation to
// the handler is writing its decoder and encoder and one line in the
// operations table.
type op[In, Out any] struct {
	decode func(*decoder, *node) *In
	call   func(*dynamo.DB, context.Context, *In) (*Out, error)
	encode func(*writer, *Out)
}

func newOp[In, Out any](decode func(*decoder, *node) *In, call func(*dynamo.DB, context.Context, *In) (*Out, error), encode func(*writer, *Out)) operation {
	return op[In, Out]{decode: decode, call: call, encode: encode}
}

func (o op[In, Out]) serve(ctx context.Context, db *dynamo.DB, body *node, inject func(context.Context) error, x *exchange) ([]byte, error) {
	d := &x.d
	var in *In
	if body.kind == kindNull {
		body = &node{kind: kindObject}
	}
	if d.structure(body, func(string, *node) {}) {
		in = o.decode(d, body)
	}
	if err := d.err(); err != nil {
		return nil, err
	}
	if inject != nil {
		if err := inject(ctx); err != nil {
			return nil, err
		}
	}
	out, err := o.call(db, ctx, in)
	if err != nil {
		return nil, err
	}
	w := &x.w
	w.beginObject()
	if out != nil {
		o.encode(w, out)
	}
	w.endObject()
	return w.b, nil
}
