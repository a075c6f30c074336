package wire

import (
	"encoding/base64"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/minicloud/minicloud/dynamo"
)

// decoder turns a parsed request into an operation's input, finding the
// errors DynamoDB finds, in the order it reports them:
//
//  1. a member of the wrong JSON type is a SerializationException, and the
//     first one ends decoding;
//  2. then the member constraints that only the wire can see (a required
//     member missing, a number out of range), listed together in one
//     ValidationException ("2 validation errors detected: ...");
//  3. then the first malformed AttributeValue (no data type, two data
//     types, NULL false) as a ValidationException of its own.
//
// Everything else (names, key schemas, expressions, sizes) is checked by
// the dynamo package, which answers with the same messages in-process.
type decoder struct {
	serErr      error
	constraints []string
	valueErr    error
}

// maxConstraintMessages is how many constraint violations DynamoDB lists
// in one ValidationException.
const maxConstraintMessages = 10

// err returns the error the request is answered with, or nil.
func (d *decoder) err() error {
	if d.serErr != nil {
		return d.serErr
	}
	if n := len(d.constraints); n > 0 {
		s := "s"
		if n == 1 {
			s = ""
		}
		list := d.constraints
		if len(list) > maxConstraintMessages {
			list = list[:maxConstraintMessages]
		}
		return dynamo.ErrValidation.Newf("%d validation error%s detected: %s", n, s, strings.Join(list, "; "))
	}
	return d.valueErr
}

func (d *decoder) failed() bool { return d.serErr != nil }

// typeError records a SerializationException, worded as DynamoDB's JSON
// layer words it.
func (d *decoder) typeError(msg string) {
	if d.serErr == nil {
		d.serErr = ErrSerialization.New(msg)
	}
}

// invalid records a malformed AttributeValue; the first one is reported.
func (d *decoder) invalid(msg string) {
	if d.valueErr == nil {
		d.valueErr = dynamo.ErrValidation.New(msg)
	}
}

// constraint records a violated member constraint at path.
func (d *decoder) constraint(path, value, rule string) {
	if value == "" {
		value = "null"
	} else {
		value = "'" + value + "'"
	}
	d.constraints = append(d.constraints, fmt.Sprintf("Value %s at '%s' failed to satisfy constraint: %s", value, path, rule))
}

// required records a missing required member.
func (d *decoder) required(path string, present bool) {
	if !present {
		d.constraint(path, "", "Member must not be null")
	}
}

// atLeast records a number below its minimum.
func (d *decoder) atLeast(path string, v, min int64) {
	if v < min {
		d.constraint(path, strconv.FormatInt(v, 10), fmt.Sprintf("Member must have value greater than or equal to %d", min))
	}
}

// atMost records a number above its maximum.
func (d *decoder) atMost(path string, v, max int64) {
	if v > max {
		d.constraint(path, strconv.FormatInt(v, 10), fmt.Sprintf("Member must have value less than or equal to %d", max))
	}
}

// The wording below is that of DynamoDB's JSON layer, which names Java
// classes (and says "an String").
const (
	msgStartOfList    = "Start of list found where not expected"
	msgStartOfMap     = "Start of structure or map found where not expected."
	classBoolean      = "class java.lang.Boolean"
	classString       = "class java.lang.String"
	classNumber       = "class com.amazon.coral.value.json.numbers.TruncatingBigNumber"
	canNotBeConverted = " can not be converted to "
)

// str reads a String member. null reads as "".
func (d *decoder) str(n *node) string {
	if d.failed() {
		return ""
	}
	switch n.kind {
	case kindString:
		return n.text
	case kindBool:
		d.typeError(classBoolean + canNotBeConverted + "an String")
	case kindNumber:
		d.typeError(classNumber + canNotBeConverted + "an String")
	case kindObject:
		d.typeError(msgStartOfMap)
	case kindArray:
		d.typeError(msgStartOfList)
	}
	return ""
}

// boolean reads a Boolean member. Like DynamoDB, it also takes the strings
// true, false, yes, no, 1 and 0 in any case.
func (d *decoder) boolean(n *node) bool {
	if d.failed() {
		return false
	}
	switch n.kind {
	case kindBool:
		return n.b
	case kindString:
		switch u := strings.ToUpper(n.text); u {
		case "TRUE", "YES", "1":
			return true
		case "FALSE", "NO", "0":
			return false
		default:
			d.typeError("'" + u + "'" + canNotBeConverted + "an Boolean")
		}
	case kindNumber:
		d.typeError(classNumber + canNotBeConverted + "an Boolean")
	case kindObject:
		d.typeError(msgStartOfMap)
	case kindArray:
		d.typeError(msgStartOfList)
	}
	return false
}

