package edge

import (
	"encoding/json"
	"reflect"
	"testing"
)

// FuzzParseFunctionOutput feeds arbitrary JSON as a CloudFront Function's
// result: it never panics, and what it accepts survives a round trip.
func FuzzParseFunctionOutput(f *testing.F) {
	f.Add(`{"statusCode":302,"headers":{"location":{"value":"/x"}},"body":"moved"}`, true)
	f.Add(`{"method":"GET","uri":"/a","querystring":{"a":{"value":"1","multiValue":[{"value":"1"},{"value":"2"}]}},"headers":{},"cookies":{}}`, true)
	f.Add(`{"statusCode":200,"body":{"data":"aGk=","encoding":"base64"},"cookies":{"a":{"value":"b","attributes":"Secure"}}}`, false)
	f.Add(`[]`, true)
	f.Add(`null`, false)
	f.Fuzz(func(t *testing.T, data string, request bool) {
		ev := EventViewerResponse
		if request {
			ev = EventViewerRequest
		}
		out, err := ParseFunctionOutput(ev, []byte(data))
		if err != nil {
			return
		}
		b, err := json.Marshal(out)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		again, err := ParseFunctionOutput(ev, b)
		if err != nil {
			t.Fatalf("round trip of %s failed: %v", b, err)
		}
		if r, ok := out.(*FunctionResponse); ok && r.Body != nil && r.Body.Encoding == "text" {
			// The string form comes back as the object form.
			return
		}
		if !reflect.DeepEqual(normalizeOutput(out), normalizeOutput(again)) {
			t.Fatalf("round trip changed %s:\n%#v\n%#v", data, out, again)
		}
	})
}

// normalizeOutput treats empty and nil maps alike.
func normalizeOutput(o FunctionOutput) string {
	b, _ := json.Marshal(o)
	var v any
	json.Unmarshal(b, &v)
	b, _ = json.Marshal(v)
	return string(b)
}

// FuzzParseLambdaResult feeds arbitrary JSON as a Lambda@Edge result.
func FuzzParseLambdaResult(f *testing.F) {
	f.Add(`{"status":"200","headers":{"content-type":[{"key":"Content-Type","value":"text/plain"}]},"body":"hi"}`, 0)
	f.Add(`{"status":302,"headers":{}}`, 1)
	f.Add(`{"clientIp":"1.2.3.4","headers":{},"method":"GET","querystring":"a=1","uri":"/","body":{"action":"replace","encoding":"text","data":"x"}}`, 0)
	f.Add(`"str"`, 3)
	f.Fuzz(func(t *testing.T, data string, event int) {
		evs := []EventType{EventViewerRequest, EventOriginRequest, EventOriginResponse, EventViewerResponse}
		ev := evs[(event%4+4)%4]
		res, err := parseLambdaResult(ev, []byte(data))
		if err != nil {
			return
		}
		if (res.req == nil) == (res.resp == nil) {
			t.Fatalf("result %s is both or neither a request and a response", data)
		}
		if res.req != nil && (ev == EventOriginResponse || ev == EventViewerResponse) {
			t.Fatalf("a response event returned a request: %s", data)
		}
		if res.resp != nil {
			fromLambdaHeaders(res.resp.Headers)
		} else {
			fromLambdaHeaders(res.req.Headers)
		}
	})
}
