package dynamo

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Amazon Ion text, the ION format of exports and imports: one value per
// line, {Item:{...}}, preceded in exports by the version marker $ion_1_0.
// Strings are Ion strings, numbers Ion decimals (103. or 1.5), binaries
// blobs ({{base64}}), booleans and null as themselves, lists and maps as
// Ion lists and structs, and the three sets as lists annotated
// $dynamodb_SS::, $dynamodb_NS:: and $dynamodb_BS::.

const ionVersionMarker = "$ion_1_0"

// appendItemIon writes an item as an Ion struct, fields in name order.
func appendItemIon(dst []byte, item Item) []byte {
	names := make([]string, 0, len(item))
	for n := range item {
		names = append(names, n)
	}
	slices.Sort(names)
	dst = append(dst, '{')
	for i, n := range names {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendIonSymbol(dst, n)
		dst = append(dst, ':')
		dst = appendValueIon(dst, item[n])
	}
	return append(dst, '}')
}

func appendValueIon(dst []byte, v AttributeValue) []byte {
	switch v := v.(type) {
	case S:
		return appendIonString(dst, string(v), '"')
	case N:
		return appendIonDecimal(dst, string(v))
	case B:
		return appendIonBlob(dst, v)
	case BOOL:
		return strconv.AppendBool(dst, bool(v))
	case NULL:
		return append(dst, "null"...)
	case SS:
		dst = append(dst, "$dynamodb_SS::["...)
		for i, s := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendIonString(dst, s, '"')
		}
		return append(dst, ']')
	case NS:
		dst = append(dst, "$dynamodb_NS::["...)
		for i, s := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendIonDecimal(dst, s)
		}
		return append(dst, ']')
	case BS:
		dst = append(dst, "$dynamodb_BS::["...)
		for i, b := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendIonBlob(dst, b)
		}
		return append(dst, ']')
	case L:
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendValueIon(dst, e)
		}
		return append(dst, ']')
	case M:
		return appendItemIon(dst, Item(v))
	}
	return append(dst, "null"...)
}

// appendIonDecimal writes a canonical number as an Ion decimal: a number
// without a point gets one, since 103 alone would be an Ion integer.
func appendIonDecimal(dst []byte, n string) []byte {
	dst = append(dst, n...)
	if !strings.ContainsAny(n, ".eE") {
		dst = append(dst, '.')
	}
	return dst
}

func appendIonBlob(dst []byte, b []byte) []byte {
	dst = append(dst, "{{"...)
	dst = base64.StdEncoding.AppendEncode(dst, b)
	return append(dst, "}}"...)
}

// appendIonSymbol writes a field name: bare when it is an identifier
// that is not a keyword, quoted otherwise.
func appendIonSymbol(dst []byte, s string) []byte {
	if ionIdentifier(s) {
		return append(dst, s...)
	}
	return appendIonString(dst, s, '\'')
}

func ionIdentifier(s string) bool {
	if s == "" || s[0] == '$' || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	switch s {
	case "true", "false", "null", "nan":
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// appendIonString writes s between quote characters with Ion's escapes.
func appendIonString(dst []byte, s string, quote byte) []byte {
	dst = append(dst, quote)
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == quote || c == '\\':
			dst = append(dst, '\\', c)
		case c == '\n':
			dst = append(dst, `\n`...)
		case c == '\t':
			dst = append(dst, `\t`...)
		case c == '\r':
			dst = append(dst, `\r`...)
		case c < 0x20 || c == 0x7f:
			dst = fmt.Appendf(dst, `\x%02x`, c)
		case c < utf8.RuneSelf:
			dst = append(dst, c)
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, "\uFFFD"...)
			} else {
				dst = append(dst, s[i:i+size]...)
			}
			i += size
			continue
		}
		i++
	}
	return append(dst, quote)
}

// errIon is the error of malformed or unsupported Ion input.
var errIon = errors.New("malformed Amazon Ion text")

// ionParser reads the Ion text of one line.
type ionParser struct {
	s   string
	i   int
	err error
}

