package jsonata

import (
	"fmt"
	"regexp"
	"strings"
)

// compileJSRegex translates a JavaScript regular expression (the flavour
// JSONata regex literals are written in) to Go's RE2 syntax and compiles
// it. Constructs RE2 cannot run are rejected with an error rather than
// silently changed: lookahead and lookbehind ((?= (?! (?<= (?<!),
// backreferences (\1 .. \9, \k<name>) and the JS-only [^] class.
// Translated: \uXXXX and \u{XXXXX} escapes, \/ (an escaped slash), \d \w
// \s keep RE2's ASCII meaning (JavaScript's \s also matches Unicode
// spaces), and the i and m flags become (?i) and (?m).
func compileJSRegex(pattern, flags string) (*regexp.Regexp, error) {
	var b strings.Builder
	if flags != "" {
		b.WriteString("(?")
		if strings.Contains(flags, "i") {
			b.WriteString("i")
		}
		if strings.Contains(flags, "m") {
			b.WriteString("m")
		}
		b.WriteString(")")
	}
	rs := []rune(pattern)
	inClass := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '\\' && i+1 < len(rs):
			n := rs[i+1]
			switch {
			case n == 'u' && i+2 < len(rs) && rs[i+2] == '{':
				j := i + 3
				for j < len(rs) && rs[j] != '}' {
					j++
				}
				b.WriteString(`\x{` + string(rs[i+3:j]) + `}`)
				i = j
				continue
			case n == 'u' && i+5 < len(rs):
				b.WriteString(`\x{` + string(rs[i+2:i+6]) + `}`)
				i += 5
				continue
			case n >= '1' && n <= '9' && !inClass:
				return nil, fmt.Errorf("backreference \\%c is not supported", n)
			case n == 'k' && !inClass:
				return nil, fmt.Errorf("named backreference is not supported")
			case n == '/':
				b.WriteString("/")
				i++
				continue
			case n == '0':
				b.WriteString(`\x00`)
				i++
				continue
			case (n >= 'a' && n <= 'z' || n >= 'A' && n <= 'Z') && !strings.ContainsRune("dDwWsSbBfnrtvcx", n):
				// JavaScript reads an unknown letter escape as the letter
				// itself (Go gives \Q, \z, \p... other meanings)
				b.WriteString(regexp.QuoteMeta(string(n)))
				i++
				continue
			}
			b.WriteRune(c)
			b.WriteRune(n)
			i++
			continue
		case c == '[' && !inClass:
			if i+2 < len(rs) && rs[i+1] == '^' && rs[i+2] == ']' {
				b.WriteString(`[\x{0}-\x{10FFFF}]`)
				i += 2
				continue
			}
			if i+1 < len(rs) && rs[i+1] == ']' {
				// JS [] never matches
				b.WriteString(`[^\x{0}-\x{10FFFF}]`)
				i++
				continue
			}
			inClass = true
		case c == ']' && inClass:
			inClass = false
		case c == '(' && !inClass && i+2 < len(rs) && rs[i+1] == '?':
			if rs[i+2] == '=' || rs[i+2] == '!' {
				return nil, fmt.Errorf("lookahead is not supported")
			}
			if rs[i+2] == '<' && i+3 < len(rs) && (rs[i+3] == '=' || rs[i+3] == '!') {
				return nil, fmt.Errorf("lookbehind is not supported")
			}
		}
		b.WriteRune(c)
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, err
	}
	return re, nil
}
