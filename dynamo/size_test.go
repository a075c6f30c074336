package dynamo

import (
	"strings"
	"testing"
)

// The number sizes DynamoDB was measured to count, to the byte, by the
// dynamodb-conformance suite (an item built to exactly 409,600 bytes is
// accepted and one byte more refused; eu-west-2, 2026-08-18).
func TestNumberSize_MatchesMeasuredSizes(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"0", 1}, {"1", 2}, {"12", 2}, {"123", 3}, {"1234", 3},
		{"12345678901234567890123456789012345678", 20},
		{"0042", 2}, {"100", 2}, {"1010", 3}, {"0.0000001", 2}, {"1E125", 2}, {"1E-100", 2},
		{"1.5", 3}, {"15", 2}, {"1.2", 3}, {"1.200", 3}, {"1.234", 4}, {"3.14159", 5},
		{"123456", 4}, {"100.5", 4}, {"0.15", 2}, {"-42", 3}, {"-0", 1},
	}
	for _, tt := range tests {
		if got := numberSize(tt.in); got != tt.want {
			t.Errorf("numberSize(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

// Sizes the Oracle NUMBER layout predicts where it differs from counting
// significant digits alone: base-100 digits sit on the decimal point, so
// "120" is "01 20" and "0.012" is ". 01 20". Not measured against DynamoDB.
func TestNumberSize_PairsDigitsOnTheDecimalPoint(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"120", 3}, {"12000", 3}, {"1200", 2}, {"0.012", 3}, {"0.12", 2}, {"0.0012", 2},
		{"-1.5", 4}, {"1E-130", 2}, {"-9.9999999999999999999999999999999999999E+125", 21},
		{"9.9999999999999999999999999999999999999", 21}, {"0.0e126", 1},
		// Not a number: its length, never a failure.
		{"abc", 3}, {"", 0},
	}
	for _, tt := range tests {
		if got := numberSize(tt.in); got != tt.want {
			t.Errorf("numberSize(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestValueSize_FollowsAWSRules(t *testing.T) {
	tests := []struct {
		name string
		v    AttributeValue
		want int
	}{
		{"string is its UTF-8 bytes", S("héllo"), 6},
		{"empty string", S(""), 0},
		{"4-byte rune", S("😀"), 4},
		{"binary is its raw bytes", B{0, 1, 2, 3, 4}, 5},
		{"number", N("3.14159"), 5},
		{"bool", BOOL(true), 1},
		{"false bool", BOOL(false), 1},
		{"null", NULL{}, 1},
		{"string set sums members", SS{"a", "bc", "déf"}, 1 + 2 + 4},
		{"number set sums members", NS{"1", "-42", "1.5"}, 2 + 3 + 3},
		{"binary set sums members", BS{{1}, {2, 3}}, 3},
		{"empty list is 3", L{}, 3},
		{"empty map is 3", M{}, 3},
		{"list: 3 + 1 per element + elements", L{S("ab"), N("1"), NULL{}}, 3 + (1 + 2) + (1 + 2) + (1 + 1)},
		{"map: 3 + 1 per element + names + elements", M{"a": S("xyz"), "bb": BOOL(true)}, 3 + (1 + 1 + 3) + (1 + 2 + 1)},
		{"nested", M{"l": L{M{"k": N("12")}}}, 3 + (1 + 1 + (3 + (1 + (3 + (1 + 1 + 2)))))},
		{"nil", nil, 0},
	}
	for _, tt := range tests {
		if got := valueSize(tt.v); got != tt.want {
			t.Errorf("%s: valueSize(%#v) = %d, want %d", tt.name, tt.v, got, tt.want)
		}
	}
}

func TestItemSize_AddsNamesAndValues(t *testing.T) {
	tests := []struct {
		name string
		item Item
		want int
	}{
		{"empty", Item{}, 0},
		{"names count in UTF-8", Item{"pk": S("user#1"), "âge": N("42")}, (2 + 6) + (4 + 2)},
		{"AWS's example shape", Item{"Id": N("1234"), "Name": S("Widget"), "Tags": SS{"a", "b"}, "On": BOOL(true)},
			(2 + 3) + (4 + 6) + (4 + 2) + (2 + 1)},
		{"400 KB string", Item{"pk": S("k"), "big": S(strings.Repeat("x", 409600-6))}, 409600},
	}
	for _, tt := range tests {
		if got := itemSize(tt.item); got != tt.want {
			t.Errorf("%s: itemSize = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func BenchmarkItemSize(b *testing.B) {
	item := Item{
		"pk": S("user#12345"), "sk": N("1700000000"), "name": S("Ada Lovelace"),
		"score": N("-273.15"), "tags": SS{"a", "b", "c"},
		"address": M{"city": S("London"), "zip": S("N1"), "geo": L{N("51.5"), N("-0.12")}},
	}
	for b.Loop() {
		itemSize(item)
	}
}
