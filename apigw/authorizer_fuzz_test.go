package apigw

import (
	"strings"
	"testing"
	"time"

	"github.com/minicloud/minicloud/clock"
)

// FuzzParseIdentitySources checks the identity source parser never
// panics, and that what it accepts reads back as written.
func FuzzParseIdentitySources(f *testing.F) {
	for _, s := range []string{
		"method.request.header.Authorization",
		"method.request.header.A, method.request.querystring.b,stageVariables.c,context.identity.sourceIp",
		"$request.header.Authorization,$request.querystring.t,$stageVariables.v,$context.requestId",
		"method.request.header.", ",,", "$request.header", "method.request.path.id",
	} {
		f.Add(s, true)
		f.Add(s, false)
	}
	f.Fuzz(func(t *testing.T, s string, rest bool) {
		kind := HTTP
		if rest {
			kind = REST
		}
		srcs, err := parseIdentitySources(s, kind)
		if err != nil {
			return
		}
		for _, src := range srcs {
			if src.name == "" || !strings.HasSuffix(src.raw, "."+src.name) || !strings.Contains(s, src.raw) {
				t.Errorf("%q parsed to %+v", s, src)
			}
		}
	})
}

// FuzzJWTAuthorizer_AdmitsOnlyTheSignedToken sends arbitrary
// Authorization headers to a JWT route: only the one validly signed
// token may pass, and every refusal is a 401.
func FuzzJWTAuthorizer_AdmitsOnlyTheSignedToken(f *testing.F) {
	good, other := signingKeys(f)
	claims := map[string]any{"iss": jwtIssuer, "aud": "api", "sub": "u", "exp": t0.Add(time.Hour).Unix()}
	valid := mustSign(f, good, claims)
	forged := mustSign(f, other, claims)
	none, _ := UnsignedToken(claims)
	parts := strings.Split(valid, ".")
	for _, s := range []string{valid, "Bearer " + valid, forged, none, parts[0] + "." + parts[1] + ".", parts[0] + ".." + parts[2],
		valid + ".", strings.ToUpper(valid), "", "Bearer", "a.b.c", parts[1] + "." + parts[0] + "." + parts[2]} {
		f.Add(s)
	}
	// A burst as large as the fuzzer's run: throttling is not under test.
	s := New(Options{Clock: clock.NewManual(t0), Limits: Limits{AccountRateLimit: 1e9, AccountBurstLimit: 1 << 40}})
	api, _ := s.CreateAPI(APIConfig{Name: "fuzz", Kind: HTTP})
	id, err := api.CreateAuthorizer(Authorizer{Name: "jwt", Type: AuthorizerJWT, Issuer: jwtIssuer, Audience: []string{"api"}, JWKS: JWKS(good)})
	if err != nil {
		f.Fatal(err)
	}
	_ = api.Route("GET /x", Route{Integration: Mock{Body: "in"}, AuthorizationType: AuthJWT, AuthorizerID: id})
	st, _ := api.Deploy("$default")
	f.Fuzz(func(t *testing.T, auth string) {
		if strings.ContainsAny(auth, "\r\n\x00") {
			return // not a header value
		}
		w := send(st, "GET", "/x", map[string]string{"Authorization": auth})
		tok := strings.TrimSpace(auth)
		if len(tok) > 7 && strings.EqualFold(tok[:7], "bearer ") {
			tok = strings.TrimSpace(tok[7:])
		}
		switch {
		case w.Code == 200 && tok != valid:
			t.Errorf("admitted %q", auth)
		case w.Code != 200 && w.Code != 401:
			t.Errorf("%q: status %d %s", auth, w.Code, w.Body)
		}
	})
}
