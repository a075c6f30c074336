package dynamo

// AttributeValue is one DynamoDB value: one of the ten data types [S], [N],
// [B], [BOOL], [NULL], [L], [M], [SS], [NS] and [BS]. The Go types are named
// as the type descriptors of DynamoDB JSON, so an item reads like its wire
// form:
//
//	dynamo.Item{"pk": dynamo.S("user#1"), "age": dynamo.N("42"), "tags": dynamo.SS{"a", "b"}}
type AttributeValue interface {
	// Type returns the DynamoDB type descriptor: "S", "N", "B", "BOOL",
	// "NULL", "L", "M", "SS", "NS" or "BS".
	Type() string
	isAttributeValue()
}

// S is a String: UTF-8 text. It may be empty except in a key attribute.
type S string

// N is a Number, written as its decimal text ("42", "-1.5", "6.02E23").
// DynamoDB keeps numbers exactly, with up to 38 significant digits and a
// magnitude from 1E-130 to 9.9999999999999999999999999999999999999E+125,
// and returns them in a canonical form ("1.50" comes back as "1.5").
type N string

// B is a Binary value: any bytes. It may be empty except in a key attribute.
type B []byte

// BOOL is a Boolean.
type BOOL bool

// NULL is the Null type: an attribute that is present with no value.
type NULL struct{}

// L is a List: an ordered sequence of values of any types.
type L []AttributeValue

// M is a Map: named values of any types, nested up to 32 levels.
type M map[string]AttributeValue

// SS is a String Set: distinct strings, at least one, without order.
type SS []string

// NS is a Number Set: distinct numbers, at least one, without order.
type NS []string

// BS is a Binary Set: distinct binary values, at least one, without order.
type BS [][]byte

// Item is a DynamoDB item: attribute names and their values.
type Item map[string]AttributeValue

// Type returns "S".
func (S) Type() string { return "S" }

// Type returns "N".
func (N) Type() string { return "N" }

// Type returns "B".
func (B) Type() string { return "B" }

// Type returns "BOOL".
func (BOOL) Type() string { return "BOOL" }

// Type returns "NULL".
func (NULL) Type() string { return "NULL" }

// Type returns "L".
func (L) Type() string { return "L" }

// Type returns "M".
func (M) Type() string { return "M" }

// Type returns "SS".
func (SS) Type() string { return "SS" }

// Type returns "NS".
func (NS) Type() string { return "NS" }

// Type returns "BS".
func (BS) Type() string { return "BS" }

func (S) isAttributeValue()    {}
func (N) isAttributeValue()    {}
func (B) isAttributeValue()    {}
func (BOOL) isAttributeValue() {}
func (NULL) isAttributeValue() {}
func (L) isAttributeValue()    {}
func (M) isAttributeValue()    {}
func (SS) isAttributeValue()   {}
func (NS) isAttributeValue()   {}
func (BS) isAttributeValue()   {}
