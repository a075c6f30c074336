package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

func tourStepFunctions(w io.Writer) error {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC))
	sfn := stepfn.New(stepfn.Options{Clock: c})
	defer sfn.Close()

	_, err := stepfn.Compile(`{"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "B"}}}`)
	fmt.Fprintf(w, "A definition AWS would reject is rejected, with AWS's code and location:\n  %v\n", err)

	const remind = "arn:aws:lambda:us-east-1:123456789012:function:remind"
	attempts := 0
	sfn.RegisterResource(remind, stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		attempts++
		if attempts == 1 {
			return nil, &stepfn.TaskError{Name: "Mail.Unavailable", Cause: "SMTP server busy"}
		}
		return []byte(`{"sent": true}`), nil
	}))
	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name:    "trial-reminder",
		RoleArn: "arn:aws:iam::123456789012:role/reminder",
		Definition: `{
		  "StartAt": "WaitAWeek",
		  "States": {
		    "WaitAWeek": {"Type": "Wait", "Seconds": 604800, "Next": "Remind"},
		    "Remind": {
		      "Type": "Task", "Resource": "` + remind + `",
		      "Retry": [{"ErrorEquals": ["Mail.Unavailable"], "IntervalSeconds": 60, "MaxAttempts": 2}],
		      "ResultPath": "$.mail", "End": true
		    }
		  }
		}`,
	})
	if err != nil {
		return err
	}
	run, err := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: "user-7", Input: `{"user": 7}`})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "The machine waits a week, then sends a reminder, retrying a busy mail server after a minute.")
	if err := c.BlockUntil(ctx, 1); err != nil {
		return err
	}
	c.Advance(7 * 24 * time.Hour)
	if err := c.BlockUntil(ctx, 1); err != nil {
		return err
	}
	c.Advance(time.Minute)
	d, err := sfn.WaitExecution(ctx, run.ExecutionArn)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "After Advance(7 days) and Advance(1 minute): %s with output %s\n", d.Status, d.Output)
	h, err := sfn.GetExecutionHistory(ctx, &stepfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Its history, as GetExecutionHistory reports it:")
	for _, ev := range h.Events {
		fmt.Fprintf(w, "  %2d %s %s\n", ev.ID, ev.Timestamp.Format("Jan 2 15:04"), ev.Type)
	}
	return nil
}
