package cfjs

import (
	"crypto/hmac"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"net/url"
	"strings"

	"github.com/dop251/goja"
)

// installGlobals gives the runtime what cloudfront-js-2.0 has beyond the
// language: require for the helper modules, console, Buffer.
func installGlobals(rt *goja.Runtime, v *vm, opts Options) {
	mods := map[string]goja.Value{}
	mods["querystring"] = querystringModule(rt)
	mods["crypto"] = cryptoModule(rt)
	mods["cloudfront"] = cloudfrontModule(rt, opts.KeyValueStore)
	buffer := bufferModule(rt)
	mods["buffer"] = buffer
	rt.Set("require", func(name string) goja.Value {
		m, ok := mods[name]
		if !ok {
			panic(rt.NewGoError(jsErrorf("Cannot find module '%s' (CloudFront Functions provide querystring, crypto, cloudfront and buffer)", name)))
		}
		return m
	})
	rt.Set("Buffer", buffer.ToObject(rt).Get("Buffer"))
	console := rt.NewObject()
	logf := func(call goja.FunctionCall) goja.Value {
		parts := make([]string, len(call.Arguments))
		for i, a := range call.Arguments {
			if o, ok := a.(*goja.Object); ok && o.ClassName() == "Object" {
				b, _ := json.Marshal(o.Export())
				parts[i] = string(b)
				continue
			}
			parts[i] = a.String()
		}
		if v.logs.Len() < maxLogBytes {
			v.logs.WriteString(strings.Join(parts, " "))
			v.logs.WriteByte('\n')
		}
		return goja.Undefined()
	}
	for _, n := range []string{"log", "info", "warn", "error", "debug"} {
		console.Set(n, logf)
	}
	rt.Set("console", console)
}

// querystringModule is Node's querystring as CloudFront Functions provide it.
func querystringModule(rt *goja.Runtime) goja.Value {
	m := rt.NewObject()
	unescape := func(s string) string {
		if u, err := url.QueryUnescape(s); err == nil {
			return u
		}
		return s
	}
	escape := func(s string) string { return strings.ReplaceAll(url.QueryEscape(s), "+", "%20") }
	parse := func(call goja.FunctionCall) goja.Value {
		str := call.Argument(0).String()
		sep, eq := "&", "="
		if a := call.Argument(1); !goja.IsUndefined(a) && !goja.IsNull(a) {
			sep = a.String()
		}
		if a := call.Argument(2); !goja.IsUndefined(a) && !goja.IsNull(a) {
			eq = a.String()
		}
		out := rt.NewObject()
		vals := map[string][]string{}
		var order []string
		if str != "" && !goja.IsUndefined(call.Argument(0)) {
			for part := range strings.SplitSeq(str, sep) {
				if part == "" {
					continue
				}
				k, val, _ := strings.Cut(part, eq)
				k, val = unescape(strings.ReplaceAll(k, "+", " ")), unescape(strings.ReplaceAll(val, "+", " "))
				if _, seen := vals[k]; !seen {
					order = append(order, k)
				}
				vals[k] = append(vals[k], val)
			}
		}
		for _, k := range order {
			if len(vals[k]) == 1 {
				out.Set(k, vals[k][0])
			} else {
				out.Set(k, vals[k])
			}
		}
		return out
	}
	stringify := func(call goja.FunctionCall) goja.Value {
		obj, ok := call.Argument(0).(*goja.Object)
		if !ok {
			return rt.ToValue("")
		}
		sep, eq := "&", "="
		if a := call.Argument(1); !goja.IsUndefined(a) && !goja.IsNull(a) {
			sep = a.String()
		}
		if a := call.Argument(2); !goja.IsUndefined(a) && !goja.IsNull(a) {
			eq = a.String()
		}
		var parts []string
		for _, k := range obj.Keys() {
			v := obj.Get(k)
			if arr, ok := v.(*goja.Object); ok && arr.ClassName() == "Array" {
				for _, e := range arr.Keys() {
					parts = append(parts, escape(k)+eq+escape(arr.Get(e).String()))
				}
				continue
			}
			s := ""
			if !goja.IsUndefined(v) && !goja.IsNull(v) {
				s = v.String()
			}
			parts = append(parts, escape(k)+eq+escape(s))
		}
		return rt.ToValue(strings.Join(parts, sep))
	}
	m.Set("parse", parse)
	m.Set("decode", parse)
	m.Set("stringify", stringify)
	m.Set("encode", stringify)
	m.Set("escape", func(s string) string { return escape(s) })
	m.Set("unescape", func(s string) string { return unescape(s) })
	return m
}

