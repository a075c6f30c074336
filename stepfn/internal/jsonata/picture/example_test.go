package picture_test

import (
	"fmt"

	"github.com/minicloud/minicloud/stepfn/internal/jsonata/picture"
)

func Example() {
	n, _ := picture.FormatNumber(12345.6, "#,###.00", nil)
	fmt.Println(n)

	w, _ := picture.FormatInteger(555, "Ww")
	fmt.Println(w)

	v, _ := picture.ParseInteger("MCMLXXXIV", "I")
	fmt.Println(v)

	b, _ := picture.FormatBase(2555, 16)
	fmt.Println(b)

	d, _ := picture.FormatDateTime(1521801216617, "[FNn], [D1o] [MNn] [Y] at [h]:[m01] [P]", "+0100")
	fmt.Println(d)

	ms, ok, _ := picture.ParseDateTime("27th April 2008", "[D1o] [MNn] [Y0001]")
	fmt.Println(ms, ok)

	_, err := picture.FormatNumber(1, "#.0.0", nil)
	fmt.Println(err.(*picture.Error).Code)
	// Output:
	// 12,345.60
	// Five Hundred and Fifty-Five
	// 1984
	// 9fb
	// Friday, 23rd March 2018 at 11:33 am
	// 1209254400000 true
	// D3081
}
