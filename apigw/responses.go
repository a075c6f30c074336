package apigw

import (
	"encoding/json"
	"net/http"
)

// ResponseType names a gateway response: the answer API Gateway gives
// itself when it does not reach the integration, or the integration
// fails. The names and default statuses are API Gateway's.
type ResponseType string

// Gateway response types of REST APIs, with their default status codes.
const (
	ResponseDefault4XX             ResponseType = "DEFAULT_4XX"
	ResponseDefault5XX             ResponseType = "DEFAULT_5XX"
	ResponseAccessDenied           ResponseType = "ACCESS_DENIED"                  // 403
	ResponseAPIConfigurationError  ResponseType = "API_CONFIGURATION_ERROR"        // 500
	ResponseAuthorizerConfigError  ResponseType = "AUTHORIZER_CONFIGURATION_ERROR" // 500
	ResponseAuthorizerFailure      ResponseType = "AUTHORIZER_FAILURE"             // 500
	ResponseBadRequestParameters   ResponseType = "BAD_REQUEST_PARAMETERS"         // 400
	ResponseBadRequestBody         ResponseType = "BAD_REQUEST_BODY"               // 400
	ResponseExpiredToken           ResponseType = "EXPIRED_TOKEN"                  // 403
	ResponseIntegrationFailure     ResponseType = "INTEGRATION_FAILURE"            // 504
	ResponseIntegrationTimeout     ResponseType = "INTEGRATION_TIMEOUT"            // 504
	ResponseInvalidAPIKey          ResponseType = "INVALID_API_KEY"                // 403
	ResponseInvalidSignature       ResponseType = "INVALID_SIGNATURE"              // 403
	ResponseMissingAuthToken       ResponseType = "MISSING_AUTHENTICATION_TOKEN"   // 403
	ResponseQuotaExceeded          ResponseType = "QUOTA_EXCEEDED"                 // 429
	ResponseRequestTooLarge        ResponseType = "REQUEST_TOO_LARGE"              // 413
	ResponseResourceNotFound       ResponseType = "RESOURCE_NOT_FOUND"             // 404
	ResponseThrottled              ResponseType = "THROTTLED"                      // 429
	ResponseUnauthorized           ResponseType = "UNAUTHORIZED"                   // 401
	ResponseUnsupportedMediaType   ResponseType = "UNSUPPORTED_MEDIA_TYPE"         // 415
	ResponseWAFFiltered            ResponseType = "WAF_FILTERED"                   // 403
	responseIntegrationFailure5XX  ResponseType = "BAD_GATEWAY"                    // internal: 502 of a proxy failure
	responseInternalServerError5XX ResponseType = "INTERNAL_SERVER_ERROR"          // internal: 500
)

// GatewayResponse customises a gateway response type of a REST API, as
// PutGatewayResponse does: a status code that replaces the default,
// headers to add, and a body (a JSON template in which
// $context.error.message, $context.error.messageString and
// $context.requestId are replaced).
type GatewayResponse struct {
	StatusCode int
	Headers    map[string]string
	Body       string
}

// gwError is a gateway response about to be sent: its type, the status
// and message API Gateway uses by default, and the reason for the log.
type gwError struct {
	typ     ResponseType
	status  int
	message string
	reason  string // why, for the log and $context.error.message
	header  http.Header
	body    []byte // when set, replaces the default body (AWS's own {"Message":...} bodies; authorizer.go)
}

// PutGatewayResponse customises a gateway response type of a REST API.
// It takes effect at the next deployment.
func (a *API) PutGatewayResponse(t ResponseType, r GatewayResponse) error {
	if a.cfg.Kind != REST {
		return ErrBadRequest.New("Gateway responses are only supported for REST APIs")
	}
	if _, ok := defaultStatus[t]; !ok {
		return ErrBadRequest.Newf("Invalid gateway response type %q", t)
	}
	a.mu.Lock()
	a.responses[t] = r
	a.mu.Unlock()
	return nil
}

var defaultStatus = map[ResponseType]int{
	ResponseDefault4XX: 0, ResponseDefault5XX: 0,
	ResponseAccessDenied: 403, ResponseAPIConfigurationError: 500, ResponseAuthorizerConfigError: 500,
	ResponseAuthorizerFailure: 500, ResponseBadRequestParameters: 400, ResponseBadRequestBody: 400,
	ResponseExpiredToken: 403, ResponseIntegrationFailure: 504, ResponseIntegrationTimeout: 504,
	ResponseInvalidAPIKey: 403, ResponseInvalidSignature: 403, ResponseMissingAuthToken: 403,
	ResponseQuotaExceeded: 429, ResponseRequestTooLarge: 413, ResponseResourceNotFound: 404,
	ResponseThrottled: 429, ResponseUnauthorized: 401, ResponseUnsupportedMediaType: 415,
	ResponseWAFFiltered: 403,
}

