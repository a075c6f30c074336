package sigv4

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// unsignedHeaders are left out of the signature by Sign, as the AWS SDKs
// leave them out: they are changed by proxies and transports.
var unsignedHeaders = []string{"authorization", "user-agent", "expect", "x-amzn-trace-id", "connection", "transfer-encoding"}

// Sign signs r as the AWS SDKs do, with the Authorization header: it sets
// X-Amz-Date to t (and X-Amz-Security-Token when c has a session token)
// and signs the host and every header r carries but Authorization,
// User-Agent, Expect, X-Amzn-Trace-Id and hop-by-hop headers. body must be
// the bytes r will send. Headers added to r after Sign are not signed.
func Sign(r *http.Request, body []byte, accessKeyID string, c Credential, region, service string, t time.Time) {
	date := t.UTC().Format(amzDateFormat)
	r.Header.Set("X-Amz-Date", date)
	if c.SessionToken != "" {
		r.Header.Set("X-Amz-Security-Token", c.SessionToken)
	}
	signed := []string{"host"}
	for name := range r.Header {
		n := strings.ToLower(name)
		if n != "host" && !slices.Contains(unsignedHeaders, n) {
			signed = append(signed, n)
		}
	}
	slices.Sort(signed)
	scope := date[:8] + "/" + region + "/" + service + "/" + terminator
	toSign := stringToSign(date, scope, canonicalRequest(r, signed, payloadHash(r, body)))
	sig := signature(c.SecretAccessKey, date[:8], region, service, toSign)
	r.Header.Set("Authorization", Algorithm+" Credential="+accessKeyID+"/"+scope+", SignedHeaders="+strings.Join(signed, ";")+", Signature="+sig)
}

// Presign signs r in its query string, as a presigned URL: X-Amz-Algorithm,
// X-Amz-Credential, X-Amz-Date, X-Amz-Expires (expires, whole seconds),
// X-Amz-SignedHeaders (host only), X-Amz-Security-Token when c has one,
// and X-Amz-Signature. body is signed by its hash, as for Sign.
func Presign(r *http.Request, body []byte, accessKeyID string, c Credential, region, service string, t time.Time, expires time.Duration) {
	date := t.UTC().Format(amzDateFormat)
	scope := date[:8] + "/" + region + "/" + service + "/" + terminator
	q := r.URL.Query()
	q.Set("X-Amz-Algorithm", Algorithm)
	q.Set("X-Amz-Credential", accessKeyID+"/"+scope)
	q.Set("X-Amz-Date", date)
	q.Set("X-Amz-Expires", strconv.FormatInt(int64(expires/time.Second), 10))
	q.Set("X-Amz-SignedHeaders", "host")
	if c.SessionToken != "" {
		q.Set("X-Amz-Security-Token", c.SessionToken)
	}
	q.Del("X-Amz-Signature")
	r.URL.RawQuery = encodeQuery(q)
	toSign := stringToSign(date, scope, canonicalRequest(r, []string{"host"}, payloadHash(r, body)))
	sig := signature(c.SecretAccessKey, date[:8], region, service, toSign)
	r.URL.RawQuery += "&X-Amz-Signature=" + sig
	if r.RequestURI != "" {
		// A server-side request (httptest.NewRequest) keeps its
		// RequestURI in step; a client request must leave it empty.
		r.RequestURI = r.URL.RequestURI()
	}
}

// encodeQuery encodes q in SigV4's canonical form, so that the URL and
// its canonical query agree.
func encodeQuery(q url.Values) string { return canonicalQuery(q) }
