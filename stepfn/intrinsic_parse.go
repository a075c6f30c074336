package stepfn

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// intrinsic is a compiled intrinsic function call, such as
// States.Format('Hello, {}!', $.name). Arguments are string literals in
// single quotes (with \' \{ \} and \\ escapes), numbers, true, false,
// null, paths into the input ($...) or the context object ($$...), and
// nested calls.
type intrinsic struct {
	fn   string
	args []intrinsicArg
}

type intrinsicArg struct {
	call    *intrinsic
	path    *jsonPath
	literal any
	raw     string // a string literal as written, escapes kept, for Format
}

// intrinsicArity is each function's argument count: {min, max}, max -1
// for no limit.
var intrinsicArity = map[string][2]int{
	"States.Format":         {1, -1},
	"States.StringToJson":   {1, 1},
	"States.JsonToString":   {1, 1},
	"States.Array":          {0, -1},
	"States.ArrayPartition": {2, 2},
	"States.ArrayContains":  {2, 2},
	"States.ArrayRange":     {3, 3},
	"States.ArrayGetItem":   {2, 2},
	"States.ArrayLength":    {1, 1},
	"States.ArrayUnique":    {1, 1},
	"States.Base64Encode":   {1, 1},
	"States.Base64Decode":   {1, 1},
	"States.Hash":           {2, 2},
	"States.JsonMerge":      {3, 3},
	"States.MathRandom":     {2, 3},
	"States.MathAdd":        {2, 2},
	"States.StringSplit":    {2, 2},
	"States.UUID":           {0, 0},
}

// maxIntrinsicDepth bounds nesting of calls in one expression.
const maxIntrinsicDepth = 10

// isIntrinsicCall reports whether a .$ value is an intrinsic call rather
// than a path.
func isIntrinsicCall(s string) bool { return strings.HasPrefix(strings.TrimSpace(s), "States.") }

// parseIntrinsic compiles an intrinsic function call and checks what can
// be checked before it runs: known function, argument counts, and the
// types of literal arguments.
func parseIntrinsic(src string) (*intrinsic, error) {
	p := &intrinsicParser{s: src}
	p.space()
	call, err := p.call(0)
	if err != nil {
		return nil, err
	}
	p.space()
	if p.pos != len(p.s) {
		return nil, fmt.Errorf("unexpected %q after the call", p.s[p.pos:])
	}
	return call, nil
}

type intrinsicParser struct {
	s   string
	pos int
}

func (p *intrinsicParser) space() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

func (p *intrinsicParser) call(depth int) (*intrinsic, error) {
	if depth >= maxIntrinsicDepth {
		return nil, fmt.Errorf("intrinsic functions nested more than %d deep", maxIntrinsicDepth)
	}
	start := p.pos
	for p.pos < len(p.s) && (isIdentByte(p.s[p.pos]) || p.s[p.pos] == '.') {
		p.pos++
	}
	name := p.s[start:p.pos]
	arity, ok := intrinsicArity[name]
	if !ok {
		return nil, fmt.Errorf("unknown intrinsic function %q", name)
	}
	p.space()
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return nil, fmt.Errorf("expected '(' after %s", name)
	}
	p.pos++
	c := &intrinsic{fn: name}
	p.space()
	if p.pos < len(p.s) && p.s[p.pos] == ')' {
		p.pos++
	} else {
		for {
			p.space()
			arg, err := p.arg(depth)
			if err != nil {
				return nil, err
			}
			c.args = append(c.args, arg)
			p.space()
			if p.pos >= len(p.s) {
				return nil, fmt.Errorf("missing ')' to close %s", name)
			}
			if p.s[p.pos] == ',' {
				p.pos++
				continue
			}
			if p.s[p.pos] == ')' {
				p.pos++
				break
			}
			return nil, fmt.Errorf("unexpected %q in the arguments of %s", p.s[p.pos], name)
		}
	}
	if len(c.args) < arity[0] || (arity[1] >= 0 && len(c.args) > arity[1]) {
		return nil, fmt.Errorf("%s takes %s, got %d", name, arityText(arity), len(c.args))
	}
	if err := c.checkLiterals(); err != nil {
		return nil, err
	}
	return c, nil
}

func arityText(a [2]int) string {
	switch {
	case a[1] < 0:
		return fmt.Sprintf("at least %d arguments", a[0])
	case a[0] == a[1]:
		return fmt.Sprintf("%d arguments", a[0])
	}
	return fmt.Sprintf("%d to %d arguments", a[0], a[1])
}

// validNumber reports whether s is a JSON number.
func validNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	_, err := strconv.ParseFloat(s, 64)
	return err == nil && json.Valid([]byte(s))
}

func isIdentByte(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
}

