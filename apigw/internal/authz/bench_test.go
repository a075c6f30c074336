package authz

import (
	"fmt"
	"strings"
	"testing"
)

func BenchmarkVerify(b *testing.B) {
	ks := testKeySet(b)
	want := Expect{Issuer: issuer, Audiences: []string{"app-client"}, Algorithms: AllAlgorithms}
	for _, kid := range []string{"rsa1", "ec256"} {
		tok := mustSign(b, kid, claims(nil))
		b.Run(testKeys()[kid].Alg, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Verify(tok, ks, want, jwtNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkEvaluate(b *testing.B) {
	// A Lambda authorizer's typical policy, and a resource policy with an
	// IP allow list, each evaluated for a method ARN.
	var stmts []string
	for i := range 20 {
		stmts = append(stmts, fmt.Sprintf(`{"Effect":"Allow","Action":"execute-api:Invoke","Resource":"%s/prod/GET/items/%d/*"}`, arn, i))
	}
	stmts = append(stmts, `{"Effect":"Deny","Action":"execute-api:Invoke","Resource":"`+arn+`/*/DELETE/*"}`)
	authorizer := mustPolicy(b, `{"Version":"2012-10-17","Statement":[`+strings.Join(stmts, ",")+`]}`)
	resource := mustPolicy(b, `{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"execute-api:Invoke","Resource":"`+arn+`/*"},
		{"Effect":"Deny","Principal":"*","Action":"execute-api:Invoke","Resource":"`+arn+`/*","Condition":{"NotIpAddress":{"aws:SourceIp":["192.0.2.0/24","198.51.100.0/24","203.0.113.0/24"]}}}]}`)
	req := Request{Action: InvokeAction, Resource: arn + "/prod/GET/items/19/detail", Context: map[string]string{"aws:SourceIp": "203.0.113.9"}}
	for _, bb := range []struct {
		name string
		p    *Policy
	}{{"authorizer21statements", authorizer}, {"resourcePolicyIP", resource}} {
		b.Run(bb.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if bb.p.Evaluate(req) != Allow {
					b.Fatal("not allowed")
				}
			}
		})
	}
}

func BenchmarkParsePolicyResponse(b *testing.B) {
	doc := []byte(`{"principalId":"user","policyDocument":` + allowDoc + `,"context":{"a":"b","n":1,"t":true}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParsePolicyResponse(doc); err != nil {
			b.Fatal(err)
		}
	}
}
