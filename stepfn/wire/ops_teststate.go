package wire

import (
	"context"

	"github.com/minicloud/minicloud/stepfn"
)

type testStateRequest struct {
	Definition      string `json:"definition"`
	RoleArn         string `json:"roleArn"`
	Input           string `json:"input"`
	InspectionLevel string `json:"inspectionLevel"`
	RevealSecrets   bool   `json:"revealSecrets"`
	Variables       string `json:"variables"`
	StateName       string `json:"stateName"`
	Context         string `json:"context"`
	Mock            *struct {
		Result      *string `json:"result"`
		ErrorOutput *struct {
			Error string `json:"error"`
			Cause string `json:"cause"`
		} `json:"errorOutput"`
		FieldValidationMode string `json:"fieldValidationMode"`
	} `json:"mock"`
	StateConfiguration *struct {
		RetrierRetryCount        int    `json:"retrierRetryCount"`
		ErrorCausedByState       string `json:"errorCausedByState"`
		MapIterationFailureCount int    `json:"mapIterationFailureCount"`
		MapItemReaderData        string `json:"mapItemReaderData"`
	} `json:"stateConfiguration"`
}

// inspectionData is stepfn.InspectionData on the wire; empty members are
// left out.
type inspectionData struct {
	Input                      string                `json:"input,omitempty"`
	AfterInputPath             string                `json:"afterInputPath,omitempty"`
	AfterParameters            string                `json:"afterParameters,omitempty"`
	Result                     string                `json:"result,omitempty"`
	AfterResultSelector        string                `json:"afterResultSelector,omitempty"`
	AfterResultPath            string                `json:"afterResultPath,omitempty"`
	AfterItemsPath             string                `json:"afterItemsPath,omitempty"`
	AfterItemSelector          string                `json:"afterItemSelector,omitempty"`
	MaxConcurrency             *int                  `json:"maxConcurrency,omitempty"`
	ToleratedFailureCount      *int                  `json:"toleratedFailureCount,omitempty"`
	ToleratedFailurePercentage *float64              `json:"toleratedFailurePercentage,omitempty"`
	ErrorDetails               *inspectionErrDetails `json:"errorDetails,omitempty"`
	AfterArguments             string                `json:"afterArguments,omitempty"`
	Variables                  string                `json:"variables,omitempty"`
}

type inspectionErrDetails struct {
	CatchIndex                  *int `json:"catchIndex,omitempty"`
	RetryIndex                  *int `json:"retryIndex,omitempty"`
	RetryBackoffIntervalSeconds *int `json:"retryBackoffIntervalSeconds,omitempty"`
}

func testState(ctx context.Context, svc *stepfn.Service, in *testStateRequest) (any, error) {
	req := &stepfn.TestStateInput{Definition: in.Definition, RoleArn: in.RoleArn, Input: in.Input, InspectionLevel: in.InspectionLevel,
		RevealSecrets: in.RevealSecrets, Variables: in.Variables, StateName: in.StateName, Context: in.Context}
	if m := in.Mock; m != nil {
		req.Mock = &stepfn.TestStateMock{FieldValidationMode: m.FieldValidationMode}
		if m.Result != nil {
			req.Mock.Result = *m.Result
		}
		if m.ErrorOutput != nil {
			req.Mock.ErrorOutput = &stepfn.TestStateMockError{Error: m.ErrorOutput.Error, Cause: m.ErrorOutput.Cause}
		}
	}
	if c := in.StateConfiguration; c != nil {
		if c.MapItemReaderData != "" {
			return nil, stepfn.ErrValidation.New("mapItemReaderData tests an ItemReader, which minicloud does not support")
		}
		req.StateConfiguration = &stepfn.TestStateConfiguration{RetrierRetryCount: c.RetrierRetryCount,
			ErrorCausedByState: c.ErrorCausedByState, MapIterationFailureCount: c.MapIterationFailureCount}
	}
	out, err := svc.TestState(ctx, req)
	if err != nil {
		return nil, err
	}
	var data *inspectionData
	if d := out.InspectionData; d != nil {
		data = &inspectionData{d.Input, d.AfterInputPath, d.AfterParameters, d.Result, d.AfterResultSelector, d.AfterResultPath,
			d.AfterItemsPath, d.AfterItemSelector, d.MaxConcurrency, d.ToleratedFailureCount, d.ToleratedFailurePercentage, nil,
			d.AfterArguments, d.Variables}
		if e := d.ErrorDetails; e != nil {
			data.ErrorDetails = &inspectionErrDetails{e.CatchIndex, e.RetryIndex, e.RetryBackoffIntervalSeconds}
		}
	}
	return struct {
		Output         string          `json:"output,omitempty"`
		Error          string          `json:"error,omitempty"`
		Cause          string          `json:"cause,omitempty"`
		InspectionData *inspectionData `json:"inspectionData,omitempty"`
		NextState      string          `json:"nextState,omitempty"`
		Status         string          `json:"status"`
	}{out.Output, out.Error, out.Cause, data, out.NextState, out.Status}, nil
}
