package authz

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strings"
	"sync"
	"testing"
	"time"
)

const issuer = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example"

var jwtNow = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

// testKeys are generated once: RSA key generation is slow.
var testKeys = sync.OnceValue(func() map[string]*TestKey {
	keys := map[string]*TestKey{}
	for _, k := range []struct{ kid, alg string }{
		{"rsa1", "RS256"}, {"rsa2", "RS256"}, {"rs512", "RS512"}, {"ec256", "ES256"}, {"ec384", "ES384"},
	} {
		key, err := NewTestKey(k.kid, k.alg)
		if err != nil {
			panic(err)
		}
		keys[k.kid] = key
	}
	return keys
})

// testKeySet is the JWKS of rsa1, rs512, ec256 and ec384, plus ec256 again
// under the kid "ec-noalg" without an alg; rsa2 is not in it.
func testKeySet(t testing.TB) *KeySet {
	t.Helper()
	k := testKeys()
	noalg := k["ec256"].JWK()
	noalg.Kid, noalg.Alg = "ec-noalg", ""
	doc := JWKS{Keys: []JWK{k["rsa1"].JWK(), k["rs512"].JWK(), k["ec256"].JWK(), k["ec384"].JWK(), noalg}}
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	ks, err := ParseJWKS(b)
	if err != nil {
		t.Fatal(err)
	}
	return ks
}

func claims(mod func(c map[string]any)) map[string]any {
	c := map[string]any{
		"sub":       "user-1",
		"iss":       issuer,
		"client_id": "app-client",
		"scope":     "read write",
		"token_use": "access",
		"exp":       jwtNow.Add(time.Hour).Unix(),
		"iat":       jwtNow.Add(-time.Minute).Unix(),
	}
	if mod != nil {
		mod(c)
	}
	return c
}

