package sigv4

import "github.com/minicloud/minicloud/internal/awserr"

// The errors a failed verification returns, as AWS's request layer
// answers them. Their status is 403, as API Gateway and the REST services
// answer; JSON-protocol services such as DynamoDB answer the same codes
// with 400, which their wire handlers choose. errors.Is matches by code.
var (
	// ErrMissingAuthenticationToken is MissingAuthenticationTokenException:
	// the request carries no signature at all.
	ErrMissingAuthenticationToken = awserr.New("MissingAuthenticationTokenException", 403, "")
	// ErrIncompleteSignature is IncompleteSignatureException: the
	// Authorization header (or the X-Amz-* query parameters) lacks a part
	// or has one that cannot be parsed.
	ErrIncompleteSignature = awserr.New("IncompleteSignatureException", 403, "")
	// ErrInvalidSignature is InvalidSignatureException: the signature does
	// not match, the request's date is outside the allowed skew or past
	// its expiry, or the credential is scoped to another region, service
	// or date.
	ErrInvalidSignature = awserr.New("InvalidSignatureException", 403, "")
	// ErrUnrecognizedClient is UnrecognizedClientException: the access key
	// ID is not registered, or its session token does not match.
	ErrUnrecognizedClient = awserr.New("UnrecognizedClientException", 403, "")
)

// Messages AWS answers with, word for word.
const (
	// MsgMissingAuthenticationToken is the message of a request without
	// any signature.
	MsgMissingAuthenticationToken = "Missing Authentication Token"
	// MsgInvalidToken is the message of an unknown access key or session
	// token.
	MsgInvalidToken = "The security token included in the request is invalid."
	// MsgSignatureMismatch begins the message of a signature that does not
	// match; AWS follows it with the canonical request and string to sign
	// it computed.
	MsgSignatureMismatch = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details."
)
