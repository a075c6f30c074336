package stepfn

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/draw")

// golden compares got with testdata/draw/<name>, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "draw", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run Draw -update to write it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s differs (-want +got):\n%s", name, diff)
	}
}

func readDrawDefinition(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "draw", name+".asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestDraw_MatchesGoldenFiles(t *testing.T) {
	files, err := filepath.Glob("testdata/draw/*.asl.json")
	if err != nil || len(files) == 0 {
		t.Fatalf("no definitions: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".asl.json")
		t.Run(name, func(t *testing.T) {
			m, err := Compile(readDrawDefinition(t, name))
			if err != nil {
				t.Fatal(err)
			}
			for _, format := range []DrawFormat{DrawMermaid, DrawDOT} {
				out, err := m.Draw(format)
				if err != nil {
					t.Fatal(err)
				}
				golden(t, name+"."+map[DrawFormat]string{DrawMermaid: "mmd", DrawDOT: "dot"}[format], out)
			}
		})
	}
}

func TestDraw_ShowsRulesCatchesAndClusters(t *testing.T) {
	m, err := Compile(readDrawDefinition(t, "order"))
	if err != nil {
		t.Fatal(err)
	}
	mmd, _ := m.Draw(DrawMermaid)
	dot, _ := m.Draw(DrawDOT)
	for _, want := range []string{
		`s0 -.->|"Order.Invalid"| s10`,      // Catch edges are dashed
		`s1 -.->|"States.ALL"| s9`,          // also out of a Parallel subgraph
		`s4 -->|"$[0].total #gt; 1000"| s5`, // Choice rules label their edges
		`s4 -->|"($[1].status == #quot;ok#quot;) && (!($[0].flag is present))"| s6`,
		`s4 -->|"Default"| s9`,
		`subgraph s1 ["Parallel: Prepare"]`, // Parallel and Map are subgraphs
		`subgraph s1_b2 ["Branch 2"]`,
		`subgraph s6 ["Map: Ship"]`,
		`s4{"Route"}`,
		`start --> s0`, `s10 --> stop`, `s11 --> stop`,
	} {
		if !strings.Contains(mmd, want) {
			t.Errorf("mermaid lacks %s", want)
		}
	}
	for _, want := range []string{
		`s0 -> s10 [label="Order.Invalid", style=dashed`,
		`s1_head -> s9 [ltail=cluster_s1, label="States.ALL", style=dashed`,
		`s4 -> s6_head [lhead=cluster_s6, label="($[1].status == \"ok\") && (!($[0].flag is present))"]`,
		`subgraph cluster_s1 {`, `subgraph cluster_s1_b1 {`, `subgraph cluster_s6 {`,
		`s10 [shape=doubleoctagon`,
		`s4 [shape=diamond`,
	} {
		if !strings.Contains(dot, want) {
			t.Errorf("dot lacks %s", want)
		}
	}
	if _, err := m.Draw("svg"); err == nil {
		t.Error("an unknown format drew")
	}
}

// runOrder runs the order machine with a charge function that fails the
// given number of times with the given error, then succeeds.
func runOrder(t *testing.T, chargeFailures int, chargeError string) (*Service, string) {
	s := newTestService(t, Options{})
	ok := func(out string) Resource {
		return ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) { return []byte(out), nil })
	}
	var charges atomic.Int32
	s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:validate", ok(`{"ok":true}`))
	s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:charge", ResourceFunc(func(ctx context.Context, input []byte) ([]byte, error) {
		// Charging takes a second, so that the other branch has always
		// finished when it fails.
		time.Sleep(time.Second)
		if int(charges.Add(1)) <= chargeFailures {
			return nil, &TaskError{Name: chargeError, Cause: "try again"}
		}
		return []byte(`{"total":40}`), nil
	}))
	s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:reserve", ok(`{"status":"ok","items":[1,2]}`))
	s.RegisterResource("arn:aws:lambda:us-east-1:123456789012:function:pack", ok(`"packed"`))
	sm := mustCreate(t, s, "order", readDrawDefinition(t, "order"), "")
	ex := mustStart(t, s, sm, "run", `{}`)
	if _, err := s.WaitExecution(context.Background(), ex); err != nil {
		t.Fatal(err)
	}
	return s, ex
}

