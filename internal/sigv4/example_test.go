package sigv4_test

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/minicloud/minicloud/internal/awserr"
	"github.com/minicloud/minicloud/internal/sigv4"
)

func Example() {
	now := time.Date(2024, 1, 1, 0, 10, 0, 0, time.UTC)
	alice := sigv4.Credential{SecretAccessKey: "alice-secret", Account: "123456789012"}
	opts := sigv4.Options{
		Credentials: map[string]sigv4.Credential{"AKIDALICE": alice},
		Region:      "eu-west-1",
		Service:     "execute-api",
		Now:         now,
	}
	body := []byte(`{"name":"widget"}`)

	r := httptest.NewRequest("POST", "https://abc123.execute-api.eu-west-1.amazonaws.com/prod/items", strings.NewReader(string(body)))
	sigv4.Sign(r, body, "AKIDALICE", alice, "eu-west-1", "execute-api", now.Add(-time.Minute))
	id, err := sigv4.Verify(r, body, opts)
	fmt.Println(id.AccessKeyID, id.Account, err)

	// Ten minutes later the same request has expired.
	opts.Now = now.Add(10 * time.Minute)
	_, err = sigv4.Verify(r, body, opts)
	fmt.Println(awserr.Code(err))
	fmt.Println(err.(*awserr.Error).Message)
	// Output:
	// AKIDALICE 123456789012 <nil>
	// InvalidSignatureException
	// Signature expired: 20240101T000900Z is now earlier than 20240101T001500Z (20240101T002000Z - 5 min.)
}
