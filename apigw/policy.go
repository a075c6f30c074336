package apigw

import (
	"encoding/json"
	"strings"
	"sync"

	"github.com/minicloud/minicloud/apigw/internal/authz"
)

// Headers that carry the network a request came from, for the resource
// policy's aws:SourceVpce and aws:SourceVpc condition keys. API Gateway
// sets x-amzn-vpce-id on requests that reach a private API through an
// interface VPC endpoint; x-amzn-vpc-id is minicloud's own, since the VPC
// is otherwise invisible to an in-process gateway. A client that can reach
// the handler directly can set them, so a test can play any network.
const (
	// HeaderSourceVpce names the VPC endpoint a request came through
	// ("vpce-1a2b3c4d"): the aws:SourceVpce condition key.
	HeaderSourceVpce = "X-Amzn-Vpce-Id"
	// HeaderSourceVpc names the VPC a request came from ("vpc-2f09a348"):
	// the aws:SourceVpc condition key.
	HeaderSourceVpc = "X-Amzn-Vpc-Id"
)

// deploymentPolicy is a deployment's resource policy, parsed on first use
// and kept for the deployment's life.
type deploymentPolicy struct {
	once   sync.Once
	policy *authz.Policy
	err    error
}

// checkPolicyDocument refuses an API whose resource policy cannot be
// parsed, as CreateRestApi does, and a policy on an HTTP API, which has
// none.
func checkPolicyDocument(cfg APIConfig) error {
	if strings.TrimSpace(cfg.Policy) == "" {
		return nil
	}
	if cfg.Kind != REST {
		return ErrBadRequest.New("Resource policies are only supported for REST APIs")
	}
	if _, err := authz.ParsePolicy([]byte(cfg.Policy)); err != nil {
		return ErrBadRequest.Newf("Invalid policy document. Please check the policy syntax and ensure that Principals are valid: %v", err)
	}
	return nil
}

// resourcePolicy returns the deployment's parsed resource policy, nil if
// it has none. Resources written "execute-api:/stage/METHOD/path" — the
// shorthand the console and OpenAPI documents use — are expanded to the
// API's ARN as API Gateway expands them on save.
func (d *Deployment) resourcePolicy(region, account string) (*authz.Policy, error) {
	dp := &d.policy
	dp.once.Do(func() {
		if d.kind != REST || strings.TrimSpace(d.cfg.Policy) == "" {
			return
		}
		p, err := authz.ParsePolicy([]byte(d.cfg.Policy))
		if err != nil {
			dp.err = err
			return
		}
		prefix := "arn:aws:execute-api:" + region + ":" + account + ":" + d.api.id + "/"
		for i := range p.Statements {
			st := &p.Statements[i]
			st.Resource = expandShorthand(st.Resource, prefix)
			st.NotResource = expandShorthand(st.NotResource, prefix)
		}
		dp.policy = p
	})
	return dp.policy, dp.err
}

func expandShorthand(resources []string, prefix string) []string {
	for i, r := range resources {
		if rest, ok := strings.CutPrefix(r, "execute-api:/"); ok {
			resources[i] = prefix + rest
		}
	}
	return resources
}

// methodARN is the ARN API Gateway authorizes the request as:
// arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path},
// with the request's own path (not the route's template).
func (c *call) methodARN() string {
	return authz.MethodARN(c.s.region, c.s.accountID, c.api.id, c.st.name, c.r.Method, c.path)
}

// policyRequest is what a policy is evaluated for: execute-api:Invoke on
// the method ARN by principal ("" for an anonymous caller), with the
// network condition keys.
func (c *call) policyRequest(principal string) authz.Request {
	ctx := map[string]string{"aws:SourceIp": c.req.SourceIP}
	if v := c.r.Header.Get(HeaderSourceVpce); v != "" {
		ctx["aws:SourceVpce"] = v
	}
	if v := c.r.Header.Get(HeaderSourceVpc); v != "" {
		ctx["aws:SourceVpc"] = v
	}
	if account := accountOfARN(principal); account != "" {
		ctx["aws:PrincipalAccount"] = account
		ctx["aws:PrincipalArn"] = principal
	}
	return authz.Request{Action: authz.InvokeAction, Resource: c.methodARN(), Principal: principal, Context: ctx}
}

// accountOfARN is the account field of an ARN, "" for anything else.
func accountOfARN(arn string) string {
	f := strings.SplitN(arn, ":", 6)
	if len(f) == 6 && f[0] == "arn" {
		return f[4]
	}
	return ""
}

// resourceDecision evaluates the resource policy for principal; ok is
// false when the API has none.
func (c *call) resourceDecision(principal string) (d authz.Decision, ok bool, e *gwError) {
	p, err := c.dep.resourcePolicy(c.s.region, c.s.accountID)
	if err != nil {
		return authz.ImplicitDeny, false, c.errInternal("the resource policy cannot be parsed: " + err.Error())
	}
	if p == nil {
		return authz.ImplicitDeny, false, nil
	}
	return p.Evaluate(c.policyRequest(principal)), true, nil
}

// checkResourcePolicy evaluates a REST API's resource policy before
// authentication, in API Gateway's order (see "How API Gateway resource
// policies affect authorization workflow"):
//
//   - a route without authorization needs the policy's explicit Allow
//     for the anonymous caller;
//   - a Lambda authorizer's route is refused here only on an explicit
//     Deny; otherwise the authorizer runs and its policy is combined with
//     this one (authorize);
//   - IAM and Cognito routes are decided after authentication, when the
//     caller is known (authorize).
func (c *call) checkResourcePolicy() *gwError {
	if c.kind != REST {
		return nil
	}
	switch c.route.cfg.AuthorizationType {
	case AuthNone:
		d, ok, e := c.resourceDecision("")
		if e != nil || !ok {
			return e
		}
		if d != authz.Allow {
			return c.errPolicyDenied("anonymous", d)
		}
	case AuthCustom:
		d, ok, e := c.resourceDecision("")
		if e != nil || !ok {
			return e
		}
		if d == authz.ExplicitDeny {
			return c.errPolicyDenied("anonymous", d)
		}
	}
	return nil
}

// errPolicyDenied is API Gateway's 403 for a resource or IAM policy that
// does not allow the caller: {"Message":"User: anonymous is not
// authorized to perform: execute-api:Invoke on resource: arn:… with an
// explicit deny"} (the last words only for an explicit Deny), with
// x-amzn-ErrorType AccessDeniedException.
func (c *call) errPolicyDenied(user string, d authz.Decision) *gwError {
	msg := "User: " + user + " is not authorized to perform: execute-api:Invoke on resource: " + c.methodARN()
	if d == authz.ExplicitDeny {
		msg += " with an explicit deny"
	}
	if c.kind == HTTP {
		return &gwError{typ: ResponseAccessDenied, status: 403, message: "Forbidden", reason: msg}
	}
	return &gwError{typ: ResponseAccessDenied, status: 403, message: msg, reason: msg + " (" + d.String() + ")", body: messageBody(msg)}
}

// messageBody is the {"Message":"…"} body (capital M, no space) that API
// Gateway's authorization layer answers denials with.
func messageBody(msg string) []byte {
	m, _ := json.Marshal(msg) // a string: cannot fail
	return []byte(`{"Message":` + string(m) + `}`)
}
