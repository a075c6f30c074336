package authz

import "errors"

// descriptions are the error_description of an HTTP API's 401 challenge
// per refusal. API Gateway documents "the token does not have a valid
// audience"; the others follow its wording and are approximations.
var descriptions = []struct {
	err  error
	desc string
}{
	{ErrAudience, "the token does not have a valid audience"},
	{ErrIssuer, "the token does not have a valid issuer"},
	{ErrExpired, "the token has expired"},
	{ErrNoExpiry, "the token has no expiration time"},
	{ErrNotYetValid, "the token is not valid yet"},
	{ErrSignature, "the token signature is invalid"},
	{ErrUnknownKey, "the token's key is not in the issuer's key set"},
	{ErrAlgNone, "the token is not signed"},
	{ErrAlgMissing, "the token has no signing algorithm"},
	{ErrAlgNotAllowed, "the token's signing algorithm is not supported"},
	{ErrAlgKeyMismatch, "the token's signing algorithm does not match its key"},
	{ErrSegments, "the token is malformed"},
	{ErrBase64, "the token is malformed"},
	{ErrJSON, "the token is malformed"},
}

// WWWAuthenticate is the www-authenticate header an HTTP API's JWT
// authorizer sends with its 401 {"message":"Unauthorized"} for a token
// Verify refused: Bearer scope="" error="invalid_token"
// error_description="…". For an error that is none of Verify's it is
// `Bearer scope=""`.
func WWWAuthenticate(err error) string {
	for _, d := range descriptions {
		if errors.Is(err, d.err) {
			return `Bearer scope="" error="invalid_token" error_description="` + d.desc + `"`
		}
	}
	return `Bearer scope=""`
}