func newHash(alg string) (func() hash.Hash, error) {
	switch strings.ToLower(alg) {
	case "md5":
		return md5.New, nil
	case "sha1":
		return sha1.New, nil
	case "sha256":
		return sha256.New, nil
	}
	return nil, jsErrorf("Digest method not supported: %s (CloudFront Functions support md5, sha1 and sha256)", alg)
}

// bytesOf reads a string (UTF-8, or in the given encoding) or a Buffer.
func bytesOf(rt *goja.Runtime, v goja.Value, enc string) []byte {
	if o, ok := v.(*goja.Object); ok {
		if b, ok := o.Get("__bytes").Export().([]byte); ok {
			return b
		}
	}
	b, err := decode(v.String(), enc)
	if err != nil {
		panic(rt.NewTypeError(err.Error()))
	}
	return b
}

func decode(s, enc string) ([]byte, error) {
	switch strings.ToLower(enc) {
	case "", "utf8", "utf-8", "binary", "latin1":
		return []byte(s), nil
	case "hex":
		return hex.DecodeString(s)
	case "base64":
		return base64.StdEncoding.DecodeString(padBase64(s))
	case "base64url":
		return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	}
	return nil, fmt.Errorf("unknown encoding %q", enc)
}

func padBase64(s string) string {
	if r := len(s) % 4; r != 0 {
		s += strings.Repeat("=", 4-r)
	}
	return s
}

func encode(b []byte, enc string) (string, error) {
	switch strings.ToLower(enc) {
	case "", "utf8", "utf-8", "binary", "latin1":
		return string(b), nil
	case "hex":
		return hex.EncodeToString(b), nil
	case "base64":
		return base64.StdEncoding.EncodeToString(b), nil
	case "base64url":
		return base64.RawURLEncoding.EncodeToString(b), nil
	}
	return "", fmt.Errorf("unknown encoding %q", enc)
}

// cryptoModule is CloudFront Functions' crypto: createHash and createHmac.
func cryptoModule(rt *goja.Runtime) goja.Value {
	m := rt.NewObject()
	hasher := func(h hash.Hash) *goja.Object {
		o := rt.NewObject()
		o.Set("update", func(call goja.FunctionCall) goja.Value {
			h.Write(bytesOf(rt, call.Argument(0), encodingArg(call.Argument(1))))
			return o
		})
		o.Set("digest", func(call goja.FunctionCall) goja.Value {
			sum := h.Sum(nil)
			enc := encodingArg(call.Argument(0))
			if enc == "" {
				return newBuffer(rt, sum)
			}
			s, err := encode(sum, enc)
			if err != nil {
				panic(rt.NewTypeError(err.Error()))
			}
			return rt.ToValue(s)
		})
		return o
	}
	m.Set("createHash", func(alg string) *goja.Object {
		nh, err := newHash(alg)
		if err != nil {
			panic(rt.NewGoError(err))
		}
		return hasher(nh())
	})
	m.Set("createHmac", func(call goja.FunctionCall) goja.Value {
		nh, err := newHash(call.Argument(0).String())
		if err != nil {
			panic(rt.NewGoError(err))
		}
		return hasher(hmac.New(nh, bytesOf(rt, call.Argument(1), "")))
	})
	return m
}

func encodingArg(v goja.Value) string {
	if v == nil || goja.IsUndefined(v) || goja.IsNull(v) {
		return ""
	}
	return v.String()
}

