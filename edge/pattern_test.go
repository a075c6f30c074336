package edge

import (
	"regexp"
	"strings"
	"testing"
)

func TestMatchPathPattern_MatchesAsCloudFront(t *testing.T) {
	cases := []struct {
		pattern, path string
		want          bool
	}{
		{"/images/*.jpg", "/images/cat.jpg", true},
		{"/images/*.jpg", "/images/2025/cat.jpg", true}, // * crosses slashes
		{"images/*.jpg", "/images/cat.jpg", true},       // leading slash optional
		{"/images/*.jpg", "/images/cat.JPG", false},     // case-sensitive
		{"/images/*.jpg", "/images/cat.jpg.png", false},
		{"/a?c", "/abc", true},
		{"/a?c", "/ac", false},
		{"/a?c", "/abbc", false},
		{"*", "/anything/at/all", true},
		{"/*", "/", true},
		{"/api/*", "/api", false},
		{"/api/*", "/api/", true},
		{"/*.css", "/style.css", true},
		{"/*.css", "/dir/style.css", true},
		{"/exact", "/exact", true},
		{"/exact", "/exact/", false},
		{"/**/x", "/a/b/x", true},
		{"/a*b*c", "/aXXbYYc", true},
		{"/a*b*c", "/aXXbYY", false},
	}
	for _, c := range cases {
		if got := MatchPathPattern(c.pattern, c.path); got != c.want {
			t.Errorf("MatchPathPattern(%q, %q) = %v, want %v", c.pattern, c.path, got, c.want)
		}
	}
}

func TestValidatePathPattern_RefusesWhatCloudFrontRefuses(t *testing.T) {
	for _, p := range []string{"", "/images/ cat", "/a#b", "/a%20b", strings.Repeat("a", 256)} {
		if err := ValidatePathPattern(p); err == nil {
			t.Errorf("ValidatePathPattern(%q) = nil, want an error", p)
		}
	}
	for _, p := range []string{"/images/*.jpg", "*.gif", "/a?c", "/~user/$x@y:z+&'\"", strings.Repeat("a", 255)} {
		if err := ValidatePathPattern(p); err != nil {
			t.Errorf("ValidatePathPattern(%q) = %v", p, err)
		}
	}
}

// patternRegexp is an independent implementation of the same matching.
func patternRegexp(p string) *regexp.Regexp {
	if !strings.HasPrefix(p, "/") && !strings.HasPrefix(p, "*") {
		p = "/" + p
	}
	var b strings.Builder
	b.WriteString(`^`)
	for i := 0; i < len(p); i++ {
		switch p[i] {
		case '*':
			b.WriteString(`[\x00-\xff]*`)
		case '?':
			b.WriteString(`[\x00-\xff]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(p[i : i+1])))
		}
	}
	b.WriteString(`$`)
	return regexp.MustCompile(b.String())
}

func FuzzMatchPathPattern(f *testing.F) {
	f.Add("/images/*.jpg", "/images/a/b.jpg")
	f.Add("/a?c*", "/abcdef")
	f.Add("*", "")
	f.Add("**?*", "/x")
	f.Add("/a*a*a*a*b", "/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	f.Fuzz(func(t *testing.T, pattern, path string) {
		if ValidatePathPattern(pattern) != nil || len(path) > 512 {
			return
		}
		// The regexp works on bytes; make the path Latin-1 safe.
		want := patternRegexp(pattern).MatchString(toBytesRegexpSafe(path))
		if got := MatchPathPattern(pattern, path); got != want {
			t.Fatalf("MatchPathPattern(%q, %q) = %v, regexp says %v", pattern, path, got, want)
		}
	})
}

// toBytesRegexpSafe keeps ASCII paths as they are; a non-ASCII path is
// matched byte-wise by MatchPathPattern, so map it to one rune per byte.
func toBytesRegexpSafe(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}
