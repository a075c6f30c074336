package wire_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/minicloud/minicloud/lambda"
	"github.com/minicloud/minicloud/lambda/wire"
)

// A function created in Go is invoked over Lambda's wire protocol, as an
// SDK client would invoke it.
func Example() {
	svc := lambda.New(lambda.Options{})
	defer svc.Close()
	greet := func(ctx context.Context, name string) (string, error) { return "hello " + name, nil }
	if _, err := svc.CreateFunction(context.Background(), &lambda.CreateFunctionInput{FunctionName: "greet", Handler: lambda.Handler(greet)}); err != nil {
		panic(err)
	}
	srv := httptest.NewServer(wire.NewHandler(svc, wire.Options{}))
	defer srv.Close()

	resp, err := http.Post(srv.URL+"/2015-03-31/functions/greet/invocations", "application/json", strings.NewReader(`"gopher"`))
	if err != nil {
		panic(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Amz-Executed-Version"), string(body))

	resp, err = http.Get(srv.URL + "/2015-03-31/functions/missing")
	if err != nil {
		panic(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("X-Amzn-ErrorType"), string(body))
	// Output:
	// 200 $LATEST "hello gopher"
	// 404 ResourceNotFoundException {"Type":"User","message":"Function not found: arn:aws:lambda:us-east-1:123456789012:function:missing"}
}
