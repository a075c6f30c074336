package globaltables

import "strings"

// bill prints the account's combined bill, and the Sydney replica's.
func (s *scenario) bill() error {
	r, err := s.cloud.Cost(s.ctx)
	if err != nil {
		return err
	}
	s.say("\nThe account's bill for all of it (cloud.Cost):")
	for _, line := range strings.Split(r.String(), "\n") {
		s.say("  %s", line)
	}
	syd, err := s.syd.Bill(s.ctx)
	if err != nil {
		return err
	}
	s.say("cloud.Cost prices DynamoDB in the account's Region, %s. The %s replica is a", s.east.Region(), sydney)
	s.say("table of its own, billed in its own Region: $%.6f so far. DAX nodes are billed by the", syd.Total)
	s.say("hour and are not metered here.")
	return nil
}
