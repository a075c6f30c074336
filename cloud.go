package minicloud

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/apigw"
	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
	"github.com/minicloud/minicloud/edge"
	"github.com/minicloud/minicloud/lambda"
	lambdawire "github.com/minicloud/minicloud/lambda/wire"
	"github.com/minicloud/minicloud/stepfn"
	sfnwire "github.com/minicloud/minicloud/stepfn/wire"
)

// Options configures a simulated account. The zero value is account
// 123456789012 in us-east-1 on the real clock.
type Options struct {
	// Clock is the one time source every service of the account shares.
	// Nil means clock.Real().
	Clock clock.Clock
	// Region is the account's region. Default "us-east-1".
	Region string
	// AccountID is the account in every ARN. Default "123456789012".
	AccountID string
	// Seed seeds every service's random source (request IDs, table IDs,
	// jitter), so that a run on a manual clock is reproducible. Zero means
	// seed 1.
	Seed uint64
	// Logger receives Lambda's function logs, API Gateway's access logs
	// and the wire handlers' records of failed requests; nil discards
	// them.
	Logger *slog.Logger
	// Credentials, when not nil, makes [Cloud.Handler] verify the AWS
	// Signature Version 4 of every DynamoDB and DynamoDB Streams request
	// against these access keys (access key ID → secret access key), with
	// AWS's errors for an unknown key, a wrong signature or a stale date.
	Credentials map[string]string
	// ComputeClock measures CloudFront Functions' compute budget, which is
	// real CPU time in AWS (see edge.Options.ComputeClock). Nil means the
	// real clock; NewTest passes its manual clock, so that a loaded machine
	// never throttles a test's function.
	ComputeClock clock.Clock
}

// Cloud is one simulated AWS account: its services share one clock and
// know each other where AWS connects them (a Step Functions Task whose
// Resource is a Lambda function ARN invokes the account's function).
type Cloud struct {
	// Clock is the account's time source.
	Clock clock.Clock
	// Region and AccountID name the account in ARNs.
	Region, AccountID string
	// Dynamo is the account's DynamoDB in its Region.
	Dynamo *dynamo.DB
	// DynamoAccount holds the account's DynamoDB in every Region (created
	// on first use with DynamoAccount.Region(name)), on the one clock:
	// what global tables replicate between. Its Region(Region) is Dynamo.
	DynamoAccount *dynamo.Account
	// Objects is the account's object store (the S3 of DynamoDB's exports
	// and imports), shared by every Region. Create buckets on it with
	// CreateBucket.
	Objects *dynamo.MemoryStore
	// Lambda is the account's Lambda.
	Lambda *lambda.Service
	// StepFunctions is the account's Step Functions.
	StepFunctions *stepfn.Service
	// APIs is the account's API Gateway (REST and HTTP APIs). An
	// integration reaches the account's functions with
	// apigw.LambdaProxy{Function: cloud.Lambda.Function(name)}.
	APIs *apigw.Service
	// Edge is the account's CloudFront: distributions (http.Handlers in
	// front of any origin, an API stage included), CloudFront Functions
	// and Lambda@Edge (see [Cloud.EdgeLambda]).
	Edge *edge.Service
	// Faults holds the account's fault injection rules: add one to make a
	// service fail on purpose (see [Fault]).
	Faults *Faults

	handler http.Handler
	// lambdaWire serves Lambda's API; Close removes the packages it
	// extracted.
	lambdaWire *lambdawire.Handler
}

