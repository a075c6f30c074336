package stepfn

import (
	"errors"
	"fmt"
	"strings"
)

// payloadTemplate is a compiled Parameters, ResultSelector or
// ItemSelector: a JSON value whose object fields named "key.$" take their
// value from a path into the input ($), the context object ($$) or an
// intrinsic function call, under the name "key".
type payloadTemplate struct {
	static any // the whole value when nothing in it is dynamic
	fields []templateField
	items  []*payloadTemplate
	isObj  bool
	isArr  bool
	dyn    bool
}

type templateField struct {
	key   string // output key
	field string // key as written, "key.$" for a dynamic one
	path  *jsonPath
	call  *intrinsic
	sub   *payloadTemplate
}

// compileTemplate compiles a definition value into a template, adding
// diagnostics for fields ending in .$ whose value is not a path or an
// intrinsic call.
func compileTemplate(v any, loc string, d *diagnostics) *payloadTemplate {
	switch x := v.(type) {
	case *object:
		t := &payloadTemplate{isObj: true}
		for _, k := range x.keys {
			val := x.vals[k]
			if strings.HasSuffix(k, ".$") && len(k) > 2 {
				f := templateField{key: strings.TrimSuffix(k, ".$"), field: k}
				s, ok := val.(string)
				switch {
				case !ok:
					d.schema(loc, "The value for the field '%s' must be a STRING that contains a JSONPath or an intrinsic function call", k)
				case isIntrinsicCall(s):
					call, err := parseIntrinsic(s)
					if err != nil {
						d.schemaDetail(loc, err, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", k)
					}
					f.call = call
				default:
					p, err := parsePath(s)
					if err != nil {
						d.schemaDetail(loc, err, "The value for the field '%s' must be a valid JSONPath or a valid intrinsic function call", k)
					}
					f.path = p
				}
				t.fields = append(t.fields, f)
				t.dyn = true
				continue
			}
			sub := compileTemplate(val, loc, d)
			t.fields = append(t.fields, templateField{key: k, field: k, sub: sub})
			t.dyn = t.dyn || sub.dyn
		}
		if !t.dyn {
			t.static = plain(x)
		}
		return t
	case []any:
		t := &payloadTemplate{isArr: true}
		for _, e := range x {
			sub := compileTemplate(e, loc, d)
			t.items = append(t.items, sub)
			t.dyn = t.dyn || sub.dyn
		}
		if !t.dyn {
			t.static = plain(x)
		}
		return t
	}
	return &payloadTemplate{static: v}
}

// templatePathError is a path in a template field that matched nothing.
type templatePathError struct {
	field string
	path  string
}

func (e *templatePathError) Error() string {
	return fmt.Sprintf("The JSONPath '%s' specified for the field '%s' could not be found", e.path, e.field)
}

// eval builds the payload. A failure is a *templatePathError or a
// *stateError from an intrinsic function.
func (t *payloadTemplate) eval(env *evalEnv) (any, error) {
	if !t.dyn {
		return t.static, nil
	}
	if t.isArr {
		out := make([]any, len(t.items))
		for i, it := range t.items {
			v, err := it.eval(env)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	out := make(map[string]any, len(t.fields))
	for _, f := range t.fields {
		var v any
		var err error
		switch {
		case f.sub != nil:
			v, err = f.sub.eval(env)
		case f.call != nil:
			v, err = f.call.eval(env)
		case f.path != nil:
			v, err = env.evalPath(f.path)
		}
		if err != nil {
			var pnf *pathNotFoundError
			if errors.As(err, &pnf) {
				return nil, &templatePathError{field: f.field, path: pnf.path}
			}
			return nil, err
		}
		out[f.key] = v
	}
	return out, nil
}
