package apigw

import "time"

// Limits holds API Gateway's quotas. A zero field means AWS's default,
// given in its comment. Unless a comment names another page, the source
// is "Amazon API Gateway quotas" in the API Gateway Developer Guide
// (https://docs.aws.amazon.com/apigateway/latest/developerguide/limits.html).
type Limits struct {
	// AccountRateLimit is the account-level steady-state request rate
	// shared by every API in the Region: 10,000 requests per second.
	AccountRateLimit float64
	// AccountBurstLimit is the account-level burst: 5,000 requests.
	AccountBurstLimit int
	// IntegrationTimeout is the longest an integration may take before
	// API Gateway answers 504 (REST) or 503 (HTTP): 29 seconds.
	IntegrationTimeout time.Duration
	// MaxPayload is the largest request or integration response body:
	// 10 MB (10,485,760 bytes).
	MaxPayload int
	// MaxAPIs is the number of REST plus HTTP APIs in the Region: 600
	// REST APIs (regional) in AWS; one figure here for both kinds.
	MaxAPIs int
	// MaxRoutes is the number of routes (resources × methods) of one API:
	// 300 resources per REST API, 300 routes per HTTP API.
	MaxRoutes int
	// MaxStages is the number of stages of one API: 10.
	MaxStages int
	// MaxStageVariables is the number of variables of one stage: 100.
	MaxStageVariables int
	// AuthorizerTTL is the default result cache of a Lambda authorizer:
	// 300 seconds (0–3,600).
	AuthorizerTTL time.Duration
	// CacheTTL is the default TTL of the stage response cache: 300
	// seconds (0–3,600).
	CacheTTL time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.AccountRateLimit == 0 {
		l.AccountRateLimit = 10_000
	}
	if l.AccountBurstLimit == 0 {
		l.AccountBurstLimit = 5_000
	}
	if l.IntegrationTimeout == 0 {
		l.IntegrationTimeout = 29 * time.Second
	}
	if l.MaxPayload == 0 {
		l.MaxPayload = 10 << 20
	}
	if l.MaxAPIs == 0 {
		l.MaxAPIs = 600
	}
	if l.MaxRoutes == 0 {
		l.MaxRoutes = 300
	}
	if l.MaxStages == 0 {
		l.MaxStages = 10
	}
	if l.MaxStageVariables == 0 {
		l.MaxStageVariables = 100
	}
	if l.AuthorizerTTL == 0 {
		l.AuthorizerTTL = 300 * time.Second
	}
	if l.CacheTTL == 0 {
		l.CacheTTL = 300 * time.Second
	}
	return l
}
