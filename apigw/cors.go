package apigw

import (
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// CORS is a cross-origin resource sharing configuration, with the fields
// of an HTTP API's CorsConfiguration.
//
// On an HTTP API ([APIConfig].CORS) API Gateway applies it itself:
//
//   - A preflight request (OPTIONS with Origin and
//     Access-Control-Request-Method) that no route takes (no OPTIONS,
//     ANY or $default route matches it) is answered by API Gateway with
//     204 No Content, even when the API has no OPTIONS route; the
//     Access-Control-Allow-* and Access-Control-Max-Age headers are added
//     when the origin is allowed.
//   - Every other response to a request whose Origin is allowed,
//     integration responses and gateway responses alike, gets
//     Access-Control-Allow-Origin, Access-Control-Expose-Headers and
//     Access-Control-Allow-Credentials. The integration's own
//     Access-Control-* headers are dropped: with CORS configured, API
//     Gateway ignores them.
//
// A preflight request that a route does take goes through that route
// (its authorizer included: an ANY or $default route with an authorizer
// answers a preflight with 401, as in AWS, unless the API adds an
// OPTIONS route without one).
//
// On a REST API, CORS is what the integrations and gateway responses
// return; [API.EnableCORS] adds the OPTIONS method the console's "Enable
// CORS" adds.
type CORS struct {
	// AllowOrigins are the origins allowed to call the API:
	// "https://www.example.com", "*" (any origin), "https://*" or
	// "http://*" (any origin of that scheme). An origin is compared
	// without regard to case.
	AllowOrigins []string
	// AllowMethods are the methods a preflight allows ("GET", "POST",
	// …, or "*").
	AllowMethods []string
	// AllowHeaders are the request headers a preflight allows
	// ("authorization", "content-type", or "*").
	AllowHeaders []string
	// ExposeHeaders are the response headers the browser may read
	// ("date", "x-api-id", or "*").
	ExposeHeaders []string
	// MaxAge is how many seconds a browser may cache a preflight's
	// result: -1 to 86,400; zero sends no Access-Control-Max-Age.
	MaxAge int
	// AllowCredentials lets the browser send cookies and authorization
	// headers. It cannot be combined with the "*" origin.
	AllowCredentials bool
}

// ValidateCORS checks a CORS configuration as CreateApi and UpdateApi
// check an HTTP API's CorsConfiguration: origins are "*", "http://*",
// "https://*" or scheme://host[:port] without a path; methods are HTTP
// methods or "*"; MaxAge is -1 to 86,400; AllowCredentials cannot be true
// with the "*" origin. It returns a BadRequestException that says which
// rule is broken.
func ValidateCORS(cfg CORS) error {
	for _, o := range cfg.AllowOrigins {
		switch o {
		case "*":
			if cfg.AllowCredentials {
				return ErrBadRequest.New("Invalid CORS configuration: AllowCredentials cannot be true when AllowOrigins contains \"*\"; list the origins instead")
			}
			continue
		case "http://*", "https://*":
			continue
		}
		u, err := url.Parse(o)
		if err != nil || u.Scheme == "" || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
			return ErrBadRequest.Newf("Invalid CORS configuration: AllowOrigins entry %q must be \"*\", \"http://*\", \"https://*\" or scheme://host[:port]", o)
		}
	}
	for _, m := range cfg.AllowMethods {
		if m != "*" && (!methods[strings.ToUpper(m)] || strings.EqualFold(m, "ANY")) {
			return ErrBadRequest.Newf("Invalid CORS configuration: AllowMethods entry %q is not an HTTP method or \"*\"", m)
		}
	}
	for _, list := range [][]string{cfg.AllowHeaders, cfg.ExposeHeaders} {
		for _, h := range list {
			if h != "*" && !validHeaderName(h) {
				return ErrBadRequest.Newf("Invalid CORS configuration: %q is not a header name", h)
			}
		}
	}
	if cfg.MaxAge < -1 || cfg.MaxAge > 86400 {
		return ErrBadRequest.Newf("Invalid CORS configuration: MaxAge %d must be between -1 and 86400", cfg.MaxAge)
	}
	return nil
}

