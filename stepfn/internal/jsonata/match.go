package jsonata

import (
	"regexp"
)

// rmatch is one regex match with byte offsets into the subject.
type rmatch struct {
	match  string
	start  int
	end    int
	groups []string
	missed []bool // groups that took no part in the match
}

// groupValues renders the groups for a match object: an unmatched group
// is null (jsonata-js holds undefined there, which JSON shows as null).
func (m rmatch) groupValues() []any {
	out := make([]any, len(m.groups))
	for i, g := range m.groups {
		if i < len(m.missed) && m.missed[i] {
			out[i] = nil
		} else {
			out[i] = g
		}
	}
	return out
}

// byteToUTF16 converts a byte offset in s to a JavaScript string index.
func byteToUTF16(s string, b int) int {
	if b > len(s) {
		b = len(s)
	}
	return utf16Len(s[:b])
}

// utf16ToByte converts a JavaScript string index to a byte offset in s.
func utf16ToByte(s string, u int) int {
	n := 0
	for i, r := range s {
		if n >= u {
			return i
		}
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
	}
	return len(s)
}

func toRmatch(s string, loc []int) rmatch {
	m := rmatch{match: s[loc[0]:loc[1]], start: loc[0], end: loc[1]}
	for g := 2; g+1 < len(loc); g += 2 {
		if loc[g] < 0 {
			m.groups = append(m.groups, "")
			m.missed = append(m.missed, true)
		} else {
			m.groups = append(m.groups, s[loc[g]:loc[g+1]])
			m.missed = append(m.missed, false)
		}
	}
	return m
}

// object is the match as a matcher function reports it (without next).
func (m rmatch) object(s string) map[string]any {
	return map[string]any{
		"match":  m.match,
		"start":  float64(byteToUTF16(s, m.start)),
		"end":    float64(byteToUTF16(s, m.end)),
		"groups": m.groupValues(),
	}
}

// matchObject renders a match as the object a matcher function returns.
func matchObject(re *regexp.Regexp, s string, m rmatch, pos int) map[string]any {
	obj := m.object(s)
	end := m.end
	obj["next"] = &builtinFn{name: "next", arity: 0, impl: func(c *Call, _ []any) (any, error) {
		if end >= len(s) {
			return Undefined, nil
		}
		loc := findFrom(re, s, end)
		if loc == nil {
			return Undefined, nil
		}
		if loc[0] == loc[1] {
			return nil, errv("D1004", pos, "", re.String())
		}
		return matchObject(re, s, toRmatch(s, loc), pos), nil
	}}
	return obj
}

// findFrom finds the first match starting at or after byte offset from,
// with anchors and word boundaries judged against the whole string.
func findFrom(re *regexp.Regexp, s string, from int) []int {
	for _, loc := range re.FindAllStringSubmatchIndex(s, -1) {
		if loc[0] >= from {
			return loc
		}
	}
	return nil
}

// matchAt is what calling a regex value as a function returns.
func matchAt(re *regexp.Regexp, s string, from, pos int) any {
	loc := findFrom(re, s, from)
	if loc == nil {
		return Undefined
	}
	return matchObject(re, s, toRmatch(s, loc), pos)
}

// allMatches lists the matches of pattern (a regex value or a matcher
// function) in s, at most limit of them (limit < 0: all), following
// jsonata-js's rules: a zero-length match where a further match is
// looked for is error D1004.
func (c *Call) allMatches(pattern any, s string, limit int) ([]rmatch, error) {
	if limit == 0 {
		return nil, nil
	}
	if mf, ok := pattern.(*matcherFn); ok {
		locs := mf.re.FindAllStringSubmatchIndex(s, -1)
		var out []rmatch
		for i, loc := range locs {
			if limit >= 0 && len(out) >= limit {
				break
			}
			if loc[0] == loc[1] && i > 0 {
				return nil, errv("D1004", mf.pos(), "", mf.re.String())
			}
			out = append(out, toRmatch(s, loc))
			if loc[0] == loc[1] && i == 0 && (limit < 0 || len(out) < limit) && loc[1] < len(s) {
				return nil, errv("D1004", mf.pos(), "", mf.re.String())
			}
		}
		return out, nil
	}
	// a function implementing the matcher protocol
	res, err := c.ev.apply(pattern, []any{s}, c.Input, c.fr, c.Position, c.name)
	if err != nil {
		return nil, err
	}
	var out []rmatch
	for !IsUndefined(res) && (limit < 0 || len(out) < limit) {
		obj, ok := res.(map[string]any)
		if !ok {
			return nil, c.err("T1010", errInfo{})
		}
		ms, ok1 := obj["match"].(string)
		st, ok2 := toNumber(obj["start"])
		if !ok1 || !ok2 {
			return nil, c.err("T1010", errInfo{})
		}
		m := rmatch{match: ms, start: utf16ToByte(s, int(st))}
		m.end = m.start + len(ms)
		if gs, ok := asArray(obj["groups"]); ok {
			for _, g := range gs {
				gstr, _ := g.(string)
				m.groups = append(m.groups, gstr)
			}
		}
		out = append(out, m)
		next, ok := obj["next"]
		if !ok || !IsFunction(next) {
			break
		}
		if limit >= 0 && len(out) >= limit {
			break
		}
		res, err = c.ev.apply(next, nil, c.Input, c.fr, c.Position, c.name)
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