// decodeIonLine reads one import line, {Item:{...}} after an optional
// version marker, into an item.
func decodeIonLine(line string) (Item, error) {
	p := &ionParser{s: line}
	p.space()
	if strings.HasPrefix(p.s[p.i:], ionVersionMarker) {
		p.i += len(ionVersionMarker)
		p.space()
	}
	v := p.value(0)
	p.space()
	if p.err == nil && p.i < len(p.s) {
		p.fail("unexpected text after the value")
	}
	if p.err != nil {
		return nil, p.err
	}
	outer, ok := v.(M)
	if !ok || len(outer) != 1 {
		return nil, fmt.Errorf("%w: the line is not a struct {Item:{...}}", errIon)
	}
	item, ok := outer["Item"].(M)
	if !ok {
		return nil, fmt.Errorf("%w: the line is not a struct {Item:{...}}", errIon)
	}
	return Item(item), nil
}

func (p *ionParser) fail(msg string) {
	if p.err == nil {
		p.err = fmt.Errorf("%w at offset %d: %s", errIon, p.i, msg)
	}
}

// space skips white space and comments.
func (p *ionParser) space() {
	for p.i < len(p.s) {
		switch c := p.s[p.i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			p.i++
		case strings.HasPrefix(p.s[p.i:], "//"):
			p.i = len(p.s)
		case strings.HasPrefix(p.s[p.i:], "/*"):
			end := strings.Index(p.s[p.i+2:], "*/")
			if end < 0 {
				p.fail("unterminated comment")
				p.i = len(p.s)
				return
			}
			p.i += end + 4
		default:
			return
		}
	}
}

// value reads one value, with its annotations.
func (p *ionParser) value(depth int) AttributeValue {
	if depth > maxNestingDepth {
		p.fail("nested too deeply")
		return nil
	}
	p.space()
	var annot string
	for p.err == nil {
		start := p.i
		sym, ok := p.symbol()
		p.space()
		if ok && strings.HasPrefix(p.s[p.i:], "::") {
			p.i += 2
			p.space()
			annot = sym
			continue
		}
		p.i = start
		break
	}
	if p.err != nil {
		return nil
	}
	if annot != "" {
		return p.set(annot, depth)
	}
	if p.i >= len(p.s) {
		p.fail("missing value")
		return nil
	}
	switch c := p.s[p.i]; {
	case strings.HasPrefix(p.s[p.i:], "{{"):
		return p.blob()
	case c == '{':
		return p.structure(depth)
	case c == '[':
		var l L
		p.sequence(']', func() { l = append(l, p.value(depth+1)) })
		if l == nil {
			l = L{}
		}
		return l
	case c == '"':
		return S(p.quoted('"'))
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	sym, ok := p.symbol()
	switch {
	case !ok:
		p.fail("unexpected character")
		return nil
	case sym == "true" || sym == "false":
		return BOOL(sym == "true")
	case sym == "null":
		if p.i < len(p.s) && p.s[p.i] == '.' {
			p.i++
			p.symbol()
		}
		return NULL{}
	}
	return S(sym) // a bare symbol reads as its text
}

// set reads an annotated list as a string, number or binary set.
func (p *ionParser) set(annot string, depth int) AttributeValue {
	var vals []AttributeValue
	if p.i >= len(p.s) || p.s[p.i] != '[' {
		p.fail("an annotation must precede a list")
		return nil
	}
	p.sequence(']', func() { vals = append(vals, p.value(depth+1)) })
	if p.err != nil {
		return nil
	}
	switch annot {
	case "$dynamodb_SS":
		ss := SS{}
		for _, v := range vals {
			s, ok := v.(S)
			if !ok {
				p.fail("$dynamodb_SS holds a non-string")
				return nil
			}
			ss = append(ss, string(s))
		}
		return ss
	case "$dynamodb_NS":
		ns := NS{}
		for _, v := range vals {
			n, ok := v.(N)
			if !ok {
				p.fail("$dynamodb_NS holds a non-number")
				return nil
			}
			ns = append(ns, string(n))
		}
		return ns
	case "$dynamodb_BS":
		bs := BS{}
		for _, v := range vals {
			b, ok := v.(B)
			if !ok {
				p.fail("$dynamodb_BS holds a non-blob")
				return nil
			}
			bs = append(bs, b)
		}
		return bs
	}
	p.fail("unknown annotation " + annot)
	return nil
}

// sequence reads a comma-separated run of elements up to close.
func (p *ionParser) sequence(close byte, elem func()) {
	p.i++ // the opening bracket
	p.space()
	for p.err == nil {
		if p.i >= len(p.s) {
			p.fail("unterminated container")
			return
		}
		if p.s[p.i] == close {
			p.i++
			return
		}
		elem()
		p.space()
		if p.i < len(p.s) && p.s[p.i] == ',' {
			p.i++
			p.space()
		} else if p.i < len(p.s) && p.s[p.i] != close {
			p.fail("expected a comma")
		}
	}
}

func (p *ionParser) structure(depth int) AttributeValue {
	m := M{}
	p.sequence('}', func() {
		var name string
		switch {
		case p.i < len(p.s) && p.s[p.i] == '"':
			name = p.quoted('"')
		default:
			var ok bool
			if name, ok = p.symbol(); !ok {
				p.fail("expected a field name")
				return
			}
		}
		p.space()
		if p.i >= len(p.s) || p.s[p.i] != ':' {
			p.fail("expected a colon")
			return
		}
		p.i++
		m[name] = p.value(depth + 1)
	})
	return m
}

// symbol reads a bare identifier or a quoted symbol.
func (p *ionParser) symbol() (string, bool) {
	if p.i < len(p.s) && p.s[p.i] == '\'' {
		if strings.HasPrefix(p.s[p.i:], "'''") {
			return "", false
		}
		return p.quoted('\''), p.err == nil
	}
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		if c == '_' || c == '$' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || p.i > start && c >= '0' && c <= '9' {
			p.i++
			continue
		}
		break
	}
	return p.s[start:p.i], p.i > start
}

