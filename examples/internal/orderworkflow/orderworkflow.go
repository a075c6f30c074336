// Package orderworkflow is the order-workflow scenario: order fulfilment in
// Step Functions with parallel steps, a retried payment, a human approval
// by task token and a compensating path when the approval is refused.
package orderworkflow

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

const definition = `{
  "Comment": "Order fulfilment with a human approval and compensation",
  "StartAt": "Prepare",
  "States": {
    "Prepare": {
      "Type": "Parallel",
      "Branches": [
        {"StartAt": "ReserveStock", "States": {"ReserveStock": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:reserve", "End": true}}},
        {"StartAt": "ChargeCard", "States": {"ChargeCard": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:charge",
          "Retry": [{"ErrorEquals": ["Payment.Timeout"], "IntervalSeconds": 2, "BackoffRate": 2, "MaxAttempts": 3}], "End": true}}}
      ],
      "ResultPath": "$.prepared",
      "Next": "Approve"
    },
    "Approve": {
      "Type": "Task",
      "Resource": "arn:aws:states:::sns:publish.waitForTaskToken",
      "Parameters": {"Message.$": "$.order", "TaskToken.$": "$$.Task.Token"},
      "TimeoutSeconds": 86400,
      "ResultPath": "$.approval",
      "Catch": [{"ErrorEquals": ["Rejected", "States.Timeout"], "ResultPath": "$.error", "Next": "Refund"}],
      "Next": "Ship"
    },
    "Ship": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:ship", "ResultPath": "$.shipment", "End": true},
    "Refund": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:refund", "ResultPath": null, "Next": "ReleaseStock"},
    "ReleaseStock": {"Type": "Task", "Resource": "arn:aws:lambda:us-east-1:123456789012:function:release", "ResultPath": null, "Next": "Cancelled"},
    "Cancelled": {"Type": "Fail", "Error": "OrderCancelled", "Cause": "the approval was refused"}
  }
}`

// Run narrates the scenario to w.
func Run(w io.Writer) error {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC))
	sfn := stepfn.New(stepfn.Options{Clock: c})
	defer sfn.Close()

	charges := 0
	step := func(name string, out string, fail func() error) {
		arn := "arn:aws:lambda:us-east-1:123456789012:function:" + name
		sfn.RegisterResource(arn, stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
			if fail != nil {
				if err := fail(); err != nil {
					return nil, err
				}
			}
			return []byte(out), nil
		}))
	}
	step("reserve", `{"reserved": true}`, nil)
	step("charge", `{"charged": true}`, func() error {
		charges++
		if charges%3 != 0 { // the gateway times out twice per order
			return &stepfn.TaskError{Name: "Payment.Timeout", Cause: "gateway did not answer"}
		}
		return nil
	})
	step("ship", `{"carrier": "post"}`, nil)
	step("refund", `{}`, nil)
	step("release", `{}`, nil)
	approvals := make(chan string, 1)
	sfn.RegisterResource("arn:aws:states:::sns:publish", stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		var msg struct{ TaskToken string }
		if err := json.Unmarshal(input, &msg); err != nil {
			return nil, err
		}
		approvals <- msg.TaskToken
		return []byte(`{"MessageId": "m-1"}`), nil
	}))

	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: "orders", RoleArn: "arn:aws:iam::123456789012:role/orders", Definition: definition})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "Prepare runs ReserveStock and ChargeCard in parallel (the card gateway times out twice,")
	fmt.Fprintln(w, "retried after 2 s and 4 s), then Approve waits for a person to answer by task token.")

	var last string // the last execution's ARN
	for _, order := range []struct {
		name    string
		approve bool
	}{{"order-1", true}, {"order-2", false}} {
		run, err := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: order.name,
			Input: `{"order": "` + order.name + `"}`})
		if err != nil {
			return err
		}
		for _, wait := range []time.Duration{2 * time.Second, 4 * time.Second} {
			if err := c.BlockUntil(ctx, 1); err != nil {
				return err
			}
			c.Advance(wait)
		}
		token := <-approvals
		if err := c.BlockUntil(ctx, 1); err != nil { // the approval's 24-hour timeout
			return err
		}
		c.Advance(3 * time.Hour)
		if order.approve {
			_, err = sfn.SendTaskSuccess(ctx, &stepfn.SendTaskSuccessInput{TaskToken: token, Output: `{"by": "ana"}`})
		} else {
			_, err = sfn.SendTaskFailure(ctx, &stepfn.SendTaskFailureInput{TaskToken: token, Error: "Rejected", Cause: "address not deliverable"})
		}
		if err != nil {
			return err
		}
		d, err := sfn.WaitExecution(ctx, run.ExecutionArn)
		if err != nil {
			return err
		}
		h, err := sfn.GetExecutionHistory(ctx, &stepfn.GetExecutionHistoryInput{ExecutionArn: run.ExecutionArn})
		if err != nil {
			return err
		}
		var path []string
		for _, ev := range h.Events {
			if !strings.HasSuffix(ev.Type, "StateEntered") || ev.StateEnteredEventDetails == nil {
				continue
			}
			switch name := ev.StateEnteredEventDetails.Name; name {
			case "ReserveStock", "ChargeCard": // the branches, in either order
			case "Prepare":
				path = append(path, "Prepare(ReserveStock ∥ ChargeCard)")
			default:
				path = append(path, name)
			}
		}
		verdict := "approved"
		if !order.approve {
			verdict = "refused"
		}
		fmt.Fprintf(w, "\n%s, %s after 3 hours: %s in %v\n", order.name, verdict, d.Status, d.StopDate.Sub(d.StartDate))
		fmt.Fprintf(w, "  path: %s\n", strings.Join(path, " → "))
		if d.Output != "" {
			fmt.Fprintf(w, "  output: %s\n", d.Output)
		} else {
			fmt.Fprintf(w, "  error: %s (%s)\n", d.Error, d.Cause)
		}
		last = run.ExecutionArn
	}
	// The refused order's path drawn on the machine (Mermaid: paste it
	// into any Mermaid renderer): visited states filled, the retries of
	// ChargeCard counted, the compensation taken.
	drawing, err := sfn.DrawExecution(ctx, last, stepfn.DrawMermaid)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\nThe machine and %s's path, as Mermaid (sfn.DrawExecution; DrawDOT gives Graphviz):\n\n%s\n", last[strings.LastIndexByte(last, ':')+1:], strings.TrimRight(drawing, "\n"))
	return nil
}
