package stepfn

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/minicloud/minicloud/clock"
	"github.com/minicloud/minicloud/internal/awserr"
)

const chargeArn = "arn:aws:lambda:us-east-1:123456789012:function:charge"

func testStateService(t *testing.T) *Service {
	t.Helper()
	s := newTestService(t, Options{Clock: clock.NewManual(epoch)})
	s.RegisterResource(chargeArn, ResourceFunc(func(ctx context.Context, in []byte) ([]byte, error) {
		if string(in) != `{"id":7,"n":2}` {
			return nil, &TaskError{Name: "BadInput", Cause: string(in)}
		}
		return []byte(`{"price":10,"currency":"EUR"}`), nil
	}))
	return s
}

func TestTestState_DebugShowsEachProcessingStep(t *testing.T) {
	s := testStateService(t)
	def := `{"Type":"Task","Resource":"` + chargeArn + `","InputPath":"$.order",
		"Parameters":{"id.$":"$.id","n.$":"$.qty"},"ResultSelector":{"p.$":"$.price"},
		"ResultPath":"$.order.charge","OutputPath":"$.order","Next":"Ship"}`
	out, err := s.TestState(context.Background(), &TestStateInput{Definition: def, Input: `{"order":{"id":7,"qty":2},"user":"ann"}`, InspectionLevel: InspectionDebug})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != TestStatusSucceeded || out.NextState != "Ship" || out.Output != `{"charge":{"p":10},"id":7,"qty":2}` || out.Error != "" {
		t.Fatalf("output %+v", out)
	}
	d := out.InspectionData
	want := InspectionData{
		Input:               `{"order":{"id":7,"qty":2},"user":"ann"}`,
		AfterInputPath:      `{"id":7,"qty":2}`,
		AfterParameters:     `{"id":7,"n":2}`,
		Result:              `{"currency":"EUR","price":10}`,
		AfterResultSelector: `{"p":10}`,
		AfterResultPath:     `{"order":{"charge":{"p":10},"id":7,"qty":2},"user":"ann"}`,
	}
	if d == nil || *d != want {
		t.Fatalf("inspection data\n got %+v\nwant %+v", d, want)
	}
	// INFO leaves the inspection data out.
	out, err = s.TestState(context.Background(), &TestStateInput{Definition: def, Input: `{"order":{"id":7,"qty":2}}`})
	if err != nil || out.InspectionData != nil || out.Status != TestStatusSucceeded {
		t.Fatalf("INFO: %+v %v", out, err)
	}
	if u := s.Usage(); u != (Usage{}) {
		t.Errorf("TestState was metered: %+v", u)
	}
}

func TestTestState_RetryAndCatchDecideTheStatus(t *testing.T) {
	s := testStateService(t)
	def := `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","ResultPath":"$.r","Next":"Done",
		"Retry":[{"ErrorEquals":["Busy"],"IntervalSeconds":2,"BackoffRate":3,"MaxAttempts":3}],
		"Catch":[{"ErrorEquals":["Other"],"Next":"Never"},{"ErrorEquals":["States.ALL"],"ResultPath":"$.err","Next":"Recover"}]}`
	mockErr := func(name string) *TestStateMock {
		return &TestStateMock{ErrorOutput: &TestStateMockError{Error: name, Cause: "it broke"}}
	}
	ptrInt := func(n int) *int { return &n }
	cases := []struct {
		name    string
		mock    *TestStateMock
		retries int
		status  string
		next    string
		output  string
		details *InspectionErrorDetails
	}{
		{"mocked result", &TestStateMock{Result: `{"ok":true}`}, 0, TestStatusSucceeded, "Done", `{"a":1,"r":{"ok":true}}`, nil},
		{"retriable", mockErr("Busy"), 1, TestStatusRetriable, testStateName, "", &InspectionErrorDetails{RetryIndex: ptrInt(0), RetryBackoffIntervalSeconds: ptrInt(6)}},
		{"retries spent, caught", mockErr("Busy"), 3, TestStatusCaughtError, "Recover", `{"a":1,"err":{"Cause":"it broke","Error":"Busy"}}`, &InspectionErrorDetails{CatchIndex: ptrInt(1)}},
		{"caught by name", mockErr("Other"), 0, TestStatusCaughtError, "Never", `{"Cause":"it broke","Error":"Other"}`, &InspectionErrorDetails{CatchIndex: ptrInt(0)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := s.TestState(context.Background(), &TestStateInput{Definition: def, Input: `{"a":1}`, InspectionLevel: InspectionTrace,
				Mock: tc.mock, StateConfiguration: &TestStateConfiguration{RetrierRetryCount: tc.retries}})
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != tc.status || out.NextState != tc.next || out.Output != tc.output {
				t.Fatalf("got %s next %q output %s, want %s next %q output %s", out.Status, out.NextState, out.Output, tc.status, tc.next, tc.output)
			}
			if tc.mock.ErrorOutput != nil && (out.Error != tc.mock.ErrorOutput.Error || out.Cause != "it broke") {
				t.Errorf("error %q cause %q", out.Error, out.Cause)
			}
			got := out.InspectionData.ErrorDetails
			if (got == nil) != (tc.details == nil) || (got != nil && (fmtPtr(got.CatchIndex) != fmtPtr(tc.details.CatchIndex) ||
				fmtPtr(got.RetryIndex) != fmtPtr(tc.details.RetryIndex) || fmtPtr(got.RetryBackoffIntervalSeconds) != fmtPtr(tc.details.RetryBackoffIntervalSeconds))) {
				t.Errorf("error details %+v, want %+v", got, tc.details)
			}
		})
	}
}

