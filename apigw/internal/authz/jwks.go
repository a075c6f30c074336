package authz

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
)

// MinRSABits is the smallest RSA modulus ParseJWKS accepts: 2,048 bits,
// the minimum RFC 7518 sets for RS256 and the size Cognito's keys have.
const MinRSABits = 2048

// ErrJWKS is wrapped by the errors of ParseJWKS: the document is not a
// JWKS, or one of its keys is malformed.
var ErrJWKS = errors.New("authz: invalid JWKS")

// JWK is one JSON Web Key as an identity provider's jwks_uri serves it
// (RFC 7517): an RSA key (kty "RSA", n, e) or an elliptic-curve key (kty
// "EC", crv, x, y), each with its key ID and, optionally, the algorithm
// it is for.
type JWK struct {
	Kid string `json:"kid,omitempty"`
	Kty string `json:"kty"`
	Alg string `json:"alg,omitempty"`
	Use string `json:"use,omitempty"`
	// N and E are the RSA modulus and public exponent, base64url.
	N string `json:"n,omitempty"`
	E string `json:"e,omitempty"`
	// Crv names the curve (P-256, P-384, P-521); X and Y are the point's
	// coordinates, base64url.
	Crv string `json:"crv,omitempty"`
	X   string `json:"x,omitempty"`
	Y   string `json:"y,omitempty"`
}

// JWKS is a JSON Web Key Set: {"keys":[…]}.
type JWKS struct {
	Keys []JWK `json:"keys"`
}

// Key is one verification key of a KeySet.
type Key struct {
	// ID is the key's kid.
	ID string
	// Algorithm is the JWK's alg; empty when the JWK names none.
	Algorithm string
	// Public is an *rsa.PublicKey or an *ecdsa.PublicKey.
	Public crypto.PublicKey
}

// KeySet is the verification keys of an issuer, by key ID. It is
// immutable once parsed and safe for concurrent use.
type KeySet struct {
	keys map[string]*Key
}

// ParseJWKS reads a JWKS document. RSA keys of at least MinRSABits bits
// and EC keys on P-256, P-384 or P-521 are kept; keys for encryption
// (use "enc") and keys of other types (symmetric "oct", "OKP") are
// skipped, since API Gateway never verifies with them. A document that is
// not a JWKS, a usable key that is malformed, or two keys with the same
// kid is an error wrapping ErrJWKS.
func ParseJWKS(data []byte) (*KeySet, error) {
	var doc struct {
		Keys *[]JWK `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrJWKS, err)
	}
	if doc.Keys == nil {
		return nil, fmt.Errorf("%w: no \"keys\" array", ErrJWKS)
	}
	ks := &KeySet{keys: map[string]*Key{}}
	for i, j := range *doc.Keys {
		if j.Use != "" && j.Use != "sig" {
			continue
		}
		var pub crypto.PublicKey
		var err error
		switch j.Kty {
		case "RSA":
			pub, err = j.rsaKey()
		case "EC":
			pub, err = j.ecKey()
		default:
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("%w: key %d (kid %q): %v", ErrJWKS, i, j.Kid, err)
		}
		if _, dup := ks.keys[j.Kid]; dup {
			return nil, fmt.Errorf("%w: two keys with kid %q", ErrJWKS, j.Kid)
		}
		ks.keys[j.Kid] = &Key{ID: j.Kid, Algorithm: j.Alg, Public: pub}
	}
	return ks, nil
}

// NewKeySet makes a KeySet of keys, for callers that hold public keys
// rather than a JWKS document.
func NewKeySet(keys ...Key) *KeySet {
	ks := &KeySet{keys: make(map[string]*Key, len(keys))}
	for _, k := range keys {
		ks.keys[k.ID] = &k
	}
	return ks
}

// Key returns the key with the given kid.
func (ks *KeySet) Key(kid string) (*Key, bool) {
	if ks == nil {
		return nil, false
	}
	k, ok := ks.keys[kid]
	return k, ok
}

// Len is the number of keys in the set.
func (ks *KeySet) Len() int {
	if ks == nil {
		return 0
	}
	return len(ks.keys)
}

func (j JWK) rsaKey() (*rsa.PublicKey, error) {
	n, err := b64Int(j.N)
	if err != nil {
		return nil, fmt.Errorf("n: %v", err)
	}
	e, err := b64Int(j.E)
	if err != nil {
		return nil, fmt.Errorf("e: %v", err)
	}
	if n.BitLen() < MinRSABits {
		return nil, fmt.Errorf("RSA modulus of %d bits, want at least %d", n.BitLen(), MinRSABits)
	}
	if !e.IsInt64() || e.Int64() < 3 || e.Int64() > 1<<31-1 || e.Bit(0) == 0 {
		return nil, errors.New("RSA exponent out of range")
	}
	return &rsa.PublicKey{N: n, E: int(e.Int64())}, nil
}

func (j JWK) ecKey() (*ecdsa.PublicKey, error) {
	curve := curveByName(j.Crv)
	if curve == nil {
		return nil, fmt.Errorf("unsupported curve %q", j.Crv)
	}
	size := (curve.Params().BitSize + 7) / 8
	x, errX := base64.RawURLEncoding.DecodeString(j.X)
	y, errY := base64.RawURLEncoding.DecodeString(j.Y)
	if errX != nil || errY != nil || len(x) != size || len(y) != size {
		return nil, fmt.Errorf("x and y must be %d bytes of base64url", size)
	}
	point := make([]byte, 0, 1+2*size)
	point = append(append(append(point, 4), x...), y...)
	return ecdsa.ParseUncompressedPublicKey(curve, point)
}

func curveByName(name string) elliptic.Curve {
	switch name {
	case "P-256":
		return elliptic.P256()
	case "P-384":
		return elliptic.P384()
	case "P-521":
		return elliptic.P521()
	}
	return nil
}

func b64Int(s string) (*big.Int, error) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil, errors.New("not base64url")
	}
	if len(b) == 0 {
		return nil, errors.New("empty")
	}
	return new(big.Int).SetBytes(b), nil
}

// NewJWK describes a public key as a JWK with the given kid and alg, for
// serving a test JWKS.
func NewJWK(kid, alg string, pub crypto.PublicKey) (JWK, error) {
	enc := base64.RawURLEncoding
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return JWK{Kid: kid, Kty: "RSA", Alg: alg, Use: "sig",
			N: enc.EncodeToString(k.N.Bytes()), E: enc.EncodeToString(big.NewInt(int64(k.E)).Bytes())}, nil
	case *ecdsa.PublicKey:
		raw, err := k.Bytes()
		if err != nil {
			return JWK{}, err
		}
		size := (len(raw) - 1) / 2
		return JWK{Kid: kid, Kty: "EC", Alg: alg, Use: "sig", Crv: k.Curve.Params().Name,
			X: enc.EncodeToString(raw[1 : 1+size]), Y: enc.EncodeToString(raw[1+size:])}, nil
	}
	return JWK{}, fmt.Errorf("authz: unsupported public key type %T", pub)
}
