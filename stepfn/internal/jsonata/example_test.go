package jsonata_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/minicloud/minicloud/stepfn/internal/jsonata"
)

func Example() {
	expr, err := jsonata.Compile(`{
	  "customer": $states.input.name,
	  "total": $sum($states.input.items.(price * qty)),
	  "big": $states.input.items[price > 10].sku
	}`)
	if err != nil {
		panic(err)
	}
	dec := json.NewDecoder(strings.NewReader(`{"name": "Ada", "items": [
	  {"sku": "a", "price": 2.5, "qty": 4},
	  {"sku": "b", "price": 12, "qty": 1}
	]}`))
	dec.UseNumber()
	var input any
	if err := dec.Decode(&input); err != nil {
		panic(err)
	}
	out, err := expr.Eval(nil, &jsonata.Env{Vars: map[string]any{"states": map[string]any{"input": input}}})
	if err != nil {
		panic(err)
	}
	b, _ := json.Marshal(out)
	fmt.Println(string(b))

	_, err = jsonata.Compile(`$sum(items`)
	fmt.Println(err)
	// Output:
	// {"big":"b","customer":"Ada","total":22}
	// S0203: Expected ")" before end of expression
}
