package wire

import (
	"context"

	"github.com/minicloud/minicloud/stepfn"
)

// The task-token operations answer a .waitForTaskToken Task. Each
// answers {} on success.

type sendTaskSuccessRequest struct {
	TaskToken string `json:"taskToken"`
	Output    string `json:"output"`
}

type sendTaskFailureRequest struct {
	TaskToken string `json:"taskToken"`
	Error     string `json:"error"`
	Cause     string `json:"cause"`
}

type sendTaskHeartbeatRequest struct {
	TaskToken string `json:"taskToken"`
}

func sendTaskSuccess(ctx context.Context, svc *stepfn.Service, in *sendTaskSuccessRequest) (any, error) {
	if _, err := svc.SendTaskSuccess(ctx, &stepfn.SendTaskSuccessInput{TaskToken: in.TaskToken, Output: in.Output}); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func sendTaskFailure(ctx context.Context, svc *stepfn.Service, in *sendTaskFailureRequest) (any, error) {
	if _, err := svc.SendTaskFailure(ctx, &stepfn.SendTaskFailureInput{TaskToken: in.TaskToken, Error: in.Error, Cause: in.Cause}); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}

func sendTaskHeartbeat(ctx context.Context, svc *stepfn.Service, in *sendTaskHeartbeatRequest) (any, error) {
	if _, err := svc.SendTaskHeartbeat(ctx, &stepfn.SendTaskHeartbeatInput{TaskToken: in.TaskToken}); err != nil {
		return nil, err
	}
	return struct{}{}, nil
}
