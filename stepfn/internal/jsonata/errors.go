package jsonata

import (
	"fmt"
	"strings"
)

// Error is a JSONata error: a code such as "S0201" (syntax), "T2001"
// (type) or "D3030" (dynamic), the character offset in the expression
// where it was found (jsonata-js convention: usually the end of the
// offending token), the token, and the message for that code.
type Error struct {
	Code     string // JSONata's code: "S0201", "T2001", "D3030", ...
	Position int    // character offset in the expression, as jsonata-js reports it
	Token    string // the token or function name involved, if any
	Message  string // JSONata's wording for that code, with the details filled in
}

// Error returns the code followed by the message.
func (e *Error) Error() string { return e.Code + ": " + e.Message }

// messages holds the wording for each code; {{token}}, {{value}},
// {{value2}}, {{index}}, {{type}} are filled in by newError.
var messages = map[string]string{
	"S0101": "String literal must be terminated by a matching quote",
	"S0102": "Number out of range: {{token}}",
	"S0103": "Unsupported escape sequence: \\{{token}}",
	"S0104": "The escape sequence \\u must be followed by 4 hex digits",
	"S0105": "Quoted property name must be terminated with a backquote (`)",
	"S0106": "Comment has no closing tag",
	"S0201": "Syntax error: {{token}}",
	"S0202": "Expected {{value}}, got {{token}}",
	"S0203": "Expected {{value}} before end of expression",
	"S0204": "Unknown operator: {{token}}",
	"S0205": "Unexpected token: {{token}}",
	"S0206": "Unknown expression type: {{token}}",
	"S0207": "Unexpected end of expression",
	"S0208": "Parameter {{value}} of function definition must be a variable name (start with $)",
	"S0209": "A predicate cannot follow a grouping expression in a step",
	"S0210": "Each step can only have one grouping expression",
	"S0211": "The symbol {{token}} cannot be used as a unary operator",
	"S0212": "The left side of := must be a variable name (start with $)",
	"S0213": "The literal value {{value}} cannot be used as a step within a path expression",
	"S0214": "The right side of {{token}} must be a variable name (start with $)",
	"S0215": "A context variable binding must precede any predicates on a step",
	"S0216": "A context variable binding must precede the 'order-by' clause on a step",
	"S0217": "The object representing the 'parent' cannot be derived from this expression",
	"S0301": "Empty regular expressions are not allowed",
	"S0302": "No terminating / in regular expression",
	"S0303": "Regular expression cannot be used: {{value}}",
	"S0401": "Type parameters can only be applied to functions and arrays",
	"S0402": "Choice groups containing parameterized types are not supported",
	"S0403": "Invalid function signature: {{value}}",
	"T0410": "Argument {{index}} of function {{token}} does not match function signature",
	"T0411": "Context value is not a compatible type with argument {{index}} of function {{token}}",
	"T0412": "Argument {{index}} of function {{token}} must be an array of {{type}}",
	"D1001": "Number out of range: {{value}}",
	"D1002": "Cannot negate a non-numeric value: {{value}}",
	"T1003": "Key in object structure must evaluate to a string; got: {{value}}",
	"D1004": "Regular expression matches zero length string",
	"T1005": "Attempted to invoke a non-function. Did you mean ${{{token}}}?",
	"T1006": "Attempted to invoke a non-function",
	"T1007": "Attempted to partially apply a non-function. Did you mean ${{{token}}}?",
	"T1008": "Attempted to partially apply a non-function",
	"D1009": "Multiple key definitions evaluate to same key: {{value}}",
	"T1010": "The matcher function argument passed to function {{token}} does not return the correct object structure",
	"T2001": "The left side of the {{token}} operator must evaluate to a number",
	"T2002": "The right side of the {{token}} operator must evaluate to a number",
	"T2003": "The left side of the range operator (..) must evaluate to an integer",
	"T2004": "The right side of the range operator (..) must evaluate to an integer",
	"T2006": "The right side of the function application operator ~> must be a function",
	"T2007": "Type mismatch when comparing values {{value}} and {{value2}} in order-by clause",
	"T2008": "The expressions within an order-by clause must evaluate to numeric or string values",
	"T2009": "The values {{value}} and {{value2}} either side of operator {{token}} must be of the same data type",
	"T2010": "The expressions either side of operator {{token}} must evaluate to numeric or string values",
	"T2011": "The insert/update clause of the transform expression must evaluate to an object: {{value}}",
	"T2012": "The delete clause of the transform expression must evaluate to a string or array of strings: {{value}}",
	"T2013": "The transform expression clones the input object using the $clone() function.  This has been overridden in the current scope by a non-function.",
	"D2014": "The size of the sequence allocated by the range operator (..) must not exceed 1e7.  Attempted to allocate {{value}}.",
	"D2016": "The padding width of $pad must not exceed 1e7.  Attempted {{value}}.",
	"D3001": "Attempting to invoke string function on Infinity or NaN",
	"D3010": "Second argument of replace function cannot be an empty string",
	"D3011": "Fourth argument of replace function must evaluate to a positive number",
	"D3012": "Attempted to replace a matched string with a non-string value",
	"D3020": "Third argument of split function must evaluate to a positive number",
	"D3030": "Unable to cast value to a number: {{value}}",
	"D3040": "Third argument of match function must evaluate to a positive number",
	"D3050": "The second argument of reduce function must be a function with at least two arguments",
	"D3060": "The sqrt function cannot be applied to a negative number: {{value}}",
	"D3061": "The power function has resulted in a value that cannot be represented as a JSON number: base={{value}}, exponent={{value2}}",
	"D3070": "The single argument form of the sort function can only be applied to an array of strings or an array of numbers.  Use the second argument to specify a comparison function",
	"D3120": "Syntax error in expression passed to function eval: {{value}}",
	"D3121": "Dynamic error evaluating the expression passed to function eval: {{value}}",
	"D3137": "{{{message}}}",
	"D3138": "The $single() function expected exactly 1 matching result.  Instead it matched more.",
	"D3139": "The $single() function expected exactly 1 matching result.  Instead it matched 0.",
	"D3140": "Malformed URL passed to ${{{token}}}(): {{value}}",
	"D3141": "{{{message}}}",
	"U1001": "Stack overflow error: Check for non-terminating recursive function.  Consider rewriting as tail-recursive.",
	"U1002": "Expression evaluation timeout: Check for infinite loop",
}

