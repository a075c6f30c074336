package sigv4

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/internal/awserr"
)

var now = time.Date(2024, 1, 1, 0, 10, 0, 0, time.UTC)

func apiOptions() Options {
	return Options{
		Credentials: map[string]Credential{
			exampleKeyID: {SecretAccessKey: exampleSecret, Account: "123456789012", ARN: "arn:aws:iam::123456789012:user/alice"},
			"ASIATEMP":   {SecretAccessKey: "temp-secret", SessionToken: "the-token"},
		},
		Region:  "eu-west-1",
		Service: "execute-api",
		Now:     now,
	}
}

func newAPIRequest() *http.Request {
	r := httptest.NewRequest("POST", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items?b=2&a=1", strings.NewReader(`{"id":1}`))
	r.Header.Set("Content-Type", "application/json")
	return r
}

var apiBody = []byte(`{"id":1}`)

func signAPI(r *http.Request, at time.Time) {
	Sign(r, apiBody, exampleKeyID, Credential{SecretAccessKey: exampleSecret}, "eu-west-1", "execute-api", at)
}

func TestVerify_AnswersAsAWS(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(r *http.Request)
		code    string
		msg     string
	}{
		{"valid", func(r *http.Request) { signAPI(r, now) }, "", ""},
		{"valid at the edge of the skew", func(r *http.Request) { signAPI(r, now.Add(-5*time.Minute)) }, "", ""},
		{"unsigned", func(r *http.Request) {}, "MissingAuthenticationTokenException", "Missing Authentication Token"},
		{"bearer token", func(r *http.Request) { r.Header.Set("Authorization", "Bearer abc") }, "IncompleteSignatureException",
			"Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=Bearer abc"},
		{"unknown key", func(r *http.Request) {
			Sign(r, apiBody, "AKIDOTHER", Credential{SecretAccessKey: exampleSecret}, "eu-west-1", "execute-api", now)
		}, "UnrecognizedClientException", "The security token included in the request is invalid."},
		{"forged signature", func(r *http.Request) {
			Sign(r, apiBody, exampleKeyID, Credential{SecretAccessKey: "not-the-secret"}, "eu-west-1", "execute-api", now)
		}, "InvalidSignatureException", MsgSignatureMismatch + "\n\nThe Canonical String for this request should have been\n'POST\n/prod/items\na=1&b=2\n"},
		{"body changed after signing", func(r *http.Request) {
			Sign(r, []byte(`{"id":2}`), exampleKeyID, Credential{SecretAccessKey: exampleSecret}, "eu-west-1", "execute-api", now)
		}, "InvalidSignatureException", MsgSignatureMismatch},
		{"header changed after signing", func(r *http.Request) {
			signAPI(r, now)
			r.Header.Set("Content-Type", "text/plain")
		}, "InvalidSignatureException", MsgSignatureMismatch},
		{"signature tampered", func(r *http.Request) {
			signAPI(r, now)
			a := r.Header.Get("Authorization")
			r.Header.Set("Authorization", a[:len(a)-1]+string(a[len(a)-1]^1))
		}, "InvalidSignatureException", MsgSignatureMismatch},
		{"other region", func(r *http.Request) {
			Sign(r, apiBody, exampleKeyID, Credential{SecretAccessKey: exampleSecret}, "us-east-1", "execute-api", now)
		}, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'us-east-1'."},
		{"other service", func(r *http.Request) {
			Sign(r, apiBody, exampleKeyID, Credential{SecretAccessKey: exampleSecret}, "eu-west-1", "lambda", now)
		}, "InvalidSignatureException", "Credential should be scoped to correct service: 'execute-api'."},
		{"expired", func(r *http.Request) { signAPI(r, now.Add(-10*time.Minute)) }, "InvalidSignatureException",
			"Signature expired: 20240101T000000Z is now earlier than 20240101T000500Z (20240101T001000Z - 5 min.)"},
		{"future", func(r *http.Request) { signAPI(r, now.Add(6*time.Minute)) }, "InvalidSignatureException",
			"Signature not yet current: 20240101T001600Z is still later than 20240101T001500Z (20240101T001000Z + 5 min.)"},
		{"missing parts", func(r *http.Request) { r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=a/b/c/d/e") }, "IncompleteSignatureException",
			"Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256 Credential=a/b/c/d/e"},
		{"bad date", func(r *http.Request) {
			signAPI(r, now)
			r.Header.Set("X-Amz-Date", "201")
		}, "IncompleteSignatureException", "Date must be in ISO-8601 'basic format'. Got '201'."},
		{"host not signed", func(r *http.Request) {
			signAPI(r, now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), ";host", "", 1))
		}, "InvalidSignatureException", "'Host' must be a 'SignedHeader' in the AWS Authorization."},
		{"other algorithm", func(r *http.Request) {
			signAPI(r, now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256", "AWS4-ECDSA-P256-SHA256", 1))
		}, "IncompleteSignatureException", "Unsupported AWS 'algorithm': 'AWS4-ECDSA-P256-SHA256'"},
		{"short credential", func(r *http.Request) {
			signAPI(r, now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/execute-api/aws4_request", "/execute-api", 1))
		}, "IncompleteSignatureException", "Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got 'AKIDEXAMPLE/20240101/eu-west-1/execute-api'"},
		{"scope date differs", func(r *http.Request) {
			signAPI(r, now)
			r.Header.Set("Authorization", strings.Replace(r.Header.Get("Authorization"), "/20240101/", "/20231231/", 1))
		}, "InvalidSignatureException", "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20231231' != '20240101', from '20240101T001000Z'."},
		{"session token missing", func(r *http.Request) {
			Sign(r, apiBody, "ASIATEMP", Credential{SecretAccessKey: "temp-secret"}, "eu-west-1", "execute-api", now)
		}, "UnrecognizedClientException", MsgInvalidToken},
		{"session token wrong", func(r *http.Request) {
			Sign(r, apiBody, "ASIATEMP", Credential{SecretAccessKey: "temp-secret", SessionToken: "stale"}, "eu-west-1", "execute-api", now)
		}, "UnrecognizedClientException", MsgInvalidToken},
		{"session token right", func(r *http.Request) {
			Sign(r, apiBody, "ASIATEMP", Credential{SecretAccessKey: "temp-secret", SessionToken: "the-token"}, "eu-west-1", "execute-api", now)
		}, "", ""},
		{"date header instead of x-amz-date", func(r *http.Request) {
			signAPI(r, now)
			r.Header.Del("X-Amz-Date")
			r.Header.Set("Date", now.Format(http.TimeFormat))
		}, "InvalidSignatureException", MsgSignatureMismatch}, // x-amz-date was signed and is gone
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newAPIRequest()
			tt.prepare(r)
			id, err := Verify(r, apiBody, apiOptions())
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if id.Region != "eu-west-1" || id.Service != "execute-api" || id.Presigned {
					t.Errorf("identity = %+v", id)
				}
				return
			}
			var e *awserr.Error
			if !errors.As(err, &e) || e.Code != tt.code || !strings.HasPrefix(e.Message, tt.msg) || e.StatusCode != 403 {
				t.Errorf("Verify = %v\nwant %s: %s…", err, tt.code, tt.msg)
			}
			if id != nil {
				t.Errorf("Verify returned an identity with an error: %+v", id)
			}
		})
	}
}

