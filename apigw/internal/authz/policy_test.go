package authz

import (
	"errors"
	"testing"
)

const arn = "arn:aws:execute-api:eu-west-1:123456789012:abc123"

func mustPolicy(t testing.TB, doc string) *Policy {
	t.Helper()
	p, err := ParsePolicy([]byte(doc))
	if err != nil {
		t.Fatalf("ParsePolicy: %v", err)
	}
	return p
}

func TestMethodARN_IsAPIGatewaysShape(t *testing.T) {
	for _, tt := range []struct{ path, want string }{
		{"/pets/1", arn + "/prod/GET/pets/1"},
		{"/", arn + "/prod/GET/"},
	} {
		if got := MethodARN("eu-west-1", "123456789012", "abc123", "prod", "GET", tt.path); got != tt.want {
			t.Errorf("MethodARN(%q) = %s, want %s", tt.path, got, tt.want)
		}
	}
}

func TestEvaluate_DecidesAsIAM(t *testing.T) {
	tests := []struct {
		name   string
		policy string
		req    Request
		want   Decision
	}{
		{"allow exact", `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/prod/GET/pets"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets"}, Allow},
		{"statement as an object", `{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":["execute-api:Invoke"],"Resource":["` + arn + `/prod/GET/pets"]}}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets"}, Allow},
		{"other method implicitly denied", `{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/prod/GET/pets"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/POST/pets"}, ImplicitDeny},
		{"star spans slashes", `{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets/1/toys"}, Allow},
		{"star per segment", `{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/*/GET/pets/*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/dev/GET/pets/7"}, Allow},
		{"star needs the literal around it", `{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/*/GET/pets/*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/dev/GET/pets"}, ImplicitDeny},
		{"question mark is one character", `{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/prod/GET/pets/?"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets/12"}, ImplicitDeny},
		{"question mark matches a multibyte character", `{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/prod/GET/caf?"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/café"}, Allow},
		{"resources are case-sensitive", `{"Statement":[{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"` + arn + `/prod/GET/Pets"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets"}, ImplicitDeny},
		{"actions are case-insensitive", `{"Statement":[{"Effect":"Allow","Action":"Execute-API:invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets"}, Allow},
		{"action wildcard", `{"Statement":[{"Effect":"Allow","Action":"execute-api:*","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets"}, Allow},
		{"other action", `{"Statement":[{"Effect":"Allow","Action":"execute-api:ManageConnections","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets"}, ImplicitDeny},
		{"explicit deny wins over an earlier allow", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"` + arn + `/*/DELETE/*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/DELETE/pets/1"}, ExplicitDeny},
		{"deny elsewhere leaves the allow", `{"Statement":[{"Effect":"Allow","Action":"*","Resource":"*"},{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"` + arn + `/*/DELETE/*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/pets/1"}, Allow},
		{"NotResource", `{"Statement":[{"Effect":"Deny","Action":"execute-api:Invoke","NotResource":"` + arn + `/prod/GET/public"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/private"}, ExplicitDeny},
		{"NotResource excludes", `{"Statement":[{"Effect":"Deny","Action":"execute-api:Invoke","NotResource":"` + arn + `/prod/GET/public"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/public"}, ImplicitDeny},
		{"NotAction", `{"Statement":[{"Effect":"Allow","NotAction":"execute-api:ManageConnections","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x"}, Allow},
		{"principal star matches anonymous", `{"Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x"}, Allow},
		{"AWS star matches anonymous", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"*"},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x"}, Allow},
		{"account principal matches its users", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x", Principal: "arn:aws:iam::111122223333:user/bob"}, Allow},
		{"root ARN matches the account's users", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root"]},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x", Principal: "arn:aws:sts::111122223333:assumed-role/r/s"}, Allow},
		{"account principal refuses another account", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x", Principal: "arn:aws:iam::999999999999:user/bob"}, ImplicitDeny},
		{"account principal refuses anonymous", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x"}, ImplicitDeny},
		{"user ARN principal is exact", `{"Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:user/alice"},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x", Principal: "arn:aws:iam::111122223333:user/bob"}, ImplicitDeny},
		{"NotPrincipal", `{"Statement":[{"Effect":"Deny","NotPrincipal":{"AWS":"111122223333"},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x", Principal: "999999999999"}, ExplicitDeny},
		{"service principal", `{"Statement":[{"Effect":"Allow","Principal":{"Service":"events.amazonaws.com"},"Action":"execute-api:Invoke","Resource":"*"}]}`,
			Request{Action: InvokeAction, Resource: arn + "/prod/GET/x", Principal: "events.amazonaws.com"}, Allow},
		{"nil policy", ``, Request{Action: InvokeAction, Resource: arn}, ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *Policy
			if tt.policy != "" {
				p = mustPolicy(t, tt.policy)
			}
			if got := p.Evaluate(tt.req); got != tt.want {
				t.Errorf("Evaluate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestEvaluate_ResourcePolicyConditions(t *testing.T) {
	const allowIP = `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"` + arn + `/*"},
		{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"` + arn + `/*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","198.51.100.7","2001:db8::/32"]}}}]}`
	const vpce = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"` + arn + `/*","Condition":{"StringNotEquals":{"aws:SourceVpce":"vpce-1a2b3c4d"}}},
		{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"` + arn + `/*"}]}`
	const generic = `{"Statement":{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"*","Condition":{
		"StringLike":{"aws:SourceVpc":"vpc-11*"},"StringEqualsIgnoreCase":{"team":"Blue"},"NumericLessThan":{"tier":3},"Bool":{"aws:SecureTransport":true},
		"StringEqualsIfExists":{"stage":"prod"},"Null":{"banned":"true"},"ForAllValues:StringEquals":{"region":["eu-west-1","eu-west-2"]},
		"ArnLike":{"aws:PrincipalArn":"arn:aws:iam::*:role/app-*"},"IpAddressIfExists":{"viaIp":"10.0.0.0/8"}}}}`
	genericCtx := func(mod func(m map[string]string)) map[string]string {
		m := map[string]string{"aws:SourceVpc": "vpc-1122", "Team": "BLUE", "tier": "2", "aws:SecureTransport": "true",
			"region": "eu-west-1", "aws:PrincipalArn": "arn:aws:iam::123456789012:role/app-web"}
		if mod != nil {
			mod(m)
		}
		return m
	}
	tests := []struct {
		name   string
		policy string
		ctx    map[string]string
		want   Decision
	}{
		{"IP in the CIDR", allowIP, map[string]string{"aws:SourceIp": "192.0.2.44"}, Allow},
		{"IP equal to a single address", allowIP, map[string]string{"aws:SourceIp": "198.51.100.7"}, Allow},
		{"IPv4-mapped IPv6 in the CIDR", allowIP, map[string]string{"aws:SourceIp": "::ffff:192.0.2.44"}, Allow},
		{"IPv6 in the CIDR", allowIP, map[string]string{"aws:SourceIp": "2001:db8::1"}, Allow},
		{"IP outside", allowIP, map[string]string{"aws:SourceIp": "203.0.113.9"}, ExplicitDeny},
		{"IP key case-insensitive", allowIP, map[string]string{"AWS:SOURCEIP": "203.0.113.9"}, ExplicitDeny},
		{"IP unparseable is outside", allowIP, map[string]string{"aws:SourceIp": "not-an-ip"}, ExplicitDeny},
		// NotIpAddress holds for a missing key, so the Deny applies.
		{"IP missing passes a negated operator", allowIP, nil, ExplicitDeny},
		{"from the VPC endpoint", vpce, map[string]string{"aws:SourceVpce": "vpce-1a2b3c4d"}, Allow},
		{"from another VPC endpoint", vpce, map[string]string{"aws:SourceVpce": "vpce-ffff"}, ExplicitDeny},
		{"not through a VPC endpoint", vpce, nil, ExplicitDeny},
		{"every generic condition holds", generic, genericCtx(nil), Allow},
		{"StringLike fails", generic, genericCtx(func(m map[string]string) { m["aws:SourceVpc"] = "vpc-22" }), ImplicitDeny},
		{"IgnoreCase fails", generic, genericCtx(func(m map[string]string) { m["Team"] = "red" }), ImplicitDeny},
		{"Numeric fails", generic, genericCtx(func(m map[string]string) { m["tier"] = "3" }), ImplicitDeny},
		{"Numeric not a number", generic, genericCtx(func(m map[string]string) { m["tier"] = "two" }), ImplicitDeny},
		{"Bool fails", generic, genericCtx(func(m map[string]string) { m["aws:SecureTransport"] = "false" }), ImplicitDeny},
		{"Bool key missing", generic, genericCtx(func(m map[string]string) { delete(m, "aws:SecureTransport") }), ImplicitDeny},
		{"IfExists present and wrong", generic, genericCtx(func(m map[string]string) { m["stage"] = "dev" }), ImplicitDeny},
		{"IfExists present and right", generic, genericCtx(func(m map[string]string) { m["stage"] = "prod" }), Allow},
		{"Null true fails when present", generic, genericCtx(func(m map[string]string) { m["banned"] = "yes" }), ImplicitDeny},
		{"ForAllValues absent passes", generic, genericCtx(func(m map[string]string) { delete(m, "region") }), Allow},
		{"ForAllValues outside the set", generic, genericCtx(func(m map[string]string) { m["region"] = "us-east-1" }), ImplicitDeny},
		{"ArnLike fails", generic, genericCtx(func(m map[string]string) { m["aws:PrincipalArn"] = "arn:aws:iam::1:user/app-x" }), ImplicitDeny},
		{"IpAddressIfExists present and outside", generic, genericCtx(func(m map[string]string) { m["viaIp"] = "192.168.0.1" }), ImplicitDeny},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mustPolicy(t, tt.policy).Evaluate(Request{Action: InvokeAction, Resource: arn + "/prod/GET/x", Context: tt.ctx})
			if got != tt.want {
				t.Errorf("Evaluate = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParsePolicy_RefusesMalformedDocuments(t *testing.T) {
	tests := map[string]string{
		"not JSON":                   `{`,
		"an array":                   `[]`,
		"no Statement":               `{"Version":"2012-10-17"}`,
		"unknown version":            `{"Version":"2020-01-01","Statement":[]}`,
		"unknown element":            `{"Statement":[],"Extra":1}`,
		"lower-case element":         `{"statement":[]}`,
		"statement not an object":    `{"Statement":["x"]}`,
		"no Effect":                  `{"Statement":{"Action":"*","Resource":"*"}}`,
		"Effect lower case":          `{"Statement":{"Effect":"allow","Action":"*","Resource":"*"}}`,
		"no Action":                  `{"Statement":{"Effect":"Allow","Resource":"*"}}`,
		"Action and NotAction":       `{"Statement":{"Effect":"Allow","Action":"*","NotAction":"*","Resource":"*"}}`,
		"no Resource":                `{"Statement":{"Effect":"Allow","Action":"*"}}`,
		"Resource a number":          `{"Statement":{"Effect":"Allow","Action":"*","Resource":1}}`,
		"Resource empty array":       `{"Statement":{"Effect":"Allow","Action":"*","Resource":[]}}`,
		"Resource array of objects":  `{"Statement":{"Effect":"Allow","Action":"*","Resource":[{}]}}`,
		"Principal a name":           `{"Statement":{"Effect":"Allow","Principal":"bob","Action":"*","Resource":"*"}}`,
		"Principal unknown type":     `{"Statement":{"Effect":"Allow","Principal":{"Robot":"x"},"Action":"*","Resource":"*"}}`,
		"Principal and NotPrincipal": `{"Statement":{"Effect":"Allow","Principal":"*","NotPrincipal":"*","Action":"*","Resource":"*"}}`,
		"unknown operator":           `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringSortOf":{"k":"v"}}}}`,
		"bad CIDR":                   `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"IpAddress":{"aws:SourceIp":"10.0.0.0/33"}}}}`,
		"bad number":                 `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"NumericEquals":{"k":"many"}}}}`,
		"object condition value":     `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":{}}}}}`,
		"empty condition values":     `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"StringEquals":{"k":[]}}}}`,
		"Null not boolean":           `{"Statement":{"Effect":"Allow","Action":"*","Resource":"*","Condition":{"Null":{"k":"maybe"}}}}`,
	}
	for name, doc := range tests {
		t.Run(name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(doc))
			if !errors.Is(err, ErrMalformedPolicy) || p != nil {
				t.Errorf("ParsePolicy = %v, %v; want ErrMalformedPolicy", p, err)
			}
		})
	}
}

func TestCombine_DenyWinsThenAllow(t *testing.T) {
	for _, tt := range []struct {
		in   []Decision
		want Decision
	}{
		{nil, ImplicitDeny},
		{[]Decision{ImplicitDeny, Allow}, Allow},
		{[]Decision{Allow, ExplicitDeny, Allow}, ExplicitDeny},
	} {
		if got := Combine(tt.in...); got != tt.want {
			t.Errorf("Combine(%v) = %v, want %v", tt.in, got, tt.want)
		}
	}
	if Allow.String() != "Allow" || ExplicitDeny.String() != "ExplicitDeny" || Decision(0).String() != "ImplicitDeny" {
		t.Error("Decision names")
	}
}

func TestGlob_MatchesAsIAMWildcards(t *testing.T) {
	for _, tt := range []struct {
		pattern, s string
		want       bool
	}{
		{"*", "", true}, {"*", "a/b:c", true}, {"a*c", "abbbc", true}, {"a*c", "abbb", false},
		{"a?c", "abc", true}, {"a?c", "ac", false}, {"**a", "bba", true}, {"a*b*c", "aXbYbZc", true},
		{"", "", true}, {"", "a", false}, {"abc", "abc", true}, {"abc", "abcd", false},
	} {
		if got := glob(tt.pattern, tt.s); got != tt.want {
			t.Errorf("glob(%q, %q) = %v, want %v", tt.pattern, tt.s, got, tt.want)
		}
	}
}
