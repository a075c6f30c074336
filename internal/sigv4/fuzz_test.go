package sigv4

import (
	"net/http/httptest"
	"strings"
	"testing"
)

func FuzzParseAuthorization(f *testing.F) {
	f.Add("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", "20150830T123600Z")
	f.Add("AWS4-HMAC-SHA256 Credential=a/b/c/d/e", "")
	f.Add("Bearer x", "20150830T123600Z")
	f.Add("AWS4-HMAC-SHA256 Credential=,,,=,SignedHeaders=;;;, Signature=", "2015")
	f.Add("AWS4-HMAC-SHA256 Credential=A/20240101/eu-west-1/execute-api/aws4_request,SignedHeaders=Host,Signature=00", "20240101T001000Z")
	f.Fuzz(func(t *testing.T, auth, date string) {
		p := parseAuthorization(auth)
		if p.hasCredential && !strings.Contains(auth, "Credential=") ||
			p.hasSignature && !strings.Contains(auth, "Signature=") ||
			p.hasSigned && !strings.Contains(auth, "SignedHeaders=") {
			t.Fatalf("parseAuthorization(%q) found a parameter that is not there: %+v", auth, p)
		}
		r := httptest.NewRequest("POST", "https://h.example/", nil)
		r.Header.Set("Authorization", auth)
		r.Header.Set("X-Amz-Date", date)
		id, err := Verify(r, nil, apiOptions())
		if (id == nil) == (err == nil) {
			t.Fatalf("Verify(%q) = %v, %v: want exactly one", auth, id, err)
		}
		if id != nil && (id.AccessKeyID != exampleKeyID && id.AccessKeyID != "ASIATEMP") {
			t.Fatalf("Verify accepted unknown key %q", id.AccessKeyID)
		}
	})
}
