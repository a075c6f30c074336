package wire

import (
	"fmt"
	"strconv"
	"sync"
	"unicode/utf16"
	"unicode/utf8"
)

// kind is the JSON type of a parsed node.
type kind uint8

const (
	kindNull kind = iota
	kindBool
	kindNumber
	kindString
	kindArray
	kindObject
)

// node is one parsed JSON value. Objects keep their members in document
// order (DynamoDB checks types in the order they come), and a number keeps
// its literal text so that nothing is lost to float64.
type node struct {
	kind    kind
	b       bool     // kindBool
	text    string   // kindString: the unescaped text; kindNumber: the literal
	members []member // kindObject: the members; kindArray: the elements, unnamed
}

// member is one name/value pair of a JSON object, or one element of an
// array (with no name).
type member struct {
	name  string
	value node
}

// maxJSONDepth bounds the nesting of arrays and objects in a request.
// DynamoDB's deepest legal request nests 32 levels of L and M values, each
// two JSON levels deep, plus a few levels of request structure; anything
// much deeper cannot be a valid request and is refused before it can
// exhaust the stack.
const maxJSONDepth = 256

// syntaxError is a malformed JSON body.
type syntaxError struct {
	msg    string
	offset int
}

func (e *syntaxError) Error() string {
	return fmt.Sprintf("%s at offset %d", e.msg, e.offset)
}

// errTooDeep is returned for a document nested deeper than maxJSONDepth.
var errTooDeep = &syntaxError{msg: "nesting too deep"}

// parseJSON parses one JSON document (RFC 8259): a value surrounded by
// optional whitespace. Strings must be valid UTF-8; escapes are decoded,
// and unpaired surrogates become U+FFFD.
func parseJSON(data []byte) (node, error) {
	p := parser{data: data}
	return p.parse()
}

// parse parses p.data as parseJSON does.
func (p *parser) parse() (node, error) {
	p.skipSpace()
	n, err := p.value(0)
	if err != nil {
		return node{}, err
	}
	p.skipSpace()
	if p.pos != len(p.data) {
		return node{}, p.errorf("invalid character %s after top-level value", p.quoteChar())
	}
	return n, nil
}

type parser struct {
	data []byte
	pos  int

	// scratch holds the members of the objects and arrays being parsed,
	// innermost last; a finished container moves its own to the arena.
	scratch []member
	// arena is the backing store the finished containers' member slices
	// are carved from, so that a document costs a few allocations rather
	// than one or more per container.
	arena []member
	// window is a copy of a stretch of data as a string: strings without
	// escapes that fall inside it are sliced from it rather than copied
	// one by one. It is kept short so that a string that outlives the
	// request (an attribute of a stored item) pins little else.
	window      string
	windowStart int
}

// windowBytes is the length of the string windows of a parser.
const windowBytes = 1024

// maxPooledMembers bounds the scratch and arena a pooled parser keeps, so
// that one large request does not keep its memory for good.
const maxPooledMembers = 4096

// parserPool recycles parsers, with their scratch stacks and arenas, from
// one request to the next.
var parserPool = sync.Pool{New: func() any { return new(parser) }}

// newParser returns a parser for data from the pool. The nodes it parses
// are valid until it is released.
func newParser(data []byte) *parser {
	p := parserPool.Get().(*parser)
	p.data = data
	return p
}

// release returns p to the pool. Nothing it parsed may be used after.
func (p *parser) release() {
	// What finish popped it cleared; what is left on the stack (after an
	// error) and in the arena refers to strings and slices that may go.
	clear(p.scratch)
	clear(p.arena)
	*p = parser{scratch: p.scratch[:0], arena: p.arena[:0]}
	if cap(p.scratch) > maxPooledMembers {
		p.scratch = nil
	}
	if cap(p.arena) > maxPooledMembers {
		p.arena = nil
	}
	parserPool.Put(p)
}

// push appends m to the scratch stack.
func (p *parser) push(m member) {
	p.scratch = append(p.scratch, m)
}

