package sdktest

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/minicloud/minicloud"
	"github.com/minicloud/minicloud/clock"
)

// Config returns an aws.Config for a fresh minicloud account of its own:
// region us-east-1, static credentials, minicloud.Endpoint as the base
// endpoint and an HTTP client that serves every request in the process,
// without a socket. Any aws-sdk-go-v2 client built from it (dynamodb,
// dynamodbstreams, lambda, sfn) talks to the account; the account and its
// manual clock are returned beside it, and closed when the test ends.
func Config(t testing.TB) (aws.Config, *minicloud.Cloud, *clock.Manual) {
	t.Helper()
	cloud, clk := minicloud.NewTest(t)
	return aws.Config{
		Region:       "us-east-1",
		BaseEndpoint: aws.String(minicloud.Endpoint),
		HTTPClient:   cloud.HTTPClient(),
		Credentials:  credentials.NewStaticCredentialsProvider("test", "test", ""),
	}, cloud, clk
}