func fmtPtr(p *int) string {
	if p == nil {
		return "nil"
	}
	return strings.Repeat("|", *p+1)
}

func TestTestState_OtherStates(t *testing.T) {
	s := testStateService(t)
	machine := `{"StartAt":"Check","States":{
		"Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericGreaterThan":10,"Next":"Big"}],"Default":"Small"},
		"Big":{"Type":"Pass","End":true},"Small":{"Type":"Pass","End":true}}}`
	cases := []struct {
		name, def, stateName, input string
		status, next, output, err   string
	}{
		{"pass with result", `{"Type":"Pass","Result":{"x":1},"ResultPath":"$.r","End":true}`, "", `{"a":0}`, TestStatusSucceeded, "", `{"a":0,"r":{"x":1}}`, ""},
		{"choice picks a rule", machine, "Check", `{"n":11}`, TestStatusSucceeded, "Big", `{"n":11}`, ""},
		{"choice default", machine, "Check", `{"n":1}`, TestStatusSucceeded, "Small", `{"n":1}`, ""},
		{"wait does not wait", `{"Type":"Wait","Seconds":86400,"Next":"Later"}`, "", `{}`, TestStatusSucceeded, "Later", `{}`, ""},
		{"succeed", `{"Type":"Succeed","OutputPath":"$.a"}`, "", `{"a":[1]}`, TestStatusSucceeded, "", `[1]`, ""},
		{"fail", `{"Type":"Fail","Error":"Nope","Cause":"because"}`, "", `{}`, TestStatusFailed, "", "", "Nope"},
		{"task error not handled", `{"Type":"Task","Resource":"` + chargeArn + `","End":true,"Retry":[{"ErrorEquals":["Other"]}]}`, "", `{"x":1}`, TestStatusFailed, "", "", "BadInput"},
		{"runtime error is never caught", `{"Type":"Task","Resource":"` + chargeArn + `","Parameters":{"a.$":"$.missing"},"End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"X"}]}`, "", `{}`, TestStatusFailed, "", "", ErrorRuntime},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := s.TestState(context.Background(), &TestStateInput{Definition: tc.def, StateName: tc.stateName, Input: tc.input})
			if err != nil {
				t.Fatal(err)
			}
			if out.Status != tc.status || out.NextState != tc.next || out.Output != tc.output || out.Error != tc.err {
				t.Fatalf("got %+v", out)
			}
		})
	}
}

func TestTestState_MapWithMockShowsItems(t *testing.T) {
	s := testStateService(t)
	def := `{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemSelector":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
		"ItemProcessor":{"StartAt":"Work","States":{"Work":{"Type":"Pass","End":true}}},"End":true}`
	out, err := s.TestState(context.Background(), &TestStateInput{Definition: def, Input: `{"items":["a","b"]}`, InspectionLevel: InspectionDebug,
		Mock: &TestStateMock{Result: `[1,2]`}, StateConfiguration: &TestStateConfiguration{ErrorCausedByState: "Work"}})
	if err != nil {
		t.Fatal(err)
	}
	d := out.InspectionData
	if out.Status != TestStatusSucceeded || out.Output != `[1,2]` || d.AfterItemsPath != `["a","b"]` ||
		d.AfterItemSelector != `[{"i":0,"v":"a"},{"i":1,"v":"b"}]` || d.MaxConcurrency == nil || *d.MaxConcurrency != 2 {
		t.Fatalf("got %+v %+v", out, d)
	}
}

