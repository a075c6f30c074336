package apigw_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
)

// An HTTP API whose route takes only JWTs of one issuer and audience that
// carry the notes:read scope. NewTestSigningKey plays the identity
// provider: it signs the tokens, and its JWKS is what the authorizer
// verifies them with.
func ExampleAPI_CreateAuthorizer_jwt() {
	clk := clock.NewManual(time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC))
	gw := apigw.New(apigw.Options{Clock: clk})
	idp, err := apigw.NewTestSigningKey("idp-key-1")
	if err != nil {
		panic(err)
	}

	api, _ := gw.CreateAPI(apigw.APIConfig{Name: "notes", Kind: apigw.HTTP})
	authID, err := api.CreateAuthorizer(apigw.Authorizer{
		Name:     "users",
		Type:     apigw.AuthorizerJWT,
		Issuer:   "https://auth.example.com",
		Audience: []string{"notes-api"},
		JWKS:     apigw.JWKS(idp),
	})
	if err != nil {
		panic(err)
	}
	_ = api.Route("GET /notes", apigw.Route{
		AuthorizationType:   apigw.AuthJWT,
		AuthorizerID:        authID,
		AuthorizationScopes: []string{"notes:read"},
		Integration: apigw.IntegrationFunc(func(_ context.Context, req *apigw.Request) (*apigw.Response, error) {
			return &apigw.Response{StatusCode: 200, Body: []byte("notes of " + req.Authorizer.Claims["sub"].(string))}, nil
		}),
	})
	stage, _ := api.Deploy("$default")
	srv := httptest.NewServer(stage)
	defer srv.Close()

	token := func(scope string, ttl time.Duration) string {
		t, _ := idp.Sign(map[string]any{
			"iss": "https://auth.example.com", "aud": "notes-api", "sub": "alice",
			"scope": scope, "exp": clk.Now().Add(ttl).Unix(),
		})
		return t
	}
	get := func(auth string) {
		req, _ := http.NewRequest("GET", srv.URL+"/notes", nil)
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		fmt.Println(res.StatusCode, string(body))
	}
	get(token("notes:read", time.Hour))  // a valid token with the scope
	get("")                              // no token
	get(token("notes:write", time.Hour)) // a valid token without the scope
	get(token("notes:read", -time.Second))
	// Output:
	// 200 notes of alice
	// 401 {"message":"Unauthorized"}
	// 403 {"message":"Forbidden"}
	// 401 {"message":"Unauthorized"}
}