func TestDrawExecution_MarksPathRetriesAndFailure(t *testing.T) {
	for _, tc := range []struct {
		name     string
		failures int
		err      string
		status   string
		entered  map[string]int
		retries  map[string]int
		failed   map[string]bool
	}{
		{
			name: "order-retried", failures: 2, err: "Payment.Busy", status: StatusSucceeded,
			entered: map[string]int{"Validate": 1, "Prepare": 1, "Charge": 1, "Reserve": 1, "Route": 1, "Ship": 1, "Pack": 2, "Cool": 2, "Done": 1},
			retries: map[string]int{"Charge": 2},
			failed:  map[string]bool{},
		},
		{
			name: "order-failed", failures: 99, err: "Payment.Declined", status: StatusFailed,
			entered: map[string]int{"Validate": 1, "Prepare": 1, "Charge": 1, "Reserve": 1, "Refund": 1, "Rejected": 1},
			retries: map[string]int{},
			failed:  map[string]bool{"Rejected": true},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, ex := runOrder(t, tc.failures, tc.err)
				path := s.machines[s.stateMachineArn("order")].def.ExecutionPath(allEvents(t, s, ex))
				if path.Status != tc.status {
					t.Errorf("status %s (error %s)", path.Status, path.Error)
				}
				if diff := cmp.Diff(tc.entered, path.Entered); diff != "" {
					t.Errorf("entered (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tc.retries, path.Retries); diff != "" {
					t.Errorf("retries (-want +got):\n%s", diff)
				}
				if diff := cmp.Diff(tc.failed, path.Failed); diff != "" {
					t.Errorf("failed (-want +got):\n%s", diff)
				}
				for _, format := range []DrawFormat{DrawMermaid, DrawDOT} {
					out, err := s.DrawExecution(context.Background(), ex, format)
					if err != nil {
						t.Fatal(err)
					}
					golden(t, tc.name+"."+map[DrawFormat]string{DrawMermaid: "mmd", DrawDOT: "dot"}[format], out)
				}
			})
		})
	}
}

func TestDrawExecution_Errors(t *testing.T) {
	ctx := context.Background()
	s := newTestService(t, Options{})
	sm := mustCreate(t, s, "fast", passDef, TypeExpress)
	out, err := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.DrawExecution(ctx, out.ExecutionArn, DrawMermaid)
	wantCode(t, err, "StateMachineTypeNotSupported")
	_, err = s.DrawStateMachine(ctx, sm+"-missing", DrawMermaid)
	wantCode(t, err, "StateMachineDoesNotExist")
	if got, err := s.DrawStateMachine(ctx, sm, DrawMermaid); err != nil || !strings.Contains(got, `s0("P")`) {
		t.Errorf("DrawStateMachine = %q, %v", got, err)
	}
}

// drawSeeds are the definitions of the fuzz corpus of FuzzCompile and of
// the conformance cases.
func drawSeeds(f *testing.F) []string {
	var seeds []string
	files, _ := filepath.Glob("testdata/fuzz/FuzzCompile/*")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if lit, ok := strings.CutPrefix(line, "string("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(lit, ")")); err == nil {
					seeds = append(seeds, s)
				}
			}
		}
	}
	conf, _ := filepath.Glob("testdata/conformance/*.json")
	for _, file := range conf {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		var cases []struct {
			Definition json.RawMessage `json:"definition"`
		}
		if err := json.Unmarshal(data, &cases); err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			seeds = append(seeds, string(c.Definition))
		}
	}
	draw, _ := filepath.Glob("testdata/draw/*.asl.json")
	for _, file := range draw {
		data, _ := os.ReadFile(file)
		seeds = append(seeds, string(data))
	}
	return seeds
}

// FuzzDraw draws every definition that compiles, in both formats, with
// and without an execution path: the renderer never panics and always
// writes a whole diagram that names every state.
func FuzzDraw(f *testing.F) {
	for _, s := range drawSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, def string) {
		m, err := Compile(def)
		if err != nil {
			return
		}
		path := &ExecutionPath{Status: StatusFailed, Error: "X", Entered: map[string]int{}, Retries: map[string]int{}, Failed: map[string]bool{}}
		for i, n := range m.StateNames() {
			path.Entered[n] = i + 1
			path.Retries[n] = i % 3
			path.Failed[n] = i%2 == 0
		}
		for _, p := range []*ExecutionPath{nil, path} {
			mmd, err := m.DrawPath(DrawMermaid, p)
			if err != nil || !strings.HasPrefix(mmd, "flowchart TD\n") || !strings.Contains(mmd, "stop((\"End\"))") {
				t.Fatalf("mermaid: %v\n%s", err, mmd)
			}
			dot, err := m.DrawPath(DrawDOT, p)
			if err != nil || !strings.HasPrefix(dot, "digraph stateMachine {\n") || !strings.HasSuffix(dot, "}\n") {
				t.Fatalf("dot: %v\n%s", err, dot)
			}
			for _, n := range m.StateNames() {
				if !strings.Contains(dot, dotQuote(n)[1:len(dotQuote(n))-1]) || !strings.Contains(mmd, mermaidText(n)) {
					t.Fatalf("state %q missing from a drawing", n)
				}
			}
		}
	})
}
