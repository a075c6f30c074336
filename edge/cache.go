package edge

import (
	"net/http"
	"strings"
	"sync"
	"time"
)

// entry is a cached response.
type entry struct {
	resp    *edgeResponse
	stored  time.Time // when it came from the origin or was revalidated
	expires time.Time
	path    string // the request path, for invalidations
}

func (e *entry) fresh(now time.Time) bool { return now.Before(e.expires) }

// validators reports the entry's ETag and Last-Modified.
func (e *entry) validators() (etag, lastModified string) {
	return e.resp.header.Get("ETag"), e.resp.header.Get("Last-Modified")
}

// store is the cache of one edge location or regional edge cache.
type store struct {
	mu sync.RWMutex
	m  map[string]*entry
}

func newStore() *store { return &store{m: map[string]*entry{}} }

func (s *store) get(key string) *entry {
	s.mu.RLock()
	e := s.m[key]
	s.mu.RUnlock()
	return e
}

func (s *store) put(key string, e *entry) {
	s.mu.Lock()
	s.m[key] = e
	s.mu.Unlock()
}

// invalidate removes entries stored no later than before whose path
// matches one of the invalidation paths, and returns how many it removed.
func (s *store) invalidate(paths []string, before time.Time) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, e := range s.m {
		if e.stored.After(before) {
			continue
		}
		for _, p := range paths {
			if invalidationMatches(p, e.path) {
				delete(s.m, k)
				n++
				break
			}
		}
	}
	return n
}

// invalidationMatches reports whether an invalidation path covers a
// request path: exactly, or by prefix when it ends in "*".
func invalidationMatches(p, path string) bool {
	if prefix, ok := strings.CutSuffix(p, "*"); ok {
		return strings.HasPrefix(path, prefix)
	}
	return p == path
}

// edgeResponse is a response on its way through the edge.
type edgeResponse struct {
	status int
	// statusDescription is set by functions that give one.
	statusDescription string
	header            http.Header
	body              []byte
	// xcache, when set, is the X-Cache value the response goes out with
	// (an error or a generated response); failed marks CloudFront's own
	// error responses, which are never cached.
	xcache string
	failed bool
}

func (r *edgeResponse) clone() *edgeResponse {
	c := *r
	c.header = r.header.Clone()
	return &c
}

// edgeRequest is a request on its way through the edge.
type edgeRequest struct {
	method, uri, query string
	header             http.Header
	body               []byte
	clientIP           string
	https              bool
	originID           string
}
