package stepfn

import (
	"fmt"
	"strings"
)

// mermaid renders the drawing as a Mermaid flowchart.
//
// Task, Pass and Wait states are boxes (Pass rounded, Wait slanted),
// Choice states diamonds, Succeed and Fail stadiums; a Parallel or Map
// state is a subgraph holding its branches (one subgraph each) or its
// item processor, and edges into and out of it attach to the subgraph.
// "start" and "stop" circles mark where the top level begins and ends.
func (d *drawing) mermaid() string {
	var b strings.Builder
	b.WriteString("flowchart TD\n")
	b.WriteString("    start((\"Start\"))\n")
	var edges []string
	var styles []string
	d.mermaidSet(&b, d.m.root, "    ", &edges, &styles)
	b.WriteString("    stop((\"End\"))\n")
	if root := d.m.root; root != nil {
		if st := root.states[root.startAt]; st != nil {
			edges = append([]string{"start --> " + d.ids[st]}, edges...)
		}
		for _, name := range root.order {
			if st := root.states[name]; terminal(st) {
				edges = append(edges, d.ids[st]+" --> stop")
			}
		}
	}
	for _, e := range edges {
		b.WriteString("    " + e + "\n")
	}
	b.WriteString("    classDef choice fill:#fff8e1,stroke:#f9a825\n")
	b.WriteString("    classDef succeed fill:#e8f5e9,stroke:#2e7d32\n")
	b.WriteString("    classDef fail fill:#ffebee,stroke:#c62828\n")
	if d.path != nil {
		b.WriteString("    classDef visited fill:#c8e6c9,stroke:#1b5e20,stroke-width:2px\n")
		b.WriteString("    classDef failed fill:#ffcdd2,stroke:#b71c1c,stroke-width:3px\n")
	}
	for _, s := range styles {
		b.WriteString("    " + s + "\n")
	}
	return b.String()
}

// mermaidSet writes the nodes and subgraphs of a set and collects its
// edges and class assignments.
func (d *drawing) mermaidSet(b *strings.Builder, set *stateSet, indent string, edges, styles *[]string) {
	if set == nil {
		return
	}
	for _, name := range set.order {
		st := set.states[name]
		id := d.ids[st]
		label := mermaidText(st.name)
		if n := d.note(st); n != "" {
			label += "<br/>" + mermaidText(n)
		}
		switch st.typ {
		case "Parallel", "Map":
			fmt.Fprintf(b, "%ssubgraph %s [\"%s: %s\"]\n", indent, id, st.typ, label)
			fmt.Fprintf(b, "%s    direction TB\n", indent)
			if st.typ == "Parallel" {
				for i, br := range st.branches {
					fmt.Fprintf(b, "%s    subgraph %s_b%d [\"Branch %d\"]\n", indent, id, i+1, i+1)
					d.mermaidSet(b, br, indent+"        ", edges, styles)
					fmt.Fprintf(b, "%s    end\n", indent)
				}
			} else {
				d.mermaidSet(b, st.processor, indent+"    ", edges, styles)
			}
			fmt.Fprintf(b, "%send\n", indent)
			switch d.mark(st) {
			case "visited":
				*styles = append(*styles, "style "+id+" fill:#e8f5e9,stroke:#1b5e20,stroke-width:2px")
			case "failed":
				*styles = append(*styles, "style "+id+" fill:#ffebee,stroke:#b71c1c,stroke-width:3px")
			}
		default:
			open, close := "[\"", "\"]"
			switch st.typ {
			case "Choice":
				open, close = "{\"", "\"}"
			case "Pass":
				open, close = "(\"", "\")"
			case "Wait":
				open, close = "[/\"", "\"/]"
			case "Succeed", "Fail":
				open, close = "([\"", "\"])"
			}
			fmt.Fprintf(b, "%s%s%s%s%s\n", indent, id, open, label, close)
			class := map[string]string{"Choice": "choice", "Succeed": "succeed", "Fail": "fail"}[st.typ]
			if m := d.mark(st); m != "" {
				class = m
			}
			if class != "" {
				*styles = append(*styles, "class "+id+" "+class)
			}
		}
		for _, e := range d.edges(set, st) {
			arrow := "-->"
			if e.dashed {
				arrow = "-.->"
			}
			if e.label != "" {
				arrow += "|\"" + mermaidText(e.label) + "\"|"
			}
			*edges = append(*edges, d.ids[e.from]+" "+arrow+" "+d.ids[e.to])
		}
	}
}

// mermaidText escapes text for a quoted Mermaid label: quotes, angle
// brackets and '#' as entity codes, line breaks as spaces.
func mermaidText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '#':
			b.WriteString("#35;")
		case '"':
			b.WriteString("#quot;")
		case '<':
			b.WriteString("#lt;")
		case '>':
			b.WriteString("#gt;")
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
