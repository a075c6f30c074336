package stepfn

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/minicloud/minicloud/internal/awserr"
)

// conformanceCase is one case of testdata/conformance: a definition run
// on an input against scripted resources, and what AWS documents it
// should produce.
type conformanceCase struct {
	Name       string                    `json:"name"`
	Source     string                    `json:"source"` // the AWS page or spec section the case follows
	Type       string                    `json:"type"`
	Definition json.RawMessage           `json:"definition"`
	Input      json.RawMessage           `json:"input"`
	Resources  map[string][]scriptedStep `json:"resources"`
	// Machines are other state machines the case may start (nested
	// executions), by name.
	Machines map[string]json.RawMessage `json:"machines"`
	// DynamoDB scripts Options.DynamoDB by API action; its calls and
	// inputs are checked under "dynamodb:<Action>".
	DynamoDB map[string][]scriptedStep `json:"dynamodb"`
	// Activities are created by name, each with a worker that polls it
	// and answers its tasks in turn; its calls and task inputs are
	// checked under "activity:<name>".
	Activities map[string][]scriptedCallback `json:"activities"`
	// APIGateway scripts the API behind each apigateway:invoke endpoint;
	// its calls and requests are checked under "apigateway:<endpoint>".
	APIGateway map[string][]scriptedResponse `json:"apigateway"`

	Status       string                       `json:"status"`
	Output       json.RawMessage              `json:"output"`
	Error        string                       `json:"error"`
	Cause        *string                      `json:"cause"`
	CausePrefix  string                       `json:"causePrefix"`
	Events       []string                     `json:"events"`
	Unordered    bool                         `json:"unorderedEvents"`
	History      []any                        `json:"history"`
	Calls        map[string]int               `json:"calls"`
	Inputs       map[string][]json.RawMessage `json:"inputs"`
	StopAfterSec float64                      `json:"stopAfterSeconds"`
	// Assigned lists, in history order, the states that assigned
	// variables and what each assigned (values as JSON text).
	Assigned []assignedCheck `json:"assigned"`
}

// assignedCheck is one StateExited event's assignedVariables.
type assignedCheck struct {
	State     string            `json:"state"`
	Variables map[string]string `json:"variables"`
}

// scriptedStep is what a scripted resource does on one call: the nth
// call runs step n (the last step repeats).
type scriptedStep struct {
	Echo           bool            `json:"echo"`
	Output         json.RawMessage `json:"output"`
	Raw            *string         `json:"raw"`
	Error          string          `json:"error"`
	Cause          string          `json:"cause"`
	PlainError     string          `json:"plainError"`
	Sleep          float64         `json:"sleep"`
	HeartbeatEvery float64         `json:"heartbeatEvery"`
	BigOutput      int             `json:"bigOutput"`
	// AWSError fails the call with a service error of this code and
	// Cause as message.
	AWSError string `json:"awsError"`
	// Callback answers the task token found in the input's TaskToken
	// field, as a worker would, on its own goroutine.
	Callback *scriptedCallback `json:"callback"`
}

// scriptedCallback is a worker answering a .waitForTaskToken Task.
type scriptedCallback struct {
	After          float64         `json:"after"`          // seconds before answering
	HeartbeatEvery float64         `json:"heartbeatEvery"` // SendTaskHeartbeat this often until then
	Output         json.RawMessage `json:"output"`         // SendTaskSuccess with this
	Error          string          `json:"error"`          // else SendTaskFailure with these
	Cause          string          `json:"cause"`
	Never          bool            `json:"never"` // never answers
}

func (cb *scriptedCallback) answer(s *Service, input []byte, wg *sync.WaitGroup) {
	var in struct{ TaskToken string }
	_ = json.Unmarshal(input, &in)
	if cb.Never {
		return
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		ctx := context.Background()
		left := time.Duration(cb.After * float64(time.Second))
		for cb.HeartbeatEvery > 0 && left > 0 {
			step := min(left, time.Duration(cb.HeartbeatEvery*float64(time.Second)))
			time.Sleep(step)
			left -= step
			if left > 0 {
				if _, err := s.SendTaskHeartbeat(ctx, &SendTaskHeartbeatInput{TaskToken: in.TaskToken}); err != nil {
					return
				}
			}
		}
		time.Sleep(left)
		if cb.Output != nil {
			_, _ = s.SendTaskSuccess(ctx, &SendTaskSuccessInput{TaskToken: in.TaskToken, Output: string(cb.Output)})
			return
		}
		_, _ = s.SendTaskFailure(ctx, &SendTaskFailureInput{TaskToken: in.TaskToken, Error: cb.Error, Cause: cb.Cause})
	}()
}

