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

func ExamplePolicy_Evaluate() {
	// What a Lambda authorizer returned for one caller.
	resp, err := authz.ParsePolicyResponse([]byte(`{
		"principalId": "alice",
		"policyDocument": {
			"Version": "2012-10-17",
			"Statement": [
				{"Effect": "Allow", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/*"},
				{"Effect": "Deny", "Action": "execute-api:Invoke", "Resource": "arn:aws:execute-api:eu-west-1:123456789012:abc123/*/DELETE/*"}
			]
		},
		"context": {"tier": "gold", "quota": 100}
	}`))
	if err != nil {
		panic(err)
	}
	for _, method := range []string{"GET", "DELETE"} {
		arn := authz.MethodARN("eu-west-1", "123456789012", "abc123", "prod", method, "/orders/7")
		fmt.Println(method, resp.PolicyDocument.Evaluate(authz.Request{Action: authz.InvokeAction, Resource: arn}))
	}
	fmt.Println(authz.ContextStrings(resp.Context)["quota"])

	// A context value API Gateway cannot pass on: 500.
	_, err = authz.ParsePolicyResponse([]byte(`{"principalId":"bob","policyDocument":{"Statement":[]},"context":{"roles":["admin"]}}`))
	fmt.Println(err)
	// Output:
	// GET Allow
	// DELETE ExplicitDeny
	// 100
	// AuthorizerConfigurationException: authorizer response's context value "roles" is not a string, number or boolean
}
