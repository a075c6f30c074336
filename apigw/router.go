package apigw

import (
	"net/url"
	"strings"
)

// methods are the HTTP methods a route may name, ANY matching all of them.
var methods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true,
	"HEAD": true, "OPTIONS": true, "ANY": true,
}

// DefaultRouteKey is the route key of an HTTP API's catch-all route.
const DefaultRouteKey = "$default"

// routeKey is a parsed route key: "GET /items/{id}" or "$default".
type routeKey struct {
	method   string
	path     string   // the resource path, "/items/{id}"
	segments []string // its segments, "items", "{id}"
}

func (k routeKey) String() string {
	if k.path == "" {
		return DefaultRouteKey
	}
	return k.method + " " + k.path
}

// parseRouteKey reads "METHOD /path" as API Gateway accepts it: a known
// method, a path of non-empty segments that are literals, {name} path
// parameters or a final {name+} greedy parameter.
func parseRouteKey(s string, kind Kind) (routeKey, error) {
	if s == DefaultRouteKey {
		if kind != HTTP {
			return routeKey{}, ErrBadRequest.New("The $default route is only available for HTTP APIs")
		}
		return routeKey{}, nil
	}
	method, path, ok := strings.Cut(s, " ")
	if !ok {
		return routeKey{}, ErrBadRequest.Newf("Invalid route key %q: expected \"METHOD /path\" or \"$default\"", s)
	}
	if !methods[method] {
		return routeKey{}, ErrBadRequest.Newf("Invalid HTTP method %q in route key %q", method, s)
	}
	segs, err := parseResourcePath(path)
	if err != nil {
		return routeKey{}, err
	}
	return routeKey{method: method, path: path, segments: segs}, nil
}

// parseResourcePath splits and checks a resource path.
func parseResourcePath(path string) ([]string, error) {
	if !strings.HasPrefix(path, "/") {
		return nil, ErrBadRequest.Newf("Invalid resource path %q: it must start with '/'", path)
	}
	if path == "/" {
		return nil, nil
	}
	segs := strings.Split(path[1:], "/")
	seen := map[string]bool{}
	for i, seg := range segs {
		if seg == "" {
			return nil, ErrBadRequest.Newf("Invalid resource path %q: empty path part", path)
		}
		if name, greedy, isParam := paramName(seg); isParam {
			if !validParamName(name) {
				return nil, ErrBadRequest.Newf("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace: %q", seg)
			}
			if greedy && i != len(segs)-1 {
				return nil, ErrBadRequest.Newf("Invalid resource path %q: a greedy path variable {%s+} must be the last path part", path, name)
			}
			if seen[name] {
				return nil, ErrBadRequest.Newf("Invalid resource path %q: path variable {%s} appears twice", path, name)
			}
			seen[name] = true
			continue
		}
		if strings.ContainsAny(seg, "{}") {
			return nil, ErrBadRequest.Newf("Resource's path part only allow a-zA-Z0-9._- and curly braces at the beginning and the end and an optional plus sign before the closing brace: %q", seg)
		}
	}
	return segs, nil
}

// paramName reports whether seg is "{name}" or "{name+}".
func paramName(seg string) (name string, greedy, ok bool) {
	if len(seg) < 3 || seg[0] != '{' || seg[len(seg)-1] != '}' {
		return "", false, false
	}
	name = seg[1 : len(seg)-1]
	if strings.HasSuffix(name, "+") {
		return name[:len(name)-1], true, true
	}
	return name, false, true
}

