package dynamo

import (
	"fmt"
	"strconv"
	"strings"
)

// PartiQL is evaluated by translation: a statement's conditions, updates
// and projections become the expressions of GetItem, Query, Scan,
// PutItem, UpdateItem, DeleteItem and the transactions, with every name
// in ExpressionAttributeNames (#n0, #n1, ...) and every value in
// ExpressionAttributeValues (:v0, :v1, ...). So a PartiQL condition means
// exactly what the same ConditionExpression means, and the operations
// apply their own limits, capacity accounting and errors. DynamoDB does
// the same: its PartiQL front end builds the expression trees of the
// item operations.

// Messages of the translation.
const (
	msgParamCount      = "Number of parameters in request and statement don't match."
	msgMissingCompare  = "MISSING must be compared using IS operator"
	msgNotOperand      = "The argument to NOT must be a Type or Expression"
	msgAndOrOperand    = "The arguments to AND/OR must be Expressions"
	msgWhereBoolean    = "WHERE clause must contain an expression that resolves to a boolean"
	msgISOperand       = "The left hand side argument to IS must be a Variable Reference, Literal, or Path"
	msgISInUpdate      = "IS operator is not supported in update expressions"
	msgEmptyBag        = "Empty bags are not supported"
	msgBagType         = "Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags"
	msgBagDuplicates   = "Input collection contains duplicates"
	msgUnsupportedCond = "Unsupported operator in Condition Expression. Operator: %s"
	msgUnsupportedUpd  = "Unsupported operator in Update Expression. Operator: %s"
	msgUnrecognizedFn  = "Unrecognized function: %s"
	msgUnsupportedTok  = "Unsupported token in expression: %s"
)

// pqlBuilder renders PartiQL expressions as DynamoDB expressions, holding
// the statement's parameters and the names and values the rendered
// expressions use. One builder serves one call of an item operation.
type pqlBuilder struct {
	params []AttributeValue
	names  map[string]string // placeholder to attribute name
	byName map[string]string // attribute name to placeholder
	values map[string]AttributeValue
}

func newPqlBuilder(params []AttributeValue) *pqlBuilder {
	return &pqlBuilder{params: params}
}

// nameRef returns the placeholder of an attribute name.
func (b *pqlBuilder) nameRef(name string) string {
	if ref, ok := b.byName[name]; ok {
		return ref
	}
	if b.names == nil {
		b.names, b.byName = map[string]string{}, map[string]string{}
	}
	ref := "#n" + strconv.Itoa(len(b.names))
	b.names[ref], b.byName[name] = name, ref
	return ref
}

// valueRef returns a new placeholder for a value.
func (b *pqlBuilder) valueRef(v AttributeValue) string {
	if b.values == nil {
		b.values = map[string]AttributeValue{}
	}
	ref := ":v" + strconv.Itoa(len(b.values))
	b.values[ref] = v
	return ref
}

// pathRef renders a document path with placeholders: #n0.#n1[2].
func (b *pqlBuilder) pathRef(p docPath) string {
	var s strings.Builder
	for i, e := range p {
		switch {
		case e.isIndex:
			s.WriteByte('[')
			s.WriteString(strconv.Itoa(e.index))
			s.WriteByte(']')
		default:
			if i > 0 {
				s.WriteByte('.')
			}
			s.WriteString(b.nameRef(e.name))
		}
	}
	return s.String()
}

// attrNames and attrValues return the maps for the operation's input: nil
// when empty, as the operations want.
func (b *pqlBuilder) attrNames() map[string]string { return b.names }

func (b *pqlBuilder) attrValues() map[string]AttributeValue { return b.values }

// isValueExpr reports whether e is a value: a literal, a parameter or a
// collection of values.
func isValueExpr(e *pqlExpr) bool {
	switch e.kind {
	case qLit, qParam, qList, qBag, qStruct:
		return true
	}
	return false
}

