package stepfn_test

import (
	"context"
	"fmt"

	"github.com/minicloud/minicloud/stepfn"
)

// A canary release: version 1 is published at creation, version 2 by an
// update, and the alias "live" sends 90% of the executions started with
// it to version 1 and 10% to version 2. The split is drawn from the
// service's seeded random source, so it is the same on every run.
func ExampleService_CreateStateMachineAlias() {
	ctx := context.Background()
	sfn := stepfn.New(stepfn.Options{})
	defer sfn.Close()
	const role = "arn:aws:iam::123456789012:role/orders"
	pass := func(result string) string {
		return `{"StartAt":"P","States":{"P":{"Type":"Pass","Result":"` + result + `","End":true}}}`
	}

	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: "orders", Definition: pass("v1"), RoleArn: role, Publish: true})
	if err != nil {
		panic(err)
	}
	upd, err := sfn.UpdateStateMachine(ctx, &stepfn.UpdateStateMachineInput{StateMachineArn: sm.StateMachineArn, Definition: pass("v2"), Publish: true})
	if err != nil {
		panic(err)
	}
	live, err := sfn.CreateStateMachineAlias(ctx, &stepfn.CreateStateMachineAliasInput{Name: "live",
		RoutingConfiguration: []stepfn.RoutingConfigurationListItem{
			{StateMachineVersionArn: sm.StateMachineVersionArn, Weight: 90},
			{StateMachineVersionArn: upd.StateMachineVersionArn, Weight: 10},
		}})
	if err != nil {
		panic(err)
	}
	fmt.Println(sm.StateMachineVersionArn)
	fmt.Println(upd.StateMachineVersionArn)
	fmt.Println(live.StateMachineAliasArn)

	outputs := map[string]int{}
	for i := 0; i < 100; i++ {
		run, err := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: live.StateMachineAliasArn})
		if err != nil {
			panic(err)
		}
		d, err := sfn.WaitExecution(ctx, run.ExecutionArn)
		if err != nil {
			panic(err)
		}
		outputs[d.Output]++
	}
	fmt.Println(outputs[`"v1"`]+outputs[`"v2"`], outputs[`"v1"`] > outputs[`"v2"`])
	// Output:
	// arn:aws:states:us-east-1:123456789012:stateMachine:orders:1
	// arn:aws:states:us-east-1:123456789012:stateMachine:orders:2
	// arn:aws:states:us-east-1:123456789012:stateMachine:orders:live
	// 100 true
}
