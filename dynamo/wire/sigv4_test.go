package wire

import (
	"encoding/hex"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// The example credentials of AWS's SigV4 documentation and test suite.
const (
	exampleKeyID  = "AKIDEXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

func TestSigningKey_MatchesAWSDocumentation(t *testing.T) {
	// "Deriving the signing key" example of the SigV4 documentation.
	got := hex.EncodeToString(signingKey(exampleSecret, "20120215", "us-east-1", "iam"))
	const want = "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
	if got != want {
		t.Errorf("signingKey = %s, want %s", got, want)
	}
}

func TestSignature_MatchesAWSTestSuiteGetVanilla(t *testing.T) {
	// get-vanilla of the AWS SigV4 test suite.
	r := httptest.NewRequest("GET", "http://example.amazonaws.com/", nil)
	r.Header.Set("X-Amz-Date", "20150830T123600Z")
	canonical := canonicalRequest(r, []string{"host", "x-amz-date"}, nil)
	const wantCanonical = "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	if canonical != wantCanonical {
		t.Fatalf("canonical request =\n%s\nwant\n%s", canonical, wantCanonical)
	}
	toSign := stringToSign("20150830T123600Z", "20150830/us-east-1/service/aws4_request", canonical)
	got := hex.EncodeToString(sign(signingKey(exampleSecret, "20150830", "us-east-1", "service"), toSign))
	const want = "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"
	if got != want {
		t.Errorf("signature = %s, want %s", got, want)
	}
}

func TestCanonicalRequest_NormalizesHeadersAndQuery(t *testing.T) {
	r := httptest.NewRequest("POST", "http://h.example/a%20b/c?b=2&a=z&a=y&sp=x%20y", strings.NewReader("{}"))
	r.Header.Add("X-Multi", "  one   two ")
	r.Header.Add("X-Multi", "three")
	got := canonicalRequest(r, []string{"Host", "X-Multi"}, []byte("{}"))
	lines := strings.Split(got, "\n")
	want := []string{
		"POST",
		"/a%2520b/c",
		"a=y&a=z&b=2&sp=x%20y",
		"host:h.example",
		"x-multi:one two,three",
		"",
		"host;x-multi",
		"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("canonical request =\n%s\nwant\n%s", got, strings.Join(want, "\n"))
	}
}

// signRequest signs r for DynamoDB as a client would, with the functions
// under test; the SDK tests in sdktest check them against the real signer.
func signRequest(r *http.Request, body []byte, keyID, secret, region string, at time.Time) {
	date := at.UTC().Format(amzDateFormat)
	r.Header.Set("X-Amz-Date", date)
	signed := []string{"content-type", "host", "x-amz-date", "x-amz-target"}
	scope := date[:8] + "/" + region + "/dynamodb/aws4_request"
	toSign := stringToSign(date, scope, canonicalRequest(r, signed, body))
	sig := hex.EncodeToString(sign(signingKey(secret, date[:8], region, "dynamodb"), toSign))
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential="+keyID+"/"+scope+", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
}

func TestVerifySigV4_AnswersAsAWS(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	creds := map[string]string{exampleKeyID: exampleSecret}
	body := []byte(`{"TableName":"t"}`)
	newReq := func() *http.Request {
		r := httptest.NewRequest("POST", "http://localhost:4566/", strings.NewReader(string(body)))
		r.Header.Set("Content-Type", "application/x-amz-json-1.0")
		r.Header.Set("X-Amz-Target", "DynamoDB_20120810.DescribeTable")
		return r
	}
	tests := []struct {
		name    string
		prepare func(r *http.Request)
		code    string
		msg     string
	}{
		{"valid", func(r *http.Request) { signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now) }, "", ""},
		{"valid within skew", func(r *http.Request) {
			signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now.Add(-14*time.Minute))
		}, "", ""},
		{"unsigned", func(r *http.Request) {}, "MissingAuthenticationTokenException", "Request is missing Authentication Token"},
		{"unknown key", func(r *http.Request) { signRequest(r, body, "AKIDOTHER", exampleSecret, "us-east-1", now) },
			"UnrecognizedClientException", "The security token included in the request is invalid."},
		{"wrong secret", func(r *http.Request) { signRequest(r, body, exampleKeyID, "not-the-secret", "us-east-1", now) },
			"InvalidSignatureException", "The request signature we calculated does not match the signature you provided."},
		{"body changed after signing", func(r *http.Request) {
			signRequest(r, []byte(`{"TableName":"u"}`), exampleKeyID, exampleSecret, "us-east-1", now)
		}, "InvalidSignatureException", "The request signature we calculated does not match"},
		{"other region", func(r *http.Request) { signRequest(r, body, exampleKeyID, exampleSecret, "eu-west-1", now) },
			"InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'."},
		{"expired", func(r *http.Request) {
			signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now.Add(-16*time.Minute))
		}, "InvalidSignatureException", "Signature expired: 20240501T114400Z is now earlier than 20240501T114500Z (20240501T120000Z - 15 min.)"},
		{"future", func(r *http.Request) {
			signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now.Add(16*time.Minute))
		}, "InvalidSignatureException", "Signature not yet current"},
		{"missing parts", func(r *http.Request) {
			r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e")
		}, "IncompleteSignatureException", "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a/b/c/d/e"},
		{"bad date", func(r *http.Request) {
			signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now)
			r.Header.Set("X-Amz-Date", "201")
		}, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '201'."},
		{"host not signed", func(r *http.Request) {
			signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "host;", "", 1))
		}, "InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{"short credential", func(r *http.Request) {
			signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now)
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", strings.Replace(a, "/dynamodb/aws4_request", "/dynamodb", 1))
		}, "IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240501/us-east-1/dynamodb'"},
		{"wrong service", func(r *http.Request) {
			signRequest(r, body, exampleKeyID, exampleSecret, "us-east-1", now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/dynamodb/", "/s3/", 1))
		}, "InvalidSignatureException", "Credential should be scoped to correct service: 'dynamodb'."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newReq()
			tt.prepare(r)
			err := verifySigV4(r, body, creds, "us-east-1", now)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("verifySigV4: %v", err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != tt.code || !strings.HasPrefix(e.Message, tt.msg) {
				t.Errorf("verifySigV4 = %v\nwant %s: %s…", err, tt.code, tt.msg)
			}
		})
	}
}
