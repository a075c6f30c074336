package stepfn

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"math"
	"math/rand/v2"
	"strings"
	"unicode/utf8"
)

// evalEnv is what paths and intrinsic functions read: the state's input
// ($), the context object ($$, built only when asked for) and the
// service's random source.
type evalEnv struct {
	input   any
	context func() any
	rnd     *lockedRand
	vars    *varScope // workflow variables ($name); nil reads none
}

// pathNotFoundError reports a path in an argument or a payload template
// that matched nothing.
type pathNotFoundError struct {
	path     string
	variable string // set when the path's variable is not assigned
}

func (e *pathNotFoundError) Error() string { return "path " + e.path + " not found" }

// evalPath applies p to the input or the context object.
func (env *evalEnv) evalPath(p *jsonPath) (any, error) {
	root := env.input
	switch {
	case p.context:
		root = env.context()
	case p.variable != "":
		val, ok := env.vars.lookup(p.variable)
		if !ok {
			return nil, &pathNotFoundError{path: p.src, variable: p.variable}
		}
		root = val
	}
	v, err := p.eval(root)
	if err != nil {
		return nil, &pathNotFoundError{path: p.src}
	}
	return v, nil
}

var hashAlgorithms = map[string]func() hash.Hash{
	"MD5":     md5.New,
	"SHA-1":   sha1.New,
	"SHA-256": sha256.New,
	"SHA-384": sha512.New384,
	"SHA-512": sha512.New,
}

func intrinsicFailure(format string, args ...any) *stateError {
	return newStateError(ErrorIntrinsicFailure, format, args...)
}

// eval runs the call. A failure is a *stateError named
// States.IntrinsicFailure, or a *pathNotFoundError for an argument path
// that matched nothing.
func (c *intrinsic) eval(env *evalEnv) (any, error) {
	args := make([]any, len(c.args))
	for i, a := range c.args {
		switch {
		case a.call != nil:
			v, err := a.call.eval(env)
			if err != nil {
				return nil, err
			}
			args[i] = v
		case a.path != nil:
			v, err := env.evalPath(a.path)
			if err != nil {
				return nil, err
			}
			args[i] = v
		default:
			args[i] = a.literal
		}
	}
	fn := strings.TrimPrefix(c.fn, "States.")
	str := func(i int) (string, error) {
		s, ok := args[i].(string)
		if !ok {
			return "", intrinsicFailure("Invalid arguments in %s: argument %d must be a string, got %s", c.fn, i+1, jsonType(args[i]))
		}
		return s, nil
	}
	integer := func(i int) (int64, error) {
		n, ok := asInt(args[i])
		if !ok {
			return 0, intrinsicFailure("Invalid arguments in %s: argument %d must be an integer, got %s", c.fn, i+1, encodeJSON(args[i]))
		}
		return n, nil
	}
	array := func(i int) ([]any, error) {
		a, ok := args[i].([]any)
		if !ok {
			return nil, intrinsicFailure("Invalid arguments in %s: argument %d must be an array, got %s", c.fn, i+1, jsonType(args[i]))
		}
		return a, nil
	}
	limited := func(i int) (string, error) {
		s, err := str(i)
		if err != nil {
			return "", err
		}
		if utf8.RuneCountInString(s) > maxIntrinsicInput {
			return "", intrinsicFailure("Invalid arguments in %s: the input is over %d characters", c.fn, maxIntrinsicInput)
		}
		return s, nil
	}

	switch fn {
	case "Format":
		return c.format(args)
	case "StringToJson":
		s, err := str(0)
		if err != nil {
			return nil, err
		}
		v, err := decodeJSON([]byte(s))
		if err != nil {
			return nil, intrinsicFailure("Invalid arguments in States.StringToJson: %q is not valid JSON", s)
		}
		return v, nil
	case "JsonToString":
		return encodeJSON(args[0]), nil
	case "Array":
		return args, nil
	case "ArrayPartition":
		a, err := array(0)
		if err != nil {
			return nil, err
		}
		size, err := integer(1)
		if err != nil {
			return nil, err
		}
		if size <= 0 {
			return nil, intrinsicFailure("Invalid arguments in States.ArrayPartition: the chunk size must be positive, got %d", size)
		}
		out := []any{}
		for i := 0; i < len(a); i += int(size) {
			out = append(out, append([]any(nil), a[i:min(len(a), i+int(size))]...))
		}
		return out, nil
	case "ArrayContains":
		a, err := array(0)
		if err != nil {
			return nil, err
		}
		for _, e := range a {
			if jsonEqual(e, args[1]) {
				return true, nil
			}
		}
		return false, nil
	case "ArrayRange":
		var n [3]int64
		for i := range n {
			v, err := integer(i)
			if err != nil {
				return nil, err
			}
			n[i] = v
		}
		start, end, step := n[0], n[1], n[2]
		if step == 0 {
			return nil, intrinsicFailure("Invalid arguments in States.ArrayRange: the step cannot be 0")
		}
		count := int64(0)
		if (step > 0 && end >= start) || (step < 0 && end <= start) {
			count = (end-start)/step + 1
		}
		if count > maxArrayRange {
			return nil, intrinsicFailure("Invalid arguments in States.ArrayRange: the range has %d items, more than the %d allowed", count, maxArrayRange)
		}
		out := make([]any, 0, count)
		for i := int64(0); i < count; i++ {
			out = append(out, intNumber(start+i*step))
		}
		return out, nil
	case "ArrayGetItem":
		a, err := array(0)
		if err != nil {
			return nil, err
		}
		idx, err := integer(1)
		if err != nil {
			return nil, err
		}
		if idx < 0 || idx >= int64(len(a)) {
			return nil, intrinsicFailure("Invalid arguments in States.ArrayGetItem: index %d is out of bounds for an array of length %d", idx, len(a))
		}
		return a[idx], nil
	case "ArrayLength":
		a, err := array(0)
		if err != nil {
			return nil, err
		}
		return intNumber(int64(len(a))), nil
	case "ArrayUnique":
		a, err := array(0)
		if err != nil {
			return nil, err
		}
		out := []any{}
	next:
		for _, e := range a {
			for _, seen := range out {
				if jsonEqual(seen, e) {
					continue next
				}
			}
			out = append(out, e)
		}
		return out, nil
	case "Base64Encode":
		s, err := limited(0)
		if err != nil {
			return nil, err
		}
		return base64.StdEncoding.EncodeToString([]byte(s)), nil
	case "Base64Decode":
		s, err := limited(0)
		if err != nil {
			return nil, err
		}
		b, err := base64.StdEncoding.DecodeString(s)
		if err != nil {
			return nil, intrinsicFailure("Invalid arguments in States.Base64Decode: %q is not valid base64", s)
		}
		return string(b), nil
	case "Hash":
		s, err := limited(0)
		if err != nil {
			return nil, err
		}
		alg, err := str(1)
		if err != nil {
			return nil, err
		}
		newHash, ok := hashAlgorithms[alg]
		if !ok {
			return nil, intrinsicFailure("Invalid arguments in States.Hash: unknown algorithm %q, expected one of MD5, SHA-1, SHA-256, SHA-384, SHA-512", alg)
		}
		h := newHash()
		h.Write([]byte(s))
		return hex.EncodeToString(h.Sum(nil)), nil
	case "JsonMerge":
		a, ok1 := args[0].(map[string]any)
		b, ok2 := args[1].(map[string]any)
		if !ok1 || !ok2 {
			return nil, intrinsicFailure("Invalid arguments in States.JsonMerge: both values to merge must be objects")
		}
		if args[2] != false {
			return nil, intrinsicFailure("Invalid arguments in States.JsonMerge: the deep merge flag must be false")
		}
		out := make(map[string]any, len(a)+len(b))
		for k, v := range a {
			out[k] = v
		}
		for k, v := range b {
			out[k] = v
		}
		return out, nil
	case "MathRandom":
		start, err := integer(0)
		if err != nil {
			return nil, err
		}
		end, err := integer(1)
		if err != nil {
			return nil, err
		}
		if end <= start {
			return nil, intrinsicFailure("Invalid arguments in States.MathRandom: the end %d must be greater than the start %d", end, start)
		}
		if len(args) == 3 {
			seed, err := integer(2)
			if err != nil {
				return nil, err
			}
			r := rand.New(rand.NewPCG(uint64(seed), 0))
			return intNumber(start + r.Int64N(end-start)), nil
		}
		return intNumber(start + env.rnd.int64n(end-start)), nil
	case "MathAdd":
		a, err := integer(0)
		if err != nil {
			return nil, err
		}
		b, err := integer(1)
		if err != nil {
			return nil, err
		}
		for _, v := range []int64{a, b} {
			if v < math.MinInt32 || v > math.MaxInt32 {
				return nil, intrinsicFailure("Invalid arguments in States.MathAdd: %d is outside the range of a 32-bit integer", v)
			}
		}
		return intNumber(a + b), nil
	case "StringSplit":
		s, err := str(0)
		if err != nil {
			return nil, err
		}
		delims, err := str(1)
		if err != nil {
			return nil, err
		}
		parts := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
		out := make([]any, len(parts))
		for i, p := range parts {
			out[i] = p
		}
		return out, nil
	case "UUID":
		return env.rnd.uuid(), nil
	}
	return nil, intrinsicFailure("unknown intrinsic function %s", c.fn)
}

