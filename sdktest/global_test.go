package sdktest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/dynamo"
	"github.com/minicloud/minicloud/dynamo/wire"
)

// Two SDK clients configured for two regions talk to one endpoint that
// serves a whole account: a table made global in one region is written in
// both, and conflicting writes converge on the same winner.
func TestSDK_GlobalTableAcrossRegions(t *testing.T) {
	c := clock.NewManual(streamsStart)
	acct := dynamo.NewAccount(dynamo.AccountOptions{Clock: c, Options: dynamo.Options{LiveTableStats: true}})
	t.Cleanup(func() { acct.Close() })
	endpoint, transport := serveSDK(t, wire.NewRegionRouter(acct, wire.Options{Credentials: map[string]string{testKeyID: testSecret}}))
	client := func(region string) *dynamodb.Client {
		cfg := sdkConfig(&checkingTransport{t: t, next: transport}, testKeyID, testSecret)
		cfg.Region = region
		return dynamodb.NewFromConfig(cfg, func(o *dynamodb.Options) { o.BaseEndpoint = aws.String(endpoint) })
	}
	east, sydney := client("us-east-1"), client("ap-southeast-2")
	ctx := context.Background()
	_, err := east.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName:            aws.String("carts"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("id"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}},
		BillingMode:          types.BillingModePayPerRequest,
	})
	noErr(t, err)
	addReplica := &dynamodb.UpdateTableInput{TableName: aws.String("carts"), ReplicaUpdates: []types.ReplicationGroupUpdate{{Create: &types.CreateReplicationGroupMemberAction{RegionName: aws.String("ap-southeast-2")}}}}
	_, err = east.UpdateTable(ctx, addReplica)
	var apiErr smithy.APIError
	if !errors.As(err, &apiErr) || apiErr.ErrorCode() != "ValidationException" {
		t.Fatalf("replica without a NEW_AND_OLD_IMAGES stream: %v", err)
	}
	_, err = east.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("carts"), StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages}})
	noErr(t, err)
	_, err = east.UpdateTable(ctx, addReplica)
	noErr(t, err)
	d, err := sydney.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("carts")})
	noErr(t, err)
	if aws.ToString(d.Table.GlobalTableVersion) != "2019.11.21" || len(d.Table.Replicas) != 1 || aws.ToString(d.Table.Replicas[0].RegionName) != "us-east-1" || d.Table.Replicas[0].ReplicaStatus != types.ReplicaStatusActive {
		t.Fatalf("replica description %+v", d.Table.Replicas)
	}

	put := func(cl *dynamodb.Client, v string) {
		t.Helper()
		_, err := cl.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("carts"), Item: map[string]types.AttributeValue{
			"id": &types.AttributeValueMemberS{Value: "c1"}, "owner": &types.AttributeValueMemberS{Value: v},
		}})
		noErr(t, err)
	}
	read := func(cl *dynamodb.Client) string {
		t.Helper()
		out, err := cl.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("carts"), Key: map[string]types.AttributeValue{"id": &types.AttributeValueMemberS{Value: "c1"}}})
		noErr(t, err)
		if out.Item == nil {
			return "<none>"
		}
		return out.Item["owner"].(*types.AttributeValueMemberS).Value
	}
	put(east, "ana")
	if got := read(sydney); got != "<none>" {
		t.Fatalf("Sydney read %q before the replication delay", got)
	}
	c.Advance(time.Second)
	if got := read(sydney); got != "ana" {
		t.Fatalf("Sydney read %q after the replication delay", got)
	}
	put(sydney, "bo")
	c.Advance(10 * time.Millisecond)
	put(east, "cy") // the later write
	c.Advance(2 * time.Second)
	if e, s := read(east), read(sydney); e != "cy" || s != "cy" {
		t.Fatalf("after the conflict us-east-1 has %q and ap-southeast-2 %q, want both cy", e, s)
	}
}
