package edge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
)

// LambdaEdgeEvent is the event Lambda@Edge passes to a function, exactly
// as AWS documents it: one record whose cf object holds the config, the
// request and, for response events, the response. aws-lambda-go has no
// type for it; a Go handler takes this one.
type LambdaEdgeEvent struct {
	Records []LambdaEdgeRecord `json:"Records"`
}

// LambdaEdgeRecord is one record of a [LambdaEdgeEvent].
type LambdaEdgeRecord struct {
	CF LambdaEdgeCF `json:"cf"`
}

// LambdaEdgeCF is the cf object of a record.
type LambdaEdgeCF struct {
	Config   LambdaEdgeConfig    `json:"config"`
	Request  *LambdaEdgeRequest  `json:"request,omitempty"`
	Response *LambdaEdgeResponse `json:"response,omitempty"`
}

// LambdaEdgeConfig is the config object: the distribution and the event.
type LambdaEdgeConfig struct {
	DistributionDomainName string    `json:"distributionDomainName"`
	DistributionID         string    `json:"distributionId"`
	EventType              EventType `json:"eventType"`
	RequestID              string    `json:"requestId"`
}

// LambdaEdgeHeader is one header value with its name as the viewer spelt
// it.
type LambdaEdgeHeader struct {
	Key   string `json:"key,omitempty"`
	Value string `json:"value"`
}

// LambdaEdgeHeaders maps lower-case header names to their values.
type LambdaEdgeHeaders map[string][]LambdaEdgeHeader

// Get returns the first value of a header (name in any case).
func (h LambdaEdgeHeaders) Get(name string) string {
	if vs := h[lower(name)]; len(vs) > 0 {
		return vs[0].Value
	}
	return ""
}

// Set replaces a header with one value.
func (h LambdaEdgeHeaders) Set(name, value string) {
	h[lower(name)] = []LambdaEdgeHeader{{Key: canonical(name), Value: value}}
}

// LambdaEdgeBody is the request body Lambda@Edge exposes with IncludeBody:
// base64 Data, InputTruncated when the body was longer than the event
// allows. A function replaces the body by returning Action "replace" with
// Encoding "base64" or "text".
type LambdaEdgeBody struct {
	InputTruncated bool   `json:"inputTruncated"`
	Action         string `json:"action"`
	Encoding       string `json:"encoding"`
	Data           string `json:"data"`
}

// LambdaEdgeCustomOrigin describes a custom origin in an origin request
// event; a function may point the request at another origin by changing
// DomainName (here: another origin of the distribution with that
// DomainName).
type LambdaEdgeCustomOrigin struct {
	CustomHeaders    LambdaEdgeHeaders `json:"customHeaders"`
	DomainName       string            `json:"domainName"`
	KeepaliveTimeout int               `json:"keepaliveTimeout"`
	Path             string            `json:"path"`
	Port             int               `json:"port"`
	Protocol         string            `json:"protocol"`
	ReadTimeout      int               `json:"readTimeout"`
	SSLProtocols     []string          `json:"sslProtocols"`
}

// LambdaEdgeOrigin is the origin object of an origin request event.
type LambdaEdgeOrigin struct {
	Custom *LambdaEdgeCustomOrigin `json:"custom,omitempty"`
}

// LambdaEdgeRequest is the request object. Returned from a request event,
// it is the request CloudFront goes on with.
type LambdaEdgeRequest struct {
	Body        *LambdaEdgeBody   `json:"body,omitempty"`
	ClientIP    string            `json:"clientIp"`
	Headers     LambdaEdgeHeaders `json:"headers"`
	Method      string            `json:"method"`
	Origin      *LambdaEdgeOrigin `json:"origin,omitempty"`
	QueryString string            `json:"querystring"`
	URI         string            `json:"uri"`
}

// LambdaEdgeStatus is a status code as Lambda@Edge writes it: a JSON
// string ("200"). A number is accepted on input too.
type LambdaEdgeStatus string

// UnmarshalJSON accepts "200" and 200.
func (s *LambdaEdgeStatus) UnmarshalJSON(p []byte) error {
	p = bytes.TrimSpace(p)
	if len(p) > 0 && p[0] != '"' {
		var n int
		if err := json.Unmarshal(p, &n); err != nil {
			return err
		}
		*s = LambdaEdgeStatus(strconv.Itoa(n))
		return nil
	}
	var v string
	if err := json.Unmarshal(p, &v); err != nil {
		return err
	}
	*s = LambdaEdgeStatus(v)
	return nil
}

// LambdaEdgeResponse is the response object. Returned from a request
// event it is a generated response; from a response event it replaces the
// response. Body (with BodyEncoding "text" or "base64") is only in
// generated or replaced responses: events never carry the origin's body.
type LambdaEdgeResponse struct {
	Status            LambdaEdgeStatus  `json:"status"`
	StatusDescription string            `json:"statusDescription,omitempty"`
	Headers           LambdaEdgeHeaders `json:"headers"`
	Body              *string           `json:"body,omitempty"`
	BodyEncoding      string            `json:"bodyEncoding,omitempty"`
}

// lambdaResult is what a function returned: a request or a response.
type lambdaResult struct {
	req  *LambdaEdgeRequest
	resp *LambdaEdgeResponse
}

// parseLambdaResult reads a Lambda@Edge function's JSON result.
func parseLambdaResult(ev EventType, data []byte) (lambdaResult, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil || probe == nil {
		return lambdaResult{}, fmt.Errorf("the function returned %s, not a request or response object", truncate(string(data), 80))
	}
	_, hasStatus := probe["status"]
	if hasStatus || ev == EventOriginResponse || ev == EventViewerResponse {
		var r LambdaEdgeResponse
		if err := json.Unmarshal(data, &r); err != nil {
			return lambdaResult{}, fmt.Errorf("the function returned an invalid response object: %v", err)
		}
		return lambdaResult{resp: &r}, nil
	}
	var r LambdaEdgeRequest
	if err := json.Unmarshal(data, &r); err != nil {
		return lambdaResult{}, fmt.Errorf("the function returned an invalid request object: %v", err)
	}
	return lambdaResult{req: &r}, nil
}
