package apigw

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// FuzzImportOpenAPI: whatever the document, the importer never panics
// and either imports or says what is wrong with a BadRequestException.
func FuzzImportOpenAPI(f *testing.F) {
	files, _ := filepath.Glob("testdata/openapi/*")
	for _, file := range files {
		if b, err := os.ReadFile(file); err == nil {
			f.Add(b)
		}
	}
	for _, seed := range []string{
		``, `{}`, `[]`, `null`, `openapi: 3.0.1`, `{"swagger": "2.0", "info": {"title": "t"}, "paths": {"/a": {"get": {}}}}`,
		"openapi: 3.0.1\ninfo: {title: t}\npaths: {/a: {post: {requestBody: {$ref: '#/components/requestBodies/B'}, x-amazon-apigateway-integration: {type: mock}}}}\ncomponents: {requestBodies: {B: {$ref: '#/components/requestBodies/B'}}}",
		"openapi: 3.0.1\ninfo: {title: t}\npaths: {/a: {post: {requestBody: {content: {a/b: {schema: {$ref: '#/components/schemas/A'}}}}, x-amazon-apigateway-integration: {type: mock}}}}\ncomponents: {schemas: {A: {properties: {a: {$ref: '#/components/schemas/A'}}}}}",
		"a: &a [*a]", "a: !!binary x", "? [1]\n: 2", "openapi: 3.0.1\ninfo: {title: 2001-01-01}\n",
		// Authorizers.
		"openapi: 3.0.1\ninfo: {title: t}\nsecurity: [{t: []}]\ncomponents: {securitySchemes: {t: {type: apiKey, name: Auth, in: header, x-amazon-apigateway-authtype: custom, x-amazon-apigateway-authorizer: {type: token, authorizerUri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:1:function:a/invocations', authorizerResultTtlInSeconds: 0, identityValidationExpression: '[a-z]+'}}}}\npaths: {/a: {get: {x-amazon-apigateway-integration: {type: mock}}}, /b: {get: {security: [], x-amazon-apigateway-integration: {type: mock}}}}",
		"openapi: 3.0.1\ninfo: {title: t}\ncomponents: {securitySchemes: {j: {type: oauth2, x-amazon-apigateway-authorizer: {type: jwt, identitySource: $request.header.Authorization, jwtConfiguration: {issuer: 'https://issuer.example.com', audience: [a]}}}}}\npaths: {/a: {get: {security: [{j: [s1, s2]}], x-amazon-apigateway-integration: {type: mock}}}}",
		`{"swagger": "2.0", "info": {"title": "t"}, "securityDefinitions": {"u": {"type": "apiKey", "name": "Authorization", "in": "header", "x-amazon-apigateway-authtype": "cognito_user_pools", "x-amazon-apigateway-authorizer": {"type": "cognito_user_pools", "providerARNs": ["arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_a", "arn:aws:cognito-idp:us-east-1:1:userpool/us-east-1_b"]}}}, "paths": {"/a": {"get": {"security": [{"u": ["x"]}], "x-amazon-apigateway-integration": {"type": "mock"}}}}}`,
		"openapi: 3.0.1\ninfo: {title: t}\ncomponents: {securitySchemes: {r: {type: apiKey, x-amazon-apigateway-authorizer: {type: request, identitySource: 'method.request.header.A, method.request.querystring.b', authorizerUri: 'arn:aws:lambda:us-east-1:1:function:a', authorizerPayloadFormatVersion: '2.0', enableSimpleResponses: true}}}}\npaths: {/a: {get: {security: [{r: []}, {r: []}], x-amazon-apigateway-integration: {type: mock}}}}",
	} {
		f.Add([]byte(seed))
	}
	// A fixed public key, so that fuzz workers need no key generation.
	keys := []byte(fuzzJWKS)
	f.Fuzz(func(t *testing.T, doc []byte) {
		s := New(Options{})
		opts := ImportOptions{
			Functions: func(string) (Invoker, error) { return echoFn(), nil },
			JWKS:      func(string) ([]byte, error) { return keys, nil },
		}
		if len(doc) > 0 && doc[0]&1 == 1 {
			// Odd first bytes import as an HTTP API, so that its
			// authorizer types and rules are explored too.
			opts.Kind = HTTP
		}
		api, err := s.ImportOpenAPI(doc, opts)
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("error %v is not a BadRequestException", err)
			}
			if strings.Contains(err.Error(), "cannot be read (") {
				t.Fatalf("the importer panicked: %v", err)
			}
			if len(s.APIs()) != 0 {
				t.Fatal("a failed import left an API")
			}
			return
		}
		if _, err := api.ExportOpenAPI(""); err != nil {
			t.Fatalf("export of an imported API: %v", err)
		}
	})
}

// fuzzJWKS is the JWKS of one RSA key (kid "fuzz"), for imports of JWT
// and Cognito authorizers in the fuzz test.
const fuzzJWKS = `{"keys":[{"kid":"fuzz","kty":"RSA","alg":"RS256","use":"sig","n":"rPdiDIjF6IbEBPe0wrHM-Sh-oA7J992VPJrQtbGpm4iufhAKQkY7SoWP9Ge11u0sLzmKymJSv5pPL-n6nEofZVjlfBk2x-evuAszEkvs7b4-wpD0tq53AVqU6zkKVptq4qJZsAQjykw3woRfbcN7KJ_TTdBpzWOIsl1oYsziZK8DQH0M7_tQIQ-x76_beBRWsNijqffzFdHnGkeqSwiDNr3rE4sBVAt0sc8IsreiQaHB8OQz3XRNxLBYzHp9p8RE-oFvl65piF8frZInoJknzw0oCdWCoUTouXrp1Ad8U3dSO1Chh66cx4EKT5RhB6slUbMjSwpnSpRBtvug57VYDQ","e":"AQAB"}]}`
