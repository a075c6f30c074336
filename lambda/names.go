package lambda

import (
	"strings"
)

// LatestVersion is the qualifier of a function's unpublished, editable
// version.
const LatestVersion = "$LATEST"

// Name and qualifier constraints of the Lambda API Reference.
const (
	maxFunctionNameLen = 64
	maxFunctionRefLen  = 170
	maxQualifierLen    = 128
	maxAliasNameLen    = 128
)

// functionRef is a parsed FunctionName parameter: a bare name, name with
// qualifier, partial ARN or full ARN.
type functionRef struct {
	name      string
	qualifier string
	region    string
	account   string
}

// parseFunctionRef accepts the four forms Lambda accepts for FunctionName:
// "my-function", "my-function:v1", "123456789012:function:my-function" and
// "arn:aws:lambda:us-west-2:123456789012:function:my-function", the last
// two optionally followed by ":qualifier".
func parseFunctionRef(s string) (functionRef, error) {
	var r functionRef
	if s == "" {
		return r, ErrInvalidParameterValue.New("FunctionName is required")
	}
	if len(s) > maxFunctionRefLen {
		return r, ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to %d", s, maxFunctionRefLen)
	}
	if strings.IndexByte(s, ':') < 0 {
		if !validFunctionName(s) {
			return r, badFunctionName(s)
		}
		r.name = s
		return r, nil
	}
	parts := strings.Split(s, ":")
	switch {
	case strings.HasPrefix(s, "arn:"):
		// arn:partition:lambda:region:account:function:name[:qualifier]
		if len(parts) < 7 || len(parts) > 8 || !strings.HasPrefix(parts[1], "aws") || parts[2] != "lambda" || parts[5] != "function" {
			return r, badFunctionName(s)
		}
		r.region, r.account, r.name = parts[3], parts[4], parts[6]
		if len(parts) == 8 {
			r.qualifier = parts[7]
			if r.qualifier == "" {
				return r, badFunctionName(s)
			}
		}
		if !validRegion(r.region) || !validAccount(r.account) {
			return r, badFunctionName(s)
		}
	case len(parts) >= 3 && parts[1] == "function":
		// account:function:name[:qualifier]
		if len(parts) > 4 || !validAccount(parts[0]) {
			return r, badFunctionName(s)
		}
		r.account, r.name = parts[0], parts[2]
		if len(parts) == 4 {
			r.qualifier = parts[3]
			if r.qualifier == "" {
				return r, badFunctionName(s)
			}
		}
	default:
		if len(parts) > 2 {
			return r, badFunctionName(s)
		}
		r.name = parts[0]
		if len(parts) == 2 {
			r.qualifier = parts[1]
			if r.qualifier == "" {
				return r, badFunctionName(s)
			}
		}
	}
	if !validFunctionName(r.name) {
		return r, badFunctionName(s)
	}
	if r.qualifier != "" && !validQualifier(r.qualifier) {
		return r, badFunctionName(s)
	}
	return r, nil
}

func badFunctionName(s string) *Error {
	return ErrInvalidParameterValue.Newf("1 validation error detected: Value '%s' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?", s)
}

// validFunctionName: 1 to 64 letters, digits, hyphens and underscores.
func validFunctionName(n string) bool {
	if n == "" || len(n) > maxFunctionNameLen {
		return false
	}
	for i := 0; i < len(n); i++ {
		if !isNameByte(n[i]) {
			return false
		}
	}
	return true
}

// validQualifier: $LATEST, a version number or an alias name.
func validQualifier(q string) bool {
	if q == LatestVersion {
		return true
	}
	if q == "" || len(q) > maxQualifierLen {
		return false
	}
	for i := 0; i < len(q); i++ {
		if !isNameByte(q[i]) {
			return false
		}
	}
	return true
}

// validAliasName: 1 to 128 name characters, not all digits (those are
// version numbers).
func validAliasName(n string) bool {
	return n != "" && len(n) <= maxAliasNameLen && validQualifier(n) && n != LatestVersion && !isVersionNumber(n)
}

func isVersionNumber(q string) bool {
	if q == "" || len(q) > 19 {
		return false
	}
	for i := 0; i < len(q); i++ {
		if q[i] < '0' || q[i] > '9' {
			return false
		}
	}
	return true
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_'
}

func validAccount(a string) bool { return len(a) == 12 && isVersionNumber(a) }

// validRegion accepts names like us-east-1 and us-gov-west-1.
func validRegion(r string) bool {
	parts := strings.Split(r, "-")
	if len(parts) < 3 || len(parts[0]) != 2 {
		return false
	}
	last := parts[len(parts)-1]
	if len(last) != 1 || last[0] < '0' || last[0] > '9' {
		return false
	}
	for _, p := range parts[:len(parts)-1] {
		if p == "" {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < 'a' || p[i] > 'z' {
				return false
			}
		}
	}
	return true
}

// functionARN returns the unqualified ARN of a function.
func (s *Service) functionARN(name string) string {
	return "arn:aws:lambda:" + s.region + ":" + s.account + ":function:" + name
}

// qualifiedARN returns the ARN of a version or alias of a function.
func (s *Service) qualifiedARN(name, qualifier string) string {
	if qualifier == "" {
		return s.functionARN(name)
	}
	return s.functionARN(name) + ":" + qualifier
}
