package sigv4

import (
	"crypto/hmac"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxSkew is how far a signed request's date may be from the
// server's clock, either way, before AWS refuses it as expired or not yet
// current: 5 minutes. DynamoDB allows 15.
const DefaultMaxSkew = 5 * time.Minute

// MaxExpires is the longest validity a query-string signature may ask for
// in X-Amz-Expires: 604,800 seconds (7 days).
const MaxExpires = 7 * 24 * time.Hour

// Credential is one registered access key: its secret, and the session
// token that temporary credentials must present with it.
type Credential struct {
	// SecretAccessKey is the secret the signing key is derived from.
	SecretAccessKey string
	// SessionToken, when set, must arrive in the X-Amz-Security-Token
	// header (or query parameter); a missing or different token is an
	// UnrecognizedClientException, as for expired temporary credentials.
	SessionToken string
	// Account is the 12-digit account the key belongs to; it is copied
	// to the Identity (API Gateway shows it as requestContext.identity's
	// accountId). Optional.
	Account string
	// ARN is the caller's ARN (a user or assumed role); copied to the
	// Identity (requestContext.identity's userArn). Optional.
	ARN string
}

// Options says what Verify accepts.
type Options struct {
	// Credentials maps access key IDs to their credentials. Lookup, when
	// set, is used instead.
	Credentials map[string]Credential
	// Lookup finds an access key's credentials; for callers whose keys
	// change while they serve. Nil means look in Credentials.
	Lookup func(accessKeyID string) (Credential, bool)
	// Region is the region a credential scope must name. Empty means
	// "us-east-1".
	Region string
	// Service is the signing name a credential scope must name, such as
	// "execute-api" or "dynamodb". Empty accepts any service.
	Service string
	// Now is the server's time, which the request's date is checked
	// against. It must be set: Verify reads no clock of its own.
	Now time.Time
	// MaxSkew is how far the request's date may be from Now, either way.
	// Zero means DefaultMaxSkew (5 minutes).
	MaxSkew time.Duration
}

// Identity is who signed a verified request.
type Identity struct {
	// AccessKeyID is the access key the request was signed with.
	AccessKeyID string
	// SessionToken is the session token the request carried, if any.
	SessionToken string
	// Account and ARN are copied from the key's Credential.
	Account, ARN string
	// Region and Service are the credential scope's.
	Region, Service string
	// Date is the signing time (X-Amz-Date or Date).
	Date time.Time
	// SignedHeaders are the names of the signed headers, lower case.
	SignedHeaders []string
	// Presigned is true when the signature came in the query string.
	Presigned bool
	// Expires is X-Amz-Expires of a presigned request; zero otherwise.
	Expires time.Duration
}

// authParams is what an Authorization header or the X-Amz-* query
// parameters say.
type authParams struct {
	algorithm     string
	credential    string
	signedHeaders string
	signature     string
	date          string
	hasCredential bool
	hasSigned     bool
	hasSignature  bool
}

// parseAuthorization splits "AWS4-HMAC-SHA256 Credential=…,
// SignedHeaders=…, Signature=…" into its parts. Unknown parameters are
// ignored, as AWS ignores them.
func parseAuthorization(auth string) authParams {
	var p authParams
	algorithm, rest, _ := strings.Cut(strings.TrimSpace(auth), " ")
	p.algorithm = algorithm
	for part := range strings.SplitSeq(rest, ",") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok {
			continue
		}
		switch k {
		case "Credential":
			p.credential, p.hasCredential = v, true
		case "SignedHeaders":
			p.signedHeaders, p.hasSigned = v, true
		case "Signature":
			p.signature, p.hasSignature = v, true
		}
	}
	return p
}

