package authz

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// InvokeAction is the action API Gateway authorizes a call to an API
// with.
const InvokeAction = "execute-api:Invoke"

// Decision is the outcome of evaluating policies for a request.
type Decision int

// The three outcomes, as IAM names them. The zero Decision is
// ImplicitDeny.
const (
	// ImplicitDeny: no statement allows the request (nor denies it).
	ImplicitDeny Decision = iota
	// Allow: a statement allows the request and none denies it.
	Allow
	// ExplicitDeny: a statement denies the request, whatever allows it.
	ExplicitDeny
)

// String returns the decision's name.
func (d Decision) String() string {
	switch d {
	case Allow:
		return "Allow"
	case ExplicitDeny:
		return "ExplicitDeny"
	}
	return "ImplicitDeny"
}

// Combine is the decision of several policies evaluated together: an
// explicit deny in any wins, then an allow in any; otherwise implicit
// deny.
func Combine(ds ...Decision) Decision {
	out := ImplicitDeny
	for _, d := range ds {
		if d == ExplicitDeny {
			return ExplicitDeny
		}
		if d == Allow {
			out = Allow
		}
	}
	return out
}

// Request is what a policy is evaluated for.
type Request struct {
	// Action is the action, such as InvokeAction.
	Action string
	// Resource is the resource ARN, such as a method ARN (see
	// MethodARN).
	Resource string
	// Principal is the caller: an IAM ARN, an account ID or a service
	// principal. Empty is an anonymous caller, whom only a "*" principal
	// matches. Statements without Principal ignore it.
	Principal string
	// Context holds the condition keys and their values, such as
	// "aws:SourceIp", "aws:SourceVpce", "aws:SourceVpc" or
	// "aws:PrincipalAccount". Keys match case-insensitively.
	Context map[string]string
}

// MethodARN is the ARN API Gateway authorizes a method call as:
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path},
// path without its leading slash ("/pets/1" becomes "pets/1", "/" becomes
// "").
func MethodARN(region, account, apiID, stage, method, path string) string {
	return "arn:aws:execute-api:" + region + ":" + account + ":" + apiID + "/" + stage + "/" + method + "/" + strings.TrimPrefix(path, "/")
}

// Evaluate decides the request as IAM does: an explicit Deny in any
// matching statement wins; otherwise an Allow in a matching statement
// allows; otherwise the request is implicitly denied. A statement
// matches when its principal, action, resource and every condition do.
func (p *Policy) Evaluate(req Request) Decision {
	if p == nil {
		return ImplicitDeny
	}
	out := ImplicitDeny
	for i := range p.Statements {
		st := &p.Statements[i]
		if out == Allow && st.Effect == EffectAllow {
			continue // only a Deny can change the outcome now
		}
		if !st.matches(req) {
			continue
		}
		if st.Effect == EffectDeny {
			return ExplicitDeny
		}
		out = Allow
	}
	return out
}

func (st *Statement) matches(req Request) bool {
	action := req.Action
	if st.action != nil && !slices.ContainsFunc(st.action, func(pat string) bool { return globFold(pat, action) }) {
		return false
	}
	if st.notAction != nil && slices.ContainsFunc(st.notAction, func(pat string) bool { return globFold(pat, action) }) {
		return false
	}
	if st.Resource != nil && !slices.ContainsFunc(st.Resource, func(pat string) bool { return glob(pat, req.Resource) }) {
		return false
	}
	if st.NotResource != nil && slices.ContainsFunc(st.NotResource, func(pat string) bool { return glob(pat, req.Resource) }) {
		return false
	}
	if st.Principal != nil && !st.Principal.matches(req.Principal) {
		return false
	}
	if st.NotPrincipal != nil && st.NotPrincipal.matches(req.Principal) {
		return false
	}
	for i := range st.Condition {
		if !st.Condition[i].holds(req.Context) {
			return false
		}
	}
	return true
}

// matches reports whether the caller is one of the principal's. An
// account ID, or its root ARN, stands for every caller of the account.
func (p *Principal) matches(caller string) bool {
	if p.All {
		return true
	}
	if caller == "" {
		return false
	}
	account := accountOf(caller)
	for _, a := range p.AWS {
		switch {
		case a == caller:
			return true
		case isAccountID(a) || strings.HasPrefix(a, "arn:") && strings.HasSuffix(a, ":root"):
			if account != "" && accountOf(a) == account {
				return true
			}
		}
	}
	return slices.Contains(p.Service, caller) || slices.Contains(p.Federated, caller)
}

// accountOf is the account of an ARN (its fifth field) or of a bare
// account ID.
func accountOf(s string) string {
	if isAccountID(s) {
		return s
	}
	f := strings.SplitN(s, ":", 6)
	if len(f) == 6 && f[0] == "arn" {
		return f[4]
	}
	return ""
}

func isAccountID(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// glob matches s against pattern, where * matches any run of characters
// ("/" and ":" included) and ? any one character, without backtracking
// more than one star.
func glob(pattern, s string) bool { return match(pattern, s, false) }

// globFold is glob with s's ASCII letters lowered; pattern must be lower
// case already.
func globFold(pattern, s string) bool { return match(pattern, s, true) }

func match(pattern, s string, fold bool) bool {
	// Most patterns share a long literal prefix with the ARNs they are
	// matched against; a different prefix fails at once.
	if i := strings.IndexAny(pattern, "*?"); i < 0 && !fold {
		return pattern == s
	} else if i > 0 && !fold && !strings.HasPrefix(s, pattern[:i]) {
		return false
	}
	px, sx := 0, 0
	starP, starS := -1, 0
	for sx < len(s) {
		if px < len(pattern) {
			switch c := pattern[px]; {
			case c == '*':
				starP, starS = px, sx
				px++
				continue
			case c == '?':
				// One character, not one byte.
				_, size := utf8.DecodeRuneInString(s[sx:])
				px++
				sx += size
				continue
			case c == s[sx] || fold && c == lower(s[sx]):
				px++
				sx++
				continue
			}
		}
		if starP < 0 {
			return false
		}
		_, size := utf8.DecodeRuneInString(s[starS:])
		starS += size
		px, sx = starP+1, starS
	}
	for px < len(pattern) && pattern[px] == '*' {
		px++
	}
	return px == len(pattern)
}

func lower(c byte) byte {
	if c >= 'A' && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
