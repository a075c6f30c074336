package dynamo

import (
	"bytes"
	"maps"
	"slices"
)

// Applying an update follows DynamoDB's rules:
//
//   - Every SET value is computed from the item as it was before the
//     update, so "SET a = :v, b = a" copies the old a.
//   - List indexes refer to the list as it was: "REMOVE l[0], l[1]" removes
//     the first two elements, and SET l[i] past the end appends, in index
//     order, with nothing padded between.
//   - ADD to a missing attribute creates it (a number starts from 0); ADD
//     to a set unions, DELETE from a set subtracts, and a set left empty is
//     removed.
//   - A path through an attribute that is missing or of the wrong kind
//     (a map key into a list, an index into a map) fails the whole update.
//
// The paths of one update never overlap (parseUpdate rejects that), so the
// actions sit at the leaves of a tree of path elements, and the new item is
// built by one walk of that tree that copies only what changes.

var (
	errUpdatePath    = ErrValidation.New("The document path provided in the update expression is invalid for update")
	errUpdateType    = ErrValidation.New("An operand in the update expression has an incorrect data type")
	errUpdateMissing = ErrValidation.New("The provided expression refers to an attribute that does not exist in the item")
)

// applyNode is one element of the tree of update paths.
type applyNode struct {
	action    int // index of the action at this leaf, or -1 inside the tree
	names     map[string]*applyNode
	nameOrder []string
	idx       map[int]*applyNode
}

func (n *applyNode) insert(path docPath, action int) {
	for _, e := range path {
		var child *applyNode
		if e.isIndex {
			if n.idx == nil {
				n.idx = map[int]*applyNode{}
			}
			if child = n.idx[e.index]; child == nil {
				child = &applyNode{action: -1}
				n.idx[e.index] = child
			}
		} else {
			if n.names == nil {
				n.names = map[string]*applyNode{}
			}
			if child = n.names[e.name]; child == nil {
				child = &applyNode{action: -1}
				n.names[e.name] = child
				n.nameOrder = append(n.nameOrder, e.name)
			}
		}
		n = child
	}
	n.action = action
}

// apply returns the item that results from applying the update to old
// (nil when there is no item). old is not modified; the result shares the
// values the update leaves unchanged. Failures are ValidationExceptions in
// DynamoDB's words.
func (u *updateExpr) apply(old Item) (Item, error) {
	values := make([]AttributeValue, len(u.actions))
	for i, a := range u.actions {
		if a.kind == aSet {
			v, err := evalSetValue(a.val, old, u.values)
			if err != nil {
				return nil, err
			}
			values[i] = v
		}
	}
	root := &applyNode{action: -1}
	for i, a := range u.actions {
		root.insert(a.path, i)
	}
	out := make(Item, len(old)+len(root.nameOrder))
	maps.Copy(out, old)
	for _, name := range root.nameOrder {
		cur, exists := old[name]
		v, present, err := u.rebuild(cur, exists, root.names[name], values)
		if err != nil {
			return nil, err
		}
		if present {
			out[name] = v
		} else {
			delete(out, name)
		}
	}
	return out, nil
}

// rebuild returns the new value at node n given the current one, and
// whether the attribute or element still exists.
func (u *updateExpr) rebuild(cur AttributeValue, exists bool, n *applyNode, values []AttributeValue) (AttributeValue, bool, error) {
	if n.action >= 0 {
		a := u.actions[n.action]
		switch a.kind {
		case aSet:
			return values[n.action], true, nil
		case aRemove:
			return nil, false, nil
		case aAdd:
			return addToValue(cur, exists, boundValue(a.val, u.values))
		}
		return deleteFromValue(cur, exists, boundValue(a.val, u.values))
	}
	if !exists {
		return nil, false, errUpdatePath
	}
	if n.names != nil {
		m, ok := cur.(M)
		if !ok {
			return nil, false, errUpdatePath
		}
		out := maps.Clone(m)
		for _, name := range n.nameOrder {
			child, childExists := m[name]
			v, present, err := u.rebuild(child, childExists, n.names[name], values)
			if err != nil {
				return nil, false, err
			}
			if present {
				out[name] = v
			} else {
				delete(out, name)
			}
		}
		return out, true, nil
	}
	l, ok := cur.(L)
	if !ok {
		return nil, false, errUpdatePath
	}
	kept := slices.Clone(l)
	removed := make([]bool, len(l))
	var appended L
	for _, i := range slices.Sorted(maps.Keys(n.idx)) {
		var child AttributeValue
		if i < len(l) {
			child = l[i]
		}
		v, present, err := u.rebuild(child, i < len(l), n.idx[i], values)
		if err != nil {
			return nil, false, err
		}
		switch {
		case i >= len(l):
			if present {
				appended = append(appended, v)
			}
		case present:
			kept[i] = v
		default:
			removed[i] = true
		}
	}
	out := make(L, 0, len(l)+len(appended))
	for i, v := range kept {
		if !removed[i] {
			out = append(out, v)
		}
	}
	return append(out, appended...), true, nil
}