func (st scriptedStep) run(ctx context.Context, input []byte) ([]byte, error) {
	if st.Sleep > 0 {
		end := time.Now().Add(time.Duration(st.Sleep * float64(time.Second)))
		for time.Now().Before(end) {
			step := time.Until(end)
			if st.HeartbeatEvery > 0 {
				step = min(step, time.Duration(st.HeartbeatEvery*float64(time.Second)))
			}
			select {
			case <-time.After(step):
				if st.HeartbeatEvery > 0 {
					_ = SendTaskHeartbeat(ctx)
				}
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
	}
	switch {
	case st.AWSError != "":
		return nil, awserr.New(st.AWSError, 400, st.Cause)
	case st.Error != "":
		return nil, &TaskError{Name: st.Error, Cause: st.Cause}
	case st.PlainError != "":
		return nil, errors.New(st.PlainError)
	case st.Raw != nil:
		return []byte(*st.Raw), nil
	case st.BigOutput > 0:
		return []byte(`"` + strings.Repeat("x", st.BigOutput) + `"`), nil
	case st.Output != nil:
		return st.Output, nil
	}
	return input, nil
}

// script is a registered resource that follows its steps.
type script struct {
	svc    *Service
	wg     *sync.WaitGroup // the workers answering callbacks
	mu     sync.Mutex
	steps  []scriptedStep
	calls  int
	inputs []json.RawMessage
}

func (s *script) Invoke(ctx context.Context, input []byte) ([]byte, error) {
	s.mu.Lock()
	st := s.steps[min(s.calls, len(s.steps)-1)]
	s.calls++
	s.inputs = append(s.inputs, append(json.RawMessage(nil), input...))
	s.mu.Unlock()
	if st.Callback != nil {
		st.Callback.answer(s.svc, input, s.wg)
	}
	return st.run(ctx, input)
}

func loadConformance(t *testing.T) []conformanceCase {
	t.Helper()
	files, err := filepath.Glob("testdata/conformance/*.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no conformance files: %v", err)
	}
	var all []conformanceCase
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var cases []conformanceCase
		dec := json.NewDecoder(strings.NewReader(string(data)))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&cases); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		prefix := strings.TrimSuffix(filepath.Base(f), ".json")
		for i := range cases {
			cases[i].Name = prefix + "/" + cases[i].Name
		}
		all = append(all, cases...)
	}
	return all
}

// TestConformance runs every case of testdata/conformance, each in a
// synctest bubble so that Wait states, retries and timeouts take no real
// time and event times are exact.
func TestConformance(t *testing.T) {
	cases := loadConformance(t)
	names := map[string]bool{}
	for _, c := range cases {
		if names[c.Name] {
			t.Fatalf("duplicate case name %s", c.Name)
		}
		names[c.Name] = true
		t.Run(c.Name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) { runConformance(t, c) })
		})
	}
	t.Logf("%d conformance cases", len(cases))
}

