package authz

import (
	"errors"
	"testing"
)

func FuzzVerify(f *testing.F) {
	ks := testKeySet(f)
	good := mustSign(f, "rsa1", claims(nil))
	f.Add(good)
	f.Add(mustSign(f, "ec256", claims(nil)))
	f.Add(good[:len(good)-1])
	f.Add("eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.")
	f.Add("a.b.c")
	f.Add("..")
	f.Add("e30.e30.")
	f.Fuzz(func(t *testing.T, token string) {
		tok, err := Verify(token, ks, Expect{Issuer: issuer, Audiences: []string{"app-client"}, Algorithms: AllAlgorithms}, jwtNow)
		if (tok == nil) == (err == nil) {
			t.Fatalf("Verify(%q) = %v, %v: want exactly one", token, tok, err)
		}
		if err != nil {
			n := 0
			for _, s := range allSentinels {
				if errors.Is(err, s) {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("Verify(%q) = %v matches %d sentinels, want 1", token, err, n)
			}
			return
		}
		// Only tokens signed by the test keys verify; their claims are the
		// test's claims.
		if tok.Claims["iss"] != issuer {
			t.Fatalf("Verify accepted %q with claims %v", token, tok.Claims)
		}
	})
}

func FuzzParseJWKS(f *testing.F) {
	f.Add(MarshalJWKS(testKeys()["rsa1"], testKeys()["ec256"]))
	f.Add([]byte(`{"keys":[]}`))
	f.Add([]byte(`{"keys":[{"kty":"EC","crv":"P-256","x":"AQ","y":"AQ"}]}`))
	f.Add([]byte(`{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ks, err := ParseJWKS(data)
		if (ks == nil) == (err == nil) {
			t.Fatalf("ParseJWKS = %v, %v: want exactly one", ks, err)
		}
		if err != nil && !errors.Is(err, ErrJWKS) {
			t.Fatalf("ParseJWKS error %v does not wrap ErrJWKS", err)
		}
	})
}
