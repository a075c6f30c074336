package runtimeapi_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/minicloud/minicloud/lambda/runtimeapi"
)

// A runtime asks for an event, answers it, and asks for the next one; the
// Server's Invoke returns the answer.
func Example() {
	s := runtimeapi.New(runtimeapi.Options{})
	defer s.Close()
	addr, err := s.Listen() // the value of AWS_LAMBDA_RUNTIME_API
	if err != nil {
		panic(err)
	}
	api := "http://" + addr + "/2018-06-01/runtime/invocation/"

	// The runtime: a loop like aws-lambda-go's lambda.Start.
	go func() {
		for {
			resp, err := http.Get(api + "next")
			if err != nil || resp.StatusCode != 200 {
				return
			}
			event, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
			answer := strings.Replace(string(event), "ping", "pong", 1)
			r, err := http.Post(api+id+"/response", "application/json", strings.NewReader(answer))
			if err != nil {
				return
			}
			r.Body.Close()
		}
	}()

	ctx := context.Background()
	if err := s.WaitInit(ctx); err != nil {
		panic(err)
	}
	res, err := s.Invoke(ctx, &runtimeapi.Invocation{
		RequestID: "8476a536-e9f4-11e8-9739-2dfe598c3fcd",
		Deadline:  time.Date(2025, 1, 1, 0, 0, 3, 0, time.UTC),
		Payload:   []byte(`{"say":"ping"}`),
	})
	fmt.Println(string(res.Payload), res.Error, err)
	// Output: {"say":"pong"} false <nil>
}