// value converts a value expression to an AttributeValue; where names its
// place in DynamoDB's messages ("root", "root.a", "root[1]").
func (b *pqlBuilder) value(e *pqlExpr, where string) (AttributeValue, error) {
	switch e.kind {
	case qLit:
		switch e.litType {
		case "S":
			return S(e.text), nil
		case "BOOL":
			return BOOL(e.text == "true"), nil
		case "NULL":
			return NULL{}, nil
		}
		n, err := canonicalNumber(e.text)
		if err != nil {
			return nil, ErrValidation.New(errMessage(err) + " under " + where)
		}
		return N(n), nil
	case qParam:
		if e.param >= len(b.params) {
			return nil, ErrValidation.New(msgParamCount)
		}
		return b.params[e.param], nil
	case qMissing:
		return nil, ErrValidation.New(msgMissingCompare)
	case qList:
		out := make(L, len(e.args))
		for i, a := range e.args {
			v, err := b.value(a, where+"["+strconv.Itoa(i)+"]")
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	case qBag:
		return b.bag(e, where)
	case qStruct:
		out := make(M, len(e.args)/2)
		for i := 0; i < len(e.args); i += 2 {
			key, err := b.structKey(e.args[i], where)
			if err != nil {
				return nil, err
			}
			if _, dup := out[key]; dup {
				return nil, ErrValidation.Newf("Duplicate keys in tuple. Key: %s under %s", key, where)
			}
			v, err := b.value(e.args[i+1], where+"."+key)
			if err != nil {
				return nil, err
			}
			out[key] = v
		}
		return out, nil
	}
	return nil, ErrValidation.Newf(msgUnsupportedTok, exprToken(e))
}

// structKey returns the key of a struct member: a string literal or a
// string parameter.
func (b *pqlBuilder) structKey(k *pqlExpr, where string) (string, error) {
	switch {
	case k.kind == qLit && k.litType == "S":
		return k.text, nil
	case k.kind == qParam:
		kv, err := b.value(k, where)
		if err != nil {
			return "", err
		}
		s, ok := kv.(S)
		if !ok {
			return "", ErrValidation.Newf("Tuple keys must be of type String. Actual type: %s under %s", ionTypeName(k, kv), where)
		}
		return string(s), nil
	}
	return "", ErrValidation.Newf("Tuple keys must be of type String. Actual type: %s under %s", ionTypeName(k, nil), where)
}

// bag converts << ... >> to a string or number set.
func (b *pqlBuilder) bag(e *pqlExpr, where string) (AttributeValue, error) {
	if len(e.args) == 0 {
		return nil, ErrValidation.New(msgEmptyBag)
	}
	var strs []string
	var nums []string
	for i, a := range e.args {
		if a.kind != qLit || a.litType != "S" && a.litType != "N" {
			return nil, ErrValidation.New(msgBagType)
		}
		v, err := b.value(a, where+"["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		switch v := v.(type) {
		case S:
			strs = append(strs, string(v))
		case N:
			nums = append(nums, string(v))
		}
	}
	if len(strs) > 0 && len(nums) > 0 {
		return nil, ErrValidation.New(msgBagType)
	}
	members := strs
	if len(nums) > 0 {
		members = nums
	}
	seen := make(map[string]bool, len(members))
	for _, m := range members {
		if seen[m] {
			return nil, ErrValidation.New(msgBagDuplicates)
		}
		seen[m] = true
	}
	if len(nums) > 0 {
		return NS(nums), nil
	}
	return SS(strs), nil
}

// ionTypeName names the type of a struct key as DynamoDB's messages do.
func ionTypeName(e *pqlExpr, v AttributeValue) string {
	if v != nil {
		switch v.Type() {
		case "N":
			return "DECIMAL"
		case "BOOL":
			return "BOOL"
		case "NULL":
			return "NULL"
		case "B":
			return "BLOB"
		case "L":
			return "LIST"
		case "M":
			return "STRUCT"
		}
		return "BAG"
	}
	switch e.kind {
	case qLit:
		switch e.litType {
		case "N":
			if strings.ContainsAny(e.text, ".eE") {
				return "DECIMAL"
			}
			return "INT"
		case "BOOL":
			return "BOOL"
		}
		return "NULL"
	case qList:
		return "LIST"
	case qBag:
		return "BAG"
	case qStruct:
		return "STRUCT"
	case qMissing:
		return "MISSING"
	}
	return "SYMBOL"
}

// exprToken names a node for "Unsupported token in expression" messages.
func exprToken(e *pqlExpr) string {
	switch e.kind {
	case qPath:
		return "PATH"
	case qParam:
		return "PARAMETER"
	case qMissing:
		return "MISSING"
	case qStruct:
		return "STRUCT"
	case qSelect:
		return "SELECT"
	case qCall:
		return e.op
	case qAnd:
		return "and"
	case qOr:
		return "or"
	case qNot:
		return "not"
	case qCmp, qArith:
		return e.op
	case qBetween:
		return "between"
	case qIn:
		return "in"
	case qIs:
		return "is"
	case qLike:
		return "like"
	case qNeg:
		return "-"
	case qList:
		return "LIST"
	case qBag:
		return "BAG"
	}
	return e.tok.text
}

// isBoolean reports whether e is a condition rather than a term.
func isBoolean(e *pqlExpr) bool {
	switch e.kind {
	case qAnd, qOr, qNot, qCmp, qBetween, qIn, qIs, qLike:
		return true
	case qCall:
		// An unknown function is taken for a condition, so that it is
		// refused by name.
		_, upd := updateFunctions[e.op]
		return e.op != "size" && !upd
	}
	return false
}

// checkWhere renders a whole WHERE clause once, so that its errors are
// reported as a whole clause's before it is split into key and filter.
func checkWhere(where *pqlExpr, params []AttributeValue) error {
	if where == nil {
		return nil
	}
	_, err := newPqlBuilder(params).where(where)
	return err
}

// where renders a WHERE clause (or what remains of it) as a condition.
func (b *pqlBuilder) where(e *pqlExpr) (string, error) {
	if !isBoolean(e) {
		if e.kind == qArith || e.kind == qNeg {
			return "", ErrValidation.Newf(msgUnsupportedCond, exprToken(e))
		}
		return "", ErrValidation.New(msgWhereBoolean)
	}
	return b.cond(e)
}

// cond renders a boolean expression.
func (b *pqlBuilder) cond(e *pqlExpr) (string, error) {
	switch e.kind {
	case qAnd, qOr:
		op := " AND "
		if e.kind == qOr {
			op = " OR "
		}
		var parts [2]string
		for i, a := range e.args {
			if !isBoolean(a) {
				return "", ErrValidation.New(msgAndOrOperand)
			}
			s, err := b.cond(a)
			if err != nil {
				return "", err
			}
			if a.kind == qAnd || a.kind == qOr {
				s = "(" + s + ")"
			}
			parts[i] = s
		}
		return parts[0] + op + parts[1], nil
	case qNot:
		a := e.args[0]
		if !isBoolean(a) {
			return "", ErrValidation.New(msgNotOperand)
		}
		s, err := b.cond(a)
		if err != nil {
			return "", err
		}
		return negate(a, s), nil
	case qCmp:
		l, err := b.operand(e.args[0])
		if err != nil {
			return "", err
		}
		r, err := b.operand(e.args[1])
		if err != nil {
			return "", err
		}
		return l + " " + e.op + " " + r, nil
	case qBetween:
		var ops [3]string
		for i, a := range e.args {
			s, err := b.operand(a)
			if err != nil {
				return "", err
			}
			ops[i] = s
		}
		s := ops[0] + " BETWEEN " + ops[1] + " AND " + ops[2]
		if e.neg {
			return "NOT (" + s + ")", nil
		}
		return s, nil
	case qIn:
		set := e.args[1]
		if set.kind != qList && set.kind != qBag || len(set.args) == 0 {
			return "", ErrValidation.New(msgBadIn)
		}
		l, err := b.operand(e.args[0])
		if err != nil {
			return "", err
		}
		members := make([]string, len(set.args))
		for i, a := range set.args {
			if members[i], err = b.operand(a); err != nil {
				return "", err
			}
		}
		s := l + " IN (" + strings.Join(members, ", ") + ")"
		if e.neg {
			return "NOT (" + s + ")", nil
		}
		return s, nil
	case qIs:
		return b.isCond(e)
	case qLike:
		return "", ErrValidation.Newf(msgUnsupportedCond, "like")
	case qCall:
		return b.call(e)
	}
	return "", ErrValidation.Newf(msgUnsupportedTok, exprToken(e))
}

// negate renders NOT of a rendered condition.
func negate(e *pqlExpr, s string) string {
	if e.kind == qAnd || e.kind == qOr {
		return "NOT (" + s + ")"
	}
	return "NOT " + s
}

// isCond renders IS [NOT] MISSING, NULL or a type.
func (b *pqlBuilder) isCond(e *pqlExpr) (string, error) {
	x := e.args[0]
	if x.kind != qPath && !isValueExpr(x) {
		return "", ErrValidation.New(msgISOperand)
	}
	ref, err := b.operand(x)
	if err != nil {
		return "", err
	}
	var s string
	switch e.op {
	case "MISSING":
		if e.neg {
			return "attribute_exists(" + ref + ")", nil
		}
		return "attribute_not_exists(" + ref + ")", nil
	case "NULL":
		s = ref + " = " + b.valueRef(NULL{})
	default:
		t, ok := pqlIsTypes[e.op]
		if !ok {
			return "", ErrValidation.Newf("Unsupported data type for IS operator: %s. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]", e.op)
		}
		s = "attribute_type(" + ref + ", " + b.valueRef(S(t)) + ")"
	}
	if e.neg {
		return "NOT " + s, nil
	}
	return s, nil
}

// pqlIsTypes maps the PartiQL types IS can test to DynamoDB's types.
var pqlIsTypes = map[string]string{
	"BOOLEAN": "BOOL", "NUMERIC": "N", "STRING": "S", "BLOB": "B", "STRUCT": "M", "TUPLE": "M", "LIST": "L",
}

// call renders a function call of a condition: the condition functions
// of DynamoDB's expressions, and size() as an operand.
func (b *pqlBuilder) call(e *pqlExpr) (string, error) {
	_, cond := conditionFunctions[e.op]
	_, upd := updateFunctions[e.op]
	if !cond && !upd {
		return "", ErrValidation.Newf(msgUnrecognizedFn, e.op)
	}
	args := make([]string, len(e.args))
	for i, a := range e.args {
		s, err := b.operand(a)
		if err != nil {
			return "", err
		}
		args[i] = s
	}
	return e.op + "(" + strings.Join(args, ", ") + ")", nil
}

// operand renders a term of a condition: a path, a value or a call.
func (b *pqlBuilder) operand(e *pqlExpr) (string, error) {
	switch {
	case e.kind == qPath:
		return b.pathRef(e.path), nil
	case isValueExpr(e):
		v, err := b.value(e, "root")
		if err != nil {
			return "", err
		}
		return b.valueRef(v), nil
	case e.kind == qCall:
		s, err := b.call(e)
		if err != nil {
			return "", err
		}
		if e.parens {
			s = "(" + s + ")"
		}
		return s, nil
	case e.kind == qMissing:
		return "", ErrValidation.New(msgMissingCompare)
	case e.kind == qArith || e.kind == qNeg:
		return "", ErrValidation.Newf(msgUnsupportedCond, exprToken(e))
	}
	return "", ErrValidation.Newf(msgUnsupportedTok, exprToken(e))
}

// pqlRendered is one rendered action of an update expression.
type pqlRendered struct {
	section string // "SET", "REMOVE", "ADD" or "DELETE"
	text    string
}

// action renders one SET or REMOVE of an UPDATE statement. SET p =
// set_add(p, <<...>>) and set_delete(p, <<...>>) become ADD and DELETE.
func (b *pqlBuilder) action(a pqlAction) (pqlRendered, error) {
	target := b.pathRef(a.path)
	if a.remove {
		return pqlRendered{"REMOVE", target}, nil
	}
	v := a.val
	if v.kind == qCall && (v.op == "set_add" || v.op == "set_delete") {
		section := "ADD"
		if v.op == "set_delete" {
			section = "DELETE"
		}
		if len(v.args) != 2 {
			return pqlRendered{}, ErrValidation.Newf("SET_%s must have exactly two arguments", section)
		}
		if v.args[0].kind != qPath || !samePath(v.args[0].path, a.path) {
			return pqlRendered{}, ErrValidation.Newf("The first argument to SET_%s must equal the assignment value", section)
		}
		set := v.args[1]
		if !isValueExpr(set) {
			return pqlRendered{}, ErrValidation.Newf("The second argument to SET_%s must be a value with type SET", section)
		}
		val, err := b.value(set, "root")
		if err != nil {
			return pqlRendered{}, err
		}
		switch val.Type() {
		case "SS", "NS", "BS":
		default:
			return pqlRendered{}, ErrValidation.Newf("The second argument to SET_%s must be a value with type SET", section)
		}
		return pqlRendered{section, target + " " + b.valueRef(val)}, nil
	}
	s, err := b.updValue(v, true)
	if err != nil {
		return pqlRendered{}, err
	}
	return pqlRendered{"SET", target + " = " + s}, nil
}

// updValue renders the value of a SET: a path, a value, a function of
// update expressions, or one addition or subtraction.
func (b *pqlBuilder) updValue(e *pqlExpr, top bool) (string, error) {
	switch {
	case e.kind == qPath:
		return b.pathRef(e.path), nil
	case isValueExpr(e):
		v, err := b.value(e, "root")
		if err != nil {
			return "", err
		}
		return b.valueRef(v), nil
	case e.kind == qArith && (e.op == "+" || e.op == "-") && top:
		l, err := b.updValue(e.args[0], false)
		if err != nil {
			return "", err
		}
		r, err := b.updValue(e.args[1], false)
		if err != nil {
			return "", err
		}
		return l + " " + e.op + " " + r, nil
	case e.kind == qCall:
		_, cond := conditionFunctions[e.op]
		_, upd := updateFunctions[e.op]
		if !cond && !upd {
			return "", ErrValidation.Newf(msgUnrecognizedFn, e.op)
		}
		args := make([]string, len(e.args))
		for i, a := range e.args {
			s, err := b.updValue(a, false)
			if err != nil {
				return "", err
			}
			args[i] = s
		}
		return e.op + "(" + strings.Join(args, ", ") + ")", nil
	case e.kind == qIs:
		return "", ErrValidation.New(msgISInUpdate)
	case e.kind == qMissing:
		return "", ErrValidation.New(msgMissingCompare)
	case e.kind == qCmp || e.kind == qArith:
		return "", ErrValidation.Newf(msgUnsupportedUpd, e.op)
	case e.kind == qAnd || e.kind == qOr || e.kind == qNot || e.kind == qBetween || e.kind == qIn || e.kind == qLike || e.kind == qNeg:
		return "", ErrValidation.Newf(msgUnsupportedUpd, exprToken(e))
	}
	return "", ErrValidation.Newf(msgUnsupportedTok, exprToken(e))
}

// samePath reports whether two paths are the same.
func samePath(a, b docPath) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].isIndex != b[i].isIndex || a[i].index != b[i].index || a[i].name != b[i].name {
			return false
		}
	}
	return true
}

