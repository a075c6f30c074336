package globaltables

import "strings"

// bill prints the account's combined bill.
func (s *scenario) bill() error {
	r, err := s.cloud.Cost(s.ctx)
	if err != nil {
		return err
	}
	s.say("\nThe account's bill for all of it (cloud.Cost):")
	for _, line := range strings.Split(r.String(), "\n") {
		s.say("  %s", line)
	}
	s.say("Each replica is a table of its own, billed in its own Region (%s's line), with", sydney)
	s.say("that Region's free tier. DAX nodes are billed by the hour and are not metered here.")
	return nil
}
