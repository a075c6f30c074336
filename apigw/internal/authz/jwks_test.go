package authz

import (
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func TestParseJWKS_ReadsCognitoShapedKeys(t *testing.T) {
	k := testKeys()
	jwks := MarshalJWKS(k["rsa1"], k["ec256"])
	if !strings.Contains(string(jwks), `"kty":"RSA"`) || !strings.Contains(string(jwks), `"use":"sig"`) || !strings.Contains(string(jwks), `"e":"AQAB"`) {
		t.Fatalf("JWKS = %s", jwks)
	}
	ks, err := ParseJWKS(jwks)
	if err != nil {
		t.Fatal(err)
	}
	if ks.Len() != 2 {
		t.Fatalf("Len = %d", ks.Len())
	}
	r, ok := ks.Key("rsa1")
	if !ok || r.Algorithm != "RS256" || !r.Public.(*rsa.PublicKey).Equal(k["rsa1"].Signer.Public()) {
		t.Errorf("rsa1 = %+v", r)
	}
	e, ok := ks.Key("ec256")
	if !ok || !e.Public.(*ecdsa.PublicKey).Equal(k["ec256"].Signer.Public()) {
		t.Errorf("ec256 = %+v", e)
	}
	if _, ok := ks.Key("nope"); ok {
		t.Error("found a key that is not there")
	}
	var nilSet *KeySet
	if _, ok := nilSet.Key("rsa1"); ok || nilSet.Len() != 0 {
		t.Error("a nil KeySet has keys")
	}
}

func TestParseJWKS_RefusesMalformedKeys(t *testing.T) {
	rsa := testKeys()["rsa1"].JWK()
	ec := testKeys()["ec256"].JWK()
	short := base64.RawURLEncoding.EncodeToString(make([]byte, 128))
	tests := []struct {
		name string
		doc  string
		keys int // when no error
	}{
		{"not JSON", `{`, -1},
		{"no keys", `{}`, -1},
		{"keys not an array", `{"keys":{}}`, -1},
		{"empty set", `{"keys":[]}`, 0},
		{"RSA modulus too short", `{"keys":[{"kty":"RSA","kid":"a","n":"` + short + `","e":"AQAB"}]}`, -1},
		{"RSA modulus not base64url", `{"keys":[{"kty":"RSA","kid":"a","n":"!!","e":"AQAB"}]}`, -1},
		{"RSA exponent even", `{"keys":[{"kty":"RSA","kid":"a","n":"` + rsa.N + `","e":"Ag"}]}`, -1},
		{"RSA exponent missing", `{"keys":[{"kty":"RSA","kid":"a","n":"` + rsa.N + `"}]}`, -1},
		{"EC point not on the curve", `{"keys":[{"kty":"EC","kid":"a","crv":"P-256","x":"` + ec.X + `","y":"` + ec.X + `"}]}`, -1},
		{"EC coordinates short", `{"keys":[{"kty":"EC","kid":"a","crv":"P-256","x":"AQ","y":"AQ"}]}`, -1},
		{"EC unknown curve", `{"keys":[{"kty":"EC","kid":"a","crv":"secp256k1","x":"` + ec.X + `","y":"` + ec.Y + `"}]}`, -1},
		{"duplicate kid", `{"keys":[{"kty":"RSA","kid":"a","n":"` + rsa.N + `","e":"AQAB"},{"kty":"RSA","kid":"a","n":"` + rsa.N + `","e":"AQAB"}]}`, -1},
		{"symmetric and encryption keys skipped", `{"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"},{"kty":"RSA","use":"enc","kid":"e","n":"!!"},{"kty":"RSA","kid":"a","n":"` + rsa.N + `","e":"AQAB"}]}`, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ks, err := ParseJWKS([]byte(tt.doc))
			if tt.keys < 0 {
				if !errors.Is(err, ErrJWKS) {
					t.Fatalf("ParseJWKS = %v, want ErrJWKS", err)
				}
				return
			}
			if err != nil || ks.Len() != tt.keys {
				t.Fatalf("ParseJWKS = %v keys, %v; want %d keys", ks.Len(), err, tt.keys)
			}
		})
	}
}

func TestNewKeySet_VerifiesWithoutAJWKS(t *testing.T) {
	k := testKeys()["ec384"]
	ks := NewKeySet(Key{ID: "ec384", Public: k.Signer.Public()})
	tok := mustSign(t, "ec384", claims(nil))
	if _, err := Verify(tok, ks, Expect{Algorithms: AllAlgorithms}, jwtNow); err != nil {
		t.Fatal(err)
	}
	if _, err := NewJWK("x", "HS256", []byte("secret")); err == nil {
		t.Error("NewJWK described a symmetric key")
	}
	if _, err := NewTestKey("x", "HS256"); err == nil {
		t.Error("NewTestKey made an HMAC key")
	}
	if _, err := Sign(claims(nil), k.Signer, "x", "none"); err == nil {
		t.Error("Sign signed with alg none")
	}
}
