package stepfn

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"
)

// passChain builds a definition of n Pass states in a row, each adding a
// field to the payload.
func passChain(n int) string {
	var b strings.Builder
	b.WriteString(`{"StartAt":"S0","States":{`)
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		next := fmt.Sprintf(`"Next":"S%d"`, i+1)
		if i == n-1 {
			next = `"End":true`
		}
		fmt.Fprintf(&b, `"S%d":{"Type":"Pass","Result":%d,"ResultPath":"$.last",%s}`, i, i, next)
	}
	b.WriteString(`}}`)
	return b.String()
}

// benchOptions forgets closed executions at once, so that a long
// benchmark measures running executions, not a heap of retained
// histories.
var benchOptions = Options{Limits: Limits{ExecutionRetention: time.Nanosecond}}

func runOnce(b *testing.B, s *Service, sm, input string) *DescribeExecutionOutput {
	ctx := context.Background()
	out, err := s.StartExecution(ctx, &StartExecutionInput{StateMachineArn: sm, Input: input})
	if err != nil {
		b.Fatal(err)
	}
	d, err := s.WaitExecution(ctx, out.ExecutionArn)
	if err != nil || d.Status != StatusSucceeded {
		b.Fatalf("%+v %v", d, err)
	}
	return d
}

// BenchmarkPassChain measures state transitions per second through a
// chain of 1,000 Pass states: Standard (every transition written to the
// history as JSON), Express (no history), and as a floor the JSON
// encoding alone that any engine keeping AWS's history must do.
func BenchmarkPassChain(b *testing.B) {
	const n = 1000
	def := passChain(n)
	input := `{"order":{"id":"o-1","items":[1,2,3],"total":42.5}}`
	for _, typ := range []string{TypeStandard, TypeExpress} {
		b.Run("minicloud-"+strings.ToLower(typ), func(b *testing.B) {
			s := New(benchOptions)
			defer s.Close()
			out, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "chain", Definition: def, RoleArn: testRole, Type: typ})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				runOnce(b, s, out.StateMachineArn, input)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "transitions/s")
		})
	}
	b.Run("json-floor", func(b *testing.B) {
		v, _ := decodeJSON([]byte(input))
		b.ReportAllocs()
		for range b.N {
			for i := range n {
				m := map[string]any{"order": v.(map[string]any)["order"], "last": i}
				_, _ = json.Marshal(m)
				_, _ = json.Marshal(m)
			}
		}
		b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "transitions/s")
	})
}

// BenchmarkMap10000 runs a Map state over 10,000 items with
// MaxConcurrency 100, each item through a Pass state with Parameters:
// inline on an Express state machine (an inline Map this size would pass
// the 25,000-event history quota of a Standard one) and distributed on a
// Standard one.
func BenchmarkMap10000(b *testing.B) {
	items := make([]string, 10000)
	for i := range items {
		items[i] = fmt.Sprintf(`{"sku":"s%d"}`, i)
	}
	input := `{"items":[` + strings.Join(items, ",") + `]}`
	for _, tc := range []struct{ name, typ, config string }{
		{"inline-express", TypeExpress, ``},
		{"distributed-standard", TypeStandard, `"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},`},
	} {
		b.Run(tc.name, func(b *testing.B) {
			def := `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":100,
				"ItemSelector":{"sku.$":"$$.Map.Item.Value.sku","n.$":"$$.Map.Item.Index"},
				"ItemProcessor":{` + tc.config + `"StartAt":"P","States":{"P":{"Type":"Pass","Parameters":{"label.$":"States.Format('{}#{}', $.sku, $.n)"},"End":true}}},
				"ResultSelector":{"count.$":"States.ArrayLength($)"},"End":true}}}`
			s := New(benchOptions)
			defer s.Close()
			out, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "map", Definition: def, RoleArn: testRole, Type: tc.typ})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				d := runOnce(b, s, out.StateMachineArn, input)
				if d.Output != `{"count":10000}` {
					b.Fatalf("output %s", d.Output)
				}
			}
			b.ReportMetric(float64(10000*b.N)/b.Elapsed().Seconds(), "items/s")
		})
	}
}

// BenchmarkChoiceLoop counts to 1,000 in a loop of a Choice state with
// three rules and a Pass state calling States.MathAdd: 2,001 transitions
// per execution.
func BenchmarkChoiceLoop(b *testing.B) {
	const n = 1000
	def := fmt.Sprintf(`{"StartAt":"Check","States":{
		"Check":{"Type":"Choice","Choices":[
			{"Variable":"$.i","NumericGreaterThanEquals":%d,"Next":"Done"},
			{"And":[{"Variable":"$.mode","StringEquals":"skip"},{"Variable":"$.i","NumericLessThan":0}],"Next":"Done"},
			{"Not":{"Variable":"$.mode","StringMatches":"count*"},"Next":"Done"}],"Default":"Inc"},
		"Inc":{"Type":"Pass","Parameters":{"i.$":"States.MathAdd($.i, 1)","mode.$":"$.mode"},"Next":"Check"},
		"Done":{"Type":"Succeed"}}}`, n)
	for _, typ := range []string{TypeStandard, TypeExpress} {
		b.Run("minicloud-"+strings.ToLower(typ), func(b *testing.B) {
			s := New(benchOptions)
			defer s.Close()
			out, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "loop", Definition: def, RoleArn: testRole, Type: typ})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				d := runOnce(b, s, out.StateMachineArn, `{"i":0,"mode":"counting"}`)
				if d.Output != fmt.Sprintf(`{"i":%d,"mode":"counting"}`, n) {
					b.Fatalf("output %s", d.Output)
				}
			}
			b.ReportMetric(float64((2*n+1)*b.N)/b.Elapsed().Seconds(), "transitions/s")
		})
	}
}

// BenchmarkCompile measures compiling a definition with every state type.
func BenchmarkCompile(b *testing.B) {
	def := passChain(100)
	b.ReportAllocs()
	for range b.N {
		if _, err := Compile(def); err != nil {
			b.Fatal(err)
		}
	}
}
