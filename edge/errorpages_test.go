package edge

import (
	"context"
	"errors"
	"io"
	"net/http"
	"testing"
	"time"
)

func TestCustomErrorResponses_SinglePageAppAndErrorTTL(t *testing.T) {
	s, c := newTestService(t, Options{})
	zero := int64(0)
	o := &countingOrigin{handler: func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/index.html":
			w.Header().Set("Cache-Control", "max-age=300")
			io.WriteString(w, "<app>")
		case "/errors/403.html":
			io.WriteString(w, "forbidden page")
		case "/secret":
			http.Error(w, "no", http.StatusForbidden)
		default:
			http.NotFound(w, r)
		}
	}}
	out, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
		CallerReference: "spa", Origins: []Origin{{Id: "o", Handler: o}}, DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"},
		CustomErrorResponses: []CustomErrorResponse{
			{ErrorCode: 404, ResponsePagePath: "/index.html", ResponseCode: 200},
			{ErrorCode: 403, ResponsePagePath: "/errors/403.html", ErrorCachingMinTTL: &zero},
		}}})
	if err != nil {
		t.Fatal(err)
	}
	d := out.Distribution
	w := get(d, "GET", "/app/route/42", nil)
	if w.Code != 200 || w.Body.String() != "<app>" || w.Header().Get("X-Cache") != XCacheError {
		t.Errorf("SPA route = %d %q %q", w.Code, w.Body.String(), w.Header().Get("X-Cache"))
	}
	w = get(d, "GET", "/secret", nil)
	if w.Code != 403 || w.Body.String() != "forbidden page" {
		t.Errorf("403 = %d %q", w.Code, w.Body.String())
	}
	before := o.calls.Load()
	get(d, "GET", "/secret", nil)
	get(d, "GET", "/app/route/42", nil)
	// The 403 has ErrorCachingMinTTL 0: the origin is asked again (and
	// the page is a hit); the 404 is cached for the default 10 s.
	if n := o.calls.Load() - before; n != 1 {
		t.Errorf("origin calls %d, want 1 (/secret again)", n)
	}
	c.Advance(10 * time.Second)
	get(d, "GET", "/app/route/42", nil)
	if n := o.calls.Load() - before; n != 2 {
		t.Errorf("origin calls %d, want 2 after the 404 expired", n)
	}
}

func TestCustomErrorResponses_Validation(t *testing.T) {
	s, _ := newTestService(t, Options{})
	for i, cer := range []CustomErrorResponse{
		{ErrorCode: 418, ResponsePagePath: "/x"},
		{ErrorCode: 404, ResponsePagePath: "x"},
		{ErrorCode: 404, ResponseCode: 200},
	} {
		_, err := s.CreateDistribution(context.Background(), &CreateDistributionInput{DistributionConfig: &DistributionConfig{
			CallerReference: string(rune('a' + i)), Origins: []Origin{{Id: "o", Handler: staticOrigin("", "")}},
			DefaultCacheBehavior: CacheBehavior{TargetOriginId: "o"}, CustomErrorResponses: []CustomErrorResponse{cer}}})
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%+v: %v", cer, err)
		}
	}
}
