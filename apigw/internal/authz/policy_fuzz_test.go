package authz

import (
	"errors"
	"testing"
)

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(allowDoc), "execute-api:Invoke", arn+"/prod/GET/pets", "192.0.2.1")
	f.Add([]byte(`{"Statement":{"Effect":"Deny","Principal":"*","NotAction":"x:*","NotResource":["a*","b?"],"Condition":{"NotIpAddress":{"aws:SourceIp":["10.0.0.0/8","::1"]},"ForAllValues:StringLikeIfExists":{"k":["v*",1,true]}}}}`), "x:y", "abc", "10.1.2.3")
	f.Add([]byte(`{"Version":"2008-10-17","Id":"p","Statement":[{"Sid":"s","Effect":"Allow","Principal":{"AWS":["111122223333","arn:aws:iam::1:root"],"Service":"s"},"Action":"*","Resource":"*","Condition":{"Null":{"k":"true"},"NumericLessThanEquals":{"n":"3.5"}}}]}`), "a:b", "", "")
	f.Add([]byte(`{"Statement":[]}`), "", "", "")
	f.Fuzz(func(t *testing.T, doc []byte, action, resource, ip string) {
		p, err := ParsePolicy(doc)
		if (p == nil) == (err == nil) {
			t.Fatalf("ParsePolicy = %v, %v: want exactly one", p, err)
		}
		if err != nil {
			if !errors.Is(err, ErrMalformedPolicy) {
				t.Fatalf("error %v does not wrap ErrMalformedPolicy", err)
			}
			return
		}
		req := Request{Action: action, Resource: resource, Principal: "arn:aws:iam::111122223333:user/u", Context: map[string]string{"aws:SourceIp": ip, "k": resource, "n": ip}}
		d := p.Evaluate(req)
		if d != Allow && d != ExplicitDeny && d != ImplicitDeny {
			t.Fatalf("Evaluate = %d", d)
		}
		// A policy without statements, or without any Allow, never allows.
		hasAllow := false
		for _, st := range p.Statements {
			hasAllow = hasAllow || st.Effect == EffectAllow
		}
		if !hasAllow && d == Allow {
			t.Fatalf("Evaluate allowed with no Allow statement")
		}
		if d != p.Evaluate(req) {
			t.Fatalf("Evaluate is not deterministic")
		}
	})
}

func FuzzParseAuthorizerResponse(f *testing.F) {
	f.Add([]byte(`{"principalId":"u","policyDocument":` + allowDoc + `,"context":{"a":"b","n":1,"t":true},"usageIdentifierKey":"k"}`))
	f.Add([]byte(`{"isAuthorized":true,"context":{"m":{"a":[1]}}}`))
	f.Add([]byte(`{"principalId":"u","policyDocument":{},"context":{"x":{}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, parse := range []func([]byte) (*PolicyResponse, error){ParsePolicyResponse, ParsePolicyResponseV2} {
			r, err := parse(data)
			if (r == nil) == (err == nil) || err != nil && !errors.Is(err, ErrAuthorizerConfiguration) {
				t.Fatalf("parse = %v, %v", r, err)
			}
			if r != nil {
				_ = ContextStrings(r.Context)
			}
		}
		s, err := ParseSimpleResponse(data)
		if (s == nil) == (err == nil) || err != nil && !errors.Is(err, ErrAuthorizerConfiguration) {
			t.Fatalf("ParseSimpleResponse = %v, %v", s, err)
		}
	})
}
