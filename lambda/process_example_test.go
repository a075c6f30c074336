package lambda_test

import (
	"context"
	"fmt"
	"os"

	"github.com/minicloud/minicloud/lambda"
)

// A function can be an executable that speaks the Lambda Runtime API, such
// as a Go binary whose main calls aws-lambda-go's lambda.Start. Here the
// test binary itself plays that part (see TestMain); a real test names
// the bootstrap it built with go build.
func ExampleProcessHandler() {
	exe, err := os.Executable()
	if err != nil {
		panic(err)
	}
	svc := lambda.New(lambda.Options{})
	defer svc.Close()
	ctx := context.Background()
	out, err := svc.CreateFunction(ctx, &lambda.CreateFunctionInput{
		FunctionName: "greeter",
		Handler: lambda.ProcessHandler(lambda.Process{
			Command: exe,
			Env:     []string{"MINICLOUD_FAKE_RUNTIME=greet"},
			Handler: "bootstrap",
		}),
	})
	if err != nil {
		panic(err)
	}
	resp, err := out.Function.Invoke(ctx, []byte(`{"name":"Ada"}`))
	fmt.Println(string(resp), err, svc.Warm("greeter", ""))
	// Output: {"greeting":"hello, Ada"} <nil> 1
}
