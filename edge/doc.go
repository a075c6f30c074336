// Package edge simulates Amazon CloudFront: distributions that are
// http.Handlers in front of any origin http.Handler, with CloudFront's
// caching, edge locations, CloudFront Functions and Lambda@Edge.
//
// # Distributions
//
// [Service.CreateDistribution] takes origins (any http.Handler: an API
// Gateway stage, a file server, a mux) and cache behaviours. A request is
// served by the first behaviour whose path pattern matches its path
// (CloudFront's patterns: "*" is any run of characters, "?" one character,
// case-sensitive), else by the default behaviour. A behaviour sets the
// origin, the viewer protocol policy (redirect-to-https answers 301,
// https-only 403; a request is HTTPS when it came over TLS or with
// X-Forwarded-Proto: https), the allowed methods (403 otherwise) and
// cached methods, a cache policy and an origin request policy.
//
// # Edge locations and caches
//
// Each edge location (a real POP code such as FRA56-P1, in
// X-Amz-Cf-Pop) has its own cache, and sits in front of a regional edge
// cache shared with its neighbours. CloudFront routes a viewer by DNS and
// anycast; here a request says where its viewer is with
// [HeaderViewerRegion] (an AWS Region: the viewer meets the nearest
// location by great-circle distance) or [HeaderEdgeLocation] (a POP code),
// and without them meets the location nearest to
// [Options.DefaultViewerRegion].
//
// A cache policy decides the cache key (path, chosen query strings,
// headers, cookies, normalized Accept-Encoding: see [CachePolicy.CacheKey])
// and the TTL: Cache-Control s-maxage or max-age, or Expires, bounded by
// MinTTL and MaxTTL, else DefaultTTL; no-cache, no-store and private mean
// "do not cache" unless MinTTL is above zero (see [CachePolicy.TTL]).
// Responses carry X-Cache ("Hit from cloudfront", "Miss from cloudfront",
// "RefreshHit from cloudfront" after a 304 revalidation, "Error from
// cloudfront", …), Age on hits, Via, X-Amz-Cf-Pop and X-Amz-Cf-Id.
// [Service.CreateInvalidation] removes paths (with a trailing "*"
// wildcard) from every cache once it completes on the clock.
//
// Simultaneous misses for one object are collapsed into one origin
// request; a behaviour with Compress gzips compressible responses;
// origin groups fail over from a primary to a secondary origin; custom
// error responses serve a page of the distribution for an origin error
// (the single-page-app pattern); [Service.UpdateDistribution] swaps the
// configuration atomically with ETag/IfMatch locking.
//
// # The four events
//
// viewer request → (cache) → origin request → origin → origin response →
// (cache) → viewer response. Origin-facing functions run only when
// CloudFront goes to the origin. A function may change the request or the
// response, or generate a response itself.
//
// CloudFront Functions ([Function]) are Go functions over the
// cloudfront-js-2.0 event ([FunctionEvent]), on viewer events only, with
// CloudFront's restrictions: no body, no network, read-only and
// disallowed headers, a generated-response size limit, and a compute
// budget measured in wall time and reported as compute utilization (over
// 100, the viewer gets 503). The subpackage cfjs runs real JavaScript
// functions.
//
// Lambda@Edge functions ([LambdaFunctionAssociation]) run on any event
// through an [Invoker] (which *lambda.Function satisfies) with the event
// JSON AWS documents ([LambdaEdgeEvent]); associations follow Lambda@Edge's
// rules (us-east-1, published versions, no environment variables, no VPC,
// 5 s / 128 MB for viewer events, 30 s / 10,240 MB for origin events), and
// errors reach the viewer as CloudFront returns them (502 for an invalid
// result, 503 for a failed, timed-out or throttled function).
//
// # Time, metrics and cost
//
// Everything runs on the [Options.Clock]: TTLs, Age, invalidations, origin
// and Lambda@Edge timeouts. [Distribution.Metrics] reports per-location hit
// ratios, function invocations, errors and compute utilization, and origin
// latency; [Service.Cost] prices the usage with CloudFront's public prices.
package edge
