package edge

import (
	"context"
	"net/http"
	"slices"
)

// OriginGroup fails over from a primary origin to a secondary one, as
// CloudFront's origin groups do: when the primary answers a GET, HEAD or
// OPTIONS request with one of the FailoverCriteria status codes, or cannot
// be reached in time (502, 504), CloudFront sends the same request to the
// secondary. Other methods go to the primary only.
type OriginGroup struct {
	// Id names the group for cache behaviours' TargetOriginId.
	Id string
	// Members are the primary and the secondary origin Ids (exactly two).
	Members []string
	// FailoverCriteria are the primary's status codes that trigger
	// failover: any of 400, 403, 404, 416, 500, 502, 503, 504.
	FailoverCriteria []int
}

var failoverStatuses = []int{400, 403, 404, 416, 500, 502, 503, 504}

func (d *deployment) compileOriginGroups() error {
	d.groups = map[string]*OriginGroup{}
	for i := range d.config.OriginGroups {
		g := &d.config.OriginGroups[i]
		g.Members = slices.Clone(g.Members)
		g.FailoverCriteria = slices.Clone(g.FailoverCriteria)
		if g.Id == "" {
			return ErrInvalidArgument.New("Every origin group must have an Id.")
		}
		if _, dup := d.origins[g.Id]; dup {
			return ErrInvalidArgument.Newf("The origin group Id %q is also an origin Id.", g.Id)
		}
		if _, dup := d.groups[g.Id]; dup {
			return ErrInvalidArgument.Newf("The origin group Id %q is used twice.", g.Id)
		}
		if len(g.Members) != 2 {
			return ErrInvalidArgument.Newf("Origin group %q must have exactly 2 members, not %d.", g.Id, len(g.Members))
		}
		for _, m := range g.Members {
			if _, ok := d.origins[m]; !ok {
				return ErrNoSuchOrigin.Newf("Origin group %q names the origin %q, which does not exist.", g.Id, m)
			}
		}
		if len(g.FailoverCriteria) == 0 {
			return ErrInvalidArgument.Newf("Origin group %q needs at least one failover status code.", g.Id)
		}
		for _, c := range g.FailoverCriteria {
			if !slices.Contains(failoverStatuses, c) {
				return ErrInvalidArgument.Newf("The failover status code %d of origin group %q is not one of 400, 403, 404, 416, 500, 502, 503, 504.", c, g.Id)
			}
		}
		d.groups[g.Id] = g
	}
	return nil
}

// primary resolves a TargetOriginId to the origin a request goes to first.
func (d *deployment) primary(target string) string {
	if g := d.groups[target]; g != nil {
		return g.Members[0]
	}
	return target
}

// callWithFailover calls the request's origin and, when its behaviour
// targets an origin group and the primary fails as the group says, the
// secondary.
func (d *Distribution) callWithFailover(ctx context.Context, x *exchange) *edgeResponse {
	resp := d.callOrigin(ctx, x)
	g := x.dep.groups[x.behavior.TargetOriginId]
	if g == nil || x.req.originID != g.Members[0] {
		return resp
	}
	switch x.req.method {
	case http.MethodGet, http.MethodHead, http.MethodOptions:
	default:
		return resp
	}
	if !slices.Contains(g.FailoverCriteria, resp.status) && !(resp.failed && (resp.status == http.StatusBadGateway || resp.status == http.StatusGatewayTimeout)) {
		return resp
	}
	primary, secondary := x.dep.origins[g.Members[0]], x.dep.origins[g.Members[1]]
	x.req.originID = secondary.Id
	if x.req.header.Get("Host") == primary.DomainName {
		x.req.header.Set("Host", secondary.DomainName)
	}
	d.metrics.failover()
	return d.callOrigin(ctx, x)
}
