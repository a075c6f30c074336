package minicloud

import (
	"context"

	"github.com/minicloud/minicloud/stepfn"
)

// taskResource resolves a Task's Lambda function ARN as lambdaResource
// does, and puts the account's fault rules in front of it: a rule of
// service states, operation "Task", aimed at the ARN, fails the attempt
// with its Code as the error name and its Message as the cause (what
// Retry and Catch match), after its Latency.
func (c *Cloud) taskResource(arn string) (stepfn.Resource, bool) {
	r, ok := c.lambdaResource(arn)
	if !ok {
		return nil, false
	}
	return stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		fr := c.Faults.fire(Call{Service: ServiceStates, Operation: "Task", Resource: arn, Payload: input}, FaultError)
		if fr != nil {
			if err := c.Faults.wait(ctx, fr); err != nil {
				return nil, err
			}
			if fr.f.Code != "" {
				return nil, &stepfn.TaskError{Name: fr.f.Code, Cause: fr.f.Message}
			}
		}
		return r.Invoke(ctx, input)
	}), true
}
