package jsonata

import (
	"fmt"
	"strings"
	"testing"
)

// a typical Step Functions Output/Arguments expression
const sfnExpr = `{
  "orderId": $states.input.order.id,
  "total": $sum($states.input.order.items.(price * qty)),
  "names": $states.input.order.items[qty > 1].name,
  "when": $states.context.Execution.StartTime,
  "status": $states.input.order.paid ? "PAID" : "DUE"
}`

func BenchmarkCompile(b *testing.B) {
	for b.Loop() {
		if _, err := Compile(sfnExpr); err != nil {
			b.Fatal(err)
		}
	}
}

func itemsDoc(n int) any {
	var sb strings.Builder
	sb.WriteString(`{"items": [`)
	for i := 0; i < n; i++ {
		if i > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"id": %d, "name": "item%d", "price": %d.5, "qty": %d}`, i, i, i%17, i%5)
	}
	sb.WriteString(`]}`)
	return decodeJSON(&testing.T{}, sb.String())
}

func BenchmarkPathPredicate100(b *testing.B) {
	e, _ := Compile(`items[price > 8 and qty >= 2].name`)
	doc := itemsDoc(100)
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Eval(doc, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSumPriceQty(b *testing.B) {
	e, _ := Compile(`$sum(items.(price*qty))`)
	doc := itemsDoc(100)
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Eval(doc, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkStepFunctionsOutput(b *testing.B) {
	e, _ := Compile(sfnExpr)
	env := &Env{Vars: map[string]any{
		"states": map[string]any{
			"input":   map[string]any{"order": map[string]any{"id": "o-1", "paid": true, "items": itemsDoc(20).(map[string]any)["items"]}},
			"context": map[string]any{"Execution": map[string]any{"StartTime": "2024-01-01T00:00:00Z"}},
		},
	}}
	b.ResetTimer()
	for b.Loop() {
		if _, err := e.Eval(nil, env); err != nil {
			b.Fatal(err)
		}
	}
}
