package apigw

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// selectionExpr is a parsed route selection expression: literal text and
// $request.body variables, concatenated.
type selectionExpr struct {
	parts []selectionPart
}

// selectionPart is literal text (path nil) or a variable: the members and
// array indexes below request.body.
type selectionPart struct {
	lit   string
	path  []selectionStep
	isVar bool
}

// selectionStep is one member name, or an array index when index >= 0.
type selectionStep struct {
	name  string
	index int
}

// parseSelectionExpression parses a WebSocket route selection expression
// as API Gateway reads selection expressions: "$" starts a variable, which
// runs over letters, digits, "_", "." and "[n]" or is delimited by "${"
// and "}"; "\$" is a literal "$". Only request.body variables are
// allowed for route selection.
func parseSelectionExpression(s string) (*selectionExpr, error) {
	e := &selectionExpr{}
	var lit strings.Builder
	flush := func() {
		if lit.Len() > 0 {
			e.parts = append(e.parts, selectionPart{lit: lit.String()})
			lit.Reset()
		}
	}
	for i := 0; i < len(s); {
		switch {
		case s[i] == '\\' && i+1 < len(s) && s[i+1] == '$':
			lit.WriteByte('$')
			i += 2
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			end := strings.IndexByte(s[i+2:], '}')
			if end < 0 {
				return nil, errors.New("unterminated ${ at offset " + strconv.Itoa(i))
			}
			name := s[i+2 : i+2+end]
			path, err := parseSelectionVariable(name)
			if err != nil {
				return nil, err
			}
			flush()
			e.parts = append(e.parts, selectionPart{path: path, isVar: true})
			i += 2 + end + 1
		case s[i] == '$':
			j := i + 1
			for j < len(s) && isSelectionVarByte(s[j]) {
				j++
			}
			path, err := parseSelectionVariable(strings.TrimRight(s[i+1:j], "."))
			if err != nil {
				return nil, err
			}
			flush()
			e.parts = append(e.parts, selectionPart{path: path, isVar: true})
			// A trailing dot ends the sentence, not the variable.
			i = i + 1 + len(strings.TrimRight(s[i+1:j], "."))
		default:
			lit.WriteByte(s[i])
			i++
		}
	}
	flush()
	if len(e.parts) == 0 {
		return nil, errors.New("the expression is empty")
	}
	return e, nil
}

func isSelectionVarByte(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_' || b == '.' || b == '[' || b == ']'
}

// parseSelectionVariable reads "request.body" followed by ".member" and
// "[n]" steps.
func parseSelectionVariable(name string) ([]selectionStep, error) {
	rest, ok := strings.CutPrefix(name, "request.body")
	if !ok {
		return nil, fmt.Errorf("variable $%s: route selection only reads $request.body", name)
	}
	path := []selectionStep{}
	for rest != "" {
		switch rest[0] {
		case '.':
			rest = rest[1:]
			n := 0
			for n < len(rest) && rest[n] != '.' && rest[n] != '[' {
				n++
			}
			if n == 0 {
				return nil, fmt.Errorf("variable $%s: empty member name", name)
			}
			for _, c := range []byte(rest[:n]) {
				if c == ']' {
					return nil, fmt.Errorf("variable $%s: unexpected ]", name)
				}
			}
			path = append(path, selectionStep{name: rest[:n], index: -1})
			rest = rest[n:]
		case '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("variable $%s: unterminated [", name)
			}
			idx, err := strconv.Atoi(rest[1:end])
			if err != nil || idx < 0 || rest[1] == '+' {
				return nil, fmt.Errorf("variable $%s: index %q is not a non-negative integer", name, rest[1:end])
			}
			path = append(path, selectionStep{index: idx})
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("variable $%s: unexpected %q after request.body", name, rest[0])
		}
	}
	return path, nil
}

// eval evaluates the expression for a message; ok is false when the
// message is not JSON or a variable is missing or null, and API Gateway
// then routes to $default. Strings are used as they are, other values as
// their JSON text.
func (e *selectionExpr) eval(body []byte) (string, bool) {
	var doc any
	parsed := false
	var out strings.Builder
	for _, p := range e.parts {
		if !p.isVar {
			out.WriteString(p.lit)
			continue
		}
		if !parsed {
			dec := json.NewDecoder(bytes.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&doc); err != nil {
				return "", false
			}
			if dec.More() {
				return "", false
			}
			parsed = true
		}
		v := doc
		for _, st := range p.path {
			if st.index >= 0 {
				arr, ok := v.([]any)
				if !ok || st.index >= len(arr) {
					return "", false
				}
				v = arr[st.index]
				continue
			}
			obj, ok := v.(map[string]any)
			if !ok {
				return "", false
			}
			if v, ok = obj[st.name]; !ok {
				return "", false
			}
		}
		switch x := v.(type) {
		case nil:
			return "", false
		case string:
			out.WriteString(x)
		case json.Number:
			out.WriteString(x.String())
		default:
			b, err := json.Marshal(x)
			if err != nil {
				return "", false
			}
			out.Write(b)
		}
	}
	return out.String(), true
}