func runConformance(t *testing.T, c conformanceCase) {
	ctx := context.Background()
	scripts := map[string]*script{}
	var workers sync.WaitGroup
	defer workers.Wait()
	opts := Options{Rand: rand.NewPCG(7, 7)}
	if c.DynamoDB != nil {
		opts.DynamoDB = DynamoDBFunc(func(ctx context.Context, action string, request []byte) ([]byte, error) {
			sc, ok := scripts["dynamodb:"+action]
			if !ok {
				return nil, awserr.New("UnknownOperationException", 400, "no script for "+action)
			}
			return sc.Invoke(ctx, request)
		})
	}
	startWorkers := withWorkers(c, &opts, scripts)
	s := New(opts)
	defer s.Close()
	wctx, stopWorkers := context.WithCancel(ctx)
	defer stopWorkers()
	startWorkers(wctx, s, &workers)
	start := time.Now()
	for arn, steps := range c.Resources {
		sc := &script{steps: steps, svc: s, wg: &workers}
		scripts[arn] = sc
		s.RegisterResource(arn, sc)
	}
	for action, steps := range c.DynamoDB {
		scripts["dynamodb:"+action] = &script{steps: steps, svc: s, wg: &workers}
	}
	for name, def := range c.Machines {
		if _, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: name, Definition: string(def), RoleArn: "arn:aws:iam::123456789012:role/sfn"}); err != nil {
			t.Fatalf("CreateStateMachine %s: %v", name, err)
		}
	}
	sm, err := s.CreateStateMachine(ctx, &CreateStateMachineInput{Name: "conformance", Definition: string(c.Definition), RoleArn: "arn:aws:iam::123456789012:role/sfn", Type: c.Type})
	if err != nil {
		t.Fatalf("CreateStateMachine: %v", err)
	}
	input := string(c.Input)
	ex, err := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm.StateMachineArn, Name: "run", Input: input})
	if err != nil {
		t.Fatalf("StartExecution: %v", err)
	}
	if c.StopAfterSec > 0 {
		time.Sleep(time.Duration(c.StopAfterSec * float64(time.Second)))
		if _, err := s.StopExecution(ctx, &StopExecutionInput{ExecutionArn: ex.ExecutionArn, Error: "Stopped", Cause: "by the test"}); err != nil {
			t.Fatalf("StopExecution: %v", err)
		}
	}
	d, err := s.WaitExecution(ctx, ex.ExecutionArn)
	if err != nil {
		t.Fatal(err)
	}
	stopWorkers()
	workers.Wait()
	want := c.Status
	if want == "" {
		want = StatusSucceeded
	}
	if d.Status != want {
		t.Errorf("status = %s (error %q, cause %q), want %s", d.Status, d.Error, d.Cause, want)
	}
	if c.Output != nil {
		if diff := cmp.Diff(decodeAny(t, string(c.Output)), decodeAny(t, d.Output)); diff != "" {
			t.Errorf("output mismatch (-want +got):\n%s\ngot %s", diff, d.Output)
		}
	}
	if c.Error != "" && d.Error != c.Error {
		t.Errorf("error = %q, want %q (cause %q)", d.Error, c.Error, d.Cause)
	}
	if c.Cause != nil && d.Cause != *c.Cause {
		t.Errorf("cause = %q, want %q", d.Cause, *c.Cause)
	}
	if c.CausePrefix != "" && !strings.HasPrefix(d.Cause, c.CausePrefix) {
		t.Errorf("cause = %q, want prefix %q", d.Cause, c.CausePrefix)
	}
	for arn, n := range c.Calls {
		if got := scripts[arn].calls; got != n {
			t.Errorf("%s called %d times, want %d", arn, got, n)
		}
	}
	for arn, inputs := range c.Inputs {
		var want, got []any
		for _, in := range inputs {
			want = append(want, decodeAny(t, string(in)))
		}
		for _, in := range scripts[arn].inputs {
			got = append(got, decodeAny(t, string(in)))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("inputs of %s (-want +got):\n%s", arn, diff)
		}
	}
	if c.Type == TypeExpress {
		return
	}
	events := allEvents(t, s, ex.ExecutionArn)
	if c.Events != nil {
		got := compactEvents(events, start)
		wantEv := c.Events
		if c.Unordered {
			got = slices.Sorted(slices.Values(got))
			wantEv = slices.Sorted(slices.Values(wantEv))
		}
		if diff := cmp.Diff(wantEv, got); diff != "" {
			t.Errorf("events (-want +got):\n%s", diff)
		}
	}
	if c.Assigned != nil {
		got := []assignedCheck{}
		for _, ev := range events {
			if d := ev.StateExitedEventDetails; d != nil && d.AssignedVariables != nil {
				got = append(got, assignedCheck{State: d.Name, Variables: d.AssignedVariables})
			}
		}
		if diff := cmp.Diff(c.Assigned, got); diff != "" {
			t.Errorf("assigned variables (-want +got):\n%s", diff)
		}
	}
	if c.History != nil {
		if diff := cmp.Diff(c.History, normalizeHistory(t, events)); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
	}
	checkEventLinks(t, events)
}

func decodeAny(t *testing.T, s string) any {
	t.Helper()
	if s == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		t.Fatalf("bad JSON %q: %v", s, err)
	}
	return v
}

