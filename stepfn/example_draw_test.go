package stepfn_test

import (
	"context"
	"fmt"
	"time"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/stepfn"
)

// Draw a state machine as a Mermaid flowchart (paste it into a ```mermaid
// block) or, with stepfn.DrawDOT, as Graphviz input for
// `dot -Tsvg machine.dot > machine.svg`. Service.DrawExecution draws an
// execution's path on it the same way.
func ExampleStateMachine_Draw() {
	m, err := stepfn.Compile(`{"StartAt":"Charge","States":{
	  "Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","Next":"Paid?",
	    "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Failed"}]},
	  "Paid?":{"Type":"Choice","Choices":[{"Variable":"$.paid","BooleanEquals":true,"Next":"Done"}],"Default":"Failed"},
	  "Failed":{"Type":"Fail","Error":"NotPaid"},
	  "Done":{"Type":"Succeed"}}}`)
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := m.Draw(stepfn.DrawMermaid)
	fmt.Print(out)
	// Output:
	// flowchart TD
	//     start(("Start"))
	//     s0["Charge"]
	//     s1{"Paid?"}
	//     s2(["Failed"])
	//     s3(["Done"])
	//     stop(("End"))
	//     start --> s0
	//     s0 --> s1
	//     s0 -.->|"States.ALL"| s2
	//     s1 -->|"$.paid == true"| s3
	//     s1 -->|"Default"| s2
	//     s2 --> stop
	//     s3 --> stop
	//     classDef choice fill:#fff8e1,stroke:#f9a825
	//     classDef succeed fill:#e8f5e9,stroke:#2e7d32
	//     classDef fail fill:#ffebee,stroke:#c62828
	//     class s1 choice
	//     class s2 fail
	//     class s3 succeed
}

// Draw an execution on its state machine: the Charge Task failed once
// and was retried, the Choice took its Default and the execution failed
// in the Fail state. The DOT form of the same call
// (stepfn.DrawDOT) is ready for `dot -Tsvg run.dot > run.svg`.
func ExampleService_DrawExecution() {
	ctx := context.Background()
	c := clock.NewManual(time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC))
	sfn := stepfn.New(stepfn.Options{Clock: c})
	defer sfn.Close()
	calls := 0
	sfn.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:charge", stepfn.ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		if calls++; calls == 1 {
			return nil, &stepfn.TaskError{Name: "Busy"}
		}
		return []byte(`{"paid":false}`), nil
	}))
	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: "checkout", RoleArn: "arn:aws:iam::123456789012:role/sfn",
		Definition: `{"StartAt":"Charge","States":{
	  "Charge":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:charge","Next":"Paid?",
	    "Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":1,"JitterStrategy":"NONE","MaxAttempts":1}]},
	  "Paid?":{"Type":"Choice","Choices":[{"Variable":"$.paid","BooleanEquals":true,"Next":"Done"}],"Default":"Failed"},
	  "Failed":{"Type":"Fail","Error":"NotPaid"},
	  "Done":{"Type":"Succeed"}}}`})
	if err != nil {
		fmt.Println(err)
		return
	}
	run, _ := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	c.BlockUntil(ctx, 1) // the retry interval
	c.Advance(time.Second)
	_, _ = sfn.WaitExecution(ctx, run.ExecutionArn)
	out, _ := sfn.DrawExecution(ctx, run.ExecutionArn, stepfn.DrawMermaid)
	fmt.Print(out)
	// Output:
	// flowchart TD
	//     start(("Start"))
	//     s0["Charge<br/>1 retry"]
	//     s1{"Paid?"}
	//     s2(["Failed<br/>failed: NotPaid"])
	//     s3(["Done"])
	//     stop(("End"))
	//     start --> s0
	//     s0 --> s1
	//     s1 -->|"$.paid == true"| s3
	//     s1 -->|"Default"| s2
	//     s2 --> stop
	//     s3 --> stop
	//     classDef choice fill:#fff8e1,stroke:#f9a825
	//     classDef succeed fill:#e8f5e9,stroke:#2e7d32
	//     classDef fail fill:#ffebee,stroke:#c62828
	//     classDef visited fill:#c8e6c9,stroke:#1b5e20,stroke-width:2px
	//     classDef failed fill:#ffcdd2,stroke:#b71c1c,stroke-width:3px
	//     class s0 visited
	//     class s1 visited
	//     class s2 failed
	//     class s3 succeed
}