// finish moves the scratch members from base on into an exactly sized
// slice of the arena and pops them.
func (p *parser) finish(base int) []member {
	n := len(p.scratch) - base
	if cap(p.arena)-len(p.arena) < n {
		size := max(n, 2*cap(p.arena), len(p.data)/12+4)
		p.arena = make([]member, 0, size)
	}
	start := len(p.arena)
	p.arena = append(p.arena, p.scratch[base:]...)
	clear(p.scratch[base:])
	p.scratch = p.scratch[:base]
	return p.arena[start:len(p.arena):len(p.arena)]
}

// text returns data[start:end] as a string, sliced from the current
// window when it fits there, from a new window when it is short enough,
// and copied on its own otherwise.
func (p *parser) text(start, end int) string {
	if start >= p.windowStart && end <= p.windowStart+len(p.window) {
		return p.window[start-p.windowStart : end-p.windowStart]
	}
	if end-start > windowBytes/4 {
		return string(p.data[start:end])
	}
	p.windowStart = start
	p.window = string(p.data[start:min(start+windowBytes, len(p.data))])
	return p.window[:end-start]
}

func (p *parser) errorf(format string, args ...any) error {
	return &syntaxError{msg: fmt.Sprintf(format, args...), offset: p.pos}
}

func (p *parser) quoteChar() string {
	if p.pos >= len(p.data) {
		return "end of input"
	}
	r, _ := utf8.DecodeRune(p.data[p.pos:])
	return strconv.QuoteRune(r)
}

