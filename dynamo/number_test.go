package dynamo

import (
	"bytes"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// Sources for the expectations below: ScyllaDB's Alternator tests
// (test/alternator/test_number.py, run against DynamoDB), dynalite's tests
// (run against DynamoDB) and the dynamodb-conformance suite's captures.

var (
	numRepeat = strings.Repeat
	// numMax is the largest Number: 38 nines and 88 zeros.
	numMax = numRepeat("9", 38) + numRepeat("0", 88)
	// numMinPos is the smallest positive Number, 1E-130.
	numMinPos = "0." + numRepeat("0", 129) + "1"
)

func TestCanonicalNumber_ReturnsDynamoDBsForm(t *testing.T) {
	tests := []struct{ in, want string }{
		// Integers come back unchanged.
		{"1", "1"}, {"123", "123"}, {"-5", "-5"}, {"0", "0"}, {"10", "10"}, {"1000", "1000"},
		// Leading zeros go.
		{"007", "7"}, {"001.23", "1.23"}, {"00", "0"}, {"-000056.789", "-56.789"},
		// A '+' goes.
		{"+3", "3"}, {"+0", "0"}, {"+1.5", "1.5"},
		// Trailing zeros of the fraction go, and the point with them.
		{"1.0", "1"}, {"1.00", "1"}, {"1.10", "1.1"}, {"100.000", "100"}, {"0.0", "0"}, {"0.10", "0.1"}, {"1.50", "1.5"},
		// An exponent is expanded into plain notation.
		{"1e3", "1000"}, {"1E3", "1000"}, {"1e+3", "1000"}, {"1E+3", "1000"}, {"1E+2", "100"}, {"5e1", "50"},
		{"-3e2", "-300"}, {"1.5e2", "150"}, {"1.23e4", "12300"}, {"-0015.789e6", "-15789000"}, {"-17.4E37", "-174" + numRepeat("0", 36)},
		{"1e-3", "0.001"}, {"5e-1", "0.5"}, {"123e-2", "1.23"}, {"1.23e-1", "0.123"}, {"1e0", "1"}, {"1e-0", "1"},
		{"1.0e3", "1000"}, {"1.00e2", "100"}, {"1.0e-1", "0.1"}, {"1e0000000000000000000000003", "1000"},
		// Zero has no sign.
		{"-0", "0"}, {"-0.0", "0"}, {"0e5", "0"}, {"0.0e3", "0"}, {"0e-5", "0"}, {"-0e-130", "0"},
		// A fraction gets its leading zero; a bare point is fine on either side.
		{".5", "0.5"}, {".123", "0.123"}, {"-.5", "-0.5"}, {"5.", "5"}, {"-5.e1", "-50"}, {".5e1", "5"},
		// Large and small magnitudes stay plain.
		{"1e20", "100000000000000000000"}, {"9.9e10", "99000000000"}, {"1e100", "1" + numRepeat("0", 100)},
		{"1e125", "1" + numRepeat("0", 125)}, {"1e-20", "0.00000000000000000001"}, {"1e-100", "0." + numRepeat("0", 99) + "1"},
		{"1e-130", numMinPos}, {"-1E-130", "-" + numMinPos}, {"0001.000e-130", numMinPos},
		{"9.9999999999999999999999999999999999999E+125", numMax},
		{"-0009.99999999999999999999999999999999999990000e125", "-" + numMax},
		{"10e124", "1" + numRepeat("0", 125)}, {"0.1e126", "1" + numRepeat("0", 125)}, {"0.0000000001e-120", numMinPos},
		// 38 significant digits, with any number of insignificant zeros.
		{"12345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
		{"0000012345678901234567890123456789012345678", "12345678901234567890123456789012345678"},
		{"-00001.23456789012345678901234567890123456780000", "-1.2345678901234567890123456789012345678"},
		{"3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028841"},
		{"314159265358979323846.26433832795028841", "314159265358979323846.26433832795028841"},
		{"31415926535897932384626433832795028841e30", "31415926535897932384626433832795028841" + numRepeat("0", 30)},
		{"1" + numRepeat("0", 60) + "e-60", "1"},
		{"1." + numRepeat("0", 36) + "1", "1." + numRepeat("0", 36) + "1"},
		{"0042.1200", "42.12"}, {"3.14159", "3.14159"}, {"-273.15", "-273.15"}, {"0.001", "0.001"},
		// Zero's nominal exponent within range (DynamoDB accepts these).
		{"0e125", "0"}, {"0.0e126", "0"}, {"0e-130", "0"}, {"00000e125", "0"},
	}
	for _, tt := range tests {
		got, err := canonicalNumber(tt.in)
		if err != nil {
			t.Errorf("canonicalNumber(%q): %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("canonicalNumber(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCanonicalNumber_RefusesWithDynamoDBsMessages(t *testing.T) {
	notNumeric := func(s string) string { return msgNotNumeric + s }
	tests := []struct{ in, want string }{
		{"", "The parameter cannot be converted to a numeric value: "},
		{"abc", "The parameter cannot be converted to a numeric value: abc"},
		{"b", notNumeric("b")}, {"dog", notNumeric("dog")}, {"-dog", notNumeric("-dog")},
		{"NaN", notNumeric("NaN")}, {"-NaN", notNumeric("-NaN")}, {"Infinity", notNumeric("Infinity")},
		{"-Infinity", notNumeric("-Infinity")}, {"inf", notNumeric("inf")},
		{" 1", notNumeric(" 1")}, {"1 ", notNumeric("1 ")}, {"1 0", notNumeric("1 0")}, {"\t1", notNumeric("\t1")},
		{"0x10", notNumeric("0x10")}, {"1e", notNumeric("1e")}, {"1e+", notNumeric("1e+")}, {"1e-", notNumeric("1e-")},
		{"e5", notNumeric("e5")}, {".", notNumeric(".")}, {"-", notNumeric("-")}, {"+", notNumeric("+")},
		{".e1", notNumeric(".e1")}, {"1.2.3", notNumeric("1.2.3")}, {"--1", notNumeric("--1")}, {"+-1", notNumeric("+-1")},
		{"1e+-5", notNumeric("1e+-5")}, {"1e5.0", notNumeric("1e5.0")}, {"1,000", notNumeric("1,000")},
		{"1_000", notNumeric("1_000")}, {"١٢", notNumeric("١٢")}, {"1d5", notNumeric("1d5")}, {"1ee5", notNumeric("1ee5")},
		{"1/2", notNumeric("1/2")}, {"1e5 ", notNumeric("1e5 ")},

		{"1e126", msgOverflow}, {"-1e126", msgOverflow}, {"11e125", msgOverflow}, {"10e125", msgOverflow},
		{"1" + numRepeat("0", 126), msgOverflow}, {"9.99999999999999999999999999999999999999e125", msgTooPrecise},
		{"1e2147483647", msgOverflow}, {"1e2147483648", msgOverflow}, {"1e99999999999", msgOverflow},
		{"-1e99999999999", msgOverflow}, {"1e" + numRepeat("9", 40), msgOverflow},
		{"1e-131", msgUnderflow}, {"-1e-131", msgUnderflow}, {"0.9e-130", msgUnderflow}, {"9.99e-131", msgUnderflow},
		{"1e-2147483648", msgUnderflow}, {"1e-99999999999", msgUnderflow}, {"0." + numRepeat("0", 130) + "1", msgUnderflow},

		{"123456789012345678901234567890123456789", msgTooPrecise},
		{"-1.23456789012345678901234567890123456789", msgTooPrecise},
		{"1234567890123456789012345678901234567890", msgTooPrecise},
		{"3.14159265358979323846264338327950288419", msgTooPrecise},
		{"314159265358979323846.264338327950288419", msgTooPrecise},
		{"314159265358979323846264338327950288419e30", msgTooPrecise},
		{"1." + numRepeat("0", 37) + "1", msgTooPrecise},
		{"1" + numRepeat("0", 37) + "1e-50", msgTooPrecise},

		// DynamoDB range-checks the nominal exponent of a zero.
		{"0e126", msgOverflow}, {"-0e126", msgOverflow}, {"0e99999999999", msgOverflow}, {"00e126", msgOverflow},
		{"0e-131", msgUnderflow}, {"0.0e-130", msgUnderflow}, {"0." + numRepeat("0", 131), msgUnderflow},

		// Out of range is reported before too many digits.
		{"1234567890123456789012345678901234567890e200", msgOverflow},
	}
	for _, tt := range tests {
		got, err := canonicalNumber(tt.in)
		if err == nil {
			t.Errorf("canonicalNumber(%q) = %q, want error %q", tt.in, got, tt.want)
			continue
		}
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrValidation) || e.StatusCode != 400 {
			t.Errorf("canonicalNumber(%q) error %#v is not a ValidationException", tt.in, err)
			continue
		}
		if e.Message != tt.want {
			t.Errorf("canonicalNumber(%q) message %q, want %q", tt.in, e.Message, tt.want)
		}
	}
}

func TestCanonicalNumber_CanonicalInputIsReturnedWithoutAllocating(t *testing.T) {
	for _, s := range []string{"0", "42", "-1.5", numMax, numMinPos} {
		var got string
		allocs := testing.AllocsPerRun(100, func() { got, _ = canonicalNumber(s) })
		if allocs != 0 || got != s {
			t.Errorf("canonicalNumber(%q) = %q with %v allocations, want itself with none", s, got, allocs)
		}
	}
}

func TestCompareNumbers_OrdersByValue(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"1", "1", 0}, {"1.50", "1.5", 0}, {"1.5", "15e-1", 0}, {"1000", "1E+3", 0}, {"-0", "0", 0},
		{"0", "0e-20", 0}, {"+7", "7", 0}, {".5", "0.50", 0}, {"-2.5", "-25e-1", 0},
		{"1", "2", -1}, {"2", "1", 1}, {"9", "10", -1}, {"99", "100", -1}, {"0.99", "1", -1},
		{"1.01", "1.1", -1}, {"1.1", "1.01", 1}, {"1", "1.0000000000000000000000000000000000001", -1},
		// Across signs.
		{"-1", "1", -1}, {"1", "-1", 1}, {"-1", "0", -1}, {"0", "-1", 1}, {"0", "1E-130", -1},
		{"-1E-130", "0", -1}, {"-1E+125", "1E-130", -1},
		// Negatives order by reversed magnitude.
		{"-2", "-1", -1}, {"-1", "-2", 1}, {"-10", "-9", -1}, {"-1.1", "-1.01", -1}, {"-1", "-1.5", 1},
		// Across magnitudes.
		{"1E+125", "9.9999999999999999999999999999999999999E+124", 1}, {"1E-130", "1E-129", -1},
		{"1E-130", "9E-131", 1}, {"12345", "1.2345E4", 0}, {"1E+100", "1E+99", 1}, {"-1E+100", "-1E+99", -1},
		{"123.456", "123.4561", -1}, {"0.001", "0.0009999", 1}, {"5", "49", -1}, {"-5", "-49", 1},
		{numMax, "-" + numMax, 1}, {numMinPos, "-" + numMinPos, 1},
		// Invalid text sorts before numbers and among itself as strings.
		{"abc", "1", -1}, {"1", "abc", 1}, {"abc", "abd", -1}, {"1e999", "-1e999", 1},
	}
	for _, tt := range tests {
		if got := compareNumbers(tt.a, tt.b); got != tt.want {
			t.Errorf("compareNumbers(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := compareNumbers(tt.b, tt.a); got != -tt.want {
			t.Errorf("compareNumbers(%q, %q) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
}

func TestCompareNumbers_DoesNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		compareNumbers("-123.456", "1.5E+3")
		compareNumbers(numMax, numMinPos)
	})
	if allocs != 0 {
		t.Errorf("compareNumbers allocated %v times", allocs)
	}
}

func TestAddNumbers_IsExact(t *testing.T) {
	tests := []struct{ a, b, sum, diff string }{
		{"1", "2", "3", "-1"},
		{"0.1", "0.2", "0.3", "-0.1"},
		{"0.3", "0.1", "0.4", "0.2"},
		{"1", "10000000000000000000000", "10000000000000000000001", "-9999999999999999999999"},
		{"10000000000000000000000", "1", "10000000000000000000001", "9999999999999999999999"},
		{"100000000000000000000.00000001", "1", "100000000000000000001.00000001", "99999999999999999999.00000001"},
		{"1.5", "1.5", "3", "0"},
		{"-1.5", "1.5", "0", "-3"},
		{"0", "0", "0", "0"},
		{"0", "-7.25", "-7.25", "7.25"},
		{"-7.25", "0", "-7.25", "-7.25"},
		{"9e125", "9e124", "9.9e125", "8.1e125"},
		{"1e-130", "1e-130", "2e-130", "0"},
		{"1.1e-130", "-1e-130", "1e-131", "2.1e-130"}, // the sum underflows: checked below
		{"99999999999999999999999999999999999999", "1", "1e38", "99999999999999999999999999999999999998"},
		{"1.0000000000000000000000000000000000001", "-1", "1e-37", "2.0000000000000000000000000000000000001"},
		{"12345678901234567890123456789012345678", "-12345678901234567890123456789012345677", "1", "24691357802469135780246913578024691355"},
		{"-5", "-5", "-10", "0"},
		{"-0.001", "0.0001", "-0.0009", "-0.0011"},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			op        string
			f         func(a, b string) (string, error)
			wantText  string
			wantError string
		}{
			{op: "+", f: addNumbers, wantText: tt.sum},
			{op: "-", f: subtractNumbers, wantText: tt.diff},
		} {
			want, err := canonicalNumber(c.wantText)
			if err != nil {
				want, c.wantError = "", err.(*Error).Message
			}
			got, err := c.f(tt.a, tt.b)
			switch {
			case c.wantError != "":
				if err == nil || err.(*Error).Message != c.wantError {
					t.Errorf("%s %s %s = %q, %v; want error %q", tt.a, c.op, tt.b, got, err, c.wantError)
				}
			case err != nil || got != want:
				t.Errorf("%s %s %s = %q, %v; want %q", tt.a, c.op, tt.b, got, err, want)
			}
		}
	}
}

func TestAddNumbers_RefusesResultsDynamoDBCannotStore(t *testing.T) {
	tests := []struct {
		op      string
		a, b    string
		wantMsg string
	}{
		{"+", "9e125", "9e125", msgOverflow},
		{"-", "9e125", "-9e125", msgOverflow},
		{"+", "-9e125", "-9e125", msgOverflow},
		{"+", numMax, "1e87", msgOverflow},
		{"+", "9.9999999999999999999999999999999999999E+125", "1E+125", msgOverflow},
		// More than 38 significant digits: DynamoDB calls it an overflow.
		{"+", "1e50", "1", msgOverflow},
		{"-", "1e50", "1", msgOverflow},
		{"+", "1E+30", "1E-30", msgOverflow},
		{"+", "99999999999999999999999999999999999999", "0.1", msgOverflow},
		{"+", "1e125", "1e-130", msgOverflow},
		{"-", "-1e-130", "1e125", msgOverflow},
		// Below the smallest magnitude.
		{"+", "1.1e-130", "-1e-130", msgUnderflow},
		{"-", "1.5e-130", "1.4e-130", msgUnderflow},
		// An invalid operand is refused as PutItem would refuse it.
		{"+", "x", "1", msgNotNumeric + "x"},
		{"-", "1", "1e126", msgOverflow},
		{"+", "1", "1e-131", msgUnderflow},
		{"+", "1", "123456789012345678901234567890123456789", msgTooPrecise},
	}
	for _, tt := range tests {
		f := addNumbers
		if tt.op == "-" {
			f = subtractNumbers
		}
		got, err := f(tt.a, tt.b)
		if err == nil {
			t.Errorf("%s %s %s = %q, want error %q", tt.a, tt.op, tt.b, got, tt.wantMsg)
			continue
		}
		if !errors.Is(err, ErrValidation) || err.(*Error).Message != tt.wantMsg {
			t.Errorf("%s %s %s: error %v, want ValidationException %q", tt.a, tt.op, tt.b, err, tt.wantMsg)
		}
	}
}

// numRandom returns a random valid number: its canonical text, written
// independently of the code under test, and its exact value.
func numRandom(r *rand.Rand) (canonical string, value *big.Rat) {
	if r.IntN(20) == 0 {
		return "0", new(big.Rat)
	}
	n := 1 + r.IntN(maxNumberDigits)
	if r.IntN(2) == 0 {
		n = 1 + r.IntN(4)
	}
	digits := make([]byte, n)
	for i := range digits {
		digits[i] = '0' + byte(r.IntN(10))
	}
	digits[0] = '1' + byte(r.IntN(9))
	digits[n-1] = '1' + byte(r.IntN(9))
	var exp int
	switch r.IntN(4) {
	case 0: // anywhere in range
		exp = minNumberExp + r.IntN(maxNumberExp-minNumberExp+1)
	case 1: // at the ends
		exp = []int{minNumberExp, minNumberExp + 1, maxNumberExp - 1, maxNumberExp}[r.IntN(4)]
	default: // everyday magnitudes
		exp = r.IntN(21) - 10
	}
	neg := r.IntN(2) == 0
	return numPlainText(neg, string(digits), exp), numRat(neg, string(digits), exp)
}

// numPlainText writes the digits, the first standing for 10^exp, in DynamoDB's
// canonical notation.
func numPlainText(neg bool, digits string, exp int) string {
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	switch whole := exp + 1; {
	case exp < 0:
		b.WriteString("0." + strings.Repeat("0", -exp-1) + digits)
	case len(digits) <= whole:
		b.WriteString(digits + strings.Repeat("0", whole-len(digits)))
	default:
		b.WriteString(digits[:whole] + "." + digits[whole:])
	}
	return b.String()
}

// numRat returns the exact value of the digits, the first standing for
// 10^exp.
func numRat(neg bool, digits string, exp int) *big.Rat {
	m, _ := new(big.Int).SetString(digits, 10)
	if neg {
		m.Neg(m)
	}
	shift := exp - len(digits) + 1
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(max(shift, -shift))), nil)
	if shift >= 0 {
		return new(big.Rat).SetInt(m.Mul(m, p))
	}
	return new(big.Rat).SetFrac(m, p)
}

// numRespell writes the canonical number c in another valid spelling of the
// same value: an exponent, a '+', leading and trailing zeros.
func numRespell(r *rand.Rand, c string) string {
	sign := ""
	if c[0] == '-' {
		sign, c = "-", c[1:]
	} else if r.IntN(3) == 0 {
		sign = "+"
	}
	intPart, frac, _ := strings.Cut(c, ".")
	digits := strings.TrimLeft(intPart+frac, "0")
	if digits == "" {
		return sign + strings.Repeat("0", 1+r.IntN(3)) + "." + strings.Repeat("0", r.IntN(3))
	}
	// Value = 0.digits × 10^pointAt.
	pointAt := len(intPart) - (len(intPart+frac) - len(digits))
	if intPart == "0" {
		pointAt = -(len(frac) - len(digits))
	}
	lead := strings.Repeat("0", r.IntN(3))
	trail := strings.Repeat("0", r.IntN(3))
	split := r.IntN(len(digits) + 1)
	e := pointAt - split
	mark := []string{"e", "E"}[r.IntN(2)]
	esign := ""
	if e >= 0 && r.IntN(2) == 0 {
		esign = "+"
	}
	return fmt.Sprintf("%s%s%s.%s%s%s%s%d", sign, lead, digits[:split], digits[split:], trail, mark, esign, e)
}

func TestCanonicalNumber_RandomSpellingsGiveTheCanonicalText(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		want, value := numRandom(r)
		for _, s := range []string{want, numRespell(r, want), numRespell(r, want)} {
			got, err := canonicalNumber(s)
			if err != nil || got != want {
				t.Fatalf("canonicalNumber(%q) = %q, %v; want %q", s, got, err, want)
			}
			if v, ok := new(big.Rat).SetString(s); !ok || v.Cmp(value) != 0 {
				t.Fatalf("test bug: %q is not %s", s, value.FloatString(10))
			}
		}
	}
}

func TestNumberKey_OrdersAsCompareNumbersAndAsValues(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	type num struct {
		text  string
		value *big.Rat
		key   []byte
	}
	var nums []num
	for range 1500 {
		c, v := numRandom(r)
		nums = append(nums, num{c, v, nil})
		if r.IntN(4) == 0 { // the same value spelled otherwise
			nums = append(nums, num{numRespell(r, c), v, nil})
		}
	}
	for _, c := range []string{"0", "-0", numMax, "-" + numMax, numMinPos, "-" + numMinPos, "1", "-1", "1E+125", "-1E+125"} {
		v, _ := new(big.Rat).SetString(c)
		nums = append(nums, num{c, v, nil})
	}
	for i := range nums {
		nums[i].key = appendNumberKey(nil, nums[i].text)
	}
	byCompare := slices.Clone(nums)
	slices.SortStableFunc(byCompare, func(a, b num) int { return compareNumbers(a.text, b.text) })
	byKey := slices.Clone(nums)
	slices.SortStableFunc(byKey, func(a, b num) int { return bytes.Compare(a.key, b.key) })
	byValue := slices.Clone(nums)
	slices.SortStableFunc(byValue, func(a, b num) int { return a.value.Cmp(b.value) })
	for i := range nums {
		if byCompare[i].text != byKey[i].text || byCompare[i].text != byValue[i].text {
			t.Fatalf("position %d: compareNumbers sorts %q, key bytes %q, exact values %q",
				i, byCompare[i].text, byKey[i].text, byValue[i].text)
		}
	}
	for i := 1; i < len(byValue); i++ {
		a, b := byValue[i-1], byValue[i]
		want := a.value.Cmp(b.value)
		if got := compareNumbers(a.text, b.text); got != want {
			t.Errorf("compareNumbers(%q, %q) = %d, want %d", a.text, b.text, got, want)
		}
		if got := bytes.Compare(a.key, b.key); got != want {
			t.Errorf("keys of %q and %q compare %d, want %d", a.text, b.text, got, want)
		}
		if want != 0 && (bytes.HasPrefix(a.key, b.key) || bytes.HasPrefix(b.key, a.key)) {
			t.Errorf("key of %q (% x) and of %q (% x): one is a prefix of the other", a.text, a.key, b.text, b.key)
		}
	}
}

func TestNumberKey_EqualNumbersEncodeEqually(t *testing.T) {
	groups := [][]string{
		{"0", "-0", "0.000", "0e10", "-0.0e-3", "+0"},
		{"1.5", "1.50", "15e-1", "+0.15E+1", "0001.5000"},
		{"-1000", "-1e3", "-1E+3", "-1000.0", "-001000"},
		{numMax, "9.9999999999999999999999999999999999999E+125"},
		{numMinPos, "1e-130", "10e-131"},
	}
	for _, g := range groups {
		want := appendNumberKey(nil, g[0])
		for _, s := range g[1:] {
			if got := appendNumberKey(nil, s); !bytes.Equal(got, want) {
				t.Errorf("key of %q = % x, key of %q = % x", s, got, g[0], want)
			}
		}
	}
}

func TestNumberKey_IsCompactAndAppends(t *testing.T) {
	tests := []struct {
		in   string
		want []byte
	}{
		{"0", []byte{numKeyZero}},
		{"1", []byte{numKeyPositive, 130, numKeyPosPairBase + 10, numKeyPosEnd}},
		{"12", []byte{numKeyPositive, 131, numKeyPosPairBase + 12, numKeyPosEnd}},
		{"-12", []byte{numKeyNegative, 255 - 131, numKeyNegPairBase - 12, numKeyNegEnd}},
		{"1e-130", []byte{numKeyPositive, 0, numKeyPosPairBase + 10, numKeyPosEnd}},
		{"-1e125", []byte{numKeyNegative, 0, numKeyNegPairBase - 10, numKeyNegEnd}},
		{"x", []byte{numKeyInvalid, 'x'}},
	}
	for _, tt := range tests {
		if got := appendNumberKey(nil, tt.in); !bytes.Equal(got, tt.want) {
			t.Errorf("appendNumberKey(%q) = % x, want % x", tt.in, got, tt.want)
		}
	}
	if got := len(appendNumberKey(nil, "-"+numRepeat("9", 38))); got != 22 {
		t.Errorf("a 38-digit key is %d bytes, want 22", got)
	}
	if got := appendNumberKey([]byte("pk"), "1"); !bytes.HasPrefix(got, []byte("pk")) || len(got) != 6 {
		t.Errorf("appendNumberKey did not append: % x", got)
	}
}

func TestArithmetic_MatchesExactRationals(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 8000 {
		a, av := numRandom(r)
		b, bv := numRandom(r)
		if i%3 == 0 { // near each other, so that digits cancel
			b, bv = a, av
			if r.IntN(2) == 0 {
				b, bv = numRespell(r, a), av
			}
			delta, dv := numRandom(r)
			if s, err := addNumbers(b, delta); err == nil {
				b, bv = s, new(big.Rat).Add(bv, dv)
			}
		}
		for _, op := range []string{"+", "-"} {
			exact := new(big.Rat)
			var got string
			var err error
			if op == "+" {
				exact.Add(av, bv)
				got, err = addNumbers(a, b)
			} else {
				exact.Sub(av, bv)
				got, err = subtractNumbers(a, b)
			}
			wantMsg := numStorable(exact)
			switch {
			case wantMsg == "" && err != nil:
				t.Fatalf("%s %s %s: %v, want %s", a, op, b, err, exact.FloatString(170))
			case wantMsg == "":
				if gv, ok := new(big.Rat).SetString(got); !ok || gv.Cmp(exact) != 0 {
					t.Fatalf("%s %s %s = %s, want %s", a, op, b, got, exact.FloatString(170))
				}
				if c, _ := canonicalNumber(got); c != got {
					t.Fatalf("%s %s %s = %q, not canonical", a, op, b, got)
				}
			case err == nil || err.(*Error).Message != wantMsg:
				t.Fatalf("%s %s %s = %q, %v; want error %q", a, op, b, got, err, wantMsg)
			}
		}
	}
}

// numStorable returns "" when DynamoDB can store the exact value v, or the
// message it refuses v with as the result of arithmetic.
func numStorable(v *big.Rat) string {
	if v.Sign() == 0 {
		return ""
	}
	// Every sum of two valid numbers ends at or above 10^-167, so 170
	// places are exact.
	intPart, frac, _ := strings.Cut(new(big.Rat).Abs(v).FloatString(170), ".")
	var exp int
	if whole := strings.TrimLeft(intPart, "0"); whole != "" {
		exp = len(whole) - 1
	} else {
		exp = -(len(frac) - len(strings.TrimLeft(frac, "0"))) - 1
	}
	sig := len(strings.Trim(intPart+frac, "0"))
	switch {
	case exp > maxNumberExp:
		return msgOverflow
	case exp < minNumberExp:
		return msgUnderflow
	case sig > maxNumberDigits:
		return msgOverflow
	}
	return ""
}

// numGrammar is DynamoDB's number grammar, for checking the parser.
var numGrammar = regexp.MustCompile(`^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$`)

// FuzzNumber checks, for any text, that nothing panics; that a text that
// reads as a number is refused only for range or precision; that canonical
// text is a fixed point and has the same value; and that comparison, key
// encoding and arithmetic agree with exact rational arithmetic.
func FuzzNumber(f *testing.F) {
	f.Add("1.50", "15e-1")
	f.Add("-0", "0e-130")
	f.Fuzz(func(t *testing.T, a, b string) {
		ca, erra := canonicalNumber(a)
		cb, errb := canonicalNumber(b)
		numCheckOne(t, a, ca, erra)
		numCheckOne(t, b, cb, errb)
		ka, kb := appendNumberKey(nil, a), appendNumberKey(nil, b)
		cmp := compareNumbers(a, b)
		if cmp != -compareNumbers(b, a) {
			t.Fatalf("compareNumbers(%q, %q) is not antisymmetric", a, b)
		}
		if erra != nil || errb != nil {
			sum, err := addNumbers(a, b)
			if err == nil {
				t.Fatalf("addNumbers(%q, %q) = %q with an invalid operand", a, b, sum)
			}
			return
		}
		if got := bytes.Compare(ka, kb); got != cmp {
			t.Fatalf("keys of %q and %q compare %d, compareNumbers says %d", a, b, got, cmp)
		}
		av, _ := new(big.Rat).SetString(ca)
		bv, _ := new(big.Rat).SetString(cb)
		if want := av.Cmp(bv); cmp != want {
			t.Fatalf("compareNumbers(%q, %q) = %d, want %d", a, b, cmp, want)
		}
		for _, op := range []string{"+", "-"} {
			exact := new(big.Rat)
			var got string
			var err error
			if op == "+" {
				exact.Add(av, bv)
				got, err = addNumbers(a, b)
			} else {
				exact.Sub(av, bv)
				got, err = subtractNumbers(a, b)
			}
			wantMsg := numStorable(exact)
			switch {
			case wantMsg == "" && err != nil:
				t.Fatalf("%s %s %s: %v", a, op, b, err)
			case wantMsg == "":
				if gv, ok := new(big.Rat).SetString(got); !ok || gv.Cmp(exact) != 0 {
					t.Fatalf("%s %s %s = %s, want %s", a, op, b, got, exact.FloatString(170))
				}
			case err == nil || err.(*Error).Message != wantMsg:
				t.Fatalf("%s %s %s = %q, %v; want error %q", a, op, b, got, err, wantMsg)
			}
		}
	})
}

// numCheckOne checks canonicalNumber's answer c, err for the text s.
func numCheckOne(t *testing.T, s, c string, err error) {
	t.Helper()
	if err != nil {
		var e *Error
		if !errors.As(err, &e) || !errors.Is(err, ErrValidation) {
			t.Fatalf("canonicalNumber(%q): %v is not a ValidationException", s, err)
		}
		if numGrammar.MatchString(s) {
			if e.Message != msgOverflow && e.Message != msgUnderflow && e.Message != msgTooPrecise {
				t.Fatalf("canonicalNumber(%q) refused a number's text: %q", s, e.Message)
			}
		} else if e.Message != msgNotNumeric+s {
			t.Fatalf("canonicalNumber(%q) = %q, want the not-numeric message", s, e.Message)
		}
		return
	}
	if !numGrammar.MatchString(s) {
		t.Fatalf("canonicalNumber(%q) = %q, want a refusal", s, c)
	}
	again, err := canonicalNumber(c)
	if err != nil || again != c {
		t.Fatalf("canonicalNumber(%q) = %q, but canonicalNumber(%q) = %q, %v", s, c, c, again, err)
	}
	if compareNumbers(s, c) != 0 || !bytes.Equal(appendNumberKey(nil, s), appendNumberKey(nil, c)) {
		t.Fatalf("%q and its canonical %q differ in comparison or key", s, c)
	}
	v, ok := new(big.Rat).SetString(s)
	cv, _ := new(big.Rat).SetString(c)
	if !ok || v.Cmp(cv) != 0 {
		t.Fatalf("canonicalNumber(%q) = %q, a different value", s, c)
	}
	if numStorable(cv) != "" {
		t.Fatalf("canonicalNumber(%q) = %q, which DynamoDB cannot store", s, c)
	}
}

var numBench = []struct{ name, a, b string }{
	{"int", "1234567", "1234568"},
	{"decimal", "-273.15", "-273.1499"},
	{"wide", "3.1415926535897932384626433832795028841", "3.1415926535897932384626433832795028842"},
	{"exponent", "1.5E+100", "15E99"},
}

func BenchmarkCompareNumbers(b *testing.B) {
	for _, bn := range numBench {
		b.Run("minicloud/"+bn.name, func(b *testing.B) {
			for b.Loop() {
				compareNumbers(bn.a, bn.b)
			}
		})
		b.Run("bigRat/"+bn.name, func(b *testing.B) {
			var x, y big.Rat
			for b.Loop() {
				x.SetString(bn.a)
				y.SetString(bn.b)
				x.Cmp(&y)
			}
		})
	}
}

func BenchmarkCanonicalNumber(b *testing.B) {
	for _, s := range []struct{ name, text string }{
		{"canonical", "-273.15"},
		{"trailingZeros", "-273.1500"},
		{"exponent", "1.5E+20"},
		{"max", numMax},
	} {
		b.Run(s.name, func(b *testing.B) {
			for b.Loop() {
				canonicalNumber(s.text)
			}
		})
	}
}

func BenchmarkAppendNumberKey(b *testing.B) {
	for _, bn := range numBench {
		b.Run(bn.name, func(b *testing.B) {
			buf := make([]byte, 0, 32)
			for b.Loop() {
				buf = appendNumberKey(buf[:0], bn.a)
			}
		})
	}
}
