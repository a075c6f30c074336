package dynamo

import (
	"maps"
	"slices"
)

// A projection expression is a comma-separated list of document paths:
//
//	projection = path { "," path }
//
// No two paths may overlap (one a prefix of the other, or the same path
// twice) or conflict (a map key in one where the other has a list index).
// The result keeps only the named attributes and sub-attributes; elements
// picked out of a list are compacted into a list in their original order.

// projection is a parsed ProjectionExpression. It is immutable once parsed
// and safe for concurrent use.
type projection struct {
	paths []docPath
	root  *projNode
}

// projNode is one element of the tree of projected paths.
type projNode struct {
	leaf      bool
	names     map[string]*projNode
	nameOrder []string
	idx       map[int]*projNode
	idxOrder  []int // ascending
}

// newProjection builds the projection of paths, which must not overlap.
func newProjection(paths []docPath) *projection {
	root := &projNode{}
	for _, path := range paths {
		n := root
		for _, e := range path {
			var child *projNode
			if e.isIndex {
				if n.idx == nil {
					n.idx = map[int]*projNode{}
				}
				if child = n.idx[e.index]; child == nil {
					child = &projNode{}
					n.idx[e.index] = child
				}
			} else {
				if n.names == nil {
					n.names = map[string]*projNode{}
				}
				if child = n.names[e.name]; child == nil {
					child = &projNode{}
					n.names[e.name] = child
					n.nameOrder = append(n.nameOrder, e.name)
				}
			}
			n = child
		}
		n.leaf = true
	}
	var sortIdx func(*projNode)
	sortIdx = func(n *projNode) {
		n.idxOrder = slices.Sorted(maps.Keys(n.idx))
		for _, c := range n.names {
			sortIdx(c)
		}
		for _, c := range n.idx {
			sortIdx(c)
		}
	}
	sortIdx(root)
	return &projection{paths: paths, root: root}
}

// parseProjection parses a ProjectionExpression.
func (c *exprContext) parseProjection(expr string) (*projection, error) {
	const kind = "ProjectionExpression"
	if err := c.checkSize(kind, expr); err != nil {
		return nil, err
	}
	p := newParser(kind, expr, modeProjection, c.limits)
	var paths []docPath
	for {
		path, err := p.parsePath()
		if err != nil {
			return nil, err
		}
		paths = append(paths, path)
		if !p.peek().is(",") {
			break
		}
		p.advance()
	}
	if p.peek().kind != tEOF {
		return nil, p.fail()
	}
	for _, path := range paths {
		if w := firstReserved(path); w != "" {
			return nil, exprError(kind, "Attribute name is a reserved keyword; reserved keyword: %s", w)
		}
	}
	for _, path := range paths {
		if undefined := c.resolve(path); undefined != "" {
			return nil, exprError(kind, "An expression attribute name used in the document path is not defined; attribute name: %s", undefined)
		}
	}
	if err := checkPaths(kind, paths); err != nil {
		return nil, err
	}
	return newProjection(paths), nil
}

// apply returns the parts of item the projection names (nil for a nil
// item). Attributes the item lacks are left out; the result shares values
// with item.
func (p *projection) apply(item Item) Item {
	if item == nil {
		return nil
	}
	out := Item{}
	for _, name := range p.root.nameOrder {
		if v, ok := item[name]; ok {
			if r, ok := p.root.names[name].extract(v); ok {
				out[name] = r
			}
		}
	}
	return out
}

// extract returns the part of v that node n selects, if any.
func (n *projNode) extract(v AttributeValue) (AttributeValue, bool) {
	if n.leaf {
		return v, true
	}
	if n.names != nil {
		m, ok := v.(M)
		if !ok {
			return nil, false
		}
		out := M{}
		for _, name := range n.nameOrder {
			if c, ok := m[name]; ok {
				if r, ok := n.names[name].extract(c); ok {
					out[name] = r
				}
			}
		}
		return out, len(out) > 0
	}
	l, ok := v.(L)
	if !ok {
		return nil, false
	}
	var out L
	for _, i := range n.idxOrder {
		if i < len(l) {
			if r, ok := n.idx[i].extract(l[i]); ok {
				out = append(out, r)
			}
		}
	}
	return out, len(out) > 0
}

// topLevelNames returns the top-level attributes the projection reads, in
// the order it names them.
func (p *projection) topLevelNames() []string {
	return slices.Clone(p.root.nameOrder)
}
