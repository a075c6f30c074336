package picture

import "fmt"

// Error is returned for every bad picture string or argument. Code is the
// JSONata error code (D3080–D3093 for $formatNumber pictures, D3100 for a bad
// radix, D3110 for a timestamp $toMillis cannot read, D3130–D3136 for
// integer and date/time pictures, T0410 for a bad timezone argument) and
// Message says what was wrong in plain words.
type Error struct{ Code, Message string }

// Error returns the code and the message, e.g. "D3081: the picture ...".
func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}
