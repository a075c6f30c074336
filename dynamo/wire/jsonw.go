package wire

import (
	"encoding/base64"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// writer builds a JSON document by appending to a byte slice. It tracks
// whether each open object or array already has a member, so callers never
// write separators themselves.
type writer struct {
	b        []byte
	nonEmpty []bool // one per open container
	afterKey bool
}

// sep writes the comma before a value or key when one is needed.
func (w *writer) sep() {
	if w.afterKey {
		w.afterKey = false
		return
	}
	if n := len(w.nonEmpty); n > 0 {
		if w.nonEmpty[n-1] {
			w.b = append(w.b, ',')
		}
		w.nonEmpty[n-1] = true
	}
}

func (w *writer) beginObject() {
	w.sep()
	w.b = append(w.b, '{')
	w.nonEmpty = append(w.nonEmpty, false)
}

func (w *writer) endObject() {
	w.b = append(w.b, '}')
	w.nonEmpty = w.nonEmpty[:len(w.nonEmpty)-1]
}

func (w *writer) beginArray() {
	w.sep()
	w.b = append(w.b, '[')
	w.nonEmpty = append(w.nonEmpty, false)
}

func (w *writer) endArray() {
	w.b = append(w.b, ']')
	w.nonEmpty = w.nonEmpty[:len(w.nonEmpty)-1]
}

// key writes an object member's name; the next value written is its value.
func (w *writer) key(name string) {
	w.sep()
	w.b = appendQuoted(w.b, name)
	w.b = append(w.b, ':')
	w.afterKey = true
}

func (w *writer) string(s string) {
	w.sep()
	w.b = appendQuoted(w.b, s)
}

func (w *writer) bool(v bool) {
	w.sep()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *writer) int(v int64) {
	w.sep()
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *writer) blob(v []byte) {
	w.sep()
	w.b = append(w.b, '"')
	w.b = base64.StdEncoding.AppendEncode(w.b, v)
	w.b = append(w.b, '"')
}

// time writes t as DynamoDB does: seconds since the Unix epoch, with the
// milliseconds as a fraction.
func (w *writer) time(t time.Time) {
	w.sep()
	ms := t.UnixMilli()
	if ms < 0 {
		w.b = append(w.b, '-')
		ms = -ms
	}
	sec, frac := ms/1000, ms%1000
	w.b = strconv.AppendInt(w.b, sec, 10)
	if frac != 0 {
		w.b = append(w.b, '.')
		s := strconv.FormatInt(1000+frac, 10)[1:] // zero-padded to 3 digits
		for len(s) > 0 && s[len(s)-1] == '0' {
			s = s[:len(s)-1]
		}
		w.b = append(w.b, s...)
	}
}

// Members written only when set: DynamoDB omits empty optional members.

func (w *writer) stringField(name, v string) {
	if v != "" {
		w.key(name)
		w.string(v)
	}
}

func (w *writer) intField(name string, v int64) {
	w.key(name)
	w.int(v)
}

// floatField writes a Double member, such as CapacityUnits, in its
// shortest exact decimal form.
func (w *writer) floatField(name string, v float64) {
	w.key(name)
	w.sep()
	if math.IsInf(v, 0) || math.IsNaN(v) {
		v = 0 // not representable in JSON; never produced by dynamo
	}
	w.b = strconv.AppendFloat(w.b, v, 'f', -1, 64)
}

func (w *writer) timeField(name string, t time.Time) {
	if !t.IsZero() {
		w.key(name)
		w.time(t)
	}
}

func (w *writer) stringsField(name string, v []string) {
	if v == nil {
		return
	}
	w.key(name)
	w.beginArray()
	for _, s := range v {
		w.string(s)
	}
	w.endArray()
}

const hexDigits = "0123456789abcdef"

// appendQuoted appends s as a JSON string. Invalid UTF-8 is replaced by
// U+FFFD so that the output is always valid JSON.
func appendQuoted(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i++
			start = i
			continue
		}
		// U+2028 and U+2029 are valid JSON but break JavaScript readers.
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