func TestTestState_ContextReplacesTheContextObject(t *testing.T) {
	s := testStateService(t)
	def := `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"exec.$":"$$.Execution.Id"},"End":true}`
	out, err := s.TestState(context.Background(), &TestStateInput{Definition: def, InspectionLevel: InspectionDebug,
		Mock: &TestStateMock{Result: `{}`}, Context: `{"Execution":{"Id":"arn:aws:states:us-east-1:123456789012:execution:sm:run-1"}}`})
	if err != nil {
		t.Fatal(err)
	}
	if got := out.InspectionData.AfterParameters; got != `{"exec":"arn:aws:states:us-east-1:123456789012:execution:sm:run-1"}` {
		t.Fatalf("afterParameters %s", got)
	}
}

func TestTestState_RejectsWhatAWSRejects(t *testing.T) {
	s := testStateService(t)
	pass := `{"Type":"Pass","End":true}`
	task := `{"Type":"Task","Resource":"` + chargeArn + `","End":true}`
	cases := []struct {
		name string
		in   TestStateInput
		code string
	}{
		{"no definition", TestStateInput{}, "ValidationException"},
		{"bad level", TestStateInput{Definition: pass, InspectionLevel: "ALL"}, "ValidationException"},
		{"bad state", TestStateInput{Definition: `{"Type":"Pass"}`}, "InvalidDefinition"},
		{"not JSON", TestStateInput{Definition: `{"Type":`}, "InvalidDefinition"},
		{"unknown state name", TestStateInput{Definition: `{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}`, StateName: "B"}, "ValidationException"},
		{"bad input", TestStateInput{Definition: pass, Input: `{"a":`}, "InvalidExecutionInput"},
		{"bad role", TestStateInput{Definition: pass, RoleArn: "role"}, "InvalidArn"},
		{"mock on a Pass state", TestStateInput{Definition: pass, Mock: &TestStateMock{Result: `{}`}}, "ValidationException"},
		{"mock with both", TestStateInput{Definition: task, Mock: &TestStateMock{Result: `{}`, ErrorOutput: &TestStateMockError{Error: "E"}}}, "ValidationException"},
		{"mock error without a name", TestStateInput{Definition: task, Mock: &TestStateMock{ErrorOutput: &TestStateMockError{}}}, "ValidationException"},
		{"mock result not JSON", TestStateInput{Definition: task, Mock: &TestStateMock{Result: `{`}}, "ValidationException"},
		{"bad validation mode", TestStateInput{Definition: task, Mock: &TestStateMock{Result: `{}`, FieldValidationMode: "LOOSE"}}, "ValidationException"},
		{"context without mock", TestStateInput{Definition: task, Context: `{}`}, "ValidationException"},
		{"callback without mock", TestStateInput{Definition: `{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage.waitForTaskToken","End":true}`}, "ValidationException"},
		{"parallel without mock", TestStateInput{Definition: `{"Type":"Parallel","End":true,"Branches":[{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}]}`}, "ValidationException"},
		{"variables not an object", TestStateInput{Definition: pass, Variables: `[1]`}, "ValidationException"},
		{"errorCausedByState on a Task", TestStateInput{Definition: task, Mock: &TestStateMock{Result: `{}`}, StateConfiguration: &TestStateConfiguration{ErrorCausedByState: "A"}}, "ValidationException"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.TestState(context.Background(), &tc.in)
			wantCode(t, err, tc.code)
		})
	}
}

func ExampleService_TestState() {
	s := New(Options{})
	defer s.Close()
	out, _ := s.TestState(context.Background(), &TestStateInput{
		Definition: `{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"price","Payload.$":"$"},
			"ResultSelector":{"total.$":"$.Payload.total"},"ResultPath":"$.price","Next":"Charge"}`,
		Input:           `{"sku":"A1"}`,
		InspectionLevel: InspectionDebug,
		Mock:            &TestStateMock{Result: `{"Payload":{"total":42},"StatusCode":200}`},
	})
	fmt.Println(out.Status, out.NextState, out.Output)
	fmt.Println(out.InspectionData.AfterResultSelector)
	// Output:
	// SUCCEEDED Charge {"price":{"total":42},"sku":"A1"}
	// {"total":42}
}

