package apigw

import (
	"slices"
	"strings"
)

// EndpointType is how clients reach an API (or a custom domain name), as
// API Gateway's endpointConfiguration.types says.
type EndpointType string

// The endpoint types of API Gateway.
const (
	// EndpointEdge is an edge-optimized endpoint: clients reach the API
	// through a CloudFront distribution that API Gateway manages. It is
	// the default for REST APIs and for custom domain names, as in AWS.
	// minicloud serves an edge-optimized stage like a regional one; put
	// an edge.Distribution (or any reverse proxy) in front of the stage
	// to model the CloudFront hop.
	EndpointEdge EndpointType = "EDGE"
	// EndpointRegional is a regional endpoint, reached directly in the
	// API's Region. HTTP APIs have only this type.
	EndpointRegional EndpointType = "REGIONAL"
	// EndpointPrivate is a private REST API, reachable only through an
	// interface VPC endpoint for execute-api and only with a resource
	// policy.
	EndpointPrivate EndpointType = "PRIVATE"
)

// EndpointConfiguration is an API's endpointConfiguration: its endpoint
// type and, for a private API, the VPC endpoints associated with it.
// The zero value is AWS's default: EDGE for a REST API, REGIONAL for an
// HTTP API.
type EndpointConfiguration struct {
	// Types holds the endpoint type; AWS takes a list of exactly one.
	// Empty means the default for the API's kind.
	Types []EndpointType
	// VpcEndpointIds are the interface VPC endpoints ("vpce-0a1b2c3d")
	// associated with a PRIVATE API. When set, minicloud admits requests
	// only through these endpoints (see [HeaderSourceVpce]); the resource
	// policy then decides as for any REST API.
	VpcEndpointIds []string
}

// Type returns the configuration's endpoint type ("" if none is set).
func (e EndpointConfiguration) Type() EndpointType {
	if len(e.Types) == 0 {
		return ""
	}
	return e.Types[0]
}

// EndpointType returns the API's endpoint type: EDGE, REGIONAL or
// PRIVATE.
func (a *API) EndpointType() EndpointType { return a.cfg.EndpointConfiguration.Type() }

// edgeUnsupported reports whether a Region has no edge-optimized endpoints:
// the China and GovCloud Regions, where CloudFront does not front API
// Gateway.
func edgeUnsupported(region string) bool {
	return strings.HasPrefix(region, "cn-") || strings.HasPrefix(region, "us-gov-")
}

// checkEndpointConfiguration validates an API's endpoint configuration at
// creation and fills in the default type. REST APIs take one of EDGE,
// REGIONAL or PRIVATE (EDGE by default, and not in Regions without
// CloudFront); VPC endpoint IDs go with PRIVATE only. HTTP APIs are
// REGIONAL only.
func checkEndpointConfiguration(cfg *APIConfig, region string) error {
	ec := &cfg.EndpointConfiguration
	ec.Types = slices.Clone(ec.Types)
	ec.VpcEndpointIds = slices.Clone(ec.VpcEndpointIds)
	if len(ec.Types) > 1 {
		return ErrBadRequest.Newf("Invalid endpoint configuration: exactly one endpoint type is supported, got %d", len(ec.Types))
	}
	if len(ec.Types) == 0 {
		if cfg.Kind == HTTP {
			ec.Types = []EndpointType{EndpointRegional}
		} else {
			ec.Types = []EndpointType{EndpointEdge}
		}
	}
	t := ec.Types[0]
	switch t {
	case EndpointEdge, EndpointRegional, EndpointPrivate:
	default:
		return ErrBadRequest.Newf("Invalid endpoint type %q: use EDGE, REGIONAL or PRIVATE", string(t))
	}
	if cfg.Kind == HTTP && t != EndpointRegional {
		return ErrBadRequest.Newf("Endpoint Configuration type %s is not supported for HTTP APIs, which are REGIONAL only", t)
	}
	if t == EndpointEdge && edgeUnsupported(region) {
		return ErrBadRequest.Newf("Endpoint Configuration type EDGE is not supported in this region: %s", region)
	}
	if len(ec.VpcEndpointIds) > 0 && t != EndpointPrivate {
		return ErrBadRequest.Newf("VPC endpoint IDs can only be associated with a PRIVATE API, not %s", t)
	}
	for _, id := range ec.VpcEndpointIds {
		if !validVpceID(id) {
			return ErrBadRequest.Newf("Invalid VPC endpoint ID %q: expected vpce- followed by 8 or 17 hexadecimal digits", id)
		}
	}
	return nil
}

// validVpceID accepts "vpce-" and 8 or 17 lower-case hexadecimal digits,
// the two shapes EC2 resource IDs have.
func validVpceID(id string) bool {
	hex, ok := strings.CutPrefix(id, "vpce-")
	if !ok || len(hex) != 8 && len(hex) != 17 {
		return false
	}
	for _, c := range hex {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}

// checkDeployable refuses to deploy a PRIVATE API without a resource
// policy, with CreateDeployment's error.
func (a *API) checkDeployable() error {
	if a.cfg.EndpointConfiguration.Type() == EndpointPrivate && strings.TrimSpace(a.cfg.Policy) == "" {
		return ErrBadRequest.New("Private REST API doesn't have a resource policy attached to it")
	}
	return nil
}

// checkPrivateEndpoint admits a request to a PRIVATE API only when it
// came through an interface VPC endpoint (the [HeaderSourceVpce] header
// that API Gateway's VPC endpoint adds) and, when the API lists its VPC
// endpoints, one of those. Anything else is 403 {"message":"Forbidden"},
// the answer a private API gives outside its VPC endpoints. Whether the
// endpoint may invoke the method is the resource policy's decision, taken
// later in the pipeline.
func (c *call) checkPrivateEndpoint() *gwError {
	ec := c.dep.cfg.EndpointConfiguration
	if ec.Type() != EndpointPrivate {
		return nil
	}
	vpce := c.r.Header.Get(HeaderSourceVpce)
	switch {
	case vpce == "":
		return errPrivateForbidden("a private API is reachable only through a VPC endpoint (no " + HeaderSourceVpce + ")")
	case len(ec.VpcEndpointIds) > 0 && !slices.Contains(ec.VpcEndpointIds, vpce):
		return errPrivateForbidden("VPC endpoint " + vpce + " is not associated with the private API")
	}
	return nil
}

func errPrivateForbidden(reason string) *gwError {
	return &gwError{
		typ: ResponseAccessDenied, status: 403, message: "Forbidden", reason: reason,
		header: forbiddenHeader(), body: forbiddenBody,
	}
}

// forbiddenBody is the answer of API Gateway's front end (private APIs
// reached from elsewhere, custom domains without a matching base path).
var forbiddenBody = []byte(`{"message":"Forbidden"}`)

func forbiddenHeader() map[string][]string {
	return map[string][]string{"X-Amzn-Errortype": {"ForbiddenException"}}
}
