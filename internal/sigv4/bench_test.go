package sigv4

import "testing"

func BenchmarkVerify(b *testing.B) {
	r := newAPIRequest()
	signAPI(r, now)
	opts := apiOptions()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(r, apiBody, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	r := newAPIRequest()
	c := Credential{SecretAccessKey: exampleSecret}
	b.ReportAllocs()
	for b.Loop() {
		Sign(r, apiBody, exampleKeyID, c, "eu-west-1", "execute-api", now)
	}
}
