package sdktest

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awslambda "github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/lambda"
)

type greeting struct {
	Name string `json:"name"`
}

// lambdaClient is the README's set-up for Lambda: a real SDK client on the
// account, without retries so that a throttle is seen once.
func lambdaClient(endpoint string, hc awslambda.HTTPClient) *awslambda.Client {
	return awslambda.New(awslambda.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(endpoint),
		HTTPClient:       hc,
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: 1,
	})
}

// registerFunctions creates, in Go, the functions the SDK then invokes.
func registerFunctions(t *testing.T, svc *lambda.Service) {
	t.Helper()
	ctx := context.Background()
	for _, in := range []*lambda.CreateFunctionInput{
		{FunctionName: "greet", Handler: lambda.Handler(func(ctx context.Context, g greeting) (string, error) {
			lambda.Logger(ctx).Info("greeting " + g.Name)
			return "hello " + g.Name, nil
		})},
		{FunctionName: "fails", Handler: lambda.Handler(func(greeting) error { return errors.New("no greeting today") })},
	} {
		if _, err := svc.CreateFunction(ctx, in); err != nil {
			t.Fatal(err)
		}
	}
}

// TestLambdaWire_SDK drives the account's Lambda with the real SDK, in
// process (Cloud.HTTPClient) and over a loopback socket.
func TestLambdaWire_SDK(t *testing.T) {
	for _, transport := range []string{"in-process", "loopback"} {
		t.Run(transport, func(t *testing.T) {
			cloud, _ := minicloud.NewTest(t)
			registerFunctions(t, cloud.Lambda)
			var client *awslambda.Client
			if transport == "in-process" {
				client = lambdaClient(minicloud.Endpoint, cloud.HTTPClient())
			} else {
				srv := httptest.NewServer(cloud.Handler())
				t.Cleanup(srv.Close)
				client = lambdaClient(srv.URL, srv.Client())
			}
			testLambdaSDK(t, client)
		})
	}
}

