package authz

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"
	"strings"
	"time"
)

// The reasons Verify refuses a token. Each error Verify returns wraps
// exactly one of them (errors.Is), with the detail in its message; API
// Gateway answers all of them alike, 401 {"message":"Unauthorized"}.
var (
	// ErrSegments: the token is not three dot-separated segments.
	ErrSegments = errors.New("authz: token is not three segments")
	// ErrBase64: a segment is not unpadded base64url.
	ErrBase64 = errors.New("authz: token segment is not base64url")
	// ErrJSON: the header or the claims are not a JSON object, or a
	// registered claim has the wrong type.
	ErrJSON = errors.New("authz: token header or claims are not valid JSON")
	// ErrAlgMissing: the header has no "alg".
	ErrAlgMissing = errors.New("authz: token has no alg")
	// ErrAlgNone: the header's alg is "none" (an unsigned token).
	ErrAlgNone = errors.New("authz: unsigned token (alg none)")
	// ErrAlgNotAllowed: the alg is not one of the allowed algorithms
	// (such as HS256, which a public JWKS cannot verify).
	ErrAlgNotAllowed = errors.New("authz: token algorithm not allowed")
	// ErrAlgKeyMismatch: the alg does not fit the key: an RS alg with an
	// EC key, an ES alg with an RSA key or another curve, or an alg other
	// than the one the JWK names.
	ErrAlgKeyMismatch = errors.New("authz: token algorithm does not match the key")
	// ErrUnknownKey: the header has no kid, or one that is not in the key
	// set.
	ErrUnknownKey = errors.New("authz: token signed with an unknown key")
	// ErrSignature: the signature does not verify.
	ErrSignature = errors.New("authz: token signature is invalid")
	// ErrNoExpiry: the claims have no exp.
	ErrNoExpiry = errors.New("authz: token has no exp")
	// ErrExpired: exp is not after now.
	ErrExpired = errors.New("authz: token has expired")
	// ErrNotYetValid: nbf is after now.
	ErrNotYetValid = errors.New("authz: token is not valid yet")
	// ErrIssuer: iss is not the expected issuer.
	ErrIssuer = errors.New("authz: token issuer is not valid")
	// ErrAudience: neither aud nor (without aud) client_id is one of the
	// expected audiences.
	ErrAudience = errors.New("authz: token does not have a valid audience")
)

// DefaultAlgorithms are the algorithms HTTP API JWT authorizers accept:
// the RSA ones only.
var DefaultAlgorithms = []string{"RS256", "RS384", "RS512"}

// AllAlgorithms are every algorithm Verify can check: RSA PKCS #1 v1.5
// and ECDSA, with SHA-256, -384 and -512.
var AllAlgorithms = []string{"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"}

// Expect is what a token must say to be accepted.
type Expect struct {
	// Issuer must equal the iss claim, such as
	// "https://cognito-idp.{region}.amazonaws.com/{userPoolId}". Empty
	// skips the check.
	Issuer string
	// Audiences: aud (a string or an array, any element matching) — or,
	// when the token has no aud, client_id — must be one of them. Empty
	// skips the check.
	Audiences []string
	// Algorithms are the allowed algs. Nil means DefaultAlgorithms.
	// "none" and the HMAC algorithms are refused whatever this says.
	Algorithms []string
	// Leeway is tolerated clock skew for exp and nbf. API Gateway allows
	// none; zero means none.
	Leeway time.Duration
}

// Token is a verified JWT.
type Token struct {
	// Header is the decoded JOSE header.
	Header map[string]any
	// Claims are the decoded claims; numbers are json.Number, so large
	// integers keep their digits.
	Claims map[string]any
	// RawClaims is the claims segment's JSON, as the issuer wrote it.
	RawClaims json.RawMessage
	// Algorithm and KeyID are the header's alg and kid.
	Algorithm, KeyID string
	// Scopes are the scope claim split on spaces, or the scp claim (a
	// string split on spaces, or an array).
	Scopes []string
	// Expires is exp; NotBefore is nbf (zero when absent).
	Expires, NotBefore time.Time
}

