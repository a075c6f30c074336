package stepfn_test

import (
	"context"
	"fmt"

	"github.com/minicloud/minicloud/stepfn"
)

// A job integration: the request-response Task only starts the job, the
// .sync Task waits for it to finish.
func ExampleJob() {
	ctx := context.Background()
	s := stepfn.New(stepfn.Options{})
	defer s.Close()
	s.RegisterResource("arn:aws:states:::glue:startJobRun", stepfn.Job{
		Start: func(ctx context.Context, input []byte) ([]byte, error) {
			return []byte(`{"JobRunId":"jr_1"}`), nil
		},
		WaitDone: func(ctx context.Context, started []byte) ([]byte, error) {
			return []byte(`{"JobRunId":"jr_1","JobRunState":"SUCCEEDED"}`), nil
		},
	})
	def := `{"StartAt":"Crawl","States":{"Crawl":{"Type":"Task","Resource":"arn:aws:states:::glue:startJobRun.sync","Parameters":{"JobName":"etl"},"End":true}}}`
	sm, _ := s.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{Name: "etl", Definition: def, RoleArn: "arn:aws:iam::123456789012:role/sfn"})
	ex, _ := s.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn})
	d, _ := s.WaitExecution(ctx, ex.ExecutionArn)
	fmt.Println(d.Status, d.Output)
	// Output: SUCCEEDED {"JobRunId":"jr_1","JobRunState":"SUCCEEDED"}
}
