package stepfn

import (
	"fmt"
	"strings"
)

// dot renders the drawing as a Graphviz digraph.
//
// States are nodes (Choice diamonds, Succeed and Fail double octagons,
// Pass and Wait rounded boxes, Task boxes). A Parallel or Map state is a
// cluster headed by a node with its name, which has a dotted edge to the
// start of each branch or of the item processor; edges into and out of
// the state attach to that head and are clipped at the cluster's border
// (compound=true, lhead/ltail).
func (d *drawing) dot() string {
	var b strings.Builder
	b.WriteString("digraph stateMachine {\n")
	b.WriteString("    compound=true;\n    rankdir=TB;\n    graph [fontname=\"Helvetica\"];\n")
	b.WriteString("    node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n")
	b.WriteString("    edge [fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("    start [shape=circle, label=\"Start\"];\n")
	b.WriteString("    stop [shape=doublecircle, label=\"End\"];\n")
	var edges []string
	d.dotSet(&b, d.m.root, "    ", &edges)
	if root := d.m.root; root != nil {
		if st := root.states[root.startAt]; st != nil {
			edges = append([]string{"start -> " + d.dotHead(st) + d.dotClip(st, nil)}, edges...)
		}
		for _, name := range root.order {
			if st := root.states[name]; terminal(st) {
				edges = append(edges, d.dotHead(st)+" -> stop"+d.dotClip(nil, st))
			}
		}
	}
	for _, e := range edges {
		b.WriteString("    " + e + ";\n")
	}
	b.WriteString("}\n")
	return b.String()
}

// dotHead is the node edges of a state attach to: the state's node, or
// the head node of its cluster.
func (d *drawing) dotHead(st *state) string {
	if st.typ == "Parallel" || st.typ == "Map" {
		return d.ids[st] + "_head"
	}
	return d.ids[st]
}

// dotClip clips an edge at the border of the cluster it enters (to) or
// leaves (from).
func (d *drawing) dotClip(to, from *state) string {
	var attrs []string
	if to != nil && (to.typ == "Parallel" || to.typ == "Map") {
		attrs = append(attrs, "lhead=cluster_"+d.ids[to])
	}
	if from != nil && (from.typ == "Parallel" || from.typ == "Map") {
		attrs = append(attrs, "ltail=cluster_"+d.ids[from])
	}
	if len(attrs) == 0 {
		return ""
	}
	return " [" + strings.Join(attrs, ", ") + "]"
}

// dotSet writes the nodes and clusters of a set and collects its edges.
func (d *drawing) dotSet(b *strings.Builder, set *stateSet, indent string, edges *[]string) {
	if set == nil {
		return
	}
	for _, name := range set.order {
		st := set.states[name]
		id := d.ids[st]
		label := st.name
		if n := d.note(st); n != "" {
			label += "\n" + n
		}
		look := nodeLook{shape: "box", style: "rounded"}
		switch st.typ {
		case "Choice":
			look = nodeLook{shape: "diamond", style: "filled", fill: "#fff8e1"}
		case "Succeed":
			look = nodeLook{shape: "doubleoctagon", style: "filled", fill: "#e8f5e9"}
		case "Fail":
			look = nodeLook{shape: "doubleoctagon", style: "filled", fill: "#ffebee"}
		case "Task":
			look.style = "solid"
		case "Parallel", "Map":
			look.style = "rounded,bold"
		}
		switch d.mark(st) {
		case "visited":
			look.mark("#c8e6c9", "#1b5e20", 2)
		case "failed":
			look.mark("#ffcdd2", "#b71c1c", 3)
		}
		switch st.typ {
		case "Parallel", "Map":
			fmt.Fprintf(b, "%ssubgraph cluster_%s {\n", indent, id)
			fmt.Fprintf(b, "%s    label=%s;\n", indent, dotQuote(st.typ))
			fmt.Fprintf(b, "%s    style=\"rounded,dashed\";\n", indent)
			fmt.Fprintf(b, "%s    %s_head [%s, label=%s];\n", indent, id, look, dotQuote(label))
			sets := st.branches
			if st.typ == "Map" {
				sets = []*stateSet{st.processor}
			}
			for i, sub := range sets {
				if sub == nil {
					continue
				}
				inner := indent + "    "
				if st.typ == "Parallel" {
					fmt.Fprintf(b, "%s    subgraph cluster_%s_b%d {\n", indent, id, i+1)
					fmt.Fprintf(b, "%s        label=%s;\n", indent, dotQuote(fmt.Sprintf("Branch %d", i+1)))
					inner += "    "
				}
				d.dotSet(b, sub, inner, edges)
				if st.typ == "Parallel" {
					fmt.Fprintf(b, "%s    }\n", indent)
				}
				if start := sub.states[sub.startAt]; start != nil {
					*edges = append(*edges, id+"_head -> "+d.dotHead(start)+dotAttrs(d.dotClip(start, nil), "style=dotted, arrowhead=none"))
				}
			}
			fmt.Fprintf(b, "%s}\n", indent)
		default:
			fmt.Fprintf(b, "%s%s [%s, label=%s];\n", indent, id, look, dotQuote(label))
		}
		for _, e := range d.edges(set, st) {
			var attrs []string
			if e.label != "" {
				attrs = append(attrs, "label="+dotQuote(e.label))
			}
			if e.dashed {
				attrs = append(attrs, "style=dashed", "color=\"#c62828\"", "fontcolor=\"#c62828\"")
			}
			clip := d.dotClip(e.to, e.from)
			*edges = append(*edges, d.dotHead(e.from)+" -> "+d.dotHead(e.to)+dotAttrs(clip, strings.Join(attrs, ", ")))
		}
	}
}

// dotAttrs merges a clip attribute list (" [a, b]" or "") with more
// attributes.
func dotAttrs(clip, more string) string {
	clip = strings.TrimSuffix(strings.TrimPrefix(clip, " ["), "]")
	switch {
	case clip == "" && more == "":
		return ""
	case clip == "":
		return " [" + more + "]"
	case more == "":
		return " [" + clip + "]"
	}
	return " [" + clip + ", " + more + "]"
}

// dotQuote quotes text as a DOT string: backslashes and quotes escaped,
// line breaks as \n.
func dotQuote(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte('"')
	return b.String()
}

// nodeLook is a node's shape and colours.
type nodeLook struct {
	shape, style, fill, color string
	pen                       int
}

// mark fills the node to show an execution's path.
func (l *nodeLook) mark(fill, color string, pen int) {
	if !strings.Contains(l.style, "filled") {
		l.style = strings.TrimPrefix(strings.Replace(l.style, "solid", "", 1)+",filled", ",")
	}
	l.fill, l.color, l.pen = fill, color, pen
}

// String writes the look as DOT attributes.
func (l nodeLook) String() string {
	out := "shape=" + l.shape + ", style=" + dotQuote(l.style)
	if l.fill != "" {
		out += ", fillcolor=" + dotQuote(l.fill)
	}
	if l.color != "" {
		out += ", color=" + dotQuote(l.color)
	}
	if l.pen > 0 {
		out += fmt.Sprintf(", penwidth=%d", l.pen)
	}
	return out
}
