package stepfn

import (
	"os"
	"testing"
)

// BenchmarkDraw measures drawing the order workflow of testdata/draw
// (12 states, a Parallel, a Map, a Choice and two Catches), bare and
// with an execution path on it, against compiling the same definition.
func BenchmarkDraw(b *testing.B) {
	data, err := os.ReadFile("testdata/draw/order.asl.json")
	if err != nil {
		b.Fatal(err)
	}
	m, err := Compile(string(data))
	if err != nil {
		b.Fatal(err)
	}
	path := &ExecutionPath{Status: StatusFailed, Error: "X", Entered: map[string]int{"Validate": 1, "Charge": 1}, Retries: map[string]int{"Charge": 2}, Failed: map[string]bool{"Charge": true}}
	for _, tc := range []struct {
		name   string
		format DrawFormat
		path   *ExecutionPath
	}{{"mermaid", DrawMermaid, nil}, {"dot", DrawDOT, nil}, {"mermaid-path", DrawMermaid, path}, {"dot-path", DrawDOT, path}} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := m.DrawPath(tc.format, tc.path); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("compile", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Compile(string(data)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
