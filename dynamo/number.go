package dynamo

import "strings"

// DynamoDB's Number type is an exact decimal: up to 38 significant digits
// and a magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125
// (positive or negative), or zero. It is the range and precision of Oracle's
// NUMBER, and DynamoDB sizes numbers as that format stores them (see
// numberSize). Everything here works on an exact decimal of at most 38
// digits; nothing goes through binary floating point.
//
// What DynamoDB accepts, as observed against the live service by ScyllaDB's
// Alternator tests (test/alternator/test_number.py), dynalite's test suite
// and the dynamodb-conformance suite (captures of 2026):
//
//   - an optional sign ('+' or '-'), digits with at most one '.', at least
//     one digit on either side of it (".5", "5." and "+3" are numbers), and
//     an optional exponent: 'e' or 'E', an optional sign, one or more digits;
//   - nothing else: no spaces around or inside ("1 " and " 1" are refused),
//     no "NaN" or "Infinity", no hexadecimal, no digit separators, ASCII
//     digits only;
//   - leading zeros, and trailing zeros of the fraction or of the digits
//     before an exponent, are not significant: "0009.9990000e125" has four
//     significant digits;
//   - an exponent of any length: one that puts the number out of range is an
//     overflow or underflow, however many digits it has ("1e99999999999"
//     overflows, "1e-99999999999" underflows).
//
// Zero written with an exponent follows DynamoDB's quirk, which treats the
// nominal exponent of a zero as Java's BigDecimal does (the exponent less
// the number of fraction digits): "0e126" is refused as an overflow and
// "0e-131" as an underflow, while "0.0e126" (nominal exponent 125) and
// "0e125" are accepted. ScyllaDB's tests record this as a DynamoDB bug; we
// copy it so that what DynamoDB refuses is refused here too.
//
// What DynamoDB returns: the canonical text, always plain decimal notation,
// never an exponent, no '+', no leading zeros (a fraction starts "0."), no
// trailing zeros after the point, no point when there is no fraction, and
// zero as "0" whatever its sign. So "1E+3" comes back "1000", "1.50" "1.5",
// "-0.0" "0", ".5" "0.5", "-0015.789e6" "-15789000", "1e125" as a 1 and 125
// zeros, "1e-130" as "0." then 129 zeros and a 1.
//
// The errors are ValidationExceptions in DynamoDB's words:
//
//   - msgNotNumeric followed by the text as given (an empty text leaves
//     "value: " with its trailing space, as DynamoDB's current validation
//     layer answers);
//   - msgOverflow and msgUnderflow for magnitudes out of range;
//   - msgTooPrecise for more than 38 significant digits. When a number is
//     both out of range and too precise, the range is reported (dynalite's
//     order; DynamoDB's is not recorded).
//
// Addition and subtraction (SET a = b + c, ADD) are exact. A result out of
// range is refused with the overflow or underflow message; a result that
// would need more than 38 significant digits (1E+50 + 1, 1E+30 + 1E-30) is
// refused too, and DynamoDB words that refusal as an overflow, which is
// what ScyllaDB recorded against the live service, so we do the same.

const (
	// maxNumberDigits is the most significant digits a Number may have.
	maxNumberDigits = 38
	// maxNumberExp is the largest power of ten of a Number's first
	// significant digit (9.99…E+125).
	maxNumberExp = 125
	// minNumberExp is the smallest power of ten of a Number's first
	// significant digit (1E-130).
	minNumberExp = -130
	// maxCanonicalLen is the longest canonical text: "-0.", 129 zeros and
	// 38 digits.
	maxCanonicalLen = 3 - minNumberExp - 1 + maxNumberDigits
)

// DynamoDB's messages for bad numbers.
const (
	msgNotNumeric = "The parameter cannot be converted to a numeric value: "
	msgOverflow   = "Number overflow. Attempting to store a number with magnitude larger than supported range"
	msgUnderflow  = "Number underflow. Attempting to store a number with magnitude smaller than supported range"
	msgTooPrecise = "Attempting to store more than 38 significant digits in a Number"
)

// numberStatus is the outcome of reading or computing a number.
type numberStatus uint8

const (
	numberOK numberStatus = iota
	numberSyntax
	numberOverflow
	numberUnderflow
	numberTooPrecise
)

