package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/lambda"
)

// greet is written as for aws-lambda-go: main would call lambda.Start(greet).
func greet(ctx context.Context, ev struct {
	Name string `json:"name"`
}) (string, error) {
	if ev.Name == "" {
		return "", errors.New("name is required")
	}
	return "hello, " + ev.Name, nil
}

func tourLambda(w io.Writer) error {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	svc := lambda.New(lambda.Options{Clock: c, Seed: 1})
	defer svc.Close()
	_, err := svc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "greet", Handler: lambda.Handler(greet), MemorySize: 256})
	if err != nil {
		return err
	}
	for _, payload := range []string{`{"name":"ana"}`, `{"name":"bo"}`, `{}`} {
		resp, err := svc.Invoke(ctx, &lambda.InvokeInput{FunctionName: "greet", Payload: []byte(payload)})
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "Invoke %-16s → %d %s %s\n", payload, resp.StatusCode, resp.FunctionError, resp.Payload)
	}
	m := svc.Metrics("greet", "")
	fmt.Fprintf(w, "Metrics: %d invocations, %d error, %d cold start (the environment was reused).\n", m.Invocations, m.Errors, m.ColdStarts)

	// Reserved concurrency is a cap: with 2 reserved, a third concurrent
	// call is throttled, as Lambda throttles it.
	started, release := make(chan struct{}), make(chan struct{})
	if _, err := svc.CreateFunction(ctx, &lambda.CreateFunctionInput{FunctionName: "busy", Handler: lambda.Handler(func() {
		started <- struct{}{}
		<-release
	})}); err != nil {
		return err
	}
	if _, err := svc.PutFunctionConcurrency(ctx, &lambda.PutFunctionConcurrencyInput{FunctionName: "busy", ReservedConcurrentExecutions: 2}); err != nil {
		return err
	}
	done := make(chan error, 2)
	for i := 0; i < 2; i++ {
		go func() {
			_, err := svc.Invoke(ctx, &lambda.InvokeInput{FunctionName: "busy"})
			done <- err
		}()
		<-started
	}
	_, err = svc.Invoke(ctx, &lambda.InvokeInput{FunctionName: "busy"})
	var e *lambda.Error
	if errors.As(err, &e) {
		fmt.Fprintf(w, "With ReservedConcurrentExecutions=2 and two calls running, a third gets %s (%s).\n", e.Code, lambda.ThrottleReason(err))
	}
	close(release)
	for i := 0; i < 2; i++ {
		if err := <-done; err != nil {
			return err
		}
	}
	fmt.Fprintf(w, "The bill so far, with the free tier: %s\n", strings.TrimSpace(svc.Cost().String()))
	return nil
}
