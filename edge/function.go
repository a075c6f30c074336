package edge

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"sort"
	"strings"
)

// RuntimeJS20 is the CloudFront Functions runtime whose event shape this
// package uses.
const RuntimeJS20 = "cloudfront-js-2.0"

// FunctionValue is a header, query string parameter or cookie in a
// CloudFront Functions event: its value, and every value in MultiValue
// when there are several. Attributes are a response cookie's attributes
// ("Secure; Path=/; Expires=…").
type FunctionValue struct {
	Value      string          `json:"value"`
	Attributes string          `json:"attributes,omitempty"`
	MultiValue []FunctionValue `json:"multiValue,omitempty"`
}

// FunctionValues maps lower-case header names, or query string parameter
// and cookie names, to their values.
type FunctionValues map[string]FunctionValue

// Get returns the (first) value of name, and whether it is there.
func (v FunctionValues) Get(name string) (string, bool) {
	fv, ok := v[name]
	return fv.Value, ok
}

// Set sets name to a single value.
func (v FunctionValues) Set(name, value string) { v[name] = FunctionValue{Value: value} }

// FunctionContext is the event's context object.
type FunctionContext struct {
	DistributionDomainName string    `json:"distributionDomainName,omitempty"`
	DistributionID         string    `json:"distributionId,omitempty"`
	EventType              EventType `json:"eventType"`
	RequestID              string    `json:"requestId,omitempty"`
}

// FunctionViewer is the event's viewer object.
type FunctionViewer struct {
	IP string `json:"ip"`
}

// FunctionRequest is the request object of a CloudFront Functions event:
// method, URI (the path), query string, headers (lower-case names, without
// Cookie) and cookies. A CloudFront Function never sees the body. Returned
// from a viewer request function, it is the request CloudFront goes on
// with.
type FunctionRequest struct {
	Method      string         `json:"method"`
	URI         string         `json:"uri"`
	QueryString FunctionValues `json:"querystring"`
	Headers     FunctionValues `json:"headers"`
	Cookies     FunctionValues `json:"cookies"`

	// queryOrder is the order of the query string's names, as the viewer
	// sent them or as a JSON result listed them.
	queryOrder []string
}

// UnmarshalJSON reads a request object and remembers the order of its
// query string parameters, which JavaScript objects keep and CloudFront
// writes back in.
func (r *FunctionRequest) UnmarshalJSON(p []byte) error {
	type plain FunctionRequest
	if err := json.Unmarshal(p, (*plain)(r)); err != nil {
		return err
	}
	var raw struct {
		QueryString json.RawMessage `json:"querystring"`
	}
	if json.Unmarshal(p, &raw) == nil && len(raw.QueryString) > 0 {
		r.queryOrder = objectKeys(raw.QueryString)
	}
	return nil
}

// objectKeys returns the keys of a JSON object in their order.
func objectKeys(obj json.RawMessage) []string {
	dec := json.NewDecoder(bytes.NewReader(obj))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil
	}
	var keys []string
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return keys
		}
		k, _ := t.(string)
		keys = append(keys, k)
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return keys
		}
	}
	return keys
}

// FunctionBody is the body of a response a function generates: Data as
// text, or base64 when Encoding is "base64".
type FunctionBody struct {
	Data     string `json:"data"`
	Encoding string `json:"encoding,omitempty"`
}

// UnmarshalJSON accepts the object form and the plain string form (a text
// body) that cloudfront-js-2.0 allows.
func (b *FunctionBody) UnmarshalJSON(p []byte) error {
	p = bytes.TrimSpace(p)
	if len(p) > 0 && p[0] == '"' {
		b.Encoding = "text"
		return json.Unmarshal(p, &b.Data)
	}
	type plain FunctionBody
	return json.Unmarshal(p, (*plain)(b))
}