func (p *parser) skipSpace() {
	for p.pos < len(p.data) {
		switch p.data[p.pos] {
		case ' ', '\t', '\n', '\r':
			p.pos++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (node, error) {
	if p.pos >= len(p.data) {
		return node{}, p.errorf("unexpected end of input")
	}
	switch c := p.data[p.pos]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		s, err := p.string()
		return node{kind: kindString, text: s}, err
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case c == 't':
		return node{kind: kindBool, b: true}, p.literal("true")
	case c == 'f':
		return node{kind: kindBool}, p.literal("false")
	case c == 'n':
		return node{kind: kindNull}, p.literal("null")
	default:
		return node{}, p.errorf("invalid character %s looking for beginning of value", p.quoteChar())
	}
}

func (p *parser) literal(word string) error {
	if len(p.data)-p.pos < len(word) || string(p.data[p.pos:p.pos+len(word)]) != word {
		return p.errorf("invalid literal, expected %q", word)
	}
	p.pos += len(word)
	return nil
}

func (p *parser) object(depth int) (node, error) {
	if depth > maxJSONDepth {
		return node{}, errTooDeep
	}
	p.pos++ // '{'
	n := node{kind: kindObject}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == '}' {
		p.pos++
		return n, nil
	}
	base := len(p.scratch)
	for {
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != '"' {
			return node{}, p.errorf("invalid character %s looking for beginning of object key string", p.quoteChar())
		}
		name, err := p.string()
		if err != nil {
			return node{}, err
		}
		p.skipSpace()
		if p.pos >= len(p.data) || p.data[p.pos] != ':' {
			return node{}, p.errorf("invalid character %s after object key", p.quoteChar())
		}
		p.pos++
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		p.push(member{name: name, value: v})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return node{}, p.errorf("unexpected end of input in object")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case '}':
			p.pos++
			n.members = p.finish(base)
			return n, nil
		default:
			return node{}, p.errorf("invalid character %s after object key:value pair", p.quoteChar())
		}
	}
}

func (p *parser) array(depth int) (node, error) {
	if depth > maxJSONDepth {
		return node{}, errTooDeep
	}
	p.pos++ // '['
	n := node{kind: kindArray}
	p.skipSpace()
	if p.pos < len(p.data) && p.data[p.pos] == ']' {
		p.pos++
		return n, nil
	}
	base := len(p.scratch)
	for {
		p.skipSpace()
		v, err := p.value(depth)
		if err != nil {
			return node{}, err
		}
		p.push(member{value: v})
		p.skipSpace()
		if p.pos >= len(p.data) {
			return node{}, p.errorf("unexpected end of input in array")
		}
		switch p.data[p.pos] {
		case ',':
			p.pos++
		case ']':
			p.pos++
			n.members = p.finish(base)
			return n, nil
		default:
			return node{}, p.errorf("invalid character %s after array element", p.quoteChar())
		}
	}
}

func (p *parser) number() (node, error) {
	start := p.pos
	digits := func() int {
		n := 0
		for p.pos < len(p.data) && p.data[p.pos] >= '0' && p.data[p.pos] <= '9' {
			p.pos++
			n++
		}
		return n
	}
	if p.data[p.pos] == '-' {
		p.pos++
	}
	if p.pos < len(p.data) && p.data[p.pos] == '0' {
		p.pos++
	} else if digits() == 0 {
		return node{}, p.errorf("invalid character %s in numeric literal", p.quoteChar())
	}
	if p.pos < len(p.data) && p.data[p.pos] == '.' {
		p.pos++
		if digits() == 0 {
			return node{}, p.errorf("invalid character %s after decimal point in numeric literal", p.quoteChar())
		}
	}
	if p.pos < len(p.data) && (p.data[p.pos] == 'e' || p.data[p.pos] == 'E') {
		p.pos++
		if p.pos < len(p.data) && (p.data[p.pos] == '+' || p.data[p.pos] == '-') {
			p.pos++
		}
		if digits() == 0 {
			return node{}, p.errorf("invalid character %s in exponent of numeric literal", p.quoteChar())
		}
	}
	return node{kind: kindNumber, text: p.text(start, p.pos)}, nil
}

// string parses a quoted string at p.pos and returns its unescaped text.
func (p *parser) string() (string, error) {
	p.pos++ // opening quote
	start := p.pos
	// Fast path: no escapes, all ASCII or valid UTF-8.
	ascii := true
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		if c == '"' {
			if !ascii && !utf8.Valid(p.data[start:p.pos]) {
				return "", p.errorf("invalid UTF-8 in string")
			}
			p.pos++
			return p.text(start, p.pos-1), nil
		}
		if c == '\\' {
			break
		}
		if c < 0x20 {
			return "", p.errorf("invalid control character %#x in string literal", c)
		}
		ascii = ascii && c < utf8.RuneSelf
		p.pos++
	}
	buf := append([]byte(nil), p.data[start:p.pos]...)
	for p.pos < len(p.data) {
		c := p.data[p.pos]
		switch {
		case c == '"':
			if !utf8.Valid(buf) {
				return "", p.errorf("invalid UTF-8 in string")
			}
			p.pos++
			return string(buf), nil
		case c < 0x20:
			return "", p.errorf("invalid control character %#x in string literal", c)
		case c != '\\':
			buf = append(buf, c)
			p.pos++
			continue
		}
		p.pos++ // backslash
		if p.pos >= len(p.data) {
			break
		}
		e := p.data[p.pos]
		p.pos++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := p.hex4()
			if !ok {
				return "", p.errorf("invalid \\u escape in string literal")
			}
			if utf16.IsSurrogate(r) {
				// A high surrogate followed by a low one is one rune;
				// anything else is replaced, as encoding/json does.
				save := p.pos
				if p.pos+1 < len(p.data) && p.data[p.pos] == '\\' && p.data[p.pos+1] == 'u' {
					p.pos += 2
					if r2, ok := p.hex4(); ok {
						if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
							buf = utf8.AppendRune(buf, d)
							continue
						}
					}
				}
				p.pos = save
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			p.pos--
			return "", p.errorf("invalid escape character %s in string literal", p.quoteChar())
		}
	}
	return "", p.errorf("unexpected end of input in string literal")
}

func (p *parser) hex4() (rune, bool) {
	if len(p.data)-p.pos < 4 {
		return 0, false
	}
	var r rune
	for _, c := range p.data[p.pos : p.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	p.pos += 4
	return r, true
}
