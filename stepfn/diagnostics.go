package stepfn

import (
	"fmt"
	"strings"
)

// Diagnostic codes of definition validation, as ValidateStateMachineDefinition
// and InvalidDefinition report them.
const (
	// CodeInvalidJSONDescription: the definition is not JSON.
	CodeInvalidJSONDescription = "INVALID_JSON_DESCRIPTION"
	// CodeMissingDescription: the definition is empty.
	CodeMissingDescription = "MISSING_DESCRIPTION"
	// CodeSchemaValidationFailed: a field is missing, unknown, of the
	// wrong type or out of range, or a path or intrinsic call is invalid.
	CodeSchemaValidationFailed = "SCHEMA_VALIDATION_FAILED"
	// CodeInvalidResource: a Task's Resource is not a valid resource ARN.
	CodeInvalidResource = "INVALID_RESOURCE"
	// CodeMissingEndState: the workflow has no terminal state.
	CodeMissingEndState = "MISSING_END_STATE"
	// CodeDuplicateStateName: two states share a name anywhere in the
	// state machine, branches and item processors included.
	CodeDuplicateStateName = "DUPLICATE_STATE_NAME"
	// CodeInvalidStateName: a state name is empty or longer than 80
	// characters.
	CodeInvalidStateName = "INVALID_STATE_NAME"
	// CodeMissingTransitionTarget: a Next, Default or StartAt names no
	// state of its scope.
	CodeMissingTransitionTarget = "MISSING_TRANSITION_TARGET"
	// CodeUnreachableState: no transition leads to a state.
	CodeUnreachableState = "UNREACHABLE_STATE"
	// CodeTooDeeplyNested: branches and item processors nest too deep.
	CodeTooDeeplyNested = "TOO_DEEPLY_NESTED"
	// CodeInvalidJSONataExpression: a "{% %}" string of a JSONata state
	// does not parse.
	CodeInvalidJSONataExpression = "INVALID_JSONATA_EXPRESSION"
	// CodeUnsupportedJSONataExpression: a JSONata expression reads the
	// context item at its top level, where Step Functions binds none
	// (use $states.input).
	CodeUnsupportedJSONataExpression = "UNSUPPORTED_JSONATA_EXPRESSION"
)

// Diagnostic is one problem found in a definition: its severity (ERROR or
// WARNING), AWS's code, a message in AWS's words and the location of the
// offending field as a JSON pointer, such as /States/Charge/Next.
type Diagnostic struct {
	Severity string `json:"severity"`
	Code     string `json:"code"`
	Message  string `json:"message"`
	Location string `json:"location,omitempty"`
	// Detail is minicloud's own explanation (a parser's complaint about a
	// path, say) where AWS's message alone does not say what is wrong.
	// AWS's responses have no such field.
	Detail string `json:"-"`
}

// String renders the diagnostic as AWS writes it in InvalidDefinition:
// "CODE: message at /location".
func (d Diagnostic) String() string {
	s := d.Code + ": " + d.Message
	if d.Location != "" {
		s += " at " + d.Location
	}
	return s
}

// DefinitionError holds every error diagnostic of a rejected definition.
// An *Error with code InvalidDefinition wraps it; reach it with
// errors.As.
type DefinitionError struct {
	Diagnostics []Diagnostic
}

// Error renders the diagnostics as AWS's InvalidDefinition message does.
func (e *DefinitionError) Error() string {
	if len(e.Diagnostics) == 1 {
		return "Invalid State Machine Definition: '" + e.Diagnostics[0].String() + "'"
	}
	parts := make([]string, len(e.Diagnostics))
	for i, d := range e.Diagnostics {
		parts[i] = "'" + d.String() + "'"
	}
	return "Invalid State Machine Definition: '" + strings.Join(parts, ", ") + "'"
}

// diagnostics collects the problems of one compilation.
type diagnostics struct {
	list []Diagnostic
}

func (d *diagnostics) add(code, loc, format string, args ...any) {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	d.list = append(d.list, Diagnostic{Severity: "ERROR", Code: code, Message: msg, Location: loc})
}

func (d *diagnostics) schema(loc, format string, args ...any) {
	d.add(CodeSchemaValidationFailed, loc, format, args...)
}

// schemaDetail adds a schema diagnostic carrying err as its Detail.
func (d *diagnostics) schemaDetail(loc string, err error, format string, args ...any) {
	d.schema(loc, format, args...)
	if err != nil {
		d.list[len(d.list)-1].Detail = err.Error()
	}
}

func (d *diagnostics) err() error {
	if len(d.list) == 0 {
		return nil
	}
	de := &DefinitionError{Diagnostics: d.list}
	return &Error{Code: ErrInvalidDefinition.Code, StatusCode: ErrInvalidDefinition.StatusCode, Message: de.Error(), Err: de}
}

// ptr appends a key to a JSON-pointer location, escaping ~ and / as
// RFC 6901 does.
func ptr(loc, key string) string {
	key = strings.ReplaceAll(key, "~", "~0")
	key = strings.ReplaceAll(key, "/", "~1")
	if loc == "/" {
		return "/" + key
	}
	return loc + "/" + key
}

func ptrIndex(loc string, i int) string { return fmt.Sprintf("%s/%d", loc, i) }
