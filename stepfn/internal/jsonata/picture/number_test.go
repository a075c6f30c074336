package picture

import (
	"errors"
	"math"
	"strings"
	"testing"
)

// errCode returns the JSONata code of err, "" for nil, and fails the test
// if err is not an *Error.
func errCode(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not an *Error", err, err)
	}
	if e.Message == "" {
		t.Errorf("error %s has no message", e.Code)
	}
	return e.Code
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		value   float64
		picture string
		options map[string]string
		want    string
	}{
		// jsonata-js test suite and documentation examples
		{12345.6, "#,###.00", nil, "12,345.60"},
		{12345678.9, "9,999.99", nil, "12,345,678.90"},
		{1234.56789, "9,999.999,999", nil, "1,234.567,890"},
		{123.9, "9999", nil, "0124"},
		{0.4857, "###.###‰", nil, "485.7‰"},
		{1234.5678, "00.000e0", nil, "12.346e2"},
		{1234.5678, "00.000e000", nil, "12.346e002"},
		{1234.5678, "①①.①①①e①", map[string]string{"zero-digit": "⑟"}, "①②.③④⑥e②"},
		{0.234, "0.0e0", nil, "2.3e-1"},
		{0.234, "#.00e0", nil, "0.23e0"},
		{0.123, "#.e9", nil, "0.1e0"},
		{1e20, "#,######", nil, "100,000000,000000,000000"},
		{2, "000.000", nil, "002.000"},
		{-6, "000", nil, "-006"},
		{2, "AAA.AAA", map[string]string{"zero-digit": "A"}, "AAC.AAA"},
		{0.1, "AeAAA", map[string]string{"zero-digit": "A"}, "Be-AAB"},
		{0, "0e0", nil, "0e0"},
		{-42, "0e0", nil, "-4e1"},
		{42, "0e0", nil, "4e1"},
		{0, "0.00e0", nil, "0.00e0"},
		{34.555, "#0.00;(#0.00)", nil, "34.56"},
		{-34.555, "#0.00;(#0.00)", nil, "(34.56)"},
		{0.14, "01%", nil, "14%"},
		{0.14, "###pm", map[string]string{"per-mille": "pm"}, "140pm"},
		// rounding is half-to-even on the decimal value
		{0.125, "0.00", nil, "0.12"},
		{0.135, "0.00", nil, "0.14"},
		{2.5, "0", nil, "2"},
		{3.5, "0", nil, "4"},
		{-2.5, "0", nil, "-2"},
		{1.005, "0.00", nil, "1.00"},
		// sizes, padding and optional digits
		{3, "#", nil, "3"},
		{0, "#", nil, "0"},
		{0.5, "#.#", nil, ".5"},
		{0.5, "0.0", nil, "0.5"},
		{12.3456, "#.##", nil, "12.35"},
		{12, "#.##", nil, "12.0"}, // both minimum sizes zero: one fraction digit
		{12, "0.00", nil, "12.00"},
		{-12.5, "#,##0.0", nil, "-12.5"},
		{-1234567.891, "#,##0.00", nil, "-1,234,567.89"},
		{1234567, "#,##,##0", nil, "12,34,567"},
		{1234567, "#,###,##0", nil, "1,234,567"},
		{123, "#,##,##0", nil, "123"},
		// prefixes and suffixes
		{5, "$#0.00", nil, "$5.00"},
		{-5, "$#0.00", nil, "-$5.00"},
		{-5, "#0;#0 CR", nil, "5 CR"},
		{42, "#0 each", nil, "42 each"},
		{0.256, "#0.0%", nil, "25.6%"},
		{1234.5, "$0.0e0", nil, "$1.2e3"},
		{0.123456, "0.000,000", nil, "0.123,456"},
		{0.12345678, "0.00,00,00,00", nil, "0.12,34,56,78"},
		{0.5, "0.0#,##", nil, "0.5"},
		{0.12345, "0.0#,##", nil, "0.12,34"},
		// options
		{1234.5, "#.##0,00", map[string]string{"decimal-separator": ",", "grouping-separator": "."}, "1.234,50"},
		{1234.5, "#'##0.0", map[string]string{"grouping-separator": "'"}, "1'234.5"},
		{-3, "0", map[string]string{"minus-sign": "−"}, "−3"},
		{0.05, "0.0E0", map[string]string{"exponent-separator": "E"}, "5.0E-2"},
		{7, "^^0", map[string]string{"digit": "^"}, "7"},
		{-7, "0|(0)", map[string]string{"pattern-separator": "|"}, "(7)"},
		{math.NaN(), "0", nil, "NaN"},
		{math.NaN(), "0", map[string]string{"NaN": "not a number"}, "not a number"},
		{math.Inf(1), "0", nil, "Infinity"},
		{math.Inf(-1), "0", map[string]string{"infinity": "∞"}, "-∞"},
	}
	for _, tc := range tests {
		got, err := FormatNumber(tc.value, tc.picture, tc.options)
		if err != nil {
			t.Errorf("FormatNumber(%v, %q, %v): %v", tc.value, tc.picture, tc.options, err)
			continue
		}
		if got != tc.want {
			t.Errorf("FormatNumber(%v, %q, %v) = %q, want %q", tc.value, tc.picture, tc.options, got, tc.want)
		}
	}
}

