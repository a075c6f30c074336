package apigw

import (
	"context"
	"errors"
	"io"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coder/websocket"
	"github.com/minicloud/minicloud/clock"
)

// WebSocketStage serves one deployment of a [WebSocketAPI] as an
// http.Handler: a WebSocket handshake (RFC 6455) at its root opens a
// connection, and "/@connections/{connectionId}" is the @connections
// management API. It holds the stage's connections and metrics, and is
// safe for concurrent use.
type WebSocketStage struct {
	api  *WebSocketAPI
	name string

	mu      sync.Mutex
	routes  map[string]WebSocketRoute
	vars    map[string]string
	conns   map[string]*wsConn // connecting and open connections, by ID
	metrics WebSocketMetrics
}

// wsConn is one client connection.
type wsConn struct {
	st          *WebSocketStage
	id          string
	connectedAt time.Time
	sourceIP    string
	userAgent   string
	header      http.Header
	query       url.Values
	authorizer  *AuthorizerResult

	ctx    context.Context // cancelled when the connection is gone
	cancel context.CancelFunc

	ready chan struct{} // closed once the handshake is done (ws set) or failed

	mu         sync.Mutex
	ws         *websocket.Conn // nil until the handshake is accepted
	open       bool            // $connect accepted it and it has not closed
	lastActive time.Time
	idle       clock.Timer
	closeCode  websocket.StatusCode // set when API Gateway closes the connection
	closeWhy   string
	closeDone  chan struct{} // closed when API Gateway's close handshake is over
}

// Name returns the stage's name.
func (st *WebSocketStage) Name() string { return st.name }

// API returns the stage's API.
func (st *WebSocketStage) API() *WebSocketAPI { return st.api }

// URL returns the stage's wss:// URL on the default execute-api endpoint.
func (st *WebSocketStage) URL() string {
	return "wss://" + st.api.Endpoint() + "/" + st.name
}

// ConnectionsURL returns the base URL of the stage's @connections API,
// the endpoint an apigatewaymanagementapi client is given:
// https://{api-id}.execute-api.{region}.amazonaws.com/{stage}.
func (st *WebSocketStage) ConnectionsURL() string {
	return "https://" + st.api.Endpoint() + "/" + st.name
}

