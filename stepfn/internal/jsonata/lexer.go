package jsonata

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
)

type tokKind int

const (
	tEnd tokKind = iota
	tOp
	tName
	tVar
	tStr
	tNum
	tVal
	tRegex
)

type token struct {
	kind tokKind
	val  string // operator, name, variable name, string value
	num  float64
	lit  any // true/false/nil for tVal
	re   *regexp.Regexp
	src  string // regex source for tRegex
	pos  int    // offset just after the token (jsonata-js convention)
}

// operator binding powers as jsonata defines them.
var bindingPower = map[string]int{
	".": 75, "[": 80, "]": 0, "{": 70, "}": 0, "(": 80, ")": 0, ",": 0,
	"@": 80, "#": 80, ";": 80, ":": 80, "?": 20, "+": 50, "-": 50, "*": 60,
	"/": 60, "%": 60, "|": 20, "=": 40, "<": 40, ">": 40, "^": 40, "**": 60,
	"..": 20, ":=": 10, "!=": 40, "<=": 40, ">=": 40, "~>": 40, "?:": 40, "??": 40,
	"and": 30, "or": 25, "in": 40, "&": 50, "!": 0, "~": 0,
}

// lbp is the left binding power the parser uses (some symbols are
// declared without one in jsonata's parser and so bind at 0).
func lbp(t token) int {
	if t.kind != tOp {
		return 0
	}
	switch t.val {
	case "..", "|", "**", ":", ";", ",", ")", "]", "}", "!", "~":
		return 0
	}
	return bindingPower[t.val]
}

type lexer struct {
	src []rune
	pos int
}

func isSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '\v'
}

func isOpChar(r rune) bool {
	switch r {
	case '.', '[', ']', '{', '}', '(', ')', ',', '@', '#', ';', ':', '?', '+', '-', '*', '/', '%', '|', '=', '<', '>', '^', '&', '!', '~':
		return true
	}
	return false
}

func (l *lexer) at(i int) rune {
	if i < 0 || i >= len(l.src) {
		return 0
	}
	return l.src[i]
}

// next returns the next token; infix says the previous token was an
// operand, so '/' is division rather than the start of a regex.
func (l *lexer) next(infix bool) (token, *Error) {
	for {
		for l.pos < len(l.src) && isSpace(l.src[l.pos]) {
			l.pos++
		}
		if l.at(l.pos) == '/' && l.at(l.pos+1) == '*' {
			start := l.pos
			l.pos += 2
			for !(l.at(l.pos) == '*' && l.at(l.pos+1) == '/') {
				l.pos++
				if l.pos >= len(l.src) {
					return token{}, errp("S0106", start, "")
				}
			}
			l.pos += 2
			continue
		}
		break
	}
	if l.pos >= len(l.src) {
		return token{kind: tEnd, pos: len(l.src)}, nil
	}
	c := l.src[l.pos]
	if !infix && c == '/' {
		l.pos++
		return l.scanRegex()
	}
	two := string(c) + string(l.at(l.pos+1))
	switch two {
	case "..", ":=", "!=", ">=", "<=", "**", "~>", "?:", "??":
		l.pos += 2
		return token{kind: tOp, val: two, pos: l.pos}, nil
	}
	if isOpChar(c) {
		l.pos++
		return token{kind: tOp, val: string(c), pos: l.pos}, nil
	}
	if c == '"' || c == '\'' {
		return l.scanString(c)
	}
	if c >= '0' && c <= '9' {
		return l.scanNumber()
	}
	if c == '`' {
		l.pos++
		start := l.pos
		for l.pos < len(l.src) && l.src[l.pos] != '`' {
			l.pos++
		}
		if l.pos >= len(l.src) {
			return token{}, errp("S0105", len(l.src), "")
		}
		name := string(l.src[start:l.pos])
		l.pos++
		return token{kind: tName, val: name, pos: l.pos}, nil
	}
	i := l.pos
	for i < len(l.src) && !isSpace(l.src[i]) && !isOpChar(l.src[i]) {
		i++
	}
	if c == '$' {
		name := string(l.src[l.pos+1 : i])
		l.pos = i
		return token{kind: tVar, val: name, pos: l.pos}, nil
	}
	name := string(l.src[l.pos:i])
	l.pos = i
	switch name {
	case "and", "or", "in":
		return token{kind: tOp, val: name, pos: l.pos}, nil
	case "true":
		return token{kind: tVal, lit: true, val: name, pos: l.pos}, nil
	case "false":
		return token{kind: tVal, lit: false, val: name, pos: l.pos}, nil
	case "null":
		return token{kind: tVal, lit: nil, val: name, pos: l.pos}, nil
	}
	return token{kind: tName, val: name, pos: l.pos}, nil
}

