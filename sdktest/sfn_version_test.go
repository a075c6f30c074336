package sdktest

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/aws/aws-sdk-go-v2/service/sfn/types"
	"github.com/google/go-cmp/cmp"
)

// TestSFN_VersionsAndAliasesThroughTheSDK publishes two versions with the
// real client, routes an alias between them, starts executions through
// the alias and a version, and reads back what each ran.
func TestSFN_VersionsAndAliasesThroughTheSDK(t *testing.T) {
	client, cloud, _ := newSFNClient(t)
	ctx := context.Background()
	v1Def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v1","End":true}}}`
	v2Def := `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"v2","End":true}}}`
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("orders"), Definition: aws.String(v1Def),
		RoleArn: aws.String(sfnRole), Publish: true, VersionDescription: aws.String("first")})
	if err != nil {
		t.Fatal(err)
	}
	sm := aws.ToString(created.StateMachineArn)
	v1 := aws.ToString(created.StateMachineVersionArn)
	if v1 != sm+":1" {
		t.Fatalf("version ARN %q", v1)
	}
	upd, err := client.UpdateStateMachine(ctx, &sfn.UpdateStateMachineInput{StateMachineArn: created.StateMachineArn, Definition: aws.String(v2Def), Publish: true})
	if err != nil {
		t.Fatal(err)
	}
	v2 := aws.ToString(upd.StateMachineVersionArn)
	if v2 != sm+":2" {
		t.Fatalf("published on update: %q", v2)
	}
	_, err = client.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: created.StateMachineArn, RevisionId: aws.String("INITIAL")})
	var conflict *types.ConflictException
	if !errors.As(err, &conflict) {
		t.Errorf("publish with a stale revision: %v", err)
	}
	again, err := client.PublishStateMachineVersion(ctx, &sfn.PublishStateMachineVersionInput{StateMachineArn: created.StateMachineArn, RevisionId: upd.RevisionId})
	if err != nil || aws.ToString(again.StateMachineVersionArn) != v2 {
		t.Errorf("publish of the published revision: %v %v", again, err)
	}

	versions, err := client.ListStateMachineVersions(ctx, &sfn.ListStateMachineVersionsInput{StateMachineArn: created.StateMachineArn})
	if err != nil {
		t.Fatal(err)
	}
	var arns []string
	for _, v := range versions.StateMachineVersions {
		arns = append(arns, aws.ToString(v.StateMachineVersionArn))
	}
	if diff := cmp.Diff([]string{v2, v1}, arns); diff != "" {
		t.Errorf("versions (-want +got):\n%s", diff)
	}
	d1, err := client.DescribeStateMachine(ctx, &sfn.DescribeStateMachineInput{StateMachineArn: aws.String(v1)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(d1.Definition) != v1Def || aws.ToString(d1.Description) != "first" || aws.ToString(d1.StateMachineArn) != v1 {
		t.Errorf("describe version 1: %+v", d1)
	}

	al, err := client.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("live"), Description: aws.String("canary"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v1), Weight: 80}, {StateMachineVersionArn: aws.String(v2), Weight: 20}}})
	if err != nil {
		t.Fatal(err)
	}
	aliasArn := aws.ToString(al.StateMachineAliasArn)
	if aliasArn != sm+":live" {
		t.Fatalf("alias ARN %q", aliasArn)
	}
	da, err := client.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(da.Name) != "live" || aws.ToString(da.Description) != "canary" || len(da.RoutingConfiguration) != 2 || da.RoutingConfiguration[1].Weight != 20 {
		t.Errorf("describe alias: %+v", da)
	}

	ran := map[string]int{}
	for i := 0; i < 40; i++ {
		start, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: al.StateMachineAliasArn})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cloud.StepFunctions.WaitExecution(ctx, aws.ToString(start.ExecutionArn)); err != nil {
			t.Fatal(err)
		}
		de, err := client.DescribeExecution(ctx, &sfn.DescribeExecutionInput{ExecutionArn: start.ExecutionArn})
		if err != nil {
			t.Fatal(err)
		}
		version := aws.ToString(de.StateMachineVersionArn)
		if aws.ToString(de.StateMachineAliasArn) != aliasArn || aws.ToString(de.StateMachineArn) != sm ||
			(version == v1) != (aws.ToString(de.Output) == `"v1"`) {
			t.Fatalf("execution %d: alias %v version %v output %v", i, aws.ToString(de.StateMachineAliasArn), version, aws.ToString(de.Output))
		}
		ran[version]++
	}
	if ran[v1] == 0 || ran[v2] == 0 || ran[v1] < ran[v2] {
		t.Errorf("an 80/20 alias over 40 runs: %v", ran)
	}

	// A version ARN runs that version; DescribeStateMachineForExecution
	// reads the definition it ran.
	start, err := client.StartExecution(ctx, &sfn.StartExecutionInput{StateMachineArn: aws.String(v1)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cloud.StepFunctions.WaitExecution(ctx, aws.ToString(start.ExecutionArn)); err != nil {
		t.Fatal(err)
	}
	fe, err := client.DescribeStateMachineForExecution(ctx, &sfn.DescribeStateMachineForExecutionInput{ExecutionArn: start.ExecutionArn})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(fe.Definition) != v1Def || aws.ToString(fe.StateMachineArn) != sm || fe.UpdateDate == nil {
		t.Errorf("DescribeStateMachineForExecution: %+v", fe)
	}

	_, err = client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(v1)})
	if !errors.As(err, &conflict) {
		t.Errorf("deleting a version an alias routes to: %v", err)
	}
	if _, err := client.UpdateStateMachineAlias(ctx, &sfn.UpdateStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn,
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v2), Weight: 100}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.DeleteStateMachineVersion(ctx, &sfn.DeleteStateMachineVersionInput{StateMachineVersionArn: aws.String(v1)}); err != nil {
		t.Errorf("deleting a version no alias routes to: %v", err)
	}
	aliases, err := client.ListStateMachineAliases(ctx, &sfn.ListStateMachineAliasesInput{StateMachineArn: created.StateMachineArn})
	if err != nil || len(aliases.StateMachineAliases) != 1 || aws.ToString(aliases.StateMachineAliases[0].StateMachineAliasArn) != aliasArn {
		t.Errorf("list aliases: %+v %v", aliases, err)
	}
	if _, err := client.DeleteStateMachineAlias(ctx, &sfn.DeleteStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn}); err != nil {
		t.Fatal(err)
	}
	_, err = client.DescribeStateMachineAlias(ctx, &sfn.DescribeStateMachineAliasInput{StateMachineAliasArn: al.StateMachineAliasArn})
	var notFound *types.ResourceNotFound
	if !errors.As(err, &notFound) {
		t.Errorf("describe a deleted alias: %v", err)
	}
	_, err = client.CreateStateMachineAlias(ctx, &sfn.CreateStateMachineAliasInput{Name: aws.String("bad"),
		RoutingConfiguration: []types.RoutingConfigurationListItem{{StateMachineVersionArn: aws.String(v2), Weight: 50}}})
	var invalid *types.ValidationException
	if !errors.As(err, &invalid) {
		t.Errorf("weights summing to 50: %v", err)
	}
}

