// Package authz holds the authorization primitives of API Gateway that do
// not depend on an API: JSON Web Token verification against a JWKS (JWT
// authorizers of HTTP APIs, Cognito user pool authorizers of REST APIs),
// IAM policy evaluation for execute-api:Invoke (the policy a Lambda
// authorizer returns, and resource policies), and the parsing of Lambda
// authorizer responses.
//
// # JWTs
//
// [Verify] checks a compact JWS token as API Gateway does: three
// base64url segments; an "alg" that is allowed ([DefaultAlgorithms] are
// RS256, RS384 and RS512, since HTTP API JWT authorizers take only
// RSA-based algorithms; "none" and HMAC are never accepted) and fits the
// key's type; a "kid" naming a key of the [KeySet]; a valid signature;
// then the claims: exp after now, nbf not after now, iss equal to the
// issuer, and aud — or client_id when the token has no aud, as Cognito
// access tokens do — one of the audiences. Every failure is an error that
// wraps one of the package's sentinels (such as [ErrExpired] or
// [ErrAlgNone]), so a caller can log why; API Gateway answers every one
// of them with 401 {"message":"Unauthorized"}, and an HTTP API adds the
// challenge [WWWAuthenticate] writes. [Token.HasScope] checks a route's
// authorization scopes.
//
// # Policies
//
// [ParsePolicy] reads an IAM policy document (Statement as object or
// array, Action/NotAction, Resource/NotResource, Principal, Condition,
// each string or array) and [Policy.Evaluate] decides a [Request] as IAM
// does: an explicit Deny wins over any Allow, and without a matching
// Allow the answer is an implicit deny. Actions match case-insensitively,
// resources case-sensitively, both with the wildcards * (any run of
// characters, "/" and ":" included) and ? (one character). Conditions
// cover what resource policies use: the String, Arn, IpAddress, Bool,
// Numeric and Null operators, their IfExists forms and the ForAnyValue /
// ForAllValues qualifiers, on aws:SourceIp, aws:SourceVpce, aws:SourceVpc
// or any key the caller supplies.
//
// # Lambda authorizer responses
//
// [ParsePolicyResponse] reads what a REST TOKEN or REQUEST authorizer (or
// an HTTP API authorizer of payload format 1.0) returns: principalId,
// policyDocument, context (string, number and boolean values only) and
// usageIdentifierKey. [ParsePolicyResponseV2] reads the same shape for
// payload format 2.0, whose context values may be any JSON, and
// [ParseSimpleResponse] reads the simple response {isAuthorized, context}.
// A response API Gateway cannot use is an [ErrAuthorizerConfiguration]
// (AuthorizerConfigurationException): a REST API answers it with 500 and
// an HTTP API with 500 {"message":"Internal Server Error"}.
package authz