func (l *lexer) scanNumber() (token, *Error) {
	start := l.pos
	i := l.pos
	if l.at(i) == '0' {
		i++
	} else {
		for l.at(i) >= '0' && l.at(i) <= '9' {
			i++
		}
	}
	if l.at(i) == '.' && l.at(i+1) >= '0' && l.at(i+1) <= '9' {
		i++
		for l.at(i) >= '0' && l.at(i) <= '9' {
			i++
		}
	}
	if l.at(i) == 'e' || l.at(i) == 'E' {
		j := i + 1
		if l.at(j) == '+' || l.at(j) == '-' {
			j++
		}
		if l.at(j) >= '0' && l.at(j) <= '9' {
			for l.at(j) >= '0' && l.at(j) <= '9' {
				j++
			}
			i = j
		}
	}
	text := string(l.src[start:i])
	f, err := strconv.ParseFloat(text, 64)
	if err != nil {
		return token{}, errp("S0102", start, text)
	}
	l.pos = i
	return token{kind: tNum, num: f, val: text, pos: l.pos}, nil
}

func (l *lexer) scanString(q rune) (token, *Error) {
	l.pos++
	var b strings.Builder
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '\\' {
			l.pos++
			c = l.at(l.pos)
			switch c {
			case '"', '\\', '/':
				b.WriteRune(c)
			case 'b':
				b.WriteByte('\b')
			case 'f':
				b.WriteByte('\f')
			case 'n':
				b.WriteByte('\n')
			case 'r':
				b.WriteByte('\r')
			case 't':
				b.WriteByte('\t')
			case 'u':
				cp, ok := l.hex4(l.pos + 1)
				if !ok {
					return token{}, errp("S0104", l.pos, "")
				}
				l.pos += 4
				// combine a surrogate pair written as two escapes
				if utf16.IsSurrogate(rune(cp)) && l.at(l.pos+1) == '\\' && l.at(l.pos+2) == 'u' {
					if lo, ok := l.hex4(l.pos + 3); ok {
						if r := utf16.DecodeRune(rune(cp), rune(lo)); r != 0xFFFD {
							b.WriteRune(r)
							l.pos += 6
							break
						}
					}
				}
				b.WriteRune(rune(cp))
			default:
				return token{}, errp("S0103", l.pos, string(c))
			}
		} else if c == q {
			l.pos++
			return token{kind: tStr, val: b.String(), pos: l.pos}, nil
		} else {
			b.WriteRune(c)
		}
		l.pos++
	}
	return token{}, errp("S0101", l.pos, "")
}

func (l *lexer) hex4(i int) (int, bool) {
	if i+4 > len(l.src) {
		return 0, false
	}
	v, err := strconv.ParseUint(string(l.src[i:i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return int(v), true
}

func (l *lexer) scanRegex() (token, *Error) {
	start := l.pos
	depth := 0
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		if c == '/' && depth == 0 {
			bs := 0
			for l.at(l.pos-(bs+1)) == '\\' {
				bs++
			}
			if bs%2 == 0 {
				pattern := string(l.src[start:l.pos])
				if pattern == "" {
					return token{}, errp("S0301", l.pos, "")
				}
				l.pos++
				fstart := l.pos
				for l.at(l.pos) == 'i' || l.at(l.pos) == 'm' {
					l.pos++
				}
				flags := string(l.src[fstart:l.pos])
				re, err := compileJSRegex(pattern, flags)
				if err != nil {
					return token{}, errv("S0303", l.pos, pattern, err.Error())
				}
				return token{kind: tRegex, re: re, src: "/" + pattern + "/" + flags, pos: l.pos}, nil
			}
		}
		if (c == '(' || c == '[' || c == '{') && l.at(l.pos-1) != '\\' {
			depth++
		}
		if (c == ')' || c == ']' || c == '}') && l.at(l.pos-1) != '\\' {
			depth--
		}
		l.pos++
	}
	return token{}, errp("S0302", l.pos, "")
}
