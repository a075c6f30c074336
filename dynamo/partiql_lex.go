package dynamo

import (
	"strings"
	"unicode/utf8"
)

// The PartiQL lexer. DynamoDB's PartiQL quotes the way SQL does: double
// quotes around an identifier ("Music", "my-table", "a.b" as one name, ""
// for a quote inside), single quotes around a string ('it''s'). Keywords
// are case-insensitive; identifiers are attribute and table names and keep
// their case. Comments run from -- to the end of the line or between /*
// and */. A ? is a positional parameter. Backquoted Ion literals are not
// supported by DynamoDB, and lex as an error.

// pqlTokKind is the kind of one PartiQL token.
type pqlTokKind uint8

const (
	pqEOF    pqlTokKind = iota
	pqIdent             // a regular identifier or keyword, as written
	pqQuoted            // a double-quoted identifier, unescaped
	pqString            // a single-quoted string, unescaped
	pqNumber            // a numeric literal: digits, optional fraction and exponent
	pqParam             // ?
	pqPunct             // ( ) [ ] { } << >> , . : ; * = <> != < <= > >= + - / % ||
	pqBad               // what no token starts with, an unterminated string or comment
)

// pqlToken is one lexeme: its text (unescaped for strings and quoted
// identifiers), its byte span, and its line and column (both from 1) for
// DynamoDB's "at line:column:length" messages.
type pqlToken struct {
	kind      pqlTokKind
	text      string
	pos, end  int
	line, col int
}

// is reports whether t is the punctuation p.
func (t pqlToken) is(p string) bool { return t.kind == pqPunct && t.text == p }

// isKw reports whether t is the regular identifier kw in any letter case.
func (t pqlToken) isKw(kw string) bool { return t.kind == pqIdent && strings.EqualFold(t.text, kw) }

// isReserved reports whether t is a regular identifier that PartiQL
// reserves, and so cannot name an attribute or table without quotes.
func (t pqlToken) isReserved() bool {
	return t.kind == pqIdent && pqlReserved[strings.ToLower(t.text)]
}

// maxExponent is the largest exponent magnitude DynamoDB's PartiQL parser
// reads in a number literal (a 32-bit integer); larger ones are not well
// formed.
const maxExponent = 1<<31 - 1

// lexPartiQL splits src into tokens ending with pqEOF, or stops at the
// first pqBad token, which is then the last one.
func lexPartiQL(src string) []pqlToken {
	toks := make([]pqlToken, 0, len(src)/3+2)
	line, lineStart := 1, 0
	i := 0
	emit := func(kind pqlTokKind, text string, start, end int) {
		toks = append(toks, pqlToken{kind: kind, text: text, pos: start, end: end, line: line, col: start - lineStart + 1})
	}
	for {
		// Whitespace and comments.
		for i < len(src) {
			c := src[i]
			switch {
			case c == '\n':
				i++
				line, lineStart = line+1, i
			case c == ' ' || c == '\t' || c == '\r' || c == '\f':
				i++
			case c == '-' && i+1 < len(src) && src[i+1] == '-':
				for i < len(src) && src[i] != '\n' {
					i++
				}
			case c == '/' && i+1 < len(src) && src[i+1] == '*':
				end := strings.Index(src[i+2:], "*/")
				if end < 0 {
					emit(pqBad, src[i:], i, len(src))
					return toks
				}
				for _, r := range src[i : i+2+end+2] {
					if r == '\n' {
						line++
					}
				}
				i += 2 + end + 2
				if nl := strings.LastIndexByte(src[:i], '\n'); nl >= 0 {
					lineStart = nl + 1
				}
			default:
				goto token
			}
		}
		emit(pqEOF, "<EOF>", len(src), len(src))
		return toks
	token:
		start := i
		c := src[i]
		switch {
		case isPqlIdentStart(c):
			for i++; i < len(src) && isPqlIdentPart(src[i]); i++ {
			}
			emit(pqIdent, src[start:i], start, i)
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(src) && src[i+1] >= '0' && src[i+1] <= '9':
			end, ok := scanPqlNumber(src, i)
			if !ok {
				emit(pqBad, src[start:end], start, end)
				return toks
			}
			i = end
			emit(pqNumber, src[start:i], start, i)
		case c == '\'' || c == '"':
			text, end, ok := scanPqlQuoted(src, i, c)
			if !ok {
				emit(pqBad, src[start:], start, len(src))
				return toks
			}
			kind := pqString
			if c == '"' {
				kind = pqQuoted
			}
			i = end
			emit(kind, text, start, i)
		case c == '?':
			i++
			emit(pqParam, "?", start, i)
		default:
			n := pqlPunctLen(src[i:])
			if n == 0 {
				_, size := utf8.DecodeRuneInString(src[i:])
				emit(pqBad, src[i:i+size], i, i+size)
				return toks
			}
			i += n
			emit(pqPunct, src[start:i], start, i)
		}
	}
}

func isPqlIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}

func isPqlIdentPart(c byte) bool { return isPqlIdentStart(c) || c >= '0' && c <= '9' }

// scanPqlNumber scans a number literal at i and returns where it ends. It
// fails on an exponent beyond a 32-bit integer, which DynamoDB's parser
// cannot read.
func scanPqlNumber(src string, i int) (int, bool) {
	for i < len(src) && src[i] >= '0' && src[i] <= '9' {
		i++
	}
	frac := int64(0)
	if i < len(src) && src[i] == '.' {
		i++
		for i < len(src) && src[i] >= '0' && src[i] <= '9' {
			i++
			frac++
		}
	}
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		neg := false
		if j < len(src) && (src[j] == '+' || src[j] == '-') {
			neg = src[j] == '-'
			j++
		}
		digits := j
		exp := int64(0)
		for j < len(src) && src[j] >= '0' && src[j] <= '9' {
			if exp <= maxExponent {
				exp = exp*10 + int64(src[j]-'0')
			}
			j++
		}
		if j > digits {
			if neg {
				exp = -exp
			}
			// The parser keeps a decimal's scale (fraction digits less
			// the exponent) in a 32-bit integer too.
			if exp > maxExponent || exp < -maxExponent || frac-exp > maxExponent || frac-exp < -maxExponent-1 {
				return j, false
			}
			i = j
		}
	}
	return i, true
}

// scanPqlQuoted scans a string or quoted identifier opened by q at i,
// where a doubled quote stands for one, and returns its unescaped text
// and where it ends.
func scanPqlQuoted(src string, i int, q byte) (string, int, bool) {
	// Most strings hold no doubled quote: their text is a slice of src.
	if end := strings.IndexByte(src[i+1:], q); end >= 0 {
		j := i + 1 + end
		if j+1 >= len(src) || src[j+1] != q {
			return src[i+1 : j], j + 1, true
		}
	}
	var b strings.Builder
	i++
	for i < len(src) {
		c := src[i]
		if c == q {
			if i+1 < len(src) && src[i+1] == q {
				b.WriteByte(q)
				i += 2
				continue
			}
			return b.String(), i + 1, true
		}
		b.WriteByte(c)
		i++
	}
	return "", i, false
}

// pqlPunctLen returns the length of the punctuation s starts with, or 0.
func pqlPunctLen(s string) int {
	if len(s) >= 2 {
		switch s[:2] {
		case "<<", ">>", "<>", "!=", "<=", ">=", "||":
			return 2
		}
	}
	if strings.IndexByte("()[]{},.:;*=<>+-/%", s[0]) >= 0 {
		return 1
	}
	return 0
}

// pqlReserved holds PartiQL's reserved keywords, which DynamoDB's parser
// refuses as unquoted names (WHERE pad = 'x' is a syntax error, WHERE
// "pad" = 'x' is not). Source: "PartiQL Reserved Keywords",
// https://partiql.org/syntax/reserved-keywords-spec-version-2019.html.
var pqlReserved = func() map[string]bool {
	words := strings.Fields(`absolute action add all allocate alter and any are as asc assertion at
	authorization avg begin between bit bit_length by can_cast can_lossless_cast cascade cascaded case
	cast catalog char character character_length char_length check close coalesce collate collation
	column commit conflict connect connection constraint constraints continue convert corresponding
	count create cross current current_date current_time current_timestamp current_user cursor date
	date_add date_diff deallocate dec decimal declare default deferrable deferred delete desc describe
	descriptor diagnostics disconnect distinct do domain double drop else end end_exec escape except
	exception excluded exec execute exists explain external extract false fetch first float for foreign
	found from full get global go goto grant group having identity immediate in index indicator
	initially inner input insensitive insert int integer intersect interval into is isolation join key
	lag language last lateral lead left let level like limit local lower match max min missing modified
	module names national natural nchar new next no not nothing null nullif nulls numeric octet_length
	of offset old on only open option or order outer output over overlaps overlay pad partial partition
	pivot placing position precision prepare preserve primary prior privileges procedure public read
	real references relative remove replace restrict returning revoke right rollback rows schema scroll
	section select session session_user set shortest size smallint some space sql sqlcode sqlerror
	sqlstate substring sum system_user table temporary then time timestamp to transaction translate
	translation trim true union unique unknown unpivot update upper upsert usage user using value
	values varchar varying view when whenever where with work write zone`)
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}()
