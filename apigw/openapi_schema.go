package apigw

import (
	"encoding/json"
	"fmt"
	"strings"
)

// draft4 is the $schema of the models the importer writes.
const draft4 = "http://json-schema.org/draft-04/schema#"

// model turns an operation's schema into a self-contained JSON Schema
// draft 4 document: every component schema it reaches through $ref is
// copied under "definitions" and the reference rewritten to
// "#/definitions/Name" (recursive schemas stay recursive); OpenAPI's
// nullable becomes a "null" type. The result is checked as CreateModel
// checks a model.
func (im *importer) model(where string, schema any) (string, error) {
	sc := &schemaConverter{im: im, defs: map[string]any{}}
	top, err := sc.convert(where, schema, 0)
	if err != nil {
		return "", err
	}
	for len(sc.queue) > 0 {
		name := sc.queue[0]
		sc.queue = sc.queue[1:]
		src, ok := sc.components()[name]
		if !ok {
			return "", importError(where, fmt.Sprintf("$ref %s%s is not defined", sc.prefix(), escapePointer(name)))
		}
		def, err := sc.convert(where+" ($ref "+name+")", src, 0)
		if err != nil {
			return "", err
		}
		sc.defs[name] = def
	}
	doc, ok := top.(obj)
	if !ok {
		return "", importError(where, "a schema must be an object")
	}
	// A body that is one component inlines it, keeping the definitions
	// for references back to it.
	if ref, ok := doc["$ref"].(string); ok && len(doc) == 1 {
		name := unescapePointer(strings.TrimPrefix(ref, "#/definitions/"))
		if def, ok := sc.defs[name].(obj); ok {
			doc = cloneObj(def)
			if !sc.referenced(name) {
				delete(sc.defs, name)
			}
		}
	}
	if len(sc.defs) > 0 {
		defs := obj{}
		for k, v := range sc.defs {
			defs[k] = v
		}
		doc["definitions"] = defs
	}
	doc["$schema"] = draft4
	b, err := json.Marshal(doc)
	if err != nil {
		return "", importError(where, "the schema cannot be written as JSON: "+err.Error())
	}
	if err := ValidateModel(string(b)); err != nil {
		return "", importError(where, err.Error())
	}
	return string(b), nil
}

// schemaConverter copies schemas, collecting the components they use.
type schemaConverter struct {
	im    *importer
	defs  map[string]any // converted components by name
	queue []string       // components referenced but not converted yet
	refs  map[string]int // how many $refs name each component
}

func (sc *schemaConverter) prefix() string {
	if sc.im.swagger {
		return "#/definitions/"
	}
	return "#/components/schemas/"
}

func (sc *schemaConverter) components() obj {
	if sc.im.swagger {
		m, _ := sc.im.root["definitions"].(obj)
		return m
	}
	comps, _ := sc.im.root["components"].(obj)
	m, _ := comps["schemas"].(obj)
	return m
}

// referenced reports whether a component is named by a $ref inside the
// converted schemas (not only by the top-level one).
func (sc *schemaConverter) referenced(name string) bool { return sc.refs[name] > 1 }

// dataKeywords hold instance data, not schemas: copied as they are.
var dataKeywords = map[string]bool{"enum": true, "default": true, "example": true, "examples": true, "const": true}

func (sc *schemaConverter) convert(where string, v any, depth int) (any, error) {
	if depth > 256 {
		return nil, importError(where, "the schema is nested too deeply")
	}
	switch t := v.(type) {
	case obj:
		if ref, ok := t["$ref"].(string); ok {
			name, ok := strings.CutPrefix(ref, sc.prefix())
			if !ok {
				return nil, importError(where, fmt.Sprintf("$ref %s: only references to %s... are supported", ref, sc.prefix()))
			}
			name = unescapePointer(name)
			if name == "" || strings.Contains(name, "/") && sc.components()[name] == nil {
				return nil, importError(where, fmt.Sprintf("$ref %s: only whole components can be referenced", ref))
			}
			if sc.refs == nil {
				sc.refs = map[string]int{}
			}
			sc.refs[name]++
			if _, done := sc.defs[name]; !done && !contains(sc.queue, name) {
				sc.queue = append(sc.queue, name)
				sc.defs[name] = nil // reserved until converted
			}
			return obj{"$ref": "#/definitions/" + escapePointer(name)}, nil
		}
		out := make(obj, len(t))
		for k, e := range t {
			if dataKeywords[k] {
				out[k] = e
				continue
			}
			c, err := sc.convert(where, e, depth+1)
			if err != nil {
				return nil, err
			}
			out[k] = c
		}
		if nullable, _ := out["nullable"].(bool); nullable {
			switch typ := out["type"].(type) {
			case string:
				out["type"] = []any{typ, "null"}
			case []any:
				out["type"] = append(typ, "null")
			}
		}
		delete(out, "nullable")
		return out, nil
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			c, err := sc.convert(where, e, depth+1)
			if err != nil {
				return nil, err
			}
			out[i] = c
		}
		return out, nil
	}
	return v, nil
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

// cloneObj copies an object deeply.
func cloneObj(m obj) obj {
	out := make(obj, len(m))
	for k, v := range m {
		out[k] = cloneValue(v)
	}
	return out
}

func cloneValue(v any) any {
	switch t := v.(type) {
	case obj:
		return cloneObj(t)
	case []any:
		out := make([]any, len(t))
		for i, e := range t {
			out[i] = cloneValue(e)
		}
		return out
	}
	return v
}
