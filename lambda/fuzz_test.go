package lambda

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// FuzzParseFunctionRef checks that any FunctionName either parses into a
// valid name and qualifier or is refused with InvalidParameterValue, and
// never panics.
func FuzzParseFunctionRef(f *testing.F) {
	for _, s := range []string{
		"f", "my-function", "f:live", "f:$LATEST", "f:12",
		"123456789012:function:f", "123456789012:function:f:v1",
		"arn:aws:lambda:us-east-1:123456789012:function:f",
		"arn:aws:lambda:us-gov-west-1:123456789012:function:f:3",
		"arn:aws-cn:lambda:cn-north-1:123456789012:function:f",
		"", ":", "f:", "a b", "arn:aws:lambda:::function:f", "arn:aws:s3:us-east-1:123456789012:function:f",
		strings.Repeat("a", 65),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		r, err := parseFunctionRef(s)
		if err != nil {
			if ErrInvalidParameterValue.Code != err.(*Error).Code {
				t.Fatalf("%q: error %v is not InvalidParameterValue", s, err)
			}
			return
		}
		if !validFunctionName(r.name) {
			t.Fatalf("%q: parsed an invalid name %q", s, r.name)
		}
		if r.qualifier != "" && !validQualifier(r.qualifier) {
			t.Fatalf("%q: parsed an invalid qualifier %q", s, r.qualifier)
		}
		if !strings.Contains(s, r.name) {
			t.Fatalf("%q: name %q not in the input", s, r.name)
		}
	})
}

// FuzzHandlerPayload sends arbitrary payloads through a typed handler:
// valid JSON is decoded or answered with a function error, anything else
// is refused before the handler; nothing panics and every response is
// JSON.
func FuzzHandlerPayload(f *testing.F) {
	for _, s := range []string{`{}`, `{"id":"o-1","total":3.5}`, `[]`, `null`, `"x"`, `{"id":1}`, `{`, ``, `{"id":"\u00e9"} trailing`, `1e400`} {
		f.Add([]byte(s))
	}
	s := New(Options{TmpDir: f.TempDir()})
	f.Cleanup(func() { s.Close() })
	if _, err := s.CreateFunction(context.Background(), &CreateFunctionInput{FunctionName: "f", Handler: Handler(func(ctx context.Context, o order) (receipt, error) {
		return receipt{OrderID: o.ID}, nil
	})}); err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		out, err := s.Invoke(context.Background(), &InvokeInput{FunctionName: "f", Payload: payload})
		if err != nil {
			if len(payload) > 0 && json.Valid(payload) {
				t.Fatalf("valid JSON %q refused: %v", payload, err)
			}
			return
		}
		if !json.Valid(out.Payload) {
			t.Fatalf("response %q is not JSON", out.Payload)
		}
	})
}

// FuzzUnzippedSize reads arbitrary bytes as a deployment package.
func FuzzUnzippedSize(f *testing.F) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.Create("bootstrap")
	w.Write([]byte("#!/bin/sh\necho hi\n"))
	zw.Close()
	f.Add(b.Bytes())
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := unzippedSize(data)
		if err == nil && n < 0 {
			t.Fatalf("negative size %d", n)
		}
	})
}