// integer reads an Integer (32-bit) or Long (64-bit) member, named by
// class. A fraction is truncated toward negative infinity and a value out
// of range is clamped, so that it fails the member's range constraint.
func (d *decoder) integer(n *node, class string) int64 {
	if d.failed() {
		return 0
	}
	switch n.kind {
	case kindNumber:
		lo, hi := int64(math.MinInt64), int64(math.MaxInt64)
		if class == "Integer" {
			lo, hi = math.MinInt32, math.MaxInt32
		}
		if v, err := strconv.ParseInt(n.text, 10, 64); err == nil {
			return min(max(v, lo), hi)
		}
		// A fraction or an exponent: its floor, clamped.
		f, _ := strconv.ParseFloat(n.text, 64) // ±Inf when out of range
		f = math.Floor(f)
		switch {
		case f <= float64(lo):
			return lo
		case f >= float64(hi):
			return hi
		}
		return int64(f)
	case kindBool:
		d.typeError(classBoolean + canNotBeConverted + "an " + class)
	case kindString:
		d.typeError(classString + canNotBeConverted + "an " + class)
	case kindObject:
		d.typeError(msgStartOfMap)
	case kindArray:
		d.typeError(msgStartOfList)
	}
	return 0
}

// blob reads a Blob member: standard base64 with padding.
func (d *decoder) blob(n *node) []byte {
	if d.failed() {
		return nil
	}
	switch n.kind {
	case kindString:
		b, msg := decodeBase64(n.text)
		if msg != "" {
			d.typeError("'" + n.text + "'" + canNotBeConverted + "a Blob: " + msg)
			return nil
		}
		return b
	case kindBool:
		d.typeError(classBoolean + canNotBeConverted + "a Blob")
	case kindNumber:
		d.typeError(classNumber + canNotBeConverted + "a Blob")
	case kindObject:
		d.typeError(msgStartOfMap)
	case kindArray:
		d.typeError(msgStartOfList)
	}
	return nil
}

// decodeBase64 decodes standard padded base64, returning DynamoDB's reason
// when s is not.
func decodeBase64(s string) ([]byte, string) {
	if len(s)%4 != 0 {
		return nil, fmt.Sprintf("Base64 encoded length is expected a multiple of 4 bytes but found: %d", len(s))
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'A' && c <= 'Z', c >= 'a' && c <= 'z', c >= '0' && c <= '9', c == '+', c == '/':
		case c == '=' && (i+1 == len(s) || s[i+1] == '='):
		default:
			r := []rune(s[i:])[0]
			return nil, fmt.Sprintf("Invalid Base64 character: '%c'", r)
		}
	}
	b, err := base64.StdEncoding.Strict().DecodeString(s)
	if err != nil {
		// DynamoDB's own spelling.
		return nil, "Invalid last non-pad Base64 character dectected"
	}
	return b, ""
}

// list reads a List member, calling fn for each element.
func (d *decoder) list(n *node, fn func(i int, e *node)) bool {
	if d.failed() {
		return false
	}
	switch n.kind {
	case kindArray:
		for i := range n.members {
			fn(i, &n.members[i].value)
			if d.failed() {
				return false
			}
		}
		return true
	case kindObject:
		d.typeError(msgStartOfMap)
	case kindNull:
	default:
		d.typeError("Expected list or null")
	}
	return false
}

// mapOf reads a Map member, calling fn for each entry in document order.
// A null value is passed on as a null node.
func (d *decoder) mapOf(n *node, fn func(k string, v *node)) bool {
	if d.failed() {
		return false
	}
	switch n.kind {
	case kindObject:
		for i := range n.members {
			m := &n.members[i]
			fn(m.name, &m.value)
			if d.failed() {
				return false
			}
		}
		return true
	case kindArray:
		d.typeError(msgStartOfList)
	case kindNull:
	default:
		d.typeError("Expected map or null")
	}
	return false
}

// structure reads a Structure member, calling fn for each member that is
// not null. Unknown members are the caller's to ignore, as DynamoDB
// ignores them.
func (d *decoder) structure(n *node, fn func(name string, v *node)) bool {
	if d.failed() {
		return false
	}
	switch n.kind {
	case kindObject:
		for i := range n.members {
			m := &n.members[i]
			if m.value.kind == kindNull {
				continue
			}
			fn(m.name, &m.value)
			if d.failed() {
				return false
			}
		}
		return true
	case kindArray:
		d.typeError(msgStartOfList)
	case kindNull:
	default:
		d.typeError("Expected null")
	}
	return false
}

// strings reads a list of String members. An absent list is nil; a
// present one, even empty, is not.
func (d *decoder) strings(n *node) []string {
	out := make([]string, 0, len(n.members))
	if !d.list(n, func(_ int, e *node) { out = append(out, d.str(e)) }) {
		return nil
	}
	return out
}

// stringMap reads a map of String members, such as
// ExpressionAttributeNames. Absent is nil; present, even empty, is not.
func (d *decoder) stringMap(n *node) map[string]string {
	out := make(map[string]string, len(n.members))
	if !d.mapOf(n, func(k string, v *node) { out[k] = d.str(v) }) {
		return nil
	}
	return out
}
