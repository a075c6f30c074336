package edge

import (
	"slices"
	"strings"
)

// Geo restriction types.
const (
	GeoRestrictionNone      = "none"
	GeoRestrictionWhitelist = "whitelist"
	GeoRestrictionBlacklist = "blacklist"
)

// GeoRestriction allows (whitelist) or refuses (blacklist) viewers by
// country, ISO 3166-1 alpha-2 codes; a refused viewer gets 403. The
// viewer's country is its edge location's (see [Location]): CloudFront
// reads it from the viewer's IP address, minicloud from where the viewer
// says it is.
type GeoRestriction struct {
	RestrictionType string
	Items           []string
}

func (g *GeoRestriction) validate() error {
	switch g.RestrictionType {
	case "", GeoRestrictionNone:
		if len(g.Items) > 0 {
			return ErrInvalidArgument.New("A geo restriction of type none must not list countries.")
		}
	case GeoRestrictionWhitelist, GeoRestrictionBlacklist:
		if len(g.Items) == 0 {
			return ErrInvalidArgument.Newf("A %s geo restriction must list at least one country.", g.RestrictionType)
		}
		for _, c := range g.Items {
			if len(c) != 2 || strings.ToUpper(c) != c {
				return ErrInvalidArgument.Newf("The country code %q is not an ISO 3166-1 alpha-2 code.", c)
			}
		}
	default:
		return ErrInvalidArgument.Newf("RestrictionType %q is not valid; use none, whitelist or blacklist.", g.RestrictionType)
	}
	return nil
}

// allows reports whether a viewer from country may be served.
func (g *GeoRestriction) allows(country string) bool {
	switch g.RestrictionType {
	case GeoRestrictionWhitelist:
		return slices.Contains(g.Items, country)
	case GeoRestrictionBlacklist:
		return !slices.Contains(g.Items, country)
	}
	return true
}