// format fills the {} placeholders of States.Format's template. In a
// literal template \{ and \} are braces, not placeholders.
func (c *intrinsic) format(args []any) (any, error) {
	tmpl, ok := args[0].(string)
	if !ok {
		return nil, intrinsicFailure("Invalid arguments in States.Format: the template must be a string, got %s", jsonType(args[0]))
	}
	raw := tmpl
	escaped := c.args[0].path == nil && c.args[0].call == nil
	if escaped {
		raw = c.args[0].raw
	}
	var b strings.Builder
	next := 1
	for i := 0; i < len(raw); i++ {
		ch := raw[i]
		if escaped && ch == '\\' && i+1 < len(raw) {
			b.WriteByte(raw[i+1])
			i++
			continue
		}
		if ch == '{' && i+1 < len(raw) && raw[i+1] == '}' {
			if next >= len(args) {
				return nil, intrinsicFailure("Invalid arguments in States.Format: the template has more placeholders than the %d arguments given", len(args)-1)
			}
			s, err := formatArg(args[next])
			if err != nil {
				return nil, err
			}
			b.WriteString(s)
			next++
			i++
			continue
		}
		b.WriteByte(ch)
	}
	if next != len(args) {
		return nil, intrinsicFailure("Invalid arguments in States.Format: %d arguments given for %d placeholders", len(args)-1, next-1)
	}
	return b.String(), nil
}

func formatArg(v any) (string, error) {
	switch x := v.(type) {
	case string:
		return x, nil
	case json.Number:
		return string(x), nil
	case bool:
		return fmt.Sprint(x), nil
	case nil:
		return "null", nil
	}
	return "", intrinsicFailure("Invalid arguments in States.Format: an argument is of type %s, but only strings, numbers, booleans and null can be formatted", jsonType(v))
}
