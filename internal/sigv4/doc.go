// Package sigv4 verifies and makes AWS Signature Version 4 signatures, the
// way AWS's request layer checks them for every service that takes SigV4:
// DynamoDB's JSON protocol, API Gateway's IAM authorization
// (service "execute-api"), and the rest.
//
// [Verify] reduces a request to SigV4's canonical request, derives the
// signing key from the secret of the access key named in the credential
// scope, and compares signatures in constant time. It checks in the order
// AWS does and fails with AWS's codes and words:
//
//   - no Authorization header and no X-Amz-Signature query parameter:
//     MissingAuthenticationTokenException ("Missing Authentication Token");
//   - a header without Credential, SignedHeaders or Signature, without a
//     date, or with a malformed date or credential:
//     IncompleteSignatureException;
//   - a date further than [Options].MaxSkew from now (AWS: 5 minutes, 15
//     for DynamoDB), host not signed, a scope of another region, service
//     or date, or a signature that does not match:
//     InvalidSignatureException;
//   - an access key or session token that is not registered:
//     UnrecognizedClientException ("The security token included in the
//     request is invalid.").
//
// Query-string ("presigned") authentication is accepted too: the X-Amz-*
// parameters carry the algorithm, credential, date, signed headers and
// signature, and X-Amz-Expires (at most 604,800 seconds, 7 days) bounds
// how long after its date the request stays valid.
//
// [Sign] and [Presign] sign a request as the AWS SDKs do, so tests can
// make valid requests without the SDK.
//
// Not modelled: S3's single-encoding of paths and its chunked
// (STREAMING-*) payloads, SigV4a (ECDSA, multi-region), and the
// normalisation of "." and ".." path segments (SDKs send normalised
// paths).
package sigv4
