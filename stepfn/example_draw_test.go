package stepfn_test

import (
	"fmt"

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
