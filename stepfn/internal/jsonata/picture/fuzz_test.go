package picture

import (
	"errors"
	"testing"
)

// checkErr fails the fuzz run when err is not nil and not an *Error.
func checkErr(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *Error
	if !errors.As(err, &e) || e.Code == "" {
		t.Fatalf("error %v (%T) is not a coded *Error", err, err)
	}
}

func FuzzFormatNumber(f *testing.F) {
	for _, s := range []string{"#,###.00", "9,999.999,999", "00.000e0", "①①.①①①e①", "#0.00;(#0.00)", "01%", "###‰", "#.e9", "0e", "%%", "$#0 each", "#,##,##0.0#,##"} {
		f.Add(1234.5678, s, "", "")
		f.Add(-0.001, s, "zero-digit", "A")
	}
	f.Add(1e300, "0.0e0", "exponent-separator", "")
	f.Add(5.0, "0|0|0", "pattern-separator", "")
	f.Fuzz(func(t *testing.T, v float64, picture, key, val string) {
		var opts map[string]string
		if key != "" {
			opts = map[string]string{key: val}
		}
		_, err := FormatNumber(v, picture, opts)
		checkErr(t, err)
	})
}

func FuzzFormatInteger(f *testing.F) {
	for _, s := range []string{"0", "#,##0", "w;o", "Ww", "I", "a", "###١", "#:###,##0", "α", "0;o", "##0０"} {
		f.Add(1234.0, s)
		f.Add(-1e20, s)
	}
	f.Fuzz(func(t *testing.T, v float64, picture string) {
		_, err := FormatInteger(v, picture)
		checkErr(t, err)
	})
}

func FuzzParseInteger(f *testing.F) {
	f.Add("1,234", "#,##0")
	f.Add("twenty-first", "w;o")
	f.Add("MCMLXXXIV", "I")
	f.Add("FZPH", "A")
	f.Add("١٢٣٤٠", "###١")
	f.Add("12th", "0;o")
	f.Fuzz(func(t *testing.T, s, picture string) {
		_, err := ParseInteger(s, picture)
		checkErr(t, err)
	})
}

func FuzzFormatDateTime(f *testing.F) {
	for _, s := range []string{"", "[Y0001]-[M01]-[D01]", "[FNn,3-3], [D1o] [MNn,*-3] [Yw]", "[[x]] [X]-W[W01]-[F1] [w] [xNn]",
		"[h]:[m]:[s].[f001] [PN] [Z0] [z] [Z01:01t] [C] [E]", "[Y,2-2][d#1,3]", "[YN]-[M", "[Z010101t]", "[Y9,999,*]", "[D#1,99999999999]"} {
		f.Add(int64(1521801216617), s, "")
		f.Add(int64(-62135596800000), s, "-0530")
	}
	f.Fuzz(func(t *testing.T, ms int64, picture, tz string) {
		_, err := FormatDateTime(ms, picture, tz)
		checkErr(t, err)
	})
}

func FuzzParseDateTime(f *testing.F) {
	f.Add("2018-03-27T14:03:00.123Z", "")
	f.Add("2018-03-27T14:03:00.123Z", "[Y0001]-[M01]-[D01]T[H01]:[m01]:[s01].[f001]Z")
	f.Add("twenty-first August two thousand and seventeen", "[Dw] [MNn] [Yw]")
	f.Add("4/4/2018 12:06 pm", "[D1]/[M1]/[Y0001] [h]:[m] [P]")
	f.Add("20180205", "[Y0001][M01][D01]")
	f.Add("2018-07-11T07:00:00GMT-05:00", "[Y]-[M01]-[D01]T[H01]:[m]:[s][z]")
	f.Add("2018-32-5", "[X]-[W]-[F1]")
	f.Add("Z", "[Z01:01t]")
	f.Fuzz(func(t *testing.T, s, picture string) {
		_, _, err := ParseDateTime(s, picture)
		checkErr(t, err)
	})
}
