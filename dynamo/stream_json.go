package dynamo

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// MarshalJSON writes the record as DynamoDB writes it into stream
// records: images in DynamoDB JSON ({"S": "text"}, {"N": "42"}, …) and
// ApproximateCreationDateTime in seconds since the epoch. Empty images
// and a zero time are left out.
func (r StreamRecord) MarshalJSON() ([]byte, error) {
	buf := make([]byte, 0, 256)
	buf = append(buf, '{')
	sep := func() {
		if len(buf) > 1 {
			buf = append(buf, ',')
		}
	}
	if !r.ApproximateCreationDateTime.IsZero() {
		buf = append(buf, `"ApproximateCreationDateTime":`...)
		buf = appendEpochSeconds(buf, r.ApproximateCreationDateTime)
	}
	for _, img := range []struct {
		name string
		item Item
	}{{"Keys", r.Keys}, {"NewImage", r.NewImage}, {"OldImage", r.OldImage}} {
		if len(img.item) == 0 {
			continue
		}
		sep()
		buf = append(buf, '"')
		buf = append(buf, img.name...)
		buf = append(buf, `":`...)
		buf = appendItemJSON(buf, img.item)
	}
	sep()
	buf = append(buf, `"SequenceNumber":`...)
	buf = appendJSONString(buf, r.SequenceNumber)
	buf = append(buf, `,"SizeBytes":`...)
	buf = strconv.AppendInt(buf, r.SizeBytes, 10)
	buf = append(buf, `,"StreamViewType":`...)
	buf = appendJSONString(buf, string(r.StreamViewType))
	return append(buf, '}'), nil
}

// UnmarshalJSON reads a record written by MarshalJSON, by DynamoDB
// Streams or by Lambda. ApproximateCreationDateTime may carry a fraction
// of a second.
func (r *StreamRecord) UnmarshalJSON(data []byte) error {
	var raw struct {
		ApproximateCreationDateTime *json.Number
		Keys, NewImage, OldImage    json.RawMessage
		SequenceNumber              string
		SizeBytes                   int64
		StreamViewType              StreamViewType
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(&raw); err != nil {
		return err
	}
	var out StreamRecord
	if raw.ApproximateCreationDateTime != nil {
		f, err := raw.ApproximateCreationDateTime.Float64()
		if err != nil || math.IsInf(f, 0) || math.Abs(f) > 1e11 {
			return errors.New("dynamo: ApproximateCreationDateTime is not a time in seconds")
		}
		sec, frac := math.Modf(f)
		out.ApproximateCreationDateTime = time.Unix(int64(sec), int64(frac*1e9)).UTC()
	}
	for _, img := range []struct {
		raw json.RawMessage
		dst *Item
	}{{raw.Keys, &out.Keys}, {raw.NewImage, &out.NewImage}, {raw.OldImage, &out.OldImage}} {
		if len(img.raw) == 0 || string(img.raw) == "null" {
			continue
		}
		item, err := decodeItemJSON(img.raw, 0)
		if err != nil {
			return err
		}
		*img.dst = item
	}
	out.SequenceNumber, out.SizeBytes, out.StreamViewType = raw.SequenceNumber, raw.SizeBytes, raw.StreamViewType
	*r = out
	return nil
}

// appendEpochSeconds writes t as seconds since the epoch: an integer when
// t is on a second, with the fraction otherwise.
func appendEpochSeconds(dst []byte, t time.Time) []byte {
	if t.Nanosecond() == 0 {
		return strconv.AppendInt(dst, t.Unix(), 10)
	}
	return strconv.AppendFloat(dst, float64(t.UnixNano())/1e9, 'f', -1, 64)
}

// appendItemJSON writes an item in DynamoDB JSON, attributes in name
// order so that the output is deterministic.
func appendItemJSON(dst []byte, item Item) []byte {
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
		dst = appendJSONString(dst, n)
		dst = append(dst, ':')
		dst = appendValueJSON(dst, item[n])
	}
	return append(dst, '}')
}

// appendValueJSON writes one value in DynamoDB JSON.
func appendValueJSON(dst []byte, v AttributeValue) []byte {
	open := func(t string) {
		dst = append(dst, `{"`...)
		dst = append(dst, t...)
		dst = append(dst, `":`...)
	}
	switch v := v.(type) {
	case S:
		open("S")
		dst = appendJSONString(dst, string(v))
	case N:
		open("N")
		dst = appendJSONString(dst, string(v))
	case B:
		open("B")
		dst = appendJSONString(dst, base64.StdEncoding.EncodeToString(v))
	case BOOL:
		open("BOOL")
		dst = strconv.AppendBool(dst, bool(v))
	case NULL:
		open("NULL")
		dst = append(dst, "true"...)
	case SS:
		open("SS")
		dst = appendStrings(dst, v)
	case NS:
		open("NS")
		dst = appendStrings(dst, v)
	case BS:
		open("BS")
		dst = append(dst, '[')
		for i, b := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, base64.StdEncoding.EncodeToString(b))
		}
		dst = append(dst, ']')
	case L:
		open("L")
		dst = append(dst, '[')
		for i, e := range v {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendValueJSON(dst, e)
		}
		dst = append(dst, ']')
	case M:
		open("M")
		dst = appendItemJSON(dst, Item(v))
	default:
		return append(dst, "null"...)
	}
	return append(dst, '}')
}

