package picture

import (
	"math"
	"testing"
)

func TestFormatInteger(t *testing.T) {
	tests := []struct {
		value   float64
		picture string
		want    string
	}{
		{123, "000", "123"},
		{123, "0000", "0123"},
		{-3, "0000", "-0003"},
		{1234, "0;c", "1234"},
		{1234, "###0", "1234"},
		{12, "###0", "12"},
		{12.6, "###0", "12"},
		{-12.2, "0", "-13"},
		{123, "000;o", "123rd"},
		{1, "0;o", "1st"},
		{2, "0;o", "2nd"},
		{11, "0;o", "11th"},
		{12, "0;o", "12th"},
		{13, "0;o", "13th"},
		{21, "0;o", "21st"},
		{102, "0;o", "102nd"},
		{111, "0;o", "111th"},
		{28, "#0;o", "28th"},
		{1234, "###0;o", "1234th"},
		{12, "###0;o", "12th"},
		{12340, "###١", "١٢٣٤٠"},
		{12340, "###０", "１２３４０"},
		{7, "๐๐", "๐๗"},
		{5, "𝟎𝟎", "𝟎𝟓"},
		{12, "#,##0", "12"},
		{1200, "#,##0", "1,200"},
		{120000, "#,##0", "120,000"},
		{12345678, "#,##0", "12,345,678"},
		{1234567890, "#,##0", "1,234,567,890"},
		{1234567890, "#,###,##0", "1,234,567,890"},
		{1234567890, "#:###,##0", "1234:567,890"},
		{1234567890, "##,##,##0", "12345,67,890"},
		{12, "#:###,##0", "12"},
		{1234, "0 000", "1 234"},
		{0, "I", ""},
		{1984, "I", "MCMLXXXIV"},
		{99, "i", "xcix"},
		{3999, "I", "MMMCMXCIX"},
		{-4, "I", "-IV"},
		{12, "w", "twelve"},
		{0, "w", "zero"},
		{20, "w", "twenty"},
		{34, "w", "thirty-four"},
		{99, "W", "NINETY-NINE"},
		{100, "w", "one hundred"},
		{555, "W", "FIVE HUNDRED AND FIFTY-FIVE"},
		{555, "Ww", "Five Hundred and Fifty-Five"},
		{919, "w", "nine hundred and nineteen"},
		{730, "w", "seven hundred and thirty"},
		{1000, "w", "one thousand"},
		{3730, "w", "three thousand, seven hundred and thirty"},
		{327730, "w", "three hundred and twenty-seven thousand, seven hundred and thirty"},
		{4327730, "w", "four million, three hundred and twenty-seven thousand, seven hundred and thirty"},
		{1000000000001, "w", "one trillion and one"},
		{1234567890123, "w", "one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three"},
		{1000000000000000, "w", "one thousand trillion"},
		{1e46, "w", "ten billion trillion trillion trillion"},
		{1234567890123456, "w", "one thousand, two hundred and thirty-four trillion, five hundred and sixty-seven billion, eight hundred and ninety million, one hundred and twenty-three thousand, four hundred and fifty-six"},
		{-7, "w", "-seven"},
		{12, "w;o", "twelfth"},
		{20, "w;o", "twentieth"},
		{34, "w;o", "thirty-fourth"},
		{99, "W;o", "NINETY-NINTH"},
		{100, "w;o", "one hundredth"},
		{555, "W;o", "FIVE HUNDRED AND FIFTY-FIFTH"},
		{919, "w;o", "nine hundred and nineteenth"},
		{730, "w;o", "seven hundred and thirtieth"},
		{1000, "w;o", "one thousandth"},
		{3731, "w;o", "three thousand, seven hundred and thirty-first"},
		{327713, "w;o", "three hundred and twenty-seven thousand, seven hundred and thirteenth"},
		{4327732, "w;o", "four million, three hundred and twenty-seven thousand, seven hundred and thirty-second"},
		{1000000000001, "w;o", "one trillion and first"},
		{733, "Ww;o", "Seven Hundred and Thirty-Third"},
		{1, "A", "A"},
		{12, "a", "l"},
		{26, "a", "z"},
		{27, "a", "aa"},
		{300, "A", "KN"},
		{123456, "A", "FZPH"},
		{0, "a", ""},
		{1e22, "#,##0", "10,000,000,000,000,000,000,000"},
	}
	for _, tc := range tests {
		got, err := FormatInteger(tc.value, tc.picture)
		if err != nil || got != tc.want {
			t.Errorf("FormatInteger(%v, %q) = %q, %v; want %q", tc.value, tc.picture, got, err, tc.want)
		}
	}
}

func TestFormatIntegerErrors(t *testing.T) {
	tests := []struct {
		value   float64
		picture string
		code    string
	}{
		{123456, "α", "D3130"},
		{5, "#", "D3130"},
		{5, "", "D3130"},
		{5, "b", "D3130"},
		{12340, "##0０", "D3131"},
		{1, "0١", "D3131"},
		{math.NaN(), "0", "D1001"},
		{math.Inf(1), "w", "D1001"},
	}
	for _, tc := range tests {
		got, err := FormatInteger(tc.value, tc.picture)
		if code := errCode(t, err); code != tc.code {
			t.Errorf("FormatInteger(%v, %q) = %q, %v; want error %s", tc.value, tc.picture, got, err, tc.code)
		}
	}
}

