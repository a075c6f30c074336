package apigw

import "net/http"

// CORS is an HTTP API's CORS configuration.
type CORS struct {
	AllowOrigins []string
}

// preflight answers an HTTP API's CORS preflight request.
func (c *call) preflight() bool { return false }

// corsHeaders adds CORS headers to a response.
func (c *call) corsHeaders(http.Header) {}
