package edge

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// ResponseHeadersPolicy adds, overrides and removes headers of the
// responses CloudFront sends to viewers: CORS, security headers, custom
// headers, removed headers. A header the policy adds without Override is
// left alone when the origin's response already has it.
type ResponseHeadersPolicy struct {
	Id, Name string
	// CorsConfig answers cross-origin requests (those with an Origin
	// header that AccessControlAllowOrigins allows).
	CorsConfig *CorsConfig
	// SecurityHeadersConfig adds the security headers it sets.
	SecurityHeadersConfig *SecurityHeadersConfig
	// CustomHeaders are added (Override replaces the origin's value).
	CustomHeaders []CustomResponseHeader
	// RemoveHeaders are removed from every response.
	RemoveHeaders []string
}

// CorsConfig is a response headers policy's CORS part.
type CorsConfig struct {
	// AccessControlAllowOrigins lists the allowed origins; "*" allows all.
	AccessControlAllowOrigins     []string
	AccessControlAllowHeaders     []string
	AccessControlAllowMethods     []string
	AccessControlExposeHeaders    []string
	AccessControlAllowCredentials bool
	// AccessControlMaxAgeSec is sent on preflight (OPTIONS) responses when
	// above zero.
	AccessControlMaxAgeSec int
	// OriginOverride replaces CORS headers the origin sent.
	OriginOverride bool
}

// SecurityHeadersConfig is a response headers policy's security part;
// nil fields add nothing.
type SecurityHeadersConfig struct {
	// StrictTransportSecurity: max-age, includeSubDomains, preload.
	StrictTransportSecurity *StrictTransportSecurity
	// ContentTypeOptions adds X-Content-Type-Options: nosniff.
	ContentTypeOptions *HeaderOverride
	// FrameOption is DENY or SAMEORIGIN (X-Frame-Options).
	FrameOption   string
	FrameOverride bool
	// ReferrerPolicy ("strict-origin-when-cross-origin", ...).
	ReferrerPolicy         string
	ReferrerPolicyOverride bool
	// ContentSecurityPolicy value.
	ContentSecurityPolicy         string
	ContentSecurityPolicyOverride bool
}

// StrictTransportSecurity configures Strict-Transport-Security.
type StrictTransportSecurity struct {
	AccessControlMaxAgeSec int
	IncludeSubdomains      bool
	Preload                bool
	Override               bool
}

// HeaderOverride switches a fixed header on, overriding the origin's or
// not.
type HeaderOverride struct{ Override bool }

// CustomResponseHeader is a header a policy adds.
type CustomResponseHeader struct {
	Header, Value string
	Override      bool
}

func (p *ResponseHeadersPolicy) validate() error {
	if c := p.CorsConfig; c != nil {
		if len(c.AccessControlAllowOrigins) == 0 || len(c.AccessControlAllowMethods) == 0 {
			return ErrInvalidArgument.New("A CORS configuration needs AccessControlAllowOrigins and AccessControlAllowMethods.")
		}
		if c.AccessControlAllowCredentials && slices.Contains(c.AccessControlAllowOrigins, "*") {
			return ErrInvalidArgument.New("AccessControlAllowCredentials cannot be true when AccessControlAllowOrigins contains *.")
		}
	}
	if s := p.SecurityHeadersConfig; s != nil && s.FrameOption != "" && s.FrameOption != "DENY" && s.FrameOption != "SAMEORIGIN" {
		return ErrInvalidArgument.Newf("FrameOption %q is not valid; use DENY or SAMEORIGIN.", s.FrameOption)
	}
	for _, h := range p.CustomHeaders {
		if h.Header == "" || disallowedHeader(h.Header) {
			return ErrInvalidArgument.Newf("The custom header %q cannot be added by a response headers policy.", h.Header)
		}
	}
	return nil
}

// apply changes the response headers for a viewer request.
func (p *ResponseHeadersPolicy) apply(req *edgeRequest, resp *edgeResponse) {
	h := resp.header.Clone()
	set := func(name, value string, override bool) {
		if override || h.Get(name) == "" {
			h.Set(name, value)
		}
	}
	if c := p.CorsConfig; c != nil {
		if origin := req.header.Get("Origin"); origin != "" {
			allow := ""
			if slices.Contains(c.AccessControlAllowOrigins, "*") {
				allow = "*"
			} else if slices.Contains(c.AccessControlAllowOrigins, origin) {
				allow = origin
			}
			if allow != "" {
				set("Access-Control-Allow-Origin", allow, c.OriginOverride)
				if c.AccessControlAllowCredentials {
					set("Access-Control-Allow-Credentials", "true", c.OriginOverride)
				}
				if len(c.AccessControlExposeHeaders) > 0 {
					set("Access-Control-Expose-Headers", strings.Join(c.AccessControlExposeHeaders, ","), c.OriginOverride)
				}
				if req.method == http.MethodOptions {
					set("Access-Control-Allow-Methods", strings.Join(c.AccessControlAllowMethods, ","), c.OriginOverride)
					if len(c.AccessControlAllowHeaders) > 0 {
						set("Access-Control-Allow-Headers", strings.Join(c.AccessControlAllowHeaders, ","), c.OriginOverride)
					}
					if c.AccessControlMaxAgeSec > 0 {
						set("Access-Control-Max-Age", strconv.Itoa(c.AccessControlMaxAgeSec), c.OriginOverride)
					}
				}
			}
		}
	}
	if s := p.SecurityHeadersConfig; s != nil {
		if t := s.StrictTransportSecurity; t != nil {
			v := "max-age=" + strconv.Itoa(t.AccessControlMaxAgeSec)
			if t.IncludeSubdomains {
				v += "; includeSubDomains"
			}
			if t.Preload {
				v += "; preload"
			}
			set("Strict-Transport-Security", v, t.Override)
		}
		if s.ContentTypeOptions != nil {
			set("X-Content-Type-Options", "nosniff", s.ContentTypeOptions.Override)
		}
		if s.FrameOption != "" {
			set("X-Frame-Options", s.FrameOption, s.FrameOverride)
		}
		if s.ReferrerPolicy != "" {
			set("Referrer-Policy", s.ReferrerPolicy, s.ReferrerPolicyOverride)
		}
		if s.ContentSecurityPolicy != "" {
			set("Content-Security-Policy", s.ContentSecurityPolicy, s.ContentSecurityPolicyOverride)
		}
	}
	for _, c := range p.CustomHeaders {
		set(c.Header, c.Value, c.Override)
	}
	for _, name := range p.RemoveHeaders {
		h.Del(name)
	}
	resp.header = h
}