// decimal is an exact DynamoDB number: the significant digits d[:n] (each
// 0-9, the first and the last non-zero) scaled so that d[0] stands for
// d[0]×10^exp. Zero has n == 0, neg false and exp 0, so equal numbers are
// equal structs.
type decimal struct {
	neg bool
	n   uint8
	exp int16
	d   [maxNumberDigits]byte
}

// exponentCap bounds the exponent read from text: anything beyond it is out
// of range in any case, and the bound keeps the arithmetic in an int64.
const exponentCap = 1 << 40

// parseDecimal reads s as DynamoDB number text. It never allocates. When
// the status is not numberOK the decimal is meaningless.
func parseDecimal(s string) (x decimal, st numberStatus) {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		x.neg = s[i] == '-'
		i++
	}
	var (
		digits  int  // mantissa digits read, before and after the point
		intLen  int  // digits before the point
		first   = -1 // index among the mantissa digits of the first non-zero one
		pending int  // zeros read since the last non-zero digit
		sig     int  // significant digits so far, not counting pending zeros
		point   bool
	)
mantissa:
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '0':
			if first >= 0 {
				pending++
			}
		case c >= '1' && c <= '9':
			if first < 0 {
				first = digits
			}
			// Zeros between non-zero digits are significant after all;
			// d already holds zeros where they go.
			sig += pending
			pending = 0
			if sig < maxNumberDigits {
				x.d[sig] = c - '0'
			}
			sig++
		case c == '.' && !point:
			point = true
			continue
		default:
			break mantissa
		}
		digits++
		if !point {
			intLen++
		}
	}
	if digits == 0 {
		return decimal{}, numberSyntax
	}
	var exp int64
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return decimal{}, numberSyntax
		}
		i++
		expNeg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			expNeg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return decimal{}, numberSyntax
		}
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return decimal{}, numberSyntax
			}
			if exp < exponentCap {
				exp = exp*10 + int64(c-'0')
			}
		}
		if expNeg {
			exp = -exp
		}
	}
	if first < 0 {
		// Zero: DynamoDB range-checks its nominal exponent (see above).
		nominal := exp - int64(digits-intLen)
		switch {
		case nominal > maxNumberExp:
			return decimal{}, numberOverflow
		case nominal < minNumberExp:
			return decimal{}, numberUnderflow
		}
		return decimal{}, numberOK
	}
	e := int64(intLen-1-first) + exp
	switch {
	case e > maxNumberExp:
		return decimal{}, numberOverflow
	case e < minNumberExp:
		return decimal{}, numberUnderflow
	case sig > maxNumberDigits:
		return decimal{}, numberTooPrecise
	}
	x.n = uint8(sig)
	x.exp = int16(e)
	return x, numberOK
}

// numberError is the ValidationException for a number s that failed to
// read with status st.
func numberError(st numberStatus, s string) error {
	switch st {
	case numberOverflow:
		return ErrValidation.New(msgOverflow)
	case numberUnderflow:
		return ErrValidation.New(msgUnderflow)
	case numberTooPrecise:
		return ErrValidation.New(msgTooPrecise)
	}
	return ErrValidation.New(msgNotNumeric + s)
}

// appendText appends the canonical text of x to dst.
func (x *decimal) appendText(dst []byte) []byte {
	if x.n == 0 {
		return append(dst, '0')
	}
	if x.neg {
		dst = append(dst, '-')
	}
	n, e := int(x.n), int(x.exp)
	if e < 0 {
		dst = append(dst, '0', '.')
		for k := -1; k > e; k-- {
			dst = append(dst, '0')
		}
		for _, c := range x.d[:n] {
			dst = append(dst, '0'+c)
		}
		return dst
	}
	whole := e + 1
	if n <= whole {
		for _, c := range x.d[:n] {
			dst = append(dst, '0'+c)
		}
		for k := n; k < whole; k++ {
			dst = append(dst, '0')
		}
		return dst
	}
	for _, c := range x.d[:whole] {
		dst = append(dst, '0'+c)
	}
	dst = append(dst, '.')
	for _, c := range x.d[whole:n] {
		dst = append(dst, '0'+c)
	}
	return dst
}

// String returns the canonical text of x.
func (x *decimal) String() string {
	var buf [maxCanonicalLen]byte
	return string(x.appendText(buf[:0]))
}

