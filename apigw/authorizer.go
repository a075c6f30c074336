package apigw

// authorizer is an authorizer as a deployment keeps it.
type authorizer struct{}

// Authorizer describes an authorizer of an API.
type Authorizer struct {
	// Name names the authorizer.
	Name string
	// Type is TOKEN or REQUEST (Lambda authorizers), COGNITO_USER_POOLS
	// (REST) or JWT (HTTP).
	Type string
}

// authorize runs the route's authorization.
func (c *call) authorize() *gwError {
	switch c.route.cfg.AuthorizationType {
	case AuthNone:
		return nil
	}
	return c.errInternal("authorization type " + c.route.cfg.AuthorizationType + " is not available yet")
}