func validHeaderName(h string) bool {
	if h == "" {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

// allowOrigin returns the Access-Control-Allow-Origin value for origin,
// or "" if the configuration does not allow it.
func (cfg *CORS) allowOrigin(origin string) string {
	if origin == "" {
		return ""
	}
	lower := strings.ToLower(origin)
	for _, o := range cfg.AllowOrigins {
		switch {
		case o == "*":
			return "*"
		case o == "http://*" || o == "https://*":
			if strings.HasPrefix(lower, o[:len(o)-1]) && len(lower) > len(o)-1 {
				return origin
			}
		case strings.EqualFold(strings.TrimSuffix(o, "/"), origin):
			return origin
		}
	}
	return ""
}

// apiCORS is the CORS configuration a request is served with: the
// deployment's, for an HTTP API.
func (c *call) apiCORS() *CORS {
	if c.kind != HTTP || c.dep == nil || c.dep.cfg.CORS == nil {
		return nil
	}
	return c.dep.cfg.CORS
}

// preflight answers an HTTP API's CORS preflight request that no route
// takes, with 204 and the configured headers. It reports whether it
// answered.
func (c *call) preflight() bool {
	cfg := c.apiCORS()
	if cfg == nil || c.r.Method != http.MethodOptions {
		return false
	}
	origin := c.r.Header.Get("Origin")
	if origin == "" || c.r.Header.Get("Access-Control-Request-Method") == "" {
		return false
	}
	escaped := c.rawPath
	if c.st != nil && c.st.name != "$default" {
		escaped = strings.TrimPrefix(escaped, "/"+c.st.name)
	}
	if escaped == "" {
		escaped = "/"
	}
	if _, _, ok := c.dep.router.match(http.MethodOptions, escaped); ok {
		return false
	}
	h := http.Header{}
	if allow := cfg.allowOrigin(origin); allow != "" {
		h.Set("Access-Control-Allow-Origin", allow)
		if len(cfg.AllowMethods) > 0 {
			h.Set("Access-Control-Allow-Methods", strings.Join(cfg.AllowMethods, ","))
		}
		if len(cfg.AllowHeaders) > 0 {
			h.Set("Access-Control-Allow-Headers", strings.Join(cfg.AllowHeaders, ","))
		}
		if cfg.MaxAge != 0 {
			h.Set("Access-Control-Max-Age", strconv.Itoa(cfg.MaxAge))
		}
		if cfg.AllowCredentials {
			h.Set("Access-Control-Allow-Credentials", "true")
		}
	}
	c.writeResponse(&Response{StatusCode: http.StatusNoContent, Header: h})
	return true
}

// corsHeaders replaces a response's CORS headers with the HTTP API's:
// the integration's Access-Control-* headers are dropped, and a request
// from an allowed origin gets Allow-Origin, Expose-Headers and
// Allow-Credentials. A preflight answered by preflight already has its
// headers.
func (c *call) corsHeaders(h http.Header) {
	cfg := c.apiCORS()
	if cfg == nil {
		return
	}
	if c.route == nil && c.r.Method == http.MethodOptions && h.Get("Access-Control-Allow-Origin") != "" {
		return // our own preflight answer
	}
	for k := range h {
		if strings.HasPrefix(k, "Access-Control-") {
			delete(h, k)
		}
	}
	allow := cfg.allowOrigin(c.r.Header.Get("Origin"))
	if allow == "" {
		return
	}
	h.Set("Access-Control-Allow-Origin", allow)
	if len(cfg.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(cfg.ExposeHeaders, ","))
	}
	if cfg.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
}

// consoleCORSHeaders are the request headers the API Gateway console's
// "Enable CORS" allows by default.
const consoleCORSHeaders = "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"

// EnableCORS does for a REST API resource what the console's "Enable
// CORS" does: it adds (or replaces) an OPTIONS method on path with a
// MOCK integration answering 200 with Access-Control-Allow-Origin (the
// one origin of cfg.AllowOrigins, "*" if none), Access-Control-Allow-Methods
// (cfg.AllowMethods, else the resource's methods and OPTIONS),
// Access-Control-Allow-Headers (cfg.AllowHeaders, else
// "Content-Type,X-Amz-Date,Authorization,X-Api-Key,X-Amz-Security-Token"),
// and Access-Control-Max-Age and Access-Control-Allow-Credentials when
// set; and it adds Access-Control-Allow-Origin (and
// Access-Control-Expose-Headers) to the resource's MOCK methods'
// responses. Lambda and HTTP proxy integrations return their own CORS
// headers, as in AWS. The change takes effect at the next deployment.
//
// Errors: BadRequestException on an HTTP API (use [APIConfig].CORS), for
// a configuration [ValidateCORS] rejects, or for more than one origin (a
// REST method answers a single fixed origin); NotFoundException if no
// method has that resource path.
func (a *API) EnableCORS(path string, cfg CORS) error {
	if a.cfg.Kind != REST {
		return ErrBadRequest.New("EnableCORS is for REST APIs; an HTTP API takes a CORS configuration in APIConfig.CORS")
	}
	if _, err := parseResourcePath(path); err != nil {
		return err
	}
	if err := ValidateCORS(cfg); err != nil {
		return err
	}
	if len(cfg.AllowOrigins) > 1 {
		return ErrBadRequest.New("Invalid CORS configuration: a REST API method answers one Access-Control-Allow-Origin; give one origin or \"*\"")
	}
	routes := a.routeConfigs()
	var methodsOnPath []string
	for key := range routes {
		m, p, _ := strings.Cut(key, " ")
		if p != path {
			continue
		}
		if m == "ANY" {
			methodsOnPath = append(methodsOnPath, "DELETE", "GET", "HEAD", "PATCH", "POST", "PUT")
		} else if m != http.MethodOptions {
			methodsOnPath = append(methodsOnPath, m)
		}
	}
	if len(methodsOnPath) == 0 && routes[http.MethodOptions+" "+path] == nil {
		return ErrNotFound.Newf("Invalid resource path specified: no method on %s", path)
	}
	origin := "*"
	if len(cfg.AllowOrigins) == 1 {
		origin = cfg.AllowOrigins[0]
	}
	allowMethods := cfg.AllowMethods
	if len(allowMethods) == 0 {
		allowMethods = append(methodsOnPath, http.MethodOptions)
		sort.Strings(allowMethods)
		allowMethods = slices.Compact(allowMethods)
	}
	allowHeaders := consoleCORSHeaders
	if len(cfg.AllowHeaders) > 0 {
		allowHeaders = strings.Join(cfg.AllowHeaders, ",")
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", strings.Join(allowMethods, ","))
	h.Set("Access-Control-Allow-Headers", allowHeaders)
	if cfg.MaxAge != 0 {
		h.Set("Access-Control-Max-Age", strconv.Itoa(cfg.MaxAge))
	}
	if cfg.AllowCredentials {
		h.Set("Access-Control-Allow-Credentials", "true")
	}
	optionsKey := http.MethodOptions + " " + path
	if routes[optionsKey] != nil {
		if err := a.RemoveRoute(optionsKey); err != nil {
			return err
		}
	}
	if err := a.Route(optionsKey, Route{Integration: Mock{StatusCode: 200, Header: h}}); err != nil {
		return err
	}
	for key, r := range routes {
		m, p, _ := strings.Cut(key, " ")
		mock, ok := r.Integration.(Mock)
		if p != path || m == http.MethodOptions || !ok {
			continue
		}
		mock.Header = mock.Header.Clone()
		if mock.Header == nil {
			mock.Header = http.Header{}
		}
		mock.Header.Set("Access-Control-Allow-Origin", origin)
		if len(cfg.ExposeHeaders) > 0 {
			mock.Header.Set("Access-Control-Expose-Headers", strings.Join(cfg.ExposeHeaders, ","))
		}
		r.Integration = mock
		if err := a.RemoveRoute(key); err != nil {
			return err
		}
		if err := a.Route(key, *r); err != nil {
			return err
		}
	}
	return nil
}

// routeConfigs returns a copy of the working copy's routes by key.
func (a *API) routeConfigs() map[string]*Route {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := make(map[string]*Route, len(a.routes))
	for k, r := range a.routes {
		cfg := r.cfg
		out[k] = &cfg
	}
	return out
}