func appendStrings(dst []byte, ss []string) []byte {
	dst = append(dst, '[')
	for i, s := range ss {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = appendJSONString(dst, s)
	}
	return append(dst, ']')
}

// appendJSONString writes s as a JSON string. Invalid UTF-8 becomes
// U+FFFD, as encoding/json writes it.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				dst = append(dst, '\\', c)
			case c == '\n':
				dst = append(dst, '\\', 'n')
			case c == '\r':
				dst = append(dst, '\\', 'r')
			case c == '\t':
				dst = append(dst, '\\', 't')
			case c < 0x20:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			default:
				dst = append(dst, c)
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, `\ufffd`...)
		} else {
			dst = append(dst, s[i:i+size]...)
		}
		i += size
	}
	return append(dst, '"')
}

// errBadJSONValue is the error for malformed DynamoDB JSON.
var errBadJSONValue = errors.New("dynamo: malformed DynamoDB JSON attribute value")

// decodeItemJSON reads an item in DynamoDB JSON.
func decodeItemJSON(data []byte, depth int) (Item, error) {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if raw == nil {
		return nil, errBadJSONValue
	}
	item := make(Item, len(raw))
	for name, r := range raw {
		v, err := decodeValueJSON(r, depth)
		if err != nil {
			return nil, err
		}
		item[name] = v
	}
	return item, nil
}

// decodeValueJSON reads one value in DynamoDB JSON: an object with exactly
// one member named after its type. Numbers are checked and made canonical;
// lists and maps nest at most 32 levels.
func decodeValueJSON(data []byte, depth int) (AttributeValue, error) {
	if depth > maxNestingDepth {
		return nil, errBadJSONValue
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, err
	}
	if len(raw) != 1 {
		return nil, errBadJSONValue
	}
	for typ, r := range raw {
		switch typ {
		case "S":
			var s string
			if err := json.Unmarshal(r, &s); err != nil {
				return nil, err
			}
			return S(s), nil
		case "N":
			var s string
			if err := json.Unmarshal(r, &s); err != nil {
				return nil, err
			}
			c, err := canonicalNumber(s)
			if err != nil {
				return nil, err
			}
			return N(c), nil
		case "B":
			var b []byte
			if err := json.Unmarshal(r, &b); err != nil {
				return nil, err
			}
			if b == nil {
				b = []byte{}
			}
			return B(b), nil
		case "BOOL":
			var b bool
			if err := json.Unmarshal(r, &b); err != nil {
				return nil, err
			}
			return BOOL(b), nil
		case "NULL":
			var b bool
			if err := json.Unmarshal(r, &b); err != nil || !b {
				return nil, errBadJSONValue
			}
			return NULL{}, nil
		case "SS", "NS":
			var ss []string
			if err := json.Unmarshal(r, &ss); err != nil {
				return nil, err
			}
			if len(ss) == 0 {
				return nil, errBadJSONValue
			}
			if typ == "SS" {
				return SS(ss), nil
			}
			for i, s := range ss {
				c, err := canonicalNumber(s)
				if err != nil {
					return nil, err
				}
				ss[i] = c
			}
			return NS(ss), nil
		case "BS":
			var bs [][]byte
			if err := json.Unmarshal(r, &bs); err != nil {
				return nil, err
			}
			if len(bs) == 0 {
				return nil, errBadJSONValue
			}
			for i, b := range bs {
				if b == nil {
					bs[i] = []byte{}
				}
			}
			return BS(bs), nil
		case "L":
			var elems []json.RawMessage
			if err := json.Unmarshal(r, &elems); err != nil {
				return nil, err
			}
			if elems == nil {
				return nil, errBadJSONValue
			}
			l := make(L, len(elems))
			for i, e := range elems {
				v, err := decodeValueJSON(e, depth+1)
				if err != nil {
					return nil, err
				}
				l[i] = v
			}
			return l, nil
		case "M":
			m, err := decodeItemJSON(r, depth+1)
			if err != nil {
				return nil, err
			}
			return M(m), nil
		}
	}
	return nil, errBadJSONValue
}