// canonicalNumber validates s as DynamoDB number text and returns the text
// DynamoDB stores and returns for it (see the top of this file). It returns
// s itself, without allocating, when s is already canonical. The error is a
// ValidationException in DynamoDB's words.
func canonicalNumber(s string) (string, error) {
	x, st := parseDecimal(s)
	if st != numberOK {
		return "", numberError(st, s)
	}
	var buf [maxCanonicalLen]byte
	out := x.appendText(buf[:0])
	if string(out) == s {
		return s, nil
	}
	return string(out), nil
}

// sign returns -1, 0 or +1.
func (x *decimal) sign() int {
	switch {
	case x.n == 0:
		return 0
	case x.neg:
		return -1
	}
	return 1
}

// cmpAbs compares the magnitudes of x and y: -1, 0 or +1.
func cmpAbs(x, y *decimal) int {
	if x.n == 0 || y.n == 0 {
		switch {
		case x.n == y.n:
			return 0
		case x.n == 0:
			return -1
		}
		return 1
	}
	if x.exp != y.exp {
		if x.exp < y.exp {
			return -1
		}
		return 1
	}
	n := min(x.n, y.n)
	for k := range n {
		if x.d[k] != y.d[k] {
			if x.d[k] < y.d[k] {
				return -1
			}
			return 1
		}
	}
	switch {
	case x.n == y.n:
		return 0
	case x.n < y.n:
		return -1
	}
	return 1
}

// compareDecimal compares x and y: -1, 0 or +1.
func compareDecimal(x, y *decimal) int {
	sx, sy := x.sign(), y.sign()
	if sx != sy {
		if sx < sy {
			return -1
		}
		return 1
	}
	return sx * cmpAbs(x, y)
}

// compareNumbers compares two valid numbers by value: -1, 0 or +1, so "1.50"
// and "1.5E0" are equal. It does not allocate. It never panics: a text that
// is not a valid number orders before every valid one, and two invalid
// texts order as strings.
func compareNumbers(a, b string) int {
	if a == b {
		return 0
	}
	x, sx := parseDecimal(a)
	y, sy := parseDecimal(b)
	if sx != numberOK || sy != numberOK {
		switch {
		case sx != numberOK && sy != numberOK:
			return strings.Compare(a, b)
		case sx != numberOK:
			return -1
		}
		return 1
	}
	return compareDecimal(&x, &y)
}

// arithWidth is the number of decimal places an exact sum of two valid
// numbers can span: from a carry above 10^125 down to the last digit of a
// 38-digit number starting at 10^-130.
const arithWidth = (maxNumberExp + 1) - (minNumberExp - maxNumberDigits + 1) + 1

// addDecimal returns the exact sum x+y, or the status that refuses it: out
// of range, or more than 38 significant digits.
func addDecimal(x, y decimal) (decimal, numberStatus) {
	if x.n == 0 {
		return y, numberOK
	}
	if y.n == 0 {
		return x, numberOK
	}
	// Place both on one grid: index k holds the digit of 10^(hi-k).
	hi := int(max(x.exp, y.exp)) + 1
	lo := min(int(x.exp)-int(x.n)+1, int(y.exp)-int(y.n)+1)
	w := hi - lo + 1
	var ga, gb [arithWidth]byte
	a, b := ga[:w], gb[:w]
	copy(a[hi-int(x.exp):], x.d[:x.n])
	copy(b[hi-int(y.exp):], y.d[:y.n])
	neg := x.neg
	if x.neg == y.neg {
		var carry byte
		for k := w - 1; k >= 0; k-- {
			s := a[k] + b[k] + carry
			carry = s / 10
			a[k] = s % 10
		}
	} else {
		// Subtract the smaller magnitude from the larger; the grids are
		// aligned, so comparing digit by digit compares magnitudes.
		c := cmpAbs(&x, &y)
		if c == 0 {
			return decimal{}, numberOK
		}
		if c < 0 {
			a, b = b, a
			neg = y.neg
		}
		var borrow byte
		for k := w - 1; k >= 0; k-- {
			s := 10 + a[k] - b[k] - borrow
			borrow = 1 - s/10
			a[k] = s % 10
		}
	}
	first, last := 0, w-1
	for a[first] == 0 {
		first++
	}
	for a[last] == 0 {
		last--
	}
	e := hi - first
	switch {
	case e > maxNumberExp:
		return decimal{}, numberOverflow
	case e < minNumberExp:
		return decimal{}, numberUnderflow
	case last-first+1 > maxNumberDigits:
		return decimal{}, numberTooPrecise
	}
	r := decimal{neg: neg, n: uint8(last - first + 1), exp: int16(e)}
	copy(r.d[:], a[first:last+1])
	return r, numberOK
}