// writeGatewayResponse answers with a gateway response: the deployment's
// customisation of its type, else of DEFAULT_4XX / DEFAULT_5XX, else API
// Gateway's default body {"message":"..."}.
func (c *call) writeGatewayResponse(e *gwError) {
	status, body := e.status, defaultBody(c.kind, e.message)
	if e.body != nil {
		body = e.body // AWS's own body for this denial (authorizer.go, policy.go, iam.go)
	}
	header := http.Header{}
	for k, v := range e.header {
		header[k] = v
	}
	if c.dep != nil && c.kind == REST {
		custom, ok := c.dep.responses[e.typ]
		if !ok {
			if e.status >= 500 {
				custom, ok = c.dep.responses[ResponseDefault5XX]
			} else {
				custom, ok = c.dep.responses[ResponseDefault4XX]
			}
		}
		if ok {
			if custom.StatusCode != 0 {
				status = custom.StatusCode
			}
			for k, v := range custom.Headers {
				header.Set(k, v)
			}
			if custom.Body != "" {
				body = []byte(c.expandTemplate(custom.Body, e))
			}
		}
	}
	if header.Get("Content-Type") == "" {
		header.Set("Content-Type", "application/json")
	}
	c.errMessage = e.message
	if e.typ != "" && header.Get("X-Amzn-ErrorType") == "" { // a preset one names an exception the type does not (iam.go)
		header.Set("X-Amzn-ErrorType", errorTypeHeader(e.typ))
	}
	c.writeResponse(&Response{StatusCode: status, Header: header, Body: body})
}

// defaultBody is API Gateway's own error body: REST APIs write
// {"message": "..."} (with a space), HTTP APIs {"message":"..."}.
func defaultBody(k Kind, message string) []byte {
	m, _ := json.Marshal(message)
	if k == REST {
		return []byte(`{"message": ` + string(m) + `}`)
	}
	return []byte(`{"message":` + string(m) + `}`)
}

// errorTypeHeader is the x-amzn-ErrorType of a gateway response.
func errorTypeHeader(t ResponseType) string {
	switch t {
	case ResponseMissingAuthToken:
		return "MissingAuthenticationTokenException"
	case ResponseAccessDenied:
		return "AccessDeniedException"
	case ResponseUnauthorized:
		return "UnauthorizedException"
	case ResponseInvalidSignature:
		return "InvalidSignatureException"
	case ResponseExpiredToken:
		return "ExpiredTokenException"
	case ResponseInvalidAPIKey:
		return "ForbiddenException"
	case ResponseThrottled, ResponseQuotaExceeded:
		return "TooManyRequestsException"
	case ResponseBadRequestBody, ResponseBadRequestParameters:
		return "BadRequestException"
	case ResponseRequestTooLarge:
		return "RequestTooLargeException"
	case ResponseResourceNotFound:
		return "NotFoundException"
	case ResponseAuthorizerConfigError:
		return "AuthorizerConfigurationException"
	case ResponseAuthorizerFailure:
		return "AuthorizerFailureException"
	case ResponseIntegrationTimeout, ResponseIntegrationFailure:
		return "IntegrationTimeoutException"
	}
	return "InternalServerErrorException"
}

// The gateway responses the pipeline sends, with API Gateway's words.
func (c *call) errMissingAuthToken() *gwError {
	if c.kind == HTTP {
		return &gwError{typ: ResponseResourceNotFound, status: 404, message: "Not Found", reason: "no route matches " + c.r.Method + " " + c.path}
	}
	return &gwError{typ: ResponseMissingAuthToken, status: 403, message: "Missing Authentication Token", reason: "no method matches " + c.r.Method + " " + c.path}
}

func (c *call) errThrottled(reason string) *gwError {
	return &gwError{typ: ResponseThrottled, status: 429, message: "Too Many Requests", reason: reason}
}

func (c *call) errTooLarge() *gwError {
	if c.kind == HTTP {
		return &gwError{typ: ResponseRequestTooLarge, status: 413, message: "Request Entity Too Large", reason: "request body over the 10 MB payload limit"}
	}
	return &gwError{typ: ResponseRequestTooLarge, status: 413, message: "Request Too Long", reason: "request body over the 10 MB payload limit"}
}

func (c *call) errInternal(reason string) *gwError {
	if c.kind == HTTP {
		return &gwError{typ: responseInternalServerError5XX, status: 500, message: "Internal Server Error", reason: reason}
	}
	return &gwError{typ: responseInternalServerError5XX, status: 500, message: "Internal server error", reason: reason}
}

func (c *call) errBadGateway(reason string) *gwError {
	if c.kind == HTTP {
		return &gwError{typ: responseInternalServerError5XX, status: 500, message: "Internal Server Error", reason: reason}
	}
	return &gwError{typ: responseIntegrationFailure5XX, status: 502, message: "Internal server error", reason: reason}
}

func (c *call) errTimeout() *gwError {
	if c.kind == HTTP {
		return &gwError{typ: ResponseIntegrationTimeout, status: 503, message: "Service Unavailable", reason: "integration timed out"}
	}
	return &gwError{typ: ResponseIntegrationTimeout, status: 504, message: "Endpoint request timed out", reason: "integration timed out"}
}
