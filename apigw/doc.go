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
//
// # Authorization
//
// A route's AuthorizationType chooses who may call it. [API.CreateAuthorizer]
// makes the authorizers that CUSTOM, COGNITO_USER_POOLS and JWT routes
// name; a deployment keeps the authorizers it was made with.
//
// Lambda authorizers (TOKEN on REST APIs, REQUEST on both kinds) receive
// AWS's event — {type, authorizationToken, methodArn} for TOKEN, the
// request's headers, query string, path parameters, stage variables and
// requestContext for REQUEST, and for HTTP APIs payload format 1.0 or 2.0
// — and answer an IAM policy that is evaluated for the method ARN
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path}
// with IAM's wildcards, or, with EnableSimpleResponses, {isAuthorized}.
// Answers are cached per stage and identity source values for the TTL
// (300 s by default, up to 3,600, on the clock), and a cached policy is
// evaluated again for each request's method ARN, as AWS does. A missing
// identity source answers 401 {"message":"Unauthorized"} without invoking
// the function; a REST policy that denies answers 403 {"Message":"User is
// not authorized to access this resource with an explicit deny"} (without
// the last four words when nothing allows); a failing function or an
// unreadable answer 500 {"message": null} (AuthorizerConfigurationException).
// HTTP APIs answer denials with 403 {"message":"Forbidden"}. The
// principal, context and usageIdentifierKey reach the integration.
//
// JWT authorizers (HTTP) and Cognito user pool authorizers (REST) verify
// an RS256/384/512 token against the issuer's JWKS ([Authorizer].JWKS, or
// JWKSFunc, fetched again for a rotated key): signature, exp, nbf, iss and
// aud or client_id; "alg": "none", HMAC and unknown keys are refused with
// 401 {"message":"Unauthorized"} (an HTTP API adds a www-authenticate
// challenge). A JWT route's AuthorizationScopes need one matching scope
// (else 403 {"message":"Forbidden"}); a Cognito route with scopes takes
// access tokens holding one, a route without takes ID tokens. The claims
// and scopes reach the integration. [NewTestSigningKey] and [JWKS] play
// the identity provider in tests.
//
// AWS_IAM routes take SigV4-signed requests (service "execute-api", the
// service's Region, within 5 minutes of the clock, or presigned) from the
// keys of [Service.AddCredentials]; [SignRequest] signs without an SDK.
// Refusals are 403 with AWS's words and x-amzn-ErrorType: "Missing
// Authentication Token", InvalidSignatureException (a wrong signature, or
// "Signature expired: …"), UnrecognizedClientException ("The security
// token included in the request is invalid."). The caller (access key,
// account, ARN) appears in the proxy event's identity.
//
// A REST API's resource policy ([APIConfig].Policy, checked at creation,
// "execute-api:/…" resources expanded) is evaluated for execute-api:Invoke
// on the method ARN with aws:SourceIp (the connection's peer),
// aws:SourceVpce and aws:SourceVpc (from the [HeaderSourceVpce] and
// [HeaderSourceVpc] headers) and, for IAM callers, the principal. It
// combines with authorization as AWS's evaluation tables say: without
// authorization, or with a Cognito authorizer, it needs an explicit Allow;
// with a Lambda authorizer, an explicit Deny refuses before the function
// is invoked, and otherwise an Allow in either policy admits and a Deny in
// either refuses; with IAM, a caller of the API's account needs an Allow
// in its own policy or the resource policy, a caller of another account
// in both. A refusal is 403 {"Message":"User: anonymous is not authorized
// to perform: execute-api:Invoke on resource: arn:… with an explicit
// deny"}. Not modelled: Lambda authorizer timeouts and the authorizer's
// own IAM role, mutual TLS, IAM condition keys beyond those above.
//
// # WebSocket APIs
//
// [Service.CreateWebSocketAPI] makes a WebSocket API whose stages
// ([WebSocketAPI.Deploy]) are http.Handlers speaking RFC 6455 (with
// github.com/coder/websocket): a handshake at the stage's root opens a
// connection, whose ID ("L0SM9cOFvHcCIhw=") names it to the @connections
// API. The $connect route runs first — after its Lambda REQUEST
// authorizer ([WebSocketAuthorizer]: 401 for a missing identity source,
// 403 for a policy that does not allow execute-api:Invoke on
// …/{stage}/$connect) — and a status outside 2xx refuses the handshake
// with that status and body; posting to the connection before $connect
// returns is GoneException, as on AWS. Each message is routed by the
// API's route selection expression ("$request.body.action",
// "${request.body.service}/${request.body.action}"): a key without a
// route, a message that is not JSON or a missing member goes to $default,
// and without $default the client gets {"message": "Forbidden",
// "connectionId":"…", "requestId":"…"}. A failing integration sends
// {"message": "Internal server error", …}; a route with RouteResponse
// sends the integration's body back. $disconnect runs after every close
// with its code and reason.
//
// Integrations are Go functions ([WebSocketFunc]) or Lambda functions
// ([WebSocketLambdaProxy]) receiving the JSON of aws-lambda-go's
// events.APIGatewayWebsocketProxyRequest. [WebSocketStage.PostToConnection],
// [WebSocketStage.GetConnection] and [WebSocketStage.DeleteConnection]
// are the @connections API in Go (also reachable from a request as
// req.Connections()), and over HTTP at
// /{stage}/@connections/{connectionId} for the apigatewaymanagementapi
// client: GoneException (410) for a connection that is not open,
// PayloadTooLargeException (413) past 128 KB.
//
// The quotas ([WebSocketLimits], [Service.ConfigureWebSockets]) run on the
// service's clock: 500 new connections per second per account (429), 128
// KB messages (a larger one closes the connection with 1009 "Message too
// big"), 32 KB frames to the client, a 10-minute idle timeout and a 2-hour
// connection duration (both close with 1001 "Going away"), the 29-second
// integration timeout. [WebSocketStage.Metrics] has ConnectCount,
// MessageCount, IntegrationError, ClientError, ExecutionError and
// IntegrationLatency; [Service.WebSocketCost] prices messages ($1.00 per
// million, in 32 KB increments) and connection minutes ($0.25 per
// million).
//
// # Endpoint types, custom domains and versions
//
// [APIConfig].EndpointConfiguration chooses how clients reach an API:
// EDGE (the REST default: through CloudFront, which an edge.Distribution
// or any reverse proxy in front of the stage plays), REGIONAL (the only
// type of HTTP APIs) or PRIVATE. A private REST API cannot be deployed
// without a resource policy (BadRequestException "Private REST API
// doesn't have a resource policy attached to it"), and answers 403
// {"message":"Forbidden"} to a request that did not come through a VPC
// endpoint ([HeaderSourceVpce]) or, when the API lists VpcEndpointIds,
// through one of those; the resource policy then decides as for any REST
// API. [Service.Handler] also serves a private API by the alias host of
// an associated endpoint ([API.PrivateEndpoint]).
//
// [Service.CreateDomainName] makes a custom domain name after checking
// its ACM certificate as API Gateway does (an edge-optimized name needs
// one in us-east-1, a regional one in the service's Region: "Invalid
// certificate ARN: … Certificate must be in 'us-east-1'.") and reports
// the DNS record to create: a CNAME to a dxxxxxxxxxxxxx.cloudfront.net
// distribution or to d-xxxxxxxxxx.execute-api.{region}.amazonaws.com.
// [Service.CreateBasePathMapping] maps a base path ("" or "(none)" for
// the root, "v1", "v1/orders") to an API and stage; [Service.Handler]
// serves requests whose Host is the name by the longest matching base
// path, strips it, and answers 403 {"message":"Forbidden"} to a path no
// mapping covers. Integrations see the custom domain as
// requestContext.domainName and the client's path, base path included,
// as requestContext.path. Two versions of an API live side by side under
// /v1 and /v2 of one name.
//
// A REST stage's [StageConfig].Canary sends PercentTraffic percent of its
// requests (drawn from the service's seeded random source) to another
// deployment, with its StageVariableOverrides and, unless UseStageCache,
// without the stage cache. [Stage.CanaryMetrics] counts the canary's
// requests ("{stage}/Canary" in CloudWatch), [Stage.Metrics] the rest;
// [API.PromoteCanary] points the stage at the canary deployment, adopts
// its variable overrides and removes the canary.
package apigw
