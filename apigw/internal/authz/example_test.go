package authz_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/apigw/internal/authz"
)

func Example() {
	// An identity provider: a signing key and the JWKS it serves.
	key, err := authz.NewTestKey("key-1", "RS256")
	if err != nil {
		panic(err)
	}
	keys, err := authz.ParseJWKS(authz.MarshalJWKS(key))
	if err != nil {
		panic(err)
	}
	now := time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)
	want := authz.Expect{
		Issuer:    "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Example",
		Audiences: []string{"app-client"},
	}
	token, _ := key.Sign(map[string]any{
		"iss":       want.Issuer,
		"client_id": "app-client",
		"sub":       "alice",
		"scope":     "orders/read orders/write",
		"exp":       now.Add(time.Hour).Unix(),
	})

	tok, err := authz.Verify(token, keys, want, now)
	fmt.Println(tok.Claims["sub"], tok.Scopes, err)

	// An hour later the same token is refused; API Gateway answers 401.
	_, err = authz.Verify(token, keys, want, now.Add(time.Hour))
	fmt.Println(errors.Is(err, authz.ErrExpired))

	// An unsigned token is refused whatever it claims.
	forged, _ := authz.EncodeUnsigned(map[string]string{"alg": "none", "kid": "key-1"}, map[string]any{"sub": "admin"})
	_, err = authz.Verify(forged, keys, want, now)
	fmt.Println(err)
	// Output:
	// alice [orders/read orders/write] <nil>
	// true
	// authz: unsigned token (alg none): alg "none"
}
