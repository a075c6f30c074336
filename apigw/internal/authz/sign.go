package authz

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
)

// Sign makes a compact JWS token of claims (any value that marshals to a
// JSON object) signed by key (an *rsa.PrivateKey or *ecdsa.PrivateKey)
// with alg, one of AllAlgorithms; the header is {"alg","kid","typ":"JWT"}.
// It is for tests and examples: an identity provider's tokens in a few
// lines.
func Sign(claims any, key crypto.Signer, kid, alg string) (string, error) {
	return SignWithHeader(map[string]any{"alg": alg, "kid": kid, "typ": "JWT"}, claims, key)
}

// SignWithHeader is Sign with the whole header given, so a test can sign
// a token whose header lies (an alg that does not fit the key, a missing
// kid). The header's alg chooses the hash and signature scheme.
func SignWithHeader(header map[string]any, claims any, key crypto.Signer) (string, error) {
	alg, _ := header["alg"].(string)
	hash, family := algorithm(alg)
	if family == "" {
		return "", fmt.Errorf("authz: cannot sign with alg %q", alg)
	}
	signed, err := EncodeUnsigned(header, claims)
	if err != nil {
		return "", err
	}
	signed = signed[:len(signed)-1] // the unsigned form ends with its empty signature's dot
	h := hash.New()
	h.Write([]byte(signed))
	digest := h.Sum(nil)
	var sig []byte
	switch k := key.(type) {
	case *rsa.PrivateKey:
		sig, err = rsa.SignPKCS1v15(rand.Reader, k, hash, digest)
	case *ecdsa.PrivateKey:
		r, s, e := ecdsa.Sign(rand.Reader, k, digest)
		size := (k.Curve.Params().BitSize + 7) / 8
		sig, err = make([]byte, 2*size), e
		if e == nil {
			r.FillBytes(sig[:size])
			s.FillBytes(sig[size:])
		}
	default:
		err = fmt.Errorf("authz: cannot sign with a %T", key)
	}
	if err != nil {
		return "", err
	}
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// EncodeUnsigned encodes header and claims as a token with an empty
// signature ("header.claims."), the shape of an alg "none" token, for
// tests that must see such tokens refused.
func EncodeUnsigned(header, claims any) (string, error) {
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	enc := base64.RawURLEncoding
	return enc.EncodeToString(h) + "." + enc.EncodeToString(c) + ".", nil
}

// TestKey is a freshly generated signing key with its kid and alg, and
// the JWKS that verifies it: an identity provider in a value.
type TestKey struct {
	// Kid and Alg go into every token's header and the key's JWK.
	Kid, Alg string
	// Signer is the private key: *rsa.PrivateKey (2,048 bits) for RS
	// algs, *ecdsa.PrivateKey on the alg's curve for ES algs.
	Signer crypto.Signer
}

// NewTestKey generates a key for alg (one of AllAlgorithms) named kid.
func NewTestKey(kid, alg string) (*TestKey, error) {
	var signer crypto.Signer
	var err error
	switch alg {
	case "RS256", "RS384", "RS512":
		signer, err = rsa.GenerateKey(rand.Reader, MinRSABits)
	case "ES256":
		signer, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	case "ES384":
		signer, err = ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	case "ES512":
		signer, err = ecdsa.GenerateKey(elliptic.P521(), rand.Reader)
	default:
		return nil, fmt.Errorf("authz: no test key for alg %q", alg)
	}
	if err != nil {
		return nil, err
	}
	return &TestKey{Kid: kid, Alg: alg, Signer: signer}, nil
}

// Sign signs claims with the key, its kid and its alg.
func (k *TestKey) Sign(claims any) (string, error) {
	return Sign(claims, k.Signer, k.Kid, k.Alg)
}

// JWK is the key's public half as a JWK.
func (k *TestKey) JWK() JWK {
	j, _ := NewJWK(k.Kid, k.Alg, k.Signer.Public()) // a TestKey's key type is always supported
	return j
}

// MarshalJWKS writes the JWKS document of keys, as a jwks_uri serves it.
func MarshalJWKS(keys ...*TestKey) []byte {
	doc := JWKS{Keys: make([]JWK, len(keys))}
	for i, k := range keys {
		doc.Keys[i] = k.JWK()
	}
	b, _ := json.Marshal(doc) // strings only: cannot fail
	return b
}
