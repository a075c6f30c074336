package apigw

import (
	"fmt"
	"maps"
	"math"
	"sync"
	"time"
)

// WebSocketMetrics are a WebSocket stage's CloudWatch metrics, summed
// since it was created: the numbers API Gateway publishes for WebSocket
// APIs in the AWS/ApiGateway namespace.
type WebSocketMetrics struct {
	// ConnectCount is the number of connection attempts that reached the
	// $connect route (after its authorizer).
	ConnectCount int64
	// MessageCount is the number of messages, from and to clients
	// (route responses, error messages and PostToConnection included).
	MessageCount int64
	// IntegrationError counts integration responses with a 4XX or 5XX
	// status.
	IntegrationError int64
	// ClientError counts what API Gateway refused before the integration:
	// throttled or unauthorized connections, messages without a route,
	// oversized messages.
	ClientError int64
	// ExecutionError counts failed integration calls (errors, timeouts,
	// unreadable Lambda results).
	ExecutionError int64
	// IntegrationLatency is the total time spent in integrations.
	IntegrationLatency time.Duration
	// ByRoute counts messages per selected route key.
	ByRoute map[string]int64
}

// Metrics returns a copy of the stage's metrics.
func (st *WebSocketStage) Metrics() WebSocketMetrics {
	st.mu.Lock()
	defer st.mu.Unlock()
	m := st.metrics
	m.ByRoute = maps.Clone(st.metrics.ByRoute)
	if m.ByRoute == nil {
		m.ByRoute = map[string]int64{}
	}
	return m
}

func (st *WebSocketStage) count(f func(*WebSocketMetrics)) {
	st.mu.Lock()
	f(&st.metrics)
	st.mu.Unlock()
}

// countMessage counts a message for the metrics and the cost meter.
func (st *WebSocketStage) countMessage(size int) {
	st.count(func(m *WebSocketMetrics) { m.MessageCount++ })
	st.api.s.ws.meter.addMessage(size)
}

// WebSocketPrices are API Gateway's WebSocket prices, the data of the
// WebSocket cost meter. [DefaultWebSocketPrices] holds us-east-1's.
type WebSocketPrices struct {
	// Source names where the numbers come from.
	Source string
	// MessagesPerMillion prices messages sent and received (first billion
	// a month), metered in 32 KB increments: a 33 KB message counts as
	// two.
	MessagesPerMillion float64
	// ConnectionMinutesPerMillion prices connection minutes.
	ConnectionMinutesPerMillion float64
}

// DefaultWebSocketPrices returns API Gateway's WebSocket prices in US East
// (N. Virginia): $1.00 per million messages (first billion), metered in
// 32 KB increments, and $0.25 per million connection minutes. Source:
// https://aws.amazon.com/api-gateway/pricing/.
func DefaultWebSocketPrices() WebSocketPrices {
	return WebSocketPrices{
		Source:                      "https://aws.amazon.com/api-gateway/pricing/ (us-east-1)",
		MessagesPerMillion:          1.00,
		ConnectionMinutesPerMillion: 0.25,
	}
}

// wsMeter counts what the WebSocket cost meter prices.
type wsMeter struct {
	mu       sync.Mutex
	messages int64 // in 32 KB units
	minutes  int64 // of closed connections, each rounded up to a minute
}

func (m *wsMeter) addMessage(size int) {
	units := int64(1)
	if size > 32<<10 {
		units = int64((size + 32<<10 - 1) / (32 << 10))
	}
	m.mu.Lock()
	m.messages += units
	m.mu.Unlock()
}

func (m *wsMeter) addConnection(d time.Duration) {
	m.mu.Lock()
	m.minutes += connectionMinutes(d)
	m.mu.Unlock()
}

// connectionMinutes rounds a connection's duration up to whole minutes
// (at least one).
func connectionMinutes(d time.Duration) int64 {
	return max(1, int64(math.Ceil(d.Minutes())))
}

// WebSocketUsage is what the account's WebSocket APIs used: messages in
// 32 KB units and connection minutes (open connections counted up to
// now).
type WebSocketUsage struct {
	Messages          int64
	ConnectionMinutes int64
}

// WebSocketBill is the cost of a [WebSocketUsage], in US dollars.
type WebSocketBill struct {
	Messages, ConnectionMinutes, Total float64
}

func (b WebSocketBill) String() string {
	return fmt.Sprintf("API Gateway WebSocket: $%.6f (messages $%.6f, connection minutes $%.6f)", b.Total, b.Messages, b.ConnectionMinutes)
}

// Estimate prices a usage.
func (p WebSocketPrices) Estimate(u WebSocketUsage) WebSocketBill {
	var b WebSocketBill
	b.Messages = float64(u.Messages) / 1e6 * p.MessagesPerMillion
	b.ConnectionMinutes = float64(u.ConnectionMinutes) / 1e6 * p.ConnectionMinutesPerMillion
	b.Total = b.Messages + b.ConnectionMinutes
	return b
}

// WebSocketUsage returns what the service's WebSocket APIs used so far.
func (s *Service) WebSocketUsage() WebSocketUsage {
	m := &s.ws.meter
	m.mu.Lock()
	u := WebSocketUsage{Messages: m.messages, ConnectionMinutes: m.minutes}
	m.mu.Unlock()
	now := s.clock.Now()
	for _, a := range s.WebSocketAPIs() {
		for _, st := range a.Stages() {
			st.mu.Lock()
			for _, c := range st.conns {
				if c.isOpen() {
					u.ConnectionMinutes += connectionMinutes(now.Sub(c.connectedAt))
				}
			}
			st.mu.Unlock()
		}
	}
	return u
}

// WebSocketCost prices what the service's WebSocket APIs used so far.
func (s *Service) WebSocketCost() WebSocketBill {
	r := &s.ws
	r.mu.Lock()
	r.lockedInit(s)
	p := r.prices
	r.mu.Unlock()
	return p.Estimate(s.WebSocketUsage())
}
