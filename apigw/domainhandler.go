package apigw

import (
	"context"
	"net/http"
	"strings"
)

// domainRequest is what a request that came in through a custom domain
// name carries to the stage: the name and the path the client asked for
// (base path included), which API Gateway reports as requestContext's
// domainName and path.
type domainRequest struct {
	domain string
	path   string
}

type domainRequestKey struct{}

// domainForHost returns the custom domain name a Host header names.
func (s *Service) domainForHost(host string) (string, bool) {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	host = strings.ToLower(strings.TrimSuffix(host, "."))
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	_, ok := s.domains.domains[host]
	return host, ok
}

// matchBasePath returns the mapping of the longest base path that is a
// whole-segment prefix of the escaped path, and the rest of the path.
func (s *Service) matchBasePath(domain, escapedPath string) (BasePathMapping, string, bool) {
	s.domains.mu.Lock()
	defer s.domains.mu.Unlock()
	d := s.domains.domains[domain]
	if d == nil {
		return BasePathMapping{}, "", false
	}
	p := strings.TrimPrefix(escapedPath, "/")
	best, rest, found := BasePathMapping{}, "", false
	for bp, m := range d.mappings {
		r, ok := cutBasePath(p, bp)
		if ok && (!found || len(bp) > len(best.BasePath)) {
			best, rest, found = m, r, true
		}
	}
	return best, "/" + rest, found
}

// cutBasePath removes base path bp ("" for the root) from path p (no
// leading slash) when it is made of p's first whole segments.
func cutBasePath(p, bp string) (string, bool) {
	if bp == "" {
		return p, true
	}
	rest, ok := strings.CutPrefix(p, bp)
	if !ok {
		return "", false
	}
	if rest == "" {
		return "", true
	}
	if rest[0] != '/' {
		return "", false
	}
	return rest[1:], true
}

// serveDomain serves a request addressed to a custom domain name: the
// longest base path that matches chooses the API and stage, and the stage
// serves the rest of the path. A path without a mapping, or a mapping
// whose API or stage is gone, answers 403 {"message":"Forbidden"}, as API
// Gateway does.
func (s *Service) serveDomain(w http.ResponseWriter, r *http.Request, domain string) {
	m, rest, ok := s.matchBasePath(domain, r.URL.EscapedPath())
	if !ok {
		writeForbidden(w, r)
		return
	}
	a, ok := s.API(m.APIID)
	if !ok {
		writeForbidden(w, r)
		return
	}
	stage := m.Stage
	if stage == "" {
		// No stage in the mapping: the path names it.
		name, after, _ := strings.Cut(strings.TrimPrefix(rest, "/"), "/")
		stage, rest = name, "/"+after
	}
	st := a.Stage(stage)
	if st == nil {
		writeForbidden(w, r)
		return
	}
	ctx := context.WithValue(r.Context(), domainRequestKey{}, domainRequest{domain: domain, path: r.URL.EscapedPath()})
	st.serve(w, r.WithContext(ctx), rest)
}

// writeForbidden is the front end's 403 {"message":"Forbidden"}.
func writeForbidden(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("X-Amzn-ErrorType", "ForbiddenException")
	w.WriteHeader(http.StatusForbidden)
	if r.Method != http.MethodHead {
		_, _ = w.Write(forbiddenBody)
	}
}

// applyCustomDomain makes the integration's request say that it came in
// through a custom domain name: requestContext.domainName is the name and
// requestContext.path the client's path, base path included.
func (c *call) applyCustomDomain(req *Request) {
	dr, ok := c.r.Context().Value(domainRequestKey{}).(domainRequest)
	if !ok {
		return
	}
	req.DomainName = dr.domain
	req.RawPath = dr.path
}