// conjuncts flattens the AND chain of e into its terms, left to right.
func conjuncts(e *pqlExpr) []*pqlExpr {
	if e == nil {
		return nil
	}
	if e.kind == qAnd {
		return append(conjuncts(e.args[0]), conjuncts(e.args[1])...)
	}
	return []*pqlExpr{e}
}

// andOf joins terms with AND; nil when there are none.
func andOf(terms []*pqlExpr) *pqlExpr {
	var out *pqlExpr
	for _, t := range terms {
		if out == nil {
			out = t
			continue
		}
		out = &pqlExpr{kind: qAnd, args: []*pqlExpr{out, t}, tok: out.tok}
	}
	return out
}

// keyEquality reports whether e is "name = value" (either way round) for a
// top-level attribute name, and returns the name and the value side.
func keyEquality(e *pqlExpr) (string, *pqlExpr, bool) {
	if e.kind != qCmp || e.op != "=" {
		return "", nil, false
	}
	l, r := e.args[0], e.args[1]
	if l.kind == qPath && len(l.path) == 1 && isValueExpr(r) {
		return l.path[0].name, r, true
	}
	if r.kind == qPath && len(r.path) == 1 && isValueExpr(l) {
		return r.path[0].name, l, true
	}
	return "", nil, false
}

// checkKeyValue applies DynamoDB's PartiQL checks to a key attribute's
// value: a scalar, of the type the schema declares.
func checkPqlKeyValue(def keyDef, v AttributeValue) error {
	switch v.Type() {
	case "S", "N", "B":
	default:
		return ErrValidation.Newf("Key value must be of type S, N, or B. Key name: %s, Key type: %s", def.name, v.Type())
	}
	if v.Type() != string(def.typ) {
		return ErrValidation.Newf("Key attribute's data type should match its data type in table's schema: Key %s", def.name)
	}
	return nil
}