// FuzzTestState checks that any definition, input and mock either runs
// or is refused with an AWS error code, never a panic.
func FuzzTestState(f *testing.F) {
	f.Add(`{"Type":"Pass","Result":{"a":1},"ResultPath":"$.r","End":true}`, `{"x":1}`, "", "")
	f.Add(`{"Type":"Task","Resource":"arn:aws:states:::sqs:sendMessage","Parameters":{"m.$":"$.x"},"Retry":[{"ErrorEquals":["E"]}],"Catch":[{"ErrorEquals":["States.ALL"],"Next":"C"}],"End":true}`, `{"x":[1,2]}`, "", "E")
	f.Add(`{"Type":"Map","ItemsPath":"$.x","ItemSelector":{"v.$":"$$.Map.Item.Value"},"ItemProcessor":{"StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}`, `{"x":[1,2]}`, `[1]`, "")
	f.Add(`{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"A"}],"Default":"B"}`, `{"n":1}`, "", "")
	f.Add(`{"Type":"Wait","SecondsPath":"$.s","Next":"N"}`, `{"s":-1}`, "", "")
	s := New(Options{Clock: clock.NewManual(epoch)})
	f.Cleanup(func() { s.Close() })
	f.Fuzz(func(t *testing.T, def, input, mockResult, mockErr string) {
		in := &TestStateInput{Definition: def, Input: input, InspectionLevel: InspectionDebug}
		if mockResult != "" || mockErr != "" {
			in.Mock = &TestStateMock{Result: mockResult}
			if mockErr != "" {
				in.Mock.ErrorOutput = &TestStateMockError{Error: mockErr}
			}
		}
		out, err := s.TestState(context.Background(), in)
		if err != nil {
			if awserr.Code(err) == "" {
				t.Fatalf("error without a code: %v", err)
			}
			return
		}
		switch out.Status {
		case TestStatusSucceeded, TestStatusFailed, TestStatusRetriable, TestStatusCaughtError:
		default:
			t.Fatalf("status %q", out.Status)
		}
	})
}

// BenchmarkTestState measures one TestState of a Task with every
// processing step, mocked (no call) and calling a Go resource.
func BenchmarkTestState(b *testing.B) {
	s := New(Options{Clock: clock.NewManual(epoch)})
	defer s.Close()
	s.RegisterResource(chargeArn, ResourceFunc(func(ctx context.Context, in []byte) ([]byte, error) { return []byte(`{"price":10}`), nil }))
	def := `{"Type":"Task","Resource":"` + chargeArn + `","InputPath":"$.order","Parameters":{"id.$":"$.id"},
		"ResultSelector":{"p.$":"$.price"},"ResultPath":"$.charge","Next":"Ship"}`
	for _, bc := range []struct {
		name string
		mock *TestStateMock
	}{{"mocked", &TestStateMock{Result: `{"price":10}`}}, {"resource", nil}} {
		b.Run(bc.name, func(b *testing.B) {
			in := &TestStateInput{Definition: def, Input: `{"order":{"id":7}}`, InspectionLevel: InspectionDebug, Mock: bc.mock}
			for b.Loop() {
				if out, err := s.TestState(context.Background(), in); err != nil || out.Status != TestStatusSucceeded {
					b.Fatal(out, err)
				}
			}
		})
	}
}

func TestTestState_Variables(t *testing.T) {
	s := New(Options{})
	defer s.Close()
	out, err := s.TestState(context.Background(), &TestStateInput{
		Definition:      `{"Type":"Pass","Parameters":{"greeting.$":"States.Format('hello {}', $name)"},"Assign":{"said.$":"$.greeting","count":1},"End":true}`,
		Variables:       `{"name":"ana","count":0}`,
		InspectionLevel: InspectionDebug,
	})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != TestStatusSucceeded || out.Output != `{"greeting":"hello ana"}` {
		t.Fatalf("status %s output %s (%s: %s)", out.Status, out.Output, out.Error, out.Cause)
	}
	if got, want := out.InspectionData.Variables, `{"count":1,"name":"ana","said":"hello ana"}`; got != want {
		t.Errorf("variables = %s, want %s", got, want)
	}
}
