package apigw

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// integration reads an x-amazon-apigateway-integration object.
func (im *importer) integration(routeKey string, ext obj) (Integration, time.Duration, error) {
	var timeout time.Duration
	if v, ok := ext["timeoutInMillis"]; ok {
		ms, ok := intValue(v)
		if !ok || ms < 50 || ms > 29000 {
			return nil, 0, fmt.Errorf("timeoutInMillis %v must be an integer between 50 and 29000", v)
		}
		timeout = time.Duration(ms) * time.Millisecond
	}
	typ := strings.ToLower(str(ext["type"]))
	uri := str(ext["uri"])
	switch typ {
	case "aws_proxy":
		arn, err := lambdaARNFromURI(uri)
		if err != nil {
			return nil, 0, err
		}
		fn, err := im.function(arn)
		if err != nil {
			return nil, 0, err
		}
		p := LambdaProxy{Function: fn}
		if v, ok := ext["payloadFormatVersion"]; ok {
			p.PayloadFormatVersion = str(v)
			if p.PayloadFormatVersion != "1.0" && p.PayloadFormatVersion != "2.0" {
				return nil, 0, fmt.Errorf("payloadFormatVersion %v must be 1.0 or 2.0", v)
			}
		}
		return p, timeout, nil
	case "http_proxy":
		u, err := url.Parse(uri)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, 0, fmt.Errorf("invalid HTTP endpoint specified for URI: %q", uri)
		}
		return HTTPProxy{Endpoint: uri, Client: im.opts.HTTPClient}, timeout, nil
	case "mock":
		m, err := readMock(ext)
		return m, timeout, err
	case "":
		return nil, 0, fmt.Errorf("the integration has no type")
	}
	if im.opts.OtherIntegration == nil {
		return nil, 0, fmt.Errorf("integration type %q needs ImportOptions.OtherIntegration (aws_proxy, http_proxy and mock are built in)", typ)
	}
	in, err := im.opts.OtherIntegration(routeKey, ext)
	if err != nil {
		return nil, 0, err
	}
	if in == nil {
		return nil, 0, fmt.Errorf("ImportOptions.OtherIntegration returned no integration")
	}
	return in, timeout, nil
}

// lambdaARNFromURI reads the function ARN out of an aws_proxy URI:
// "arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{arn}/invocations",
// or (HTTP APIs) the function ARN itself.
func lambdaARNFromURI(uri string) (string, error) {
	if strings.HasPrefix(uri, "arn:") && strings.Contains(uri, ":lambda:path/") {
		_, rest, ok := strings.Cut(uri, "/functions/")
		arn, ok2 := strings.CutSuffix(rest, "/invocations")
		if !ok || !ok2 || arn == "" {
			return "", fmt.Errorf("invalid Lambda function URI %q: expected .../functions/{function ARN}/invocations", uri)
		}
		return arn, nil
	}
	if strings.HasPrefix(uri, "arn:") && strings.Contains(uri, ":lambda:") && strings.Contains(uri, ":function:") {
		return uri, nil
	}
	return "", fmt.Errorf("invalid Lambda function URI %q", uri)
}

// readMock reads a MOCK integration: the request template's statusCode
// selects the integration response (by selectionPattern, else
// "default"), whose status, static header values ('value') and
// application/json template make the answer. Mapping templates are not
// evaluated: the template is the body as written.
func readMock(ext obj) (Mock, error) {
	code := "200"
	if rt, ok := ext["requestTemplates"].(obj); ok {
		tmpl := str(rt["application/json"])
		var sel struct {
			StatusCode json.Number `json:"statusCode"`
		}
		if tmpl != "" && json.Unmarshal([]byte(tmpl), &sel) == nil && sel.StatusCode != "" {
			code = sel.StatusCode.String()
		}
	}
	responses, _ := ext["responses"].(obj)
	var chosen obj
	for _, pattern := range sortedKeys(responses) {
		if pattern == "default" {
			continue
		}
		r, _ := responses[pattern].(obj)
		if r == nil {
			continue
		}
		sp := str(r["selectionPattern"])
		if sp == "" {
			sp = pattern
		}
		re, err := regexp.Compile("^(?:" + sp + ")$")
		if err != nil {
			return Mock{}, fmt.Errorf("responses.%s: selectionPattern %q is not a regular expression", pattern, sp)
		}
		if re.MatchString(code) {
			chosen = r
			break
		}
	}
	if chosen == nil {
		chosen, _ = responses["default"].(obj)
	}
	m := Mock{StatusCode: 200}
	if n, err := strconv.Atoi(code); err == nil {
		m.StatusCode = n
	}
	if chosen == nil {
		return m, nil
	}
	if v, ok := chosen["statusCode"]; ok {
		n, ok := intValue(v)
		if !ok || n < 100 || n > 599 {
			return Mock{}, fmt.Errorf("integration response statusCode %v is not an HTTP status", v)
		}
		m.StatusCode = n
	}
	if params, ok := chosen["responseParameters"].(obj); ok {
		for _, k := range sortedKeys(params) {
			name, ok := strings.CutPrefix(k, "method.response.header.")
			v := str(params[k])
			if !ok || name == "" || len(v) < 2 || v[0] != '\'' || v[len(v)-1] != '\'' {
				continue // only static values map without a request
			}
			if m.Header == nil {
				m.Header = http.Header{}
			}
			m.Header.Set(name, v[1:len(v)-1])
		}
	}
	if tmpls, ok := chosen["responseTemplates"].(obj); ok {
		m.Body = str(tmpls["application/json"])
		if m.Body == "" {
			for _, k := range sortedKeys(tmpls) {
				m.Body = str(tmpls[k])
				break
			}
		}
	}
	return m, nil
}