// Verify verifies a compact JWS token against keys and want at time now,
// in this order: shape and encoding, alg, kid, signature, exp, nbf, iss,
// aud. A refused token is an error wrapping one of the Err sentinels.
func Verify(token string, keys *KeySet, want Expect, now time.Time) (*Token, error) {
	h64, rest, ok1 := strings.Cut(token, ".")
	c64, s64, ok2 := strings.Cut(rest, ".")
	if !ok1 || !ok2 || strings.Contains(s64, ".") {
		return nil, fmt.Errorf("%w: %d segments", ErrSegments, strings.Count(token, ".")+1)
	}
	if i := strings.IndexFunc(token, notBase64URL); i >= 0 {
		// The decoder would skip CR and LF; a token has none.
		return nil, fmt.Errorf("%w: byte %q at %d", ErrBase64, token[i], i)
	}
	headerJSON, err1 := base64.RawURLEncoding.DecodeString(h64)
	claimsJSON, err2 := base64.RawURLEncoding.DecodeString(c64)
	sig, err3 := base64.RawURLEncoding.DecodeString(s64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBase64, err)
	}
	header, err := decodeObject(headerJSON)
	if err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrJSON, err)
	}
	claims, err := decodeObject(claimsJSON)
	if err != nil {
		return nil, fmt.Errorf("%w: claims: %v", ErrJSON, err)
	}
	alg, _ := header["alg"].(string)
	switch {
	case alg == "":
		return nil, ErrAlgMissing
	case strings.EqualFold(alg, "none"):
		return nil, fmt.Errorf("%w: alg %q", ErrAlgNone, alg)
	}
	allowed := want.Algorithms
	if allowed == nil {
		allowed = DefaultAlgorithms
	}
	hash, family := algorithm(alg)
	if family == "" || !slices.Contains(allowed, alg) {
		return nil, fmt.Errorf("%w: %s", ErrAlgNotAllowed, alg)
	}
	kid, _ := header["kid"].(string)
	key, ok := keys.Key(kid)
	if !ok {
		return nil, fmt.Errorf("%w: kid %q", ErrUnknownKey, kid)
	}
	if key.Algorithm != "" && key.Algorithm != alg {
		return nil, fmt.Errorf("%w: token alg %s, key %q is for %s", ErrAlgKeyMismatch, alg, kid, key.Algorithm)
	}
	signed := token[:len(h64)+1+len(c64)]
	if err := verifySignature(alg, hash, family, key.Public, signed, sig); err != nil {
		return nil, err
	}
	t := &Token{Header: header, Claims: claims, RawClaims: claimsJSON, Algorithm: alg, KeyID: kid}
	if err := t.checkClaims(want, now); err != nil {
		return nil, err
	}
	return t, nil
}

func notBase64URL(r rune) bool {
	return !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.')
}

func decodeObject(data []byte) (map[string]any, error) {
	d := json.NewDecoder(bytes.NewReader(data))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		return nil, err
	}
	if m == nil {
		return nil, errors.New("not an object")
	}
	if d.More() {
		return nil, errors.New("data after the object")
	}
	return m, nil
}

// algorithm returns the hash and key family ("RSA", "EC") of a JWS alg,
// or "" for an alg Verify cannot check.
func algorithm(alg string) (crypto.Hash, string) {
	switch alg {
	case "RS256":
		return crypto.SHA256, "RSA"
	case "RS384":
		return crypto.SHA384, "RSA"
	case "RS512":
		return crypto.SHA512, "RSA"
	case "ES256":
		return crypto.SHA256, "EC"
	case "ES384":
		return crypto.SHA384, "EC"
	case "ES512":
		return crypto.SHA512, "EC"
	}
	return 0, ""
}

// ecCurve is the curve an ES alg requires.
var ecCurve = map[string]string{"ES256": "P-256", "ES384": "P-384", "ES512": "P-521"}

