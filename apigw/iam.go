package apigw

import (
	"errors"
	"net/http"
	"sort"
	"sync"
	"time"

	"github.com/minicloud/minicloud/apigw/internal/authz"
	"github.com/minicloud/minicloud/internal/awserr"
	"github.com/minicloud/minicloud/internal/sigv4"
)

// Credential is an access key that AWS_IAM routes accept, registered with
// [Service.AddCredentials]: the secret a request's SigV4 signature is
// checked with, and who the caller is.
type Credential struct {
	// SecretAccessKey is the key's secret (required).
	SecretAccessKey string
	// SessionToken, when set, makes the key temporary: requests must
	// carry it in X-Amz-Security-Token, or they are refused as with an
	// unknown key.
	SessionToken string
	// AccountID is the caller's account. Empty means the service's
	// account; a caller of another account needs the resource policy's
	// Allow too (cross-account access).
	AccountID string
	// UserARN is the caller's ARN. Empty means
	// arn:aws:iam::{AccountID}:user/{accessKeyID}.
	UserARN string
	// UserID is the caller's unique ID, shown as requestContext.identity's
	// user and caller. Empty means the access key ID.
	UserID string
	// Policy is the caller's identity-based IAM policy, evaluated for
	// execute-api:Invoke on the method ARN. Empty means the caller may
	// invoke every API (an administrator's key); with a policy, a method
	// it does not allow is refused unless the resource policy allows it.
	Policy string
}

// credStore is the service's registered access keys.
type credStore struct {
	mu   sync.RWMutex
	keys map[string]*credEntry
}

type credEntry struct {
	id     string
	cred   Credential
	policy *authz.Policy // nil: allow
}

func (cs *credStore) get(id string) (*credEntry, bool) {
	cs.mu.RLock()
	defer cs.mu.RUnlock()
	e, ok := cs.keys[id]
	return e, ok
}

// AddCredentials registers an access key that AWS_IAM routes accept, or
// replaces the one with that ID. A request to an AWS_IAM route must be
// signed with SigV4 (service "execute-api", the service's Region, a date
// within 5 minutes of the clock) by a registered key.
//
// Errors: BadRequestException for an access key ID that is not 16 to 128
// letters, digits or underscores, a missing secret, or a policy that
// cannot be parsed.
func (s *Service) AddCredentials(accessKeyID string, c Credential) error {
	if len(accessKeyID) < 16 || len(accessKeyID) > 128 {
		return ErrBadRequest.Newf("Access key ID %q must be 16 to 128 characters", accessKeyID)
	}
	for _, r := range accessKeyID {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '_') {
			return ErrBadRequest.Newf("Access key ID %q may only hold letters, digits and underscores", accessKeyID)
		}
	}
	if c.SecretAccessKey == "" {
		return ErrBadRequest.Newf("Access key %s has no SecretAccessKey", accessKeyID)
	}
	e := &credEntry{id: accessKeyID, cred: c}
	if e.cred.AccountID == "" {
		e.cred.AccountID = s.accountID
	}
	if e.cred.UserARN == "" {
		e.cred.UserARN = "arn:aws:iam::" + e.cred.AccountID + ":user/" + accessKeyID
	}
	if e.cred.UserID == "" {
		e.cred.UserID = accessKeyID
	}
	if c.Policy != "" {
		p, err := authz.ParsePolicy([]byte(c.Policy))
		if err != nil {
			return ErrBadRequest.Newf("Access key %s: invalid policy document: %v", accessKeyID, err)
		}
		e.policy = p
	}
	s.creds.mu.Lock()
	defer s.creds.mu.Unlock()
	if s.creds.keys == nil {
		s.creds.keys = map[string]*credEntry{}
	}
	s.creds.keys[accessKeyID] = e
	return nil
}

// RemoveCredentials unregisters an access key; requests signed with it
// are then refused as from an unknown key. NotFoundException if it is not
// registered.
func (s *Service) RemoveCredentials(accessKeyID string) error {
	s.creds.mu.Lock()
	defer s.creds.mu.Unlock()
	if s.creds.keys[accessKeyID] == nil {
		return ErrNotFound.Newf("Access key %s is not registered", accessKeyID)
	}
	delete(s.creds.keys, accessKeyID)
	return nil
}