// New returns a new, empty account.
func New(opts Options) *Cloud {
	if opts.Region == "" {
		opts.Region = "us-east-1"
	}
	if opts.AccountID == "" {
		opts.AccountID = "123456789012"
	}
	if opts.Seed == 0 {
		opts.Seed = 1
	}
	c := &Cloud{Clock: clock.Or(opts.Clock), Region: opts.Region, AccountID: opts.AccountID}
	c.Faults = newFaults(c.Clock, opts.Seed, opts.Logger)
	c.Objects = dynamo.NewMemoryStore()
	c.DynamoAccount = dynamo.NewAccount(dynamo.AccountOptions{Clock: c.Clock, AccountID: c.AccountID, Regions: []string{c.Region},
		Options: dynamo.Options{Seed: opts.Seed, Archive: dynamo.ArchiveOptions{Store: c.Objects}, Faults: dynamoFaults{c.Faults}}})
	c.Dynamo = c.DynamoAccount.Region(c.Region)
	c.Lambda = lambda.New(lambda.Options{Clock: c.Clock, Region: c.Region, AccountID: c.AccountID, Seed: opts.Seed, Logger: opts.Logger,
		Faults: lambdaFaults(c.Faults)})
	c.StepFunctions = stepfn.New(stepfn.Options{Clock: c.Clock, Region: c.Region, AccountID: c.AccountID, Resolve: c.taskResource,
		DynamoDB: dynamoIntegration(wire.NewHandler(c.Dynamo, wire.Options{})),
		// arn:aws:states:::apigateway:invoke reaches the account's APIs
		// by their execute-api endpoint.
		APIGateway: func(endpoint string) (http.Handler, bool) {
			if !c.APIs.IsExecuteAPIRequest(&http.Request{Host: endpoint, URL: &url.URL{Path: "/"}}) {
				return nil, false
			}
			return c.APIs.Handler(), true
		}})
	c.APIs = apigw.New(apigw.Options{Clock: c.Clock, Region: c.Region, AccountID: c.AccountID, Seed: opts.Seed, Logger: opts.Logger,
		Faults: apigwFaults(c.Faults)})
	apisHandler := c.APIs.Handler()
	c.Edge = edge.New(edge.Options{Clock: c.Clock, ComputeClock: opts.ComputeClock, AccountID: c.AccountID, Seed: opts.Seed,
		Faults: edgeFaults(c.Faults)})
	wireLogger := opts.Logger
	if wireLogger == nil {
		wireLogger = slog.New(slog.DiscardHandler)
	}
	// DynamoDB requests go to the Region their signature names.
	dynamoHandler := wire.NewRegionRouter(c.DynamoAccount, wire.Options{Region: c.Region, Credentials: opts.Credentials, Logger: wireLogger})
	lambdaHandler := lambdawire.NewHandler(c.Lambda, lambdawire.Options{Seed: opts.Seed, Logger: wireLogger})
	c.lambdaWire = lambdaHandler
	sfnHandler := sfnwire.NewHandler(c.StepFunctions, sfnwire.Options{Seed: opts.Seed, Logger: wireLogger})
	c.handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.APIs.IsExecuteAPIRequest(r) {
			apisHandler.ServeHTTP(w, r)
			return
		}
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), sfnwire.TargetPrefix) {
			sfnHandler.ServeHTTP(w, r)
			return
		}
		if lambdawire.IsLambdaPath(r.URL.Path) {
			lambdaHandler.ServeHTTP(w, r)
			return
		}
		dynamoHandler.ServeHTTP(w, r)
	})
	return c
}

// lambdaResource finds the function of a Lambda ARN of this account, so
// that a Task state can invoke it.
func (c *Cloud) lambdaResource(arn string) (stepfn.Resource, bool) {
	parts := strings.Split(arn, ":")
	if len(parts) < 7 || len(parts) > 8 || parts[2] != "lambda" || parts[3] != c.Region || parts[4] != c.AccountID || parts[5] != "function" {
		return nil, false
	}
	if _, err := c.Lambda.GetFunction(context.Background(), &lambda.GetFunctionInput{FunctionName: parts[6]}); err != nil {
		return nil, false
	}
	return c.Lambda.Function(arn), true
}

// EdgeLambda returns the Lambda@Edge association of a published version
// of one of the account's functions (a qualified ARN such as
// arn:aws:lambda:us-east-1:123456789012:function:name:3) for a cache
// behaviour: the version is invoked through the account's Lambda, and
// CloudFront's rules are checked against its configuration (memory,
// timeout, environment variables) when the distribution is created or
// updated. The runtime is not checked: the function is Go code standing
// in for a Node.js or Python one.
func (c *Cloud) EdgeLambda(ctx context.Context, functionARN string, event edge.EventType, includeBody bool) (edge.LambdaFunctionAssociation, error) {
	a := edge.LambdaFunctionAssociation{EventType: event, LambdaFunctionARN: functionARN, IncludeBody: includeBody}
	parts := strings.Split(functionARN, ":")
	if len(parts) != 8 || parts[2] != "lambda" || parts[5] != "function" {
		return a, edge.ValidateLambdaFunctionAssociation(a, edge.DefaultLimits())
	}
	cfg, err := c.Lambda.GetFunctionConfiguration(ctx, &lambda.GetFunctionInput{FunctionName: parts[6], Qualifier: parts[7]})
	if err != nil {
		return a, err
	}
	a.Function = c.Lambda.Function(functionARN)
	a.Config = &edge.LambdaFunctionConfig{MemorySize: cfg.MemorySize, Timeout: cfg.Timeout}
	if cfg.Environment != nil {
		a.Config.Environment = cfg.Environment.Variables
	}
	return a, nil
}