func verifySignature(alg string, hash crypto.Hash, family string, pub crypto.PublicKey, signed string, sig []byte) error {
	h := hash.New()
	h.Write([]byte(signed))
	digest := h.Sum(nil)
	switch k := pub.(type) {
	case *rsa.PublicKey:
		if family != "RSA" {
			return fmt.Errorf("%w: %s with an RSA key", ErrAlgKeyMismatch, alg)
		}
		if rsa.VerifyPKCS1v15(k, hash, digest, sig) != nil {
			return ErrSignature
		}
		return nil
	case *ecdsa.PublicKey:
		if family != "EC" || k.Curve.Params().Name != ecCurve[alg] {
			return fmt.Errorf("%w: %s with an EC %s key", ErrAlgKeyMismatch, alg, k.Curve.Params().Name)
		}
		size := (k.Curve.Params().BitSize + 7) / 8
		if len(sig) != 2*size {
			return ErrSignature
		}
		r := new(big.Int).SetBytes(sig[:size])
		s := new(big.Int).SetBytes(sig[size:])
		if !ecdsa.Verify(k, digest, r, s) {
			return ErrSignature
		}
		return nil
	}
	return fmt.Errorf("%w: key of type %T", ErrAlgKeyMismatch, pub)
}

func (t *Token) checkClaims(want Expect, now time.Time) error {
	exp, ok, err := numericDate(t.Claims, "exp")
	if err != nil {
		return err
	}
	if !ok {
		return ErrNoExpiry
	}
	t.Expires = exp
	if !now.Before(exp.Add(want.Leeway)) {
		return fmt.Errorf("%w: exp %s, now %s", ErrExpired, exp.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
	}
	nbf, ok, err := numericDate(t.Claims, "nbf")
	if err != nil {
		return err
	}
	if ok {
		t.NotBefore = nbf
		if now.Add(want.Leeway).Before(nbf) {
			return fmt.Errorf("%w: nbf %s, now %s", ErrNotYetValid, nbf.UTC().Format(time.RFC3339), now.UTC().Format(time.RFC3339))
		}
	}
	if want.Issuer != "" {
		iss, _ := t.Claims["iss"].(string)
		if iss != want.Issuer {
			return fmt.Errorf("%w: iss %q", ErrIssuer, iss)
		}
	}
	if len(want.Audiences) > 0 {
		if err := checkAudience(t.Claims, want.Audiences); err != nil {
			return err
		}
	}
	t.Scopes = scopes(t.Claims)
	return nil
}

// numericDate reads a NumericDate claim: seconds since the epoch, which
// may have a fraction.
func numericDate(claims map[string]any, name string) (time.Time, bool, error) {
	v, ok := claims[name]
	if !ok {
		return time.Time{}, false, nil
	}
	n, isNum := v.(json.Number)
	if !isNum {
		return time.Time{}, false, fmt.Errorf("%w: %s is not a number", ErrJSON, name)
	}
	f, err := n.Float64()
	if err != nil || math.IsNaN(f) || f < -1e15 || f > 1e15 {
		return time.Time{}, false, fmt.Errorf("%w: %s %s is out of range", ErrJSON, name, n)
	}
	sec, frac := math.Modf(f)
	return time.Unix(int64(sec), int64(frac*1e9)), true, nil
}

func checkAudience(claims map[string]any, audiences []string) error {
	var got []string
	if aud, ok := claims["aud"]; ok {
		switch a := aud.(type) {
		case string:
			got = []string{a}
		case []any:
			for _, v := range a {
				if s, ok := v.(string); ok {
					got = append(got, s)
				}
			}
		default:
			return fmt.Errorf("%w: aud is neither a string nor an array", ErrJSON)
		}
	} else if id, ok := claims["client_id"].(string); ok {
		got = []string{id}
	}
	for _, g := range got {
		if slices.Contains(audiences, g) {
			return nil
		}
	}
	return fmt.Errorf("%w: %q", ErrAudience, got)
}

func scopes(claims map[string]any) []string {
	if s, ok := claims["scope"].(string); ok {
		return strings.Fields(s)
	}
	switch s := claims["scp"].(type) {
	case string:
		return strings.Fields(s)
	case []any:
		var out []string
		for _, v := range s {
			if str, ok := v.(string); ok {
				out = append(out, str)
			}
		}
		return out
	}
	return nil
}

// HasScope reports whether the token carries at least one of the scopes,
// as a route's authorization scopes require. No scopes required is true.
func (t *Token) HasScope(required ...string) bool {
	if len(required) == 0 {
		return true
	}
	for _, s := range t.Scopes {
		if slices.Contains(required, s) {
			return true
		}
	}
	return false
}
