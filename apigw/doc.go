// Package apigw simulates Amazon API Gateway's REST APIs and HTTP APIs as
// http.Handlers.
//
// An [API] is built in Go: routes ("GET /items/{id}", "ANY /{proxy+}",
// and for HTTP APIs "$default") each with an [Integration] — a Lambda
// function through [LambdaProxy], another handler or URL through
// [HTTPProxy], a [Mock], or any Go function ([IntegrationFunc], which is
// also how AWS service integrations are written). A deployment snapshots
// the routes; a [Stage] serves one deployment as an http.Handler with its
// own stage variables, throttling, caching and access log:
//
//	api, _ := gw.CreateAPI(apigw.APIConfig{Name: "todo", Kind: apigw.REST})
//	api.Route("GET /items/{id}", apigw.Route{Integration: apigw.LambdaProxy{Function: fn}})
//	stage, _ := api.Deploy("prod")
//	srv := httptest.NewServer(stage)
//
// # Requests
//
// A stage handles a request in API Gateway's order: payload limit (10 MB,
// 413), account-level throttle (10,000 requests per second, burst 5,000)
// and stage throttle (429 {"message":"Too Many Requests"}), route
// matching (the most specific route wins: a literal segment beats a
// {param}, which beats a greedy {proxy+}; an unknown route answers a REST
// API's 403 {"message":"Missing Authentication Token"} or an HTTP API's
// 404 {"message":"Not Found"}), authorization, API key, per-route
// throttle, request validation, the stage cache, then the integration
// with its 29-second timeout (504 {"message": "Endpoint request timed
// out"} on a REST API, 503 {"message":"Service Unavailable"} on an HTTP
// API), all on the service's clock.
//
// Paths match case-sensitively and segment by segment after each segment
// is percent-decoded, so "%2F" stays inside one path parameter and "..",
// doubled or trailing slashes reach only routes written with them.
//
// # Lambda proxy events
//
// A Lambda proxy integration sends the JSON that aws-lambda-go reads as
// events.APIGatewayProxyRequest (payload format 1.0, REST APIs) or
// events.APIGatewayV2HTTPRequest (2.0, HTTP APIs): headers and
// multiValueHeaders, query strings, path parameters, stage variables,
// requestContext with identity, authorizer output, request time and IDs,
// base64 for binary bodies. The result is read as API Gateway reads it; a
// result it cannot read answers 502 {"message": "Internal server error"}
// (REST) or 500 {"message":"Internal Server Error"} (HTTP). Header names
// reach the function in Go's canonical form ("Content-Type"); API Gateway
// keeps the client's spelling.
//
// # Observability
//
// Each stage keeps CloudWatch's metrics ([Stage.Metrics]: Count,
// 4XXError, 5XXError, Latency, IntegrationLatency, cache hits and
// misses), can write an access log line per request with $context
// variables, and every denied request is logged with its reason. The
// cost meter ([Service.Cost]) prices requests and cache hours.
//
// # API keys, usage plans and caching
//
// A REST route with APIKeyRequired admits only requests whose API key
// ([Service.CreateAPIKey]: 20 to 128 characters, 40 generated) is
// enabled and belongs to a usage plan ([Service.CreateUsagePlan],
// [Service.CreateUsagePlanKey]) listing the request's API and stage; a
// key is in at most one plan per API stage. The key comes from the
// x-api-key header, or from a Lambda authorizer's usageIdentifierKey
// when the API's APIKeySource is AUTHORIZER. Anything else answers 403
// {"message": "Forbidden"}. Each key of a plan gets its own token bucket
// (429 {"message": "Too Many Requests"}) and quota per UTC day, ISO week
// or calendar month, less the offset in the plan's first period (429
// {"message": "Limit Exceeded"}); [Service.GetUsage] reports each key's
// used and remaining requests per day.
//
// A REST stage with CacheClusterEnabled answers cached routes from its
// cache: the "*" method setting caches GET requests, a route's own
// setting caches that route. Entries are 2xx responses up to 1 MB, kept
// with their headers for the TTL (300 s by default, up to 3,600 s) on the
// clock, keyed by method, resource path, path parameters and the route's
// CacheKeyParameters. A client's Cache-Control: max-age=0 refetches and
// replaces the entry; with RequireAuthorizationForCacheControl only a
// verified AWS_IAM caller may do so, and others are ignored (with a
// Warning header for SUCCEED_WITH_RESPONSE_HEADER) or refused with 403
// (FAIL_WITH_403). [Stage.FlushStageCache] empties the cache.
package apigw
