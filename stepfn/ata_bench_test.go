package stepfn

import (
	"context"
	"testing"
)

// BenchmarkQueryLanguages runs the same cart state in both query
// languages on an Express machine (no history): JSONPath with an
// intrinsic, and JSONata computing the total the intrinsic cannot.
func BenchmarkQueryLanguages(b *testing.B) {
	input := `{"customer":"ana","items":[{"price":40,"qty":2},{"price":25.5,"qty":1},{"price":3.25,"qty":4}]}`
	defs := map[string]string{
		"jsonpath": `{"StartAt":"S","States":{"S":{"Type":"Pass","Parameters":{"who.$":"$.customer","n.$":"States.ArrayLength($.items)"},"Assign":{"who.$":"$.who"},"End":true}}}`,
		"jsonata":  `{"QueryLanguage":"JSONata","StartAt":"S","States":{"S":{"Type":"Pass","Output":{"who":"{% $states.input.customer %}","n":"{% $count($states.input.items) %}","total":"{% $sum($states.input.items.(price*qty)) %}"},"Assign":{"who":"{% $states.input.customer %}"},"End":true}}}`,
	}
	for _, lang := range []string{"jsonpath", "jsonata"} {
		b.Run(lang, func(b *testing.B) {
			s := New(benchOptions)
			defer s.Close()
			sm, err := s.CreateStateMachine(context.Background(), &CreateStateMachineInput{Name: "cart", Definition: defs[lang], RoleArn: "arn:aws:iam::123456789012:role/r", Type: TypeExpress})
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				out, err := s.StartSyncExecution(context.Background(), &StartExecutionInput{StateMachineArn: sm.StateMachineArn, Input: input})
				if err != nil || out.Status != StatusSucceeded {
					b.Fatalf("%+v %v", out, err)
				}
			}
		})
	}
}
