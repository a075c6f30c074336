package apigw_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/lambda"
)

// proxyEvent is the part of payload format 1.0 the function reads (in a
// real function: events.APIGatewayProxyRequest of aws-lambda-go).
type proxyEvent struct {
	HTTPMethod     string            `json:"httpMethod"`
	PathParameters map[string]string `json:"pathParameters"`
	Body           string            `json:"body"`
}

// proxyResponse is a proxy integration's result (events.APIGatewayProxyResponse).
type proxyResponse struct {
	StatusCode int    `json:"statusCode"`
	Body       string `json:"body"`
}

// A CRUD API backed by one Lambda function: the function reads the proxy
// event (payload format 1.0) and returns a proxy response.
func Example() {
	ctx := context.Background()
	fns := lambda.New(lambda.Options{})
	defer fns.Close()

	var mu sync.Mutex
	items := map[string]string{}
	_, err := fns.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "items",
		Handler: lambda.Handler(func(ctx context.Context, ev proxyEvent) (proxyResponse, error) {
			id := ev.PathParameters["id"]
			mu.Lock()
			defer mu.Unlock()
			switch ev.HTTPMethod {
			case "PUT":
				items[id] = ev.Body
				return proxyResponse{StatusCode: 201}, nil
			case "DELETE":
				delete(items, id)
				return proxyResponse{StatusCode: 204}, nil
			}
			body, ok := items[id]
			if !ok {
				return proxyResponse{StatusCode: 404, Body: "no item " + id}, nil
			}
			return proxyResponse{StatusCode: 200, Body: body}, nil
		}),
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	gw := apigw.New(apigw.Options{})
	api, _ := gw.CreateAPI(apigw.APIConfig{Name: "items", Kind: apigw.REST})
	proxy := apigw.LambdaProxy{Function: fns.Function("items")}
	for _, key := range []string{"GET /items/{id}", "PUT /items/{id}", "DELETE /items/{id}"} {
		if err := api.Route(key, apigw.Route{Integration: proxy}); err != nil {
			fmt.Println(err)
			return
		}
	}
	stage, err := api.Deploy("prod")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := httptest.NewServer(stage)
	defer srv.Close()

	call := func(method, path, body string) {
		req, _ := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			fmt.Println(err)
			return
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		fmt.Println(strings.TrimSpace(fmt.Sprint(method, " ", path, " ", res.StatusCode, " ", string(b))))
	}
	call("PUT", "/items/1", "milk")
	call("GET", "/items/1", "")
	call("DELETE", "/items/1", "")
	call("GET", "/items/1", "")
	call("GET", "/nothing", "")
	// Output:
	// PUT /items/1 201
	// GET /items/1 200 milk
	// DELETE /items/1 204
	// GET /items/1 404 no item 1
	// GET /nothing 403 {"message": "Missing Authentication Token"}
}