// TestSFN_TagsThroughTheSDK tags a state machine and an activity with the
// real client and hits the 50-tag quota.
func TestSFN_TagsThroughTheSDK(t *testing.T) {
	client, _, _ := newSFNClient(t)
	ctx := context.Background()
	created, err := client.CreateStateMachine(ctx, &sfn.CreateStateMachineInput{Name: aws.String("tagged"),
		Definition: aws.String(`{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}}`), RoleArn: aws.String(sfnRole),
		Tags: []types.Tag{{Key: aws.String("team"), Value: aws.String("payments")}}})
	if err != nil {
		t.Fatal(err)
	}
	act, err := client.CreateActivity(ctx, &sfn.CreateActivityInput{Name: aws.String("review"), Tags: []types.Tag{{Key: aws.String("owner"), Value: aws.String("ops")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: created.StateMachineArn,
		Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}, {Key: aws.String("team"), Value: aws.String("risk")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := client.UntagResource(ctx, &sfn.UntagResourceInput{ResourceArn: created.StateMachineArn, TagKeys: []string{"env"}}); err != nil {
		t.Fatal(err)
	}
	list := func(arn *string) map[string]string {
		t.Helper()
		out, err := client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: arn})
		if err != nil {
			t.Fatal(err)
		}
		tags := map[string]string{}
		for _, tg := range out.Tags {
			tags[aws.ToString(tg.Key)] = aws.ToString(tg.Value)
		}
		return tags
	}
	if diff := cmp.Diff(map[string]string{"team": "risk"}, list(created.StateMachineArn)); diff != "" {
		t.Errorf("state machine tags (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"owner": "ops"}, list(act.ActivityArn)); diff != "" {
		t.Errorf("activity tags (-want +got):\n%s", diff)
	}

	var many []types.Tag
	for i := 0; i < 50; i++ {
		many = append(many, types.Tag{Key: aws.String(string(rune('A'+i%26)) + string(rune('a'+i/26))), Value: aws.String("v")})
	}
	_, err = client.TagResource(ctx, &sfn.TagResourceInput{ResourceArn: created.StateMachineArn, Tags: many})
	var tooMany *types.TooManyTags
	if !errors.As(err, &tooMany) {
		t.Errorf("51 tags: %v", err)
	}
	_, err = client.ListTagsForResource(ctx, &sfn.ListTagsForResourceInput{ResourceArn: aws.String(aws.ToString(created.StateMachineArn) + "-gone")})
	var notFound *types.ResourceNotFound
	if !errors.As(err, &notFound) {
		t.Errorf("tags of a missing state machine: %v", err)
	}
}
