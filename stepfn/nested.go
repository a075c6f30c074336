package stepfn

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
)

// startExecutionArn is the optimized integration that starts another
// state machine: arn:aws:states:::states:startExecution, with .sync,
// .sync:2 and .waitForTaskToken.
const startExecutionArn = "arn:aws:states:::states:startExecution"

// builtin finds the integration minicloud serves itself for a Resource
// no resource is registered under: nested executions always, DynamoDB
// when Options.DynamoDB is set, API Gateway when Options.APIGateway is. A .waitForTaskToken Task gets the
// request-response call, which the callback wrapper then waits after.
func (e *execution) builtin(base, pattern string, g *submitGuard) (Resource, bool) {
	switch {
	case base == startExecutionArn:
		if pattern == patternCallback {
			pattern = ""
		}
		return e.startExecutionResource(pattern, g), true
	case strings.HasPrefix(base, dynamoDBArnPrefix) && pattern == "":
		return e.svc.dynamoDBResource(strings.TrimPrefix(base, dynamoDBArnPrefix))
	case base == apiGatewayInvokeArn && (pattern == "" || pattern == patternCallback):
		return e.svc.apiGatewayResource()
	}
	return nil, false
}

// startExecutionResource starts a child execution from the Task's
// parameters (StateMachineArn, Input as JSON or as a JSON string, Name)
// and, for .sync and .sync:2, waits for it to close.
//
// Request-response returns {"ExecutionArn", "StartDate"}; .sync returns
// the child's description with Input and Output as JSON text, .sync:2
// with them as JSON values. A child that fails, times out or is aborted
// fails the Task with States.TaskFailed and the child's description
// (its Error and Cause among it) as cause. A Task that times out or is
// stopped while it waits stops the child.
func (e *execution) startExecutionResource(pattern string, g *submitGuard) Resource {
	return ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		v, err := decodeJSON(input)
		if err != nil {
			return nil, err
		}
		params, _ := v.(map[string]any)
		arn, _ := params["StateMachineArn"].(string)
		if arn == "" {
			return nil, sdkError("StepFunctions", "Sfn", ErrValidation.New("1 validation error detected: Value null at 'stateMachineArn' failed to satisfy constraint: Member must not be null"), e.svc.rnd.uuid())
		}
		in := &StartExecutionInput{StateMachineArn: arn}
		switch x := params["Input"].(type) {
		case nil:
		case string:
			in.Input = x
		default:
			in.Input = encodeJSON(x)
		}
		in.Name, _ = params["Name"].(string)
		child, err := e.svc.startExecution(ctx, in)
		if err != nil {
			return nil, sdkError("StepFunctions", "Sfn", err, e.svc.rnd.uuid())
		}
		started := encodeJSON(map[string]any{"ExecutionArn": child.arn, "StartDate": epochMillis(child.start)})
		if pattern == "" {
			return []byte(started), nil
		}
		g.submitted([]byte(started))
		select {
		case <-child.done:
		case <-ctx.Done():
			child.cancel(stopRequest{})
			return nil, ctx.Err()
		}
		d := child.describe()
		desc := describeForTask(d, pattern == patternSync2)
		if d.Status != StatusSucceeded {
			return nil, &TaskError{Name: ErrorTaskFailed, Cause: encodeJSON(desc)}
		}
		return []byte(encodeJSON(desc)), nil
	})
}

// describeForTask renders a closed child execution as the .sync
// integrations return it: DescribeExecution's fields, dates as epoch
// milliseconds, Input and Output as JSON text (parsed for .sync:2).
func describeForTask(d *DescribeExecutionOutput, parsed bool) map[string]any {
	data := func(s string) any {
		if !parsed {
			return s
		}
		v, err := decodeJSON([]byte(s))
		if err != nil {
			return s
		}
		return v
	}
	included := map[string]any{"Included": true}
	out := map[string]any{
		"ExecutionArn": d.ExecutionArn, "StateMachineArn": d.StateMachineArn, "Name": d.Name, "Status": d.Status,
		"StartDate": epochMillis(d.StartDate), "StopDate": epochMillis(d.StopDate),
		"Input": data(d.Input), "InputDetails": included,
	}
	if d.Status == StatusSucceeded {
		out["Output"] = data(d.Output)
		out["OutputDetails"] = included
	}
	if d.Error != "" {
		out["Error"] = d.Error
	}
	if d.Cause != "" {
		out["Cause"] = d.Cause
	}
	return out
}

func epochMillis(t time.Time) any { return intNumber(t.UnixMilli()) }

// sdkError names a service's API error as Step Functions reports it to a
// Task: "<Service>.<Code>" (with the "Exception" suffix of the SDK's
// exception class) and a cause in the SDK's words.
func sdkError(prefix, service string, err error, requestID string) error {
	var coded interface {
		ErrorCode() string
		ErrorMessage() string
	}
	if !errors.As(err, &coded) || coded.ErrorCode() == "" {
		return err
	}
	code := coded.ErrorCode()
	if !strings.HasSuffix(code, "Exception") {
		code += "Exception"
	}
	status := 400
	var withStatus interface{ HTTPStatusCode() int }
	if errors.As(err, &withStatus) && withStatus.HTTPStatusCode() != 0 {
		status = withStatus.HTTPStatusCode()
	}
	return &TaskError{Name: prefix + "." + code, Cause: fmt.Sprintf("%s (Service: %s, Status Code: %d, Request ID: %s)", coded.ErrorMessage(), service, status, requestID)}
}
