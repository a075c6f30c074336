package apigw

import (
	"net/http"
	"slices"
	"strings"
)

// PrivateEndpoint returns the host name through which a VPC endpoint
// associated with a PRIVATE API reaches it without private DNS (the
// Route 53 alias API Gateway creates for each endpoint in
// VpcEndpointIds): {api-id}-{vpce-id}.execute-api.{region}.amazonaws.com.
// ok is false when the API is not private or the endpoint is not
// associated with it.
func (a *API) PrivateEndpoint(vpceID string) (host string, ok bool) {
	ec := a.cfg.EndpointConfiguration
	if ec.Type() != EndpointPrivate || !slices.Contains(ec.VpcEndpointIds, vpceID) {
		return "", false
	}
	return a.id + "-" + vpceID + ".execute-api." + a.s.region + ".amazonaws.com", true
}

// privateAPIForHost recognises a private API's alias host name,
// {api-id}-{vpce-id}.execute-api.…, and returns the API and the VPC
// endpoint it names.
func (s *Service) privateAPIForHost(host string) (*API, string, bool) {
	id, ok := executeAPIHost(host)
	if !ok {
		return nil, "", false
	}
	apiID, vpce, ok := strings.Cut(id, "-vpce-")
	if !ok {
		return nil, "", false
	}
	a, ok := s.API(apiID)
	if !ok {
		return nil, "", false
	}
	return a, "vpce-" + vpce, true
}

// servePrivateAlias serves a request that came in by a private API's alias
// host name: the VPC endpoint it names is the one the request came through
// (API Gateway adds it as x-amzn-vpce-id), and it must be associated with
// the API; otherwise the answer is 403 {"message":"Forbidden"}.
func (s *Service) servePrivateAlias(w http.ResponseWriter, r *http.Request, a *API, vpce string) {
	if _, ok := a.PrivateEndpoint(vpce); !ok {
		writeForbidden(w, r)
		return
	}
	r2 := r.Clone(r.Context())
	r2.Header.Set(HeaderSourceVpce, vpce)
	a.Handler().ServeHTTP(w, r2)
}