// Verify checks the request's SigV4 signature (Authorization header, or
// X-Amz-* query parameters) against opts, in the order AWS checks, and
// says who signed it. body is the request body as read by the caller (the
// request's Body is not touched). A failure is one of the package's
// sentinels with AWS's message.
func Verify(r *http.Request, body []byte, opts Options) (*Identity, error) {
	q := r.URL.Query()
	auth := strings.TrimSpace(r.Header.Get("Authorization"))
	presigned := auth == "" && (q.Has("X-Amz-Algorithm") || q.Has("X-Amz-Signature") || q.Has("X-Amz-Credential"))
	if auth == "" && !presigned {
		return nil, ErrMissingAuthenticationToken.New(MsgMissingAuthenticationToken)
	}
	var p authParams
	var expires time.Duration
	if presigned {
		var err error
		if p, expires, err = queryParams(r); err != nil {
			return nil, err
		}
	} else {
		p = parseAuthorization(auth)
		p.date = r.Header.Get("X-Amz-Date")
		if p.date == "" {
			if d := r.Header.Get("Date"); d != "" {
				if t, err := http.ParseTime(d); err == nil {
					p.date = t.UTC().Format(amzDateFormat)
				} else {
					p.date = d
				}
			}
		}
		var missing strings.Builder
		for _, m := range []struct {
			name string
			ok   bool
		}{{"Credential", p.hasCredential}, {"Signature", p.hasSignature}, {"SignedHeaders", p.hasSigned}} {
			if !m.ok {
				missing.WriteString("Authorization header requires '" + m.name + "' parameter. ")
			}
		}
		if p.date == "" {
			missing.WriteString("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ")
		}
		if missing.Len() > 0 {
			return nil, ErrIncompleteSignature.New(missing.String() + "Authorization=" + auth)
		}
	}
	date, err := time.Parse(amzDateFormat, p.date)
	if err != nil {
		return nil, ErrIncompleteSignature.Newf("Date must be in ISO-8601 'basic format'. Got '%s'. See http://en.wikipedia.org/wiki/ISO_8601", p.date)
	}
	if err := checkTime(p.date, date, opts, presigned, expires); err != nil {
		return nil, err
	}
	signed := strings.Split(p.signedHeaders, ";")
	for i, s := range signed {
		signed[i] = strings.ToLower(s)
	}
	if !slices.Contains(signed, "host") {
		return nil, ErrInvalidSignature.New("'Host' must be a 'SignedHeader' in the AWS Authorization.")
	}
	if p.algorithm != Algorithm {
		return nil, ErrIncompleteSignature.Newf("Unsupported AWS 'algorithm': '%s' (only AWS4-HMAC-SHA256 for now). ", p.algorithm)
	}
	cred := strings.TrimRight(p.credential, "/")
	scope := strings.Split(cred, "/")
	if len(scope) != 5 {
		return nil, ErrIncompleteSignature.Newf("Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '%s'", cred)
	}
	keyID, scopeDate, region, service, term := scope[0], scope[1], scope[2], scope[3], scope[4]
	wantRegion := opts.Region
	if wantRegion == "" {
		wantRegion = "us-east-1"
	}
	var bad strings.Builder
	if region != wantRegion {
		bad.WriteString("Credential should be scoped to a valid region, not '" + region + "'. ")
	}
	if opts.Service != "" && service != opts.Service {
		bad.WriteString("Credential should be scoped to correct service: '" + opts.Service + "'. ")
	}
	if term != terminator {
		bad.WriteString("Credential should be scoped with a valid terminator: '" + terminator + "', not '" + term + "'. ")
	}
	if want := p.date[:8]; scopeDate != want {
		bad.WriteString("Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '" + scopeDate + "' != '" + want + "', from '" + p.date + "'.")
	}
	if bad.Len() > 0 {
		return nil, ErrInvalidSignature.New(strings.TrimSpace(bad.String()))
	}
	c, ok := lookup(opts, keyID)
	if !ok {
		return nil, ErrUnrecognizedClient.New(MsgInvalidToken)
	}
	token := r.Header.Get("X-Amz-Security-Token")
	if presigned {
		token = q.Get("X-Amz-Security-Token")
	}
	if c.SessionToken != "" && !hmac.Equal([]byte(token), []byte(c.SessionToken)) {
		return nil, ErrUnrecognizedClient.New(MsgInvalidToken)
	}
	canonical := canonicalRequest(r, signed, payloadHash(r, body))
	toSign := stringToSign(p.date, strings.Join(scope[1:], "/"), canonical)
	want := signature(c.SecretAccessKey, scopeDate, region, service, toSign)
	if !hmac.Equal([]byte(want), []byte(p.signature)) {
		return nil, ErrInvalidSignature.New(MsgSignatureMismatch + "\n\nThe Canonical String for this request should have been\n'" +
			canonical + "'\n\nThe String-to-Sign should have been\n'" + toSign + "'\n")
	}
	return &Identity{
		AccessKeyID:   keyID,
		SessionToken:  token,
		Account:       c.Account,
		ARN:           c.ARN,
		Region:        region,
		Service:       service,
		Date:          date,
		SignedHeaders: signed,
		Presigned:     presigned,
		Expires:       expires,
	}, nil
}

