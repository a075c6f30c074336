package apigw

// checkAPIKey enforces a method's API key requirement.
func (c *call) checkAPIKey() *gwError {
	if !c.route.cfg.APIKeyRequired {
		return nil
	}
	return &gwError{typ: ResponseInvalidAPIKey, status: 403, message: "Forbidden", reason: "API keys are not available yet"}
}