func TestParseInteger(t *testing.T) {
	tests := []struct {
		s, picture string
		want       float64
	}{
		{"123", "000", 123},
		{"0123", "0000", 123},
		{"1234", "0", 1234},
		{"1234", "###0", 1234},
		{"12", "###0", 12},
		{"123rd", "000;o", 123},
		{"1st", "0;o", 1},
		{"28th", "#0;o", 28},
		{"1234th", "###0;o", 1234},
		{"12th", "###0;o", 12},
		{"١٢٣٤٠", "###١", 12340},
		{"１２３４０", "###０", 12340},
		{"12", "#,##0", 12},
		{"1,200", "#,##0", 1200},
		{"12,345,678", "#,##0", 12345678},
		{"1,234,567,890", "#,##0", 1234567890},
		{"1,234,567,890", "#,###,##0", 1234567890},
		{"1234:567,890", "#:###,##0", 1234567890},
		{"12345,67,890", "##,##,##0", 1234567890},
		{"", "I", 0},
		{"MCMLXXXIV", "I", 1984},
		{"xcix", "i", 99},
		{"twelve", "w", 12},
		{"twenty", "w", 20},
		{"thirty-four", "w", 34},
		{"NINETY-NINE", "W", 99},
		{"one hundred", "w", 100},
		{"FIVE HUNDRED AND FIFTY-FIVE", "W", 555},
		{"Five Hundred and Fifty-Five", "Ww", 555},
		{"nine hundred and nineteen", "w", 919},
		{"seven hundred and thirty", "w", 730},
		{"one thousand", "w", 1000},
		{"three thousand, seven hundred and thirty", "w", 3730},
		{"three hundred and twenty-seven thousand, seven hundred and thirty", "w", 327730},
		{"four million, three hundred and twenty-seven thousand, seven hundred and thirty", "w", 4327730},
		{"one trillion and one", "w", 1000000000001},
		{"one trillion, two hundred and thirty-four billion, five hundred and sixty-seven million, eight hundred and ninety thousand, one hundred and twenty-three", "w", 1234567890123},
		{"one thousand trillion", "w", 1000000000000000},
		{"ten billion trillion trillion trillion", "w", 1e46},
		{"nineteen hundred and eighty-four", "w", 1984},
		{"twelfth", "w;o", 12},
		{"twentieth", "w;o", 20},
		{"thirty-fourth", "w;o", 34},
		{"NINETY-NINTH", "W;o", 99},
		{"one hundredth", "w;o", 100},
		{"FIVE HUNDRED AND FIFTY-FIFTH", "W;o", 555},
		{"nine hundred and nineteenth", "w;o", 919},
		{"seven hundred and thirtieth", "w;o", 730},
		{"Seven Hundred and Thirty-Third", "Ww;o", 733},
		{"one thousandth", "w;o", 1000},
		{"three thousand, seven hundred and thirty-first", "w;o", 3731},
		{"three hundred and twenty-seven thousand, seven hundred and thirteenth", "w;o", 327713},
		{"four million, three hundred and twenty-seven thousand, seven hundred and thirty-second", "w;o", 4327732},
		{"one trillion and first", "w;o", 1000000000001},
		{"A", "A", 1},
		{"l", "a", 12},
		{"z", "a", 26},
		{"aa", "a", 27},
		{"KN", "A", 300},
		{"FZPH", "A", 123456},
		{"-0003", "0000", -3},
		{"-MCMLXXXIV", "I", -1984},
		{"-twelfth", "w;o", -12},
	}
	for _, tc := range tests {
		got, err := ParseInteger(tc.s, tc.picture)
		if err != nil || got != tc.want {
			t.Errorf("ParseInteger(%q, %q) = %v, %v; want %v", tc.s, tc.picture, got, err, tc.want)
		}
	}
}

func TestParseIntegerNoMatch(t *testing.T) {
	for _, tc := range []struct{ s, picture string }{
		{"abc", "0"},
		{"12x", "#,##0"},
		{"12", "0;o"},
		{"XIV!", "A"},
		{"and", "w"},
		{"one-two!", "w;o"},
		{"IIX2", "I"},
		{"", "a"},
	} {
		got, err := ParseInteger(tc.s, tc.picture)
		if err != nil || !math.IsNaN(got) {
			t.Errorf("ParseInteger(%q, %q) = %v, %v; want NaN", tc.s, tc.picture, got, err)
		}
	}
	for _, tc := range []struct{ s, picture, code string }{
		{"50", "#", "D3130"},
		{"α", "α", "D3130"},
		{"12", "0０", "D3131"},
	} {
		_, err := ParseInteger(tc.s, tc.picture)
		if code := errCode(t, err); code != tc.code {
			t.Errorf("ParseInteger(%q, %q) error %v, want %s", tc.s, tc.picture, err, tc.code)
		}
	}
}

// TestIntegerRoundTrip formats and parses back many values in every
// supported picture family.
func TestIntegerRoundTrip(t *testing.T) {
	pictures := []string{"0", "000", "#,##0", "0;o", "#:###,##0", "###١", "0 0", "w", "W", "Ww", "w;o", "W;o", "i", "I", "a", "A"}
	var values []float64
	for v := -50.0; v <= 1200; v++ {
		values = append(values, v)
	}
	for v := 1201.0; v < 1e13; v = math.Floor(v*1.37) + 7 {
		values = append(values, v, -v)
	}
	n := 0
	for _, pic := range pictures {
		for _, v := range values {
			if v == 0 && (pic == "a" || pic == "A" || pic == "i" || pic == "I") {
				continue // no letter for zero
			}
			if math.Abs(v) > 1e5 && (pic == "i" || pic == "I" || pic == "a" || pic == "A") {
				continue
			}
			s, err := FormatInteger(v, pic)
			if err != nil {
				t.Fatalf("FormatInteger(%v, %q): %v", v, pic, err)
			}
			back, err := ParseInteger(s, pic)
			if err != nil || back != v {
				t.Fatalf("ParseInteger(FormatInteger(%v, %q) = %q) = %v, %v", v, pic, s, back, err)
			}
			n++
		}
	}
	t.Logf("%d round trips", n)
}
