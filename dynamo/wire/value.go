package wire

import (
	"errors"
	"slices"

	"github.com/minicloud/minicloud/dynamo"
)

// value reads one AttributeValue: a JSON object with exactly one of the
// members S, N, B, BOOL, NULL, L, M, SS, NS and BS. Unknown members are
// ignored, so {"X": "a"} is an empty AttributeValue, as in DynamoDB. A
// malformed value yields nil and records DynamoDB's ValidationException.
func (d *decoder) value(n *node) dynamo.AttributeValue {
	var out dynamo.AttributeValue
	types := 0
	ok := d.structure(n, func(name string, v *node) {
		var got dynamo.AttributeValue
		switch name {
		case "S":
			got = dynamo.S(d.str(v))
		case "N":
			got = dynamo.N(d.str(v))
		case "B":
			b := d.blob(v)
			if b == nil {
				b = []byte{}
			}
			got = dynamo.B(b)
		case "BOOL":
			got = dynamo.BOOL(d.boolean(v))
		case "NULL":
			if !d.boolean(v) && !d.failed() {
				d.invalid("One or more parameter values were invalid: Null attribute value types must have the value of true")
			}
			got = dynamo.NULL{}
		case "SS":
			got = dynamo.SS(d.strings(v))
		case "NS":
			got = dynamo.NS(d.strings(v))
		case "BS":
			bs := make(dynamo.BS, 0, len(v.members))
			d.list(v, func(_ int, e *node) { bs = append(bs, d.blob(e)) })
			got = bs
		case "L":
			l := make(dynamo.L, 0, len(v.members))
			d.list(v, func(_ int, e *node) { l = append(l, d.value(e)) })
			got = l
		case "M":
			m := make(dynamo.M, len(v.members))
			d.mapOf(v, func(k string, e *node) { m[k] = d.value(e) })
			got = m
		default:
			return
		}
		types++
		out = got
	})
	switch {
	case !ok || d.failed():
		return nil
	case types == 0:
		d.invalid("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
		return nil
	case types > 1:
		d.invalid("Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes")
		return nil
	}
	return out
}

// item reads a map of AttributeValues: an item, a key, or an
// ExclusiveStartKey. Absent (or null) is nil; present, even empty, is not.
func (d *decoder) item(n *node) dynamo.Item {
	out := make(dynamo.Item, len(n.members))
	if !d.mapOf(n, func(k string, v *node) { out[k] = d.value(v) }) {
		return nil
	}
	return out
}

// values reads ExpressionAttributeValues.
func (d *decoder) values(n *node) map[string]dynamo.AttributeValue {
	out := make(map[string]dynamo.AttributeValue, len(n.members))
	if !d.mapOf(n, func(k string, v *node) { out[k] = d.value(v) }) {
		return nil
	}
	return out
}

// value writes v in DynamoDB JSON. Map keys are written in sorted order so
// that equal items encode to equal bytes.
func (w *writer) value(v dynamo.AttributeValue) {
	w.beginObject()
	switch v := v.(type) {
	case dynamo.S:
		w.key("S")
		w.string(string(v))
	case dynamo.N:
		w.key("N")
		w.string(string(v))
	case dynamo.B:
		w.key("B")
		w.blob(v)
	case dynamo.BOOL:
		w.key("BOOL")
		w.bool(bool(v))
	case dynamo.NULL:
		w.key("NULL")
		w.bool(true)
	case dynamo.SS:
		w.key("SS")
		w.beginArray()
		for _, s := range v {
			w.string(s)
		}
		w.endArray()
	case dynamo.NS:
		w.key("NS")
		w.beginArray()
		for _, s := range v {
			w.string(s)
		}
		w.endArray()
	case dynamo.BS:
		w.key("BS")
		w.beginArray()
		for _, b := range v {
			w.blob(b)
		}
		w.endArray()
	case dynamo.L:
		w.key("L")
		w.beginArray()
		for _, e := range v {
			w.value(e)
		}
		w.endArray()
	case dynamo.M:
		w.key("M")
		w.valueMap(v)
	}
	w.endObject()
}

// valueMap writes a map of values as a JSON object with sorted keys.
func (w *writer) valueMap(m map[string]dynamo.AttributeValue) {
	w.beginObject()
	var small [16]string // most maps are small: their keys stay on the stack
	keys := small[:0]
	if len(m) > len(small) {
		keys = make([]string, 0, len(m))
	}
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		w.key(k)
		w.value(m[k])
	}
	w.endObject()
}

// item writes an item as a JSON object of AttributeValues.
func (w *writer) item(item dynamo.Item) { w.valueMap(item) }

// itemField writes an optional item member: omitted when nil.
func (w *writer) itemField(name string, item dynamo.Item) {
	if item != nil {
		w.key(name)
		w.item(item)
	}
}

// errNilValue is returned when asked to encode a nil AttributeValue.
var errNilValue = errors.New("wire: nil AttributeValue")

// checkValues reports whether v holds a nil AttributeValue anywhere, which
// has no DynamoDB JSON form.
func checkValue(v dynamo.AttributeValue) error {
	switch v := v.(type) {
	case nil:
		return errNilValue
	case dynamo.L:
		for _, e := range v {
			if err := checkValue(e); err != nil {
				return err
			}
		}
	case dynamo.M:
		for _, e := range v {
			if err := checkValue(e); err != nil {
				return err
			}
		}
	}
	return nil
}

// MarshalValue encodes v in DynamoDB JSON, such as {"S":"hello"} or
// {"L":[{"N":"1"},{"BOOL":true}]}. Binary values are base64; numbers are
// strings, as DynamoDB writes them. A nil value, at any depth, is an error.
func MarshalValue(v dynamo.AttributeValue) ([]byte, error) {
	if err := checkValue(v); err != nil {
		return nil, err
	}
	var w writer
	w.value(v)
	return w.b, nil
}

// MarshalItem encodes an item in DynamoDB JSON: an object whose members
// are the attributes, each an AttributeValue. Attributes are written in
// name order. A nil item encodes as {}.
func MarshalItem(item dynamo.Item) ([]byte, error) {
	for _, v := range item {
		if err := checkValue(v); err != nil {
			return nil, err
		}
	}
	var w writer
	w.item(item)
	return w.b, nil
}

// UnmarshalValue decodes one AttributeValue from DynamoDB JSON. Malformed
// input gives the error DynamoDB gives for it: a SerializationException
// for bad JSON or a member of the wrong JSON type, a ValidationException
// for a value with no data type or more than one. Numbers are passed on as
// written; the dynamo package checks them when they are used.
func UnmarshalValue(data []byte) (dynamo.AttributeValue, error) {
	p := newParser(data)
	defer p.release()
	n, err := p.parse()
	if err != nil {
		return nil, syntaxToError(err)
	}
	var d decoder
	v := d.value(&n)
	if err := d.err(); err != nil {
		return nil, err
	}
	if v == nil {
		return nil, dynamo.ErrValidation.New("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	}
	return v, nil
}

// UnmarshalItem decodes an item from DynamoDB JSON, with the errors of
// [UnmarshalValue]. JSON null decodes as a nil item.
func UnmarshalItem(data []byte) (dynamo.Item, error) {
	p := newParser(data)
	defer p.release()
	n, err := p.parse()
	if err != nil {
		return nil, syntaxToError(err)
	}
	var d decoder
	item := d.item(&n)
	if err := d.err(); err != nil {
		return nil, err
	}
	return item, nil
}