// quoted reads a string or quoted symbol with Ion's escapes.
func (p *ionParser) quoted(quote byte) string {
	p.i++
	var b strings.Builder
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == quote:
			p.i++
			return b.String()
		case c == '\\' && p.i+1 < len(p.s):
			p.i++
			e := p.s[p.i]
			p.i++
			switch e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			case '0':
				b.WriteByte(0)
			case 'x', 'u', 'U':
				n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
				if p.i+n > len(p.s) {
					p.fail("short escape")
					return ""
				}
				r, err := strconv.ParseUint(p.s[p.i:p.i+n], 16, 32)
				if err != nil || !utf8.ValidRune(rune(r)) {
					p.fail("bad escape")
					return ""
				}
				b.WriteRune(rune(r))
				p.i += n
			case '"', '\'', '\\', '/', '?':
				b.WriteByte(e)
			default:
				p.fail("unknown escape")
				return ""
			}
		case c == '\n':
			p.fail("newline in a string")
			return ""
		default:
			b.WriteByte(c)
			p.i++
		}
	}
	p.fail("unterminated string")
	return ""
}

// number reads an Ion integer or decimal (digits, a point, a d or e
// exponent) as a DynamoDB number.
func (p *ionParser) number() AttributeValue {
	start := p.i
	for p.i < len(p.s) && strings.IndexByte("0123456789+-.dDeE_", p.s[p.i]) >= 0 {
		p.i++
	}
	text := strings.ReplaceAll(p.s[start:p.i], "_", "")
	text = strings.NewReplacer("d", "e", "D", "e").Replace(text)
	if i := strings.IndexAny(text, "eE"); i > 0 && text[i-1] == '.' {
		text = text[:i-1] + text[i:] // 1.e5
	}
	text = strings.TrimSuffix(text, ".")
	n, err := canonicalNumber(text)
	if err != nil {
		p.fail("bad number " + strconv.Quote(p.s[start:p.i]))
		return nil
	}
	return N(n)
}

func (p *ionParser) blob() AttributeValue {
	end := strings.Index(p.s[p.i:], "}}")
	if end < 0 {
		p.fail("unterminated blob")
		return nil
	}
	text := strings.Join(strings.Fields(p.s[p.i+2:p.i+end]), "")
	p.i += end + 2
	b, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		p.fail("bad base64 in a blob")
		return nil
	}
	return B(b)
}
