package authz

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/minicloud/minicloud/internal/awserr"
)

// ErrAuthorizerConfiguration is AuthorizerConfigurationException: a
// Lambda authorizer returned a response API Gateway cannot use. A REST API
// answers the client with 500; an HTTP API with 500
// {"message":"Internal Server Error"}. The message says what was wrong,
// for the caller's logs.
var ErrAuthorizerConfiguration = awserr.New("AuthorizerConfigurationException", 500, "")

// PolicyResponse is the IAM-policy response of a Lambda authorizer: REST
// TOKEN and REQUEST authorizers, and HTTP API authorizers without simple
// responses.
type PolicyResponse struct {
	// PrincipalID identifies the caller ($context.authorizer.principalId).
	PrincipalID string
	// PolicyDocument is evaluated for the method ARN.
	PolicyDocument *Policy
	// Context is passed to the integration as
	// $context.authorizer.<key>. Values are string, json.Number or bool;
	// with payload format 2.0 they may also be arrays, objects and null.
	Context map[string]any
	// UsageIdentifierKey is the API key of the usage plan, for an API
	// whose API key source is AUTHORIZER.
	UsageIdentifierKey string
}

// SimpleResponse is the simple response of an HTTP API Lambda authorizer
// (payload format 2.0 with simple responses enabled).
type SimpleResponse struct {
	// IsAuthorized allows or denies the request.
	IsAuthorized bool
	// Context is passed to the integration; values may be any JSON.
	Context map[string]any
}

// ParsePolicyResponse reads the response of a REST TOKEN or REQUEST
// authorizer (or an HTTP API authorizer of payload format 1.0):
// principalId (a string), policyDocument (an IAM policy), and optionally
// context, whose values must be strings, numbers or booleans, and
// usageIdentifierKey. Anything else is an ErrAuthorizerConfiguration.
func ParsePolicyResponse(data []byte) (*PolicyResponse, error) {
	return parsePolicyResponse(data, false)
}

// ParsePolicyResponseV2 reads the IAM-policy response of an HTTP API
// authorizer of payload format 2.0: as ParsePolicyResponse, but context
// values may be any JSON, arrays and objects included.
func ParsePolicyResponseV2(data []byte) (*PolicyResponse, error) {
	return parsePolicyResponse(data, true)
}

func parsePolicyResponse(data []byte, anyContext bool) (*PolicyResponse, error) {
	m, err := object(data)
	if err != nil {
		return nil, ErrAuthorizerConfiguration.Newf("authorizer response is not a JSON object: %v", err)
	}
	out := &PolicyResponse{}
	raw, ok := m["principalId"]
	if !ok || json.Unmarshal(raw, &out.PrincipalID) != nil {
		return nil, ErrAuthorizerConfiguration.New("authorizer response has no principalId string")
	}
	raw, ok = m["policyDocument"]
	if !ok || string(raw) == "null" {
		return nil, ErrAuthorizerConfiguration.New("authorizer response has no policyDocument")
	}
	if out.PolicyDocument, err = ParsePolicy(raw); err != nil {
		return nil, ErrAuthorizerConfiguration.Newf("authorizer response's policyDocument: %v", err)
	}
	if out.Context, err = parseContext(m["context"], anyContext); err != nil {
		return nil, err
	}
	if raw, ok := m["usageIdentifierKey"]; ok && string(raw) != "null" {
		if json.Unmarshal(raw, &out.UsageIdentifierKey) != nil {
			return nil, ErrAuthorizerConfiguration.New("authorizer response's usageIdentifierKey is not a string")
		}
	}
	return out, nil
}

// ParseSimpleResponse reads an HTTP API authorizer's simple response,
// {"isAuthorized": bool, "context": {…}}. A response without a boolean
// isAuthorized is an ErrAuthorizerConfiguration.
func ParseSimpleResponse(data []byte) (*SimpleResponse, error) {
	m, err := object(data)
	if err != nil {
		return nil, ErrAuthorizerConfiguration.Newf("authorizer response is not a JSON object: %v", err)
	}
	out := &SimpleResponse{}
	raw, ok := m["isAuthorized"]
	if !ok || json.Unmarshal(raw, &out.IsAuthorized) != nil || string(raw) == "null" {
		return nil, ErrAuthorizerConfiguration.New("authorizer response has no isAuthorized boolean")
	}
	if out.Context, err = parseContext(m["context"], true); err != nil {
		return nil, err
	}
	return out, nil
}

// parseContext reads a context object; unless anyValue, only strings,
// numbers and booleans are allowed as values.
func parseContext(raw json.RawMessage, anyValue bool) (map[string]any, error) {
	if raw == nil || string(raw) == "null" {
		return nil, nil
	}
	if firstByte(raw) != '{' {
		return nil, ErrAuthorizerConfiguration.New("authorizer response's context is not an object")
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	var ctx map[string]any
	if err := d.Decode(&ctx); err != nil {
		return nil, ErrAuthorizerConfiguration.Newf("authorizer response's context: %v", err)
	}
	if anyValue {
		return ctx, nil
	}
	for k, v := range ctx {
		switch v.(type) {
		case string, json.Number, bool:
		default:
			return nil, ErrAuthorizerConfiguration.Newf("authorizer response's context value %q is not a string, number or boolean", k)
		}
	}
	return ctx, nil
}

// ContextStrings returns the context with every value as a string, as a
// REST API's Lambda proxy event carries it in requestContext.authorizer:
// numbers as written, booleans as "true"/"false", other JSON encoded.
func ContextStrings(ctx map[string]any) map[string]string {
	if ctx == nil {
		return nil
	}
	out := make(map[string]string, len(ctx))
	for k, v := range ctx {
		switch v := v.(type) {
		case string:
			out[k] = v
		case json.Number:
			out[k] = v.String()
		case bool:
			out[k] = strconv.FormatBool(v)
		default:
			b, err := json.Marshal(v)
			if err != nil {
				b = []byte(fmt.Sprint(v))
			}
			out[k] = string(b)
		}
	}
	return out
}