func TestVerify_ReturnsTheSigner(t *testing.T) {
	r := newAPIRequest()
	signAPI(r, now)
	id, err := Verify(r, apiBody, apiOptions())
	if err != nil {
		t.Fatal(err)
	}
	if id.AccessKeyID != exampleKeyID || id.Account != "123456789012" || id.ARN != "arn:aws:iam::123456789012:user/alice" ||
		!id.Date.Equal(now) || strings.Join(id.SignedHeaders, ";") != "content-type;host;x-amz-date" {
		t.Errorf("identity = %+v", id)
	}
}

func TestVerify_MaxSkewAndLookupAreOptions(t *testing.T) {
	r := newAPIRequest()
	signAPI(r, now.Add(-14*time.Minute))
	opts := apiOptions()
	opts.Credentials = nil
	calls := 0
	opts.Lookup = func(id string) (Credential, bool) {
		calls++
		return Credential{SecretAccessKey: exampleSecret}, id == exampleKeyID
	}
	if _, err := Verify(r, apiBody, opts); !errors.Is(err, ErrInvalidSignature) {
		t.Fatalf("14 minutes old with the default skew: %v", err)
	}
	opts.MaxSkew = 15 * time.Minute
	if _, err := Verify(r, apiBody, opts); err != nil {
		t.Fatalf("14 minutes old with a 15-minute skew: %v", err)
	}
	if calls != 1 {
		t.Errorf("Lookup called %d times, want 1", calls)
	}
	opts.Now = now.Add(2 * time.Minute)
	_, err := Verify(r, apiBody, opts)
	if want := "Signature expired: 20231231T235600Z is now earlier than 20231231T235700Z (20240101T001200Z - 15 min.)"; err == nil || !strings.HasSuffix(err.Error(), want) {
		t.Errorf("Verify = %v, want %q", err, want)
	}
}

