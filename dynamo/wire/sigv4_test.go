package wire

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/internal/sigv4"
)

// The example credentials of AWS's SigV4 documentation and test suite; the
// AWS test vectors themselves are in internal/sigv4.
const (
	exampleKeyID  = "AKIDEXAMPLE"
	exampleSecret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
)

// signRequest signs r for DynamoDB as a client would (every header it
// carries, plus host and X-Amz-Date); the SDK tests in sdktest check the
// verifier against the real signer.
func signRequest(r *http.Request, body []byte, keyID, secret, region string, at time.Time) {
	sigv4.Sign(r, body, keyID, sigv4.Credential{SecretAccessKey: secret}, region, "dynamodb", at)
}

func TestVerifySigV4_AnswersAsDynamoDB(t *testing.T) {
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
		{"not SigV4", func(r *http.Request) { r.Header.Set("Authorization", "Bearer x") }, "MissingAuthenticationTokenException", "Request is missing Authentication Token"},
		{"presigned query", func(r *http.Request) {
			sigv4.Presign(r, body, exampleKeyID, sigv4.Credential{SecretAccessKey: exampleSecret}, "us-east-1", "dynamodb", now, time.Hour)
		}, "MissingAuthenticationTokenException", "Request is missing Authentication Token"},
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
			if !errors.As(err, &e) || e.Code != tt.code || !strings.HasPrefix(e.Message, tt.msg) || e.StatusCode != 400 {
				t.Errorf("verifySigV4 = %#v\nwant %s (400): %s…", err, tt.code, tt.msg)
			}
		})
	}
}