// arithmeticError is the ValidationException for a sum or difference
// refused with status st. DynamoDB reports a result needing more than 38
// digits as an overflow.
func arithmeticError(st numberStatus) error {
	if st == numberUnderflow {
		return ErrValidation.New(msgUnderflow)
	}
	return ErrValidation.New(msgOverflow)
}

// addNumbers returns a+b exactly, in canonical text, or a
// ValidationException when the result is out of DynamoDB's range or needs
// more than 38 significant digits (see the top of this file). An operand
// that is not a valid number is refused as canonicalNumber refuses it.
func addNumbers(a, b string) (string, error) {
	return combineNumbers(a, b, false)
}

// subtractNumbers returns a-b exactly, in canonical text, or a
// ValidationException as addNumbers does.
func subtractNumbers(a, b string) (string, error) {
	return combineNumbers(a, b, true)
}

// combineNumbers returns a+b, or a-b when negateB is set, for
// addNumbers and subtractNumbers.
func combineNumbers(a, b string, negateB bool) (string, error) {
	x, st := parseDecimal(a)
	if st != numberOK {
		return "", numberError(st, a)
	}
	y, st := parseDecimal(b)
	if st != numberOK {
		return "", numberError(st, b)
	}
	if negateB && y.n != 0 {
		y.neg = !y.neg
	}
	r, st := addDecimal(x, y)
	if st != numberOK {
		return "", arithmeticError(st)
	}
	return r.String(), nil
}

// Key bytes of a number (appendNumberKey). Digits are taken in pairs, each
// pair a byte, so a 38-digit number encodes in 22 bytes. The only byte of a
// valid number's encoding that can be 0x00 is the exponent byte at the ends
// of the range (a positive number below 1E-129, a negative one of magnitude
// 1E+125 or more), which keeps escaping rare where keys are escaped.
const (
	numKeyInvalid  = 0x00 // followed by the raw text; never produced for valid input
	numKeyNegative = 0x01
	numKeyZero     = 0x02
	numKeyPositive = 0x03

	numKeyPosPairBase = 2    // positive pair p (0-99) encodes as 2+p: 2..101
	numKeyPosEnd      = 1    // ends a positive number: below every pair
	numKeyNegPairBase = 200  // negative pair p encodes as 200-p: 101..200
	numKeyNegEnd      = 0xFE // ends a negative number: above every pair
)

// appendNumberKey appends an encoding of the valid number s to dst such
// that bytes.Compare of two encodings orders as the numbers do, and equal
// numbers ("1.50", "15E-1") encode equally. The encoding is prefix-free: no
// encoding is a prefix of another.
//
// Layout: a class byte (negative < zero < positive); for a non-zero number
// the power of ten of its first digit, offset to 0..255 (inverted for a
// negative); then its significant digits two to a byte (inverted for a
// negative) and an end byte that sorts below every digit byte (above, for a
// negative). Zero is the class byte alone.
//
// A text that is not a valid number is encoded as 0x00 followed by the text,
// so it still gets a deterministic place, before every number.
func appendNumberKey(dst []byte, s string) []byte {
	x, st := parseDecimal(s)
	if st != numberOK {
		dst = append(dst, numKeyInvalid)
		return append(dst, s...)
	}
	return x.appendKey(dst)
}

// appendKey appends the order-preserving encoding of x (see
// appendNumberKey).
func (x *decimal) appendKey(dst []byte) []byte {
	if x.n == 0 {
		return append(dst, numKeyZero)
	}
	e := byte(int(x.exp) - minNumberExp)
	if x.neg {
		dst = append(dst, numKeyNegative, 255-e)
	} else {
		dst = append(dst, numKeyPositive, e)
	}
	n := int(x.n)
	for k := 0; k < n; k += 2 {
		p := 10 * x.d[k]
		if k+1 < n {
			p += x.d[k+1]
		}
		if x.neg {
			dst = append(dst, numKeyNegPairBase-p)
		} else {
			dst = append(dst, numKeyPosPairBase+p)
		}
	}
	if x.neg {
		return append(dst, numKeyNegEnd)
	}
	return append(dst, numKeyPosEnd)
}
