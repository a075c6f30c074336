package edge

import (
	"context"
	"errors"
	"net/http"
	"testing"
)

func TestResponseHeadersPolicy_CORSAndSecurityHeaders(t *testing.T) {
	s, _ := newTestService(t, Options{})
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "max-age=60")
		w.Header().Set("X-Frame-Options", "SAMEORIGIN")
		w.Header().Set("Server", "origin/1.0")
		w.Write([]byte("ok"))
	}}
	policy := &ResponseHeadersPolicy{
		CorsConfig: &CorsConfig{AccessControlAllowOrigins: []string{"https://app.example.com"}, AccessControlAllowMethods: []string{"GET", "OPTIONS"},
			AccessControlAllowHeaders: []string{"Authorization"}, AccessControlMaxAgeSec: 600, AccessControlAllowCredentials: true},
		SecurityHeadersConfig: &SecurityHeadersConfig{StrictTransportSecurity: &StrictTransportSecurity{AccessControlMaxAgeSec: 31536000, IncludeSubdomains: true},
			ContentTypeOptions: &HeaderOverride{}, FrameOption: "DENY"},
		CustomHeaders: []CustomResponseHeader{{Header: "X-Served-By", Value: "edge", Override: true}},
		RemoveHeaders: []string{"Server"},
	}
	d := newDist(t, s, CacheBehavior{TargetOriginId: "o", ResponseHeadersPolicy: policy, AllowedMethods: methodSets[1], CachedMethods: methodSets[1]}, nil, Origin{Id: "o", Handler: o})
	for i := range 2 { // from the origin, then from the cache
		w := get(d, "GET", "/api", map[string]string{"Origin": "https://app.example.com"})
		want := map[string]string{
			"Access-Control-Allow-Origin":      "https://app.example.com",
			"Access-Control-Allow-Credentials": "true",
			"Strict-Transport-Security":        "max-age=31536000; includeSubDomains",
			"X-Content-Type-Options":           "nosniff",
			"X-Frame-Options":                  "SAMEORIGIN", // the origin's, not overridden
			"X-Served-By":                      "edge",
			"Server":                           "",
			"Access-Control-Allow-Methods":     "", // preflight only
		}
		for k, v := range want {
			if got := w.Header().Get(k); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, k, got, v)
			}
		}
	}
	w := get(d, "OPTIONS", "/api", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "GET"})
	if w.Header().Get("Access-Control-Allow-Methods") != "GET,OPTIONS" || w.Header().Get("Access-Control-Max-Age") != "600" || w.Header().Get("Access-Control-Allow-Headers") != "Authorization" {
		t.Errorf("preflight headers %v", w.Header())
	}
	if w := get(d, "GET", "/api", map[string]string{"Origin": "https://evil.example.com"}); w.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("a foreign origin was allowed")
	}
}

func TestResponseHeadersPolicy_Validation(t *testing.T) {
	s, _ := newTestService(t, Options{})
	for i, p := range []*ResponseHeadersPolicy{
		{CorsConfig: &CorsConfig{AccessControlAllowOrigins: []string{"*"}, AccessControlAllowMethods: []string{"GET"}, AccessControlAllowCredentials: true}},
		{SecurityHeadersConfig: &SecurityHeadersConfig{FrameOption: "ALLOW"}},
		{CustomHeaders: []CustomResponseHeader{{Header: "X-Cache", Value: "x"}}},
	} {
		_, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
			CallerReference: string(rune('a' + i)), Origins: []Origin{{Id: "o", Handler: staticOrigin("", "")}},
			DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o", ResponseHeadersPolicy: p}}})
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("policy %d: %v", i, err)
		}
	}
}
