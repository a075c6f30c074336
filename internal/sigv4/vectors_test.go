package sigv4

import (
	"encoding/hex"
	"net/http/httptest"
	"strings"
	"testing"
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

func TestSignature_MatchesAWSTestSuite(t *testing.T) {
	tests := []struct {
		name          string
		method, url   string
		headers       [][2]string
		signed        []string
		region        string
		service       string
		wantCanonical string
		wantSig       string
	}{
		{
			name: "get-vanilla", method: "GET", url: "http://example.amazonaws.com/",
			signed: []string{"host", "x-amz-date"}, region: "us-east-1", service: "service",
			wantCanonical: "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptySHA256,
			wantSig:       "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
		},
		{
			name: "post-vanilla", method: "POST", url: "http://example.amazonaws.com/",
			signed: []string{"host", "x-amz-date"}, region: "us-east-1", service: "service",
			wantCanonical: "POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptySHA256,
			wantSig:       "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
		},
		{
			name: "get-vanilla-query-order-key-case", method: "GET", url: "http://example.amazonaws.com/?Param2=value2&Param1=value1",
			signed: []string{"host", "x-amz-date"}, region: "us-east-1", service: "service",
			wantCanonical: "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" + emptySHA256,
			wantSig:       "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500",
		},
		{
			// The IAM ListUsers walk-through of the SigV4 documentation.
			name: "iam-listusers", method: "GET", url: "https://iam.amazonaws.com/?Action=ListUsers&Version=2010-05-08",
			headers: [][2]string{{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}},
			signed:  []string{"content-type", "host", "x-amz-date"}, region: "us-east-1", service: "iam",
			wantCanonical: "GET\n/\nAction=ListUsers&Version=2010-05-08\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:iam.amazonaws.com\nx-amz-date:20150830T123600Z\n\ncontent-type;host;x-amz-date\n" + emptySHA256,
			wantSig:       "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(tt.method, tt.url, nil)
			r.Header.Set("X-Amz-Date", "20150830T123600Z")
			for _, h := range tt.headers {
				r.Header.Set(h[0], h[1])
			}
			canonical := canonicalRequest(r, tt.signed, payloadHash(r, nil))
			if canonical != tt.wantCanonical {
				t.Fatalf("canonical request =\n%s\nwant\n%s", canonical, tt.wantCanonical)
			}
			toSign := stringToSign("20150830T123600Z", "20150830/"+tt.region+"/"+tt.service+"/aws4_request", canonical)
			if got := signature(exampleSecret, "20150830", tt.region, tt.service, toSign); got != tt.wantSig {
				t.Errorf("signature = %s, want %s", got, tt.wantSig)
			}
		})
	}
}

func TestCanonicalRequest_NormalizesHeadersAndQuery(t *testing.T) {
	r := httptest.NewRequest("POST", "http://h.example/a%20b/c?b=2&a=z&a=y&sp=x%20y&X-Amz-Signature=dropped", strings.NewReader("{}"))
	r.Header.Add("X-Multi", "  one   two ")
	r.Header.Add("X-Multi", "three")
	got := canonicalRequest(r, []string{"host", "x-multi"}, payloadHash(r, []byte("{}")))
	want := strings.Join([]string{
		"POST",
		"/a%2520b/c",
		"a=y&a=z&b=2&sp=x%20y",
		"host:h.example",
		"x-multi:one two,three",
		"",
		"host;x-multi",
		"44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a",
	}, "\n")
	if got != want {
		t.Errorf("canonical request =\n%s\nwant\n%s", got, want)
	}
	if v := r.Header.Values("X-Multi"); v[0] != "  one   two " {
		t.Errorf("canonicalRequest changed the request's header: %q", v)
	}
}

func TestPayloadHash_HonoursUnsignedPayload(t *testing.T) {
	r := httptest.NewRequest("PUT", "http://h.example/", nil)
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	if got := payloadHash(r, []byte("anything")); got != "UNSIGNED-PAYLOAD" {
		t.Errorf("payloadHash = %s", got)
	}
}
