package wire

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/lambda"
)

// Options configures a [Handler]. The zero value serves the functions
// created in Go and creates functions over the wire from .zip packages
// holding a bootstrap executable, extracted under os.TempDir().
type Options struct {
	// Handlers is Go code CreateFunction may use over the wire, keyed by
	// the request's Handler string (such as "main.handleOrder"): a
	// CreateFunction whose Handler is a key here runs that code, and its
	// .zip, if any, counts for its sizes only. Other functions created
	// over the wire run the bootstrap of their .zip (see the package
	// doc). Functions created with lambda.Service.CreateFunction in Go
	// need no entry.
	Handlers map[string]*lambda.Code
	// CodeDir is where the packages of functions created over the wire
	// are extracted, each .zip in a directory of its own under one made
	// for the Handler. Default: os.TempDir(). Close removes them.
	CodeDir string
	// Seed seeds the source of request IDs, so that a run is
	// reproducible. Zero means seed 1.
	Seed uint64
	// Logger receives a record for every request that panicked or failed
	// with an error that has no AWS code. Nil means slog.Default().
	Logger *slog.Logger
}

// Handler serves Lambda's REST-JSON protocol for one [lambda.Service]:
// the API paths of the AWS SDKs and the AWS CLI under /2015-03-31/,
// /2017-10-31/, /2019-09-30/ and /2016-08-19/. It is safe for concurrent
// use.
type Handler struct {
	svc    *lambda.Service
	opts   Options
	logger *slog.Logger

	mu   sync.Mutex
	rand *rand.Rand

	// pkgs holds the extracted .zip packages; codeMu orders the
	// operations that create, replace and delete code so that a package
	// being created is never collected.
	pkgs   codeStore
	codeMu sync.Mutex
}

// NewHandler returns a handler serving svc over Lambda's wire protocol.
func NewHandler(svc *lambda.Service, opts Options) *Handler {
	seed := opts.Seed
	if seed == 0 {
		seed = 1
	}
	logger := opts.Logger
	if logger == nil {
		logger = slog.Default()
	}
	return &Handler{svc: svc, opts: opts, logger: logger, rand: rand.New(rand.NewPCG(seed, seed^0x510e527fade682d1)),
		pkgs: codeStore{parent: opts.CodeDir}}
}

// PathPrefixes are the first segments of the paths of Lambda's API, by
// the date of the API version that introduced them. A router sends a
// request whose path starts with one of them to a [Handler].
var PathPrefixes = []string{"/2015-03-31/", "/2016-08-19/", "/2017-10-31/", "/2019-09-30/"}

// IsLambdaPath reports whether path is one of Lambda's API paths.
func IsLambdaPath(path string) bool {
	for _, p := range PathPrefixes {
		if strings.HasPrefix(path, p) {
			return true
		}
	}
	return false
}

// requestID returns a version 4 UUID, the shape of Lambda's request IDs.
func (h *Handler) requestID() string {
	h.mu.Lock()
	hi, lo := h.rand.Uint64(), h.rand.Uint64()
	h.mu.Unlock()
	hi = hi&^0xf000 | 0x4000
	lo = lo&^(0xc<<60) | 0x8<<60
	return fmt.Sprintf("%08x-%04x-%04x-%04x-%012x", hi>>32, hi>>16&0xffff, hi&0xffff, lo>>48, lo&0xffffffffffff)
}

// request is a decoded request: the operation its method and path name,
// the labels of the path, its query, headers and body.
type request struct {
	ctx      context.Context
	op       string
	function string // the {FunctionName} label
	alias    string // the {Name} label of the alias operations
	query    url.Values
	header   http.Header
	body     []byte
}

