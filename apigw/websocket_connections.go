package apigw

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"time"

	"github.com/coder/websocket"
	"github.com/minicloud/minicloud/internal/awserr"
)

// Errors of the @connections management API (the ApiGatewayManagementApi
// service), as its operations return them.
var (
	// ErrGone is GoneException (410): the connection is closed, was never
	// open, or is still in its $connect route.
	ErrGone = awserr.New("GoneException", 410, "")
	// ErrPayloadTooLarge is PayloadTooLargeException (413): the data of
	// PostToConnection is over the 128 KB message limit.
	ErrPayloadTooLarge = awserr.New("PayloadTooLargeException", 413, "")
)

// WebSocketConnection is what GetConnection reports about a connection.
type WebSocketConnection struct {
	// ConnectedAt is when the connection was opened.
	ConnectedAt time.Time
	// LastActiveAt is when the client last sent a message (ConnectedAt
	// until it sends one).
	LastActiveAt time.Time
	// Identity is the client.
	Identity WebSocketIdentity
}

// WebSocketIdentity is the client of a connection.
type WebSocketIdentity struct {
	SourceIP  string
	UserAgent string
}

// openConn returns the open connection with the given ID or ErrGone.
func (st *WebSocketStage) openConn(id string) (*wsConn, error) {
	c := st.conn(id)
	if c == nil || !c.isOpen() {
		return nil, ErrGone.Newf("Connection %s is gone", id)
	}
	return c, nil
}

// PostToConnection sends data to a connected client as one message (a
// text message if it is valid UTF-8, else binary), in frames of at most
// 32 KB. It may be called from inside an integration, for any connection
// of the stage. Errors: GoneException for a connection that is closed,
// unknown, or still running its $connect route; PayloadTooLargeException
// over 128 KB.
func (st *WebSocketStage) PostToConnection(ctx context.Context, connectionID string, data []byte) error {
	limits := st.api.s.WebSocketLimits()
	if len(data) > limits.MaxMessage {
		return ErrPayloadTooLarge.Newf("Message of %d bytes is over the %d-byte limit", len(data), limits.MaxMessage)
	}
	c, err := st.openConn(connectionID)
	if err != nil {
		return err
	}
	if err := c.send(ctx, data, limits.MaxFrame); err != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		return ErrGone.Newf("Connection %s is gone", connectionID)
	}
	return nil
}

// GetConnection reports when a connection was opened and last active, and
// its client. GoneException for a connection that is not open.
func (st *WebSocketStage) GetConnection(_ context.Context, connectionID string) (*WebSocketConnection, error) {
	c, err := st.openConn(connectionID)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return &WebSocketConnection{
		ConnectedAt:  c.connectedAt,
		LastActiveAt: c.lastActive,
		Identity:     WebSocketIdentity{SourceIP: c.sourceIP, UserAgent: c.userAgent},
	}, nil
}

// DeleteConnection closes a connection (close code 1000); its $disconnect
// route then runs. GoneException for a connection that is not open.
func (st *WebSocketStage) DeleteConnection(_ context.Context, connectionID string) error {
	c, err := st.openConn(connectionID)
	if err != nil {
		return err
	}
	c.close(websocket.StatusNormalClosure, "")
	return nil
}

// serveConnections is the @connections API over HTTP, as
// aws-sdk-go-v2/service/apigatewaymanagementapi calls it: POST sends the
// body, GET answers {"connectedAt", "identity": {"sourceIp",
// "userAgent"}, "lastActiveAt"} with ISO 8601 times, DELETE answers 204.
// Errors carry x-amzn-ErrorType (GoneException with 410 and no body).
func (st *WebSocketStage) serveConnections(w http.ResponseWriter, r *http.Request, escapedID string) {
	id, err := url.PathUnescape(escapedID)
	if err != nil || id == "" {
		writeWSError(w, http.StatusBadRequest, "BadRequestException", `{"message":"Invalid connectionId"}`)
		return
	}
	ctx := r.Context()
	switch r.Method {
	case http.MethodPost:
		limits := st.api.s.WebSocketLimits()
		data, err := io.ReadAll(io.LimitReader(r.Body, int64(limits.MaxMessage)+1))
		if err != nil {
			writeWSError(w, http.StatusBadRequest, "BadRequestException", `{"message":"Could not read the request body"}`)
			return
		}
		err = st.PostToConnection(ctx, id, data)
		if err != nil {
			writeManagementError(w, err)
			return
		}
		w.WriteHeader(http.StatusOK)
	case http.MethodGet:
		info, err := st.GetConnection(ctx, id)
		if err != nil {
			writeManagementError(w, err)
			return
		}
		const iso = "2006-01-02T15:04:05.000Z"
		body, _ := json.Marshal(map[string]any{
			"connectedAt":  info.ConnectedAt.UTC().Format(iso),
			"lastActiveAt": info.LastActiveAt.UTC().Format(iso),
			"identity":     map[string]string{"sourceIp": info.Identity.SourceIP, "userAgent": info.Identity.UserAgent},
		})
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(body)
	case http.MethodDelete:
		if err := st.DeleteConnection(ctx, id); err != nil {
			writeManagementError(w, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		msg, _ := json.Marshal("No method found matching route " + st.name + "/@connections/" + escapedID + " for http method " + r.Method + ".")
		writeWSError(w, http.StatusNotFound, "NotFoundException", `{"message":`+string(msg)+`}`)
	}
}

func writeManagementError(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		writeWSError(w, http.StatusInternalServerError, "InternalServerErrorException", `{"message":"Internal server error"}`)
		return
	}
	w.Header().Set("X-Amzn-ErrorType", e.Code)
	if e.Code == ErrGone.Code {
		w.WriteHeader(e.StatusCode) // AWS answers GoneException without a body
		return
	}
	msg, _ := json.Marshal(e.Message)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.StatusCode)
	_, _ = w.Write([]byte(`{"message":` + string(msg) + `}`))
}
