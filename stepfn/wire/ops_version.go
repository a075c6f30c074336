package wire

import (
	"context"

	"github.com/minicloud/minicloud/stepfn"
)

// Versions, aliases and tags on the wire, member by member as the Step
// Functions API reference names them.

type publishVersionRequest struct {
	StateMachineArn string `json:"stateMachineArn"`
	RevisionId      string `json:"revisionId"`
	Description     string `json:"description"`
}

type listVersionsRequest struct {
	StateMachineArn string `json:"stateMachineArn"`
	MaxResults      int    `json:"maxResults"`
	NextToken       string `json:"nextToken"`
}

type versionRequest struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
}

// routingItem is a RoutingConfigurationListItem.
type routingItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	Weight                 int    `json:"weight"`
}

type createAliasRequest struct {
	Name                 string        `json:"name"`
	Description          string        `json:"description"`
	RoutingConfiguration []routingItem `json:"routingConfiguration"`
}

type aliasRequest struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
}

type updateAliasRequest struct {
	StateMachineAliasArn string        `json:"stateMachineAliasArn"`
	Description          *string       `json:"description"`
	RoutingConfiguration []routingItem `json:"routingConfiguration"`
}

type listAliasesRequest struct {
	StateMachineArn string `json:"stateMachineArn"`
	MaxResults      int    `json:"maxResults"`
	NextToken       string `json:"nextToken"`
}

// tag is a Tag: {"key": ..., "value": ...}.
type tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type tagResourceRequest struct {
	ResourceArn string `json:"resourceArn"`
	Tags        []tag  `json:"tags"`
}

type untagResourceRequest struct {
	ResourceArn string   `json:"resourceArn"`
	TagKeys     []string `json:"tagKeys"`
}

type resourceRequest struct {
	ResourceArn string `json:"resourceArn"`
}

// nativeTags converts tags from the wire, keeping nil as nil (a missing
// member).
func nativeTags(in []tag) []stepfn.Tag {
	if in == nil {
		return nil
	}
	out := make([]stepfn.Tag, len(in))
	for i, t := range in {
		out[i] = stepfn.Tag{Key: t.Key, Value: t.Value}
	}
	return out
}

func nativeRouting(in []routingItem) []stepfn.RoutingConfigurationListItem {
	if in == nil {
		return nil
	}
	out := make([]stepfn.RoutingConfigurationListItem, len(in))
	for i, r := range in {
		out[i] = stepfn.RoutingConfigurationListItem{StateMachineVersionArn: r.StateMachineVersionArn, Weight: r.Weight}
	}
	return out
}

func publishVersion(ctx context.Context, svc *stepfn.Service, in *publishVersionRequest) (any, error) {
	out, err := svc.PublishStateMachineVersion(ctx, &stepfn.PublishStateMachineVersionInput{StateMachineArn: in.StateMachineArn, RevisionId: in.RevisionId, Description: in.Description})
	if err != nil {
		return nil, err
	}
	return struct {
		CreationDate           epoch  `json:"creationDate"`
		StateMachineVersionArn string `json:"stateMachineVersionArn"`
	}{epoch(out.CreationDate), out.StateMachineVersionArn}, nil
}

type versionListItem struct {
	StateMachineVersionArn string `json:"stateMachineVersionArn"`
	CreationDate           epoch  `json:"creationDate"`
}

