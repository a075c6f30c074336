package stepfn_test

import (
	"context"
	"fmt"
	"io"
	"net/http"

	"github.com/minicloud/minicloud/stepfn"
)

// A Task calls an API through arn:aws:states:::apigateway:invoke. Any
// http.Handler can be the API: Options.APIGateway says which one answers
// an ApiEndpoint.
func ExampleAPIGatewayFunc() {
	ctx := context.Background()
	bills := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"path":"`+r.URL.Path+`","bill":"`+r.URL.Query().Get("billId")+`"}`)
	})
	sfn := stepfn.New(stepfn.Options{APIGateway: func(endpoint string) (http.Handler, bool) {
		return bills, endpoint == "abc123.execute-api.us-east-1.amazonaws.com"
	}})
	defer sfn.Close()
	sm, err := sfn.CreateStateMachine(ctx, &stepfn.CreateStateMachineInput{
		Name: "bills", RoleArn: "arn:aws:iam::123456789012:role/sfn",
		Definition: `{"StartAt":"Get","States":{"Get":{"Type":"Task","Resource":"arn:aws:states:::apigateway:invoke",
		  "Parameters":{"ApiEndpoint":"abc123.execute-api.us-east-1.amazonaws.com","Method":"GET","Stage":"prod","Path":"bills",
		    "QueryParameters":{"billId.$":"States.Array($.id)"}},
		  "ResultSelector":{"status.$":"$.StatusCode","body.$":"$.ResponseBody"},"End":true}}}`,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	run, _ := sfn.StartExecution(ctx, &stepfn.StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: `{"id":"b-7"}`})
	d, _ := sfn.WaitExecution(ctx, run.ExecutionArn)
	fmt.Println(d.Status, d.Output)
	// Output:
	// SUCCEEDED {"body":{"bill":"b-7","path":"/prod/bills"},"status":200}
}