func testLambdaSDK(t *testing.T, client *awslambda.Client) {
	ctx := context.Background()

	t.Run("Invoke RequestResponse", func(t *testing.T) {
		out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), Payload: []byte(`{"name":"gopher"}`)})
		if err != nil {
			t.Fatal(err)
		}
		if out.StatusCode != 200 || string(out.Payload) != `"hello gopher"` || aws.ToString(out.ExecutedVersion) != "$LATEST" || out.FunctionError != nil {
			t.Fatalf("%d %s %q %v", out.StatusCode, out.Payload, aws.ToString(out.ExecutedVersion), out.FunctionError)
		}
	})
	t.Run("Invoke Event", func(t *testing.T) {
		out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"name":"later"}`)})
		if err != nil || out.StatusCode != 202 || len(out.Payload) != 0 {
			t.Fatalf("%v %+v", err, out)
		}
	})
	t.Run("Invoke DryRun", func(t *testing.T) {
		out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), InvocationType: types.InvocationTypeDryRun})
		if err != nil || out.StatusCode != 204 {
			t.Fatalf("%v %+v", err, out)
		}
	})
	t.Run("function error", func(t *testing.T) {
		out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("fails"), Payload: []byte(`{}`)})
		if err != nil {
			t.Fatal(err)
		}
		if aws.ToString(out.FunctionError) != "Unhandled" || string(out.Payload) != `{"errorMessage":"no greeting today","errorType":"errorString"}` {
			t.Fatalf("%q %s", aws.ToString(out.FunctionError), out.Payload)
		}
	})
	t.Run("LogType Tail", func(t *testing.T) {
		out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), LogType: types.LogTypeTail, Payload: []byte(`{"name":"logs"}`)})
		if err != nil {
			t.Fatal(err)
		}
		log, err := base64.StdEncoding.DecodeString(aws.ToString(out.LogResult))
		if err != nil || !strings.Contains(string(log), "greeting logs") || !strings.Contains(string(log), "REPORT RequestId:") {
			t.Fatalf("%v %q", err, log)
		}
	})
	t.Run("ResourceNotFound", func(t *testing.T) {
		_, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("missing")})
		var nf *types.ResourceNotFoundException
		if !errors.As(err, &nf) || aws.ToString(nf.Type) != "User" || !strings.Contains(aws.ToString(nf.Message), "missing") {
			t.Fatalf("%T %v", err, err)
		}
		_, err = client.GetFunction(ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("missing")})
		if !errors.As(err, &nf) {
			t.Fatalf("GetFunction: %T %v", err, err)
		}
	})
	t.Run("GetFunction and ListFunctions", func(t *testing.T) {
		got, err := client.GetFunction(ctx, &awslambda.GetFunctionInput{FunctionName: aws.String("greet")})
		if err != nil {
			t.Fatal(err)
		}
		c := got.Configuration
		if aws.ToString(c.FunctionName) != "greet" || aws.ToString(c.FunctionArn) != "arn:aws:lambda:us-east-1:123456789012:function:greet" ||
			aws.ToInt32(c.MemorySize) != 128 || aws.ToInt32(c.Timeout) != 3 || c.Runtime != types.RuntimeProvidedal2023 || c.State != types.StateActive {
			t.Fatalf("%+v", c)
		}
		var names []string
		pages := awslambda.NewListFunctionsPaginator(client, &awslambda.ListFunctionsInput{MaxItems: aws.Int32(1)})
		n := 0
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n++
			for _, f := range page.Functions {
				names = append(names, aws.ToString(f.FunctionName))
			}
		}
		if strings.Join(names, ",") != "fails,greet" || n != 2 {
			t.Fatalf("%d pages: %v", n, names)
		}
	})
	t.Run("PublishVersion, alias, Qualifier", func(t *testing.T) {
		v, err := client.PublishVersion(ctx, &awslambda.PublishVersionInput{FunctionName: aws.String("greet"), Description: aws.String("first")})
		if err != nil || aws.ToString(v.Version) != "1" {
			t.Fatalf("%v %+v", err, v)
		}
		a, err := client.CreateAlias(ctx, &awslambda.CreateAliasInput{FunctionName: aws.String("greet"), Name: aws.String("live"), FunctionVersion: aws.String("1")})
		if err != nil || aws.ToString(a.AliasArn) != "arn:aws:lambda:us-east-1:123456789012:function:greet:live" {
			t.Fatalf("%v %+v", err, a)
		}
		for _, q := range []string{"live", "1"} {
			out, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet"), Qualifier: aws.String(q), Payload: []byte(`{"name":"v1"}`)})
			if err != nil || string(out.Payload) != `"hello v1"` || aws.ToString(out.ExecutedVersion) != "1" {
				t.Fatalf("Qualifier %s: %v %+v", q, err, out)
			}
		}
		aliases, err := client.ListAliases(ctx, &awslambda.ListAliasesInput{FunctionName: aws.String("greet")})
		if err != nil || len(aliases.Aliases) != 1 || aws.ToString(aliases.Aliases[0].Name) != "live" {
			t.Fatalf("%v %+v", err, aliases)
		}
	})
	t.Run("throttle", func(t *testing.T) {
		if _, err := client.PutFunctionConcurrency(ctx, &awslambda.PutFunctionConcurrencyInput{FunctionName: aws.String("greet"), ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
			t.Fatal(err)
		}
		_, err := client.Invoke(ctx, &awslambda.InvokeInput{FunctionName: aws.String("greet")})
		var tm *types.TooManyRequestsException
		if !errors.As(err, &tm) || tm.Reason != types.ThrottleReasonReservedFunctionConcurrentInvocationLimitExceeded ||
			aws.ToString(tm.RetryAfterSeconds) == "" || aws.ToString(tm.Message) != "Rate Exceeded." {
			t.Fatalf("%T %v", err, err)
		}
		if _, err := client.DeleteFunctionConcurrency(ctx, &awslambda.DeleteFunctionConcurrencyInput{FunctionName: aws.String("greet")}); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("account settings", func(t *testing.T) {
		out, err := client.GetAccountSettings(ctx, &awslambda.GetAccountSettingsInput{})
		if err != nil || out.AccountLimit.ConcurrentExecutions != 1000 || out.AccountUsage.FunctionCount != 2 {
			t.Fatalf("%v %+v", err, out)
		}
	})
	t.Run("CreateFunction of Go code is refused", func(t *testing.T) {
		_, err := client.CreateFunction(ctx, &awslambda.CreateFunctionInput{FunctionName: aws.String("new"), Handler: aws.String("bootstrap"),
			Role: aws.String("arn:aws:iam::123456789012:role/r"), Runtime: types.RuntimePython312, Code: &types.FunctionCode{ZipFile: []byte("PK")}})
		var ip *types.InvalidParameterValueException
		if !errors.As(err, &ip) || !strings.Contains(aws.ToString(ip.Message), "not registered") {
			t.Fatalf("%T %v", err, err)
		}
	})
}