func listVersions(ctx context.Context, svc *stepfn.Service, in *listVersionsRequest) (any, error) {
	out, err := svc.ListStateMachineVersions(ctx, &stepfn.ListStateMachineVersionsInput{StateMachineArn: in.StateMachineArn, MaxResults: in.MaxResults, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	items := make([]versionListItem, len(out.StateMachineVersions))
	for i, v := range out.StateMachineVersions {
		items[i] = versionListItem{v.StateMachineVersionArn, epoch(v.CreationDate)}
	}
	return struct {
		StateMachineVersions []versionListItem `json:"stateMachineVersions"`
		NextToken            string            `json:"nextToken,omitempty"`
	}{items, out.NextToken}, nil
}

func deleteVersion(ctx context.Context, svc *stepfn.Service, in *versionRequest) (any, error) {
	if _, err := svc.DeleteStateMachineVersion(ctx, &stepfn.DeleteStateMachineVersionInput{StateMachineVersionArn: in.StateMachineVersionArn}); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func createAlias(ctx context.Context, svc *stepfn.Service, in *createAliasRequest) (any, error) {
	out, err := svc.CreateStateMachineAlias(ctx, &stepfn.CreateStateMachineAliasInput{Name: in.Name, Description: in.Description,
		RoutingConfiguration: nativeRouting(in.RoutingConfiguration)})
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineAliasArn string `json:"stateMachineAliasArn"`
		CreationDate         epoch  `json:"creationDate"`
	}{out.StateMachineAliasArn, epoch(out.CreationDate)}, nil
}

func describeAlias(ctx context.Context, svc *stepfn.Service, in *aliasRequest) (any, error) {
	out, err := svc.DescribeStateMachineAlias(ctx, &stepfn.DescribeStateMachineAliasInput{StateMachineAliasArn: in.StateMachineAliasArn})
	if err != nil {
		return nil, err
	}
	routes := make([]routingItem, len(out.RoutingConfiguration))
	for i, r := range out.RoutingConfiguration {
		routes[i] = routingItem{r.StateMachineVersionArn, r.Weight}
	}
	return struct {
		StateMachineAliasArn string        `json:"stateMachineAliasArn"`
		Name                 string        `json:"name"`
		Description          string        `json:"description,omitempty"`
		RoutingConfiguration []routingItem `json:"routingConfiguration"`
		CreationDate         epoch         `json:"creationDate"`
		UpdateDate           epoch         `json:"updateDate"`
	}{out.StateMachineAliasArn, out.Name, out.Description, routes, epoch(out.CreationDate), epoch(out.UpdateDate)}, nil
}

func updateAlias(ctx context.Context, svc *stepfn.Service, in *updateAliasRequest) (any, error) {
	out, err := svc.UpdateStateMachineAlias(ctx, &stepfn.UpdateStateMachineAliasInput{StateMachineAliasArn: in.StateMachineAliasArn,
		Description: in.Description, RoutingConfiguration: nativeRouting(in.RoutingConfiguration)})
	if err != nil {
		return nil, err
	}
	return struct {
		UpdateDate epoch `json:"updateDate"`
	}{epoch(out.UpdateDate)}, nil
}

func deleteAlias(ctx context.Context, svc *stepfn.Service, in *aliasRequest) (any, error) {
	if _, err := svc.DeleteStateMachineAlias(ctx, &stepfn.DeleteStateMachineAliasInput{StateMachineAliasArn: in.StateMachineAliasArn}); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

type aliasListItem struct {
	StateMachineAliasArn string `json:"stateMachineAliasArn"`
	CreationDate         epoch  `json:"creationDate"`
}

func listAliases(ctx context.Context, svc *stepfn.Service, in *listAliasesRequest) (any, error) {
	out, err := svc.ListStateMachineAliases(ctx, &stepfn.ListStateMachineAliasesInput{StateMachineArn: in.StateMachineArn, MaxResults: in.MaxResults, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	items := make([]aliasListItem, len(out.StateMachineAliases))
	for i, a := range out.StateMachineAliases {
		items[i] = aliasListItem{a.StateMachineAliasArn, epoch(a.CreationDate)}
	}
	return struct {
		StateMachineAliases []aliasListItem `json:"stateMachineAliases"`
		NextToken           string          `json:"nextToken,omitempty"`
	}{items, out.NextToken}, nil
}

func describeStateMachineForExecution(ctx context.Context, svc *stepfn.Service, in *executionRequest) (any, error) {
	out, err := svc.DescribeStateMachineForExecution(ctx, &stepfn.DescribeStateMachineForExecutionInput{ExecutionArn: in.ExecutionArn})
	if err != nil {
		return nil, err
	}
	return struct {
		StateMachineArn string                `json:"stateMachineArn"`
		Name            string                `json:"name"`
		Definition      string                `json:"definition"`
		RoleArn         string                `json:"roleArn"`
		UpdateDate      epoch                 `json:"updateDate"`
		Logging         *loggingConfiguration `json:"loggingConfiguration"`
		Tracing         *tracingConfiguration `json:"tracingConfiguration"`
		RevisionId      string                `json:"revisionId,omitempty"`
	}{out.StateMachineArn, out.Name, out.Definition, out.RoleArn, epoch(out.UpdateDate),
		wireLogging(out.LoggingConfiguration), &tracingConfiguration{out.TracingConfiguration.Enabled}, out.RevisionId}, nil
}

func tagResource(ctx context.Context, svc *stepfn.Service, in *tagResourceRequest) (any, error) {
	if _, err := svc.TagResource(ctx, &stepfn.TagResourceInput{ResourceArn: in.ResourceArn, Tags: nativeTags(in.Tags)}); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func untagResource(ctx context.Context, svc *stepfn.Service, in *untagResourceRequest) (any, error) {
	if _, err := svc.UntagResource(ctx, &stepfn.UntagResourceInput{ResourceArn: in.ResourceArn, TagKeys: in.TagKeys}); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func listTagsForResource(ctx context.Context, svc *stepfn.Service, in *resourceRequest) (any, error) {
	out, err := svc.ListTagsForResource(ctx, &stepfn.ListTagsForResourceInput{ResourceArn: in.ResourceArn})
	if err != nil {
		return nil, err
	}
	tags := make([]tag, len(out.Tags))
	for i, t := range out.Tags {
		tags[i] = tag{t.Key, t.Value}
	}
	return struct {
		Tags []tag `json:"tags"`
	}{tags}, nil
}
