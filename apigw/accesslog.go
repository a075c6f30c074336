package apigw

import (
	"strconv"
	"strings"
	"time"
)

// contextVar returns the value of an access log or template variable
// ("requestId", "identity.sourceIp", "authorizer.claims.sub") and whether
// it is known.
func (c *call) contextVar(name string, latency time.Duration) (string, bool) {
	switch name {
	case "requestId":
		return c.requestID, true
	case "extendedRequestId":
		return c.extendedRequestID, true
	case "apiId":
		return c.api.id, true
	case "stage":
		if c.st != nil {
			return c.st.name, true
		}
		return "", true
	case "httpMethod":
		return c.r.Method, true
	case "path":
		return c.rawPath, true
	case "resourcePath":
		if c.route != nil {
			return c.route.key.path, true
		}
		return "-", true
	case "routeKey":
		if c.route != nil {
			return c.route.key.String(), true
		}
		return "-", true
	case "protocol":
		return c.r.Proto, true
	case "status":
		return strconv.Itoa(c.status), true
	case "responseLength":
		return strconv.Itoa(c.responseLength), true
	case "requestTime":
		return c.start.UTC().Format(requestTimeCLF), true
	case "requestTimeEpoch":
		return strconv.FormatInt(c.start.UnixMilli(), 10), true
	case "responseLatency":
		return strconv.FormatInt(latency.Milliseconds(), 10), true
	case "integrationLatency", "integration.latency":
		return strconv.FormatInt(c.integrationLatency.Milliseconds(), 10), true
	case "integrationStatus", "integration.status":
		if c.integrationStatus == 0 {
			return "-", true
		}
		return strconv.Itoa(c.integrationStatus), true
	case "domainName":
		return c.api.Endpoint(), true
	case "domainPrefix":
		return c.api.id, true
	case "accountId":
		return c.s.accountID, true
	case "identity.sourceIp":
		return sourceIP(c.r), true
	case "identity.userAgent":
		return c.r.UserAgent(), true
	case "identity.apiKey":
		if c.req != nil {
			return c.req.APIKey, true
		}
		return "-", true
	case "identity.apiKeyId":
		if c.req != nil {
			return c.req.APIKeyID, true
		}
		return "-", true
	case "error.message", "error.messageString":
		if name == "error.messageString" {
			return strconv.Quote(c.errMessage), true
		}
		return c.errMessage, true
	case "isCanaryRequest":
		return strconv.FormatBool(c.canary), true
	case "error.validationErrorString":
		return c.validationError, true
	case "error.responseType":
		return c.errType, true
	}
	if rest, ok := strings.CutPrefix(name, "authorizer."); ok && c.req != nil && c.req.Authorizer != nil {
		az := c.req.Authorizer
		if rest == "principalId" {
			return az.PrincipalID, true
		}
		if claim, ok := strings.CutPrefix(rest, "claims."); ok {
			if v, ok := az.Claims[claim]; ok {
				return claimString(v), true
			}
			return "-", true
		}
		if v, ok := az.Context[rest]; ok {
			s, _ := scalarString(v)
			return s, true
		}
		return "-", true
	}
	if v, ok := strings.CutPrefix(name, "stageVariables."); ok {
		return c.cfg.Variables[v], true
	}
	return "", false
}

// expandAccessLog replaces $context.* variables in an access log format.
// An empty value is written as "-", as API Gateway does.
func (c *call) expandAccessLog(format string, latency time.Duration) string {
	return expandVars(format, func(name string) (string, bool) {
		v, ok := c.contextVar(name, latency)
		if ok && v == "" {
			v = "-"
		}
		return v, ok
	})
}

// expandTemplate replaces $context.* variables in a gateway response body.
func (c *call) expandTemplate(tmpl string, e *gwError) string {
	c.errMessage = e.message
	c.errType = string(e.typ)
	return expandVars(tmpl, func(name string) (string, bool) {
		return c.contextVar(name, c.s.clock.Since(c.start))
	})
}

// expandVars replaces "$context.name" (name of letters, digits, dots and
// underscores) with lookup's value; unknown names stay as written.
func expandVars(s string, lookup func(string) (string, bool)) string {
	const prefix = "$context."
	var b strings.Builder
	for {
		i := strings.Index(s, prefix)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		b.WriteString(s[:i])
		rest := s[i+len(prefix):]
		n := 0
		for n < len(rest) {
			ch := rest[n]
			if ch == '.' || ch == '_' || ch == '-' || ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' {
				n++
				continue
			}
			break
		}
		name := strings.TrimRight(rest[:n], ".")
		if v, ok := lookup(name); ok {
			b.WriteString(v)
		} else {
			b.WriteString(prefix + name)
		}
		s = rest[len(name):]
	}
}