func TestFormatNumberErrors(t *testing.T) {
	tests := []struct {
		picture string
		code    string
	}{
		{"#;#;#", "D3080"},
		{"#.0.0", "D3081"},
		{"#0%%", "D3082"},
		{"#0‰‰", "D3083"},
		{"#0%‰", "D3084"},
		{".e0", "D3085"},
		{"", "D3085"},
		{"%%", "D3086"},
		{"‰‰", "D3086"},
		{"%‰", "D3086"},
		{"---", "D3086"},
		{"#0 0", "D3086"},
		{"#,.00", "D3087"},
		{"#.,00", "D3087"},
		{"#,##,", "D3088"},
		{"#,,##0", "D3089"},
		{"0#", "D3090"},
		{"0.#0", "D3091"},
		{"0e0%", "D3092"},
		{"0e", "D3093"},
		{"0e#", "D3093"},
	}
	for _, tc := range tests {
		got, err := FormatNumber(1, tc.picture, nil)
		if code := errCode(t, err); code != tc.code {
			t.Errorf("FormatNumber(1, %q) = %q, %v; want error %s", tc.picture, got, err, tc.code)
		}
	}
}

func TestFormatBase(t *testing.T) {
	tests := []struct {
		value float64
		radix int
		want  string
	}{
		{100, 2, "1100100"},
		{100, 10, "100"},
		{-100, 2, "-1100100"},
		{100, 36, "2s"},
		{99.5, 2, "1100100"}, // $formatBase(99.5, 2.5): the caller rounds the radix
		{2555, 16, "9fb"},
		{-255, 16, "-ff"},
		{255, 10, "255"},
		{35, 36, "z"},
		{36, 36, "10"},
		{2.5, 10, "2"},
		{3.5, 2, "100"},
		{-2.5, 10, "-2"},
		{-0.4, 2, "0"},
		{0, 8, "0"},
		{1e21, 10, "1000000000000000000000"},
		{9007199254740993, 16, "20000000000000"},
		{math.NaN(), 2, "NaN"},
		{math.Inf(-1), 2, "-Infinity"},
	}
	for _, tc := range tests {
		got, err := FormatBase(tc.value, tc.radix)
		if err != nil || got != tc.want {
			t.Errorf("FormatBase(%v, %d) = %q, %v; want %q", tc.value, tc.radix, got, err, tc.want)
		}
	}
	for _, radix := range []int{-1, 0, 1, 37, 100} {
		_, err := FormatBase(10, radix)
		if code := errCode(t, err); code != "D3100" {
			t.Errorf("FormatBase(10, %d) error %v, want D3100", radix, err)
		}
	}
}

func TestFormatNumberExtremes(t *testing.T) {
	long := strings.Repeat("0", 400)
	tests := []struct {
		value   float64
		picture string
		want    string
	}{
		{1.5, "0." + strings.Repeat("#", 400), "1.5"},
		{1e300, "0." + strings.Repeat("#", 400), "1" + strings.Repeat("0", 300)},
		{1, long + "e0", "Infinity"},
		{5e-324, "0.0e0", "4.9e-324"},
		{1.7976931348623157e308, "0.00e0", "1.80e308"},
		{123456789012345680000, "#,##0", "123,456,789,012,345,680,000"},
	}
	for _, tc := range tests {
		got, err := FormatNumber(tc.value, tc.picture, nil)
		if err != nil || got != tc.want {
			t.Errorf("FormatNumber(%v, %.20q…) = %.40q, %v; want %.40q", tc.value, tc.picture, got, err, tc.want)
		}
	}
}