func validParamName(name string) bool {
	if name == "" {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// router finds the route for a request: a tree of path segments, each node
// with literal children, at most one {param} child and at most one greedy
// {proxy+} child, and the routes by method at each node.
//
// Matching follows API Gateway's "most specific wins": at every segment a
// literal beats a path variable, which beats a greedy variable; a node
// answers if it has a route for the request's method or ANY, else the
// search backs up and tries the next less specific branch. Path segments
// are matched after percent-decoding each one, so %2F inside a segment
// stays in that segment's value and never creates a new segment; matching
// is case-sensitive; empty segments (double or trailing slashes) match no
// path variable.
type router struct {
	root  *node
	def   *route // the $default route of an HTTP API
	count int
}

type node struct {
	literal map[string]*node
	param   *node
	greedy  *node
	name    string // the variable's name, for param and greedy nodes
	routes  map[string]*route
}

func newRouter() *router { return &router{root: &node{}} }

// add inserts a route; ErrConflict if its key exists, ErrBadRequest if a
// sibling variable has another name.
func (rt *router) add(r *route) error {
	if r.key.path == "" {
		if rt.def != nil {
			return ErrConflict.New("Route with key $default already exists for this API")
		}
		rt.def = r
		rt.count++
		return nil
	}
	n := rt.root
	for _, seg := range r.key.segments {
		name, greedy, isParam := paramName(seg)
		switch {
		case !isParam:
			if n.literal == nil {
				n.literal = map[string]*node{}
			}
			next := n.literal[seg]
			if next == nil {
				next = &node{}
				n.literal[seg] = next
			}
			n = next
		case greedy:
			if n.greedy == nil {
				n.greedy = &node{name: name}
			} else if n.greedy.name != name {
				return ErrBadRequest.Newf("A sibling ({%s+}) of this resource already has a variable path part -- only one is allowed", n.greedy.name)
			}
			n = n.greedy
		default:
			if n.param == nil {
				n.param = &node{name: name}
			} else if n.param.name != name {
				return ErrBadRequest.Newf("A sibling ({%s}) of this resource already has a variable path part -- only one is allowed", n.param.name)
			}
			n = n.param
		}
	}
	if n.routes == nil {
		n.routes = map[string]*route{}
	}
	if n.routes[r.key.method] != nil {
		return ErrConflict.Newf("Route with key %s already exists for this API", r.key)
	}
	n.routes[r.key.method] = r
	rt.count++
	return nil
}

// match finds the route for method and the request's escaped path, with
// the decoded path parameters. ok is false if nothing matches (an HTTP
// API's $default route included).
func (rt *router) match(method, escapedPath string) (r *route, params map[string]string, ok bool) {
	// Most paths are short: their segments and values live in arrays on
	// the stack, so a lookup allocates little beyond the parameter map.
	var segBuf, valBuf [16]string
	segs, valid := appendRequestPath(segBuf[:0], escapedPath)
	if valid {
		var vals []string
		if r, vals = rt.root.find(method, segs, valBuf[:0]); r != nil {
			return r, r.bind(vals), true
		}
	}
	if rt.def != nil {
		return rt.def, nil, true
	}
	return nil, nil, false
}

// splitRequestPath splits an escaped request path into decoded segments.
// "/" is no segment at all.
func splitRequestPath(p string) ([]string, bool) {
	return appendRequestPath(nil, p)
}

// appendRequestPath appends the decoded segments of an escaped request
// path to segs. Only segments with a percent sign are decoded (and
// allocate).
func appendRequestPath(segs []string, p string) ([]string, bool) {
	if !strings.HasPrefix(p, "/") {
		return nil, false
	}
	if p == "/" {
		return segs, true
	}
	rest := p[1:]
	for {
		seg, tail, more := strings.Cut(rest, "/")
		if strings.IndexByte(seg, '%') >= 0 {
			d, err := url.PathUnescape(seg)
			if err != nil {
				return nil, false
			}
			seg = d
		}
		segs = append(segs, seg)
		if !more {
			return segs, true
		}
		rest = tail
	}
}

// find walks the tree depth first, most specific branch first, collecting
// the values of the path variables passed on the way.
func (n *node) find(method string, segs, vals []string) (*route, []string) {
	if len(segs) == 0 {
		if r := n.routeFor(method); r != nil {
			return r, vals
		}
		return nil, nil
	}
	seg := segs[0]
	if next := n.literal[seg]; next != nil {
		if r, v := next.find(method, segs[1:], vals); r != nil {
			return r, v
		}
	}
	if n.param != nil && seg != "" {
		if r, v := n.param.find(method, segs[1:], append(vals, seg)); r != nil {
			return r, v
		}
	}
	if n.greedy != nil {
		if r := n.greedy.routeFor(method); r != nil && !slicesContainEmpty(segs) {
			return r, append(vals, strings.Join(segs, "/"))
		}
	}
	return nil, nil
}

func slicesContainEmpty(segs []string) bool {
	for i, s := range segs {
		// A trailing slash leaves one empty last segment, which a greedy
		// variable keeps as part of its value; an empty segment inside
		// the path does not match.
		if s == "" && i != len(segs)-1 {
			return true
		}
	}
	return len(segs) == 1 && segs[0] == ""
}

func (n *node) routeFor(method string) *route {
	if r := n.routes[method]; r != nil {
		return r
	}
	return n.routes["ANY"]
}
