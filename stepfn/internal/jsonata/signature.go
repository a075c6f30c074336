package jsonata

import (
	"regexp"
	"strings"
	"sync"
)

// sigParam is one parameter of a function signature.
type sigParam struct {
	typ          string // symbol: s n b l a o f j x, or "(...)" for a choice
	regex        string
	context      bool
	contextRegex *regexp.Regexp
	subtype      string
	optional     bool
}

// signature is a parsed JSONata function signature such as "<s-n?:s>".
type signature struct {
	src    string
	params []sigParam
	re     *regexp.Regexp
}

var arraySubtypeNames = map[string]string{
	"a": "arrays", "b": "booleans", "f": "functions", "n": "numbers",
	"o": "objects", "s": "strings",
}

// parseSignature parses a signature as jsonata-js does, ignoring
// characters it does not know. Error positions are offsets within the
// signature text.
func parseSignature(src string) (*signature, *Error) { return parseSig(src, false) }

// parseStrictSignature is parseSignature for the signatures of Go
// functions (Env.Funcs): any character that is not part of the signature
// syntax is an error (S0403), so typos are caught.
func parseStrictSignature(src string) (*signature, *Error) {
	if s, ok := strictSignatures.Load(src); ok {
		return s.(*signature), nil
	}
	s, err := parseSig(src, true)
	if err == nil {
		strictSignatures.Store(src, s)
	}
	return s, err
}

// strictSignatures remembers the parsed signatures of Env.Funcs: an
// evaluator binds them on every Eval, and a parsed signature (with its
// compiled regexp) is never changed after parsing, so one is shared.
var strictSignatures sync.Map

func parseSig(src string, strict bool) (*signature, *Error) {
	if strict && (!strings.HasPrefix(src, "<") || !strings.HasSuffix(src, ">")) {
		return nil, errv("S0403", 0, src, src)
	}
	sig := &signature{src: src}
	rs := []rune(src)
	var prev *sigParam
	pos := 1
	for pos < len(rs) {
		c := rs[pos]
		if c == ':' {
			break
		}
		switch c {
		case 's', 'n', 'b', 'l', 'o':
			sig.params = append(sig.params, sigParam{typ: string(c), regex: "[" + string(c) + "m]"})
			prev = &sig.params[len(sig.params)-1]
		case 'a':
			sig.params = append(sig.params, sigParam{typ: "a", regex: "[asnblfom]"})
			prev = &sig.params[len(sig.params)-1]
		case 'f':
			sig.params = append(sig.params, sigParam{typ: "f", regex: "f"})
			prev = &sig.params[len(sig.params)-1]
		case 'j':
			sig.params = append(sig.params, sigParam{typ: "j", regex: "[asnblom]"})
			prev = &sig.params[len(sig.params)-1]
		case 'x':
			sig.params = append(sig.params, sigParam{typ: "x", regex: "[asnblfom]"})
			prev = &sig.params[len(sig.params)-1]
		case '-':
			if prev == nil {
				if strict {
					return nil, errv("S0403", pos, src, src)
				}
				break
			}
			prev.context = true
			re, err := regexp.Compile("^" + prev.regex + "$")
			if err != nil {
				return nil, errv("S0403", pos, src, src)
			}
			prev.contextRegex = re
			prev.regex += "?"
		case '?', '+':
			if prev == nil {
				if strict {
					return nil, errv("S0403", pos, src, src)
				}
				break
			}
			if c == '?' {
				prev.optional = true
			}
			prev.regex += string(c)
		case '(':
			end := pos + 1
			for end < len(rs) && rs[end] != ')' {
				if rs[end] == '<' {
					return nil, errp("S0402", end, src)
				}
				end++
			}
			if end >= len(rs) {
				return nil, errv("S0403", pos, src, src)
			}
			choice := string(rs[pos+1 : end])
			sig.params = append(sig.params, sigParam{typ: "(" + choice + ")", regex: "[" + choice + "m]"})
			prev = &sig.params[len(sig.params)-1]
			pos = end
		case '<':
			if prev == nil || (prev.typ != "a" && prev.typ != "f") {
				return nil, errp("S0401", pos, src)
			}
			depth := 1
			end := pos + 1
			for end < len(rs) && depth > 0 {
				if rs[end] == '<' {
					depth++
				} else if rs[end] == '>' {
					depth--
				}
				end++
			}
			if depth != 0 {
				return nil, errv("S0403", pos, src, src)
			}
			prev.subtype = string(rs[pos+1 : end-1])
			pos = end - 1
		case '>':
			// the end of the signature
		default:
			// like jsonata-js, other characters are ignored (strict: error)
			if strict {
				return nil, errv("S0403", pos, src, src)
			}
		}
		pos++
	}
	var b strings.Builder
	b.WriteString("^")
	for _, p := range sig.params {
		b.WriteString("(" + p.regex + ")")
	}
	b.WriteString("$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, errv("S0403", 0, src, src)
	}
	sig.re = re
	return sig, nil
}