func TestVerify_AcceptsPresignedQueryUntilExpiry(t *testing.T) {
	presigned := func(c Credential, expires time.Duration) *http.Request {
		r := httptest.NewRequest("GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items?x=1", nil)
		Presign(r, nil, exampleKeyID, c, "eu-west-1", "execute-api", now, expires)
		return r
	}
	good := Credential{SecretAccessKey: exampleSecret}
	tests := []struct {
		name  string
		r     *http.Request
		at    time.Time
		code  string
		check func(t *testing.T, id *Identity)
	}{
		{"within expiry", presigned(good, time.Hour), now.Add(59 * time.Minute), "", func(t *testing.T, id *Identity) {
			if !id.Presigned || id.Expires != time.Hour || id.AccessKeyID != exampleKeyID {
				t.Errorf("identity = %+v", id)
			}
		}},
		{"past expiry", presigned(good, time.Hour), now.Add(61 * time.Minute), "InvalidSignatureException", nil},
		{"forged", presigned(Credential{SecretAccessKey: "x"}, time.Hour), now, "InvalidSignatureException", nil},
		{"query changed", func() *http.Request {
			r := presigned(good, time.Hour)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "x=1", "x=2", 1)
			return r
		}(), now, "InvalidSignatureException", nil},
		{"incomplete", httptest.NewRequest("GET", "https://h.example/?X-Amz-Signature=ab", nil), now, "IncompleteSignatureException", nil},
		{"expires too long", func() *http.Request {
			r := presigned(good, time.Hour)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=604801", 1)
			return r
		}(), now, "IncompleteSignatureException", nil},
		{"expires not a number", func() *http.Request {
			r := presigned(good, time.Hour)
			r.URL.RawQuery = strings.Replace(r.URL.RawQuery, "X-Amz-Expires=3600", "X-Amz-Expires=soon", 1)
			return r
		}(), now, "IncompleteSignatureException", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := apiOptions()
			opts.Now = tt.at
			id, err := Verify(tt.r, nil, opts)
			if tt.code == "" {
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				tt.check(t, id)
				return
			}
			if awserr.Code(err) != tt.code {
				t.Errorf("Verify = %v, want %s", err, tt.code)
			}
		})
	}
}

func TestSign_SignsAClientRequest(t *testing.T) {
	// A client request has no Host field yet: the URL's host is signed.
	r, err := http.NewRequest("GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items", nil)
	if err != nil {
		t.Fatal(err)
	}
	Sign(r, nil, exampleKeyID, Credential{SecretAccessKey: exampleSecret}, "eu-west-1", "execute-api", now)
	// The server side sees the host in r.Host.
	srv := httptest.NewRequest("GET", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items", nil)
	srv.Header = r.Header.Clone()
	if _, err := Verify(srv, nil, apiOptions()); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}
