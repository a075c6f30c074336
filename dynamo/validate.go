package dynamo

import (
	"bytes"
	"strings"
)

// cleanItem validates an item the caller gave and returns a deep copy of it
// with numbers in canonical form, so the stored item never shares memory
// with the caller's. It enforces the type rules and the nesting limit; the
// size limit is checked by the caller, which knows the operation.
func cleanItem(item Item) (Item, error) {
	out := make(Item, len(item))
	for name, v := range item {
		if name == "" {
			return nil, ErrValidation.New("One or more parameter values were invalid: An AttributeValue may not contain an empty attribute name")
		}
		c, err := cleanValue(v, 0)
		if err != nil {
			return nil, err
		}
		out[name] = c
	}
	return out, nil
}

// cleanValues is cleanItem for a map of expression attribute values.
func cleanValues(values map[string]AttributeValue) (map[string]AttributeValue, error) {
	if values == nil {
		return nil, nil
	}
	out := make(map[string]AttributeValue, len(values))
	for name, v := range values {
		c, err := cleanValue(v, 0)
		if err != nil {
			return nil, err
		}
		out[name] = c
	}
	return out, nil
}

// cleanValue validates and copies one value at nesting depth depth.
func cleanValue(v AttributeValue, depth int) (AttributeValue, error) {
	switch v := v.(type) {
	case nil:
		return nil, ErrValidation.New("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	case S, BOOL, NULL:
		return v, nil
	case N:
		c, err := canonicalNumber(string(v))
		if err != nil {
			return nil, err
		}
		return N(c), nil
	case B:
		return B(bytes.Clone(v)), nil
	case SS:
		if len(v) == 0 {
			return nil, ErrValidation.New("One or more parameter values were invalid: An string set  may not be empty")
		}
		seen := make(map[string]bool, len(v))
		for _, s := range v {
			if seen[s] {
				return nil, ErrValidation.Newf("One or more parameter values were invalid: Input collection [%s] contains duplicates.", strings.Join(v, ", "))
			}
			seen[s] = true
		}
		return append(SS(nil), v...), nil
	case NS:
		if len(v) == 0 {
			return nil, ErrValidation.New("One or more parameter values were invalid: An number set  may not be empty")
		}
		out := make(NS, len(v))
		seen := make(map[string]bool, len(v))
		for i, s := range v {
			c, err := canonicalNumber(s)
			if err != nil {
				return nil, err
			}
			if seen[c] {
				return nil, ErrValidation.New("Input collection contains duplicates")
			}
			seen[c] = true
			out[i] = c
		}
		return out, nil
	case BS:
		if len(v) == 0 {
			return nil, ErrValidation.New("One or more parameter values were invalid: Binary sets should not be empty")
		}
		out := make(BS, len(v))
		seen := make(map[string]bool, len(v))
		for i, b := range v {
			if seen[string(b)] {
				return nil, ErrValidation.New("One or more parameter values were invalid: Input collection of type BS contains duplicates.")
			}
			seen[string(b)] = true
			out[i] = bytes.Clone(b)
		}
		return out, nil
	case L:
		if depth >= maxNestingDepth-1 {
			return nil, errNesting
		}
		out := make(L, len(v))
		for i, e := range v {
			c, err := cleanValue(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	case M:
		if depth >= maxNestingDepth-1 {
			return nil, errNesting
		}
		out := make(M, len(v))
		for k, e := range v {
			c, err := cleanValue(e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		return out, nil
	default:
		return nil, ErrValidation.New("Supplied AttributeValue is empty, must contain exactly one of the supported datatypes")
	}
}

var errNesting = ErrValidation.New("Nesting Levels have exceeded supported limits")

// checkDepth reports whether a value nests lists and maps deeper than
// DynamoDB allows; used on the result of an update.
func checkDepth(v AttributeValue, depth int) error {
	switch v := v.(type) {
	case L:
		if depth >= maxNestingDepth-1 {
			return errNesting
		}
		for _, e := range v {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	case M:
		if depth >= maxNestingDepth-1 {
			return errNesting
		}
		for _, e := range v {
			if err := checkDepth(e, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// copyValue returns a deep copy of a stored value, so a caller can never
// change what is stored through what it was given.
func copyValue(v AttributeValue) AttributeValue {
	switch v := v.(type) {
	case B:
		return B(bytes.Clone(v))
	case SS:
		return append(SS(nil), v...)
	case NS:
		return append(NS(nil), v...)
	case BS:
		out := make(BS, len(v))
		for i, b := range v {
			out[i] = bytes.Clone(b)
		}
		return out
	case L:
		out := make(L, len(v))
		for i, e := range v {
			out[i] = copyValue(e)
		}
		return out
	case M:
		out := make(M, len(v))
		for k, e := range v {
			out[k] = copyValue(e)
		}
		return out
	default:
		return v
	}
}

// copyItem returns a deep copy of an item; nil stays nil.
func copyItem(item Item) Item {
	if item == nil {
		return nil
	}
	out := make(Item, len(item))
	for k, v := range item {
		out[k] = copyValue(v)
	}
	return out
}
