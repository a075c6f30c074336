package apigw_test

import (
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