// CredentialIDs returns the registered access key IDs, sorted.
func (s *Service) CredentialIDs() []string {
	s.creds.mu.RLock()
	defer s.creds.mu.RUnlock()
	ids := make([]string, 0, len(s.creds.keys))
	for id := range s.creds.keys {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// SignRequest signs r with SigV4 for service "execute-api" as the AWS SDKs
// do (Authorization header, X-Amz-Date t, X-Amz-Security-Token when c has
// one), so tests and prototypes can call AWS_IAM routes without an SDK.
// body must be the bytes r sends; the host and every header already on r
// are signed, so set them first.
func SignRequest(r *http.Request, body []byte, accessKeyID string, c Credential, region string, t time.Time) {
	sigv4.Sign(r, body, accessKeyID, sigv4.Credential{SecretAccessKey: c.SecretAccessKey, SessionToken: c.SessionToken}, region, "execute-api", t)
}

// authorizeIAM verifies an AWS_IAM route's SigV4 signature against the
// registered keys on the service's clock, then decides with the caller's
// policy and the resource policy as API Gateway does: a caller of the
// API's account needs an Allow from either and no explicit Deny; a caller
// of another account needs an Allow from both.
func (c *call) authorizeIAM() *gwError {
	var entry *credEntry
	_, err := sigv4.Verify(c.r, c.body, sigv4.Options{
		Lookup: func(id string) (sigv4.Credential, bool) {
			e, ok := c.s.creds.get(id)
			if !ok {
				return sigv4.Credential{}, false
			}
			entry = e
			return sigv4.Credential{SecretAccessKey: e.cred.SecretAccessKey, SessionToken: e.cred.SessionToken, Account: e.cred.AccountID, ARN: e.cred.UserARN}, true
		},
		Region:  c.s.region,
		Service: "execute-api",
		Now:     c.start,
	})
	if err != nil {
		return c.errSignature(err)
	}
	cred := entry.cred
	identity := authz.Allow
	if entry.policy != nil {
		identity = entry.policy.Evaluate(c.policyRequest(cred.UserARN))
	}
	d := identity
	if c.kind == REST {
		resource, has, e := c.resourceDecision(cred.UserARN)
		if e != nil {
			return e
		}
		switch {
		case cred.AccountID == c.s.accountID:
			if has {
				d = authz.Combine(identity, resource)
			}
		case identity == authz.ExplicitDeny || resource == authz.ExplicitDeny:
			d = authz.ExplicitDeny
		case identity == authz.Allow && resource == authz.Allow:
			d = authz.Allow
		default:
			d = authz.ImplicitDeny // another account's caller without both Allows
		}
	}
	if d != authz.Allow {
		return c.errPolicyDenied(cred.UserARN, d)
	}
	c.req.Authorizer = &AuthorizerResult{IAM: &IAMIdentity{
		AccessKey: entry.id,
		AccountID: cred.AccountID,
		UserARN:   cred.UserARN,
		User:      cred.UserID,
		Caller:    cred.UserID,
	}}
	return nil
}

// errSignature is API Gateway's 403 for a refused signature, with
// sigv4's (AWS's) message and exception name in x-amzn-ErrorType:
// "Missing Authentication Token" (MissingAuthenticationTokenException;
// an HTTP API answers {"message":"Forbidden"}), IncompleteSignatureException,
// InvalidSignatureException (a wrong signature, or "Signature expired: …")
// and UnrecognizedClientException ("The security token included in the
// request is invalid.").
func (c *call) errSignature(err error) *gwError {
	var ae *awserr.Error
	if !errors.As(err, &ae) {
		return c.errInternal("verifying the signature: " + err.Error())
	}
	if errors.Is(err, sigv4.ErrMissingAuthenticationToken) {
		if c.kind == HTTP {
			return &gwError{typ: ResponseMissingAuthToken, status: 403, message: "Forbidden", reason: "AWS_IAM route: the request is not signed"}
		}
		return &gwError{typ: ResponseMissingAuthToken, status: 403, message: "Missing Authentication Token", reason: "AWS_IAM route: the request is not signed"}
	}
	h := http.Header{}
	h.Set("X-Amzn-ErrorType", ae.Code)
	return &gwError{typ: ResponseInvalidSignature, status: 403, message: ae.Message, header: h,
		reason: "AWS_IAM route: " + ae.Code + ": " + firstLine(ae.Message)}
}

// firstLine is s up to its first newline (a signature mismatch's message
// goes on with the canonical request).
func firstLine(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			return s[:i]
		}
	}
	return s
}
