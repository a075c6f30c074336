package sigv4

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
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

func FuzzVerifyPresigned(f *testing.F) {
	r := httptest.NewRequest("GET", "https://h.example/prod/items?x=1", nil)
	Presign(r, nil, exampleKeyID, Credential{SecretAccessKey: exampleSecret}, "eu-west-1", "execute-api", now, time.Hour)
	f.Add(r.URL.RawQuery)
	f.Add("X-Amz-Signature=00&X-Amz-Expires=-1")
	f.Add("X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=a%2Fb&X-Amz-Date=x&X-Amz-SignedHeaders=host&X-Amz-Signature=0&X-Amz-Expires=99999999999999999999")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		r := httptest.NewRequest("GET", "https://h.example/prod/items", nil)
		r.URL.RawQuery = rawQuery
		id, err := Verify(r, nil, apiOptions())
		if (id == nil) == (err == nil) {
			t.Fatalf("Verify(?%s) = %v, %v: want exactly one", rawQuery, id, err)
		}
		if id != nil && (!id.Presigned || id.AccessKeyID != exampleKeyID) {
			t.Fatalf("Verify(?%s) accepted %+v", rawQuery, id)
		}
	})
}