func (p *intrinsicParser) arg(depth int) (intrinsicArg, error) {
	if p.pos >= len(p.s) {
		return intrinsicArg{}, errors.New("missing argument")
	}
	switch c := p.s[p.pos]; {
	case c == '\'':
		return p.stringLit()
	case c == '$':
		return p.pathArg()
	case c == '-' || (c >= '0' && c <= '9'):
		start := p.pos
		p.pos++
		for p.pos < len(p.s) && strings.IndexByte("0123456789.eE+-", p.s[p.pos]) >= 0 {
			p.pos++
		}
		num := p.s[start:p.pos]
		if !validNumber(num) {
			return intrinsicArg{}, fmt.Errorf("bad number %q", num)
		}
		return intrinsicArg{literal: json.Number(num)}, nil
	case strings.HasPrefix(p.s[p.pos:], "States."):
		call, err := p.call(depth + 1)
		return intrinsicArg{call: call}, err
	}
	for _, w := range []struct {
		word string
		val  any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(p.s[p.pos:], w.word) {
			end := p.pos + len(w.word)
			if end == len(p.s) || !isIdentByte(p.s[end]) {
				p.pos = end
				return intrinsicArg{literal: w.val}, nil
			}
		}
	}
	return intrinsicArg{}, fmt.Errorf("unexpected %q in the arguments", p.s[p.pos:])
}

func (p *intrinsicParser) stringLit() (intrinsicArg, error) {
	p.pos++
	start := p.pos
	var b strings.Builder
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if c == '\\' {
			if p.pos+1 >= len(p.s) {
				break
			}
			n := p.s[p.pos+1]
			if n != '\'' && n != '{' && n != '}' && n != '\\' {
				return intrinsicArg{}, fmt.Errorf("invalid escape \\%c in a string literal", n)
			}
			b.WriteByte(n)
			p.pos += 2
			continue
		}
		if c == '\'' {
			raw := p.s[start:p.pos]
			p.pos++
			return intrinsicArg{literal: b.String(), raw: raw}, nil
		}
		b.WriteByte(c)
		p.pos++
	}
	return intrinsicArg{}, errors.New("unterminated string literal")
}

// pathArg reads a path up to the ',' or ')' that ends the argument.
func (p *intrinsicParser) pathArg() (intrinsicArg, error) {
	start := p.pos
	depth := 0
	var quote byte
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		if quote != 0 {
			if c == '\\' {
				p.pos += 2
				continue
			}
			if c == quote {
				quote = 0
			}
			p.pos++
			continue
		}
		if c == '\'' || c == '"' {
			quote = c
		} else if c == '[' || c == '(' {
			depth++
		} else if c == ']' || (c == ')' && depth > 0) {
			depth--
		} else if depth == 0 && (c == ',' || c == ')' || c == ' ') {
			break
		}
		p.pos++
	}
	p.pos = min(p.pos, len(p.s))
	src := p.s[start:p.pos]
	jp, err := parsePath(src)
	if err != nil {
		return intrinsicArg{}, fmt.Errorf("invalid path %q: %v", src, err)
	}
	return intrinsicArg{path: jp}, nil
}

// checkLiterals rejects literal arguments of the wrong type before the
// function ever runs.
func (c *intrinsic) checkLiterals() error {
	lit := func(i int) (any, bool) {
		a := c.args[i]
		if a.call != nil || a.path != nil {
			return nil, false
		}
		return a.literal, true
	}
	wantString := func(i int) error {
		if v, ok := lit(i); ok {
			if _, isStr := v.(string); !isStr {
				return fmt.Errorf("argument %d of %s must be a string", i+1, c.fn)
			}
		}
		return nil
	}
	wantInt := func(i int) error {
		if v, ok := lit(i); ok {
			if _, isInt := asInt(v); !isInt {
				return fmt.Errorf("argument %d of %s must be an integer", i+1, c.fn)
			}
		}
		return nil
	}
	var errs []error
	switch c.fn {
	case "States.Format":
		errs = append(errs, wantString(0))
	case "States.StringToJson", "States.Base64Encode", "States.Base64Decode":
		errs = append(errs, wantString(0))
	case "States.StringSplit":
		errs = append(errs, wantString(0), wantString(1))
	case "States.Hash":
		errs = append(errs, wantString(1))
		if v, ok := lit(1); ok {
			if _, known := hashAlgorithms[fmt.Sprint(v)]; !known {
				errs = append(errs, fmt.Errorf("unknown hash algorithm %v", v))
			}
		}
	case "States.ArrayRange":
		errs = append(errs, wantInt(0), wantInt(1), wantInt(2))
	case "States.ArrayPartition", "States.ArrayGetItem":
		errs = append(errs, wantInt(1))
	case "States.MathAdd":
		errs = append(errs, wantInt(0), wantInt(1))
	case "States.MathRandom":
		errs = append(errs, wantInt(0), wantInt(1))
		if len(c.args) == 3 {
			errs = append(errs, wantInt(2))
		}
	case "States.JsonMerge":
		if v, ok := lit(2); ok && v != false {
			errs = append(errs, errors.New("the third argument of States.JsonMerge must be false: deep merge is not supported"))
		}
	case "States.JsonToString":
		if c.args[0].path == nil {
			errs = append(errs, errors.New("the argument of States.JsonToString must be a path"))
		}
	}
	return errors.Join(errs...)
}
