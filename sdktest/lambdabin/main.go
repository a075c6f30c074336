// Command lambdabin is a Lambda function built as AWS builds Go functions
// for provided.al2023: a main that calls aws-lambda-go's lambda.Start.
// The sdktest suite builds it and runs it through minicloud's Runtime API,
// unchanged.
//
// The event's action chooses what the handler does: "hello" answers a
// greeting with what the function sees of its context and environment;
// "error" returns an error; "panic" panics; "exit" exits with status 7;
// "wait" blocks until its context ends.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

// Event is the function's input.
type Event struct {
	Action string `json:"action"`
	Name   string `json:"name"`
}

// Reply is the function's answer to "hello".
type Reply struct {
	Greeting    string `json:"greeting"`
	RequestID   string `json:"requestId"`
	FunctionARN string `json:"functionArn"`
	Function    string `json:"function"`
	Version     string `json:"version"`
	MemoryMB    int    `json:"memoryMB"`
	LogStream   string `json:"logStream"`
	Table       string `json:"table"`
	DeadlineMs  int64  `json:"deadlineMs"`
	TraceID     string `json:"traceId"`
	PID         int    `json:"pid"`
	Count       int    `json:"count"`
}

// count is per process: it shows an execution environment being reused.
var count int

// greeting starts the "hello" reply; a test builds a second version of
// the function with -ldflags "-X main.greeting=…" to tell the two apart.
var greeting = "hello"

func handle(ctx context.Context, ev Event) (*Reply, error) {
	count++
	lc, _ := lambdacontext.FromContext(ctx)
	log.Printf("%s %s in pid %d", ev.Action, ev.Name, os.Getpid())
	switch ev.Action {
	case "error":
		return nil, errors.New("bad order " + ev.Name)
	case "panic":
		panic("boom " + ev.Name)
	case "exit":
		fmt.Println("exiting")
		os.Exit(7)
	case "wait":
		<-ctx.Done()
		return nil, ctx.Err()
	}
	deadline, _ := ctx.Deadline()
	trace, _ := ctx.Value("x-amzn-trace-id").(string)
	return &Reply{
		Greeting:    greeting + " " + ev.Name,
		RequestID:   lc.AwsRequestID,
		FunctionARN: lc.InvokedFunctionArn,
		Function:    lambdacontext.FunctionName,
		Version:     lambdacontext.FunctionVersion,
		MemoryMB:    lambdacontext.MemoryLimitInMB,
		LogStream:   lambdacontext.LogStreamName,
		Table:       os.Getenv("TABLE_NAME"),
		DeadlineMs:  deadline.UnixMilli(),
		TraceID:     trace,
		PID:         os.Getpid(),
		Count:       count,
	}, nil
}

func main() {
	log.SetFlags(0)
	lambda.Start(handle)
}