// dmlKey finds the full primary key of an UPDATE, DELETE or EXISTS in the
// equalities of its WHERE clause, and returns the key and what remains of
// the clause as the write's condition.
func (b *pqlBuilder) dmlKey(where *pqlExpr, key schema, incomplete string) (Item, *pqlExpr, error) {
	if where == nil {
		return nil, nil, ErrValidation.New(incomplete)
	}
	defs := []keyDef{key.hash}
	if key.hasRange() {
		defs = append(defs, key.rng)
	}
	found := Item{}
	var rest []*pqlExpr
	for _, c := range conjuncts(where) {
		name, side, ok := keyEquality(c)
		isKey := ok && (name == key.hash.name || key.hasRange() && name == key.rng.name)
		if !isKey {
			rest = append(rest, c)
			continue
		}
		v, err := b.value(side, "root")
		if err != nil {
			return nil, nil, err
		}
		if prev, seen := found[name]; seen {
			if !valuesEqual(prev, v) {
				return nil, nil, ErrValidation.Newf("Multiple conditions on same key %s. Only single item Update/Insert/Delete are supported", name)
			}
			continue
		}
		found[name] = v
	}
	for _, d := range defs {
		if _, ok := found[d.name]; !ok {
			return nil, nil, ErrValidation.New(incomplete)
		}
	}
	for _, d := range defs {
		if err := checkPqlKeyValue(d, found[d.name]); err != nil {
			return nil, nil, err
		}
	}
	return found, andOf(rest), nil
}

// projectionName is the attribute name under which a SELECT returns a
// path: its last map key, followed by the list indexes after it (a.b[1]
// comes back as "b[1]", l[0] as "l[0]").
func projectionName(p docPath) string {
	last := 0
	for i, e := range p {
		if !e.isIndex {
			last = i
		}
	}
	var s strings.Builder
	s.WriteString(p[last].name)
	for _, e := range p[last+1:] {
		fmt.Fprintf(&s, "[%d]", e.index)
	}
	return s.String()
}
