package apigw

// checkResourcePolicy evaluates a REST API's resource policy.
func (c *call) checkResourcePolicy() *gwError {
	return nil
}
