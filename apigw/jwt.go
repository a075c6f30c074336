package apigw

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/minicloud/minicloud/apigw/internal/authz"
)

// checkJWT validates a JWT or Cognito authorizer: its issuer, audience and
// keys.
func (az *authorizer) checkJWT(region string) error {
	cfg := &az.cfg
	if cfg.ResultTTL != 0 {
		return ErrBadRequest.Newf("A %s authorizer does not cache results: leave ResultTTL zero", cfg.Type)
	}
	switch cfg.Type {
	case AuthorizerJWT:
		if cfg.Issuer == "" {
			return ErrBadRequest.New("A JWT authorizer needs an Issuer")
		}
		if len(cfg.Audience) == 0 {
			return ErrBadRequest.New("A JWT authorizer needs at least one Audience")
		}
		if len(cfg.ProviderARNs) > 0 {
			return ErrBadRequest.New("ProviderARNs are for COGNITO_USER_POOLS authorizers")
		}
		az.issuers = []string{cfg.Issuer}
	case AuthorizerCognito:
		if len(cfg.ProviderARNs) == 0 && cfg.Issuer == "" {
			return ErrBadRequest.New("A COGNITO_USER_POOLS authorizer needs ProviderARNs (or an Issuer)")
		}
		for _, arn := range cfg.ProviderARNs {
			if _, _, err := parseUserPoolARN(arn); err != nil {
				return err
			}
		}
		if cfg.Issuer != "" {
			az.issuers = []string{cfg.Issuer}
		}
		for _, arn := range cfg.ProviderARNs {
			if cfg.Issuer == "" {
				poolRegion, pool, _ := parseUserPoolARN(arn)
				az.issuers = append(az.issuers, "https://cognito-idp."+poolRegion+".amazonaws.com/"+pool)
			}
		}
	}
	switch {
	case cfg.JWKS != nil && cfg.JWKSFunc != nil:
		return ErrBadRequest.New("Give JWKS or JWKSFunc, not both")
	case cfg.JWKS != nil:
		keys, err := authz.ParseJWKS(cfg.JWKS)
		if err != nil {
			return ErrBadRequest.Newf("Invalid JWKS: %v", err)
		}
		az.keys = &keySource{keys: keys}
	case cfg.JWKSFunc != nil:
		az.keys = &keySource{fetch: cfg.JWKSFunc}
	default:
		return ErrBadRequest.Newf("A %s authorizer needs the issuer's keys: set JWKS or JWKSFunc", cfg.Type)
	}
	return nil
}

// parseUserPoolARN reads arn:aws:cognito-idp:{region}:{account}:userpool/{poolId}.
func parseUserPoolARN(arn string) (region, pool string, err error) {
	f := strings.SplitN(arn, ":", 6)
	if len(f) != 6 || f[0] != "arn" || f[2] != "cognito-idp" || f[3] == "" || !strings.HasPrefix(f[5], "userpool/") || len(f[5]) == len("userpool/") {
		return "", "", ErrBadRequest.Newf("Invalid provider ARN %q: use arn:aws:cognito-idp:{region}:{account}:userpool/{userPoolId}", arn)
	}
	return f[3], strings.TrimPrefix(f[5], "userpool/"), nil
}

