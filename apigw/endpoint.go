package apigw

import (
	"net/http"
	"strings"
)

// Handler serves every API of the service the way AWS's endpoints reach
// them, for one local endpoint in front of all of them (cmd/minicloud):
//
//   - by host: a request for {api-id}.execute-api.{region}.amazonaws.com
//     (or any host whose first label is an API's ID followed by
//     ".execute-api.") is served by that API's [API.Handler] or
//     [WebSocketAPI.Handler], so the path starts with the stage name;
//   - by path: /restapis/{api-id}/{stage}/_user_request_/{path}, the
//     layout LocalStack uses, serves {path} in that stage;
//   - by custom domain name ([Service.CreateDomainName]): the longest
//     base path mapping that matches chooses the API and stage, and an
//     unmapped path answers 403 {"message":"Forbidden"};
//   - by a private API's alias host, {api-id}-{vpce-id}.execute-api.…
//     ([API.PrivateEndpoint]): as by host, through that VPC endpoint.
//
// Anything else answers 404 {"message":"Not Found"}.
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if d, ok := s.domainForHost(r.Host); ok { // domainhandler.go
			s.serveDomain(w, r, d)
			return
		}
		if a, vpce, ok := s.privateAPIForHost(r.Host); ok { // endpointtype_host.go
			s.servePrivateAlias(w, r, a, vpce)
			return
		}
		if a, ok := s.apiForHost(r.Host); ok {
			a.Handler().ServeHTTP(w, r)
			return
		}
		if ws, ok := s.webSocketAPIForHost(r.Host); ok {
			ws.Handler().ServeHTTP(w, r)
			return
		}
		if st, rest, ok := s.stageForPath(r.URL.EscapedPath()); ok {
			st.serve(w, r, rest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Amzn-ErrorType", "NotFoundException")
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Not Found"}`))
	})
}

// IsExecuteAPIRequest reports whether r is addressed to an API of the
// service (by host or by the /restapis/ path layout), so that a server in
// front of several services can route it here.
func (s *Service) IsExecuteAPIRequest(r *http.Request) bool {
	if _, ok := s.domainForHost(r.Host); ok {
		return true
	}
	if _, _, ok := s.privateAPIForHost(r.Host); ok {
		return true
	}
	if _, ok := s.apiForHost(r.Host); ok {
		return true
	}
	if _, ok := s.webSocketAPIForHost(r.Host); ok {
		return true
	}
	_, _, ok := s.stageForPath(r.URL.EscapedPath())
	return ok
}

func (s *Service) apiForHost(host string) (*API, bool) {
	id, ok := executeAPIHost(host)
	if !ok {
		return nil, false
	}
	return s.API(id)
}

func (s *Service) webSocketAPIForHost(host string) (*WebSocketAPI, bool) {
	id, ok := executeAPIHost(host)
	if !ok {
		return nil, false
	}
	return s.WebSocketAPI(id)
}

// executeAPIHost returns the API ID of an {api-id}.execute-api.… host.
func executeAPIHost(host string) (string, bool) {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.Contains(host[i:], "]") {
		host = host[:i]
	}
	id, rest, ok := strings.Cut(host, ".")
	if !ok || !strings.HasPrefix(rest, "execute-api.") {
		return "", false
	}
	return id, true
}

func (s *Service) stageForPath(p string) (*Stage, string, bool) {
	rest, ok := strings.CutPrefix(p, "/restapis/")
	if !ok {
		return nil, "", false
	}
	parts := strings.SplitN(rest, "/", 4)
	if len(parts) < 3 || parts[2] != "_user_request_" {
		return nil, "", false
	}
	a, ok := s.API(parts[0])
	if !ok {
		return nil, "", false
	}
	st := a.Stage(parts[1])
	if st == nil {
		return nil, "", false
	}
	path := "/"
	if len(parts) == 4 {
		path += parts[3]
	}
	return st, path, true
}