// StreamEventSource returns the account's DynamoDB stream (a table's
// LatestStreamArn) or Kinesis data stream with that ARN as the Source of a
// Lambda event source mapping.
//
// Its reads go through the account's [Faults]: a rule for Operation
// "GetRecords" on the table (or Kinesis stream) stalls or fails the
// shard's reads.
func (c *Cloud) StreamEventSource(streamArn string) (lambda.EventSource, error) {
	var src lambda.EventSource
	var err error
	service := ServiceDynamoDB
	if strings.HasPrefix(streamArn, "arn:aws:kinesis:") {
		service = "kinesis"
		src, err = c.Dynamo.KinesisStream(streamArn)
	} else {
		src, err = c.Dynamo.StreamSource(streamArn)
	}
	if err != nil {
		return nil, err
	}
	return &stallingSource{EventSource: src, faults: c.Faults, service: service, resource: streamResource(streamArn)}, nil
}

// Handler serves the account's AWS wire protocols on one endpoint: the
// account's API Gateway APIs by execute-api host or /restapis/{id}/{stage}/
// _user_request_/ path (see apigw.Service.Handler), Lambda's
// REST-JSON protocol on its API paths (/2015-03-31/…, see
// lambda/wire), Step Functions' JSON protocol for an X-Amz-Target of
// "AWSStepFunctions.*" (see stepfn/wire), DynamoDB's JSON protocol for the
// rest.
func (c *Cloud) Handler() http.Handler { return c.handler }

// Close stops every service's background work.
func (c *Cloud) Close() error {
	// The function processes stop with Lambda, before their packages go.
	return errors.Join(c.Edge.Close(), c.StepFunctions.Close(), c.Lambda.Close(), c.lambdaWire.Close(), c.DynamoAccount.Close())
}

// TestEpoch is the instant a test account's manual clock starts at.
var TestEpoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// NewTest returns a fresh account for one test, on a manual clock that
// starts at TestEpoch, closed when the test ends. Each test gets its own
// account, so parallel tests never see each other's state.
func NewTest(t testing.TB) (*Cloud, *clock.Manual) {
	t.Helper()
	c := clock.NewManual(TestEpoch)
	cloud := New(Options{Clock: c, ComputeClock: c})
	t.Cleanup(func() {
		if err := cloud.Close(); err != nil {
			t.Errorf("minicloud: Close: %v", err)
		}
	})
	return cloud, c
}

// dynamoIntegration serves Step Functions' optimized DynamoDB integrations
// (arn:aws:states:::dynamodb:putItem, …) with the account's DynamoDB,
// through its JSON protocol: the Task's Parameters are the request body.
func dynamoIntegration(h http.Handler) stepfn.DynamoDBFunc {
	return func(ctx context.Context, action string, request []byte) ([]byte, error) {
		r, err := http.NewRequestWithContext(ctx, http.MethodPost, "/", bytes.NewReader(request))
		if err != nil {
			return nil, err
		}
		r.Header.Set("X-Amz-Target", wire.TargetPrefix+action)
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		w := &bufferedResponse{header: http.Header{}, status: http.StatusOK}
		h.ServeHTTP(w, r)
		if w.status == http.StatusOK {
			return w.body.Bytes(), nil
		}
		var e struct {
			Type    string `json:"__type"`
			Message string `json:"message"`
			Upper   string `json:"Message"`
		}
		_ = json.Unmarshal(w.body.Bytes(), &e)
		return nil, &dynamo.Error{Code: e.Type[strings.LastIndexByte(e.Type, '#')+1:], Message: e.Message + e.Upper, StatusCode: w.status}
	}
}

// bufferedResponse is an http.ResponseWriter that keeps the response.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (w *bufferedResponse) Header() http.Header         { return w.header }
func (w *bufferedResponse) Write(b []byte) (int, error) { return w.body.Write(b) }
func (w *bufferedResponse) WriteHeader(status int)      { w.status = status }