// authorizeJWT verifies the bearer token of a JWT (HTTP) or Cognito
// (REST) authorizer's route: present, then signature, alg, exp, nbf, iss
// and aud (see authz.Verify); refusals answer 401 {"message":"Unauthorized"},
// with an HTTP API's www-authenticate challenge saying why. Then scopes:
//
//   - JWT: with AuthorizationScopes, the token's scope (or scp) claim must
//     hold one of them, else 403 {"message":"Forbidden"} with the challenge
//     Bearer scope="…" error="insufficient_scope" error_description="expected
//     scopes: […]";
//   - Cognito: a route with AuthorizationScopes takes only access tokens
//     (token_use "access") holding one of them; a route without takes
//     only ID tokens (token_use "id"); anything else answers 401.
//
// A REST API's resource policy must then allow the call.
func (c *call) authorizeJWT(az *authorizer) *gwError {
	from := "authorizer " + az.cfg.Name
	raw, ok := az.sources[0].value(c)
	if !ok {
		return c.errUnauthorized(from + ": identity source " + az.sources[0].raw + " is missing or empty")
	}
	token := strings.TrimSpace(raw)
	if len(token) > 7 && strings.EqualFold(token[:7], "bearer ") {
		token = strings.TrimSpace(token[7:])
	}
	keys, err := az.keys.get(c.r.Context(), c.start, false)
	if err != nil {
		return c.errAuthorizerConfig(from + ": fetching the JWKS: " + err.Error())
	}
	want := authz.Expect{Audiences: az.cfg.Audience}
	if len(az.issuers) == 1 {
		want.Issuer = az.issuers[0]
	}
	tok, err := authz.Verify(token, keys, want, c.start)
	if errors.Is(err, authz.ErrUnknownKey) && az.keys.fetch != nil {
		// The issuer may have rotated its keys since the last fetch.
		if keys, ferr := az.keys.get(c.r.Context(), c.start, true); ferr == nil {
			tok, err = authz.Verify(token, keys, want, c.start)
		}
	}
	if err == nil && len(az.issuers) > 1 {
		if iss, _ := tok.Claims["iss"].(string); !slices.Contains(az.issuers, iss) {
			err = fmt.Errorf("%w: %q is none of the user pools", authz.ErrIssuer, iss)
		}
	}
	if err != nil {
		e := c.errUnauthorized(from + ": " + err.Error())
		if c.kind == HTTP {
			e.header = http.Header{"Www-Authenticate": {authz.WWWAuthenticate(err)}}
		}
		return e
	}
	scopes := c.route.cfg.AuthorizationScopes
	if az.cfg.Type == AuthorizerJWT {
		if !tok.HasScope(scopes...) {
			e := c.errForbidden(from + ": the token has none of the scopes " + strings.Join(scopes, " "))
			want := strings.Join(scopes, " ")
			e.header = http.Header{"Www-Authenticate": {`Bearer scope="` + want + `" error="insufficient_scope" error_description="expected scopes: [` + want + `]"`}}
			return e
		}
	} else {
		use, _ := tok.Claims["token_use"].(string)
		if len(scopes) > 0 {
			if use != "access" {
				return c.errUnauthorized(from + ": a route with authorization scopes takes an access token, not token_use " + `"` + use + `"`)
			}
			if !tok.HasScope(scopes...) {
				return c.errUnauthorized(from + ": the token has none of the scopes " + strings.Join(scopes, " "))
			}
		} else if use != "" && use != "id" {
			return c.errUnauthorized(from + ": a route without authorization scopes takes an ID token, not token_use " + `"` + use + `"`)
		}
		d, has, e := c.resourceDecision("")
		if e != nil {
			return e
		}
		if has && d != authz.Allow {
			return c.errPolicyDenied("anonymous", d)
		}
	}
	claims := tok.Claims
	if c.kind == REST {
		// A REST API passes a Cognito token's claims as strings.
		claims = make(map[string]any, len(tok.Claims))
		for k, v := range tok.Claims {
			claims[k] = claimString(v)
		}
	}
	c.req.Authorizer = &AuthorizerResult{Claims: claims, Scopes: tok.Scopes}
	return nil
}

// TestSigningKey is an identity provider in a value, for tests and
// examples of JWT and Cognito authorizers: a fresh 2,048-bit RSA key that
// signs RS256 tokens, and the JWKS that verifies them.
type TestSigningKey struct {
	k *authz.TestKey
}

// NewTestSigningKey generates a key whose tokens carry kid in their
// header.
func NewTestSigningKey(kid string) (*TestSigningKey, error) {
	k, err := authz.NewTestKey(kid, "RS256")
	if err != nil {
		return nil, err
	}
	return &TestSigningKey{k: k}, nil
}

// Sign makes a compact RS256 JWT of claims (iss, aud, exp as Unix
// seconds, scope, token_use, …) with the key's kid.
func (k *TestSigningKey) Sign(claims map[string]any) (string, error) {
	return k.k.Sign(claims)
}

// KeyID returns the key's kid.
func (k *TestSigningKey) KeyID() string { return k.k.Kid }

// JWKS returns the JWKS document of the given keys, for
// [Authorizer].JWKS.
func JWKS(keys ...*TestSigningKey) []byte {
	tk := make([]*authz.TestKey, len(keys))
	for i, k := range keys {
		tk[i] = k.k
	}
	return authz.MarshalJWKS(tk...)
}

// UnsignedToken encodes claims as an unsigned token (header {"alg":
// "none"}), which every authorizer refuses: for tests that check so.
func UnsignedToken(claims map[string]any) (string, error) {
	return authz.EncodeUnsigned(map[string]any{"alg": "none", "typ": "JWT"}, claims)
}