func lookup(opts Options, keyID string) (Credential, bool) {
	if opts.Lookup != nil {
		return opts.Lookup(keyID)
	}
	c, ok := opts.Credentials[keyID]
	return c, ok
}

// queryParams reads a presigned request's X-Amz-* parameters.
func queryParams(r *http.Request) (authParams, time.Duration, error) {
	q := r.URL.Query()
	var p authParams
	var missing strings.Builder
	for _, name := range []string{"X-Amz-Algorithm", "X-Amz-Credential", "X-Amz-Signature", "X-Amz-SignedHeaders", "X-Amz-Date"} {
		if !q.Has(name) {
			missing.WriteString("AWS query-string parameters must include '" + name + "'. ")
		}
	}
	if missing.Len() > 0 {
		return p, 0, ErrIncompleteSignature.New(missing.String() + "Re-examine the query-string parameters.")
	}
	p.algorithm = q.Get("X-Amz-Algorithm")
	p.credential, p.hasCredential = q.Get("X-Amz-Credential"), true
	p.signature, p.hasSignature = q.Get("X-Amz-Signature"), true
	p.signedHeaders, p.hasSigned = q.Get("X-Amz-SignedHeaders"), true
	p.date = q.Get("X-Amz-Date")
	var expires time.Duration
	if v := q.Get("X-Amz-Expires"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return p, 0, ErrIncompleteSignature.Newf("X-Amz-Expires should be a number of seconds, got '%s'.", v)
		}
		if n > int64(MaxExpires/time.Second) {
			return p, 0, ErrIncompleteSignature.Newf("X-Amz-Expires must be less than a week (in seconds) that is %d, got %d.", int64(MaxExpires/time.Second), n)
		}
		expires = time.Duration(n) * time.Second
	}
	return p, expires, nil
}

// checkTime refuses a date further than the allowed skew from now, or a
// presigned request past its expiry.
func checkTime(amzDate string, date time.Time, opts Options, presigned bool, expires time.Duration) error {
	skew := opts.MaxSkew
	if skew <= 0 {
		skew = DefaultMaxSkew
	}
	now := opts.Now.UTC()
	nowS := now.Format(amzDateFormat)
	if presigned && expires > 0 {
		if now.After(date.Add(expires)) {
			return ErrInvalidSignature.Newf("Signature expired: %s is now earlier than %s (%s - %s.)",
				amzDate, now.Add(-expires).Format(amzDateFormat), nowS, span(expires))
		}
	} else if date.Before(now.Add(-skew)) {
		return ErrInvalidSignature.Newf("Signature expired: %s is now earlier than %s (%s - %s.)",
			amzDate, now.Add(-skew).Format(amzDateFormat), nowS, span(skew))
	}
	if date.After(now.Add(skew)) {
		return ErrInvalidSignature.Newf("Signature not yet current: %s is still later than %s (%s + %s.)",
			amzDate, now.Add(skew).Format(amzDateFormat), nowS, span(skew))
	}
	return nil
}

// span writes a duration as AWS's messages do: "5 min", or seconds when
// it is not a whole number of minutes.
func span(d time.Duration) string {
	if d%time.Minute == 0 {
		return strconv.FormatInt(int64(d/time.Minute), 10) + " min"
	}
	return strconv.FormatInt(int64(d/time.Second), 10) + " sec"
}
