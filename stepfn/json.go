package stepfn

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Values flowing through an execution are the tree encoding/json builds
// with UseNumber: nil, bool, json.Number, string, []any and
// map[string]any. They are never modified in place once built; a state
// that changes a value (ResultPath) copies the spine it changes.

// decodeJSON parses one JSON value, keeping numbers as json.Number so that
// 1.0 and 10000000000000001 come back as they went in.
func decodeJSON(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("unexpected data after the JSON value")
	}
	return v, nil
}

// encodeJSON renders v compactly without HTML escaping, as Step Functions
// does.
func encodeJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		// Only NaN or infinities could get here; they are not JSON.
		return "null"
	}
	b := buf.Bytes()
	return string(b[:len(b)-1])
}

// jsonType names v's JSON type as Step Functions' messages do.
func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// asInt reads v as an integer, reporting false for any other value.
func asInt(v any) (int64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	if i, err := strconv.ParseInt(string(n), 10, 64); err == nil {
		return i, true
	}
	f, err := strconv.ParseFloat(string(n), 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > 1<<53 {
		return 0, false
	}
	return int64(f), true
}

// asFloat reads v as a number.
func asFloat(v any) (float64, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return 0, false
	}
	f, err := strconv.ParseFloat(string(n), 64)
	return f, err == nil
}

func intNumber(i int64) json.Number { return json.Number(strconv.FormatInt(i, 10)) }

// jsonEqual compares two values, numbers by value.
func jsonEqual(a, b any) bool {
	switch x := a.(type) {
	case json.Number:
		y, ok := b.(json.Number)
		if !ok {
			return false
		}
		if x == y {
			return true
		}
		fx, _ := asFloat(x)
		fy, _ := asFloat(y)
		return fx == fy
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, v := range x {
			w, ok := y[k]
			if !ok || !jsonEqual(v, w) {
				return false
			}
		}
		return true
	default:
		return a == b
	}
}

// object is a JSON object of a definition with its keys in document
// order; validation reports in that order and finds duplicate keys.
type object struct {
	keys []string
	vals map[string]any
	dups []string
}

func (o *object) get(k string) (any, bool) {
	v, ok := o.vals[k]
	return v, ok
}

// parseDefinitionJSON parses a definition into a tree whose objects are
// *object, so that key order and duplicate keys survive.
func parseDefinitionJSON(src string) (any, error) {
	dec := json.NewDecoder(strings.NewReader(src))
	dec.UseNumber()
	v, err := decodeOrdered(dec, 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("unexpected data after the JSON value at offset %d", dec.InputOffset())
	}
	return v, nil
}

const maxDefinitionDepth = 512

func decodeOrdered(dec *json.Decoder, depth int) (any, error) {
	if depth > maxDefinitionDepth {
		return nil, errors.New("JSON nested too deeply")
	}
	tok, err := dec.Token()
	if err != nil {
		if err == io.EOF {
			return nil, errors.New("unexpected end of JSON input")
		}
		return nil, err
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			o := &object{vals: map[string]any{}}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, ok := kt.(string)
				if !ok {
					return nil, fmt.Errorf("object key is not a string at offset %d", dec.InputOffset())
				}
				v, err := decodeOrdered(dec, depth+1)
				if err != nil {
					return nil, err
				}
				if _, dup := o.vals[k]; dup {
					o.dups = append(o.dups, k)
				} else {
					o.keys = append(o.keys, k)
				}
				o.vals[k] = v
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return o, nil
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := decodeOrdered(dec, depth+1)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			if _, err := dec.Token(); err != nil {
				return nil, err
			}
			return arr, nil
		}
		return nil, fmt.Errorf("unexpected %v", t)
	default:
		return t, nil
	}
}

// plain turns a definition tree into a runtime value.
func plain(v any) any {
	switch x := v.(type) {
	case *object:
		m := make(map[string]any, len(x.keys))
		for _, k := range x.keys {
			m[k] = plain(x.vals[k])
		}
		return m
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plain(e)
		}
		return out
	}
	return v
}

// sortedKeys returns m's keys in order, for deterministic wildcards.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// asPathInt reads the integer a Map's *Path field selects: a number, or
// a string holding one, which AWS accepts there too.
func asPathInt(v any) (int64, bool) {
	if s, ok := v.(string); ok {
		v = json.Number(strings.TrimSpace(s))
		if !validNumber(string(v.(json.Number))) {
			return 0, false
		}
	}
	return asInt(v)
}

// asPathFloat is asPathInt for a percentage.
func asPathFloat(v any) (float64, bool) {
	if s, ok := v.(string); ok {
		v = json.Number(strings.TrimSpace(s))
		if !validNumber(string(v.(json.Number))) {
			return 0, false
		}
	}
	return asFloat(v)
}