func allEvents(t *testing.T, s *Service, arn string) []HistoryEvent {
	t.Helper()
	var events []HistoryEvent
	tok := ""
	for {
		h, err := s.GetExecutionHistory(context.Background(), &GetExecutionHistoryInput{ExecutionArn: arn, NextToken: tok, MaxResults: 7})
		if err != nil {
			t.Fatal(err)
		}
		events = append(events, h.Events...)
		if h.NextToken == "" {
			return events
		}
		tok = h.NextToken
	}
}

// compactEvents renders events as "[+Ns ]Type[ name][ !error]".
func compactEvents(events []HistoryEvent, start time.Time) []string {
	out := make([]string, len(events))
	for i, ev := range events {
		var b strings.Builder
		if dt := ev.Timestamp.Sub(start); dt > 0 {
			fmt.Fprintf(&b, "+%gs ", dt.Seconds())
		}
		b.WriteString(ev.Type)
		name, errName := "", ""
		switch {
		case ev.StateEnteredEventDetails != nil:
			name = ev.StateEnteredEventDetails.Name
		case ev.StateExitedEventDetails != nil:
			name = ev.StateExitedEventDetails.Name
		case ev.MapIterationStartedEventDetails != nil:
			name = fmt.Sprintf("%s#%d", ev.MapIterationStartedEventDetails.Name, ev.MapIterationStartedEventDetails.Index)
		case ev.MapIterationSucceededEventDetails != nil:
			name = fmt.Sprintf("%s#%d", ev.MapIterationSucceededEventDetails.Name, ev.MapIterationSucceededEventDetails.Index)
		case ev.MapIterationFailedEventDetails != nil:
			name = fmt.Sprintf("%s#%d", ev.MapIterationFailedEventDetails.Name, ev.MapIterationFailedEventDetails.Index)
		case ev.MapIterationAbortedEventDetails != nil:
			name = fmt.Sprintf("%s#%d", ev.MapIterationAbortedEventDetails.Name, ev.MapIterationAbortedEventDetails.Index)
		case ev.MapStateStartedEventDetails != nil:
			name = fmt.Sprintf("%d", ev.MapStateStartedEventDetails.Length)
		}
		for _, d := range []*FailureEventDetails{ev.ExecutionFailedEventDetails, ev.ExecutionAbortedEventDetails, ev.ExecutionTimedOutEventDetails,
			ev.LambdaFunctionFailedEventDetails, ev.LambdaFunctionTimedOutEventDetails, ev.MapRunFailedEventDetails,
			ev.ActivityFailedEventDetails, ev.ActivityTimedOutEventDetails, ev.ActivityScheduleFailedEventDetails} {
			if d != nil {
				errName = d.Error
			}
		}
		if d := ev.TaskFailedEventDetails; d != nil {
			errName = d.Error
		}
		if d := ev.TaskTimedOutEventDetails; d != nil {
			errName = d.Error
		}
		if name != "" {
			b.WriteString(" " + name)
		}
		if errName != "" {
			b.WriteString(" !" + errName)
		}
		out[i] = b.String()
	}
	return out
}

// normalizeHistory turns events into plain JSON with their JSON-text
// fields parsed and timestamps dropped, for comparing with full expected
// histories.
func normalizeHistory(t *testing.T, events []HistoryEvent) []any {
	t.Helper()
	data, err := json.Marshal(events)
	if err != nil {
		t.Fatal(err)
	}
	var list []map[string]any
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	out := make([]any, len(list))
	for i, ev := range list {
		delete(ev, "timestamp")
		for k, v := range ev {
			det, ok := v.(map[string]any)
			if !ok || !strings.HasSuffix(k, "Details") {
				continue
			}
			for _, f := range []string{"input", "output", "parameters"} {
				if s, ok := det[f].(string); ok {
					var parsed any
					if json.Unmarshal([]byte(s), &parsed) == nil {
						det[f] = parsed
					}
				}
			}
		}
		out[i] = ev
	}
	return out
}

// checkEventLinks verifies ids count from 1 and every previousEventId
// points back.
func checkEventLinks(t *testing.T, events []HistoryEvent) {
	t.Helper()
	for i, ev := range events {
		if ev.ID != int64(i+1) {
			t.Errorf("event %d has id %d", i+1, ev.ID)
		}
		if ev.PreviousEventID < 0 || ev.PreviousEventID >= ev.ID {
			t.Errorf("event %d (%s) has previousEventId %d", ev.ID, ev.Type, ev.PreviousEventID)
		}
	}
}