func mustSign(t testing.TB, kid string, c map[string]any) string {
	t.Helper()
	tok, err := testKeys()[kid].Sign(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

var allSentinels = []error{ErrSegments, ErrBase64, ErrJSON, ErrAlgMissing, ErrAlgNone, ErrAlgNotAllowed,
	ErrAlgKeyMismatch, ErrUnknownKey, ErrSignature, ErrNoExpiry, ErrExpired, ErrNotYetValid, ErrIssuer, ErrAudience}

func TestVerify_RefusesEveryBadToken(t *testing.T) {
	ks := testKeySet(t)
	want := Expect{Issuer: issuer, Audiences: []string{"app-client"}}
	all := want
	all.Algorithms = AllAlgorithms
	good := mustSign(t, "rsa1", claims(nil))
	parts := strings.Split(good, ".")
	rsaPub, _ := x509.MarshalPKIXPublicKey(testKeys()["rsa1"].Signer.Public())
	hs256 := func() string {
		// The alg-confusion attack: HMAC keyed with the public key.
		signed := b64(`{"alg":"HS256","kid":"rsa1"}`) + "." + parts[1]
		var m hash.Hash = hmac.New(sha256.New, rsaPub)
		m.Write([]byte(signed))
		return signed + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
	}()
	unsigned := func(header any) string {
		tok, err := EncodeUnsigned(header, claims(nil))
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	signWith := func(header map[string]any, key string) string {
		tok, err := SignWithHeader(header, claims(nil), testKeys()[key].Signer)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	tests := []struct {
		name   string
		token  string
		expect Expect
		err    error
	}{
		{"valid RS256", good, want, nil},
		{"valid RS512", mustSign(t, "rs512", claims(nil)), want, nil},
		{"valid ES256 when allowed", mustSign(t, "ec256", claims(nil)), all, nil},
		{"valid ES384 when allowed", mustSign(t, "ec384", claims(nil)), all, nil},
		{"ES256 under the default RSA-only algorithms", mustSign(t, "ec256", claims(nil)), want, ErrAlgNotAllowed},
		{"alg none", unsigned(map[string]any{"alg": "none", "kid": "rsa1"}), want, ErrAlgNone},
		{"alg None with a signature", unsigned(map[string]any{"alg": "None", "kid": "rsa1"}) + parts[2], want, ErrAlgNone},
		{"alg none allowed by the caller", unsigned(map[string]any{"alg": "none"}), Expect{Algorithms: []string{"none"}}, ErrAlgNone},
		{"alg missing", unsigned(map[string]any{"kid": "rsa1"}), want, ErrAlgMissing},
		{"alg not a string", unsigned(map[string]any{"alg": 256, "kid": "rsa1"}), want, ErrAlgMissing},
		{"HS256 with the public key as secret", hs256, want, ErrAlgNotAllowed},
		{"HS256 even when listed", hs256, Expect{Algorithms: []string{"HS256", "RS256"}}, ErrAlgNotAllowed},
		{"unknown alg", unsigned(map[string]any{"alg": "PS256", "kid": "rsa1"}) + parts[2], want, ErrAlgNotAllowed},
		{"RS256 header on an EC key without alg", b64(`{"alg":"RS256","kid":"ec-noalg"}`) + "." + parts[1] + "." + parts[2], all, ErrAlgKeyMismatch},
		{"alg differs from the JWK's alg", signWith(map[string]any{"alg": "RS512", "kid": "rsa1"}, "rsa1"), all, ErrAlgKeyMismatch},
		{"ES384 on a P-256 key", signWith(map[string]any{"alg": "ES384", "kid": "ec-noalg"}, "ec384"), all, ErrAlgKeyMismatch},
		{"ES256 header on an RSA key", b64(`{"alg":"ES256","kid":"rsa1"}`) + "." + parts[1] + "." + parts[2], all, ErrAlgKeyMismatch},
		{"unknown kid", mustSign(t, "rsa2", claims(nil)), want, ErrUnknownKey},
		{"missing kid", signWith(map[string]any{"alg": "RS256"}, "rsa1"), want, ErrUnknownKey},
		{"forged: another key under a known kid", signWith(map[string]any{"alg": "RS256", "kid": "rsa1"}, "rsa2"), want, ErrSignature},
		{"forged: claims swapped", parts[0] + "." + b64(`{"sub":"admin","iss":"`+issuer+`","client_id":"app-client","exp":9999999999}`) + "." + parts[2], want, ErrSignature},
		{"forged: header swapped", b64(`{"alg":"RS256","kid":"rsa1","x":1}`) + "." + parts[1] + "." + parts[2], want, ErrSignature},
		{"signature truncated", good[:len(good)-4], want, ErrSignature},
		{"signature empty", parts[0] + "." + parts[1] + ".", want, ErrSignature},
		{"EC signature of the wrong length", strings.Join(strings.Split(mustSign(t, "ec256", claims(nil)), ".")[:2], ".") + "." + b64("short"), all, ErrSignature},
		{"expired", mustSign(t, "rsa1", claims(func(c map[string]any) { c["exp"] = jwtNow.Add(-time.Second).Unix() })), want, ErrExpired},
		{"expires exactly now", mustSign(t, "rsa1", claims(func(c map[string]any) { c["exp"] = jwtNow.Unix() })), want, ErrExpired},
		{"expired within the leeway", mustSign(t, "rsa1", claims(func(c map[string]any) { c["exp"] = jwtNow.Add(-time.Second).Unix() })),
			Expect{Issuer: issuer, Leeway: time.Minute}, nil},
		{"fractional exp", mustSign(t, "rsa1", claims(func(c map[string]any) { c["exp"] = float64(jwtNow.Unix()) + 0.5 })), want, nil},
		{"no exp", mustSign(t, "rsa1", claims(func(c map[string]any) { delete(c, "exp") })), want, ErrNoExpiry},
		{"exp a string", mustSign(t, "rsa1", claims(func(c map[string]any) { c["exp"] = "tomorrow" })), want, ErrJSON},
		{"exp absurd", mustSign(t, "rsa1", claims(func(c map[string]any) { c["exp"] = 1e300 })), want, ErrJSON},
		{"not yet valid", mustSign(t, "rsa1", claims(func(c map[string]any) { c["nbf"] = jwtNow.Add(time.Minute).Unix() })), want, ErrNotYetValid},
		{"valid from now", mustSign(t, "rsa1", claims(func(c map[string]any) { c["nbf"] = jwtNow.Unix() })), want, nil},
		{"wrong issuer", mustSign(t, "rsa1", claims(func(c map[string]any) { c["iss"] = issuer + "x" })), want, ErrIssuer},
		{"no issuer", mustSign(t, "rsa1", claims(func(c map[string]any) { delete(c, "iss") })), want, ErrIssuer},
		{"wrong client_id", mustSign(t, "rsa1", claims(func(c map[string]any) { c["client_id"] = "other" })), want, ErrAudience},
		{"aud matches", mustSign(t, "rsa1", claims(func(c map[string]any) { delete(c, "client_id"); c["aud"] = "app-client" })), want, nil},
		{"aud array with a match", mustSign(t, "rsa1", claims(func(c map[string]any) { c["aud"] = []string{"x", "app-client"} })), want, nil},
		{"aud wins over client_id", mustSign(t, "rsa1", claims(func(c map[string]any) { c["aud"] = "other" })), want, ErrAudience},
		{"no aud and no client_id", mustSign(t, "rsa1", claims(func(c map[string]any) { delete(c, "client_id") })), want, ErrAudience},
		{"aud a number", mustSign(t, "rsa1", claims(func(c map[string]any) { c["aud"] = 7 })), want, ErrJSON},
		{"empty token", "", want, ErrSegments},
		{"two segments", parts[0] + "." + parts[1], want, ErrSegments},
		{"four segments", good + ".x", want, ErrSegments},
		{"padded base64", parts[0] + "=." + parts[1] + "." + parts[2], want, ErrBase64},
		{"standard base64 alphabet", parts[0] + "." + parts[1] + "." + strings.ReplaceAll(strings.ReplaceAll(parts[2], "-", "+"), "_", "/") + "+", want, ErrBase64},
		{"newline inside", parts[0] + "\n." + parts[1] + "." + parts[2], want, ErrBase64},
		{"header not JSON", b64("{alg") + "." + parts[1] + "." + parts[2], want, ErrJSON},
		{"claims an array", parts[0] + "." + b64(`[1]`) + "." + parts[2], want, ErrJSON},
		{"claims null", parts[0] + "." + b64(`null`) + "." + parts[2], want, ErrJSON},
		{"claims with trailing data", parts[0] + "." + b64(`{"a":1}{}`) + "." + parts[2], want, ErrJSON},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := Verify(tt.token, ks, tt.expect, jwtNow)
			if tt.err == nil {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if tok.Claims["sub"] != "user-1" {
					t.Errorf("claims = %v", tok.Claims)
				}
				return
			}
			if tok != nil {
				t.Errorf("Verify returned a token with error %v", err)
			}
			if !errors.Is(err, tt.err) {
				t.Fatalf("Verify = %v, want %v", err, tt.err)
			}
			for _, s := range allSentinels {
				if s != tt.err && errors.Is(err, s) {
					t.Errorf("Verify = %v also matches %v", err, s)
				}
			}
		})
	}
}

func TestVerify_ExposesHeaderClaimsAndScopes(t *testing.T) {
	ks := testKeySet(t)
	tests := []struct {
		name   string
		mod    func(c map[string]any)
		scopes []string
	}{
		{"scope string", nil, []string{"read", "write"}},
		{"scp array", func(c map[string]any) { delete(c, "scope"); c["scp"] = []string{"a", "b"} }, []string{"a", "b"}},
		{"scp string", func(c map[string]any) { delete(c, "scope"); c["scp"] = "x  y" }, []string{"x", "y"}},
		{"none", func(c map[string]any) { delete(c, "scope") }, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tok, err := Verify(mustSign(t, "rsa1", claims(tt.mod)), ks, Expect{Issuer: issuer}, jwtNow)
			if err != nil {
				t.Fatal(err)
			}
			if strings.Join(tok.Scopes, " ") != strings.Join(tt.scopes, " ") {
				t.Errorf("Scopes = %q, want %q", tok.Scopes, tt.scopes)
			}
			if tok.Header["typ"] != "JWT" || tok.KeyID != "rsa1" || tok.Algorithm != "RS256" {
				t.Errorf("header = %v", tok.Header)
			}
			var raw map[string]any
			if err := json.Unmarshal(tok.RawClaims, &raw); err != nil || raw["sub"] != "user-1" {
				t.Errorf("RawClaims = %s (%v)", tok.RawClaims, err)
			}
			if !tok.Expires.Equal(jwtNow.Add(time.Hour)) {
				t.Errorf("Expires = %v", tok.Expires)
			}
			if n, ok := tok.Claims["exp"].(json.Number); !ok || n.String() != "1704114000" {
				t.Errorf("exp claim = %#v, want json.Number 1704114000", tok.Claims["exp"])
			}
		})
	}
}

func TestToken_HasScopeNeedsOneOfTheRoutesScopes(t *testing.T) {
	tok := &Token{Scopes: []string{"read", "write"}}
	for _, tt := range []struct {
		required []string
		want     bool
	}{{nil, true}, {[]string{"admin", "write"}, true}, {[]string{"admin"}, false}} {
		if got := tok.HasScope(tt.required...); got != tt.want {
			t.Errorf("HasScope(%q) = %v, want %v", tt.required, got, tt.want)
		}
	}
	if (&Token{}).HasScope("read") {
		t.Error("a token without scopes has a scope")
	}
}

func TestWWWAuthenticate_DescribesEveryRefusal(t *testing.T) {
	if got, want := WWWAuthenticate(ErrAudience), `Bearer scope="" error="invalid_token" error_description="the token does not have a valid audience"`; got != want {
		t.Errorf("WWWAuthenticate(ErrAudience) = %s, want %s", got, want)
	}
	for _, s := range allSentinels {
		if got := WWWAuthenticate(fmt.Errorf("wrapped: %w", s)); !strings.Contains(got, `error="invalid_token" error_description="the token`) {
			t.Errorf("WWWAuthenticate(%v) = %s", s, got)
		}
	}
	if got := WWWAuthenticate(errors.New("other")); got != `Bearer scope=""` {
		t.Errorf("WWWAuthenticate(other) = %s", got)
	}
}