// route names the operation of a method and an escaped path, and returns
// its labels, unescaped. ok is false when no operation matches.
func route(method, escapedPath string) (op, function, alias string, ok bool) {
	path := strings.TrimSuffix(escapedPath, "/")
	segs := strings.Split(strings.TrimPrefix(path, "/"), "/")
	for i, s := range segs {
		u, err := url.PathUnescape(s)
		if err != nil {
			return "", "", "", false
		}
		segs[i] = u
	}
	if len(segs) < 2 {
		return "", "", "", false
	}
	version, rest := segs[0], segs[1:]
	switch version {
	case "2016-08-19":
		if len(rest) == 1 && rest[0] == "account-settings" && method == http.MethodGet {
			return "GetAccountSettings", "", "", true
		}
		return "", "", "", false
	case "2017-10-31", "2019-09-30":
		if len(rest) != 3 || rest[0] != "functions" || rest[1] == "" || rest[2] != "concurrency" {
			return "", "", "", false
		}
		switch {
		case version == "2017-10-31" && method == http.MethodPut:
			return "PutFunctionConcurrency", rest[1], "", true
		case version == "2017-10-31" && method == http.MethodDelete:
			return "DeleteFunctionConcurrency", rest[1], "", true
		case version == "2019-09-30" && method == http.MethodGet:
			return "GetFunctionConcurrency", rest[1], "", true
		}
		return "", "", "", false
	case "2015-03-31":
	default:
		return "", "", "", false
	}
	if rest[0] != "functions" {
		return "", "", "", false
	}
	if len(rest) == 1 {
		switch method {
		case http.MethodGet:
			return "ListFunctions", "", "", true
		case http.MethodPost:
			return "CreateFunction", "", "", true
		}
		return "", "", "", false
	}
	name := rest[1]
	if name == "" {
		return "", "", "", false
	}
	switch len(rest) {
	case 2:
		switch method {
		case http.MethodGet:
			return "GetFunction", name, "", true
		case http.MethodDelete:
			return "DeleteFunction", name, "", true
		}
	case 3:
		switch rest[2] + " " + method {
		case "invocations POST":
			return "Invoke", name, "", true
		case "configuration GET":
			return "GetFunctionConfiguration", name, "", true
		case "configuration PUT":
			return "UpdateFunctionConfiguration", name, "", true
		case "code PUT":
			return "UpdateFunctionCode", name, "", true
		case "versions POST":
			return "PublishVersion", name, "", true
		case "versions GET":
			return "ListVersionsByFunction", name, "", true
		case "aliases POST":
			return "CreateAlias", name, "", true
		case "aliases GET":
			return "ListAliases", name, "", true
		}
	case 4:
		if rest[2] != "aliases" || rest[3] == "" {
			break
		}
		switch method {
		case http.MethodGet:
			return "GetAlias", name, rest[3], true
		case http.MethodPut:
			return "UpdateAlias", name, rest[3], true
		case http.MethodDelete:
			return "DeleteAlias", name, rest[3], true
		}
	}
	return "", "", "", false
}

// maxControlBody is the largest body of a control-plane request read: a
// CreateFunction carrying a 50 MB .zip, base64-encoded, with room for
// the rest.
const maxControlBody = 70 << 20

// ServeHTTP answers one request. Every response carries x-amzn-RequestId;
// an error carries x-amzn-ErrorType and Lambda's JSON error body.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	id := h.requestID()
	w.Header().Set("X-Amzn-Requestid", id)
	wrote := false
	op := ""
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		if p == http.ErrAbortHandler {
			panic(p)
		}
		h.logger.Error("lambda/wire: panic serving request", "requestId", id, "operation", op,
			"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
		if !wrote {
			writeError(w, lambda.ErrService.New("Internal server error"))
		}
	}()
	fail := func(err error) {
		wrote = true
		if e := apiError(err); e.Code == lambda.ErrService.Code && !errors.Is(err, lambda.ErrService) {
			h.logger.Error("lambda/wire: internal error", "requestId", id, "operation", op, "error", err)
		}
		writeError(w, err)
	}

	var function, alias string
	var ok bool
	op, function, alias, ok = route(r.Method, r.URL.EscapedPath())
	if !ok {
		fail(ErrUnknownOperation.New("Unknown operation " + r.Method + " " + r.URL.Path))
		return
	}
	limit := int64(maxControlBody)
	if op == "Invoke" {
		// One byte over the quota is enough for the service to refuse it.
		limit = int64(h.svc.Limits().MaxSyncPayload) + 1
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, limit))
	if err != nil {
		fail(ErrInvalidRequestContent.New("Could not read the request body: " + err.Error()))
		return
	}
	req := &request{ctx: r.Context(), op: op, function: function, alias: alias, query: r.URL.Query(), header: r.Header, body: body}
	res, err := operations[op](h, req)
	if err != nil {
		fail(err)
		return
	}
	wrote = true
	res.write(w)
}

// response is an operation's answer.
type response struct {
	status int
	header map[string]string
	body   []byte
	// contentType is the body's type; application/json by default.
	contentType string
}

func (res *response) write(w http.ResponseWriter) {
	hd := w.Header()
	for k, v := range res.header {
		hd.Set(k, v)
	}
	if res.body != nil || res.status == http.StatusOK || res.status == http.StatusCreated {
		ct := res.contentType
		if ct == "" {
			ct = "application/json"
		}
		hd.Set("Content-Type", ct)
	}
	hd.Set("Content-Length", strconv.Itoa(len(res.body)))
	w.WriteHeader(res.status)
	_, _ = w.Write(res.body)
}

// jsonResponse encodes v as the body of a response with status.
func jsonResponse(status int, v any) (*response, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return &response{status: status, body: b}, nil
}

// decodeBody decodes a request's JSON body into v. An empty body is {}.
func decodeBody(req *request, v any) error {
	if len(req.body) == 0 {
		return nil
	}
	if err := json.Unmarshal(req.body, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return lambda.ErrInvalidParameterValue.Newf("The value of %s has the wrong JSON type: %s where %s is expected", te.Field, te.Value, te.Type)
		}
		return ErrInvalidRequestContent.New("Could not parse request body into json: " + err.Error())
	}
	return nil
}
