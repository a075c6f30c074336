package apigw

// validate runs the route's request validator.
func (c *call) validate() *gwError { return nil }
