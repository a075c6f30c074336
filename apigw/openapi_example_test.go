package apigw_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http/httptest"

	"github.com/minicloud/minicloud/apigw"
)

// An API imported from an OpenAPI document with API Gateway's
// extensions: a mock integration and a required query parameter checked
// by a request validator.
func ExampleService_ImportOpenAPI() {
	doc := `
openapi: 3.0.1
info: {title: hello, version: "1"}
x-amazon-apigateway-request-validators:
  params: {validateRequestParameters: true, validateRequestBody: false}
paths:
  /hello:
    get:
      x-amazon-apigateway-request-validator: params
      parameters:
        - {name: name, in: query, required: true, schema: {type: string}}
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseTemplates: {application/json: '{"hello": "world"}'}
`
	gw := apigw.New(apigw.Options{})
	api, err := gw.ImportOpenAPI([]byte(doc), apigw.ImportOptions{})
	if err != nil {
		fmt.Println(err)
		return
	}
	stage, _ := api.Deploy("prod")
	for _, target := range []string{"/hello?name=ann", "/hello"} {
		w := httptest.NewRecorder()
		stage.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		body, _ := io.ReadAll(w.Result().Body)
		fmt.Println(w.Code, string(body))
	}
	// Output:
	// 200 {"hello": "world"}
	// 400 {"message": "Missing required request parameters: [name]"}
}

// tokenChecker is a Lambda TOKEN authorizer in Go: it allows the token
// "let-me-in" to invoke every method of the API and denies the rest.
type tokenChecker struct{}

func (tokenChecker) Invoke(_ context.Context, payload []byte) ([]byte, error) {
	var ev struct{ AuthorizationToken, MethodArn string }
	if err := json.Unmarshal(payload, &ev); err != nil {
		return nil, err
	}
	effect := "Deny"
	if ev.AuthorizationToken == "let-me-in" {
		effect = "Allow"
	}
	return json.Marshal(map[string]any{
		"principalId": "user",
		"policyDocument": map[string]any{"Version": "2012-10-17", "Statement": []any{
			map[string]any{"Action": "execute-api:Invoke", "Effect": effect, "Resource": ev.MethodArn},
		}},
	})
}

// An API whose document declares a Lambda TOKEN authorizer with
// x-amazon-apigateway-authorizer and requires it for every operation; the
// authorizer's function is resolved from its ARN like an integration's.
func ExampleService_ImportOpenAPI_authorizer() {
	doc := `
openapi: 3.0.1
info: {title: guarded, version: "1"}
security: [{token: []}]
components:
  securitySchemes:
    token:
      type: apiKey
      name: Auth
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        authorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:checker/invocations
        authorizerResultTtlInSeconds: 0
paths:
  /secret:
    get:
      x-amazon-apigateway-integration:
        type: mock
        requestTemplates: {application/json: '{"statusCode": 200}'}
        responses:
          default:
            statusCode: "200"
            responseTemplates: {application/json: '{"secret": 42}'}
`
	gw := apigw.New(apigw.Options{})
	api, err := gw.ImportOpenAPI([]byte(doc), apigw.ImportOptions{
		Functions: func(string) (apigw.Invoker, error) { return tokenChecker{}, nil },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	stage, _ := api.Deploy("prod")
	for _, token := range []string{"let-me-in", "guess", ""} {
		r := httptest.NewRequest("GET", "/secret", nil)
		if token != "" {
			r.Header.Set("Auth", token)
		}
		w := httptest.NewRecorder()
		stage.ServeHTTP(w, r)
		body, _ := io.ReadAll(w.Result().Body)
		fmt.Println(w.Code, string(body))
	}
	// Output:
	// 200 {"secret": 42}
	// 403 {"Message":"User is not authorized to access this resource with an explicit deny"}
	// 401 {"message": "Unauthorized"}
}
