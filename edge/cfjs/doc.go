// Package cfjs runs real CloudFront Functions, written in JavaScript for
// the cloudfront-js-2.0 runtime, as [edge.Function]s, so that a user can
// unit-test the very file they deploy.
//
// The JavaScript runs in goja, a JavaScript engine written in pure Go (no
// cgo, no Node.js): a pure-Go engine is the only way to run a user's real
// function file inside a Go test without another process. The function
// gets the cloudfront-js-2.0 event object, exactly as edge builds it, and
// its result (a request or response object, or a Promise of one from an
// async handler) goes back through [edge.ParseFunctionOutput].
//
// The runtime's helper modules are there, loaded with require or with
// the import statement CloudFront accepts:
//
//   - querystring: parse, stringify, escape, unescape (and decode/encode);
//   - crypto: createHash and createHmac with md5, sha1 and sha256, digest
//     as hex, base64, base64url or a Buffer;
//   - cloudfront: kvs() returns a KeyValueStore handle whose get(key,
//     {format}), exists(key) and meta() return Promises, backed by
//     [Options.KeyValueStore]; get rejects for a missing key, as in
//     CloudFront;
//   - buffer: a small Buffer (from, toString, byteLength, concat) for
//     base64, base64url, hex and UTF-8.
//
// Like CloudFront Functions, a function has no network, no file system,
// no timers and no access to the request body; its Date is
// [Options.Clock]'s. console.log lines go to
// [Options.Logger]. A function that runs away is interrupted after
// [Options.MaxRunTime] of real time (the compute budget itself is
// enforced by edge, which reports compute utilization).
//
// Each [edge.Function] keeps a pool of JavaScript runtimes, so it is safe
// for concurrent requests; the code is compiled once.
package cfjs
