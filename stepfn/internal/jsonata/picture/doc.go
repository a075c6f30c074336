// Package picture implements the picture-string functions of JSONata:
// $formatNumber, $formatInteger, $parseInteger, $formatBase, $fromMillis
// and $toMillis.
//
// JSONata takes these from the XPath and XQuery Functions and Operators 3.1
// specification (fn:format-number with decimal formats, fn:format-integer
// and fn:format-dateTime), and this package follows JSONata's reading of
// that specification: English words and names only, the Gregorian ISO
// calendar only, and JSONata's error codes (see Error).
//
// Every function is pure and safe for concurrent use. Bad pictures never
// panic: they return an *Error whose Code is the JSONata code and whose
// Message says what was wrong.
//
// # Where this package and JSONata's reference implementation differ
//
// Where the reference implementation has an obvious slip, this package does
// what the specification says instead:
//
//   - a grouping separator is never written before the first digit, and
//     fractional-part separators land where the picture puts them;
//   - a negative timezone with minutes ("-0530") is five and a half hours
//     behind UTC, not six and a half;
//   - a parsed two-digit year is that year, not 19xx;
//   - an exponent picture with a prefix ("$0.0e0") works;
//   - [PN] gives "AM"/"PM";
//   - numbers of 10^21 and more are written in full, not as "1e+21".
//
// Limits, as in JSONata: fractional seconds [f] are the milliseconds
// written as an integer; week-based dates ([X], [W], [x], [w]) format but
// cannot be parsed (D3136); an ISO timestamp without an offset is read as
// UTC; roman numerals above one million are written as a count of
// thousands followed by "×m".
package picture
