package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

// tourJSONata runs a checkout written in JSONata: a variable carries the
// cart's total across states, a Choice decides on it, and a mistake in an
// expression fails the way AWS fails it.
func tourJSONata(w io.Writer) error {
	ctx := context.Background()
	sfn := stepfn.New(stepfn.Options{Clock: clock.NewManual(time.Date(2025, 1, 1, 9, 0, 0, 0, time.UTC))})
	defer sfn.Close()

	const def = `{
	  "QueryLanguage": "JSONata",
	  "StartAt": "Total",
	  "States": {
	    "Total": {
	      "Type": "Pass",
	      "Assign": {"total": "{% $sum($states.input.items.(price * qty)) %}", "customer": "{% $states.input.customer %}"},
	      "Next": "Discount?"
	    },
	    "Discount?": {
	      "Type": "Choice",
	      "Choices": [{"Condition": "{% $total >= 100 %}", "Assign": {"total": "{% $round($total * 0.9, 2) %}"}, "Next": "Receipt"}],
	      "Default": "Receipt"
	    },
	    "Receipt": {
	      "Type": "Pass",
	      "Output": {"line": "{% $customer & ' pays ' & $formatNumber($total, '#,##0.00') %}", "items": "{% $count($states.input.items) %}"},
	      "End": true
	    }
	  }
	}`
	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: "checkout", Definition: def, RoleArn: "arn:aws:iam::123456789012:role/checkout"})
	if err != nil {
		return err
	}
	var first string
	for i, input := range []string{
		`{"customer": "Ana", "items": [{"price": 40, "qty": 2}, {"price": 25.5, "qty": 1}]}`,
		`{"customer": "Ben", "items": [{"price": 12.25, "qty": 2}]}`,
		`{"customer": "Cy", "items": [{"price": "free", "qty": 1}]}`,
	} {
		run, err := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: fmt.Sprintf("cart-%d", i+1), Input: input})
		if err != nil {
			return err
		}
		d, err := sfn.WaitExecution(ctx, run.ExecutionArn)
		if err != nil {
			return err
		}
		if i == 0 {
			first = run.ExecutionArn
		}
		fmt.Fprintf(w, "%s\n  -> %s %s%s\n", input, d.Status, d.Output, d.Error)
		if d.Cause != "" {
			fmt.Fprintf(w, "     %s\n", d.Cause)
		}
	}
	h, err := sfn.GetExecutionHistory(ctx, &stepfn.GetExecutionHistoryInput{ExecutionArn: first})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "The first cart's variables, as its history records them:")
	for _, ev := range h.Events {
		if d := ev.StateExitedEventDetails; d != nil && d.AssignedVariables != nil {
			fmt.Fprintf(w, "  %-10s %v\n", d.Name, d.AssignedVariables)
		}
	}
	return nil
}
