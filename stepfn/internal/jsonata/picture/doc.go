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
// Every function is pure and safe for concurrent use; pictures are analysed
// on each call. Bad pictures never panic: they return an *Error whose Code
// is the JSONata code and whose Message says what was wrong.
//
// Where JSONata's reference implementation has an obvious slip (a grouping
// separator written before the first digit, a negative half-hour timezone
// read as a whole hour more, a two-digit year read as 19xx) this package
// does what the specification says instead; the differences are listed in
// the comments of the functions concerned.
package picture
