package stepfn

import (
	"maps"
	"slices"
	"strings"
)

// Workflow variables: a state's Assign field stores values under names
// that later states read as $name, in JSONPath paths and intrinsic
// arguments as in JSONata expressions. The top-level states share one
// scope; each Parallel branch and each Map iteration runs in a scope of
// its own that reads the scopes around it, except a distributed Map's
// iterations, which see none. A state's assignments are computed from
// the values the variables had when it was entered and take effect when
// it exits.

// Quotas of workflow variables, from "Passing data between states with
// variables" in the Step Functions Developer Guide.
const (
	// maxAssignSize is the largest serialised size of one state's
	// assignments: 256 KiB.
	maxAssignSize = 256 * 1024
	// maxVariablesSize is the largest serialised size of every variable
	// of one scope together: 10 MiB.
	maxVariablesSize = 10 * 1024 * 1024
	// maxVariableNameLength is the longest variable name: 80 characters.
	maxVariableNameLength = 80
)

// varScope holds the variables of one scope. Only the thread running the
// scope's states writes it; inner scopes read it while that thread waits
// on their Parallel or Map state, so it needs no lock.
type varScope struct {
	parent *varScope
	vals   map[string]any
	sizes  map[string]int // serialised size of each value
	total  int
}

// newScope returns a scope nested in parent (nil for a top level or a
// distributed Map iteration).
func newScope(parent *varScope) *varScope {
	return &varScope{parent: parent}
}

// lookup finds a variable in s or the scopes around it.
func (s *varScope) lookup(name string) (any, bool) {
	for sc := s; sc != nil; sc = sc.parent {
		if v, ok := sc.vals[name]; ok {
			return v, true
		}
	}
	return nil, false
}

// visible returns every variable s can read, inner values hiding outer
// ones, as JSONata bindings.
func (s *varScope) visible() map[string]any {
	if s == nil {
		return map[string]any{}
	}
	out := s.parent.visible()
	maps.Copy(out, s.vals)
	return out
}

// assign stores values, checking the scope's total size first so that a
// refused assignment changes nothing.
func (s *varScope) assign(vals map[string]any, sizes map[string]int) bool {
	total := s.total
	for k := range vals {
		total += sizes[k] - s.sizes[k]
	}
	if total > maxVariablesSize {
		return false
	}
	if s.vals == nil {
		s.vals, s.sizes = map[string]any{}, map[string]int{}
	}
	for k, v := range vals {
		s.vals[k], s.sizes[k] = v, sizes[k]
	}
	s.total = total
	return true
}

// validVariableName reports whether name can be assigned: a letter or
// underscore followed by letters, digits and underscores, at most 80
// characters, and not the reserved name "states".
func validVariableName(name string) bool {
	if name == "" || len(name) > maxVariableNameLength || name == "states" || !isVarStart(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if !isIdentByte(name[i]) {
			return false
		}
	}
	return true
}

// isVarStart reports whether c may begin a variable name.
func isVarStart(c byte) bool {
	return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
}

// assignSpec is a compiled Assign field, of a state, a Choice rule or a
// Catcher: a JSONPath payload template (whose "name.$" fields read paths
// and intrinsic functions) or a JSONata template.
type assignSpec struct {
	path  *payloadTemplate
	ata   *ataTemplate
	names []string // assigned names, sorted
}

// assign compiles the Assign field of o, if any.
func (c *compiler) assign(o *object, loc string, jsonata bool) *assignSpec {
	v, ok := o.get("Assign")
	if !ok {
		return nil
	}
	floc := ptr(loc, "Assign")
	obj, isObj := v.(*object)
	if !isObj {
		c.d.schema(floc, "The value for the field 'Assign' must be an OBJECT")
		return nil
	}
	spec := &assignSpec{}
	for _, k := range obj.keys {
		name := k
		if !jsonata {
			name = strings.TrimSuffix(k, ".$")
		}
		if !validVariableName(name) {
			c.d.schema(ptr(floc, k), "The variable name '%s' is invalid: it must start with a letter or '_', contain only letters, digits and '_', be at most %d characters long and not be 'states'", name, maxVariableNameLength)
			continue
		}
		spec.names = append(spec.names, name)
	}
	slices.Sort(spec.names)
	if jsonata {
		spec.ata = c.ataTemplate(v, floc)
	} else {
		spec.path = compileTemplate(v, floc, c.d)
	}
	return spec
}

// assignment is what one state assigns: the values and their JSON text
// as the history shows them.
type assignment struct {
	vals  map[string]any
	texts map[string]string
	sizes map[string]int
}

// evalAssign computes a JSONPath state's assignments, with $ bound to
// dollar.
func (sr *stateRun) evalAssign(spec *assignSpec, dollar any, states map[string]any) (*assignment, *stateError) {
	return sr.evalAssignAt(spec, dollar, states, "Assign")
}

// evalAssignAt is evalAssign for the Assign field at location, which
// JSONata errors name.
func (sr *stateRun) evalAssignAt(spec *assignSpec, dollar any, states map[string]any, location string) (*assignment, *stateError) {
	if spec == nil {
		return nil, nil
	}
	var v any
	if spec.ata != nil {
		var serr *stateError
		if v, serr = sr.evalAta(spec.ata, states, location); serr != nil {
			return nil, serr
		}
	} else {
		var serr *stateError
		if v, serr = sr.template(spec.path, dollar, "Assign"); serr != nil {
			return nil, serr
		}
	}
	obj, _ := v.(map[string]any)
	a := &assignment{vals: obj, texts: make(map[string]string, len(obj)), sizes: make(map[string]int, len(obj))}
	size := 0
	for k, val := range obj {
		text := encodeJSON(val)
		a.texts[k], a.sizes[k] = text, len(text)
		size += len(k) + len(text)
	}
	if size > maxAssignSize {
		return nil, newStateError(ErrorDataLimitExceeded, "The assigned variables of state '%s' exceed the maximum size of %d bytes.", sr.st.name, maxAssignSize)
	}
	return a, nil
}