// Connections returns the IDs of the stage's open connections, sorted.
func (st *WebSocketStage) Connections() []string {
	st.mu.Lock()
	defer st.mu.Unlock()
	var ids []string
	for id, c := range st.conns {
		if c.isOpen() {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// ServeHTTP serves a WebSocket handshake at "/" and the @connections API
// at "/@connections/{connectionId}".
func (st *WebSocketStage) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st.serve(w, r, r.URL.EscapedPath())
}

func (st *WebSocketStage) serve(w http.ResponseWriter, r *http.Request, escapedPath string) {
	if rest, ok := strings.CutPrefix(escapedPath, "/@connections/"); ok {
		st.serveConnections(w, r, rest)
		return
	}
	if escapedPath != "/" && escapedPath != "" {
		writeWSError(w, http.StatusForbidden, "ForbiddenException", `{"message":"Forbidden"}`)
		return
	}
	if !strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
		writeWSError(w, http.StatusUpgradeRequired, "", `{"message":"Upgrade Required"}`)
		return
	}
	st.connect(w, r)
}

// connect runs the $connect route and, if it accepts, the connection.
func (st *WebSocketStage) connect(w http.ResponseWriter, r *http.Request) {
	s := st.api.s
	limits, connectBucket := s.wsState()
	now := s.clock.Now()
	if !connectBucket.take(now) {
		st.count(func(m *WebSocketMetrics) { m.ClientError++ })
		s.logger.Info("apigw: websocket connection refused", "apiId", st.api.id, "stage", st.name,
			"status", 429, "reason", "over the account's new connection rate ("+strconv.FormatFloat(limits.ConnectRate, 'f', -1, 64)+" per second)")
		writeWSError(w, http.StatusTooManyRequests, "LimitExceededException", `{"message":"Too Many Requests"}`)
		return
	}
	c := &wsConn{
		st: st, id: s.newExtendedRequestID(), connectedAt: now,
		sourceIP: sourceIP(r), userAgent: r.UserAgent(),
		header: r.Header.Clone(), query: r.URL.Query(),
		lastActive: now, ready: make(chan struct{}),
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	defer c.cancel()
	if r.Host != "" {
		c.header.Set("Host", r.Host)
	}
	st.mu.Lock()
	routes := st.routes
	st.conns[c.id] = c
	st.mu.Unlock()
	reject := func(status int, errType, body, reason string) {
		st.drop(c)
		s.logger.Info("apigw: websocket connection refused", "apiId", st.api.id, "stage", st.name,
			"connectionId", c.id, "status", status, "reason", reason)
		writeWSError(w, status, errType, body)
	}

	var subprotocol string
	if route, ok := routes[RouteConnect]; ok {
		if az := route.Authorizer; az != nil {
			res, e := c.authorize(r.Context(), az)
			if e != nil {
				if e.status < 500 {
					st.count(func(m *WebSocketMetrics) { m.ClientError++ })
				} else {
					st.count(func(m *WebSocketMetrics) { m.ExecutionError++ })
				}
				reject(e.status, e.errType, e.body, e.reason)
				return
			}
			c.authorizer = res
		}
		st.count(func(m *WebSocketMetrics) { m.ConnectCount++ })
		req := c.newRequest("CONNECT", RouteConnect)
		res, err := st.integrate(r.Context(), route, req, limits.IntegrationTimeout)
		switch {
		case err != nil:
			st.count(func(m *WebSocketMetrics) { m.ExecutionError++ })
			reject(http.StatusInternalServerError, "InternalServerErrorException", `{"message": "Internal server error"}`, "$connect integration failed: "+err.Error())
			return
		case res.StatusCode < 200 || res.StatusCode > 299:
			st.count(func(m *WebSocketMetrics) { m.IntegrationError++ })
			st.drop(c)
			s.logger.Info("apigw: websocket connection refused", "apiId", st.api.id, "stage", st.name,
				"connectionId", c.id, "status", res.StatusCode, "reason", "$connect integration answered "+strconv.Itoa(res.StatusCode))
			for k, vs := range res.Header {
				w.Header()[k] = vs
			}
			w.WriteHeader(res.StatusCode)
			_, _ = w.Write(res.Body)
			return
		}
		subprotocol = res.Header.Get("Sec-WebSocket-Protocol")
	} else {
		st.count(func(m *WebSocketMetrics) { m.ConnectCount++ })
	}

	opts := &websocket.AcceptOptions{InsecureSkipVerify: true, CompressionMode: websocket.CompressionDisabled}
	if subprotocol != "" {
		opts.Subprotocols = []string{subprotocol}
	}
	// From here the connection is open for the @connections API: a post
	// waits for the handshake to finish.
	c.mu.Lock()
	c.open = true
	c.mu.Unlock()
	ws, err := websocket.Accept(w, r, opts)
	if err != nil {
		c.mu.Lock()
		c.open = false
		c.mu.Unlock()
		close(c.ready)
		st.drop(c)
		return
	}
	ws.SetReadLimit(-1) // the 128 KB limit is checked here, to close with AWS's reason
	c.mu.Lock()
	c.ws = ws
	c.idle = s.clock.NewTimer(limits.IdleTimeout)
	c.mu.Unlock()
	close(c.ready)
	c.run(limits)
}

// run reads the client's messages until the connection closes, then
// runs $disconnect.
func (c *wsConn) run(limits WebSocketLimits) {
	st, s := c.st, c.st.api.s
	go c.watch(limits)
	var readErr error
	for {
		typ, rd, err := c.ws.Reader(c.ctx)
		if err != nil {
			readErr = err
			break
		}
		data, err := io.ReadAll(io.LimitReader(rd, int64(limits.MaxMessage)+1))
		if err != nil {
			readErr = err
			break
		}
		if len(data) > limits.MaxMessage {
			st.count(func(m *WebSocketMetrics) { m.ClientError++ })
			c.close(websocket.StatusMessageTooBig, "Message too big")
			break
		}
		c.touch(limits.IdleTimeout)
		st.message(c, typ, data, limits)
	}

	c.mu.Lock()
	closing := c.closeDone
	c.mu.Unlock()
	if closing != nil {
		<-closing // let API Gateway's close frame go out first
	}
	c.mu.Lock()
	code, why := c.closeCode, c.closeWhy
	c.open = false
	if c.idle != nil {
		c.idle.Stop()
	}
	c.mu.Unlock()
	if code == 0 {
		code = websocket.CloseStatus(readErr)
		if code == -1 {
			code = websocket.StatusNoStatusRcvd
		}
		var ce websocket.CloseError
		if errors.As(readErr, &ce) {
			why = ce.Reason
		}
	}
	c.cancel()
	_ = c.ws.CloseNow()
	st.drop(c)
	s.ws.meter.addConnection(s.clock.Since(c.connectedAt))

	st.mu.Lock()
	route, ok := st.routes[RouteDisconnect]
	st.mu.Unlock()
	if ok {
		req := c.newRequest("DISCONNECT", RouteDisconnect)
		req.DisconnectStatusCode = int(code)
		req.DisconnectReason = why
		if _, err := st.integrate(context.Background(), route, req, limits.IntegrationTimeout); err != nil {
			st.count(func(m *WebSocketMetrics) { m.ExecutionError++ })
			s.logger.Info("apigw: $disconnect integration failed", "apiId", st.api.id, "stage", st.name, "connectionId", c.id, "reason", err.Error())
		}
	}
}

// watch closes the connection at the idle timeout and the maximum
// connection duration, on the service's clock.
func (c *wsConn) watch(limits WebSocketLimits) {
	clk := c.st.api.s.clock
	maxTimer := clk.NewTimer(limits.MaxConnectionDuration)
	defer maxTimer.Stop()
	c.mu.Lock()
	idle := c.idle
	c.mu.Unlock()
	select {
	case <-idle.C():
		c.close(websocket.StatusGoingAway, "Going away")
	case <-maxTimer.C():
		c.close(websocket.StatusGoingAway, "Going away")
	case <-c.ctx.Done():
	}
}

// touch records client activity: it restarts the idle timeout.
func (c *wsConn) touch(idleTimeout time.Duration) {
	now := c.st.api.s.clock.Now()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lastActive = now
	if c.idle != nil {
		c.idle.Reset(idleTimeout)
	}
}

// close closes the connection from API Gateway's side (once).
func (c *wsConn) close(code websocket.StatusCode, why string) {
	c.mu.Lock()
	if !c.open || c.closeCode != 0 {
		c.mu.Unlock()
		return
	}
	c.closeCode, c.closeWhy = code, why
	done := make(chan struct{})
	c.closeDone = done
	c.mu.Unlock()
	go func() {
		defer close(done)
		<-c.ready
		c.mu.Lock()
		ws := c.ws
		c.mu.Unlock()
		if ws != nil {
			_ = ws.Close(code, why)
		}
	}()
}

func (c *wsConn) isOpen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.open && c.closeCode == 0
}

// send writes one message to the client in frames of at most MaxFrame
// bytes: text if it is valid UTF-8, else binary.
func (c *wsConn) send(ctx context.Context, data []byte, maxFrame int) error {
	select {
	case <-c.ready:
	case <-ctx.Done():
		return ctx.Err()
	}
	c.mu.Lock()
	ws, open := c.ws, c.open && c.closeCode == 0
	c.mu.Unlock()
	if !open || ws == nil {
		return errGoneConn
	}
	// Counted before writing, so that a client that read it sees it in
	// the metrics.
	c.st.countMessage(len(data))
	typ := websocket.MessageText
	if !utf8.Valid(data) {
		typ = websocket.MessageBinary
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(c.ctx, cancel)
	defer stop()
	if len(data) <= maxFrame {
		if err := ws.Write(ctx, typ, data); err != nil {
			return err
		}
	} else {
		wr, err := ws.Writer(ctx, typ)
		if err != nil {
			return err
		}
		for len(data) > 0 {
			n := min(len(data), maxFrame)
			if _, err := wr.Write(data[:n]); err != nil {
				return err
			}
			data = data[n:]
		}
		if err := wr.Close(); err != nil {
			return err
		}
	}
	return nil
}

var errGoneConn = errors.New("connection is gone")

// drop forgets a connection: from now on it is gone.
func (st *WebSocketStage) drop(c *wsConn) {
	st.mu.Lock()
	if st.conns[c.id] == c {
		delete(st.conns, c.id)
	}
	st.mu.Unlock()
}

func (st *WebSocketStage) conn(id string) *wsConn {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.conns[id]
}

// closeAll closes every open connection (the API is being deleted).
func (st *WebSocketStage) closeAll() {
	st.mu.Lock()
	conns := make([]*wsConn, 0, len(st.conns))
	for _, c := range st.conns {
		conns = append(conns, c)
	}
	st.mu.Unlock()
	for _, c := range conns {
		c.close(websocket.StatusGoingAway, "Going away")
	}
}

// message routes one client message and runs its integration.
func (st *WebSocketStage) message(c *wsConn, typ websocket.MessageType, data []byte, limits WebSocketLimits) {
	s := st.api.s
	st.countMessage(len(data))
	st.mu.Lock()
	routes := st.routes
	st.mu.Unlock()
	key, found := "", false
	if typ == websocket.MessageText {
		key, found = st.api.sel.eval(data)
	}
	route, ok := routes[key]
	if !found || !ok || key == RouteConnect || key == RouteDisconnect {
		key = RouteDefault
		route, ok = routes[RouteDefault]
	}
	req := c.newRequest("MESSAGE", key)
	req.MessageID = s.newExtendedRequestID()
	req.Body = data
	req.IsBinary = typ == websocket.MessageBinary
	if !ok {
		st.count(func(m *WebSocketMetrics) { m.ClientError++ })
		s.logger.Info("apigw: websocket message refused", "apiId", st.api.id, "stage", st.name,
			"connectionId", c.id, "requestId", req.RequestID, "reason", "no route matches and there is no $default route")
		_ = c.send(c.ctx, wsErrorMessage("Forbidden", c.id, req.RequestID), limits.MaxFrame)
		return
	}
	st.count(func(m *WebSocketMetrics) {
		if m.ByRoute == nil {
			m.ByRoute = map[string]int64{}
		}
		m.ByRoute[key]++
	})
	res, err := st.integrate(c.ctx, route, req, limits.IntegrationTimeout)
	if err != nil {
		st.count(func(m *WebSocketMetrics) { m.ExecutionError++ })
		msg := "Internal server error"
		if errors.Is(err, errWSTimeout) {
			msg = "Endpoint request timed out"
		}
		s.logger.Info("apigw: websocket integration failed", "apiId", st.api.id, "stage", st.name,
			"connectionId", c.id, "requestId", req.RequestID, "route", key, "reason", err.Error())
		_ = c.send(c.ctx, wsErrorMessage(msg, c.id, req.RequestID), limits.MaxFrame)
		return
	}
	if res.StatusCode >= 400 {
		st.count(func(m *WebSocketMetrics) { m.IntegrationError++ })
	}
	if route.RouteResponse && len(res.Body) > 0 {
		_ = c.send(c.ctx, res.Body, limits.MaxFrame)
	}
}

// wsErrorMessage is the message API Gateway sends a client whose message
// it could not deliver: {"message": "Forbidden", "connectionId":"…",
// "requestId":"…"}.
func wsErrorMessage(msg, connectionID, requestID string) []byte {
	return []byte(`{"message": ` + strconv.Quote(msg) + `, "connectionId":` + strconv.Quote(connectionID) + `, "requestId":` + strconv.Quote(requestID) + `}`)
}

var errWSTimeout = errors.New("integration timed out")

// integrate runs a route's integration with the timeout on the clock.
func (st *WebSocketStage) integrate(ctx context.Context, route WebSocketRoute, req *WebSocketRequest, timeout time.Duration) (*WebSocketResponse, error) {
	s := st.api.s
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		res *WebSocketResponse
		err error
	}
	done := make(chan result, 1)
	timer := s.clock.NewTimer(timeout)
	defer timer.Stop()
	started := s.clock.Now()
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{err: errors.New("integration panicked")}
			}
		}()
		res, err := route.Integration.Integrate(ctx, req)
		done <- result{res, err}
	}()
	var out result
	select {
	case out = <-done:
	case <-timer.C():
		out.err = errWSTimeout
	case <-ctx.Done():
		out.err = ctx.Err()
	}
	latency := s.clock.Since(started)
	st.count(func(m *WebSocketMetrics) { m.IntegrationLatency += latency })
	if out.err != nil {
		return nil, out.err
	}
	if out.res == nil {
		out.res = &WebSocketResponse{StatusCode: http.StatusOK}
	}
	if out.res.StatusCode == 0 {
		out.res.StatusCode = http.StatusOK
	}
	return out.res, nil
}

