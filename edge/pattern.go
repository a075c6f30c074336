package edge

import "strings"

// MaxPathPatternLength is the longest path pattern CloudFront accepts: 255
// characters.
const MaxPathPatternLength = 255

// ValidatePathPattern reports whether p is a path pattern CloudFront
// accepts for a cache behaviour: 1 to 255 characters from A-Z, a-z, 0-9,
// _ - . * $ / ~ " ' @ : + and &. A leading "/" is optional: CloudFront
// treats "images/*.jpg" and "/images/*.jpg" alike.
func ValidatePathPattern(p string) error {
	if p == "" {
		return ErrInvalidArgument.New("The parameter PathPattern is required for a cache behavior.")
	}
	if len(p) > MaxPathPatternLength {
		return ErrInvalidArgument.Newf("The path pattern %q is %d characters long; the maximum is %d.", p, len(p), MaxPathPatternLength)
	}
	for i := 0; i < len(p); i++ {
		c := p[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		case strings.IndexByte(`_-.*$/~"'@:+&?`, c) >= 0:
		default:
			return ErrInvalidArgument.Newf("The path pattern %q contains the character %q, which CloudFront does not allow.", p, string(c))
		}
	}
	return nil
}

// MatchPathPattern reports whether the request path matches the cache
// behaviour's path pattern as CloudFront matches them: case-sensitively,
// with "*" standing for zero or more characters (slashes included) and "?"
// for exactly one; every other character stands for itself. The query
// string is not part of the path. A pattern without a leading "/" matches
// as if it had one.
func MatchPathPattern(pattern, path string) bool {
	if !strings.HasPrefix(pattern, "/") && !strings.HasPrefix(pattern, "*") {
		pattern = "/" + pattern
	}
	// Iterative glob matching with a single backtrack point: linear in
	// practice, O(len(pattern)*len(path)) at worst, never exponential.
	p, s := 0, 0
	star, mark := -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && (pattern[p] == '?' || pattern[p] == path[s]) && pattern[p] != '*':
			p++
			s++
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
