package dynamo

import (
	"math/big"
)

// INTERIM implementation on big.Rat: the API below is fixed; the
// implementation is being replaced by an exact 38-digit decimal.

// canonicalNumber validates s as a DynamoDB number and returns its canonical
// text. The error is a ValidationException in DynamoDB's words.
func canonicalNumber(s string) (string, error) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return "", ErrValidation.New("A value provided cannot be converted into a number")
	}
	return r.FloatString(10), nil
}

// compareNumbers compares two valid numbers: -1, 0 or +1.
func compareNumbers(a, b string) int {
	x, _ := new(big.Rat).SetString(a)
	y, _ := new(big.Rat).SetString(b)
	return x.Cmp(y)
}

// addNumbers returns a+b exactly, or a ValidationException when the result
// is out of DynamoDB's range or precision.
func addNumbers(a, b string) (string, error) {
	x, _ := new(big.Rat).SetString(a)
	y, _ := new(big.Rat).SetString(b)
	return canonicalNumber(new(big.Rat).Add(x, y).FloatString(10))
}

// subtractNumbers returns a-b exactly, or a ValidationException when the
// result is out of DynamoDB's range or precision.
func subtractNumbers(a, b string) (string, error) {
	x, _ := new(big.Rat).SetString(a)
	y, _ := new(big.Rat).SetString(b)
	return canonicalNumber(new(big.Rat).Sub(x, y).FloatString(10))
}

// appendNumberKey appends an encoding of the valid number s to dst such
// that bytes.Compare of two encodings orders as the numbers do, and equal
// numbers encode equally.
func appendNumberKey(dst []byte, s string) []byte {
	panic("not yet")
}