// newRequest builds what an integration receives.
func (c *wsConn) newRequest(eventType, routeKey string) *WebSocketRequest {
	st, s := c.st, c.st.api.s
	st.mu.Lock()
	vars := maps.Clone(st.vars)
	st.mu.Unlock()
	req := &WebSocketRequest{
		ConnectionID:      c.id,
		RouteKey:          routeKey,
		EventType:         eventType,
		APIID:             st.api.id,
		Stage:             st.name,
		StageVariables:    vars,
		AccountID:         s.accountID,
		DomainName:        st.api.Endpoint(),
		RequestID:         s.newExtendedRequestID(),
		ExtendedRequestID: "",
		RequestTime:       s.clock.Now(),
		ConnectedAt:       c.connectedAt,
		SourceIP:          c.sourceIP,
		UserAgent:         c.userAgent,
		Authorizer:        c.authorizer,
		stage:             st,
	}
	req.ExtendedRequestID = req.RequestID
	if eventType != "MESSAGE" {
		req.Header = c.header.Clone()
		req.Query = cloneValues(c.query)
	}
	return req
}

func cloneValues(v url.Values) url.Values {
	if v == nil {
		return nil
	}
	out := make(url.Values, len(v))
	for k, vs := range v {
		out[k] = append([]string(nil), vs...)
	}
	return out
}