// addToValue is ADD: a number adds to a number (a missing one counts as
// 0) and a set unions with a set of the same type.
func addToValue(cur AttributeValue, exists bool, delta AttributeValue) (AttributeValue, bool, error) {
	if !exists {
		return delta, true, nil
	}
	switch d := delta.(type) {
	case N:
		c, ok := cur.(N)
		if !ok {
			return nil, false, errUpdateType
		}
		sum, err := addNumbers(string(c), string(d))
		if err != nil {
			return nil, false, err
		}
		return N(sum), true, nil
	case SS:
		c, ok := cur.(SS)
		if !ok {
			return nil, false, errUpdateType
		}
		out := slices.Clone(c)
		for _, s := range d {
			if !slices.Contains(c, s) {
				out = append(out, s)
			}
		}
		return out, true, nil
	case NS:
		c, ok := cur.(NS)
		if !ok {
			return nil, false, errUpdateType
		}
		out := slices.Clone(c)
		for _, s := range d {
			if !slices.ContainsFunc(c, func(e string) bool { return compareNumbers(e, s) == 0 }) {
				out = append(out, s)
			}
		}
		return out, true, nil
	case BS:
		c, ok := cur.(BS)
		if !ok {
			return nil, false, errUpdateType
		}
		out := slices.Clone(c)
		for _, b := range d {
			if !slices.ContainsFunc(c, func(e []byte) bool { return bytes.Equal(e, b) }) {
				out = append(out, b)
			}
		}
		return out, true, nil
	}
	return nil, false, errUpdateType
}

// deleteFromValue is DELETE: it removes elements from a set of the same
// type; a set left empty is removed, and a missing attribute stays missing.
func deleteFromValue(cur AttributeValue, exists bool, delta AttributeValue) (AttributeValue, bool, error) {
	if !exists {
		return nil, false, nil
	}
	var out AttributeValue
	var n int
	switch d := delta.(type) {
	case SS:
		c, ok := cur.(SS)
		if !ok {
			return nil, false, errUpdateType
		}
		s := slices.DeleteFunc(slices.Clone(c), func(e string) bool { return slices.Contains(d, e) })
		out, n = s, len(s)
	case NS:
		c, ok := cur.(NS)
		if !ok {
			return nil, false, errUpdateType
		}
		s := slices.DeleteFunc(slices.Clone(c), func(e string) bool {
			return slices.ContainsFunc(d, func(x string) bool { return compareNumbers(e, x) == 0 })
		})
		out, n = s, len(s)
	case BS:
		c, ok := cur.(BS)
		if !ok {
			return nil, false, errUpdateType
		}
		s := slices.DeleteFunc(slices.Clone(c), func(e []byte) bool {
			return slices.ContainsFunc(d, func(x []byte) bool { return bytes.Equal(e, x) })
		})
		out, n = s, len(s)
	default:
		return nil, false, errUpdateType
	}
	if n == 0 {
		return nil, false, nil
	}
	return out, true, nil
}

// evalSetValue computes the right-hand side of a SET action from the item
// as it was before the update.
func evalSetValue(op *operand, item Item, vals map[string]AttributeValue) (AttributeValue, error) {
	switch op.kind {
	case oValue:
		return boundValue(op, vals), nil
	case oPath:
		v, ok := lookupPath(item, op.path)
		if !ok {
			return nil, errUpdateMissing
		}
		return v, nil
	case oFunc:
		if op.name == "if_not_exists" {
			if v, ok := lookupPath(item, op.args[0].path); ok {
				return v, nil
			}
			return evalSetValue(op.args[1], item, vals)
		}
		a, err := evalSetValue(op.args[0], item, vals)
		if err != nil {
			return nil, err
		}
		la, ok := a.(L)
		if !ok {
			return nil, errUpdateType
		}
		b, err := evalSetValue(op.args[1], item, vals)
		if err != nil {
			return nil, err
		}
		lb, ok := b.(L)
		if !ok {
			return nil, errUpdateType
		}
		return append(append(make(L, 0, len(la)+len(lb)), la...), lb...), nil
	}
	a, err := evalSetValue(op.args[0], item, vals)
	if err != nil {
		return nil, err
	}
	x, ok := a.(N)
	if !ok {
		return nil, errUpdateType
	}
	b, err := evalSetValue(op.args[1], item, vals)
	if err != nil {
		return nil, err
	}
	y, ok := b.(N)
	if !ok {
		return nil, errUpdateType
	}
	var r string
	if op.name == "+" {
		r, err = addNumbers(string(x), string(y))
	} else {
		r, err = subtractNumbers(string(x), string(y))
	}
	if err != nil {
		return nil, err
	}
	return N(r), nil
}
