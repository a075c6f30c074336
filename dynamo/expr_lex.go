package dynamo

import (
	"strings"
	"unicode/utf8"
)

// The expression lexer is shared by the five expression languages
// (condition, filter, key condition, update and projection). Whitespace
// separates tokens and is otherwise ignored. Keywords (AND, OR, NOT,
// BETWEEN, IN, SET, REMOVE, ADD, DELETE) are plain names to the lexer; the
// parser of each language decides which names it treats as keywords, and it
// does so without regard to letter case.

// tokKind is the kind of one expression token.
type tokKind uint8

const (
	tEOF      tokKind = iota // end of the expression
	tName                    // an attribute or function name: a letter, then letters, digits or '_'
	tNameRef                 // an expression attribute name: '#' then letters, digits or '_'
	tValueRef                // an expression attribute value: ':' then letters, digits or '_'
	tNumber                  // a run of decimal digits (only valid as a list index)
	tPunct                   // ( ) [ ] , . = <> < <= > >= + -
	tInvalid                 // any other character
)

// token is one lexeme with its byte span in the source.
type token struct {
	kind     tokKind
	text     string
	pos, end int
}

// is reports whether t is the punctuation p.
func (t token) is(p string) bool { return t.kind == tPunct && t.text == p }

// isKeyword reports whether t is the name kw in any letter case.
func (t token) isKeyword(kw string) bool {
	return t.kind == tName && strings.EqualFold(t.text, kw)
}

func isNameStart(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isNamePart(c byte) bool { return isNameStart(c) || c >= '0' && c <= '9' || c == '_' }

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lex splits src into tokens; the last token is always tEOF. It never
// fails: characters that start no token become tInvalid tokens, which the
// parser reports as syntax errors where it meets them.
func lex(src string) []token {
	toks := make([]token, 0, len(src)/2+2)
	i := 0
	for {
		for i < len(src) && isSpace(src[i]) {
			i++
		}
		if i >= len(src) {
			toks = append(toks, token{kind: tEOF, text: "<EOF>", pos: len(src), end: len(src)})
			return toks
		}
		start := i
		c := src[i]
		kind := tInvalid
		switch {
		case isNameStart(c):
			kind = tName
			for i++; i < len(src) && isNamePart(src[i]); i++ {
			}
		case c >= '0' && c <= '9':
			kind = tNumber
			for i++; i < len(src) && src[i] >= '0' && src[i] <= '9'; i++ {
			}
		case c == '#' || c == ':':
			j := i + 1
			for j < len(src) && isNamePart(src[j]) {
				j++
			}
			if j > i+1 {
				kind = tNameRef
				if c == ':' {
					kind = tValueRef
				}
				i = j
			} else {
				i++
			}
		case c == '<':
			kind = tPunct
			i++
			if i < len(src) && (src[i] == '=' || src[i] == '>') {
				i++
			}
		case c == '>':
			kind = tPunct
			i++
			if i < len(src) && src[i] == '=' {
				i++
			}
		case strings.IndexByte("()[],.=+-", c) >= 0:
			kind = tPunct
			i++
		default:
			_, size := utf8.DecodeRuneInString(src[i:])
			i += size
		}
		toks = append(toks, token{kind: kind, text: src[start:i], pos: start, end: i})
	}
}

// syntaxMessage is DynamoDB's report of an unexpected token:
//
//	Syntax error; token: "<tok>", near: "<prev> <tok> <next>"
//
// where near is the source text from the token before the offending one to
// the token after it (the end of the expression reads as "<EOF>" and adds
// nothing to near).
func syntaxMessage(src string, toks []token, at int) string {
	t := toks[at]
	start, end := t.pos, t.end
	if at > 0 {
		start = toks[at-1].pos
	}
	if t.kind == tEOF {
		if at > 0 {
			end = toks[at-1].end
		}
	} else if at+1 < len(toks) && toks[at+1].kind != tEOF {
		end = toks[at+1].end
	}
	return `Syntax error; token: "` + t.text + `", near: "` + src[start:end] + `"`
}
