package authz

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrMalformedPolicy is wrapped by the errors of ParsePolicy: the document
// is not an IAM policy this package can evaluate.
var ErrMalformedPolicy = errors.New("authz: malformed policy document")

// Effect is a statement's effect: Allow or Deny.
type Effect string

// The two effects, spelled as IAM requires.
const (
	EffectAllow Effect = "Allow"
	EffectDeny  Effect = "Deny"
)

// Policy is an IAM policy document: the policyDocument of a Lambda
// authorizer's response, or an API's resource policy.
type Policy struct {
	// Version is "2012-10-17" or "2008-10-17"; empty when the document
	// names none.
	Version string
	// ID is the optional Id element.
	ID string
	// Statements are the document's statements, in order.
	Statements []Statement
}

// Statement is one statement of a policy. Exactly one of Action and
// NotAction is set, and exactly one of Resource and NotResource.
type Statement struct {
	Sid    string
	Effect Effect
	// Principal and NotPrincipal are nil when the statement has none, as
	// in the policy of a Lambda authorizer.
	Principal, NotPrincipal *Principal
	// Action and NotAction are action patterns such as
	// "execute-api:Invoke" or "execute-api:*".
	Action, NotAction []string
	// Resource and NotResource are ARN patterns.
	Resource, NotResource []string
	// Condition is every operator/key/values triple of the Condition
	// block; all must hold.
	Condition []Condition

	// Lower-cased action patterns, for case-insensitive matching.
	action, notAction []string
}

// Principal is a statement's Principal (or NotPrincipal).
type Principal struct {
	// All is true for "*" or {"AWS":"*"}: everyone, anonymous included.
	All bool
	// AWS holds account IDs, account root ARNs and IAM ARNs.
	AWS []string
	// Service holds service principals such as "apigateway.amazonaws.com".
	Service []string
	// Federated holds identity providers.
	Federated []string
}

// ParsePolicy reads an IAM policy document. Statement may be an object or
// an array; Action, NotAction, Resource, NotResource and the principal
// lists may be a string or an array of strings; condition values may be
// strings, numbers, booleans or arrays of them. Element names are
// case-sensitive and unknown elements are refused, as IAM refuses them.
// Errors wrap ErrMalformedPolicy.
func ParsePolicy(data []byte) (*Policy, error) {
	p, err := parsePolicy(data)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformedPolicy, err)
	}
	return p, nil
}

func parsePolicy(data []byte) (*Policy, error) {
	doc, err := object(data)
	if err != nil {
		return nil, err
	}
	p := &Policy{}
	for k, v := range doc {
		switch k {
		case "Version":
			if err := json.Unmarshal(v, &p.Version); err != nil || p.Version != "2012-10-17" && p.Version != "2008-10-17" {
				return nil, fmt.Errorf("element Version: %s is not 2012-10-17 or 2008-10-17", v)
			}
		case "Id":
			if err := json.Unmarshal(v, &p.ID); err != nil {
				return nil, errors.New("element Id: not a string")
			}
		case "Statement":
		default:
			return nil, fmt.Errorf("unknown element %q", k)
		}
	}
	raw, ok := doc["Statement"]
	if !ok {
		return nil, errors.New("no Statement")
	}
	var list []json.RawMessage
	if t := firstByte(raw); t == '[' {
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, err
		}
	} else {
		list = []json.RawMessage{raw}
	}
	for i, s := range list {
		st, err := parseStatement(s)
		if err != nil {
			return nil, fmt.Errorf("Statement %d: %v", i, err)
		}
		p.Statements = append(p.Statements, st)
	}
	return p, nil
}

func parseStatement(data []byte) (Statement, error) {
	var st Statement
	m, err := object(data)
	if err != nil {
		return st, err
	}
	for k, v := range m {
		var err error
		switch k {
		case "Sid":
			if json.Unmarshal(v, &st.Sid) != nil {
				err = errors.New("not a string")
			}
		case "Effect":
			var e string
			if json.Unmarshal(v, &e) != nil || e != string(EffectAllow) && e != string(EffectDeny) {
				err = fmt.Errorf("%s is not \"Allow\" or \"Deny\"", v)
			}
			st.Effect = Effect(e)
		case "Action":
			st.Action, err = stringList(v)
		case "NotAction":
			st.NotAction, err = stringList(v)
		case "Resource":
			st.Resource, err = stringList(v)
		case "NotResource":
			st.NotResource, err = stringList(v)
		case "Principal":
			st.Principal, err = parsePrincipal(v)
		case "NotPrincipal":
			st.NotPrincipal, err = parsePrincipal(v)
		case "Condition":
			st.Condition, err = parseCondition(v)
		default:
			err = errors.New("unknown element")
		}
		if err != nil {
			return st, fmt.Errorf("%s: %v", k, err)
		}
	}
	switch {
	case st.Effect == "":
		return st, errors.New("no Effect")
	case (st.Action == nil) == (st.NotAction == nil):
		return st, errors.New("needs exactly one of Action and NotAction")
	case (st.Resource == nil) == (st.NotResource == nil):
		return st, errors.New("needs exactly one of Resource and NotResource")
	case st.Principal != nil && st.NotPrincipal != nil:
		return st, errors.New("has both Principal and NotPrincipal")
	}
	st.action = lowerAll(st.Action)
	st.notAction = lowerAll(st.NotAction)
	return st, nil
}

func parsePrincipal(data []byte) (*Principal, error) {
	var s string
	if json.Unmarshal(data, &s) == nil {
		if s != "*" {
			return nil, fmt.Errorf("%q: a principal string must be \"*\"", s)
		}
		return &Principal{All: true}, nil
	}
	m, err := object(data)
	if err != nil {
		return nil, err
	}
	p := &Principal{}
	for k, v := range m {
		list, err := stringList(v)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", k, err)
		}
		switch k {
		case "AWS":
			if slices.Contains(list, "*") {
				p.All = true
			}
			p.AWS = list
		case "Service":
			p.Service = list
		case "Federated":
			p.Federated = list
		case "CanonicalUser":
			// S3's principals never call execute-api.
		default:
			return nil, fmt.Errorf("unknown principal type %q", k)
		}
	}
	return p, nil
}

// object decodes a JSON object into its raw members, refusing duplicate
// keys' ambiguity by keeping the last as encoding/json does.
func object(data []byte) (map[string]json.RawMessage, error) {
	if firstByte(data) != '{' {
		return nil, errors.New("not a JSON object")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return m, nil
}

func firstByte(data []byte) byte {
	data = bytes.TrimLeft(data, " \t\r\n")
	if len(data) == 0 {
		return 0
	}
	return data[0]
}

// stringList reads a string or a non-empty array of strings.
func stringList(data []byte) ([]string, error) {
	var s string
	if json.Unmarshal(data, &s) == nil {
		return []string{s}, nil
	}
	var list []string
	if err := json.Unmarshal(data, &list); err != nil || list == nil {
		return nil, errors.New("not a string or an array of strings")
	}
	if len(list) == 0 {
		return nil, errors.New("empty array")
	}
	return list, nil
}

func lowerAll(list []string) []string {
	if list == nil {
		return nil
	}
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = strings.ToLower(s)
	}
	return out
}
