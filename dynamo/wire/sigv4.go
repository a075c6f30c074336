package wire

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// AWS Signature Version 4, as described in the IAM User Guide ("Create a
// signed AWS API request"): the request is reduced to a canonical string,
// the string is hashed into a string to sign with the date and scope, and
// the signature is an HMAC-SHA256 of that under a key derived from the
// secret key, the date, the region and the service.

const (
	sigV4Algorithm = "AWS4-HMAC-SHA256"
	sigV4Service   = "dynamodb"
	sigV4Term      = "aws4_request"
	amzDateFormat  = "20060102T150405Z"
	// sigV4MaxSkew is how far a request's date may be from the server's
	// clock, either way.
	sigV4MaxSkew = 15 * time.Minute
)

// verifySigV4 verifies the request's SigV4 signature against the
// registered credentials, checking in the order AWS does and answering
// with AWS's errors and words.
func verifySigV4(r *http.Request, body []byte, creds map[string]string, endpointRegion string, now time.Time) error {
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	if auth == "" || !strings.HasPrefix(auth, "AWS4-") {
		return ErrMissingAuthenticationToken.New("Request is missing Authentication Token")
	}
	algorithm, rest, _ := strings.Cut(auth, " ")
	params := map[string]string{}
	for _, part := range strings.Split(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			params[k] = v
		}
	}
	dateHeader := r.Header.Get("X-Amz-Date")
	if dateHeader == "" {
		if d := r.Header.Get("Date"); d != "" {
			if t, err := http.ParseTime(d); err == nil {
				dateHeader = t.UTC().Format(amzDateFormat)
			} else {
				dateHeader = d
			}
		}
	}
	var missing strings.Builder
	for _, p := range []string{"Credential", "Signature", "SignedHeaders"} {
		if _, ok := params[p]; !ok {
			missing.WriteString("Authorization header requires '" + p + "' parameter. ")
		}
	}
	if dateHeader == "" {
		missing.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
	}
	if missing.Len() > 0 {
		return ErrIncompleteSignature.New(missing.String() + "Authorization=" + auth)
	}
	date, err := time.Parse(amzDateFormat, dateHeader)
	if err != nil {
		return ErrIncompleteSignature.Newf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", dateHeader)
	}
	now = now.UTC()
	if date.Before(now.Add(-sigV4MaxSkew)) {
		return ErrInvalidSignature.Newf("Signature expired: %s is now earlier than %s (%s - 15 min.)",
			dateHeader, now.Add(-sigV4MaxSkew).Format(amzDateFormat), now.Format(amzDateFormat))
	}
	if date.After(now.Add(sigV4MaxSkew)) {
		return ErrInvalidSignature.Newf("Signature not yet current: %s is still later than %s (%s + 15 min.)",
			dateHeader, now.Add(sigV4MaxSkew).Format(amzDateFormat), now.Format(amzDateFormat))
	}
	signed := strings.Split(params["SignedHeaders"], ";")
	if !slices.ContainsFunc(signed, func(s string) bool { return strings.EqualFold(s, "host") }) {
		return ErrInvalidSignature.New("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if algorithm != sigV4Algorithm {
		return ErrIncompleteSignature.Newf("Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", algorithm)
	}
	cred := strings.TrimRight(params["Credential"], "/")
	scope := strings.Split(cred, "/")
	if len(scope) != 5 {
		return ErrIncompleteSignature.Newf("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
	}
	keyID, scopeDate, region, service, term := scope[0], scope[1], scope[2], scope[3], scope[4]
	var bad strings.Builder
	if region != endpointRegion {
		bad.WriteString("Credential should be scoped to a valid region, not '" + region + "'. ")
	}
	if service != sigV4Service {
		bad.WriteString("Credential should be scoped to correct service: '" + sigV4Service + "'. ")
	}
	if term != sigV4Term {
		bad.WriteString("Credential should be scoped with a valid terminator: '" + sigV4Term + "', not '" + term + "'. ")
	}
	if want := dateHeader[:8]; scopeDate != want {
		bad.WriteString("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + scopeDate + "' != '" + want + "', from '" + dateHeader + "'.")
	}
	if bad.Len() > 0 {
		return ErrInvalidSignature.New(strings.TrimSpace(bad.String()))
	}
	secret, ok := creds[keyID]
	if !ok {
		return ErrUnrecognizedClient.New("The security token included in the request is invalid.")
	}
	canonical := canonicalRequest(r, signed, body)
	toSign := stringToSign(dateHeader, strings.Join(scope[1:], "/"), canonical)
	want := hex.EncodeToString(sign(signingKey(secret, scopeDate, region, service), toSign))
	if !hmac.Equal([]byte(want), []byte(params["Signature"])) {
		return ErrInvalidSignature.New("The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\nThe Canonical String for this request should have been\n'" +
			canonical + "'\n\nThe String-to-Sign should have been\n'" + toSign + "'\n")
	}
	return nil
}

// canonicalRequest builds SigV4's canonical request: method, URI, query,
// the signed headers with their values, the list of signed headers, and
// the hex SHA-256 of the body.
func canonicalRequest(r *http.Request, signed []string, body []byte) string {
	var b strings.Builder
	b.WriteString(r.Method)
	b.WriteByte('\n')
	path := r.URL.EscapedPath()
	if path == "" {
		path = "/"
	}
	// Services other than S3 encode the already-encoded path once more.
	b.WriteString(uriEncode(path, false))
	b.WriteByte('\n')
	b.WriteString(canonicalQuery(r.URL.Query()))
	b.WriteByte('\n')
	names := make([]string, len(signed))
	for i, s := range signed {
		names[i] = strings.ToLower(s)
	}
	for _, n := range names {
		b.WriteString(n)
		b.WriteByte(':')
		b.WriteString(headerValue(r, n))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	b.WriteString(strings.Join(names, ";"))
	b.WriteByte('\n')
	if v := r.Header.Get("X-Amz-Content-Sha256"); v == "UNSIGNED-PAYLOAD" {
		b.WriteString(v)
	} else {
		sum := sha256.Sum256(body)
		b.WriteString(hex.EncodeToString(sum[:]))
	}
	return b.String()
}

// headerValue returns a header's canonical value: its values joined by
// commas, each trimmed, inner runs of spaces collapsed.
func headerValue(r *http.Request, name string) string {
	var vals []string
	switch name {
	case "host":
		vals = []string{r.Host}
	case "content-length":
		vals = r.Header.Values(name)
		if len(vals) == 0 && r.ContentLength >= 0 {
			vals = []string{strconv.FormatInt(r.ContentLength, 10)}
		}
	default:
		vals = r.Header.Values(name)
	}
	for i, v := range vals {
		vals[i] = strings.Join(strings.Fields(v), " ")
	}
	return strings.Join(vals, ",")
}

// canonicalQuery sorts the query parameters by name, then value, each
// URI-encoded.
func canonicalQuery(q url.Values) string {
	type kv struct{ k, v string }
	var pairs []kv
	for k, vs := range q {
		for _, v := range vs {
			pairs = append(pairs, kv{uriEncode(k, true), uriEncode(v, true)})
		}
	}
	slices.SortFunc(pairs, func(a, b kv) int {
		if c := strings.Compare(a.k, b.k); c != 0 {
			return c
		}
		return strings.Compare(a.v, b.v)
	})
	parts := make([]string, len(pairs))
	for i, p := range pairs {
		parts[i] = p.k + "=" + p.v
	}
	return strings.Join(parts, "&")
}

// uriEncode percent-encodes every byte but the unreserved characters
// A-Z a-z 0-9 - _ . ~ (and '/' unless encodeSlash), upper-case hex.
func uriEncode(s string, encodeSlash bool) string {
	const hexUpper = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' ||
			c == '-' || c == '_' || c == '.' || c == '~' || c == '/' && !encodeSlash {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hexUpper[c>>4])
		b.WriteByte(hexUpper[c&0xF])
	}
	return b.String()
}

// stringToSign is the algorithm, the request date, the credential scope
// and the hex SHA-256 of the canonical request, one per line.
func stringToSign(amzDate, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return sigV4Algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// signingKey derives the key for one day, region and service from the
// secret access key.
func signingKey(secret, date, region, service string) []byte {
	k := sign([]byte("AWS4"+secret), date)
	k = sign(k, region)
	k = sign(k, service)
	return sign(k, sigV4Term)
}

func sign(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}