func mustSig(src string) *signature {
	s, err := parseSignature(src)
	if err != nil {
		panic("jsonata: bad builtin signature " + src)
	}
	return s
}

// symbol is the signature letter for a value's type.
func symbol(v any) byte {
	if IsFunction(v) {
		return 'f'
	}
	if isNumber(v) {
		return 'n'
	}
	switch v.(type) {
	case undef:
		return 'm'
	case string:
		return 's'
	case bool:
		return 'b'
	case nil:
		return 'l'
	case []any, *seq:
		return 'a'
	case map[string]any:
		return 'o'
	}
	return 'm'
}

// validate checks args against the signature, substitutes the context
// value for a missing context argument and wraps single values where an
// array is expected. With group (lambda signatures) the arguments matched
// by a variadic parameter (+) are passed as one array, as jsonata-js 2
// does; builtins receive them spread.
func (s *signature) validate(args []any, context any, name string, pos int, group bool) ([]any, *Error) {
	sym := make([]byte, len(args))
	for i, a := range args {
		sym[i] = symbol(a)
	}
	m := s.re.FindStringSubmatchIndex(string(sym))
	if m == nil {
		return nil, s.validationError(args, string(sym), name, pos)
	}
	out := make([]any, 0, len(s.params))
	argIndex := 0
	for i, p := range s.params {
		start, end := m[2*i+2], m[2*i+3]
		match := ""
		if start >= 0 {
			match = string(sym[start:end])
		}
		if match == "" {
			if p.context && p.contextRegex != nil {
				ct := string([]byte{symbol(context)})
				if p.contextRegex.MatchString(ct) {
					out = append(out, context)
				} else {
					return nil, newError("T0411", pos, name, errInfo{value: context, hasValue: true, index: argIndex + 1})
				}
			} else {
				// an optional parameter with no argument: undefined, and
				// the argument list does not move on
				out = append(out, Undefined)
			}
			continue
		}
		variadic := group && strings.HasSuffix(p.regex, "+")
		var collected []any
		for _, single := range []byte(match) {
			arg := args[argIndex]
			if p.typ == "a" {
				if single == 'm' {
					arg = Undefined
				} else {
					ok := true
					if p.subtype != "" {
						if single != 'a' && string(single) != p.subtype {
							ok = false
						} else if single == 'a' {
							items, _ := asArray(arg)
							if len(items) > 0 {
								it := symbol(items[0])
								if string(it) != p.subtype[:1] {
									ok = false
								} else {
									for _, x := range items {
										if symbol(x) != it {
											ok = false
											break
										}
									}
								}
							}
						}
					}
					if !ok {
						return nil, newError("T0412", pos, name, errInfo{value: arg, hasValue: true, index: argIndex + 1, typ: arraySubtypeNames[p.subtype]})
					}
					if single != 'a' {
						arg = []any{arg}
					}
				}
			}
			if variadic {
				collected = append(collected, arg)
			} else {
				out = append(out, arg)
			}
			argIndex++
		}
		if variadic {
			out = append(out, collected)
		}
	}
	return out, nil
}

func (s *signature) validationError(args []any, sym, name string, pos int) *Error {
	partial := "^"
	good := 0
	for _, p := range s.params {
		partial += "(" + p.regex + ")"
		re, err := regexp.Compile(partial)
		if err != nil {
			break
		}
		loc := re.FindStringIndex(sym)
		if loc == nil {
			var v any = Undefined
			if good < len(args) {
				v = args[good]
			}
			return newError("T0410", pos, name, errInfo{value: v, hasValue: true, index: good + 1})
		}
		good = loc[1]
	}
	var v any = Undefined
	if good < len(args) {
		v = args[good]
	}
	return newError("T0410", pos, name, errInfo{value: v, hasValue: true, index: good + 1})
}