// FunctionResponse is the response object of a CloudFront Functions event.
// Returned from a viewer request function it is a generated response
// (CloudFront answers with it, without the cache or the origin); returned
// from a viewer response function it replaces the response.
type FunctionResponse struct {
	StatusCode        int            `json:"statusCode"`
	StatusDescription string         `json:"statusDescription,omitempty"`
	Headers           FunctionValues `json:"headers"`
	Cookies           FunctionValues `json:"cookies"`
	Body              *FunctionBody  `json:"body,omitempty"`
}

// FunctionEvent is the event object CloudFront Functions passes to a
// function (runtime cloudfront-js-2.0, event version "1.0"); it marshals to
// exactly that JSON. Response is set for viewer response events only.
type FunctionEvent struct {
	Version  string            `json:"version"`
	Context  FunctionContext   `json:"context"`
	Viewer   FunctionViewer    `json:"viewer"`
	Request  *FunctionRequest  `json:"request"`
	Response *FunctionResponse `json:"response,omitempty"`
}

// FunctionOutput is what a CloudFront Function returns: a
// *FunctionRequest (go on with this request; viewer request only) or a
// *FunctionResponse.
type FunctionOutput interface{ functionOutput() }

func (*FunctionRequest) functionOutput()  {}
func (*FunctionResponse) functionOutput() {}

// ParseFunctionOutput reads the JSON a CloudFront Function returned for an
// event: a response object (it has a statusCode) or, for a viewer request,
// a request object. A JavaScript runtime uses it to hand its result back.
func ParseFunctionOutput(ev EventType, data []byte) (FunctionOutput, error) {
	var probe map[string]json.RawMessage
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("the function returned %s, not an object", truncate(string(data), 80))
	}
	if _, ok := probe["statusCode"]; ok || ev == EventViewerResponse {
		var r FunctionResponse
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, fmt.Errorf("the function returned an invalid response object: %v", err)
		}
		return &r, nil
	}
	var r FunctionRequest
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("the function returned an invalid request object: %v", err)
	}
	return &r, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// FunctionHandler is the code of a CloudFront Function: it gets the event
// and returns the request or response CloudFront goes on with, as the
// JavaScript handler(event) does. It has no context, no network and no
// file system: it is meant to be a pure function of the event. An error
// (or a panic) is an execution error: the viewer gets 503.
type FunctionHandler func(event *FunctionEvent) (FunctionOutput, error)

// Function is a CloudFront Function, published to the LIVE stage.
type Function struct {
	// Name identifies the function (1 to 64 letters, digits, - and _).
	Name string
	// Runtime is "cloudfront-js-2.0" (the default) or "cloudfront-js-1.0".
	Runtime string
	// Handler is the function's code.
	Handler FunctionHandler
}

// FunctionAssociation attaches a CloudFront Function to a cache behaviour
// for a viewer request or viewer response event (the only two CloudFront
// allows), one function per event type.
type FunctionAssociation struct {
	EventType EventType
	Function  *Function
}

// cfHook runs a CloudFront Function.
type cfHook struct {
	fn *Function
}

func (h *cfHook) generatedXCache() string { return XCacheFunctionGeneratedResponse }

// toValues turns headers into the event's lower-case map.
func toValues(h http.Header) FunctionValues {
	out := make(FunctionValues, len(h))
	for k, vs := range h {
		if len(vs) == 0 || strings.EqualFold(k, "Cookie") {
			continue
		}
		out[strings.ToLower(k)] = multi(vs)
	}
	return out
}

func multi(vs []string) FunctionValue {
	fv := FunctionValue{Value: vs[0]}
	if len(vs) > 1 {
		for _, v := range vs {
			fv.MultiValue = append(fv.MultiValue, FunctionValue{Value: v})
		}
	}
	return fv
}

// fromValues turns the event's headers back into an http.Header.
func fromValues(v FunctionValues) http.Header {
	h := make(http.Header, len(v))
	for k, fv := range v {
		name := canonical(k)
		if len(fv.MultiValue) > 0 {
			for _, m := range fv.MultiValue {
				h[name] = append(h[name], m.Value)
			}
		} else {
			h[name] = []string{fv.Value}
		}
	}
	return h
}

