package wire

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/minicloud/minicloud/internal/awserr"
	"github.com/minicloud/minicloud/internal/sigv4"
)

// sigV4MaxSkew is how far a request's date may be from the server's
// clock, either way: DynamoDB allows 15 minutes, more than the 5 of most
// services.
const sigV4MaxSkew = 15 * time.Minute

// verifySigV4 verifies the request's SigV4 signature against the
// registered credentials (access key ID → secret) with internal/sigv4,
// answering with DynamoDB's errors: AWS's codes with status 400, and
// DynamoDB's wording for a request without a signature. Only the
// Authorization header is accepted, not a presigned query string.
func verifySigV4(r *http.Request, body []byte, creds map[string]string, endpointRegion string, now time.Time) error {
	if !strings.HasPrefix(strings.TrimSpace(r.Header.Get("Authorization")), "AWS4-") {
		return ErrMissingAuthenticationToken.New("Request is missing Authentication Token")
	}
	_, err := sigv4.Verify(r, body, sigv4.Options{
		Lookup: func(keyID string) (sigv4.Credential, bool) {
			secret, ok := creds[keyID]
			return sigv4.Credential{SecretAccessKey: secret}, ok
		},
		Region:  endpointRegion,
		Service: "dynamodb",
		Now:     now,
		MaxSkew: sigV4MaxSkew,
	})
	if err == nil {
		return nil
	}
	var e *awserr.Error
	if !errors.As(err, &e) {
		return err
	}
	switch e.Code {
	case sigv4.ErrIncompleteSignature.Code:
		return ErrIncompleteSignature.New(e.Message)
	case sigv4.ErrUnrecognizedClient.Code:
		return ErrUnrecognizedClient.New(e.Message)
	case sigv4.ErrMissingAuthenticationToken.Code:
		return ErrMissingAuthenticationToken.New("Request is missing Authentication Token")
	default:
		return ErrInvalidSignature.New(e.Message)
	}
}