// errInfo carries the inserts of a message.
type errInfo struct {
	value, value2 any
	index         int
	typ           string
	message       string
	hasValue      bool
	hasValue2     bool
}

// newError builds an *Error for code at pos with token, filling the
// message template. value inserts are JSON-rendered as jsonata-js does.
func newError(code string, pos int, token string, info errInfo) *Error {
	msg, ok := messages[code]
	if !ok {
		msg = info.message
	}
	r := strings.NewReplacer(
		"{{{token}}}", token,
		"{{{message}}}", info.message,
		"{{token}}", quote(token),
		"{{value}}", renderInsert(info.value, info.hasValue),
		"{{value2}}", renderInsert(info.value2, info.hasValue2),
		"{{index}}", fmt.Sprint(info.index),
		"{{type}}", quote(info.typ),
	)
	return &Error{Code: code, Position: pos, Token: token, Message: r.Replace(msg)}
}

// quote renders s as JSON.stringify renders a string.
func quote(s string) string {
	var b strings.Builder
	quoteJSON(&b, s)
	return b.String()
}

// renderInsert renders a value insert as JSON.stringify would (full
// number precision, undefined as "undefined").
func renderInsert(v any, has bool) string {
	if !has || IsUndefined(v) {
		return "undefined"
	}
	if IsFunction(v) {
		return `""`
	}
	var b strings.Builder
	if err := writeJSON(&b, v, false, "", 0, true); err != nil {
		return fmt.Sprint(v)
	}
	return b.String()
}

// errv is shorthand for an error with a value insert.
func errv(code string, pos int, token string, v any) *Error {
	return newError(code, pos, token, errInfo{value: v, hasValue: true})
}

// errp is shorthand for an error with no inserts.
func errp(code string, pos int, token string) *Error {
	return newError(code, pos, token, errInfo{})
}