func queryValues(raw string) FunctionValues {
	out := FunctionValues{}
	for _, q := range parseQuery(raw) {
		name, val := q.name, q.value
		if prev, ok := out[name]; ok {
			if len(prev.MultiValue) == 0 {
				prev.MultiValue = []FunctionValue{{Value: prev.Value}}
			}
			prev.MultiValue = append(prev.MultiValue, FunctionValue{Value: val})
			out[name] = prev
		} else {
			out[name] = FunctionValue{Value: val}
		}
	}
	return out
}

// encodeQueryValues encodes parameters in the given order (names not in
// v skipped), then the rest in name order.
func encodeQueryValues(v FunctionValues, order []string) string {
	names := make([]string, 0, len(v))
	seen := make(map[string]bool, len(order))
	for _, k := range order {
		if _, ok := v[k]; ok && !seen[k] {
			names = append(names, k)
			seen[k] = true
		}
	}
	rest := len(names)
	for k := range v {
		if !seen[k] {
			names = append(names, k)
		}
	}
	sort.Strings(names[rest:])
	var ps []queryParam
	for _, n := range names {
		fv := v[n]
		if len(fv.MultiValue) > 0 {
			for _, m := range fv.MultiValue {
				ps = append(ps, queryParam{name: n, value: m.Value, hasEq: true})
			}
			continue
		}
		ps = append(ps, queryParam{name: n, value: fv.Value, hasEq: true})
	}
	return encodeQuery(ps)
}

func cookieValues(h http.Header) FunctionValues {
	out := FunctionValues{}
	for _, c := range parseCookies(h) {
		if prev, ok := out[c.name]; ok {
			if len(prev.MultiValue) == 0 {
				prev.MultiValue = []FunctionValue{{Value: prev.Value}}
			}
			prev.MultiValue = append(prev.MultiValue, FunctionValue{Value: c.value})
			out[c.name] = prev
		} else {
			out[c.name] = FunctionValue{Value: c.value}
		}
	}
	return out
}

func cookieHeader(v FunctionValues) string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	var cs []cookie
	for _, n := range names {
		fv := v[n]
		if len(fv.MultiValue) > 0 {
			for _, m := range fv.MultiValue {
				cs = append(cs, cookie{n, m.Value})
			}
			continue
		}
		cs = append(cs, cookie{n, fv.Value})
	}
	return encodeCookies(cs)
}

// setCookieValues reads Set-Cookie headers into the response cookies map.
func setCookieValues(h http.Header) FunctionValues {
	out := FunctionValues{}
	for _, line := range h.Values("Set-Cookie") {
		nv, attrs, _ := strings.Cut(line, ";")
		name, value, _ := strings.Cut(strings.TrimSpace(nv), "=")
		fv := FunctionValue{Value: value, Attributes: strings.TrimSpace(attrs)}
		if prev, ok := out[name]; ok {
			if len(prev.MultiValue) == 0 {
				prev.MultiValue = []FunctionValue{{Value: prev.Value, Attributes: prev.Attributes}}
			}
			prev.MultiValue = append(prev.MultiValue, fv)
			out[name] = prev
		} else {
			out[name] = fv
		}
	}
	return out
}

func setCookieHeaders(v FunctionValues) []string {
	names := make([]string, 0, len(v))
	for k := range v {
		names = append(names, k)
	}
	sort.Strings(names)
	var out []string
	line := func(n string, fv FunctionValue) {
		s := n + "=" + fv.Value
		if fv.Attributes != "" {
			s += "; " + fv.Attributes
		}
		out = append(out, s)
	}
	for _, n := range names {
		fv := v[n]
		if len(fv.MultiValue) > 0 {
			for _, m := range fv.MultiValue {
				line(n, m)
			}
			continue
		}
		line(n, fv)
	}
	return out
}