// bufferModule is a small Buffer: from, toString, byteLength, concat.
func bufferModule(rt *goja.Runtime) goja.Value {
	m := rt.NewObject()
	b := rt.NewObject()
	b.Set("from", func(call goja.FunctionCall) goja.Value {
		return newBuffer(rt, bytesOf(rt, call.Argument(0), encodingArg(call.Argument(1))))
	})
	b.Set("byteLength", func(call goja.FunctionCall) int {
		return len(bytesOf(rt, call.Argument(0), encodingArg(call.Argument(1))))
	})
	b.Set("concat", func(call goja.FunctionCall) goja.Value {
		var out []byte
		if arr, ok := call.Argument(0).(*goja.Object); ok {
			for _, k := range arr.Keys() {
				out = append(out, bytesOf(rt, arr.Get(k), "")...)
			}
		}
		return newBuffer(rt, out)
	})
	b.Set("isBuffer", func(call goja.FunctionCall) bool {
		o, ok := call.Argument(0).(*goja.Object)
		return ok && o.Get("__bytes") != nil
	})
	m.Set("Buffer", b)
	return m
}

func newBuffer(rt *goja.Runtime, data []byte) *goja.Object {
	o := rt.NewObject()
	o.DefineDataProperty("__bytes", rt.ToValue(data), goja.FLAG_FALSE, goja.FLAG_FALSE, goja.FLAG_FALSE)
	o.Set("length", len(data))
	o.Set("toString", func(call goja.FunctionCall) goja.Value {
		s, err := encode(data, encodingArg(call.Argument(0)))
		if err != nil {
			panic(rt.NewTypeError(err.Error()))
		}
		return rt.ToValue(s)
	})
	o.Set("toJSON", func() map[string]any { return map[string]any{"type": "Buffer", "data": data} })
	return o
}

// cloudfrontModule is the cloudfront module: kvs() with Promise-returning
// get, exists and meta over the store.
func cloudfrontModule(rt *goja.Runtime, store KeyValueStore) goja.Value {
	m := rt.NewObject()
	m.Set("kvs", func(call goja.FunctionCall) goja.Value {
		h := rt.NewObject()
		settle := func(f func() (any, error)) goja.Value {
			p, resolve, reject := rt.NewPromise()
			v, err := f()
			if err != nil {
				reject(rt.NewGoError(err))
			} else {
				resolve(v)
			}
			return rt.ToValue(p)
		}
		h.Set("get", func(call goja.FunctionCall) goja.Value {
			key := call.Argument(0).String()
			format := "string"
			if o, ok := call.Argument(1).(*goja.Object); ok {
				if f := o.Get("format"); f != nil && !goja.IsUndefined(f) {
					format = f.String()
				}
			}
			return settle(func() (any, error) {
				v, ok := store[key]
				if !ok {
					return nil, jsErrorf("Key %s not found", key)
				}
				switch format {
				case "string":
					return v, nil
				case "json":
					var out any
					if err := json.Unmarshal([]byte(v), &out); err != nil {
						return nil, jsErrorf("Value of key %s is not JSON: %v", key, err)
					}
					return out, nil
				case "bytes":
					return newBuffer(rt, []byte(v)), nil
				}
				return nil, jsErrorf("Unknown format %s; use string, json or bytes", format)
			})
		})
		h.Set("exists", func(key string) goja.Value {
			return settle(func() (any, error) { _, ok := store[key]; return ok, nil })
		})
		h.Set("meta", func() goja.Value {
			return settle(func() (any, error) {
				return map[string]any{"creationDateTime": "2025-01-01T00:00:00Z", "lastUpdatedDateTime": "2025-01-01T00:00:00Z", "keyCount": len(store)}, nil
			})
		})
		return h
	})
	return m
}

// jsMessage is an error whose text JavaScript code sees as e.message, in
// Node's and CloudFront's words (capitalized as they are).
type jsMessage string

func (m jsMessage) Error() string { return string(m) }

func jsErrorf(format string, args ...any) error { return jsMessage(fmt.Sprintf(format, args...)) }
