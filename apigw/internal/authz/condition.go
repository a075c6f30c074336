package authz

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

// Condition is one test of a statement's Condition block: an operator, a
// condition key and the values the key is compared with (any one may
// match, or, for a negated operator, none may).
type Condition struct {
	// Operator is as written, such as "StringEquals",
	// "ForAnyValue:StringLike" or "IpAddressIfExists".
	Operator string
	// Key is the condition key, such as "aws:SourceIp"; keys match
	// case-insensitively.
	Key string
	// Values are the values, numbers and booleans written as strings.
	Values []string

	base             string // the operator without qualifier and IfExists
	ifExists, forAll bool
	prefixes         []netip.Prefix
	numbers          []float64
}

// operators are the condition operators Evaluate knows, each with whether
// it is the negation of another.
var operators = map[string]bool{
	"StringEquals": false, "StringNotEquals": true,
	"StringEqualsIgnoreCase": false, "StringNotEqualsIgnoreCase": true,
	"StringLike": false, "StringNotLike": true,
	"ArnEquals": false, "ArnLike": false, "ArnNotEquals": true, "ArnNotLike": true,
	"NumericEquals": false, "NumericNotEquals": true,
	"NumericLessThan": false, "NumericLessThanEquals": false,
	"NumericGreaterThan": false, "NumericGreaterThanEquals": false,
	"Bool": false, "IpAddress": false, "NotIpAddress": true, "Null": false,
}

func parseCondition(data []byte) ([]Condition, error) {
	block, err := object(data)
	if err != nil {
		return nil, err
	}
	var out []Condition
	for op, raw := range block {
		c := Condition{Operator: op}
		rest := op
		if r, ok := strings.CutPrefix(rest, "ForAllValues:"); ok {
			rest, c.forAll = r, true
		} else {
			rest = strings.TrimPrefix(rest, "ForAnyValue:")
		}
		if r, ok := strings.CutSuffix(rest, "IfExists"); ok && rest != "Null" {
			rest, c.ifExists = r, true
		}
		if _, ok := operators[rest]; !ok {
			return nil, fmt.Errorf("unsupported operator %q", op)
		}
		c.base = rest
		keys, err := object(raw)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", op, err)
		}
		for key, v := range keys {
			cc := c
			cc.Key = key
			if cc.Values, err = conditionValues(v); err != nil {
				return nil, fmt.Errorf("%s: %s: %v", op, key, err)
			}
			if err := cc.compile(); err != nil {
				return nil, fmt.Errorf("%s: %s: %v", op, key, err)
			}
			out = append(out, cc)
		}
	}
	// Map order is random; a fixed order keeps Statement values comparable.
	slices.SortFunc(out, func(a, b Condition) int {
		if c := strings.Compare(a.Operator, b.Operator); c != 0 {
			return c
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out, nil
}

// conditionValues reads a value or an array of values: strings, numbers
// or booleans.
func conditionValues(data []byte) ([]string, error) {
	var list []any
	if firstByte(data) == '[' {
		if err := json.Unmarshal(data, &list); err != nil {
			return nil, err
		}
	} else {
		var v any
		if err := json.Unmarshal(data, &v); err != nil {
			return nil, err
		}
		list = []any{v}
	}
	out := make([]string, 0, len(list))
	for _, v := range list {
		switch v := v.(type) {
		case string:
			out = append(out, v)
		case float64:
			out = append(out, strconv.FormatFloat(v, 'f', -1, 64))
		case bool:
			out = append(out, strconv.FormatBool(v))
		default:
			return nil, errors.New("values must be strings, numbers or booleans")
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no values")
	}
	return out, nil
}

// compile parses the values of the operators that need them parsed.
func (c *Condition) compile() error {
	switch c.base {
	case "IpAddress", "NotIpAddress":
		for _, v := range c.Values {
			p, err := parsePrefix(v)
			if err != nil {
				return err
			}
			c.prefixes = append(c.prefixes, p)
		}
	case "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals", "NumericGreaterThan", "NumericGreaterThanEquals":
		for _, v := range c.Values {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return fmt.Errorf("%q is not a number", v)
			}
			c.numbers = append(c.numbers, f)
		}
	case "Null", "Bool":
		for _, v := range c.Values {
			if v != "true" && v != "false" {
				return fmt.Errorf("%q is not true or false", v)
			}
		}
	}
	return nil
}

// parsePrefix reads a CIDR block or a single address.
func parsePrefix(s string) (netip.Prefix, error) {
	if strings.Contains(s, "/") {
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return p, fmt.Errorf("%q is not a CIDR block", s)
		}
		return p.Masked(), nil
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, fmt.Errorf("%q is not an IP address", s)
	}
	return netip.PrefixFrom(a, a.BitLen()), nil
}

// holds reports whether the condition holds in the request context.
func (c *Condition) holds(ctx map[string]string) bool {
	v, present := contextValue(ctx, c.Key)
	if c.base == "Null" {
		// "true" means the key must be absent.
		return slices.Contains(c.Values, strconv.FormatBool(!present))
	}
	if !present {
		// A missing key fails a positive test and passes a negated one;
		// IfExists and ForAllValues pass it either way.
		return c.ifExists || c.forAll || operators[c.base]
	}
	if operators[c.base] {
		return !c.matchAny(positive(c.base), v)
	}
	return c.matchAny(c.base, v)
}

// positive is the operator a negated operator negates.
func positive(op string) string {
	switch op {
	case "NotIpAddress":
		return "IpAddress"
	case "ArnNotEquals":
		return "ArnEquals"
	case "ArnNotLike":
		return "ArnLike"
	}
	return strings.Replace(op, "Not", "", 1)
}

// matchAny reports whether v matches any of the condition's values under
// the (positive) operator op.
func (c *Condition) matchAny(op string, v string) bool {
	switch op {
	case "StringEquals":
		return slices.Contains(c.Values, v)
	case "StringEqualsIgnoreCase":
		return slices.ContainsFunc(c.Values, func(x string) bool { return strings.EqualFold(x, v) })
	case "StringLike", "ArnLike", "ArnEquals":
		// IAM matches ArnEquals with wildcards too.
		return slices.ContainsFunc(c.Values, func(x string) bool { return glob(x, v) })
	case "Bool":
		return slices.ContainsFunc(c.Values, func(x string) bool { return strings.EqualFold(x, v) })
	case "IpAddress":
		a, err := netip.ParseAddr(strings.Trim(v, "[]"))
		if err != nil {
			return false
		}
		a = a.Unmap()
		return slices.ContainsFunc(c.prefixes, func(p netip.Prefix) bool { return p.Contains(a) })
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		return false
	}
	return slices.ContainsFunc(c.numbers, func(n float64) bool {
		switch op {
		case "NumericEquals":
			return f == n
		case "NumericLessThan":
			return f < n
		case "NumericLessThanEquals":
			return f <= n
		case "NumericGreaterThan":
			return f > n
		case "NumericGreaterThanEquals":
			return f >= n
		}
		return false
	})
}

// contextValue finds a condition key in the request context; condition
// keys are case-insensitive.
func contextValue(ctx map[string]string, key string) (string, bool) {
	if v, ok := ctx[key]; ok {
		return v, true
	}
	for k, v := range ctx {
		if strings.EqualFold(k, key) {
			return v, true
		}
	}
	return "", false
}
