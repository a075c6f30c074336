package wire

import (
	"context"

	"github.com/minicloud/minicloud/stepfn"
)

// The activity operations: CreateActivity, DescribeActivity,
// DeleteActivity, ListActivities and the GetActivityTask long poll, which
// holds the request for up to 60 seconds (on the service's clock) and
// answers {} when no task came.

type createActivityRequest struct {
	Name string `json:"name"`
	Tags []tag  `json:"tags"`
}

type activityRequest struct {
	ActivityArn string `json:"activityArn"`
}

type listActivitiesRequest struct {
	MaxResults int    `json:"maxResults"`
	NextToken  string `json:"nextToken"`
}

type getActivityTaskRequest struct {
	ActivityArn string `json:"activityArn"`
	WorkerName  string `json:"workerName"`
}

type activityListItem struct {
	ActivityArn  string `json:"activityArn"`
	Name         string `json:"name"`
	CreationDate epoch  `json:"creationDate"`
}

func createActivity(ctx context.Context, svc *stepfn.Service, in *createActivityRequest) (any, error) {
	out, err := svc.CreateActivity(ctx, &stepfn.CreateActivityInput{Name: in.Name, Tags: nativeTags(in.Tags)})
	if err != nil {
		return nil, err
	}
	return struct {
		ActivityArn  string `json:"activityArn"`
		CreationDate epoch  `json:"creationDate"`
	}{out.ActivityArn, epoch(out.CreationDate)}, nil
}

func describeActivity(ctx context.Context, svc *stepfn.Service, in *activityRequest) (any, error) {
	out, err := svc.DescribeActivity(ctx, in.ActivityArn)
	if err != nil {
		return nil, err
	}
	return activityListItem{out.ActivityArn, out.Name, epoch(out.CreationDate)}, nil
}

func deleteActivity(ctx context.Context, svc *stepfn.Service, in *activityRequest) (any, error) {
	if err := svc.DeleteActivity(ctx, in.ActivityArn); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func listActivities(ctx context.Context, svc *stepfn.Service, in *listActivitiesRequest) (any, error) {
	out, err := svc.ListActivities(ctx, &stepfn.ListActivitiesInput{MaxResults: in.MaxResults, NextToken: in.NextToken})
	if err != nil {
		return nil, err
	}
	items := make([]activityListItem, len(out.Activities))
	for i, a := range out.Activities {
		items[i] = activityListItem{a.ActivityArn, a.Name, epoch(a.CreationDate)}
	}
	return struct {
		Activities []activityListItem `json:"activities"`
		NextToken  string             `json:"nextToken,omitempty"`
	}{items, out.NextToken}, nil
}

func getActivityTask(ctx context.Context, svc *stepfn.Service, in *getActivityTaskRequest) (any, error) {
	out, err := svc.GetActivityTask(ctx, &stepfn.GetActivityTaskInput{ActivityArn: in.ActivityArn, WorkerName: in.WorkerName})
	if err != nil {
		return nil, err
	}
	return struct {
		TaskToken string `json:"taskToken,omitempty"`
		Input     string `json:"input,omitempty"`
	}{out.TaskToken, out.Input}, nil
}
